/*
 * seckey_handles.c: the user handle index under state_dir
 * (seckey_handles.h).
 */
#include <config.h>

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "seckey_file.h"
#include "seckey_handles.h"
#include "seckey_state.h"

#define RECORD_HEADER	"# pam_seckey user handle index record; see " \
			"pam_seckey(8)\n"
#define RECORD_FIRST	"version 1\nuser "
#define RECORD_TEXT_MAX	(sizeof(RECORD_HEADER) + sizeof(RECORD_FIRST) + \
			SECKEY_HANDLES_USER_MAX + 1)

/* An account name as a record may hold it. */
static bool
user_ok(const char *user, size_t len)
{
	size_t i;

	if (len == 0 || len > SECKEY_HANDLES_USER_MAX)
		return false;
	for (i = 0; i < len; i++)
		if ((unsigned char)user[i] <= ' ' || user[i] == '/' ||
		    user[i] == 0x7f)
			return false;
	return true;
}

int
seckey_handles_parse(const char *text, size_t len, const char *path,
    char **userp, struct seckey_diag *diag)
{
	const size_t head = sizeof(RECORD_HEADER) - 1,
	    first = sizeof(RECORD_FIRST) - 1;
	const char *user;
	size_t user_len;

	*userp = NULL;
	if (len < head + first + 2 || memcmp(text, RECORD_HEADER, head) != 0 ||
	    memcmp(text + head, RECORD_FIRST, first) != 0 ||
	    text[len - 1] != '\n')
		goto bad;
	user = text + head + first;
	user_len = len - head - first - 1;
	if (!user_ok(user, user_len))
		goto bad;
	if ((*userp = strndup(user, user_len)) == NULL)
		return SECKEY_ERR_NOMEM;
	return SECKEY_OK;
bad:
	seckey_diag_set(diag, path, 0, "not a user handle index record "
	    "(version 1)");
	return SECKEY_ERR_SYNTAX;
}

int
seckey_handles_lookup(const char *state_dir, const char *rp_id,
    const unsigned char *handle, size_t len, char **userp,
    struct seckey_diag *diag)
{
	char path[PATH_MAX], *text = NULL;
	size_t text_len = 0;
	int r;

	*userp = NULL;
	if ((r = seckey_state_path(state_dir, SECKEY_HANDLES_DIR, rp_id,
	    handle, len, path, sizeof(path), diag)) != SECKEY_OK)
		return r;
	if ((r = seckey_state_read(path, &text, &text_len, diag)) ==
	    SECKEY_OK)
		r = seckey_handles_parse(text, text_len, path, userp, diag);
	free(text);
	return r;
}

/*
 * The folder's lock and the record's path, for root only; make: the
 * folders, when missing.
 */
static int
lock_record(const char *state_dir, const char *rp_id,
    const unsigned char *handle, size_t len, bool make, char *path,
    size_t size, struct seckey_lock **lockp, struct seckey_diag *diag)
{
	int r;

	if (geteuid() != 0) {
		seckey_diag_set(diag, state_dir, 0, "only root keeps the user "
		    "handle index");
		return SECKEY_ERR_PERM;
	}
	if ((r = seckey_state_path(state_dir, SECKEY_HANDLES_DIR, rp_id,
	    handle, len, path, size, diag)) != SECKEY_OK)
		return r;
	if (make)
		seckey_state_make_folders(state_dir, SECKEY_HANDLES_DIR);
	return seckey_state_lock(path, lockp, diag);
}

/* Does the record at path name user already? */
static bool
names_already(const char *path, const char *user)
{
	struct seckey_diag ignored;
	char *text = NULL, *known = NULL;
	size_t len = 0;
	bool same;

	seckey_diag_clear(&ignored);
	if (seckey_state_read(path, &text, &len, &ignored) == SECKEY_OK)
		(void)seckey_handles_parse(text, len, path, &known, &ignored);
	same = known != NULL && strcmp(known, user) == 0;
	free(known);
	free(text);
	return same;
}

int
seckey_handles_learn(const char *state_dir, const char *rp_id,
    const unsigned char *handle, size_t len, const char *user,
    struct seckey_diag *diag)
{
	struct seckey_lock *lock = NULL;
	char path[PATH_MAX], text[RECORD_TEXT_MAX];
	int r, text_len;

	if (user == NULL || !user_ok(user, strlen(user)))
		return SECKEY_ERR_INVAL;
	if ((r = lock_record(state_dir, rp_id, handle, len, true,
	    path, sizeof(path), &lock, diag)) != SECKEY_OK ||
	    names_already(path, user))
		goto out;
	text_len = snprintf(text, sizeof(text), RECORD_HEADER RECORD_FIRST
	    "%s\n", user);
	r = SECKEY_ERR_INTERNAL;
	if (text_len < 0 || (size_t)text_len >= sizeof(text))
		goto out;
	r = seckey_file_replace(lock, text, (size_t)text_len, diag);
out:
	seckey_file_unlock(&lock);
	return r;
}

int
seckey_handles_forget(const char *state_dir, const char *rp_id,
    const unsigned char *handle, size_t len, struct seckey_diag *diag)
{
	struct seckey_lock *lock = NULL;
	char path[PATH_MAX];
	int r;

	r = lock_record(state_dir, rp_id, handle, len, false, path,
	    sizeof(path), &lock, diag);
	/* No folder: no record to remove. */
	if (r == SECKEY_ERR_NOFOLDER)
		r = SECKEY_OK;
	else if (r == SECKEY_OK)
		r = seckey_file_remove(lock, diag);
	seckey_file_unlock(&lock);
	return r;
}
