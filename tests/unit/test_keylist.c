/*
 * test_keylist.c: key lists: the documented format, a write-read round
 * trip, and every way a list is refused as a whole.  Test keys are made
 * here with OpenSSL; no key material is committed.
 */
#include <config.h>

#include <sys/stat.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "pubkey_evp.h"
#include "seckey_base64.h"
#include "seckey_keylist.h"
#include "seckey_keylist_parse.h"
#include "seckey_pubkey.h"
#include "seckey_time.h"
#include "tap.h"
#include "testkeys.h"
#include "testutil.h"

static const char aaguid_text[] = TEST_AAGUID;
static const char created_text[] = TEST_CREATED;

/* One key section, in the documented layout, with one field replaced. */
static char *
section(const char *name, int seed, int key, const char *alg,
    const char *field, const char *value)
{
	char *cred = NULL, *text = NULL;

	seckey_base64_encode(cred_of(seed, 64), 64, &cred);
	if (asprintf(&text, "key \"%s\" {\n"
	    "  credential = \"%s\"\n"
	    "  public_key = \"%s\"\n"
	    "  algorithm  = \"%s\"\n"
	    "  aaguid     = \"%s\"\n"
	    "  transport  = \"usb\"\n"
	    "  created    = \"%s\"\n"
	    "}\n", name, cred, der_b64[key], alg, aaguid_text,
	    created_text) < 0)
		exit(99);
	free(cred);
	if (field != NULL) {
		/* Replace the line of that field (value NULL: drop it). */
		char *start = strstr(text, field), *end, *out = NULL;

		end = strchr(start, '\n') + 1;
		*start = '\0';
		if (asprintf(&out, "%s%s%s%s%s", text, value ? field : "",
		    value ? " = " : "", value ? value : "",
		    value ? "\n" : "") < 0)
			exit(99);
		if (asprintf(&start, "%s%s", out, end) < 0)
			exit(99);
		free(out);
		free(text);
		text = start;
	}

	return text;
}

static int
parse(const char *text, unsigned int max_keys, struct seckey_keylist **list,
    struct seckey_diag *diag)
{
	seckey_diag_clear(diag);
	return seckey_keylist_parse(text, strlen(text), "keys.conf", max_keys,
	    list, diag);
}

static struct seckey_keylist *
three_keys(void)
{
	struct seckey_keylist *list = seckey_keylist_new();
	struct seckey_key_info info;
	struct seckey_diag diag;
	int r = 0;

	info = info_of("Blue key", 1, ES256, SECKEY_ALG_ES256);
	r |= seckey_keylist_add(list, 10, &info, &diag);
	info = info_of("Cl\xc3\xa9 \xf0\x9f\x94\x91 $HOME ${X} 100%", 2,
	    EDDSA, SECKEY_ALG_EDDSA);
	info.transport = SECKEY_TRANSPORT_NFC;
	r |= seckey_keylist_add(list, 10, &info, &diag);
	info = info_of("Backup", 3, RS256, SECKEY_ALG_RS256);
	info.created = 0;
	r |= seckey_keylist_add(list, 10, &info, &diag);
	if (r != 0) {
		fprintf(stderr, "cannot build a list: %s\n", diag.msg);
		exit(99);
	}

	return list;
}

/* Do a and b hold the same public key? */
static void
test_round_trip(void)
{
	struct seckey_keylist *list = three_keys(), *back = NULL;
	struct seckey_diag diag;
	char *text = NULL, *again = NULL;
	size_t len, len2, i, same = 0;

	is_int(seckey_keylist_format(list, "alice", &text, &len, &diag),
	    SECKEY_OK, "format a list of three keys");
	ok(strncmp(text, "# Security keys of alice. Written by seckey; safe "
	    "to read, careful to edit.\nkey \"Blue key\" {\n  credential = \"",
	    100) == 0, "the documented header and first line");
	has_str(text, "\"\n  algorithm  = \"es256\"        # es256 | eddsa | "
	    "rs256\n  aaguid     = \"2fc0579f-8113-47ea-b116-bb5a8db9202a\"\n"
	    "  transport  = \"usb\"          # usb | nfc\n  created    = "
	    "\"2026-11-26T08:00:00Z\"\n}\n", "the documented field lines");
	has_str(text, "\\x24HOME \\x24{X}", "'$' is written escaped, as \\\\x24");
	is_int(parse(text, 10, &back, &diag), SECKEY_OK, "parse it back");
	for (i = 0; back != NULL && i < 3 && i < back->count; i++)
		same += same_key(list->keys[i], back->keys[i]);
	is_int((long)same, 3, "every field of every key survives");
	is_int(seckey_keylist_format(back, "alice", &again, &len2, &diag),
	    SECKEY_OK, "format it again");
	ok(len == len2 && strcmp(text, again) == 0, "byte for byte the same");
	free(text);
	free(again);
	seckey_keylist_free(&back);
	seckey_keylist_free(&list);
	ok(list == NULL, "free sets the pointer to NULL");
}

