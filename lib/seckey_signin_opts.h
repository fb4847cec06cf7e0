/*
 * seckey_signin_opts.h: what the two FIDO2 steps of a sign-in share.
 *
 * Two steps, so that the PIN is asked for only once a registered key is
 * known to be plugged in: seckey_find_device() (seckey_probe.h) finds the
 * key by a silent probe, seckey_authenticate() (seckey_assert.h) makes
 * the real assertion on it.  Both take these options.
 */
#ifndef SECKEY_SIGNIN_OPTS_H
#define SECKEY_SIGNIN_OPTS_H

#include <stdbool.h>

struct seckey_signin_opts {
	const char	*rp_id;
	bool		 require_up;	/* a touch */
	bool		 require_uv;	/* the PIN (user verification) */
	int		 timeout_ms;	/* for a key to appear, for a touch */
	/*
	 * Look once at the keys plugged in now and do not wait for one to
	 * appear (timeout_ms then only bounds the opening and the probes):
	 * for a question such as "does a key plugged in hold this
	 * credential?", where nobody is there to insert one.
	 */
	bool		 no_wait;
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
	/*
	 * The sign-in without a user name only: several keys that can hold
	 * discoverable credentials are plugged in, and the user is to touch
	 * the one to use (called once).  NULL: nobody is told.
	 */
	void		(*selecting)(void *ctx);
	void		*ctx;		/* handed to all three */
};

#endif /* SECKEY_SIGNIN_OPTS_H */
