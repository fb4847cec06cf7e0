/*
 * seckey_assert.c: the assertion that signs a user in.
 *
 * The challenge is 32 fresh random bytes, used directly as the client
 * data hash: there is no web origin to bind, and a random value is what
 * makes a recorded assertion useless later.  The signature is checked
 * against the public key from the user's key list, never against
 * anything the key sends, and the UP and UV flags are checked here as
 * well as by libfido2, so a key that leaves them out is refused.
 */
#include "config.h"

#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "seckey_assert.h"
#include "seckey_authdata.h"
#include "seckey_pubkey.h"
#include "seckey_fido_err.h"
#include "seckey_time.h"

/*
 * The key signed its counter a moment ago in the probe; a lower one now
 * is a key that lies, or a clone answering in turn with the original.
 * An equal one is allowed: some keys count only assertions with a touch.
 */
static int
check_counter(const fido_assert_t *assert, const struct seckey_device *dev,
    struct seckey_diag *diag)
{
	uint32_t count = fido_assert_sigcount(assert, 0);

	if (!dev->probed || count >= dev->probe_count)
		return SECKEY_OK;
	seckey_diag_set(diag, NULL, 0, "the signature counter went backwards "
	    "(%u after %u): a cloned or faulty key?", count, dev->probe_count);
	return SECKEY_ERR_COUNTER;
}

/*
 * One statement, for key's credential (a key may leave the id out when
 * the allow list holds one), signed by key's registered public key over
 * the client data hash and rp_id of the request: libfido2's verify
 * checks the rpIdHash of authData too.  The silent probe and the
 * assertion proper both come through here.
 */
int
seckey_assert_check_signed(const fido_assert_t *assert,
    const struct seckey_key *key, struct seckey_diag *diag)
{
	const unsigned char *id;
	int r;

	if (fido_assert_count(assert) != 1) {
		seckey_diag_set(diag, NULL, 0, "the key sent %zu assertions "
		    "for one credential", fido_assert_count(assert));
		return SECKEY_ERR_SIGNATURE;
	}
	id = fido_assert_id_ptr(assert, 0);
	if (id != NULL && (fido_assert_id_len(assert, 0) != key->cred_id_len ||
	    CRYPTO_memcmp(id, key->cred_id, key->cred_id_len) != 0)) {
		seckey_diag_set(diag, NULL, 0, "the key answered for another "
		    "credential than the one asked for");
		return SECKEY_ERR_SIGNATURE;
	}
	if ((r = seckey_pubkey_verify(key->pubkey, assert, 0)) != SECKEY_OK) {
		seckey_diag_set(diag, NULL, 0, "the assertion signature does "
		    "not verify with the public key of \"%s\"", key->name);
		return r;
	}
	return SECKEY_OK;
}

/* The answer must be for our credential, signed, with the flags asked. */
static int
check_assertion(const fido_assert_t *assert, const struct seckey_device *dev,
    const struct seckey_key *key, const struct seckey_signin_opts *opts,
    struct seckey_diag *diag)
{
	uint8_t flags;
	int r;

	/* The flags first: a key that leaves one out is told so. */
	if (fido_assert_count(assert) == 1) {
		flags = fido_assert_flags(assert, 0);
		if ((opts->require_up && !(flags & SECKEY_FLAG_UP)) ||
		    (opts->require_uv && !(flags & SECKEY_FLAG_UV))) {
			seckey_diag_set(diag, NULL, 0, "the key did not "
			    "confirm %s (flags 0x%02x)", opts->require_uv &&
			    !(flags & SECKEY_FLAG_UV) ? "user verification" :
			    "user presence", flags);
			return SECKEY_ERR_FLAGS;
		}
	}
	if ((r = seckey_assert_check_signed(assert, key, diag)) != SECKEY_OK)
		return r;
	return check_counter(assert, dev, diag);
}

/* Build the request: fresh challenge, our rp_id, one allowed credential. */
static int
prepare_assertion(fido_assert_t *assert, const struct seckey_key *key,
    const struct seckey_signin_opts *opts)
{
	unsigned char challenge[32];
	int r = SECKEY_ERR_CRYPTO;

	if (RAND_bytes(challenge, sizeof(challenge)) != 1)
		goto fail;
	r = SECKEY_ERR_INTERNAL;
	if (fido_assert_set_clientdata_hash(assert, challenge,
	    sizeof(challenge)) != FIDO_OK ||
	    fido_assert_set_rp(assert, opts->rp_id) != FIDO_OK ||
	    fido_assert_allow_cred(assert, key->cred_id,
	    key->cred_id_len) != FIDO_OK ||
	    fido_assert_set_up(assert, opts->require_up ? FIDO_OPT_TRUE :
	    FIDO_OPT_FALSE) != FIDO_OK)
		goto fail;
	r = SECKEY_OK;
fail:
	OPENSSL_cleanse(challenge, sizeof(challenge));
	return r;
}

