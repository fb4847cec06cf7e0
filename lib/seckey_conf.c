/*
 * seckey_conf.c: libconfuse glue: per-parse error collection without
 * static state, strict integers, options set once, and a pre-pass that
 * refuses bytes libconfuse would misread and blanks the comments it
 * miscounts.
 */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seckey_conf.h"
#include "seckey_lock.h"
#include "seckey_text.h"

int
seckey_conf_ctx_parse(cfg_t *cfg, cfg_opt_t *opt, const char *value,
    void *result)
{
	/* Same words as libconfuse's own, so the option stays invisible. */
	cfg_error(cfg, "no such option '%s'", cfg_opt_name(opt));
	return -1;
}

struct seckey_conf *
seckey_conf_of(cfg_t *cfg)
{
	cfg_opt_t *opt;
	unsigned int i;

	/* cfg_getopt() would report a miss through cfg_error(): loop here. */
	for (i = 0; (opt = cfg_getnopt(cfg, i)) != NULL; i++)
		if (strcmp(cfg_opt_name(opt), SECKEY_CONF_CTX_NAME) == 0)
			return (struct seckey_conf *)(void *)
			    opt->simple_value.ptr;

	return NULL;
}

static void errfunc(cfg_t *, const char *, va_list)
    __attribute__((__format__(__printf__, 2, 0)));

static void
errfunc(cfg_t *cfg, const char *fmt, va_list ap)
{
	struct seckey_conf *conf;
	char msg[SECKEY_DIAG_MSG_MAX], safe[SECKEY_DIAG_MSG_MAX];

	if ((conf = seckey_conf_of(cfg)) == NULL)
		return;
	if (conf->err == 0)
		conf->err = SECKEY_ERR_SYNTAX;
	/* The first complaint is the cause; later ones are echoes. */
	if (conf->have_msg)
		return;
	/* libconfuse quotes the file: control and bidi characters too. */
	vsnprintf(msg, sizeof(msg), fmt, ap);
	seckey_text_safe(msg, safe, sizeof(safe), SECKEY_TEXT_LOG);
	seckey_diag_set(conf->diag, conf->file, cfg->line, "%s", safe);
	conf->have_msg = true;
}

static void
attach(cfg_opt_t *opts, struct seckey_conf *conf)
{
	size_t i;

	for (i = 0; opts[i].name != NULL; i++) {
		if (strcmp(opts[i].name, SECKEY_CONF_CTX_NAME) == 0)
			opts[i].simple_value.ptr = (void **)(void *)conf;
		if (opts[i].type == CFGT_SEC && opts[i].subopts != NULL)
			attach(opts[i].subopts, conf);
	}
}

cfg_t *
seckey_conf_init(cfg_opt_t *opts, struct seckey_conf *conf, const char *file,
    void *state, struct seckey_diag *diag)
{
	cfg_t *cfg;

	memset(conf, 0, sizeof(*conf));
	conf->diag = diag;
	conf->file = file;
	conf->state = state;
	attach(opts, conf);
	if ((cfg = cfg_init(opts, CFGF_NONE)) == NULL)
		return NULL;
	cfg_set_error_function(cfg, errfunc);

	return cfg;
}

int
seckey_conf_fail(cfg_t *cfg, int err, const char *fmt, ...)
{
	struct seckey_conf *conf;
	char msg[SECKEY_DIAG_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if ((conf = seckey_conf_of(cfg)) != NULL && conf->err == 0)
		conf->err = err;
	cfg_error(cfg, "%s", msg);

	return -1;
}

static int
line_of(const char *text, size_t pos)
{
	int line = 1;
	size_t i;

	for (i = 0; i < pos; i++)
		if (text[i] == '\n')
			line++;

	return line;
}

static int
bad_byte(const char *text, size_t pos, const char *why,
    struct seckey_conf *conf)
{
	seckey_diag_set(conf->diag, conf->file, line_of(text, pos), "%s", why);
	return SECKEY_ERR_SYNTAX;
}

/* Bytes libconfuse would misread, or silently drop. */
static int
check_bytes(const char *text, size_t len, struct seckey_conf *conf)
{
	unsigned char c;
	size_t i;

	for (i = 0; i < len; i++) {
		c = (unsigned char)text[i];
		if (c == '\0')
			return bad_byte(text, i, "NUL byte", conf);
		if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f)
			return bad_byte(text, i, "control character", conf);
	}

	return SECKEY_OK;
}

