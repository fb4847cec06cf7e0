/*
 * edit.c: seckey-keys-ldap --edit USER, the conversation of
 * seckey_ldap_edit.h: bind as the user (or, as root, as the
 * administrator), print the user's keys as read under that bind, read
 * the new list on standard input, and write the difference with one
 * modify.  Nothing is written unless a whole new list came, and then
 * only if the entry is still as it was read.
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "reader.h"
#include "seckey_keylist_parse.h"
#include "seckey_ldap_edit.h"
#include "seckey_ldap_filter.h"
#include "seckey_mem.h"
#include "seckey_policy.h"

/* The new list: what a key-list file of ten keys comes near. */
#define INPUT_MAX	(64 * 1024)

struct edit {
	const struct seckey_ldap_conf	*conf;
	const char			*user;
	const char			*filter;
	enum seckey_ldap_edit_bind	 bind;
	char				 password[SECKEY_LDAP_PASSWORD_MAX + 1];
	struct reader_entry		 entry;
};

/*
 * The typed password: the first line of standard input, read a byte at
 * a time so that nothing after it is consumed.  An empty one would be
 * an anonymous bind (RFC 4513, 5.1.2): refused.
 */
static enum reader_outcome
read_password(struct edit *ed)
{
	size_t len = 0;
	ssize_t n;
	char c;

	for (;;) {
		if ((n = read(STDIN_FILENO, &c, 1)) < 0 && errno == EINTR)
			continue;
		if (n <= 0 || c == '\n')
			break;
		if (len + 1 >= sizeof(ed->password)) {
			reader_say(NULL, "the password is longer than %d bytes",
			    SECKEY_LDAP_PASSWORD_MAX);
			return READER_BIND_REFUSED;
		}
		ed->password[len++] = c;
	}
	ed->password[len] = '\0';
	if (len == 0) {
		reader_say(NULL, "no password given on standard input");
		return READER_BIND_REFUSED;
	}

	return READER_FOUND;
}

/* The user's DN: from user_dn, or looked up anonymously with the filter. */
static enum reader_outcome
user_dn(struct edit *ed, LDAP *ld, const char *uri, char **dnp)
{
	struct seckey_diag diag;
	struct reader_entry found;
	enum reader_outcome outcome;

	*dnp = NULL;
	memset(&found, 0, sizeof(found));
	if (ed->conf->user_dn != NULL) {
		seckey_diag_clear(&diag);
		if (seckey_ldap_dn(ed->conf->user_dn, ed->user, dnp,
		    &diag) == SECKEY_OK)
			return READER_FOUND;
		reader_say(NULL, "user_dn: %s", diag.msg);
		return READER_CONFIG;
	}
	if ((outcome = reader_bind_sasl(ld, NULL, uri)) != READER_FOUND ||
	    (outcome = reader_fetch(ld, ed->conf, uri, ed->conf->base,
	    LDAP_SCOPE_SUBTREE, ed->filter, &found)) != READER_FOUND)
		goto out;
	if ((*dnp = strdup(found.dn)) == NULL)
		outcome = READER_UNAVAIL;
out:
	reader_entry_clear(&found);

	return outcome;
}

/* The user's own bind, then the entry read under it. */
static enum reader_outcome
bind_user(struct edit *ed, LDAP *ld, const char *uri)
{
	enum reader_outcome outcome;
	char *dn = NULL;

	if (ed->bind == SECKEY_LDAP_EDIT_USER_SASL) {
		if ((outcome = reader_bind_sasl(ld, ed->conf->sasl_mech,
		    uri)) != READER_FOUND)
			return outcome;
		return reader_fetch(ld, ed->conf, uri, ed->conf->base,
		    LDAP_SCOPE_SUBTREE, ed->filter, &ed->entry);
	}
	if ((outcome = user_dn(ed, ld, uri, &dn)) == READER_FOUND &&
	    (outcome = reader_bind_password(ld, dn, ed->password, uri,
	    true)) == READER_FOUND)
		outcome = reader_fetch(ld, ed->conf, uri, dn, LDAP_SCOPE_BASE,
		    ed->filter, &ed->entry);
	free(dn);

	return outcome;
}

/* The administrator's bind (root only), then the user's entry. */
static enum reader_outcome
bind_admin(struct edit *ed, LDAP *ld, const char *uri)
{
	enum reader_outcome outcome;

	if (ed->bind == SECKEY_LDAP_EDIT_ADMIN_PASSWORD)
		outcome = reader_bind_file(ld, ed->conf,
		    ed->conf->admin_bind_dn, true, uri);
	else
		outcome = reader_bind_sasl(ld, ed->conf->admin_sasl_mech, uri);
	if (outcome != READER_FOUND)
		return outcome;

	return reader_fetch(ld, ed->conf, uri, ed->conf->base,
	    LDAP_SCOPE_SUBTREE, ed->filter, &ed->entry);
}

