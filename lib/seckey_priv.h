/*
 * seckey_priv.h: act on the file system as a user, not as root.
 *
 * A key list inside a home directory is read (and written) with the
 * owner's file system identity so that root never follows a path the
 * user controls with root's rights.  Only the file system identity
 * changes (setfsuid/setfsgid and the supplementary groups), so the
 * process can switch back; this is the pam_modutil_drop_priv idea
 * without the PAM handle.
 */
#ifndef SECKEY_PRIV_H
#define SECKEY_PRIV_H

#include <stdbool.h>
#include <sys/types.h>

#include "seckey_error.h"

/* What seckey_priv_drop() changed, for seckey_priv_restore(). */
struct seckey_priv {
	bool	 active;	/* privileges are dropped right now */
	uid_t	 old_fsuid;
	gid_t	 old_fsgid;
	int	 old_ngroups;
	gid_t	*old_groups;
};

/*
 * Switch the file system identity of the calling thread to uid/gid, with
 * gid as its only supplementary group; other threads are not touched.  A no-op (saved->active false) when the process
 * is not running as root: then it already acts as itself.  On failure
 * nothing stays changed.  Returns 0, SECKEY_ERR_NOMEM or SECKEY_ERR_PERM.
 */
int seckey_priv_drop(uid_t uid, gid_t gid, struct seckey_priv *saved,
    struct seckey_diag *diag);

/*
 * Undo seckey_priv_drop(); safe to call on a no-op drop and twice.
 * SECKEY_ERR_PERM means the process could not get its identity back and
 * should stop what it is doing.
 */
int seckey_priv_restore(struct seckey_priv *saved, struct seckey_diag *diag);

#endif /* SECKEY_PRIV_H */
