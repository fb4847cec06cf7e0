/*
 * tap.h: a tiny Test Anything Protocol writer for the C unit tests.
 *
 * Each check prints "ok N - what" or "not ok N - what"; done() prints
 * the plan at the end and returns the exit status.  automake's
 * tap-driver.sh reads the output.
 */
#ifndef SECKEY_TAP_H
#define SECKEY_TAP_H

#define TAP_PRINTF(f, a)	__attribute__((__format__(__printf__, f, a)))

/* Announce the number of tests up front (optional: done() can). */
void plan(int count);

/* Nothing here can run: print "1..0 # SKIP why" and exit 0. */
void plan_skip_all(const char *why) __attribute__((__noreturn__));

int ok(int cond, const char *fmt, ...) TAP_PRINTF(2, 3);
int is_int(long got, long want, const char *fmt, ...) TAP_PRINTF(3, 4);
int is_str(const char *got, const char *want, const char *fmt, ...)
    TAP_PRINTF(3, 4);

/* Does haystack contain needle?  For checking diagnostics. */
int has_str(const char *haystack, const char *needle, const char *fmt, ...)
    TAP_PRINTF(3, 4);

/* Record count tests as skipped, saying why. */
void skip(int count, const char *fmt, ...) TAP_PRINTF(2, 3);

/* A "# ..." comment line. */
void note(const char *fmt, ...) TAP_PRINTF(1, 2);

/* Print the plan if none was given; 0 if every test passed, else 1. */
int done(void);

#endif /* SECKEY_TAP_H */
