/*
 * seckey_passkey.c: one key as an SSSD/FreeIPA passkey mapping value,
 * read and written (the form and what SSSD and FreeIPA do with it are in
 * seckey_passkey.h).  The value is parsed from a private copy, so the
 * caller's bytes need no NUL and are never changed.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seckey_base64.h"
#include "seckey_mem.h"
#include "seckey_passkey.h"
#include "seckey_pubkey.h"
#include "seckey_time.h"

#define PREFIX_LEN	(sizeof(SECKEY_PASSKEY_PREFIX) - 1)
/* What a generated name starts with; "Security key 1" for a lone value. */
#define DEFAULT_NAME	"Security key 1"

/* What a value is made of, before it becomes a key. */
struct value_parts {
	char			*name;	/* NULL: no metadata */
	unsigned char		*cred_id;
	size_t			 cred_id_len;
	unsigned char		*der;
	size_t			 der_len;
	enum seckey_alg		 alg;
	struct seckey_aaguid	 aaguid;
	enum seckey_transport	 transport;
	time_t			 created;
	unsigned char		*handle;	/* NULL: not discoverable */
	size_t			 handle_len;
};

/* The metadata lines, in the order they must come. */
enum meta_field { META_VERSION, META_NAME, META_CREATED, META_AAGUID,
    META_ALG, META_TRANSPORT, META_COUNT };

static const char *const meta_names[META_COUNT] = {
	"seckey", "name", "created", "aaguid", "alg", "transport",
};

#define META_MAGIC	"seckey="
/* The optional seventh line, of a discoverable credential. */
#define META_HANDLE	"user_handle"

static void
parts_clear(struct value_parts *parts)
{
	free(parts->name);
	seckey_freezero(parts->cred_id, parts->cred_id_len);
	seckey_freezero(parts->der, parts->der_len);
	seckey_freezero(parts->handle, parts->handle_len);
	memset(parts, 0, sizeof(*parts));
}

/* A NUL-terminated copy of len bytes that hold no NUL; what names them. */
static int
copy_text(const void *bytes, size_t len, const char *what, char **textp,
    struct seckey_diag *diag)
{
	*textp = NULL;
	if (memchr(bytes, '\0', len) != NULL) {
		seckey_diag_set(diag, NULL, 0, "passkey value: %s holds a NUL "
		    "byte", what);
		return SECKEY_ERR_SYNTAX;
	}
	if ((*textp = malloc(len + 1)) == NULL) {
		seckey_diag_set(diag, NULL, 0, "out of memory");
		return SECKEY_ERR_NOMEM;
	}
	memcpy(*textp, bytes, len);
	(*textp)[len] = '\0';

	return SECKEY_OK;
}

/*
 * Decode a base64 field of 1 to max bytes.  what names the field in the
 * diagnostic; the field itself is never echoed.
 */
static int
decode_field(const char *text, size_t max, const char *what,
    unsigned char **bytesp, size_t *lenp, struct seckey_diag *diag)
{
	int r;

	*bytesp = NULL;
	*lenp = 0;
	if ((r = seckey_base64_decode(text, bytesp, lenp)) == SECKEY_ERR_NOMEM)
		seckey_diag_set(diag, NULL, 0, "out of memory");
	else if (r != SECKEY_OK)
		seckey_diag_set(diag, NULL, 0, "passkey value: the %s is not "
		    "standard base64 with padding", what);
	else if (*lenp < 1 || *lenp > max) {
		seckey_diag_set(diag, NULL, 0, "passkey value: the %s must be "
		    "1 to %zu bytes", what, max);
		r = SECKEY_ERR_SYNTAX;
	}
	if (r != SECKEY_OK) {
		seckey_freezero(*bytesp, *lenp);
		*bytesp = NULL;
		*lenp = 0;
	}

	return r;
}

/* The algorithm of a public key that came without one: the first that loads. */
static int
alg_of_key(struct value_parts *parts, struct seckey_diag *diag)
{
	static const enum seckey_alg algs[] = {
		SECKEY_ALG_ES256, SECKEY_ALG_EDDSA, SECKEY_ALG_RS256,
	};
	struct seckey_pubkey *pk = NULL;
	const char *why = NULL;
	size_t i;
	int r = SECKEY_ERR_SYNTAX;

	for (i = 0; i < sizeof(algs) / sizeof(algs[0]) && r != SECKEY_OK;
	    i++) {
		r = seckey_pubkey_load(parts->der, parts->der_len, algs[i],
		    &pk, &why);
		if (r == SECKEY_ERR_NOMEM)
			break;
		parts->alg = algs[i];
	}
	seckey_pubkey_free(&pk);
	if (r == SECKEY_ERR_NOMEM)
		seckey_diag_set(diag, NULL, 0, "out of memory");
	else if (r != SECKEY_OK)
		seckey_diag_set(diag, NULL, 0, "passkey value: the public key "
		    "is not a P-256, Ed25519 or RSA 2048 key in DER "
		    "SubjectPublicKeyInfo form");

	return r;
}

