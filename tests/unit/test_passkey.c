/*
 * test_passkey.c: SSSD/FreeIPA passkey mapping values: our values round
 * trip for every algorithm and for names full of separators, the plain
 * form SSSD and FreeIPA write is read with neutral fields, every kind of
 * malformed value is refused, and lists of values keep the key-list
 * rules.  Test keys are made here with OpenSSL; no key material is
 * committed.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seckey_base64.h"
#include "seckey_keylist.h"
#include "seckey_keylist_parse.h"
#include "seckey_passkey.h"
#include "seckey_time.h"
#include "tap.h"
#include "testkeys.h"

static const enum seckey_alg key_algs[] = {
	SECKEY_ALG_ES256, SECKEY_ALG_EDDSA, SECKEY_ALG_RS256,
};

static char *
cred_b64(int seed)
{
	char *text = NULL;

	if (seckey_base64_encode(cred_of(seed, 64), 64, &text) != SECKEY_OK)
		exit(99);
	return text;
}

static struct seckey_key *
key_of(const char *name, int seed, int key)
{
	struct seckey_key_info info = info_of(name, seed, key, key_algs[key]);
	struct seckey_key *k = NULL;

	/* Not the default, so that a round trip shows it is kept. */
	info.transport = SECKEY_TRANSPORT_NFC;
	if (seckey_key_new(&info, &k, NULL) != SECKEY_OK)
		exit(99);
	return k;
}

/* A value as SSSD and FreeIPA write it: id and key only, or a user handle. */
static char *
plain_value(int seed, int key, const char *extra)
{
	char *cred = cred_b64(seed), *value = NULL;

	if (asprintf(&value, "passkey:%s,%s%s%s", cred, der_b64[key],
	    extra != NULL ? "," : "", extra != NULL ? extra : "") < 0)
		exit(99);
	free(cred);
	return value;
}

/* A value of ours whose metadata text is meta (base64-encoded here). */
static char *
meta_value(int seed, int key, const char *meta, size_t meta_len)
{
	char *extra = NULL, *value;

	if (seckey_base64_encode((const unsigned char *)meta, meta_len,
	    &extra) != SECKEY_OK)
		exit(99);
	value = plain_value(seed, key, extra);
	free(extra);
	return value;
}

/* "passkey:" and three fields of the base64 alphabet. */
static int
shape_ok(const char *value)
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/=";
	const char *field = value + 8;
	int fields = 0;
	size_t n;

	if (strncmp(value, SECKEY_PASSKEY_PREFIX, 8) != 0)
		return 0;
	for (;;) {
		n = strspn(field, b64);
		fields++;
		if (n == 0 || (field[n] != ',' && field[n] != '\0'))
			return 0;
		if (field[n] == '\0')
			return fields == 3;
		field += n + 1;
	}
}

static void
round_trip(const char *name, int key)
{
	struct seckey_key *k = key_of(name, 7, key), *back = NULL;
	char *value = NULL, *again = NULL;
	struct seckey_diag diag;
	int r;

	seckey_diag_clear(&diag);
	is_int(seckey_passkey_format(k, &value), SECKEY_OK,
	    "%s, \"%s\": formatted", seckey_alg_name(k->alg), name);
	r = seckey_passkey_parse(value, strlen(value), &back, &diag);
	if (!is_int(r, SECKEY_OK, "%s, \"%s\": parsed back",
	    seckey_alg_name(k->alg), name))
		note("%s", diag.msg);
	ok(back != NULL && same_key(k, back), "%s, \"%s\": every field kept",
	    seckey_alg_name(k->alg), name);
	if (back != NULL && seckey_passkey_format(back, &again) == SECKEY_OK)
		is_str(again, value, "%s, \"%s\": the same value again",
		    seckey_alg_name(k->alg), name);
	else
		ok(0, "formatted again");
	ok(value != NULL && shape_ok(value), "%s, \"%s\": three base64 "
	    "fields, as FreeIPA requires", seckey_alg_name(k->alg), name);
	free(value);
	free(again);
	seckey_key_free(&k);
	seckey_key_free(&back);
}

