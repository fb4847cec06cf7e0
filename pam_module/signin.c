/*
 * signin.c: the steps of a sign-in, in the order of the design:
 * policy, service, remote host, user, key list, the key plugged in,
 * PIN and touch.  Or, in a service of usernameless_services while the
 * application has set no user: the key plugged in, PIN, touch, the
 * account the key names, its key list, and only then PAM_USER.
 *
 * Each step returns an outcome; the first one that is not
 * OUTCOME_SUCCESS ends the sign-in, and outcome_report() turns it into
 * the PAM code, the syslog line and the user's message.  Everything a
 * sign-in owns lives in struct signin and is released in one place.
 */
#include "config.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include <security/pam_ext.h>
#include <security/pam_modutil.h>

#include "module.h"
#include "seckey_audit.h"
#include "seckey_keylist.h"
#include "seckey_policy.h"
#include "seckey_signin.h"
#include "seckey_store.h"

struct signin {
	pam_handle_t			*pamh;
	const struct module_args	*args;
	bool				 debug;
	struct seckey_policy		*policy;
	struct seckey_user		 user;
	struct seckey_keylist		*keys;
	struct seckey_signin_found	 found;
	int				 pin_reply;	/* conv_read_pin's */
	int				 choice_reply;	/* conv_choose's */
	/* Usernameless: why the named account's list could not be read. */
	enum outcome			 keys_outcome;
	struct outcome_detail		 detail;
};

static enum outcome
load_policy(struct signin *s)
{
	int r;

	s->detail.policy_path = s->args->conf != NULL ? s->args->conf :
	    SECKEY_POLICY_PATH;
	r = seckey_policy_load(s->args->conf, s->args->conf != NULL, NULL,
	    &s->policy, &s->detail.diag);
	if (r == SECKEY_ERR_NOMEM)
		return OUTCOME_NOMEM;
	if (r != SECKEY_OK)
		return OUTCOME_POLICY_ERROR;
	s->debug = s->args->debug || s->policy->debug;
	s->detail.nouserok = s->policy->nouserok;
	s->detail.timeout = (int)s->policy->timeout;
	if (!s->policy->enabled) {
		seckey_diag_set(&s->detail.diag, s->detail.policy_path, 0,
		    "enabled is false");
		return OUTCOME_DISABLED;
	}
	return OUTCOME_SUCCESS;
}

/*
 * For the log line of an ending that comes before find_user(): the user
 * the application named, if the account exists.  pam_get_item, not
 * pam_get_user: nothing may be asked here.  An unknown "name" is never
 * logged: it may be a password typed at the login prompt.
 */
static void
note_known_user(struct signin *s)
{
	const void *name = NULL;
	struct passwd *pw;

	if (pam_get_item(s->pamh, PAM_USER, &name) != PAM_SUCCESS ||
	    name == NULL || *(const char *)name == '\0')
		return;
	if ((pw = pam_modutil_getpwnam(s->pamh, name)) != NULL)
		s->detail.user = pw->pw_name;
}

static enum outcome
check_service(struct signin *s)
{
	const void *service = NULL;

	if (pam_get_item(s->pamh, PAM_SERVICE, &service) != PAM_SUCCESS ||
	    service == NULL)
		return OUTCOME_INTERNAL;
	if (seckey_policy_is_reset_service(s->policy, service)) {
		seckey_diag_set(&s->detail.diag, NULL, 0, "service \"%s\" is "
		    "listed in reset_services", (const char *)service);
		return OUTCOME_RESET_SERVICE;
	}
	return OUTCOME_SUCCESS;
}

/*
 * A sign-in from another host (PAM_RHOST set, not this machine) must not
 * touch the keys plugged in here: they are not the remote user's, and
 * sshd's password conversation would answer the PIN prompt with the
 * password, spending a PIN retry of the key at every ssh login.
 */
