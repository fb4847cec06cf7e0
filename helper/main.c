/*
 * main.c: seckey(1), the companion helper of pam_seckey: the common
 * options, the command table and the help texts.  Each subcommand lives
 * in a file of its own.
 */
#include <config.h>

#include <sys/resource.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "helper.h"

struct command {
	const char	*name;
	int		(*run)(struct helper_ctx *, int, char **);
	const char	*usage;
	const char	*help;
};

static const struct command commands[] = {
	{ "devices", cmd_devices, "devices",
	    "List the security keys plugged in: path, transport, model,\n"
	    "whether a PIN is set and how many PIN attempts are left.\n" },
	{ "register", cmd_register, "register [--name NAME] [--device PATH] "
	    "[--discoverable] [--print-mapping[=value|ldif]]",
	    "Register a security key for sign-in.  The key must have a PIN;\n"
	    "it is asked for, then the key must be touched.  Without --name\n"
	    "the key is named after its model and a number.  With several\n"
	    "keys plugged in, --device chooses one (see \"seckey\n"
	    "devices\").  --print-mapping also prints the new key as an\n"
	    "SSSD/FreeIPA passkey mapping on standard output, for\n"
	    "\"ipa user-add-passkey USER VALUE\"; =ldif prints an LDIF\n"
	    "record to complete for ldapmodify.  --discoverable makes a\n"
	    "credential the key keeps (behind its PIN), for the sign-in\n"
	    "without a user name of usernameless_services.\n" },
	{ "list", cmd_list, "list [--json]",
	    "List the registered keys: name, model, transport, date, last\n"
	    "use, and a mark left by counter_policy = \"deny\".\n"
	    "--json prints the stable JSON form documented in seckey(1).\n" },
	{ "rename", cmd_rename, "rename OLD NEW",
	    "Rename a registered key.\n" },
	{ "delete", cmd_delete, "delete [--yes] NAME",
	    "Remove a key from the account.  On a terminal it asks first;\n"
	    "--yes does not ask.  The key itself keeps the credential.\n" },
	{ "pin", cmd_pin, "pin set|change [--device PATH]",
	    "pin set: create the PIN of a key that has none (asked twice).\n"
	    "pin change: change it (the current PIN first).\n"
	    "A PIN is 4 to 63 bytes of UTF-8, at least 4 characters.\n" },
	{ "reset", cmd_reset, "reset [--device PATH] [--yes]",
	    "Factory-reset a key: erase every credential on it, for every\n"
	    "site and machine, and its PIN.  Keys allow it only in the\n"
	    "first seconds after they are plugged in, and only with a\n"
	    "touch.  On a terminal it asks first; elsewhere --yes is\n"
	    "required.\n" },
	{ "mds", cmd_mds, "mds import FILE --root ROOT.pem",
	    "Import a FIDO Metadata Service (MDS3) BLOB, downloaded from\n"
	    "the FIDO Alliance, into the metadata store (root only).  The\n"
	    "BLOB is checked offline: its signing certificate must chain to\n"
	    "ROOT.pem and its signature verify.  A BLOB older than the one\n"
	    "imported (a lower serial number) is refused.  The metadata names\n"
	    "models in \"seckey devices\" and is the trust of\n"
	    "attestation = \"verify\" (pam_seckey.conf(5)).\n" },
	{ "test", cmd_test, "test [NAME]",
	    "Try a sign-in as pam_seckey would, without PAM: find a\n"
	    "registered key, ask for its PIN, wait for the touch, check the\n"
	    "signature, and tell which key answered.  NAME tries that key\n"
	    "only.\n" },
	{ "key-credentials", cmd_keycreds,
	    "key-credentials list|delete [--device PATH] [--yes] [ID]",
	    "key-credentials list: after the PIN, list the discoverable\n"
	    "credentials the key itself holds, for every site: ID, relying\n"
	    "party, user, and the name it is registered under here.\n"
	    "key-credentials delete ID: delete one (ID as listed, or a\n"
	    "longer start of it).  On a terminal it asks first; elsewhere\n"
	    "--yes is required.\n" },
	{ "unmark", cmd_unmark, "unmark NAME",
	    "Clear the mark of a key that counter_policy = \"deny\" marked\n"
	    "as a suspected clone, and its signature counter: it signs in\n"
	    "again.  Root only, with --user USER.\n" },
};

#define NCOMMANDS	(sizeof(commands) / sizeof(commands[0]))

static const char common_help[] =
    "Common options:\n"
    "  --user USER  manage the keys of USER (root only)\n"
    "  --conf PATH  the policy file (default " SECKEY_POLICY_PATH ")\n"
    "  --help       this help\n";

static void
main_help(void)
{
	size_t i;

	printf("usage: seckey [--user USER] [--conf PATH] COMMAND [ARGS]\n"
	    "\nManage the security keys that sign you in with pam_seckey.\n"
	    "\nCommands:\n");
	for (i = 0; i < NCOMMANDS; i++)
		printf("  seckey %s\n", commands[i].usage);
	printf("\n%s  --version    the version\n"
	    "\n\"seckey COMMAND --help\" tells more; see also seckey(1).\n",
	    common_help);
}