/* Each server in turn until one answers: bound, and the entry read. */
static enum reader_outcome
connect_and_read(struct edit *ed, LDAP **ldp, const char **urip)
{
	enum reader_outcome outcome = READER_UNAVAIL;
	const struct seckey_ldap_conf *conf = ed->conf;
	size_t i;

	for (i = 0; i < conf->uris_len && outcome == READER_UNAVAIL; i++) {
		alarm(3 * conf->timeout + 1);
		if ((outcome = reader_open(conf, conf->uris[i],
		    ldp)) != READER_FOUND)
			continue;
		*urip = conf->uris[i];
		if (ed->bind == SECKEY_LDAP_EDIT_USER_PASSWORD ||
		    ed->bind == SECKEY_LDAP_EDIT_USER_SASL)
			outcome = bind_user(ed, *ldp, *urip);
		else
			outcome = bind_admin(ed, *ldp, *urip);
		if (outcome != READER_FOUND) {
			reader_entry_clear(&ed->entry);
			ldap_unbind_ext_s(*ldp, NULL, NULL);
			*ldp = NULL;
		}
	}
	seckey_wipe(ed->password, sizeof(ed->password));

	return outcome;
}

/* The list as read, then the end line. */
static enum reader_outcome
print_current(struct edit *ed, const char *uri)
{
	struct seckey_keylist *list = NULL;
	enum reader_outcome outcome;

	if ((outcome = reader_values_list(ed->entry.vals, uri,
	    &list)) != READER_FOUND)
		return outcome;
	if (reader_print_list(list, ed->user) != SECKEY_READER_EXIT_FOUND ||
	    printf("%s\n", SECKEY_LDAP_EDIT_END) < 0 || fflush(stdout) != 0)
		outcome = READER_UNAVAIL;
	seckey_keylist_free(&list);

	return outcome;
}

