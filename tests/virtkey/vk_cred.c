/*
 * vk_cred.c: authenticatorMakeCredential (0x01), CTAP 2.1 section 6.1,
 * for ES256 and EdDSA credentials with "packed" attestation by the key's
 * attestation key and certificate: non-resident ones (vk_credid.c), and
 * with --resident and options.rk discoverable ones (vk_rk.c), with the
 * credProtect extension.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "vk.h"

#define FLAG_AT	0x40

struct mc_req {
	const uint8_t		*cdh;
	size_t			 cdh_len;
	const char		*rpid;
	size_t			 rpid_len;
	const char		*rp_name, *user_name, *display_name;
	size_t			 rp_name_len, user_name_len, display_name_len;
	const uint8_t		*user_id;
	size_t			 user_id_len;
	unsigned int		 prot;		/* credProtect; 0: none */
	const cbor_item_t	*excl;
	size_t			 nexcl;
	int			 alg;		/* 0: none supported */
	int			 rk, up, uv;	/* -1: absent */
	struct vk_pinauth	 pa;
};

/* The first supported entry of pubKeyCredParams. */
static int
pick_alg(const cbor_item_t *list, int *alg)
{
	cbor_item_t	**items;
	const char	 *type;
	size_t		  type_len;
	int64_t		  v;
	int		  r;

	*alg = 0;
	if (list == NULL)
		return CTAP2_ERR_MISSING_PARAMETER;
	if (!cbor_isa_array(list) || !cbor_array_is_definite(list))
		return CTAP2_ERR_CBOR_UNEXPECTED_TYPE;
	items = cbor_array_handle(list);
	for (size_t i = 0; i < cbor_array_size(list); i++) {
		if (items[i] == NULL || !cbor_isa_map(items[i]))
			return CTAP2_ERR_CBOR_UNEXPECTED_TYPE;
		if ((r = vk_cbor_int(vk_cbor_get_str(items[i], "alg"),
		    &v)) != CTAP2_OK ||
		    (r = vk_cbor_text(vk_cbor_get_str(items[i], "type"),
		    &type, &type_len)) != CTAP2_OK)
			return r;
		if (*alg == 0 && type_len == 10 &&
		    memcmp(type, "public-key", 10) == 0 &&
		    (v == VK_COSE_ES256 || v == VK_COSE_EDDSA))
			*alg = (int)v;
	}
	return CTAP2_OK;
}

/* An optional text member of an entity. */
static int
opt_text(const cbor_item_t *map, const char *name, const char **text,
    size_t *len)
{
	const cbor_item_t *item = vk_cbor_get_str(map, name);

	*text = NULL;
	*len = 0;
	return item == NULL ? CTAP2_OK : vk_cbor_text(item, text, len);
}

static int
parse_entities(const cbor_item_t *params, struct mc_req *req)
{
	const cbor_item_t	*rp, *user;
	int			 r;

	if ((rp = vk_cbor_get(params, 2)) == NULL ||
	    (user = vk_cbor_get(params, 3)) == NULL)
		return CTAP2_ERR_MISSING_PARAMETER;
	if (!cbor_isa_map(rp) || !cbor_isa_map(user))
		return CTAP2_ERR_CBOR_UNEXPECTED_TYPE;
	if ((r = vk_cbor_text(vk_cbor_get_str(rp, "id"), &req->rpid,
	    &req->rpid_len)) != CTAP2_OK ||
	    (r = vk_cbor_bytes(vk_cbor_get_str(user, "id"), &req->user_id,
	    &req->user_id_len)) != CTAP2_OK ||
	    (r = opt_text(rp, "name", &req->rp_name,
	    &req->rp_name_len)) != CTAP2_OK ||
	    (r = opt_text(user, "name", &req->user_name,
	    &req->user_name_len)) != CTAP2_OK ||
	    (r = opt_text(user, "displayName", &req->display_name,
	    &req->display_name_len)) != CTAP2_OK)
		return r;
	return req->user_id_len > VK_USER_ID_MAX ? CTAP1_ERR_INVALID_LENGTH :
	    CTAP2_OK;
}

/* The credProtect extension, on a key with --resident only. */
static int
parse_extensions(const struct vk *vk, const cbor_item_t *ext,
    struct mc_req *req)
{
	const cbor_item_t	*item;
	uint64_t		 level;
	int			 r;

	if (ext == NULL)
		return CTAP2_OK;
	if (!cbor_isa_map(ext))
		return CTAP2_ERR_CBOR_UNEXPECTED_TYPE;
	if (vk->cfg.resident == 0 ||
	    (item = vk_cbor_get_str(ext, "credProtect")) == NULL)
		return CTAP2_OK;
	if ((r = vk_cbor_uint(item, &level)) != CTAP2_OK)
		return r;
	if (level < VK_PROT_OPTIONAL || level > VK_PROT_REQUIRED)
		return CTAP1_ERR_INVALID_PARAMETER;
	req->prot = (unsigned int)level;
	return CTAP2_OK;
}

