/*
 * seckey_ldap_conf.c: parse seckey-ldap.conf with libconfuse, as
 * seckey_policy.c parses the policy: every option checked at its own
 * line, set at most once, defaults applied after the parse, and the
 * checks that involve two options last.
 */
#include <config.h>

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "seckey_conf.h"
#include "seckey_file.h"
#include "seckey_ldap_conf.h"
#include "seckey_ldap_filter.h"
#include "seckey_mem.h"
#include "seckey_text.h"

#define URI_MAX		512
#define DN_MAX		1024
#define ATTRIBUTE_MAX	64
#define PASSWORD_MAX	SECKEY_LDAP_PASSWORD_MAX
#define DEFAULT_TIMEOUT	5

static bool
has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Servers reached over a network, where a password needs TLS. */
static bool
uri_is_clear(const char *uri)
{
	return has_prefix(uri, "ldap://");
}

static bool
uri_valid(const char *uri)
{
	return seckey_text_token(uri, URI_MAX) && (uri_is_clear(uri) ||
	    has_prefix(uri, "ldaps://") || has_prefix(uri, "ldapi://"));
}

/* An attribute description: a name (letters, digits, '-') or an OID. */
static bool
attribute_valid(const char *s)
{
	size_t i, len = s != NULL ? strlen(s) : 0;

	if (len == 0 || len > ATTRIBUTE_MAX)
		return false;
	for (i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '-' ||
		    s[i] == '.'))
			return false;

	return true;
}

static bool
path_valid(const char *s)
{
	return s != NULL && s[0] == '/' && strlen(s) < PATH_MAX &&
	    seckey_text_printable(s, NULL);
}

static bool
dn_valid(const char *s)
{
	return s != NULL && s[0] != '\0' && strlen(s) <= DN_MAX &&
	    seckey_text_printable(s, NULL);
}

/* List callbacks run after each value: check them all every time. */
static int
check_uri(cfg_t *cfg, cfg_opt_t *opt)
{
	unsigned int i;

	if (cfg_opt_size(opt) > SECKEY_LDAP_URI_MAX)
		return seckey_conf_fail(cfg, SECKEY_ERR_RANGE, "uri: at most "
		    "%d servers", SECKEY_LDAP_URI_MAX);
	for (i = 0; i < cfg_opt_size(opt); i++)
		if (!uri_valid(cfg_opt_getnstr(opt, i)))
			return seckey_conf_fail(cfg, SECKEY_ERR_SYNTAX,
			    "uri: a server is an ldap://, ldaps:// or "
			    "ldapi:// URI of at most %d bytes", URI_MAX);

	return 0;
}

static int
check_dn(cfg_t *cfg, cfg_opt_t *opt)
{
	if (dn_valid(cfg_opt_getnstr(opt, 0)))
		return 0;
	return seckey_conf_fail(cfg, SECKEY_ERR_SYNTAX, "%s must be 1 to %d "
	    "bytes of UTF-8 text", cfg_opt_name(opt), DN_MAX);
}

static int
check_filter(cfg_t *cfg, cfg_opt_t *opt)
{
	if (seckey_ldap_filter_valid(cfg_opt_getnstr(opt, 0)))
		return 0;
	return seckey_conf_fail(cfg, SECKEY_ERR_SYNTAX, "user_filter must be "
	    "a filter in parentheses, printable ASCII, with %%u for the user "
	    "name and no other '%%' than %%%%");
}

static int
check_attribute(cfg_t *cfg, cfg_opt_t *opt)
{
	if (attribute_valid(cfg_opt_getnstr(opt, 0)))
		return 0;
	return seckey_conf_fail(cfg, SECKEY_ERR_SYNTAX, "attribute must be an "
	    "attribute name or OID of at most %d bytes", ATTRIBUTE_MAX);
}

static int
check_path(cfg_t *cfg, cfg_opt_t *opt)
{
	if (path_valid(cfg_opt_getnstr(opt, 0)))
		return 0;
	return seckey_conf_fail(cfg, SECKEY_ERR_SYNTAX, "%s must be an "
	    "absolute path", cfg_opt_name(opt));
}

