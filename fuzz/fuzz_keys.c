/*
 * fuzz_keys.c: the checks of fuzz_keys.h, shared by fuzz_keylist and
 * fuzz_passkey.
 */
#include <config.h>

#include <string.h>

#include "fuzz_check.h"
#include "fuzz_keys.h"
#include "seckey_pubkey.h"

void
fuzz_check_diag(const struct seckey_diag *diag)
{
	size_t i;

	FUZZ_CHECK(memchr(diag->msg, '\0', sizeof(diag->msg)) != NULL);
	FUZZ_CHECK(diag->msg[0] != '\0');
	for (i = 0; diag->msg[i] != '\0'; i++)
		FUZZ_CHECK((unsigned char)diag->msg[i] >= 0x20 &&
		    (unsigned char)diag->msg[i] != 0x7f);
}

void
fuzz_check_list(const struct seckey_keylist *list)
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
		/* A user handle is there with its bytes, or not at all. */
		FUZZ_CHECK((key->user_handle == NULL) ==
		    (key->user_handle_len == 0));
		FUZZ_CHECK(key->user_handle_len <= SECKEY_USER_HANDLE_MAX);
		/* The first entry of a name or a credential is this one. */
		FUZZ_CHECK(seckey_keylist_find(list, key->name) == key);
		FUZZ_CHECK(seckey_keylist_find_cred(list, key->cred_id,
		    key->cred_id_len) == key);
	}
}

void
fuzz_check_same(const struct seckey_key *a, const struct seckey_key *b)
{
	FUZZ_CHECK(strcmp(a->name, b->name) == 0);
	FUZZ_CHECK(a->cred_id_len == b->cred_id_len &&
	    memcmp(a->cred_id, b->cred_id, a->cred_id_len) == 0);
	FUZZ_CHECK(a->pubkey_der_len == b->pubkey_der_len &&
	    memcmp(a->pubkey_der, b->pubkey_der, a->pubkey_der_len) == 0);
	FUZZ_CHECK(a->alg == b->alg && a->transport == b->transport);
	FUZZ_CHECK(a->created == b->created);
	FUZZ_CHECK(seckey_aaguid_equal(&a->aaguid, &b->aaguid));
	/* The usernameless sign-in compares it with the key's answer. */
	FUZZ_CHECK(a->user_handle_len == b->user_handle_len &&
	    (a->user_handle_len == 0 || memcmp(a->user_handle,
	    b->user_handle, a->user_handle_len) == 0));
}
