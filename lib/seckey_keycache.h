/*
 * seckey_keycache.h: the offline cache of the directory's answers
 * (keys = "ldap").
 *
 * The cache is files, so the module keeps no state of its own: the last
 * good answer for each user, keys_cache/<user>, and the time of the last
 * lookup that timed out, keys_cache/.backoff.  Only root writes or reads
 * them: the folder is root's, mode 0700, each file 0600, written
 * atomically (seckey_file.h).  A user's file starts with the time it was
 * written, which is what its age is counted from (a copied or touched
 * file keeps its recorded time), and goes on as a key list.
 */
#ifndef SECKEY_KEYCACHE_H
#define SECKEY_KEYCACHE_H

#include <stdbool.h>
#include <time.h>

#include "seckey_error.h"
#include "seckey_keylist.h"

/* After a lookup timed out, sign-ins skip the reader this long. */
#define SECKEY_KEYCACHE_BACKOFF		60

/*
 * Keep user's answer, written at now; an empty list removes the user's
 * file, so that a revoked last key is gone offline too.  The folder is
 * made (0700) when missing.
 */
int seckey_keycache_save(const char *folder, const char *user,
    const struct seckey_keylist *list, time_t now, struct seckey_diag *diag);

/*
 * Read user's cached answer, refusing one older than max_age seconds
 * (or written more than a few minutes in the future) with
 * SECKEY_ERR_UNAVAIL.  *agep gets its age.  SECKEY_ERR_NOENT: no cache
 * for user.  Otherwise the codes of seckey_file_read() and of the key
 * list parser.
 */
int seckey_keycache_load(const char *folder, const char *user,
    unsigned int max_keys, unsigned int max_age, time_t now,
    struct seckey_keylist **listp, long long *agep,
    struct seckey_diag *diag);

/* Start the back-off: a lookup timed out at now. */
int seckey_keycache_backoff_start(const char *folder, time_t now,
    struct seckey_diag *diag);

/* Did a lookup time out less than SECKEY_KEYCACHE_BACKOFF seconds ago? */
bool seckey_keycache_backoff_active(const char *folder, time_t now);

#endif /* SECKEY_KEYCACHE_H */
