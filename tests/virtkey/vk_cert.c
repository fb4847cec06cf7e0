/*
 * vk_cert.c: the model of the virtual key (its AAGUID) and the
 * self-signed attestation certificate made once per key, as WebAuthn's
 * "packed" attestation asks: X.509 v3, subject C/O/OU="Authenticator
 * Attestation"/CN, basicConstraints CA:FALSE and the FIDO AAGUID
 * extension (1.3.6.1.4.1.45724.1.1.4, not critical).  With --attest-ca
 * the same certificate is issued by a test CA instead, at every start.
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/bn.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "vk.h"

/* AAGUID of the "pam_seckey virtual key" model, unless --aaguid says. */
uint8_t vk_aaguid[VK_AAGUID_LEN] = {
	0x86, 0xba, 0xbe, 0x58, 0x62, 0x7a, 0x45, 0xbd,
	0x88, 0x5c, 0xff, 0x16, 0xbc, 0xe5, 0xed, 0x43,
};

#define CERT_DAYS	(20 * 365)

/* --aaguid: a canonical lowercase UUID; 0 or -1. */
int
vk_aaguid_parse(const char *text)
{
	uint8_t	 bytes[VK_AAGUID_LEN];
	size_t	 i, n = 0;
	unsigned int hi, lo;

	if (strlen(text) != 36)
		return -1;
	for (i = 0; i < 36; ) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (text[i++] != '-')
				return -1;
			continue;
		}
		if (sscanf(text + i, "%1x%1x", &hi, &lo) != 2 ||
		    (text[i] >= 'A' && text[i] <= 'F') ||
		    (text[i + 1] >= 'A' && text[i + 1] <= 'F'))
			return -1;
		bytes[n++] = (uint8_t)(hi << 4 | lo);
		i += 2;
	}
	memcpy(vk_aaguid, bytes, sizeof(bytes));
	return 0;
}

/* The subject; the issuer too unless issuer is given (a CA's name). */
static int
cert_name(X509 *x, const X509_NAME *issuer)
{
	X509_NAME	*name = X509_get_subject_name(x);
	static const char *const fields[][2] = {
		{ "C", "US" },
		{ "O", "pam_seckey" },
		{ "OU", "Authenticator Attestation" },
		{ "CN", "pam_seckey virtual key attestation" },
	};

	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (X509_NAME_add_entry_by_txt(name, fields[i][0],
		    MBSTRING_ASC, (const unsigned char *)fields[i][1], -1, -1,
		    0) != 1)
			return -1;
	return X509_set_issuer_name(x, issuer != NULL ? issuer : name) == 1 ?
	    0 : -1;
}

static int
cert_serial(X509 *x)
{
	BIGNUM	*bn = NULL;
	int	 r = -1;

	if ((bn = BN_new()) == NULL ||
	    BN_rand(bn, 63, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1 ||
	    BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)) == NULL)
		goto fail;
	r = 0;
fail:
	BN_free(bn);
	return r;
}

/* The AAGUID extension: an OCTET STRING wrapping an OCTET STRING. */
static int
cert_aaguid(X509 *x)
{
	ASN1_OBJECT		*obj = NULL;
	ASN1_OCTET_STRING	*value = NULL;
	X509_EXTENSION		*ext = NULL;
	uint8_t			 der[2 + VK_AAGUID_LEN];
	int			 r = -1;

	der[0] = 0x04;
	der[1] = VK_AAGUID_LEN;
	memcpy(der + 2, vk_aaguid, VK_AAGUID_LEN);
	if ((obj = OBJ_txt2obj("1.3.6.1.4.1.45724.1.1.4", 1)) == NULL ||
	    (value = ASN1_OCTET_STRING_new()) == NULL ||
	    ASN1_OCTET_STRING_set(value, der, sizeof(der)) != 1 ||
	    (ext = X509_EXTENSION_create_by_OBJ(NULL, obj, 0, value)) ==
	    NULL || X509_add_ext(x, ext, -1) != 1)
		goto fail;
	r = 0;
fail:
	X509_EXTENSION_free(ext);
	ASN1_OCTET_STRING_free(value);
	ASN1_OBJECT_free(obj);
	return r;
}

static int
cert_extensions(X509 *x)
{
	X509_EXTENSION	*bc = NULL;
	int		 r = -1;

	if ((bc = X509V3_EXT_nconf_nid(NULL, NULL, NID_basic_constraints,
	    "critical,CA:FALSE")) == NULL || X509_add_ext(x, bc, -1) != 1 ||
	    cert_aaguid(x) != 0)
		goto fail;
	r = 0;
fail:
	X509_EXTENSION_free(bc);
	return r;
}

