/*
 * seckey_ldap_conf.h: where seckey-keys-ldap finds a user's keys in a
 * directory, /etc/security/seckey-ldap.conf (libconfuse syntax, the same
 * safety rules as the policy: owned by root, writable by no one else).
 *
 * Parsed in lib/ so that every rule on the file is in one place and
 * unit-tested; only the reader (ldap/) links libldap and uses it.
 */
#ifndef SECKEY_LDAP_CONF_H
#define SECKEY_LDAP_CONF_H

#include <stdbool.h>
#include <stddef.h>

#include "seckey_error.h"

#ifndef SECKEY_LDAP_CONF_PATH
#define SECKEY_LDAP_CONF_PATH	"/etc/security/seckey-ldap.conf"
#endif

#define SECKEY_LDAP_URI_MAX		8	/* servers tried in turn */
#define SECKEY_LDAP_TIMEOUT_MAX		60	/* seconds, per server */
#define SECKEY_LDAP_DEFAULT_FILTER	"(&(objectClass=posixAccount)(uid=%u))"
#define SECKEY_LDAP_DEFAULT_ATTRIBUTE	"passkey"

struct seckey_ldap_conf {
	char		**uris;		/* ldap://, ldaps://, ldapi:// */
	size_t		  uris_len;	/* 1 .. SECKEY_LDAP_URI_MAX */
	char		 *base;
	char		 *user_filter;	/* with %u, see seckey_ldap_filter.h */
	char		 *attribute;
	char		 *bind_dn;	/* NULL: no simple bind */
	char		 *bind_password_file; /* set exactly when bind_dn is */
	char		 *sasl_mech;	/* NULL or "EXTERNAL" */
	/* seckey register, rename, delete (seckey_ldap_edit.h): */
	char		 *user_dn;	/* NULL: looked up anonymously */
	char		 *admin_bind_dn;	/* root's bind, or NULL */
	char		 *admin_bind_password_file; /* with admin_bind_dn */
	char		 *admin_sasl_mech;	/* NULL or "EXTERNAL" */
	char		 *tls_ca_file;	/* NULL: the system's */
	bool		  starttls;
	unsigned int	  timeout;	/* seconds, 1 .. 60 */
};

/*
 * Read and parse the file at path (NULL: SECKEY_LDAP_CONF_PATH).  It
 * must exist: without it there is no directory to ask.  It must belong
 * to root (or, for a process that is not root, to its own account, as
 * the policy) and be writable by no one else, in folders likewise.
 * Returns 0, SECKEY_ERR_NOENT, SECKEY_ERR_PERM, SECKEY_ERR_SYNTAX,
 * SECKEY_ERR_RANGE, SECKEY_ERR_TOOBIG, SECKEY_ERR_IO or SECKEY_ERR_NOMEM.
 */
int seckey_ldap_conf_load(const char *path, struct seckey_ldap_conf **confp,
    struct seckey_diag *diag);

/* Parse len bytes of text (NUL-terminated); file names it. */
int seckey_ldap_conf_parse(const char *text, size_t len, const char *file,
    struct seckey_ldap_conf **confp, struct seckey_diag *diag);

void seckey_ldap_conf_free(struct seckey_ldap_conf **confp);

/*
 * The bind password: the first line of bind_password_file, which must
 * be owned by root (as the file above) and readable by no one else
 * (mode 0600 or stricter).  *passwordp is newly allocated; the caller
 * wipes it with seckey_strfree() as soon as the bind is done.
 */
int seckey_ldap_conf_password(const struct seckey_ldap_conf *conf,
    char **passwordp, struct seckey_diag *diag);

/* The same for the administrator's bind, from admin_bind_password_file. */
int seckey_ldap_conf_admin_password(const struct seckey_ldap_conf *conf,
    char **passwordp, struct seckey_diag *diag);

/* Bytes of a bind password, in a file or typed by a user. */
#define SECKEY_LDAP_PASSWORD_MAX	256

#endif /* SECKEY_LDAP_CONF_H */
