/*
 * seckey_keycache.c: the offline cache of the directory's answers, as
 * files under keys_cache (seckey_keycache.h).
 */
#include <config.h>

#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seckey_file.h"
#include "seckey_keycache.h"
#include "seckey_keylist_parse.h"
#include "seckey_time.h"

/* The first line of a user's file; the key list follows. */
#define HEADER_FORMAT	"# seckey offline cache, written %lld\n"
#define BACKOFF_NAME	".backoff"
/* Clocks of a fleet disagree a little; a file from further ahead is odd. */
#define FUTURE_SLACK	300
/* Another sign-in writes for milliseconds: wait this long for it. */
#define LOCK_TRIES	40
#define LOCK_WAIT_MS	25

/*
 * folder/name for a user.  A name that could step out of the folder, or
 * be taken for the back-off or a temporary file (a leading dot), has no
 * file.
 */
static int
cache_path(const char *folder, const char *name, char *path, size_t size,
    struct seckey_diag *diag)
{
	size_t i;

	for (i = 0; name[i] != '\0'; i++)
		if (name[i] == '/' || (unsigned char)name[i] < 0x20 ||
		    name[i] == 0x7f)
			break;
	if (name[0] == '\0' || name[0] == '.' || name[i] != '\0' ||
	    snprintf(path, size, "%s/%s", folder, name) >= (int)size) {
		/* Never echoed: a mistyped password may be a "user name". */
		seckey_diag_set(diag, folder, 0, "this user name cannot name "
		    "a file of the offline cache");
		return SECKEY_ERR_INVAL;
	}

	return SECKEY_OK;
}

static int
backoff_path(const char *folder, char *path, size_t size,
    struct seckey_diag *diag)
{
	if (snprintf(path, size, "%s/" BACKOFF_NAME, folder) < (int)size)
		return SECKEY_OK;
	seckey_diag_set(diag, folder, 0, "path too long");

	return SECKEY_ERR_INVAL;
}

/* The folder is shared by every sign-in: wait a little for its lock. */
static int
lock_waiting(const char *path, struct seckey_lock **lockp,
    struct seckey_diag *diag)
{
	unsigned int tries;
	int r;

	for (tries = 1;; tries++) {
		r = seckey_file_lock(path, NULL, SECKEY_FILE_MKDIR, lockp, diag);
		if (r != SECKEY_ERR_LOCKED || tries >= LOCK_TRIES)
			break;
		seckey_sleep_ms(LOCK_WAIT_MS);
	}

	return r;
}

/* The text of a user's file: the header, then the list. */
static int
cache_text(const struct seckey_keylist *list, const char *user, time_t now,
    char **textp, size_t *lenp, struct seckey_diag *diag)
{
	char header[64], *body = NULL, *text = NULL;
	size_t body_len = 0, header_len;
	int r;

	header_len = (size_t)snprintf(header, sizeof(header), HEADER_FORMAT,
	    (long long)now);
	if ((r = seckey_keylist_format(list, user, &body, &body_len,
	    diag)) != SECKEY_OK)
		goto out;
	r = SECKEY_ERR_NOMEM;
	if (body_len > SIZE_MAX - header_len - 1 ||
	    (text = malloc(header_len + body_len + 1)) == NULL) {
		seckey_diag_set(diag, NULL, 0, "out of memory");
		goto out;
	}
	memcpy(text, header, header_len);
	memcpy(text + header_len, body, body_len + 1);
	*textp = text;
	*lenp = header_len + body_len;
	r = SECKEY_OK;
out:
	free(body);

	return r;
}

int
seckey_keycache_save(const char *folder, const char *user,
    const struct seckey_keylist *list, time_t now, struct seckey_diag *diag)
{
	struct seckey_lock *lock = NULL;
	char path[PATH_MAX], *text = NULL;
	size_t len = 0;
	int r;

	if (folder == NULL || user == NULL || list == NULL)
		return SECKEY_ERR_INVAL;
	if ((r = cache_path(folder, user, path, sizeof(path),
	    diag)) != SECKEY_OK ||
	    (r = lock_waiting(path, &lock, diag)) != SECKEY_OK)
		goto out;
	if (list->count == 0) {
		r = seckey_file_remove(lock, diag);
		goto out;
	}
	if ((r = cache_text(list, user, now, &text, &len, diag)) != SECKEY_OK)
		goto out;
	r = seckey_file_replace(lock, text, len, diag);
out:
	seckey_file_unlock(&lock);
	free(text);

	return r;
}

