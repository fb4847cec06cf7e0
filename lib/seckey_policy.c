/*
 * seckey_policy.c: parse pam_seckey.conf with libconfuse.
 *
 * libconfuse does the grammar; every option also gets a validation
 * callback, so a bad value is reported at its own line.  Checks that
 * involve two options run after the parse.
 */
#include <config.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "seckey_cmdline.h"
#include "seckey_conf.h"
#include "seckey_policy.h"
#include "seckey_text.h"
#include "seckey_walk.h"

#define DEFAULT_KEYS_FILE	"%h/.config/seckey/keys.conf"
#define DEFAULT_LDAP_CONF	"/etc/security/seckey-ldap.conf"
#define DEFAULT_KEYS_CACHE	"/var/cache/seckey"
#define DEFAULT_STATE_DIR	"/var/lib/seckey"
#define DEFAULT_KEYS_CACHE_MAX_AGE	(7 * 24 * 3600)
#define DEFAULT_ATTESTATION_ROOTS	"/etc/security/seckey-roots.pem"
#define DEFAULT_PIN_PROMPT	"Security key PIN: "
#define DEFAULT_TOUCH_PROMPT	"Touch your security key now."
#define DEFAULT_INSERT_PROMPT	"Insert (or tap) your security key."
#define RP_ID_MAX		255
#define SERVICE_MAX		64
#define PROMPT_MAX		200
#define USER_NAME_MAX		64

/* A keys_file template: absolute, or under %h; only %u, %h and %%. */
static bool
keys_template_valid(const char *tmpl)
{
	size_t i;

	if (tmpl == NULL || strlen(tmpl) >= PATH_MAX ||
	    (tmpl[0] != '/' && strncmp(tmpl, "%h", 2) != 0))
		return false;
	for (i = 0; tmpl[i] != '\0'; i++) {
		if ((unsigned char)tmpl[i] < 0x20 || tmpl[i] == 0x7f)
			return false;
		if (tmpl[i] != '%')
			continue;
		i++;
		if (tmpl[i] != 'u' && tmpl[i] != 'h' && tmpl[i] != '%')
			return false;
	}

	return true;
}

/*
 * A fixed absolute path (ldap_conf, keys_cache, state_dir): no
 * expansion, so no "%", and room left below it for a file in keys_cache
 * or state_dir.
 */
static bool
fixed_path_valid(const char *path)
{
	size_t i;

	if (path == NULL || path[0] != '/' || strlen(path) >= PATH_MAX / 2)
		return false;
	for (i = 0; path[i] != '\0'; i++)
		if ((unsigned char)path[i] < 0x20 || path[i] == 0x7f ||
		    path[i] == '%')
			return false;

	return true;
}

static int
check_rp_id(cfg_t *cfg, cfg_opt_t *opt)
{
	if (seckey_text_token(cfg_opt_getnstr(opt, 0), RP_ID_MAX))
		return 0;
	return seckey_conf_fail(cfg, SECKEY_ERR_SYNTAX, "rp_id must be 1 to "
	    "255 printable ASCII characters without spaces");
}

static int
check_keys_file(cfg_t *cfg, cfg_opt_t *opt)
{
	if (keys_template_valid(cfg_opt_getnstr(opt, 0)))
		return 0;
	return seckey_conf_fail(cfg, SECKEY_ERR_SYNTAX, "keys_file must be an "
	    "absolute path or start with %%h; only %%u, %%h and %%%% expand");
}

static int
check_keys_command(cfg_t *cfg, cfg_opt_t *opt)
{
	if (seckey_cmdline_valid(cfg_opt_getnstr(opt, 0)))
		return 0;
	return seckey_conf_fail(cfg, SECKEY_ERR_SYNTAX, "keys_command must be "
	    "an absolute program path, then at most %d arguments split on "
	    "spaces; only %%u, %%h, %%U and %%%% expand, in the arguments",
	    SECKEY_CMDLINE_ARGS_MAX - 1);
}

