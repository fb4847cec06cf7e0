/*
 * fakekey.c: security keys for fuzz_pam, at HID report level, answering
 * from a script of replies or recording what virtual keys answer.
 */
#include <config.h>

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <fido.h>

#include "fakekey.h"
#include "../tests/virtkey/interpose.h"

#define REPORT_LEN	FIDO_INTERPOSE_REPORT_LEN
#define INIT_DATA	(REPORT_LEN - 7)	/* cid, cmd, bcnt, data */
#define CONT_DATA	(REPORT_LEN - 5)	/* cid, seq, data */
#define SEQ_MAX		128
#define MSG_MAX		(INIT_DATA + SEQ_MAX * CONT_DATA)
#define NONCE_LEN	8
#define KEYS_MAX	4
#define RECORD_MAX	(256 * 1024)

#define FRAME_INIT		0x80
#define CMD_INIT		0x06
#define CMD_CBOR		0x10
#define CMD_CANCEL		0x11
#define CMD_KEEPALIVE		0x3b
#define CMD_ERROR		0x3f
#define CBOR_GET_ASSERTION	0x02

/* One CTAPHID message, put together from reports. */
struct message {
	uint8_t		cid[4];
	uint8_t		cmd;		/* without FRAME_INIT */
	uint8_t		data[MSG_MAX];
	size_t		len;		/* received so far */
	size_t		want;		/* the byte count it announced */
	int		seq;		/* next continuation packet */
	bool		open;		/* continuation packets to come */
};

/* One opened key: its io handle. */
struct key {
	unsigned int	index;
	int		fd;		/* record mode: the virtual key */
	struct message	request;	/* from libfido2 */
	bool		pending;	/* a whole request awaits an answer */
	uint8_t		reports[SEQ_MAX + 1][REPORT_LEN];
	size_t		nreports;	/* script mode: the answer ... */
	size_t		next_report;	/* ... handed out one per read */
	struct message	answer;		/* record mode: from the virtual key */
};

static struct {
	bool			 recording;
	unsigned int		 nkeys;
	bool			 nfc[KEYS_MAX];
	/* Script mode. */
	const struct pam_reply	*replies;
	size_t			 nreplies;
	size_t			 next;
	bool			 pull;
	unsigned int		 requests;
	unsigned int		 assertions;
	/* Record mode. */
	char			 sockets[KEYS_MAX][sizeof(((struct sockaddr_un *)0)->sun_path)];
	struct pam_reply	 recorded[PAM_INPUT_REPLIES_MAX];
	size_t			 nrecorded;
	uint8_t			 arena[RECORD_MAX];
	size_t			 arena_used;
} fk;

/*
 * How far libfido2 got: one counter per (request number, request kind).
 * libfido2 is not instrumented, so without these libFuzzer would not see
 * a reply it accepted until our own code behaved differently.
 */
#ifdef SECKEY_LIBFUZZER
#define EXTRA_COUNTERS \
	__attribute__((__section__("__libfuzzer_extra_counters"), __used__))
#else
#define EXTRA_COUNTERS
#endif
static uint8_t progress[32 * 16] EXTRA_COUNTERS;

static void
mark_progress(const struct message *req)
{
	unsigned int kind, n;

	kind = req->cmd == CMD_CBOR && req->len > 0 ?
	    8 + (req->data[0] & 7) : req->cmd & 7;
	n = fk.requests < 31 ? fk.requests : 31;
	fk.requests++;
	if (progress[n * 16 + kind] < 255)
		progress[n * 16 + kind]++;
}

/* Add a report to msg: 1 when it is whole, 0 if not, -1 if stray. */
static int
message_add(struct message *msg, const uint8_t *f)
{
	size_t n;

	if (f[4] & FRAME_INIT) {
		memcpy(msg->cid, f, 4);
		msg->cmd = f[4] & 0x7f;
		msg->want = (size_t)f[5] << 8 | f[6];
		if (msg->want > MSG_MAX)
			msg->want = MSG_MAX;
		msg->len = msg->want < INIT_DATA ? msg->want : INIT_DATA;
		memcpy(msg->data, f + 7, msg->len);
		msg->seq = 0;
	} else {
		if (!msg->open || memcmp(msg->cid, f, 4) != 0 ||
		    f[4] != msg->seq)
			return -1;
		n = msg->want - msg->len;
		if (n > CONT_DATA)
			n = CONT_DATA;
		memcpy(msg->data + msg->len, f + 5, n);
		msg->len += n;
		msg->seq++;
	}
	msg->open = msg->len < msg->want;

	return msg->open ? 0 : 1;
}

