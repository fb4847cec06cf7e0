/*
 * seckey_pubkey.c: loading the public key of a registered credential.
 *
 * Every key of a list is loaded when the list is read, so that a list
 * with one broken entry is refused as a whole; that makes loading part
 * of every sign-in's cost.  OpenSSL 3's d2i_PUBKEY() runs its decoder
 * framework each time (about 1 M instructions a key, 7 M for the
 * first), and libfido2's es256_pk_from_ptr() builds an EC_GROUP (a
 * quarter of a million), so the two encodings FIDO2 keys produce, and
 * registration writes, are read here: a P-256 point, checked against
 * the curve equation, and an Ed25519 key, checked for small order, both
 * behind their fixed DER header.  Anything else (RSA, a compressed
 * point, an unusual but valid encoding) still goes through
 * d2i_PUBKEY(), so both ways accept the same keys; fuzz/fuzz_pubkey.c
 * and tests/unit/test_pubkey.c check that they do.
 */
#include <config.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/obj_mac.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

#include "seckey_pubkey.h"

/* SEQUENCE { SEQUENCE { id-ecPublicKey, prime256v1 }, BIT STRING { */
static const unsigned char es256_spki_head[] = {
	0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d,
	0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01,
	0x07, 0x03, 0x42, 0x00,
};

/* SEQUENCE { SEQUENCE { id-Ed25519 }, BIT STRING { */
static const unsigned char eddsa_spki_head[] = {
	0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21,
	0x00,
};

/*
 * The P-256 field prime.  OpenSSL's decoder refuses a coordinate that is
 * not below p (libfido2 would quietly reduce it); so do we, so that a
 * point has one encoding only.
 */
static const unsigned char p256_prime[32] = {
	0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
};

/*
 * The encodings of the Ed25519 points of small order (and p, p + 1),
 * with the sign bit cleared, as libsodium refuses them: OpenSSL 3.0
 * accepts such a public key, and with the identity a signature of
 * R = identity, S = 0 verifies for any message.
 */
static bool
ed25519_small_order(const unsigned char raw[SECKEY_EDDSA_KEY_LEN])
{
	static const unsigned char small[][SECKEY_EDDSA_KEY_LEN] = {
		{ 0x00 },
		{ 0x01 },
		{ 0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3,
		  0xf4, 0x89, 0xf2, 0xef, 0x98, 0xf0, 0xd5, 0xdf, 0xac, 0x05,
		  0xd3, 0xc6, 0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53,
		  0xfc, 0x05 },
		{ 0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c,
		  0x0b, 0x76, 0x0d, 0x10, 0x67, 0x0f, 0x2a, 0x20, 0x53, 0xfa,
		  0x2c, 0x39, 0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac,
		  0x03, 0x7a },
	};
	unsigned char key[SECKEY_EDDSA_KEY_LEN];
	size_t i;

	memcpy(key, raw, sizeof(key));
	key[31] &= 0x7f;
	for (i = 0; i < sizeof(small) / sizeof(small[0]); i++)
		if (memcmp(key, small[i], sizeof(key)) == 0)
			return true;
	/* p - 1, p and p + 1: 0xec, 0xed, 0xee, then 30 x 0xff, 0x7f. */
	for (i = 1; i < 31; i++)
		if (key[i] != 0xff)
			return false;
	return key[31] == 0x7f && key[0] >= 0xec && key[0] <= 0xee;
}

/* Each loader returns SECKEY_OK, or an error and in *fault why. */
static const char oom[] = "could not be loaded (out of memory)";

/* The Ed25519 key raw into pk. */
static int
eddsa_from_raw(struct seckey_pubkey *pk, const unsigned char *raw,
    const char **fault)
{
	*fault = "is an Ed25519 point of small order, which verifies forged "
	    "signatures";
	if (ed25519_small_order(raw))
		return SECKEY_ERR_SYNTAX;
	memcpy(pk->key.eddsa, raw, sizeof(pk->key.eddsa));
	return SECKEY_OK;
}

/* The coefficient b of P-256: y^2 = x^3 - 3x + b (mod p). */
static const unsigned char p256_b[32] = {
	0x5a, 0xc6, 0x35, 0xd8, 0xaa, 0x3a, 0x93, 0xe7, 0xb3, 0xeb, 0xbd,
	0x55, 0x76, 0x98, 0x86, 0xbc, 0x65, 0x1d, 0x06, 0xb0, 0xcc, 0x53,
	0xb0, 0xf6, 0x3b, 0xce, 0x3c, 0x3e, 0x27, 0xd2, 0x60, 0x4b,
};

