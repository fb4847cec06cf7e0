/*
 * seckey_text.c: strict UTF-8, printable-text checks, and the escaping
 * of untrusted text for terminals, log lines and JSON (the idea of
 * OpenSSH's utf8.c: one function, used everywhere).
 */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "seckey_text.h"

/*
 * Decode one UTF-8 sequence at s.  Returns its length in bytes and the
 * code point in *cp, or 0 for anything but the shortest well-formed
 * encoding of a scalar value.
 */
static size_t
utf8_decode(const unsigned char *s, uint32_t *cp)
{
	size_t len, i;
	uint32_t v, min;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xe0) == 0xc0) {
		len = 2, v = s[0] & 0x1f, min = 0x80;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3, v = s[0] & 0x0f, min = 0x800;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4, v = s[0] & 0x07, min = 0x10000;
	} else
		return 0;
	/* A NUL ends the string and fails this test, so no overread. */
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (s[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;

	return len;
}

/* Unicode 15 category Cf, and the separators Zl and Zp. */
static const struct {
	uint32_t	first;
	uint32_t	last;
} format_ranges[] = {
	{ 0x00ad, 0x00ad }, { 0x0600, 0x0605 }, { 0x061c, 0x061c },
	{ 0x06dd, 0x06dd }, { 0x070f, 0x070f }, { 0x0890, 0x0891 },
	{ 0x08e2, 0x08e2 }, { 0x180e, 0x180e }, { 0x200b, 0x200f },
	{ 0x2028, 0x202e }, { 0x2060, 0x2064 }, { 0x2066, 0x206f },
	{ 0xfeff, 0xfeff }, { 0xfff9, 0xfffb }, { 0x110bd, 0x110bd },
	{ 0x110cd, 0x110cd }, { 0x13430, 0x1343f }, { 0x1bca0, 0x1bca3 },
	{ 0x1d173, 0x1d17a }, { 0xe0001, 0xe0001 }, { 0xe0020, 0xe007f },
};

bool
seckey_text_is_format(unsigned long cp)
{
	size_t i;

	for (i = 0; i < sizeof(format_ranges) / sizeof(format_ranges[0]); i++)
		if (cp >= format_ranges[i].first && cp <= format_ranges[i].last)
			return true;

	return false;
}

static bool
is_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}

bool
seckey_text_printable(const char *s, size_t *count)
{
	const unsigned char *p;
	size_t n = 0, len;
	uint32_t cp;

	if (s == NULL)
		return false;
	for (p = (const unsigned char *)s; *p != '\0'; p += len, n++) {
		if ((len = utf8_decode(p, &cp)) == 0)
			return false;
		if (is_control(cp))
			return false;
	}
	if (count != NULL)
		*count = n;

	return true;
}

unsigned long
seckey_text_find_format(const char *s)
{
	const unsigned char *p;
	size_t len;
	uint32_t cp;

	if (s == NULL)
		return 0;
	for (p = (const unsigned char *)s; *p != '\0'; p += len) {
		if ((len = utf8_decode(p, &cp)) == 0)
			return 0;
		if (seckey_text_is_format(cp))
			return cp;
	}

	return 0;
}


bool
seckey_text_token(const char *s, size_t max)
{
	size_t i;

	if (s == NULL || s[0] == '\0' || strlen(s) > max)
		return false;
	for (i = 0; s[i] != '\0'; i++)
		if (s[i] < 0x21 || s[i] > 0x7e)
			return false;

	return true;
}

/* The escape of one character (or byte, when bad) into esc[16]. */
static void
escape(uint32_t cp, bool bad, enum seckey_text_mode mode, char *esc)
{
	uint32_t v;

	if (mode == SECKEY_TEXT_JSON && bad)
		snprintf(esc, 16, "\\ufffd");
	else if (bad)
		snprintf(esc, 16, "\\x%02x", (unsigned int)cp);
	else if (cp <= 0xffff)
		snprintf(esc, 16, "\\u%04x", (unsigned int)cp);
	else if (mode == SECKEY_TEXT_LOG)
		snprintf(esc, 16, "\\U%08x", (unsigned int)cp);
	else {
		v = cp - 0x10000;
		snprintf(esc, 16, "\\u%04x\\u%04x",
		    (unsigned int)(0xd800 + (v >> 10)),
		    (unsigned int)(0xdc00 + (v & 0x3ff)));
	}
}

char *
seckey_text_safe(const char *in, char *out, size_t size,
    enum seckey_text_mode mode)
{
	const unsigned char *p;
	const char *piece;
	char esc[16];
	size_t len, n, used = 0;
	uint32_t cp;

	if (out == NULL || size == 0)
		return out;
	out[0] = '\0';
	if (in == NULL)
		return out;
	for (p = (const unsigned char *)in; *p != '\0'; p += len) {
		piece = (const char *)p;
		if ((len = utf8_decode(p, &cp)) == 0) {
			escape(*p, true, mode, esc);
			piece = esc;
			len = 1;
		} else if (is_control(cp) || seckey_text_is_format(cp)) {
			escape(cp, false, mode, esc);
			piece = esc;
		} else if (mode == SECKEY_TEXT_JSON && (cp == '"' ||
		    cp == '\\')) {
			snprintf(esc, sizeof(esc), "\\%c", (char)cp);
			piece = esc;
		}
		n = piece == esc ? strlen(esc) : len;
		if (n >= size - used)
			break;
		memcpy(out + used, piece, n);
		used += n;
	}
	out[used] = '\0';

	return out;
}