/*
 * One metadata line "word=VALUE\n" at *pos: the value is cut out in
 * place (its LF becomes NUL) and *pos moves past the line.
 */
static int
meta_line(char **pos, const char *word, char **valuep)
{
	size_t word_len = strlen(word);
	char *line = *pos, *end;

	if (strncmp(line, word, word_len) != 0 || line[word_len] != '=' ||
	    (end = strchr(line, '\n')) == NULL)
		return SECKEY_ERR_SYNTAX;
	*end = '\0';
	*valuep = line + word_len + 1;
	*pos = end + 1;

	return SECKEY_OK;
}

/*
 * The six values of the metadata lines, in place, the user handle's if
 * its line follows (else *handlep is NULL), and nothing after them.
 */
static int
meta_split(char *text, char *values[META_COUNT], char **handlep,
    struct seckey_diag *diag)
{
	char *pos = text;
	size_t i;

	*handlep = NULL;
	for (i = 0; i < META_COUNT; i++)
		if (meta_line(&pos, meta_names[i], &values[i]) != SECKEY_OK) {
			seckey_diag_set(diag, NULL, 0, "passkey value: the "
			    "metadata lacks its line \"%s=...\" (or it is out "
			    "of order)", meta_names[i]);
			return SECKEY_ERR_SYNTAX;
		}
	if (*pos != '\0' && meta_line(&pos, META_HANDLE, handlep) !=
	    SECKEY_OK)
		*handlep = NULL;
	if (*pos != '\0') {
		seckey_diag_set(diag, NULL, 0, "passkey value: the metadata "
		    "has more than its %d lines (and %s)", META_COUNT,
		    META_HANDLE);
		return SECKEY_ERR_SYNTAX;
	}

	return SECKEY_OK;
}

/* The fields of the metadata lines, checked; the name is copied. */
static int
meta_fields(char *values[META_COUNT], struct value_parts *parts,
    struct seckey_diag *diag)
{
	char fault[SECKEY_DIAG_MSG_MAX];
	const char *bad = NULL;

	if (strcmp(values[META_VERSION], "1") != 0)
		bad = "seckey (the version, 1)";
	else if (seckey_key_name_check(values[META_NAME], fault,
	    sizeof(fault)) != SECKEY_OK) {
		seckey_diag_set(diag, NULL, 0, "passkey value: %s", fault);
		return SECKEY_ERR_SYNTAX;
	} else if (seckey_time_parse(values[META_CREATED],
	    &parts->created) != SECKEY_OK)
		bad = "created (a UTC time such as 2026-11-26T08:00:00Z)";
	else if (seckey_aaguid_parse(values[META_AAGUID],
	    &parts->aaguid) != SECKEY_OK)
		bad = "aaguid (a lowercase UUID)";
	else if (seckey_alg_parse(values[META_ALG], &parts->alg) != SECKEY_OK)
		bad = "alg (es256, eddsa or rs256)";
	else if (seckey_transport_parse(values[META_TRANSPORT],
	    &parts->transport) != SECKEY_OK)
		bad = "transport (usb or nfc)";
	if (bad != NULL) {
		seckey_diag_set(diag, NULL, 0, "passkey value: the metadata "
		    "field %s is wrong", bad);
		return SECKEY_ERR_SYNTAX;
	}
	if ((parts->name = strdup(values[META_NAME])) == NULL) {
		seckey_diag_set(diag, NULL, 0, "out of memory");
		return SECKEY_ERR_NOMEM;
	}

	return SECKEY_OK;
}

/* Our metadata: bytes that begin with "seckey=" (len > 0). */
static int
parse_meta(const unsigned char *bytes, size_t len, struct value_parts *parts,
    struct seckey_diag *diag)
{
	char *values[META_COUNT], *text, *handle = NULL;
	int r = SECKEY_ERR_SYNTAX;

