/*
 * vk_pin.c: authenticatorClientPIN (0x06) and the pinUvAuthToken.
 *
 * The PIN hash, the retry counter and the PIN itself live in the state
 * file; the key agreement key, the token and the count of consecutive
 * mismatches (three of them need a power cycle) live only in the process.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "vk.h"

#define SUB_GET_RETRIES		0x01
#define SUB_GET_KEY_AGREEMENT	0x02
#define SUB_SET_PIN		0x03
#define SUB_CHANGE_PIN		0x04
#define SUB_GET_PIN_TOKEN	0x05
#define SUB_GET_TOKEN_PERMS	0x09
#define PIN_PAD_LEN		64
#define PIN_MAX_ENC		(16 + PIN_PAD_LEN)
#define PIN_FAIL_STREAK_MAX	3

struct pin_req {
	uint64_t	 proto;
	uint64_t	 sub;
	uint64_t	 perms;
	const cbor_item_t *ka;
	const uint8_t	*auth, *new_enc, *hash_enc;
	size_t		 auth_len, new_enc_len, hash_enc_len;
	const char	*rpid;
	size_t		 rpid_len;
	int		 has_proto, has_auth, has_new, has_hash, has_perms;
};

static void
vk_token_reset(struct vk *vk)
{
	OPENSSL_cleanse(vk->pin.token, sizeof(vk->pin.token));
	vk->pin.token_valid = 0;
	vk->pin.token_perms = 0;
	vk->pin.token_uv = 0;
	vk->pin.token_proto = 0;
	free(vk->pin.token_rpid);
	vk->pin.token_rpid = NULL;
}

int
vk_pin_init(struct vk *vk)
{
	vk->pin.fail_streak = 0;
	vk_token_reset(vk);
	EVP_PKEY_free(vk->pin.ka_key);
	if ((vk->pin.ka_key = vk_key_generate(VK_COSE_ES256)) == NULL)
		return -1;
	return 0;
}

void
vk_pin_clear(struct vk *vk)
{
	vk_token_reset(vk);
	EVP_PKEY_free(vk->pin.ka_key);
	vk->pin.ka_key = NULL;
}

int
vk_pin_protocol_ok(const struct vk *vk, uint64_t proto)
{
	for (size_t i = 0; i < vk->cfg.nprotocols; i++)
		if (vk->cfg.protocols[i] == proto)
			return 1;
	return 0;
}

/* Read one optional byte string parameter; *has says if it was there. */
static int
opt_bytes(const cbor_item_t *params, int64_t key, const uint8_t **ptr,
    size_t *len, int *has)
{
	const cbor_item_t *item = vk_cbor_get(params, key);

	*has = item != NULL;
	return item == NULL ? CTAP2_OK : vk_cbor_bytes(item, ptr, len);
}

static int
pin_parse(const cbor_item_t *params, struct pin_req *req)
{
	const cbor_item_t	*item;
	int			 r;

	memset(req, 0, sizeof(*req));
	if ((r = vk_cbor_uint(vk_cbor_get(params, 2), &req->sub)) != CTAP2_OK)
		return r;
	if ((item = vk_cbor_get(params, 1)) != NULL) {
		if ((r = vk_cbor_uint(item, &req->proto)) != CTAP2_OK)
			return r;
		req->has_proto = 1;
	}
	req->ka = vk_cbor_get(params, 3);
	if (req->ka != NULL && !cbor_isa_map(req->ka))
		return CTAP2_ERR_CBOR_UNEXPECTED_TYPE;
	if ((r = opt_bytes(params, 4, &req->auth, &req->auth_len,
	    &req->has_auth)) != CTAP2_OK ||
	    (r = opt_bytes(params, 5, &req->new_enc, &req->new_enc_len,
	    &req->has_new)) != CTAP2_OK ||
	    (r = opt_bytes(params, 6, &req->hash_enc, &req->hash_enc_len,
	    &req->has_hash)) != CTAP2_OK)
		return r;
	if ((item = vk_cbor_get(params, 9)) != NULL) {
		if ((r = vk_cbor_uint(item, &req->perms)) != CTAP2_OK)
			return r;
		req->has_perms = 1;
	}
	if ((item = vk_cbor_get(params, 10)) != NULL)
		return vk_cbor_text(item, &req->rpid, &req->rpid_len);
	return CTAP2_OK;
}