static void
test_round_trip(void)
{
	static const char *const names[] = {
		"Blue key", "a, b, c", "it's `quoted' «here»", "x=y;z=w",
		"passkey:a,b", "Schlüssel Ключ 鍵 🔑", "$HOME ${x} 100%",
		"=;,", "Security key 1",
	};
	size_t i;
	int key;

	for (key = ES256; key <= RS256; key++)
		round_trip("Blue key", key);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		round_trip(names[i], ES256);
}

/* What a value from SSSD or FreeIPA becomes. */
static void
check_plain(const char *value, enum seckey_alg alg, const char *what)
{
	struct seckey_aaguid zero;
	struct seckey_key *k = NULL;
	struct seckey_diag diag;
	int r;

	memset(&zero, 0, sizeof(zero));
	seckey_diag_clear(&diag);
	r = seckey_passkey_parse(value, strlen(value), &k, &diag);
	if (!is_int(r, SECKEY_OK, "%s: parsed", what) || k == NULL) {
		note("%s", diag.msg);
		return;
	}
	is_str(k->name, "Security key 1", "%s: a generated name", what);
	is_int(k->alg, alg, "%s: the algorithm of its key", what);
	ok(seckey_aaguid_equal(&k->aaguid, &zero), "%s: model unknown", what);
	is_int((long)k->created, 0, "%s: created unknown (1970)", what);
	is_int(k->transport, SECKEY_TRANSPORT_USB, "%s: transport usb", what);
	ok(k->cred_id_len == 64 && memcmp(k->cred_id, cred_of(3, 64),
	    64) == 0, "%s: the credential id", what);
	seckey_key_free(&k);
}

static void
test_plain(void)
{
	struct seckey_keylist *list = NULL;
	struct seckey_key *k = NULL;
	char *value, *text = NULL;
	size_t len = 0;
	bool named = true;

	value = plain_value(3, ES256, NULL);
	check_plain(value, SECKEY_ALG_ES256, "SSSD's form, es256");
	is_int(seckey_passkey_parse_value(value, strlen(value), &k, &named,
	    NULL), SECKEY_OK, "parse_value");
	ok(!named, "parse_value: the value carried no name");
	seckey_key_free(&k);
	/* A key without metadata can be written as a key-list file. */
	is_int(seckey_passkey_parse_lines(value, strlen(value), 10, &list,
	    NULL), SECKEY_OK, "one line");
	is_int(seckey_keylist_format(list, "alice", &text, &len, NULL),
	    SECKEY_OK, "written as a key list");
	seckey_keylist_free(&list);
	is_int(seckey_keylist_parse(text, len, "keys", 10, &list, NULL),
	    SECKEY_OK, "and read back");
	ok(list != NULL && list->count == 1 &&
	    strcmp(list->keys[0]->name, "Security key 1") == 0,
	    "the key list holds it");
	seckey_keylist_free(&list);
	free(text);
	free(value);

	value = plain_value(3, EDDSA, NULL);
	check_plain(value, SECKEY_ALG_EDDSA, "SSSD's form, eddsa");
	free(value);
	value = plain_value(3, RS256, NULL);
	check_plain(value, SECKEY_ALG_RS256, "SSSD's form, rs256");
	free(value);
	/* FreeIPA: a discoverable credential's user handle, 32 bytes. */
	value = plain_value(3, ES256,
	    "P6GjSqAo+RoQRJhGFA3lKcvtpKTGETjCdtVIyLX0KcY=");
	check_plain(value, SECKEY_ALG_ES256, "FreeIPA's form with a user id");
	free(value);
}

