/*
 * vclock.h: virtual time for the sign-ins of fuzz_pam.
 *
 * The module waits for a key in 200 ms steps up to the policy's timeout
 * (one second at least), so with real time most inputs would take a
 * second.  The fuzz programs are linked with
 *
 *	-Wl,--wrap=seckey_now_ms -Wl,--wrap=nanosleep
 *
 * and between vclock_start() and vclock_stop() a sleep of libseckey's
 * returns at once and moves its clock forward instead.  libfido2 keeps
 * real time; the fake keys answer at once or not at all.
 */
#ifndef SECKEY_FUZZ_VCLOCK_H
#define SECKEY_FUZZ_VCLOCK_H

void vclock_start(void);
void vclock_stop(void);

#endif /* SECKEY_FUZZ_VCLOCK_H */
