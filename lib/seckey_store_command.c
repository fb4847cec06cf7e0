/*
 * seckey_store_command.c: the "command" key store: the list is what
 * keys_command prints for the user (as OpenSSH's AuthorizedKeysCommand),
 * run through seckey_command.c as keys_command_user.  Read-only: the
 * list is changed wherever the command reads it.
 *
 * The output is a key list, as strict as a file, or SSSD/FreeIPA mapping
 * lines "passkey:<credential id>,<public key>[,...]" when its first
 * line that is not blank starts so (seckey_passkey.h).  An empty one (exit 0,
 * nothing printed) is a user without keys; a command that fails gives
 * no list at all (SECKEY_ERR_UNAVAIL and friends), never an empty one.
 * Running a reader and parsing what it prints is shared with the "ldap"
 * store (seckey_store_run_reader).
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seckey_cmdline.h"
#include "seckey_command.h"
#include "seckey_keylist_parse.h"
#include "seckey_passkey.h"
#include "seckey_store_backend.h"

#define PASSKEY_PREFIX	"passkey:"

struct command_state {
	char			**argv;
	struct seckey_command	 cmd;
};

static int
command_open(struct seckey_store *store, const struct seckey_policy *policy,
    struct seckey_diag *diag)
{
	struct command_state *state;
	int r;

	if ((state = calloc(1, sizeof(*state))) == NULL) {
		seckey_diag_set(diag, NULL, 0, "out of memory");
		return SECKEY_ERR_NOMEM;
	}
	store->state = state;
	if ((r = seckey_cmdline_expand(policy->keys_command, store->user,
	    &state->argv, diag)) != SECKEY_OK ||
	    (r = seckey_command_run_as(&state->cmd,
	    policy->keys_command_user, diag)) != SECKEY_OK)
		return r;
	state->cmd.argv = state->argv;
	state->cmd.timeout_ms = policy->keys_command_timeout * 1000;
	if ((store->where = strdup(state->argv[0])) == NULL) {
		seckey_diag_set(diag, NULL, 0, "out of memory");
		return SECKEY_ERR_NOMEM;
	}

	return SECKEY_OK;
}

static void
command_close(struct seckey_store *store)
{
	struct command_state *state = store->state;

	if (state == NULL)
		return;
	seckey_cmdline_free(&state->argv);
	free(state);
	store->state = NULL;
}

/* Does the first line that is not blank start with "passkey:"? */
static bool
is_passkey_lines(const char *text)
{
	text += strspn(text, " \t\r\n");

	return strncmp(text, PASSKEY_PREFIX, strlen(PASSKEY_PREFIX)) == 0;
}

int
seckey_store_run_reader(struct seckey_store *store,
    const struct seckey_command *cmd, bool passkey_lines,
    unsigned int max_keys, struct seckey_keylist **listp,
    struct seckey_diag *diag)
{
	char *output = NULL, label[SECKEY_DIAG_FILE_MAX];
	size_t len = 0;
	int r;

	if ((r = seckey_command_run(cmd, &output, &len, diag)) != SECKEY_OK)
		goto out;
	/* Parser messages name the line of the output, not a file. */
	snprintf(label, sizeof(label), "output of %s", store->where);
	if (!passkey_lines || !is_passkey_lines(output)) {
		r = seckey_keylist_parse(output, len, label, max_keys, listp,
		    diag);
		goto out;
	}
	r = seckey_passkey_parse_lines(output, len, max_keys, listp, diag);
	if (r != SECKEY_OK && diag != NULL && diag->file[0] == '\0')
		snprintf(diag->file, sizeof(diag->file), "%s", label);
out:
	free(output);

	return r;
}

static int
command_read(struct seckey_store *store, unsigned int max_keys,
    struct seckey_keylist **listp, struct seckey_diag *diag)
{
	struct command_state *state = store->state;

	return seckey_store_run_reader(store, &state->cmd, true, max_keys,
	    listp, diag);
}

const struct seckey_store_ops seckey_store_command_ops = {
	.name = "command",
	.open = command_open,
	.close = command_close,
	.read = command_read,
};
