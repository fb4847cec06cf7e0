/*
 * seckey_probe.c: finding which plugged key holds one of the user's
 * credentials, without asking for anything.
 *
 * A probe is a getAssertion with up=false: the key answers at once,
 * either with one of the allowed credentials or with NO_CREDENTIALS, and
 * neither blinks nor waits for a touch.  A key takes only so many
 * credential ids in one request (maxCredentialCountInList); libfido2
 * reads that number when it opens a key but does not keep it, and asking
 * again costs a getInfo.  So a probe sends at most PROBE_LIST_MAX ids,
 * what the keys most in use take, and asks for getInfo only when a key
 * refuses that many: a list of up to 8 costs one command, a list of 10
 * costs two on any key that takes 8.
 *
 * An answer counts only if it is signed by the registered public key of
 * the credential it names, over the probe's own random client data hash
 * and our rp_id.  Any device can answer "yes" for an id it was sent; the
 * one that is then chosen gets the PIN protocol, and from it
 * LEFT(SHA-256(PIN), 16), which no 4 to 8 digit PIN survives.  A device
 * whose answer does not verify is skipped as if it held none of the
 * credentials, and the caller is told.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>

#include "seckey_assert.h"
#include "seckey_fido_err.h"
#include "seckey_probe.h"
#include "seckey_time.h"

#define PROBE_POLL_MS	200
/*
 * The most credential ids a probe sends before the key says how many it
 * takes: a YubiKey 5 takes 8 (firmware 5.4 and 5.6 say so).  Sending more
 * would save a command on keys that take 10, and cost two (the refused
 * request and the getInfo) on every key that takes 8.
 */
#define PROBE_LIST_MAX	8

/* Probe dev with list->keys[first .. first + count - 1]. */
static int
probe_range(struct seckey_device *dev, const char *rp_id,
    const struct seckey_keylist *list, size_t first, size_t count,
    const struct seckey_key **keyp, int *fido_r, struct seckey_diag *diag)
{
	unsigned char cdh[32];
	fido_assert_t *assert = NULL;
	const struct seckey_key *key;
	size_t i;
	int r = SECKEY_ERR_NOMEM;

	*fido_r = FIDO_OK;
	if ((assert = fido_assert_new()) == NULL)
		goto fail;
	r = SECKEY_ERR_CRYPTO;
	if (RAND_bytes(cdh, sizeof(cdh)) != 1)
		goto fail;
	r = SECKEY_ERR_INTERNAL;
	if (fido_assert_set_clientdata_hash(assert, cdh, sizeof(cdh)) !=
	    FIDO_OK || fido_assert_set_rp(assert, rp_id) != FIDO_OK ||
	    fido_assert_set_up(assert, FIDO_OPT_FALSE) != FIDO_OK)
		goto fail;
	for (i = first; i < first + count; i++) {
		key = list->keys[i];
		if (fido_assert_allow_cred(assert, key->cred_id,
		    key->cred_id_len) != FIDO_OK)
			goto fail;
	}
	if ((*fido_r = fido_dev_get_assert(dev->dev, assert, NULL)) != FIDO_OK) {
		r = seckey_fido_error(*fido_r);
		goto fail;
	}
	/* CTAP lets a key omit the id when the allow list has one entry. */
	if (fido_assert_count(assert) != 1)
		key = NULL;
	else if (fido_assert_id_ptr(assert, 0) == NULL && count == 1)
		key = list->keys[first];
	else
		key = seckey_keylist_find_cred(list, fido_assert_id_ptr(assert,
		    0), fido_assert_id_len(assert, 0));
	r = SECKEY_ERR_FIDO;
	if (key == NULL)
		goto fail;	/* an answer for a credential we never sent */
	if ((r = seckey_assert_check_signed(assert, key, diag)) != SECKEY_OK) {
		if (r == SECKEY_ERR_SIGNATURE)
			seckey_diag_set(diag, NULL, 0, "security key at %s "
			    "answered the probe for \"%s\" with a signature "
			    "that does not verify", dev->path, key->name);
		goto fail;
	}
	dev->probed = true;
	dev->probe_count = fido_assert_sigcount(assert, 0);
	*keyp = key;
	r = SECKEY_OK;
fail:
	fido_assert_free(&assert);
	return r;
}

/*
 * maxCredentialCountInList of dev, from a getInfo; 1 if it gives none.
 * The model it reports is kept too: the sign-in may ask for it next.
 */
