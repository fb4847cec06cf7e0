/*
 * outcome.c: the one place where what happened becomes a PAM code.
 *
 * Every sign-in ends here, and every ending is in the table below with
 * its PAM code, its syslog line and what the user is told.  Only four
 * rows may answer PAM_IGNORE (disabled, a password-reset service, a
 * remote sign-in under remote = "ignore", a user without keys under
 * nouserok) and only one PAM_SUCCESS; every error is an error, so a
 * fault can never open a stack.  A row that names a key ends its log
 * text with "security key": the key's name follows in quotes.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <syslog.h>

#include <security/pam_ext.h>

#include "module.h"
#include "seckey_text.h"

struct outcome_row {
	enum outcome	 outcome;
	int		 pam_code;
	int		 priority;
	const char	*log_text;	/* for syslog */
	const char	*user_text;	/* NULL: the user is told nothing */
	bool		 user_error;	/* PAM_ERROR_MSG, else PAM_TEXT_INFO */
};

#define CONFIG_ERROR_TEXT \
	"Security key sign-in is unavailable: configuration error."

static const struct outcome_row outcome_rows[] = {
	{ OUTCOME_SUCCESS, PAM_SUCCESS, LOG_INFO,
	    "signed in with security key", NULL, false },
	/* Switched off is invisible: users fall through to other methods. */
	{ OUTCOME_DISABLED, PAM_IGNORE, LOG_DEBUG,
	    "security key sign-in is disabled", NULL, false },
	{ OUTCOME_RESET_SERVICE, PAM_IGNORE, LOG_NOTICE,
	    "refused: a security key never authorises a password reset",
	    "A security key cannot authorise a password change; use another "
	    "method.", false },
	/* Remote: the keys plugged in here are not the remote user's. */
	{ OUTCOME_REMOTE_IGNORED, PAM_IGNORE, LOG_INFO,
	    "remote sign-in: security keys are not used", NULL, false },
	{ OUTCOME_REMOTE_DENIED, PAM_AUTH_ERR, LOG_NOTICE,
	    "refused a remote sign-in",
	    "Security key sign-in is not available from another host.", true },
	{ OUTCOME_BAD_ARGUMENT, PAM_SERVICE_ERR, LOG_ERR,
	    "configuration error", CONFIG_ERROR_TEXT, true },
	{ OUTCOME_POLICY_ERROR, PAM_SERVICE_ERR, LOG_ERR,
	    "configuration error", CONFIG_ERROR_TEXT, true },
	{ OUTCOME_NO_USER, PAM_USER_UNKNOWN, LOG_NOTICE,
	    "cannot get the user name", NULL, false },
	{ OUTCOME_UNKNOWN_USER, PAM_USER_UNKNOWN, LOG_NOTICE,
	    "unknown user", NULL, false },
	{ OUTCOME_KEYLIST_ERROR, PAM_AUTHINFO_UNAVAIL, LOG_ERR,
	    "key list refused",
	    "Your security key list cannot be used; see the system log.",
	    true },
	{ OUTCOME_KEYLIST_UNAVAIL, PAM_AUTHINFO_UNAVAIL, LOG_ERR,
	    "key list unavailable",
	    "Your security key list cannot be read now; see the system log.",
	    true },
	/* A refused answer is never "not enrolled" nor a cached sign-in. */
	{ OUTCOME_KEYS_REFUSED, PAM_AUTHINFO_UNAVAIL, LOG_ERR,
	    "the directory's answer was refused",
	    "Your security key list cannot be used; see the system log.",
	    true },
	{ OUTCOME_KEYS_CONFIG, PAM_AUTHINFO_UNAVAIL, LOG_ERR,
	    "the key reader's configuration is broken",
	    "Your security key list cannot be read now; see the system log.",
	    true },
	{ OUTCOME_NOT_ENROLLED, PAM_AUTH_ERR, LOG_NOTICE,
	    "no security key registered", NULL, false },
	{ OUTCOME_NO_DEVICE, PAM_AUTHINFO_UNAVAIL, LOG_NOTICE,
	    "no registered security key found",
	    "No registered security key was found.", true },
	{ OUTCOME_PIN_NOT_SET, PAM_AUTH_ERR, LOG_NOTICE,
	    "no PIN is set on security key",
	    "Your security key has no PIN: set one with 'seckey pin set'.",
	    true },
	{ OUTCOME_CONV_ERROR, PAM_CONV_ERR, LOG_NOTICE,
	    "no PIN was given (the conversation failed) for security key",
	    NULL, false },
	{ OUTCOME_NO_PIN, PAM_AUTH_ERR, LOG_NOTICE,
	    "refused an empty or over-long PIN for security key",
	    "No valid PIN was given.", true },
	{ OUTCOME_PIN_INVALID, PAM_AUTH_ERR, LOG_NOTICE,
	    "wrong PIN for security key", NULL, true },
	{ OUTCOME_PIN_AUTH_BLOCKED, PAM_AUTH_ERR, LOG_NOTICE,
	    "three wrong PINs in a row on security key",
	    "Too many wrong PINs: remove the security key and insert it "
	    "again.", true },
	{ OUTCOME_PIN_BLOCKED, PAM_MAXTRIES, LOG_WARNING,
	    "PIN blocked on security key",
	    "Your security key is locked: its PIN is blocked and the key must "
	    "be reset ('seckey reset').", true },
	{ OUTCOME_TOUCH_TIMEOUT, PAM_AUTH_ERR, LOG_NOTICE,
	    "no touch in time on security key",
	    "The security key was not touched in time.", true },
	{ OUTCOME_DEVICE_LOST, PAM_AUTHINFO_UNAVAIL, LOG_NOTICE,
	    "lost contact with security key",
	    "The security key was removed before the sign-in finished.",
	    true },
	{ OUTCOME_BAD_ASSERTION, PAM_AUTH_ERR, LOG_WARNING,
	    "refused an assertion that does not verify from security key",
	    "The security key's answer could not be verified.", true },
	/*
	 * Authenticator trust: the model the key reports, its signature
	 * counter.  The key is refused, not missing: PAM_AUTH_ERR, and a
	 * line an administrator looks for (LOG_WARNING).
	 */
	{ OUTCOME_MODEL_REFUSED, PAM_AUTH_ERR, LOG_WARNING,
	    "refused a model allowed_aaguids does not accept: security key",
	    "This model of security key is not allowed here.", true },
	{ OUTCOME_MODEL_MISMATCH, PAM_AUTH_ERR, LOG_WARNING,
	    "refused: the key list names another model than the one that "
	    "answered for security key",
	    "Your security key does not match its registration; see the "
	    "system log.", true },
	{ OUTCOME_CLONED, PAM_AUTH_ERR, LOG_WARNING,
	    "refused and marked as a suspected clone (counter_policy = "
	    "\"deny\"): security key",
	    "Your security key may have been copied: it is blocked until an "
	    "administrator clears it.", true },
	{ OUTCOME_MARKED, PAM_AUTH_ERR, LOG_WARNING,
	    "refused a credential marked as a suspected clone: security key",
	    "Your security key is blocked as possibly copied; ask an "
	    "administrator.", true },
	/* The record is root's: a fault there is the administrator's. */
	{ OUTCOME_STATE_ERROR, PAM_AUTHINFO_UNAVAIL, LOG_ERR,
	    "signature counter record refused for security key",
	    "Security key sign-in is unavailable: see the system log.", true },
	/*
	 * The sign-in without a user name (usernameless_services).  A key
	 * whose account does not hold the credential it answered with is
	 * someone's attempt to be taken for another: LOG_WARNING, audited.
	 */
	{ OUTCOME_NO_ACCOUNT, PAM_AUTH_ERR, LOG_NOTICE,
	    "no discoverable credential for this machine on security key",
	    "This security key holds no account for this computer.", true },
	{ OUTCOME_NO_CHOICE, PAM_AUTH_ERR, LOG_NOTICE,
	    "no account was chosen among those of security key",
	    "No account was chosen.", true },
	{ OUTCOME_NOT_OWNER, PAM_AUTH_ERR, LOG_WARNING,
	    "refused a discoverable credential its account does not hold",
	    "This security key's account is not registered here.", true },
	{ OUTCOME_NOMEM, PAM_BUF_ERR, LOG_CRIT,
	    "out of memory", "Security key sign-in failed.", true },
	{ OUTCOME_INTERNAL, PAM_SERVICE_ERR, LOG_ERR,
	    "internal error", "Security key sign-in failed; see the system log.",
	    true },
};

