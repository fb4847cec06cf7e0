/*
 * seckey_ldap_filter.h: the search filter of seckey-keys-ldap, made from
 * the administrator's user_filter template and a user name.
 *
 * The user name comes from whoever started the sign-in: it is escaped
 * per RFC 4515 (section 3), so that "*" or "a)(uid=*" match nothing but
 * an entry of that very name and can never widen the filter.
 */
#ifndef SECKEY_LDAP_FILTER_H
#define SECKEY_LDAP_FILTER_H

#include <stdbool.h>

#include "seckey_error.h"

#define SECKEY_LDAP_FILTER_MAX	1024	/* bytes of template */
#define SECKEY_LDAP_USER_MAX	256	/* bytes of user name */

/*
 * Is tmpl a usable template: 1 .. SECKEY_LDAP_FILTER_MAX printable
 * ASCII bytes in parentheses, "%u" at least once, and no '%' but in
 * "%u" and "%%"?
 */
bool seckey_ldap_filter_valid(const char *tmpl);

/*
 * The filter for user: tmpl with every %u replaced by the escaped name
 * and %% by %.  *filterp is newly allocated.  SECKEY_ERR_INVAL for an
 * invalid template, an empty name or one longer than
 * SECKEY_LDAP_USER_MAX; SECKEY_ERR_NOMEM.
 */
int seckey_ldap_filter(const char *tmpl, const char *user, char **filterp,
    struct seckey_diag *diag);

/*
 * user_dn, the DN of a user's entry for a directory that lets no one
 * look it up before binding ("uid=%u,ou=people,dc=example,dc=org"):
 * 1 .. SECKEY_LDAP_FILTER_MAX printable ASCII bytes with "%u" at least
 * once and no '%' but in "%u" and "%%".
 */
bool seckey_ldap_dn_valid(const char *tmpl);

/*
 * The DN for user: tmpl with every %u replaced by the name escaped as
 * an attribute value of a DN (RFC 4514, section 2.4: the special
 * characters, a leading '#' or space, a trailing space and every byte
 * outside printable ASCII as "\XX"), and %% by %.  The codes of
 * seckey_ldap_filter().
 */
int seckey_ldap_dn(const char *tmpl, const char *user, char **dnp,
    struct seckey_diag *diag);

#endif /* SECKEY_LDAP_FILTER_H */