/* Outside comments, "${NAME}" would be replaced from the environment. */
static int
check_env(const char *text, size_t len, struct seckey_conf *conf)
{
	size_t i;

	for (i = 0; i + 1 < len; i++)
		if (text[i] == '$' && text[i + 1] == '{')
			return bad_byte(text, i, "'${' (environment "
			    "substitution is not allowed)", conf);

	return SECKEY_OK;
}

/* Index just past the quoted string that starts at i, as lexer.l reads it. */
static size_t
skip_string(const char *text, size_t len, size_t i)
{
	char quote = text[i++];

	for (; i < len && text[i] != quote; i++)
		if (text[i] == '\\' && i + 1 < len && (quote == '"' ||
		    text[i + 1] == '\\' || text[i + 1] == '\''))
			i++;

	return i < len ? i + 1 : len;
}

/*
 * "option += {...}" appends to a list's default in libconfuse; our
 * defaults are applied after the parse (see seckey_policy.c), so an
 * append would silently replace them.  Refuse it: list every value.
 */
static int
check_append(const char *text, size_t len, struct seckey_conf *conf)
{
	size_t i = 0;

	while (i < len) {
		if (text[i] == '"' || text[i] == '\'') {
			i = skip_string(text, len, i);
			continue;
		}
		if (text[i] == '+')
			return bad_byte(text, i, "'+=' is not supported: give "
			    "every value of the list with '='", conf);
		i++;
	}

	return SECKEY_OK;
}

/* The top-level list option named text[0 .. n), or NULL. */
static cfg_opt_t *
list_option(cfg_t *cfg, const char *name, size_t n)
{
	cfg_opt_t *opt;
	unsigned int k;

	for (k = 0; (opt = cfg_getnopt(cfg, k)) != NULL; k++)
		if ((opt->flags & CFGF_LIST) != 0 &&
		    strlen(cfg_opt_name(opt)) == n &&
		    strncmp(cfg_opt_name(opt), name, n) == 0)
			return opt;

	return NULL;
}

/* The end of the word or quoted string at i; its name in *name, *n. */
static size_t
scan_word(const char *text, size_t len, size_t i, size_t *name, size_t *n)
{
	size_t start = i;

	if (text[i] == '"' || text[i] == '\'') {
		i = skip_string(text, len, i);
		*name = start + 1;
		*n = i - start >= 2 ? i - start - 2 : 0;
		return i;
	}
	/* lexer.l's unquoted string. */
	while (i < len && strchr(" #\"'\t\n={}()+,", text[i]) == NULL)
		i++;
	*name = start;
	*n = i - start;

	return i;
}

/* Is the next character after blanks from i on an '='? */
static bool
assigned(const char *text, size_t len, size_t i)
{
	while (i < len && (text[i] == ' ' || text[i] == '\t' ||
	    text[i] == '\n'))
		i++;

	return i < len && text[i] == '=';
}

/*
 * A list option may be set once, like any other.  libconfuse lets a
 * second "=" replace the first list, and calls no validation callback
 * at all for an empty one ("reset_services = {}"), so no callback can
 * count the assignments; this pass over the text (comments blanked)
 * finds them, at the top level, where the lexer would: a word or a
 * quoted string followed by '='.
 */
static int
check_lists_once(cfg_t *cfg, const char *text, size_t len,
    struct seckey_conf *conf)
{
	const cfg_opt_t *seen[SECKEY_CONF_SEEN_MAX];
	cfg_opt_t *opt;
	size_t i = 0, k, nseen = 0, name, n, start;
	long depth = 0;

	while (i < len) {
		if (strchr(" \t\n=()+,{}", text[i]) != NULL) {
			depth += text[i] == '{' ? 1 : text[i] == '}' ? -1 : 0;
			i++;
			continue;
		}
		start = i;
		i = scan_word(text, len, i, &name, &n);
		if (i == start)
			i++;
		if (depth != 0 || !assigned(text, len, i) ||
		    (opt = list_option(cfg, text + name, n)) == NULL)
			continue;
		for (k = 0; k < nseen; k++)
			if (seen[k] == opt) {
				seckey_diag_set(conf->diag, conf->file,
				    line_of(text, start), "option '%s' is set "
				    "twice", cfg_opt_name(opt));
				return SECKEY_ERR_SYNTAX;
			}
		if (nseen < SECKEY_CONF_SEEN_MAX)
			seen[nseen++] = opt;
	}

