/*
 * seckey_passkey_list.c: a key list from passkey mapping values, as a
 * key command prints them (lines) or a directory attribute holds them
 * (values).  Every value is parsed first and the list is built after,
 * in the values' order, so that the generated names ("Security key N")
 * can avoid every name the values carry, wherever it comes.
 */
#include <config.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "seckey_passkey.h"

#define GENERATED_NAME	"Security key %u"
/* "passkey", the mapping kind before the ':'. */
#define PASSKEY_KIND_LEN	(sizeof(SECKEY_PASSKEY_PREFIX) - 2)
/* "Security key " and ten digits and the NUL. */
#define GENERATED_MAX	32

/* The values parsed so far, and where each came from. */
struct pending {
	struct seckey_key	*keys[SECKEY_MAX_KEYS];
	bool			 named[SECKEY_MAX_KEYS];
	/* Where each came from: its line, or its number among the values. */
	size_t			 where[SECKEY_MAX_KEYS];
	size_t			 count;
	unsigned int		 max_keys;
	bool			 by_line;	/* where: lines */
};

static int
pending_init(struct pending *pend, unsigned int max_keys, bool by_line)
{
	memset(pend, 0, sizeof(*pend));
	if (max_keys < 1)
		return SECKEY_ERR_INVAL;
	pend->max_keys = max_keys > SECKEY_MAX_KEYS ? SECKEY_MAX_KEYS :
	    max_keys;
	pend->by_line = by_line;

	return SECKEY_OK;
}

static void
pending_clear(struct pending *pend)
{
	size_t i;

	for (i = 0; i < pend->count; i++)
		seckey_key_free(&pend->keys[i]);
	pend->count = 0;
}

/* Say where the fault is: the line of a text, or the number of a value. */
static void
locate(const struct pending *pend, size_t where, struct seckey_diag *diag)
{
	char msg[SECKEY_DIAG_MSG_MAX];

	if (diag == NULL)
		return;
	if (pend->by_line) {
		diag->line = where > (size_t)INT_MAX ? INT_MAX : (int)where;
		return;
	}
	memcpy(msg, diag->msg, sizeof(msg));
	seckey_diag_set(diag, NULL, 0, "value %zu: %s", where, msg);
}

static int
pending_add(struct pending *pend, const char *value, size_t len,
    size_t where, struct seckey_diag *diag)
{
	size_t i = pend->count;
	int r;

	if (i >= pend->max_keys) {
		seckey_diag_set(diag, NULL, 0, "more than %u keys",
		    pend->max_keys);
		r = SECKEY_ERR_TOOMANY;
	} else if ((r = seckey_passkey_parse_value(value, len, &pend->keys[i],
	    &pend->named[i], diag)) == SECKEY_OK) {
		pend->where[i] = where;
		pend->count++;
	}
	if (r != SECKEY_OK)
		locate(pend, where, diag);

	return r;
}

static bool
name_taken(const struct pending *pend, const struct seckey_keylist *list,
    const char *name)
{
	size_t i;

	for (i = 0; i < pend->count; i++)
		/* A key the list has taken is NULL here. */
		if (pend->named[i] && pend->keys[i] != NULL &&
		    strcmp(pend->keys[i]->name, name) == 0)
			return true;

	return seckey_keylist_find(list, name) != NULL;
}

/*
 * The first "Security key N" that no value names and no key already in
 * the list has.  At most count names are taken, so one of the first
 * count + 1 is free.
 */
static void
generate_name(const struct pending *pend, const struct seckey_keylist *list,
    char name[GENERATED_MAX])
{
	unsigned int n;

	for (n = 1; n <= pend->count + 1; n++) {
		snprintf(name, GENERATED_MAX, GENERATED_NAME, n);
		if (!name_taken(pend, list, name))
			return;
	}
}