/* A discoverable credential's user handle, ours and FreeIPA's. */
static void
test_user_handle(void)
{
	static const unsigned char handle[32] = { 0x3f, 0xa1, 0xa3, 0x4a, 1 };
	struct seckey_key_info info = info_of("Desk key", 5, ES256,
	    SECKEY_ALG_ES256);
	struct seckey_key *k = NULL, *back = NULL;
	char *value = NULL;

	info.user_handle = handle;
	info.user_handle_len = sizeof(handle);
	if (seckey_key_new(&info, &k, NULL) != SECKEY_OK)
		exit(99);
	is_int(seckey_passkey_format(k, &value), SECKEY_OK,
	    "a key with a user handle is formatted");
	is_int(value != NULL ? seckey_passkey_parse(value, strlen(value), &back,
	    NULL) : -1, SECKEY_OK, "and parsed back");
	ok(back != NULL && same_key(k, back), "with its user handle");
	seckey_key_free(&back);
	free(value);
	value = plain_value(3, ES256,
	    "P6GjSqAo+RoQRJhGFA3lKcvtpKTGETjCdtVIyLX0KcY=");
	is_int(seckey_passkey_parse(value, strlen(value), &back, NULL),
	    SECKEY_OK, "FreeIPA's value with a user id");
	ok(back != NULL && back->user_handle_len == 32 &&
	    back->user_handle[0] == 0x3f, "keeps it as the user handle");
	seckey_key_free(&back);
	free(value);
	seckey_key_free(&k);
}

static void
refused(const char *value, size_t len, int want, const char *what)
{
	struct seckey_key *k = NULL;
	struct seckey_diag diag;

	seckey_diag_clear(&diag);
	is_int(seckey_passkey_parse(value, len, &k, &diag), want,
	    "refused: %s", what);
	ok(k == NULL && diag.msg[0] != '\0' && strchr(diag.msg, '\n') ==
	    NULL && strchr(diag.msg, '\033') == NULL, "%s: %s", what,
	    diag.msg);
}

static void
refused_str(const char *value, const char *what)
{
	refused(value, strlen(value), SECKEY_ERR_SYNTAX, what);
}

static void
refused_meta(const char *meta, const char *what)
{
	char *value = meta_value(1, ES256, meta, strlen(meta));

	refused_str(value, what);
	free(value);
}

#define GOOD_META \
	"seckey=1\nname=Blue key\ncreated=2026-11-26T08:00:00Z\n" \
	"aaguid=2fc0579f-8113-47ea-b116-bb5a8db9202a\nalg=es256\n" \
	"transport=usb\n"

/* A value put together from parts; NULL id: a good one, key: its index. */
struct bad_value {
	const char	*prefix;
	const char	*id;
	const char	*sep;
	const char	*key_text;	/* or NULL for der_b64[key] */
	int		 key;
	const char	*what;
};

static const struct bad_value bad_values[] = {
	{ "", NULL, ",", NULL, ES256, "no passkey: prefix" },
	{ "PASSKEY:", NULL, ",", NULL, ES256, "prefix in capitals" },
	{ "passkey:", NULL, "", NULL, ES256, "no comma" },
	{ "passkey:", NULL, ", ", NULL, ES256, "a space after the comma" },
	{ "passkey:", "", ",", NULL, ES256, "empty credential id" },
	{ "passkey:", "AAA*", ",", NULL, ES256, "bad base64 in the id" },
	{ "passkey:", NULL, ",", "MFkw", ES256, "public key not an SPKI" },
	{ "passkey:", NULL, ",", NULL, P384, "a P-384 key" },
	{ "passkey:", NULL, ",", NULL, RSA1024, "an RSA 1024 key" },
	{ "passkey:", NULL, ",,", NULL, ES256, "an empty public key field" },
	{ " passkey:", NULL, ",", NULL, ES256, "a leading space" },
};

static void
test_malformed_fields(void)
{
	const struct bad_value *b;
	char *cred = cred_b64(1), *value = NULL, *big;
	size_t i;

	for (i = 0; i < sizeof(bad_values) / sizeof(bad_values[0]); i++) {
		b = &bad_values[i];
		if (asprintf(&value, "%s%s%s%s", b->prefix, b->id != NULL ?
		    b->id : cred, b->sep, b->key_text != NULL ? b->key_text :
		    der_b64[b->key]) < 0)
			exit(99);
		refused_str(value, b->what);
		free(value);
	}
	free(cred);

	value = plain_value(1, ES256, ",");
	refused_str(value, "a fourth field");
	free(value);
	value = plain_value(1, ES256, NULL);
	refused(value, strlen(value) + 1, SECKEY_ERR_SYNTAX, "a NUL inside");
	free(value);
	if ((big = malloc(SECKEY_PASSKEY_VALUE_MAX + 2)) == NULL)
		exit(99);
	memset(big, 'A', SECKEY_PASSKEY_VALUE_MAX + 1);
	memcpy(big, "passkey:", 8);
	big[SECKEY_PASSKEY_VALUE_MAX + 1] = '\0';
	refused(big, strlen(big), SECKEY_ERR_TOOBIG, "over 4 KiB");
	free(big);
}

