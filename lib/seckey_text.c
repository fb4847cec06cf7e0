/*
 * seckey_text.c: strict UTF-8 and printable-text checks.
 */
#include <config.h>

#include <stdint.h>
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
		if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
			return false;
	}
	if (count != NULL)
		*count = n;

	return true;
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
