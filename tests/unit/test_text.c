/*
 * test_text.c: seckey_text_safe(), the one escaping of untrusted text
 * for terminals, log lines and JSON, and the format-character table.
 */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "seckey_text.h"
#include "tap.h"

struct escape_case {
	const char	*in;
	const char	*log;	/* SECKEY_TEXT_LOG */
	const char	*json;	/* SECKEY_TEXT_JSON */
	const char	*what;
};

static const struct escape_case cases[] = {
	{ "Blue key", "Blue key", "Blue key", "plain ASCII" },
	{ "Cl\xc3\xa9 \xf0\x9f\x94\x91", "Cl\xc3\xa9 \xf0\x9f\x94\x91",
	    "Cl\xc3\xa9 \xf0\x9f\x94\x91", "printable UTF-8 passes" },
	{ "a\x1b[2Jb", "a\\u001b[2Jb", "a\\u001b[2Jb", "ESC (C0)" },
	{ "a\nb\tc\r", "a\\u000ab\\u0009c\\u000d", "a\\u000ab\\u0009c\\u000d",
	    "newline, tab, carriage return" },
	{ "a\x7f", "a\\u007f", "a\\u007f", "DEL" },
	{ "\xc2\x9b" "31m", "\\u009b31m", "\\u009b31m", "CSI (C1)" },
	{ "\xc2\x85", "\\u0085", "\\u0085", "NEL (C1)" },
	{ "a\xe2\x80\xae" "b", "a\\u202eb", "a\\u202eb",
	    "right-to-left override" },
	{ "\xe2\x81\xa6\xe2\x81\xa9", "\\u2066\\u2069", "\\u2066\\u2069",
	    "isolates" },
	{ "\xe2\x80\x8b\xe2\x80\x8d\xe2\x81\xa0", "\\u200b\\u200d\\u2060",
	    "\\u200b\\u200d\\u2060", "zero width space, joiner, word joiner" },
	{ "\xd8\x9c\xef\xbb\xbf", "\\u061c\\ufeff", "\\u061c\\ufeff",
	    "Arabic letter mark, BOM" },
	{ "\xe2\x80\xa8", "\\u2028", "\\u2028", "line separator" },
	{ "\xf3\xa0\x80\x81", "\\U000e0001", "\\udb40\\udc01",
	    "a tag beyond U+FFFF" },
	{ "a\xff" "b", "a\\xffb", "a\\ufffdb", "a byte that is not UTF-8" },
	{ "\xc0\xaf", "\\xc0\\xaf", "\\ufffd\\ufffd", "an overlong form" },
	{ "\xed\xa0\x80", "\\xed\\xa0\\x80", "\\ufffd\\ufffd\\ufffd",
	    "a surrogate" },
	{ "\xe2\x82", "\\xe2\\x82", "\\ufffd\\ufffd", "a cut sequence" },
	{ "say \"\\\"", "say \"\\\"", "say \\\"\\\\\\\"",
	    "quotes and backslashes (JSON escapes them)" },
	{ "", "", "", "empty" },
};

static void
test_cases(void)
{
	char out[256], again[256];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		is_str(seckey_text_safe(cases[i].in, out, sizeof(out),
		    SECKEY_TEXT_LOG), cases[i].log, "log: %s", cases[i].what);
		is_str(seckey_text_safe(out, again, sizeof(again),
		    SECKEY_TEXT_LOG), out, "log: %s, escaped again, is the "
		    "same", cases[i].what);
		is_str(seckey_text_safe(cases[i].in, out, sizeof(out),
		    SECKEY_TEXT_JSON), cases[i].json, "json: %s",
		    cases[i].what);
	}
}

static void
test_limits(void)
{
	char out[8], big[SECKEY_TEXT_SAFE_SIZE(4)];

	/* Cut before a whole escape or character, never inside one. */
	is_str(seckey_text_safe("abcd\xc2\x9b", out, sizeof(out),
	    SECKEY_TEXT_LOG), "abcd", "an escape that does not fit is left "
	    "out whole");
	is_str(seckey_text_safe("abcde\xc3\xa9", out, sizeof(out),
	    SECKEY_TEXT_LOG), "abcde\xc3\xa9", "a character that fits");
	is_str(seckey_text_safe("abcdef\xc3\xa9", out, sizeof(out),
	    SECKEY_TEXT_LOG), "abcdef", "one that does not is left out");
	is_str(seckey_text_safe(NULL, out, sizeof(out), SECKEY_TEXT_LOG), "",
	    "NULL gives an empty string");
	ok(seckey_text_safe("x", out, 0, SECKEY_TEXT_LOG) == out,
	    "a size of 0 writes nothing");
	/* The worst case fits SECKEY_TEXT_SAFE_SIZE. */
	is_str(seckey_text_safe("\x01\x02\x03\x04", big, sizeof(big),
	    SECKEY_TEXT_JSON), "\\u0001\\u0002\\u0003\\u0004",
	    "four C0 bytes fit SECKEY_TEXT_SAFE_SIZE(4)");
}

static void
test_format(void)
{
	ok(seckey_text_is_format(0x202e) && seckey_text_is_format(0x200e) &&
	    seckey_text_is_format(0x2066) && seckey_text_is_format(0x061c) &&
	    seckey_text_is_format(0x00ad) && seckey_text_is_format(0xe007f),
	    "bidi controls, soft hyphen and tags are format characters");
	ok(!seckey_text_is_format('a') && !seckey_text_is_format(0xe9) &&
	    !seckey_text_is_format(0x1f511) && !seckey_text_is_format(0x2030),
	    "letters, emoji and U+2030 are not");
	ok(seckey_text_find_format("Blue\xe2\x80\xae") == 0x202e,
	    "find_format names the character");
	ok(seckey_text_find_format("Blue") == 0, "and 0 when there is none");
}

int
main(void)
{
	test_cases();
	test_limits();
	test_format();

	return done();
}
