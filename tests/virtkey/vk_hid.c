/*
 * vk_hid.c: CTAPHID (CTAP 2.1 section 11.2) on top of vk_conn.c.
 *
 * Like a real key, the virtual key handles one transaction at a time:
 * from the initialisation packet of a request until its reply, every
 * other channel gets ERR_CHANNEL_BUSY.  While a request waits (latency,
 * touch), vk_hid_wait() keeps serving the socket: it sends keepalives,
 * answers BUSY, notices CTAPHID_CANCEL, a resync, or the client going
 * away.  A channel id belongs to the connection that allocated it.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "vk.h"

#define CID_BROADCAST		0xffffffffU
#define HID_PING		0x01
#define HID_MSG			0x03
#define HID_LOCK		0x04
#define HID_INIT		0x06
#define HID_WINK		0x08
#define HID_CBOR		0x10
#define HID_CANCEL		0x11
#define HID_KEEPALIVE		0x3b
#define HID_ERROR		0x3f
#define ERR_INVALID_CMD		0x01
#define ERR_INVALID_PAR		0x02
#define ERR_INVALID_LEN		0x03
#define ERR_INVALID_SEQ		0x04
#define ERR_MSG_TIMEOUT		0x05
#define ERR_CHANNEL_BUSY	0x06
#define ERR_INVALID_CHANNEL	0x0b
#define MSG_TIMEOUT_MS		500
#define KEEPALIVE_MS		100
#define CAPS			0x0d	/* WINK | CBOR | NMSG */
#define INIT_NONCE_LEN		8
#define INIT_REPLY_LEN		17

static const char *
hid_name(uint8_t cmd, char *buf, size_t len)
{
	switch (cmd) {
	case HID_PING:
		return "PING";
	case HID_MSG:
		return "MSG";
	case HID_LOCK:
		return "LOCK";
	case HID_INIT:
		return "INIT";
	case HID_WINK:
		return "WINK";
	case HID_CBOR:
		return "CBOR";
	case HID_CANCEL:
		return "CANCEL";
	default:
		snprintf(buf, len, "0x%02x", cmd);
		return buf;
	}
}

/*
 * Log a request answered at the CTAPHID level: hid_err >= 0 is a
 * CTAPHID_ERROR code (logged as hiderr=, with status=-), otherwise the
 * request succeeded (status=0x00; CANCEL, which has no reply: status=-).
 */
static void
log_hid(struct vk *vk, uint8_t cmd, int hid_err)
{
	struct vk_logrec	rec;
	char			name[8];
	int			status = CTAP2_OK;

	memset(&rec, 0, sizeof(rec));
	if (hid_err >= 0) {
		vk_log_kv(&rec, "hiderr=0x%02x", hid_err);
		status = -1;
	} else if (cmd == HID_CANCEL)
		status = -1;
	vk_log_line(vk, hid_name(cmd, name, sizeof(name)), &rec, status);
}

static void
send_error(struct vk *vk, int conn, uint32_t cid, uint8_t cmd, uint8_t err)
{
	log_hid(vk, cmd, err);
	vk_conn_send(vk, conn, cid, HID_ERROR, &err, 1);
}

static uint32_t
get_cid(const uint8_t *pkt)
{
	return (uint32_t)pkt[0] << 24 | (uint32_t)pkt[1] << 16 |
	    (uint32_t)pkt[2] << 8 | pkt[3];
}

/* Answer CTAPHID_INIT: a new channel, or a resync of an old one. */
static void
reply_init(struct vk *vk, int conn, uint32_t cid, const uint8_t *nonce)
{
	uint8_t		reply[INIT_REPLY_LEN];
	uint32_t	new_cid = cid;

	if (cid == CID_BROADCAST)
		new_cid = vk_conn_add_cid(vk, conn);
	memcpy(reply, nonce, INIT_NONCE_LEN);
	reply[8] = (uint8_t)(new_cid >> 24);
	reply[9] = (uint8_t)(new_cid >> 16);
	reply[10] = (uint8_t)(new_cid >> 8);
	reply[11] = (uint8_t)new_cid;
	reply[12] = 2;		/* CTAPHID protocol version */
	reply[13] = 0;		/* device version 0.1.0 */
	reply[14] = 1;
	reply[15] = 0;
	reply[16] = CAPS;
	vk_conn_send(vk, conn, cid, HID_INIT, reply, sizeof(reply));
}

static int
locked_out(const struct vk *vk, int conn, uint32_t cid)
{
	const struct vk_hid *hid = vk->hid;

	return hid->lock_conn >= 0 && vk_now_ms() < hid->lock_until_ms &&
	    (hid->lock_conn != conn || hid->lock_cid != cid);
}

