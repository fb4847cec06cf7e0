/*
 * seckey_alg.h: the signature algorithms a registered key may use, and
 * their names in a key list.  Kept apart from seckey_pubkey.h (internal
 * to libseckey, it needs libfido2) so that callers can name an algorithm
 * without libfido2.
 */
#ifndef SECKEY_ALG_H
#define SECKEY_ALG_H

#include <stdbool.h>

enum seckey_alg {
	SECKEY_ALG_ES256,	/* ECDSA P-256 with SHA-256 */
	SECKEY_ALG_EDDSA,	/* Ed25519 */
	SECKEY_ALG_RS256,	/* RSASSA-PKCS1-v1_5 with SHA-256 */
};

/* "es256", "eddsa" or "rs256" to the enum; SECKEY_ERR_SYNTAX otherwise. */
int seckey_alg_parse(const char *text, enum seckey_alg *alg);

/* The word a key list writes, or "unknown" for a value out of range. */
const char *seckey_alg_name(enum seckey_alg alg);

/* Is alg one of the values above? */
bool seckey_alg_known(enum seckey_alg alg);

#endif /* SECKEY_ALG_H */