static void
test_malformed_meta(void)
{
	char *value;

	struct seckey_key *k = NULL;

	value = meta_value(1, ES256, GOOD_META, strlen(GOOD_META));
	is_int(seckey_passkey_parse(value, strlen(value), &k, NULL), SECKEY_OK,
	    "(control) the metadata as we write it");
	seckey_key_free(&k);
	free(value);
	refused_meta(GOOD_META "x=y\n", "a seventh metadata line");
	refused_meta(GOOD_META "\n", "a blank line after the metadata");
	/* The seventh line, user_handle=, of a discoverable credential. */
	refused_meta(GOOD_META "user_handle=\n", "an empty user handle");
	refused_meta(GOOD_META "user_handle=not base64!\n",
	    "a user handle that is not base64");
	refused_meta(GOOD_META "user_handle=-_8=\n",
	    "a user handle in URL-safe base64");
	refused_meta(GOOD_META "user_handle=AAE=\nuser_handle=AAE=\n",
	    "the user handle line twice");
	refused_meta(GOOD_META "user_handle=AAE=", "the user handle line without "
	    "its LF");
	refused_meta(GOOD_META "user_handle=AAE=\r\n", "the user handle line "
	    "ended by CRLF");
	refused_meta(GOOD_META "userhandle=AAE=\n", "a misspelled user_handle");
	refused_meta(GOOD_META "user_handle=AAE=\nx=y\n", "an eighth line");
	refused_meta("user_handle=AAE=\n" GOOD_META, "the user handle line "
	    "first");
	refused_meta("seckey=1\nname=Blue key\ncreated=2026-11-26T08:00:00Z\n"
	    "aaguid=2fc0579f-8113-47ea-b116-bb5a8db9202a\nalg=es256\n"
	    "transport=usb", "the last line without its LF");
	refused_meta("seckey=2\nname=Blue key\ncreated=2026-11-26T08:00:00Z\n"
	    "aaguid=2fc0579f-8113-47ea-b116-bb5a8db9202a\nalg=es256\n"
	    "transport=usb\n", "version 2");
	refused_meta("seckey=1\ncreated=2026-11-26T08:00:00Z\nname=Blue key\n"
	    "aaguid=2fc0579f-8113-47ea-b116-bb5a8db9202a\nalg=es256\n"
	    "transport=usb\n", "lines out of order");
	refused_meta("seckey=1\nname=Blue key\ncreated=2026-11-26T08:00:00Z\n"
	    "aaguid=2fc0579f-8113-47ea-b116-bb5a8db9202a\nalg=eddsa\n"
	    "transport=usb\n", "alg does not match the key");
	refused_meta("seckey=1\nname= Blue key\ncreated=2026-11-26T08:00:00Z\n"
	    "aaguid=2fc0579f-8113-47ea-b116-bb5a8db9202a\nalg=es256\n"
	    "transport=usb\n", "a name with a leading space");
	refused_meta("seckey=1\nname=Blue\033[31m\n"
	    "created=2026-11-26T08:00:00Z\n"
	    "aaguid=2fc0579f-8113-47ea-b116-bb5a8db9202a\nalg=es256\n"
	    "transport=usb\n", "a name with ESC");
	refused_meta("seckey=1\nname=Blue key\ncreated=yesterday\n"
	    "aaguid=2fc0579f-8113-47ea-b116-bb5a8db9202a\nalg=es256\n"
	    "transport=usb\n", "a bad time");
	refused_meta("seckey=1\nname=Blue key\ncreated=2026-11-26T08:00:00Z\n"
	    "aaguid=2FC0579F-8113-47ea-b116-bb5a8db9202a\nalg=es256\n"
	    "transport=usb\n", "an AAGUID in capitals");
	refused_meta("seckey=1\nname=Blue key\ncreated=2026-11-26T08:00:00Z\n"
	    "aaguid=2fc0579f-8113-47ea-b116-bb5a8db9202a\nalg=es256\n"
	    "transport=ble\n", "transport ble");
	value = meta_value(1, ES256, GOOD_META "\0", sizeof(GOOD_META));
	refused_str(value, "a NUL after the metadata");
	free(value);
	value = plain_value(1, ES256, "not base64!");
	refused_str(value, "a third field that is not base64");
	free(value);
	value = meta_value(1, ES256, "0123456789012345678901234567890123456789"
	    "0123456789012345678901234", 65);
	refused_str(value, "a user handle of 65 bytes");
	free(value);
}

