/*
 * seckey_keylist_parse.c: read a key list with libconfuse.
 *
 * Each field is checked by a validation callback as soon as it is read,
 * so a fault is reported at its own line.  When a key section closes,
 * the whole entry goes through seckey_keylist_add(), the same function
 * registration uses, so a list on disk obeys the same rules as one
 * built by the helper.
 */
#include <config.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "seckey_base64.h"
#include "seckey_conf.h"
#include "seckey_keylist.h"
#include "seckey_keylist_parse.h"
#include "seckey_lock.h"
#include "seckey_pubkey.h"
#include "seckey_time.h"

struct parse_state {
	struct seckey_keylist	*list;
	unsigned int		 max_keys;
	unsigned int		 sections;	/* key sections closed */
	/*
	 * The open section, once its title passed check_title(): neither
	 * the title nor the list changes until the section closes, so its
	 * other fields need not check it again.
	 */
	const cfg_t		*title_checked;
};

static int
check_b64(const char *value, size_t max, const char *size_fault,
    const char **why)
{
	unsigned char *bytes = NULL;
	size_t len = 0;
	int r;

	if ((r = seckey_base64_decode(value, &bytes, &len)) != SECKEY_OK) {
		*why = r == SECKEY_ERR_NOMEM ? "cannot be decoded: out of "
		    "memory" : "is not standard base64 with padding";
		return r;
	}
	free(bytes);
	if (len < 1 || len > max) {
		*why = size_fault;
		return SECKEY_ERR_SYNTAX;
	}

	return SECKEY_OK;
}

static int
check_credential(const char *value, const char **why)
{
	return check_b64(value, SECKEY_CRED_ID_MAX, "must be 1 to 1023 bytes",
	    why);
}

/* The key itself is loaded, and matched to the algorithm, at the end. */
static int
check_public_key(const char *value, const char **why)
{
	return check_b64(value, SECKEY_PUBKEY_MAX, "must be 1 to 4096 bytes",
	    why);
}

static int
check_algorithm(const char *value, const char **why)
{
	enum seckey_alg alg;

	*why = "must be \"es256\", \"eddsa\" or \"rs256\"";
	return seckey_alg_parse(value, &alg);
}

static int
check_aaguid(const char *value, const char **why)
{
	struct seckey_aaguid aaguid;

	*why = "must be a lowercase UUID such as "
	    "2fc0579f-8113-47ea-b116-bb5a8db9202a";
	return seckey_aaguid_parse(value, &aaguid);
}

static int
check_transport(const char *value, const char **why)
{
	enum seckey_transport transport;

	*why = "must be \"usb\" or \"nfc\"";
	return seckey_transport_parse(value, &transport);
}

static int
check_created(const char *value, const char **why)
{
	time_t t;

	*why = "must be a UTC time such as 2026-11-26T08:00:00Z";
	return seckey_time_parse(value, &t);
}

static int
check_user_handle(const char *value, const char **why)
{
	return check_b64(value, SECKEY_USER_HANDLE_MAX,
	    "must be 1 to 64 bytes", why);
}

struct field_check {
	const char	*name;
	int		(*check)(const char *, const char **);
	bool		 required;
};

/*
 * The order is the order they are written in.  user_handle is there
 * only for a discoverable credential (seckey register --discoverable).
 */
static const struct field_check field_checks[] = {
	{ "credential",	 check_credential,  true },
	{ "public_key",	 check_public_key,  true },
	{ "algorithm",	 check_algorithm,   true },
	{ "aaguid",	 check_aaguid,	    true },
	{ "transport",	 check_transport,   true },
	{ "created",	 check_created,	    true },
	{ "user_handle", check_user_handle, false },
};

#define NFIELDS	(sizeof(field_checks) / sizeof(field_checks[0]))

static struct parse_state *
state_of(cfg_t *cfg)
{
	struct seckey_conf *conf = seckey_conf_of(cfg);

	return conf != NULL ? conf->state : NULL;
}

