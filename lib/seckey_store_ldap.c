/*
 * seckey_store_ldap.c: the "ldap" key store: the list is what the
 * shipped reader seckey-keys-ldap finds in the directory for the user,
 * run through seckey_command.c as keys_command_user with ldap_conf, and
 * kept in the offline cache (seckey_keycache.h) for when the directory
 * does not answer.  Read-only for now: changes are made in the
 * directory.
 *
 * The reader's exit status says what its answer is worth: a list (0),
 * no such user (10, an empty list), no answer (11, or a timeout, a
 * signal, any other status), a broken configuration (12), or an answer
 * it refused (13).  Only "no answer" falls back to the cache: a refused
 * answer may be a user's own doing, and the cache would let them keep a
 * key the administrator removed.  Only root uses the cache: it is
 * root's, and a caller that is not root (a screen locker) gets the
 * directory's answer or none.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "seckey_command.h"
#include "seckey_keycache.h"
#include "seckey_store_backend.h"

#ifndef SECKEY_KEYS_LDAP
#define SECKEY_KEYS_LDAP	"/usr/local/libexec/seckey/seckey-keys-ldap"
#endif

/* "seckey-keys-ldap --conf PATH USER" and the NULL. */
#define READER_ARGC	4

struct ldap_state {
	char			*argv[READER_ARGC + 1];
	struct seckey_command	 cmd;
	char			*cache;		/* NULL: no offline cache */
	unsigned int		 cache_max_age;
};

static const struct seckey_command_exit reader_exits[] = {
	{ SECKEY_READER_EXIT_FOUND,	SECKEY_OK },
	{ SECKEY_READER_EXIT_NO_USER,	SECKEY_ERR_NOENT },
	{ SECKEY_READER_EXIT_UNAVAIL,	SECKEY_ERR_UNAVAIL },
	{ SECKEY_READER_EXIT_CONFIG,	SECKEY_ERR_CONFIG },
	{ SECKEY_READER_EXIT_REFUSED,	SECKEY_ERR_REFUSED },
};

static int
fill_argv(struct ldap_state *state, const struct seckey_policy *policy,
    const char *user)
{
	const char *args[READER_ARGC] = {
		SECKEY_KEYS_LDAP, "--conf", policy->ldap_conf, user
	};
	size_t i;

	for (i = 0; i < READER_ARGC; i++)
		if ((state->argv[i] = strdup(args[i])) == NULL)
			return SECKEY_ERR_NOMEM;

	return SECKEY_OK;
}

static int
ldap_open(struct seckey_store *store, const struct seckey_policy *policy,
    struct seckey_diag *diag)
{
	struct ldap_state *state;
	int r = SECKEY_ERR_NOMEM;

	if ((state = calloc(1, sizeof(*state))) == NULL)
		goto fail;
	store->state = state;
	if (fill_argv(state, policy, store->user->name) != SECKEY_OK ||
	    (store->where = strdup(SECKEY_KEYS_LDAP)) == NULL)
		goto fail;
	/* Only root keeps or trusts the cache (see the file's header). */
	if (geteuid() == 0 && policy->keys_cache_max_age > 0 &&
	    (state->cache = strdup(policy->keys_cache)) == NULL)
		goto fail;
	state->cache_max_age = policy->keys_cache_max_age;
	state->cmd.argv = state->argv;
	state->cmd.timeout_ms = policy->keys_command_timeout * 1000;
	state->cmd.exits = reader_exits;
	state->cmd.exits_len = sizeof(reader_exits) / sizeof(reader_exits[0]);
	r = seckey_command_run_as(&state->cmd, policy->keys_command_user, diag);
fail:
	if (r == SECKEY_ERR_NOMEM)
		seckey_diag_set(diag, NULL, 0, "out of memory");

	return r;
}

static void
ldap_close(struct seckey_store *store)
{
	struct ldap_state *state = store->state;
	size_t i;

	if (state == NULL)
		return;
	for (i = 0; i < READER_ARGC; i++)
		free(state->argv[i]);
	free(state->cache);
	free(state);
	store->state = NULL;
}