/* The protocol must be given and be one the key offers. */
static int
check_proto(const struct vk *vk, const struct pin_req *req)
{
	if (!req->has_proto)
		return CTAP2_ERR_MISSING_PARAMETER;
	return vk_pin_protocol_ok(vk, req->proto) ? CTAP2_OK :
	    CTAP1_ERR_INVALID_PARAMETER;
}

/* Can the PIN be tried at all? */
static int
check_pin_usable(const struct vk *vk)
{
	if (!vk->st.pin_set)
		return CTAP2_ERR_PIN_NOT_SET;
	if (vk->st.pin_retries == 0)
		return CTAP2_ERR_PIN_BLOCKED;
	if (vk->pin.fail_streak >= PIN_FAIL_STREAK_MAX)
		return CTAP2_ERR_PIN_AUTH_BLOCKED;
	return CTAP2_OK;
}

/*
 * Check pinHashEnc against the stored PIN hash.  The retry counter goes
 * down (and to the state file) before the comparison, so pulling the key
 * out mid-check still costs a try.
 */
static int
check_pin_hash(struct vk *vk, const struct pin_req *req,
    const uint8_t *shared, size_t shared_len)
{
	uint8_t	hash[PIN_MAX_ENC];
	size_t	hash_len = 0;
	int	ok;

	vk->st.pin_retries--;
	if (vk_state_save(vk) != 0)
		return CTAP1_ERR_OTHER;
	ok = req->hash_enc_len <= PIN_MAX_ENC &&
	    vk_pp_decrypt(req->proto, shared, shared_len, req->hash_enc,
	    req->hash_enc_len, hash, &hash_len) == 0 &&
	    hash_len == VK_PIN_HASH_LEN &&
	    CRYPTO_memcmp(hash, vk->st.pin_hash, VK_PIN_HASH_LEN) == 0;
	OPENSSL_cleanse(hash, sizeof(hash));
	if (!ok) {
		vk->pin.fail_streak++;
		EVP_PKEY_free(vk->pin.ka_key);
		if ((vk->pin.ka_key = vk_key_generate(VK_COSE_ES256)) == NULL)
			return CTAP1_ERR_OTHER;
		if (vk->st.pin_retries == 0)
			return CTAP2_ERR_PIN_BLOCKED;
		if (vk->pin.fail_streak >= PIN_FAIL_STREAK_MAX)
			return CTAP2_ERR_PIN_AUTH_BLOCKED;
		return CTAP2_ERR_PIN_INVALID;
	}
	vk->pin.fail_streak = 0;
	vk->st.pin_retries = VK_PIN_RETRIES_MAX;
	return vk_state_save(vk) == 0 ? CTAP2_OK : CTAP1_ERR_OTHER;
}

/* Decrypt newPinEnc, apply the PIN policy, store LEFT(SHA-256(pin), 16). */
static int
store_new_pin(struct vk *vk, const struct pin_req *req,
    const uint8_t *shared, size_t shared_len)
{
	uint8_t	padded[PIN_MAX_ENC], digest[32];
	size_t	padded_len = 0, len, points = 0;
	int	r = CTAP1_ERR_INVALID_PARAMETER;

	if (req->new_enc_len > PIN_MAX_ENC ||
	    vk_pp_decrypt(req->proto, shared, shared_len, req->new_enc,
	    req->new_enc_len, padded, &padded_len) != 0 ||
	    padded_len != PIN_PAD_LEN)
		goto fail;
	for (len = 0; len < padded_len && padded[len] != 0; len++)
		if ((padded[len] & 0xc0) != 0x80)
			points++;
	r = CTAP2_ERR_PIN_POLICY_VIOLATION;
	if (len < 4 || len > 63 || points < 4)
		goto fail;
	r = CTAP1_ERR_OTHER;
	if (vk_sha256(padded, len, digest) != 0)
		goto fail;
	memcpy(vk->st.pin_hash, digest, VK_PIN_HASH_LEN);
	vk->st.pin_set = 1;
	vk->st.pin_retries = VK_PIN_RETRIES_MAX;
	if (vk_state_save(vk) != 0)
		goto fail;
	r = CTAP2_OK;
fail:
	OPENSSL_cleanse(padded, sizeof(padded));
	OPENSSL_cleanse(digest, sizeof(digest));
	return r;
}

