/*
 * reader.h: seckey-keys-ldap, the program that reads one user's keys
 * from a directory for pam_seckey.  The module runs it as a child
 * process, so that no LDAP library is ever loaded into sshd or su.
 *
 * main.c	arguments, the configuration, the servers in turn, output
 * connect.c	one server: options, TLS, bind
 * search.c	the user's entry, its values, the key list
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
};

/* One line on stderr: "seckey-keys-ldap: URI: message". uri may be NULL. */
void reader_say(const char *uri, const char *fmt, ...)
    __attribute__((__format__(__printf__, 2, 3)));

/* What a failed libldap call comes to, said on stderr with the server's
 * own words (made safe for a terminal). */
enum reader_outcome reader_ldap_fail(LDAP *ld, const char *uri,
    const char *what, int rc);

/* A bound handle for uri, or why not. */
enum reader_outcome reader_connect(const struct seckey_ldap_conf *conf,
    const char *uri, LDAP **ldp);

/* The keys of the one entry that filter finds, as a list. */
enum reader_outcome reader_search(LDAP *ld, const struct seckey_ldap_conf *conf,
    const char *uri, const char *filter, struct seckey_keylist **listp);

#endif /* SECKEY_READER_H */