/* The user handle of a discoverable credential: written, read back. */
static void
test_user_handle(void)
{
	static const unsigned char handle[32] = { 0xfb, 0xff, 0, 7 };
	struct seckey_keylist *list = seckey_keylist_new(), *back = NULL;
	struct seckey_key_info info = info_of("Desk key", 4, ES256,
	    SECKEY_ALG_ES256);
	struct seckey_diag diag;
	char *text = NULL;
	size_t len;

	info.user_handle = handle;
	info.user_handle_len = sizeof(handle);
	is_int(seckey_keylist_add(list, 10, &info, &diag), SECKEY_OK,
	    "a discoverable key is added");
	is_int(seckey_keylist_format(list, "alice", &text, &len, &diag),
	    SECKEY_OK, "and formatted");
	has_str(text, "  user_handle = \"+/8ABwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	    "AAAA=\"    # discoverable\n}\n", "its user_handle line ends it");
	is_int(parse(text, 10, &back, &diag), SECKEY_OK, "parsed back");
	ok(back != NULL && back->count == 1 && same_key(list->keys[0],
	    back->keys[0]), "with the same user handle");
	seckey_keylist_free(&back);
	free(text);
	info.user_handle_len = 65;
	is_int(seckey_keylist_add(list, 10, &info, &diag), SECKEY_ERR_SYNTAX,
	    "a user handle of 65 bytes is refused");
	seckey_keylist_free(&list);
}

/* Lock, write and unlock in one go, as seckey does under its lock. */
static int
keylist_save(const char *path, const struct seckey_user *user,
    const struct seckey_keylist *list, int flags, struct seckey_diag *diag)
{
	struct seckey_lock *lock = NULL;
	int r;

	if (user == NULL)
		return SECKEY_ERR_INVAL;
	if ((r = seckey_file_lock(path, user, flags, &lock, diag)) != SECKEY_OK)
		return r;
	r = seckey_keylist_write(lock, list, user->name, diag);
	seckey_file_unlock(&lock);

	return r;
}

static void
test_files(void)
{
	struct seckey_keylist *list = three_keys(), *back = NULL;
	struct seckey_user user = { "tester", 0, 0, NULL };
	struct seckey_diag diag;
	char *home = scratch_new(), path[PATH_MAX + 64];
	struct stat st;

	user.uid = getuid();
	user.gid = getgid();
	user.home = home;
	snprintf(path, sizeof(path), "%s/.config/seckey/keys.conf", home);
	is_int(seckey_keylist_read(path, &user, 10, &back, &diag),
	    SECKEY_ERR_NOENT, "no list yet: NOENT");
	is_int(keylist_save(path, &user, list, SECKEY_FILE_MKDIR,
	    &diag), SECKEY_OK, "save a list");
	ok(stat(path, &st) == 0 && (st.st_mode & 07777) == 0600,
	    "mode 0600");
	is_int(seckey_keylist_read(path, &user, 10, &back, &diag), SECKEY_OK,
	    "read it back");
	ok(back != NULL && back->count == 3 &&
	    same_key(list->keys[1], back->keys[1]), "the same keys");
	seckey_keylist_free(&back);
	is_int(seckey_keylist_read(path, &user, 2, &back, &diag),
	    SECKEY_ERR_TOOMANY, "more keys than max_keys are refused");
	chmod(path, 0660);
	is_int(seckey_keylist_read(path, &user, 10, &back, &diag),
	    SECKEY_ERR_PERM, "a group-writable list is refused");
	ok(back == NULL, "and gives no list");
	seckey_keylist_free(&list);
	scratch_remove(&home);
}