static const struct outcome_row *
outcome_row(enum outcome outcome)
{
	size_t i;

	for (i = 0; i < sizeof(outcome_rows) / sizeof(outcome_rows[0]); i++)
		if (outcome_rows[i].outcome == outcome)
			return &outcome_rows[i];
	return &outcome_rows[sizeof(outcome_rows) / sizeof(outcome_rows[0]) - 1];
}

/*
 * A user name from a directory service, a path built from it, a key
 * name or a parser's message quoting a file may hold control or bidi
 * characters: none reaches syslog raw, where a newline could forge a
 * line of its own and an override could make one name read as another.
 * The whole line is escaped (seckey_text_safe), so no caller can forget.
 */
void
module_log(pam_handle_t *pamh, int priority, const char *fmt, ...)
{
	char line[1024], safe[1536];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	seckey_text_safe(line, safe, sizeof(safe), SECKEY_TEXT_LOG);
	pam_syslog(pamh, priority, "%s", safe);
}

/* "user alice: <what> "Blue key" (7 PIN attempts left): <diag>" */
static void
log_outcome(pam_handle_t *pamh, const struct outcome_row *row,
    const struct outcome_detail *d)
{
	char user[96] = "", key[96] = "", retries[48] = "", diag[640] = "";

	if (d->user != NULL)
		snprintf(user, sizeof(user), "user %.64s: ", d->user);
	if (d->key_name != NULL)
		snprintf(key, sizeof(key), " \"%.80s\"", d->key_name);
	if (d->retries >= 0 && row->outcome == OUTCOME_PIN_INVALID)
		snprintf(retries, sizeof(retries), " (%d PIN attempts left)",
		    d->retries);
	if (d->diag.file[0] != '\0' && d->diag.line > 0)
		snprintf(diag, sizeof(diag), ": %s:%d: %s", d->diag.file,
		    d->diag.line, d->diag.msg);
	else if (d->diag.file[0] != '\0')
		snprintf(diag, sizeof(diag), ": %s: %s", d->diag.file,
		    d->diag.msg);
	else if (d->diag.msg[0] != '\0')
		snprintf(diag, sizeof(diag), ": %s", d->diag.msg);
	module_log(pamh, row->priority, "%s%s%s%s%s", user, row->log_text, key,
	    retries, diag);
}

