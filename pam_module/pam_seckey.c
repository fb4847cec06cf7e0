/*
 * pam_seckey.c: the PAM entry points of pam_seckey.so.
 *
 * Only these three symbols are exported (pam_seckey.sym).  A security key
 * is a sign-in factor: it never authorises a password change, so
 * pam_sm_chauthtok never returns PAM_SUCCESS.
 */
#include "config.h"

#include <syslog.h>

#include <security/pam_ext.h>
#include <security/pam_modules.h>

#include "module.h"

PAM_SECKEY_EXPORT int
pam_sm_authenticate(pam_handle_t *pamh, int flags, int argc,
    const char **argv)
{
	struct module_args args;
	struct outcome_detail detail = { .retries = -1 };

	detail.silent = (flags & PAM_SILENT) != 0;
	if (module_args_parse(argc, argv, &args, &detail.diag) != SECKEY_OK)
		return outcome_report(pamh, OUTCOME_BAD_ARGUMENT, &detail);
	return signin_run(pamh, flags, &args);
}

PAM_SECKEY_EXPORT int
pam_sm_setcred(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	return PAM_SUCCESS;
}

/*
 * PAM_IGNORE leaves the decision to the password modules; a stack made
 * of pam_seckey alone is denied by libpam, never granted.
 */
PAM_SECKEY_EXPORT int
pam_sm_chauthtok(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	struct module_args args;
	struct seckey_diag diag;

	seckey_diag_clear(&diag);
	if (module_args_parse(argc, argv, &args, &diag) != SECKEY_OK)
		module_log(pamh, LOG_ERR, "%s", diag.msg);
	else if (args.debug)
		module_log(pamh, LOG_DEBUG, "a security key never authorises "
		    "a password change: leaving it to the password modules");
	return PAM_IGNORE;
}