/* An initialisation packet while a transaction is under way. */
static void
packet_while_busy(struct vk *vk, int conn, uint32_t cid, uint8_t cmd,
    const uint8_t *pkt)
{
	struct vk_txn *txn = &vk->hid->txn;

	if (txn->conn != conn || txn->cid != cid) {
		send_error(vk, conn, cid, cmd, ERR_CHANNEL_BUSY);
		return;
	}
	if (cmd == HID_INIT && pkt[5] == 0 && pkt[6] == INIT_NONCE_LEN) {
		/* Resync: abandon the transaction, answer at once. */
		if (txn->state == VK_TXN_BUSY)
			txn->aborted = 1;
		else
			txn->state = VK_TXN_IDLE;
		log_hid(vk, cmd, -1);
		reply_init(vk, conn, cid, pkt + 7);
		return;
	}
	if (txn->state == VK_TXN_RX) {
		txn->state = VK_TXN_IDLE;
		send_error(vk, conn, cid, cmd, ERR_INVALID_SEQ);
		return;
	}
	send_error(vk, conn, cid, cmd, ERR_CHANNEL_BUSY);
}

static void
cancel(struct vk *vk, int conn, uint32_t cid)
{
	struct vk_txn *txn = &vk->hid->txn;

	log_hid(vk, HID_CANCEL, -1);
	if ((txn->state == VK_TXN_READY || txn->state == VK_TXN_BUSY) &&
	    txn->conn == conn && txn->cid == cid)
		txn->cancelled = 1;
}

static void
init_packet(struct vk *vk, int conn, const uint8_t *pkt)
{
	struct vk_txn	*txn = &vk->hid->txn;
	uint32_t	 cid = get_cid(pkt);
	uint8_t		 cmd = pkt[4] & 0x7f;
	size_t		 len = (size_t)pkt[5] << 8 | pkt[6];

	if (cid == 0 || (cid == CID_BROADCAST && cmd != HID_INIT) ||
	    (cid != CID_BROADCAST && !vk_conn_owns(vk, conn, cid))) {
		send_error(vk, conn, cid, cmd, ERR_INVALID_CHANNEL);
		return;
	}
	if (cmd == HID_CANCEL) {
		cancel(vk, conn, cid);
		return;
	}
	if (txn->state != VK_TXN_IDLE) {
		packet_while_busy(vk, conn, cid, cmd, pkt);
		return;
	}
	if (locked_out(vk, conn, cid)) {
		send_error(vk, conn, cid, cmd, ERR_CHANNEL_BUSY);
		return;
	}
	if (len > VK_MAX_PAYLOAD) {
		send_error(vk, conn, cid, cmd, ERR_INVALID_LEN);
		return;
	}
	memset(txn, 0, offsetof(struct vk_txn, buf));
	txn->conn = conn;
	txn->cid = cid;
	txn->cmd = cmd;
	txn->len = len;
	txn->got = len < VK_REPORT_LEN - 7 ? len : VK_REPORT_LEN - 7;
	memcpy(txn->buf, pkt + 7, txn->got);
	txn->last_ms = vk_now_ms();
	txn->state = txn->got == len ? VK_TXN_READY : VK_TXN_RX;
}

static void
cont_packet(struct vk *vk, int conn, const uint8_t *pkt)
{
	struct vk_txn	*txn = &vk->hid->txn;
	size_t		 n;

	/* Spurious continuation packets are ignored. */
	if (txn->state != VK_TXN_RX || txn->conn != conn ||
	    txn->cid != get_cid(pkt))
		return;
	if (pkt[4] != txn->seq) {
		txn->state = VK_TXN_IDLE;
		send_error(vk, conn, txn->cid, txn->cmd, ERR_INVALID_SEQ);
		return;
	}
	txn->seq++;
	n = txn->len - txn->got < VK_REPORT_LEN - 5 ? txn->len - txn->got :
	    VK_REPORT_LEN - 5;
	memcpy(txn->buf + txn->got, pkt + 5, n);
	txn->got += n;
	txn->last_ms = vk_now_ms();
	if (txn->got == txn->len)
		txn->state = VK_TXN_READY;
}

/* One 64-byte report from connection conn. */
void
vk_hid_packet(struct vk *vk, int conn, const uint8_t *pkt)
{
	if (pkt[4] & 0x80)
		init_packet(vk, conn, pkt);
	else
		cont_packet(vk, conn, pkt);
}

/*
 * Wait ms milliseconds while serving the socket, with keepalives of the
 * given status every 100 ms (VK_KA_NONE: none).  Returns VK_WAIT_DONE,
 * VK_WAIT_CANCEL, or VK_WAIT_GONE if the client left, resynced, the key
 * was pulled out or the process is stopping.
 */
int
vk_hid_wait(struct vk *vk, long ms, uint8_t ka)
{
	struct vk_txn	*txn = &vk->hid->txn;
	int64_t		 now = vk_now_ms(), end = now + ms;
	int64_t		 next_ka = now + KEEPALIVE_MS, until;

	for (;;) {
		if (vk_stop || vk->unplugged || txn->aborted)
			return VK_WAIT_GONE;
		if (txn->cancelled)
			return VK_WAIT_CANCEL;
		if ((now = vk_now_ms()) >= end)
			return VK_WAIT_DONE;
		if (ka != VK_KA_NONE && now >= next_ka) {
			vk_conn_send(vk, txn->conn, txn->cid, HID_KEEPALIVE,
			    &ka, 1);
			next_ka += KEEPALIVE_MS;
			continue;
		}
		until = ka != VK_KA_NONE && next_ka < end ? next_ka : end;
		vk_conn_poll(vk, (long)(until - now));
	}
}

