/*
 * vclock.c: the wrappers behind vclock.h.  Only the calling thread's
 * sleeps are virtual, and only while a sign-in runs, so libFuzzer's own
 * threads and timers keep real time.
 */
#include <config.h>

#include <stdbool.h>
#include <time.h>

#include "vclock.h"

long long __real_seckey_now_ms(void);
long long __wrap_seckey_now_ms(void);
int __real_nanosleep(const struct timespec *req, struct timespec *rem);
int __wrap_nanosleep(const struct timespec *req, struct timespec *rem);

static __thread bool active;
static __thread long long skipped_ms;

long long
__wrap_seckey_now_ms(void)
{
	return __real_seckey_now_ms() + (active ? skipped_ms : 0);
}

int
__wrap_nanosleep(const struct timespec *req, struct timespec *rem)
{
	if (!active)
		return __real_nanosleep(req, rem);
	skipped_ms += (long long)req->tv_sec * 1000 + req->tv_nsec / 1000000;
	if (rem != NULL)
		rem->tv_sec = rem->tv_nsec = 0;

	return 0;
}

void
vclock_start(void)
{
	skipped_ms = 0;
	active = true;
}

void
vclock_stop(void)
{
	active = false;
}
