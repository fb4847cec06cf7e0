/*
 * seckey_state.h: the records pam_seckey keeps under state_dir (the
 * signature counters, the user handle index): one small text file per
 * credential or handle, named by a hash, root's, and read or replaced
 * through seckey_file.c.
 *
 * A record's name is the SHA-256 of the rp_id, a NUL and the bytes it
 * is about (a credential id, a user handle), in hex: no user name to
 * sanitise in a path, and a name that only someone who knows those
 * bytes can find.  The folders are made 0711 by root when missing (a
 * user can open a record whose name he knows, not list them), records
 * are 0644, written atomically under the folder's lock.
 */
#ifndef SECKEY_STATE_H
#define SECKEY_STATE_H

#include <stddef.h>

#include "seckey_error.h"
#include "seckey_file.h"

/* state_dir/folder/<hex SHA-256(rp_id, NUL, bytes)> into path. */
int seckey_state_path(const char *state_dir, const char *folder,
    const char *rp_id, const unsigned char *bytes, size_t len, char *path,
    size_t size, struct seckey_diag *diag);

/* state_dir (0755) and state_dir/folder (0711), when root and missing. */
void seckey_state_make_folders(const char *state_dir, const char *folder);

/*
 * The lock of the folder holding path, for a record 0644: every sign-in
 * shares the folder, so it waits up to two seconds for another one.
 */
int seckey_state_lock(const char *path, struct seckey_lock **lockp,
    struct seckey_diag *diag);

/*
 * Read the record at path: root's for root, the caller's own for a
 * caller that is not root (seckey_file_system_owner()).  A missing
 * folder is SECKEY_ERR_NOENT, as a missing record.  Free *text.
 */
int seckey_state_read(const char *path, char **text, size_t *len,
    struct seckey_diag *diag);

#endif /* SECKEY_STATE_H */
