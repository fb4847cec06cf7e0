/*
 * fuzz_passkey.c: seckey_passkey_parse_lines and seckey_passkey_parse,
 * the readers of what a key command prints and a directory holds, and
 * seckey_passkey_format, which has to agree with them.
 *
 * The input is not NUL-terminated: the parsers take a length, and must
 * never read past it.  A list that parses obeys the key-list rules;
 * every key of it, written as a value, parses back to the same key (a
 * written value carries its name, generated ones too), and the written
 * values as directory values give the same list again.  A refused input
 * leaves nothing behind and says why without a control character.
 * The lines that parse, taken as the values seckey-keys-ldap --edit
 * read, give it nothing to write when the list comes back as it was,
 * and one deletion per value when it comes back empty
 * (seckey_ldap_edit_plan()).
 */
#include <config.h>

#include <string.h>

#include "fuzz_check.h"
#include "fuzz_keys.h"
#include "seckey_ldap_edit.h"
#include "seckey_passkey.h"

/* Write key as a value and read it back; *valuep: the value, or NULL. */
static void
check_value(const struct seckey_key *key, char **valuep)
{
	struct seckey_key *back = NULL;
	struct seckey_diag diag;
	int r;

	*valuep = NULL;
	if ((r = seckey_passkey_format(key, valuep)) == SECKEY_ERR_NOMEM)
		return;
	FUZZ_CHECK(r == SECKEY_OK);
	FUZZ_CHECK(strlen(*valuep) <= SECKEY_PASSKEY_VALUE_MAX);
	seckey_diag_clear(&diag);
	r = seckey_passkey_parse(*valuep, strlen(*valuep), &back, &diag);
	if (r != SECKEY_OK && r != SECKEY_ERR_NOMEM)
		fprintf(stderr, "written value refused: %s\n%s\n", diag.msg,
		    *valuep);
	FUZZ_CHECK(r == SECKEY_OK || r == SECKEY_ERR_NOMEM);
	if (back != NULL)
		fuzz_check_same(key, back);
	seckey_key_free(&back);
}

/* Every key as a value, and the values as a directory attribute. */
static void
check_round_trip(const struct seckey_keylist *list)
{
	struct seckey_keylist *again = NULL;
	struct seckey_diag diag;
	const char *values[SECKEY_MAX_KEYS];
	char *owned[SECKEY_MAX_KEYS];
	size_t lens[SECKEY_MAX_KEYS], i, n = 0;
	int r;

	for (i = 0; i < list->count; i++) {
		check_value(list->keys[i], &owned[i]);
		n = i + 1;
		if (owned[i] == NULL)
			goto out;	/* out of memory */
		values[i] = owned[i];
		lens[i] = strlen(owned[i]);
	}
	seckey_diag_clear(&diag);
	r = seckey_passkey_parse_values(values, lens, n, SECKEY_MAX_KEYS,
	    &again, &diag);
	FUZZ_CHECK(r == SECKEY_OK || r == SECKEY_ERR_NOMEM);
	for (i = 0; again != NULL && i < list->count; i++)
		fuzz_check_same(list->keys[i], again->keys[i]);
	FUZZ_CHECK(again == NULL || again->count == list->count);
out:
	for (i = 0; i < n; i++)
		free(owned[i]);
	seckey_keylist_free(&again);
}

/* Only spaces and tabs (the input is not NUL-terminated). */
static bool
blank(const char *line, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (line[i] != ' ' && line[i] != '\t')
			return false;

	return true;
}

/* The input's lines that are not blank, as directory values. */
static size_t
split_values(const char *text, size_t size, const char **values, size_t *lens,
    size_t max)
{
	size_t at = 0, len, n = 0;
	const char *nl;

	while (at < size && n < max) {
		nl = memchr(text + at, '\n', size - at);
		len = nl != NULL ? (size_t)(nl - (text + at)) : size - at;
		if (len > 0 && text[at + len - 1] == '\r')
			len--;
		if (!blank(text + at, len)) {
			values[n] = text + at;
			lens[n++] = len;
		}
		at += (nl != NULL ? (size_t)(nl - (text + at)) + 1 : size - at);
	}

	return n;
}

/* The edit mode's plan over the values that made list. */
static void
check_plan(const char *text, size_t size, const struct seckey_keylist *list)
{
	struct seckey_keylist *none = seckey_keylist_new();
	struct seckey_ldap_plan plan;
	const char *values[SECKEY_MAX_KEYS + 1];
	size_t lens[SECKEY_MAX_KEYS + 1], n;
	int r;

	n = split_values(text, size, values, lens, SECKEY_MAX_KEYS + 1);
	FUZZ_CHECK(n == list->count);
	r = seckey_ldap_edit_plan(values, lens, n, list, &plan, NULL);
	FUZZ_CHECK(r == SECKEY_OK || r == SECKEY_ERR_NOMEM);
	FUZZ_CHECK(plan.del_len == 0 && plan.add_len == 0);
	seckey_ldap_plan_clear(&plan);
	if (none == NULL)
		return;
	r = seckey_ldap_edit_plan(values, lens, n, none, &plan, NULL);
	FUZZ_CHECK(r == SECKEY_ERR_NOMEM ||
	    (r == SECKEY_OK && plan.del_len == n && plan.add_len == 0));
	seckey_ldap_plan_clear(&plan);
	seckey_keylist_free(&none);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct seckey_keylist *list = NULL;
	struct seckey_key *key = NULL;
	struct seckey_diag diag;
	char *value = NULL;
	int r;

	seckey_diag_clear(&diag);
	r = seckey_passkey_parse_lines((const char *)data, size,
	    SECKEY_MAX_KEYS, &list, &diag);
	if (r != SECKEY_OK) {
		FUZZ_CHECK(r < 0 && list == NULL);
		fuzz_check_diag(&diag);
	} else {
		fuzz_check_list(list);
		check_round_trip(list);
		check_plan((const char *)data, size, list);
	}
	seckey_keylist_free(&list);

	seckey_diag_clear(&diag);
	r = seckey_passkey_parse((const char *)data, size, &key, &diag);
	if (r != SECKEY_OK) {
		FUZZ_CHECK(r < 0 && key == NULL);
		fuzz_check_diag(&diag);
	} else
		check_value(key, &value);
	free(value);
	seckey_key_free(&key);

	return 0;
}