	if ((r = copy_text(bytes, len, "the metadata", &text,
	    diag)) != SECKEY_OK)
		return r;
	if ((r = meta_split(text, values, &handle, diag)) == SECKEY_OK)
		r = meta_fields(values, parts, diag);
	if (r == SECKEY_OK && handle != NULL)
		r = decode_field(handle, SECKEY_USER_HANDLE_MAX, "user handle",
		    &parts->handle, &parts->handle_len, diag);
	free(text);

	return r;
}

/*
 * The third field: our metadata, or FreeIPA's user handle (kept: it is
 * what a discoverable credential is signed in with, see
 * seckey_signin_usernameless()).  Without metadata the algorithm comes
 * from the key itself.
 */
static int
parse_extra(const char *text, struct value_parts *parts,
    struct seckey_diag *diag)
{
	unsigned char *bytes = NULL;
	size_t len = 0;
	int r;

	if (text == NULL)
		return alg_of_key(parts, diag);
	if ((r = decode_field(text, SECKEY_PASSKEY_VALUE_MAX,
	    "third field (metadata or user handle)", &bytes, &len,
	    diag)) != SECKEY_OK)
		return r;
	if (len >= sizeof(META_MAGIC) - 1 &&
	    memcmp(bytes, META_MAGIC, sizeof(META_MAGIC) - 1) == 0)
		r = parse_meta(bytes, len, parts, diag);
	else if (len > SECKEY_PASSKEY_USER_HANDLE_MAX) {
		seckey_diag_set(diag, NULL, 0, "passkey value: the user handle "
		    "must be 1 to %d bytes", SECKEY_PASSKEY_USER_HANDLE_MAX);
		r = SECKEY_ERR_SYNTAX;
	} else if ((r = alg_of_key(parts, diag)) == SECKEY_OK) {
		parts->handle = bytes;
		parts->handle_len = len;
		bytes = NULL;
		len = 0;
	}
	seckey_freezero(bytes, len);

	return r;
}

/* The fields of body (the value after "passkey:"), split in place. */
static int
parse_body(char *body, struct value_parts *parts, struct seckey_diag *diag)
{
	char *key_text, *extra = NULL;
	int r;

	if ((key_text = strchr(body, ',')) == NULL) {
		seckey_diag_set(diag, NULL, 0, "passkey value: no ',' between "
		    "the credential id and the public key");
		return SECKEY_ERR_SYNTAX;
	}
	*key_text++ = '\0';
	if ((extra = strchr(key_text, ',')) != NULL) {
		*extra++ = '\0';
		if (strchr(extra, ',') != NULL) {
			seckey_diag_set(diag, NULL, 0, "passkey value: more "
			    "than three fields");
			return SECKEY_ERR_SYNTAX;
		}
	}
	if ((r = decode_field(body, SECKEY_CRED_ID_MAX, "credential id",
	    &parts->cred_id, &parts->cred_id_len, diag)) != SECKEY_OK ||
	    (r = decode_field(key_text, SECKEY_PUBKEY_MAX, "public key",
	    &parts->der, &parts->der_len, diag)) != SECKEY_OK)
		return r;

	return parse_extra(extra, parts, diag);
}

/* The parts of one value; without metadata, the neutral fields. */
static int
parse_parts(const char *value, size_t len, struct value_parts *parts,
    struct seckey_diag *diag)
{
	char *copy = NULL;
	int r = SECKEY_ERR_SYNTAX;

	memset(parts, 0, sizeof(*parts));
	parts->transport = SECKEY_TRANSPORT_USB;
	parts->created = SECKEY_PASSKEY_CREATED_UNKNOWN;
	if (len > SECKEY_PASSKEY_VALUE_MAX) {
		seckey_diag_set(diag, NULL, 0, "passkey value: longer than %d "
		    "bytes", SECKEY_PASSKEY_VALUE_MAX);
		return SECKEY_ERR_TOOBIG;
	}
	if ((r = copy_text(value, len, "the value", &copy,
	    diag)) != SECKEY_OK)
		return r;
	if (len < PREFIX_LEN || memcmp(copy, SECKEY_PASSKEY_PREFIX,
	    PREFIX_LEN) != 0) {
		seckey_diag_set(diag, NULL, 0, "not a passkey value (it must "
		    "begin with \"%s\")", SECKEY_PASSKEY_PREFIX);
		free(copy);
		return SECKEY_ERR_SYNTAX;
	}
	r = parse_body(copy + PREFIX_LEN, parts, diag);
	free(copy);
	if (r != SECKEY_OK)
		parts_clear(parts);

