/*
 * vk_credman.c: authenticatorCredentialManagement, CTAP 2.1 section 6.8,
 * on the discoverable credentials of vk_rk.c.  The key answers it as
 * command 0x0a and as the prototype 0x41 (libfido2 up to 1.13 sends
 * 0x41 only), and only with --resident.
 *
 * Every subcommand but the getNext* ones needs pinUvAuthParam =
 * authenticate(token, subCommand || subCommandParams) by a token with the
 * cm permission; the whole-key ones (metadata, RPs) a token bound to no
 * RP, the others a token bound to no RP or to the credential's RP.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "vk.h"

#define SUB_METADATA		0x01
#define SUB_RP_BEGIN		0x02
#define SUB_RP_NEXT		0x03
#define SUB_CRED_BEGIN		0x04
#define SUB_CRED_NEXT		0x05
#define SUB_DELETE		0x06
#define SUB_UPDATE_USER		0x07

struct cm_req {
	uint64_t		 sub;
	const cbor_item_t	*sub_params;	/* NULL: none */
	struct vk_pinauth	 pa;
};

static int
cm_parse(const cbor_item_t *params, struct cm_req *req)
{
	int r;

	memset(req, 0, sizeof(*req));
	if ((r = vk_cbor_uint(vk_cbor_get(params, 1), &req->sub)) != CTAP2_OK)
		return r;
	req->sub_params = vk_cbor_get(params, 2);
	if (req->sub_params != NULL && !cbor_isa_map(req->sub_params))
		return CTAP2_ERR_CBOR_UNEXPECTED_TYPE;
	return vk_pinauth_parse(params, 4, 3, &req->pa);
}

/* pinUvAuthParam over subCommand || subCommandParams (as sent: canonical). */
static int
cm_auth(struct vk *vk, const struct cm_req *req)
{
	unsigned char	*ser = NULL;
	uint8_t		*msg = NULL;
	size_t		 ser_len = 0, cap = 0;
	int		 r = CTAP1_ERR_OTHER;

	if (!req->pa.has_auth)
		return CTAP2_ERR_PUAT_REQUIRED;
	if (!req->pa.has_proto)
		return CTAP2_ERR_MISSING_PARAMETER;
	if (!vk_pin_protocol_ok(vk, req->pa.proto))
		return CTAP1_ERR_INVALID_PARAMETER;
	if (req->sub_params != NULL && (ser_len =
	    cbor_serialize_alloc(req->sub_params, &ser, &cap)) == 0)
		goto fail;
	if ((msg = malloc(1 + ser_len)) == NULL)
		goto fail;
	msg[0] = (uint8_t)req->sub;
	if (ser_len > 0)
		memcpy(msg + 1, ser, ser_len);
	r = vk_token_verify_cm(vk, req->pa.proto, req->pa.auth,
	    req->pa.auth_len, msg, 1 + ser_len);
fail:
	free(ser);
	free(msg);
	return r;
}

/* The credential named by subCommandParams' credentialID: its slot. */
static int
cm_cred_slot(const struct vk *vk, const struct cm_req *req, int *slot)
{
	const uint8_t	*id;
	size_t		 id_len;
	int		 r;

	*slot = -1;
	if (req->sub_params == NULL)
		return CTAP2_ERR_MISSING_PARAMETER;
	if ((r = vk_cbor_bytes(vk_cbor_get_str(vk_cbor_get(req->sub_params,
	    2), "id"), &id, &id_len)) != CTAP2_OK)
		return r;
	if ((*slot = vk_rk_find_id(vk, NULL, id, id_len)) < 0)
		return CTAP2_ERR_NO_CREDENTIALS;
	return CTAP2_OK;
}

static int
cm_send(const struct vk *vk, cbor_item_t *map, int bad,
    struct vk_reply *reply)
{
	int r = CTAP1_ERR_OTHER;

	if (map != NULL && !bad && vk_reply_item(vk, reply, map) == 0)
		r = CTAP2_OK;
	if (map != NULL)
		cbor_decref(&map);
	return r;
}

/* {1: existing, 2: remaining} discoverable credentials. */
static int
cm_metadata(struct vk *vk, struct vk_reply *reply)
{
	cbor_item_t	*map;
	size_t		 used = vk_rk_count(vk);
	size_t		 left = used < vk->cfg.resident ?
			    vk->cfg.resident - used : 0;
	int		 bad;

	if ((map = cbor_new_definite_map(2)) == NULL)
		return CTAP1_ERR_OTHER;
	bad = vk_cbor_put_int(map, 1, vk_cbor_new_int((int64_t)used));
	bad |= vk_cbor_put_int(map, 2, vk_cbor_new_int((int64_t)left));
	return cm_send(vk, map, bad, reply);
}

