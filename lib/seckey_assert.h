/*
 * seckey_assert.h: the second step of a sign-in, the assertion.
 *
 * seckey_authenticate() makes the real assertion on the key that
 * seckey_find_device() (seckey_probe.h) found: a fresh random challenge,
 * the PIN, a touch, the signature checked against the registered public
 * key and the UP/UV flags the policy requires.
 */
#ifndef SECKEY_ASSERT_H
#define SECKEY_ASSERT_H

#include "seckey_device.h"
#include "seckey_error.h"
#include "seckey_key.h"
#include "seckey_mem.h"
#include "seckey_signin_opts.h"

#ifdef SECKEY_INTERNAL
#include <fido.h>
#endif

/*
 * The assertion proper.  pin may be NULL only when !opts->require_uv.
 * Errors: SECKEY_ERR_PIN_* as the key reports them, SECKEY_ERR_TIMEOUT
 * (no touch in time), SECKEY_ERR_DEVICE_LOST, SECKEY_ERR_SIGNATURE,
 * SECKEY_ERR_FLAGS (UP or UV missing).
 */
int seckey_authenticate(struct seckey_device *dev,
    const struct seckey_key *key, const struct seckey_pin *pin,
    const struct seckey_signin_opts *opts, struct seckey_diag *diag);

#ifdef SECKEY_INTERNAL
/*
 * Does assert hold one statement, for key's credential, signed by key's
 * registered public key over the request's client data hash and rp_id?
 * SECKEY_ERR_SIGNATURE (diag says why) if not.  No flag is checked.
 */
int seckey_assert_check_signed(const fido_assert_t *assert,
    const struct seckey_key *key, struct seckey_diag *diag);
#endif

/* PIN retries left on dev, or a negative SECKEY_ERR_*. */
int seckey_pin_retries(struct seckey_device *dev);

#endif /* SECKEY_ASSERT_H */
