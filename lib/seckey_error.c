/*
 * seckey_error.c: error strings and the diagnostic record.
 */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "seckey_error.h"

struct seckey_errname {
	int		 code;
	const char	*text;
};

static const struct seckey_errname errnames[] = {
	{ SECKEY_OK, "success" },
	{ SECKEY_ERR_NOMEM, "out of memory" },
	{ SECKEY_ERR_IO, "input/output error" },
	{ SECKEY_ERR_PERM, "unsafe file ownership or permissions" },
	{ SECKEY_ERR_NOENT, "no such file" },
	{ SECKEY_ERR_SYNTAX, "syntax error" },
	{ SECKEY_ERR_RANGE, "value out of range" },
	{ SECKEY_ERR_TOOMANY, "too many keys" },
	{ SECKEY_ERR_DUP_NAME, "duplicate key name" },
	{ SECKEY_ERR_TOOBIG, "too large" },
	{ SECKEY_ERR_INVAL, "invalid argument" },
	{ SECKEY_ERR_LOCKED, "locked by another process" },
	{ SECKEY_ERR_NOTFOUND, "no such key" },
	{ SECKEY_ERR_CRYPTO, "cryptographic library error" },
	{ SECKEY_ERR_INTERNAL, "internal error" },
	{ SECKEY_ERR_NOFOLDER, "a folder that must exist is missing" },
	{ SECKEY_ERR_DUP_CRED, "duplicate credential" },
	{ SECKEY_ERR_READONLY, "the key store is read-only" },
	{ SECKEY_ERR_UNAVAIL, "the key list's source is unavailable" },
	{ SECKEY_ERR_REFUSED, "the directory's answer was refused" },
	{ SECKEY_ERR_CONFIG, "the key reader's configuration is broken" },
	{ SECKEY_ERR_BIND, "the directory refused the credentials" },
	{ SECKEY_ERR_CHANGED, "the key list changed meanwhile; nothing was "
	    "written" },
	{ SECKEY_ERR_DENIED, "the directory refused the change" },
	{ SECKEY_ERR_PIN_INVALID, "wrong PIN" },
	{ SECKEY_ERR_PIN_BLOCKED, "PIN blocked: the key must be reset" },
	{ SECKEY_ERR_PIN_AUTH_BLOCKED,
	    "too many wrong PINs: unplug and replug the key" },
	{ SECKEY_ERR_PIN_NOT_SET, "the security key has no PIN" },
	{ SECKEY_ERR_PIN_POLICY, "the security key refused the new PIN" },
	{ SECKEY_ERR_NO_DEVICE, "no registered security key found" },
	{ SECKEY_ERR_TIMEOUT, "timed out" },
	{ SECKEY_ERR_NO_CREDENTIAL,
	    "the security key holds no registered credential" },
	{ SECKEY_ERR_SIGNATURE, "signature does not verify" },
	{ SECKEY_ERR_EXCLUDED, "the security key is already registered" },
	{ SECKEY_ERR_UNSUPPORTED, "not supported by the security key" },
	{ SECKEY_ERR_AAGUID, "security key model not allowed" },
	{ SECKEY_ERR_CANCELLED, "cancelled" },
	{ SECKEY_ERR_FIDO, "security key error" },
	{ SECKEY_ERR_DEVICE_LOST, "lost contact with the security key" },
	{ SECKEY_ERR_FLAGS, "the security key did not verify the user" },
	{ SECKEY_ERR_RESET_WINDOW, "the security key allows a reset only "
	    "right after it is plugged in" },
	{ SECKEY_ERR_COUNTER,
	    "the security key's signature counter went backwards" },
	{ SECKEY_ERR_NO_PIN, "no PIN was given" },
	{ SECKEY_ERR_UNTRUSTED, "the security key's attestation is not "
	    "trusted" },
	{ SECKEY_ERR_MODEL_STATUS, "the metadata marks this security key "
	    "model as revoked or compromised" },
	{ SECKEY_ERR_STALE, "older than the metadata already imported" },
	{ SECKEY_ERR_MODEL_MISMATCH, "the security key reports another model "
	    "than its key list entry" },
	{ SECKEY_ERR_MODEL_REFUSED, "the security key reports a model the "
	    "policy does not allow" },
	{ SECKEY_ERR_CLONED, "the security key's signature counter did not "
	    "increase: a cloned key?" },
	{ SECKEY_ERR_MARKED, "the credential is marked as a suspected clone" },
	{ SECKEY_ERR_STATE, "the signature counter record cannot be used" },
	{ SECKEY_ERR_NOT_OWNER, "the account the security key names does not "
	    "hold this credential" },
	{ SECKEY_ERR_NO_CHOICE, "no account was chosen" },
};

const char *
seckey_strerror(int err)
{
	size_t i;

	for (i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++)
		if (errnames[i].code == err)
			return errnames[i].text;

	return "unknown error";
}

void
seckey_diag_clear(struct seckey_diag *diag)
{
	if (diag != NULL)
		memset(diag, 0, sizeof(*diag));
}

/*
 * Truncation is acceptable: the message is for a human, and a cut
 * sentence is better than none.
 */
void
seckey_diag_set(struct seckey_diag *diag, const char *file, int line,
    const char *fmt, ...)
{
	va_list ap;

	if (diag == NULL)
		return;

	seckey_diag_clear(diag);
	if (file != NULL)
		snprintf(diag->file, sizeof(diag->file), "%s", file);
	diag->line = line;

	va_start(ap, fmt);
	vsnprintf(diag->msg, sizeof(diag->msg), fmt, ap);
	va_end(ap);
}
