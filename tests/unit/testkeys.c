/*
 * testkeys.c: the test keys of testkeys.h, shared by the unit tests of
 * key lists and of passkey values.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/x509.h>

#include "pubkey_evp.h"
#include "seckey_base64.h"
#include "seckey_error.h"
#include "seckey_time.h"
#include "testkeys.h"

EVP_PKEY *pkeys[NKEYS];
unsigned char *ders[NKEYS];
size_t der_lens[NKEYS];
char *der_b64[NKEYS];

void
make_keys(void)
{
	int i, len;

	pkeys[ES256] = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	pkeys[EDDSA] = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	pkeys[RS256] = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
	pkeys[RSA1024] = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)1024);
	pkeys[P384] = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
	for (i = 0; i < NKEYS; i++) {
		ders[i] = NULL;
		if (pkeys[i] == NULL ||
		    (len = i2d_PUBKEY(pkeys[i], &ders[i])) <= 0 ||
		    seckey_base64_encode(ders[i], (size_t)len,
		    &der_b64[i]) != SECKEY_OK) {
			fprintf(stderr, "cannot make test key %d\n", i);
			exit(99);
		}
		der_lens[i] = (size_t)len;
	}
}

void
free_keys(void)
{
	int i;

	for (i = 0; i < NKEYS; i++) {
		EVP_PKEY_free(pkeys[i]);
		OPENSSL_free(ders[i]);
		free(der_b64[i]);
	}
}

const unsigned char *
cred_of(int seed, size_t len)
{
	static unsigned char creds[16][1100];
	unsigned char *c = creds[seed % 16];

	memset(c, seed, len);
	return c;
}

static bool
same_pubkey(const struct seckey_pubkey *a, const struct seckey_pubkey *b)
{
	EVP_PKEY *pa = pubkey_to_evp(a), *pb = pubkey_to_evp(b);
	bool same = pa != NULL && pb != NULL && EVP_PKEY_eq(pa, pb) == 1;

	EVP_PKEY_free(pa);
	EVP_PKEY_free(pb);

	return same;
}

bool
same_key(const struct seckey_key *a, const struct seckey_key *b)
{
	return strcmp(a->name, b->name) == 0 &&
	    a->cred_id_len == b->cred_id_len &&
	    memcmp(a->cred_id, b->cred_id, a->cred_id_len) == 0 &&
	    a->pubkey_der_len == b->pubkey_der_len &&
	    memcmp(a->pubkey_der, b->pubkey_der, a->pubkey_der_len) == 0 &&
	    same_pubkey(a->pubkey, b->pubkey) && a->alg == b->alg &&
	    seckey_aaguid_equal(&a->aaguid, &b->aaguid) &&
	    a->transport == b->transport && a->created == b->created &&
	    a->user_handle_len == b->user_handle_len &&
	    (a->user_handle_len == 0 || memcmp(a->user_handle, b->user_handle,
	    a->user_handle_len) == 0);
}

struct seckey_key_info
info_of(const char *name, int seed, int key, enum seckey_alg alg)
{
	struct seckey_key_info info;

	memset(&info, 0, sizeof(info));
	info.name = name;
	info.cred_id = cred_of(seed, 64);
	info.cred_id_len = 64;
	info.pubkey_der = ders[key];
	info.pubkey_der_len = der_lens[key];
	info.alg = alg;
	seckey_aaguid_parse(TEST_AAGUID, &info.aaguid);
	info.transport = SECKEY_TRANSPORT_USB;
	seckey_time_parse(TEST_CREATED, &info.created);

	return info;
}