/* {3: rp {"id", "name"}, 4: rpIDHash[, 5: totalRPs]}. */
static int
cm_rp_reply(struct vk *vk, size_t slot, size_t total, struct vk_reply *reply)
{
	const struct vk_rk	*rk = &vk->st.rk[slot];
	cbor_item_t		*map, *rp;
	int			 bad;

	if ((rp = cbor_new_definite_map(rk->rp_name[0] != '\0' ? 2 : 1)) ==
	    NULL)
		return CTAP1_ERR_OTHER;
	bad = vk_cbor_put_str(rp, "id", vk_cbor_new_text(rk->rpid));
	if (rk->rp_name[0] != '\0')
		bad |= vk_cbor_put_str(rp, "name",
		    vk_cbor_new_text(rk->rp_name));
	if (bad || (map = cbor_new_definite_map(total > 0 ? 3 : 2)) == NULL) {
		cbor_decref(&rp);
		return CTAP1_ERR_OTHER;
	}
	bad = vk_cbor_put_int(map, 3, rp);
	bad |= vk_cbor_put_int(map, 4, vk_cbor_new_bytes(rk->rp_hash, 32));
	if (total > 0)
		bad |= vk_cbor_put_int(map, 5,
		    vk_cbor_new_int((int64_t)total));
	return cm_send(vk, map, bad, reply);
}

/* One slot per RP, in slot order; the rest for enumerateRPsGetNextRP. */
static int
cm_rp_begin(struct vk *vk, struct vk_reply *reply)
{
	struct vk_next	*next = &vk->next;
	size_t		 n = 0, j;
	int		 r;

	for (size_t i = 0; i < VK_RK_MAX; i++) {
		if (!vk->st.rk[i].used)
			continue;
		for (j = 0; j < n; j++)
			if (memcmp(vk->st.rk[next->slot[j]].rp_hash,
			    vk->st.rk[i].rp_hash, 32) == 0)
				break;
		if (j == n)
			next->slot[n++] = i;
	}
	if (n == 0)
		return CTAP2_ERR_NO_CREDENTIALS;
	if ((r = cm_rp_reply(vk, next->slot[0], n, reply)) != CTAP2_OK)
		return r;
	next->kind = VK_NEXT_RP;
	next->count = n;
	next->pos = 1;
	return CTAP2_OK;
}

/*
 * {6: user, 7: credentialID, 8: publicKey[, 9: totalCredentials],
 * 10: credProtect}.
 */
static int
cm_cred_reply(struct vk *vk, size_t slot, size_t total,
    struct vk_reply *reply)
{
	const struct vk_rk	*rk = &vk->st.rk[slot];
	cbor_item_t		*map;
	int			 bad;

	if ((map = cbor_new_definite_map(total > 0 ? 5 : 4)) == NULL)
		return CTAP1_ERR_OTHER;
	bad = vk_cbor_put_int(map, 6, vk_rk_user(rk, 1));
	bad |= vk_cbor_put_int(map, 7, vk_rk_desc(rk));
	bad |= vk_cbor_put_int(map, 8, vk_rk_pubkey(rk));
	if (total > 0)
		bad |= vk_cbor_put_int(map, 9,
		    vk_cbor_new_int((int64_t)total));
	bad |= vk_cbor_put_int(map, 10, vk_cbor_new_int(rk->prot));
	return cm_send(vk, map, bad, reply);
}

static int
cm_cred_begin(struct vk *vk, const struct cm_req *req, struct vk_reply *reply)
{
	struct vk_next	*next = &vk->next;
	const uint8_t	*rp_hash;
	size_t		 len, n;
	int		 r;

	if (req->sub_params == NULL)
		return CTAP2_ERR_MISSING_PARAMETER;
	if ((r = vk_cbor_bytes(vk_cbor_get(req->sub_params, 1), &rp_hash,
	    &len)) != CTAP2_OK)
		return r;
	if (len != 32)
		return CTAP1_ERR_INVALID_LENGTH;
	if ((r = cm_auth(vk, req)) != CTAP2_OK)
		return r;
	if (!vk_token_rp_ok(vk, rp_hash))
		return CTAP2_ERR_PIN_AUTH_INVALID;
	if ((n = vk_rk_for_rp(vk, rp_hash, -1, next->slot)) == 0)
		return CTAP2_ERR_NO_CREDENTIALS;
	if ((r = cm_cred_reply(vk, next->slot[0], n, reply)) != CTAP2_OK)
		return r;
	next->kind = VK_NEXT_CRED;
	next->count = n;
	next->pos = 1;
	return CTAP2_OK;
}

/* enumerateRPsGetNextRP, enumerateCredentialsGetNextCredential. */
static int
cm_next(struct vk *vk, enum vk_next_kind kind, struct vk_reply *reply)
{
	struct vk_next	*next = &vk->next;
	size_t		 slot;

	if (next->kind != kind || next->pos >= next->count ||
	    !vk->st.rk[next->slot[next->pos]].used) {
		vk_next_clear(vk);
		return CTAP2_ERR_NOT_ALLOWED;
	}
	slot = next->slot[next->pos++];
	return kind == VK_NEXT_RP ? cm_rp_reply(vk, slot, 0, reply) :
	    cm_cred_reply(vk, slot, 0, reply);
}