static int
sub_set_pin(struct vk *vk, const struct pin_req *req)
{
	uint8_t	shared[VK_SHARED_MAX];
	size_t	shared_len = 0;
	int	r;

	if ((r = check_proto(vk, req)) != CTAP2_OK)
		return r;
	if (req->ka == NULL || !req->has_auth || !req->has_new)
		return CTAP2_ERR_MISSING_PARAMETER;
	if (vk->st.pin_set)
		return CTAP2_ERR_NOT_ALLOWED;
	if ((r = vk_pp_shared(vk, req->proto, req->ka, shared,
	    &shared_len)) != CTAP2_OK)
		goto fail;
	r = CTAP2_ERR_PIN_AUTH_INVALID;
	if (vk_pp_verify(req->proto, shared, shared_len, req->new_enc,
	    req->new_enc_len, req->auth, req->auth_len) != 0)
		goto fail;
	r = store_new_pin(vk, req, shared, shared_len);
fail:
	OPENSSL_cleanse(shared, sizeof(shared));
	return r;
}

/* pinUvAuthParam of changePIN covers newPinEnc || pinHashEnc. */
static int
verify_change_auth(const struct pin_req *req, const uint8_t *shared,
    size_t shared_len)
{
	uint8_t	msg[2 * PIN_MAX_ENC];
	int	r;

	if (req->new_enc_len > PIN_MAX_ENC || req->hash_enc_len > PIN_MAX_ENC)
		return -1;
	memcpy(msg, req->new_enc, req->new_enc_len);
	if (req->hash_enc_len > 0)
		memcpy(msg + req->new_enc_len, req->hash_enc,
		    req->hash_enc_len);
	r = vk_pp_verify(req->proto, shared, shared_len, msg,
	    req->new_enc_len + req->hash_enc_len, req->auth, req->auth_len);
	OPENSSL_cleanse(msg, sizeof(msg));
	return r;
}

static int
sub_change_pin(struct vk *vk, const struct pin_req *req)
{
	uint8_t	shared[VK_SHARED_MAX];
	size_t	shared_len = 0;
	int	r;

	if ((r = check_proto(vk, req)) != CTAP2_OK)
		return r;
	if (req->ka == NULL || !req->has_auth || !req->has_new ||
	    !req->has_hash)
		return CTAP2_ERR_MISSING_PARAMETER;
	if ((r = check_pin_usable(vk)) != CTAP2_OK)
		return r;
	if ((r = vk_pp_shared(vk, req->proto, req->ka, shared,
	    &shared_len)) != CTAP2_OK)
		goto fail;
	r = CTAP2_ERR_PIN_AUTH_INVALID;
	if (verify_change_auth(req, shared, shared_len) != 0)
		goto fail;
	if ((r = check_pin_hash(vk, req, shared, shared_len)) != CTAP2_OK)
		goto fail;
	if ((r = store_new_pin(vk, req, shared, shared_len)) == CTAP2_OK)
		vk_token_reset(vk);
fail:
	OPENSSL_cleanse(shared, sizeof(shared));
	return r;
}

/* A fresh token for this protocol, returned encrypted: {2: token}. */
static int
token_issue(struct vk *vk, const struct pin_req *req, const uint8_t *shared,
    size_t shared_len, uint8_t perms, struct vk_reply *reply)
{
	cbor_item_t	*map = NULL;
	uint8_t		 enc[16 + VK_TOKEN_LEN];
	size_t		 enc_len = 0;
	int		 r = CTAP1_ERR_OTHER;

	vk_token_reset(vk);
	if (req->rpid != NULL && (vk->pin.token_rpid = strndup(req->rpid,
	    req->rpid_len)) == NULL)
		goto fail;
	if (vk_random(vk->pin.token, VK_TOKEN_LEN) != 0 ||
	    vk_pp_encrypt(req->proto, shared, shared_len, vk->pin.token,
	    VK_TOKEN_LEN, enc, &enc_len) != 0)
		goto fail;
	vk->pin.token_valid = 1;
	vk->pin.token_proto = req->proto;
	vk->pin.token_perms = perms;
	vk->pin.token_uv = 1;
	if ((map = cbor_new_definite_map(1)) == NULL ||
	    vk_cbor_put_int(map, 2, vk_cbor_new_bytes(enc, enc_len)) != 0 ||
	    vk_reply_item(vk, reply, map) != 0)
		goto fail;
	r = CTAP2_OK;
fail:
	if (r != CTAP2_OK)
		vk_token_reset(vk);
	if (map != NULL)
		cbor_decref(&map);
	return r;
}