/* Split a message into the reports of key k's answer. */
static void
frame(struct key *k, const uint8_t cid[4], uint8_t cmd, const uint8_t *data,
    size_t len)
{
	uint8_t *r;
	size_t off, n;
	uint8_t seq = 0;

	if (len > MSG_MAX)
		len = MSG_MAX;
	k->nreports = k->next_report = 0;
	r = k->reports[k->nreports++];
	memset(r, 0, REPORT_LEN);
	memcpy(r, cid, 4);
	r[4] = FRAME_INIT | cmd;
	r[5] = (uint8_t)(len >> 8);
	r[6] = (uint8_t)len;
	off = len < INIT_DATA ? len : INIT_DATA;
	memcpy(r + 7, data, off);
	while (off < len) {
		r = k->reports[k->nreports++];
		memset(r, 0, REPORT_LEN);
		memcpy(r, cid, 4);
		r[4] = seq++;
		n = len - off < CONT_DATA ? len - off : CONT_DATA;
		memcpy(r + 5, data + off, n);
		off += n;
	}
}

/* Reports as they are; the last one padded with zeros. */
static void
raw(struct key *k, const uint8_t *data, size_t len)
{
	size_t off = 0, n;
	uint8_t *r;

	k->nreports = k->next_report = 0;
	do {
		r = k->reports[k->nreports++];
		memset(r, 0, REPORT_LEN);
		n = len - off < REPORT_LEN ? len - off : REPORT_LEN;
		memcpy(r, data + off, n);
		off += n;
	} while (off < len && k->nreports < SEQ_MAX + 1);
}

/* The answer to an INIT echoes its nonce, then the reply's bytes. */
static void
frame_init(struct key *k, const uint8_t *data, size_t len)
{
	static uint8_t msg[MSG_MAX];
	size_t nonce_len = k->request.len < NONCE_LEN ? k->request.len :
	    NONCE_LEN;

	memset(msg, 0, NONCE_LEN);
	memcpy(msg, k->request.data, nonce_len);
	if (len > MSG_MAX - NONCE_LEN)
		len = MSG_MAX - NONCE_LEN;
	memcpy(msg + NONCE_LEN, data, len);
	frame(k, k->request.cid, CMD_INIT, msg, NONCE_LEN + len);
}

/* Prepare the answer to the pending request; false: none is left. */
static bool
script_answer(struct key *k)
{
	const struct pam_reply *reply;
	const uint8_t *data;
	size_t len;
	uint8_t cmd;

	if (!k->pending || fk.next >= fk.nreplies)
		return false;
	reply = &fk.replies[fk.next++];
	data = reply->data.ptr;
	len = reply->data.len;
	switch (pam_reply_kind(reply)) {
	case PAM_REPLY_FRAMED:
		if (k->request.cmd == CMD_INIT)
			frame_init(k, data, len);
		else
			frame(k, k->request.cid, k->request.cmd, data, len);
		k->pending = false;
		break;
	case PAM_REPLY_COMMAND:
		cmd = len > 0 ? data[0] & 0x7f : CMD_ERROR;
		frame(k, k->request.cid, cmd, data + (len > 0),
		    len - (len > 0));
		/* A keepalive says the answer is still to come. */
		k->pending = cmd == CMD_KEEPALIVE;
		break;
	case PAM_REPLY_RAW:
		raw(k, data, len);
		k->pending = false;
		break;
	}

	return true;
}

/* Keep a copy of a reply in the arena; dropped when it is full. */
static void
keep(uint8_t kind, uint8_t cmd, bool with_cmd, const uint8_t *data,
    size_t len)
{
	struct pam_reply *reply;
	size_t total = len + (with_cmd ? 1 : 0);
	uint8_t *p;

	if (fk.nrecorded == PAM_INPUT_REPLIES_MAX ||
	    total > RECORD_MAX - fk.arena_used || total > PAM_INPUT_FIELD_MAX) {
		fprintf(stderr, "fakekey: too many replies, one dropped\n");
		return;
	}
	p = fk.arena + fk.arena_used;
	if (with_cmd)
		*p = cmd;
	memcpy(p + (with_cmd ? 1 : 0), data, len);
	fk.arena_used += total;
	reply = &fk.recorded[fk.nrecorded++];
	reply->kind = kind;
	reply->data.ptr = p;
	reply->data.len = total;
}

/* A whole answer from a virtual key, kept as a reply of the script. */
static void
keep_answer(const struct key *k)
{
	const struct message *a = &k->answer;

	if (a->cmd == k->request.cmd && a->cmd == CMD_INIT &&
	    a->len >= NONCE_LEN)
		keep(PAM_REPLY_FRAMED, 0, false, a->data + NONCE_LEN,
		    a->len - NONCE_LEN);
	else if (a->cmd == k->request.cmd)
		keep(PAM_REPLY_FRAMED, 0, false, a->data, a->len);
	else
		keep(PAM_REPLY_COMMAND, a->cmd, true, a->data, a->len);
}

static void
request_done(struct key *k)
{
	mark_progress(&k->request);
	if (k->request.cmd == CMD_CBOR && k->request.len > 0 &&
	    k->request.data[0] == CBOR_GET_ASSERTION)
		fk.assertions++;
	/* CTAPHID CANCEL is never answered. */
	if (k->request.cmd == CMD_CANCEL)
		return;
	k->pending = true;
	k->nreports = k->next_report = 0;
}