/* Other mechanisms would need credentials this file does not hold. */
static int
check_sasl_mech(cfg_t *cfg, cfg_opt_t *opt)
{
	const char *s = cfg_opt_getnstr(opt, 0);

	if (s != NULL && strcmp(s, "EXTERNAL") == 0)
		return 0;
	return seckey_conf_fail(cfg, SECKEY_ERR_SYNTAX, "%s must be "
	    "\"EXTERNAL\"", cfg_opt_name(opt));
}

static int
check_user_dn(cfg_t *cfg, cfg_opt_t *opt)
{
	if (seckey_ldap_dn_valid(cfg_opt_getnstr(opt, 0)))
		return 0;
	return seckey_conf_fail(cfg, SECKEY_ERR_SYNTAX, "user_dn must be a DN "
	    "of printable ASCII with %%u for the user name and no other '%%' "
	    "than %%%%");
}

static int
check_timeout(cfg_t *cfg, cfg_opt_t *opt)
{
	long n = cfg_opt_getnint(opt, 0);

	if (n >= 1 && n <= SECKEY_LDAP_TIMEOUT_MAX)
		return 0;
	return seckey_conf_fail(cfg, SECKEY_ERR_RANGE, "timeout must be "
	    "between 1 and %d seconds", SECKEY_LDAP_TIMEOUT_MAX);
}

static const struct seckey_conf_check option_checks[] = {
	{ "uri",		check_uri },
	{ "base",		check_dn },
	{ "user_filter",	check_filter },
	{ "attribute",		check_attribute },
	{ "bind_dn",		check_dn },
	{ "bind_password_file",	check_path },
	{ "sasl_mech",		check_sasl_mech },
	{ "user_dn",		check_user_dn },
	{ "admin_bind_dn",	check_dn },
	{ "admin_bind_password_file", check_path },
	{ "admin_sasl_mech",	check_sasl_mech },
	{ "tls_ca_file",	check_path },
	{ "timeout",		check_timeout },
};


static int
copy_uris(cfg_t *cfg, struct seckey_ldap_conf *c)
{
	unsigned int i, n = cfg_size(cfg, "uri");

	if ((c->uris = calloc(n + 1, sizeof(char *))) == NULL)
		return SECKEY_ERR_NOMEM;
	for (i = 0; i < n; i++) {
		if (cfg_getnstr(cfg, "uri", i) == NULL ||
		    (c->uris[i] = strdup(cfg_getnstr(cfg, "uri", i))) == NULL)
			return SECKEY_ERR_NOMEM;
		c->uris_len++;
	}

	return SECKEY_OK;
}

static int
copy_options(cfg_t *cfg, struct seckey_ldap_conf *c)
{
	int r;

	if ((r = copy_uris(cfg, c)) != SECKEY_OK ||
	    (r = seckey_conf_get_str(cfg, "base", NULL,
	    &c->base)) != SECKEY_OK ||
	    (r = seckey_conf_get_str(cfg, "user_filter",
	    SECKEY_LDAP_DEFAULT_FILTER, &c->user_filter)) != SECKEY_OK ||
	    (r = seckey_conf_get_str(cfg, "attribute",
	    SECKEY_LDAP_DEFAULT_ATTRIBUTE, &c->attribute)) != SECKEY_OK ||
	    (r = seckey_conf_get_str(cfg, "bind_dn", NULL,
	    &c->bind_dn)) != SECKEY_OK ||
	    (r = seckey_conf_get_str(cfg, "bind_password_file", NULL,
	    &c->bind_password_file)) != SECKEY_OK ||
	    (r = seckey_conf_get_str(cfg, "sasl_mech", NULL,
	    &c->sasl_mech)) != SECKEY_OK ||
	    (r = seckey_conf_get_str(cfg, "user_dn", NULL,
	    &c->user_dn)) != SECKEY_OK ||
	    (r = seckey_conf_get_str(cfg, "admin_bind_dn", NULL,
	    &c->admin_bind_dn)) != SECKEY_OK ||
	    (r = seckey_conf_get_str(cfg, "admin_bind_password_file", NULL,
	    &c->admin_bind_password_file)) != SECKEY_OK ||
	    (r = seckey_conf_get_str(cfg, "admin_sasl_mech", NULL,
	    &c->admin_sasl_mech)) != SECKEY_OK ||
	    (r = seckey_conf_get_str(cfg, "tls_ca_file", NULL,
	    &c->tls_ca_file)) != SECKEY_OK ||
	    (r = seckey_conf_get_bool(cfg, "starttls", false,
	    &c->starttls)) != SECKEY_OK)
		return r;

	return seckey_conf_get_uint(cfg, "timeout", DEFAULT_TIMEOUT,
	    &c->timeout);
}

