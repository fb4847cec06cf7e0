/*
 * seckey_conf.h: libconfuse glue shared by the policy and key list
 * parsers.  Internal to libseckey: the module and helper use
 * seckey_policy.h and seckey_keylist.h.
 *
 * libconfuse calls its error function with nothing but the cfg_t, and
 * keeps no user pointer there.  To collect errors per parse without any
 * static state, every section carries one extra option whose
 * simple_value points at the parse's struct seckey_conf: libconfuse
 * copies that field into every section it creates and otherwise leaves
 * it alone.  The option cannot be set from a file (its parser refuses),
 * so the pointer is never written through.
 *
 * libconfuse's scanner itself keeps global state, so two parses must
 * not run at the same time in one process: every parser holds
 * seckey_parser_lock() (seckey_lock.h) from seckey_conf_init() to
 * cfg_free().
 */
#ifndef SECKEY_CONF_H
#define SECKEY_CONF_H

#include <stdbool.h>
#include <stddef.h>

#include <confuse.h>

#include "seckey_error.h"

#define SECKEY_CONF_CTX_NAME	"@seckey-parse-context"
/* Scalar options seen so far; 11 key sections of 6 fields fit. */
#define SECKEY_CONF_SEEN_MAX	128

/* One option's check, run as its value is parsed (seckey_conf_read()). */
struct seckey_conf_check {
	const char	*name;
	int		(*check)(cfg_t *cfg, cfg_opt_t *opt);
};

struct seckey_conf {
	struct seckey_diag	*diag;
	const char		*file;	/* name used in messages */
	int			 err;	/* first SECKEY_ERR_*, or 0 */
	bool			 have_msg;
	const cfg_opt_t		*seen[SECKEY_CONF_SEEN_MAX];
	size_t			 nseen;
	void			*state;	/* the calling parser's */
	const struct seckey_conf_check *checks;	/* seckey_conf_read()'s */
	size_t			 nchecks;
};

int seckey_conf_ctx_parse(cfg_t *cfg, cfg_opt_t *opt, const char *value,
    void *result);

/* Put this option in every option array, sections included. */
#define SECKEY_CONF_CTX_OPT \
	CFG_PTR_CB(SECKEY_CONF_CTX_NAME, 0, CFGF_NODEFAULT, \
	    seckey_conf_ctx_parse, 0)

/*
 * Prepare conf, link it into opts (recursively) and create the cfg_t
 * with CFGF_NONE, so unknown options are errors.  NULL: out of memory.
 */
cfg_t *seckey_conf_init(cfg_opt_t *opts, struct seckey_conf *conf,
    const char *file, void *state, struct seckey_diag *diag);

/* The context of the parse cfg belongs to, or NULL. */
struct seckey_conf *seckey_conf_of(cfg_t *cfg);

/*
 * Parse text (len bytes, NUL-terminated).  Bytes that libconfuse would
 * mishandle are refused first: NUL, control characters other than tab
 * and newline, and "${" outside comments, which libconfuse expands from
 * the environment (an attacker's, under su), and a list option set
 * twice at the top level.  Comments are blanked on a copy, so that
 * libconfuse 3.3 reports the right line numbers.
 * Returns 0 or the first error.
 */
int seckey_conf_parse(cfg_t *cfg, struct seckey_conf *conf, const char *text,
    size_t len);

/* What a file's options become: the caller's object, built from cfg. */
typedef int seckey_conf_build_fn(cfg_t *cfg, const char *file, void *out,
    struct seckey_diag *diag);

/*
 * The whole read of one libconfuse file, under the parser lock
 * (libconfuse's scanner is global): each scalar option may be set once,
 * and an option named in checks (nchecks entries) is checked as it is
 * parsed; text is parsed with seckey_conf_parse(), then build(cfg, file,
 * out) makes the caller's object.  file names the file in messages.
 * Returns 0 or the first error.
 */
int seckey_conf_read(cfg_opt_t *opts, const struct seckey_conf_check *checks,
    size_t nchecks, const char *text, size_t len, const char *file,
    seckey_conf_build_fn *build, void *out, struct seckey_diag *diag);

/* Report a fault at the current line from a callback; returns -1. */
int seckey_conf_fail(cfg_t *cfg, int err, const char *fmt, ...)
    __attribute__((__format__(__printf__, 3, 4)));

/* Validation callback: a scalar option may be set once per section. */
int seckey_conf_once(cfg_t *cfg, cfg_opt_t *opt);

/* Parse callback for integers: plain decimal, no sign, no leading 0. */
int seckey_conf_parse_uint(cfg_t *cfg, cfg_opt_t *opt, const char *value,
    void *result);

/*
 * Reading options after the parse.  Defaults live with the callers, not
 * in libconfuse: libconfuse sets its defaults without checking its
 * allocations, so under memory pressure an option could silently lose
 * its default.  An option the file set is marked CFGF_MODIFIED by the
 * parser; one it did not set takes the caller's default.  A set option
 * without a value means an allocation failed: SECKEY_ERR_NOMEM.
 */
bool seckey_conf_option_set(cfg_t *cfg, const char *name);
int seckey_conf_get_bool(cfg_t *cfg, const char *name, bool def, bool *out);
/* Range-checked by the option's validation callback. */
int seckey_conf_get_uint(cfg_t *cfg, const char *name, unsigned int def,
    unsigned int *out);
/* A copy of the option's string, or of def when unset (def may be NULL). */
int seckey_conf_get_str(cfg_t *cfg, const char *name, const char *def,
    char **out);

#endif /* SECKEY_CONF_H */
