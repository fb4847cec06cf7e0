/*
 * testkeys.h: public keys made with OpenSSL when a unit test starts,
 * one of each kind a key list meets (the three it takes and two it
 * refuses), as DER and as base64, and credential ids made of one byte;
 * no key material is committed.
 */
#ifndef SECKEY_TESTKEYS_H
#define SECKEY_TESTKEYS_H

#include <stdbool.h>
#include <stddef.h>

#include <openssl/evp.h>

#include "seckey_key.h"

#define TEST_AAGUID	"2fc0579f-8113-47ea-b116-bb5a8db9202a"
#define TEST_CREATED	"2026-11-26T08:00:00Z"

enum { ES256, EDDSA, RS256, RSA1024, P384, NKEYS };

extern EVP_PKEY *pkeys[NKEYS];
extern unsigned char *ders[NKEYS];
extern size_t der_lens[NKEYS];
extern char *der_b64[NKEYS];

/* Make them all, or exit 99 (a hard error for the test driver). */
void make_keys(void);
void free_keys(void);

/* A credential id of len (at most 1100) bytes, all equal to seed. */
const unsigned char *cred_of(int seed, size_t len);

/*
 * An entry of key kind key (see the enum), credential cred_of(seed, 64),
 * model TEST_AAGUID, usb, created TEST_CREATED.
 */
struct seckey_key_info info_of(const char *name, int seed, int key,
    enum seckey_alg alg);

/* Do two keys hold the same fields, the loaded public key included? */
bool same_key(const struct seckey_key *a, const struct seckey_key *b);

#endif /* SECKEY_TESTKEYS_H */