/* A section's title must be a valid name that is not taken yet. */
static int
check_title(cfg_t *cfg, const char *title, const struct parse_state *st)
{
	char fault[SECKEY_DIAG_MSG_MAX];

	if (seckey_key_name_check(title, fault, sizeof(fault)) != SECKEY_OK)
		return seckey_conf_fail(cfg, SECKEY_ERR_SYNTAX, "%s", fault);
	if (seckey_keylist_find(st->list, title) != NULL)
		return seckey_conf_fail(cfg, SECKEY_ERR_DUP_NAME,
		    "key name \"%s\" is used twice", title);

	return 0;
}

/* Validation callback of every field of a key section. */
static int
check_field(cfg_t *sec, cfg_opt_t *opt)
{
	struct parse_state *st = state_of(sec);
	const char *title = cfg_title(sec), *name = cfg_opt_name(opt);
	const char *why = "is invalid";
	size_t i;
	int r;

	if (st == NULL)
		return -1;
	if (st->title_checked != sec) {
		if (check_title(sec, title, st) != 0)
			return -1;
		st->title_checked = sec;
	}
	if (seckey_conf_once(sec, opt) != 0)
		return -1;
	for (i = 0; i < NFIELDS; i++) {
		if (strcmp(field_checks[i].name, name) != 0)
			continue;
		if ((r = field_checks[i].check(cfg_opt_getnstr(opt, 0),
		    &why)) != SECKEY_OK)
			return seckey_conf_fail(sec, r, "key \"%s\": %s %s",
			    title, name, why);
		return 0;
	}

	return seckey_conf_fail(sec, SECKEY_ERR_INTERNAL, "no check for %s",
	    name);
}

/* Turn the strings of a checked section into an entry's parts. */
static int
decode_section(cfg_t *sec, struct seckey_key_info *info,
    unsigned char **cred, unsigned char **der, unsigned char **handle)
{
	const char *handle_text = cfg_getstr(sec, "user_handle");
	int r;

	if (handle_text != NULL && (r = seckey_base64_decode(handle_text,
	    handle, &info->user_handle_len)) != SECKEY_OK)
		return r;
	info->user_handle = *handle;

	if ((r = seckey_base64_decode(cfg_getstr(sec, "credential"), cred,
	    &info->cred_id_len)) != SECKEY_OK ||
	    (r = seckey_base64_decode(cfg_getstr(sec, "public_key"), der,
	    &info->pubkey_der_len)) != SECKEY_OK ||
	    (r = seckey_alg_parse(cfg_getstr(sec, "algorithm"),
	    &info->alg)) != SECKEY_OK ||
	    (r = seckey_aaguid_parse(cfg_getstr(sec, "aaguid"),
	    &info->aaguid)) != SECKEY_OK ||
	    (r = seckey_transport_parse(cfg_getstr(sec, "transport"),
	    &info->transport)) != SECKEY_OK ||
	    (r = seckey_time_parse(cfg_getstr(sec, "created"),
	    &info->created)) != SECKEY_OK)
		return r;
	info->cred_id = *cred;
	info->pubkey_der = *der;

	return SECKEY_OK;
}

static int
add_section(cfg_t *cfg, cfg_t *sec, struct parse_state *st)
{
	struct seckey_key_info info;
	struct seckey_diag diag;
	unsigned char *cred = NULL, *der = NULL, *handle = NULL;
	size_t i;
	int r = SECKEY_ERR_SYNTAX;

	memset(&info, 0, sizeof(info));
	info.name = cfg_title(sec);
	for (i = 0; i < NFIELDS; i++)
		if (field_checks[i].required &&
		    cfg_getstr(sec, field_checks[i].name) == NULL) {
			seckey_conf_fail(cfg, r, "key \"%s\": %s is missing",
			    info.name, field_checks[i].name);
			goto fail;
		}
	if ((r = decode_section(sec, &info, &cred, &der,
	    &handle)) != SECKEY_OK) {
		seckey_conf_fail(cfg, r, "key \"%s\": cannot decode the "
		    "fields", info.name);
		goto fail;
	}
	seckey_diag_clear(&diag);
	if ((r = seckey_keylist_add(st->list, st->max_keys, &info,
	    &diag)) != SECKEY_OK) {
		seckey_conf_fail(cfg, r, "%s", diag.msg);
		goto fail;
	}
fail:
	free(cred);
	free(der);
	free(handle);

	return r == SECKEY_OK ? 0 : -1;
}