static int
parse_options(const cbor_item_t *opts, int *rk, int *up, int *uv)
{
	int r;

	if (opts != NULL && !cbor_isa_map(opts))
		return CTAP2_ERR_CBOR_UNEXPECTED_TYPE;
	if ((r = vk_cbor_option(opts, "rk", rk)) != CTAP2_OK ||
	    (r = vk_cbor_option(opts, "up", up)) != CTAP2_OK ||
	    (r = vk_cbor_option(opts, "uv", uv)) != CTAP2_OK)
		return r;
	return CTAP2_OK;
}

static int
mc_parse(const struct vk *vk, const cbor_item_t *params, struct mc_req *req)
{
	int r;

	memset(req, 0, sizeof(*req));
	req->rk = req->up = req->uv = -1;
	req->excl = vk_cbor_get(params, 5);
	if ((r = vk_cbor_bytes(vk_cbor_get(params, 1), &req->cdh,
	    &req->cdh_len)) != CTAP2_OK ||
	    (r = parse_entities(params, req)) != CTAP2_OK ||
	    (r = pick_alg(vk_cbor_get(params, 4), &req->alg)) != CTAP2_OK ||
	    (r = parse_options(vk_cbor_get(params, 7), &req->rk, &req->up,
	    &req->uv)) != CTAP2_OK ||
	    (r = vk_pinauth_parse(params, 8, 9, &req->pa)) != CTAP2_OK ||
	    (r = parse_extensions(vk, vk_cbor_get(params, 6),
	    req)) != CTAP2_OK)
		return r;
	if (vk_cbor_get(params, 10) != NULL)
		return CTAP1_ERR_INVALID_PARAMETER;	/* enterprise att. */
	return vk_desc_list_check(req->excl, vk->cfg.max_creds, &req->nexcl);
}

/* Options and user verification: the checks before any touch. */
static int
mc_check(struct vk *vk, const struct mc_req *req, uint8_t *flags)
{
	int r;

	if ((r = vk_pinauth_precheck(vk, &req->pa)) != CTAP2_OK)
		return r;
	if (req->alg == 0)
		return CTAP2_ERR_UNSUPPORTED_ALGORITHM;
	if (req->rk == 1 && vk->cfg.resident == 0)
		return CTAP2_ERR_UNSUPPORTED_OPTION;
	if (req->rk == 1 && (req->rpid_len == 0 ||
	    req->rpid_len > VK_RPID_MAX || req->user_id_len == 0))
		return CTAP1_ERR_INVALID_LENGTH;
	if (req->up == 0 || (req->uv == 1 && !req->pa.has_auth))
		return CTAP2_ERR_INVALID_OPTION;
	if (vk->st.pin_set && !req->pa.has_auth && !vk->cfg.uv_not_required)
		return CTAP2_ERR_PUAT_REQUIRED;
	if (!req->pa.has_auth)
		return CTAP2_OK;
	if ((r = vk_token_verify(vk, req->pa.proto, req->pa.auth,
	    req->pa.auth_len, req->cdh, req->cdh_len, VK_PERM_MC, req->rpid,
	    req->rpid_len)) != CTAP2_OK)
		return r;
	if (vk->pin.token_uv)
		*flags |= VK_FLAG_UV;
	return CTAP2_OK;
}

/* A credential of the exclude list lives here: touch, then refuse. */
static int
mc_exclude(struct vk *vk, const struct mc_req *req, const uint8_t *rp_hash,
    uint8_t flags)
{
	struct vk_credref	ref;
	int			found, r;

	found = vk_desc_list_find(vk, req->excl, rp_hash,
	    (flags & VK_FLAG_UV) != 0, &ref);
	OPENSSL_cleanse(ref.priv, sizeof(ref.priv));
	if (!found)
		return CTAP2_OK;
	if ((r = vk_user_presence(vk)) != CTAP2_OK)
		return r;
	if (req->pa.has_auth)
		vk_token_used(vk);
	return CTAP2_ERR_CREDENTIAL_EXCLUDED;
}

