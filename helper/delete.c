/*
 * delete.c: "seckey delete [--yes] NAME".
 *
 * Only the entry in the key list goes.  The key keeps what makes the
 * credential work (for a credential that is not discoverable, the
 * secret it derives the private key from), so a copy of the old entry
 * would still sign in; only a reset of the key ends that everywhere.
 */
#include <config.h>

#include <stdio.h>

#include "helper.h"

struct target {
	const char	*name;
};

static int
delete_entry(struct helper_ctx *ctx, struct seckey_keylist *list, void *arg)
{
	const char *name = ((const struct target *)arg)->name;
	struct seckey_diag diag;
	int r;

	seckey_diag_clear(&diag);
	if (helper_list_index(list, name) < 0)
		return helper_refuse("%s has no key named \"%s\" (see \"seckey "
		    "list\")", ctx->user.name, name);
	if ((r = seckey_keylist_delete(list, name, &diag)) != SECKEY_OK)
		return helper_fail(r, &diag);

	return EXIT_DONE;
}

/* Ask on a terminal, unless --yes; a script has no one to ask. */
static int
confirm(struct helper_ctx *ctx, const char *name)
{
	struct seckey_keylist *list = NULL;
	char prompt[512];
	int status;

	if ((status = helper_list_read(ctx, SECKEY_MAX_KEYS,
	    &list)) != EXIT_DONE)
		return status;
	if (helper_list_index(list, name) < 0)
		status = helper_refuse("%s has no key named \"%s\" (see "
		    "\"seckey list\")", ctx->user.name, name);
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
	struct target target;
	const char *name;
	bool yes = false;
	int c, status;

	while ((c = helper_getopt(ctx, argc, argv, longopts)) != -1) {
		if (c != 'y')
			return helper_help(ctx, c) == HELPER_HELP_SHOWN ?
			    EXIT_DONE : EXIT_USAGE;
		yes = true;
	}
	if (argc - optind != 1)
		return helper_usage_error(ctx, "give the name of one key");
	name = argv[optind];
	if ((status = helper_load(ctx, true)) != EXIT_DONE)
		return status;
	if (!yes && helper_on_terminal() &&
	    (status = confirm(ctx, name)) != EXIT_DONE)
		return status;
	target.name = name;
	if ((status = helper_list_update(ctx, 0, delete_entry,
	    &target)) != EXIT_DONE)
		return status;
	helper_msg("deleted \"%s\"; the security key itself still holds the "
	    "credential: register it again with \"seckey register\", or erase "
	    "it with \"seckey reset\"", name);

	return EXIT_DONE;
}
