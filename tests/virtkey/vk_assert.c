/*
 * vk_assert.c: authenticatorGetAssertion (0x02) and
 * authenticatorGetNextAssertion (0x08), CTAP 2.1 sections 6.2 and 6.3.
 * With an allow list, the first entry that is a credential of this key
 * signs (vk_credid.c).  Without one, on a key with --resident, the
 * discoverable credentials of the RP that credProtect lets out sign, the
 * most recent first, and the others wait for getNextAssertion.  up=false
 * is the silent probe: no touch, no UP flag.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "vk.h"


struct ga_req {
	const char		*rpid;
	size_t			 rpid_len;
	const uint8_t		*cdh;
	size_t			 cdh_len;
	const cbor_item_t	*allow;
	size_t			 nallow;
	int			 rk, up, uv;	/* -1: absent */
	struct vk_pinauth	 pa;
};

/* The credential that signs, and what its reply carries besides. */
struct ga_cred {
	struct vk_credref	 ref;
	int			 phished;	/* --evil phish: not ours */
	int			 user_full;	/* user name and displayName */
	size_t			 count;		/* numberOfCredentials, if > 1 */
};

static int
ga_parse(const struct vk *vk, const cbor_item_t *params, struct ga_req *req)
{
	const cbor_item_t	*opts, *ext;
	int			 r;

	memset(req, 0, sizeof(*req));
	req->rk = req->up = req->uv = -1;
	req->allow = vk_cbor_get(params, 3);
	opts = vk_cbor_get(params, 5);
	if ((r = vk_cbor_text(vk_cbor_get(params, 1), &req->rpid,
	    &req->rpid_len)) != CTAP2_OK ||
	    (r = vk_cbor_bytes(vk_cbor_get(params, 2), &req->cdh,
	    &req->cdh_len)) != CTAP2_OK)
		return r;
	if (((ext = vk_cbor_get(params, 4)) != NULL && !cbor_isa_map(ext)) ||
	    (opts != NULL && !cbor_isa_map(opts)))
		return CTAP2_ERR_CBOR_UNEXPECTED_TYPE;
	if ((r = vk_cbor_option(opts, "rk", &req->rk)) != CTAP2_OK ||
	    (r = vk_cbor_option(opts, "up", &req->up)) != CTAP2_OK ||
	    (r = vk_cbor_option(opts, "uv", &req->uv)) != CTAP2_OK ||
	    (r = vk_pinauth_parse(params, 6, 7, &req->pa)) != CTAP2_OK)
		return r;
	return vk_desc_list_check(req->allow, vk->cfg.max_creds,
	    &req->nallow);
}

/* Options and user verification: the checks before any touch. */
static int
ga_check(struct vk *vk, const struct ga_req *req, uint8_t *flags)
{
	int r;

	if ((r = vk_pinauth_precheck(vk, &req->pa)) != CTAP2_OK)
		return r;
	if (req->rk != -1)
		return CTAP2_ERR_UNSUPPORTED_OPTION;
	if (req->uv == 1 && !req->pa.has_auth)
		return CTAP2_ERR_INVALID_OPTION;
	if (!req->pa.has_auth)
		return CTAP2_OK;
	if ((r = vk_token_verify(vk, req->pa.proto, req->pa.auth,
	    req->pa.auth_len, req->cdh, req->cdh_len, VK_PERM_GA, req->rpid,
	    req->rpid_len)) != CTAP2_OK)
		return r;
	if (vk->pin.token_uv)
		*flags |= VK_FLAG_UV;
	return CTAP2_OK;
}

/*
 * {1: {"id": id, "type": "public-key"}, 2: authData, 3: signature,
 * 4: user (discoverable credentials), 5: numberOfCredentials (if > 1)}.
 */
static int
ga_reply(const struct vk *vk, const struct ga_cred *cred,
    const uint8_t *auth_data, size_t ad_len, const uint8_t *sig,
    size_t sig_len, struct vk_reply *reply)
{
	const struct vk_rk	*rk = NULL;
	cbor_item_t		*map = NULL, *desc = NULL;
	int			 bad, r = CTAP1_ERR_OTHER;

	if (cred->ref.slot >= 0)
		rk = &vk->st.rk[cred->ref.slot];
	if ((desc = cbor_new_definite_map(2)) == NULL ||
	    vk_cbor_put_str(desc, "id", vk_cbor_new_bytes(cred->ref.id,
	    cred->ref.id_len)) != 0 ||
	    vk_cbor_put_str(desc, "type", vk_cbor_new_text("public-key")) !=
	    0 || (map = cbor_new_definite_map(3 + (rk != NULL) +
	    (cred->count > 1))) == NULL)
		goto fail;
	bad = vk_cbor_put_int(map, 1, desc);
	desc = NULL;
	bad |= vk_cbor_put_int(map, 2, vk_cbor_new_bytes(auth_data, ad_len));
	bad |= vk_cbor_put_int(map, 3, vk_cbor_new_bytes(sig, sig_len));
	if (rk != NULL)
		bad |= vk_cbor_put_int(map, 4, vk_rk_user(rk,
		    cred->user_full));
	if (cred->count > 1)
		bad |= vk_cbor_put_int(map, 5,
		    vk_cbor_new_int((int64_t)cred->count));
	if (bad || vk_reply_item(vk, reply, map) != 0)
		goto fail;
	r = CTAP2_OK;
fail:
	if (desc != NULL)
		cbor_decref(&desc);
	if (map != NULL)
		cbor_decref(&map);
	return r;
}