static int
sub_get_token(struct vk *vk, const struct pin_req *req, uint8_t perms,
    struct vk_reply *reply)
{
	uint8_t	shared[VK_SHARED_MAX];
	size_t	shared_len = 0;
	int	r;

	if ((r = check_proto(vk, req)) != CTAP2_OK)
		return r;
	if (req->ka == NULL || !req->has_hash)
		return CTAP2_ERR_MISSING_PARAMETER;
	if ((r = check_pin_usable(vk)) != CTAP2_OK)
		return r;
	if ((r = vk_pp_shared(vk, req->proto, req->ka, shared,
	    &shared_len)) != CTAP2_OK)
		goto fail;
	if ((r = check_pin_hash(vk, req, shared, shared_len)) != CTAP2_OK)
		goto fail;
	r = token_issue(vk, req, shared, shared_len, perms, reply);
fail:
	OPENSSL_cleanse(shared, sizeof(shared));
	return r;
}

static int
sub_get_token_perms(struct vk *vk, const struct pin_req *req,
    struct vk_reply *reply)
{
	int r;

	if ((r = check_proto(vk, req)) != CTAP2_OK)
		return r;
	if (req->ka == NULL || !req->has_hash || !req->has_perms)
		return CTAP2_ERR_MISSING_PARAMETER;
	if (req->perms == 0)
		return CTAP1_ERR_INVALID_PARAMETER;
	if ((req->perms & ~(uint64_t)(VK_PERM_MC | VK_PERM_GA |
	    (vk->cfg.resident > 0 ? VK_PERM_CM : 0))) != 0)
		return CTAP2_ERR_UNAUTHORIZED_PERMISSION;
	return sub_get_token(vk, req, (uint8_t)req->perms, reply);
}

static int
sub_get_retries(const struct vk *vk, struct vk_reply *reply)
{
	cbor_item_t	*map;
	int		 r = CTAP1_ERR_OTHER;

	if ((map = cbor_new_definite_map(2)) == NULL)
		return r;
	if (vk_cbor_put_int(map, 3, vk_cbor_new_int(vk->st.pin_retries)) == 0 &&
	    vk_cbor_put_int(map, 4, cbor_build_bool(vk->pin.fail_streak >=
	    PIN_FAIL_STREAK_MAX)) == 0 && vk_reply_item(vk, reply, map) == 0)
		r = CTAP2_OK;
	cbor_decref(&map);
	return r;
}

static int
sub_get_key_agreement(struct vk *vk, const struct pin_req *req,
    struct vk_reply *reply)
{
	cbor_item_t	*map;
	int		 r;

	if ((r = check_proto(vk, req)) != CTAP2_OK)
		return r;
	if ((map = cbor_new_definite_map(1)) == NULL)
		return CTAP1_ERR_OTHER;
	r = CTAP1_ERR_OTHER;
	if (vk_cbor_put_int(map, 1, vk_key_cose(vk->pin.ka_key,
	    VK_COSE_ECDH_ES_HKDF)) == 0 && vk_reply_item(vk, reply, map) == 0)
		r = CTAP2_OK;
	cbor_decref(&map);
	return r;
}

static const char *
sub_name(uint64_t sub)
{
	switch (sub) {
	case SUB_GET_RETRIES:
		return "clientPIN.getRetries";
	case SUB_GET_KEY_AGREEMENT:
		return "clientPIN.getKeyAgreement";
	case SUB_SET_PIN:
		return "clientPIN.setPIN";
	case SUB_CHANGE_PIN:
		return "clientPIN.changePIN";
	case SUB_GET_PIN_TOKEN:
		return "clientPIN.getPinToken";
	case SUB_GET_TOKEN_PERMS:
		return "clientPIN.getPinUvAuthTokenUsingPinWithPermissions";
	default:
		return "clientPIN";
	}
}

static void
pin_log(const struct pin_req *req, struct vk_logrec *rec)
{
	rec->name = sub_name(req->sub);
	if (strcmp(rec->name, "clientPIN") == 0)
		vk_log_kv(rec, "subcmd=0x%02x",
		    (unsigned int)(req->sub & 0xff));
	if (req->has_proto)
		vk_log_kv(rec, "proto=%u", (unsigned int)(req->proto & 0xff));
	if (req->has_perms)
		vk_log_kv(rec, "perms=0x%02x",
		    (unsigned int)(req->perms & 0xff));
}

