/*
 * rename.c: "seckey rename OLD NEW".
 */
#include <config.h>

#include "helper.h"

struct names {
	const char	*old_name;
	const char	*new_name;
};

static int
refuse_missing(const struct helper_ctx *ctx, const char *name)
{
	return helper_refuse("%s has no key named \"%s\" (see \"seckey "
	    "list\")", ctx->user.name, name);
}

static int
rename_entry(struct helper_ctx *ctx, struct seckey_keylist *list, void *arg)
{
	const struct names *names = arg;
	struct seckey_diag diag;
	int r;

	if (helper_list_index(list, names->old_name) < 0)
		return refuse_missing(ctx, names->old_name);
	if (helper_list_index(list, names->new_name) >= 0)
		return helper_refuse("a key named \"%s\" is already registered",
		    names->new_name);
	seckey_diag_clear(&diag);
	if ((r = seckey_keylist_rename(list, names->old_name, names->new_name,
	    &diag)) != SECKEY_OK)
		return helper_fail(r, &diag);

	return EXIT_DONE;
}

int
cmd_rename(struct helper_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		HELPER_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	char fault[SECKEY_DIAG_MSG_MAX];
	struct names names;
	int c, status;

	if ((c = helper_getopt(ctx, argc, argv, longopts)) != -1)
		return helper_help(ctx, c) == HELPER_HELP_SHOWN ? EXIT_DONE :
		    EXIT_USAGE;
	if (argc - optind != 2)
		return helper_usage_error(ctx, "give the old name and the new "
		    "one");
	names.old_name = argv[optind];
	names.new_name = argv[optind + 1];
	if (seckey_key_name_check(names.new_name, fault,
	    sizeof(fault)) != SECKEY_OK)
		return helper_usage_error(ctx, "%s", fault);
	if ((status = helper_load(ctx, true)) != EXIT_DONE ||
	    (status = helper_list_update(ctx, 0, rename_entry,
	    &names)) != EXIT_DONE)
		return status;
	helper_msg("renamed \"%s\" to \"%s\"", names.old_name, names.new_name);

	return EXIT_DONE;
}
