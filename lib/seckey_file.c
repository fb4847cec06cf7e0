/*
 * seckey_file.c: safe reading and atomic writing of trusted files, on
 * top of the folder walk of seckey_walk.c.
 */
#include <config.h>

#include <sys/file.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "seckey_file.h"
#include "seckey_mem.h"
#include "seckey_priv.h"
#include "seckey_walk.h"

struct seckey_lock {
	int		 dir_fd;	/* O_RDONLY: flock needs a real fd */
	char		*path;
	char		*base;
	bool		 as_user;	/* write as the user */
	uid_t		 uid;
	gid_t		 gid;
};

/* Restore the caller's identity; failing to is worse than any error. */
static int
priv_end(bool dropped, struct seckey_priv *priv, int r,
    struct seckey_diag *diag)
{
	struct seckey_diag restore_diag;

	if (!dropped)
		return r;
	if (seckey_priv_restore(priv, &restore_diag) != SECKEY_OK) {
		if (diag != NULL)
			*diag = restore_diag;
		return SECKEY_ERR_PERM;
	}

	return r;
}

/*
 * O_NONBLOCK keeps a FIFO planted in place of the file from hanging the
 * open; fstat then refuses it as not regular.
 */
static int
open_file(const struct seckey_walk *w, bool secret, int *fdp,
    struct seckey_diag *diag)
{
	struct stat st;
	int fd, r = SECKEY_ERR_PERM;

	fd = openat(w->dir_fd, w->base,
	    O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return seckey_fs_error(errno, w->path, diag);
	if (fstat(fd, &st) != 0) {
		r = seckey_fs_error(errno, w->path, diag);
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		seckey_diag_set(diag, w->path, 0, "not a regular file");
		goto fail;
	}
	if (st.st_uid != w->uid && st.st_uid != 0) {
		seckey_diag_set(diag, w->path, 0,
		    "owned by uid %lu, not by the user or root",
		    (unsigned long)st.st_uid);
		goto fail;
	}
	if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
		seckey_diag_set(diag, w->path, 0,
		    "writable by group or others");
		goto fail;
	}
	if (secret && (st.st_mode & (S_IRGRP | S_IROTH)) != 0) {
		seckey_diag_set(diag, w->path, 0, "holds a secret but is "
		    "readable by group or others (chmod 0600)");
		goto fail;
	}
	if (st.st_size > SECKEY_FILE_MAX) {
		r = SECKEY_ERR_TOOBIG;
		seckey_diag_set(diag, w->path, 0, "larger than %d bytes",
		    SECKEY_FILE_MAX);
		goto fail;
	}
	*fdp = fd;
	fd = -1;

	r = SECKEY_OK;
fail:
	if (fd >= 0)
		close(fd);

	return r;
}

/* Read one byte past the cap, so that a file that grew is caught. */
static int
read_all(int fd, const char *path, char **data, size_t *len,
    struct seckey_diag *diag)
{
	char *buf;
	size_t have = 0;
	ssize_t n;
	int r = SECKEY_ERR_IO;

	if ((buf = malloc(SECKEY_FILE_MAX + 1)) == NULL) {
		seckey_diag_set(diag, path, 0, "out of memory");
		return SECKEY_ERR_NOMEM;
	}
	while (have <= SECKEY_FILE_MAX) {
		n = read(fd, buf + have, SECKEY_FILE_MAX + 1 - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = seckey_fs_error(errno, path, diag);
			goto fail;
		}
		if (n == 0)
			break;
		have += (size_t)n;
	}
	if (have > SECKEY_FILE_MAX) {
		r = SECKEY_ERR_TOOBIG;
		seckey_diag_set(diag, path, 0, "larger than %d bytes",
		    SECKEY_FILE_MAX);
		goto fail;
	}
	buf[have] = '\0';
	*data = buf;
	*len = have;
	buf = NULL;

	r = SECKEY_OK;
fail:
	/* A secret's file may have been read in part. */
	seckey_freezero(buf, SECKEY_FILE_MAX + 1);

	return r;
}

