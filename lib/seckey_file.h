/*
 * seckey_file.h: reading and writing the files pam_seckey trusts.
 *
 * Reading: the file and every directory above it (up to the user's home
 * for a file inside it, up to / for any other) must be owned by the user
 * or root and writable by no one else; symbolic links are refused; the
 * size is capped.  A file in a home directory is read with the user's
 * file system identity.
 *
 * Writing: under an exclusive lock on the folder, the new contents go to
 * a temporary file in the same folder (mode 0600), are synced, renamed
 * over the target, and the folder is synced.  A failed write leaves the
 * old file exactly as it was.
 */
#ifndef SECKEY_FILE_H
#define SECKEY_FILE_H

#include <stddef.h>
#include <sys/types.h>

#include "seckey_error.h"

/* No policy file or key list is anywhere near this. */
#define SECKEY_FILE_MAX		(64 * 1024)

/* Whose file it is.  The caller fills it from the password database. */
struct seckey_user {
	const char	*name;
	uid_t		 uid;
	gid_t		 gid;
	const char	*home;	/* absolute; NULL if unknown */
};

/*
 * Read a whole file into a newly allocated NUL-terminated buffer (*data,
 * *len, not counting the NUL; free it with free()).  owner NULL means a
 * file only root may own, such as the policy file, checked up to /.
 * Returns 0, SECKEY_ERR_NOENT (the file, or a folder inside the owner's
 * home, does not exist), SECKEY_ERR_NOFOLDER (the home, or a folder
 * outside it, does not exist), SECKEY_ERR_PERM (unsafe), SECKEY_ERR_TOOBIG, SECKEY_ERR_IO,
 * SECKEY_ERR_NOMEM or SECKEY_ERR_INVAL (path not absolute or with "."
 * or ".." components).
 */
int seckey_file_read(const char *path, const struct seckey_user *owner,
    char **data, size_t *len, struct seckey_diag *diag);

/*
 * The owner to pass for a system file (the policy, state_dir): NULL
 * (root's only) in a process running as root; in any other process
 * (the helper run by a user, the test suite) self, filled with its own
 * account, for a file of its own can only change what that process
 * itself does.
 */
const struct seckey_user *seckey_file_system_owner(struct seckey_user *self);

/* seckey_file_read() with a size cap of max bytes instead of
 * SECKEY_FILE_MAX, for the larger files of state_dir. */
int seckey_file_read_max(const char *path, const struct seckey_user *owner,
    size_t max, char **data, size_t *len, struct seckey_diag *diag);

/*
 * seckey_file_read() for a file that holds a secret (a bind password):
 * it must also be readable by no one but its owner.  Free *data with
 * seckey_freezero(*data, *len).
 */
int seckey_file_read_secret(const char *path, const struct seckey_user *owner,
    char **data, size_t *len, struct seckey_diag *diag);

/* seckey_file_lock() flag: make missing folders, mode 0700. */
#define SECKEY_FILE_MKDIR	0x1
/*
 * seckey_file_lock() flag: a file every user may read (the metadata of
 * authenticator models): folders it makes get mode 0755 and
 * seckey_file_replace() writes mode 0644.
 */
#define SECKEY_FILE_PUBLIC	0x2

/* A locked folder, ready for seckey_file_replace(). */
struct seckey_lock;

/*
 * Check the folders above path as seckey_file_read() does (creating the
 * missing ones with SECKEY_FILE_MKDIR: as the user inside the home,
 * as the caller elsewhere) and take an exclusive lock on the folder that
 * holds path.  The lock does not wait: SECKEY_ERR_LOCKED says another
 * process holds it.  Read the current contents after locking, so that a
 * read-modify-write cycle is atomic.
 */
int seckey_file_lock(const char *path, const struct seckey_user *owner,
    int flags, struct seckey_lock **lockp, struct seckey_diag *diag);

/*
 * Atomically replace the locked file with len bytes of data, mode 0600
 * (0644 for a lock taken with SECKEY_FILE_PUBLIC).
 */
int seckey_file_replace(struct seckey_lock *lock, const void *data,
    size_t len, struct seckey_diag *diag);

/* Remove the locked file (none is fine), and sync the folder. */
int seckey_file_remove(struct seckey_lock *lock, struct seckey_diag *diag);

/* Release the lock, free it and set *lockp to NULL; NULL is fine. */
void seckey_file_unlock(struct seckey_lock **lockp);

#endif /* SECKEY_FILE_H */