static const struct command *
find_command(const char *name)
{
	size_t i;

	for (i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];

	return NULL;
}

int
helper_help(const struct helper_ctx *ctx, int getopt_result)
{
	const struct command *cmd;
	const char *space;

	if (getopt_result != HELPER_GETOPT_HELP)
		return EXIT_USAGE;	/* the message is out already */
	/* "pin set" and "pin change" share the help of "pin". */
	space = strchr(ctx->cmd, ' ');
	for (cmd = commands; cmd < commands + NCOMMANDS; cmd++)
		if (strncmp(cmd->name, ctx->cmd, space != NULL ?
		    (size_t)(space - ctx->cmd) : strlen(ctx->cmd) + 1) == 0)
			break;
	if (cmd == commands + NCOMMANDS)
		return EXIT_USAGE;
	printf("usage: seckey %s [--user USER] [--conf PATH]\n\n%s\n%s",
	    cmd->usage, cmd->help, common_help);

	return HELPER_HELP_SHOWN;
}

int
helper_usage_error(const struct helper_ctx *ctx, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	/* The message may quote an argument: escaped like every other. */
	va_start(ap, fmt);
	if (vsnprintf(line, sizeof(line), fmt, ap) < 0)
		line[0] = '\0';
	va_end(ap);
	helper_msg("%s (see \"seckey %s%s--help\")", line,
	    ctx->cmd != NULL ? ctx->cmd : "", ctx->cmd != NULL ? " " : "");

	return EXIT_USAGE;
}

static int
getopt_common(struct helper_ctx *ctx, int argc, char **argv,
    const char *optstring, const struct option *longopts)
{
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, optstring, longopts, NULL)) != -1) {
		switch (c) {
		case HELPER_OPT_USER:
			ctx->user_arg = optarg;
			break;
		case HELPER_OPT_CONF:
			if (optarg[0] != '/') {
				helper_usage_error(ctx, "--conf needs an "
				    "absolute path");
				return HELPER_GETOPT_ERROR;
			}
			ctx->conf_path = optarg;
			break;
		case HELPER_OPT_HELP:
			return HELPER_GETOPT_HELP;
		case ':':
			helper_usage_error(ctx, "%s needs a value",
			    argv[optind - 1]);
			return HELPER_GETOPT_ERROR;
		case '?':
			/* A long option with a value it does not take sets
			 * optopt too: the word itself says more. */
			if (strncmp(argv[optind - 1], "--", 2) == 0)
				helper_usage_error(ctx, "unknown option or "
				    "value %s", argv[optind - 1]);
			else
				helper_usage_error(ctx, "unknown option -%c",
				    optopt);
			return HELPER_GETOPT_ERROR;
		default:
			return c;
		}
	}

	return -1;
}

/* getopt_long() for a command: the common options are handled here. */
int
helper_getopt(struct helper_ctx *ctx, int argc, char **argv,
    const struct option *longopts)
{
	return getopt_common(ctx, argc, argv, ":h", longopts);
}

/* A PIN must not end up in a core file. */
static void
no_core_dumps(void)
{
	struct rlimit rl = { 0, 0 };

	(void)setrlimit(RLIMIT_CORE, &rl);
}

static int
run(struct helper_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		HELPER_COMMON_OPTIONS,
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const struct command *cmd;
	int c, first;

	/* "+": the options end at the command's name. */
	if ((c = getopt_common(ctx, argc, argv, "+:h", longopts)) == 'V') {
		printf("seckey (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
		return EXIT_DONE;
	}
	if (c == HELPER_GETOPT_HELP) {
		main_help();
		return EXIT_DONE;
	}
	if (c != -1)
		return EXIT_USAGE;
	if (optind >= argc)
		return helper_usage_error(ctx, "no command given");
	if ((cmd = find_command(argv[optind])) == NULL)
		return helper_usage_error(ctx, "unknown command \"%s\"",
		    argv[optind]);
	ctx->cmd = cmd->name;
	ctx->usage = cmd->usage;
	seckey_device_init();
	first = optind;
	/* 0, not 1: GNU getopt starts afresh on the command's arguments. */
	optind = 0;

	return cmd->run(ctx, argc - first, argv + first);
}

int
main(int argc, char **argv)
{
	struct helper_ctx ctx;
	int status;

	memset(&ctx, 0, sizeof(ctx));
	/* seckey acts for the person who runs it; it is never installed
	 * set-user-ID, and refuses to act for anyone else if it is. */
	if (getuid() != geteuid() || getgid() != getegid()) {
		helper_msg("refusing to run set-user-ID or set-group-ID");
		return EXIT_REFUSED;
	}
	no_core_dumps();
	status = run(&ctx, argc, argv);
	helper_ctx_free(&ctx);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		helper_msg("cannot write the output");
		status = EXIT_REFUSED;
	}

	return status;
}
