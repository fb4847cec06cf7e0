/*
 * seckey_audit.c: Linux audit records (seckey_audit.h), or nothing when
 * built without libaudit.
 */
#include <config.h>

#include "seckey_audit.h"

#ifdef HAVE_LIBAUDIT

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libaudit.h>

struct audit_kind {
	int		 type;
	const char	*op;
};

/* Indexed by enum seckey_audit_event. */
static const struct audit_kind kinds[] = {
	[SECKEY_AUDIT_CLONE] = { AUDIT_ANOM_CRYPTO_FAIL, "seckey-counter" },
	[SECKEY_AUDIT_PROBE] = { AUDIT_ANOM_CRYPTO_FAIL, "seckey-probe" },
	[SECKEY_AUDIT_ASSERTION] = { AUDIT_ANOM_CRYPTO_FAIL,
	    "seckey-assertion" },
	[SECKEY_AUDIT_ATTESTATION] = { AUDIT_ANOM_CRYPTO_FAIL,
	    "seckey-attestation" },
	[SECKEY_AUDIT_MODEL] = { AUDIT_USER_AUTH, "seckey-model" },
	[SECKEY_AUDIT_MARKED] = { AUDIT_USER_AUTH, "seckey-marked" },
};

/* name=value, encoded by libaudit; "?" for none.  NULL: no memory. */
static char *
field(const char *name, const char *value)
{
	return audit_encode_nv_string(name, value != NULL && value[0] != '\0' ?
	    value : "?", 0);
}

static bool
send_record(int fd, const struct seckey_audit_record *rec,
    const struct audit_kind *kind)
{
	char *acct = NULL, *key = NULL, *reason = NULL, message[2048];
	bool sent = false;

	if ((acct = field("acct", rec->user)) == NULL ||
	    (key = field("key", rec->key_name)) == NULL ||
	    (reason = field("reason", rec->reason)) == NULL)
		goto out;
	if (snprintf(message, sizeof(message), "op=%s %s %s %s", kind->op,
	    acct, key, reason) >= (int)sizeof(message))
		goto out;
	/*
	 * An address of "?": given none, libaudit would look the host name
	 * up (DNS, in the middle of a sign-in).
	 */
	sent = audit_log_user_message(fd, kind->type, message, rec->rhost,
	    "?", rec->tty, rec->refused ? 0 : 1) > 0;
out:
	free(acct);
	free(key);
	free(reason);
	return sent;
}

bool
seckey_audit_log(const struct seckey_audit_record *rec)
{
	int fd, saved_errno = errno;
	bool sent = false;

	if (rec == NULL || (size_t)rec->event >= sizeof(kinds) /
	    sizeof(kinds[0]))
		return false;
	/* No audit in this kernel or container, or no right to it: fine. */
	if ((fd = audit_open()) < 0)
		goto out;
	sent = send_record(fd, rec, &kinds[rec->event]);
	audit_close(fd);
out:
	errno = saved_errno;
	return sent;
}

#else /* !HAVE_LIBAUDIT */

bool
seckey_audit_log(const struct seckey_audit_record *rec)
{
	(void)rec;
	return false;
}

#endif /* HAVE_LIBAUDIT */