static int
check_keys_command_user(cfg_t *cfg, cfg_opt_t *opt)
{
	if (seckey_text_token(cfg_opt_getnstr(opt, 0), USER_NAME_MAX))
		return 0;
	return seckey_conf_fail(cfg, SECKEY_ERR_SYNTAX, "keys_command_user "
	    "must be a user name");
}

static int
check_fixed_path(cfg_t *cfg, cfg_opt_t *opt)
{
	if (fixed_path_valid(cfg_opt_getnstr(opt, 0)))
		return 0;
	return seckey_conf_fail(cfg, SECKEY_ERR_SYNTAX, "%s must be an "
	    "absolute path without %% or control characters",
	    cfg_opt_name(opt));
}

/* An integer option within [lo, hi]; unit follows the bound, if any. */
static int
check_range(cfg_t *cfg, cfg_opt_t *opt, long lo, long hi, const char *unit)
{
	long n = cfg_opt_getnint(opt, 0);

	if (n >= lo && n <= hi)
		return 0;
	return seckey_conf_fail(cfg, SECKEY_ERR_RANGE, "%s must be between "
	    "%ld and %ld%s", cfg_opt_name(opt), lo, hi, unit);
}

static int
check_max_keys(cfg_t *cfg, cfg_opt_t *opt)
{
	return check_range(cfg, opt, 1, SECKEY_MAX_KEYS, "");
}

static int
check_timeout(cfg_t *cfg, cfg_opt_t *opt)
{
	return check_range(cfg, opt, 1, SECKEY_TIMEOUT_MAX, " seconds");
}

/* A word option: one of words (NULL-terminated); expected says which. */
static int
check_word(cfg_t *cfg, cfg_opt_t *opt, const char *const *words,
    const char *expected)
{
	const char *s = cfg_opt_getnstr(opt, 0);

	for (; s != NULL && *words != NULL; words++)
		if (strcmp(s, *words) == 0)
			return 0;
	return seckey_conf_fail(cfg, SECKEY_ERR_SYNTAX, "%s must be %s",
	    cfg_opt_name(opt), expected);
}

static int
check_keys_command_timeout(cfg_t *cfg, cfg_opt_t *opt)
{
	return check_range(cfg, opt, 1, SECKEY_KEYS_COMMAND_TIMEOUT_MAX,
	    " seconds");
}

static int
check_keys_cache_max_age(cfg_t *cfg, cfg_opt_t *opt)
{
	return check_range(cfg, opt, 0, SECKEY_KEYS_CACHE_MAX_AGE_MAX,
	    " seconds");
}

static int
check_uv(cfg_t *cfg, cfg_opt_t *opt)
{
	static const char *const words[] = { "pin", "none", NULL };

	return check_word(cfg, opt, words, "\"pin\" or \"none\"");
}

static int
check_keys(cfg_t *cfg, cfg_opt_t *opt)
{
	static const char *const words[] = { "file", "ldap", "command", NULL };

	return check_word(cfg, opt, words,
	    "\"file\", \"ldap\" or \"command\"");
}

static int
check_remote(cfg_t *cfg, cfg_opt_t *opt)
{
	static const char *const words[] = { "ignore", "deny", "allow", NULL };

	return check_word(cfg, opt, words,
	    "\"ignore\", \"deny\" or \"allow\"");
}

static int
check_attestation(cfg_t *cfg, cfg_opt_t *opt)
{
	static const char *const words[] = { "none", "verify", NULL };

	return check_word(cfg, opt, words, "\"none\" or \"verify\"");
}

static int
check_counter_policy(cfg_t *cfg, cfg_opt_t *opt)
{
	static const char *const words[] = { "log", "deny", NULL };

	return check_word(cfg, opt, words, "\"log\" or \"deny\"");
}

