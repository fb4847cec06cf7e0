/*
 * seckey_discover.c: the assertion with an empty allow list, and the
 * checks that turn one of its answers into a sign-in (seckey_discover.h).
 *
 * Anyone can make a discoverable credential for any rp_id, with any
 * user handle and any user name, on a key of their own (fido2-cred -r
 * does): what the key says about an account proves nothing.  So an
 * answer counts only when the claimed account's own key list holds its
 * credential id with the same user handle, and the signature verifies
 * with the public key that list registered.
 */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "seckey_authdata.h"
#include "seckey_credman.h"
#include "seckey_discover.h"
#include "seckey_fido_err.h"
#include "seckey_handles.h"
#include "seckey_pubkey.h"
#include "seckey_register.h"
#include "seckey_time.h"

#define DISCOVER_POLL_MS	200
/* How long each key is listened to in turn while the user chooses one. */
#define SELECT_POLL_MS		50

struct seckey_discovery {
	fido_assert_t	*assert;
	char		**names;	/* count entries, NULL: none given */
	enum seckey_name_source *sources; /* count: where names[i] came from */
	size_t		 count;
};

/* Open the key at path if it can hold discoverable credentials. */
static int
open_capable(const char *path, long long left,
    struct seckey_device **devp, struct seckey_diag *diag)
{
	struct seckey_device *dev = NULL;
	int r;

	r = seckey_device_open(path, left < SECKEY_OPEN_TIMEOUT_MS ? (int)left :
	    SECKEY_OPEN_TIMEOUT_MS, &dev, diag);
	if (r != SECKEY_OK)
		return r == SECKEY_ERR_NOMEM ? r : SECKEY_ERR_NO_DEVICE;
	if (!seckey_device_can_discover(dev)) {
		seckey_device_free(&dev);
		return SECKEY_ERR_NO_DEVICE;
	}
	*devp = dev;
	return SECKEY_OK;
}

/* The keys of one look, the capable ones open. */
struct capable {
	struct seckey_device	*devs[SECKEY_DISCOVER_KEYS_MAX];
	bool			 waiting[SECKEY_DISCOVER_KEYS_MAX];
	size_t			 count;
};

static void
capable_free(struct capable *keys)
{
	size_t i;

	for (i = 0; i < keys->count; i++)
		seckey_device_free(&keys->devs[i]);
	keys->count = 0;
}

/* One look at the plugged keys: every capable one, opened. */
static int
discover_round(long long deadline, struct capable *keys,
    struct seckey_diag *diag)
{
	char **paths = NULL;
	size_t count = 0, i;
	long long left;
	int r;

	if ((r = seckey_device_paths(&paths, &count, diag)) != SECKEY_OK)
		return r;
	for (i = 0; i < count && keys->count < SECKEY_DISCOVER_KEYS_MAX &&
	    r != SECKEY_ERR_NOMEM; i++) {
		if ((left = deadline - seckey_now_ms()) <= 0)
			break;
		r = open_capable(paths[i], left, &keys->devs[keys->count],
		    diag);
		if (r == SECKEY_OK)
			keys->count++;
	}
	seckey_device_paths_free(&paths);
	if (r == SECKEY_ERR_NOMEM)
		return r;
	return keys->count > 0 ? SECKEY_OK : SECKEY_ERR_NO_DEVICE;
}

/* Ask every key for a touch; those that cannot ask are left out. */
static size_t
touch_begin(struct capable *keys)
{
	size_t i, asked = 0;

	for (i = 0; i < keys->count; i++) {
		keys->waiting[i] = fido_dev_get_touch_begin(keys->devs[i]->dev) ==
		    FIDO_OK;
		asked += keys->waiting[i];
	}
	return asked;
}

/* Poll the keys asked until one is touched; its index, or count. */
static size_t
touched_key(struct capable *keys, long long deadline)
{
	size_t i, asked;
	int touched;

	do {
		asked = 0;
		for (i = 0; i < keys->count; i++) {
			if (!keys->waiting[i])
				continue;
			touched = 0;
			/* An error: the key was pulled out, or gave up. */
			if (fido_dev_get_touch_status(keys->devs[i]->dev,
			    &touched, SELECT_POLL_MS) != FIDO_OK)
				keys->waiting[i] = false;
			else if (touched)
				return i;
			asked += keys->waiting[i];
		}
	} while (asked > 0 && seckey_now_ms() < deadline);
	return keys->count;
}

/*
 * Several capable keys: the one the user touches (CTAP 2.1
 * authenticatorSelection, or what libfido2 sends an older key to the
 * same end).  The others are told to stop waiting, and closed.
 */
