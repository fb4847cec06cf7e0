/*
 * vk_keys.c: the key's asymmetric keys.  Credential keys are ES256
 * (P-256) or EdDSA (Ed25519); either one is carried inside a credential
 * id as its 32-byte private part, so this file turns keys into those 32
 * bytes and back, signs, speaks COSE_Key, and does the P-256 ECDH of the
 * PIN protocols.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>

#include "vk.h"

#define P256_POINT_LEN	65	/* 0x04 || x || y */

EVP_PKEY *
vk_key_generate(int alg)
{
	if (alg == VK_COSE_EDDSA)
		return EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	return EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
}

/* The public point of a P-256 private scalar, uncompressed. */
static int
p256_public(const BIGNUM *d, uint8_t *point)
{
	EC_GROUP	*group = NULL;
	EC_POINT	*pub = NULL;
	int		 r = -1;

	if ((group = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1)) ==
	    NULL || (pub = EC_POINT_new(group)) == NULL ||
	    EC_POINT_mul(group, pub, d, NULL, NULL, NULL) != 1 ||
	    EC_POINT_point2oct(group, pub, POINT_CONVERSION_UNCOMPRESSED,
	    point, P256_POINT_LEN, NULL) != P256_POINT_LEN)
		goto fail;
	r = 0;
fail:
	EC_POINT_free(pub);
	EC_GROUP_free(group);
	return r;
}

static EVP_PKEY *
p256_from_private(const uint8_t *priv)
{
	EVP_PKEY_CTX	*ctx = NULL;
	OSSL_PARAM_BLD	*bld = NULL;
	OSSL_PARAM	*params = NULL;
	EVP_PKEY	*pkey = NULL;
	BIGNUM		*d = NULL;
	uint8_t		 point[P256_POINT_LEN];

	if ((d = BN_secure_new()) == NULL ||
	    BN_bin2bn(priv, VK_SECRET_LEN, d) == NULL || BN_is_zero(d) ||
	    p256_public(d, point) != 0 ||
	    (bld = OSSL_PARAM_BLD_new()) == NULL ||
	    OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
	    "prime256v1", 0) != 1 ||
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, d) != 1 ||
	    OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY,
	    point, sizeof(point)) != 1 ||
	    (params = OSSL_PARAM_BLD_to_param(bld)) == NULL ||
	    (ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL)) == NULL ||
	    EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_KEYPAIR, params) != 1)
		pkey = NULL;
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_clear_free(d);
	return pkey;
}

EVP_PKEY *
vk_key_from_private(int alg, const uint8_t *priv)
{
	if (alg == VK_COSE_EDDSA)
		return EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL,
		    priv, VK_SECRET_LEN);
	if (alg == VK_COSE_ES256)
		return p256_from_private(priv);
	return NULL;
}

/* The 32 bytes that vk_key_from_private() takes back. */
int
vk_key_private(const EVP_PKEY *pkey, int alg, uint8_t *priv)
{
	BIGNUM	*d = NULL;
	size_t	 len = VK_SECRET_LEN;
	int	 r = -1;

	if (alg == VK_COSE_EDDSA) {
		if (EVP_PKEY_get_raw_private_key(pkey, priv, &len) != 1 ||
		    len != VK_SECRET_LEN)
			goto fail;
	} else if (EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_PRIV_KEY,
	    &d) != 1 || BN_bn2binpad(d, priv, VK_SECRET_LEN) != VK_SECRET_LEN)
		goto fail;
	r = 0;
fail:
	BN_clear_free(d);
	if (r != 0)
		OPENSSL_cleanse(priv, VK_SECRET_LEN);
	return r;
}

/*
 * Sign a || b (authenticator data || client data hash): ES256 gives a
 * DER ECDSA signature, EdDSA the raw 64 bytes.  sig must hold 80 bytes.
 */