static int
check_prompt(cfg_t *cfg, cfg_opt_t *opt)
{
	const char *s = cfg_opt_getnstr(opt, 0);

	if (s != NULL && s[0] != '\0' && strlen(s) <= PROMPT_MAX &&
	    seckey_text_printable(s, NULL))
		return 0;
	return seckey_conf_fail(cfg, SECKEY_ERR_SYNTAX, "%s must be 1 to %d "
	    "bytes of UTF-8 text without control characters",
	    cfg_opt_name(opt), PROMPT_MAX);
}

/* List callbacks run after each value: check them all every time. */
static int
check_services(cfg_t *cfg, cfg_opt_t *opt)
{
	unsigned int i;

	for (i = 0; i < cfg_opt_size(opt); i++)
		if (!seckey_text_token(cfg_opt_getnstr(opt, i), SERVICE_MAX))
			return seckey_conf_fail(cfg, SECKEY_ERR_SYNTAX,
			    "reset_services: a PAM service name is 1 to %d "
			    "printable ASCII characters without spaces",
			    SERVICE_MAX);

	return 0;
}

/*
 * A listed sshd, su or sudo is refused as a whole-file error, not
 * skipped with a log line: the administrator who wrote it expects a
 * behaviour the module will never give, and fails closed at once (and
 * in "seckey", which reads the same file) instead of learning it from
 * a log nobody reads.
 */
static int
check_usernameless(cfg_t *cfg, cfg_opt_t *opt)
{
	static const char *const never[] = SECKEY_POLICY_NEVER_USERNAMELESS;
	const char *name;
	unsigned int i;
	size_t j;

	for (i = 0; i < cfg_opt_size(opt); i++) {
		name = cfg_opt_getnstr(opt, i);
		if (!seckey_text_token(name, SERVICE_MAX))
			return seckey_conf_fail(cfg, SECKEY_ERR_SYNTAX,
			    "usernameless_services: a PAM service name is 1 "
			    "to %d printable ASCII characters without spaces",
			    SERVICE_MAX);
		for (j = 0; never[j] != NULL; j++)
			if (strcmp(name, never[j]) == 0)
				return seckey_conf_fail(cfg, SECKEY_ERR_SYNTAX,
				    "usernameless_services: \"%s\" is never "
				    "allowed to sign in without a user name "
				    "(the user is known there, or remote)",
				    name);
	}

	return 0;
}

static int
check_aaguids(cfg_t *cfg, cfg_opt_t *opt)
{
	struct seckey_aaguid aaguid;
	unsigned int i;

	for (i = 0; i < cfg_opt_size(opt); i++)
		if (seckey_aaguid_parse(cfg_opt_getnstr(opt, i),
		    &aaguid) != SECKEY_OK)
			return seckey_conf_fail(cfg, SECKEY_ERR_SYNTAX,
			    "allowed_aaguids: '%s' is not a lowercase "
			    "UUID such as 2fc0579f-8113-47ea-b116-bb5a8db9202a",
			    cfg_opt_getnstr(opt, i));

	return 0;
}

static const struct seckey_conf_check option_checks[] = {
	{ "rp_id",		check_rp_id },
	{ "keys",		check_keys },
	{ "keys_file",		check_keys_file },
	{ "keys_command",	check_keys_command },
	{ "keys_command_user",	check_keys_command_user },
	{ "keys_command_timeout", check_keys_command_timeout },
	{ "ldap_conf",		check_fixed_path },
	{ "keys_cache",		check_fixed_path },
	{ "keys_cache_max_age",	check_keys_cache_max_age },
	{ "max_keys",		check_max_keys },
	{ "user_verification",	check_uv },
	{ "timeout",		check_timeout },
	{ "reset_services",	check_services },
	{ "usernameless_services", check_usernameless },
	{ "allowed_aaguids",	check_aaguids },
	{ "pin_prompt",		check_prompt },
	{ "touch_prompt",	check_prompt },
	{ "insert_prompt",	check_prompt },
	{ "remote",		check_remote },
	{ "state_dir",		check_fixed_path },
	{ "attestation",	check_attestation },
	{ "attestation_roots",	check_fixed_path },
	{ "counter_policy",	check_counter_policy },
};