static size_t
max_list_len(struct seckey_device *dev)
{
	fido_cbor_info_t *info;
	uint64_t max = 1;

	if ((info = fido_cbor_info_new()) == NULL)
		return 1;
	if (fido_dev_get_cbor_info(dev->dev, info) != FIDO_OK)
		goto out;
	if (fido_cbor_info_maxcredcntlst(info) > 0)
		max = fido_cbor_info_maxcredcntlst(info);
	if (seckey_aaguid_from_bytes(fido_cbor_info_aaguid_ptr(info),
	    fido_cbor_info_aaguid_len(info), &dev->aaguid) == SECKEY_OK)
		dev->have_aaguid = true;
out:
	fido_cbor_info_free(&info);
	return max > SECKEY_MAX_KEYS ? SECKEY_MAX_KEYS : (size_t)max;
}

/*
 * How many ids to send after a key refused chunk of them: its own limit
 * when that explains the refusal, else one at a time (an older key that
 * counts bytes, not ids), which every key takes.
 */
static size_t
smaller_chunk(struct seckey_device *dev, size_t chunk)
{
	size_t max = max_list_len(dev);

	return max < chunk ? max : 1;
}

int
seckey_probe(struct seckey_device *dev, const char *rp_id,
    const struct seckey_keylist *list, const struct seckey_key **keyp,
    struct seckey_diag *diag)
{
	size_t chunk, first = 0;
	bool asked = false;
	int fido_r = FIDO_OK, r = SECKEY_ERR_NO_CREDENTIAL;

	*keyp = NULL;
	chunk = list->count < PROBE_LIST_MAX ? list->count : PROBE_LIST_MAX;
	while (first < list->count) {
		if (chunk > list->count - first)
			chunk = list->count - first;
		r = probe_range(dev, rp_id, list, first, chunk, keyp, &fido_r,
		    diag);
		if (r == SECKEY_ERR_NO_CREDENTIAL) {
			first += chunk;
			continue;
		}
		/*
		 * Found, lying (the rest of its answers are worth no more),
		 * gone, or refused when it cannot be the length.
		 */
		if (r == SECKEY_OK || r == SECKEY_ERR_SIGNATURE ||
		    r == SECKEY_ERR_DEVICE_LOST || r == SECKEY_ERR_NOMEM ||
		    chunk == 1 || asked)
			break;
		chunk = smaller_chunk(dev, chunk);
		asked = true;
	}
	if (r != SECKEY_OK && r != SECKEY_ERR_NO_CREDENTIAL &&
	    r != SECKEY_ERR_SIGNATURE)
		seckey_diag_set(diag, NULL, 0, "probe of security key %s "
		    "failed: %s", dev->path, fido_r != FIDO_OK ?
		    fido_strerr(fido_r) : seckey_strerror(r));
	return r;
}

static bool
path_in(char **paths, const char *path)
{
	size_t i;

	for (i = 0; paths != NULL && paths[i] != NULL; i++)
		if (strcmp(paths[i], path) == 0)
			return true;
	return false;
}

/* Paths of plugged keys, NULL-terminated. */
struct pathset {
	char	*paths[SECKEY_DEVICES_MAX + 1];
	size_t	 count;
};

/* One search for a key holding a credential of list. */
struct search {
	const struct seckey_keylist	*list;
	const struct seckey_signin_opts	*opts;
	long long			 deadline;
	struct pathset			 holds_none;	/* "none of these" */
	struct pathset			 lied;		/* did not verify */
};

static void
pathset_add(struct pathset *set, const char *path)
{
	if (set->count < SECKEY_DEVICES_MAX &&
	    (set->paths[set->count] = strdup(path)) != NULL)
		set->count++;
}

/*
 * Open and probe the key at path within the time left.  Only a definite
 * answer ("none of these", or a claim that does not verify) keeps a key
 * from being asked again while it stays plugged in: a key busy with
 * another process, or slow to wake, is tried again at the next poll.
 */
