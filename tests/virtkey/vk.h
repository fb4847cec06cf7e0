/*
 * vk.h: the virtual FIDO2 (CTAP 2.1) security key of the test suite.
 *
 * One virtkey process is one security key plugged in.  It speaks CTAPHID
 * over an AF_UNIX SOCK_SEQPACKET socket, one 64-byte report per message,
 * and keeps its "flash" in a state file.  This header is shared by the
 * vk_*.c files only; nothing outside tests/virtkey includes it.
 */
#ifndef VK_H
#define VK_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include <cbor.h>
#include <openssl/evp.h>

#define VK_REPORT_LEN		64
#define VK_MAX_PAYLOAD		7609	/* 57 + 128 * 59 */
#define VK_MAX_MSG_SIZE		1200	/* getInfo maxMsgSize */
#define VK_MAX_CRED_ID_LEN	128
#define VK_PIN_RETRIES_MAX	8
#define VK_PIN_HASH_LEN		16
#define VK_TOKEN_LEN		32
#define VK_SECRET_LEN		32
#define VK_AAGUID_LEN		16
#define VK_SHARED_MAX		64	/* protocol 2: HMAC key || AES key */
#define VK_ABORT		(-1)	/* handler result: send no reply */
#define VK_RK_MAX		64	/* --resident: discoverable slots */
#define VK_RK_ID_LEN		32	/* a discoverable credential's id */
#define VK_RPID_MAX		255	/* longest RP id kept on the key */
#define VK_USER_ID_MAX		64
#define VK_NAME_MAX		64	/* names are cut to 64 bytes */
#define VK_CDH_MAX		64	/* clientDataHash kept for getNext */
#define VK_NEXT_TIMEOUT_MS	30000	/* getNextAssertion / getNext* */

/* CTAP status codes used by the key. */
#define CTAP2_OK				0x00
#define CTAP1_ERR_INVALID_COMMAND		0x01
#define CTAP1_ERR_INVALID_PARAMETER		0x02
#define CTAP1_ERR_INVALID_LENGTH		0x03
#define CTAP2_ERR_CBOR_UNEXPECTED_TYPE		0x11
#define CTAP2_ERR_INVALID_CBOR			0x12
#define CTAP2_ERR_MISSING_PARAMETER		0x14
#define CTAP2_ERR_LIMIT_EXCEEDED		0x15
#define CTAP2_ERR_CREDENTIAL_EXCLUDED		0x19
#define CTAP2_ERR_UNSUPPORTED_ALGORITHM		0x26
#define CTAP2_ERR_UNSUPPORTED_OPTION		0x2b
#define CTAP2_ERR_INVALID_OPTION		0x2c
#define CTAP2_ERR_KEEPALIVE_CANCEL		0x2d
#define CTAP2_ERR_KEY_STORE_FULL		0x28
#define CTAP2_ERR_NO_CREDENTIALS		0x2e
#define CTAP2_ERR_USER_ACTION_TIMEOUT		0x2f
#define CTAP2_ERR_NOT_ALLOWED			0x30
#define CTAP2_ERR_PIN_INVALID			0x31
#define CTAP2_ERR_PIN_BLOCKED			0x32
#define CTAP2_ERR_PIN_AUTH_INVALID		0x33
#define CTAP2_ERR_PIN_AUTH_BLOCKED		0x34
#define CTAP2_ERR_PIN_NOT_SET			0x35
#define CTAP2_ERR_PUAT_REQUIRED			0x36
#define CTAP2_ERR_PIN_POLICY_VIOLATION		0x37
#define CTAP2_ERR_INVALID_SUBCOMMAND		0x3e
#define CTAP2_ERR_UNAUTHORIZED_PERMISSION	0x40
#define CTAP1_ERR_OTHER				0x7f

/* COSE algorithm identifiers. */
#define VK_COSE_ES256		(-7)
#define VK_COSE_EDDSA		(-8)
#define VK_COSE_ECDH_ES_HKDF	(-25)

/* pinUvAuthToken permissions. */
#define VK_PERM_MC		0x01
#define VK_PERM_GA		0x02
#define VK_PERM_CM		0x04	/* credential management */

/* credProtect levels (CTAP 2.1 section 12.1). */
#define VK_PROT_OPTIONAL	1	/* userVerificationOptional */
#define VK_PROT_LIST		2	/* ...OptionalWithCredentialIDList */
#define VK_PROT_REQUIRED	3	/* userVerificationRequired */

/* Results of vk_hid_wait(). */
#define VK_WAIT_DONE		0
#define VK_WAIT_CANCEL		1
#define VK_WAIT_GONE		2