static int
dup_string(const char *s, char **out)
{
	if (s == NULL || (*out = strdup(s)) == NULL)
		return SECKEY_ERR_NOMEM;
	return SECKEY_OK;
}

static int
default_rp_id(const char *hostname, char **rp_id, struct seckey_diag *diag)
{
	char host[HOST_NAME_MAX + 1], id[RP_ID_MAX + 1];

	if (hostname == NULL) {
		if (gethostname(host, sizeof(host)) != 0) {
			seckey_diag_set(diag, NULL, 0, "cannot get the "
			    "host name for the default rp_id");
			return SECKEY_ERR_IO;
		}
		host[sizeof(host) - 1] = '\0';
		hostname = host;
	}
	if (snprintf(id, sizeof(id), "pam://%s", hostname) >= (int)sizeof(id) ||
	    !seckey_text_token(id, RP_ID_MAX)) {
		seckey_diag_set(diag, NULL, 0, "the host name makes no valid "
		    "rp_id; set rp_id in the policy");
		return SECKEY_ERR_INVAL;
	}

	return dup_string(id, rp_id);
}

/*
 * Defaults live here, not in libconfuse (see seckey_conf_get_str()).
 * The short names keep copy_options() readable.
 */
static bool
option_set(cfg_t *cfg, const char *name)
{
	return seckey_conf_option_set(cfg, name);
}

static int
get_bool(cfg_t *cfg, const char *name, bool def, bool *out)
{
	return seckey_conf_get_bool(cfg, name, def, out);
}

static int
get_uint(cfg_t *cfg, const char *name, unsigned int def, unsigned int *out)
{
	return seckey_conf_get_uint(cfg, name, def, out);
}

static int
get_str(cfg_t *cfg, const char *name, const char *def, char **out)
{
	return seckey_conf_get_str(cfg, name, def, out);
}

static int
copy_services(cfg_t *cfg, struct seckey_policy *p)
{
	static const char *const defaults[] = { "passwd", "chpasswd" };
	bool set = option_set(cfg, "reset_services");
	unsigned int i, n;
	const char *value;

	n = set ? cfg_size(cfg, "reset_services") : 2;
	if ((p->reset_services = calloc(n + 1, sizeof(char *))) == NULL)
		return SECKEY_ERR_NOMEM;
	for (i = 0; i < n; i++) {
		value = set ? cfg_getnstr(cfg, "reset_services", i) :
		    defaults[i];
		if (dup_string(value, &p->reset_services[i]) != SECKEY_OK)
			return SECKEY_ERR_NOMEM;
		p->reset_services_len++;
	}
	return SECKEY_OK;
}

static int
copy_usernameless(cfg_t *cfg, struct seckey_policy *p)
{
	unsigned int i, n = cfg_size(cfg, "usernameless_services");

	if ((p->usernameless_services = calloc(n + 1,
	    sizeof(char *))) == NULL)
		return SECKEY_ERR_NOMEM;
	for (i = 0; i < n; i++) {
		if (dup_string(cfg_getnstr(cfg, "usernameless_services", i),
		    &p->usernameless_services[i]) != SECKEY_OK)
			return SECKEY_ERR_NOMEM;
		p->usernameless_services_len++;
	}
	return SECKEY_OK;
}

static int
copy_aaguids(cfg_t *cfg, struct seckey_policy *p)
{
	unsigned int i, n = cfg_size(cfg, "allowed_aaguids");

	if ((p->allowed_aaguids = calloc(n + 1,
	    sizeof(struct seckey_aaguid))) == NULL)
		return SECKEY_ERR_NOMEM;
	for (i = 0; i < n; i++) {
		/* Validated while parsing; NULL only if an allocation failed. */
		if (cfg_getnstr(cfg, "allowed_aaguids", i) == NULL)
			return SECKEY_ERR_NOMEM;
		if (seckey_aaguid_parse(cfg_getnstr(cfg, "allowed_aaguids", i),
		    &p->allowed_aaguids[i]) != SECKEY_OK)
			return SECKEY_ERR_INTERNAL;
		p->allowed_aaguids_len++;
	}
	return SECKEY_OK;
}

