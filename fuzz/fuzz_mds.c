/*
 * fuzz_mds.c: everything "seckey mds import" and registration read from
 * a FIDO Metadata Service BLOB and the metadata store, fed directly:
 *
 *  - the input as a whole JWS (seckey_jws_verify): the split, base64url
 *    and the header's JSON, alg and x5c, before any signature;
 *  - the input as a payload (seckey_mds_from_payload), the part a real
 *    BLOB reaches only after its signature verified: what it reads
 *    must write out as store lines that read back the same;
 *  - the input as store lines (seckey_mds_parse), whose result must
 *    write out and read back the same too.
 */
#include <config.h>

#include <string.h>

#include "fuzz_check.h"
#include "seckey_json.h"
#include "seckey_jws.h"
#include "seckey_mds.h"

/* Not a certificate: the chain check fails after the header is read. */
static const char no_roots[] = "-----BEGIN CERTIFICATE-----\n";

static void
same(const struct seckey_mds *a, const struct seckey_mds *b)
{
	size_t i, j;

	FUZZ_CHECK(a->serial == b->serial);
	FUZZ_CHECK(strcmp(a->next_update, b->next_update) == 0);
	FUZZ_CHECK(a->count == b->count);
	for (i = 0; i < a->count; i++) {
		FUZZ_CHECK(seckey_aaguid_equal(&a->entries[i].aaguid,
		    &b->entries[i].aaguid));
		FUZZ_CHECK(strcmp(a->entries[i].status,
		    b->entries[i].status) == 0);
		FUZZ_CHECK(strcmp(a->entries[i].description,
		    b->entries[i].description) == 0);
		FUZZ_CHECK(a->entries[i].nroots == b->entries[i].nroots);
		for (j = 0; j < a->entries[i].nroots; j++)
			FUZZ_CHECK(strcmp(a->entries[i].roots[j],
			    b->entries[i].roots[j]) == 0);
	}
}

/* Written out and read back, mds must not change. */
static void
round_trip(const struct seckey_mds *mds)
{
	struct seckey_mds *back = NULL;
	char *text = NULL;
	size_t len = 0;

	if (seckey_mds_format(mds, &text, &len, NULL) != SECKEY_OK)
		return;
	FUZZ_CHECK(strlen(text) == len);
	FUZZ_CHECK(seckey_mds_parse(text, len, "store", &back,
	    NULL) == SECKEY_OK);
	same(mds, back);
	seckey_mds_free(&back);
	free(text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct seckey_json *root = NULL;
	struct seckey_mds *mds = NULL;
	struct seckey_diag diag;
	char *text, *payload = NULL;
	size_t len = 0;
	int r;

	if ((text = fuzz_text(data, size)) == NULL)
		return 0;
	r = seckey_jws_verify(text, size, no_roots, sizeof(no_roots) - 1,
	    &payload, &len, &diag);
	FUZZ_CHECK(r != SECKEY_OK && payload == NULL);

	if (seckey_json_parse(text, size, &root, &diag) == SECKEY_OK)
		FUZZ_CHECK(root != NULL);
	seckey_json_free(&root);

	if (seckey_mds_from_payload(text, size, &mds, &diag) == SECKEY_OK)
		round_trip(mds);
	seckey_mds_free(&mds);

	if (seckey_mds_parse(text, size, "store", &mds, &diag) == SECKEY_OK)
		round_trip(mds);
	seckey_mds_free(&mds);
	free(text);

	return 0;
}