/* CTAPHID keepalive status bytes. */
#define VK_KA_NONE		0
#define VK_KA_PROCESSING	1
#define VK_KA_UPNEEDED		2

enum vk_touch_mode {
	VK_TOUCH_NOW,
	VK_TOUCH_DELAY,
	VK_TOUCH_NEVER,
	VK_TOUCH_UNPLUG,
};

/* Command-line knobs; fixed for the life of the process. */
struct vk_config {
	const char		*socket_path;
	const char		*state_path;
	const char		*log_path;
	int			 transport_nfc;
	uint64_t		 max_creds;
	enum vk_touch_mode	 touch_mode;
	long			 touch_ms;
	long			 touch_timeout_ms;
	long			 latency_ms;
	uint8_t			 protocols[2];
	size_t			 nprotocols;
	long			 reset_window_s;
	int			 uv_not_required;
	int			 counter_zero;	/* --counter zero */
	unsigned int		 evil;		/* VK_EVIL_* */
	unsigned int		 evil_on;	/* VK_EVIL_ON_* */
	size_t			 resident;	/* discoverable slots; 0: none */
	const char		*attest_ca;	/* "CERT.pem,KEY.pem" or NULL */
	int			 attest_self;	/* no x5c: self attestation */
};

/*
 * --attest-ca: the attestation certificate issued by that CA for the
 * key's attestation key, made at start and never saved; the CA's own
 * certificate follows in x5c unless it is self-issued (a root).
 */
struct vk_attest {
	uint8_t		*cert;
	size_t		 cert_len;
	uint8_t		*ca;
	size_t		 ca_len;
};

/* Authenticator data flags. */
#define VK_FLAG_UP		0x01
#define VK_FLAG_UV		0x04
#define VK_FLAG_ED		0x80	/* extensions follow */

/*
 * Misbehaviour on purpose (--evil), to test that clients refuse it.  Each
 * one spoils only the replies --evil-on names (counter-back: every
 * assertion), and only replies that would have said CTAP2_OK.
 */
#define VK_EVIL_CLEAR_UP	0x001	/* assertions lack the UP flag */
#define VK_EVIL_CLEAR_UV	0x002	/* assertions lack the UV flag */
#define VK_EVIL_BAD_SIG		0x004	/* assertion signatures are broken */
#define VK_EVIL_OTHER_KEY_SIG	0x008	/* signed by a key made on the spot */
#define VK_EVIL_BAD_CBOR	0x010	/* the reply's map lacks an entry */
#define VK_EVIL_TRUNCATED	0x020	/* the reply's last packet never comes */
#define VK_EVIL_WRONG_CID	0x040	/* the reply goes to another channel */
#define VK_EVIL_OVERSIZED	0x080	/* the reply announces 65535 bytes */
#define VK_EVIL_ENDLESS_KA	0x100	/* keepalives for ever, no reply */
#define VK_EVIL_DISCONNECT	0x200	/* the key hangs up mid-reply */
#define VK_EVIL_COUNTER_BACK	0x400	/* each signCount below the last */
#define VK_EVIL_PHISH		0x800	/* claims any credential it is sent */

/* The replies --evil spoils (--evil-on). */
#define VK_EVIL_ON_ASSERT	0x01	/* getAssertion, but not a probe */
#define VK_EVIL_ON_PROBE	0x02	/* getAssertion up=false, no PIN */
#define VK_EVIL_ON_INFO		0x04	/* getInfo */

/* counter-back: the Nth assertion of a key reports this minus N. */
#define VK_EVIL_COUNTER_TOP	0x7fffffffU

/* A discoverable (resident) credential, kept in the state file. */
struct vk_rk {
	int		 used;
	char		 rpid[VK_RPID_MAX + 1];
	char		 rp_name[VK_NAME_MAX + 1];	/* "": none */
	uint8_t		 rp_hash[32];
	uint8_t		 user_id[VK_USER_ID_MAX];
	size_t		 user_id_len;
	char		 user_name[VK_NAME_MAX + 1];	/* "": none */
	char		 display_name[VK_NAME_MAX + 1];	/* "": none */
	uint8_t		 id[VK_RK_ID_LEN];
	int		 alg;
	uint8_t		 priv[VK_SECRET_LEN];
	unsigned int	 prot;			/* VK_PROT_* */
	uint64_t	 created;		/* seconds since the epoch */
	uint64_t	 order;			/* creation order, from 1 */
};