static enum seckey_remote
remote_of(const char *name)
{
	if (strcmp(name, "deny") == 0)
		return SECKEY_REMOTE_DENY;
	if (strcmp(name, "allow") == 0)
		return SECKEY_REMOTE_ALLOW;
	return SECKEY_REMOTE_IGNORE;
}

/* The options of authenticator trust: where its records live, and so on. */
static int
copy_trust(cfg_t *cfg, struct seckey_policy *p)
{
	char *counter = NULL, *attestation = NULL;
	int r;

	if ((r = get_str(cfg, "state_dir", DEFAULT_STATE_DIR,
	    &p->state_dir)) != SECKEY_OK ||
	    (r = get_str(cfg, "counter_policy", "log",
	    &counter)) != SECKEY_OK ||
	    (r = get_str(cfg, "attestation", "none",
	    &attestation)) != SECKEY_OK ||
	    (r = get_str(cfg, "attestation_roots", DEFAULT_ATTESTATION_ROOTS,
	    &p->attestation_roots)) != SECKEY_OK)
		goto out;
	p->counter_policy = strcmp(counter, "deny") == 0 ?
	    SECKEY_COUNTER_DENY : SECKEY_COUNTER_LOG;
	p->attestation = strcmp(attestation, "verify") == 0 ?
	    SECKEY_ATTESTATION_VERIFY : SECKEY_ATTESTATION_NONE;
out:
	free(counter);
	free(attestation);
	return r;
}

static int
copy_options(cfg_t *cfg, struct seckey_policy *p)
{
	char *uv = NULL, *remote = NULL;
	int r;

	if ((r = get_bool(cfg, "enabled", false, &p->enabled)) != SECKEY_OK ||
	    (r = get_bool(cfg, "user_presence", true,
	    &p->user_presence)) != SECKEY_OK ||
	    (r = get_bool(cfg, "nouserok", false, &p->nouserok)) != SECKEY_OK ||
	    (r = get_bool(cfg, "debug", false, &p->debug)) != SECKEY_OK ||
	    (r = get_uint(cfg, "max_keys", SECKEY_MAX_KEYS,
	    &p->max_keys)) != SECKEY_OK ||
	    (r = get_uint(cfg, "timeout", 30, &p->timeout)) != SECKEY_OK ||
	    (r = get_str(cfg, "user_verification", "pin", &uv)) != SECKEY_OK ||
	    (r = get_str(cfg, "keys", "file", &p->keys)) != SECKEY_OK ||
	    (r = get_str(cfg, "keys_file", DEFAULT_KEYS_FILE,
	    &p->keys_file)) != SECKEY_OK ||
	    (r = get_str(cfg, "keys_command", NULL,
	    &p->keys_command)) != SECKEY_OK ||
	    (r = get_str(cfg, "keys_command_user", "nobody",
	    &p->keys_command_user)) != SECKEY_OK ||
	    (r = get_uint(cfg, "keys_command_timeout", 5,
	    &p->keys_command_timeout)) != SECKEY_OK ||
	    (r = get_str(cfg, "ldap_conf", DEFAULT_LDAP_CONF,
	    &p->ldap_conf)) != SECKEY_OK ||
	    (r = get_str(cfg, "keys_cache", DEFAULT_KEYS_CACHE,
	    &p->keys_cache)) != SECKEY_OK ||
	    (r = get_uint(cfg, "keys_cache_max_age",
	    DEFAULT_KEYS_CACHE_MAX_AGE, &p->keys_cache_max_age)) != SECKEY_OK ||
	    (r = get_str(cfg, "pin_prompt", DEFAULT_PIN_PROMPT,
	    &p->pin_prompt)) != SECKEY_OK ||
	    (r = get_str(cfg, "touch_prompt", DEFAULT_TOUCH_PROMPT,
	    &p->touch_prompt)) != SECKEY_OK ||
	    (r = get_str(cfg, "insert_prompt", DEFAULT_INSERT_PROMPT,
	    &p->insert_prompt)) != SECKEY_OK ||
	    (r = get_str(cfg, "remote", "ignore", &remote)) != SECKEY_OK ||
	    (r = get_str(cfg, "rp_id", NULL, &p->rp_id)) != SECKEY_OK ||
	    (r = copy_services(cfg, p)) != SECKEY_OK ||
	    (r = copy_usernameless(cfg, p)) != SECKEY_OK ||
	    (r = copy_aaguids(cfg, p)) != SECKEY_OK ||
	    (r = copy_trust(cfg, p)) != SECKEY_OK)
		goto out;
	p->user_verification = strcmp(uv, "none") == 0 ? SECKEY_UV_NONE :
	    SECKEY_UV_PIN;
	p->remote = remote_of(remote);
out:
	free(uv);
	free(remote);
	return r;
}

