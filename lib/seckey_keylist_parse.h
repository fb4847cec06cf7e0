/*
 * seckey_keylist_parse.h: the reader of a key list's text (the format is
 * in seckey_keylist.h), shared by seckey_keylist_read() and the tests.
 */
#ifndef SECKEY_KEYLIST_PARSE_H
#define SECKEY_KEYLIST_PARSE_H

#include <stddef.h>

#include "seckey_error.h"
#include "seckey_keylist.h"

/*
 * Parse len bytes of text (NUL-terminated); file names it in messages.
 * max_keys is the policy's (1 .. SECKEY_MAX_KEYS).  Returns 0,
 * SECKEY_ERR_SYNTAX, SECKEY_ERR_TOOMANY, SECKEY_ERR_DUP_NAME (a name
 * used twice), SECKEY_ERR_DUP_CRED (a credential used twice), ...
 */
int seckey_keylist_parse(const char *text, size_t len, const char *file,
    unsigned int max_keys, struct seckey_keylist **listp,
    struct seckey_diag *diag);

#endif /* SECKEY_KEYLIST_PARSE_H */