static enum outcome
check_remote(struct signin *s)
{
	const void *rhost = NULL;

	if (pam_get_item(s->pamh, PAM_RHOST, &rhost) != PAM_SUCCESS)
		rhost = NULL;
	if (seckey_rhost_is_local(rhost) ||
	    s->policy->remote == SECKEY_REMOTE_ALLOW)
		return OUTCOME_SUCCESS;
	note_known_user(s);
	seckey_diag_set(&s->detail.diag, NULL, 0, "PAM_RHOST is \"%.64s\" "
	    "and remote is \"%s\"", (const char *)rhost,
	    seckey_remote_name(s->policy->remote));
	return s->policy->remote == SECKEY_REMOTE_DENY ?
	    OUTCOME_REMOTE_DENIED : OUTCOME_REMOTE_IGNORED;
}

/* An unknown user's "name" is never logged: it may be a password. */
static enum outcome
find_user(struct signin *s)
{
	const char *name = NULL;
	struct passwd *pw;

	if (pam_get_user(s->pamh, &name, NULL) != PAM_SUCCESS ||
	    name == NULL || *name == '\0')
		return OUTCOME_NO_USER;
	if ((pw = pam_modutil_getpwnam(s->pamh, name)) == NULL)
		return OUTCOME_UNKNOWN_USER;
	s->user.name = pw->pw_name;
	s->user.uid = pw->pw_uid;
	s->user.gid = pw->pw_gid;
	s->user.home = pw->pw_dir;
	s->detail.user = pw->pw_name;
	return OUTCOME_SUCCESS;
}

/* The store is needed only here: what sign-in keeps is the list. */
static enum outcome
load_keys(struct signin *s)
{
	struct seckey_store *store = NULL;
	enum outcome o;
	int r;

	/* A missing home or a failed reader is not "no key registered":
	 * nouserok must not open a two-factor stack on the password
	 * alone (outcome_of_store_error). */
	if ((r = seckey_store_open(s->policy, &s->user, &store,
	    &s->detail.diag)) != SECKEY_OK ||
	    (r = seckey_store_read(store, s->policy->max_keys, &s->keys,
	    &s->detail.diag)) != SECKEY_OK) {
		o = outcome_of_store_error(r);
		goto out;
	}
	/* An offline sign-in is worth a line of its own, whatever follows. */
	if (seckey_store_warning(store) != NULL)
		module_log(s->pamh, LOG_WARNING, "user %s: key list: %s",
		    s->user.name, seckey_store_warning(store));
	if (s->keys->count == 0) {
		seckey_diag_set(&s->detail.diag, seckey_store_where(store), 0,
		    "no key list, or an empty one");
		o = OUTCOME_NOT_ENROLLED;
		goto out;
	}
	if (s->debug)
		module_log(s->pamh, LOG_DEBUG, "user %s: %zu key%s in %s",
		    s->user.name, s->keys->count, s->keys->count == 1 ? "" :
		    "s", seckey_store_where(store));
	o = OUTCOME_SUCCESS;
out:
	seckey_store_free(&store);
	return o;
}

/*
 * An audit record of an anomaly (seckey_audit.h), next to its syslog
 * line.  Whether auditd got it never changes the sign-in.
 */
static void
audit(const struct signin *s, enum seckey_audit_event event,
    const char *reason, bool refused)
{
	struct seckey_audit_record rec;
	const void *rhost = NULL, *tty = NULL;

	if (pam_get_item(s->pamh, PAM_RHOST, &rhost) != PAM_SUCCESS)
		rhost = NULL;
	if (pam_get_item(s->pamh, PAM_TTY, &tty) != PAM_SUCCESS)
		tty = NULL;
	memset(&rec, 0, sizeof(rec));
	rec.event = event;
	rec.user = s->user.name;
	rec.key_name = s->found.key != NULL ? s->found.key->name : NULL;
	rec.reason = reason;
	rec.rhost = rhost;
	rec.tty = tty;
	rec.refused = refused;
	if (!seckey_audit_log(&rec) && s->debug)
		module_log(s->pamh, LOG_DEBUG, "user %s: no audit record "
		    "written (no libaudit, or no audit here)", s->user.name);
}

