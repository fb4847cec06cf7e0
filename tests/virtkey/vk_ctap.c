/*
 * vk_ctap.c: the CTAP2 layer of the virtual key.  Dispatches the
 * commands of a CTAPHID_CBOR request, answers authenticatorGetInfo,
 * authenticatorReset and authenticatorSelection itself, and holds the
 * two things every command shares: collecting a touch (the --touch knob)
 * and serialising a reply.
 */
#include "config.h"

#include <string.h>

#include <openssl/crypto.h>

#include "vk.h"

#define CMD_MAKE_CREDENTIAL	0x01
#define CMD_GET_ASSERTION	0x02
#define CMD_GET_INFO		0x04
#define CMD_CLIENT_PIN		0x06
#define CMD_RESET		0x07
#define CMD_GET_NEXT_ASSERTION	0x08
#define CMD_CRED_MGMT		0x0a
#define CMD_SELECTION		0x0b
#define CMD_CRED_MGMT_PRE	0x41	/* credentialMgmtPreview */
#define FIRMWARE_VERSION	0x000100

/*
 * maxMsgSize: 1200 bytes like common keys, unless --max-creds allows
 * lists longer than 8; then enough for that many 128-byte ids.
 */
static uint64_t
max_msg_size(const struct vk *vk)
{
	uint64_t size = 256 + 150 * vk->cfg.max_creds;

	if (vk->cfg.max_creds <= 8)
		return VK_MAX_MSG_SIZE;
	return size < VK_MAX_PAYLOAD ? size : VK_MAX_PAYLOAD;
}

/*
 * The one place a CBOR reply is serialised: status 0x00, then the item.
 * Returns 0, or -1 if it does not fit in a CTAPHID message.  --evil
 * bad-cbor: a map of up to 23 pairs (one header byte) announces one pair
 * more than it holds, so the CBOR ends in the middle of an item.
 */
int
vk_reply_item(const struct vk *vk, struct vk_reply *reply,
    const cbor_item_t *item)
{
	size_t n;

	if (item == NULL || (n = cbor_serialize(item, reply->buf + 1,
	    sizeof(reply->buf) - 1)) == 0)
		return -1;
	reply->buf[0] = CTAP2_OK;
	reply->len = 1 + n;
	if (vk->evil_now && (vk->cfg.evil & VK_EVIL_BAD_CBOR) &&
	    reply->buf[1] >= 0xa0 && reply->buf[1] < 0xb7)
		reply->buf[1]++;
	return 0;
}

/*
 * Collect user presence as the --touch knob says.  Returns CTAP2_OK,
 * CTAP2_ERR_KEEPALIVE_CANCEL, CTAP2_ERR_USER_ACTION_TIMEOUT, or VK_ABORT
 * when no reply must be sent (client gone, key pulled out, stopping).
 */
int
vk_user_presence(struct vk *vk)
{
	long	wait_ms = vk->cfg.touch_timeout_ms;
	int	touched = 0;

	switch (vk->cfg.touch_mode) {
	case VK_TOUCH_NOW:
		return CTAP2_OK;
	case VK_TOUCH_UNPLUG:
		vk_hid_unplug(vk);
		return VK_ABORT;
	case VK_TOUCH_DELAY:
		if (vk->cfg.touch_ms <= wait_ms) {
			wait_ms = vk->cfg.touch_ms;
			touched = 1;
		}
		break;
	case VK_TOUCH_NEVER:
		break;
	}
	switch (vk_hid_wait(vk, wait_ms, VK_KA_UPNEEDED)) {
	case VK_WAIT_DONE:
		return touched ? CTAP2_OK : CTAP2_ERR_USER_ACTION_TIMEOUT;
	case VK_WAIT_CANCEL:
		return CTAP2_ERR_KEEPALIVE_CANCEL;
	default:
		return VK_ABORT;
	}
}