static int
read_checked(const char *path, const struct seckey_user *owner, bool secret,
    char **data, size_t *len, struct seckey_diag *diag)
{
	struct seckey_priv priv;
	struct seckey_walk w;
	bool dropped = false;
	int fd = -1, r;

	if (data == NULL || len == NULL)
		return SECKEY_ERR_INVAL;
	*data = NULL;
	*len = 0;
	if ((r = seckey_walk_init(&w, path, owner, false, diag)) != SECKEY_OK)
		return r;

	if (w.home_len > 0) {
		if ((r = seckey_priv_drop(owner->uid, owner->gid, &priv,
		    diag)) != SECKEY_OK)
			goto fail;
		dropped = true;
	}
	if ((r = seckey_walk(&w, diag)) != SECKEY_OK ||
	    (r = open_file(&w, secret, &fd, diag)) != SECKEY_OK)
		goto fail;
	r = read_all(fd, path, data, len, diag);
fail:
	if (fd >= 0)
		close(fd);
	if (w.dir_fd >= 0)
		close(w.dir_fd);
	if ((r = priv_end(dropped, &priv, r, diag)) != SECKEY_OK) {
		seckey_freezero(*data, *len);
		*data = NULL;
		*len = 0;
	}

	return r;
}

int
seckey_file_read(const char *path, const struct seckey_user *owner,
    char **data, size_t *len, struct seckey_diag *diag)
{
	return read_checked(path, owner, false, data, len, diag);
}

int
seckey_file_read_secret(const char *path, const struct seckey_user *owner,
    char **data, size_t *len, struct seckey_diag *diag)
{
	return read_checked(path, owner, true, data, len, diag);
}

static int
lock_dir(struct seckey_lock *lock, int dir_fd, struct seckey_diag *diag)
{
	lock->dir_fd = openat(dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (lock->dir_fd < 0)
		return seckey_fs_error(errno, lock->path, diag);
	/* Never wait: a helper stuck behind another one helps no one. */
	if (flock(lock->dir_fd, LOCK_EX | LOCK_NB) != 0) {
		if (errno == EWOULDBLOCK) {
			seckey_diag_set(diag, lock->path, 0,
			    "another process is changing this file");
			return SECKEY_ERR_LOCKED;
		}
		return seckey_fs_error(errno, lock->path, diag);
	}

	return SECKEY_OK;
}

int
seckey_file_lock(const char *path, const struct seckey_user *owner,
    int flags, struct seckey_lock **lockp, struct seckey_diag *diag)
{
	struct seckey_lock *lock = NULL;
	struct seckey_priv priv;
	struct seckey_walk w;
	bool dropped = false;
	int r;

	if (lockp == NULL)
		return SECKEY_ERR_INVAL;
	*lockp = NULL;
	if ((r = seckey_walk_init(&w, path, owner,
	    (flags & SECKEY_FILE_MKDIR) != 0, diag)) != SECKEY_OK)
		return r;
	r = SECKEY_ERR_NOMEM;
	if ((lock = calloc(1, sizeof(*lock))) == NULL)
		goto fail;
	lock->dir_fd = -1;
	if ((lock->path = strdup(path)) == NULL)
		goto fail;

	if (w.home_len > 0) {
		lock->as_user = true;
		lock->uid = owner->uid;
		lock->gid = owner->gid;
		if ((r = seckey_priv_drop(owner->uid, owner->gid, &priv,
		    diag)) != SECKEY_OK)
			goto fail;
		dropped = true;
	}
	if ((r = seckey_walk(&w, diag)) != SECKEY_OK)
		goto fail;
	if ((lock->base = strdup(w.base)) == NULL) {
		r = SECKEY_ERR_NOMEM;
		goto fail;
	}
	r = lock_dir(lock, w.dir_fd, diag);
fail:
	if (r == SECKEY_ERR_NOMEM)
		seckey_diag_set(diag, path, 0, "out of memory");
	if (w.dir_fd >= 0)
		close(w.dir_fd);
	if ((r = priv_end(dropped, &priv, r, diag)) == SECKEY_OK) {
		*lockp = lock;
		lock = NULL;
	}
	seckey_file_unlock(&lock);

	return r;
}

/* Returns 0 or an errno value. */
static int
write_all(int fd, const unsigned char *p, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno;
		if (n == 0)
			return EIO;
		p += n;
		len -= (size_t)n;
	}

	return 0;
}

/* Write, sync and close the temporary file; returns 0 or an errno value. */
static int
fill_temp(int fd, const void *data, size_t len, mode_t mode)
{
	int err;

	/* The umask must not decide the mode of a key list. */
	if (fchmod(fd, mode) != 0)
		return errno;
	if ((err = write_all(fd, data, len)) != 0)
		return err;
	if (fsync(fd) != 0)
		return errno;

	return 0;
}

/*
 * Create the temporary file tmp next to the target and fill it.  Once it
 * exists *created is set, so the caller removes it whatever happens next.
 */
