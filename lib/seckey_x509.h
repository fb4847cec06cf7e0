/*
 * seckey_x509.h: certificate chains for the authenticator trust checks:
 * the signer of a FIDO Metadata Service BLOB (seckey_jws.c) and the
 * attestation certificate of a new credential (seckey_attest.c).
 *
 * Every chain is checked against the anchors its caller names and
 * nothing else: never the system's CA folder.  Any anchor given ends a
 * chain (X509_V_FLAG_PARTIAL_CHAIN): the FIDO metadata lists roots and
 * intermediates alike as a model's "trust anchors".
 */
#ifndef SECKEY_X509_H
#define SECKEY_X509_H

/* Internal to libseckey: it needs OpenSSL's headers. */
#ifndef SECKEY_INTERNAL
#error "seckey_x509.h is internal to libseckey (SECKEY_INTERNAL)"
#endif

#include <stddef.h>

#include <openssl/x509.h>

#include "seckey_error.h"

/* A certificate from DER; NULL when it is not exactly one. */
X509 *seckey_x509_from_der(const unsigned char *der, size_t len);

/* From standard base64 of DER (x5c, attestationRootCertificates). */
X509 *seckey_x509_from_base64(const char *text);

/*
 * Add every certificate of a PEM bundle (len bytes of pem) to store;
 * *countp (may be NULL) says how many.  A bundle with no certificate,
 * or with a block that is not one, is SECKEY_ERR_SYNTAX.
 */
int seckey_x509_add_pem(X509_STORE *store, const char *pem, size_t len,
    size_t *countp, struct seckey_diag *diag);

/*
 * Does leaf chain to an anchor of store, through the certificates of
 * untrusted (may be NULL)?  SECKEY_OK, or SECKEY_ERR_SIGNATURE with
 * OpenSSL's reason in diag (what names the chain: "the BLOB's signer").
 */
int seckey_x509_verify(X509_STORE *store, X509 *leaf,
    STACK_OF(X509) *untrusted, const char *what, struct seckey_diag *diag);

#endif /* SECKEY_X509_H */
