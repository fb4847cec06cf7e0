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
#include "seckey_keylist.h"
#include "seckey_keylist_parse.h"
#include "seckey_pubkey.h"

#define FILE_NAME	"fuzz.keys"
#define USER_NAME	"fuzz"

static void
check_diag(const struct seckey_diag *diag)
{
	size_t i;

	FUZZ_CHECK(memchr(diag->msg, '\0', sizeof(diag->msg)) != NULL);
	FUZZ_CHECK(diag->msg[0] != '\0');
	for (i = 0; diag->msg[i] != '\0'; i++)
		FUZZ_CHECK((unsigned char)diag->msg[i] >= 0x20 &&
		    (unsigned char)diag->msg[i] != 0x7f);
}

static void
check_list(const struct seckey_keylist *list)
{
	const struct seckey_key *key;
	size_t i;

	FUZZ_CHECK(list->count <= SECKEY_MAX_KEYS);
	for (i = 0; i < list->count; i++) {
		key = list->keys[i];
		FUZZ_CHECK(key != NULL && key->pubkey != NULL);
		FUZZ_CHECK(seckey_key_name_valid(key->name));
		FUZZ_CHECK(key->cred_id_len >= 1 &&
		    key->cred_id_len <= SECKEY_CRED_ID_MAX);
		FUZZ_CHECK(key->pubkey_der_len >= 1 &&
		    key->pubkey_der_len <= SECKEY_PUBKEY_MAX);
		/* The first entry of a name or a credential is this one. */
		FUZZ_CHECK(seckey_keylist_find(list, key->name) == key);
		FUZZ_CHECK(seckey_keylist_find_cred(list, key->cred_id,
		    key->cred_id_len) == key);
	}
}

static void
check_same(const struct seckey_key *a, const struct seckey_key *b)
{
	FUZZ_CHECK(strcmp(a->name, b->name) == 0);
	FUZZ_CHECK(a->cred_id_len == b->cred_id_len &&
	    memcmp(a->cred_id, b->cred_id, a->cred_id_len) == 0);
	FUZZ_CHECK(a->pubkey_der_len == b->pubkey_der_len &&
	    memcmp(a->pubkey_der, b->pubkey_der, a->pubkey_der_len) == 0);
	FUZZ_CHECK(a->alg == b->alg && a->transport == b->transport);
	FUZZ_CHECK(a->created == b->created);
	FUZZ_CHECK(seckey_aaguid_equal(&a->aaguid, &b->aaguid));
}

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
		check_same(list->keys[i], again->keys[i]);
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
	check_list(list);
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
		check_diag(&diag);
		goto out;
	}
	FUZZ_CHECK(list != NULL);
	check_list(list);
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