/*
 * Neither touch nor PIN would sign a user in with no human action at
 * all: malware could then use a plugged-in key silently.  A store of
 * keys = "command" without its command would give no list at all.
 */
static int
cross_check(const struct seckey_policy *p, const char *file,
    struct seckey_diag *diag)
{
	if (!p->user_presence && p->user_verification == SECKEY_UV_NONE) {
		seckey_diag_set(diag, file, 0, "user_presence = false with "
		    "user_verification = \"none\" would sign in without any "
		    "human action");
		return SECKEY_ERR_SYNTAX;
	}
	/* credProtect keeps a discoverable credential from an empty allow
	 * list until the PIN is given: without it none would answer. */
	if (p->usernameless_services_len > 0 &&
	    p->user_verification == SECKEY_UV_NONE) {
		seckey_diag_set(diag, file, 0, "usernameless_services needs "
		    "user_verification = \"pin\"");
		return SECKEY_ERR_SYNTAX;
	}
	if (strcmp(p->keys, "command") == 0 && p->keys_command == NULL) {
		seckey_diag_set(diag, file, 0, "keys = \"command\" needs "
		    "keys_command");
		return SECKEY_ERR_SYNTAX;
	}

	return SECKEY_OK;
}

static int
build(cfg_t *cfg, const char *file, const char *hostname,
    struct seckey_policy **policyp, struct seckey_diag *diag)
{
	struct seckey_policy *p;
	int r;

	if ((p = calloc(1, sizeof(*p))) == NULL) {
		r = SECKEY_ERR_NOMEM;
		goto fail;
	}
	if ((r = copy_options(cfg, p)) != SECKEY_OK)
		goto fail;
	if (p->rp_id == NULL &&
	    (r = default_rp_id(hostname, &p->rp_id, diag)) != SECKEY_OK)
		goto fail;
	if ((r = cross_check(p, file, diag)) != SECKEY_OK)
		goto fail;
	*policyp = p;
	p = NULL;

	r = SECKEY_OK;
fail:
	if (r == SECKEY_ERR_NOMEM)
		seckey_diag_set(diag, file, 0, "out of memory");
	seckey_policy_free(&p);

	return r;
}

/* seckey_policy_parse()'s build step, for seckey_conf_read(). */
struct policy_out {
	const char		 *hostname;
	struct seckey_policy	**policyp;
};

static int
build_policy(cfg_t *cfg, const char *file, void *arg, struct seckey_diag *diag)
{
	struct policy_out *out = arg;

	return build(cfg, file, out->hostname, out->policyp, diag);
}

