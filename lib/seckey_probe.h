/*
 * seckey_probe.h: the first step of a sign-in, finding the key.
 *
 * seckey_find_device() waits for a plugged key that holds one of the
 * user's credentials, found by a silent probe (getAssertion without user
 * presence, the whole allow list at once, split only if the key says the
 * list is too long) whose answer verifies with the registered public key.
 */
#ifndef SECKEY_PROBE_H
#define SECKEY_PROBE_H

#include "seckey_device.h"
#include "seckey_error.h"
#include "seckey_keylist.h"
#include "seckey_signin_opts.h"

/*
 * Wait up to opts->timeout_ms for a plugged key holding a credential of
 * list.  On success *devp is the opened key and *keyp the entry of list
 * it answered for.  When none appeared in time: SECKEY_ERR_NO_CREDENTIAL
 * if a key still plugged in answered that it holds none of them (a
 * registered key that was reset answers so), else SECKEY_ERR_NO_DEVICE.
 * With opts->no_wait, the keys plugged in now are probed once and
 * nobody is asked to insert one.
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

#endif /* SECKEY_PROBE_H */
