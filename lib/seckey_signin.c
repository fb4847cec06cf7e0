/*
 * seckey_signin.c: the sign-in that pam_seckey and "seckey test" share
 * (see seckey_signin.h for the order and why it is so).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "seckey_assert.h"
#include "seckey_counter.h"
#include "seckey_discover.h"
#include "seckey_handles.h"
#include "seckey_probe.h"
#include "seckey_signin.h"

static void
signin_opts(const struct seckey_policy *policy,
    const struct seckey_signin_calls *calls, struct seckey_signin_opts *opts)
{
	memset(opts, 0, sizeof(*opts));
	opts->rp_id = policy->rp_id;
	opts->require_up = policy->user_presence;
	opts->require_uv = policy->user_verification == SECKEY_UV_PIN;
	opts->timeout_ms = (int)policy->timeout * 1000;
	opts->waiting = calls->waiting;
	opts->probe_refused = calls->probe_refused;
	opts->selecting = calls->selecting;
	opts->ctx = calls->ctx;
}

/*
 * The keys of models the policy allows, borrowed from list.  Filtered
 * before the probe: a key of a model the administrator refused is not
 * even asked whether it holds a credential.
 */
static int
filter_allowed(const struct seckey_policy *policy,
    const struct seckey_keylist *list, struct seckey_keylist *allowed,
    struct seckey_diag *diag)
{
	size_t i;

	memset(allowed, 0, sizeof(*allowed));
	for (i = 0; i < list->count; i++)
		if (seckey_policy_aaguid_allowed(policy,
		    &list->keys[i]->aaguid))
			allowed->keys[allowed->count++] = list->keys[i];
	if (allowed->count > 0)
		return SECKEY_OK;
	seckey_diag_set(diag, NULL, 0, "none of the registered keys is of a "
	    "model allowed_aaguids accepts");
	return SECKEY_ERR_AAGUID;
}

/*
 * The model the key that answered reports, against the policy and the
 * key list.  The list's aaguid is the user's to edit: the filter above
 * only spares other models a command, this is the check.  libfido2
 * keeps nothing of the getInfo it sent when opening the key, so asking
 * costs one getInfo: paid only when allowed_aaguids makes the model
 * matter (or already paid by the probe).
 */
static int
check_model(const struct seckey_policy *policy,
    struct seckey_signin_found *found, struct seckey_diag *diag)
{
	char reported[SECKEY_AAGUID_TEXT_LEN], listed[SECKEY_AAGUID_TEXT_LEN];
	struct seckey_aaguid aaguid;
	int r;

	if (policy->allowed_aaguids_len == 0)
		return SECKEY_OK;
	if ((r = seckey_device_aaguid(found->dev, &aaguid, diag)) != SECKEY_OK)
		return r;
	seckey_aaguid_format(&aaguid, reported);
	seckey_aaguid_format(&found->key->aaguid, listed);
	if (!seckey_policy_aaguid_allowed(policy, &aaguid)) {
		seckey_diag_set(diag, NULL, 0, "the security key at %s reports "
		    "model %s, which allowed_aaguids does not accept (its key "
		    "list entry says %s)", seckey_device_path(found->dev),
		    reported, listed);
		return SECKEY_ERR_MODEL_REFUSED;
	}
	if (!seckey_aaguid_equal(&aaguid, &found->key->aaguid)) {
		seckey_diag_set(diag, NULL, 0, "the key list entry says model "
		    "%s, but the security key at %s that answered for it "
		    "reports %s", listed, seckey_device_path(found->dev),
		    reported);
		return SECKEY_ERR_MODEL_MISMATCH;
	}
	return SECKEY_OK;
}

/* A marked credential is refused before the PIN is asked for. */
static int
check_mark(const struct seckey_policy *policy,
    const struct seckey_signin_found *found, struct seckey_diag *diag)
{
	struct seckey_counter_record rec;
	struct seckey_diag ignored;
	char path[SECKEY_DIAG_FILE_MAX];
	int r;

	/* Any other fault with the record is met, and told, after. */
	r = seckey_counter_read(policy->state_dir, policy->rp_id, found->key,
	    &rec, &ignored);
	if (r == SECKEY_ERR_NOMEM)
		return r;
	if (r != SECKEY_OK || rec.marked == 0)
		return SECKEY_OK;
	if (seckey_counter_path(policy->state_dir, policy->rp_id, found->key,
	    path, sizeof(path), &ignored) != SECKEY_OK)
		path[0] = '\0';
	seckey_diag_set(diag, path, 0, "the credential was marked as a "
	    "suspected clone at %lld; 'seckey --user USER unmark NAME' clears "
	    "it", rec.marked);
	return SECKEY_ERR_MARKED;
}