int
seckey_policy_parse(const char *text, size_t len, const char *file,
    const char *hostname, struct seckey_policy **policyp,
    struct seckey_diag *diag)
{
	/* No libconfuse defaults: copy_options() applies them. */
	cfg_opt_t opts[] = {
		CFG_BOOL("enabled", cfg_false, CFGF_NODEFAULT),
		CFG_STR("rp_id", 0, CFGF_NODEFAULT),
		CFG_STR("keys", 0, CFGF_NODEFAULT),
		CFG_STR("keys_file", 0, CFGF_NODEFAULT),
		CFG_STR("keys_command", 0, CFGF_NODEFAULT),
		CFG_STR("keys_command_user", 0, CFGF_NODEFAULT),
		CFG_INT_CB("keys_command_timeout", 0, CFGF_NODEFAULT,
		    seckey_conf_parse_uint),
		CFG_STR("ldap_conf", 0, CFGF_NODEFAULT),
		CFG_STR("keys_cache", 0, CFGF_NODEFAULT),
		CFG_INT_CB("keys_cache_max_age", 0, CFGF_NODEFAULT,
		    seckey_conf_parse_uint),
		CFG_INT_CB("max_keys", 0, CFGF_NODEFAULT,
		    seckey_conf_parse_uint),
		CFG_STR("user_verification", 0, CFGF_NODEFAULT),
		CFG_BOOL("user_presence", cfg_false, CFGF_NODEFAULT),
		CFG_INT_CB("timeout", 0, CFGF_NODEFAULT, seckey_conf_parse_uint),
		CFG_BOOL("nouserok", cfg_false, CFGF_NODEFAULT),
		CFG_STR_LIST("reset_services", 0, CFGF_NODEFAULT),
		CFG_STR_LIST("usernameless_services", 0, CFGF_NODEFAULT),
		CFG_STR_LIST("allowed_aaguids", 0, CFGF_NODEFAULT),
		CFG_STR("pin_prompt", 0, CFGF_NODEFAULT),
		CFG_STR("touch_prompt", 0, CFGF_NODEFAULT),
		CFG_STR("insert_prompt", 0, CFGF_NODEFAULT),
		CFG_STR("remote", 0, CFGF_NODEFAULT),
		CFG_STR("state_dir", 0, CFGF_NODEFAULT),
		CFG_STR("attestation", 0, CFGF_NODEFAULT),
		CFG_STR("attestation_roots", 0, CFGF_NODEFAULT),
		CFG_STR("counter_policy", 0, CFGF_NODEFAULT),
		CFG_BOOL("debug", cfg_false, CFGF_NODEFAULT),
		SECKEY_CONF_CTX_OPT,
		CFG_END()
	};
	struct policy_out out = { hostname, policyp };

	if (policyp == NULL)
		return SECKEY_ERR_INVAL;
	*policyp = NULL;
	if (file == NULL)
		file = "policy";
	return seckey_conf_read(opts, option_checks,
	    sizeof(option_checks) / sizeof(option_checks[0]), text, len, file,
	    build_policy, &out, diag);
}

int
seckey_policy_load(const char *path, bool explicit, const char *hostname,
    struct seckey_policy **policyp, struct seckey_diag *diag)
{
	struct seckey_user self = { "", 0, 0, NULL };
	char *text = NULL;
	size_t len = 0;
	int r;

	if (policyp == NULL)
		return SECKEY_ERR_INVAL;
	*policyp = NULL;
	if (path == NULL)
		path = SECKEY_POLICY_PATH;

	/*
	 * The policy belongs to root.  A process that is not root (a screen
	 * locker, the helper run by a user, the test suite) may also trust
	 * a file of its own account: it can only change its own sign-in
	 * with it.  su, sudo and login run as root and accept root's only.
	 */
	self.uid = geteuid();
	self.gid = getegid();
	r = seckey_file_read(path, self.uid == 0 ? NULL : &self, &text, &len,
	    diag);
	/*
	 * A missing folder above the policy is simply no policy file: the
	 * difference matters for a user's key list, not here.
	 */
	if (r == SECKEY_ERR_NOFOLDER) {
		char folder[SECKEY_DIAG_FILE_MAX];

		snprintf(folder, sizeof(folder), "%s", diag != NULL ?
		    diag->file : path);
		r = seckey_fs_error(ENOENT, folder, diag);
	}
	if (r == SECKEY_ERR_NOENT && !explicit)
		r = seckey_policy_parse("", 0, path, hostname, policyp, diag);
	else if (r == SECKEY_OK)
		r = seckey_policy_parse(text, len, path, hostname, policyp,
		    diag);
	free(text);

