/*
 * seckey_keylist.c: a user's key list: editing it under the rules of the
 * design, writing it in the documented format, reading and saving it
 * through the safe file functions.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seckey_base64.h"
#include "seckey_keylist.h"
#include "seckey_keylist_parse.h"
#include "seckey_text.h"
#include "seckey_time.h"

struct seckey_keylist *
seckey_keylist_new(void)
{
	return calloc(1, sizeof(struct seckey_keylist));
}

void
seckey_keylist_free(struct seckey_keylist **listp)
{
	struct seckey_keylist *list;
	size_t i;

	if (listp == NULL || (list = *listp) == NULL)
		return;
	for (i = 0; i < list->count; i++)
		seckey_key_free(&list->keys[i]);
	free(list);
	*listp = NULL;
}

static long
find_index(const struct seckey_keylist *list, const char *name)
{
	size_t i;

	for (i = 0; list != NULL && name != NULL && i < list->count; i++)
		if (strcmp(list->keys[i]->name, name) == 0)
			return (long)i;

	return -1;
}

const struct seckey_key *
seckey_keylist_find(const struct seckey_keylist *list, const char *name)
{
	long i = find_index(list, name);

	return i < 0 ? NULL : list->keys[i];
}

const struct seckey_key *
seckey_keylist_find_cred(const struct seckey_keylist *list,
    const unsigned char *cred_id, size_t cred_id_len)
{
	size_t i;

	for (i = 0; list != NULL && cred_id != NULL && i < list->count; i++)
		if (list->keys[i]->cred_id_len == cred_id_len &&
		    memcmp(list->keys[i]->cred_id, cred_id, cred_id_len) == 0)
			return list->keys[i];

	return NULL;
}

/* The index of the key named name, or SECKEY_ERR_NOTFOUND. */
static int
locate(const struct seckey_keylist *list, const char *name, long *ip,
    struct seckey_diag *diag)
{
	if ((*ip = find_index(list, name)) < 0) {
		seckey_diag_set(diag, NULL, 0, "no key of that name");
		return SECKEY_ERR_NOTFOUND;
	}

	return SECKEY_OK;
}

int
seckey_keylist_get(struct seckey_keylist *list, const char *name,
    struct seckey_key **keyp, struct seckey_diag *diag)
{
	long i;
	int r;

	if (list == NULL || name == NULL || keyp == NULL)
		return SECKEY_ERR_INVAL;
	*keyp = NULL;
	if ((r = locate(list, name, &i, diag)) != SECKEY_OK)
		return r;
	*keyp = list->keys[i];

	return SECKEY_OK;
}

/* name may be NULL when the caller has not chosen one yet. */
int
seckey_keylist_can_add(const struct seckey_keylist *list,
    unsigned int max_keys, const char *name, struct seckey_diag *diag)
{
	if (list == NULL || max_keys < 1)
		return SECKEY_ERR_INVAL;
	if (max_keys > SECKEY_MAX_KEYS)
		max_keys = SECKEY_MAX_KEYS;
	if (list->count >= max_keys && name == NULL)
		seckey_diag_set(diag, NULL, 0, "more than %u keys", max_keys);
	else if (list->count >= max_keys)
		seckey_diag_set(diag, NULL, 0, "key \"%s\": more than %u keys",
		    name, max_keys);
	if (list->count >= max_keys)
		return SECKEY_ERR_TOOMANY;
	if (name != NULL && seckey_keylist_find(list, name) != NULL) {
		seckey_diag_set(diag, NULL, 0, "key name \"%s\" is used twice",
		    name);
		return SECKEY_ERR_DUP_NAME;
	}

	return SECKEY_OK;
}

int
seckey_keylist_add_key(struct seckey_keylist *list, unsigned int max_keys,
    struct seckey_key **keyp, struct seckey_diag *diag)
{
	struct seckey_key *key;
	int r;