/* "file: message" of diag, for an event. */
static const char *
diag_text(const struct seckey_diag *diag, char *buf, size_t size)
{
	if (diag->file[0] != '\0')
		snprintf(buf, size, "%s: %s", diag->file, diag->msg);
	else
		snprintf(buf, size, "%s", diag->msg);
	return buf;
}

static void
tell(const struct seckey_signin_calls *calls, enum seckey_signin_event event,
    const struct seckey_diag *diag)
{
	char what[SECKEY_DIAG_FILE_MAX + SECKEY_DIAG_MSG_MAX + 2];

	if (calls->counter_event != NULL)
		calls->counter_event(calls->ctx, event,
		    diag_text(diag, what, sizeof(what)));
}

/*
 * The counter of the assertion that verified, against the credential's
 * record, kept in it.  A caller that is not root (a screen locker)
 * cannot write the record, and may not even read it: its sign-in goes
 * on and the caller is told, so that a user is never locked out of a
 * screen by the administrator's file modes.
 */
static int
keep_counter(const struct seckey_policy *policy,
    const struct seckey_signin_calls *calls,
    const struct seckey_signin_found *found, struct seckey_diag *diag)
{
	struct seckey_counter_use use;
	int r;

	memset(&use, 0, sizeof(use));
	use.seen = found->dev->assert_count;
	use.mark = policy->counter_policy == SECKEY_COUNTER_DENY;
	use.now = time(NULL);
	r = seckey_counter_update(policy->state_dir, policy->rp_id,
	    found->key, &use, diag);
	if (r == SECKEY_ERR_MARKED || r == SECKEY_ERR_CLONED ||
	    r == SECKEY_ERR_NOMEM)
		return r;
	if (r != SECKEY_OK && geteuid() == 0)
		return SECKEY_ERR_STATE;
	if (r != SECKEY_OK) {
		tell(calls, SECKEY_SIGNIN_NOT_CHECKED, diag);
		return SECKEY_OK;
	}
	if (use.suspect)
		tell(calls, SECKEY_SIGNIN_CLONE_LOGGED, diag);
	if (!use.updated)
		tell(calls, SECKEY_SIGNIN_NOT_UPDATED, &use.why_not);
	return SECKEY_OK;
}

/*
 * The PIN of a key that has one, from the caller.  A PIN typed for a key
 * without one is asked for in vain; getInfo, read when the key was
 * opened, tells.
 */
static int
ask_pin(const struct seckey_signin_calls *calls, struct seckey_device *dev,
    struct seckey_pin *pin)
{
	if (!seckey_device_has_pin(dev))
		return SECKEY_ERR_PIN_NOT_SET;
	if (calls->read_pin == NULL ||
	    calls->read_pin(calls->ctx, pin) != SECKEY_OK)
		return SECKEY_ERR_NO_PIN;
	return SECKEY_OK;
}

/* After a wrong PIN, the retries left, for the message (-1: unknown). */
static void
note_retries(struct seckey_signin_found *found, int r)
{
	if (r == SECKEY_ERR_PIN_INVALID &&
	    (found->retries = seckey_pin_retries(found->dev)) < 0)
		found->retries = -1;
}

/* The PIN (when the policy asks for it), the touch cue, the assertion. */
static int
verify_user(const struct seckey_signin_opts *opts,
    const struct seckey_signin_calls *calls, struct seckey_signin_found *found,
    struct seckey_diag *diag)
{
	struct seckey_pin pin;
	int r;

	seckey_pin_wipe(&pin);
	if (opts->require_uv) {
		/*
		 * A blocked PIN is not asked about first: that would cost
		 * every sign-in a command (clientPIN.getRetries) for a state
		 * the key reports anyway when the PIN token is asked for.
		 */
		if ((r = ask_pin(calls, found->dev, &pin)) != SECKEY_OK)
			goto out;
	}
	if (opts->require_up && calls->touch != NULL)
		calls->touch(calls->ctx);
	r = seckey_authenticate(found->dev, found->key, opts->require_uv ?
	    &pin : NULL, opts, diag);
	note_retries(found, r);
out:
	seckey_pin_wipe(&pin);
	return r;
}

int
seckey_signin(const struct seckey_policy *policy,
    const struct seckey_keylist *list, const struct seckey_signin_calls *calls,
    struct seckey_signin_found *found, struct seckey_diag *diag)
{
	struct seckey_signin_opts opts;
	struct seckey_keylist allowed;
	int r;