static int
cert_der(X509 *x, uint8_t **der, size_t *der_len)
{
	unsigned char	*p = NULL;
	int		 len;

	if ((len = i2d_X509(x, &p)) <= 0)
		return -1;
	if ((*der = malloc((size_t)len)) == NULL) {
		OPENSSL_free(p);
		return -1;
	}
	memcpy(*der, p, (size_t)len);
	*der_len = (size_t)len;
	OPENSSL_free(p);
	return 0;
}

/* Make the certificate of the ES256 attestation key att_priv, as DER. */
int
vk_cert_create(const uint8_t *att_priv, uint8_t **der, size_t *der_len)
{
	EVP_PKEY	*pkey = NULL;
	X509		*x = NULL;
	int		 r = -1;

	*der = NULL;
	*der_len = 0;
	if ((pkey = vk_key_from_private(VK_COSE_ES256, att_priv)) == NULL ||
	    (x = X509_new()) == NULL || X509_set_version(x, 2) != 1 ||
	    cert_serial(x) != 0 ||
	    X509_gmtime_adj(X509_getm_notBefore(x), -86400) == NULL ||
	    X509_time_adj_ex(X509_getm_notAfter(x), CERT_DAYS, 0,
	    NULL) == NULL || X509_set_pubkey(x, pkey) != 1 ||
	    cert_name(x, NULL) != 0 || cert_extensions(x) != 0 ||
	    X509_sign(x, pkey, EVP_sha256()) <= 0 ||
	    cert_der(x, der, der_len) != 0)
		goto fail;
	r = 0;
fail:
	X509_free(x);
	EVP_PKEY_free(pkey);
	return r;
}

/* "CERT.pem,KEY.pem": the CA's certificate and private key. */
static int
ca_load(const char *spec, X509 **ca, EVP_PKEY **ca_key)
{
	char		*cert_path = NULL, *comma;
	FILE		*f = NULL;
	int		 r = -1;

	if ((cert_path = strdup(spec)) == NULL ||
	    (comma = strchr(cert_path, ',')) == NULL)
		goto fail;
	*comma = '\0';
	if ((f = fopen(cert_path, "r")) == NULL ||
	    (*ca = PEM_read_X509(f, NULL, NULL, NULL)) == NULL)
		goto fail;
	fclose(f);
	if ((f = fopen(comma + 1, "r")) == NULL ||
	    (*ca_key = PEM_read_PrivateKey(f, NULL, NULL, NULL)) == NULL)
		goto fail;
	r = 0;
fail:
	if (f != NULL)
		fclose(f);
	free(cert_path);
	return r;
}

void
vk_attest_clear(struct vk_attest *at)
{
	free(at->cert);
	free(at->ca);
	memset(at, 0, sizeof(*at));
}

/* --attest-ca SPEC: the attestation certificate of att_priv from a CA. */
int
vk_cert_issue(const char *spec, const uint8_t *att_priv, struct vk_attest *at)
{
	EVP_PKEY	*pkey = NULL, *ca_key = NULL;
	X509		*x = NULL, *ca = NULL;
	int		 r = -1;

	if (ca_load(spec, &ca, &ca_key) != 0) {
		vk_warnx("--attest-ca: cannot read %s", spec);
		goto fail;
	}
	if ((pkey = vk_key_from_private(VK_COSE_ES256, att_priv)) == NULL ||
	    (x = X509_new()) == NULL || X509_set_version(x, 2) != 1 ||
	    cert_serial(x) != 0 ||
	    X509_gmtime_adj(X509_getm_notBefore(x), -86400) == NULL ||
	    X509_time_adj_ex(X509_getm_notAfter(x), CERT_DAYS, 0,
	    NULL) == NULL || X509_set_pubkey(x, pkey) != 1 ||
	    cert_name(x, X509_get_subject_name(ca)) != 0 ||
	    cert_extensions(x) != 0 || X509_sign(x, ca_key, EVP_sha256()) <= 0 ||
	    cert_der(x, &at->cert, &at->cert_len) != 0)
		goto fail;
	/* An intermediate goes along; a root is the verifier's to have. */
	if (X509_check_issued(ca, ca) != X509_V_OK &&
	    cert_der(ca, &at->ca, &at->ca_len) != 0)
		goto fail;
	r = 0;
fail:
	X509_free(x);
	X509_free(ca);
	EVP_PKEY_free(pkey);
	EVP_PKEY_free(ca_key);
	return r;
}
