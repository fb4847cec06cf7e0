/*
 * seckey_ldap_edit.h: changing a user's keys in the directory
 * (keys = "ldap"): "seckey-keys-ldap --conf PATH --edit USER", run by
 * seckey through the "ldap" key store, and what the store and the
 * program share.
 *
 * One child, one connection, one bind: the store starts the program
 * and the conversation is, on the program's standard input and output:
 *
 *	store -> program   the user's directory password and "\n", when
 *	                   the bind takes one (SECKEY_LDAP_EDIT_USER_PASSWORD)
 *	program -> store   the user's keys in key-list syntax, as read under
 *	                   that bind, then the line SECKEY_LDAP_EDIT_END
 *	store -> program   the new list in key-list syntax, then the line
 *	                   SECKEY_LDAP_EDIT_END; standard input then ends
 *
 * The program writes the change as one LDAP modify of the values it
 * read: the values of keys that went or changed are deleted exactly as
 * they were read, those of new or changed keys added, the others (and
 * values of other mapping kinds) left byte for byte as they are
 * (seckey_ldap_edit_plan()).  The modify also asserts (RFC 4528) that
 * the entry's entryCSN is still the one read, where the server keeps
 * one: any change made to the entry meanwhile makes it fail, and so
 * does, on any server, the deletion of a value read.  Input that ends
 * before the end line writes nothing.
 */
#ifndef SECKEY_LDAP_EDIT_H
#define SECKEY_LDAP_EDIT_H

#include <stdbool.h>
#include <stddef.h>

#include "seckey_error.h"
#include "seckey_keylist.h"
#include "seckey_ldap_conf.h"

/* The line that ends a list, either way (never a line of a key list). */
#define SECKEY_LDAP_EDIT_END	"%end"

/*
 * Exit statuses of --edit, after the SECKEY_READER_EXIT_* of
 * seckey_command.h (0: written, or nothing to write; 10: no such user).
 */
#define SECKEY_LDAP_EDIT_EXIT_BIND	14	/* bind refused: wrong password */
#define SECKEY_LDAP_EDIT_EXIT_CHANGED	15	/* changed meanwhile: nothing written */
#define SECKEY_LDAP_EDIT_EXIT_DENIED	16	/* the directory refused the write */
#define SECKEY_LDAP_EDIT_EXIT_NO_LIST	17	/* no new list came: nothing written */

/* How the program binds to change a list. */
enum seckey_ldap_edit_bind {
	/* The user's DN (user_dn, or looked up anonymously) and the
	 * password the user typed. */
	SECKEY_LDAP_EDIT_USER_PASSWORD,
	/* sasl_mech as the user itself (EXTERNAL over ldapi://). */
	SECKEY_LDAP_EDIT_USER_SASL,
	/* Root: admin_bind_dn and admin_bind_password_file. */
	SECKEY_LDAP_EDIT_ADMIN_PASSWORD,
	/* Root: admin_sasl_mech. */
	SECKEY_LDAP_EDIT_ADMIN_SASL,
};

/*
 * The bind for a change made by root (as_root) or by the user.
 * SECKEY_ERR_CONFIG, with the reason in diag: root and no administrator
 * bind, or a typed password that would go over ldap:// without
 * StartTLS.
 */
int seckey_ldap_edit_bind(const struct seckey_ldap_conf *conf, bool as_root,
    enum seckey_ldap_edit_bind *bindp, struct seckey_diag *diag);

/*
 * Where the list in text ends: 1 when a line SECKEY_LDAP_EDIT_END
 * ("\n"-terminated) starts at *bodyp and nothing follows it, 0 when
 * none has come yet, -1 when something follows it.
 */
int seckey_ldap_edit_end(const char *text, size_t len, size_t *bodyp);

/* The values one modify deletes and adds (NUL-terminated copies). */
struct seckey_ldap_plan {
	char	**del;
	size_t	  del_len;
	char	**add;
	size_t	  add_len;
};

/*
 * From the n values read (lens[i] bytes each) to new_list: which values
 * to delete and which to add.  The values read are refused as the
 * reader refuses them (seckey_passkey_parse_values()); a key whose
 * value would be the same as the one read (compared as our
 * seckey_passkey_format() writes both) keeps the value read.  On
 * failure the plan is empty.
 */
int seckey_ldap_edit_plan(const char *const *values, const size_t *lens,
    size_t n, const struct seckey_keylist *new_list,
    struct seckey_ldap_plan *plan, struct seckey_diag *diag);

void seckey_ldap_plan_clear(struct seckey_ldap_plan *plan);

#endif /* SECKEY_LDAP_EDIT_H */
