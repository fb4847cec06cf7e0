/*
 * seckey_base64.c: strict standard base64 with padding (RFC 4648 s. 4).
 *
 * Hand-written rather than OpenSSL's EVP_DecodeBlock because that one
 * skips whitespace and does not insist on canonical trailing bits.
 */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "seckey_base64.h"
#include "seckey_error.h"
#include "seckey_mem.h"

static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* The 6-bit value of c, or -1 for a character outside the alphabet. */
static int
sextet(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

int
seckey_base64_encode(const unsigned char *in, size_t len, char **out)
{
	size_t i, o = 0, groups;
	uint32_t v;
	char *text;

	if ((in == NULL && len > 0) || out == NULL)
		return SECKEY_ERR_INVAL;
	*out = NULL;

	groups = len / 3 + (len % 3 != 0);
	if (groups > (SIZE_MAX - 1) / 4)
		return SECKEY_ERR_TOOBIG;
	if ((text = malloc(groups * 4 + 1)) == NULL)
		return SECKEY_ERR_NOMEM;

	for (i = 0; i + 3 <= len; i += 3) {
		v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 |
		    in[i + 2];
		text[o++] = alphabet[(v >> 18) & 0x3f];
		text[o++] = alphabet[(v >> 12) & 0x3f];
		text[o++] = alphabet[(v >> 6) & 0x3f];
		text[o++] = alphabet[v & 0x3f];
	}
	if (len - i > 0) {
		v = (uint32_t)in[i] << 16;
		if (len - i == 2)
			v |= (uint32_t)in[i + 1] << 8;
		text[o++] = alphabet[(v >> 18) & 0x3f];
		text[o++] = alphabet[(v >> 12) & 0x3f];
		text[o++] = len - i == 2 ? alphabet[(v >> 6) & 0x3f] : '=';
		text[o++] = '=';
	}
	text[o] = '\0';
	*out = text;

	return SECKEY_OK;
}

/*
 * Decode one group of four characters into up to three bytes.  last says
 * whether this is the final group, the only one where padding may occur.
 * Returns the number of bytes written, or -1.
 */
static int
decode_group(const char *g, int last, unsigned char *dst)
{
	int s[4], pad = 0, i;
	uint32_t v;

	if (last && g[3] == '=')
		pad = g[2] == '=' ? 2 : 1;
	for (i = 0; i < 4 - pad; i++)
		if ((s[i] = sextet(g[i])) < 0)
			return -1;
	for (; i < 4; i++)
		s[i] = 0;

	v = (uint32_t)s[0] << 18 | (uint32_t)s[1] << 12 |
	    (uint32_t)s[2] << 6 | (uint32_t)s[3];
	/* Canonical form: bits that fall outside the output must be zero. */
	if ((pad == 1 && (v & 0xff) != 0) || (pad == 2 && (v & 0xffff) != 0))
		return -1;

	dst[0] = (unsigned char)(v >> 16);
	if (pad < 2)
		dst[1] = (unsigned char)(v >> 8);
	if (pad < 1)
		dst[2] = (unsigned char)v;

	return 3 - pad;
}

int
seckey_base64_decode(const char *in, unsigned char **out, size_t *out_len)
{
	unsigned char *buf = NULL;
	size_t len, i, o = 0;
	int n, r = SECKEY_ERR_SYNTAX;

	if (in == NULL || out == NULL || out_len == NULL)
		return SECKEY_ERR_INVAL;
	*out = NULL;
	*out_len = 0;

	len = strlen(in);
	if (len % 4 != 0)
		goto fail;
	/* len / 4 * 3 cannot overflow; the + 1 keeps malloc(0) away. */
	if ((buf = malloc(len / 4 * 3 + 1)) == NULL) {
		r = SECKEY_ERR_NOMEM;
		goto fail;
	}
	for (i = 0; i < len; i += 4) {
		if ((n = decode_group(in + i, i + 4 == len, buf + o)) < 0)
			goto fail;
		o += (size_t)n;
	}

	*out = buf;
	*out_len = o;
	buf = NULL;
	r = SECKEY_OK;
fail:
	seckey_freezero(buf, len / 4 * 3 + 1);

	return r;
}

int
seckey_base64url_decode(const char *in, size_t len, unsigned char **out,
    size_t *out_len)
{
	char *std;
	size_t i, padded;
	int r = SECKEY_ERR_SYNTAX;

	if (in == NULL || out == NULL || out_len == NULL)
		return SECKEY_ERR_INVAL;
	*out = NULL;
	*out_len = 0;
	if (len % 4 == 1 || len > SIZE_MAX - 4)
		return SECKEY_ERR_SYNTAX;
	padded = (len + 3) / 4 * 4;
	if ((std = malloc(padded + 1)) == NULL)
		return SECKEY_ERR_NOMEM;
	/* Into the standard alphabet; its own characters are refused. */
	for (i = 0; i < len; i++) {
		if (in[i] == '+' || in[i] == '/' || in[i] == '=' ||
		    in[i] == '\0')
			goto fail;
		std[i] = in[i] == '-' ? '+' : in[i] == '_' ? '/' : in[i];
	}
	for (; i < padded; i++)
		std[i] = '=';
	std[padded] = '\0';
	r = seckey_base64_decode(std, out, out_len);
fail:
	free(std);

	return r;
}
