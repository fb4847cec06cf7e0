/*
 * unmark.c: "seckey --user USER unmark NAME", the administrator's way
 * back for a credential that counter_policy = "deny" marked as a
 * suspected clone.
 *
 * The signature counter records are root's (seckey_counter.h), so only
 * root clears a mark.  The counter is cleared with it: after a clone,
 * the genuine key's counter may well be below the highest one seen, and
 * an administrator who has checked the key (or withdrawn the copy) wants
 * its next sign-in to start a new count, not to be marked again at once.
 */
#include <config.h>

#include <unistd.h>

#include "helper.h"
#include "seckey_counter.h"

static int
clear_mark(struct helper_ctx *ctx, const struct seckey_key *key)
{
	struct seckey_diag diag;
	bool was_marked = false;
	int r;

	seckey_diag_clear(&diag);
	r = seckey_counter_unmark(ctx->policy->state_dir, ctx->policy->rp_id,
	    key, &was_marked, &diag);
	if (r == SECKEY_ERR_NOENT) {
		helper_msg("\"%s\" of %s has no signature counter record (not "
		    "used here yet): nothing to clear", key->name,
		    ctx->user.name);
		return EXIT_DONE;
	}
	if (r != SECKEY_OK)
		return helper_fail(r, &diag);
	if (was_marked)
		helper_msg("cleared the mark of \"%s\" of %s: it signs in again, "
		    "and its next sign-in starts a new count", key->name,
		    ctx->user.name);
	else
		helper_msg("\"%s\" of %s was not marked; its counter starts "
		    "again at its next sign-in", key->name, ctx->user.name);
	return EXIT_DONE;
}

int
cmd_unmark(struct helper_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		HELPER_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	struct seckey_keylist *list = NULL;
	struct seckey_key *key = NULL;
	struct seckey_diag diag;
	int c, r, status;

	if ((c = helper_getopt(ctx, argc, argv, longopts)) != -1)
		return helper_help(ctx, c) == HELPER_HELP_SHOWN ? EXIT_DONE :
		    EXIT_USAGE;
	if (argc - optind != 1)
		return helper_usage_error(ctx, "give the name of one key");
	if (geteuid() != 0)
		return helper_refuse("only root may clear the mark of a "
		    "credential (the signature counter records are root's)");
	if ((status = helper_load(ctx, true)) != EXIT_DONE ||
	    (status = helper_list_read(ctx, SECKEY_MAX_KEYS,
	    &list)) != EXIT_DONE)
		goto out;
	seckey_diag_clear(&diag);
	if ((r = seckey_keylist_get(list, argv[optind], &key,
	    &diag)) != SECKEY_OK)
		status = helper_key_fail(ctx, r, argv[optind], NULL, &diag);
	else
		status = clear_mark(ctx, key);
out:
	seckey_keylist_free(&list);
	return status;
}
