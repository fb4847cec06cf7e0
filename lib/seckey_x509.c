/*
 * seckey_x509.c: certificates and chains for the trust checks
 * (seckey_x509.h).
 */
#include <config.h>

#include <limits.h>
#include <stdlib.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509_vfy.h>

#include "seckey_base64.h"
#include "seckey_mem.h"
#include "seckey_x509.h"

X509 *
seckey_x509_from_der(const unsigned char *der, size_t len)
{
	const unsigned char *p = der;
	X509 *x;

	if (der == NULL || len == 0 || len > INT_MAX)
		return NULL;
	if ((x = d2i_X509(NULL, &p, (long)len)) != NULL && p != der + len) {
		X509_free(x);	/* trailing bytes: not one certificate */
		x = NULL;
	}
	return x;
}

X509 *
seckey_x509_from_base64(const char *text)
{
	unsigned char *der = NULL;
	size_t len = 0;
	X509 *x = NULL;

	if (seckey_base64_decode(text, &der, &len) == SECKEY_OK)
		x = seckey_x509_from_der(der, len);
	seckey_freezero(der, len);

	return x;
}

int
seckey_x509_add_pem(X509_STORE *store, const char *pem, size_t len,
    size_t *countp, struct seckey_diag *diag)
{
	BIO *bio = NULL;
	X509 *x = NULL;
	size_t count = 0;
	int r = SECKEY_ERR_NOMEM;

	if (countp != NULL)
		*countp = 0;
	if (len > INT_MAX || (bio = BIO_new_mem_buf(pem, (int)len)) == NULL)
		goto out;
	while ((x = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
		if (X509_STORE_add_cert(store, x) != 1) {
			r = SECKEY_ERR_CRYPTO;
			goto out;
		}
		X509_free(x);
		x = NULL;
		count++;
	}
	/* The end of the bundle is "no start line"; anything else is bad. */
	if (ERR_GET_REASON(ERR_peek_last_error()) != PEM_R_NO_START_LINE ||
	    count == 0) {
		seckey_diag_set(diag, NULL, 0, "not a PEM bundle of "
		    "certificates");
		r = SECKEY_ERR_SYNTAX;
		goto out;
	}
	if (countp != NULL)
		*countp = count;
	r = SECKEY_OK;
out:
	ERR_clear_error();
	X509_free(x);
	BIO_free(bio);

	return r;
}

int
seckey_x509_verify(X509_STORE *store, X509 *leaf, STACK_OF(X509) *untrusted,
    const char *what, struct seckey_diag *diag)
{
	X509_STORE_CTX *ctx = NULL;
	int r = SECKEY_ERR_NOMEM;

	if ((ctx = X509_STORE_CTX_new()) == NULL ||
	    X509_STORE_CTX_init(ctx, store, leaf, untrusted) != 1)
		goto out;
	/* Not X509_V_FLAG_X509_STRICT: attestation certificates of real
	 * keys lack the key identifiers it requires. */
	X509_STORE_CTX_set_flags(ctx, X509_V_FLAG_PARTIAL_CHAIN);
	if (X509_verify_cert(ctx) != 1) {
		seckey_diag_set(diag, NULL, 0, "%s does not chain to a "
		    "trusted root: %s", what, X509_verify_cert_error_string(
		    X509_STORE_CTX_get_error(ctx)));
		r = SECKEY_ERR_SIGNATURE;
		goto out;
	}
	r = SECKEY_OK;
out:
	ERR_clear_error();
	X509_STORE_CTX_free(ctx);

	return r;
}
