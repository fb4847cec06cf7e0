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
 * Exit codes.  0, 10, 11 and 12 are the numbers of the
 * SECKEY_READER_EXIT_* constants of lib/seckey_command.h (branch
 * keyscmd), with which the module's command runner reads any key reader;
 * they are repeated here, by number, until the branches meet.  13 is
 * this reader's own: the directory answered, and the answer was refused
 * (two entries for one user, a malformed or over-long value, too many
 * keys, a credential or name twice).  It must count as neither a list
 * of keys nor "not enrolled", and it is not "unavailable" either: the
 * user may write their own values, so falling back to a cached answer
 * would let them keep a key the administrator removed.
 */
#define SECKEY_READER_EXIT_FOUND	0	/* the list, maybe empty */
#define SECKEY_READER_EXIT_NOUSER	10	/* no entry for the user */
#define SECKEY_READER_EXIT_UNAVAIL	11	/* no server answered */
#define SECKEY_READER_EXIT_CONFIG	12	/* configuration, usage */
#define SECKEY_READER_EXIT_REFUSED	13	/* an answer refused */

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
