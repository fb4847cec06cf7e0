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
 */
#include <config.h>

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "seckey_cmdline.h"
#include "seckey_command.h"
#include "seckey_keylist_parse.h"
#include "seckey_passkey.h"
#include "seckey_store_backend.h"

/* getpwnam_r's buffer: ample for one passwd line. */
#define PW_BUF_SIZE	4096

#define PASSKEY_PREFIX	"passkey:"

struct command_state {
	char			**argv;
	struct seckey_command	 cmd;
};

/*
 * Whom the command runs as.  Only root can switch; a caller that is not
 * root (a screen locker, seckey run by a user) runs it as itself and
 * gains nothing by it.  A keys_command_user that turns out to be uid 0
 * is refused unless the policy wrote "root": a mistyped or odd passwd
 * entry must not hand the user's name to a program running as root.
 */
static int
run_as(const struct seckey_policy *policy, struct seckey_command *cmd,
    struct seckey_diag *diag)
{
	const char *name = policy->keys_command_user;
	struct passwd pw, *found = NULL;
	char buf[PW_BUF_SIZE];
	int err;

	cmd->switch_user = geteuid() == 0;
	if (!cmd->switch_user)
		return SECKEY_OK;
	err = getpwnam_r(name, &pw, buf, sizeof(buf), &found);
	if (found == NULL) {
		/* "Not found" comes as 0 or as one of several errno values. */
		seckey_diag_set(diag, NULL, 0, "keys_command_user \"%s\": %s",
		    name, err == 0 || err == ENOENT || err == ESRCH ||
		    err == EBADF || err == EPERM ? "no such user" :
		    strerror(err));
		return err == ENOMEM || err == ERANGE ? SECKEY_ERR_NOMEM :
		    SECKEY_ERR_UNAVAIL;
	}
	if (pw.pw_uid == 0 && strcmp(name, "root") != 0) {
		seckey_diag_set(diag, NULL, 0, "keys_command_user \"%s\" has "
		    "uid 0; write \"root\" if that is meant", name);
		return SECKEY_ERR_PERM;
	}
	cmd->uid = pw.pw_uid;
	cmd->gid = pw.pw_gid;

	return SECKEY_OK;
}

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
	    (r = run_as(policy, &state->cmd, diag)) != SECKEY_OK)
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

static int
command_read(struct seckey_store *store, unsigned int max_keys,
    struct seckey_keylist **listp, struct seckey_diag *diag)
{
	struct command_state *state = store->state;
	char *output = NULL, label[SECKEY_DIAG_FILE_MAX];
	size_t len = 0;
	int r;

	if ((r = seckey_command_run(&state->cmd, &output, &len,
	    diag)) != SECKEY_OK)
		goto out;
	/* Parser messages name the line of the output, not a file. */
	snprintf(label, sizeof(label), "output of %s", store->where);
	if (!is_passkey_lines(output)) {
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

const struct seckey_store_ops seckey_store_command_ops = {
	.name = "command",
	.open = command_open,
	.close = command_close,
	.read = command_read,
};