/* The key's flash: everything the state file holds. */
struct vk_state {
	uint8_t		 master[VK_SECRET_LEN];
	uint8_t		 att_key[VK_SECRET_LEN];
	uint8_t		*att_cert;
	size_t		 att_cert_len;
	int		 pin_set;
	uint8_t		 pin_hash[VK_PIN_HASH_LEN];
	unsigned int	 pin_retries;
	uint32_t	 sign_count;
	struct vk_rk	 rk[VK_RK_MAX];
};

/*
 * What a getNextAssertion or a credential management getNext* continues:
 * the chosen slots in order.  Any other command forgets it.
 */
enum vk_next_kind {
	VK_NEXT_NONE,
	VK_NEXT_ASSERT,		/* getAssertion without an allow list */
	VK_NEXT_RP,		/* enumerateRPs */
	VK_NEXT_CRED,		/* enumerateCredentials */
};

struct vk_next {
	enum vk_next_kind kind;
	size_t		 slot[VK_RK_MAX];
	size_t		 count;
	size_t		 pos;			/* next one to answer */
	int64_t		 deadline_ms;
	uint8_t		 cdh[VK_CDH_MAX];	/* VK_NEXT_ASSERT only */
	size_t		 cdh_len;
	uint8_t		 flags;
	int		 uv;
};

/* Volatile PIN state: lost when the key is unplugged. */
struct vk_pinstate {
	EVP_PKEY	*ka_key;		/* key agreement key */
	uint8_t		 token[VK_TOKEN_LEN];
	int		 token_valid;
	uint64_t	 token_proto;
	uint8_t		 token_perms;
	int		 token_uv;		/* userVerified flag */
	char		*token_rpid;		/* permissions RP ID or NULL */
	unsigned int	 fail_streak;		/* consecutive mismatches */
};

/* One log line in the making. */
struct vk_logrec {
	const char	*name;			/* ctap-name or NULL */
	char		 kv[224];		/* " key=value ..." */
	size_t		 kv_len;
};

/* A CTAPHID CBOR response: status byte, then CBOR. */
struct vk_reply {
	uint8_t		 buf[VK_MAX_PAYLOAD];
	size_t		 len;
};

/* pinUvAuthParam and pinUvAuthProtocol of makeCredential/getAssertion. */
struct vk_pinauth {
	const uint8_t	*auth;
	size_t		 auth_len;
	uint64_t	 proto;
	int		 has_auth;
	int		 has_proto;
};

#define VK_MAX_CONNS		32
#define VK_CIDS_PER_CONN	8

/* One accepted connection: one opened device handle. */
struct vk_conn {
	int		 fd;			/* -1: free slot */
	uint32_t	 cids[VK_CIDS_PER_CONN];
	size_t		 ncids;
};

enum vk_txn_state {
	VK_TXN_IDLE,		/* nothing going on */
	VK_TXN_RX,		/* reassembling continuation packets */
	VK_TXN_READY,		/* complete, not yet handled */
	VK_TXN_BUSY,		/* being handled (latency, touch wait) */
};

/* The one CTAPHID transaction the key handles at a time. */
struct vk_txn {
	enum vk_txn_state state;
	int		 conn;			/* -1 once the client is gone */
	uint32_t	 cid;
	uint8_t		 cmd;
	uint8_t		 seq;
	size_t		 len;
	size_t		 got;
	int64_t		 last_ms;		/* for MSG_TIMEOUT */
	int		 cancelled;
	int		 aborted;		/* send no reply */
	uint8_t		 buf[VK_MAX_PAYLOAD];
};

struct vk_hid {
	int		 listen_fd;
	struct vk_conn	 conns[VK_MAX_CONNS];
	struct vk_txn	 txn;
	uint32_t	 next_cid;
	int		 lock_conn;		/* -1: not locked */
	uint32_t	 lock_cid;
	int64_t		 lock_until_ms;
	struct vk_reply	 reply;
};

struct vk {
	struct vk_config	 cfg;
	struct vk_state		 st;
	struct vk_pinstate	 pin;
	struct vk_hid		*hid;
	int			 log_fd;
	unsigned long		 log_seq;
	int64_t			 boot_ms;
	int			 unplugged;
	int			 evil_now;	/* --evil-on names this request */
	struct vk_next		 next;
	struct vk_attest	 attest;	/* --attest-ca */
};

extern volatile sig_atomic_t vk_stop;

/* vk_conn.c: the socket, its connections, sending and polling. */
int	vk_hid_new(struct vk *);
void	vk_hid_free(struct vk *);
int	vk_hid_listen(struct vk *);
void	vk_hid_unplug(struct vk *);
void	vk_conn_send(struct vk *, int, uint32_t, uint8_t, const uint8_t *,
	    size_t);
