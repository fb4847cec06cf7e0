/*
 * testutil.c: scratch folders and small file helpers for the unit tests.
 */
#include <config.h>

#include <sys/stat.h>

#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

char *
scratch_new(void)
{
	const char *tmp = getenv("TMPDIR");
	char templ[PATH_MAX], *dir;

	if (tmp == NULL || tmp[0] != '/')
		tmp = "/tmp";
	snprintf(templ, sizeof(templ), "%s/seckey-unit.XXXXXX", tmp);
	if (mkdtemp(templ) == NULL || (dir = strdup(templ)) == NULL) {
		perror("scratch_new");
		exit(99);
	}

	return dir;
}

static int
unlink_entry(const char *path, const struct stat *st, int type,
    struct FTW *ftw)
{
	if (type == FTW_DP)
		return rmdir(path) == 0 ? 0 : -1;

	return unlink(path) == 0 ? 0 : -1;
}

static int
open_up(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	if (type == FTW_D || type == FTW_DNR)
		chmod(path, 0700);

	return 0;
}

void
scratch_remove(char **dirp)
{
	if (dirp == NULL || *dirp == NULL)
		return;
	/* Tests leave folders unreadable on purpose: open them first. */
	chmod(*dirp, 0700);
	nftw(*dirp, open_up, 16, FTW_PHYS);
	if (nftw(*dirp, unlink_entry, 16, FTW_DEPTH | FTW_PHYS) != 0)
		fprintf(stderr, "# cannot remove %s\n", *dirp);
	free(*dirp);
	*dirp = NULL;
}

int
write_text(const char *path, const char *text, mode_t mode)
{
	size_t len = strlen(text);
	int fd, r = -1;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW |
	    O_CLOEXEC, 0600)) < 0)
		return -1;
	if (write(fd, text, len) == (ssize_t)len && fchmod(fd, mode) == 0)
		r = 0;
	if (close(fd) != 0)
		r = -1;

	return r;
}

const char *
read_text(const char *path)
{
	static char buf[256 * 1024];
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return NULL;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return NULL;
	buf[n] = '\0';

	return buf;
}

bool
is_root(void)
{
	return geteuid() == 0;
}