static int
probe_one(struct search *s, const char *path, struct seckey_device **devp,
    const struct seckey_key **keyp, struct seckey_diag *diag)
{
	struct seckey_device *dev = NULL;
	long long left = s->deadline - seckey_now_ms();
	int r;

	if (left <= 0)
		return SECKEY_ERR_NO_DEVICE;
	/*
	 * "U2F only" is not final either: libfido2 falls back to U2F when
	 * the getInfo of opening fails, as it does on a busy key.
	 */
	r = seckey_device_open(path, left < SECKEY_OPEN_TIMEOUT_MS ? (int)left :
	    SECKEY_OPEN_TIMEOUT_MS, &dev, diag);
	if (r != SECKEY_OK)
		return r == SECKEY_ERR_NOMEM ? r : SECKEY_ERR_NO_DEVICE;
	/* A probe needs no touch; it gets the time left, no more. */
	left = s->deadline - seckey_now_ms();
	if (left <= 0 || fido_dev_set_timeout(dev->dev, (int)left) != FIDO_OK)
		r = SECKEY_ERR_NO_DEVICE;
	else
		r = seckey_probe(dev, s->opts->rp_id, s->list, keyp, diag);
	if (r == SECKEY_OK) {
		*devp = dev;
		return SECKEY_OK;
	}
	seckey_device_free(&dev);
	if (r == SECKEY_ERR_NO_CREDENTIAL)
		pathset_add(&s->holds_none, path);
	if (r == SECKEY_ERR_SIGNATURE) {
		pathset_add(&s->lied, path);
		if (s->opts->probe_refused != NULL)
			s->opts->probe_refused(s->opts->ctx, diag->msg);
	}
	return r == SECKEY_ERR_NOMEM ? r : SECKEY_ERR_NO_DEVICE;
}

/* Forget keys that were pulled out: plugged in again, they are new. */
static void
forget_unplugged(struct pathset *set, char **plugged)
{
	size_t i = 0;

	while (i < set->count) {
		if (path_in(plugged, set->paths[i])) {
			i++;
			continue;
		}
		free(set->paths[i]);
		set->paths[i] = set->paths[--set->count];
		set->paths[set->count] = NULL;
	}
}

static void
pathset_free(struct pathset *set)
{
	size_t i;

	for (i = 0; i < set->count; i++)
		free(set->paths[i]);
	set->count = 0;
}

/* Probe every plugged key not known to hold none of our credentials. */
static int
probe_round(struct search *s, struct seckey_device **devp,
    const struct seckey_key **keyp, struct seckey_diag *diag)
{
	char **plugged = NULL;
	size_t nplugged, i;
	int r;

	if ((r = seckey_device_paths(&plugged, &nplugged, diag)) != SECKEY_OK)
		return r;
	forget_unplugged(&s->holds_none, plugged);
	forget_unplugged(&s->lied, plugged);
	r = SECKEY_ERR_NO_DEVICE;
	for (i = 0; i < nplugged && r == SECKEY_ERR_NO_DEVICE; i++)
		if (!path_in(s->holds_none.paths, plugged[i]) &&
		    !path_in(s->lied.paths, plugged[i]))
			r = probe_one(s, plugged[i], devp, keyp, diag);
	seckey_device_paths_free(&plugged);
	return r;
}

int
seckey_find_device(const struct seckey_keylist *list,
    const struct seckey_signin_opts *opts, struct seckey_device **devp,
    const struct seckey_key **keyp, struct seckey_diag *diag)
{
	struct search s;
	long long left;
	bool told = false;
	int r;

	memset(&s, 0, sizeof(s));
	s.list = list;
	s.opts = opts;
	s.deadline = seckey_now_ms() + opts->timeout_ms;
	*devp = NULL;
	*keyp = NULL;
	for (;;) {
		r = probe_round(&s, devp, keyp, diag);
		left = s.deadline - seckey_now_ms();
		if (r != SECKEY_ERR_NO_DEVICE || left <= 0 || opts->no_wait)
			break;
		/* Said once, then the user has the whole timeout to act. */
		if (!told && opts->waiting != NULL)
			opts->waiting(opts->ctx);
		told = true;
		seckey_sleep_ms(left < PROBE_POLL_MS ? left : PROBE_POLL_MS);
	}
	if (r == SECKEY_ERR_NO_DEVICE) {
		if (opts->no_wait)
			seckey_diag_set(diag, NULL, 0, "no security key "
			    "plugged in holds a registered credential");
		else
			seckey_diag_set(diag, NULL, 0, "no security key "
			    "holding a registered credential was found within "
			    "%d s", opts->timeout_ms / 1000);
		/* A key that lied says nothing of the user's own keys. */
		if (s.holds_none.count > 0)
			r = SECKEY_ERR_NO_CREDENTIAL;
	}
	pathset_free(&s.holds_none);
	pathset_free(&s.lied);
	return r;
}