void	vk_conn_send_evil(struct vk *, int, uint32_t, uint8_t,
	    const uint8_t *, size_t);
int	vk_conn_owns(const struct vk *, int, uint32_t);
uint32_t vk_conn_add_cid(struct vk *, int);
void	vk_conn_poll(struct vk *, long);

/* vk_hid.c: CTAPHID framing, channels, transactions. */
void	vk_hid_packet(struct vk *, int, const uint8_t *);
int	vk_hid_run(struct vk *);
int	vk_hid_wait(struct vk *, long, uint8_t);

/* vk_ctap.c: CBOR command dispatch, getInfo, reset, selection. */
int	vk_ctap_handle(struct vk *, const uint8_t *, size_t, struct vk_reply *,
	    struct vk_logrec *);
int	vk_user_presence(struct vk *);
int	vk_reply_item(const struct vk *, struct vk_reply *, const cbor_item_t *);

/* vk_cred.c, vk_assert.c: makeCredential, getAssertion. */
int	vk_make_credential(struct vk *, const cbor_item_t *, struct vk_reply *,
	    struct vk_logrec *);
int	vk_get_assertion(struct vk *, const cbor_item_t *, struct vk_reply *,
	    struct vk_logrec *);
int	vk_get_next_assertion(struct vk *, struct vk_reply *);

/* vk_credman.c: authenticatorCredentialManagement (0x0a, preview 0x41). */
int	vk_cred_mgmt(struct vk *, const cbor_item_t *, struct vk_reply *,
	    struct vk_logrec *);

/* vk_rk.c: the discoverable credentials of the state file. */
int	vk_rk_find_id(const struct vk *, const uint8_t *, const uint8_t *,
	    size_t);
int	vk_rk_find_user(const struct vk *, const uint8_t *, const uint8_t *,
	    size_t);
size_t	vk_rk_count(const struct vk *);
int	vk_rk_free_slot(const struct vk *);
void	vk_rk_wipe(struct vk_rk *);
void	vk_rk_wipe_all(struct vk *);
void	vk_rk_set_text(char *, const char *, size_t);
size_t	vk_rk_for_rp(const struct vk *, const uint8_t *, int, size_t *);
int	vk_rk_usable(const struct vk_rk *, int, int);
cbor_item_t *vk_rk_user(const struct vk_rk *, int);
cbor_item_t *vk_rk_desc(const struct vk_rk *);
cbor_item_t *vk_rk_pubkey(const struct vk_rk *);
int	vk_rk_encode(const struct vk_rk *, unsigned char **, size_t *);
int	vk_rk_decode(struct vk_rk *, const uint8_t *, size_t);
void	vk_next_clear(struct vk *);

/* A credential of an allow or exclude list that lives on this key. */
struct vk_credref {
	const uint8_t	*id;
	size_t		 id_len;
	int		 alg;
	uint8_t		 priv[VK_SECRET_LEN];
	unsigned int	 prot;			/* VK_PROT_* */
	int		 slot;			/* st.rk index, or -1 */
};

/* vk_credid.c: credential ids, descriptor lists, authenticator data. */
int	vk_credid_wrap(const struct vk *, const uint8_t *, int, unsigned int,
	    const uint8_t *, uint8_t *, size_t *);
int	vk_desc_list_check(const cbor_item_t *, uint64_t, size_t *);
int	vk_desc_list_find(const struct vk *, const cbor_item_t *,
	    const uint8_t *, int, struct vk_credref *);
int	vk_authdata(const struct vk *, const uint8_t *, uint8_t, uint32_t,
	    const uint8_t *, size_t, const cbor_item_t *, const cbor_item_t *,
	    uint8_t **, size_t *);
int	vk_pinauth_parse(const cbor_item_t *, int64_t, int64_t,
	    struct vk_pinauth *);
int	vk_pinauth_precheck(struct vk *, const struct vk_pinauth *);

/* vk_pin.c: authenticatorClientPIN and the pinUvAuthToken. */
int	vk_client_pin(struct vk *, const cbor_item_t *, struct vk_reply *,
	    struct vk_logrec *);
int	vk_pin_init(struct vk *);
void	vk_pin_clear(struct vk *);
int	vk_pin_protocol_ok(const struct vk *, uint64_t);
int	vk_token_verify(struct vk *, uint64_t, const uint8_t *, size_t,
	    const uint8_t *, size_t, uint8_t, const char *, size_t);
