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
#include <string.h>

#include "helper.h"
#include "seckey_probe.h"

struct target {
	const struct helper_ctx	*ctx;
	const char		*name;
	bool			 on_key;	/* a key plugged in holds it */
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

static int
delete_entry(struct seckey_keylist *list, void *arg, struct seckey_diag *diag)
{
	struct target *target = arg;
	struct seckey_key *key = NULL;
	int r;

	if ((r = seckey_keylist_remove(list, target->name, &key,
	    diag)) != SECKEY_OK)
		return r;
	target->on_key = plugged_holds(target->ctx, key);
	seckey_key_free(&key);

	return SECKEY_OK;
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
	seckey_diag_clear(&diag);
	if ((r = seckey_store_update(ctx->store, 0, delete_entry, &target,
	    &diag)) != SECKEY_OK)
		return helper_key_fail(ctx, r, name, NULL, &diag);
	if (target.on_key)
		helper_msg("deleted \"%s\"; the security key itself still holds "
		    "the credential: register it again with \"seckey "
		    "register\", or erase it with \"seckey reset\"", name);
	else
		helper_msg("deleted \"%s\"", name);

	return EXIT_DONE;
}