static cbor_item_t *
info_strings(const char *const *strs, size_t n)
{
	cbor_item_t *array;

	if ((array = cbor_new_definite_array(n)) == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (vk_cbor_push(array, vk_cbor_new_text(strs[i])) != 0) {
			cbor_decref(&array);
			return NULL;
		}
	return array;
}

/*
 * Option names in canonical order: by length, then bytewise.  With
 * --resident: rk, credMgmt and credentialMgmtPreview.
 */
static cbor_item_t *
info_options(const struct vk *vk)
{
	cbor_item_t	*map;
	int		 rk = vk->cfg.resident > 0, bad;

	if ((map = cbor_new_definite_map(rk ? 8 : 6)) == NULL)
		return NULL;
	bad = vk_cbor_put_str(map, "rk", cbor_build_bool(rk));
	bad |= vk_cbor_put_str(map, "up", cbor_build_bool(true));
	bad |= vk_cbor_put_str(map, "plat", cbor_build_bool(false));
	if (rk)
		bad |= vk_cbor_put_str(map, "credMgmt", cbor_build_bool(true));
	bad |= vk_cbor_put_str(map, "clientPin",
	    cbor_build_bool(vk->st.pin_set != 0));
	bad |= vk_cbor_put_str(map, "pinUvAuthToken", cbor_build_bool(true));
	bad |= vk_cbor_put_str(map, "makeCredUvNotRqd",
	    cbor_build_bool(vk->cfg.uv_not_required != 0));
	if (rk)
		bad |= vk_cbor_put_str(map, "credentialMgmtPreview",
		    cbor_build_bool(true));
	if (bad)
		cbor_decref(&map);
	return map;
}

static cbor_item_t *
info_protocols(const struct vk *vk)
{
	cbor_item_t *array;

	if ((array = cbor_new_definite_array(vk->cfg.nprotocols)) == NULL)
		return NULL;
	for (size_t i = 0; i < vk->cfg.nprotocols; i++)
		if (vk_cbor_push(array,
		    vk_cbor_new_int(vk->cfg.protocols[i])) != 0) {
			cbor_decref(&array);
			return NULL;
		}
	return array;
}

static cbor_item_t *
info_algorithm(int alg)
{
	cbor_item_t	*map;
	int		 bad;

	if ((map = cbor_new_definite_map(2)) == NULL)
		return NULL;
	bad = vk_cbor_put_str(map, "alg", vk_cbor_new_int(alg));
	bad |= vk_cbor_put_str(map, "type", vk_cbor_new_text("public-key"));
	if (bad)
		cbor_decref(&map);
	return map;
}

static cbor_item_t *
info_algorithms(void)
{
	cbor_item_t	*array;
	int		 bad;

	if ((array = cbor_new_definite_array(2)) == NULL)
		return NULL;
	bad = vk_cbor_push(array, info_algorithm(VK_COSE_ES256));
	bad |= vk_cbor_push(array, info_algorithm(VK_COSE_EDDSA));
	if (bad)
		cbor_decref(&array);
	return array;
}

/*
 * getInfo; with --resident also the credProtect extension and 0x14
 * remainingDiscoverableCredentials.
 */
static int
get_info(const struct vk *vk, struct vk_reply *reply)
{
	static const char *const versions[] = { "FIDO_2_0", "FIDO_2_1" };
	static const char *const extensions[] = { "credProtect" };
	const char	*transport = vk->cfg.transport_nfc ? "nfc" : "usb";
	size_t		 used = vk_rk_count(vk), rk = vk->cfg.resident;
	cbor_item_t	*map;
	int		 bad;

	if ((map = cbor_new_definite_map(rk > 0 ? 12 : 11)) == NULL)
		return CTAP1_ERR_OTHER;
	bad = vk_cbor_put_int(map, 1, info_strings(versions, 2));
	bad |= vk_cbor_put_int(map, 2, info_strings(extensions,
	    rk > 0 ? 1 : 0));
	bad |= vk_cbor_put_int(map, 3, vk_cbor_new_bytes(vk_aaguid,
	    VK_AAGUID_LEN));
	bad |= vk_cbor_put_int(map, 4, info_options(vk));
	bad |= vk_cbor_put_int(map, 5, vk_cbor_new_int(
	    (int64_t)max_msg_size(vk)));
	bad |= vk_cbor_put_int(map, 6, info_protocols(vk));
	bad |= vk_cbor_put_int(map, 7, vk_cbor_new_int(
	    (int64_t)vk->cfg.max_creds));
	bad |= vk_cbor_put_int(map, 8, vk_cbor_new_int(VK_MAX_CRED_ID_LEN));
	bad |= vk_cbor_put_int(map, 9, info_strings(&transport, 1));
	bad |= vk_cbor_put_int(map, 10, info_algorithms());
	bad |= vk_cbor_put_int(map, 14, vk_cbor_new_int(FIRMWARE_VERSION));
	if (rk > 0)
		bad |= vk_cbor_put_int(map, 20, vk_cbor_new_int(used < rk ?
		    (int64_t)(rk - used) : 0));
	if (!bad)
		bad = vk_reply_item(vk, reply, map);
	cbor_decref(&map);
	return bad ? CTAP1_ERR_OTHER : CTAP2_OK;
}

/*
 * Factory reset: only soon after power-up, and with a touch.  The PIN,
 * the master secret (so every non-resident credential) and the
 * discoverable credentials go.
 */
static int
reset(struct vk *vk)
{
	int r;

	if (vk_now_ms() - vk->boot_ms >
	    (int64_t)vk->cfg.reset_window_s * 1000)
		return CTAP2_ERR_NOT_ALLOWED;
	if ((r = vk_user_presence(vk)) != CTAP2_OK)
		return r;
	vk->st.pin_set = 0;
	OPENSSL_cleanse(vk->st.pin_hash, sizeof(vk->st.pin_hash));
	vk->st.pin_retries = VK_PIN_RETRIES_MAX;
	vk_rk_wipe_all(vk);
	if (vk_state_new_master(vk) != 0 || vk_state_save(vk) != 0 ||
	    vk_pin_init(vk) != 0)
		return CTAP1_ERR_OTHER;
	return CTAP2_OK;
}

/* The commands that take a parameter map. */
static int
with_params(struct vk *vk, uint8_t cmd, const uint8_t *buf, size_t len,
    struct vk_reply *reply, struct vk_logrec *rec)
{
	cbor_item_t	*params = NULL;
	int		 r;

	rec->name = cmd == CMD_MAKE_CREDENTIAL ? "makeCredential" :
	    cmd == CMD_GET_ASSERTION ? "getAssertion" :
	    cmd == CMD_CLIENT_PIN ? "clientPIN" : "credMgmt";
	if (cmd == CMD_CRED_MGMT_PRE)
		vk_log_kv(rec, "preview=1");
	if ((r = vk_cbor_load(buf, len, &params)) != CTAP2_OK)
		return r;
	if (cmd == CMD_MAKE_CREDENTIAL)
		r = vk_make_credential(vk, params, reply, rec);
	else if (cmd == CMD_GET_ASSERTION)
		r = vk_get_assertion(vk, params, reply, rec);
	else if (cmd == CMD_CLIENT_PIN)
		r = vk_client_pin(vk, params, reply, rec);
	else
		r = vk_cred_mgmt(vk, params, reply, rec);
	cbor_decref(&params);
	return r;
}

static int
dispatch(struct vk *vk, uint8_t cmd, const uint8_t *buf, size_t len,
    struct vk_reply *reply, struct vk_logrec *rec)
{
	/* A getNext* continues only right after its own command. */
	if (cmd != CMD_GET_NEXT_ASSERTION && cmd != CMD_CRED_MGMT &&
	    cmd != CMD_CRED_MGMT_PRE)
		vk_next_clear(vk);
	switch (cmd) {
	case CMD_MAKE_CREDENTIAL:
	case CMD_GET_ASSERTION:
	case CMD_CLIENT_PIN:
		return with_params(vk, cmd, buf, len, reply, rec);
	case CMD_CRED_MGMT:
	case CMD_CRED_MGMT_PRE:
		if (vk->cfg.resident == 0)
			break;
		return with_params(vk, cmd, buf, len, reply, rec);
	case CMD_GET_INFO:
		rec->name = "getInfo";
		vk->evil_now = (vk->cfg.evil_on & VK_EVIL_ON_INFO) != 0;
		return get_info(vk, reply);
	case CMD_RESET:
		rec->name = "reset";
		return reset(vk);
	case CMD_GET_NEXT_ASSERTION:
		rec->name = "getNextAssertion";
		return vk_get_next_assertion(vk, reply);
	case CMD_SELECTION:
		rec->name = "selection";
		return vk_user_presence(vk);
	default:
		break;
	}
	vk_log_kv(rec, "cmd=0x%02x", cmd);
	return CTAP1_ERR_INVALID_COMMAND;
}

/*
 * Handle one CTAPHID_CBOR message.  Returns the CTAP status, with the
 * reply (status byte first) in reply, or VK_ABORT to send nothing.
 */
int
vk_ctap_handle(struct vk *vk, const uint8_t *msg, size_t len,
    struct vk_reply *reply, struct vk_logrec *rec)
{
	int r;

	reply->len = 0;
	vk->evil_now = 0;
	if (len == 0 || len > max_msg_size(vk))
		r = CTAP1_ERR_INVALID_LENGTH;
	else
		r = dispatch(vk, msg[0], msg + 1, len - 1, reply, rec);
	if (r == VK_ABORT)
		return r;
	if (r != CTAP2_OK || reply->len == 0) {
		reply->buf[0] = (uint8_t)r;
		reply->len = 1;
	}
	return r;
}