/* N of a key's name ("N" of "fuzz:N"), or -1 for no key plugged in. */
static int
key_index(const char *name)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(name, &end, 10);
	if (errno != 0 || end == name || *end != '\0' || n < 0 ||
	    n >= (long)fk.nkeys)
		return -1;

	return (int)n;
}

static bool
is_key(const char *name)
{
	return key_index(name) >= 0;
}

static void *
key_open(const char *path)
{
	const char *name;
	struct key *k;
	int index;

	if ((name = fido_interpose_name(path)) == NULL ||
	    (index = key_index(name)) < 0 ||
	    (k = calloc(1, sizeof(*k))) == NULL)
		return NULL;
	k->index = (unsigned int)index;
	k->fd = -1;
	if (fk.recording && (k->fd = fido_interpose_connect(fk.sockets[index],
	    SOCK_CLOEXEC)) < 0) {
		free(k);
		return NULL;
	}

	return k;
}

static void
key_close(void *handle)
{
	struct key *k = handle;

	if (k == NULL)
		return;
	if (k->fd >= 0)
		close(k->fd);
	free(k);
}

static int
record_read(struct key *k, unsigned char *buf, int ms)
{
	if (fido_interpose_recv(k->fd, buf, REPORT_LEN, ms) < 0)
		return -1;
	if (message_add(&k->answer, buf) == 1)
		keep_answer(k);

	return REPORT_LEN;
}

static int
key_read(void *handle, unsigned char *buf, size_t len, int ms)
{
	struct key *k = handle;

	if (k == NULL || len != REPORT_LEN)
		return -1;
	if (fk.recording)
		return record_read(k, buf, ms);
	if (k->next_report == k->nreports && !script_answer(k))
		return -1;
	memcpy(buf, k->reports[k->next_report++], REPORT_LEN);

	return REPORT_LEN;
}

/* libfido2 writes a report id (0) and one report. */
static int
key_write(void *handle, const unsigned char *buf, size_t len)
{
	struct key *k = handle;

	if (k == NULL || len != REPORT_LEN + 1)
		return -1;
	if (k->fd >= 0 && fido_interpose_send(k->fd, buf, len) < 0)
		return -1;
	if (message_add(&k->request, buf + 1) == 1)
		request_done(k);

	return (int)len;
}

static const fido_dev_io_t key_io = {
	key_open,
	key_close,
	key_read,
	key_write,
};

void
fakekey_script(const struct pam_reply *replies, size_t nreplies,
    unsigned int nkeys, bool first_nfc, bool pull)
{
	memset(fk.nfc, 0, sizeof(fk.nfc));
	fk.recording = false;
	fk.nkeys = nkeys < KEYS_MAX ? nkeys : KEYS_MAX;
	fk.nfc[0] = first_nfc;
	fk.replies = replies;
	fk.nreplies = nreplies;
	fk.next = 0;
	fk.pull = pull;
	fk.requests = 0;
	fk.assertions = 0;
}

int
fakekey_record(const char *socket_dir)
{
	static const char *const transports[] = { "usb", "nfc" };
	struct stat st;
	unsigned int i, t;

	memset(fk.nfc, 0, sizeof(fk.nfc));
	fk.recording = true;
	fk.pull = false;
	fk.nkeys = 0;
	fk.nrecorded = 0;
	fk.arena_used = 0;
	fk.requests = 0;
	fk.assertions = 0;
	/* with-virtkey names them keyN-usb.sock or keyN-nfc.sock. */
	for (i = 0; i < KEYS_MAX; i++)
		for (t = 0; t < 2; t++) {
			if (snprintf(fk.sockets[i], sizeof(fk.sockets[i]),
			    "%s/key%u-%s.sock", socket_dir, i, transports[t]) >=
			    (int)sizeof(fk.sockets[i]))
				return -1;
			if (stat(fk.sockets[i], &st) == 0 &&
			    S_ISSOCK(st.st_mode)) {
				fk.nfc[i] = t == 1;
				fk.nkeys = i + 1;
				break;
			}
		}

	return fk.nkeys > 0 ? (int)fk.nkeys : -1;
}

const struct pam_reply *
fakekey_recorded(size_t *nreplies)
{
	*nreplies = fk.nrecorded;

	return fk.recorded;
}

unsigned int
fakekey_assertions(void)
{
	return fk.assertions;
}

/* The keys fido_dev_info_manifest lists: "fuzz:N" or "nfc:fuzz:N". */
static int
list_keys(struct fido_interpose_key *keys, size_t max)
{
	unsigned int i;

	if (!fk.recording && fk.pull && fk.next >= fk.nreplies)
		return 0;
	for (i = 0; i < fk.nkeys && i < max; i++) {
		snprintf(keys[i].name, sizeof(keys[i].name), "%u", i);
		keys[i].nfc = fk.nfc[i];
	}

	return (int)i;
}

/* Only our keys are ever opened: a real one stays untouched. */
const struct fido_interpose fido_interpose_keys = {
	.who = "fakekey",
	.prefix = "fuzz:",
	.product = "Fuzz Key",
	.io = &key_io,
	.list = list_keys,
	.is_key = is_key,
	.pass_others = false,
};