/*
 * Does (x, y), both below p, satisfy the curve equation?  libfido2
 * checks the point again, with OpenSSL, when it verifies a signature.
 */
static int
p256_on_curve(const unsigned char *x, const unsigned char *y, bool *on)
{
	BN_CTX *ctx;
	BIGNUM *p, *b, *bx, *by, *lhs, *rhs, *t;
	int r = SECKEY_ERR_NOMEM;

	*on = false;
	if ((ctx = BN_CTX_new()) == NULL)
		return r;
	BN_CTX_start(ctx);
	if ((p = BN_CTX_get(ctx)) == NULL || (b = BN_CTX_get(ctx)) == NULL ||
	    (bx = BN_CTX_get(ctx)) == NULL || (by = BN_CTX_get(ctx)) == NULL ||
	    (lhs = BN_CTX_get(ctx)) == NULL || (rhs = BN_CTX_get(ctx)) == NULL ||
	    (t = BN_CTX_get(ctx)) == NULL)
		goto fail;
	if (BN_bin2bn(p256_prime, 32, p) == NULL ||
	    BN_bin2bn(p256_b, 32, b) == NULL || BN_bin2bn(x, 32, bx) == NULL ||
	    BN_bin2bn(y, 32, by) == NULL ||
	    BN_mod_sqr(lhs, by, p, ctx) != 1 ||		/* y^2 */
	    BN_mod_sqr(t, bx, p, ctx) != 1 ||
	    BN_mod_mul(rhs, t, bx, p, ctx) != 1 ||	/* x^3 */
	    BN_set_word(t, 3) != 1 ||
	    BN_mod_mul(t, t, bx, p, ctx) != 1 ||	/* 3x */
	    BN_mod_sub(rhs, rhs, t, p, ctx) != 1 ||
	    BN_mod_add(rhs, rhs, b, p, ctx) != 1)
		goto fail;
	*on = BN_cmp(lhs, rhs) == 0;
	r = SECKEY_OK;
fail:
	BN_CTX_end(ctx);
	BN_CTX_free(ctx);
	return r;
}

/* The uncompressed P-256 point (0x04, x, y) into pk. */
static int
es256_from_point(struct seckey_pubkey *pk, const unsigned char *point,
    const char **fault)
{
	const unsigned char *x = point + 1, *y = point + 33;
	bool on;
	int r;

	*fault = "is not a P-256 EC key, as es256 needs";
	if (point[0] != 0x04 ||
	    memcmp(x, p256_prime, sizeof(p256_prime)) >= 0 ||
	    memcmp(y, p256_prime, sizeof(p256_prime)) >= 0)
		return SECKEY_ERR_SYNTAX;
	if ((r = p256_on_curve(x, y, &on)) != SECKEY_OK) {
		*fault = oom;
		return r;
	}
	*fault = "is not a point of P-256, as es256 needs";
	if (!on)
		return SECKEY_ERR_SYNTAX;
	memcpy(pk->key.es256, point, sizeof(pk->key.es256));
	return SECKEY_OK;
}

/* The P-256 key OpenSSL decoded (a compressed point, say) into pk. */
static int
es256_from_decoded(struct seckey_pubkey *pk, const EVP_PKEY *pkey,
    const char **fault)
{
	unsigned char point[SECKEY_ES256_POINT_LEN];
	BIGNUM *x = NULL, *y = NULL;
	int r = SECKEY_ERR_NOMEM;

	*fault = oom;
	if (EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_EC_PUB_X, &x) != 1 ||
	    EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_EC_PUB_Y, &y) != 1 ||
	    BN_bn2binpad(x, point + 1, 32) != 32 ||
	    BN_bn2binpad(y, point + 33, 32) != 32)
		goto fail;
	point[0] = 0x04;
	r = es256_from_point(pk, point, fault);
fail:
	BN_free(x);
	BN_free(y);
	return r;
}

/*
 * The fixed encodings: *fast is set when der has the header that alg's
 * keys are written with, and the result is then final.
 */
