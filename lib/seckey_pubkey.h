/*
 * seckey_pubkey.h: the public key of a registered credential, loaded
 * and checked once, from the key list's DER, and used to verify the
 * assertion of the key that answers.
 */
#ifndef SECKEY_PUBKEY_H
#define SECKEY_PUBKEY_H

/* Internal to libseckey: it needs libfido2's headers. */
#ifndef SECKEY_INTERNAL
#error "seckey_pubkey.h is internal to libseckey (SECKEY_INTERNAL)"
#endif

#include <stddef.h>

#include <fido.h>
#include <fido/eddsa.h>
#include <fido/es256.h>
#include <fido/rs256.h>

#include "seckey_alg.h"
#include "seckey_error.h"

#define SECKEY_PUBKEY_MAX	4096	/* bytes of DER */
#define SECKEY_RSA_BITS		2048	/* the only size libfido2 verifies */

#define SECKEY_ES256_POINT_LEN	65	/* 0x04, x, y */
#define SECKEY_EDDSA_KEY_LEN	32

/*
 * P-256 and Ed25519 keys are kept raw, as libfido2 reads them, and made
 * into libfido2's form (fido) for the one key that signs, once: the
 * probe's answer and the assertion are both verified with it.  RSA keys
 * (rare, and costly to decode) are kept in libfido2's form.
 */
struct seckey_pubkey {
	enum seckey_alg		 alg;
	union {
		unsigned char	 es256[SECKEY_ES256_POINT_LEN];
		unsigned char	 eddsa[SECKEY_EDDSA_KEY_LEN];
		rs256_pk_t	*rs256;
	} key;
	union {
		es256_pk_t	*es256;
		eddsa_pk_t	*eddsa;
	} fido;				/* NULL until the first verification */
};

/*
 * Load a DER SubjectPublicKeyInfo (no trailing bytes) and check that it
 * suits alg: a point on P-256 for es256, an Ed25519 key not of small
 * order for eddsa, for rs256 an RSA key of 2048 bits that libfido2 can
 * hold (its exponent 3 bytes long, as 65537 is).  On failure
 * *why says what is wrong with it.
 */
int seckey_pubkey_load(const unsigned char *der, size_t len,
    enum seckey_alg alg, struct seckey_pubkey **pkp, const char **why);

/* Free a key and set *pkp to NULL; NULL is fine. */
void seckey_pubkey_free(struct seckey_pubkey **pkp);

/*
 * Check the signature of the statement idx of assert with pk.  The first
 * call makes pk's libfido2 form, which later calls reuse.
 */
int seckey_pubkey_verify(struct seckey_pubkey *pk,
    const fido_assert_t *assert, size_t idx);

#endif /* SECKEY_PUBKEY_H */
