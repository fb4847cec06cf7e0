/*
 * pubkey_evp.c: a loaded public key as an OpenSSL EVP_PKEY, through
 * libfido2's own conversions, for the unit tests and fuzz_pubkey.
 */
#include <config.h>

#include "pubkey_evp.h"

EVP_PKEY *
pubkey_to_evp(const struct seckey_pubkey *pk)
{
	es256_pk_t *es256 = NULL;
	eddsa_pk_t *eddsa = NULL;
	EVP_PKEY *pkey = NULL;

	switch (pk->alg) {
	case SECKEY_ALG_ES256:
		if ((es256 = es256_pk_new()) != NULL &&
		    es256_pk_from_ptr(es256, pk->key.es256,
		    sizeof(pk->key.es256)) == FIDO_OK)
			pkey = es256_pk_to_EVP_PKEY(es256);
		break;
	case SECKEY_ALG_EDDSA:
		if ((eddsa = eddsa_pk_new()) != NULL &&
		    eddsa_pk_from_ptr(eddsa, pk->key.eddsa,
		    sizeof(pk->key.eddsa)) == FIDO_OK)
			pkey = eddsa_pk_to_EVP_PKEY(eddsa);
		break;
	case SECKEY_ALG_RS256:
		if (pk->key.rs256 != NULL)
			pkey = rs256_pk_to_EVP_PKEY(pk->key.rs256);
		break;
	}
	es256_pk_free(&es256);
	eddsa_pk_free(&eddsa);

	return pkey;
}
