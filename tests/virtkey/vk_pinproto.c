/*
 * vk_pinproto.c: PIN/UV auth protocols one and two of CTAP 2.1, the
 * authenticator's side.  Protocol 1: shared secret SHA-256(Z.x),
 * AES-256-CBC with a zero IV, HMAC-SHA-256 cut to 16 bytes.  Protocol 2:
 * HKDF-SHA-256 (32 zero-byte salt) into an HMAC key and an AES key, a
 * random IV in front of the ciphertext, the full 32-byte HMAC.
 */
#include "config.h"

#include <string.h>

#include <openssl/crypto.h>

#include "vk.h"

/*
 * Decapsulate: the shared secret between our key agreement key and the
 * platform's COSE_Key.  shared holds VK_SHARED_MAX bytes.
 */
int
vk_pp_shared(const struct vk *vk, uint64_t proto, const cbor_item_t *cose,
    uint8_t *shared, size_t *shared_len)
{
	EVP_PKEY	*peer = NULL;
	uint8_t		 z[32];
	int		 r = CTAP1_ERR_INVALID_PARAMETER;

	*shared_len = 0;
	if ((peer = vk_key_from_cose(cose)) == NULL ||
	    vk_ecdh(vk->pin.ka_key, peer, z) != 0)
		goto fail;
	if (proto == 1) {
		if (vk_sha256(z, sizeof(z), shared) != 0)
			goto fail;
		*shared_len = 32;
	} else {
		if (vk_hkdf_sha256(z, sizeof(z), "CTAP2 HMAC key",
		    shared) != 0 || vk_hkdf_sha256(z, sizeof(z),
		    "CTAP2 AES key", shared + 32) != 0)
			goto fail;
		*shared_len = 64;
	}
	r = CTAP2_OK;
fail:
	OPENSSL_cleanse(z, sizeof(z));
	EVP_PKEY_free(peer);
	if (r != CTAP2_OK)
		OPENSSL_cleanse(shared, VK_SHARED_MAX);
	return r;
}

/* out receives len bytes (protocol 1) or 16 + len bytes (protocol 2). */
int
vk_pp_encrypt(uint64_t proto, const uint8_t *shared, size_t shared_len,
    const uint8_t *in, size_t len, uint8_t *out, size_t *out_len)
{
	uint8_t iv[16];

	memset(iv, 0, sizeof(iv));
	if (proto == 1) {
		if (shared_len != 32 ||
		    vk_aes256_cbc(1, shared, iv, in, len, out) != 0)
			return -1;
		*out_len = len;
		return 0;
	}
	if (shared_len != 64 || vk_random(iv, sizeof(iv)) != 0 ||
	    vk_aes256_cbc(1, shared + 32, iv, in, len, out + 16) != 0)
		return -1;
	memcpy(out, iv, sizeof(iv));
	*out_len = sizeof(iv) + len;
	return 0;
}

/* out receives len bytes (protocol 1) or len - 16 bytes (protocol 2). */
int
vk_pp_decrypt(uint64_t proto, const uint8_t *shared, size_t shared_len,
    const uint8_t *in, size_t len, uint8_t *out, size_t *out_len)
{
	uint8_t iv[16];

	memset(iv, 0, sizeof(iv));
	*out_len = 0;
	if (proto == 1) {
		if (shared_len != 32 ||
		    vk_aes256_cbc(0, shared, iv, in, len, out) != 0)
			return -1;
		*out_len = len;
		return 0;
	}
	if (shared_len != 64 || len < 32)
		return -1;
	memcpy(iv, in, sizeof(iv));
	if (vk_aes256_cbc(0, shared + 32, iv, in + 16, len - 16, out) != 0)
		return -1;
	*out_len = len - 16;
	return 0;
}

/*
 * Check an authentication code over msg, in constant time.  key is a
 * shared secret (protocol 2: its first 32 bytes are the HMAC key) or a
 * 32-byte pinUvAuthToken.
 */
int
vk_pp_verify(uint64_t proto, const uint8_t *key, size_t key_len,
    const uint8_t *msg, size_t msg_len, const uint8_t *sig, size_t sig_len)
{
	uint8_t	mac[32];
	size_t	want = proto == 1 ? 16 : 32;
	int	r = -1;

	if (proto == 2 && key_len > 32)
		key_len = 32;
	if (sig_len != want ||
	    vk_hmac_sha256(key, key_len, msg, msg_len, mac) != 0)
		goto fail;
	if (CRYPTO_memcmp(mac, sig, want) == 0)
		r = 0;
fail:
	OPENSSL_cleanse(mac, sizeof(mac));
	return r;
}