/*
 * The key that signs: the credential's own, or for --evil other-key-sig
 * a key pair of the same algorithm made on the spot.
 */
static EVP_PKEY *
ga_signing_key(const struct vk *vk, const struct ga_cred *cred)
{
	if (cred->phished ||
	    (vk->evil_now && (vk->cfg.evil & VK_EVIL_OTHER_KEY_SIG)))
		return vk_key_generate(cred->ref.alg);
	return vk_key_from_private(cred->ref.alg, cred->ref.priv);
}

/* Count the assertion, sign authData || clientDataHash, answer. */
static int
ga_sign(struct vk *vk, const uint8_t *cdh, size_t cdh_len,
    const struct ga_cred *cred, const uint8_t *rp_hash, uint8_t flags,
    struct vk_reply *reply)
{
	EVP_PKEY	*key = NULL;
	uint8_t		*auth_data = NULL, sig[80];
	size_t		 ad_len = 0, sig_len = 0;
	int		 r = CTAP1_ERR_OTHER;

	vk->st.sign_count++;
	if (vk_state_save(vk) != 0 ||
	    vk_authdata(vk, rp_hash, flags, vk->st.sign_count, NULL, 0, NULL,
	    NULL, &auth_data, &ad_len) != 0 ||
	    (key = ga_signing_key(vk, cred)) == NULL ||
	    vk_key_sign(key, cred->ref.alg, auth_data, ad_len, cdh, cdh_len,
	    sig, &sig_len) != 0)
		goto fail;
	if (vk->evil_now && (vk->cfg.evil & VK_EVIL_BAD_SIG) && sig_len > 8)
		sig[sig_len - 4] ^= 0x5a;
	r = ga_reply(vk, cred, auth_data, ad_len, sig, sig_len, reply);
fail:
	EVP_PKEY_free(key);
	free(auth_data);
	return r;
}

/*
 * --evil phish: a device that does not hold the credential claims the
 * first id of the allow list, and signs with a P-256 key made on the
 * spot (it cannot know the real one), hoping to be sent the PIN.
 */
static int
ga_phish(const struct vk *vk, const struct ga_req *req, struct ga_cred *cred)
{
	if (!vk->evil_now || !(vk->cfg.evil & VK_EVIL_PHISH) ||
	    req->allow == NULL || req->nallow == 0 ||
	    vk_cbor_bytes(vk_cbor_get_str(cbor_array_handle(req->allow)[0],
	    "id"), &cred->ref.id, &cred->ref.id_len) != CTAP2_OK)
		return 0;
	cred->ref.alg = VK_COSE_ES256;
	cred->ref.slot = -1;
	cred->phished = 1;
	return 1;
}

/* The touch, unless up=false; a token's user is then verified. */
static int
ga_touch(struct vk *vk, const struct ga_req *req, uint8_t *flags)
{
	int r;

	if (req->up == 0)
		return CTAP2_OK;
	if ((r = vk_user_presence(vk)) != CTAP2_OK)
		return r;
	*flags |= VK_FLAG_UP;
	if (req->pa.has_auth)
		vk_token_used(vk);
	return CTAP2_OK;
}

/* The discoverable credential of slot as the one that signs. */
static void
ga_rk_cred(const struct vk *vk, size_t slot, struct ga_cred *cred)
{
	const struct vk_rk *rk = &vk->st.rk[slot];

	cred->ref.id = rk->id;
	cred->ref.id_len = VK_RK_ID_LEN;
	cred->ref.alg = rk->alg;
	memcpy(cred->ref.priv, rk->priv, VK_SECRET_LEN);
	cred->ref.prot = rk->prot;
	cred->ref.slot = (int)slot;
}

/*
 * No allow list: the RP's discoverable credentials that credProtect lets
 * out, most recent first.  The first one answers now with their count;
 * getNextAssertion gives the others, under the same touch.
 */
