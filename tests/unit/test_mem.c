/*
 * test_mem.c: the PIN buffer, wiping, error strings, AAGUIDs, text
 * checks and timestamps: the small pieces of libseckey.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "seckey_aaguid.h"
#include "seckey_error.h"
#include "seckey_key.h"
#include "seckey_mem.h"
#include "seckey_text.h"
#include "seckey_time.h"
#include "tap.h"

static void
test_pin(void)
{
	struct seckey_pin pin;
	char long_pin[80];
	size_t i;

	memset(&pin, 'x', sizeof(pin));
	is_int(seckey_pin_set(&pin, "123456"), SECKEY_OK, "set a PIN");
	is_str(pin.text, "123456", "the PIN is kept");
	is_int((long)seckey_pin_len(&pin), 6, "its length");
	seckey_pin_wipe(&pin);
	for (i = 0; i < sizeof(pin.text) && pin.text[i] == '\0'; i++)
		continue;
	is_int((long)i, (long)sizeof(pin.text), "wipe zeroes the buffer");

	is_int(seckey_pin_set(&pin, ""), SECKEY_ERR_INVAL, "empty PIN refused");
	is_int(seckey_pin_set(&pin, NULL), SECKEY_ERR_INVAL,
	    "NULL PIN refused");

	memset(long_pin, '7', sizeof(long_pin));
	long_pin[SECKEY_PIN_MAX] = '\0';
	is_int(seckey_pin_set(&pin, long_pin), SECKEY_OK, "63 bytes accepted");
	long_pin[SECKEY_PIN_MAX] = '7';
	long_pin[SECKEY_PIN_MAX + 1] = '\0';
	is_int(seckey_pin_set(&pin, long_pin), SECKEY_ERR_TOOBIG,
	    "64 bytes refused");
	is_int((long)seckey_pin_len(&pin), 0,
	    "a refused PIN leaves the buffer wiped");
	long_pin[sizeof(long_pin) - 1] = '\0';
	is_int(seckey_pin_set(&pin, long_pin), SECKEY_ERR_TOOBIG,
	    "79 bytes refused");
}

static void
test_wipe(void)
{
	char *s = strdup("secret");

	seckey_strfree(&s);
	ok(s == NULL, "seckey_strfree sets the pointer to NULL");
	seckey_strfree(&s);
	seckey_freezero(NULL, 10);
	seckey_wipe(NULL, 10);
	ok(1, "wiping NULL is harmless");
}

static void
test_errors(void)
{
	int codes[] = {
		SECKEY_OK, SECKEY_ERR_NOMEM, SECKEY_ERR_IO, SECKEY_ERR_PERM,
		SECKEY_ERR_NOENT, SECKEY_ERR_SYNTAX, SECKEY_ERR_RANGE,
		SECKEY_ERR_TOOMANY, SECKEY_ERR_DUP_NAME, SECKEY_ERR_TOOBIG,
		SECKEY_ERR_INVAL, SECKEY_ERR_LOCKED, SECKEY_ERR_NOTFOUND,
		SECKEY_ERR_CRYPTO, SECKEY_ERR_INTERNAL, SECKEY_ERR_NOFOLDER,
		SECKEY_ERR_DUP_CRED, SECKEY_ERR_PIN_INVALID,
		SECKEY_ERR_PIN_BLOCKED, SECKEY_ERR_PIN_AUTH_BLOCKED,
		SECKEY_ERR_PIN_NOT_SET, SECKEY_ERR_PIN_POLICY,
		SECKEY_ERR_NO_DEVICE, SECKEY_ERR_TIMEOUT,
		SECKEY_ERR_NO_CREDENTIAL, SECKEY_ERR_SIGNATURE,
		SECKEY_ERR_EXCLUDED, SECKEY_ERR_UNSUPPORTED, SECKEY_ERR_AAGUID,
		SECKEY_ERR_CANCELLED, SECKEY_ERR_FIDO, SECKEY_ERR_READONLY,
		SECKEY_ERR_UNAVAIL, SECKEY_ERR_REFUSED, SECKEY_ERR_CONFIG,
		SECKEY_ERR_UNTRUSTED, SECKEY_ERR_MODEL_STATUS,
		SECKEY_ERR_STALE,
		SECKEY_ERR_BIND, SECKEY_ERR_CHANGED, SECKEY_ERR_DENIED,
		SECKEY_ERR_MODEL_MISMATCH, SECKEY_ERR_MODEL_REFUSED,
		SECKEY_ERR_CLONED, SECKEY_ERR_MARKED, SECKEY_ERR_STATE,
		SECKEY_ERR_NOT_OWNER, SECKEY_ERR_NO_CHOICE,
	};
	size_t i, named = 0;

	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (strcmp(seckey_strerror(codes[i]), "unknown error") != 0)
			named++;
	is_int((long)named, (long)(sizeof(codes) / sizeof(codes[0])),
	    "every error code has a message");
	is_str(seckey_strerror(-999), "unknown error", "unknown codes too");
}

static void
test_diag(void)
{
	struct seckey_diag diag;

	seckey_diag_set(&diag, "/etc/x.conf", 7, "bad %s", "value");
	is_str(diag.file, "/etc/x.conf", "diag keeps the file");
	is_int(diag.line, 7, "diag keeps the line");
	is_str(diag.msg, "bad value", "diag formats the message");
	seckey_diag_clear(&diag);
	ok(diag.file[0] == '\0' && diag.line == 0 && diag.msg[0] == '\0',
	    "diag clears");
	seckey_diag_set(NULL, NULL, 0, "ignored");
	ok(1, "a NULL diag is fine");
}

static void
test_aaguid(void)
{
	const char *text = "2fc0579f-8113-47ea-b116-bb5a8db9202a";
	struct seckey_aaguid a, b;
	char back[SECKEY_AAGUID_TEXT_LEN];

	is_int(seckey_aaguid_parse(text, &a), SECKEY_OK, "parse an AAGUID");
	seckey_aaguid_format(&a, back);
	is_str(back, text, "it prints back the same");
	ok(a.bytes[0] == 0x2f && a.bytes[15] == 0x2a, "bytes in order");
	is_int(seckey_aaguid_from_bytes(a.bytes, 16, &b), SECKEY_OK,
	    "from 16 bytes");
	ok(seckey_aaguid_equal(&a, &b), "equal");
	is_int(seckey_aaguid_from_bytes(a.bytes, 15, &b), SECKEY_ERR_INVAL,
	    "15 bytes refused");
	is_int(seckey_aaguid_parse("2FC0579F-8113-47EA-B116-BB5A8DB9202A", &a),
	    SECKEY_ERR_SYNTAX, "uppercase refused");
	is_int(seckey_aaguid_parse("2fc0579f811347eab116bb5a8db9202a", &a),
	    SECKEY_ERR_SYNTAX, "no dashes refused");
	is_int(seckey_aaguid_parse("2fc0579f-8113-47ea-b116-bb5a8db9202", &a),
	    SECKEY_ERR_SYNTAX, "short refused");
	is_int(seckey_aaguid_parse("2fc0579f-8113-47ea-b116-bb5a8db9202a0", &a),
	    SECKEY_ERR_SYNTAX, "long refused");
	is_int(seckey_aaguid_parse("{2fc0579f-8113-47ea-b116-bb5a8db920}", &a),
	    SECKEY_ERR_SYNTAX, "braces refused");
	is_int(seckey_aaguid_parse("2fc0579f-8113-47ea-b116_bb5a8db9202a", &a),
	    SECKEY_ERR_SYNTAX, "wrong separator refused");
}

static void
test_text(void)
{
	size_t n = 0;

	ok(seckey_text_printable("Blue key", &n) && n == 8, "ASCII text");
	ok(seckey_text_printable("Cl\xc3\xa9 bleue \xf0\x9f\x94\x91", &n) &&
	    n == 11, "UTF-8 text counts characters");
	ok(!seckey_text_printable("a\tb", NULL), "tab refused");
	ok(!seckey_text_printable("a\x7f", NULL), "DEL refused");
	ok(!seckey_text_printable("a\xc2\x85", NULL), "C1 control refused");
	ok(!seckey_text_printable("\xc0\xaf", NULL), "overlong refused");
	ok(!seckey_text_printable("\xed\xa0\x80", NULL), "surrogate refused");
	ok(!seckey_text_printable("\xf4\x90\x80\x80", NULL),
	    "beyond U+10FFFF refused");
	ok(!seckey_text_printable("\xe2\x82", NULL), "truncated refused");
	ok(!seckey_text_printable("\xff", NULL), "0xff refused");
	ok(seckey_text_token("pam://host", 255), "token");
	ok(!seckey_text_token("a b", 255), "token without spaces");
	ok(!seckey_text_token("", 255), "empty token refused");
	ok(!seckey_text_token("abcd", 3), "token too long");
}

static void
test_time(void)
{
	char text[SECKEY_TIME_LEN];
	time_t t;

	is_int(seckey_time_parse("2026-11-26T08:00:00Z", &t), SECKEY_OK,
	    "parse a timestamp");
	is_int((long)t, 1795680000L, "the right second");
	is_int(seckey_time_format(t, text), SECKEY_OK, "format it");
	is_str(text, "2026-11-26T08:00:00Z", "round trip");
	is_int(seckey_time_parse("2024-02-29T23:59:59Z", &t), SECKEY_OK,
	    "leap day");
	is_int(seckey_time_parse("2026-02-29T00:00:00Z", &t),
	    SECKEY_ERR_SYNTAX, "no leap day in 2026");
	is_int(seckey_time_parse("2026-02-30T00:00:00Z", &t),
	    SECKEY_ERR_SYNTAX, "February 30 refused");
	is_int(seckey_time_parse("2026-13-01T00:00:00Z", &t),
	    SECKEY_ERR_SYNTAX, "month 13 refused");
	is_int(seckey_time_parse("2026-11-26T24:00:00Z", &t),
	    SECKEY_ERR_SYNTAX, "hour 24 refused");
	is_int(seckey_time_parse("2026-11-26T08:00:60Z", &t),
	    SECKEY_ERR_SYNTAX, "second 60 refused");
	is_int(seckey_time_parse("2026-11-26T08:00:00", &t),
	    SECKEY_ERR_SYNTAX, "missing Z refused");
	is_int(seckey_time_parse("2026-11-26T08:00:00+00:00", &t),
	    SECKEY_ERR_SYNTAX, "offset refused");
	is_int(seckey_time_parse("2026-11-26T08:00:00.5Z", &t),
	    SECKEY_ERR_SYNTAX, "fraction refused");
	is_int(seckey_time_parse("2026-11-26t08:00:00z", &t),
	    SECKEY_ERR_SYNTAX, "lowercase refused");
	is_int(seckey_time_parse("1969-12-31T23:59:59Z", &t),
	    SECKEY_ERR_SYNTAX, "before 1970 refused");
	is_int(seckey_time_parse("2026-1-26T08:00:00Z", &t),
	    SECKEY_ERR_SYNTAX, "one-digit month refused");
}

int
main(void)
{
	test_pin();
	test_wipe();
	test_errors();
	test_diag();
	test_aaguid();
	test_text();
	test_time();

	return done();
}
