/*
 * seckey_attest.h: "attestation = verify": is a new credential's
 * attestation certificate issued under a root trusted for its model?
 *
 * The trust comes from two places an administrator fills:
 *  - the metadata store of "seckey mds import" (seckey_mds.h): a model
 *    (AAGUID) listed there is trusted through its own
 *    attestationRootCertificates only, and refused when its status says
 *    revoked or compromised (seckey_mds_status_refused);
 *  - attestation_roots, a PEM bundle: its roots vouch for any model the
 *    metadata does not list.  A bundle root never widens a listed
 *    model: the metadata names that maker's roots.
 * A model in neither is refused, and so is self attestation (no
 * certificate: the key vouches for itself).
 *
 * What this proves is the maker and model of the key (the attestation
 * key is in the maker's hardware); not that the key is its user's.
 */
#ifndef SECKEY_ATTEST_H
#define SECKEY_ATTEST_H

#include <stddef.h>

#include "seckey_aaguid.h"
#include "seckey_error.h"
#include "seckey_mds.h"

struct seckey_trust;

/* Roots in attestation_roots, at most, and the file's size cap. */
#define SECKEY_TRUST_ROOTS_MAX		256
#define SECKEY_TRUST_BUNDLE_MAX		(1024 * 1024)

/*
 * Load the trust: the store under state_dir and the bundle at
 * roots_path, each optional (checked like every file we trust: root's,
 * not a link, writable by no one else).  Neither present is
 * SECKEY_ERR_UNTRUSTED, with a diagnostic that names both.
 */
int seckey_trust_load(const char *state_dir, const char *roots_path,
    struct seckey_trust **trustp, struct seckey_diag *diag);

void seckey_trust_free(struct seckey_trust **trustp);

/* The metadata, or NULL when there is none. */
const struct seckey_mds *seckey_trust_mds(const struct seckey_trust *trust);

/*
 * Check the attestation statement attstmt (CBOR, len bytes, as
 * libfido2 hands it) of a credential of model aaguid, whose signature
 * libfido2 has verified.  Returns SECKEY_OK, SECKEY_ERR_UNTRUSTED (no
 * certificate, unknown model, no chain, a certificate naming another
 * model) or SECKEY_ERR_MODEL_STATUS, with the detail in diag.
 */
int seckey_attest_check(const struct seckey_trust *trust,
    const struct seckey_aaguid *aaguid, const unsigned char *attstmt,
    size_t len, struct seckey_diag *diag);

#endif /* SECKEY_ATTEST_H */
