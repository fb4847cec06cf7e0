/*
 * seckey_walk.c: check every folder from a trusted starting point down
 * to a file, through descriptors, refusing symbolic links.
 */
#include <config.h>

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "seckey_walk.h"

int
seckey_fs_error(int err, const char *name, struct seckey_diag *diag)
{
	switch (err) {
	case ENOENT:
		seckey_diag_set(diag, name, 0, "no such file or directory");
		return SECKEY_ERR_NOENT;
	case ELOOP:
		seckey_diag_set(diag, name, 0, "is a symbolic link (refused)");
		return SECKEY_ERR_PERM;
	case ENOTDIR:
		seckey_diag_set(diag, name, 0, "a component is a symbolic "
		    "link or not a directory (refused)");
		return SECKEY_ERR_PERM;
	case EACCES:
	case EPERM:
		seckey_diag_set(diag, name, 0, "permission denied");
		return SECKEY_ERR_PERM;
	case ENOMEM:
		seckey_diag_set(diag, name, 0, "out of memory");
		return SECKEY_ERR_NOMEM;
	default:
		seckey_diag_set(diag, name, 0, "%s", strerror(err));
		return SECKEY_ERR_IO;
	}
}

/*
 * Only absolute paths without "." or ".." components: the home prefix
 * test below compares strings, so a ".." could otherwise climb out of
 * the home after the test said "inside".
 */
static int
check_path(const char *path, struct seckey_diag *diag)
{
	const char *p, *end;
	size_t len;

	if (path == NULL)
		return SECKEY_ERR_INVAL;
	len = strlen(path);
	if (path[0] != '/' || len >= PATH_MAX || path[len - 1] == '/')
		goto fail;
	for (p = path; *p != '\0'; p = end) {
		while (*p == '/')
			p++;
		end = p + strcspn(p, "/");
		if ((end - p == 1 && p[0] == '.') ||
		    (end - p == 2 && p[0] == '.' && p[1] == '.') ||
		    end - p > NAME_MAX)
			goto fail;
	}

	return SECKEY_OK;
fail:
	seckey_diag_set(diag, path, 0, "not an absolute, normalized path");
	return SECKEY_ERR_INVAL;
}

/* Length of the home folder if path lies inside it, else 0. */
static size_t
home_prefix(const char *path, const char *home)
{
	size_t len;

	if (home == NULL || home[0] != '/')
		return 0;
	len = strlen(home);
	while (len > 0 && home[len - 1] == '/')
		len--;
	if (len == 0 || strncmp(path, home, len) != 0 || path[len] != '/')
		return 0;

	return len;
}

/*
 * The folder named by the first len bytes of path ("/" for 0) must be a
 * directory owned by the user or root that nobody else may write to.
 * Root-owned sticky folders such as /tmp are refused too: the sticky bit
 * stops others from renaming our entries, but not from creating the
 * names we are about to use, so such a folder cannot vouch for its
 * contents.
 */
static int
check_dir(int fd, const char *path, size_t len, uid_t uid,
    struct seckey_diag *diag)
{
	char name[PATH_MAX];
	struct stat st;

	snprintf(name, sizeof(name), "%.*s", len > 0 ? (int)len : 1,
	    len > 0 ? path : "/");
	if (fstat(fd, &st) != 0)
		return seckey_fs_error(errno, name, diag);
	if (!S_ISDIR(st.st_mode)) {
		seckey_diag_set(diag, name, 0, "not a directory");
		return SECKEY_ERR_PERM;
	}
	if (st.st_uid != uid && st.st_uid != 0) {
		seckey_diag_set(diag, name, 0,
		    "folder owned by uid %lu, not by the user or root",
		    (unsigned long)st.st_uid);
		return SECKEY_ERR_PERM;
	}
	if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
		seckey_diag_set(diag, name, 0,
		    "folder is writable by group or others");
		return SECKEY_ERR_PERM;
	}

	return SECKEY_OK;
}

