/*
 * seckey_jws.c: the JWS check of seckey_jws.h, with OpenSSL.
 */
#include <config.h>

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "seckey_base64.h"
#include "seckey_json.h"
#include "seckey_jws.h"
#include "seckey_x509.h"

enum jws_alg {
	JWS_ES256,
	JWS_RS256,
	JWS_PS256,
};

/* The three parts, as pointers into the text. */
struct jws_parts {
	const char	*header;
	size_t		 header_len;
	const char	*payload;
	size_t		 payload_len;
	const char	*sig;
	size_t		 sig_len;
	size_t		 signed_len;	/* header "." payload */
};

/* What the header says. */
struct jws_header {
	enum jws_alg	 alg;
	X509		*signer;
	STACK_OF(X509)	*chain;		/* x5c after the signer */
};

static int
split(const char *jws, size_t len, struct jws_parts *p,
    struct seckey_diag *diag)
{
	const char *dot1, *dot2;

	if ((dot1 = memchr(jws, '.', len)) == NULL ||
	    (dot2 = memchr(dot1 + 1, '.', len - (size_t)(dot1 + 1 - jws))) ==
	    NULL || memchr(dot2 + 1, '.', len - (size_t)(dot2 + 1 - jws)) !=
	    NULL) {
		seckey_diag_set(diag, NULL, 0, "not a JWS in compact form "
		    "(three parts separated by dots)");
		return SECKEY_ERR_SYNTAX;
	}
	p->header = jws;
	p->header_len = (size_t)(dot1 - jws);
	p->payload = dot1 + 1;
	p->payload_len = (size_t)(dot2 - p->payload);
	p->sig = dot2 + 1;
	p->sig_len = len - (size_t)(p->sig - jws);
	p->signed_len = (size_t)(dot2 - jws);

	return SECKEY_OK;
}

static int
header_alg(const struct seckey_json *hdr, enum jws_alg *alg,
    struct seckey_diag *diag)
{
	static const struct { const char *name; enum jws_alg alg; } algs[] = {
		{ "ES256", JWS_ES256 }, { "RS256", JWS_RS256 },
		{ "PS256", JWS_PS256 },
	};
	const char *name = seckey_json_string(seckey_json_member(hdr, "alg"));
	size_t i;

	if (name == NULL) {
		seckey_diag_set(diag, NULL, 0, "the JWS header has no alg");
		return SECKEY_ERR_SYNTAX;
	}
	for (i = 0; i < sizeof(algs) / sizeof(algs[0]); i++)
		if (strcmp(algs[i].name, name) == 0) {
			*alg = algs[i].alg;
			return SECKEY_OK;
		}
	seckey_diag_set(diag, NULL, 0, "the JWS is signed with an algorithm "
	    "not supported here (ES256, RS256 and PS256 are)");

	return SECKEY_ERR_UNSUPPORTED;
}

static int
header_x5c(const struct seckey_json *hdr, struct jws_header *h,
    struct seckey_diag *diag)
{
	const struct seckey_json *x5c = seckey_json_member(hdr, "x5c");
	size_t i, n = seckey_json_array_len(x5c);
	X509 *x;

	if (n == 0 || n > SECKEY_JWS_X5C_MAX) {
		seckey_diag_set(diag, NULL, 0, "the JWS header needs an x5c "
		    "of 1 to %d certificates", SECKEY_JWS_X5C_MAX);
		return SECKEY_ERR_SYNTAX;
	}
	if ((h->chain = sk_X509_new_null()) == NULL)
		return SECKEY_ERR_NOMEM;
	for (i = 0; i < n; i++) {
		if ((x = seckey_x509_from_base64(seckey_json_string(
		    seckey_json_array_at(x5c, i)))) == NULL) {
			seckey_diag_set(diag, NULL, 0, "certificate %zu of "
			    "the JWS header's x5c cannot be read", i + 1);
			return SECKEY_ERR_SYNTAX;
		}
		if (i == 0)
			h->signer = x;
		else if (sk_X509_push(h->chain, x) <= 0) {
			X509_free(x);
			return SECKEY_ERR_NOMEM;
		}
	}