void	vk_token_used(struct vk *);
int	vk_token_verify_cm(struct vk *, uint64_t, const uint8_t *, size_t,
	    const uint8_t *, size_t);
int	vk_token_rp_ok(const struct vk *, const uint8_t *);

/* vk_pinproto.c: PIN/UV auth protocols 1 and 2. */
int	vk_pp_shared(const struct vk *, uint64_t, const cbor_item_t *,
	    uint8_t *, size_t *);
int	vk_pp_encrypt(uint64_t, const uint8_t *, size_t, const uint8_t *,
	    size_t, uint8_t *, size_t *);
int	vk_pp_decrypt(uint64_t, const uint8_t *, size_t, const uint8_t *,
	    size_t, uint8_t *, size_t *);
int	vk_pp_verify(uint64_t, const uint8_t *, size_t, const uint8_t *,
	    size_t, const uint8_t *, size_t);

/* vk_crypto.c: OpenSSL helpers. */
int	vk_random(uint8_t *, size_t);
int	vk_sha256(const uint8_t *, size_t, uint8_t *);
int	vk_hmac_sha256(const uint8_t *, size_t, const uint8_t *, size_t,
	    uint8_t *);
int	vk_hkdf_sha256(const uint8_t *, size_t, const char *, uint8_t *);
int	vk_aes256_cbc(int, const uint8_t *, const uint8_t *, const uint8_t *,
	    size_t, uint8_t *);
int	vk_aes256_gcm(int, const uint8_t *, const uint8_t *, const uint8_t *,
	    size_t, const uint8_t *, size_t, uint8_t *, uint8_t *);

/* vk_keys.c: credential and attestation keys, signatures, COSE keys. */
EVP_PKEY *vk_key_generate(int);
EVP_PKEY *vk_key_from_private(int, const uint8_t *);
int	vk_key_private(const EVP_PKEY *, int, uint8_t *);
int	vk_key_sign(EVP_PKEY *, int, const uint8_t *, size_t, const uint8_t *,
	    size_t, uint8_t *, size_t *);
cbor_item_t *vk_key_cose(const EVP_PKEY *, int);
EVP_PKEY *vk_key_from_cose(const cbor_item_t *);
int	vk_ecdh(EVP_PKEY *, EVP_PKEY *, uint8_t *);

/* vk_cert.c: the self-signed attestation certificate, or one a CA issues. */
int	vk_cert_create(const uint8_t *, uint8_t **, size_t *);
int	vk_cert_issue(const char *, const uint8_t *, struct vk_attest *);
void	vk_attest_clear(struct vk_attest *);
/* The model, as getInfo, makeCredential and the certificate say it. */
extern uint8_t vk_aaguid[VK_AAGUID_LEN];
int vk_aaguid_parse(const char *text);

/* vk_state.c: the state file. */
int	vk_state_load(struct vk *);
int	vk_state_save(const struct vk *);
int	vk_state_new_master(struct vk *);
void	vk_state_clear(struct vk *);

/* vk_cbor.c: CBOR helpers. */
int	vk_cbor_load(const uint8_t *, size_t, cbor_item_t **);
const cbor_item_t *vk_cbor_get(const cbor_item_t *, int64_t);
const cbor_item_t *vk_cbor_get_str(const cbor_item_t *, const char *);
int	vk_cbor_bytes(const cbor_item_t *, const uint8_t **, size_t *);
int	vk_cbor_text(const cbor_item_t *, const char **, size_t *);
int	vk_cbor_uint(const cbor_item_t *, uint64_t *);
int	vk_cbor_int(const cbor_item_t *, int64_t *);
int	vk_cbor_option(const cbor_item_t *, const char *, int *);
cbor_item_t *vk_cbor_new_int(int64_t);
cbor_item_t *vk_cbor_new_bytes(const uint8_t *, size_t);
cbor_item_t *vk_cbor_new_text(const char *);
int	vk_cbor_put_int(cbor_item_t *, int64_t, cbor_item_t *);
int	vk_cbor_put_str(cbor_item_t *, const char *, cbor_item_t *);
int	vk_cbor_push(cbor_item_t *, cbor_item_t *);

/* vk_log.c: the command log. */
int	vk_log_open(struct vk *);
void	vk_log_close(struct vk *);
void	vk_log_kv(struct vk_logrec *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	vk_log_line(struct vk *, const char *, const struct vk_logrec *, int);

/* vk_main.c */
int64_t	vk_now_ms(void);
void	vk_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));

#endif /* VK_H */
