/*
 * seckey_signin.c: the sign-in that pam_seckey and "seckey test" share
 * (see seckey_signin.h for the order and why it is so).
 */
#include "config.h"

#include <string.h>

#include "seckey_assert.h"
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
		 * A PIN typed for a key without one is asked for in vain;
		 * getInfo, read when the key was opened, tells.  A blocked
		 * PIN is not asked about first: that would cost every
		 * sign-in a command (clientPIN.getRetries) for a state the
		 * key reports anyway when the PIN token is asked for.
		 */
		r = SECKEY_ERR_PIN_NOT_SET;
		if (!seckey_device_has_pin(found->dev))
			goto out;
		r = SECKEY_ERR_NO_PIN;
		if (calls->read_pin == NULL ||
		    calls->read_pin(calls->ctx, &pin) != SECKEY_OK)
			goto out;
	}
	if (opts->require_up && calls->touch != NULL)
		calls->touch(calls->ctx);
	r = seckey_authenticate(found->dev, found->key, opts->require_uv ?
	    &pin : NULL, opts, diag);
	if (r == SECKEY_ERR_PIN_INVALID &&
	    (found->retries = seckey_pin_retries(found->dev)) < 0)
		found->retries = -1;
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
	return verify_user(&opts, calls, found, diag);
}