	return SECKEY_OK;
}

static int
parse_header(const struct jws_parts *p, struct jws_header *h,
    struct seckey_diag *diag)
{
	struct seckey_json *hdr = NULL;
	unsigned char *text = NULL;
	size_t len = 0;
	int r;

	if ((r = seckey_base64url_decode(p->header, p->header_len, &text,
	    &len)) != SECKEY_OK) {
		seckey_diag_set(diag, NULL, 0, "the JWS header is not "
		    "base64url");
		goto out;
	}
	if ((r = seckey_json_parse((const char *)text, len, &hdr,
	    diag)) != SECKEY_OK)
		goto out;
	r = SECKEY_ERR_SYNTAX;
	if (hdr->type != SECKEY_JSON_OBJECT) {
		seckey_diag_set(diag, NULL, 0, "the JWS header is not an "
		    "object");
		goto out;
	}
	if (seckey_json_member(hdr, "crit") != NULL) {
		seckey_diag_set(diag, NULL, 0, "the JWS header names critical "
		    "extensions (crit), which are not understood here");
		goto out;
	}
	if ((r = header_alg(hdr, &h->alg, diag)) != SECKEY_OK)
		goto out;
	r = header_x5c(hdr, h, diag);
out:
	seckey_json_free(&hdr);
	free(text);

	return r;
}

/* ES256's raw r || s as the DER ECDSA-Sig-Value OpenSSL verifies. */
static int
es256_der(const unsigned char *raw, size_t raw_len, unsigned char **derp,
    size_t *der_lenp)
{
	ECDSA_SIG *sig = NULL;
	BIGNUM *r = NULL, *s = NULL;
	int len, ret = SECKEY_ERR_SIGNATURE;

	if (raw_len != 64)
		return SECKEY_ERR_SIGNATURE;
	ret = SECKEY_ERR_NOMEM;
	if ((sig = ECDSA_SIG_new()) == NULL ||
	    (r = BN_bin2bn(raw, 32, NULL)) == NULL ||
	    (s = BN_bin2bn(raw + 32, 32, NULL)) == NULL ||
	    ECDSA_SIG_set0(sig, r, s) != 1)
		goto out;
	r = s = NULL;	/* sig owns them */
	*derp = NULL;
	if ((len = i2d_ECDSA_SIG(sig, derp)) <= 0)
		goto out;
	*der_lenp = (size_t)len;
	ret = SECKEY_OK;
out:
	BN_free(r);
	BN_free(s);
	ECDSA_SIG_free(sig);

	return ret;
}

/* The signer's key must be of the kind alg names. */
static bool
key_fits(EVP_PKEY *pkey, enum jws_alg alg)
{
	if (alg == JWS_ES256)
		return EVP_PKEY_is_a(pkey, "EC") &&
		    EVP_PKEY_get_bits(pkey) == 256;
	return EVP_PKEY_is_a(pkey, "RSA") && EVP_PKEY_get_bits(pkey) >= 2048;
}

static int
verify_sig(const struct jws_header *h, const char *jws,
    const struct jws_parts *p, const unsigned char *sig, size_t sig_len,
    struct seckey_diag *diag)
{
	EVP_MD_CTX *md = NULL;
	EVP_PKEY_CTX *pctx = NULL;
	EVP_PKEY *pkey = X509_get0_pubkey(h->signer);
	unsigned char *der = NULL;
	size_t der_len = sig_len;
	int r = SECKEY_ERR_SIGNATURE;

