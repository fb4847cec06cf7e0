/*
 * fuzz_pubkey.c: seckey_pubkey_load, the one gate every public key of a
 * key list goes through.  The input is DER, tried with each algorithm.
 *
 * A key may suit one algorithm at most; one that is accepted must be of
 * the type and size the algorithm names, whatever OpenSSL's decoder made
 * of odd encodings (asked through the type id and the bit count, not
 * only the names seckey_pubkey.c compares), and a refusal must say why.
 * An accepted Ed25519 key must not take a signature made without its
 * private key: R the neutral point and S zero verify any message under
 * a key of small order, which would let any device sign in.
 *
 * seckey_pubkey_load reads the usual encodings itself and leaves the
 * rest to d2i_PUBKEY(); the two must agree: what it accepts, OpenSSL's
 * decoder decodes to the same key, and what the decoder decodes to a
 * key that suits the algorithm, it accepts (bar Ed25519 keys of small
 * order, which it alone refuses).
 */
#include <config.h>

#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

#include "fuzz_check.h"
#include "../tests/unit/pubkey_evp.h"
#include "seckey_key.h"

static const enum seckey_alg algs[] = {
	SECKEY_ALG_ES256, SECKEY_ALG_EDDSA, SECKEY_ALG_RS256,
};

/* The size in bytes of pkey's RSA public exponent; 0 if none. */
static int
rsa_exponent_bytes(EVP_PKEY *pkey)
{
	BIGNUM *e = NULL;
	int n = 0;

	if (EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_E, &e) == 1)
		n = BN_num_bytes(e);
	BN_free(e);

	return n;
}

/* libfido2 verifies RSA keys of 2048 bits with 3-byte exponents only. */
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
		    EVP_PKEY_get_bits(pkey) == SECKEY_RSA_BITS &&
		    rsa_exponent_bytes(pkey) == 3;
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

/* The key OpenSSL's decoder makes of the whole input, or NULL. */
static EVP_PKEY *
openssl_decode(const uint8_t *data, size_t size)
{
	const unsigned char *p = data;
	EVP_PKEY *pkey;

	if (size == 0 || size > SECKEY_PUBKEY_MAX)
		return NULL;
	if ((pkey = d2i_PUBKEY(NULL, &p, (long)size)) != NULL &&
	    p != data + size) {
		EVP_PKEY_free(pkey);
		pkey = NULL;
	}
	ERR_clear_error();

	return pkey;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct seckey_pubkey *pk;
	EVP_PKEY *decoded = openssl_decode(data, size), *pkey;
	const char *why;
	size_t i, accepted = 0;
	int r;

	for (i = 0; i < sizeof(algs) / sizeof(algs[0]); i++) {
		pk = NULL;
		why = NULL;
		r = seckey_pubkey_load(data, size, algs[i], &pk, &why);
		if (r == SECKEY_OK) {
			FUZZ_CHECK(pk != NULL && why == NULL);
			FUZZ_CHECK((pkey = pubkey_to_evp(pk)) != NULL);
			FUZZ_CHECK(pkey_suits(pkey, algs[i]));
			FUZZ_CHECK(decoded != NULL &&
			    EVP_PKEY_eq(pkey, decoded) == 1);
			if (algs[i] == SECKEY_ALG_EDDSA)
				check_no_forgery(pkey);
			EVP_PKEY_free(pkey);
			accepted++;
		} else {
			FUZZ_CHECK(r == SECKEY_ERR_SYNTAX);
			FUZZ_CHECK(pk == NULL && why != NULL);
			FUZZ_CHECK(decoded == NULL ||
			    !pkey_suits(decoded, algs[i]) ||
			    (algs[i] == SECKEY_ALG_EDDSA &&
			    strstr(why, "small order") != NULL));
		}
		seckey_pubkey_free(&pk);
	}
	FUZZ_CHECK(accepted <= 1);
	EVP_PKEY_free(decoded);

	return 0;
}