/* The new list from standard input, whole, or nothing. */
static enum reader_outcome
read_new_list(struct seckey_keylist **listp)
{
	struct seckey_diag diag;
	char *text;
	size_t len = 0, body = 0;
	ssize_t n;
	int end = 0;
	enum reader_outcome outcome = READER_NO_LIST;

	*listp = NULL;
	if ((text = malloc(INPUT_MAX + 1)) == NULL)
		return READER_UNAVAIL;
	while (end == 0 && len < INPUT_MAX) {
		if ((n = read(STDIN_FILENO, text + len, INPUT_MAX - len)) < 0 &&
		    errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
		end = seckey_ldap_edit_end(text, len, &body);
	}
	if (end != 1) {
		reader_say(NULL, "%s: nothing written", end == 0 ? "no new "
		    "list came" : "more came after the new list");
		goto out;
	}
	text[body] = '\0';
	seckey_diag_clear(&diag);
	if (seckey_keylist_parse(text, body, "standard input", SECKEY_MAX_KEYS,
	    listp, &diag) != SECKEY_OK) {
		reader_say(NULL, "the new list: line %d: %s; nothing written",
		    diag.line, diag.msg);
		outcome = READER_CONFIG;
		goto out;
	}
	outcome = READER_FOUND;
out:
	free(text);

	return outcome;
}

/* What the modify's result comes to. */
static enum reader_outcome
modify_outcome(LDAP *ld, const char *uri, int rc)
{
	switch (rc) {
	case LDAP_SUCCESS:
		return READER_FOUND;
	case LDAP_NO_SUCH_ATTRIBUTE:
	case LDAP_TYPE_OR_VALUE_EXISTS:
	case LDAP_ASSERTION_FAILED:
	case LDAP_NO_SUCH_OBJECT:
		reader_say(uri, "the entry changed since it was read: nothing "
		    "written (%s)", ldap_err2string(rc));
		return READER_CHANGED;
	default:
		if (reader_ldap_fail(ld, uri, "modify", rc) == READER_UNAVAIL)
			return READER_UNAVAIL;
		return READER_DENIED;
	}
}

/* A berval array over the plan's strings (not copied). */
static struct berval **
bervals(char **values, size_t n, struct berval *store)
{
	struct berval **vals;
	size_t i;

	if ((vals = calloc(n + 1, sizeof(*vals))) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		store[i].bv_val = values[i];
		store[i].bv_len = strlen(values[i]);
		vals[i] = &store[i];
	}

	return vals;
}

/*
 * The one modify: the deletions, the additions, and, where the entry
 * has an entryCSN, the assertion that it is still the one read.
 */
static enum reader_outcome
apply_plan(struct edit *ed, LDAP *ld, const char *uri,
    struct seckey_ldap_plan *plan)
{
	struct berval del_store[SECKEY_MAX_KEYS + 1];
	struct berval add_store[2 * SECKEY_MAX_KEYS + 1];
	LDAPMod del_mod, add_mod, *mods[3] = { NULL, NULL, NULL };
	LDAPControl *assertion = NULL, *ctrls[2] = { NULL, NULL };
	char *csn_filter = NULL;
	size_t m = 0;
	int rc = LDAP_NO_MEMORY;

	memset(&del_mod, 0, sizeof(del_mod));
	memset(&add_mod, 0, sizeof(add_mod));
	if (plan->del_len > SECKEY_MAX_KEYS || plan->add_len > 2 * SECKEY_MAX_KEYS)
		goto out;
	del_mod.mod_op = LDAP_MOD_DELETE | LDAP_MOD_BVALUES;
	del_mod.mod_type = ed->conf->attribute;
	add_mod.mod_op = LDAP_MOD_ADD | LDAP_MOD_BVALUES;
	add_mod.mod_type = ed->conf->attribute;
	if ((plan->del_len > 0 && (del_mod.mod_bvalues = bervals(plan->del,
	    plan->del_len, del_store)) == NULL) ||
	    (plan->add_len > 0 && (add_mod.mod_bvalues = bervals(plan->add,
	    plan->add_len, add_store)) == NULL))
		goto out;
	if (plan->del_len > 0)
		mods[m++] = &del_mod;
	if (plan->add_len > 0)
		mods[m++] = &add_mod;
	if (ed->entry.csn != NULL) {
		if (seckey_ldap_filter("(entryCSN=%u)", ed->entry.csn,
		    &csn_filter, NULL) != SECKEY_OK ||
		    (rc = ldap_create_assertion_control(ld, csn_filter, 1,
		    &assertion)) != LDAP_SUCCESS)
			goto out;
		ctrls[0] = assertion;
	}
	rc = ldap_modify_ext_s(ld, ed->entry.dn, mods, ctrls, NULL);
out:
	free(del_mod.mod_bvalues);
	free(add_mod.mod_bvalues);
	free(csn_filter);
	if (assertion != NULL)
		ldap_control_free(assertion);

	return modify_outcome(ld, uri, rc);
}

static enum reader_outcome
write_new_list(struct edit *ed, LDAP *ld, const char *uri,
    const struct seckey_keylist *list)
{
	struct seckey_ldap_plan plan;
	struct seckey_diag diag;
	const char *values[READER_VALUES_MAX];
	size_t lens[READER_VALUES_MAX], n;
	enum reader_outcome outcome;

	/* reader_values_list() bounded them when they were printed. */
	for (n = 0; ed->entry.vals != NULL && ed->entry.vals[n] != NULL &&
	    n < READER_VALUES_MAX; n++) {
		values[n] = ed->entry.vals[n]->bv_val;
		lens[n] = ed->entry.vals[n]->bv_len;
	}
	seckey_diag_clear(&diag);
	if (seckey_ldap_edit_plan(values, lens, n, list, &plan,
	    &diag) != SECKEY_OK) {
		reader_say(uri, "%s; nothing written", diag.msg);
		return READER_REFUSED;
	}
	outcome = plan.del_len == 0 && plan.add_len == 0 ? READER_FOUND :
	    apply_plan(ed, ld, uri, &plan);
	seckey_ldap_plan_clear(&plan);

	return outcome;
}

int
reader_edit(const struct seckey_ldap_conf *conf, const char *user,
    const char *filter)
{
	struct seckey_keylist *list = NULL;
	struct seckey_diag diag;
	struct edit ed;
	enum reader_outcome outcome;
	const char *uri = NULL;
	LDAP *ld = NULL;

	memset(&ed, 0, sizeof(ed));
	ed.conf = conf;
	ed.user = user;
	ed.filter = filter;
	seckey_diag_clear(&diag);
	if (seckey_ldap_edit_bind(conf, geteuid() == 0, &ed.bind,
	    &diag) != SECKEY_OK) {
		reader_say(NULL, "%s", diag.msg);
		return SECKEY_READER_EXIT_CONFIG;
	}
	if ((ed.bind != SECKEY_LDAP_EDIT_USER_PASSWORD ||
	    (outcome = read_password(&ed)) == READER_FOUND) &&
	    (outcome = connect_and_read(&ed, &ld, &uri)) == READER_FOUND &&
	    (outcome = print_current(&ed, uri)) == READER_FOUND) {
		/* The caller edits in memory: as long again for the rest. */
		alarm(3 * conf->timeout + 1);
		if ((outcome = read_new_list(&list)) == READER_FOUND)
			outcome = write_new_list(&ed, ld, uri, list);
	}
	alarm(0);
	seckey_wipe(ed.password, sizeof(ed.password));
	seckey_keylist_free(&list);
	reader_entry_clear(&ed.entry);
	if (ld != NULL)
		ldap_unbind_ext_s(ld, NULL, NULL);

	return reader_exit_code(outcome);
}
