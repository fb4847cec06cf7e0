/*
 * seckey_store_ldap.c: the "ldap" key store: the list is what the
 * shipped reader seckey-keys-ldap finds in the directory for the user,
 * run through seckey_command.c as keys_command_user with ldap_conf, and
 * kept in the offline cache (seckey_keycache.h) for when the directory
 * does not answer.
 *
 * Changes (seckey register, rename, delete) go through the same program
 * in its edit mode (seckey_ldap_edit.h): the "lock" of an update starts
 * it, bound as the user (or, for root, as the administrator), and reads
 * the list under that bind; the write hands it the new list, and it
 * changes the entry with one modify.  It runs as the caller, not as
 * keys_command_user: its bind is the caller's own.  A user who is not
 * root and whose seckey can ask for a password also reads through it
 * (seckey list), since the reader's own bind is root's business.
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
#include "seckey_keylist_parse.h"
#include "seckey_ldap_conf.h"
#include "seckey_ldap_edit.h"
#include "seckey_mem.h"
#include "seckey_store_backend.h"

#ifndef SECKEY_KEYS_LDAP
#define SECKEY_KEYS_LDAP	"/usr/local/libexec/seckey/seckey-keys-ldap"
#endif

/* "seckey-keys-ldap --conf PATH USER" and the NULL. */
#define READER_ARGC	4
/* "seckey-keys-ldap --conf PATH --edit USER" and the NULL. */
#define EDIT_ARGC	5

struct ldap_state {
	char			*argv[READER_ARGC + 1];
	struct seckey_command	 cmd;
	char			*cache;		/* NULL: no offline cache */
	unsigned int		 cache_max_age;
	/* The edit mode (seckey_ldap_edit.h). */
	char			*edit_argv[EDIT_ARGC + 1];
	struct seckey_command	 edit_cmd;
	const char		*ldap_conf;	/* edit_argv[2] */
	struct seckey_command_session *session;	/* an update's */
	char			*listing;	/* the list it read */
	size_t			 listing_len;
	char			*password;	/* the user's; wiped */
};

static const struct seckey_command_exit reader_exits[] = {
	{ SECKEY_READER_EXIT_FOUND,	SECKEY_OK },
	{ SECKEY_READER_EXIT_NO_USER,	SECKEY_ERR_NOENT },
	{ SECKEY_READER_EXIT_UNAVAIL,	SECKEY_ERR_UNAVAIL },
	{ SECKEY_READER_EXIT_CONFIG,	SECKEY_ERR_CONFIG },
	{ SECKEY_READER_EXIT_REFUSED,	SECKEY_ERR_REFUSED },
};

static const struct seckey_command_exit edit_exits[] = {
	{ SECKEY_READER_EXIT_FOUND,	SECKEY_OK },
	{ SECKEY_READER_EXIT_NO_USER,	SECKEY_ERR_NOENT },
	{ SECKEY_READER_EXIT_UNAVAIL,	SECKEY_ERR_UNAVAIL },
	{ SECKEY_READER_EXIT_CONFIG,	SECKEY_ERR_CONFIG },
	{ SECKEY_READER_EXIT_REFUSED,	SECKEY_ERR_REFUSED },
	{ SECKEY_LDAP_EDIT_EXIT_BIND,	SECKEY_ERR_BIND },
	{ SECKEY_LDAP_EDIT_EXIT_CHANGED, SECKEY_ERR_CHANGED },
	{ SECKEY_LDAP_EDIT_EXIT_DENIED,	SECKEY_ERR_DENIED },
	{ SECKEY_LDAP_EDIT_EXIT_NO_LIST, SECKEY_ERR_CANCELLED },
};

static int
fill_argv(struct ldap_state *state, const struct seckey_policy *policy,
    const char *user)
{
	const char *args[READER_ARGC] = {
		SECKEY_KEYS_LDAP, "--conf", policy->ldap_conf, user
	};
	const char *edit_args[EDIT_ARGC] = {
		SECKEY_KEYS_LDAP, "--conf", policy->ldap_conf, "--edit", user
	};
	size_t i;

	for (i = 0; i < READER_ARGC; i++)
		if ((state->argv[i] = strdup(args[i])) == NULL)
			return SECKEY_ERR_NOMEM;
	for (i = 0; i < EDIT_ARGC; i++)
		if ((state->edit_argv[i] = strdup(edit_args[i])) == NULL)
			return SECKEY_ERR_NOMEM;
	state->ldap_conf = state->edit_argv[2];

	return SECKEY_OK;
}

