/*
 * reader.h: seckey-keys-ldap, the program that reads one user's keys
 * from a directory for pam_seckey.  The module runs it as a child
 * process, so that no LDAP library is ever loaded into sshd or su.
 *
 * main.c	arguments, the configuration, the servers in turn, output
 * connect.c	one server: options, TLS, binds
 * search.c	the user's entry, its values, the key list
 * edit.c	--edit: the user's own bind, the list, the new list, the modify
 *		(seckey_ldap_edit.h)
 */
#ifndef SECKEY_READER_H
#define SECKEY_READER_H

#include <ldap.h>

#include "seckey_keylist.h"
#include "seckey_ldap_conf.h"

/*
 * Exit codes: the SECKEY_READER_EXIT_* of lib/seckey_command.h, with
 * which the module's command runner reads any key reader.
 */
#include "seckey_command.h"

enum reader_outcome {
	READER_FOUND,
	READER_NOUSER,
	READER_UNAVAIL,		/* try the next server */
	READER_CONFIG,
	READER_REFUSED,
	/* --edit only: */
	READER_BIND_REFUSED,	/* a typed password refused */
	READER_CHANGED,		/* the entry changed meanwhile */
	READER_DENIED,		/* the directory refused the change */
	READER_NO_LIST,		/* no new list came */
};

/*
 * AD's altSecurityIdentities keeps X509 and ssh mappings next to the
 * passkeys, which the parser skips: allow some, but not without bound.
 */
#define READER_VALUES_MAX	64

/* The one entry a search found. */
struct reader_entry {
	char		 *dn;
	struct berval	**vals;		/* the attribute's, or NULL */
	char		 *csn;		/* its entryCSN, or NULL */
};

/* One line on stderr: "seckey-keys-ldap: URI: message". uri may be NULL. */
void reader_say(const char *uri, const char *fmt, ...)
    __attribute__((__format__(__printf__, 2, 3)));

/* What a failed libldap call comes to, said on stderr with the server's
 * own words (made safe for a terminal). */
enum reader_outcome reader_ldap_fail(LDAP *ld, const char *uri,
    const char *what, int rc);

/* A bound handle for uri (the reader's bind), or why not. */
enum reader_outcome reader_connect(const struct seckey_ldap_conf *conf,
    const char *uri, LDAP **ldp);

/* A handle for uri, not bound yet. */
enum reader_outcome reader_open(const struct seckey_ldap_conf *conf,
    const char *uri, LDAP **ldp);

/* Simple bind; typed: a password a user typed, whose refusal is
 * READER_BIND_REFUSED rather than a configuration error. */
enum reader_outcome reader_bind_password(LDAP *ld, const char *dn,
    const char *password, const char *uri, bool typed);

/* Simple bind as dn with bind_password_file (admin: the admin's). */
enum reader_outcome reader_bind_file(LDAP *ld,
    const struct seckey_ldap_conf *conf, const char *dn, bool admin,
    const char *uri);

/* SASL bind with mech; NULL: anonymous. */
enum reader_outcome reader_bind_sasl(LDAP *ld, const char *mech,
    const char *uri);

/* The keys of the one entry that filter finds, as a list. */
enum reader_outcome reader_search(LDAP *ld, const struct seckey_ldap_conf *conf,
    const char *uri, const char *filter, struct seckey_keylist **listp);

/* The one entry under base (scope) that filter finds, its DN, values
 * and entryCSN; clear it with reader_entry_clear() whatever the outcome. */
enum reader_outcome reader_fetch(LDAP *ld, const struct seckey_ldap_conf *conf,
    const char *uri, const char *base, int scope, const char *filter,
    struct reader_entry *e);
void reader_entry_clear(struct reader_entry *e);

/* Values into a list, refused as the reader refuses them. */
enum reader_outcome reader_values_list(struct berval **vals, const char *uri,
    struct seckey_keylist **listp);

/* --edit: see seckey_ldap_edit.h.  Returns the exit status. */
int reader_edit(const struct seckey_ldap_conf *conf, const char *user,
    const char *filter);

/* The exit status of an outcome. */
int reader_exit_code(enum reader_outcome outcome);

/* Print list in key-list syntax (an exit status). */
int reader_print_list(const struct seckey_keylist *list, const char *user);

#endif /* SECKEY_READER_H */
