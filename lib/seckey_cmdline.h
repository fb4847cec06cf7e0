/*
 * seckey_cmdline.h: the keys_command line of the policy: checked once
 * when the policy is read, split and expanded into an argv for each
 * user.
 *
 * "/abs/program ARG ...": split on spaces, no shell, no quoting.  In
 * the arguments %u is the user name, %h the home folder, %U the
 * numeric uid and %% a percent sign; the program itself is fixed.
 */
#ifndef SECKEY_CMDLINE_H
#define SECKEY_CMDLINE_H

#include <stdbool.h>

#include "seckey_error.h"
#include "seckey_file.h"

#define SECKEY_CMDLINE_MAX	1024	/* bytes of the line */
#define SECKEY_CMDLINE_ARGS_MAX	32	/* words, the program included */

/* Is line a keys_command the policy may hold (see above)? */
bool seckey_cmdline_valid(const char *line);

/*
 * Split and expand line for user into a newly allocated NULL-terminated
 * argv (free it with seckey_cmdline_free).  %h needs an absolute home.
 * Returns 0, SECKEY_ERR_INVAL (a line seckey_cmdline_valid refuses, a
 * user name or home with control characters) or SECKEY_ERR_NOMEM.
 */
int seckey_cmdline_expand(const char *line, const struct seckey_user *user,
    char ***argvp, struct seckey_diag *diag);

/* Free an argv of seckey_cmdline_expand and set *argvp to NULL. */
void seckey_cmdline_free(char ***argvp);

#endif /* SECKEY_CMDLINE_H */
