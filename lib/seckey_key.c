/*
 * seckey_key.c: one registered security key and the rules its fields
 * follow, shared by the key list parser and by registration.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seckey_key.h"
#include "seckey_pubkey.h"
#include "seckey_text.h"
#include "seckey_time.h"

int
seckey_key_name_check(const char *name, char *why, size_t size)
{
	size_t count, len;
	unsigned long cp;

	if (seckey_text_printable(name, &count) &&
	    (cp = seckey_text_find_format(name)) != 0) {
		if (why != NULL)
			snprintf(why, size, "a key name may not hold invisible "
			    "formatting characters (here U+%04lX), which make "
			    "one name look like another", cp);
		return SECKEY_ERR_SYNTAX;
	}
	len = name != NULL ? strlen(name) : 0;
	if (!seckey_text_printable(name, &count) || count < 1 ||
	    count > SECKEY_NAME_MAX || strpbrk(name, "\"\\") != NULL ||
	    name[0] == ' ' || name[len - 1] == ' ') {
		if (why != NULL)
			snprintf(why, size, "a key name is 1 to %d printable "
			    "characters, without '\"' or '\\' and without "
			    "spaces at either end", SECKEY_NAME_MAX);
		return SECKEY_ERR_SYNTAX;
	}

	return SECKEY_OK;
}

bool
seckey_key_name_valid(const char *name)
{
	return seckey_key_name_check(name, NULL, 0) == SECKEY_OK;
}

static int
memdup(const unsigned char *src, size_t len, unsigned char **dst)
{
	if ((*dst = malloc(len)) == NULL)
		return SECKEY_ERR_NOMEM;
	memcpy(*dst, src, len);

	return SECKEY_OK;
}

/* NULL if the plain fields of info are fine, else what is wrong. */
static const char *
info_fault(const struct seckey_key_info *info)
{
	char when[SECKEY_TIME_LEN];

	if (info->cred_id == NULL || info->cred_id_len < 1 ||
	    info->cred_id_len > SECKEY_CRED_ID_MAX)
		return "credential must be 1 to 1023 bytes";
	if (!seckey_alg_known(info->alg))
		return "algorithm must be es256, eddsa or rs256";
	if (!seckey_transport_known(info->transport))
		return "transport must be usb or nfc";
	if (seckey_time_format(info->created, when) != SECKEY_OK)
		return "created must lie between 1970 and 9999";
	if ((info->user_handle == NULL) != (info->user_handle_len == 0) ||
	    info->user_handle_len > SECKEY_USER_HANDLE_MAX)
		return "user_handle must be 1 to 64 bytes";

	return NULL;
}

static int
fill_key(struct seckey_key *key, const struct seckey_key_info *info)
{
	if ((key->name = strdup(info->name)) == NULL ||
	    memdup(info->cred_id, info->cred_id_len,
	    &key->cred_id) != SECKEY_OK ||
	    memdup(info->pubkey_der, info->pubkey_der_len,
	    &key->pubkey_der) != SECKEY_OK ||
	    (info->user_handle_len > 0 && memdup(info->user_handle,
	    info->user_handle_len, &key->user_handle) != SECKEY_OK))
		return SECKEY_ERR_NOMEM;
	key->user_handle_len = info->user_handle_len;
	key->cred_id_len = info->cred_id_len;
	key->pubkey_der_len = info->pubkey_der_len;
	key->alg = info->alg;
	key->aaguid = info->aaguid;
	key->transport = info->transport;
	key->created = info->created;

	return SECKEY_OK;
}

int
seckey_key_new(const struct seckey_key_info *info, struct seckey_key **keyp,
    struct seckey_diag *diag)
{
	struct seckey_key *key = NULL;
	char name_fault[SECKEY_DIAG_MSG_MAX];
	const char *why;
	int r = SECKEY_ERR_SYNTAX;

	if (info == NULL || keyp == NULL)
		return SECKEY_ERR_INVAL;
	*keyp = NULL;
	/* An invalid name is never echoed: it may hold anything. */
	if (seckey_key_name_check(info->name, name_fault,
	    sizeof(name_fault)) != SECKEY_OK) {
		seckey_diag_set(diag, NULL, 0, "%s", name_fault);
		goto fail;
	}
	if ((why = info_fault(info)) != NULL) {
		seckey_diag_set(diag, NULL, 0, "key \"%s\": %s", info->name,
		    why);
		goto fail;
	}
	r = SECKEY_ERR_NOMEM;
	if ((key = calloc(1, sizeof(*key))) == NULL)
		goto fail;
	if ((r = seckey_pubkey_load(info->pubkey_der, info->pubkey_der_len,
	    info->alg, &key->pubkey, &why)) != SECKEY_OK) {
		seckey_diag_set(diag, NULL, 0, "key \"%s\": public_key %s",
		    info->name, why);
		goto fail;
	}
	if ((r = fill_key(key, info)) != SECKEY_OK)
		goto fail;
	*keyp = key;
	key = NULL;

	r = SECKEY_OK;
fail:
	if (r == SECKEY_ERR_NOMEM)
		seckey_diag_set(diag, NULL, 0, "out of memory");
	seckey_key_free(&key);

	return r;
}

void
seckey_key_free(struct seckey_key **keyp)
{
	struct seckey_key *key;

	if (keyp == NULL || (key = *keyp) == NULL)
		return;
	free(key->name);
	free(key->cred_id);
	free(key->pubkey_der);
	free(key->user_handle);
	seckey_pubkey_free(&key->pubkey);
	free(key);
	*keyp = NULL;
}
