/*
 * fuzz_pubkey.c: seckey_pubkey_load, the one gate every public key of a
 * key list goes through.  The input is DER, tried with each algorithm.
 *
 * A key may suit one algorithm at most; one that is accepted must be of
 * the type and size the algorithm names, whatever OpenSSL's decoder made
 * of odd encodings (asked through the type id and the bit count, not
 * only the names seckey_key.c compares), and a refusal must say why.
 * An accepted Ed25519 key must not take a signature made without its
 * private key: R the neutral point and S zero verify any message under
 * a key of small order, which would let any device sign in.
 */
#include <config.h>

#include <string.h>

#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/objects.h>

#include "fuzz_check.h"
#include "seckey_key.h"

static const enum seckey_alg algs[] = {
	SECKEY_ALG_ES256, SECKEY_ALG_EDDSA, SECKEY_ALG_RS256,
};

static int
pkey_suits(EVP_PKEY *pkey, enum seckey_alg alg)
{
	char group[80];
	size_t group_len = 0;

	switch (alg) {
	case SECKEY_ALG_ES256:
		return EVP_PKEY_get_base_id(pkey) == EVP_PKEY_EC &&
		    EVP_PKEY_get_bits(pkey) == 256 &&
		    EVP_PKEY_get_group_name(pkey, group, sizeof(group),
		    &group_len) == 1 &&
		    OBJ_txt2nid(group) == NID_X9_62_prime256v1;
	case SECKEY_ALG_EDDSA:
		return EVP_PKEY_get_base_id(pkey) == EVP_PKEY_ED25519;
	case SECKEY_ALG_RS256:
		return EVP_PKEY_get_base_id(pkey) == EVP_PKEY_RSA &&
		    EVP_PKEY_get_bits(pkey) >= SECKEY_RSA_MIN_BITS;
	}

	return 0;
}

/* Does sig verify msg under pkey? */
static int
ed25519_verifies(EVP_PKEY *pkey, const unsigned char *sig, const char *msg)
{
	EVP_MD_CTX *ctx;
	int ok = 0;

	if ((ctx = EVP_MD_CTX_new()) == NULL)
		return 0;
	if (EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, pkey) == 1)
		ok = EVP_DigestVerify(ctx, sig, 64, (const unsigned char *)msg,
		    strlen(msg)) == 1;
	EVP_MD_CTX_free(ctx);

	return ok;
}

/* The forged signature must fail for every one of a few messages. */
static void
check_no_forgery(EVP_PKEY *pkey)
{
	static const char *const msgs[] = { "a", "sign-in", "challenge 1",
	    "challenge 2", "challenge 3", "challenge 4" };
	unsigned char sig[64];
	size_t i;

	memset(sig, 0, sizeof(sig));
	sig[0] = 0x01;		/* the neutral point, then S = 0 */
	for (i = 0; i < sizeof(msgs) / sizeof(msgs[0]); i++)
		FUZZ_CHECK(!ed25519_verifies(pkey, sig, msgs[i]));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	EVP_PKEY *pkey;
	const char *why;
	size_t i, accepted = 0;
	int r;

	for (i = 0; i < sizeof(algs) / sizeof(algs[0]); i++) {
		pkey = NULL;
		why = NULL;
		r = seckey_pubkey_load(data, size, algs[i], &pkey, &why);
		if (r == SECKEY_OK) {
			FUZZ_CHECK(pkey != NULL && why == NULL);
			FUZZ_CHECK(pkey_suits(pkey, algs[i]));
			if (algs[i] == SECKEY_ALG_EDDSA)
				check_no_forgery(pkey);
			accepted++;
		} else {
			FUZZ_CHECK(r == SECKEY_ERR_SYNTAX);
			FUZZ_CHECK(pkey == NULL && why != NULL);
		}
		EVP_PKEY_free(pkey);
	}
	FUZZ_CHECK(accepted <= 1);

	return 0;
}
