/*
 * search.c: the one entry the filter finds, the values of the one
 * attribute asked for, and the key list they make.  The directory is
 * not trusted to answer as asked: a second entry, a second copy of the
 * attribute, too many or too long values and anything the passkey
 * parser refuses make the whole answer refused.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>

#include "reader.h"
#include "seckey_ldap_filter.h"
#include "seckey_passkey.h"
#include "seckey_policy.h"


/* The values of entry's attribute; *valsp NULL when it has none. */
static enum reader_outcome
attribute_values(LDAP *ld, LDAPMessage *entry, const char *attribute,
    const char *uri, struct berval ***valsp)
{
	BerElement *ber = NULL;
	char *name;
	int rc = LDAP_SUCCESS;
	enum reader_outcome outcome = READER_FOUND;

	*valsp = NULL;
	for (name = ldap_first_attribute(ld, entry, &ber); name != NULL;
	    name = ldap_next_attribute(ld, entry, ber)) {
		/* A server may send more than asked: only ours counts. */
		if (strcasecmp(name, attribute) == 0 && outcome == READER_FOUND) {
			if (*valsp != NULL) {
				reader_say(uri, "the attribute comes twice");
				outcome = READER_REFUSED;
			} else if ((*valsp = ldap_get_values_len(ld, entry,
			    name)) == NULL) {
				reader_say(uri, "the values cannot be decoded");
				outcome = READER_REFUSED;
			}
		}
		ldap_memfree(name);
	}
	ber_free(ber, 0);
	if (ldap_get_option(ld, LDAP_OPT_RESULT_CODE, &rc) != LDAP_OPT_SUCCESS ||
	    rc != LDAP_SUCCESS) {
		reader_say(uri, "the entry cannot be decoded");
		outcome = READER_REFUSED;
	}
	if (outcome != READER_FOUND) {
		ldap_value_free_len(*valsp);
		*valsp = NULL;
	}

	return outcome;
}

/* The entry's one entryCSN, where the server keeps one (OpenLDAP). */
static char *
entry_csn(LDAP *ld, LDAPMessage *entry)
{
	struct berval **csn = ldap_get_values_len(ld, entry, "entryCSN");
	char *text = NULL;

	if (csn != NULL && csn[0] != NULL && csn[1] == NULL &&
	    csn[0]->bv_len > 0 && csn[0]->bv_len <= SECKEY_LDAP_USER_MAX &&
	    memchr(csn[0]->bv_val, '\0', csn[0]->bv_len) == NULL)
		text = strndup(csn[0]->bv_val, csn[0]->bv_len);
	ldap_value_free_len(csn);

	return text;
}

/* Count and lengths first: the parser gets nothing unbounded. */
enum reader_outcome
reader_values_list(struct berval **vals, const char *uri,
    struct seckey_keylist **listp)
{
	const char *values[READER_VALUES_MAX];
	size_t lens[READER_VALUES_MAX], n;
	struct seckey_diag diag;
	int r;

	for (n = 0; vals != NULL && vals[n] != NULL; n++) {
		if (n == READER_VALUES_MAX) {
			reader_say(uri, "more than %d values", READER_VALUES_MAX);
			return READER_REFUSED;
		}
		if (vals[n]->bv_len > SECKEY_PASSKEY_VALUE_MAX) {
			reader_say(uri, "a value of more than %d bytes",
			    SECKEY_PASSKEY_VALUE_MAX);
			return READER_REFUSED;
		}
		values[n] = vals[n]->bv_val;
		lens[n] = vals[n]->bv_len;
	}
	seckey_diag_clear(&diag);
	if ((r = seckey_passkey_parse_values(values, lens, n, SECKEY_MAX_KEYS,
	    listp, &diag)) != SECKEY_OK) {
		reader_say(uri, "%s%s%s", seckey_strerror(r),
		    diag.msg[0] != '\0' ? ": " : "", diag.msg);
		return r == SECKEY_ERR_NOMEM ? READER_UNAVAIL : READER_REFUSED;
	}

	return READER_FOUND;
}

/* One entry, or none, or a refusal. */
static enum reader_outcome
one_entry(LDAP *ld, LDAPMessage *res, const char *uri, LDAPMessage **entryp)
{
	int n = ldap_count_entries(ld, res);

	*entryp = NULL;
	if (n < 0) {
		reader_say(uri, "the answer cannot be decoded");
		return READER_REFUSED;
	}
	if (n == 0) {
		/* The name may be a mistyped password: it is not shown. */
		reader_say(uri, "no such user in the directory");
		return READER_NOUSER;
	}
	if (n > 1) {
		reader_say(uri, "the filter finds %d entries for one user", n);
		return READER_REFUSED;
	}
	*entryp = ldap_first_entry(ld, res);

	return *entryp != NULL ? READER_FOUND : READER_REFUSED;
}

void
reader_entry_clear(struct reader_entry *e)
{
	ldap_value_free_len(e->vals);
	ldap_memfree(e->dn);
	free(e->csn);
	memset(e, 0, sizeof(*e));
}

enum reader_outcome
reader_fetch(LDAP *ld, const struct seckey_ldap_conf *conf, const char *uri,
    const char *base, int scope, const char *filter, struct reader_entry *e)
{
	struct timeval tv = { (time_t)conf->timeout, 0 };
	char csn_name[] = "entryCSN";
	char *attrs[] = { conf->attribute, csn_name, NULL };
	LDAPMessage *res = NULL, *entry;
	enum reader_outcome outcome;
	int rc;

	memset(e, 0, sizeof(*e));
	/* A size limit of 2: a second entry is enough to refuse. */
	rc = ldap_search_ext_s(ld, base, scope, filter, attrs, 0, NULL, NULL,
	    &tv, 2, &res);
	if (rc == LDAP_SIZELIMIT_EXCEEDED) {
		reader_say(uri, "the filter finds more than one entry");
		outcome = READER_REFUSED;
		goto fail;
	}
	/* A user_dn that names no entry is a user the directory lacks. */
	if (rc == LDAP_NO_SUCH_OBJECT && scope == LDAP_SCOPE_BASE) {
		reader_say(uri, "no such user in the directory");
		outcome = READER_NOUSER;
		goto fail;
	}
	if (rc != LDAP_SUCCESS) {
		outcome = reader_ldap_fail(ld, uri, "search", rc);
		goto fail;
	}
	if ((outcome = one_entry(ld, res, uri, &entry)) != READER_FOUND ||
	    (outcome = attribute_values(ld, entry, conf->attribute, uri,
	    &e->vals)) != READER_FOUND)
		goto fail;
	e->csn = entry_csn(ld, entry);
	if ((e->dn = ldap_get_dn(ld, entry)) == NULL) {
		reader_say(uri, "the entry's DN cannot be decoded");
		outcome = READER_REFUSED;
	}
fail:
	ldap_msgfree(res);
	if (outcome != READER_FOUND)
		reader_entry_clear(e);

	return outcome;
}

enum reader_outcome
reader_search(LDAP *ld, const struct seckey_ldap_conf *conf, const char *uri,
    const char *filter, struct seckey_keylist **listp)
{
	struct reader_entry e;
	enum reader_outcome outcome;

	*listp = NULL;
	if ((outcome = reader_fetch(ld, conf, uri, conf->base,
	    LDAP_SCOPE_SUBTREE, filter, &e)) == READER_FOUND)
		outcome = reader_values_list(e.vals, uri, listp);
	reader_entry_clear(&e);

	return outcome;
}