static void
test_too_many(void)
{
	struct seckey_keylist *list = NULL;
	struct seckey_key_info info;
	struct seckey_diag diag;
	char *text = strdup(""), *sec, *joined, name[16];
	int i, r = 0;

	for (i = 0; i < 11; i++) {
		snprintf(name, sizeof(name), "Key %d", i + 1);
		sec = section(name, i + 1, ES256, "es256", NULL, NULL);
		if (asprintf(&joined, "%s%s", text, sec) < 0)
			exit(99);
		free(text);
		free(sec);
		text = joined;
		if (i == 9) {
			is_int(parse(text, 10, &list, &diag), SECKEY_OK,
			    "10 keys are fine");
			seckey_keylist_free(&list);
		}
	}
	is_int(parse(text, 10, &list, &diag), SECKEY_ERR_TOOMANY,
	    "11 keys are refused");
	ok(list == NULL, "as a whole");
	has_str(diag.msg, "more than 10 keys", "with a clear message");
	is_int(parse(text, 50, &list, &diag), SECKEY_ERR_TOOMANY,
	    "whatever max_keys says, 10 is the ceiling");
	free(text);

	list = seckey_keylist_new();
	for (i = 0; i < 10; i++) {
		snprintf(name, sizeof(name), "Key %d", i + 1);
		info = info_of(name, i + 1, ES256, SECKEY_ALG_ES256);
		r |= seckey_keylist_add(list, 10, &info, &diag);
	}
	is_int(r, SECKEY_OK, "add 10 keys");
	info = info_of("Eleven", 11, ES256, SECKEY_ALG_ES256);
	is_int(seckey_keylist_add(list, 10, &info, &diag), SECKEY_ERR_TOOMANY,
	    "an 11th is refused");
	is_int((long)list->count, 10, "the list is unchanged");
	seckey_keylist_free(&list);
}

static void
test_duplicates(void)
{
	struct seckey_keylist *list = NULL;
	struct seckey_diag diag;
	char *a = section("Blue", 1, ES256, "es256", NULL, NULL);
	char *b = section("Blue", 2, ES256, "es256", NULL, NULL);
	char *c = section("Red", 1, ES256, "es256", NULL, NULL);
	char *text;

	if (asprintf(&text, "%s%s", a, b) < 0)
		exit(99);
	is_int(parse(text, 10, &list, &diag), SECKEY_ERR_DUP_NAME,
	    "a name used twice is refused");
	has_str(diag.msg, "\"Blue\" is used twice", "and named");
	free(text);
	if (asprintf(&text, "%skey \"Blue\" {\n}\n", a) < 0)
		exit(99);
	is_int(parse(text, 10, &list, &diag), SECKEY_ERR_DUP_NAME,
	    "so is a second, empty section of the same name");
	free(text);
	if (asprintf(&text, "%s%s", a, c) < 0)
		exit(99);
	is_int(parse(text, 10, &list, &diag), SECKEY_ERR_DUP_CRED,
	    "a credential used twice is refused");
	has_str(diag.msg, "already registered", "and named");
	ok(list == NULL, "no list");
	free(text);
	free(a);
	free(b);
	free(c);
}

struct bad_field {
	const char	*field;
	const char	*value;		/* NULL: leave the field out */
	int		 key;
	const char	*alg;
	int		 line;		/* 0: the closing brace */
	const char	*says;
};

