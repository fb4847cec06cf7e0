/*
 * fuzz_base64.c: seckey_base64_decode and seckey_base64_encode.
 *
 * The decoder promises exactly one spelling per byte string, so the
 * input is tried both ways: as text, whatever decodes must encode back
 * to the very same text; as bytes, encoding then decoding must give the
 * bytes back, in a string of the length RFC 4648 says.
 */
#include <config.h>

#include <string.h>

#include "fuzz_check.h"
#include "seckey_base64.h"
#include "seckey_error.h"
#include "seckey_mem.h"

static void
text_round_trip(const uint8_t *data, size_t size)
{
	unsigned char *bytes = NULL;
	char *text, *again = NULL;
	size_t len = 0;
	int r;

	if ((text = fuzz_text(data, size)) == NULL)
		return;
	r = seckey_base64_decode(text, &bytes, &len);
	if (r == SECKEY_OK) {
		FUZZ_CHECK(bytes != NULL);
		FUZZ_CHECK(strlen(text) % 4 == 0);
		FUZZ_CHECK(len <= strlen(text) / 4 * 3);
		FUZZ_CHECK(len + 2 >= strlen(text) / 4 * 3);
		if (seckey_base64_encode(bytes, len, &again) == SECKEY_OK)
			FUZZ_CHECK(strcmp(again, text) == 0);
	} else {
		FUZZ_CHECK(r == SECKEY_ERR_SYNTAX || r == SECKEY_ERR_NOMEM);
		FUZZ_CHECK(bytes == NULL && len == 0);
	}
	free(again);
	seckey_freezero(bytes, len);
	free(text);
}

static void
bytes_round_trip(const uint8_t *data, size_t size)
{
	unsigned char *bytes = NULL;
	char *text = NULL;
	size_t len = 0;

	if (seckey_base64_encode(data, size, &text) != SECKEY_OK)
		return;
	FUZZ_CHECK(strlen(text) == (size + 2) / 3 * 4);
	FUZZ_CHECK(seckey_base64_decode(text, &bytes, &len) == SECKEY_OK);
	FUZZ_CHECK(len == size);
	FUZZ_CHECK(size == 0 || memcmp(bytes, data, size) == 0);
	seckey_freezero(bytes, len);
	free(text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	text_round_trip(data, size);
	bytes_round_trip(data, size);

	return 0;
}