static int
ga_discover(struct vk *vk, const struct ga_req *req, const uint8_t *rp_hash,
    uint8_t flags, struct ga_cred *cred, struct vk_reply *reply)
{
	struct vk_next	*next = &vk->next;
	size_t		 slot[VK_RK_MAX], n;
	int		 uv = (flags & VK_FLAG_UV) != 0, r;

	if ((n = vk_rk_for_rp(vk, rp_hash, uv, slot)) == 0)
		return CTAP2_ERR_NO_CREDENTIALS;
	if (req->cdh_len > VK_CDH_MAX)
		return CTAP1_ERR_INVALID_LENGTH;
	if ((r = ga_touch(vk, req, &flags)) != CTAP2_OK)
		return r;
	ga_rk_cred(vk, slot[0], cred);
	cred->count = n;
	cred->user_full = uv && n > 1;
	if ((r = ga_sign(vk, req->cdh, req->cdh_len, cred, rp_hash, flags,
	    reply)) != CTAP2_OK || n == 1)
		return r;
	next->kind = VK_NEXT_ASSERT;
	memcpy(next->slot, slot, n * sizeof(slot[0]));
	next->count = n;
	next->pos = 1;
	next->deadline_ms = vk_now_ms() + VK_NEXT_TIMEOUT_MS;
	memcpy(next->cdh, req->cdh, req->cdh_len);
	next->cdh_len = req->cdh_len;
	next->flags = flags;
	next->uv = uv;
	return CTAP2_OK;
}

static int
ga_run(struct vk *vk, const struct ga_req *req, struct ga_cred *cred,
    struct vk_reply *reply)
{
	uint8_t	rp_hash[32], flags = 0;
	int	r;

	if ((r = ga_check(vk, req, &flags)) != CTAP2_OK)
		return r;
	if (vk_sha256((const uint8_t *)req->rpid, req->rpid_len,
	    rp_hash) != 0)
		return CTAP1_ERR_OTHER;
	if (req->nallow == 0 && vk->cfg.resident > 0)
		return ga_discover(vk, req, rp_hash, flags, cred, reply);
	if (!vk_desc_list_find(vk, req->allow, rp_hash,
	    (flags & VK_FLAG_UV) != 0, &cred->ref) &&
	    !ga_phish(vk, req, cred))
		return CTAP2_ERR_NO_CREDENTIALS;
	if ((r = ga_touch(vk, req, &flags)) != CTAP2_OK)
		return r;
	return ga_sign(vk, req->cdh, req->cdh_len, cred, rp_hash, flags,
	    reply);
}

int
vk_get_assertion(struct vk *vk, const cbor_item_t *params,
    struct vk_reply *reply, struct vk_logrec *rec)
{
	struct ga_req	req;
	struct ga_cred	cred;
	int		r;

	rec->name = "getAssertion";
	if ((r = ga_parse(vk, params, &req)) == CTAP2_OK ||
	    r == CTAP2_ERR_LIMIT_EXCEEDED)
		vk_log_kv(rec, "up=%d uv=%d pinauth=%d allow=%zu",
		    req.up != 0, req.uv == 1, req.pa.has_auth, req.nallow);
	if (r != CTAP2_OK)
		return r;
	/* A silent probe asks for no touch and carries no PIN token. */
	vk->evil_now = (vk->cfg.evil_on & (req.up == 0 && !req.pa.has_auth ?
	    VK_EVIL_ON_PROBE : VK_EVIL_ON_ASSERT)) != 0;
	memset(&cred, 0, sizeof(cred));
	cred.ref.slot = -1;
	r = ga_run(vk, &req, &cred, reply);
	OPENSSL_cleanse(cred.ref.priv, sizeof(cred.ref.priv));
	return r;
}

/*
 * The next discoverable credential of the last getAssertion: within 30
 * seconds, and only while no other command came in between.
 */
int
vk_get_next_assertion(struct vk *vk, struct vk_reply *reply)
{
	struct vk_next	*next = &vk->next;
	struct ga_cred	 cred;
	size_t		 slot;
	int		 r;

	if (next->kind != VK_NEXT_ASSERT || next->pos >= next->count ||
	    vk_now_ms() > next->deadline_ms ||
	    !vk->st.rk[next->slot[next->pos]].used) {
		vk_next_clear(vk);
		return CTAP2_ERR_NOT_ALLOWED;
	}
	slot = next->slot[next->pos++];
	memset(&cred, 0, sizeof(cred));
	ga_rk_cred(vk, slot, &cred);
	cred.user_full = next->uv;
	r = ga_sign(vk, next->cdh, next->cdh_len, &cred,
	    vk->st.rk[slot].rp_hash, next->flags, reply);
	OPENSSL_cleanse(cred.ref.priv, sizeof(cred.ref.priv));
	if (next->pos >= next->count)
		vk_next_clear(vk);
	return r;
}
