/*
 * pam_world.h: a private world in which fuzz_pam signs users in with
 * pam_seckey's code, and the checks every sign-in must pass, whatever
 * the input.
 *
 * The world is a folder whose every ancestor is root's (or the caller's)
 * and writable by no one else, as the module's safe-file rules demand:
 * under /run for root, else under $XDG_RUNTIME_DIR or the current folder.
 * It holds the policy, the key list and a PAM configuration for
 * pam_start_confdir() that stacks pam_trampoline.so, through which
 * pam_authenticate() reaches pam_sm_authenticate in this program.
 *
 * Checks, each an abort() with the reason on stderr:
 *  - the module never returns PAM_SUCCESS: that would take a signature
 *    over a fresh random challenge, which no reply fixed in advance can
 *    carry, from a key in the key list (see fuzz/README.md);
 *  - it asks for the PIN at most once, and only after a key answered a
 *    probe;
 *  - PAM_AUTHTOK and PAM_OLDAUTHTOK are never set;
 *  - no syslog line holds a control character, the PIN (a random
 *    canary PIN) or the name of an unknown user (a random canary name);
 *    the canary PIN is not shown to the user either.
 */
#ifndef SECKEY_FUZZ_PAM_WORLD_H
#define SECKEY_FUZZ_PAM_WORLD_H

#include <stdbool.h>
#include <stddef.h>

#include "pam_input.h"

/* Make the world; 0, or -1 with the reason in why. */
int pam_world_init(char *why, size_t why_len);

/* Remove the world's folder. */
void pam_world_cleanup(void);

/*
 * Sign in as in says and return the module's PAM code.  With recording
 * the keys are the ones fakekey_record() plugged in, the replies of in
 * are ignored, and the PAM_SUCCESS check is off.
 */
int pam_world_run(const struct pam_input *in, bool recording);

/* Print what happens (syslog, conversation, result) on stderr. */
void pam_world_verbose(bool verbose);

#endif /* SECKEY_FUZZ_PAM_WORLD_H */