/* x5c: the attestation certificate, then the issuing CA's (--attest-ca). */
static cbor_item_t *
att_x5c(const struct vk *vk)
{
	const struct vk_attest *at = &vk->attest;
	cbor_item_t	*x5c;
	int		 bad;

	if ((x5c = cbor_new_definite_array(at->ca != NULL ? 2 : 1)) == NULL)
		return NULL;
	bad = at->cert != NULL ?
	    vk_cbor_push(x5c, vk_cbor_new_bytes(at->cert, at->cert_len)) :
	    vk_cbor_push(x5c, vk_cbor_new_bytes(vk->st.att_cert,
	    vk->st.att_cert_len));
	if (at->ca != NULL)
		bad |= vk_cbor_push(x5c, vk_cbor_new_bytes(at->ca, at->ca_len));
	if (bad)
		cbor_decref(&x5c);
	return x5c;
}

/*
 * attStmt: {"alg": -7, "sig": sig, "x5c": [certificate, ...]}, or with
 * --attest-self {"alg": alg, "sig": sig} signed by the credential's own
 * key (cred_key, of alg).
 */
static cbor_item_t *
att_stmt(const struct vk *vk, const uint8_t *auth_data, size_t ad_len,
    const struct mc_req *req, EVP_PKEY *cred_key)
{
	EVP_PKEY	*att = NULL, *signer = cred_key;
	cbor_item_t	*map = NULL, *x5c = NULL;
	uint8_t		 sig[80];
	size_t		 sig_len = 0;
	int		 alg = req->alg, bad;

	if (!vk->cfg.attest_self) {
		alg = VK_COSE_ES256;
		if ((signer = att = vk_key_from_private(VK_COSE_ES256,
		    vk->st.att_key)) == NULL || (x5c = att_x5c(vk)) == NULL)
			goto fail;
	}
	if (vk_key_sign(signer, alg, auth_data, ad_len, req->cdh,
	    req->cdh_len, sig, &sig_len) != 0 ||
	    (map = cbor_new_definite_map(x5c != NULL ? 3 : 2)) == NULL)
		goto fail;
	bad = vk_cbor_put_str(map, "alg", vk_cbor_new_int(alg));
	bad |= vk_cbor_put_str(map, "sig", vk_cbor_new_bytes(sig, sig_len));
	if (x5c != NULL)
		bad |= vk_cbor_put_str(map, "x5c", x5c);
	x5c = NULL;
	if (bad)
		cbor_decref(&map);
fail:
	if (x5c != NULL)
		cbor_decref(&x5c);
	EVP_PKEY_free(att);
	return map;
}

/* The attestation object: {1: "packed", 2: authData, 3: attStmt}. */
static int
mc_reply(const struct vk *vk, const struct mc_req *req, EVP_PKEY *cred_key,
    const uint8_t *auth_data, size_t ad_len, struct vk_reply *reply)
{
	cbor_item_t	*map;
	int		 r = CTAP1_ERR_OTHER;

	if ((map = cbor_new_definite_map(3)) == NULL)
		return r;
	if (vk_cbor_put_int(map, 1, vk_cbor_new_text("packed")) == 0 &&
	    vk_cbor_put_int(map, 2, vk_cbor_new_bytes(auth_data,
	    ad_len)) == 0 &&
	    vk_cbor_put_int(map, 3, att_stmt(vk, auth_data, ad_len,
	    req, cred_key)) == 0 && vk_reply_item(vk, reply, map) == 0)
		r = CTAP2_OK;
	cbor_decref(&map);
	return r;
}

/*
 * The slot a discoverable credential goes to: the one of the same RP
 * and user id (CTAP 2.1: it replaces it), else a free one.
 */
static int
rk_slot(const struct vk *vk, const struct mc_req *req, const uint8_t *rp_hash)
{
	int slot;

	if ((slot = vk_rk_find_user(vk, rp_hash, req->user_id,
	    req->user_id_len)) >= 0)
		return slot;
	return vk_rk_free_slot(vk);
}

/* Keep a discoverable credential with a random id in slot, and save. */
static int
rk_store(struct vk *vk, const struct mc_req *req, const uint8_t *rp_hash,
    int slot, const uint8_t *priv, uint8_t *id, size_t *id_len)
{
	struct vk_rk	*rk = &vk->st.rk[slot];
	uint64_t	 order = 0;

	for (size_t i = 0; i < VK_RK_MAX; i++)
		if (vk->st.rk[i].used && vk->st.rk[i].order > order)
			order = vk->st.rk[i].order;
	vk_rk_wipe(rk);
	memcpy(rk->rpid, req->rpid, req->rpid_len);
	rk->rpid[req->rpid_len] = '\0';
	memcpy(rk->rp_hash, rp_hash, 32);
	vk_rk_set_text(rk->rp_name, req->rp_name, req->rp_name_len);
	memcpy(rk->user_id, req->user_id, req->user_id_len);
	rk->user_id_len = req->user_id_len;
	vk_rk_set_text(rk->user_name, req->user_name, req->user_name_len);
	vk_rk_set_text(rk->display_name, req->display_name,
	    req->display_name_len);
	rk->alg = req->alg;
	memcpy(rk->priv, priv, VK_SECRET_LEN);
	rk->prot = req->prot != 0 ? req->prot : VK_PROT_OPTIONAL;
	rk->created = (uint64_t)time(NULL);
	rk->order = order + 1;
	if (vk_random(rk->id, VK_RK_ID_LEN) != 0)
		goto fail;
	rk->used = 1;
	if (vk_state_save(vk) != 0)
		goto fail;
	memcpy(id, rk->id, VK_RK_ID_LEN);
	*id_len = VK_RK_ID_LEN;
	return 0;
fail:
	vk_rk_wipe(rk);
	return -1;
}

