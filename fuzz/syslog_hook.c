/*
 * syslog_hook.c: syslog for the fuzz programs.  libpam's pam_syslog()
 * ends in __syslog_chk(); defined here, these preempt the C library's,
 * so a fuzzing run never floods the system log and every line can be
 * checked by syslog_hook.  <syslog.h> stays out: with _FORTIFY_SOURCE
 * it turns some of these names into macros.
 */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>

#include "syslog_hook.h"

void (*syslog_hook)(int priority, const char *line);

void openlog(const char *ident, int option, int facility);
void closelog(void);
void syslog(int priority, const char *fmt, ...)
    __attribute__((__format__(__printf__, 2, 3)));
void vsyslog(int priority, const char *fmt, va_list ap)
    __attribute__((__format__(__printf__, 2, 0)));
void __syslog_chk(int priority, int flag, const char *fmt, ...)
    __attribute__((__format__(__printf__, 3, 4)));
void __vsyslog_chk(int priority, int flag, const char *fmt, va_list ap)
    __attribute__((__format__(__printf__, 3, 0)));

void
openlog(const char *ident, int option, int facility)
{
}

void
closelog(void)
{
}

void
vsyslog(int priority, const char *fmt, va_list ap)
{
	char line[2048];

	vsnprintf(line, sizeof(line), fmt, ap);
	if (syslog_hook != NULL)
		syslog_hook(priority, line);
}

void
syslog(int priority, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsyslog(priority, fmt, ap);
	va_end(ap);
}

void
__vsyslog_chk(int priority, int flag, const char *fmt, va_list ap)
{
	vsyslog(priority, fmt, ap);
}

void
__syslog_chk(int priority, int flag, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsyslog(priority, fmt, ap);
	va_end(ap);
}
