/*
 * seckey_ldap_edit.c: the parts of a change to a directory list that
 * need no libldap, so that they are unit-tested here: which bind, where
 * a list in the conversation ends, and which values one modify deletes
 * and adds.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "seckey_ldap_edit.h"
#include "seckey_passkey.h"

/* A password typed by a user must not cross a network in clear. */
static bool
typed_password_in_clear(const struct seckey_ldap_conf *conf)
{
	size_t i;

	if (conf->starttls)
		return false;
	for (i = 0; i < conf->uris_len; i++)
		if (strncmp(conf->uris[i], "ldap://", 7) == 0)
			return true;

	return false;
}

int
seckey_ldap_edit_bind(const struct seckey_ldap_conf *conf, bool as_root,
    enum seckey_ldap_edit_bind *bindp, struct seckey_diag *diag)
{
	if (conf == NULL || bindp == NULL)
		return SECKEY_ERR_INVAL;
	if (as_root && conf->admin_bind_dn != NULL)
		*bindp = SECKEY_LDAP_EDIT_ADMIN_PASSWORD;
	else if (as_root && conf->admin_sasl_mech != NULL)
		*bindp = SECKEY_LDAP_EDIT_ADMIN_SASL;
	else if (as_root) {
		seckey_diag_set(diag, NULL, 0, "root changes keys in the "
		    "directory with an administrator bind: set admin_bind_dn "
		    "and admin_bind_password_file, or admin_sasl_mech, in "
		    "ldap_conf");
		return SECKEY_ERR_CONFIG;
	} else if (conf->sasl_mech != NULL)
		*bindp = SECKEY_LDAP_EDIT_USER_SASL;
	else if (typed_password_in_clear(conf)) {
		seckey_diag_set(diag, NULL, 0, "a directory password over "
		    "ldap:// needs starttls = true in ldap_conf (or ldaps:// "
		    "or ldapi://)");
		return SECKEY_ERR_CONFIG;
	} else
		*bindp = SECKEY_LDAP_EDIT_USER_PASSWORD;

	return SECKEY_OK;
}

int
seckey_ldap_edit_end(const char *text, size_t len, size_t *bodyp)
{
	static const char end[] = SECKEY_LDAP_EDIT_END "\n";
	const size_t end_len = sizeof(end) - 1;
	size_t at = 0;
	const char *nl;

	for (;;) {
		if (len - at >= end_len && memcmp(text + at, end, end_len) == 0) {
			*bodyp = at;
			return at + end_len == len ? 1 : -1;
		}
		nl = memchr(text + at, '\n', len - at);
		if (nl == NULL)
			return 0;
		at = (size_t)(nl - text) + 1;
	}
}

void
seckey_ldap_plan_clear(struct seckey_ldap_plan *plan)
{
	size_t i;

	if (plan == NULL)
		return;
	for (i = 0; i < plan->del_len; i++)
		free(plan->del[i]);
	for (i = 0; i < plan->add_len; i++)
		free(plan->add[i]);
	free(plan->del);
	free(plan->add);
	memset(plan, 0, sizeof(*plan));
}

/* What the key's value would be, to compare two keys as values. */
static bool
same_value(const struct seckey_key *a, const struct seckey_key *b, int *rp)
{
	char *va = NULL, *vb = NULL;
	bool same = false;

	if ((*rp = seckey_passkey_format(a, &va)) == SECKEY_OK &&
	    (*rp = seckey_passkey_format(b, &vb)) == SECKEY_OK)
		same = strcmp(va, vb) == 0;
	free(va);
	free(vb);

	return same;
}

/* The key of the list read that raw value i is (by its credential). */
static int
old_key_of(const char *value, size_t len, const struct seckey_keylist *old,
    const struct seckey_key **keyp, struct seckey_diag *diag)
{
	struct seckey_key *parsed = NULL;
	bool named;
	int r;

	if ((r = seckey_passkey_parse_value(value, len, &parsed, &named,
	    diag)) != SECKEY_OK)
		return r;
	*keyp = seckey_keylist_find_cred(old, parsed->cred_id,
	    parsed->cred_id_len);
	seckey_key_free(&parsed);

	return *keyp != NULL ? SECKEY_OK : SECKEY_ERR_INTERNAL;
}

