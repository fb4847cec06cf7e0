/*
 * test_fd.c: the descriptors added since a snapshot are made
 * close-on-exec, and only those (seckey_fd.c).
 */
#include <config.h>

#include <fcntl.h>
#include <unistd.h>

#include "seckey_fd.h"
#include "tap.h"

#define MANY	100	/* more than the snapshot's first allocation */

static int
cloexec(int fd)
{
	int flags = fcntl(fd, F_GETFD);

	return flags == -1 ? -1 : (flags & FD_CLOEXEC) != 0;
}

int
main(void)
{
	struct seckey_fds before;
	int old_fd, new_fd, own_fd, many[MANY], i, opened = 0;

	old_fd = open("/dev/null", O_RDONLY);
	for (i = 0; i < MANY; i++)
		if ((many[i] = open("/dev/null", O_RDONLY | O_CLOEXEC)) >= 0)
			opened++;
	is_int(opened, MANY, "%d descriptors opened", MANY);
	is_int(seckey_fds_snapshot(&before), 0, "a snapshot is taken");
	ok(before.count >= MANY + 4, "it holds them all (%zu)", before.count);
	new_fd = open("/dev/null", O_RDONLY);
	own_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	ok(old_fd >= 0 && new_fd >= 0 && own_fd >= 0, "more are opened");
	is_int(seckey_fds_cloexec_new(&before), 1, "one new descriptor lacked "
	    "FD_CLOEXEC and is marked");
	is_int(cloexec(new_fd), 1, "the new one is close-on-exec now");
	is_int(cloexec(own_fd), 1, "the one opened with O_CLOEXEC still is");
	is_int(cloexec(old_fd), 0, "the one open before is left alone");
	is_int(seckey_fds_cloexec_new(&before), 0, "a second pass marks none");
	seckey_fds_free(&before);
	ok(before.fds == NULL && before.count == 0, "free empties it");
	seckey_fds_free(&before);
	close(old_fd);
	close(new_fd);
	close(own_fd);
	for (i = 0; i < MANY; i++)
		if (many[i] >= 0)
			close(many[i]);
	return done();
}
