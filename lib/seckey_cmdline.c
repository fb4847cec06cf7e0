/*
 * seckey_cmdline.c: check, split and expand a keys_command line.
 *
 * No shell ever sees the line or a user name: each word becomes one
 * argument, so a name with spaces or quotes stays one argument and
 * means nothing to anyone but the reader.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seckey_cmdline.h"

/* An argument after expansion: a home or a name cannot be longer. */
#define ARG_MAX_LEN	4096

static bool
has_control(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

/* A home for %h: absolute, without control characters. */
static bool
home_ok(const char *home)
{
	return home != NULL && home[0] == '/' && !has_control(home);
}

/* The next word of *p (spaces between words), or false at the end. */
static bool
next_word(const char **p, const char **word, size_t *len)
{
	while (**p == ' ')
		(*p)++;
	if (**p == '\0')
		return false;
	*word = *p;
	*len = strcspn(*p, " ");
	*p += *len;
	return true;
}

bool
seckey_cmdline_valid(const char *line)
{
	const char *p = line, *word;
	size_t len, i, words = 0;

	if (line == NULL || strlen(line) >= SECKEY_CMDLINE_MAX ||
	    has_control(line))
		return false;
	while (next_word(&p, &word, &len)) {
		if (++words > SECKEY_CMDLINE_ARGS_MAX)
			return false;
		if (words == 1 && (word[0] != '/' || memchr(word, '%',
		    len) != NULL))
			return false;
		for (i = 0; i < len; i++)
			if (word[i] == '%' && (i + 1 == len ||
			    strchr("uhU%", word[++i]) == NULL))
				return false;
	}

	return words > 0;
}

/* Append n bytes of s to arg (used bytes so far); false if too long. */
static bool
append(char *arg, size_t *used, const char *s, size_t n)
{
	if (n >= ARG_MAX_LEN - *used)
		return false;
	memcpy(arg + *used, s, n);
	*used += n;
	arg[*used] = '\0';
	return true;
}

/* One word with its escapes expanded, newly allocated in *argp. */
static int
expand_word(const char *word, size_t len, const struct seckey_user *user,
    char **argp, struct seckey_diag *diag)
{
	char arg[ARG_MAX_LEN] = "", uid[24];
	const char *value;
	size_t i, used = 0;
	bool fits = true;

	snprintf(uid, sizeof(uid), "%lu", (unsigned long)user->uid);
	for (i = 0; i < len && fits; i++) {
		if (word[i] != '%') {
			fits = append(arg, &used, word + i, 1);
			continue;
		}
		switch (word[++i]) {
		case 'u':
			value = user->name;
			break;
		case 'h':
			value = home_ok(user->home) ? user->home : NULL;
			break;
		case 'U':
			value = uid;
			break;
		default:
			value = "%";
			break;
		}
		if (value == NULL) {
			seckey_diag_set(diag, NULL, 0, "keys_command: the "
			    "user's home folder is not an absolute path");
			return SECKEY_ERR_INVAL;
		}
		fits = append(arg, &used, value, strlen(value));
	}
	if (!fits) {
		seckey_diag_set(diag, NULL, 0, "keys_command: an argument is "
		    "longer than %d bytes", ARG_MAX_LEN - 1);
		return SECKEY_ERR_INVAL;
	}
	if ((*argp = strdup(arg)) == NULL) {
		seckey_diag_set(diag, NULL, 0, "out of memory");
		return SECKEY_ERR_NOMEM;
	}

	return SECKEY_OK;
}

/* The name goes into arguments: no control characters there. */
static int
check_user(const struct seckey_user *user, struct seckey_diag *diag)
{
	if (user->name != NULL && user->name[0] != '\0' &&
	    !has_control(user->name))
		return SECKEY_OK;
	seckey_diag_set(diag, NULL, 0, "keys_command: the user name cannot "
	    "be given to it");

	return SECKEY_ERR_INVAL;
}

int
seckey_cmdline_expand(const char *line, const struct seckey_user *user,
    char ***argvp, struct seckey_diag *diag)
{
	const char *p = line, *word;
	char **argv = NULL;
	size_t len, argc = 0;
	int r = SECKEY_ERR_INVAL;

	if (argvp == NULL)
		return SECKEY_ERR_INVAL;
	*argvp = NULL;
	if (user == NULL || !seckey_cmdline_valid(line)) {
		seckey_diag_set(diag, NULL, 0, "keys_command is not valid");
		goto fail;
	}
	if ((r = check_user(user, diag)) != SECKEY_OK)
		goto fail;
	r = SECKEY_ERR_NOMEM;
	if ((argv = calloc(SECKEY_CMDLINE_ARGS_MAX + 1,
	    sizeof(*argv))) == NULL) {
		seckey_diag_set(diag, NULL, 0, "out of memory");
		goto fail;
	}
	while (next_word(&p, &word, &len))
		if ((r = expand_word(word, len, user, &argv[argc++],
		    diag)) != SECKEY_OK)
			goto fail;
	*argvp = argv;
	argv = NULL;

	r = SECKEY_OK;
fail:
	seckey_cmdline_free(&argv);

	return r;
}

void
seckey_cmdline_free(char ***argvp)
{
	char **argv;
	size_t i;

	if (argvp == NULL || (argv = *argvp) == NULL)
		return;
	for (i = 0; argv[i] != NULL; i++)
		free(argv[i]);
	free(argv);
	*argvp = NULL;
}
