/*
 * pubkey_evp.h: a loaded public key as an OpenSSL EVP_PKEY, so that the
 * unit tests and fuzz_pubkey can compare what seckey_pubkey_load() kept
 * with what OpenSSL reads from the same DER.
 */
#ifndef SECKEY_PUBKEY_EVP_H
#define SECKEY_PUBKEY_EVP_H

#include <openssl/evp.h>

#include "seckey_pubkey.h"

/* A new EVP_PKEY holding pk; NULL on failure. */
EVP_PKEY *pubkey_to_evp(const struct seckey_pubkey *pk);

#endif /* SECKEY_PUBKEY_EVP_H */
