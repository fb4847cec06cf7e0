/*
 * vk_rk.c: the discoverable (resident) credentials of the virtual key,
 * CTAP 2.1 section 6.1 with options.rk.  They live in st.rk, a fixed
 * array of VK_RK_MAX slots of which --resident may be used, and in the
 * state file as one "rk" line each: the hex of a CBOR map (rk_encode()).
 * Their ids are random: the key looks them up instead of opening them.
 * This file also holds what makeCredential, getAssertion and
 * credential management share about them: lookups, the slots of one RP
 * in the order an assertion gives them, the user entity and public key.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "vk.h"

/* Keys of a slot's CBOR map in the state file. */
enum {
	RK_RPID = 1, RK_RP_NAME, RK_USER_ID, RK_USER_NAME, RK_DISPLAY_NAME,
	RK_ID, RK_ALG, RK_PRIV, RK_PROT, RK_CREATED, RK_ORDER,
};

/* The slot holding credential id for rp_hash (any RP if NULL), or -1. */
int
vk_rk_find_id(const struct vk *vk, const uint8_t *rp_hash, const uint8_t *id,
    size_t id_len)
{
	const struct vk_rk *rk;

	if (id_len != VK_RK_ID_LEN)
		return -1;
	for (size_t i = 0; i < VK_RK_MAX; i++) {
		rk = &vk->st.rk[i];
		if (rk->used && memcmp(rk->id, id, VK_RK_ID_LEN) == 0 &&
		    (rp_hash == NULL || memcmp(rk->rp_hash, rp_hash, 32) == 0))
			return (int)i;
	}
	return -1;
}

/* The slot of this RP's account user_id, or -1. */
int
vk_rk_find_user(const struct vk *vk, const uint8_t *rp_hash,
    const uint8_t *user_id, size_t user_id_len)
{
	const struct vk_rk *rk;

	for (size_t i = 0; i < VK_RK_MAX; i++) {
		rk = &vk->st.rk[i];
		if (rk->used && memcmp(rk->rp_hash, rp_hash, 32) == 0 &&
		    rk->user_id_len == user_id_len &&
		    memcmp(rk->user_id, user_id, user_id_len) == 0)
			return (int)i;
	}
	return -1;
}

size_t
vk_rk_count(const struct vk *vk)
{
	size_t n = 0;

	for (size_t i = 0; i < VK_RK_MAX; i++)
		if (vk->st.rk[i].used)
			n++;
	return n;
}

/* A free slot while fewer than --resident are used, else -1. */
int
vk_rk_free_slot(const struct vk *vk)
{
	if (vk_rk_count(vk) >= vk->cfg.resident)
		return -1;
	for (size_t i = 0; i < VK_RK_MAX; i++)
		if (!vk->st.rk[i].used)
			return (int)i;
	return -1;
}

void
vk_rk_wipe(struct vk_rk *rk)
{
	OPENSSL_cleanse(rk, sizeof(*rk));
}

void
vk_rk_wipe_all(struct vk *vk)
{
	for (size_t i = 0; i < VK_RK_MAX; i++)
		vk_rk_wipe(&vk->st.rk[i]);
}

/*
 * Copy text of len bytes into a VK_NAME_MAX + 1 buffer, cut at 64 bytes
 * like CTAP 2.1 lets an authenticator do, but never inside a UTF-8
 * sequence.
 */
void
vk_rk_set_text(char *out, const char *text, size_t len)
{
	out[0] = '\0';
	if (text == NULL || len == 0)
		return;
	if (len > VK_NAME_MAX) {
		len = VK_NAME_MAX;
		while (len > 0 && ((unsigned char)text[len] & 0xc0) == 0x80)
			len--;
	}
	memcpy(out, text, len);
	out[len] = '\0';
}

/*
 * May this credential answer a getAssertion?  credProtect level 2 needs
 * user verification when no allow list names it, level 3 always.
 */
int
vk_rk_usable(const struct vk_rk *rk, int uv, int listed)
{
	if (rk->prot == VK_PROT_REQUIRED)
		return uv;
	if (rk->prot == VK_PROT_LIST)
		return uv || listed;
	return 1;
}