static int
plan_add(struct seckey_ldap_plan *plan, const struct seckey_key *key)
{
	int r;

	if ((r = seckey_passkey_format(key,
	    &plan->add[plan->add_len])) == SECKEY_OK)
		plan->add_len++;

	return r;
}

static int
plan_del(struct seckey_ldap_plan *plan, const char *value, size_t len)
{
	if ((plan->del[plan->del_len] = strndup(value, len)) == NULL)
		return SECKEY_ERR_NOMEM;
	plan->del_len++;

	return SECKEY_OK;
}

/* The values read: each kept, deleted, or deleted and added anew. */
static int
plan_old(const char *const *values, const size_t *lens, size_t n,
    const struct seckey_keylist *old, const struct seckey_keylist *new_list,
    struct seckey_ldap_plan *plan, struct seckey_diag *diag)
{
	const struct seckey_key *was, *now;
	size_t i;
	int r = SECKEY_OK;

	for (i = 0; i < n && r == SECKEY_OK; i++) {
		if (seckey_passkey_other_kind(values[i], lens[i]))
			continue;
		if ((r = old_key_of(values[i], lens[i], old, &was,
		    diag)) != SECKEY_OK)
			break;
		now = seckey_keylist_find_cred(new_list, was->cred_id,
		    was->cred_id_len);
		if (now != NULL && same_value(was, now, &r))
			continue;
		if (r == SECKEY_OK)
			r = plan_del(plan, values[i], lens[i]);
		if (r == SECKEY_OK && now != NULL)
			r = plan_add(plan, now);
	}

	return r;
}

static int
plan_new(const struct seckey_keylist *old, const struct seckey_keylist *new_list,
    struct seckey_ldap_plan *plan)
{
	const struct seckey_key *key;
	size_t i;
	int r = SECKEY_OK;

	for (i = 0; i < new_list->count && r == SECKEY_OK; i++) {
		key = new_list->keys[i];
		if (seckey_keylist_find_cred(old, key->cred_id,
		    key->cred_id_len) == NULL)
			r = plan_add(plan, key);
	}

	return r;
}

int
seckey_ldap_edit_plan(const char *const *values, const size_t *lens,
    size_t n, const struct seckey_keylist *new_list,
    struct seckey_ldap_plan *plan, struct seckey_diag *diag)
{
	struct seckey_keylist *old = NULL;
	int r;

	if (plan == NULL)
		return SECKEY_ERR_INVAL;
	memset(plan, 0, sizeof(*plan));
	if (new_list == NULL || new_list->count > SECKEY_MAX_KEYS)
		return SECKEY_ERR_INVAL;
	if ((r = seckey_passkey_parse_values(values, lens, n, SECKEY_MAX_KEYS,
	    &old, diag)) != SECKEY_OK)
		goto fail;
	/* At most one deletion per value read, one addition per key. */
	r = SECKEY_ERR_NOMEM;
	if ((plan->del = calloc(old->count + 1, sizeof(char *))) == NULL ||
	    (plan->add = calloc(old->count + new_list->count + 1,
	    sizeof(char *))) == NULL)
		goto fail;
	if ((r = plan_old(values, lens, n, old, new_list, plan,
	    diag)) != SECKEY_OK ||
	    (r = plan_new(old, new_list, plan)) != SECKEY_OK)
		goto fail;

	r = SECKEY_OK;
fail:
	if (r == SECKEY_ERR_NOMEM)
		seckey_diag_set(diag, NULL, 0, "out of memory");
	if (r != SECKEY_OK)
		seckey_ldap_plan_clear(plan);
	seckey_keylist_free(&old);

	return r;
}