/* A password must never cross a network in clear text. */
static const char *
password_in_clear(const struct seckey_ldap_conf *c)
{
	size_t i;

	if ((c->bind_dn == NULL && c->admin_bind_dn == NULL) || c->starttls)
		return NULL;
	for (i = 0; i < c->uris_len; i++)
		if (uri_is_clear(c->uris[i]))
			return "a bind password over ldap:// needs starttls "
			    "= true (or use ldaps:// or ldapi://)";

	return NULL;
}

static const char *
cross_fault(const struct seckey_ldap_conf *c)
{
	if (c->uris_len == 0)
		return "uri is required: the directory's servers";
	if (c->base == NULL)
		return "base is required: where the users are";
	if ((c->bind_dn == NULL) != (c->bind_password_file == NULL))
		return "bind_dn and bind_password_file go together";
	if (c->bind_dn != NULL && c->sasl_mech != NULL)
		return "bind_dn and sasl_mech exclude each other";
	if ((c->admin_bind_dn == NULL) != (c->admin_bind_password_file == NULL))
		return "admin_bind_dn and admin_bind_password_file go together";
	if (c->admin_bind_dn != NULL && c->admin_sasl_mech != NULL)
		return "admin_bind_dn and admin_sasl_mech exclude each other";

	return password_in_clear(c);
}

static int
build(cfg_t *cfg, const char *file, struct seckey_ldap_conf **confp,
    struct seckey_diag *diag)
{
	struct seckey_ldap_conf *c;
	const char *fault;
	int r;

	if ((c = calloc(1, sizeof(*c))) == NULL) {
		r = SECKEY_ERR_NOMEM;
		goto fail;
	}
	if ((r = copy_options(cfg, c)) != SECKEY_OK)
		goto fail;
	if ((fault = cross_fault(c)) != NULL) {
		seckey_diag_set(diag, file, 0, "%s", fault);
		r = SECKEY_ERR_SYNTAX;
		goto fail;
	}
	*confp = c;
	c = NULL;

	r = SECKEY_OK;
fail:
	if (r == SECKEY_ERR_NOMEM)
		seckey_diag_set(diag, file, 0, "out of memory");
	seckey_ldap_conf_free(&c);

	return r;
}

/* seckey_ldap_conf_parse()'s build step, for seckey_conf_read(). */
static int
build_conf(cfg_t *cfg, const char *file, void *confp, struct seckey_diag *diag)
{
	return build(cfg, file, confp, diag);
}

int
seckey_ldap_conf_parse(const char *text, size_t len, const char *file,
    struct seckey_ldap_conf **confp, struct seckey_diag *diag)
{
	/* No libconfuse defaults: copy_options() applies them. */
	cfg_opt_t opts[] = {
		CFG_STR_LIST("uri", 0, CFGF_NODEFAULT),
		CFG_STR("base", 0, CFGF_NODEFAULT),
		CFG_STR("user_filter", 0, CFGF_NODEFAULT),
		CFG_STR("attribute", 0, CFGF_NODEFAULT),
		CFG_STR("bind_dn", 0, CFGF_NODEFAULT),
		CFG_STR("bind_password_file", 0, CFGF_NODEFAULT),
		CFG_STR("sasl_mech", 0, CFGF_NODEFAULT),
		CFG_STR("user_dn", 0, CFGF_NODEFAULT),
		CFG_STR("admin_bind_dn", 0, CFGF_NODEFAULT),
		CFG_STR("admin_bind_password_file", 0, CFGF_NODEFAULT),
		CFG_STR("admin_sasl_mech", 0, CFGF_NODEFAULT),
		CFG_STR("tls_ca_file", 0, CFGF_NODEFAULT),
		CFG_BOOL("starttls", cfg_false, CFGF_NODEFAULT),
		CFG_INT_CB("timeout", 0, CFGF_NODEFAULT, seckey_conf_parse_uint),
		SECKEY_CONF_CTX_OPT,
		CFG_END()
	};
	if (confp == NULL)
		return SECKEY_ERR_INVAL;
	*confp = NULL;
	if (file == NULL)
		file = "ldap_conf";
	return seckey_conf_read(opts, option_checks,
	    sizeof(option_checks) / sizeof(option_checks[0]), text, len, file,
	    build_conf, confp, diag);
}