int
vk_client_pin(struct vk *vk, const cbor_item_t *params,
    struct vk_reply *reply, struct vk_logrec *rec)
{
	struct pin_req	req;
	int		r;

	rec->name = "clientPIN";
	if ((r = pin_parse(params, &req)) != CTAP2_OK)
		return r;
	pin_log(&req, rec);
	switch (req.sub) {
	case SUB_GET_RETRIES:
		return sub_get_retries(vk, reply);
	case SUB_GET_KEY_AGREEMENT:
		return sub_get_key_agreement(vk, &req, reply);
	case SUB_SET_PIN:
		return sub_set_pin(vk, &req);
	case SUB_CHANGE_PIN:
		return sub_change_pin(vk, &req);
	case SUB_GET_PIN_TOKEN:
		if (req.has_perms || req.rpid != NULL)
			return CTAP1_ERR_INVALID_PARAMETER;
		return sub_get_token(vk, &req, VK_PERM_MC | VK_PERM_GA, reply);
	case SUB_GET_TOKEN_PERMS:
		return sub_get_token_perms(vk, &req, reply);
	default:
		return CTAP2_ERR_INVALID_SUBCOMMAND;
	}
}

/*
 * Check pinUvAuthParam = authenticate(token, clientDataHash) for a
 * command needing permission perm on RP rpid.  A token without an RP
 * gets bound to this one.  Every failure is CTAP2_ERR_PIN_AUTH_INVALID.
 */
int
vk_token_verify(struct vk *vk, uint64_t proto, const uint8_t *auth,
    size_t auth_len, const uint8_t *cdh, size_t cdh_len, uint8_t perm,
    const char *rpid, size_t rpid_len)
{
	struct vk_pinstate *p = &vk->pin;

	if (!p->token_valid || p->token_proto != proto ||
	    vk_pp_verify(proto, p->token, VK_TOKEN_LEN, cdh, cdh_len, auth,
	    auth_len) != 0 || (p->token_perms & perm) == 0)
		return CTAP2_ERR_PIN_AUTH_INVALID;
	if (p->token_rpid != NULL)
		return strlen(p->token_rpid) == rpid_len &&
		    memcmp(p->token_rpid, rpid, rpid_len) == 0 ? CTAP2_OK :
		    CTAP2_ERR_PIN_AUTH_INVALID;
	if ((p->token_rpid = strndup(rpid, rpid_len)) == NULL)
		return CTAP1_ERR_OTHER;
	return CTAP2_OK;
}

/* After a touch was used with the token: it verified its one user. */
void
vk_token_used(struct vk *vk)
{
	vk->pin.token_uv = 0;
	vk->pin.token_perms = 0;
}

/*
 * Check pinUvAuthParam = authenticate(token, msg) of a credential
 * management subcommand: a token of this protocol with the cm
 * permission.  CTAP2_ERR_PIN_AUTH_INVALID on any failure.
 */
int
vk_token_verify_cm(struct vk *vk, uint64_t proto, const uint8_t *auth,
    size_t auth_len, const uint8_t *msg, size_t msg_len)
{
	struct vk_pinstate *p = &vk->pin;

	if (!p->token_valid || p->token_proto != proto ||
	    vk_pp_verify(proto, p->token, VK_TOKEN_LEN, msg, msg_len, auth,
	    auth_len) != 0 || (p->token_perms & VK_PERM_CM) == 0)
		return CTAP2_ERR_PIN_AUTH_INVALID;
	return CTAP2_OK;
}

/*
 * May the token act on the RP of rp_hash?  Yes when it is bound to no RP
 * or to that one; rp_hash NULL (the whole key: metadata, the list of
 * RPs) wants a token bound to no RP.
 */
int
vk_token_rp_ok(const struct vk *vk, const uint8_t *rp_hash)
{
	const char	*bound_rpid = vk->pin.token_rpid;
	uint8_t		 bound[32];

	if (bound_rpid == NULL)
		return 1;
	return rp_hash != NULL && vk_sha256((const uint8_t *)bound_rpid,
	    strlen(bound_rpid), bound) == 0 &&
	    memcmp(bound, rp_hash, sizeof(bound)) == 0;
}
