/*
 * testutil.h: scratch folders and small file helpers for the unit tests.
 */
#ifndef SECKEY_TESTUTIL_H
#define SECKEY_TESTUTIL_H

#include <stdbool.h>
#include <sys/types.h>

/* A new private folder (mode 0700) under $TMPDIR or /tmp; exits on error. */
char *scratch_new(void);

/* Remove a folder and everything in it, whatever the modes. */
void scratch_remove(char **dirp);

/* Create or truncate path with exactly this text and mode; 0 or -1. */
int write_text(const char *path, const char *text, mode_t mode);

/* The whole file in a static buffer, or NULL. */
const char *read_text(const char *path);

/* Are we root (so that chown and privilege tests can run)? */
bool is_root(void);

#endif /* SECKEY_TESTUTIL_H */
