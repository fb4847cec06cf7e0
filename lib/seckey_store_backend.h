/*
 * seckey_store_backend.h: what a key store backend implements, and the
 * store object the front end (seckey_store.c) shares with it.
 *
 * The front end owns the protocol (the lock and its waits, the read
 * under the lock, the edit, the write); a backend only knows where its
 * list lives.  A backend that cannot be written leaves lock, write and
 * unlock NULL, and updates get SECKEY_ERR_READONLY.  Adding a backend
 * is a file in lib/, its ops declared here, one line in the table of
 * seckey_store.c and one in Makefile.am.
 */
#ifndef SECKEY_STORE_BACKEND_H
#define SECKEY_STORE_BACKEND_H

#ifndef SECKEY_INTERNAL
#error "seckey_store_backend.h is internal to libseckey (SECKEY_INTERNAL)"
#endif

#include "seckey_store.h"

struct seckey_store_ops {
	const char	*name;		/* as a policy would name it */
	/* Fill store->where and store->state from the policy. */
	int		(*open)(struct seckey_store *store,
			    const struct seckey_policy *policy,
			    struct seckey_diag *diag);
	/* Release store->state (the lock, if still held, is gone). */
	void		(*close)(struct seckey_store *store);
	/* No list at all is an empty list (SECKEY_OK). */
	int		(*read)(struct seckey_store *store,
			    unsigned int max_keys,
			    struct seckey_keylist **listp,
			    struct seckey_diag *diag);
	/* One try, no wait: SECKEY_ERR_LOCKED when another holds it. */
	int		(*lock)(struct seckey_store *store, int flags,
			    struct seckey_diag *diag);
	int		(*write)(struct seckey_store *store,
			    const struct seckey_keylist *list,
			    struct seckey_diag *diag);
	void		(*unlock)(struct seckey_store *store);
	/* Optional: what can be known before an update (see
	 * seckey_store_can_update()). */
	int		(*can_update)(struct seckey_store *store,
			    struct seckey_diag *diag);
};

struct seckey_store {
	const struct seckey_store_ops	*ops;
	const struct seckey_user	*user;		/* borrowed */
	char				*where;		/* owned */
	void				*state;		/* the backend's */
	/* How long an update waits for another writer's lock. */
	unsigned int			 lock_tries;
	unsigned int			 lock_wait_ms;
	/* How to ask the user for a secret, or NULL. */
	seckey_store_secret_fn		*secret_fn;
	void				*secret_arg;
	/* Set by a read whose answer deserves a warning; "" when none. */
	char				 warning[SECKEY_STORE_WARNING_MAX];
};

struct seckey_command;

/* A user without a list has an empty one: *listp, or SECKEY_ERR_NOMEM. */
int seckey_store_empty_list(struct seckey_keylist **listp,
    struct seckey_diag *diag);

/*
 * Run a key reader (the "command" and "ldap" backends) and parse its
 * output as strictly as a key-list file, or, with passkey_lines, as
 * SSSD/FreeIPA mapping lines when its first line that is not blank
 * starts with "passkey:".  The codes of seckey_command_run() and of the
 * parsers; messages name "output of" store->where.
 */
int seckey_store_run_reader(struct seckey_store *store,
    const struct seckey_command *cmd, bool passkey_lines,
    unsigned int max_keys, struct seckey_keylist **listp,
    struct seckey_diag *diag);

/* The backends. */
extern const struct seckey_store_ops seckey_store_file_ops;
extern const struct seckey_store_ops seckey_store_command_ops;
extern const struct seckey_store_ops seckey_store_ldap_ops;

#endif /* SECKEY_STORE_BACKEND_H */