/* Lines of values; the list, or NULL with the code and the line. */
static struct seckey_keylist *
lines(const char *text, unsigned int max_keys, int want, int want_line,
    const char *what)
{
	struct seckey_keylist *list = NULL;
	struct seckey_diag diag;

	seckey_diag_clear(&diag);
	is_int(seckey_passkey_parse_lines(text, strlen(text), max_keys,
	    &list, &diag), want, "lines: %s", what);
	if (want != SECKEY_OK)
		ok(list == NULL && diag.line == want_line,
		    "lines: %s: nothing, at line %d (%s)", what, diag.line,
		    diag.msg);
	return list;
}

static char *
join(char *const *values, size_t n, const char *sep)
{
	char *text = NULL, *next;
	size_t i;

	for (i = 0; i < n; i++) {
		if (asprintf(&next, "%s%s%s", text != NULL ? text : "",
		    values[i], sep) < 0)
			exit(99);
		free(text);
		text = next;
	}
	return text;
}

static void
test_lines(void)
{
	struct seckey_keylist *list;
	struct seckey_key *named = key_of("Security key 1", 2, ES256);
	char *values[11], *text;
	size_t i;

	for (i = 0; i < 11; i++)
		values[i] = plain_value((int)i + 10, ES256, NULL);
	free(values[1]);
	if (seckey_passkey_format(named, &values[1]) != SECKEY_OK)
		exit(99);
	seckey_key_free(&named);

	if (asprintf(&text, "\n%s\r\n  \n\r\n%s\n%s", values[0], values[1],
	    values[2]) < 0)
		exit(99);
	list = lines(text, 10, SECKEY_OK, 0, "blank lines, CRLF, no last LF");
	ok(list != NULL && list->count == 3, "lines: three keys");
	if (list != NULL && list->count == 3) {
		is_str(list->keys[0]->name, "Security key 2",
		    "lines: a generated name avoids a later named key");
		is_str(list->keys[1]->name, "Security key 1",
		    "lines: the named key keeps its name");
		is_str(list->keys[2]->name, "Security key 3",
		    "lines: the next generated name");
	}
	seckey_keylist_free(&list);
	free(text);

	list = lines("", 10, SECKEY_OK, 0, "empty text");
	ok(list != NULL && list->count == 0, "lines: empty list");
	seckey_keylist_free(&list);

	text = join(values, 10, "\n");
	list = lines(text, 10, SECKEY_OK, 0, "10 values, max 10");
	seckey_keylist_free(&list);
	free(text);
	text = join(values, 11, "\n");
	lines(text, 10, SECKEY_ERR_TOOMANY, 11, "11 values, max 10");
	free(text);

	if (asprintf(&text, "%s\n%s\n%s\n", values[0], values[3],
	    values[0]) < 0)
		exit(99);
	lines(text, 10, SECKEY_ERR_DUP_CRED, 3, "the same id twice");
	free(text);
	if (asprintf(&text, "%s\n\n%s\n", values[1], values[1]) < 0)
		exit(99);
	lines(text, 10, SECKEY_ERR_DUP_NAME, 3, "the same value twice");
	free(text);
	if (asprintf(&text, "%s\nkey \"x\" {\n", values[0]) < 0)
		exit(99);
	lines(text, 10, SECKEY_ERR_SYNTAX, 2, "a key-list line");
	free(text);
	if (asprintf(&text, "%s\r\r\n", values[0]) < 0)
		exit(99);
	lines(text, 10, SECKEY_ERR_SYNTAX, 1, "a stray CR");
	free(text);
	for (i = 0; i < 11; i++)
		free(values[i]);
}

