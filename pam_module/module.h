/*
 * module.h: the pieces of pam_seckey.so, shared between its files.
 *
 * pam_seckey.c holds the PAM entry points and nothing else; args.c the
 * module line; conv.c the conversation; signin.c the sign-in steps;
 * outcome.c the one table that turns what happened into a PAM code, a
 * message for the user and a syslog line.
 */
#ifndef PAM_SECKEY_MODULE_H
#define PAM_SECKEY_MODULE_H

#include <stdbool.h>

#include <security/pam_modules.h>

#include "seckey_error.h"
#include "seckey_mem.h"

/* The entry points; everything else is hidden (-fvisibility=hidden). */
#define PAM_SECKEY_EXPORT	__attribute__((__visibility__("default")))

struct module_args {
	const char	*conf;		/* conf=PATH, or NULL for the default */
	bool		 debug;
};

/* What a sign-in came to; outcome.c maps each to a PAM code. */
enum outcome {
	OUTCOME_SUCCESS,
	OUTCOME_DISABLED,
	OUTCOME_RESET_SERVICE,
	OUTCOME_REMOTE_IGNORED,
	OUTCOME_REMOTE_DENIED,
	OUTCOME_BAD_ARGUMENT,
	OUTCOME_POLICY_ERROR,
	OUTCOME_NO_USER,
	OUTCOME_UNKNOWN_USER,
	OUTCOME_KEYLIST_ERROR,
	OUTCOME_KEYLIST_UNAVAIL,
	OUTCOME_KEYS_REFUSED,
	OUTCOME_KEYS_CONFIG,
	OUTCOME_NOT_ENROLLED,
	OUTCOME_NO_DEVICE,
	OUTCOME_PIN_NOT_SET,
	OUTCOME_CONV_ERROR,
	OUTCOME_NO_PIN,
	OUTCOME_PIN_INVALID,
	OUTCOME_PIN_AUTH_BLOCKED,
	OUTCOME_PIN_BLOCKED,
	OUTCOME_TOUCH_TIMEOUT,
	OUTCOME_DEVICE_LOST,
	OUTCOME_BAD_ASSERTION,
	OUTCOME_MODEL_REFUSED,
	OUTCOME_MODEL_MISMATCH,
	OUTCOME_CLONED,
	OUTCOME_MARKED,
	OUTCOME_STATE_ERROR,
	OUTCOME_NO_ACCOUNT,
	OUTCOME_NO_CHOICE,
	OUTCOME_NOT_OWNER,
	OUTCOME_NOMEM,
	OUTCOME_INTERNAL,
};

/* What the report of an outcome may mention; unknown parts are NULL/-1. */
struct outcome_detail {
	const char		*user;		/* never an unknown user's name */
	const char		*key_name;
	const char		*policy_path;
	int			 retries;	/* PIN retries left, or -1 */
	int			 timeout;	/* seconds */
	bool			 nouserok;
	bool			 silent;	/* PAM_SILENT: no information */
	struct seckey_diag	 diag;
};

int module_args_parse(int argc, const char **argv, struct module_args *args,
    struct seckey_diag *diag);

/* Reports the outcome (syslog, user message) and returns its PAM code. */
int outcome_report(pam_handle_t *pamh, enum outcome outcome,
    const struct outcome_detail *detail);

/* pam_syslog with every control character replaced by '?'. */
void module_log(pam_handle_t *pamh, int priority, const char *fmt, ...)
    __attribute__((__format__(__printf__, 3, 4)));

/* The outcome a libseckey error stands for during the FIDO2 steps. */
enum outcome outcome_of_device_error(int err);
/* The ending of a key store that could not give a list (err != 0). */
enum outcome outcome_of_store_error(int err);

/* PAM_SUCCESS, PAM_CONV_ERR (no answer) or PAM_AUTH_ERR (empty, too long). */
int conv_read_pin(pam_handle_t *pamh, const char *prompt,
    struct seckey_pin *pin);
/*
 * PAM_SILENT (silent) holds back information only.  The interaction is
 * always shown: the PIN prompt, the cues of conv_cue() and the errors of
 * conv_error(), which tell the user why the key did not sign them in.
 */
void conv_info(pam_handle_t *pamh, bool silent, const char *text);
/* A cue the user must act on (insert, touch): shown even when silent. */
void conv_cue(pam_handle_t *pamh, const char *text);
void conv_error(pam_handle_t *pamh, const char *fmt, ...)
    __attribute__((__format__(__printf__, 2, 3)));
/*
 * The accounts of names (n > 1; NULL: no name; untrusted, escaped
 * here), numbered from 1, and the number the user answers: *choice
 * from 0.  PAM_SUCCESS, PAM_CONV_ERR (no answer), PAM_AUTH_ERR (not
 * one of the numbers).
 */
int conv_choose(pam_handle_t *pamh, const char *const *names, size_t n,
    size_t *choice);

int signin_run(pam_handle_t *pamh, int flags, const struct module_args *args);

#endif /* PAM_SECKEY_MODULE_H */
