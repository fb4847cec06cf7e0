/*
 * rename.c: "seckey rename OLD NEW".
 */
#include <config.h>

#include <string.h>

#include "helper.h"

struct names {
	const char	*old_name;
	const char	*new_name;
};

static int
rename_entry(struct seckey_keylist *list, void *arg, struct seckey_diag *diag)
{
	const struct names *names = arg;
	int r;

	r = seckey_keylist_rename(list, names->old_name, names->new_name,
	    diag);
	/*
	 * The library takes a rename to the key's own name as a change to
	 * nothing; seckey has always refused it as a name in use.
	 */
	if (r == SECKEY_OK && strcmp(names->old_name, names->new_name) == 0)
		r = SECKEY_ERR_DUP_NAME;

	return r;
}

int
cmd_rename(struct helper_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		HELPER_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	char fault[SECKEY_DIAG_MSG_MAX];
	struct seckey_diag diag;
	struct names names;
	int c, r, status;

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
	    (status = helper_store_writable(ctx)) != EXIT_DONE)
		return status;
	seckey_diag_clear(&diag);
	if ((r = seckey_store_update(ctx->store, 0, rename_entry, &names,
	    &diag)) != SECKEY_OK)
		return helper_key_fail(ctx, r, names.old_name, names.new_name,
		    &diag);
	helper_msg("renamed \"%s\" to \"%s\"", names.old_name, names.new_name);

	return EXIT_DONE;
}
