/*
 * seckey_time.c: time, in the two forms the library needs: milliseconds
 * on the monotonic clock for the waits on keys, and the creation time of
 * a key as the key list writes it ("2026-11-26T08:00:00Z").
 */
#include <config.h>

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "seckey_error.h"
#include "seckey_time.h"

long long
seckey_now_ms(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return 0;
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
seckey_sleep_ms(long long ms)
{
	struct timespec ts;

	if (ms <= 0)
		return;
	ts.tv_sec = (time_t)(ms / 1000);
	ts.tv_nsec = (long)(ms % 1000) * 1000000;
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		continue;
}

static int
days_in_month(int year, int month)
{
	static const int days[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	return month == 2 && leap ? 29 : days[month - 1];
}

/* The number made of the digits at text[from .. from + n). */
static int
number_at(const char *text, size_t from, size_t n)
{
	int v = 0;

	while (n-- > 0)
		v = v * 10 + (text[from++] - '0');

	return v;
}

int
seckey_time_parse(const char *text, time_t *t)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
	struct tm tm;
	time_t v;
	size_t i;

	if (text == NULL || t == NULL)
		return SECKEY_ERR_INVAL;
	if (strlen(text) != sizeof(shape) - 1)
		return SECKEY_ERR_SYNTAX;
	for (i = 0; shape[i] != '\0'; i++)
		if (shape[i] == 'd' ? (text[i] < '0' || text[i] > '9') :
		    text[i] != shape[i])
			return SECKEY_ERR_SYNTAX;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = number_at(text, 0, 4) - 1900;
	tm.tm_mon = number_at(text, 5, 2) - 1;
	tm.tm_mday = number_at(text, 8, 2);
	tm.tm_hour = number_at(text, 11, 2);
	tm.tm_min = number_at(text, 14, 2);
	tm.tm_sec = number_at(text, 17, 2);
	/* timegm() would quietly normalize 2026-02-30 to March. */
	if (tm.tm_year < 70 || tm.tm_mon < 0 || tm.tm_mon > 11 ||
	    tm.tm_mday < 1 ||
	    tm.tm_mday > days_in_month(tm.tm_year + 1900, tm.tm_mon + 1) ||
	    tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 59)
		return SECKEY_ERR_SYNTAX;
	if ((v = timegm(&tm)) == (time_t)-1)
		return SECKEY_ERR_SYNTAX;
	*t = v;

	return SECKEY_OK;
}

int
seckey_time_format(time_t t, char text[SECKEY_TIME_LEN])
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL || tm.tm_year < 70 ||
	    tm.tm_year > 9999 - 1900)
		return SECKEY_ERR_RANGE;
	if (strftime(text, SECKEY_TIME_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm) !=
	    SECKEY_TIME_LEN - 1)
		return SECKEY_ERR_RANGE;

	return SECKEY_OK;
}
