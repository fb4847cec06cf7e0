/*
 * seckey_fd.c: the descriptors a libfido2 open added, made close-on-exec.
 *
 * libfido2 gives no access to its descriptor, and I/O functions of our
 * own would be a second HID layer (report sizes from the report
 * descriptor, NFC, PC/SC); closing the key before the conversation and
 * opening it again after costs a CTAPHID INIT and a getInfo, and lets
 * another process take the key in between.  So the open descriptors are
 * listed before fido_dev_open() and after, and the new ones lacking
 * FD_CLOEXEC get it.
 *
 * The trade-offs.  A descriptor that another thread of the host opened
 * without FD_CLOEXEC in the same moment is marked too; a program that
 * means to hand a descriptor to a child dup2()s it in the child, which
 * clears the flag, so that is harmless.  A fork and exec by another
 * thread during fido_dev_open() itself still inherits the key: only
 * libfido2 opening with O_CLOEXEC closes that window, and no
 * conversation runs then.
 */
#include "config.h"

#include <sys/resource.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "seckey_fd.h"

/*
 * Without /proc (a chroot), descriptors are probed one by one up to the
 * soft limit, but no further than this: a library's descriptor is the
 * lowest free one, far below it in any process that reaches here.
 */
#define FD_SCAN_MAX	65536

static int
append(struct seckey_fds *snap, size_t *cap, int fd)
{
	int *grown;
	size_t newcap;

	if (snap->count == *cap) {
		newcap = *cap == 0 ? 64 : *cap * 2;
		if (newcap > SIZE_MAX / sizeof(*grown) ||
		    (grown = realloc(snap->fds, newcap * sizeof(*grown))) ==
		    NULL)
			return SECKEY_ERR_NOMEM;
		snap->fds = grown;
		*cap = newcap;
	}
	snap->fds[snap->count++] = fd;
	return SECKEY_OK;
}

/* The entries of /proc/self/fd, but for the descriptor reading it. */
static int
list_proc(struct seckey_fds *snap, size_t *cap, DIR *dir)
{
	struct dirent *entry;
	char *end;
	long fd;
	int r;

	for (;;) {
		errno = 0;
		if ((entry = readdir(dir)) == NULL)
			return errno == 0 ? SECKEY_OK : SECKEY_ERR_IO;
		if (entry->d_name[0] < '0' || entry->d_name[0] > '9')
			continue;
		errno = 0;
		fd = strtol(entry->d_name, &end, 10);
		if (errno != 0 || *end != '\0' || fd > INT_MAX ||
		    fd == dirfd(dir))
			continue;
		if ((r = append(snap, cap, (int)fd)) != SECKEY_OK)
			return r;
	}
}

static int
list_scan(struct seckey_fds *snap, size_t *cap)
{
	struct rlimit lim;
	rlim_t max = FD_SCAN_MAX;
	int fd, r;

	if (getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < max)
		max = lim.rlim_cur;
	for (fd = 0; (rlim_t)fd < max; fd++)
		if (fcntl(fd, F_GETFD) != -1 &&
		    (r = append(snap, cap, fd)) != SECKEY_OK)
			return r;
	return SECKEY_OK;
}

static int
compare_fd(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

int
seckey_fds_snapshot(struct seckey_fds *snap)
{
	DIR *dir;
	size_t cap = 0;
	int r;

	memset(snap, 0, sizeof(*snap));
	/* opendir() uses O_CLOEXEC itself. */
	if ((dir = opendir("/proc/self/fd")) != NULL) {
		r = list_proc(snap, &cap, dir);
		closedir(dir);
	} else {
		r = errno == ENOMEM ? SECKEY_ERR_NOMEM : list_scan(snap, &cap);
	}
	if (r != SECKEY_OK) {
		seckey_fds_free(snap);
		return r;
	}
	if (snap->count > 1)
		qsort(snap->fds, snap->count, sizeof(*snap->fds), compare_fd);
	return SECKEY_OK;
}

int
seckey_fds_cloexec_new(const struct seckey_fds *before)
{
	struct seckey_fds now;
	size_t i;
	int flags, marked = 0, r;

	if ((r = seckey_fds_snapshot(&now)) != SECKEY_OK)
		return r;
	for (i = 0; i < now.count; i++) {
		if (before->count > 0 && bsearch(&now.fds[i], before->fds,
		    before->count, sizeof(*before->fds), compare_fd) != NULL)
			continue;
		/* Gone again meanwhile (another thread): nothing to do. */
		if ((flags = fcntl(now.fds[i], F_GETFD)) == -1 ||
		    (flags & FD_CLOEXEC))
			continue;
		if (fcntl(now.fds[i], F_SETFD, flags | FD_CLOEXEC) == 0)
			marked++;
	}
	seckey_fds_free(&now);
	return marked;
}

void
seckey_fds_free(struct seckey_fds *snap)
{
	if (snap == NULL)
		return;
	free(snap->fds);
	snap->fds = NULL;
	snap->count = 0;
}
