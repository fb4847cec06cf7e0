/*
 * seckey_policy.h: the administrator's policy, /etc/security/pam_seckey.conf.
 *
 * One parser for the module and the helper.  Every option has a default,
 * so an empty file is valid (and signs no one in: enabled is false).
 * An unknown option, a bad value or an unsafe file is an error that
 * names the file and the line.
 */
#ifndef SECKEY_POLICY_H
#define SECKEY_POLICY_H

#include <stdbool.h>
#include <stddef.h>

#include "seckey_aaguid.h"
#include "seckey_error.h"
#include "seckey_file.h"
#include "seckey_path.h"

#ifndef SECKEY_POLICY_PATH
#define SECKEY_POLICY_PATH	"/etc/security/pam_seckey.conf"
#endif

/* Hard ceiling of keys per user, whatever max_keys says. */
#define SECKEY_MAX_KEYS		10
#define SECKEY_TIMEOUT_MAX	600
/* A key reader that needs longer than this is broken. */
#define SECKEY_KEYS_COMMAND_TIMEOUT_MAX	60
/* An offline cache older than a year is no cache: 0 turns it off. */
#define SECKEY_KEYS_CACHE_MAX_AGE_MAX	(366 * 24 * 3600)

enum seckey_uv {
	SECKEY_UV_PIN,		/* the key's PIN at every sign-in */
	SECKEY_UV_NONE,		/* touch alone (discouraged) */
};

/* What a sign-in from another host (PAM_RHOST) comes to. */
enum seckey_remote {
	SECKEY_REMOTE_IGNORE,	/* PAM_IGNORE at once, no key touched */
	SECKEY_REMOTE_DENY,	/* refused */
	SECKEY_REMOTE_ALLOW,	/* as a local sign-in */
};

/* What registration asks of a key's attestation. */
enum seckey_attestation {
	SECKEY_ATTESTATION_NONE,	/* its signature only */
	SECKEY_ATTESTATION_VERIFY,	/* chained to the maker (seckey_attest.h) */
};

/* What a signature counter that did not increase comes to. */
enum seckey_counter_policy {
	SECKEY_COUNTER_LOG,	/* logged (and audited); the sign-in goes on */
	SECKEY_COUNTER_DENY,	/* refused, and the credential marked */
};

struct seckey_policy {
	bool			 enabled;
	char			*rp_id;
	char			*keys;	/* the store: "file", "ldap", "command" */
	char			*keys_file;	/* %u, %h, %% template */
	char			*keys_command;	/* NULL, or seckey_cmdline.h */
	char			*keys_command_user;
	unsigned int		 keys_command_timeout; /* seconds, 1 .. 60 */
	char			*ldap_conf;	/* seckey-keys-ldap's settings */
	char			*keys_cache;	/* folder of the offline cache */
	unsigned int		 keys_cache_max_age; /* seconds; 0: no cache */
	unsigned int		 max_keys;	/* 1 .. SECKEY_MAX_KEYS */
	enum seckey_uv		 user_verification;
	bool			 user_presence;
	unsigned int		 timeout;	/* seconds, 1 .. 600 */
	bool			 nouserok;
	char			**reset_services;
	size_t			 reset_services_len;
	/* Services that may sign in without a user name; none refused. */
	char			**usernameless_services;
	size_t			 usernameless_services_len;
	struct seckey_aaguid	*allowed_aaguids; /* none: any model */
	size_t			 allowed_aaguids_len;
	char			*pin_prompt;
	char			*touch_prompt;
	char			*insert_prompt;
	enum seckey_remote	 remote;
	char			*state_dir;	/* root's: counters/, mds/ */
	enum seckey_attestation	 attestation;
	char			*attestation_roots;	/* a PEM bundle */
	enum seckey_counter_policy counter_policy;
	bool			 debug;
};

/*
 * Read and parse the policy file.  path NULL means SECKEY_POLICY_PATH.
 * A missing file gives the defaults unless explicit says the path was
 * asked for (conf=PATH, --conf PATH): then it is SECKEY_ERR_NOENT.  The
 * file must be owned by root, writable by no one else, not a symbolic
 * link, in folders likewise.  hostname NULL: gethostname(), for the
 * default rp_id "pam://" + hostname.
 */
int seckey_policy_load(const char *path, bool explicit, const char *hostname,
    struct seckey_policy **policyp, struct seckey_diag *diag);

/* Parse len bytes of policy text (NUL-terminated); file names it. */
int seckey_policy_parse(const char *text, size_t len, const char *file,
    const char *hostname, struct seckey_policy **policyp,
    struct seckey_diag *diag);

void seckey_policy_free(struct seckey_policy **policyp);

/* Is service one whose auth is an identity check for a password reset? */
bool seckey_policy_is_reset_service(const struct seckey_policy *policy,
    const char *service);

/*
 * May service sign a user in who gave no name, with a discoverable
 * credential (usernameless_services)?  Never a service of
 * SECKEY_POLICY_NEVER_USERNAMELESS, which the parser refuses anyway.
 */
bool seckey_policy_is_usernameless_service(const struct seckey_policy *policy,
    const char *service);

/*
 * Services where the user is known before authentication (an escalation
 * from a signed-in user) or remote: a key that names an account there
 * would let whoever holds a key choose whom to become.
 */
#define SECKEY_POLICY_NEVER_USERNAMELESS \
	{ "sshd", "su", "su-l", "sudo", "sudo-i", "runuser", "runuser-l", \
	    "polkit-1", "doas", NULL }

/* May a key of this model be registered and used? */
bool seckey_policy_aaguid_allowed(const struct seckey_policy *policy,
    const struct seckey_aaguid *aaguid);

/* "pin" or "none". */
const char *seckey_uv_name(enum seckey_uv uv);

/* "none" or "verify". */
const char *seckey_attestation_name(enum seckey_attestation attestation);

/* "log" or "deny". */
const char *seckey_counter_policy_name(enum seckey_counter_policy policy);

/* "ignore", "deny" or "allow". */
const char *seckey_remote_name(enum seckey_remote remote);

/*
 * Is rhost (PAM_RHOST) this machine?  NULL or empty: yes (a console, a
 * local su); this machine's host name, in any case: yes (sudo sets it).
 * Anything else is another host, addresses included: an ssh port forward
 * makes a remote client appear as 127.0.0.1 or ::1, and "localhost" is
 * what such a client is resolved to.
 */
bool seckey_rhost_is_local(const char *rhost);

/* seckey_expand_path() of policy->keys_file for user. */
int seckey_policy_keys_path(const struct seckey_policy *policy,
    const struct seckey_user *user, char **pathp, struct seckey_diag *diag);

#endif /* SECKEY_POLICY_H */
