/*
 * vk_credid.c: what makeCredential and getAssertion share: credential
 * ids, allow and exclude lists, authenticator data, and the first
 * pinUvAuthParam checks.
 *
 * A non-discoverable credential is kept by nobody but its id:
 *
 *	0x01 | nonce (12) | AES-256-GCM(alg (1) | private key (32)) | tag (16)
 *
 * where the alg byte carries the credProtect level in its high nibble
 * (0: none asked, which is level 1).  A discoverable credential (vk_rk.c)
 * has a random id and lives in the state file; lists find both.
 * under a key derived from the master secret of the state file, with
 * 0x01 | rpIdHash as additional data: it opens only on the key that made
 * it and only for its own RP, and a reset (new master secret) makes every
 * old credential id unopenable.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "vk.h"

#define CREDID_VERSION	0x01
#define CREDID_NONCE	12
#define CREDID_PLAIN	(1 + VK_SECRET_LEN)
#define CREDID_TAG	16
#define CREDID_LEN	(1 + CREDID_NONCE + CREDID_PLAIN + CREDID_TAG)
#define ALG_BYTE_ES256	1
#define ALG_BYTE_EDDSA	2
#define ALG_BYTE_MASK	0x0f
#define PROT_SHIFT	4

static int
wrap_key(const struct vk *vk, uint8_t *key)
{
	static const char label[] = "pam_seckey virtkey credential wrap";

	return vk_hmac_sha256(vk->st.master, VK_SECRET_LEN,
	    (const uint8_t *)label, sizeof(label) - 1, key);
}

static void
wrap_aad(const uint8_t *rp_hash, uint8_t *aad)
{
	aad[0] = CREDID_VERSION;
	memcpy(aad + 1, rp_hash, 32);
}

/* out must hold VK_MAX_CRED_ID_LEN bytes. */
int
vk_credid_wrap(const struct vk *vk, const uint8_t *rp_hash, int alg,
    unsigned int prot, const uint8_t *priv, uint8_t *out, size_t *out_len)
{
	uint8_t	key[32], aad[33], plain[CREDID_PLAIN];
	int	r = -1;

	plain[0] = alg == VK_COSE_EDDSA ? ALG_BYTE_EDDSA : ALG_BYTE_ES256;
	if (prot > VK_PROT_OPTIONAL)
		plain[0] |= (uint8_t)(prot << PROT_SHIFT);
	memcpy(plain + 1, priv, VK_SECRET_LEN);
	wrap_aad(rp_hash, aad);
	out[0] = CREDID_VERSION;
	if (wrap_key(vk, key) != 0 || vk_random(out + 1, CREDID_NONCE) != 0 ||
	    vk_aes256_gcm(1, key, out + 1, aad, sizeof(aad), plain,
	    sizeof(plain), out + 1 + CREDID_NONCE,
	    out + 1 + CREDID_NONCE + CREDID_PLAIN) != 0)
		goto fail;
	*out_len = CREDID_LEN;
	r = 0;
fail:
	OPENSSL_cleanse(key, sizeof(key));
	OPENSSL_cleanse(plain, sizeof(plain));
	return r;
}

/*
 * 0 and the algorithm, credProtect level and private key if id opens for
 * rp_hash, else -1.
 */
static int
vk_credid_unwrap(const struct vk *vk, const uint8_t *rp_hash,
    const uint8_t *id, size_t id_len, int *alg, unsigned int *prot,
    uint8_t *priv)
{
	uint8_t	key[32], aad[33], plain[CREDID_PLAIN], tag[CREDID_TAG];
	int	r = -1;

	if (id_len != CREDID_LEN || id[0] != CREDID_VERSION)
		return -1;
	wrap_aad(rp_hash, aad);
	memcpy(tag, id + 1 + CREDID_NONCE + CREDID_PLAIN, sizeof(tag));
	if (wrap_key(vk, key) != 0 ||
	    vk_aes256_gcm(0, key, id + 1, aad, sizeof(aad),
	    id + 1 + CREDID_NONCE, CREDID_PLAIN, plain, tag) != 0)
		goto fail;
	if ((plain[0] & ALG_BYTE_MASK) == ALG_BYTE_ES256)
		*alg = VK_COSE_ES256;
	else if ((plain[0] & ALG_BYTE_MASK) == ALG_BYTE_EDDSA)
		*alg = VK_COSE_EDDSA;
	else
		goto fail;
	*prot = plain[0] >> PROT_SHIFT;
	if (*prot == 0)
		*prot = VK_PROT_OPTIONAL;
	else if (*prot > VK_PROT_REQUIRED)
		goto fail;
	memcpy(priv, plain + 1, VK_SECRET_LEN);
	r = 0;
fail:
	OPENSSL_cleanse(key, sizeof(key));
	OPENSSL_cleanse(plain, sizeof(plain));
	return r;
}