static const struct bad_field bad_fields[] = {
	{ "  credential", "\"not base64!\"", ES256, "es256", 2, "base64" },
	{ "  credential", "\"Zm9v\n\"", ES256, "es256", 3, "base64" },
	{ "  credential", "\"Zh==\"", ES256, "es256", 2, "base64" },
	{ "  credential", "\"\"", ES256, "es256", 2, "1 to 1023" },
	{ "  public_key", "\"aGVsbG8=\"", ES256, "es256", 0, "DER" },
	{ "  public_key", "\"@@@@\"", ES256, "es256", 3, "base64" },
	{ NULL, NULL, EDDSA, "es256", 0, "P-256" },
	{ NULL, NULL, P384, "es256", 0, "P-256" },
	{ NULL, NULL, ES256, "eddsa", 0, "Ed25519" },
	{ NULL, NULL, ES256, "rs256", 0, "RSA" },
	{ NULL, NULL, RSA1024, "rs256", 0, "2048" },
	{ "  algorithm ", "\"ES256\"", ES256, "es256", 4, "es256" },
	{ "  aaguid    ", "\"2FC0579F-8113-47EA-B116-BB5A8DB9202A\"", ES256,
	    "es256", 5, "lowercase UUID" },
	{ "  transport ", "\"ble\"", ES256, "es256", 6, "usb" },
	{ "  created   ", "\"2026-11-26 08:00:00\"", ES256, "es256", 7,
	    "UTC time" },
	{ "  created   ", "\"2026-11-26T08:00:00Z\"\n  created = "
	    "\"2026-11-26T08:00:00Z\"", ES256, "es256", 8, "twice" },
	{ "  created   ", NULL, ES256, "es256", 0, "created is missing" },
	{ "  created   ", "\"2026-11-26T08:00:00Z\"\n  color = \"blue\"",
	    ES256, "es256", 8, "color" },
	{ "  created   ", "\"2026-11-26T08:00:00Z\"\n  key \"x\" {}", ES256,
	    "es256", 8, "key" },
	{ "  aaguid    ", "\"${AAGUID}\"", ES256, "es256", 5, "environment" },
	/* The user handle of a discoverable credential: 1 to 64 bytes. */
	{ "  created   ", "\"2026-11-26T08:00:00Z\"\n  user_handle = \"\"",
	    ES256, "es256", 8, "1 to 64 bytes" },
	{ "  created   ", "\"2026-11-26T08:00:00Z\"\n  user_handle = "
	    "\"" "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAA=\"", ES256, "es256", 8, "1 to 64 bytes" },
	{ "  created   ", "\"2026-11-26T08:00:00Z\"\n  user_handle = "
	    "\"not base64!\"", ES256, "es256", 8, "base64" },
	{ "  created   ", "\"2026-11-26T08:00:00Z\"\n  user_handle = "
	    "\"-_8=\"", ES256, "es256", 8, "base64" },
	{ "  created   ", "\"2026-11-26T08:00:00Z\"\n  user_handle = \"AAE=\""
	    "\n  user_handle = \"AAE=\"", ES256, "es256", 9, "twice" },
};

static void
test_bad_fields(void)
{
	struct seckey_keylist *list;
	struct seckey_diag diag;
	size_t i;
	char *text;
	int r;

	for (i = 0; i < sizeof(bad_fields) / sizeof(bad_fields[0]); i++) {
		const struct bad_field *b = &bad_fields[i];

		list = NULL;
		text = section("Blue", 1, b->key, b->alg, b->field, b->value);
		r = parse(text, 10, &list, &diag);
		is_int(r, SECKEY_ERR_SYNTAX, "broken entry %zu refused (%s)",
		    i, diag.msg);
		ok(list == NULL, "no list for a broken entry");
		has_str(diag.msg, b->says, "entry %zu: the message says why",
		    i);
		if (b->line > 0)
			is_int(diag.line, b->line, "entry %zu: at line %d", i,
			    b->line);
		free(text);
	}
}

static void
test_der_trailing(void)
{
	struct seckey_keylist *list = NULL;
	struct seckey_diag diag;
	unsigned char longer[SECKEY_PUBKEY_MAX];
	char *b64 = NULL, *value = NULL, *text;

	memcpy(longer, ders[ES256], der_lens[ES256]);
	longer[der_lens[ES256]] = 0;
	seckey_base64_encode(longer, der_lens[ES256] + 1, &b64);
	if (asprintf(&value, "\"%s\"", b64) < 0)
		exit(99);
	text = section("Blue", 1, ES256, "es256", "  public_key", value);
	is_int(parse(text, 10, &list, &diag), SECKEY_ERR_SYNTAX,
	    "a public key with a trailing byte is refused");
	free(text);
	free(value);
	free(b64);
}

