/*
 * seckey_store.h: where a user's registered keys live, for the module
 * and the helper alike.
 *
 * A store is opened for one user under one policy, read as a whole,
 * and changed only through seckey_store_update(): lock, read the list
 * as it is now, let the caller edit it, write it atomically, unlock.
 * Which backend holds the list (the policy's keys: the per-user file of
 * keys_file, the directory through seckey-keys-ldap and its offline
 * cache, or the output of keys_command) is the store's business;
 * callers see one opaque handle.
 */
#ifndef SECKEY_STORE_H
#define SECKEY_STORE_H

#include <stdbool.h>

#include "seckey_error.h"
#include "seckey_file.h"
#include "seckey_keylist.h"
#include "seckey_policy.h"

struct seckey_store;

/*
 * Open the store of user under policy.  The store borrows user and the
 * strings it points to: they must outlive it.  Returns 0,
 * SECKEY_ERR_NOMEM, or what expanding keys_file gives (see
 * seckey_policy_keys_path).
 */
int seckey_store_open(const struct seckey_policy *policy,
    const struct seckey_user *user, struct seckey_store **storep,
    struct seckey_diag *diag);

/* Close the store and set *storep to NULL; NULL is fine. */
void seckey_store_free(struct seckey_store **storep);

/* Where the list lives, for messages (the path of the file, or of the
 * reader program). */
const char *seckey_store_where(const struct seckey_store *store);

/* The policy's name of the backend: "file", "ldap" or "command". */
const char *seckey_store_kind(const struct seckey_store *store);

/* A warning is a sentence of at most this many bytes, NUL included. */
#define SECKEY_STORE_WARNING_MAX	640

/*
 * What the last seckey_store_read() asks the caller to log as a
 * warning, or NULL: the answer came from the offline cache because the
 * directory did not answer (the sentence says why, and the cache's
 * age), or the cache could not be updated.
 */
const char *seckey_store_warning(const struct seckey_store *store);

/* Can seckey_store_update() change this store?  (keys = "command": no;
 * "ldap": through the directory, see seckey_ldap_edit.h.) */
bool seckey_store_writable(const struct seckey_store *store);

/*
 * Could seckey_store_update() change this store, as far as can be told
 * without trying?  SECKEY_ERR_READONLY (keys = "command"), or for
 * keys = "ldap" SECKEY_ERR_CONFIG when ldap_conf gives no bind to write
 * with (root without an administrator bind, a password over ldap://
 * without StartTLS); diag says why.  So that a command refuses before
 * the user touches a key.
 */
int seckey_store_can_update(struct seckey_store *store,
    struct seckey_diag *diag);

/*
 * How a store asks for a secret it needs: the user's directory password
 * (keys = "ldap", a user who is not root).  prompt is a sentence to show;
 * the answer goes into buf (size bytes, NUL-terminated, wiped by the
 * store after use).  Returns 0, or a code the store passes on
 * (SECKEY_ERR_CANCELLED: none given).
 */
typedef int seckey_store_secret_fn(const char *prompt, char *buf, size_t size,
    void *arg);

/*
 * Let the store ask (seckey sets this; the module never does, so a
 * sign-in reads as it always did).  With it, a store of keys = "ldap"
 * opened by a user who is not root reads and writes under the user's
 * own bind, and asks for the password once.
 */
void seckey_store_set_secret_fn(struct seckey_store *store,
    seckey_store_secret_fn *fn, void *arg);

/*
 * Read the list, refusing one of more than max_keys entries.  A user
 * who has registered no key has an empty list, not an error.
 * SECKEY_ERR_NOFOLDER: the home (or a folder above a list kept outside
 * it) is missing, which says nothing about the user's keys.  A reader
 * (keys = "command", "ldap") adds SECKEY_ERR_UNAVAIL and
 * SECKEY_ERR_TIMEOUT (no answer, and no usable offline cache),
 * SECKEY_ERR_CONFIG (the reader's configuration is broken) and
 * SECKEY_ERR_REFUSED (it refused the directory's answer), and those of
 * seckey_command_run().  Other codes are those of seckey_keylist_read().
 */
int seckey_store_read(struct seckey_store *store, unsigned int max_keys,
    struct seckey_keylist **listp, struct seckey_diag *diag);

/*
 * The change seckey_store_update() makes, on the list as it is under
 * the lock.  Anything but 0 aborts the update: nothing is written, and
 * the code (with the diagnostic the edit filled) is what the update
 * returns.
 */
typedef int seckey_store_edit_fn(struct seckey_keylist *list, void *arg,
    struct seckey_diag *diag);

/* seckey_store_update() flag: make what a first list needs (the file
 * backend: the missing folders, mode 0700). */
#define SECKEY_STORE_CREATE	0x1

/*
 * Lock the store (waiting a few seconds for another writer), read the
 * list with the hard ceiling SECKEY_MAX_KEYS, so that a user over a
 * lowered max_keys can still delete, call edit, write atomically,
 * unlock.  SECKEY_ERR_LOCKED: another writer kept the lock all along.
 * SECKEY_ERR_READONLY: this store cannot be written.  Otherwise the
 * codes of the lock, the read, the edit and the write.
 */
int seckey_store_update(struct seckey_store *store, int flags,
    seckey_store_edit_fn *edit, void *arg, struct seckey_diag *diag);

#endif /* SECKEY_STORE_H */
