/*
 * pam_trampoline.c: a PAM module that hands its calls back to the fuzz
 * program that loaded it.
 *
 * libpam lets a module, and only a module, keep data in the handle
 * (pam_modutil_getpwnam() does) and read PAM_AUTHTOK, so fuzz_pam cannot
 * call pam_sm_authenticate itself.  It calls pam_authenticate() with
 * this module stacked instead, and this module calls the program's
 * fuzz_pam_authenticate(), which runs pam_seckey's code linked into the
 * program, where libFuzzer sees its coverage.  Module arguments come
 * from the service file, as for any module.
 */
#include <config.h>

#include <dlfcn.h>
#include <stddef.h>

#include <security/pam_modules.h>

typedef int (*auth_fn)(pam_handle_t *, int, int, const char **);

PAM_EXTERN int
pam_sm_authenticate(pam_handle_t *pamh, int flags, int argc,
    const char **argv)
{
	auth_fn authenticate;

	/* Exported by the program (-Wl,--export-dynamic-symbol). */
	if ((authenticate = (auth_fn)dlsym(RTLD_DEFAULT,
	    "fuzz_pam_authenticate")) == NULL)
		return PAM_SERVICE_ERR;

	return authenticate(pamh, flags, argc, argv);
}

PAM_EXTERN int
pam_sm_setcred(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	return PAM_SUCCESS;
}