	if (pkey == NULL || !key_fits(pkey, h->alg)) {
		seckey_diag_set(diag, NULL, 0, "the JWS signer's key does not "
		    "fit its alg");
		goto out;
	}
	if (h->alg == JWS_ES256 &&
	    (r = es256_der(sig, sig_len, &der, &der_len)) != SECKEY_OK) {
		if (r == SECKEY_ERR_SIGNATURE)
			goto bad;
		goto out;
	}
	r = SECKEY_ERR_CRYPTO;
	if ((md = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestVerifyInit(md, &pctx, EVP_sha256(), NULL, pkey) != 1)
		goto out;
	if (h->alg == JWS_PS256 &&
	    (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
	    EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) !=
	    1))
		goto out;
	r = SECKEY_ERR_SIGNATURE;
	if (EVP_DigestVerify(md, der != NULL ? der : sig, der_len,
	    (const unsigned char *)jws, p->signed_len) == 1) {
		r = SECKEY_OK;
		goto out;
	}
bad:
	seckey_diag_set(diag, NULL, 0, "the JWS signature does not verify");
out:
	ERR_clear_error();
	OPENSSL_free(der);
	EVP_MD_CTX_free(md);

	return r;
}

static int
check_signature(const struct jws_header *h, const char *jws,
    const struct jws_parts *p, struct seckey_diag *diag)
{
	unsigned char *sig = NULL;
	size_t sig_len = 0;
	int r;

	if ((r = seckey_base64url_decode(p->sig, p->sig_len, &sig,
	    &sig_len)) != SECKEY_OK) {
		seckey_diag_set(diag, NULL, 0, "the JWS signature is not "
		    "base64url");
		return r;
	}
	r = verify_sig(h, jws, p, sig, sig_len, diag);
	free(sig);

	return r;
}

static int
check_chain(const struct jws_header *h, const char *roots_pem,
    size_t roots_len, struct seckey_diag *diag)
{
	X509_STORE *store;
	int r;

	if ((store = X509_STORE_new()) == NULL)
		return SECKEY_ERR_NOMEM;
	if ((r = seckey_x509_add_pem(store, roots_pem, roots_len, NULL,
	    diag)) == SECKEY_OK)
		r = seckey_x509_verify(store, h->signer, h->chain,
		    "the BLOB's signing certificate", diag);
	X509_STORE_free(store);

	return r;
}

static int
decode_payload(const struct jws_parts *p, char **payloadp,
    size_t *payload_lenp, struct seckey_diag *diag)
{
	unsigned char *bytes = NULL, *text;
	size_t len = 0;
	int r;

	if ((r = seckey_base64url_decode(p->payload, p->payload_len, &bytes,
	    &len)) != SECKEY_OK) {
		seckey_diag_set(diag, NULL, 0, "the JWS payload is not "
		    "base64url");
		return r;
	}
	/* The decoder's buffer has room for the NUL (len / 4 * 3 + 1). */
	if ((text = realloc(bytes, len + 1)) == NULL) {
		free(bytes);
		return SECKEY_ERR_NOMEM;
	}
	text[len] = '\0';
	*payloadp = (char *)text;
	*payload_lenp = len;

	return SECKEY_OK;
}

int
seckey_jws_verify(const char *jws, size_t len, const char *roots_pem,
    size_t roots_len, char **payloadp, size_t *payload_lenp,
    struct seckey_diag *diag)
{
	struct jws_parts parts;
	struct jws_header h;
	int r;

	if (jws == NULL || roots_pem == NULL || payloadp == NULL ||
	    payload_lenp == NULL)
		return SECKEY_ERR_INVAL;
	*payloadp = NULL;
	*payload_lenp = 0;
	memset(&h, 0, sizeof(h));
	/* A file's last line may end with a newline. */
	while (len > 0 && (jws[len - 1] == '\n' || jws[len - 1] == '\r'))
		len--;
	if ((r = split(jws, len, &parts, diag)) != SECKEY_OK ||
	    (r = parse_header(&parts, &h, diag)) != SECKEY_OK ||
	    (r = check_chain(&h, roots_pem, roots_len, diag)) != SECKEY_OK ||
	    (r = check_signature(&h, jws, &parts, diag)) != SECKEY_OK)
		goto out;
	r = decode_payload(&parts, payloadp, payload_lenp, diag);
out:
	if (r == SECKEY_ERR_NOMEM)
		seckey_diag_set(diag, NULL, 0, "out of memory");
	X509_free(h.signer);
	sk_X509_pop_free(h.chain, X509_free);

	return r;
}
