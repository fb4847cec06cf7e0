/*
 * jws-sign.c: make a JWS in compact form, as the FIDO Metadata Service
 * signs its BLOB, for the tests' own BLOBs (never fetched from the
 * network):
 *
 *   jws-sign [--pss] [--bad-sig] KEY.pem HEADER.json PAYLOAD.json
 *
 * The header and payload are taken as they are (the caller writes the
 * x5c); alg must match KEY: ES256 for a P-256 key (the signature as raw
 * r || s), RS256 for RSA, PS256 for RSA with --pss.  --bad-sig flips a
 * bit of the signature.  The JWS goes to standard output.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

static const char b64url[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static void
put_b64url(const unsigned char *p, size_t len)
{
	unsigned long v;
	size_t i;

	for (i = 0; i + 3 <= len; i += 3) {
		v = (unsigned long)p[i] << 16 | (unsigned long)p[i + 1] << 8 |
		    p[i + 2];
		printf("%c%c%c%c", b64url[v >> 18 & 63], b64url[v >> 12 & 63],
		    b64url[v >> 6 & 63], b64url[v & 63]);
	}
	if (len - i == 1) {
		v = (unsigned long)p[i] << 16;
		printf("%c%c", b64url[v >> 18 & 63], b64url[v >> 12 & 63]);
	} else if (len - i == 2) {
		v = (unsigned long)p[i] << 16 | (unsigned long)p[i + 1] << 8;
		printf("%c%c%c", b64url[v >> 18 & 63], b64url[v >> 12 & 63],
		    b64url[v >> 6 & 63]);
	}
}

/* Into a string, for the signing input. */
static char *
b64url_str(const unsigned char *p, size_t len)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *mem, *saved = stdout;

	if ((mem = open_memstream(&buf, &size)) == NULL)
		return NULL;
	stdout = mem;
	put_b64url(p, len);
	stdout = saved;
	fclose(mem);
	return buf;
}

static unsigned char *
slurp(const char *path, size_t *lenp)
{
	unsigned char *buf = NULL;
	FILE *f;
	long n;

	if ((f = fopen(path, "rb")) == NULL || fseek(f, 0, SEEK_END) != 0 ||
	    (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0 ||
	    (buf = malloc((size_t)n + 1)) == NULL ||
	    fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	} else
		*lenp = (size_t)n;
	if (f != NULL)
		fclose(f);
	return buf;
}

/* DER ECDSA-Sig-Value to raw r || s, 32 bytes each. */
static int
ecdsa_raw(const unsigned char *der, size_t der_len, unsigned char *raw)
{
	const unsigned char *p = der;
	const BIGNUM *r, *s;
	ECDSA_SIG *sig;
	int ok;

	if ((sig = d2i_ECDSA_SIG(NULL, &p, (long)der_len)) == NULL)
		return -1;
	ECDSA_SIG_get0(sig, &r, &s);
	ok = BN_bn2binpad(r, raw, 32) == 32 && BN_bn2binpad(s, raw + 32, 32) == 32;
	ECDSA_SIG_free(sig);
	return ok ? 0 : -1;
}

int
main(int argc, char **argv)
{
	unsigned char *hdr, *pay, sig[1024], raw[64];
	size_t hdr_len = 0, pay_len = 0, sig_len = sizeof(sig);
	char *h64, *p64, *input;
	int pss = 0, bad = 0, ec;
	EVP_PKEY *key;
	EVP_PKEY_CTX *pctx = NULL;
	EVP_MD_CTX *md;
	FILE *f;

	for (; argc > 1 && strncmp(argv[1], "--", 2) == 0; argc--, argv++) {
		if (strcmp(argv[1], "--pss") == 0)
			pss = 1;
		else if (strcmp(argv[1], "--bad-sig") == 0)
			bad = 1;
	}
	if (argc != 4) {
		fprintf(stderr, "usage: jws-sign [--pss] [--bad-sig] KEY.pem "
		    "HEADER.json PAYLOAD.json\n");
		return 2;
	}
	if ((f = fopen(argv[1], "r")) == NULL ||
	    (key = PEM_read_PrivateKey(f, NULL, NULL, NULL)) == NULL ||
	    (hdr = slurp(argv[2], &hdr_len)) == NULL ||
	    (pay = slurp(argv[3], &pay_len)) == NULL ||
	    (h64 = b64url_str(hdr, hdr_len)) == NULL ||
	    (p64 = b64url_str(pay, pay_len)) == NULL ||
	    (input = malloc(strlen(h64) + strlen(p64) + 2)) == NULL) {
		fprintf(stderr, "jws-sign: cannot read the inputs\n");
		return 1;
	}
	fclose(f);
	sprintf(input, "%s.%s", h64, p64);
	ec = EVP_PKEY_is_a(key, "EC");
	if ((md = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestSignInit(md, &pctx, EVP_sha256(), NULL, key) != 1 ||
	    (pss && (EVP_PKEY_CTX_set_rsa_padding(pctx,
	    RSA_PKCS1_PSS_PADDING) != 1 ||
	    EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) !=
	    1)) || EVP_DigestSign(md, sig, &sig_len,
	    (unsigned char *)input, strlen(input)) != 1 ||
	    (ec && ecdsa_raw(sig, sig_len, raw) != 0)) {
		fprintf(stderr, "jws-sign: signing failed\n");
		return 1;
	}
	if (ec) {
		memcpy(sig, raw, sizeof(raw));
		sig_len = sizeof(raw);
	}
	if (bad)
		sig[sig_len / 2] ^= 0x01;
	printf("%s.", input);
	put_b64url(sig, sig_len);
	printf("\n");
	EVP_MD_CTX_free(md);
	EVP_PKEY_free(key);
	free(hdr);
	free(pay);
	free(h64);
	free(p64);
	free(input);
	return 0;
}
