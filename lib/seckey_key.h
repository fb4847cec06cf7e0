/*
 * seckey_key.h: one registered security key, as a key list holds it:
 * a name, the credential id, the public key (DER and loaded), the
 * algorithm, the model (AAGUID), the transport and the creation time,
 * and, for a discoverable credential ("seckey register --discoverable"),
 * the user handle the key holds with it (the WebAuthn user.id: random
 * bytes, never the user name).
 */
#ifndef SECKEY_KEY_H
#define SECKEY_KEY_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "seckey_aaguid.h"
#include "seckey_alg.h"
#include "seckey_error.h"
#include "seckey_transport.h"

#define SECKEY_NAME_MAX		64	/* characters, not bytes */
#define SECKEY_CRED_ID_MAX	1023	/* bytes */
#define SECKEY_USER_HANDLE_MAX	64	/* bytes (WebAuthn: 1 to 64) */

/* Loaded public key, internal to libseckey (seckey_pubkey.h). */
struct seckey_pubkey;

struct seckey_key {
	char			*name;
	unsigned char		*cred_id;
	size_t			 cred_id_len;
	unsigned char		*pubkey_der;	/* SPKI, DER */
	size_t			 pubkey_der_len;
	struct seckey_pubkey	*pubkey;	/* loaded from pubkey_der */
	enum seckey_alg		 alg;
	struct seckey_aaguid	 aaguid;
	enum seckey_transport	 transport;
	time_t			 created;
	/* Discoverable credentials only; NULL and 0 otherwise. */
	unsigned char		*user_handle;
	size_t			 user_handle_len;
};

/* What a new entry is made of; everything is copied. */
struct seckey_key_info {
	const char		*name;
	const unsigned char	*cred_id;
	size_t			 cred_id_len;
	const unsigned char	*pubkey_der;
	size_t			 pubkey_der_len;
	enum seckey_alg		 alg;
	struct seckey_aaguid	 aaguid;
	enum seckey_transport	 transport;
	time_t			 created;
	const unsigned char	*user_handle;	/* NULL: not discoverable */
	size_t			 user_handle_len;
};

/*
 * Check every field and build an entry: a valid name, a credential id
 * of 1 to 1023 bytes, a public key whose type matches alg (P-256 for
 * es256, Ed25519 for eddsa, RSA of 2048 bits for rs256), a
 * creation time between 1970 and 9999, a user handle (if any) of 1 to
 * 64 bytes.  SECKEY_ERR_SYNTAX names the
 * fault in diag (never echoing an invalid name).
 */
int seckey_key_new(const struct seckey_key_info *info,
    struct seckey_key **keyp, struct seckey_diag *diag);

/* Free an entry and set *keyp to NULL; NULL is fine. */
void seckey_key_free(struct seckey_key **keyp);

/*
 * A key name: 1 to 64 printable UTF-8 characters, no control characters,
 * no invisible format characters (bidi overrides, zero-width spaces:
 * seckey_text_is_format()), no '"' or '\', no space at either end
 * (names that differ by a trailing space or by an invisible character
 * would look the same in every listing).
 */
bool seckey_key_name_valid(const char *name);

/*
 * The same rule, with the reason: 0, or SECKEY_ERR_SYNTAX and a sentence
 * in why (size bytes; why may be NULL) that never quotes the name.
 */
int seckey_key_name_check(const char *name, char *why, size_t size);

#endif /* SECKEY_KEY_H */