static int
load_fixed(struct seckey_pubkey *pk, const unsigned char *der, size_t len,
    bool *fast, const char **fault)
{
	*fast = true;
	if (pk->alg == SECKEY_ALG_ES256 &&
	    len == sizeof(es256_spki_head) + SECKEY_ES256_POINT_LEN &&
	    memcmp(der, es256_spki_head, sizeof(es256_spki_head)) == 0 &&
	    der[sizeof(es256_spki_head)] == 0x04)
		return es256_from_point(pk, der + sizeof(es256_spki_head),
		    fault);
	if (pk->alg == SECKEY_ALG_EDDSA &&
	    len == sizeof(eddsa_spki_head) + SECKEY_EDDSA_KEY_LEN &&
	    memcmp(der, eddsa_spki_head, sizeof(eddsa_spki_head)) == 0)
		return eddsa_from_raw(pk, der + sizeof(eddsa_spki_head), fault);
	*fast = false;
	return SECKEY_OK;
}

static bool
is_p256(const EVP_PKEY *pkey)
{
	char group[80];
	size_t group_len;

	return EVP_PKEY_is_a(pkey, "EC") &&
	    EVP_PKEY_get_group_name(pkey, group, sizeof(group),
	    &group_len) == 1 && OBJ_sn2nid(group) == NID_X9_62_prime256v1;
}

/*
 * libfido2 holds an RSA key in a modulus of 256 bytes and an exponent
 * of 3, and verifies with nothing else: a key it cannot hold exactly
 * (another size, an exponent of 3 or of 2^32 + 1) would be accepted
 * here and fail every sign-in, so it is refused when it is read.
 */
static int
rs256_from_decoded(struct seckey_pubkey *pk, const EVP_PKEY *pkey,
    const char **fault)
{
	EVP_PKEY *held = NULL;
	int r = SECKEY_ERR_SYNTAX;

	*fault = "is not an RSA key of 2048 bits with a 3-byte exponent "
	    "(such as 65537), as rs256 needs";
	if (!EVP_PKEY_is_a(pkey, "RSA") ||
	    EVP_PKEY_get_bits(pkey) != SECKEY_RSA_BITS)
		return SECKEY_ERR_SYNTAX;
	if ((pk->key.rs256 = rs256_pk_new()) == NULL) {
		*fault = oom;
		return SECKEY_ERR_NOMEM;
	}
	if (rs256_pk_from_EVP_PKEY(pk->key.rs256, pkey) == FIDO_OK &&
	    (held = rs256_pk_to_EVP_PKEY(pk->key.rs256)) != NULL &&
	    EVP_PKEY_eq(held, pkey) == 1)
		r = SECKEY_OK;
	EVP_PKEY_free(held);

	return r;
}

/* pkey, already decoded, into pk. */
static int
load_decoded(struct seckey_pubkey *pk, const EVP_PKEY *pkey,
    const char **fault)
{
	unsigned char raw[SECKEY_EDDSA_KEY_LEN];
	size_t raw_len = sizeof(raw);

	switch (pk->alg) {
	case SECKEY_ALG_ES256:
		*fault = "is not a P-256 EC key, as es256 needs";
		if (!is_p256(pkey))
			return SECKEY_ERR_SYNTAX;
		return es256_from_decoded(pk, pkey, fault);
	case SECKEY_ALG_EDDSA:
		*fault = "is not an Ed25519 key, as eddsa needs";
		if (!EVP_PKEY_is_a(pkey, "ED25519") ||
		    EVP_PKEY_get_raw_public_key(pkey, raw, &raw_len) != 1 ||
		    raw_len != sizeof(raw))
			return SECKEY_ERR_SYNTAX;
		return eddsa_from_raw(pk, raw, fault);
	case SECKEY_ALG_RS256:
		return rs256_from_decoded(pk, pkey, fault);
	}

	*fault = "has an unknown algorithm";
	return SECKEY_ERR_SYNTAX;
}

/* Any other encoding, through OpenSSL's decoder. */
static int
load_any(struct seckey_pubkey *pk, const unsigned char *der, size_t len,
    const char **fault)
{
	const unsigned char *p = der;
	EVP_PKEY *pkey;
	int r = SECKEY_ERR_SYNTAX;

	*fault = "is not a DER SubjectPublicKeyInfo";
	if ((pkey = d2i_PUBKEY(NULL, &p, (long)len)) != NULL &&
	    p == der + len)
		r = load_decoded(pk, pkey, fault);
	EVP_PKEY_free(pkey);

	return r;
}

int
seckey_pubkey_load(const unsigned char *der, size_t len,
    enum seckey_alg alg, struct seckey_pubkey **pkp, const char **why)
{
	struct seckey_pubkey *pk = NULL;
	const char *fault = "has a bad size";
	bool fast;
	int r = SECKEY_ERR_SYNTAX;