/* Check one PublicKeyCredentialDescriptor: {"id": bytes, "type": text}. */
static int
desc_check(const cbor_item_t *desc, const uint8_t **id, size_t *id_len,
    int *is_public_key)
{
	const char	*type;
	size_t		 type_len;
	int		 r;

	if (!cbor_isa_map(desc))
		return CTAP2_ERR_CBOR_UNEXPECTED_TYPE;
	if ((r = vk_cbor_text(vk_cbor_get_str(desc, "type"), &type,
	    &type_len)) != CTAP2_OK ||
	    (r = vk_cbor_bytes(vk_cbor_get_str(desc, "id"), id,
	    id_len)) != CTAP2_OK)
		return r;
	*is_public_key = type_len == 10 && memcmp(type, "public-key", 10) == 0;
	return CTAP2_OK;
}

/* A list must be an array of descriptors no longer than max. */
int
vk_desc_list_check(const cbor_item_t *list, uint64_t max, size_t *count)
{
	cbor_item_t	**items;
	const uint8_t	 *id;
	size_t		  n, id_len;
	int		  is_pk, r;

	*count = 0;
	if (list == NULL)
		return CTAP2_OK;
	if (!cbor_isa_array(list) || !cbor_array_is_definite(list))
		return CTAP2_ERR_CBOR_UNEXPECTED_TYPE;
	n = cbor_array_size(list);
	items = cbor_array_handle(list);
	for (size_t i = 0; i < n; i++)
		if (items[i] == NULL || (r = desc_check(items[i], &id,
		    &id_len, &is_pk)) != CTAP2_OK)
			return items[i] == NULL ? CTAP2_ERR_INVALID_CBOR : r;
	*count = n;
	return n > max ? CTAP2_ERR_LIMIT_EXCEEDED : CTAP2_OK;
}

/* The descriptor's id as one of this key's credentials for rp_hash. */
static int
credref_open(const struct vk *vk, const uint8_t *rp_hash, const uint8_t *id,
    size_t id_len, struct vk_credref *ref)
{
	const struct vk_rk	*rk;
	int			 slot;

	if ((slot = vk_rk_find_id(vk, rp_hash, id, id_len)) >= 0) {
		rk = &vk->st.rk[slot];
		ref->alg = rk->alg;
		ref->prot = rk->prot;
		memcpy(ref->priv, rk->priv, VK_SECRET_LEN);
	} else if (vk_credid_unwrap(vk, rp_hash, id, id_len, &ref->alg,
	    &ref->prot, ref->priv) != 0)
		return 0;
	ref->id = id;
	ref->id_len = id_len;
	ref->slot = slot;
	return 1;
}

/*
 * The first descriptor of a checked list that is a credential of this
 * key for rp_hash and may be used (credProtect level 3 needs uv): 1 with
 * its id, algorithm, private key, level and slot in ref, or 0.
 */
int
vk_desc_list_find(const struct vk *vk, const cbor_item_t *list,
    const uint8_t *rp_hash, int uv, struct vk_credref *ref)
{
	cbor_item_t	**items;
	const uint8_t	 *id;
	size_t		  n, id_len;
	int		  is_pk;

	memset(ref, 0, sizeof(*ref));
	ref->slot = -1;
	if (list == NULL)
		return 0;
	n = cbor_array_size(list);
	items = cbor_array_handle(list);
	for (size_t i = 0; i < n; i++) {
		if (desc_check(items[i], &id, &id_len, &is_pk) != CTAP2_OK ||
		    !is_pk || !credref_open(vk, rp_hash, id, id_len, ref))
			continue;
		if (ref->prot == VK_PROT_REQUIRED && !uv) {
			OPENSSL_cleanse(ref->priv, sizeof(ref->priv));
			continue;
		}
		return 1;
	}
	memset(ref, 0, sizeof(*ref));
	ref->slot = -1;
	return 0;
}

static void
put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/*
 * Authenticator data: rpIdHash | flags | signCount, then, when cred_id
 * is given, the attested credential data aaguid | idLen | id | COSE key,
 * then, when ext is given, the extensions map (and the ED flag).
 * This is the one place flags and counter enter a reply.
 */
