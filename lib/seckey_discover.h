/*
 * seckey_discover.h: the FIDO2 steps of the sign-in without a user name
 * (seckey_signin_usernameless() in seckey_signin.h puts them in order).
 *
 * The key is asked for an assertion with an empty allow list: it
 * answers with every discoverable credential it holds for our rp_id,
 * each with its user handle, and, after the PIN and when it holds more
 * than one, the user name each was made for.  Nothing a key answers is
 * believed here: the accounts it names are claims, which the caller
 * checks against the claimed account's own key list
 * (seckey_discovery_check()).
 */
#ifndef SECKEY_DISCOVER_H
#define SECKEY_DISCOVER_H

#include <stddef.h>

#include "seckey_device.h"
#include "seckey_error.h"
#include "seckey_key.h"
#include "seckey_mem.h"
#include "seckey_signin_opts.h"

/* The answers of one assertion with an empty allow list. */
struct seckey_discovery;

/* The most plugged keys one look considers. */
#define SECKEY_DISCOVER_KEYS_MAX	8

/*
 * The plugged key that can keep protected discoverable credentials
 * (seckey_device_can_discover()), waiting up to opts->timeout_ms and
 * calling opts->waiting once when none is there yet.  With several
 * such keys, the one the user touches (opts->selecting is called once,
 * the moment to say so).  SECKEY_ERR_NO_DEVICE when none came,
 * SECKEY_ERR_TIMEOUT when none of several was touched.
 */
int seckey_discover_device(const struct seckey_signin_opts *opts,
    struct seckey_device **devp, struct seckey_diag *diag);

/*
 * The assertion with an empty allow list, with pin and a touch as opts
 * ask; every account's user name filled: from the assertion (CTAP 2.1
 * gives names only with more than one credential), else from the user
 * handle index under state_dir (seckey_handles.h; NULL: none), else
 * from the key's credential management with the same PIN.
 * Errors: SECKEY_ERR_NO_CREDENTIAL (no discoverable credential for
 * rp_id), SECKEY_ERR_PIN_*, SECKEY_ERR_TIMEOUT, SECKEY_ERR_DEVICE_LOST,
 * SECKEY_ERR_FIDO (an answer without a credential id or user handle).
 */
int seckey_discover(struct seckey_device *dev, const struct seckey_pin *pin,
    const struct seckey_signin_opts *opts, const char *state_dir,
    struct seckey_discovery **discp, struct seckey_diag *diag);

size_t seckey_discovery_count(const struct seckey_discovery *disc);

/* The account the key says answer i is for; NULL: it names none. */
const char *seckey_discovery_user_name(const struct seckey_discovery *disc,
    size_t i);

/*
 * Answer i's name as the key gives it (with the assertion, else from
 * its credential management with pin), in place of the index's.
 */
int seckey_discovery_ask_key(struct seckey_discovery *disc, size_t i,
    struct seckey_device *dev, const struct seckey_pin *pin,
    const struct seckey_signin_opts *opts, struct seckey_diag *diag);

/* Where answer i's account name came from. */
enum seckey_name_source {
	SECKEY_NAME_NONE,	/* nowhere: it signs no one in */
	SECKEY_NAME_ASSERTION,	/* the key, with the assertion */
	SECKEY_NAME_INDEX,	/* the user handle index */
	SECKEY_NAME_CREDMAN,	/* the key's credential management */
};
enum seckey_name_source seckey_discovery_name_source(
    const struct seckey_discovery *disc, size_t i);

/* The user handle of answer i (never NULL). */
const unsigned char *seckey_discovery_user_handle(
    const struct seckey_discovery *disc, size_t i, size_t *lenp);

/* The credential id of answer i (never NULL). */
const unsigned char *seckey_discovery_cred_id(
    const struct seckey_discovery *disc, size_t i, size_t *lenp);

/*
 * Is answer i key's own: its credential id, the user handle key was
 * registered with, the flags opts asks for, and a signature that
 * verifies with key's registered public key over our fresh challenge
 * and rp_id?  SECKEY_ERR_NOT_OWNER (another credential or handle),
 * SECKEY_ERR_FLAGS, SECKEY_ERR_SIGNATURE.  On success the signature
 * counter of the answer is kept in dev for the counter step.
 */
int seckey_discovery_check(const struct seckey_discovery *disc, size_t i,
    const struct seckey_key *key, const struct seckey_signin_opts *opts,
    struct seckey_device *dev, struct seckey_diag *diag);

void seckey_discovery_free(struct seckey_discovery **discp);

#endif /* SECKEY_DISCOVER_H */