/* The authData extensions: {"credProtect": level} when it was asked. */
static cbor_item_t *
mc_extensions(const struct mc_req *req)
{
	cbor_item_t *map;

	if (req->prot == 0 || (map = cbor_new_definite_map(1)) == NULL)
		return NULL;
	if (vk_cbor_put_str(map, "credProtect",
	    vk_cbor_new_int(req->prot)) != 0)
		cbor_decref(&map);
	return map;
}

/*
 * Make the key pair, wrap it into a credential id (or keep it in slot,
 * for a discoverable one), answer.
 */
static int
mc_create(struct vk *vk, const struct mc_req *req, const uint8_t *rp_hash,
    uint8_t flags, int slot, struct vk_reply *reply)
{
	EVP_PKEY	*key = NULL;
	cbor_item_t	*cose = NULL, *ext = NULL;
	uint8_t		 priv[VK_SECRET_LEN], id[VK_MAX_CRED_ID_LEN];
	uint8_t		*auth_data = NULL;
	size_t		 id_len = 0, ad_len = 0;
	int		 r = CTAP1_ERR_OTHER;

	if ((key = vk_key_generate(req->alg)) == NULL ||
	    vk_key_private(key, req->alg, priv) != 0)
		goto fail;
	if (slot >= 0 ? rk_store(vk, req, rp_hash, slot, priv, id,
	    &id_len) != 0 : vk_credid_wrap(vk, rp_hash, req->alg, req->prot,
	    priv, id, &id_len) != 0)
		goto fail;
	if ((cose = vk_key_cose(key, req->alg)) == NULL ||
	    (req->prot != 0 && (ext = mc_extensions(req)) == NULL) ||
	    vk_authdata(vk, rp_hash, flags | FLAG_AT, vk->st.sign_count, id,
	    id_len, cose, ext, &auth_data, &ad_len) != 0)
		goto fail;
	r = mc_reply(vk, req, key, auth_data, ad_len, reply);
fail:
	OPENSSL_cleanse(priv, sizeof(priv));
	free(auth_data);
	if (ext != NULL)
		cbor_decref(&ext);
	if (cose != NULL)
		cbor_decref(&cose);
	EVP_PKEY_free(key);
	return r;
}

static void
mc_log(const struct mc_req *req, struct vk_logrec *rec)
{
	vk_log_kv(rec, "up=%d uv=%d pinauth=%d exclude=%zu", req->up != 0,
	    req->uv == 1, req->pa.has_auth, req->nexcl);
	if (req->rk == 1)
		vk_log_kv(rec, "rk=1");
	if (req->prot != 0)
		vk_log_kv(rec, "credprotect=%u", req->prot);
}

int
vk_make_credential(struct vk *vk, const cbor_item_t *params,
    struct vk_reply *reply, struct vk_logrec *rec)
{
	struct mc_req	req;
	uint8_t		rp_hash[32], flags = 0;
	int		r, slot = -1;

	rec->name = "makeCredential";
	if ((r = mc_parse(vk, params, &req)) == CTAP2_OK ||
	    r == CTAP2_ERR_LIMIT_EXCEEDED)
		mc_log(&req, rec);
	if (r != CTAP2_OK || (r = mc_check(vk, &req, &flags)) != CTAP2_OK)
		return r;
	if (vk_sha256((const uint8_t *)req.rpid, req.rpid_len, rp_hash) != 0)
		return CTAP1_ERR_OTHER;
	if ((r = mc_exclude(vk, &req, rp_hash, flags)) != CTAP2_OK)
		return r;
	if (req.rk == 1 && (slot = rk_slot(vk, &req, rp_hash)) < 0)
		return CTAP2_ERR_KEY_STORE_FULL;
	if ((r = vk_user_presence(vk)) != CTAP2_OK)
		return r;
	flags |= VK_FLAG_UP;
	if (req.pa.has_auth)
		vk_token_used(vk);
	return mc_create(vk, &req, rp_hash, flags, slot, reply);
}