	if (list == NULL || keyp == NULL || (key = *keyp) == NULL ||
	    max_keys < 1)
		return SECKEY_ERR_INVAL;
	if ((r = seckey_keylist_can_add(list, max_keys, key->name,
	    diag)) != SECKEY_OK)
		return r;
	if (seckey_keylist_find_cred(list, key->cred_id,
	    key->cred_id_len) != NULL) {
		seckey_diag_set(diag, NULL, 0, "key \"%s\": this credential "
		    "is already registered", key->name);
		return SECKEY_ERR_DUP_CRED;
	}
	list->keys[list->count++] = key;
	*keyp = NULL;

	return SECKEY_OK;
}

int
seckey_keylist_add(struct seckey_keylist *list, unsigned int max_keys,
    const struct seckey_key_info *info, struct seckey_diag *diag)
{
	struct seckey_key *key = NULL;
	int r;

	if (list == NULL || info == NULL || max_keys < 1)
		return SECKEY_ERR_INVAL;
	/* seckey_key_new() checks the name before anything echoes it. */
	if ((r = seckey_key_new(info, &key, diag)) == SECKEY_OK)
		r = seckey_keylist_add_key(list, max_keys, &key, diag);
	seckey_key_free(&key);

	return r;
}

int
seckey_keylist_rename(struct seckey_keylist *list, const char *old_name,
    const char *new_name, struct seckey_diag *diag)
{
	char fault[SECKEY_DIAG_MSG_MAX], *copy;
	long i;
	int r;

	if (list == NULL || old_name == NULL || new_name == NULL)
		return SECKEY_ERR_INVAL;
	if ((r = locate(list, old_name, &i, diag)) != SECKEY_OK)
		return r;
	if (seckey_key_name_check(new_name, fault,
	    sizeof(fault)) != SECKEY_OK) {
		seckey_diag_set(diag, NULL, 0, "%s", fault);
		return SECKEY_ERR_SYNTAX;
	}
	if (strcmp(old_name, new_name) != 0 &&
	    seckey_keylist_find(list, new_name) != NULL) {
		seckey_diag_set(diag, NULL, 0, "key name \"%s\" is already "
		    "used", new_name);
		return SECKEY_ERR_DUP_NAME;
	}
	if ((copy = strdup(new_name)) == NULL) {
		seckey_diag_set(diag, NULL, 0, "out of memory");
		return SECKEY_ERR_NOMEM;
	}
	free(list->keys[i]->name);
	list->keys[i]->name = copy;

	return SECKEY_OK;
}

int
seckey_keylist_remove(struct seckey_keylist *list, const char *name,
    struct seckey_key **keyp, struct seckey_diag *diag)
{
	long i;
	int r;

	if ((r = seckey_keylist_get(list, name, keyp, diag)) != SECKEY_OK)
		return r;
	/* Found by seckey_keylist_get(), so i >= 0. */
	i = find_index(list, name);
	/* Keep the order: it is the order the user registered them in. */
	memmove(&list->keys[i], &list->keys[i + 1],
	    (list->count - (size_t)i - 1) * sizeof(list->keys[0]));
	list->keys[--list->count] = NULL;

	return SECKEY_OK;
}

int
seckey_keylist_delete(struct seckey_keylist *list, const char *name,
    struct seckey_diag *diag)
{
	struct seckey_key *key = NULL;
	int r;

	if ((r = seckey_keylist_remove(list, name, &key, diag)) != SECKEY_OK)
		return r;
	seckey_key_free(&key);

	return SECKEY_OK;
}

/*
 * A name holds no '"' or '\'; "${" would be taken for an environment
 * variable by libconfuse (and is refused by our reader), so every '$'
 * is written as the hex escape \x24.  Not octal: libconfuse's lexer
 * reads "\0445" (a '$' then '5') as one bad escape, and the list could
 * no longer be read; a hex escape takes at most two digits.
 */
static void
write_name(FILE *fp, const char *name)
{
	for (; *name != '\0'; name++)
		if (*name == '$')
			fputs("\\x24", fp);
		else
			fputc(*name, fp);
}

