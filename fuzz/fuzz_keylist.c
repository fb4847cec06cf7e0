/*
 * fuzz_keylist.c: seckey_keylist_parse, the reader of every user's key
 * list, and the writer it has to agree with.
 *
 * A list that parses must obey the rules registration obeys (at most
 * max_keys entries, valid and unique names, unique credentials, loaded
 * public keys), and what seckey writes for it must parse back to the
 * same list and then be written again byte for byte: the module and the
 * helper may never read one file two ways.  A list that does not parse
 * leaves nothing behind and says why, without a control character.
 * The editing functions the helper uses then run on the accepted list.
 */
#include <config.h>

#include <string.h>

#include "fuzz_check.h"
#include "fuzz_keys.h"
#include "seckey_keylist.h"
#include "seckey_keylist_parse.h"
#include "seckey_pubkey.h"

#define FILE_NAME	"fuzz.keys"
#define USER_NAME	"fuzz"

/* Write the list, read it back, write it again. */
static void
check_round_trip(const struct seckey_keylist *list)
{
	struct seckey_keylist *again = NULL;
	struct seckey_diag diag;
	char *text = NULL, *text2 = NULL;
	size_t len = 0, len2 = 0, i;
	int r;

	seckey_diag_clear(&diag);
	if (seckey_keylist_format(list, USER_NAME, &text, &len,
	    &diag) != SECKEY_OK)
		return;		/* out of memory */
	r = seckey_keylist_parse(text, len, FILE_NAME, SECKEY_MAX_KEYS,
	    &again, &diag);
	if (r != SECKEY_OK)
		fprintf(stderr, "written list refused: %s:%d: %s\n%s",
		    diag.file, diag.line, diag.msg, text);
	FUZZ_CHECK(r == SECKEY_OK);
	FUZZ_CHECK(again->count == list->count);
	for (i = 0; i < list->count; i++)
		fuzz_check_same(list->keys[i], again->keys[i]);
	if (seckey_keylist_format(again, USER_NAME, &text2, &len2,
	    &diag) == SECKEY_OK)
		FUZZ_CHECK(len2 == len && memcmp(text, text2, len) == 0);
	free(text2);
	free(text);
	seckey_keylist_free(&again);
}

/* The helper's edits keep the rules too. */
static void
check_edits(struct seckey_keylist *list)
{
	struct seckey_diag diag;
	char *first;
	size_t count = list->count;
	int r;

	if (count == 0)
		return;
	seckey_diag_clear(&diag);
	if ((first = strdup(list->keys[0]->name)) == NULL)
		return;
	if (count > 1) {
		r = seckey_keylist_rename(list, first, list->keys[1]->name,
		    &diag);
		FUZZ_CHECK(r == SECKEY_ERR_DUP_NAME);
	}
	r = seckey_keylist_rename(list, first, " bad name", &diag);
	FUZZ_CHECK(r == SECKEY_ERR_SYNTAX);
	r = seckey_keylist_delete(list, first, &diag);
	FUZZ_CHECK(r == SECKEY_OK && list->count == count - 1);
	FUZZ_CHECK(seckey_keylist_find(list, first) == NULL);
	fuzz_check_list(list);
	free(first);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct seckey_keylist *list = NULL, *small = NULL;
	struct seckey_diag diag;
	char *text;
	int r;

	if ((text = fuzz_text(data, size)) == NULL)
		return 0;
	seckey_diag_clear(&diag);
	r = seckey_keylist_parse(text, size, FILE_NAME, SECKEY_MAX_KEYS,
	    &list, &diag);
	if (r != SECKEY_OK) {
		FUZZ_CHECK(r < 0 && list == NULL);
		fuzz_check_diag(&diag);
		goto out;
	}
	FUZZ_CHECK(list != NULL);
	fuzz_check_list(list);
	check_round_trip(list);
	/* One key fewer allowed than the list holds: refused as a whole. */
	if (list->count > 1) {
		r = seckey_keylist_parse(text, size, FILE_NAME,
		    (unsigned int)list->count - 1, &small, &diag);
		FUZZ_CHECK(r != SECKEY_OK && small == NULL);
	}
	check_edits(list);
out:
	seckey_keylist_free(&list);
	free(text);

	return 0;
}