/* Give the key at i the first free generated name. */
static int
rename_pending(struct pending *pend, size_t i,
    const struct seckey_keylist *list, struct seckey_diag *diag)
{
	char generated[GENERATED_MAX], *copy;

	generate_name(pend, list, generated);
	if ((copy = strdup(generated)) == NULL) {
		seckey_diag_set(diag, NULL, 0, "out of memory");
		return SECKEY_ERR_NOMEM;
	}
	free(pend->keys[i]->name);
	pend->keys[i]->name = copy;

	return SECKEY_OK;
}

/*
 * The list of the pending keys, in order, under the key-list rules; the
 * list takes them over one by one.
 */
static int
pending_finish(struct pending *pend, struct seckey_keylist **listp,
    struct seckey_diag *diag)
{
	struct seckey_keylist *list = NULL;
	size_t i;
	int r = SECKEY_ERR_NOMEM;

	if ((list = seckey_keylist_new()) == NULL) {
		seckey_diag_set(diag, NULL, 0, "out of memory");
		goto fail;
	}
	for (i = 0, r = SECKEY_OK; i < pend->count && r == SECKEY_OK; i++) {
		if (!pend->named[i] &&
		    (r = rename_pending(pend, i, list, diag)) != SECKEY_OK)
			break;
		if ((r = seckey_keylist_add_key(list, pend->max_keys,
		    &pend->keys[i], diag)) != SECKEY_OK)
			locate(pend, pend->where[i], diag);
	}
	if (r != SECKEY_OK)
		goto fail;
	*listp = list;
	list = NULL;
fail:
	seckey_keylist_free(&list);

	return r;
}

/* Only spaces and tabs. */
static bool
is_blank(const char *line, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (line[i] != ' ' && line[i] != '\t')
			return false;

	return true;
}

int
seckey_passkey_parse_lines(const char *text, size_t len,
    unsigned int max_keys, struct seckey_keylist **listp,
    struct seckey_diag *diag)
{
	struct pending pend;
	const char *line, *nl;
	size_t pos = 0, line_len, lineno = 0;
	int r;

	if ((text == NULL && len > 0) || listp == NULL)
		return SECKEY_ERR_INVAL;
	*listp = NULL;
	if ((r = pending_init(&pend, max_keys, true)) != SECKEY_OK)
		return r;
	while (pos < len && r == SECKEY_OK) {
		line = text + pos;
		nl = memchr(line, '\n', len - pos);
		line_len = nl != NULL ? (size_t)(nl - line) : len - pos;
		pos += line_len + (nl != NULL ? 1 : 0);
		lineno++;
		if (nl != NULL && line_len > 0 && line[line_len - 1] == '\r')
			line_len--;
		if (!is_blank(line, line_len))
			r = pending_add(&pend, line, line_len, lineno, diag);
	}
	if (r == SECKEY_OK)
		r = pending_finish(&pend, listp, diag);
	pending_clear(&pend);

	return r;
}

bool
seckey_passkey_other_kind(const char *value, size_t len)
{
	const char *colon = memchr(value, ':', len);
	size_t kind_len;

	if (colon == NULL)
		return false;
	kind_len = (size_t)(colon - value);

	return kind_len != PASSKEY_KIND_LEN ||
	    strncasecmp(value, SECKEY_PASSKEY_PREFIX, PASSKEY_KIND_LEN) != 0;
}

int
seckey_passkey_parse_values(const char *const *values, const size_t *lens,
    size_t n, unsigned int max_keys, struct seckey_keylist **listp,
    struct seckey_diag *diag)
{
	struct pending pend;
	size_t i;
	int r;

	if ((n > 0 && (values == NULL || lens == NULL)) || listp == NULL)
		return SECKEY_ERR_INVAL;
	*listp = NULL;
	for (i = 0; i < n; i++)
		if (values[i] == NULL)
			return SECKEY_ERR_INVAL;
	if ((r = pending_init(&pend, max_keys, false)) != SECKEY_OK)
		return r;
	for (i = 0; i < n && r == SECKEY_OK; i++)
		if (!seckey_passkey_other_kind(values[i], lens[i]))
			r = pending_add(&pend, values[i], lens[i], i + 1, diag);
	if (r == SECKEY_OK)
		r = pending_finish(&pend, listp, diag);
	pending_clear(&pend);

	return r;
}
