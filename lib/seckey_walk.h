/*
 * seckey_walk.h: the folder walk behind safe reading and writing
 * (internal to libseckey; see seckey_file.h for the rules).
 *
 * The folders are walked from a trusted starting point (the user's home,
 * or /) down to the file, one openat() at a time with O_NOFOLLOW, and
 * each one is checked through its descriptor.  Nothing is looked up by
 * name twice, so no one can swap a folder between the check and the use.
 */
#ifndef SECKEY_WALK_H
#define SECKEY_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "seckey_error.h"
#include "seckey_file.h"

/* One walk from the starting folder down to the folder holding a file. */
struct seckey_walk {
	const char	*path;
	uid_t		 uid;		/* allowed owner, or root */
	size_t		 home_len;	/* home prefix length, or 0 */
	bool		 mkdirs;
	mode_t		 dir_mode;	/* of the folders made: 0700 */
	int		 dir_fd;	/* out: O_PATH fd of the folder */
	const char	*base;		/* out: name in the folder */
};

/*
 * Check path (absolute, no "." or ".." components) and prepare a walk.
 * owner NULL: only root may own the folders and the walk goes up to /.
 */
int seckey_walk_init(struct seckey_walk *w, const char *path,
    const struct seckey_user *owner, bool mkdirs, struct seckey_diag *diag);

/*
 * Open and check every folder down to the one holding the file; on
 * success w->dir_fd (the caller closes it) and w->base are set.
 */
int seckey_walk(struct seckey_walk *w, struct seckey_diag *diag);

/* Map an errno value from a file operation on name to SECKEY_ERR_*. */
int seckey_fs_error(int err, const char *name, struct seckey_diag *diag);

#endif /* SECKEY_WALK_H */