int
vk_authdata(const struct vk *vk, const uint8_t *rp_hash, uint8_t flags,
    uint32_t count, const uint8_t *cred_id, size_t cred_id_len,
    const cbor_item_t *cose, const cbor_item_t *ext, uint8_t **out,
    size_t *out_len)
{
	unsigned char	*key = NULL, *exts = NULL;
	size_t		 key_len = 0, key_cap = 0, ext_len = 0, ext_cap = 0;
	size_t		 len = 37, at_len = 0;
	uint8_t		*p;

	*out = NULL;
	*out_len = 0;
	if (cred_id == NULL && vk->evil_now &&
	    (vk->cfg.evil & VK_EVIL_CLEAR_UP))
		flags &= (uint8_t)~VK_FLAG_UP;
	if (cred_id == NULL && vk->evil_now &&
	    (vk->cfg.evil & VK_EVIL_CLEAR_UV))
		flags &= (uint8_t)~VK_FLAG_UV;
	/* --counter zero: a key that does not count (a counter of 0). */
	if (vk->cfg.counter_zero)
		count = 0;
	/* counter-back spoils every assertion, so each is below the last. */
	if (cred_id == NULL && (vk->cfg.evil & VK_EVIL_COUNTER_BACK))
		count = VK_EVIL_COUNTER_TOP - count;
	if (cred_id != NULL) {
		if ((key_len = cbor_serialize_alloc(cose, &key, &key_cap)) == 0)
			return -1;
		at_len = VK_AAGUID_LEN + 2 + cred_id_len + key_len;
	}
	if (ext != NULL) {
		if ((ext_len = cbor_serialize_alloc(ext, &exts,
		    &ext_cap)) == 0) {
			free(key);
			return -1;
		}
		flags |= VK_FLAG_ED;
	}
	len += at_len + ext_len;
	if ((p = calloc(1, len)) == NULL) {
		free(key);
		free(exts);
		return -1;
	}
	memcpy(p, rp_hash, 32);
	p[32] = flags;
	put_be32(p + 33, count);
	if (cred_id != NULL) {
		memcpy(p + 37, vk_aaguid, VK_AAGUID_LEN);
		p[53] = (uint8_t)(cred_id_len >> 8);
		p[54] = (uint8_t)cred_id_len;
		memcpy(p + 55, cred_id, cred_id_len);
		memcpy(p + 55 + cred_id_len, key, key_len);
	}
	if (ext != NULL)
		memcpy(p + 37 + at_len, exts, ext_len);
	free(key);
	free(exts);
	*out = p;
	*out_len = len;
	return 0;
}

/* pinUvAuthParam and pinUvAuthProtocol, when present, with their types. */
int
vk_pinauth_parse(const cbor_item_t *params, int64_t auth_key,
    int64_t proto_key, struct vk_pinauth *pa)
{
	const cbor_item_t	*item;
	int			 r;

	memset(pa, 0, sizeof(*pa));
	if ((item = vk_cbor_get(params, auth_key)) != NULL) {
		if ((r = vk_cbor_bytes(item, &pa->auth, &pa->auth_len)) !=
		    CTAP2_OK)
			return r;
		pa->has_auth = 1;
	}
	if ((item = vk_cbor_get(params, proto_key)) != NULL) {
		if ((r = vk_cbor_uint(item, &pa->proto)) != CTAP2_OK)
			return r;
		pa->has_proto = 1;
	}
	return CTAP2_OK;
}

/*
 * The first steps of makeCredential and getAssertion.  A zero-length
 * pinUvAuthParam is libfido2's "touch to select" probe: wait for the
 * touch, then say whether a PIN is set.  A non-empty one needs a
 * protocol the key offers.
 */
int
vk_pinauth_precheck(struct vk *vk, const struct vk_pinauth *pa)
{
	int r;

	if (!pa->has_auth)
		return CTAP2_OK;
	if (pa->auth_len == 0) {
		if ((r = vk_user_presence(vk)) != CTAP2_OK)
			return r;
		return vk->st.pin_set ? CTAP2_ERR_PIN_INVALID :
		    CTAP2_ERR_PIN_NOT_SET;
	}
	if (!pa->has_proto)
		return CTAP2_ERR_MISSING_PARAMETER;
	if (!vk_pin_protocol_ok(vk, pa->proto))
		return CTAP1_ERR_INVALID_PARAMETER;
	return CTAP2_OK;
}