/*
 * The slots of rp_hash, most recent first, in slot[] (VK_RK_MAX long);
 * uv >= 0: only those a getAssertion without an allow list may use.
 * Returns how many.
 */
size_t
vk_rk_for_rp(const struct vk *vk, const uint8_t *rp_hash, int uv,
    size_t *slot)
{
	size_t n = 0, j;

	for (size_t i = 0; i < VK_RK_MAX; i++) {
		const struct vk_rk *rk = &vk->st.rk[i];

		if (!rk->used || memcmp(rk->rp_hash, rp_hash, 32) != 0 ||
		    (uv >= 0 && !vk_rk_usable(rk, uv, 0)))
			continue;
		for (j = n; j > 0 && vk->st.rk[slot[j - 1]].order < rk->order;
		    j--)
			slot[j] = slot[j - 1];
		slot[j] = i;
		n++;
	}
	return n;
}

/* The user entity: {"id"} or, full, with "name" and "displayName". */
cbor_item_t *
vk_rk_user(const struct vk_rk *rk, int full)
{
	cbor_item_t	*map;
	size_t		 n = 1;
	int		 bad;

	full = full && (rk->user_name[0] != '\0' ||
	    rk->display_name[0] != '\0');
	if (full)
		n += (rk->user_name[0] != '\0') +
		    (rk->display_name[0] != '\0');
	if ((map = cbor_new_definite_map(n)) == NULL)
		return NULL;
	bad = vk_cbor_put_str(map, "id", vk_cbor_new_bytes(rk->user_id,
	    rk->user_id_len));
	if (full && rk->user_name[0] != '\0')
		bad |= vk_cbor_put_str(map, "name",
		    vk_cbor_new_text(rk->user_name));
	if (full && rk->display_name[0] != '\0')
		bad |= vk_cbor_put_str(map, "displayName",
		    vk_cbor_new_text(rk->display_name));
	if (bad)
		cbor_decref(&map);
	return map;
}

/* PublicKeyCredentialDescriptor: {"id": id, "type": "public-key"}. */
cbor_item_t *
vk_rk_desc(const struct vk_rk *rk)
{
	cbor_item_t	*map;
	int		 bad;

	if ((map = cbor_new_definite_map(2)) == NULL)
		return NULL;
	bad = vk_cbor_put_str(map, "id", vk_cbor_new_bytes(rk->id,
	    VK_RK_ID_LEN));
	bad |= vk_cbor_put_str(map, "type", vk_cbor_new_text("public-key"));
	if (bad)
		cbor_decref(&map);
	return map;
}

/* The credential's public key as a COSE_Key. */
cbor_item_t *
vk_rk_pubkey(const struct vk_rk *rk)
{
	EVP_PKEY	*key;
	cbor_item_t	*cose = NULL;

	if ((key = vk_key_from_private(rk->alg, rk->priv)) != NULL)
		cose = vk_key_cose(key, rk->alg);
	EVP_PKEY_free(key);
	return cose;
}

/* One slot as the CBOR of its state file line; the caller wipes it. */
int
vk_rk_encode(const struct vk_rk *rk, unsigned char **out, size_t *out_len)
{
	cbor_item_t	*map;
	size_t		 cap = 0;
	int		 bad;

	*out = NULL;
	*out_len = 0;
	if ((map = cbor_new_definite_map(11)) == NULL)
		return -1;
	bad = vk_cbor_put_int(map, RK_RPID, vk_cbor_new_text(rk->rpid));
	bad |= vk_cbor_put_int(map, RK_RP_NAME, vk_cbor_new_text(rk->rp_name));
	bad |= vk_cbor_put_int(map, RK_USER_ID, vk_cbor_new_bytes(rk->user_id,
	    rk->user_id_len));
	bad |= vk_cbor_put_int(map, RK_USER_NAME,
	    vk_cbor_new_text(rk->user_name));
	bad |= vk_cbor_put_int(map, RK_DISPLAY_NAME,
	    vk_cbor_new_text(rk->display_name));
	bad |= vk_cbor_put_int(map, RK_ID, vk_cbor_new_bytes(rk->id,
	    VK_RK_ID_LEN));
	bad |= vk_cbor_put_int(map, RK_ALG, vk_cbor_new_int(rk->alg));
	bad |= vk_cbor_put_int(map, RK_PRIV, vk_cbor_new_bytes(rk->priv,
	    VK_SECRET_LEN));
	bad |= vk_cbor_put_int(map, RK_PROT, vk_cbor_new_int(rk->prot));
	bad |= vk_cbor_put_int(map, RK_CREATED,
	    vk_cbor_new_int((int64_t)rk->created));
	bad |= vk_cbor_put_int(map, RK_ORDER,
	    vk_cbor_new_int((int64_t)rk->order));
	if (!bad && (*out_len = cbor_serialize_alloc(map, out, &cap)) == 0)
		bad = 1;
	cbor_decref(&map);
	return bad ? -1 : 0;
}

