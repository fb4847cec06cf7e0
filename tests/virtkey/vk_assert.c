/*
 * vk_assert.c: authenticatorGetAssertion (0x02), CTAP 2.1 section 6.2,
 * for the non-resident credentials of vk_credid.c.  The key keeps no
 * credentials, so an assertion always needs an allow list; the first
 * entry that opens on this key signs.  up=false is the silent probe: no
 * touch, no UP flag.
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

/* The credential found in the allow list. */
struct ga_cred {
	const cbor_item_t	*id;
	int			 alg;
	uint8_t			 priv[VK_SECRET_LEN];
	int			 phished;	/* --evil phish: not ours */
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

/* {1: {"id": id, "type": "public-key"}, 2: authData, 3: signature}. */
static int
ga_reply(const struct vk *vk, const struct ga_cred *cred,
    const uint8_t *auth_data, size_t ad_len, const uint8_t *sig,
    size_t sig_len, struct vk_reply *reply)
{
	cbor_item_t	*map = NULL, *desc = NULL;
	const uint8_t	*id;
	size_t		 id_len;
	int		 bad, r = CTAP1_ERR_OTHER;

	if (vk_cbor_bytes(cred->id, &id, &id_len) != CTAP2_OK ||
	    (desc = cbor_new_definite_map(2)) == NULL ||
	    vk_cbor_put_str(desc, "id", vk_cbor_new_bytes(id, id_len)) != 0 ||
	    vk_cbor_put_str(desc, "type", vk_cbor_new_text("public-key")) !=
	    0 || (map = cbor_new_definite_map(3)) == NULL)
		goto fail;
	bad = vk_cbor_put_int(map, 1, desc);
	desc = NULL;
	bad |= vk_cbor_put_int(map, 2, vk_cbor_new_bytes(auth_data, ad_len));
	bad |= vk_cbor_put_int(map, 3, vk_cbor_new_bytes(sig, sig_len));
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
		return vk_key_generate(cred->alg);
	return vk_key_from_private(cred->alg, cred->priv);
}

/* Count the assertion, sign authData || clientDataHash, answer. */
static int
ga_sign(struct vk *vk, const struct ga_req *req, const struct ga_cred *cred,
    const uint8_t *rp_hash, uint8_t flags, struct vk_reply *reply)
{
	EVP_PKEY	*key = NULL;
	uint8_t		*auth_data = NULL, sig[80];
	size_t		 ad_len = 0, sig_len = 0;
	int		 r = CTAP1_ERR_OTHER;

	vk->st.sign_count++;
	if (vk_state_save(vk) != 0 ||
	    vk_authdata(vk, rp_hash, flags, vk->st.sign_count, NULL, 0, NULL,
	    &auth_data, &ad_len) != 0 ||
	    (key = ga_signing_key(vk, cred)) == NULL ||
	    vk_key_sign(key, cred->alg, auth_data, ad_len, req->cdh,
	    req->cdh_len, sig, &sig_len) != 0)
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
	    (cred->id = vk_cbor_get_str(cbor_array_handle(req->allow)[0],
	    "id")) == NULL)
		return 0;
	cred->alg = VK_COSE_ES256;
	cred->phished = 1;
	return 1;
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
	if (!vk_desc_list_find(vk, req->allow, rp_hash, &cred->id,
	    &cred->alg, cred->priv) && !ga_phish(vk, req, cred))
		return CTAP2_ERR_NO_CREDENTIALS;
	if (req->up != 0) {
		if ((r = vk_user_presence(vk)) != CTAP2_OK)
			return r;
		flags |= VK_FLAG_UP;
		if (req->pa.has_auth)
			vk_token_used(vk);
	}
	return ga_sign(vk, req, cred, rp_hash, flags, reply);
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
	r = ga_run(vk, &req, &cred, reply);
	OPENSSL_cleanse(cred.priv, sizeof(cred.priv));
	return r;
}