/* Validation callback of the key section, called as each one closes. */
static int
key_done(cfg_t *cfg, cfg_opt_t *opt)
{
	struct parse_state *st = state_of(cfg);
	cfg_t *sec;

	if (st == NULL)
		return -1;
	st->sections++;
	/*
	 * libconfuse merges a section into an earlier one of the same
	 * title; the field callbacks catch that unless the second one is
	 * empty, and then the count of sections does not grow.
	 */
	if (cfg_opt_size(opt) != st->sections)
		return seckey_conf_fail(cfg, SECKEY_ERR_DUP_NAME,
		    "a key name is used twice");
	sec = cfg_opt_getnsec(opt, st->sections - 1);
	if (st->title_checked != sec && check_title(cfg, cfg_title(sec),
	    st) != 0)
		return -1;
	/* A later section may be merged into this one: check it anew. */
	st->title_checked = NULL;

	return add_section(cfg, sec, st);
}

int
seckey_keylist_parse(const char *text, size_t len, const char *file,
    unsigned int max_keys, struct seckey_keylist **listp,
    struct seckey_diag *diag)
{
	cfg_opt_t key_opts[] = {
		CFG_STR("credential", 0, CFGF_NODEFAULT),
		CFG_STR("public_key", 0, CFGF_NODEFAULT),
		CFG_STR("algorithm", 0, CFGF_NODEFAULT),
		CFG_STR("aaguid", 0, CFGF_NODEFAULT),
		CFG_STR("transport", 0, CFGF_NODEFAULT),
		CFG_STR("created", 0, CFGF_NODEFAULT),
		CFG_STR("user_handle", 0, CFGF_NODEFAULT),
		SECKEY_CONF_CTX_OPT,
		CFG_END()
	};
	cfg_opt_t opts[] = {
		CFG_SEC("key", key_opts, CFGF_MULTI | CFGF_TITLE),
		SECKEY_CONF_CTX_OPT,
		CFG_END()
	};
	struct parse_state st;
	struct seckey_conf conf;
	cfg_t *cfg = NULL;
	bool locked = false;
	size_t i;
	int r = SECKEY_ERR_NOMEM;

	if (listp == NULL || max_keys < 1)
		return SECKEY_ERR_INVAL;
	*listp = NULL;
	if (file == NULL)
		file = "key list";
	for (i = 0; i < NFIELDS; i++)
		key_opts[i].validcb = check_field;
	opts[0].validcb = key_done;
	memset(&st, 0, sizeof(st));
	st.max_keys = max_keys;

	if ((st.list = seckey_keylist_new()) == NULL) {
		seckey_diag_set(diag, file, 0, "out of memory");
		goto fail;
	}
	if ((r = seckey_parser_lock()) != SECKEY_OK) {
		seckey_diag_set(diag, file, 0, "cannot take the parser lock");
		goto fail;
	}
	locked = true;
	r = SECKEY_ERR_NOMEM;
	if ((cfg = seckey_conf_init(opts, &conf, file, &st, diag)) == NULL) {
		seckey_diag_set(diag, file, 0, "out of memory");
		goto fail;
	}
	if ((r = seckey_conf_parse(cfg, &conf, text, len)) != SECKEY_OK)
		goto fail;
	*listp = st.list;
	st.list = NULL;

	r = SECKEY_OK;
fail:
	if (cfg != NULL)
		cfg_free(cfg);
	if (locked)
		seckey_parser_unlock();
	seckey_keylist_free(&st.list);

	return r;
}
