/*
 * seckey_path.h: expand a keys_file template for one user.
 */
#ifndef SECKEY_PATH_H
#define SECKEY_PATH_H

#include "seckey_error.h"

/*
 * %u the user name, %h the home folder, %% a percent sign.  User names
 * with "/", "..", or control characters are refused (and never echoed:
 * a mistyped password may be one), the home must be absolute, and the
 * result must be an absolute path shorter than PATH_MAX.  *pathp is
 * newly allocated.
 */
int seckey_expand_path(const char *tmpl, const char *user, const char *home,
    char **pathp, struct seckey_diag *diag);

#endif /* SECKEY_PATH_H */