static int
decode_text(const cbor_item_t *map, int key, char *out, size_t max)
{
	const char	*text;
	size_t		 len;

	if (vk_cbor_text(vk_cbor_get(map, key), &text, &len) != CTAP2_OK ||
	    len > max || memchr(text, '\0', len) != NULL)
		return -1;
	memcpy(out, text, len);
	out[len] = '\0';
	return 0;
}

static int
decode_bytes(const cbor_item_t *map, int key, uint8_t *out, size_t min,
    size_t max, size_t *len)
{
	const uint8_t *ptr;

	if (vk_cbor_bytes(vk_cbor_get(map, key), &ptr, len) != CTAP2_OK ||
	    *len < min || *len > max)
		return -1;
	memcpy(out, ptr, *len);
	return 0;
}

static int
decode_fields(struct vk_rk *rk, const cbor_item_t *map)
{
	size_t		len;
	int64_t		alg;
	uint64_t	prot;

	if (decode_text(map, RK_RPID, rk->rpid, VK_RPID_MAX) != 0 ||
	    rk->rpid[0] == '\0' ||
	    decode_text(map, RK_RP_NAME, rk->rp_name, VK_NAME_MAX) != 0 ||
	    decode_bytes(map, RK_USER_ID, rk->user_id, 1, VK_USER_ID_MAX,
	    &rk->user_id_len) != 0 ||
	    decode_text(map, RK_USER_NAME, rk->user_name, VK_NAME_MAX) != 0 ||
	    decode_text(map, RK_DISPLAY_NAME, rk->display_name,
	    VK_NAME_MAX) != 0 ||
	    decode_bytes(map, RK_ID, rk->id, VK_RK_ID_LEN, VK_RK_ID_LEN,
	    &len) != 0 ||
	    decode_bytes(map, RK_PRIV, rk->priv, VK_SECRET_LEN,
	    VK_SECRET_LEN, &len) != 0 ||
	    vk_cbor_int(vk_cbor_get(map, RK_ALG), &alg) != CTAP2_OK ||
	    (alg != VK_COSE_ES256 && alg != VK_COSE_EDDSA) ||
	    vk_cbor_uint(vk_cbor_get(map, RK_PROT), &prot) != CTAP2_OK ||
	    prot < VK_PROT_OPTIONAL || prot > VK_PROT_REQUIRED ||
	    vk_cbor_uint(vk_cbor_get(map, RK_CREATED), &rk->created) !=
	    CTAP2_OK ||
	    vk_cbor_uint(vk_cbor_get(map, RK_ORDER), &rk->order) != CTAP2_OK)
		return -1;
	rk->alg = (int)alg;
	rk->prot = (unsigned int)prot;
	return vk_sha256((const uint8_t *)rk->rpid, strlen(rk->rpid),
	    rk->rp_hash);
}

/* A state file line's CBOR back into a slot. */
int
vk_rk_decode(struct vk_rk *rk, const uint8_t *buf, size_t len)
{
	cbor_item_t	*map = NULL;
	int		 r = -1;

	vk_rk_wipe(rk);
	if (vk_cbor_load(buf, len, &map) == CTAP2_OK &&
	    decode_fields(rk, map) == 0) {
		rk->used = 1;
		r = 0;
	}
	if (map != NULL)
		cbor_decref(&map);
	if (r != 0)
		vk_rk_wipe(rk);
	return r;
}

void
vk_next_clear(struct vk *vk)
{
	OPENSSL_cleanse(&vk->next, sizeof(vk->next));
	vk->next.kind = VK_NEXT_NONE;
}