/* An ending that is an anomaly is also an audit record. */
static void
audit_ending(const struct signin *s, int r)
{
	switch (r) {
	case SECKEY_ERR_SIGNATURE:
	case SECKEY_ERR_FLAGS:
	case SECKEY_ERR_COUNTER:
		audit(s, SECKEY_AUDIT_ASSERTION, s->detail.diag.msg, true);
		break;
	case SECKEY_ERR_MODEL_REFUSED:
	case SECKEY_ERR_MODEL_MISMATCH:
		audit(s, SECKEY_AUDIT_MODEL, s->detail.diag.msg, true);
		break;
	case SECKEY_ERR_CLONED:
		audit(s, SECKEY_AUDIT_CLONE, s->detail.diag.msg, true);
		break;
	case SECKEY_ERR_MARKED:
		audit(s, SECKEY_AUDIT_MARKED, s->detail.diag.msg, true);
		break;
	default:
		break;
	}
}

/* No registered key is plugged in yet: ask for one, even under sudo. */
static void
cue_insert(void *ctx)
{
	struct signin *s = ctx;

	conv_cue(s->pamh, s->policy->insert_prompt);
}

/* A device that claimed a credential it does not hold: skipped, logged. */
static void
log_probe_refused(void *ctx, const char *why)
{
	const struct signin *s = ctx;

	module_log(s->pamh, LOG_WARNING, "user %s: %s: skipped", s->user.name,
	    why);
	audit(s, SECKEY_AUDIT_PROBE, why, true);
}

/*
 * What the counter step says when the sign-in goes on: a suspected
 * clone under counter_policy = "log", or a record this process (not
 * root: a screen locker) could not read or write.
 */
static void
log_counter_event(void *ctx, enum seckey_signin_event event, const char *what)
{
	const struct signin *s = ctx;
	const char *name = s->found.key != NULL ? s->found.key->name : "?";

	switch (event) {
	case SECKEY_SIGNIN_CLONE_LOGGED:
		module_log(s->pamh, LOG_WARNING, "user %s: suspected clone of "
		    "security key \"%s\" (counter_policy = \"log\": signed "
		    "in): %s", s->user.name, name, what);
		audit(s, SECKEY_AUDIT_CLONE, what, false);
		break;
	case SECKEY_SIGNIN_NOT_UPDATED:
		module_log(s->pamh, LOG_NOTICE, "user %s: signature counter "
		    "record of security key \"%s\" not updated (not root): "
		    "%s", s->user.name, name, what);
		break;
	case SECKEY_SIGNIN_NOT_CHECKED:
		module_log(s->pamh, LOG_NOTICE, "user %s: signature counter "
		    "of security key \"%s\" not checked, its record cannot be "
		    "read (not root): %s", s->user.name, name, what);
		break;
	case SECKEY_SIGNIN_INDEX_NOT_KEPT:
		module_log(s->pamh, LOG_NOTICE, "user %s: the user handle of "
		    "security key \"%s\" was not noted in the index (the next "
		    "sign-in without a user name asks the key): %s",
		    s->user.name, name, what);
		break;
	}
}

/* The PIN, through the conversation; why none came is kept. */
static int
ask_pin(void *ctx, struct seckey_pin *pin)
{
	struct signin *s = ctx;

	s->pin_reply = conv_read_pin(s->pamh, s->policy->pin_prompt, pin);
	return s->pin_reply == PAM_SUCCESS ? SECKEY_OK : SECKEY_ERR_NO_PIN;
}

static void
cue_touch(void *ctx)
{
	struct signin *s = ctx;

	conv_cue(s->pamh, s->policy->touch_prompt);
}

/*
 * The key plugged in, the PIN and the touch, in the order libseckey
 * keeps for the module and "seckey test" alike (seckey_signin.h).
 */
