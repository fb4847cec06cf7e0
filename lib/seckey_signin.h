/*
 * seckey_signin.h: one sign-in with a security key, in the order
 * pam_seckey does it.  The module and "seckey test" both run it, so the
 * test tries exactly what the module does.
 *
 * The order, decided here and nowhere else:
 *  1. the options the policy sets (rp_id, touch, PIN, timeout);
 *  2. the model filter: only the keys of models allowed_aaguids accepts
 *     take part, so a key of another model is never sent a command;
 *  3. the silent probe for a registered key (seckey_find_device());
 *  4. before the PIN is asked for: with allowed_aaguids set, the model
 *     the key itself reports (getInfo) must be allowed and be the one
 *     its key list entry names; the credential must not be marked as a
 *     suspected clone (seckey_counter.h); the key has a PIN (a blocked
 *     PIN is reported by the key when the PIN is tried, without a
 *     command more on every sign-in to ask first);
 *  5. the PIN, through the caller; the touch cue, through the caller;
 *  6. the assertion (seckey_authenticate());
 *  7. the signature counter, checked against the credential's record
 *     and kept in it (seckey_counter_update()).
 * The PIN lives in seckey_signin()'s own frame and is wiped on every
 * path; the caller only fills it.
 */
#ifndef SECKEY_SIGNIN_H
#define SECKEY_SIGNIN_H

#include "seckey_device.h"
#include "seckey_error.h"
#include "seckey_keylist.h"
#include "seckey_mem.h"
#include "seckey_policy.h"

/* The most accounts of one key a user is asked to choose from. */
#define SECKEY_USERNAMELESS_ACCOUNTS_MAX	16

/* What the state steps tell the caller, when the sign-in goes on. */
enum seckey_signin_event {
	/* The counter did not increase; counter_policy = "log". */
	SECKEY_SIGNIN_CLONE_LOGGED,
	/* Checked, but the record could not be written (not root). */
	SECKEY_SIGNIN_NOT_UPDATED,
	/* The record could not be read (not root): nothing checked. */
	SECKEY_SIGNIN_NOT_CHECKED,
	/* Root could not note the user handle in the index (usernameless). */
	SECKEY_SIGNIN_INDEX_NOT_KEPT,
};

/* The caller's part wherever the user is involved; NULL: nothing said. */
struct seckey_signin_calls {
	/* No registered key is plugged in yet: ask for one (called once). */
	void	(*waiting)(void *ctx);
	/* A device's probe answer did not verify; why names the device. */
	void	(*probe_refused)(void *ctx, const char *why);
	/*
	 * Ask for the PIN and fill pin.  Anything but SECKEY_OK means no
	 * usable PIN came: the sign-in ends with SECKEY_ERR_NO_PIN, and the
	 * caller keeps in ctx why.  Needed when the policy asks for a PIN.
	 */
	int	(*read_pin)(void *ctx, struct seckey_pin *pin);
	/* The key is about to wait for a touch. */
	void	(*touch)(void *ctx);
	/*
	 * seckey_signin_usernameless() only: several capable keys are
	 * plugged in, the user is to touch the one to use.
	 */
	void	(*selecting)(void *ctx);
	/* A counter or index event; what says it, with the record's path. */
	void	(*counter_event)(void *ctx, enum seckey_signin_event event,
		    const char *what);
	/*
	 * seckey_signin_usernameless() only.  choose: the key answered for
	 * n > 1 accounts, named as the key says (NULL: no name; untrusted
	 * text, to escape before showing it): set *choice (0 .. n - 1), or
	 * return anything but SECKEY_OK for none.  account_keys: the key
	 * list of the account the key named, kept by the caller (it stays
	 * valid until the caller frees it); SECKEY_ERR_NOT_OWNER for an
	 * account that does not exist or has no key, any other error for
	 * a list that cannot be read.
	 */
	int	(*choose)(void *ctx, const char *const *names, size_t n,
		    size_t *choice);
	int	(*account_keys)(void *ctx, const char *user_name,
		    const struct seckey_keylist **listp,
		    struct seckey_diag *diag);
	void	*ctx;
};

