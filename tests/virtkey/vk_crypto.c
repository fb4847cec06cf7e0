/*
 * vk_crypto.c: thin wrappers around OpenSSL 3 primitives for the virtual
 * key: random bytes, SHA-256, HMAC-SHA-256, HKDF-SHA-256, AES-256-CBC
 * without padding and AES-256-GCM.  Every function returns 0 on success
 * and -1 on failure, so callers decide which CTAP status that is.
 */
#include "config.h"

#include <limits.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include "vk.h"

int
vk_random(uint8_t *buf, size_t len)
{
	if (len > INT_MAX || RAND_bytes(buf, (int)len) != 1)
		return -1;
	return 0;
}

int
vk_sha256(const uint8_t *data, size_t len, uint8_t *out)
{
	unsigned int out_len = 0;

	if (EVP_Digest(data, len, out, &out_len, EVP_sha256(), NULL) != 1 ||
	    out_len != 32)
		return -1;
	return 0;
}

int
vk_hmac_sha256(const uint8_t *key, size_t key_len, const uint8_t *data,
    size_t len, uint8_t *out)
{
	unsigned int out_len = 0;

	if (key_len > INT_MAX ||
	    HMAC(EVP_sha256(), key, (int)key_len, data, len, out,
	    &out_len) == NULL || out_len != 32)
		return -1;
	return 0;
}

/* HKDF-SHA-256 with a salt of 32 zero bytes and a 32-byte output. */
int
vk_hkdf_sha256(const uint8_t *secret, size_t len, const char *info,
    uint8_t *out)
{
	EVP_KDF		*kdf = NULL;
	EVP_KDF_CTX	*ctx = NULL;
	OSSL_PARAM	 params[5];
	uint8_t		 salt[32];
	char		 digest[] = "SHA256";
	int		 r = -1;

	memset(salt, 0, sizeof(salt));
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST,
	    digest, 0);
	params[1] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY,
	    (void *)(uintptr_t)secret, len);
	params[2] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT,
	    salt, sizeof(salt));
	params[3] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO,
	    (void *)(uintptr_t)info, strlen(info));
	params[4] = OSSL_PARAM_construct_end();
	if ((kdf = EVP_KDF_fetch(NULL, "HKDF", NULL)) == NULL ||
	    (ctx = EVP_KDF_CTX_new(kdf)) == NULL ||
	    EVP_KDF_derive(ctx, out, 32, params) != 1)
		goto fail;
	r = 0;
fail:
	EVP_KDF_CTX_free(ctx);
	EVP_KDF_free(kdf);
	return r;
}

/*
 * AES-256-CBC without padding: len must be a non-zero multiple of 16.
 * enc is 1 to encrypt, 0 to decrypt; out receives len bytes.
 */
int
vk_aes256_cbc(int enc, const uint8_t *key, const uint8_t *iv,
    const uint8_t *in, size_t len, uint8_t *out)
{
	EVP_CIPHER_CTX	*ctx = NULL;
	int		 n = 0, fin = 0;
	int		 r = -1;

	if (len == 0 || len % 16 != 0 || len > INT_MAX)
		return -1;
	if ((ctx = EVP_CIPHER_CTX_new()) == NULL ||
	    EVP_CipherInit_ex(ctx, EVP_aes_256_cbc(), NULL, key, iv,
	    enc) != 1 ||
	    EVP_CIPHER_CTX_set_padding(ctx, 0) != 1 ||
	    EVP_CipherUpdate(ctx, out, &n, in, (int)len) != 1 ||
	    EVP_CipherFinal_ex(ctx, out + n, &fin) != 1 ||
	    (size_t)n + (size_t)fin != len)
		goto fail;
	r = 0;
fail:
	EVP_CIPHER_CTX_free(ctx);
	return r;
}

/*
 * AES-256-GCM with a 12-byte nonce and a 16-byte tag.  On encryption the
 * tag is written to tag; on decryption it is checked, and a mismatch is
 * a failure.
 */
int
vk_aes256_gcm(int enc, const uint8_t *key, const uint8_t *nonce,
    const uint8_t *aad, size_t aad_len, const uint8_t *in, size_t len,
    uint8_t *out, uint8_t *tag)
{
	EVP_CIPHER_CTX	*ctx = NULL;
	int		 n = 0;
	int		 r = -1;

	if (aad_len > INT_MAX || len > INT_MAX)
		return -1;
	if ((ctx = EVP_CIPHER_CTX_new()) == NULL ||
	    EVP_CipherInit_ex(ctx, EVP_aes_256_gcm(), NULL, key, nonce,
	    enc) != 1)
		goto fail;
	if (!enc && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, 16,
	    tag) != 1)
		goto fail;
	if (EVP_CipherUpdate(ctx, NULL, &n, aad, (int)aad_len) != 1 ||
	    EVP_CipherUpdate(ctx, out, &n, in, (int)len) != 1 ||
	    (size_t)n != len || EVP_CipherFinal_ex(ctx, out + n, &n) != 1)
		goto fail;
	if (enc && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16,
	    tag) != 1)
		goto fail;
	r = 0;
fail:
	EVP_CIPHER_CTX_free(ctx);
	if (r != 0)
		OPENSSL_cleanse(out, len);
	return r;
}