	found->dev = NULL;
	found->key = NULL;
	found->retries = -1;
	if (list->count == 0)
		return SECKEY_ERR_INVAL;
	signin_opts(policy, calls, &opts);
	if ((r = filter_allowed(policy, list, &allowed, diag)) != SECKEY_OK)
		return r;
	if ((r = seckey_find_device(&allowed, &opts, &found->dev, &found->key,
	    diag)) != SECKEY_OK) {
		found->key = NULL;
		return r;
	}
	if ((r = check_model(policy, found, diag)) != SECKEY_OK ||
	    (r = check_mark(policy, found, diag)) != SECKEY_OK ||
	    (r = verify_user(&opts, calls, found, diag)) != SECKEY_OK)
		return r;
	return keep_counter(policy, calls, found, diag);
}

/*
 * The PIN, the touch cue and the assertion with an empty allow list.
 * pin is the caller's: credential management may need it again for a
 * name (seckey_discovery_ask_key()).
 */
static int
discover_accounts(const struct seckey_signin_opts *opts,
    const char *state_dir, const struct seckey_signin_calls *calls,
    struct seckey_signin_found *found, struct seckey_pin *pin,
    struct seckey_discovery **discp, struct seckey_diag *diag)
{
	int r;

	if ((r = ask_pin(calls, found->dev, pin)) != SECKEY_OK)
		return r;
	if (opts->require_up && calls->touch != NULL)
		calls->touch(calls->ctx);
	r = seckey_discover(found->dev, pin, opts, state_dir, discp, diag);
	note_retries(found, r);
	return r;
}

/* One answer: the only one, or the one the user chose. */
static int
choose_account(const struct seckey_signin_calls *calls,
    const struct seckey_discovery *disc, size_t *choice,
    struct seckey_diag *diag)
{
	const char *names[SECKEY_USERNAMELESS_ACCOUNTS_MAX];
	size_t i, n = seckey_discovery_count(disc);

	*choice = 0;
	if (n == 1)
		return SECKEY_OK;
	if (n > SECKEY_USERNAMELESS_ACCOUNTS_MAX)
		n = SECKEY_USERNAMELESS_ACCOUNTS_MAX;
	for (i = 0; i < n; i++)
		names[i] = seckey_discovery_user_name(disc, i);
	if (calls->choose == NULL ||
	    calls->choose(calls->ctx, names, n, choice) != SECKEY_OK ||
	    *choice >= n) {
		seckey_diag_set(diag, NULL, 0, "the security key holds %zu "
		    "accounts for this machine and none was chosen", n);
		return SECKEY_ERR_NO_CHOICE;
	}
	return SECKEY_OK;
}

/*
 * The account named for answer choice (by the index or the key), and
 * the entry of its own key list for that credential.  The name is a
 * claim only: the list decides, and seckey_discovery_check() the rest.
 */
static int
claimed_entry(const struct seckey_signin_calls *calls,
    const struct seckey_discovery *disc, size_t choice,
    struct seckey_signin_found *found, struct seckey_diag *diag)
{
	const struct seckey_keylist *list = NULL;
	const unsigned char *cred_id;
	const char *name = seckey_discovery_user_name(disc, choice);
	size_t len;
	int r;

	if (name == NULL || calls->account_keys == NULL) {
		seckey_diag_set(diag, NULL, 0, "the security key names no "
		    "account for its credential");
		return SECKEY_ERR_NOT_OWNER;
	}
	if ((r = calls->account_keys(calls->ctx, name, &list,
	    diag)) != SECKEY_OK)
		return r;
	cred_id = seckey_discovery_cred_id(disc, choice, &len);
	if ((found->key = seckey_keylist_find_cred(list, cred_id,
	    len)) == NULL || found->key->user_handle_len == 0) {
		found->key = NULL;
		seckey_diag_set(diag, NULL, 0, "the key list of the account "
		    "the security key names does not hold its discoverable "
		    "credential");
		return SECKEY_ERR_NOT_OWNER;
	}
	return SECKEY_OK;
}

/*
 * The index named an account that does not hold the credential, or
 * whose list cannot be read: a stale record, or one another account's
 * sign-in wrote for a copy of the handle.  It is only a hint, so the
 * key is asked for the name, as without the index, and that account is
 * tried once.  (Refusing here would let anyone who registers a copy of
 * a user's handle, and then breaks his own list, lock her out of this
 * sign-in.)  refused: what the index's account came to, returned when
 * the key names the same account or none.
 */