	return SECKEY_OK;
}

/* Blank a comment from i on, keeping newlines; the index after it. */
static size_t
blank(char *text, size_t len, size_t i, bool block)
{
	for (; i < len; i++) {
		if (block && text[i] == '*' && i + 1 < len &&
		    text[i + 1] == '/' && text[i - 1] != '/') {
			text[i] = text[i + 1] = ' ';
			return i + 2;
		}
		if (text[i] == '\n' && !block)
			return i;
		if (text[i] != '\n')
			text[i] = ' ';
	}

	return block ? len + 1 : len;
}

/*
 * libconfuse 3.3 counts every '#' or '//' comment line three times and
 * every block comment one line too many, and refuses comments inside
 * lists (libconfuse issue #150).  So comments are blanked here, newlines
 * kept, following the lexer's rules: '#' outside quotes always starts a
 * comment, '//' and '/ *' only where no unquoted word is under way.
 */
static int
strip_comments(char *text, size_t len, struct seckey_conf *conf)
{
	bool word = false;
	size_t i = 0, start;
	char c;

	while (i < len) {
		c = text[i];
		start = i;
		if (c == '"' || c == '\'')
			i = skip_string(text, len, i);
		else if (c == '#' ||
		    (!word && c == '/' && i + 1 < len && text[i + 1] == '/'))
			i = blank(text, len, i, false);
		else if (!word && c == '/' && i + 1 < len &&
		    text[i + 1] == '*') {
			if ((i = blank(text, len, i + 1, true)) > len)
				return bad_byte(text, start,
				    "unterminated comment", conf);
			text[start] = ' ';
		} else {
			word = strchr(" \t\n={}()+,*", c) == NULL;
			i++;
			continue;
		}
		word = false;
	}

	return SECKEY_OK;
}

int
seckey_conf_parse(cfg_t *cfg, struct seckey_conf *conf, const char *text,
    size_t len)
{
	char *copy;
	int r;

	if (text == NULL || text[len] != '\0')
		return SECKEY_ERR_INVAL;
	if ((copy = malloc(len + 1)) == NULL) {
		seckey_diag_set(conf->diag, conf->file, 0, "out of memory");
		return SECKEY_ERR_NOMEM;
	}
	memcpy(copy, text, len + 1);
	if ((r = check_bytes(copy, len, conf)) != SECKEY_OK ||
	    (r = strip_comments(copy, len, conf)) != SECKEY_OK ||
	    (r = check_env(copy, len, conf)) != SECKEY_OK ||
	    (r = check_append(copy, len, conf)) != SECKEY_OK ||
	    (r = check_lists_once(cfg, copy, len, conf)) != SECKEY_OK)
		goto fail;
	r = SECKEY_OK;
	if (cfg_parse_buf(cfg, copy) == CFG_SUCCESS && conf->err == 0)
		goto fail;
	/* libconfuse fails without a word only when malloc fails. */
	if (conf->err == 0) {
		conf->err = SECKEY_ERR_NOMEM;
		seckey_diag_set(conf->diag, conf->file, 0, "out of memory");
	}
	r = conf->err;
fail:
	free(copy);

	return r;
}

int
seckey_conf_once(cfg_t *cfg, cfg_opt_t *opt)
{
	struct seckey_conf *conf;
	size_t i;

	if ((conf = seckey_conf_of(cfg)) == NULL)
		return -1;
	for (i = 0; i < conf->nseen; i++)
		if (conf->seen[i] == opt)
			return seckey_conf_fail(cfg, SECKEY_ERR_SYNTAX,
			    "option '%s' is set twice", cfg_opt_name(opt));
	if (conf->nseen == SECKEY_CONF_SEEN_MAX)
		return seckey_conf_fail(cfg, SECKEY_ERR_TOOBIG,
		    "too many options");
	conf->seen[conf->nseen++] = opt;

	return 0;
}