static int
write_temp(const struct seckey_lock *lock, const char *tmp, const void *data,
    size_t len, mode_t mode, bool *created, struct seckey_diag *diag)
{
	int fd, err;

	/* We hold the lock, so an old temporary file is a crash's leftover. */
	if (unlinkat(lock->dir_fd, tmp, 0) != 0 && errno != ENOENT)
		return seckey_fs_error(errno, lock->path, diag);
	fd = openat(lock->dir_fd, tmp,
	    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return seckey_fs_error(errno, lock->path, diag);
	*created = true;
	err = fill_temp(fd, data, len, mode);
	if (close(fd) != 0 && err == 0)
		err = errno;
	if (err != 0) {
		seckey_diag_set(diag, lock->path, 0,
		    "cannot write the new contents: %s", strerror(err));
		return SECKEY_ERR_IO;
	}

	return SECKEY_OK;
}

/* Writes inside the home are made as the user (see seckey_file_lock). */
static int
drop_to_owner(const struct seckey_lock *lock, struct seckey_priv *priv,
    bool *dropped, struct seckey_diag *diag)
{
	int r;

	*dropped = false;
	if (!lock->as_user)
		return SECKEY_OK;
	if ((r = seckey_priv_drop(lock->uid, lock->gid, priv,
	    diag)) != SECKEY_OK)
		return r;
	*dropped = true;

	return SECKEY_OK;
}

/* A rename or an unlink is durable only once the folder is synced. */
static int
sync_folder(const struct seckey_lock *lock, const char *done,
    struct seckey_diag *diag)
{
	if (fsync(lock->dir_fd) == 0)
		return SECKEY_OK;
	seckey_diag_set(diag, lock->path, 0, "%s, but syncing the folder "
	    "failed: %s", done, strerror(errno));

	return SECKEY_ERR_IO;
}

int
seckey_file_replace(struct seckey_lock *lock, const void *data, size_t len,
    struct seckey_diag *diag)
{
	return seckey_file_replace_mode(lock, data, len, 0600, diag);
}

int
seckey_file_replace_mode(struct seckey_lock *lock, const void *data,
    size_t len, mode_t mode, struct seckey_diag *diag)
{
	struct seckey_priv priv;
	char tmp[NAME_MAX + 1];
	bool dropped = false, created = false;
	int r;

	if (lock == NULL || (data == NULL && len > 0) ||
	    (mode & (S_IWGRP | S_IWOTH | S_IXUSR | S_IXGRP | S_IXOTH |
	    S_ISUID | S_ISGID | S_ISVTX)) != 0)
		return SECKEY_ERR_INVAL;
	if (snprintf(tmp, sizeof(tmp), ".%s.tmp", lock->base) >=
	    (int)sizeof(tmp)) {
		seckey_diag_set(diag, lock->path, 0, "file name too long");
		return SECKEY_ERR_INVAL;
	}
	if ((r = drop_to_owner(lock, &priv, &dropped, diag)) != SECKEY_OK)
		return r;

	if ((r = write_temp(lock, tmp, data, len, mode, &created,
	    diag)) != SECKEY_OK)
		goto fail;
	if (renameat(lock->dir_fd, tmp, lock->dir_fd, lock->base) != 0) {
		r = seckey_fs_error(errno, lock->path, diag);
		goto fail;
	}
	created = false;
	r = sync_folder(lock, "written", diag);
fail:
	if (created)
		unlinkat(lock->dir_fd, tmp, 0);

	return priv_end(dropped, &priv, r, diag);
}

int
seckey_file_remove(struct seckey_lock *lock, struct seckey_diag *diag)
{
	struct seckey_priv priv;
	bool dropped = false;
	int r;

	if (lock == NULL)
		return SECKEY_ERR_INVAL;
	if ((r = drop_to_owner(lock, &priv, &dropped, diag)) != SECKEY_OK)
		return r;
	if (unlinkat(lock->dir_fd, lock->base, 0) != 0 && errno != ENOENT)
		r = seckey_fs_error(errno, lock->path, diag);
	else
		r = sync_folder(lock, "removed", diag);

	return priv_end(dropped, &priv, r, diag);
}

void
seckey_file_unlock(struct seckey_lock **lockp)
{
	struct seckey_lock *lock;

	if (lockp == NULL || (lock = *lockp) == NULL)
		return;
	/* Closing the descriptor releases the flock. */
	if (lock->dir_fd >= 0)
		close(lock->dir_fd);
	free(lock->path);
	free(lock->base);
	free(lock);
	*lockp = NULL;
}