static int
claimed_by_key(const struct seckey_signin_opts *opts,
    const struct seckey_signin_calls *calls, struct seckey_discovery *disc,
    size_t choice, const struct seckey_pin *pin, int refused,
    struct seckey_signin_found *found, struct seckey_diag *diag)
{
	const char *indexed = seckey_discovery_user_name(disc, choice), *named;
	struct seckey_diag first = *diag;
	char *was = NULL;
	int r;

	if (indexed != NULL && (was = strdup(indexed)) == NULL)
		return SECKEY_ERR_NOMEM;
	if ((r = seckey_discovery_ask_key(disc, choice, found->dev, pin, opts,
	    diag)) != SECKEY_OK)
		goto out;
	named = seckey_discovery_user_name(disc, choice);
	/* The same account again would come to the same. */
	if (named == NULL || (was != NULL && strcmp(was, named) == 0)) {
		*diag = first;
		r = refused;
		goto out;
	}
	r = claimed_entry(calls, disc, choice, found, diag);
out:
	free(was);
	return r;
}

/*
 * The account has just proved it holds the credential: note its handle
 * in the index, so the next sign-in needs no credential management to
 * name it.  Only root may; and a failure costs the next sign-in those
 * commands, never its result, so it is only noted.
 */
static void
learn_handle(const struct seckey_policy *policy,
    const struct seckey_discovery *disc, size_t choice,
    const struct seckey_signin_calls *calls)
{
	struct seckey_diag why;
	const unsigned char *handle;
	size_t len;

	if (geteuid() != 0)
		return;
	seckey_diag_clear(&why);
	handle = seckey_discovery_user_handle(disc, choice, &len);
	if (seckey_handles_learn(policy->state_dir, policy->rp_id, handle,
	    len, seckey_discovery_user_name(disc, choice), &why) !=
	    SECKEY_OK && calls->counter_event != NULL)
		calls->counter_event(calls->ctx, SECKEY_SIGNIN_INDEX_NOT_KEPT,
		    why.msg);
}

int
seckey_signin_usernameless(const struct seckey_policy *policy,
    const struct seckey_signin_calls *calls, struct seckey_signin_found *found,
    struct seckey_diag *diag)
{
	struct seckey_signin_opts opts;
	struct seckey_discovery *disc = NULL;
	struct seckey_pin pin;
	size_t choice;
	int r;

	seckey_pin_wipe(&pin);
	found->dev = NULL;
	found->key = NULL;
	found->retries = -1;
	signin_opts(policy, calls, &opts);
	if (!opts.require_uv)
		return SECKEY_ERR_INVAL;	/* the policy parser refuses it */
	if ((r = seckey_discover_device(&opts, &found->dev, diag)) != SECKEY_OK ||
	    (r = discover_accounts(&opts, policy->state_dir, calls, found,
	    &pin, &disc, diag)) != SECKEY_OK ||
	    (r = choose_account(calls, disc, &choice, diag)) != SECKEY_OK)
		goto out;
	r = claimed_entry(calls, disc, choice, found, diag);
	if (r != SECKEY_OK && r != SECKEY_ERR_NOMEM &&
	    seckey_discovery_name_source(disc, choice) == SECKEY_NAME_INDEX)
		r = claimed_by_key(&opts, calls, disc, choice, &pin, r, found,
		    diag);
	seckey_pin_wipe(&pin);
	if (r != SECKEY_OK)
		goto out;
	if ((r = seckey_discovery_check(disc, choice, found->key, &opts,
	    found->dev, diag)) != SECKEY_OK)
		goto out;
	if (!seckey_policy_aaguid_allowed(policy, &found->key->aaguid)) {
		seckey_diag_set(diag, NULL, 0, "the key list entry names a "
		    "model allowed_aaguids does not accept");
		r = SECKEY_ERR_MODEL_REFUSED;
		goto out;
	}
	if ((r = check_model(policy, found, diag)) != SECKEY_OK ||
	    (r = check_mark(policy, found, diag)) != SECKEY_OK)
		goto out;
	/* Only a name credential management gave is worth an index record:
	 * the index is read only when the assertion names no one. */
	if ((r = keep_counter(policy, calls, found, diag)) == SECKEY_OK &&
	    seckey_discovery_name_source(disc, choice) == SECKEY_NAME_CREDMAN)
		learn_handle(policy, disc, choice, calls);
out:
	seckey_pin_wipe(&pin);
	seckey_discovery_free(&disc);
	return r;
}
