/*
 * test_base64.c: strict base64 against RFC 4648 section 10 and a list of
 * spellings that must be refused.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "seckey_base64.h"
#include "seckey_error.h"
#include "seckey_mem.h"
#include "tap.h"

struct vector {
	const char	*plain;
	const char	*encoded;
};

/* RFC 4648, section 10. */
static const struct vector vectors[] = {
	{ "", "" },
	{ "f", "Zg==" },
	{ "fo", "Zm8=" },
	{ "foo", "Zm9v" },
	{ "foob", "Zm9vYg==" },
	{ "fooba", "Zm9vYmE=" },
	{ "foobar", "Zm9vYmFy" },
};

static const char *const rejects[] = {
	"Zg",		/* no padding */
	"Zg=",		/* short padding */
	"Zg===",	/* too much padding */
	"Z===",		/* three pads */
	"====",		/* only padding */
	"Zh==",		/* non-canonical: unused bits set */
	"Zm9=",		/* non-canonical: unused bits set */
	"Zg==Zg==",	/* padding in the middle */
	"=Zg=",		/* padding first */
	"Zm=v",		/* padding inside a group */
	"Zm9v\n",	/* line break */
	" Zm9v",	/* leading space */
	"Zm9v YmFy",	/* inner space */
	"Zm9v\tYmFy",	/* tab */
	"Zm-v",		/* URL-safe alphabet */
	"Zm_v",		/* URL-safe alphabet */
	"Zm9v\xc3\xa9",	/* non-ASCII */
	"Zm9",		/* length not a multiple of four */
};

static void
test_vectors(void)
{
	unsigned char *bytes;
	size_t i, len;
	char *text;
	int r;

	for (i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		r = seckey_base64_encode(
		    (const unsigned char *)vectors[i].plain,
		    strlen(vectors[i].plain), &text);
		is_int(r, SECKEY_OK, "encode \"%s\"", vectors[i].plain);
		is_str(text, vectors[i].encoded, "BASE64(\"%s\")",
		    vectors[i].plain);
		free(text);

		r = seckey_base64_decode(vectors[i].encoded, &bytes, &len);
		is_int(r, SECKEY_OK, "decode \"%s\"", vectors[i].encoded);
		ok(bytes != NULL && len == strlen(vectors[i].plain) &&
		    memcmp(bytes, vectors[i].plain, len) == 0,
		    "decode \"%s\" gives \"%s\"", vectors[i].encoded,
		    vectors[i].plain);
		seckey_freezero(bytes, len);
	}
}

static void
test_rejects(void)
{
	unsigned char canary[1], *bytes;
	size_t i, len;

	for (i = 0; i < sizeof(rejects) / sizeof(rejects[0]); i++) {
		bytes = canary;
		len = 99;
		is_int(seckey_base64_decode(rejects[i], &bytes, &len),
		    SECKEY_ERR_SYNTAX, "refuse \"%s\"", rejects[i]);
		ok(bytes == NULL && len == 0, "no output for a refused input");
	}
}

/* Every byte value, at every length modulo 3, survives a round trip. */
static void
test_round_trip(void)
{
	unsigned char all[256], *back = NULL;
	size_t n, len, failures = 0;
	char *text;

	for (n = 0; n < sizeof(all); n++)
		all[n] = (unsigned char)(255 - n);
	for (n = 0; n <= sizeof(all); n++) {
		if (seckey_base64_encode(all, n, &text) != SECKEY_OK ||
		    seckey_base64_decode(text, &back, &len) != SECKEY_OK ||
		    len != n || memcmp(back, all, n) != 0)
			failures++;
		free(text);
		free(back);
		back = NULL;
	}
	is_int((long)failures, 0, "0 to 256 bytes of every value round-trip");
}

static void
test_arguments(void)
{
	unsigned char *bytes;
	size_t len;
	char *text;

	is_int(seckey_base64_encode(NULL, 1, &text), SECKEY_ERR_INVAL,
	    "encode refuses NULL input with a length");
	is_int(seckey_base64_decode(NULL, &bytes, &len), SECKEY_ERR_INVAL,
	    "decode refuses NULL input");
	is_int(seckey_base64_encode(NULL, 0, &text), SECKEY_OK,
	    "encode accepts an empty input");
	is_str(text, "", "and gives an empty string");
	free(text);
}

int
main(void)
{
	test_vectors();
	test_rejects();
	test_round_trip();
	test_arguments();

	return done();
}