	if (pkp == NULL)
		return SECKEY_ERR_INVAL;
	*pkp = NULL;
	/* Keep our failures out of an OpenSSL error queue we share. */
	ERR_set_mark();
	if (der == NULL || len == 0 || len > SECKEY_PUBKEY_MAX)
		goto fail;
	fault = "has an unknown algorithm";
	if ((size_t)alg > SECKEY_ALG_RS256)
		goto fail;
	r = SECKEY_ERR_NOMEM;
	fault = oom;
	if ((pk = calloc(1, sizeof(*pk))) == NULL)
		goto fail;
	pk->alg = alg;
	if ((r = load_fixed(pk, der, len, &fast, &fault)) == SECKEY_OK &&
	    !fast)
		r = load_any(pk, der, len, &fault);
	if (r != SECKEY_OK)
		goto fail;
	*pkp = pk;
	pk = NULL;

	r = SECKEY_OK;
fail:
	ERR_pop_to_mark();
	seckey_pubkey_free(&pk);
	if (why != NULL)
		*why = r == SECKEY_OK ? NULL : fault;

	return r;
}

/* Free libfido2's form of an es256 or eddsa key; the RSA key is kept. */
static void
fido_free(struct seckey_pubkey *pk)
{
	if (pk->alg == SECKEY_ALG_ES256)
		es256_pk_free(&pk->fido.es256);
	else if (pk->alg == SECKEY_ALG_EDDSA)
		eddsa_pk_free(&pk->fido.eddsa);
}

void
seckey_pubkey_free(struct seckey_pubkey **pkp)
{
	struct seckey_pubkey *pk;

	if (pkp == NULL || (pk = *pkp) == NULL)
		return;
	if (pk->alg == SECKEY_ALG_RS256)
		rs256_pk_free(&pk->key.rs256);
	fido_free(pk);
	free(pk);
	*pkp = NULL;
}

/* The COSE algorithm of pk, as libfido2 names it. */
static int
cose_of(const struct seckey_pubkey *pk)
{
	switch (pk->alg) {
	case SECKEY_ALG_ES256:
		return COSE_ES256;
	case SECKEY_ALG_EDDSA:
		return COSE_EDDSA;
	case SECKEY_ALG_RS256:
		return COSE_RS256;
	}
	return 0;
}

/*
 * pk in libfido2's form, in *fkp: made at the first verification and
 * kept, since the probe's answer and the assertion are both checked
 * with the same key (es256_pk_from_ptr() builds an EC_GROUP each time).
 */
static int
to_fido(struct seckey_pubkey *pk, const void **fkp)
{
	int ok = FIDO_ERR_INTERNAL;

	*fkp = NULL;
	if (pk->alg == SECKEY_ALG_RS256) {
		*fkp = pk->key.rs256;
		return *fkp != NULL ? SECKEY_OK : SECKEY_ERR_INTERNAL;
	}
	if (pk->alg == SECKEY_ALG_ES256 && pk->fido.es256 == NULL) {
		if ((pk->fido.es256 = es256_pk_new()) != NULL)
			ok = es256_pk_from_ptr(pk->fido.es256, pk->key.es256,
			    sizeof(pk->key.es256));
	} else if (pk->alg == SECKEY_ALG_EDDSA && pk->fido.eddsa == NULL) {
		if ((pk->fido.eddsa = eddsa_pk_new()) != NULL)
			ok = eddsa_pk_from_ptr(pk->fido.eddsa, pk->key.eddsa,
			    sizeof(pk->key.eddsa));
	} else
		ok = FIDO_OK;	/* made by an earlier verification */
	/* Checked when it was loaded: only memory can fail here. */
	if (ok != FIDO_OK) {
		fido_free(pk);
		return SECKEY_ERR_NOMEM;
	}
	*fkp = pk->alg == SECKEY_ALG_ES256 ? (const void *)pk->fido.es256 :
	    (const void *)pk->fido.eddsa;
	return SECKEY_OK;
}

int
seckey_pubkey_verify(struct seckey_pubkey *pk, const fido_assert_t *assert,
    size_t idx)
{
	const void *fk;
	int r;

	if ((r = to_fido(pk, &fk)) != SECKEY_OK)
		return r;
	if (fido_assert_verify(assert, idx, cose_of(pk), fk) != FIDO_OK)
		return SECKEY_ERR_SIGNATURE;
	return SECKEY_OK;
}