/* What the sign-in came to, for the caller's messages. */
struct seckey_signin_found {
	struct seckey_device	*dev;	/* the caller's: seckey_device_free() */
	const struct seckey_key	*key;	/* an entry of the list, or NULL */
	int			 retries; /* after a wrong PIN, else -1 */
};

/*
 * Sign in with one of the keys of list (not empty) under policy.  found
 * is always filled; dev and key are set once a registered key answered
 * the probe, and stay set whatever happens after.  Errors:
 *  - SECKEY_ERR_AAGUID: allowed_aaguids accepts none of the keys of
 *    list, and no key was touched;
 *  - found->dev NULL: what seckey_find_device() returns, mainly
 *    SECKEY_ERR_NO_DEVICE and SECKEY_ERR_NO_CREDENTIAL;
 *  - found->dev set, before the PIN: SECKEY_ERR_MODEL_REFUSED (the key
 *    reports a model allowed_aaguids does not accept),
 *    SECKEY_ERR_MODEL_MISMATCH (it reports another model than its
 *    entry says), SECKEY_ERR_MARKED (the credential is marked as a
 *    suspected clone), SECKEY_ERR_PIN_NOT_SET (nothing was asked),
 *    SECKEY_ERR_NO_PIN (read_pin failed);
 *  - then what seckey_authenticate() returns; after
 *    SECKEY_ERR_PIN_INVALID, found->retries holds the attempts left if
 *    the key told them;
 *  - after the assertion: SECKEY_ERR_CLONED (the counter did not
 *    increase and counter_policy = "deny": now marked),
 *    SECKEY_ERR_MARKED, or, for a caller that is root, SECKEY_ERR_STATE
 *    (the record is unsafe, broken, or cannot be written).
 */
int seckey_signin(const struct seckey_policy *policy,
    const struct seckey_keylist *list, const struct seckey_signin_calls *calls,
    struct seckey_signin_found *found, struct seckey_diag *diag);

/*
 * The sign-in without a user name, for usernameless_services; the
 * order, decided here:
 *  1. the first plugged key that can hold protected discoverable
 *     credentials (waiting for one, as the probe does);
 *  2. the key has a PIN; the PIN, through the caller; the touch cue;
 *  3. the assertion with an empty allow list (seckey_discover.h): the
 *     key answers for every discoverable credential it holds for
 *     rp_id; the user names come with it, or from the user handle
 *     index (seckey_handles.h), or from the key's credential
 *     management with the same PIN;
 *  4. several answers: the caller's choose();
 *  5. the chosen answer's account: its key list (account_keys()),
 *     which must hold that credential id with that user handle
 *     (SECKEY_ERR_NOT_OWNER); when the index named an account that
 *     does not, or whose list cannot be read, the key is asked for the
 *     name and that account tried once (account_keys() again); the PIN
 *     is wiped; the signature
 *     must verify with the public key the list registered, with the UP
 *     and UV flags;
 *  6. the model (allowed_aaguids), a clone mark, the counter, as in
 *     seckey_signin(); as root, the handle noted in the index when
 *     credential management named the account.
 * found->key is set, to an entry of the caller's list, only once step 5
 * found it.  Errors: as seckey_signin(), and SECKEY_ERR_NO_CREDENTIAL
 * (no discoverable credential for rp_id on the key),
 * SECKEY_ERR_NO_CHOICE, SECKEY_ERR_NOT_OWNER, what account_keys()
 * returned.
 */
int seckey_signin_usernameless(const struct seckey_policy *policy,
    const struct seckey_signin_calls *calls, struct seckey_signin_found *found,
    struct seckey_diag *diag);

#endif /* SECKEY_SIGNIN_H */
