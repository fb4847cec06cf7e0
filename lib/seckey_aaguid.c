/*
 * seckey_aaguid.c: parse and print authenticator model identifiers.
 */
#include <config.h>

#include <string.h>

#include "seckey_aaguid.h"
#include "seckey_error.h"

static const char hexdigits[] = "0123456789abcdef";

/* Byte index after which the canonical form has a dash. */
static bool
dash_after(size_t i)
{
	return i == 3 || i == 5 || i == 7 || i == 9;
}

static int
nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int
seckey_aaguid_parse(const char *text, struct seckey_aaguid *aaguid)
{
	struct seckey_aaguid parsed;
	size_t i, pos = 0;
	int hi, lo;

	if (text == NULL || aaguid == NULL)
		return SECKEY_ERR_INVAL;
	if (strlen(text) != SECKEY_AAGUID_TEXT_LEN - 1)
		return SECKEY_ERR_SYNTAX;

	for (i = 0; i < SECKEY_AAGUID_LEN; i++) {
		if ((hi = nibble(text[pos])) < 0 ||
		    (lo = nibble(text[pos + 1])) < 0)
			return SECKEY_ERR_SYNTAX;
		parsed.bytes[i] = (unsigned char)(hi << 4 | lo);
		pos += 2;
		if (dash_after(i) && text[pos++] != '-')
			return SECKEY_ERR_SYNTAX;
	}
	*aaguid = parsed;

	return SECKEY_OK;
}

void
seckey_aaguid_format(const struct seckey_aaguid *aaguid,
    char text[SECKEY_AAGUID_TEXT_LEN])
{
	size_t i, pos = 0;

	for (i = 0; i < SECKEY_AAGUID_LEN; i++) {
		text[pos++] = hexdigits[aaguid->bytes[i] >> 4];
		text[pos++] = hexdigits[aaguid->bytes[i] & 0x0f];
		if (dash_after(i))
			text[pos++] = '-';
	}
	text[pos] = '\0';
}

int
seckey_aaguid_from_bytes(const unsigned char *bytes, size_t len,
    struct seckey_aaguid *aaguid)
{
	if (bytes == NULL || aaguid == NULL || len != SECKEY_AAGUID_LEN)
		return SECKEY_ERR_INVAL;
	memcpy(aaguid->bytes, bytes, SECKEY_AAGUID_LEN);

	return SECKEY_OK;
}

bool
seckey_aaguid_equal(const struct seckey_aaguid *a,
    const struct seckey_aaguid *b)
{
	return memcmp(a->bytes, b->bytes, SECKEY_AAGUID_LEN) == 0;
}