static int
select_by_touch(struct capable *keys, const struct seckey_signin_opts *opts,
    long long deadline, struct seckey_device **devp, struct seckey_diag *diag)
{
	size_t chosen = keys->count, i;

	if (touch_begin(keys) > 0) {
		if (opts->selecting != NULL)
			opts->selecting(opts->ctx);
		chosen = touched_key(keys, deadline);
	}
	for (i = 0; i < keys->count; i++)
		if (i != chosen && keys->waiting[i])
			(void)fido_dev_cancel(keys->devs[i]->dev);
	if (chosen == keys->count) {
		seckey_diag_set(diag, NULL, 0, "%zu security keys that can hold "
		    "discoverable credentials are plugged in, and none was "
		    "touched to choose one within %d s", keys->count,
		    opts->timeout_ms / 1000);
		return SECKEY_ERR_TIMEOUT;
	}
	*devp = keys->devs[chosen];
	keys->devs[chosen] = keys->devs[keys->count - 1];
	keys->count--;
	return SECKEY_OK;
}

int
seckey_discover_device(const struct seckey_signin_opts *opts,
    struct seckey_device **devp, struct seckey_diag *diag)
{
	long long deadline = seckey_now_ms() + opts->timeout_ms, left;
	struct capable keys;
	bool told = false;
	int r;

	*devp = NULL;
	memset(&keys, 0, sizeof(keys));
	for (;;) {
		r = discover_round(deadline, &keys, diag);
		left = deadline - seckey_now_ms();
		if (r != SECKEY_ERR_NO_DEVICE || left <= 0 || opts->no_wait)
			break;
		if (!told && opts->waiting != NULL)
			opts->waiting(opts->ctx);
		told = true;
		seckey_sleep_ms(left < DISCOVER_POLL_MS ? left :
		    DISCOVER_POLL_MS);
	}
	if (r == SECKEY_ERR_NO_DEVICE)
		seckey_diag_set(diag, NULL, 0, "no security key that can hold "
		    "discoverable credentials was found within %d s",
		    opts->timeout_ms / 1000);
	if (r == SECKEY_OK && keys.count == 1) {
		*devp = keys.devs[0];
		keys.count = 0;
	} else if (r == SECKEY_OK)
		r = select_by_touch(&keys, opts, deadline, devp, diag);
	capable_free(&keys);
	return r;
}

/* A fresh challenge, our rp_id, no allow list. */
static int
prepare(fido_assert_t *assert, const struct seckey_signin_opts *opts)
{
	unsigned char challenge[32];
	int r = SECKEY_ERR_CRYPTO;

	if (RAND_bytes(challenge, sizeof(challenge)) != 1)
		goto out;
	r = SECKEY_ERR_INTERNAL;
	if (fido_assert_set_clientdata_hash(assert, challenge,
	    sizeof(challenge)) != FIDO_OK ||
	    fido_assert_set_rp(assert, opts->rp_id) != FIDO_OK ||
	    fido_assert_set_up(assert, opts->require_up ? FIDO_OPT_TRUE :
	    FIDO_OPT_FALSE) != FIDO_OK)
		goto out;
	r = SECKEY_OK;
out:
	OPENSSL_cleanse(challenge, sizeof(challenge));
	return r;
}

/* Every answer names a credential and a user handle, or none counts. */
static int
check_answers(const fido_assert_t *assert, struct seckey_diag *diag)
{
	size_t i;

	for (i = 0; i < fido_assert_count(assert); i++)
		if (fido_assert_id_ptr(assert, i) == NULL ||
		    fido_assert_id_len(assert, i) == 0 ||
		    fido_assert_user_id_ptr(assert, i) == NULL ||
		    fido_assert_user_id_len(assert, i) == 0) {
			seckey_diag_set(diag, NULL, 0, "the security key's "
			    "answer %zu names no credential or user handle",
			    i + 1);
			return SECKEY_ERR_FIDO;
		}
	return fido_assert_count(assert) > 0 ? SECKEY_OK : SECKEY_ERR_FIDO;
}

/* The name of the on-key credential cred_id in list, or NULL. */
static const char *
kcred_name(const struct seckey_kcred_list *list, const unsigned char *cred_id,
    size_t len)
{
	size_t i;

	for (i = 0; list != NULL && i < list->count; i++)
		if (list->creds[i].cred_id_len == len &&
		    memcmp(list->creds[i].cred_id, cred_id, len) == 0)
			return list->creds[i].user_name;
	return NULL;
}

