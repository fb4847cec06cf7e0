/*
 * seckey_path.c: expand the keys_file template of the policy into the
 * path of one user's key list.
 */
#include <config.h>

#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "seckey_path.h"

/* A user name that can neither climb out of nor split a path. */
static bool
user_name_safe(const char *user)
{
	size_t i;

	if (user == NULL || user[0] == '\0' || strcmp(user, ".") == 0 ||
	    strstr(user, "..") != NULL || strchr(user, '/') != NULL)
		return false;
	for (i = 0; user[i] != '\0'; i++)
		if ((unsigned char)user[i] < 0x20 || user[i] == 0x7f)
			return false;

	return true;
}

static bool
home_safe(const char *home)
{
	size_t i;

	if (home == NULL || home[0] != '/')
		return false;
	for (i = 0; home[i] != '\0'; i++)
		if ((unsigned char)home[i] < 0x20 || home[i] == 0x7f)
			return false;

	return true;
}

static int
append(char *buf, size_t *used, const char *s, size_t len)
{
	if (len >= PATH_MAX - *used)
		return SECKEY_ERR_TOOBIG;
	memcpy(buf + *used, s, len);
	*used += len;
	buf[*used] = '\0';

	return SECKEY_OK;
}

/* Append the expansion of escape c (after a %). */
static int
expand_escape(char c, const char *user, const char *home, char *buf,
    size_t *used, struct seckey_diag *diag)
{
	size_t len;

	switch (c) {
	case '%':
		return append(buf, used, "%", 1);
	case 'u':
		return append(buf, used, user, strlen(user));
	case 'h':
		if (!home_safe(home)) {
			seckey_diag_set(diag, NULL, 0, "the user's home "
			    "folder is not an absolute path");
			return SECKEY_ERR_INVAL;
		}
		/* "/" as home must not give "//.config". */
		len = strlen(home);
		while (len > 0 && home[len - 1] == '/')
			len--;
		return append(buf, used, home, len);
	default:
		seckey_diag_set(diag, NULL, 0,
		    "keys_file: only %%u, %%h and %%%% are expanded");
		return SECKEY_ERR_INVAL;
	}
}

int
seckey_expand_path(const char *tmpl, const char *user, const char *home,
    char **pathp, struct seckey_diag *diag)
{
	char buf[PATH_MAX];
	size_t used = 0;
	const char *p;
	int r = SECKEY_ERR_INVAL;

	if (tmpl == NULL || pathp == NULL)
		return SECKEY_ERR_INVAL;
	*pathp = NULL;
	buf[0] = '\0';
	if (!user_name_safe(user)) {
		seckey_diag_set(diag, NULL, 0,
		    "the user name cannot be used in a path");
		goto fail;
	}
	for (p = tmpl; *p != '\0'; p++) {
		if (*p != '%')
			r = append(buf, &used, p, 1);
		else
			r = expand_escape(*++p, user, home, buf, &used, diag);
		if (r == SECKEY_ERR_TOOBIG)
			seckey_diag_set(diag, NULL, 0, "keys_file: the path "
			    "is too long");
		if (r != SECKEY_OK)
			goto fail;
	}
	r = SECKEY_ERR_INVAL;
	if (buf[0] != '/') {
		seckey_diag_set(diag, NULL, 0,
		    "keys_file does not expand to an absolute path");
		goto fail;
	}
	r = SECKEY_ERR_NOMEM;
	if ((*pathp = strdup(buf)) == NULL) {
		seckey_diag_set(diag, NULL, 0, "out of memory");
		goto fail;
	}

	r = SECKEY_OK;
fail:
	return r;
}