static void
tell_user(pam_handle_t *pamh, const struct outcome_row *row,
    const struct outcome_detail *d)
{
	if (row->outcome == OUTCOME_PIN_INVALID) {
		if (d->retries >= 0)
			conv_error(pamh, "Wrong PIN, %d attempts "
			    "left.", d->retries);
		else
			conv_error(pamh, "Wrong PIN.");
	} else if (row->outcome == OUTCOME_NOT_ENROLLED && d->nouserok) {
		conv_info(pamh, d->silent, "No security key is registered "
		    "for this account.");
	} else if (row->user_error && row->user_text != NULL) {
		conv_error(pamh, "%s", row->user_text);
	} else {
		conv_info(pamh, d->silent, row->user_text);
	}
}

int
outcome_report(pam_handle_t *pamh, enum outcome outcome,
    const struct outcome_detail *detail)
{
	const struct outcome_row *row = outcome_row(outcome);

	log_outcome(pamh, row, detail);
	tell_user(pamh, row, detail);
	if (outcome == OUTCOME_NOT_ENROLLED && detail->nouserok)
		return PAM_IGNORE;
	return row->pam_code;
}

enum outcome
outcome_of_device_error(int err)
{
	switch (err) {
	case SECKEY_OK:
		return OUTCOME_SUCCESS;
	case SECKEY_ERR_NO_DEVICE:
	case SECKEY_ERR_NO_CREDENTIAL:
	case SECKEY_ERR_AAGUID:		/* no registered key's model allowed */
		return OUTCOME_NO_DEVICE;
	case SECKEY_ERR_PIN_INVALID:
		return OUTCOME_PIN_INVALID;
	case SECKEY_ERR_PIN_AUTH_BLOCKED:
		return OUTCOME_PIN_AUTH_BLOCKED;
	case SECKEY_ERR_PIN_BLOCKED:
		return OUTCOME_PIN_BLOCKED;
	case SECKEY_ERR_PIN_NOT_SET:
		return OUTCOME_PIN_NOT_SET;
	case SECKEY_ERR_TIMEOUT:
	case SECKEY_ERR_CANCELLED:
		return OUTCOME_TOUCH_TIMEOUT;
	case SECKEY_ERR_DEVICE_LOST:
		return OUTCOME_DEVICE_LOST;
	case SECKEY_ERR_SIGNATURE:
	case SECKEY_ERR_FLAGS:
	case SECKEY_ERR_COUNTER:
	case SECKEY_ERR_FIDO:
	case SECKEY_ERR_UNSUPPORTED:
		return OUTCOME_BAD_ASSERTION;
	case SECKEY_ERR_MODEL_REFUSED:
		return OUTCOME_MODEL_REFUSED;
	case SECKEY_ERR_MODEL_MISMATCH:
		return OUTCOME_MODEL_MISMATCH;
	case SECKEY_ERR_CLONED:
		return OUTCOME_CLONED;
	case SECKEY_ERR_MARKED:
		return OUTCOME_MARKED;
	case SECKEY_ERR_STATE:
		return OUTCOME_STATE_ERROR;
	case SECKEY_ERR_NOMEM:
		return OUTCOME_NOMEM;
	default:
		return OUTCOME_INTERNAL;
	}
}

/*
 * No list is never an empty list: a missing home, a key reader that
 * failed, timed out or could not be asked (and no usable offline cache)
 * ends as "unavailable", a list or a reader that is unsafe or broken as
 * "refused", a directory answer the reader refused and a reader's broken
 * configuration each as themselves; all are PAM_AUTHINFO_UNAVAIL, and
 * none opens nouserok.
 */
enum outcome
outcome_of_store_error(int err)
{
	switch (err) {
	case SECKEY_ERR_NOMEM:
		return OUTCOME_NOMEM;
	case SECKEY_ERR_NOFOLDER:
	case SECKEY_ERR_UNAVAIL:
	case SECKEY_ERR_TIMEOUT:
		return OUTCOME_KEYLIST_UNAVAIL;
	case SECKEY_ERR_REFUSED:
		return OUTCOME_KEYS_REFUSED;
	case SECKEY_ERR_CONFIG:
		return OUTCOME_KEYS_CONFIG;
	default:
		return OUTCOME_KEYLIST_ERROR;
	}
}