/* Answer i's name from the index into disc->names[i], if it has one. */
static void
indexed_name(struct seckey_discovery *disc, size_t i, const char *state_dir,
    const char *rp_id)
{
	struct seckey_diag ignored;

	/* A hint only: a record that cannot be read is no record. */
	seckey_diag_clear(&ignored);
	if (state_dir != NULL && seckey_handles_lookup(state_dir, rp_id,
	    fido_assert_user_id_ptr(disc->assert, i),
	    fido_assert_user_id_len(disc->assert, i), &disc->names[i],
	    &ignored) == SECKEY_OK)
		disc->sources[i] = SECKEY_NAME_INDEX;
}

/*
 * Answer i's name as the key gives it into disc->names[i]: with the
 * assertion, else from credential management (its list fetched once,
 * into *kcreds).  A key that gives neither leaves the name NULL, and
 * that answer cannot sign anyone in.
 */
static int
key_name(struct seckey_discovery *disc, size_t i, struct seckey_device *dev,
    const struct seckey_pin *pin, const struct seckey_signin_opts *opts,
    struct seckey_kcred_list **kcreds, struct seckey_diag *diag)
{
	const char *name;
	int r;

	free(disc->names[i]);
	disc->names[i] = NULL;
	disc->sources[i] = SECKEY_NAME_NONE;
	name = fido_assert_user_name(disc->assert, i);
	if (name == NULL && *kcreds == NULL && pin != NULL &&
	    (r = seckey_credman_list_rp(dev, pin, opts->rp_id,
	    opts->timeout_ms, kcreds, diag)) != SECKEY_OK)
		return r;
	if (name == NULL)
		name = kcred_name(*kcreds, fido_assert_id_ptr(disc->assert, i),
		    fido_assert_id_len(disc->assert, i));
	if (name == NULL)
		return SECKEY_OK;
	if ((disc->names[i] = strdup(name)) == NULL)
		return SECKEY_ERR_NOMEM;
	disc->sources[i] = fido_assert_user_name(disc->assert, i) != NULL ?
	    SECKEY_NAME_ASSERTION : SECKEY_NAME_CREDMAN;
	return SECKEY_OK;
}

/*
 * The user names: the assertion's when the key gives them (several
 * accounts: they cost nothing more); else the index's; else credential
 * management's, which costs a second PIN token and an enumeration.
 */
static int
fill_names(struct seckey_discovery *disc, struct seckey_device *dev,
    const struct seckey_pin *pin, const struct seckey_signin_opts *opts,
    const char *state_dir, struct seckey_diag *diag)
{
	struct seckey_kcred_list *kcreds = NULL;
	size_t i;
	int r = SECKEY_OK;

	if ((disc->names = calloc(disc->count, sizeof(char *))) == NULL ||
	    (disc->sources = calloc(disc->count,
	    sizeof(*disc->sources))) == NULL)
		return SECKEY_ERR_NOMEM;
	for (i = 0; i < disc->count && r == SECKEY_OK; i++) {
		if (fido_assert_user_name(disc->assert, i) == NULL)
			indexed_name(disc, i, state_dir, opts->rp_id);
		if (disc->names[i] == NULL)
			r = key_name(disc, i, dev, pin, opts, &kcreds, diag);
	}
	seckey_kcred_list_free(&kcreds);
	return r;
}

int
seckey_discovery_ask_key(struct seckey_discovery *disc, size_t i,
    struct seckey_device *dev, const struct seckey_pin *pin,
    const struct seckey_signin_opts *opts, struct seckey_diag *diag)
{
	struct seckey_kcred_list *kcreds = NULL;
	int r;

	if (disc == NULL || i >= disc->count)
		return SECKEY_ERR_INVAL;
	r = key_name(disc, i, dev, pin, opts, &kcreds, diag);
	seckey_kcred_list_free(&kcreds);
	return r;
}

int
seckey_discover(struct seckey_device *dev, const struct seckey_pin *pin,
    const struct seckey_signin_opts *opts, const char *state_dir,
    struct seckey_discovery **discp, struct seckey_diag *diag)
{
	struct seckey_discovery *disc = NULL;
	int r = SECKEY_ERR_NOMEM, fido_r = FIDO_OK;