static void
handle_lock(struct vk *vk, struct vk_txn *txn)
{
	struct vk_hid *hid = vk->hid;

	if (txn->len != 1) {
		send_error(vk, txn->conn, txn->cid, txn->cmd, ERR_INVALID_LEN);
		return;
	}
	if (txn->buf[0] > 10) {
		send_error(vk, txn->conn, txn->cid, txn->cmd, ERR_INVALID_PAR);
		return;
	}
	hid->lock_conn = txn->buf[0] == 0 ? -1 : txn->conn;
	hid->lock_cid = txn->cid;
	hid->lock_until_ms = vk_now_ms() + 1000 * (int64_t)txn->buf[0];
	log_hid(vk, txn->cmd, -1);
	vk_conn_send(vk, txn->conn, txn->cid, HID_LOCK, NULL, 0);
}

/*
 * --evil endless-keepalive: "still processing" every 100 ms for ever,
 * CANCEL or not; only the client's leaving (or SIGTERM) ends it.
 */
static void
keepalive_forever(struct vk *vk, struct vk_txn *txn)
{
	while (vk_hid_wait(vk, 60000, VK_KA_PROCESSING) != VK_WAIT_GONE)
		txn->cancelled = 0;
}

static void
handle_cbor(struct vk *vk, struct vk_txn *txn)
{
	struct vk_reply		*reply = &vk->hid->reply;
	struct vk_logrec	 rec;
	int			 r, evil;

	memset(&rec, 0, sizeof(rec));
	r = vk_ctap_handle(vk, txn->buf, txn->len, reply, &rec);
	if (r == VK_ABORT || txn->aborted) {
		vk_log_line(vk, "CBOR", &rec, -1);
		return;
	}
	evil = r == CTAP2_OK && vk->evil_now && vk->cfg.evil != 0;
	if (evil)
		vk_log_kv(&rec, "evil=1");
	vk_log_line(vk, "CBOR", &rec, r);
	if (evil && (vk->cfg.evil & VK_EVIL_ENDLESS_KA))
		keepalive_forever(vk, txn);
	else if (evil)
		vk_conn_send_evil(vk, txn->conn, txn->cid, HID_CBOR,
		    reply->buf, reply->len);
	else
		vk_conn_send(vk, txn->conn, txn->cid, HID_CBOR, reply->buf,
		    reply->len);
}

static void
handle_request(struct vk *vk, struct vk_txn *txn)
{
	if (txn->aborted || txn->conn < 0)
		return;
	switch (txn->cmd) {
	case HID_INIT:
		if (txn->len != INIT_NONCE_LEN) {
			send_error(vk, txn->conn, txn->cid, txn->cmd,
			    ERR_INVALID_LEN);
			return;
		}
		log_hid(vk, txn->cmd, -1);
		reply_init(vk, txn->conn, txn->cid, txn->buf);
		return;
	case HID_PING:
	case HID_WINK:
		log_hid(vk, txn->cmd, -1);
		vk_conn_send(vk, txn->conn, txn->cid, txn->cmd, txn->buf,
		    txn->cmd == HID_PING ? txn->len : 0);
		return;
	case HID_LOCK:
		handle_lock(vk, txn);
		return;
	case HID_CBOR:
		handle_cbor(vk, txn);
		return;
	default:
		send_error(vk, txn->conn, txn->cid, txn->cmd, ERR_INVALID_CMD);
		return;
	}
}

/* Handle the complete request: model the latency, then answer. */
static void
process(struct vk *vk)
{
	struct vk_txn *txn = &vk->hid->txn;

	txn->state = VK_TXN_BUSY;
	if (vk->cfg.latency_ms > 0 && vk_hid_wait(vk, vk->cfg.latency_ms,
	    txn->cmd == HID_CBOR ? VK_KA_PROCESSING : VK_KA_NONE) ==
	    VK_WAIT_GONE) {
		txn->state = VK_TXN_IDLE;
		return;
	}
	handle_request(vk, txn);
	txn->state = VK_TXN_IDLE;
}

/* The main loop: until SIGTERM/SIGINT or the key is pulled out. */
int
vk_hid_run(struct vk *vk)
{
	struct vk_txn	*txn = &vk->hid->txn;
	long		 timeout;
	int64_t		 idle;

	while (!vk_stop && !vk->unplugged) {
		timeout = -1;
		if (txn->state == VK_TXN_RX) {
			idle = vk_now_ms() - txn->last_ms;
			if (idle >= MSG_TIMEOUT_MS) {
				txn->state = VK_TXN_IDLE;
				send_error(vk, txn->conn, txn->cid, txn->cmd,
				    ERR_MSG_TIMEOUT);
				continue;
			}
			timeout = (long)(MSG_TIMEOUT_MS - idle);
		}
		vk_conn_poll(vk, timeout);
		if (txn->state == VK_TXN_READY)
			process(vk);
	}
	return 0;
}
