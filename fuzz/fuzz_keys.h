/*
 * fuzz_keys.h: the checks the key-list fuzz targets (fuzz_keylist,
 * fuzz_passkey) make on what a parser hands back: a diagnostic fit for a
 * log line, a list that obeys the rules registration obeys, and two
 * entries that hold the same fields.
 */
#ifndef SECKEY_FUZZ_KEYS_H
#define SECKEY_FUZZ_KEYS_H

#include "seckey_error.h"
#include "seckey_key.h"
#include "seckey_keylist.h"

/* A message that is there, ends, and holds no control character. */
void fuzz_check_diag(const struct seckey_diag *diag);

/*
 * At most SECKEY_MAX_KEYS valid, loaded entries; names and ids unique;
 * a user handle of 1 to SECKEY_USER_HANDLE_MAX bytes or none.
 */
void fuzz_check_list(const struct seckey_keylist *list);

/* Every field of a equals that of b, the user handle too. */
void fuzz_check_same(const struct seckey_key *a, const struct seckey_key *b);

#endif /* SECKEY_FUZZ_KEYS_H */
