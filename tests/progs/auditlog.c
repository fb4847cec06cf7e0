/*
 * auditlog.c: an LD_PRELOAD library for the PAM tests that stands in
 * for the kernel's audit log, which a test cannot read (no auditd, often
 * no audit in a container).  audit_open() gives a descriptor of
 * /dev/null instead of a netlink socket, and audit_log_user_message()
 * appends what it was asked to write, one line per record, to the file
 * SECKEY_AUDIT_LOG names:
 *
 *   type=<N> <message> hostname=<h> addr=<a> terminal=<t> res=<success|failed>
 *
 * The rest of libaudit (audit_encode_nv_string(), which encodes the
 * fields) is the real one.  Only pam_seckey.so (and seckey, whose
 * registration audits a refused attestation) gets a descriptor: libpam
 * audits too, and must keep meeting the audit_open() that fails, as
 * pam_wrapper's does; so does anyone without SECKEY_AUDIT_LOG.  It goes
 * before pam_wrapper in LD_PRELOAD (PAMRUN_PRELOAD), whose audit_open()
 * would win otherwise.  Test code only.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int audit_open(void);
void audit_close(int fd);
int audit_log_user_message(int audit_fd, int type, const char *message,
    const char *hostname, const char *addr, const char *tty, int result);

/* The descriptor audit_open() gave: audit_close() closes no other. */
static int our_fd = -1;

/* Is the code at addr part of pam_seckey.so, or of the seckey program? */
static int
from_module(const void *addr)
{
	Dl_info info;
	const char *base;

	if (dladdr(addr, &info) == 0 || info.dli_fname == NULL)
		return 0;
	base = strrchr(info.dli_fname, '/');
	base = base != NULL ? base + 1 : info.dli_fname;

	return strstr(info.dli_fname, "pam_seckey.so") != NULL ||
	    strcmp(base, "seckey") == 0;
}

int
audit_open(void)
{
	if (getenv("SECKEY_AUDIT_LOG") == NULL ||
	    !from_module(__builtin_return_address(0))) {
		errno = EPROTONOSUPPORT;	/* "no audit in this kernel" */
		return -1;
	}
	our_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	return our_fd;
}

void
audit_close(int fd)
{
	if (fd >= 0 && fd == our_fd) {
		close(fd);
		our_fd = -1;
	}
}

int
audit_log_user_message(int audit_fd, int type, const char *message,
    const char *hostname, const char *addr, const char *tty, int result)
{
	const char *path = getenv("SECKEY_AUDIT_LOG");
	char line[4096];
	int fd, len, r = -1;

	if (audit_fd < 0 || path == NULL || message == NULL)
		return -1;
	len = snprintf(line, sizeof(line), "type=%d %s hostname=%s addr=%s "
	    "terminal=%s res=%s\n", type, message, hostname ? hostname : "?",
	    addr ? addr : "?", tty ? tty : "?", result ? "success" : "failed");
	if (len < 0 || (size_t)len >= sizeof(line))
		return -1;
	/* One write per record, appended: sign-ins may run side by side. */
	if ((fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
	    0644)) < 0)
		return -1;
	if (write(fd, line, (size_t)len) == len)
		r = len;
	close(fd);
	return r;
}
