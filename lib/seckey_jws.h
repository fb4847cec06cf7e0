/*
 * seckey_jws.h: checking a JSON Web Signature in compact serialisation
 * (RFC 7515): BASE64URL(header) "." BASE64URL(payload) "."
 * BASE64URL(signature), as the FIDO Metadata Service signs its BLOB.
 *
 * The header's "x5c" names the signer (its first certificate) and the
 * intermediates; the signer must chain to one of the roots the caller
 * gives, and its key must verify the signature with the header's "alg":
 * ES256 (raw r || s, RFC 7518 section 3.4), RS256 or PS256.  A header
 * with "crit" is refused: we understand no extension.
 */
#ifndef SECKEY_JWS_H
#define SECKEY_JWS_H

#include <stddef.h>

#include "seckey_error.h"

/* Certificates in a header's x5c, at most. */
#define SECKEY_JWS_X5C_MAX	8

/*
 * Verify len bytes of jws against the PEM bundle roots_pem (roots_len
 * bytes).  On success *payloadp is the decoded payload, NUL-terminated
 * (free() it), *payload_lenp its length.  Errors: SECKEY_ERR_SYNTAX
 * (not a JWS, a bad header), SECKEY_ERR_UNSUPPORTED (another alg),
 * SECKEY_ERR_SIGNATURE (no chain to the roots, or a bad signature),
 * SECKEY_ERR_NOMEM, SECKEY_ERR_CRYPTO.
 */
int seckey_jws_verify(const char *jws, size_t len, const char *roots_pem,
    size_t roots_len, char **payloadp, size_t *payload_lenp,
    struct seckey_diag *diag);

#endif /* SECKEY_JWS_H */