int
seckey_conf_parse_uint(cfg_t *cfg, cfg_opt_t *opt, const char *value,
    void *result)
{
	long number = 0;
	size_t i, len;

	/* Nine digits cannot overflow a long; no option needs more. */
	len = value != NULL ? strlen(value) : 0;
	if (len == 0 || len > 9 || (value[0] == '0' && len > 1))
		goto fail;
	for (i = 0; i < len; i++) {
		if (value[i] < '0' || value[i] > '9')
			goto fail;
		number = number * 10 + (value[i] - '0');
	}
	*(long *)result = number;

	return 0;
fail:
	return seckey_conf_fail(cfg, SECKEY_ERR_SYNTAX,
	    "option '%s' needs a decimal number", cfg_opt_name(opt));
}

bool
seckey_conf_option_set(cfg_t *cfg, const char *name)
{
	cfg_opt_t *opt = cfg_getopt(cfg, name);

	return opt != NULL && (opt->flags & CFGF_MODIFIED) != 0;
}

/* 1: name holds the one value to read; 0: unset, the default applies. */
static int
has_value(cfg_t *cfg, const char *name)
{
	if (!seckey_conf_option_set(cfg, name))
		return 0;
	return cfg_size(cfg, name) == 1 ? 1 : SECKEY_ERR_NOMEM;
}

int
seckey_conf_get_bool(cfg_t *cfg, const char *name, bool def, bool *out)
{
	int r;

	*out = def;
	if ((r = has_value(cfg, name)) == 1)
		*out = cfg_getbool(cfg, name) == cfg_true;
	return r < 0 ? r : SECKEY_OK;
}

int
seckey_conf_get_uint(cfg_t *cfg, const char *name, unsigned int def,
    unsigned int *out)
{
	int r;

	*out = def;
	if ((r = has_value(cfg, name)) == 1)
		*out = (unsigned int)cfg_getint(cfg, name);
	return r < 0 ? r : SECKEY_OK;
}

int
seckey_conf_get_str(cfg_t *cfg, const char *name, const char *def,
    char **out)
{
	const char *value = def;
	int r;

	*out = NULL;
	if ((r = has_value(cfg, name)) < 0 ||
	    (r == 1 && (value = cfg_getstr(cfg, name)) == NULL))
		return SECKEY_ERR_NOMEM;
	if (value == NULL)
		return SECKEY_OK;
	if ((*out = strdup(value)) == NULL)
		return SECKEY_ERR_NOMEM;
	return SECKEY_OK;
}

/*
 * The validation callback of every option of seckey_conf_read().  A
 * list's callback runs once per value and not at all for "{}", so lists
 * are checked for a second assignment on the text instead
 * (check_lists_once()).
 */
static int
validate_option(cfg_t *cfg, cfg_opt_t *opt)
{
	const struct seckey_conf *conf = seckey_conf_of(cfg);
	size_t i;

	if ((opt->flags & CFGF_LIST) == 0 && seckey_conf_once(cfg, opt) != 0)
		return -1;
	for (i = 0; conf != NULL && i < conf->nchecks; i++)
		if (strcmp(conf->checks[i].name, cfg_opt_name(opt)) == 0)
			return conf->checks[i].check(cfg, opt);

	return 0;
}

int
seckey_conf_read(cfg_opt_t *opts, const struct seckey_conf_check *checks,
    size_t nchecks, const char *text, size_t len, const char *file,
    seckey_conf_build_fn *build, void *out, struct seckey_diag *diag)
{
	struct seckey_conf conf;
	cfg_t *cfg = NULL;
	size_t i;
	int r;

	for (i = 0; opts[i].name != NULL; i++)
		opts[i].validcb = validate_option;
	if ((r = seckey_parser_lock()) != SECKEY_OK) {
		seckey_diag_set(diag, file, 0, "cannot take the parser lock");
		return r;
	}
	if ((cfg = seckey_conf_init(opts, &conf, file, NULL, diag)) == NULL) {
		seckey_diag_set(diag, file, 0, "out of memory");
		r = SECKEY_ERR_NOMEM;
		goto fail;
	}
	conf.checks = checks;
	conf.nchecks = nchecks;
	if ((r = seckey_conf_parse(cfg, &conf, text, len)) != SECKEY_OK)
		goto fail;
	r = build(cfg, file, out, diag);
fail:
	if (cfg != NULL)
		cfg_free(cfg);
	seckey_parser_unlock();

	return r;
}