static void
test_same_name(void)
{
	struct seckey_key *a = key_of("Blue key", 4, ES256);
	struct seckey_key *b = key_of("Blue key", 5, EDDSA);
	char *va = NULL, *vb = NULL, *text = NULL;

	if (seckey_passkey_format(a, &va) != SECKEY_OK ||
	    seckey_passkey_format(b, &vb) != SECKEY_OK ||
	    asprintf(&text, "%s\n%s\n", va, vb) < 0)
		exit(99);
	lines(text, 10, SECKEY_ERR_DUP_NAME, 2, "two keys, one name");
	free(text);
	free(va);
	free(vb);
	seckey_key_free(&a);
	seckey_key_free(&b);
}

static void
test_values(void)
{
	struct seckey_keylist *list = NULL;
	struct seckey_diag diag;
	const char *vals[4];
	size_t lens[4], i;
	char *a = plain_value(20, ES256, NULL), *b = plain_value(21, EDDSA,
	    NULL), *caps;

	vals[0] = "X509:<I>DC=com,DC=example<S>CN=alice";
	vals[1] = a;
	vals[2] = "ssh-ed25519:AAAA";
	vals[3] = b;
	for (i = 0; i < 4; i++)
		lens[i] = strlen(vals[i]);
	seckey_diag_clear(&diag);
	is_int(seckey_passkey_parse_values(vals, lens, 4, 10, &list, &diag),
	    SECKEY_OK, "values: other mapping kinds skipped");
	ok(list != NULL && list->count == 2 &&
	    strcmp(list->keys[1]->name, "Security key 2") == 0 &&
	    list->keys[1]->alg == SECKEY_ALG_EDDSA, "values: two keys");
	seckey_keylist_free(&list);

	/* Not NUL-terminated: the length alone counts. */
	lens[1] = strlen(a) - 2;
	is_int(seckey_passkey_parse_values(vals, lens, 2, 10, &list, &diag),
	    SECKEY_ERR_SYNTAX, "values: a value cut short");
	has_str(diag.msg, "value 2:", "values: the diagnostic names it");
	ok(list == NULL, "values: nothing");

	if ((caps = strdup(a)) == NULL)
		exit(99);
	memcpy(caps, "PassKey", 7);
	vals[0] = caps;
	lens[0] = strlen(caps);
	is_int(seckey_passkey_parse_values(vals, lens, 1, 10, &list, &diag),
	    SECKEY_ERR_SYNTAX, "values: PassKey: is not skipped but refused");
	vals[0] = "garbage";
	lens[0] = 7;
	is_int(seckey_passkey_parse_values(vals, lens, 1, 10, &list, &diag),
	    SECKEY_ERR_SYNTAX, "values: a value without ':' refused");
	vals[0] = a;
	vals[1] = a;
	lens[0] = lens[1] = strlen(a);
	is_int(seckey_passkey_parse_values(vals, lens, 2, 10, &list, &diag),
	    SECKEY_ERR_DUP_CRED, "values: the same id twice");
	is_int(seckey_passkey_parse_values(vals, lens, 2, 1, &list, &diag),
	    SECKEY_ERR_TOOMANY, "values: two values, max 1");
	is_int(seckey_passkey_parse_values(NULL, NULL, 0, 10, &list, &diag),
	    SECKEY_OK, "values: none");
	seckey_keylist_free(&list);
	free(caps);
	free(a);
	free(b);
}

int
main(void)
{
	make_keys();

	test_round_trip();
	test_plain();
	test_user_handle();
	test_malformed_fields();
	test_malformed_meta();
	test_lines();
	test_same_name();
	test_values();

	free_keys();

	return done();
}