/* Open one folder below parent, creating it first if asked to. */
static int
open_component(const struct seckey_walk *w, int parent, const char *comp,
    size_t end, int *fdp, struct seckey_diag *diag)
{
	char name[PATH_MAX];
	int fd, flags = O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;

	snprintf(name, sizeof(name), "%.*s", (int)end, w->path);
	fd = openat(parent, comp, flags);
	if (fd < 0 && errno == ENOENT && w->mkdirs) {
		if (mkdirat(parent, comp, w->dir_mode) != 0 && errno != EEXIST)
			return seckey_fs_error(errno, name, diag);
		fd = openat(parent, comp, flags);
	}
	if (fd < 0)
		return seckey_fs_error(errno, name, diag);
	*fdp = fd;

	return SECKEY_OK;
}

/*
 * Only a folder inside the user's home may be missing for "no such file"
 * (a user who never registered a key has no ~/.config/seckey): a home
 * that is not there (not mounted, not yet decrypted) or a missing folder
 * outside it says nothing about the user's keys, and must not pass for
 * "no key registered".
 */
static int
missing_folder(const struct seckey_walk *w, int err, const char *name,
    struct seckey_diag *diag)
{
	char copy[PATH_MAX];

	if (err != ENOENT)
		return seckey_fs_error(err, name, diag);
	snprintf(copy, sizeof(copy), "%s", name);
	seckey_diag_set(diag, copy, 0, w->home_len > 0 ? "the home folder "
	    "does not exist" : "the folder does not exist");
	return SECKEY_ERR_NOFOLDER;
}

int
seckey_walk_init(struct seckey_walk *w, const char *path,
    const struct seckey_user *owner, bool mkdirs, struct seckey_diag *diag)
{
	memset(w, 0, sizeof(*w));
	w->dir_fd = -1;
	w->path = path;
	w->mkdirs = mkdirs;
	w->dir_mode = 0700;
	w->uid = owner != NULL ? owner->uid : 0;
	if (check_path(path, diag) != SECKEY_OK)
		return SECKEY_ERR_INVAL;
	w->home_len = owner != NULL ? home_prefix(path, owner->home) : 0;

	return SECKEY_OK;
}

int
seckey_walk(struct seckey_walk *w, struct seckey_diag *diag)
{
	char start[PATH_MAX], comp[NAME_MAX + 1];
	const char *p, *end;
	int fd, next = -1, r;

	/* The home itself may be reached through a symbolic link: its
	 * path comes from the password database, not from the user. */
	memcpy(start, w->path, w->home_len);
	start[w->home_len] = '\0';
	if (w->home_len == 0)
		strcpy(start, "/");
	if ((fd = open(start, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		return missing_folder(w, errno, start, diag);
	if ((r = check_dir(fd, w->path, w->home_len, w->uid, diag)) != 0)
		goto fail;

	for (p = w->path + w->home_len;; p = end) {
		while (*p == '/')
			p++;
		end = p + strcspn(p, "/");
		if (*end == '\0')
			break;
		memcpy(comp, p, (size_t)(end - p));
		comp[end - p] = '\0';
		if ((r = open_component(w, fd, comp, (size_t)(end - w->path),
		    &next, diag)) != SECKEY_OK) {
			/* diag may be NULL: the caller wants no message. */
			if (r == SECKEY_ERR_NOENT && w->home_len == 0)
				r = missing_folder(w, ENOENT, diag != NULL ?
				    diag->file : w->path, diag);
			goto fail;
		}
		close(fd);
		fd = next;
		if ((r = check_dir(fd, w->path, (size_t)(end - w->path),
		    w->uid, diag)) != SECKEY_OK)
			goto fail;
	}
	w->dir_fd = fd;
	w->base = p;
	fd = -1;

	r = SECKEY_OK;
fail:
	if (fd >= 0)
		close(fd);

	return r;
}
