/*
 * delete.c: "seckey delete [--yes] NAME".
 *
 * Only the entry in the key list goes.  The key keeps what makes the
 * credential work (for a credential that is not discoverable, the
 * secret it derives the private key from), so a copy of the old entry
 * would still sign in; only a reset of the key ends that everywhere.
 * The user is told so when a key plugged in is seen to hold the
 * credential; a key that was reset holds it no more, and suggesting a
 * reset of it would only be misleading.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helper.h"
#include "seckey_base64.h"
#include "seckey_handles.h"
#include "seckey_probe.h"

/* The ID "seckey key-credentials list" prints: a start of the id. */
#define KCRED_ID_LEN	12

struct target {
	const struct helper_ctx	*ctx;
	const char		*name;
	bool			 on_key;	/* a key plugged in holds it */
	unsigned char		*handle;	/* its user handle, or NULL */
	size_t			 handle_len;
	/* Discoverable: the start of its id, as key-credentials prints it. */
	char			 kcred_id[KCRED_ID_LEN + 1];
};

/*
 * Does a key plugged in hold the credential of key?  A silent probe of
 * the keys plugged in now; nobody is asked to insert one.
 */
static bool
plugged_holds(const struct helper_ctx *ctx, struct seckey_key *key)
{
	struct seckey_signin_opts opts;
	struct seckey_keylist one;
	struct seckey_device *dev = NULL;
	const struct seckey_key *found = NULL;
	struct seckey_diag ignored;
	bool holds;

	memset(&one, 0, sizeof(one));
	one.keys[0] = key;
	one.count = 1;
	memset(&opts, 0, sizeof(opts));
	opts.rp_id = ctx->policy->rp_id;
	opts.timeout_ms = SECKEY_OPEN_TIMEOUT_MS;
	opts.no_wait = true;
	holds = seckey_find_device(&one, &opts, &dev, &found,
	    &ignored) == SECKEY_OK;
	seckey_device_free(&dev);
	return holds;
}

/* A discoverable credential's ID for key-credentials, else "". */
static void
kcred_id(const struct seckey_key *key, char *id, size_t size)
{
	char *b64 = NULL;

	id[0] = '\0';
	if (key->user_handle_len > 0 && seckey_base64_encode(key->cred_id,
	    key->cred_id_len, &b64) == SECKEY_OK)
		snprintf(id, size, "%s", b64);
	free(b64);
}

static int
delete_entry(struct seckey_keylist *list, void *arg, struct seckey_diag *diag)
{
	struct target *target = arg;
	struct seckey_key *key = NULL;
	int r;

	/* The store may call again, on a fresh read of the list. */
	free(target->handle);
	target->handle = NULL;
	target->handle_len = 0;
	if ((r = seckey_keylist_remove(list, target->name, &key,
	    diag)) != SECKEY_OK)
		return r;
	target->on_key = plugged_holds(target->ctx, key);
	kcred_id(key, target->kcred_id, sizeof(target->kcred_id));
	if (key->user_handle_len > 0 && (target->handle = malloc(
	    key->user_handle_len)) != NULL) {
		memcpy(target->handle, key->user_handle, key->user_handle_len);
		target->handle_len = key->user_handle_len;
	}
	seckey_key_free(&key);

	return SECKEY_OK;
}

/*
 * root deleted a discoverable credential: its user handle leaves the
 * index (a stale record could only refuse, but it should not outlive
 * the entry).  A failure is only a warning.
 */
static void
forget_handle(const struct helper_ctx *ctx, const struct target *target)
{
	struct seckey_diag diag;

	if (target->handle == NULL || geteuid() != 0)
		return;
	seckey_diag_clear(&diag);
	if (seckey_handles_forget(ctx->policy->state_dir, ctx->policy->rp_id,
	    target->handle, target->handle_len, &diag) != SECKEY_OK)
		helper_msg("warning: the user handle index still names %s for "
		    "this credential: %s", ctx->user.name, diag.msg);
}

/* Ask on a terminal, unless --yes; a script has no one to ask. */
static int
confirm(struct helper_ctx *ctx, const char *name)
{
	struct seckey_keylist *list = NULL;
	struct seckey_key *key = NULL;
	struct seckey_diag diag;
	char prompt[512];
	int r, status;

	if ((status = helper_list_read(ctx, SECKEY_MAX_KEYS,
	    &list)) != EXIT_DONE)
		return status;
	seckey_diag_clear(&diag);
	if ((r = seckey_keylist_get(list, name, &key, &diag)) != SECKEY_OK)
		status = helper_key_fail(ctx, r, name, NULL, &diag);
	seckey_keylist_free(&list);
	if (status != EXIT_DONE)
		return status;
	snprintf(prompt, sizeof(prompt), "Delete \"%s\" from the security "
	    "keys of %s? [y/N] ", name, ctx->user.name);
	if (!helper_confirm(prompt, "y"))
		return helper_refuse("nothing was deleted");

	return EXIT_DONE;
}

int
cmd_delete(struct helper_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "yes", no_argument, NULL, 'y' },
		HELPER_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	struct seckey_diag diag;
	struct target target;
	const char *name;
	bool yes = false;
	int c, r, status;

	while ((c = helper_getopt(ctx, argc, argv, longopts)) != -1) {
		if (c != 'y')
			return helper_help(ctx, c) == HELPER_HELP_SHOWN ?
			    EXIT_DONE : EXIT_USAGE;
		yes = true;
	}
	if (argc - optind != 1)
		return helper_usage_error(ctx, "give the name of one key");
	name = argv[optind];
	if ((status = helper_load(ctx, true)) != EXIT_DONE ||
	    (status = helper_store_writable(ctx)) != EXIT_DONE)
		return status;
	if (!yes && helper_on_terminal() &&
	    (status = confirm(ctx, name)) != EXIT_DONE)
		return status;
	target.ctx = ctx;
	target.name = name;
	target.on_key = false;
	target.handle = NULL;
	target.handle_len = 0;
	target.kcred_id[0] = '\0';
	seckey_diag_clear(&diag);
	r = seckey_store_update(ctx->store, 0, delete_entry, &target, &diag);
	if (r == SECKEY_OK)
		forget_handle(ctx, &target);
	free(target.handle);
	if (r != SECKEY_OK)
		return helper_key_fail(ctx, r, name, NULL, &diag);
	if (target.on_key && target.kcred_id[0] != '\0')
		helper_msg("deleted \"%s\"; the security key itself still holds "
		    "the discoverable credential: register it again with "
		    "\"seckey register --discoverable\", or erase it from the "
		    "key with \"seckey key-credentials delete %s\"", name,
		    target.kcred_id);
	else if (target.on_key)
		helper_msg("deleted \"%s\"; the security key itself still holds "
		    "the credential: register it again with \"seckey "
		    "register\", or erase it with \"seckey reset\"", name);
	else
		helper_msg("deleted \"%s\"", name);

	return EXIT_DONE;
}
