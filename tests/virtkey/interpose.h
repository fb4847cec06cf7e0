/*
 * interpose.h: software keys plugged into libfido2 at HID report level.
 *
 * interpose.c defines fido_dev_info_manifest, fido_dev_open and
 * fido_dev_new_with_info.  Linked into an LD_PRELOAD library
 * (tests/virtkey/shim.c) or into a program (fuzz/fakekey.c), they come
 * before libfido2's own, so libfido2 lists the keys described here and
 * reaches them through their io functions (fido_dev_set_io_functions);
 * its CTAPHID framing, CBOR and PIN protocols run as they do with a real
 * key.  Each user says where the bytes go by defining fido_interpose_keys.
 *
 * A key's path is "PREFIX NAME" for USB and "nfc:PREFIX NAME" for NFC:
 * "nfc:" is libfido2's own prefix for NFC readers, so clients tell the
 * transport the way they would for a real key.  fido_dev_open drops it
 * before calling libfido2, which would otherwise replace our io functions
 * with its NFC ones; the key still speaks CTAPHID framing underneath.
 */
#ifndef SECKEY_TESTS_INTERPOSE_H
#define SECKEY_TESTS_INTERPOSE_H

#include <stdbool.h>
#include <stddef.h>

#include <fido.h>

/* libfido2 reads one report and writes a report id (0) and one report. */
#define FIDO_INTERPOSE_REPORT_LEN	64
#define FIDO_INTERPOSE_KEYS_MAX		16
#define FIDO_INTERPOSE_NAME_MAX		512

/* What list() returns to leave the listing to libfido2, or on error. */
#define FIDO_INTERPOSE_LIBFIDO2		(-1)
#define FIDO_INTERPOSE_ERROR		(-2)

/* One key plugged in: its path without the prefix, and its transport. */
struct fido_interpose_key {
	char	name[FIDO_INTERPOSE_NAME_MAX];
	bool	nfc;
};

struct fido_interpose {
	const char		*who;		/* for messages */
	const char		*prefix;	/* of every path, after "nfc:" */
	const char		*product;	/* as the manifest lists it */
	const fido_dev_io_t	*io;
	/*
	 * Fills up to max keys in key order; returns how many,
	 * FIDO_INTERPOSE_LIBFIDO2 or FIDO_INTERPOSE_ERROR.
	 */
	int	(*list)(struct fido_interpose_key *keys, size_t max);
	/* Whether NAME, a path without its prefixes, is a key; NULL: all. */
	bool	(*is_key)(const char *name);
	/* A path not ours goes to libfido2 (true) or is refused (false). */
	bool			 pass_others;
};

/* Defined by the user of interpose.c. */
extern const struct fido_interpose fido_interpose_keys;

/* PATH without its prefixes if it names one of the keys, else NULL. */
const char *fido_interpose_name(const char *path);

/*
 * For io functions that pass the reports to a virtkey process: a
 * SOCK_SEQPACKET connection (type_flags: SOCK_CLOEXEC or 0), one
 * datagram per report.  fido_interpose_recv waits up to ms (< 0: for
 * ever) for one report and returns its length; fido_interpose_send takes
 * what libfido2 writes, drops the report id and returns the length it
 * was given.  Each returns -1 on failure.
 */
int fido_interpose_connect(const char *socket_path, int type_flags);
int fido_interpose_recv(int fd, unsigned char *buf, size_t len, int ms);
int fido_interpose_send(int fd, const unsigned char *buf, size_t len);

#endif /* SECKEY_TESTS_INTERPOSE_H */