	return r;
}

void
seckey_policy_free(struct seckey_policy **policyp)
{
	struct seckey_policy *p;
	size_t i;

	if (policyp == NULL || (p = *policyp) == NULL)
		return;
	free(p->rp_id);
	free(p->keys);
	free(p->keys_file);
	free(p->keys_command);
	free(p->keys_command_user);
	free(p->ldap_conf);
	free(p->keys_cache);
	for (i = 0; p->reset_services != NULL && p->reset_services[i]; i++)
		free(p->reset_services[i]);
	free(p->reset_services);
	for (i = 0; p->usernameless_services != NULL &&
	    p->usernameless_services[i]; i++)
		free(p->usernameless_services[i]);
	free(p->usernameless_services);
	free(p->allowed_aaguids);
	free(p->pin_prompt);
	free(p->touch_prompt);
	free(p->insert_prompt);
	free(p->state_dir);
	free(p->attestation_roots);
	free(p);
	*policyp = NULL;
}

bool
seckey_policy_is_usernameless_service(const struct seckey_policy *policy,
    const char *service)
{
	static const char *const never[] = SECKEY_POLICY_NEVER_USERNAMELESS;
	size_t i;

	if (policy == NULL || service == NULL)
		return false;
	for (i = 0; never[i] != NULL; i++)
		if (strcmp(never[i], service) == 0)
			return false;
	for (i = 0; i < policy->usernameless_services_len; i++)
		if (strcmp(policy->usernameless_services[i], service) == 0)
			return true;

	return false;
}

bool
seckey_policy_is_reset_service(const struct seckey_policy *policy,
    const char *service)
{
	size_t i;

	if (policy == NULL || service == NULL)
		return false;
	for (i = 0; i < policy->reset_services_len; i++)
		if (strcmp(policy->reset_services[i], service) == 0)
			return true;

	return false;
}

bool
seckey_policy_aaguid_allowed(const struct seckey_policy *policy,
    const struct seckey_aaguid *aaguid)
{
	size_t i;

	if (policy == NULL || aaguid == NULL)
		return false;
	if (policy->allowed_aaguids_len == 0)
		return true;
	for (i = 0; i < policy->allowed_aaguids_len; i++)
		if (seckey_aaguid_equal(&policy->allowed_aaguids[i], aaguid))
			return true;

	return false;
}

const char *
seckey_uv_name(enum seckey_uv uv)
{
	return uv == SECKEY_UV_NONE ? "none" : "pin";
}

const char *
seckey_attestation_name(enum seckey_attestation attestation)
{
	return attestation == SECKEY_ATTESTATION_VERIFY ? "verify" : "none";
}

const char *
seckey_counter_policy_name(enum seckey_counter_policy policy)
{
	return policy == SECKEY_COUNTER_DENY ? "deny" : "log";
}

const char *
seckey_remote_name(enum seckey_remote remote)
{
	switch (remote) {
	case SECKEY_REMOTE_DENY:
		return "deny";
	case SECKEY_REMOTE_ALLOW:
		return "allow";
	default:
		return "ignore";
	}
}

bool
seckey_rhost_is_local(const char *rhost)
{
	char host[HOST_NAME_MAX + 1];

	if (rhost == NULL || rhost[0] == '\0')
		return true;
	if (gethostname(host, sizeof(host)) != 0)
		return false;
	host[sizeof(host) - 1] = '\0';
	return host[0] != '\0' && strcasecmp(rhost, host) == 0;
}

int
seckey_policy_keys_path(const struct seckey_policy *policy,
    const struct seckey_user *user, char **pathp, struct seckey_diag *diag)
{
	if (policy == NULL || user == NULL)
		return SECKEY_ERR_INVAL;
	return seckey_expand_path(policy->keys_file, user->name, user->home,
	    pathp, diag);
}