static enum outcome
use_key(struct signin *s)
{
	const struct seckey_signin_calls calls = {
		.waiting = cue_insert,
		.probe_refused = log_probe_refused,
		.read_pin = ask_pin,
		.touch = cue_touch,
		.counter_event = log_counter_event,
		.ctx = s,
	};
	enum outcome o;
	int r;

	r = seckey_signin(s->policy, s->keys, &calls, &s->found,
	    &s->detail.diag);
	if (s->found.key != NULL) {
		s->detail.key_name = s->found.key->name;
		if (s->debug)
			module_log(s->pamh, LOG_DEBUG, "user %s: key \"%s\" "
			    "found at %s", s->user.name, s->found.key->name,
			    seckey_device_path(s->found.dev));
	}
	s->detail.retries = s->found.retries;
	audit_ending(s, r);
	if (r == SECKEY_ERR_NO_PIN)
		return s->pin_reply == PAM_CONV_ERR ? OUTCOME_CONV_ERROR :
		    OUTCOME_NO_PIN;
	o = outcome_of_device_error(r);
	if (o == OUTCOME_SUCCESS)
		seckey_diag_clear(&s->detail.diag);
	return o;
}

/*
 * The sign-in without a user name runs only where the administrator
 * listed the service, only while the application set no user (asked
 * with pam_get_item: pam_get_user would prompt for one), and never for
 * a remote host, whatever remote says: a key plugged in here is not the
 * remote user's, and naming the account is the key's part here.
 */
static bool
wants_usernameless(struct signin *s)
{
	const void *user = NULL, *service = NULL, *rhost = NULL;

	if (pam_get_item(s->pamh, PAM_USER, &user) != PAM_SUCCESS)
		return false;
	if (user != NULL && *(const char *)user != '\0')
		return false;
	if (pam_get_item(s->pamh, PAM_SERVICE, &service) != PAM_SUCCESS ||
	    !seckey_policy_is_usernameless_service(s->policy, service))
		return false;
	if (pam_get_item(s->pamh, PAM_RHOST, &rhost) != PAM_SUCCESS)
		rhost = NULL;
	if (!seckey_rhost_is_local(rhost)) {
		module_log(s->pamh, LOG_NOTICE, "no sign-in without a user "
		    "name for a remote host (PAM_RHOST \"%.64s\")",
		    (const char *)rhost);
		return false;
	}
	return true;
}

/* Several accounts on the key: the user chooses by number. */
static int
ask_choice(void *ctx, const char *const *names, size_t n, size_t *choice)
{
	struct signin *s = ctx;

	s->choice_reply = conv_choose(s->pamh, names, n, choice);
	return s->choice_reply == PAM_SUCCESS ? SECKEY_OK :
	    SECKEY_ERR_NO_CHOICE;
}

/*
 * The key list of the account the key named: a claim, so an account
 * that does not exist, or has no key, is "not the owner", and its name
 * is kept out of the log like any unknown name.
 */
static int
claimed_keys(void *ctx, const char *name, const struct seckey_keylist **listp,
    struct seckey_diag *diag)
{
	struct signin *s = ctx;
	struct passwd *pw;
	enum outcome o;

	/* A second claim (the index named another account): the first
	 * account's list, and what it came to, go; nothing points into it
	 * any more. */
	seckey_keylist_free(&s->keys);
	s->user.name = NULL;
	s->keys_outcome = OUTCOME_SUCCESS;
	if ((pw = pam_modutil_getpwnam(s->pamh, name)) == NULL) {
		seckey_diag_set(diag, NULL, 0, "the security key names an "
		    "account that does not exist here");
		return SECKEY_ERR_NOT_OWNER;
	}
	s->user.name = pw->pw_name;
	s->user.uid = pw->pw_uid;
	s->user.gid = pw->pw_gid;
	s->user.home = pw->pw_dir;
	if ((o = load_keys(s)) == OUTCOME_NOT_ENROLLED) {
		seckey_diag_set(diag, NULL, 0, "the account %s the security "
		    "key names has no key registered", pw->pw_name);
		return SECKEY_ERR_NOT_OWNER;
	}
	if (o != OUTCOME_SUCCESS) {
		s->keys_outcome = o;
		return SECKEY_ERR_UNAVAIL;
	}
	*listp = s->keys;
	return SECKEY_OK;
}

