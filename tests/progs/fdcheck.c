/*
 * fdcheck: which descriptors a program inherited, for the test that a
 * PAM conversation leaks none of the module's (tests/pam/cloexec.sh).
 *
 * Prints "fdcheck: fd N -> TARGET" for each open descriptor above 2 and
 * exits 1 if there is one; else prints "fdcheck: only 0, 1 and 2" and
 * exits 0.  A descriptor whose target starts with $FDCHECK_IGNORE is not
 * counted (valgrind's log files, under make check-pam-valgrind).  Descriptors are probed with fcntl(), not listed from
 * /proc/self/fd, so that the listing's own descriptor (and valgrind's,
 * which it hides from its client) are never counted.
 */
#include "config.h"

#include <sys/resource.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SCAN_MAX	65536

int
main(void)
{
	struct rlimit lim;
	const char *ignore = getenv("FDCHECK_IGNORE");
	char link[64], target[4096];
	ssize_t len;
	long max = SCAN_MAX;
	int fd, found = 0;

	if (getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < SCAN_MAX)
		max = (long)lim.rlim_cur;
	for (fd = 3; fd < max; fd++) {
		if (fcntl(fd, F_GETFD) == -1)
			continue;
		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
		if ((len = readlink(link, target, sizeof(target) - 1)) < 0)
			len = 0;
		target[len] = '\0';
		if (ignore != NULL && *ignore != '\0' &&
		    strncmp(target, ignore, strlen(ignore)) == 0)
			continue;
		printf("fdcheck: fd %d -> %s\n", fd, target);
		found = 1;
	}
	if (!found)
		printf("fdcheck: only 0, 1 and 2\n");
	return found;
}