int
vk_key_sign(EVP_PKEY *pkey, int alg, const uint8_t *a, size_t a_len,
    const uint8_t *b, size_t b_len, uint8_t *sig, size_t *sig_len)
{
	EVP_MD_CTX	*ctx = NULL;
	uint8_t		*tbs = NULL;
	size_t		 tbs_len;
	int		 r = -1;

	if (a_len > SIZE_MAX - b_len)
		return -1;
	tbs_len = a_len + b_len;
	if ((tbs = malloc(tbs_len)) == NULL)
		return -1;
	memcpy(tbs, a, a_len);
	memcpy(tbs + a_len, b, b_len);
	*sig_len = 80;
	if ((ctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestSignInit(ctx, NULL, alg == VK_COSE_EDDSA ? NULL :
	    EVP_sha256(), NULL, pkey) != 1 ||
	    EVP_DigestSign(ctx, sig, sig_len, tbs, tbs_len) != 1)
		goto fail;
	r = 0;
fail:
	EVP_MD_CTX_free(ctx);
	free(tbs);
	return r;
}

/* COSE_Key of an EC2 P-256 key, with the given alg (-7 or -25). */
static cbor_item_t *
cose_ec2(const EVP_PKEY *pkey, int alg)
{
	cbor_item_t	*map = NULL;
	uint8_t		 point[P256_POINT_LEN];
	size_t		 len = 0;

	if (EVP_PKEY_get_octet_string_param(pkey, OSSL_PKEY_PARAM_PUB_KEY,
	    point, sizeof(point), &len) != 1 || len != sizeof(point) ||
	    point[0] != 0x04 || (map = cbor_new_definite_map(5)) == NULL)
		return NULL;
	if (vk_cbor_put_int(map, 1, vk_cbor_new_int(2)) != 0 ||
	    vk_cbor_put_int(map, 3, vk_cbor_new_int(alg)) != 0 ||
	    vk_cbor_put_int(map, -1, vk_cbor_new_int(1)) != 0 ||
	    vk_cbor_put_int(map, -2, vk_cbor_new_bytes(point + 1, 32)) != 0 ||
	    vk_cbor_put_int(map, -3, vk_cbor_new_bytes(point + 33, 32)) != 0)
		cbor_decref(&map);
	return map;
}

/* COSE_Key of an OKP Ed25519 key. */
static cbor_item_t *
cose_okp(const EVP_PKEY *pkey)
{
	cbor_item_t	*map = NULL;
	uint8_t		 pub[32];
	size_t		 len = sizeof(pub);

	if (EVP_PKEY_get_raw_public_key(pkey, pub, &len) != 1 ||
	    len != sizeof(pub) || (map = cbor_new_definite_map(4)) == NULL)
		return NULL;
	if (vk_cbor_put_int(map, 1, vk_cbor_new_int(1)) != 0 ||
	    vk_cbor_put_int(map, 3, vk_cbor_new_int(VK_COSE_EDDSA)) != 0 ||
	    vk_cbor_put_int(map, -1, vk_cbor_new_int(6)) != 0 ||
	    vk_cbor_put_int(map, -2, vk_cbor_new_bytes(pub, 32)) != 0)
		cbor_decref(&map);
	return map;
}

cbor_item_t *
vk_key_cose(const EVP_PKEY *pkey, int alg)
{
	return alg == VK_COSE_EDDSA ? cose_okp(pkey) : cose_ec2(pkey, alg);
}

/* A P-256 public key from the platform's COSE_Key; NULL if invalid. */
EVP_PKEY *
vk_key_from_cose(const cbor_item_t *cose)
{
	EVP_PKEY_CTX	*ctx = NULL;
	EVP_PKEY	*pkey = NULL;
	OSSL_PARAM	 params[3];
	const uint8_t	*x, *y;
	size_t		 x_len, y_len;
	int64_t		 kty, crv;
	uint8_t		 point[P256_POINT_LEN];
	char		 group[] = "prime256v1";

	if (!cbor_isa_map(cose) ||
	    vk_cbor_int(vk_cbor_get(cose, 1), &kty) != 0 || kty != 2 ||
	    vk_cbor_int(vk_cbor_get(cose, -1), &crv) != 0 || crv != 1 ||
	    vk_cbor_bytes(vk_cbor_get(cose, -2), &x, &x_len) != 0 ||
	    vk_cbor_bytes(vk_cbor_get(cose, -3), &y, &y_len) != 0 ||
	    x_len != 32 || y_len != 32)
		return NULL;
	point[0] = 0x04;
	memcpy(point + 1, x, 32);
	memcpy(point + 33, y, 32);
	params[0] = OSSL_PARAM_construct_utf8_string(
	    OSSL_PKEY_PARAM_GROUP_NAME, group, 0);
	params[1] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY,
	    point, sizeof(point));
	params[2] = OSSL_PARAM_construct_end();
	if ((ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL)) == NULL ||
	    EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) != 1)
		pkey = NULL;
	EVP_PKEY_CTX_free(ctx);
	return pkey;
}

/* ECDH on P-256: z receives the 32-byte x coordinate of the product. */
int
vk_ecdh(EVP_PKEY *ours, EVP_PKEY *peer, uint8_t *z)
{
	EVP_PKEY_CTX	*ctx = NULL;
	size_t		 len = 32;
	int		 r = -1;

	if ((ctx = EVP_PKEY_CTX_new(ours, NULL)) == NULL ||
	    EVP_PKEY_derive_init(ctx) != 1 ||
	    EVP_PKEY_derive_set_peer_ex(ctx, peer, 1) != 1 ||
	    EVP_PKEY_derive(ctx, z, &len) != 1 || len != 32)
		goto fail;
	r = 0;
fail:
	EVP_PKEY_CTX_free(ctx);
	if (r != 0)
		OPENSSL_cleanse(z, 32);
	return r;
}