/* Names that look like other names: invisible format characters. */
static void
test_format_names(void)
{
	static const char *const names[] = {
		"Blue\xe2\x80\xae" "yek",		/* U+202E right-to-left override */
		"Blue\xe2\x81\xa6" "key",		/* U+2066 left-to-right isolate */
		"Bl\xe2\x80\x8b" "ue",		/* U+200B zero width space */
		"\xe2\x80\x8e" "Blue",		/* U+200E left-to-right mark */
		"Blue\xd8\x9c",			/* U+061C Arabic letter mark */
		"\xef\xbb\xbf" "Blue",		/* U+FEFF byte order mark */
		"Blue\xf3\xa0\x80\x81",		/* U+E0001 language tag */
		"Blue\xc2\x9b" "31m",		/* U+009B CSI, a C1 control */
	};
	struct seckey_keylist *list = NULL;
	struct seckey_diag diag;
	char *text;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		ok(!seckey_key_name_valid(names[i]), "name %zu is invalid", i);
		text = section(names[i], 1, ES256, "es256", NULL, NULL);
		is_int(parse(text, 10, &list, &diag), SECKEY_ERR_SYNTAX,
		    "a list with name %zu is refused whole", i);
		ok(list == NULL, "and gives no list");
		ok(strstr(diag.msg, "\xe2\x80") == NULL &&
		    strstr(diag.msg, "\xc2\x9b") == NULL &&
		    strstr(diag.msg, "\xef\xbb") == NULL,
		    "the message holds no raw format or C1 character");
		if (i < 7)
			has_str(diag.msg, "invisible formatting characters",
			    "and says why");
		free(text);
	}
	has_str(diag.msg, "a key name is 1 to 64 printable characters",
	    "a C1 control breaks the plain rule");
	ok(seckey_key_name_valid("Cl\xc3\xa9 \xf0\x9f\x94\x91 \xd7\x90"),
	    "accented, emoji and Hebrew letters are fine");
}

static void
test_names(void)
{
	struct seckey_keylist *list = NULL;
	struct seckey_diag diag;
	char name[300], *text;
	int i;

	for (i = 0; i < 64; i++)
		memcpy(name + 2 * i, "\xc3\xa9", 2);
	name[128] = '\0';
	text = section(name, 1, ES256, "es256", NULL, NULL);
	is_int(parse(text, 10, &list, &diag), SECKEY_OK,
	    "a name of 64 two-byte characters");
	seckey_keylist_free(&list);
	free(text);
	memcpy(name + 128, "e", 2);
	text = section(name, 1, ES256, "es256", NULL, NULL);
	is_int(parse(text, 10, &list, &diag), SECKEY_ERR_SYNTAX,
	    "65 characters are too many");
	free(text);
	text = section("", 1, ES256, "es256", NULL, NULL);
	is_int(parse(text, 10, &list, &diag), SECKEY_ERR_SYNTAX,
	    "an empty name is refused");
	free(text);
	text = section("Blue\\x1b[2J", 1, ES256, "es256", NULL, NULL);
	is_int(parse(text, 10, &list, &diag), SECKEY_ERR_SYNTAX,
	    "a control character in a name is refused");
	ok(strchr(diag.msg, '\x1b') == NULL, "and not echoed");
	free(text);
	text = section(" Blue", 1, ES256, "es256", NULL, NULL);
	is_int(parse(text, 10, &list, &diag), SECKEY_ERR_SYNTAX,
	    "a leading space is refused");
	free(text);
	text = section("Bl\\\"ue", 1, ES256, "es256", NULL, NULL);
	is_int(parse(text, 10, &list, &diag), SECKEY_ERR_SYNTAX,
	    "a quote in a name is refused");
	free(text);
	test_format_names();
}

