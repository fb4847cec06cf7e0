/*
 * seckey_store.c: the front end of the key stores: picks the backend,
 * and runs the one read-modify-write protocol every writable backend
 * shares, so that two seckey processes changing one list at once both
 * keep their change.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "seckey_store_backend.h"
#include "seckey_time.h"

/* A writer holds the lock for milliseconds: wait this long for it. */
#define LOCK_TRIES	50
#define LOCK_WAIT_MS	100

/* One line a backend, named as the policy's keys option names it. */
static const struct seckey_store_ops *const backends[] = {
	&seckey_store_file_ops,
	&seckey_store_command_ops,
	&seckey_store_ldap_ops,
};

/* The policy checked the name; an unknown one here is a bug. */
static const struct seckey_store_ops *
backend_named(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(backends) / sizeof(backends[0]); i++)
		if (name != NULL && strcmp(backends[i]->name, name) == 0)
			return backends[i];
	return NULL;
}

int
seckey_store_open(const struct seckey_policy *policy,
    const struct seckey_user *user, struct seckey_store **storep,
    struct seckey_diag *diag)
{
	struct seckey_store *store = NULL;
	int r;

	if (storep == NULL)
		return SECKEY_ERR_INVAL;
	*storep = NULL;
	if (policy == NULL || user == NULL)
		return SECKEY_ERR_INVAL;
	r = SECKEY_ERR_NOMEM;
	if ((store = calloc(1, sizeof(*store))) == NULL) {
		seckey_diag_set(diag, NULL, 0, "out of memory");
		goto fail;
	}
	r = SECKEY_ERR_INTERNAL;
	if ((store->ops = backend_named(policy->keys)) == NULL) {
		seckey_diag_set(diag, NULL, 0, "no key store named \"%s\"",
		    policy->keys != NULL ? policy->keys : "");
		goto fail;
	}
	store->user = user;
	store->lock_tries = LOCK_TRIES;
	store->lock_wait_ms = LOCK_WAIT_MS;
	if ((r = store->ops->open(store, policy, diag)) != SECKEY_OK)
		goto fail;
	*storep = store;
	store = NULL;

	r = SECKEY_OK;
fail:
	seckey_store_free(&store);

	return r;
}

void
seckey_store_free(struct seckey_store **storep)
{
	struct seckey_store *store;

	if (storep == NULL || (store = *storep) == NULL)
		return;
	if (store->ops != NULL)
		store->ops->close(store);
	free(store->where);
	free(store);
	*storep = NULL;
}

const char *
seckey_store_where(const struct seckey_store *store)
{
	return store != NULL && store->where != NULL ? store->where : "";
}

const char *
seckey_store_kind(const struct seckey_store *store)
{
	return store != NULL ? store->ops->name : "";
}

const char *
seckey_store_warning(const struct seckey_store *store)
{
	return store != NULL && store->warning[0] != '\0' ? store->warning :
	    NULL;
}

bool
seckey_store_writable(const struct seckey_store *store)
{
	return store != NULL && store->ops->lock != NULL;
}

int
seckey_store_can_update(struct seckey_store *store, struct seckey_diag *diag)
{
	if (store == NULL)
		return SECKEY_ERR_INVAL;
	if (store->ops->lock == NULL) {
		seckey_diag_set(diag, NULL, 0, "the %s key store of %s cannot "
		    "be changed here", store->ops->name, store->user->name);
		return SECKEY_ERR_READONLY;
	}

	return store->ops->can_update != NULL ?
	    store->ops->can_update(store, diag) : SECKEY_OK;
}

void
seckey_store_set_secret_fn(struct seckey_store *store,
    seckey_store_secret_fn *fn, void *arg)
{
	if (store == NULL)
		return;
	store->secret_fn = fn;
	store->secret_arg = arg;
}

int
seckey_store_empty_list(struct seckey_keylist **listp,
    struct seckey_diag *diag)
{
	seckey_diag_clear(diag);
	if ((*listp = seckey_keylist_new()) == NULL) {
		seckey_diag_set(diag, NULL, 0, "out of memory");
		return SECKEY_ERR_NOMEM;
	}

	return SECKEY_OK;
}

int
seckey_store_read(struct seckey_store *store, unsigned int max_keys,
    struct seckey_keylist **listp, struct seckey_diag *diag)
{
	if (store == NULL || listp == NULL)
		return SECKEY_ERR_INVAL;
	*listp = NULL;
	store->warning[0] = '\0';

	return store->ops->read(store, max_keys, listp, diag);
}

static int
lock_waiting(struct seckey_store *store, int flags, struct seckey_diag *diag)
{
	unsigned int tries;
	int r;

	for (tries = 1;; tries++) {
		seckey_diag_clear(diag);
		r = store->ops->lock(store, flags, diag);
		if (r != SECKEY_ERR_LOCKED || tries >= store->lock_tries)
			break;
		seckey_sleep_ms(store->lock_wait_ms);
	}

	return r;
}

int
seckey_store_update(struct seckey_store *store, int flags,
    seckey_store_edit_fn *edit, void *arg, struct seckey_diag *diag)
{
	struct seckey_keylist *list = NULL;
	bool locked = false;
	int r;

	if (store == NULL || edit == NULL)
		return SECKEY_ERR_INVAL;
	if (store->ops->lock == NULL) {
		seckey_diag_set(diag, NULL, 0, "the %s key store of %s cannot "
		    "be changed here", store->ops->name, store->user->name);
		return SECKEY_ERR_READONLY;
	}
	if ((r = lock_waiting(store, flags, diag)) != SECKEY_OK)
		goto out;
	locked = true;
	if ((r = store->ops->read(store, SECKEY_MAX_KEYS, &list,
	    diag)) != SECKEY_OK ||
	    (r = edit(list, arg, diag)) != SECKEY_OK)
		goto out;
	r = store->ops->write(store, list, diag);
out:
	seckey_keylist_free(&list);
	if (locked)
		store->ops->unlock(store);

	return r;
}