/* The directory's answer: a list, maybe empty, or why there is none. */
static int
ask_reader(struct seckey_store *store, unsigned int max_keys,
    struct seckey_keylist **listp, struct seckey_diag *diag)
{
	struct ldap_state *state = store->state;
	int r;

	/* The reader prints the key-list syntax only. */
	r = seckey_store_run_reader(store, &state->cmd, false, max_keys, listp,
	    diag);
	if (r != SECKEY_ERR_NOENT)
		return r;

	/* No such user in the directory: no keys. */
	return seckey_store_empty_list(listp, diag);
}

/*
 * The directory did not answer (why_code, why in diag): the cached
 * answer if it is young enough, with a warning that says so, else the
 * directory's fault, with what is wrong with the cache.
 */
static int
answer_offline(struct seckey_store *store, int why_code, unsigned int max_keys,
    struct seckey_keylist **listp, struct seckey_diag *diag)
{
	struct ldap_state *state = store->state;
	struct seckey_diag cache_diag;
	long long age = 0;
	size_t len;
	int r;

	seckey_diag_clear(&cache_diag);
	r = seckey_keycache_load(state->cache, store->user->name, max_keys,
	    state->cache_max_age, time(NULL), listp, &age, &cache_diag);
	if (r == SECKEY_OK) {
		snprintf(store->warning, sizeof(store->warning), "the "
		    "directory is unavailable (%s%s%s); using the "
		    "offline cache, written %lld seconds ago", diag->file,
		    diag->file[0] != '\0' ? ": " : "", diag->msg, age);
		seckey_diag_clear(diag);
		return SECKEY_OK;
	}
	if (r == SECKEY_ERR_NOENT) {
		/* The directory's reason stands; say there was no cache. */
		len = strlen(diag->msg);
		snprintf(diag->msg + len, sizeof(diag->msg) - len,
		    "; no offline cache");
		return why_code;
	}
	*diag = cache_diag;

	return r == SECKEY_ERR_NOMEM ? r : SECKEY_ERR_UNAVAIL;
}

/* Keep a good answer; a cache that cannot be written is only a warning. */
static void
save_answer(struct seckey_store *store, const struct seckey_keylist *list)
{
	struct ldap_state *state = store->state;
	struct seckey_diag diag;

	seckey_diag_clear(&diag);
	if (seckey_keycache_save(state->cache, store->user->name, list,
	    time(NULL), &diag) != SECKEY_OK)
		snprintf(store->warning, sizeof(store->warning), "the offline "
		    "cache was not updated: %s%s%s", diag.file,
		    diag.file[0] != '\0' ? ": " : "", diag.msg);
}

static int
ldap_read(struct seckey_store *store, unsigned int max_keys,
    struct seckey_keylist **listp, struct seckey_diag *diag)
{
	struct ldap_state *state = store->state;
	struct seckey_diag local;
	int r;

	if (diag == NULL) {
		seckey_diag_clear(&local);
		diag = &local;
	}
	if (state->cache != NULL &&
	    seckey_keycache_backoff_active(state->cache, time(NULL))) {
		seckey_diag_set(diag, store->where, 0, "timed out less than "
		    "%d seconds ago: not asked again yet",
		    SECKEY_KEYCACHE_BACKOFF);
		return answer_offline(store, SECKEY_ERR_TIMEOUT, max_keys,
		    listp, diag);
	}
	r = ask_reader(store, max_keys, listp, diag);
	if (state->cache == NULL)
		return r;
	if (r == SECKEY_OK)
		save_answer(store, *listp);
	/* Failing to record it costs only the next sign-in's wait. */
	if (r == SECKEY_ERR_TIMEOUT)
		(void)seckey_keycache_backoff_start(state->cache, time(NULL),
		    NULL);
	if (r == SECKEY_ERR_UNAVAIL || r == SECKEY_ERR_TIMEOUT)
		r = answer_offline(store, r, max_keys, listp, diag);

	return r;
}

const struct seckey_store_ops seckey_store_ldap_ops = {
	.name = "ldap",
	.open = ldap_open,
	.close = ldap_close,
	.read = ldap_read,
};