/* The edit mode runs as the caller: its bind is the caller's own. */
static void
fill_edit_cmd(struct ldap_state *state, const struct seckey_policy *policy)
{
	state->edit_cmd.argv = state->edit_argv;
	state->edit_cmd.timeout_ms = policy->keys_command_timeout * 1000;
	state->edit_cmd.keep_stderr = true;
	state->edit_cmd.exits = edit_exits;
	state->edit_cmd.exits_len = sizeof(edit_exits) / sizeof(edit_exits[0]);
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
	fill_edit_cmd(state, policy);
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
	seckey_command_session_free(&state->session);
	for (i = 0; i < READER_ARGC; i++)
		free(state->argv[i]);
	for (i = 0; i < EDIT_ARGC; i++)
		free(state->edit_argv[i]);
	free(state->listing);
	seckey_strfree(&state->password);
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

/* --- the edit mode ------------------------------------------------ */

/* Does this caller read through its own bind (see the file's header)? */
static bool
self_bound(const struct seckey_store *store)
{
	return geteuid() != 0 && store->secret_fn != NULL;
}

/* How the edit mode will bind, from ldap_conf as the program reads it. */
static int
edit_bind(struct seckey_store *store, enum seckey_ldap_edit_bind *bindp,
    struct seckey_diag *diag)
{
	struct ldap_state *state = store->state;
	struct seckey_ldap_conf *conf = NULL;
	int r;

	if ((r = seckey_ldap_conf_load(state->ldap_conf, &conf,
	    diag)) != SECKEY_OK)
		return r == SECKEY_ERR_NOMEM ? r : SECKEY_ERR_CONFIG;
	if ((r = seckey_ldap_edit_bind(conf, geteuid() == 0, bindp,
	    diag)) != SECKEY_OK && diag != NULL && diag->file[0] == '\0')
		snprintf(diag->file, sizeof(diag->file), "%s",
		    state->ldap_conf);
	seckey_ldap_conf_free(&conf);

	return r;
}

/* The user's directory password, asked once for the store's life. */
static int
user_password(struct seckey_store *store, struct seckey_diag *diag)
{
	struct ldap_state *state = store->state;
	char buf[SECKEY_LDAP_PASSWORD_MAX + 1], prompt[320];
	int r;

	if (state->password != NULL)
		return SECKEY_OK;
	if (store->secret_fn == NULL) {
		seckey_diag_set(diag, NULL, 0, "changing keys in the directory "
		    "needs the user's directory password, and nobody can be "
		    "asked for it here");
		return SECKEY_ERR_READONLY;
	}
	snprintf(prompt, sizeof(prompt), "Directory password for %s: ",
	    store->user->name);
	buf[0] = '\0';
	r = store->secret_fn(prompt, buf, sizeof(buf), store->secret_arg);
	if (r == SECKEY_OK && buf[0] == '\0') {
		/* An empty password is an anonymous bind (RFC 4513). */
		seckey_diag_set(diag, NULL, 0, "no directory password given");
		r = SECKEY_ERR_CANCELLED;
	}
	if (r == SECKEY_OK && (state->password = strdup(buf)) == NULL) {
		seckey_diag_set(diag, NULL, 0, "out of memory");
		r = SECKEY_ERR_NOMEM;
	}
	seckey_wipe(buf, sizeof(buf));

	return r;
}

/* Has the program printed the whole list and the end line? */
static int
listing_complete(const char *text, size_t len)
{
	size_t body;

	return seckey_ldap_edit_end(text, len, &body);
}

/* Send the password, if the bind takes one. */
static int
send_password(struct seckey_store *store, enum seckey_ldap_edit_bind bind,
    struct seckey_diag *diag)
{
	struct ldap_state *state = store->state;
	int r;

	if (bind != SECKEY_LDAP_EDIT_USER_PASSWORD)
		return SECKEY_OK;
	if ((r = seckey_command_send(state->session, state->password,
	    strlen(state->password), diag)) != SECKEY_OK ||
	    (r = seckey_command_send(state->session, "\n", 1,
	    diag)) != SECKEY_OK)
		(void)seckey_command_finish(state->session, diag);

	return r;
}

/* Keep what the program read, up to the end line. */
static int
keep_listing(struct seckey_store *store, const char *text, size_t len,
    struct seckey_diag *diag)
{
	struct ldap_state *state = store->state;
	size_t body = 0;

	if (seckey_ldap_edit_end(text, len, &body) != 1) {
		seckey_diag_set(diag, store->where, 0, "wrote more after the "
		    "list than its end line");
		return SECKEY_ERR_REFUSED;
	}
	if ((state->listing = strndup(text, body)) == NULL) {
		seckey_diag_set(diag, NULL, 0, "out of memory");
		return SECKEY_ERR_NOMEM;
	}
	state->listing_len = body;

	return SECKEY_OK;
}

/* Start the program, bind, and read the list under that bind. */
static int
edit_start(struct seckey_store *store, struct seckey_diag *diag)
{
	struct ldap_state *state = store->state;
	enum seckey_ldap_edit_bind bind;
	const char *text;
	size_t len;
	int r;

	if ((r = edit_bind(store, &bind, diag)) != SECKEY_OK ||
	    (bind == SECKEY_LDAP_EDIT_USER_PASSWORD &&
	    (r = user_password(store, diag)) != SECKEY_OK) ||
	    (r = seckey_command_open(&state->edit_cmd, &state->session,
	    diag)) != SECKEY_OK ||
	    (r = send_password(store, bind, diag)) != SECKEY_OK ||
	    (r = seckey_command_recv(state->session, listing_complete, &text,
	    &len, diag)) != SECKEY_OK ||
	    (r = keep_listing(store, text, len, diag)) != SECKEY_OK)
		goto fail;

	return SECKEY_OK;
fail:
	if (r == SECKEY_ERR_NOENT)
		seckey_diag_set(diag, store->where, 0, "the directory has no "
		    "entry for %s", store->user->name);
	seckey_command_session_free(&state->session);

	return r;
}

static void
edit_end(struct seckey_store *store)
{
	struct ldap_state *state = store->state;

	seckey_command_session_free(&state->session);
	free(state->listing);
	state->listing = NULL;
	state->listing_len = 0;
}

static int
parse_listing(struct seckey_store *store, unsigned int max_keys,
    struct seckey_keylist **listp, struct seckey_diag *diag)
{
	struct ldap_state *state = store->state;
	char label[SECKEY_DIAG_FILE_MAX];

	snprintf(label, sizeof(label), "output of %s --edit", store->where);

	return seckey_keylist_parse(state->listing, state->listing_len, label,
	    max_keys, listp, diag);
}

/* seckey list as a user: the list under the user's bind, nothing sent. */
static int
read_self(struct seckey_store *store, unsigned int max_keys,
    struct seckey_keylist **listp, struct seckey_diag *diag)
{
	struct ldap_state *state = store->state;
	int r;

	if ((r = edit_start(store, diag)) == SECKEY_ERR_NOENT)
		return seckey_store_empty_list(listp, diag);
	if (r != SECKEY_OK)
		return r;
	/* No new list: the program ends without writing (status 17). */
	r = seckey_command_finish(state->session, diag);
	if (r == SECKEY_ERR_CANCELLED || r == SECKEY_OK) {
		seckey_diag_clear(diag);
		r = parse_listing(store, max_keys, listp, diag);
	}
	edit_end(store);

	return r;
}

static int
ldap_can_update(struct seckey_store *store, struct seckey_diag *diag)
{
	enum seckey_ldap_edit_bind bind;

	return edit_bind(store, &bind, diag);
}

static int
ldap_lock(struct seckey_store *store, int flags, struct seckey_diag *diag)
{
	(void)flags;

	return edit_start(store, diag);
}

static int
ldap_write(struct seckey_store *store, const struct seckey_keylist *list,
    struct seckey_diag *diag)
{
	struct ldap_state *state = store->state;
	static const char end[] = SECKEY_LDAP_EDIT_END "\n";
	char *text = NULL;
	size_t len = 0;
	int r;

	if ((r = seckey_keylist_format(list, store->user->name, &text, &len,
	    diag)) != SECKEY_OK)
		goto out;
	if ((r = seckey_command_send(state->session, text, len,
	    diag)) == SECKEY_OK)
		r = seckey_command_send(state->session, end, sizeof(end) - 1,
		    diag);
	/* Its exit says what came of it, even if it stopped reading. */
	r = seckey_command_finish(state->session, diag);
	/* The cache must not keep a key the directory no longer has. */
	if (r == SECKEY_OK && state->cache != NULL)
		save_answer(store, list);
out:
	free(text);

	return r;
}

static void
ldap_unlock(struct seckey_store *store)
{
	edit_end(store);
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
	/* Under an update: the list the edit mode read. */
	if (state->session != NULL)
		return parse_listing(store, max_keys, listp, diag);
	if (self_bound(store))
		return read_self(store, max_keys, listp, diag);
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
	.lock = ldap_lock,
	.write = ldap_write,
	.unlock = ldap_unlock,
	.can_update = ldap_can_update,
};