/*
 * Root's file; a process that is not root (the test suite, a reader run
 * by hand) may also trust its own account's, as seckey_policy_load().
 */
static void
trusted_owner(struct seckey_user *self, const struct seckey_user **ownerp)
{
	self->name = "";
	self->uid = geteuid();
	self->gid = getegid();
	self->home = NULL;
	*ownerp = self->uid == 0 ? NULL : self;
}

int
seckey_ldap_conf_load(const char *path, struct seckey_ldap_conf **confp,
    struct seckey_diag *diag)
{
	const struct seckey_user *owner;
	struct seckey_user self;
	char *text = NULL;
	size_t len = 0;
	int r;

	if (confp == NULL)
		return SECKEY_ERR_INVAL;
	*confp = NULL;
	if (path == NULL)
		path = SECKEY_LDAP_CONF_PATH;
	trusted_owner(&self, &owner);
	if ((r = seckey_file_read(path, owner, &text, &len,
	    diag)) == SECKEY_ERR_NOFOLDER)
		r = SECKEY_ERR_NOENT;
	if (r == SECKEY_OK)
		r = seckey_ldap_conf_parse(text, len, path, confp, diag);
	free(text);

	return r;
}

/* The first line, without its newline; nothing may follow it. */
static int
first_line(const char *text, size_t len, const char *file, char **linep,
    struct seckey_diag *diag)
{
	size_t n = strcspn(text, "\n");

	if (n == 0 || n > PASSWORD_MAX || strlen(text) != len ||
	    (n < len && n + 1 != len)) {
		seckey_diag_set(diag, file, 0, "must hold the password alone "
		    "on one line of 1 to %d bytes", PASSWORD_MAX);
		return SECKEY_ERR_SYNTAX;
	}
	if ((*linep = strndup(text, n)) == NULL) {
		seckey_diag_set(diag, file, 0, "out of memory");
		return SECKEY_ERR_NOMEM;
	}

	return SECKEY_OK;
}

static int
password_from(const char *path, char **passwordp, struct seckey_diag *diag)
{
	const struct seckey_user *owner;
	struct seckey_user self;
	char *text = NULL;
	size_t len = 0;
	int r;

	if (path == NULL || passwordp == NULL)
		return SECKEY_ERR_INVAL;
	*passwordp = NULL;
	trusted_owner(&self, &owner);
	if ((r = seckey_file_read_secret(path, owner, &text, &len,
	    diag)) != SECKEY_OK)
		goto fail;
	r = first_line(text, len, path, passwordp, diag);
fail:
	seckey_freezero(text, len);

	return r;
}

int
seckey_ldap_conf_password(const struct seckey_ldap_conf *conf,
    char **passwordp, struct seckey_diag *diag)
{
	return password_from(conf != NULL ? conf->bind_password_file : NULL,
	    passwordp, diag);
}

int
seckey_ldap_conf_admin_password(const struct seckey_ldap_conf *conf,
    char **passwordp, struct seckey_diag *diag)
{
	return password_from(conf != NULL ? conf->admin_bind_password_file :
	    NULL, passwordp, diag);
}

void
seckey_ldap_conf_free(struct seckey_ldap_conf **confp)
{
	struct seckey_ldap_conf *c;
	size_t i;

	if (confp == NULL || (c = *confp) == NULL)
		return;
	for (i = 0; i < c->uris_len; i++)
		free(c->uris[i]);
	free(c->uris);
	free(c->base);
	free(c->user_filter);
	free(c->attribute);
	free(c->bind_dn);
	free(c->bind_password_file);
	free(c->sasl_mech);
	free(c->user_dn);
	free(c->admin_bind_dn);
	free(c->admin_bind_password_file);
	free(c->admin_sasl_mech);
	free(c->tls_ca_file);
	free(c);
	*confp = NULL;
}
