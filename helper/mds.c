/*
 * mds.c: "seckey mds import FILE --root ROOT.pem": take a FIDO Metadata
 * Service (MDS3) BLOB, downloaded by the administrator, into the
 * metadata store that "attestation = verify" and "seckey devices" read
 * (lib/seckey_mds.h).  Nothing is fetched: the BLOB is checked offline
 * against the root the administrator names.
 */
#include <config.h>

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "helper.h"
#include "seckey_mds.h"

/* Today as YYYY-MM-DD (UTC), to compare with the BLOB's nextUpdate. */
static void
today(char out[16])
{
	time_t now = time(NULL);
	struct tm tm;

	if (gmtime_r(&now, &tm) == NULL ||
	    strftime(out, 16, "%Y-%m-%d", &tm) == 0)
		out[0] = '\0';
}

static int
import_failed(int r, const struct seckey_diag *diag)
{
	if (r == SECKEY_ERR_SIGNATURE)
		return helper_refuse("the BLOB does not verify, nothing was "
		    "imported: %s", diag->msg);
	if (r == SECKEY_ERR_STALE)
		return helper_refuse("refused, nothing was imported: %s",
		    diag->msg);
	if (r == SECKEY_ERR_SYNTAX || r == SECKEY_ERR_UNSUPPORTED)
		return helper_refuse("not a metadata BLOB this seckey can "
		    "read, nothing was imported: %s", diag->msg);

	return helper_fail(r, diag);
}

static int
mds_import(struct helper_ctx *ctx, const char *blob, const char *root)
{
	struct seckey_mds_import_result res;
	struct seckey_diag diag;
	char path[SECKEY_DIAG_FILE_MAX], now[16];
	int r;

	seckey_diag_clear(&diag);
	if ((r = seckey_mds_path(ctx->policy->state_dir, path, sizeof(path),
	    &diag)) != SECKEY_OK ||
	    (r = seckey_mds_import(blob, root, ctx->policy->state_dir, &res,
	    &diag)) != SECKEY_OK)
		return import_failed(r, &diag);
	helper_msg("imported metadata BLOB number %lld (%zu models with an "
	    "AAGUID, next update %s) into %s", res.serial, res.models,
	    res.next_update, path);
	if (res.old_serial == res.serial)
		helper_msg("it is the BLOB already imported");
	today(now);
	if (now[0] != '\0' && strcmp(res.next_update, now) < 0)
		helper_msg("warning: its next update (%s) has passed; "
		    "download a newer BLOB", res.next_update);

	return EXIT_DONE;
}

int
cmd_mds(struct helper_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "root", required_argument, NULL, 'r' },
		HELPER_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	const char *root = NULL;
	int c, status;

	if (argc < 2 || argv[1][0] == '-') {
		if (argc >= 2 && (strcmp(argv[1], "--help") == 0 ||
		    strcmp(argv[1], "-h") == 0))
			return helper_help(ctx, HELPER_GETOPT_HELP) ==
			    HELPER_HELP_SHOWN ? EXIT_DONE : EXIT_USAGE;
		return helper_usage_error(ctx, "say \"mds import FILE\"");
	}
	if (strcmp(argv[1], "import") != 0)
		return helper_usage_error(ctx, "unknown mds command \"%s\"; "
		    "say \"mds import FILE\"", argv[1]);
	ctx->cmd = "mds import";
	while ((c = helper_getopt(ctx, argc - 1, argv + 1, longopts)) != -1) {
		if (c != 'r')
			return helper_help(ctx, c) == HELPER_HELP_SHOWN ?
			    EXIT_DONE : EXIT_USAGE;
		root = optarg;
	}
	if (optind != argc - 2)
		return helper_usage_error(ctx, optind >= argc - 1 ?
		    "the BLOB's file is missing" : "unexpected argument");
	if (root == NULL)
		return helper_usage_error(ctx, "--root ROOT.pem is needed: "
		    "the root certificate the FIDO Alliance names for its "
		    "metadata service, downloaded and checked by you");
	if (getuid() != 0)
		return helper_refuse("only root may import metadata");
	if ((status = helper_load(ctx, false)) != EXIT_DONE)
		return status;

	return mds_import(ctx, argv[optind + 1], root);
}
