/*
 * seckey_store_file.c: the "file" key store: one list a user, at the
 * path keys_file names (%h/.config/seckey/keys.conf by default), read
 * and written by seckey_keylist.c through the safe file layer.
 */
#include <config.h>

#include "seckey_store_backend.h"

static int
file_open(struct seckey_store *store, const struct seckey_policy *policy,
    struct seckey_diag *diag)
{
	return seckey_policy_keys_path(policy, store->user, &store->where,
	    diag);
}

/* Closing the store lets go of the lock too, if an update still held it. */
static void
file_unlock(struct seckey_store *store)
{
	struct seckey_lock *lock = store->state;

	seckey_file_unlock(&lock);
	store->state = NULL;
}

/* SECKEY_ERR_NOENT: the file, or a folder inside the home, is missing. */
static int
file_read(struct seckey_store *store, unsigned int max_keys,
    struct seckey_keylist **listp, struct seckey_diag *diag)
{
	int r;

	r = seckey_keylist_read(store->where, store->user, max_keys, listp,
	    diag);
	if (r != SECKEY_ERR_NOENT)
		return r;

	return seckey_store_empty_list(listp, diag);
}

static int
file_lock(struct seckey_store *store, int flags, struct seckey_diag *diag)
{
	struct seckey_lock *lock = NULL;
	int r;

	r = seckey_file_lock(store->where, store->user,
	    (flags & SECKEY_STORE_CREATE) != 0 ? SECKEY_FILE_MKDIR : 0,
	    &lock, diag);
	if (r == SECKEY_OK)
		store->state = lock;

	return r;
}

static int
file_write(struct seckey_store *store, const struct seckey_keylist *list,
    struct seckey_diag *diag)
{
	return seckey_keylist_write(store->state, list, store->user->name,
	    diag);
}

const struct seckey_store_ops seckey_store_file_ops = {
	.name = "file",
	.open = file_open,
	.close = file_unlock,
	.read = file_read,
	.lock = file_lock,
	.write = file_write,
	.unlock = file_unlock,
};