static int
write_key(FILE *fp, const struct seckey_key *key)
{
	char *cred = NULL, *pubkey = NULL, aaguid[SECKEY_AAGUID_TEXT_LEN];
	char created[SECKEY_TIME_LEN], *handle = NULL;
	int r;

	if ((key->user_handle_len > 0 && (r = seckey_base64_encode(
	    key->user_handle, key->user_handle_len, &handle)) != SECKEY_OK) ||
	    (r = seckey_base64_encode(key->cred_id, key->cred_id_len,
	    &cred)) != SECKEY_OK ||
	    (r = seckey_base64_encode(key->pubkey_der, key->pubkey_der_len,
	    &pubkey)) != SECKEY_OK ||
	    (r = seckey_time_format(key->created, created)) != SECKEY_OK)
		goto fail;
	seckey_aaguid_format(&key->aaguid, aaguid);

	fputs("key \"", fp);
	write_name(fp, key->name);
	fprintf(fp, "\" {\n"
	    "  credential = \"%s\"\n"
	    "  public_key = \"%s\"\n"
	    "  algorithm  = \"%s\"        # es256 | eddsa | rs256\n"
	    "  aaguid     = \"%s\"\n"
	    "  transport  = \"%s\"          # usb | nfc\n"
	    "  created    = \"%s\"\n", cred, pubkey, seckey_alg_name(key->alg),
	    aaguid, seckey_transport_name(key->transport), created);
	if (handle != NULL)
		fprintf(fp, "  user_handle = \"%s\"    # discoverable\n",
		    handle);
	fputs("}\n", fp);
fail:
	free(handle);
	free(cred);
	free(pubkey);

	return r;
}

int
seckey_keylist_format(const struct seckey_keylist *list,
    const char *user_name, char **textp, size_t *lenp,
    struct seckey_diag *diag)
{
	char *text = NULL;
	size_t len = 0, i;
	FILE *fp;
	int r = SECKEY_ERR_NOMEM;

	if (list == NULL || textp == NULL || lenp == NULL)
		return SECKEY_ERR_INVAL;
	*textp = NULL;
	*lenp = 0;
	if ((fp = open_memstream(&text, &len)) == NULL)
		goto fail;
	/* The name goes into a comment line: no control characters. */
	if (user_name != NULL && seckey_text_printable(user_name, NULL))
		fprintf(fp, "# Security keys of %s.", user_name);
	else
		fputs("# Security keys.", fp);
	fputs(" Written by seckey; safe to read, careful to edit.\n", fp);
	for (i = 0, r = SECKEY_OK; i < list->count && r == SECKEY_OK; i++)
		r = write_key(fp, list->keys[i]);
	if (ferror(fp) && r == SECKEY_OK)
		r = SECKEY_ERR_NOMEM;
	if (fclose(fp) != 0 && r == SECKEY_OK)
		r = SECKEY_ERR_NOMEM;
	if (r != SECKEY_OK)
		goto fail;
	*textp = text;
	*lenp = len;
	text = NULL;
fail:
	if (r != SECKEY_OK)
		seckey_diag_set(diag, NULL, 0, "cannot format the key list: %s",
		    seckey_strerror(r));
	free(text);

	return r;
}

int
seckey_keylist_write(struct seckey_lock *lock,
    const struct seckey_keylist *list, const char *user_name,
    struct seckey_diag *diag)
{
	char *text = NULL;
	size_t len = 0;
	int r;

	if ((r = seckey_keylist_format(list, user_name, &text, &len,
	    diag)) != SECKEY_OK)
		return r;
	r = seckey_file_replace(lock, text, len, diag);
	free(text);

	return r;
}

int
seckey_keylist_read(const char *path, const struct seckey_user *user,
    unsigned int max_keys, struct seckey_keylist **listp,
    struct seckey_diag *diag)
{
	char *text = NULL;
	size_t len = 0;
	int r;

	if (listp == NULL || user == NULL)
		return SECKEY_ERR_INVAL;
	*listp = NULL;
	if ((r = seckey_file_read(path, user, &text, &len, diag)) != SECKEY_OK)
		return r;
	r = seckey_keylist_parse(text, len, path, max_keys, listp, diag);
	free(text);

	return r;
}