/* What seckey_signin_usernameless() came to, as an outcome. */
static enum outcome
usernameless_outcome(struct signin *s, int r)
{
	char why[SECKEY_DIAG_MSG_MAX];

	if (s->keys_outcome != OUTCOME_SUCCESS)
		return s->keys_outcome;
	switch (r) {
	case SECKEY_ERR_NO_PIN:
		return s->pin_reply == PAM_CONV_ERR ? OUTCOME_CONV_ERROR :
		    OUTCOME_NO_PIN;
	case SECKEY_ERR_NO_CREDENTIAL:
		return OUTCOME_NO_ACCOUNT;
	case SECKEY_ERR_NO_CHOICE:
		return s->choice_reply == PAM_CONV_ERR ? OUTCOME_CONV_ERROR :
		    OUTCOME_NO_CHOICE;
	case SECKEY_ERR_NOT_OWNER:
		/* The account is named as the key's claim, never as signed
		 * in: detail.user stays unset. */
		snprintf(why, sizeof(why), "%s", s->detail.diag.msg);
		if (s->user.name != NULL)
			seckey_diag_set(&s->detail.diag, NULL, 0, "the key "
			    "named account %s: %s", s->user.name, why);
		audit(s, SECKEY_AUDIT_ASSERTION, s->detail.diag.msg, true);
		return OUTCOME_NOT_OWNER;
	default:
		return outcome_of_device_error(r);
	}
}

/* Several keys could name the account: the user touches one. */
static void
cue_select(void *ctx)
{
	struct signin *s = ctx;

	conv_cue(s->pamh, "Several security keys are plugged in: touch the "
	    "one to sign in with.");
}

/*
 * The key names the account; seckey_signin_usernameless() proves it
 * against that account's own list.  PAM_USER is set only then.
 */
static enum outcome
use_key_usernameless(struct signin *s)
{
	const struct seckey_signin_calls calls = {
		.waiting = cue_insert,
		.read_pin = ask_pin,
		.touch = cue_touch,
		.selecting = cue_select,
		.counter_event = log_counter_event,
		.choose = ask_choice,
		.account_keys = claimed_keys,
		.ctx = s,
	};
	enum outcome o;
	int r;

	r = seckey_signin_usernameless(s->policy, &calls, &s->found,
	    &s->detail.diag);
	if (s->found.key != NULL)
		s->detail.key_name = s->found.key->name;
	s->detail.retries = s->found.retries;
	if (r == SECKEY_OK)
		s->detail.user = s->user.name;
	else if (r != SECKEY_ERR_NOT_OWNER)
		audit_ending(s, r);
	if ((o = usernameless_outcome(s, r)) != OUTCOME_SUCCESS)
		return o;
	if (pam_set_item(s->pamh, PAM_USER, s->user.name) != PAM_SUCCESS)
		return OUTCOME_INTERNAL;
	module_log(s->pamh, LOG_INFO, "user %s: named by the discoverable "
	    "credential of security key \"%s\" (no user name was given)",
	    s->user.name, s->found.key->name);
	seckey_diag_clear(&s->detail.diag);
	return OUTCOME_SUCCESS;
}

/* The user the application named (or pam_get_user asks for). */
static enum outcome
named_user(struct signin *s)
{
	enum outcome o;

	if ((o = find_user(s)) == OUTCOME_SUCCESS &&
	    (o = load_keys(s)) == OUTCOME_SUCCESS)
		o = use_key(s);
	return o;
}

int
signin_run(pam_handle_t *pamh, int flags, const struct module_args *args)
{
	struct signin s;
	enum outcome o;
	int r;

	memset(&s, 0, sizeof(s));
	s.pamh = pamh;
	s.args = args;
	s.debug = args->debug;
	s.detail.retries = -1;
	s.detail.silent = (flags & PAM_SILENT) != 0;
	seckey_diag_clear(&s.detail.diag);
	if ((o = load_policy(&s)) == OUTCOME_SUCCESS &&
	    (o = check_service(&s)) == OUTCOME_SUCCESS &&
	    (o = check_remote(&s)) == OUTCOME_SUCCESS)
		o = wants_usernameless(&s) ? use_key_usernameless(&s) :
		    named_user(&s);
	if (o == OUTCOME_DISABLED)
		note_known_user(&s);
	r = outcome_report(pamh, o, &s.detail);
	seckey_device_free(&s.found.dev);
	seckey_keylist_free(&s.keys);
	seckey_policy_free(&s.policy);
	return r;
}
