/*
 * tap.c: the TAP writer of the unit tests (see tap.h).
 */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"

static int planned = -1;
static int tests;
static int failures;

void
plan(int count)
{
	planned = count;
	printf("1..%d\n", count);
	fflush(stdout);
}

void
plan_skip_all(const char *why)
{
	printf("1..0 # SKIP %s\n", why);
	fflush(stdout);
	exit(0);
}

/*
 * A description must stay on its line, and a '#' in it would read as a
 * TAP directive: control characters become '?', '#' is escaped.
 */
static int
report(int cond, const char *fmt, va_list ap)
{
	char what[512];
	size_t i;

	vsnprintf(what, sizeof(what), fmt, ap);
	tests++;
	if (!cond)
		failures++;
	printf("%sok %d - ", cond ? "" : "not ", tests);
	for (i = 0; what[i] != '\0'; i++) {
		if ((unsigned char)what[i] < 0x20 || what[i] == 0x7f)
			putchar('?');
		else if (what[i] == '#')
			fputs("\\#", stdout);
		else
			putchar(what[i]);
	}
	printf("\n");
	fflush(stdout);

	return cond;
}

int
ok(int cond, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = report(cond, fmt, ap);
	va_end(ap);

	return r;
}

int
is_int(long got, long want, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = report(got == want, fmt, ap);
	va_end(ap);
	if (!r)
		note("got %ld, want %ld", got, want);

	return r;
}

int
is_str(const char *got, const char *want, const char *fmt, ...)
{
	va_list ap;
	int r, same;

	same = (got == NULL && want == NULL) ||
	    (got != NULL && want != NULL && strcmp(got, want) == 0);
	va_start(ap, fmt);
	r = report(same, fmt, ap);
	va_end(ap);
	if (!r)
		note("got \"%s\", want \"%s\"", got ? got : "(null)",
		    want ? want : "(null)");

	return r;
}

int
has_str(const char *haystack, const char *needle, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = report(haystack != NULL && strstr(haystack, needle) != NULL,
	    fmt, ap);
	va_end(ap);
	if (!r)
		note("\"%s\" does not contain \"%s\"",
		    haystack ? haystack : "(null)", needle);

	return r;
}

void
skip(int count, const char *fmt, ...)
{
	va_list ap;

	while (count-- > 0) {
		tests++;
		printf("ok %d # SKIP ", tests);
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		printf("\n");
	}
	fflush(stdout);
}

void
note(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

int
done(void)
{
	if (planned < 0)
		printf("1..%d\n", tests);
	else if (planned != tests)
		note("planned %d tests but ran %d", planned, tests);
	fflush(stdout);

	return failures == 0 && (planned < 0 || planned == tests) ? 0 : 1;
}
