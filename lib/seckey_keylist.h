/*
 * seckey_keylist.h: a user's list of registered security keys.
 *
 * The file is libconfuse syntax, exactly as the design shows:
 *
 *	# Security keys of alice. Written by seckey; safe to read, careful...
 *	key "Blue key" {
 *	  credential = "base64 credential id"
 *	  public_key = "base64 DER SubjectPublicKeyInfo"
 *	  algorithm  = "es256"        # es256 | eddsa | rs256
 *	  aaguid     = "2fc0579f-8113-47ea-b116-bb5a8db9202a"
 *	  transport  = "usb"          # usb | nfc
 *	  created    = "2026-11-26T08:00:00Z"
 *	}
 *
 * A list with more than max_keys entries, a name or credential used
 * twice, a missing, unknown or broken field is refused as a whole.  The
 * module and the helper share this one parser and this one writer; the
 * editing functions keep the same rules.
 */
#ifndef SECKEY_KEYLIST_H
#define SECKEY_KEYLIST_H

#include <stddef.h>

#include "seckey_error.h"
#include "seckey_file.h"
#include "seckey_key.h"
#include "seckey_policy.h"

/* The list owns its entries. */
struct seckey_keylist {
	struct seckey_key	*keys[SECKEY_MAX_KEYS];
	size_t			 count;
};

/* An empty list, or NULL when out of memory. */
struct seckey_keylist *seckey_keylist_new(void);

/* Free the list and every entry; sets *listp to NULL; NULL is fine. */
void seckey_keylist_free(struct seckey_keylist **listp);

/*
 * Read the key list at path safely (see seckey_file_read; as the user
 * inside the home).  SECKEY_ERR_NOENT: the user has registered no key
 * (the file, or a folder inside the home such as ~/.config, is missing).
 * SECKEY_ERR_NOFOLDER: the home, or a folder above a list kept outside
 * the home, is missing, which says nothing about the user's keys.
 */
int seckey_keylist_read(const char *path, const struct seckey_user *user,
    unsigned int max_keys, struct seckey_keylist **listp,
    struct seckey_diag *diag);

/* The text of the file; *textp is newly allocated, NUL-terminated. */
int seckey_keylist_format(const struct seckey_keylist *list,
    const char *user_name, char **textp, size_t *lenp,
    struct seckey_diag *diag);

/* Replace the locked file with the list (see seckey_file_lock). */
int seckey_keylist_write(struct seckey_lock *lock,
    const struct seckey_keylist *list, const char *user_name,
    struct seckey_diag *diag);

/*
 * Would an entry named name fit?  SECKEY_ERR_TOOMANY when the list
 * already holds max_keys, then SECKEY_ERR_DUP_NAME when name (if not
 * NULL) is taken: the refusals seckey_keylist_add() gives before it
 * looks at the credential, for a caller that must refuse early.
 */
int seckey_keylist_can_add(const struct seckey_keylist *list,
    unsigned int max_keys, const char *name, struct seckey_diag *diag);

/*
 * Add an entry built from info (see seckey_key_new).  In this order:
 * what seckey_key_new() refuses (SECKEY_ERR_SYNTAX for a bad name, ...),
 * SECKEY_ERR_TOOMANY when the list already holds max_keys,
 * SECKEY_ERR_DUP_NAME when the name is already there,
 * SECKEY_ERR_DUP_CRED when the credential is.
 */
int seckey_keylist_add(struct seckey_keylist *list, unsigned int max_keys,
    const struct seckey_key_info *info, struct seckey_diag *diag);

/*
 * Add an entry the caller built (seckey_key_new), after the same
 * refusals in the same order: SECKEY_ERR_TOOMANY, SECKEY_ERR_DUP_NAME,
 * SECKEY_ERR_DUP_CRED.  On success the list owns it and *keyp is NULL;
 * on failure it stays the caller's.
 */
int seckey_keylist_add_key(struct seckey_keylist *list, unsigned int max_keys,
    struct seckey_key **keyp, struct seckey_diag *diag);

/*
 * In this order: SECKEY_ERR_NOTFOUND (no key named old_name),
 * SECKEY_ERR_SYNTAX (bad new name), SECKEY_ERR_DUP_NAME (another key is
 * named new_name).  Renaming a key to its own name changes nothing and
 * returns 0.
 */
int seckey_keylist_rename(struct seckey_keylist *list, const char *old_name,
    const char *new_name, struct seckey_diag *diag);

/* SECKEY_ERR_NOTFOUND when there is no key of that name. */
int seckey_keylist_delete(struct seckey_keylist *list, const char *name,
    struct seckey_diag *diag);

/*
 * Take the entry named name out of the list and hand it to the caller
 * (free it with seckey_key_free); the others keep their order.
 * SECKEY_ERR_NOTFOUND when there is no key of that name.
 */
int seckey_keylist_remove(struct seckey_keylist *list, const char *name,
    struct seckey_key **keyp, struct seckey_diag *diag);

/*
 * The entry named name, still owned by the list.  SECKEY_ERR_NOTFOUND
 * when there is no key of that name.
 */
int seckey_keylist_get(struct seckey_keylist *list, const char *name,
    struct seckey_key **keyp, struct seckey_diag *diag);

const struct seckey_key *seckey_keylist_find(
    const struct seckey_keylist *list, const char *name);
const struct seckey_key *seckey_keylist_find_cred(
    const struct seckey_keylist *list, const unsigned char *cred_id,
    size_t cred_id_len);

#endif /* SECKEY_KEYLIST_H */
