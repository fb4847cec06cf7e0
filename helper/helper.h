/*
 * helper.h: what the subcommands of seckey(1) share: the common options
 * and the account and policy they lead to, messages, terminal input,
 * choosing a security key, and what the key list's codes mean.
 *
 * Every function that can fail prints its own one-line message to
 * stderr and returns an exit status, so a command only passes it on.
 */
#ifndef SECKEY_HELPER_H
#define SECKEY_HELPER_H

#include <getopt.h>
#include <stdbool.h>
#include <sys/types.h>

#include "seckey_device.h"
#include "seckey_error.h"
#include "seckey_file.h"
#include "seckey_keylist.h"
#include "seckey_mem.h"
#include "seckey_policy.h"
#include "seckey_store.h"
#include "seckey_text.h"

/* Exit statuses, as seckey(1) documents them. */
#define EXIT_DONE	0
#define EXIT_REFUSED	1
#define EXIT_USAGE	2

/* The account whose keys a command manages; the strings are owned. */
struct helper_user {
	char		*name;
	char		*home;
	uid_t		 uid;
	gid_t		 gid;
};

struct helper_ctx {
	const char		*cmd;		/* "register", "pin set", ... */
	const char		*usage;		/* its arguments, one line */
	const char		*user_arg;	/* --user */
	const char		*conf_path;	/* --conf */
	struct seckey_policy	*policy;
	struct helper_user	 user;
	struct seckey_user	 owner;		/* user, for libseckey */
	struct seckey_store	*store;		/* the user's keys */
};

/* The long options every command takes (see helper_getopt). */
#define HELPER_OPT_USER		0x101
#define HELPER_OPT_CONF		0x102
#define HELPER_OPT_HELP		'h'
#define HELPER_COMMON_OPTIONS \
	{ "user", required_argument, NULL, HELPER_OPT_USER }, \
	{ "conf", required_argument, NULL, HELPER_OPT_CONF }, \
	{ "help", no_argument, NULL, HELPER_OPT_HELP }

/* helper_getopt() results besides a command's own options and -1. */
#define HELPER_GETOPT_HELP	(-2)
#define HELPER_GETOPT_ERROR	(-3)

/*
 * helper_help() after --help was answered: the command stops and seckey
 * exits 0.  (After a usage error it gives EXIT_USAGE.)
 */
#define HELPER_HELP_SHOWN	(-1)

/* main.c */
int helper_getopt(struct helper_ctx *ctx, int argc, char **argv,
    const struct option *longopts);
int helper_usage_error(const struct helper_ctx *ctx, const char *fmt, ...)
    __attribute__((__format__(__printf__, 2, 3)));
int helper_help(const struct helper_ctx *ctx, int getopt_result);

/* context.c */
void helper_msg(const char *fmt, ...)
    __attribute__((__format__(__printf__, 1, 2)));
int helper_refuse(const char *fmt, ...)
    __attribute__((__format__(__printf__, 1, 2)));
int helper_fail(int err, const struct seckey_diag *diag);
int helper_load(struct helper_ctx *ctx, bool need_store);
void helper_ctx_free(struct helper_ctx *ctx);

/* user.c */
int helper_user_resolve(struct helper_ctx *ctx);
void helper_user_free(struct helper_user *user);

/* tty.c */
bool helper_on_terminal(void);
int helper_read_pin(const char *prompt, struct seckey_pin *pin);
/* seckey_store_secret_fn: a password, as a PIN is read; says why not. */
int helper_store_secret(const char *prompt, char *buf, size_t size,
    void *arg);
bool helper_confirm(const char *prompt, const char *word);
void helper_prompt(const char *text);

/* device.c */
int helper_device_pick(struct helper_ctx *ctx, const char *path,
    struct seckey_device **devp);
int helper_device_fail(struct seckey_device *dev, int err,
    const struct seckey_diag *diag);
/* "wrong PIN, N attempts left"; retries < 0: the key did not say. */
int helper_wrong_pin(int retries);
const char *helper_model(const struct seckey_aaguid *aaguid);

/*
 * table.c: one cell of a table, text escaped for the terminal and padded
 * to width characters and two spaces; NULL shows "-".
 */
#define HELPER_CELL_MAX	SECKEY_TEXT_SAFE_SIZE(256)
/* What a cell shows (buf: HELPER_CELL_MAX bytes); returns buf. */
const char *helper_cell_text(const char *s, char *buf);
size_t helper_cell_width(const char *s);
void helper_cell(const char *s, size_t width);

/* keyerr.c */
int helper_list_read(const struct helper_ctx *ctx, unsigned int max_keys,
    struct seckey_keylist **listp);
int helper_key_fail(const struct helper_ctx *ctx, int err, const char *name,
    const char *new_name, const struct seckey_diag *diag);
int helper_store_writable(const struct helper_ctx *ctx);

/* mapping.c: register --print-mapping */
enum helper_mapping {
	HELPER_MAPPING_NONE,
	HELPER_MAPPING_VALUE,	/* passkey:ID,KEY,METADATA */
	HELPER_MAPPING_LDIF,	/* an ldapmodify record around it */
};
/* The option's argument (NULL: value); -1 for anything else. */
int helper_mapping_parse(const char *arg, enum helper_mapping *formp);
int helper_mapping_print(const struct helper_ctx *ctx,
    const struct seckey_key_info *info, enum helper_mapping form);

/* The subcommands, one file each. */
int cmd_devices(struct helper_ctx *ctx, int argc, char **argv);
int cmd_register(struct helper_ctx *ctx, int argc, char **argv);
int cmd_list(struct helper_ctx *ctx, int argc, char **argv);
int cmd_rename(struct helper_ctx *ctx, int argc, char **argv);
int cmd_delete(struct helper_ctx *ctx, int argc, char **argv);
int cmd_pin(struct helper_ctx *ctx, int argc, char **argv);
int cmd_reset(struct helper_ctx *ctx, int argc, char **argv);
int cmd_test(struct helper_ctx *ctx, int argc, char **argv);
int cmd_keycreds(struct helper_ctx *ctx, int argc, char **argv);
int cmd_mds(struct helper_ctx *ctx, int argc, char **argv);
int cmd_unmark(struct helper_ctx *ctx, int argc, char **argv);

#endif /* SECKEY_HELPER_H */
