/*
 * seckey_time.h: the monotonic clock for the waits on keys, and the
 * creation time of a key as a key list writes it.
 */
#ifndef SECKEY_TIME_H
#define SECKEY_TIME_H

#include <time.h>

/* "2026-11-26T08:00:00Z" and the NUL. */
#define SECKEY_TIME_LEN		21

/* Milliseconds on the monotonic clock, for the waits on keys. */
long long seckey_now_ms(void);
void seckey_sleep_ms(long long ms);

/* Only "YYYY-MM-DDTHH:MM:SSZ" (RFC 3339, UTC, no fraction), 1970..9999. */
int seckey_time_parse(const char *text, time_t *t);
int seckey_time_format(time_t t, char text[SECKEY_TIME_LEN]);

#endif /* SECKEY_TIME_H */