/* The time a file records on its first line, "# ... written T\n". */
static int
recorded_time(const char *text, const char *path, long long *whenp,
    struct seckey_diag *diag)
{
	long long when;
	int end = 0;

	if (sscanf(text, HEADER_FORMAT "%n", &when, &end) != 1 || end == 0 || text[end - 1] != '\n' || when < 0) {
		seckey_diag_set(diag, path, 1, "not a file of the offline "
		    "cache (no time on its first line)");
		return SECKEY_ERR_SYNTAX;
	}
	*whenp = when;

	return SECKEY_OK;
}

/* Is a file written at when, now, within max_age? */
static int
check_age(const char *path, long long when, time_t now, unsigned int max_age,
    long long *agep, struct seckey_diag *diag)
{
	*agep = (long long)now - when;
	if (*agep < -FUTURE_SLACK) {
		seckey_diag_set(diag, path, 0, "the offline cache was written "
		    "%lld seconds in the future: not used", -*agep);
		return SECKEY_ERR_UNAVAIL;
	}
	if (*agep < 0)
		*agep = 0;
	if (*agep > (long long)max_age) {
		seckey_diag_set(diag, path, 0, "the offline cache is %lld "
		    "seconds old, more than keys_cache_max_age (%u)", *agep,
		    max_age);
		return SECKEY_ERR_UNAVAIL;
	}

	return SECKEY_OK;
}

int
seckey_keycache_load(const char *folder, const char *user,
    unsigned int max_keys, unsigned int max_age, time_t now,
    struct seckey_keylist **listp, long long *agep,
    struct seckey_diag *diag)
{
	char path[PATH_MAX], *text = NULL;
	long long when = 0;
	size_t len = 0;
	int r;

	if (folder == NULL || user == NULL || listp == NULL || agep == NULL)
		return SECKEY_ERR_INVAL;
	*listp = NULL;
	if ((r = cache_path(folder, user, path, sizeof(path),
	    diag)) != SECKEY_OK ||
	    (r = seckey_file_read(path, NULL, &text, &len,
	    diag)) != SECKEY_OK ||
	    (r = recorded_time(text, path, &when, diag)) != SECKEY_OK ||
	    (r = check_age(path, when, now, max_age, agep,
	    diag)) != SECKEY_OK)
		goto out;
	r = seckey_keylist_parse(text, len, path, max_keys, listp, diag);
out:
	/* A missing folder is as good as a missing file: no cache. */
	if (r == SECKEY_ERR_NOFOLDER)
		r = SECKEY_ERR_NOENT;
	free(text);

	return r;
}

int
seckey_keycache_backoff_start(const char *folder, time_t now,
    struct seckey_diag *diag)
{
	struct seckey_lock *lock = NULL;
	char path[PATH_MAX], text[32];
	int r, len;

	if (folder == NULL)
		return SECKEY_ERR_INVAL;
	len = snprintf(text, sizeof(text), "%lld\n", (long long)now);
	if ((r = backoff_path(folder, path, sizeof(path), diag)) != SECKEY_OK ||
	    (r = lock_waiting(path, &lock, diag)) != SECKEY_OK)
		goto out;
	r = seckey_file_replace(lock, text, (size_t)len, diag);
out:
	seckey_file_unlock(&lock);

	return r;
}

bool
seckey_keycache_backoff_active(const char *folder, time_t now)
{
	char path[PATH_MAX], *text = NULL;
	long long when;
	size_t len = 0;
	bool active = false;
	int end = 0;

	if (folder == NULL ||
	    backoff_path(folder, path, sizeof(path), NULL) != SECKEY_OK ||
	    seckey_file_read(path, NULL, &text, &len, NULL) != SECKEY_OK)
		goto out;
	if (sscanf(text, "%lld\n%n", &when, &end) == 1 && end > 0 &&
	    (size_t)end == len)
		active = now >= when && now - when < SECKEY_KEYCACHE_BACKOFF;
out:
	free(text);

	return active;
}