	return r;
}

int
seckey_passkey_parse_value(const char *value, size_t len,
    struct seckey_key **keyp, bool *namedp, struct seckey_diag *diag)
{
	struct value_parts parts;
	struct seckey_key_info info;
	int r;

	if (value == NULL || keyp == NULL || namedp == NULL)
		return SECKEY_ERR_INVAL;
	*keyp = NULL;
	*namedp = false;
	if ((r = parse_parts(value, len, &parts, diag)) != SECKEY_OK)
		return r;
	memset(&info, 0, sizeof(info));
	info.name = parts.name != NULL ? parts.name : DEFAULT_NAME;
	info.cred_id = parts.cred_id;
	info.cred_id_len = parts.cred_id_len;
	info.pubkey_der = parts.der;
	info.pubkey_der_len = parts.der_len;
	info.alg = parts.alg;
	info.aaguid = parts.aaguid;
	info.transport = parts.transport;
	info.created = parts.created;
	info.user_handle = parts.handle;
	info.user_handle_len = parts.handle_len;
	if ((r = seckey_key_new(&info, keyp, diag)) == SECKEY_OK)
		*namedp = parts.name != NULL;
	parts_clear(&parts);

	return r;
}

int
seckey_passkey_parse(const char *value, size_t len, struct seckey_key **keyp,
    struct seckey_diag *diag)
{
	bool named;

	return seckey_passkey_parse_value(value, len, keyp, &named, diag);
}

/* The metadata text of key; *textp is the caller's to free(). */
static int
format_meta(const struct seckey_key *key, char **textp)
{
	char created[SECKEY_TIME_LEN], aaguid[SECKEY_AAGUID_TEXT_LEN];
	char *handle = NULL;
	int r;

	*textp = NULL;
	if (!seckey_key_name_valid(key->name) ||
	    seckey_time_format(key->created, created) != SECKEY_OK ||
	    !seckey_alg_known(key->alg) ||
	    !seckey_transport_known(key->transport) ||
	    key->user_handle_len > SECKEY_USER_HANDLE_MAX)
		return SECKEY_ERR_INVAL;
	seckey_aaguid_format(&key->aaguid, aaguid);
	if (key->user_handle_len > 0 && (r = seckey_base64_encode(
	    key->user_handle, key->user_handle_len, &handle)) != SECKEY_OK)
		return r;
	r = SECKEY_OK;
	if (asprintf(textp, "%s1\nname=%s\ncreated=%s\naaguid=%s\nalg=%s\n"
	    "transport=%s\n%s%s%s", META_MAGIC, key->name, created, aaguid,
	    seckey_alg_name(key->alg), seckey_transport_name(key->transport),
	    handle != NULL ? META_HANDLE "=" : "", handle != NULL ? handle : "",
	    handle != NULL ? "\n" : "") < 0) {
		*textp = NULL;
		r = SECKEY_ERR_NOMEM;
	}
	free(handle);

	return r;
}

int
seckey_passkey_format(const struct seckey_key *key, char **valuep)
{
	char *meta = NULL, *cred = NULL, *der = NULL, *extra = NULL;
	int r = SECKEY_ERR_INVAL;

	if (key == NULL || valuep == NULL)
		return r;
	*valuep = NULL;
	if (key->cred_id == NULL || key->cred_id_len < 1 ||
	    key->cred_id_len > SECKEY_CRED_ID_MAX || key->pubkey_der == NULL ||
	    key->pubkey_der_len < 1 || key->pubkey_der_len > SECKEY_PUBKEY_MAX)
		goto fail;
	if ((r = format_meta(key, &meta)) != SECKEY_OK ||
	    (r = seckey_base64_encode(key->cred_id, key->cred_id_len,
	    &cred)) != SECKEY_OK ||
	    (r = seckey_base64_encode(key->pubkey_der, key->pubkey_der_len,
	    &der)) != SECKEY_OK ||
	    (r = seckey_base64_encode((const unsigned char *)meta,
	    strlen(meta), &extra)) != SECKEY_OK)
		goto fail;
	r = SECKEY_ERR_NOMEM;
	if (asprintf(valuep, "%s%s,%s,%s", SECKEY_PASSKEY_PREFIX, cred, der,
	    extra) < 0) {
		*valuep = NULL;
		goto fail;
	}

	r = SECKEY_OK;
fail:
	free(meta);
	free(cred);
	free(der);
	free(extra);

	return r;
}
