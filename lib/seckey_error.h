/*
 * seckey_error.h: the one error enumeration of libseckey and the
 * diagnostic a failing function fills for its caller.
 *
 * Every libseckey function returns 0 or a negative SECKEY_ERR_*.  Low
 * level code never logs: it describes the fault in a struct seckey_diag
 * (file, line, one sentence) and the caller (PAM module or helper)
 * decides where that goes.
 */
#ifndef SECKEY_ERROR_H
#define SECKEY_ERROR_H

#include <stddef.h>

/*
 * The values are fixed: they may end up in logs and tests, so a new code
 * gets a new number and an old one is never reused.
 */
enum seckey_err {
	SECKEY_OK = 0,
	SECKEY_ERR_NOMEM = -1,		/* out of memory */
	SECKEY_ERR_IO = -2,		/* read, write, sync, rename */
	SECKEY_ERR_PERM = -3,		/* unsafe owner, mode, symlink */
	SECKEY_ERR_NOENT = -4,		/* no such file: not enrolled */
	SECKEY_ERR_SYNTAX = -5,		/* bad policy or key list */
	SECKEY_ERR_RANGE = -6,		/* value out of its range */
	SECKEY_ERR_TOOMANY = -7,	/* more keys than allowed */
	SECKEY_ERR_DUP_NAME = -8,	/* key name already in the list */
	SECKEY_ERR_TOOBIG = -9,		/* file or value too large */
	SECKEY_ERR_INVAL = -10,		/* invalid argument */
	SECKEY_ERR_LOCKED = -11,	/* another writer holds it */
	SECKEY_ERR_NOTFOUND = -12,	/* no key of that name */
	SECKEY_ERR_CRYPTO = -13,	/* OpenSSL refused or failed */
	SECKEY_ERR_INTERNAL = -14,	/* a bug: should not happen */
	SECKEY_ERR_NOFOLDER = -15,	/* a folder that must exist does not */
	SECKEY_ERR_DUP_CRED = -16,	/* credential already in the list */
	SECKEY_ERR_READONLY = -17,	/* the key store cannot be written */
	SECKEY_ERR_UNAVAIL = -18,	/* a key reader failed: no answer */
	SECKEY_ERR_REFUSED = -19,	/* the directory's answer refused */
	SECKEY_ERR_CONFIG = -20,	/* a key reader is misconfigured */
	SECKEY_ERR_BIND = -21,		/* the directory refused the bind */
	SECKEY_ERR_CHANGED = -22,	/* changed by another meanwhile */
	SECKEY_ERR_DENIED = -23,	/* the directory refused the write */

	/* FIDO2 outcomes, produced by the device layer. */
	SECKEY_ERR_PIN_INVALID = -30,	/* wrong PIN */
	SECKEY_ERR_PIN_BLOCKED = -31,	/* PIN retries exhausted */
	SECKEY_ERR_PIN_AUTH_BLOCKED = -32, /* 3 wrong PINs: replug */
	SECKEY_ERR_PIN_NOT_SET = -33,	/* the key has no PIN */
	SECKEY_ERR_PIN_POLICY = -34,	/* new PIN refused by the key */
	SECKEY_ERR_NO_DEVICE = -35,	/* no registered key found */
	SECKEY_ERR_TIMEOUT = -36,	/* no key or touch in time */
	SECKEY_ERR_NO_CREDENTIAL = -37,	/* the key holds none of ours */
	SECKEY_ERR_SIGNATURE = -38,	/* assertion does not verify */
	SECKEY_ERR_EXCLUDED = -39,	/* credential already on key */
	SECKEY_ERR_UNSUPPORTED = -40,	/* key lacks a needed feature */
	SECKEY_ERR_AAGUID = -41,	/* model not allowed by policy */
	SECKEY_ERR_CANCELLED = -42,	/* operation cancelled */
	SECKEY_ERR_FIDO = -43,		/* any other libfido2 error */
	SECKEY_ERR_DEVICE_LOST = -44,	/* key gone mid-operation */
	SECKEY_ERR_FLAGS = -45,		/* UP or UV flag missing */
	SECKEY_ERR_RESET_WINDOW = -46,	/* reset only right after plug-in */
	SECKEY_ERR_COUNTER = -47,	/* signature counter went backwards */
	SECKEY_ERR_NO_PIN = -48,	/* the caller got no usable PIN */
	SECKEY_ERR_UNTRUSTED = -49,	/* attestation not chained to a root */
	SECKEY_ERR_MODEL_STATUS = -50,	/* metadata: model revoked, compromised */
	SECKEY_ERR_STALE = -51,		/* older metadata than the one kept */

	/* Trust in the authenticator (seckey_signin.c, seckey_counter.c). */
	SECKEY_ERR_MODEL_MISMATCH = -52, /* key reports another AAGUID */
	SECKEY_ERR_MODEL_REFUSED = -53,	/* reported model not allowed */
	SECKEY_ERR_CLONED = -54,	/* counter did not grow: a clone? */
	SECKEY_ERR_MARKED = -55,	/* credential marked as a clone */
	SECKEY_ERR_STATE = -56,		/* counter record unsafe or broken */

	/* The sign-in without a user name (seckey_signin_usernameless). */
	SECKEY_ERR_NOT_OWNER = -57,	/* the named account lacks that cred */
	SECKEY_ERR_NO_CHOICE = -58,	/* no account was chosen */
};

/* A static English sentence for an error code; never NULL. */
const char *seckey_strerror(int err);

/*
 * What went wrong, for the caller to log.  file is empty when the fault
 * is not about a file; line is 0 when not about a line.  The message is
 * one sentence without a trailing newline and never holds a secret.
 */
#define SECKEY_DIAG_FILE_MAX	256
#define SECKEY_DIAG_MSG_MAX	256

struct seckey_diag {
	char	file[SECKEY_DIAG_FILE_MAX];
	int	line;
	char	msg[SECKEY_DIAG_MSG_MAX];
};

void seckey_diag_clear(struct seckey_diag *diag);
void seckey_diag_set(struct seckey_diag *diag, const char *file, int line,
    const char *fmt, ...) __attribute__((__format__(__printf__, 4, 5)));

#endif /* SECKEY_ERROR_H */
