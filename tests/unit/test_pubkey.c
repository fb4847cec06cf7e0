/*
 * test_pubkey.c: seckey_pubkey_load on keys made here by OpenSSL.
 *
 * The usual encodings (an uncompressed P-256 point, an Ed25519 key) are
 * read without OpenSSL's decoder; these tests hold that way to the same
 * answers as the decoder: the same key comes out, an encoding the
 * decoder reads (a compressed point) gives the same key, and a point off
 * the curve, a coordinate not below p, a key of small order, or an RSA
 * key libfido2 cannot verify with are refused, each with its reason.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "pubkey_evp.h"
#include "seckey_pubkey.h"
#include "tap.h"

#define ES256_HEAD_LEN	26	/* the DER before the point */

/* The DER SubjectPublicKeyInfo of pkey, in a buffer the caller frees. */
static unsigned char *
spki_of(EVP_PKEY *pkey, int *len)
{
	unsigned char *der = NULL;

	if (pkey == NULL || (*len = i2d_PUBKEY(pkey, &der)) <= 0) {
		fprintf(stderr, "cannot encode a key\n");
		exit(99);
	}
	return der;
}

/* Load der as alg; does the key that comes out equal want? */
static int
loads_as(const unsigned char *der, int len, enum seckey_alg alg,
    EVP_PKEY *want)
{
	struct seckey_pubkey *pk = NULL;
	EVP_PKEY *got = NULL;
	int same = 0;

	if (seckey_pubkey_load(der, (size_t)len, alg, &pk, NULL) == SECKEY_OK &&
	    (got = pubkey_to_evp(pk)) != NULL)
		same = EVP_PKEY_eq(got, want) == 1;
	EVP_PKEY_free(got);
	seckey_pubkey_free(&pk);

	return same;
}

/* The reason seckey_pubkey_load gives for refusing der, or "accepted". */
static const char *
refusal(const unsigned char *der, size_t len, enum seckey_alg alg)
{
	struct seckey_pubkey *pk = NULL;
	const char *why = NULL;

	if (seckey_pubkey_load(der, len, alg, &pk, &why) == SECKEY_OK) {
		seckey_pubkey_free(&pk);
		return "accepted";
	}
	return pk == NULL && why != NULL ? why : "refused without a reason";
}

static void
test_es256(void)
{
	EVP_PKEY *pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	unsigned char *der, *bad, compressed[ES256_HEAD_LEN + 33];
	int len;

	der = spki_of(pkey, &len);
	is_int(len, ES256_HEAD_LEN + 65, "a P-256 key is 91 bytes of DER");
	ok(loads_as(der, len, SECKEY_ALG_ES256, pkey),
	    "an uncompressed P-256 point loads as the same key");
	has_str(refusal(der, (size_t)len, SECKEY_ALG_EDDSA), "Ed25519",
	    "it is not an eddsa key");
	has_str(refusal(der, (size_t)len, SECKEY_ALG_RS256), "RSA",
	    "nor an rs256 key");

	bad = malloc((size_t)len);
	memcpy(bad, der, (size_t)len);
	bad[len - 1] ^= 0x01;		/* y changed: off the curve */
	has_str(refusal(bad, (size_t)len, SECKEY_ALG_ES256), "point of P-256",
	    "a point off the curve is refused");
	memcpy(bad, der, (size_t)len);
	memset(bad + ES256_HEAD_LEN + 1, 0xff, 32);	/* x above p */
	has_str(refusal(bad, (size_t)len, SECKEY_ALG_ES256), "P-256",
	    "a coordinate not below p is refused");
	bad[ES256_HEAD_LEN] = 0x05;	/* no such point form */
	has_str(refusal(bad, (size_t)len, SECKEY_ALG_ES256), "DER",
	    "an unknown point form is left to the decoder, which refuses it");
	has_str(refusal(der, (size_t)len - 1, SECKEY_ALG_ES256), "DER",
	    "a key cut short is refused");
	free(bad);

	/* The same key, its point compressed: OpenSSL's decoder reads it. */
	memcpy(compressed, der, ES256_HEAD_LEN);
	compressed[1] = 0x39;				/* SEQUENCE length */
	compressed[ES256_HEAD_LEN - 2] = 0x22;		/* BIT STRING length */
	compressed[ES256_HEAD_LEN] = 0x02 | (der[len - 1] & 1);
	memcpy(compressed + ES256_HEAD_LEN + 1, der + ES256_HEAD_LEN + 1, 32);
	ok(loads_as(compressed, (int)sizeof(compressed), SECKEY_ALG_ES256,
	    pkey), "a compressed point loads as the same key");

	OPENSSL_free(der);
	EVP_PKEY_free(pkey);
}

static void
test_eddsa(void)
{
	EVP_PKEY *pkey = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519"), *small;
	unsigned char *der, identity[32] = { 0x01 };
	int len;

	der = spki_of(pkey, &len);
	is_int(len, 44, "an Ed25519 key is 44 bytes of DER");
	ok(loads_as(der, len, SECKEY_ALG_EDDSA, pkey),
	    "an Ed25519 key loads as the same key");
	has_str(refusal(der, (size_t)len, SECKEY_ALG_ES256), "P-256",
	    "it is not an es256 key");
	OPENSSL_free(der);
	EVP_PKEY_free(pkey);

	small = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, identity,
	    sizeof(identity));
	der = spki_of(small, &len);
	has_str(refusal(der, (size_t)len, SECKEY_ALG_EDDSA), "small order",
	    "the neutral point is refused");
	OPENSSL_free(der);
	EVP_PKEY_free(small);
}

/* An RSA key of bits bits and public exponent e. */
static EVP_PKEY *
rsa_key(unsigned int bits, unsigned int e)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
	EVP_PKEY *pkey = NULL;
	BIGNUM *bn = BN_new();

	if (ctx == NULL || bn == NULL || BN_set_word(bn, e) != 1 ||
	    EVP_PKEY_keygen_init(ctx) != 1 ||
	    EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, (int)bits) != 1 ||
	    EVP_PKEY_CTX_set1_rsa_keygen_pubexp(ctx, bn) != 1 ||
	    EVP_PKEY_keygen(ctx, &pkey) != 1) {
		fprintf(stderr, "cannot make an RSA key\n");
		exit(99);
	}
	BN_free(bn);
	EVP_PKEY_CTX_free(ctx);

	return pkey;
}

static void
test_rs256(void)
{
	static const struct {
		unsigned int	 bits, e;
		const char	*want, *what;
	} cases[] = {
		{ 2048, 65537, NULL, "RSA-2048 with e = 65537 loads" },
		{ 3072, 65537, "2048 bits", "RSA-3072 is refused: libfido2 "
		    "verifies 2048 bits only" },
		{ 2048, 3, "3-byte exponent", "e = 3 is refused: libfido2 "
		    "holds a 3-byte exponent" },
	};
	EVP_PKEY *pkey;
	unsigned char *der;
	size_t i;
	int len;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		pkey = rsa_key(cases[i].bits, cases[i].e);
		der = spki_of(pkey, &len);
		if (cases[i].want == NULL)
			ok(loads_as(der, len, SECKEY_ALG_RS256, pkey), "%s",
			    cases[i].what);
		else
			has_str(refusal(der, (size_t)len, SECKEY_ALG_RS256),
			    cases[i].want, "%s", cases[i].what);
		OPENSSL_free(der);
		EVP_PKEY_free(pkey);
	}
}

int
main(void)
{
	plan(16);
	test_es256();
	test_eddsa();
	test_rs256();
	return done();
}