/* Is the key at path still plugged in? */
static bool
still_plugged(const char *path)
{
	struct seckey_diag ignored;
	char **paths = NULL;
	size_t count = 0, i;
	bool found = false;

	if (seckey_device_paths(&paths, &count, &ignored) != SECKEY_OK)
		return true;	/* cannot tell: do not claim it is gone */
	for (i = 0; i < count; i++)
		if (strcmp(paths[i], path) == 0)
			found = true;
	seckey_device_paths_free(&paths);
	return found;
}

/* A key busy with another process is asked again, while time is left. */
#define BUSY_ATTEMPTS	20

/*
 * What a failed request came to.  libfido2 reports a key that vanished
 * as a read, write or internal error, a reply that never came as a read
 * error, and a key busy with another process (CTAPHID_ERROR
 * CHANNEL_BUSY) as a read error, or an internal one inside the PIN
 * exchange.  Such a failure on a key still plugged in, before the
 * deadline, sets *busy: the request was not acted on and may be sent
 * again.
 */
static int
classify_failure(struct seckey_device *dev, int r, long long elapsed_ms,
    long long timeout_ms, bool *busy)
{
	*busy = false;
	if (r != SECKEY_ERR_DEVICE_LOST && r != SECKEY_ERR_INTERNAL &&
	    r != SECKEY_ERR_FIDO)
		return r;
	if (!still_plugged(dev->path))
		return SECKEY_ERR_DEVICE_LOST;
	if (elapsed_ms >= timeout_ms)
		return SECKEY_ERR_TIMEOUT;
	/* However slow the busy answer came (a loaded host), time is left. */
	*busy = r != SECKEY_ERR_FIDO;
	/* Plugged in and answering, but not as CTAP says. */
	return SECKEY_ERR_FIDO;
}

/* One request: a fresh challenge, the time left, the PIN. */
static int
assert_once(struct seckey_device *dev, const struct seckey_key *key,
    const struct seckey_pin *pin, const struct seckey_signin_opts *opts,
    long long left_ms, int *fido_r, fido_assert_t **assertp)
{
	int r;

	*fido_r = FIDO_OK;
	fido_assert_free(assertp);
	if ((*assertp = fido_assert_new()) == NULL)
		return SECKEY_ERR_NOMEM;
	if ((r = prepare_assertion(*assertp, key, opts)) != SECKEY_OK)
		return r;
	if (fido_dev_set_timeout(dev->dev, (int)left_ms) != FIDO_OK)
		return SECKEY_ERR_INTERNAL;
	*fido_r = fido_dev_get_assert(dev->dev, *assertp,
	    opts->require_uv ? pin->text : NULL);
	return seckey_fido_error(*fido_r);
}

/* 10 to 100 ms, different in each process, so two retries do not meet. */
#define BUSY_BACKOFF_MAX_MS	100

static void
busy_backoff(void)
{
	unsigned char jitter = 0;

	if (RAND_bytes(&jitter, 1) != 1)
		jitter = 0;
	seckey_sleep_ms(10 + jitter % (BUSY_BACKOFF_MAX_MS - 9));
}

int
seckey_authenticate(struct seckey_device *dev, const struct seckey_key *key,
    const struct seckey_pin *pin, const struct seckey_signin_opts *opts,
    struct seckey_diag *diag)
{
	fido_assert_t *assert = NULL;
	long long deadline, started, left;
	int r, fido_r, attempt;
	bool busy;

	if (opts->require_uv && pin == NULL)
		return SECKEY_ERR_INVAL;
	deadline = seckey_now_ms() + opts->timeout_ms;
	for (attempt = 1;; attempt++) {
		started = seckey_now_ms();
		left = deadline - started;
		fido_r = FIDO_OK;
		r = left > 0 ? assert_once(dev, key, pin, opts, left, &fido_r,
		    &assert) : SECKEY_ERR_TIMEOUT;
		if (r == SECKEY_OK || fido_r == FIDO_OK)
			break;
		r = classify_failure(dev, r, seckey_now_ms() - started, left,
		    &busy);
		if (!busy || attempt == BUSY_ATTEMPTS ||
		    deadline - seckey_now_ms() <= BUSY_BACKOFF_MAX_MS)
			break;
		busy_backoff();
	}
	if (r == SECKEY_OK) {
		if ((r = check_assertion(assert, dev, key, opts,
		    diag)) == SECKEY_OK)
			dev->assert_count = fido_assert_sigcount(assert, 0);
	} else {
		if (r == SECKEY_ERR_TIMEOUT)
			(void)fido_dev_cancel(dev->dev); /* stop the blinking */
		seckey_diag_set(diag, NULL, 0, "assertion with \"%s\" failed: "
		    "%s", key->name, fido_r != FIDO_OK ? fido_strerr(fido_r) :
		    seckey_strerror(r));
	}
	fido_assert_free(&assert);
	return r;
}

int
seckey_pin_retries(struct seckey_device *dev)
{
	int retries = -1, fido_r;

	if ((fido_r = fido_dev_get_retry_count(dev->dev, &retries)) != FIDO_OK)
		return seckey_fido_error(fido_r) != SECKEY_OK ?
		    seckey_fido_error(fido_r) : SECKEY_ERR_FIDO;
	return retries < 0 ? SECKEY_ERR_FIDO : retries;
}
