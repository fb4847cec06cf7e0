/*
 * seckey_signin.h: the FIDO2 side of a sign-in.
 *
 * Two steps, so that the PIN is asked for only once a registered key is
 * known to be plugged in:
 *
 *   seckey_find_device()   waits for a plugged key that holds one of the
 *                          user's credentials, found by a silent probe
 *                          (getAssertion without user presence, the whole
 *                          allow list at once, split only if the key says
 *                          the list is too long) whose answer verifies
 *                          with the registered public key;
 *   seckey_authenticate()  the real assertion on that key: a fresh random
 *                          challenge, the PIN, a touch, the signature
 *                          checked against the registered public key and
 *                          the UP/UV flags the policy requires.
 */
#ifndef SECKEY_SIGNIN_H
#define SECKEY_SIGNIN_H

#include <stdbool.h>

#include "seckey_device.h"
#include "seckey_error.h"
#include "seckey_keylist.h"
#include "seckey_mem.h"

struct seckey_signin_opts {
	const char	*rp_id;
	bool		 require_up;	/* a touch */
	bool		 require_uv;	/* the PIN (user verification) */
	int		 timeout_ms;	/* for a key to appear, for a touch */
	/*
	 * Called once, when the first look at the plugged keys found none
	 * holding a registered credential and time is left: the moment to
	 * ask the user to insert or tap a key.  NULL: nobody is told.
	 */
	void		(*waiting)(void *ctx);
	/*
	 * Told, when set, of each device whose probe answer does not
	 * verify, with a sentence naming its path and the key it claimed
	 * to be; seckey_find_device() skips that device, never asks it for
	 * the PIN, and goes on looking.
	 */
	void		(*probe_refused)(void *ctx, const char *why);
	void		*ctx;		/* handed to both */
};

/*
 * Wait up to opts->timeout_ms for a plugged key holding a credential of
 * list.  On success *devp is the opened key and *keyp the entry of list
 * it answered for.  When none appeared in time: SECKEY_ERR_NO_CREDENTIAL
 * if a key still plugged in answered that it holds none of them (a
 * registered key that was reset answers so), else SECKEY_ERR_NO_DEVICE.
 */
int seckey_find_device(const struct seckey_keylist *list,
    const struct seckey_signin_opts *opts, struct seckey_device **devp,
    const struct seckey_key **keyp, struct seckey_diag *diag);

/*
 * One silent probe of dev with every credential of list.  Returns 0 and
 * sets *keyp only when the answer is signed by that key's registered
 * public key; SECKEY_ERR_SIGNATURE when it is not (a device that claims a
 * credential it does not hold), SECKEY_ERR_NO_CREDENTIAL, or another
 * error.
 */
int seckey_probe(struct seckey_device *dev, const char *rp_id,
    const struct seckey_keylist *list, const struct seckey_key **keyp,
    struct seckey_diag *diag);

/*
 * The assertion proper.  pin may be NULL only when !opts->require_uv.
 * Errors: SECKEY_ERR_PIN_* as the key reports them, SECKEY_ERR_TIMEOUT
 * (no touch in time), SECKEY_ERR_DEVICE_LOST, SECKEY_ERR_SIGNATURE,
 * SECKEY_ERR_FLAGS (UP or UV missing).
 */
int seckey_authenticate(struct seckey_device *dev,
    const struct seckey_key *key, const struct seckey_pin *pin,
    const struct seckey_signin_opts *opts, struct seckey_diag *diag);

/*
 * Does assert hold one statement, for key's credential, signed by key's
 * registered public key over the request's client data hash and rp_id?
 * SECKEY_ERR_SIGNATURE (diag says why) if not.  No flag is checked.
 */
int seckey_assert_check_signed(const fido_assert_t *assert,
    const struct seckey_key *key, struct seckey_diag *diag);

/* PIN retries left on dev, or a negative SECKEY_ERR_*. */
int seckey_pin_retries(struct seckey_device *dev);

#endif /* SECKEY_SIGNIN_H */