static int
cm_delete(struct vk *vk, const struct cm_req *req)
{
	int r, slot;

	if (req->sub_params == NULL)
		return CTAP2_ERR_MISSING_PARAMETER;
	if ((r = cm_auth(vk, req)) != CTAP2_OK)
		return r;
	if ((r = cm_cred_slot(vk, req, &slot)) != CTAP2_OK)
		return r;
	if (!vk_token_rp_ok(vk, vk->st.rk[slot].rp_hash))
		return CTAP2_ERR_PIN_AUTH_INVALID;
	vk_rk_wipe(&vk->st.rk[slot]);
	return vk_state_save(vk) == 0 ? CTAP2_OK : CTAP1_ERR_OTHER;
}

/* New name and displayName for the same user id; absent ones go. */
static int
cm_update_user(struct vk *vk, const struct cm_req *req)
{
	const cbor_item_t	*user;
	struct vk_rk		*rk;
	const uint8_t		*uid;
	const char		*text;
	size_t			 uid_len, len;
	int			 r, slot;

	if (req->sub_params == NULL ||
	    (user = vk_cbor_get(req->sub_params, 3)) == NULL)
		return CTAP2_ERR_MISSING_PARAMETER;
	if (!cbor_isa_map(user))
		return CTAP2_ERR_CBOR_UNEXPECTED_TYPE;
	if ((r = cm_auth(vk, req)) != CTAP2_OK ||
	    (r = cm_cred_slot(vk, req, &slot)) != CTAP2_OK)
		return r;
	rk = &vk->st.rk[slot];
	if (!vk_token_rp_ok(vk, rk->rp_hash))
		return CTAP2_ERR_PIN_AUTH_INVALID;
	if ((r = vk_cbor_bytes(vk_cbor_get_str(user, "id"), &uid,
	    &uid_len)) != CTAP2_OK)
		return r;
	if (uid_len != rk->user_id_len || memcmp(uid, rk->user_id,
	    uid_len) != 0)
		return CTAP1_ERR_INVALID_PARAMETER;
	rk->user_name[0] = rk->display_name[0] = '\0';
	if (vk_cbor_text(vk_cbor_get_str(user, "name"), &text, &len) ==
	    CTAP2_OK)
		vk_rk_set_text(rk->user_name, text, len);
	if (vk_cbor_text(vk_cbor_get_str(user, "displayName"), &text,
	    &len) == CTAP2_OK)
		vk_rk_set_text(rk->display_name, text, len);
	return vk_state_save(vk) == 0 ? CTAP2_OK : CTAP1_ERR_OTHER;
}

static const char *
sub_name(uint64_t sub)
{
	static const char *const names[] = { "credMgmt",
	    "credMgmt.getCredsMetadata", "credMgmt.enumerateRPsBegin",
	    "credMgmt.enumerateRPsGetNextRP",
	    "credMgmt.enumerateCredentialsBegin",
	    "credMgmt.enumerateCredentialsGetNextCredential",
	    "credMgmt.deleteCredential", "credMgmt.updateUserInformation" };

	return sub < sizeof(names) / sizeof(names[0]) ? names[sub] : names[0];
}

/* Whole-key subcommands need a token bound to no RP. */
static int
cm_whole_key(struct vk *vk, const struct cm_req *req, struct vk_reply *reply)
{
	int r;

	if ((r = cm_auth(vk, req)) != CTAP2_OK)
		return r;
	if (!vk_token_rp_ok(vk, NULL))
		return CTAP2_ERR_PIN_AUTH_INVALID;
	return req->sub == SUB_METADATA ? cm_metadata(vk, reply) :
	    cm_rp_begin(vk, reply);
}

int
vk_cred_mgmt(struct vk *vk, const cbor_item_t *params,
    struct vk_reply *reply, struct vk_logrec *rec)
{
	struct cm_req	req;
	int		r;

	if ((r = cm_parse(params, &req)) != CTAP2_OK) {
		vk_next_clear(vk);
		return r;
	}
	rec->name = sub_name(req.sub);
	if (req.sub != SUB_RP_NEXT && req.sub != SUB_CRED_NEXT)
		vk_next_clear(vk);
	switch (req.sub) {
	case SUB_METADATA:
	case SUB_RP_BEGIN:
		return cm_whole_key(vk, &req, reply);
	case SUB_RP_NEXT:
		return cm_next(vk, VK_NEXT_RP, reply);
	case SUB_CRED_BEGIN:
		return cm_cred_begin(vk, &req, reply);
	case SUB_CRED_NEXT:
		return cm_next(vk, VK_NEXT_CRED, reply);
	case SUB_DELETE:
		return cm_delete(vk, &req);
	case SUB_UPDATE_USER:
		return cm_update_user(vk, &req);
	default:
		vk_log_kv(rec, "subcmd=0x%02x", (unsigned int)(req.sub & 0xff));
		return CTAP2_ERR_INVALID_SUBCOMMAND;
	}
}