	*discp = NULL;
	if ((disc = calloc(1, sizeof(*disc))) == NULL ||
	    (disc->assert = fido_assert_new()) == NULL)
		goto fail;
	if ((r = prepare(disc->assert, opts)) != SECKEY_OK)
		goto fail;
	r = SECKEY_ERR_INTERNAL;
	if (fido_dev_set_timeout(dev->dev, opts->timeout_ms) != FIDO_OK)
		goto fail;
	fido_r = fido_dev_get_assert(dev->dev, disc->assert,
	    opts->require_uv && pin != NULL ? pin->text : NULL);
	if ((r = seckey_fido_error(fido_r)) != SECKEY_OK) {
		if (r == SECKEY_ERR_TIMEOUT)
			(void)fido_dev_cancel(dev->dev);
		seckey_diag_set(diag, NULL, 0, "assertion without an allow "
		    "list on security key %s failed: %s", dev->path,
		    fido_strerr(fido_r));
		goto fail;
	}
	if ((r = check_answers(disc->assert, diag)) != SECKEY_OK)
		goto fail;
	disc->count = fido_assert_count(disc->assert);
	if ((r = fill_names(disc, dev, pin, opts, state_dir, diag)) != SECKEY_OK)
		goto fail;
	*discp = disc;
	disc = NULL;
fail:
	seckey_discovery_free(&disc);
	return r;
}

size_t
seckey_discovery_count(const struct seckey_discovery *disc)
{
	return disc != NULL ? disc->count : 0;
}

const char *
seckey_discovery_user_name(const struct seckey_discovery *disc, size_t i)
{
	return disc != NULL && i < disc->count ? disc->names[i] : NULL;
}

enum seckey_name_source
seckey_discovery_name_source(const struct seckey_discovery *disc, size_t i)
{
	return disc != NULL && i < disc->count ? disc->sources[i] :
	    SECKEY_NAME_NONE;
}

const unsigned char *
seckey_discovery_user_handle(const struct seckey_discovery *disc, size_t i,
    size_t *lenp)
{
	*lenp = fido_assert_user_id_len(disc->assert, i);
	return fido_assert_user_id_ptr(disc->assert, i);
}

const unsigned char *
seckey_discovery_cred_id(const struct seckey_discovery *disc, size_t i,
    size_t *lenp)
{
	*lenp = fido_assert_id_len(disc->assert, i);
	return fido_assert_id_ptr(disc->assert, i);
}

static bool
same_bytes(const unsigned char *a, size_t a_len, const unsigned char *b,
    size_t b_len)
{
	return a != NULL && b != NULL && a_len == b_len &&
	    CRYPTO_memcmp(a, b, a_len) == 0;
}

int
seckey_discovery_check(const struct seckey_discovery *disc, size_t i,
    const struct seckey_key *key, const struct seckey_signin_opts *opts,
    struct seckey_device *dev, struct seckey_diag *diag)
{
	const fido_assert_t *assert = disc->assert;
	uint8_t flags;

	if (i >= disc->count)
		return SECKEY_ERR_INVAL;
	if (!same_bytes(fido_assert_id_ptr(assert, i), fido_assert_id_len(
	    assert, i), key->cred_id, key->cred_id_len) ||
	    !same_bytes(fido_assert_user_id_ptr(assert, i),
	    fido_assert_user_id_len(assert, i), key->user_handle,
	    key->user_handle_len)) {
		seckey_diag_set(diag, NULL, 0, "the key list entry \"%s\" holds "
		    "another credential or user handle than the key answered "
		    "with", key->name);
		return SECKEY_ERR_NOT_OWNER;
	}
	flags = fido_assert_flags(assert, i);
	if ((opts->require_up && !(flags & SECKEY_FLAG_UP)) ||
	    (opts->require_uv && !(flags & SECKEY_FLAG_UV))) {
		seckey_diag_set(diag, NULL, 0, "the key did not confirm %s "
		    "(flags 0x%02x)", opts->require_uv && !(flags &
		    SECKEY_FLAG_UV) ? "user verification" : "user presence",
		    flags);
		return SECKEY_ERR_FLAGS;
	}
	if (seckey_pubkey_verify(key->pubkey, assert, i) != SECKEY_OK) {
		seckey_diag_set(diag, NULL, 0, "the assertion signature does "
		    "not verify with the public key of \"%s\"", key->name);
		return SECKEY_ERR_SIGNATURE;
	}
	dev->assert_count = fido_assert_sigcount(assert, i);
	return SECKEY_OK;
}

void
seckey_discovery_free(struct seckey_discovery **discp)
{
	struct seckey_discovery *disc;
	size_t i;

	if (discp == NULL || (disc = *discp) == NULL)
		return;
	for (i = 0; disc->names != NULL && i < disc->count; i++)
		free(disc->names[i]);
	free(disc->names);
	free(disc->sources);
	fido_assert_free(&disc->assert);
	free(disc);
	*discp = NULL;
}