static void
test_other_text(void)
{
	struct seckey_keylist *list = NULL;
	struct seckey_diag diag;

	is_int(parse("", 10, &list, &diag), SECKEY_OK, "an empty list");
	ok(list != NULL && list->count == 0, "holds no key");
	seckey_keylist_free(&list);
	is_int(parse("# only a comment\n", 10, &list, &diag), SECKEY_OK,
	    "a list with only a comment");
	seckey_keylist_free(&list);
	is_int(parse("\nkeys \"Blue\" {\n}\n", 10, &list, &diag),
	    SECKEY_ERR_SYNTAX, "an unknown section");
	is_int(diag.line, 2, "at its line");
	is_int(parse("key {\n}\n", 10, &list, &diag), SECKEY_ERR_SYNTAX,
	    "a key without a name");
	is_int(parse("key \"Blue\" {\n", 10, &list, &diag), SECKEY_ERR_SYNTAX,
	    "an unclosed section");
	is_int(parse("", 0, &list, &diag), SECKEY_ERR_INVAL,
	    "max_keys 0 is an error");
}

static void
test_edit(void)
{
	struct seckey_keylist *list = three_keys();
	struct seckey_diag diag;
	const struct seckey_key *key;
	struct seckey_key *found = NULL;

	is_int(seckey_keylist_rename(list, "Blue key", "Green key", &diag),
	    SECKEY_OK, "rename");
	ok(seckey_keylist_find(list, "Green key") != NULL &&
	    seckey_keylist_find(list, "Blue key") == NULL, "renamed");
	is_int(seckey_keylist_rename(list, "Green key", "Backup", &diag),
	    SECKEY_ERR_DUP_NAME, "rename to a name in use");
	is_int(seckey_keylist_rename(list, "Nope", "Other", &diag),
	    SECKEY_ERR_NOTFOUND, "rename a missing key");
	is_int(seckey_keylist_rename(list, "Green key", "", &diag),
	    SECKEY_ERR_SYNTAX, "rename to an invalid name");
	is_int(seckey_keylist_rename(list, "Green key", "Green key", &diag),
	    SECKEY_OK, "rename to the same name");
	key = seckey_keylist_find_cred(list, cred_of(3, 64), 64);
	ok(key != NULL && strcmp(key->name, "Backup") == 0,
	    "find a key by credential");
	ok(seckey_keylist_find_cred(list, cred_of(9, 64), 64) == NULL,
	    "an unknown credential");
	is_int(seckey_keylist_can_add(list, 10, "Backup", &diag),
	    SECKEY_ERR_DUP_NAME, "a name in use does not fit");
	is_int(seckey_keylist_can_add(list, 3, "Other", &diag),
	    SECKEY_ERR_TOOMANY, "a full list comes first");
	is_int(seckey_keylist_can_add(list, 10, NULL, &diag), SECKEY_OK,
	    "room for a key not named yet");
	is_int(seckey_keylist_get(list, "Nope", &found, &diag),
	    SECKEY_ERR_NOTFOUND, "get a missing key");
	ok(found == NULL, "and no key");
	is_int(seckey_keylist_get(list, "Backup", &found, &diag), SECKEY_OK,
	    "get a key");
	ok(found != NULL && strcmp(found->name, "Backup") == 0, "that one");
	is_int(seckey_keylist_delete(list, "Nope", &diag), SECKEY_ERR_NOTFOUND,
	    "delete a missing key");
	is_int(seckey_keylist_delete(list, "Green key", &diag), SECKEY_OK,
	    "delete");
	ok(list->count == 2 && strcmp(list->keys[1]->name, "Backup") == 0 &&
	    list->keys[2] == NULL, "the others keep their order");
	is_int(seckey_keylist_remove(list, "Nope", &found, &diag),
	    SECKEY_ERR_NOTFOUND, "remove a missing key");
	is_int(seckey_keylist_remove(list, "Backup", &found, &diag), SECKEY_OK,
	    "remove a key");
	ok(found != NULL && strcmp(found->name, "Backup") == 0 &&
	    list->count == 1 && list->keys[1] == NULL, "handed to the caller");
	seckey_key_free(&found);
	seckey_keylist_free(&list);
}

int
main(void)
{
	make_keys();

	test_round_trip();
	test_user_handle();
	test_files();
	test_too_many();
	test_duplicates();
	test_bad_fields();
	test_der_trailing();
	test_names();
	test_other_text();
	test_edit();

	free_keys();

	return done();
}
