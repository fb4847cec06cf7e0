/*
 * test_mds.c: the pieces of "seckey mds import": base64url, the strict
 * JSON reader, the JWS check (with a signer made here), the MDS3
 * payload and the store's lines.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "seckey_base64.h"
#include "seckey_json.h"
#include "seckey_jws.h"
#include "seckey_mds.h"
#include "tap.h"

#define VK_AAGUID	"86babe58-627a-45bd-885c-ff16bce5ed43"

static void
test_base64url(void)
{
	static const char *const rejects[] = {
		"Zg==", "Z", "Zh", "a+b/", "ab=c", "Zm9vYg=",
	};
	unsigned char *out = NULL;
	size_t len = 0, i;

	ok(seckey_base64url_decode("Zm9vYg", 6, &out, &len) == SECKEY_OK &&
	    len == 4 && memcmp(out, "foob", 4) == 0, "base64url without padding");
	free(out);
	ok(seckey_base64url_decode("-_8", 3, &out, &len) == SECKEY_OK &&
	    len == 2 && out[0] == 0xfb && out[1] == 0xff,
	    "the URL-safe alphabet");
	free(out);
	ok(seckey_base64url_decode("", 0, &out, &len) == SECKEY_OK && len == 0,
	    "the empty string");
	free(out);
	for (i = 0; i < sizeof(rejects) / sizeof(rejects[0]); i++)
		is_int(seckey_base64url_decode(rejects[i], strlen(rejects[i]),
		    &out, &len), SECKEY_ERR_SYNTAX, "base64url refuses \"%s\"",
		    rejects[i]);
}

static void
test_json_good(void)
{
	const char *text = " {\"a\": [1, -2.5e3, true, false, null],"
	    " \"s\": \"caf\\u00e9 \\ud83d\\ude00 \\\"q\\\" \\n\", \"n\": 42,"
	    " \"o\": {}} ";
	struct seckey_json *root = NULL;
	long long n = 0;

	is_int(seckey_json_parse(text, strlen(text), &root, NULL), SECKEY_OK,
	    "a JSON object parses");
	is_int((long)seckey_json_array_len(seckey_json_member(root, "a")), 5,
	    "an array of five");
	is_str(seckey_json_string(seckey_json_member(root, "s")),
	    "caf\xc3\xa9 \xf0\x9f\x98\x80 \"q\" \n",
	    "escapes, surrogate pairs included, become UTF-8");
	ok(seckey_json_integer(seckey_json_member(root, "n"), &n) && n == 42,
	    "an integer");
	ok(!seckey_json_integer(seckey_json_array_at(seckey_json_member(root,
	    "a"), 1), &n), "-2.5e3 is no integer");
	ok(seckey_json_member(root, "missing") == NULL, "an absent member");
	ok(seckey_json_string(seckey_json_member(root, "n")) == NULL,
	    "a number is not a string");
	seckey_json_free(&root);
	ok(root == NULL, "free sets the pointer to NULL");
}

static void
test_json_bad(void)
{
	static const char *const rejects[] = {
		"", "{", "{\"a\":1,}", "[1,]", "{\"a\" 1}", "{a:1}",
		"{\"a\":1,\"a\":2}", "\"\\u0000\"", "\"\\ud800\"",
		"\"\\udc00\"", "\"\\ud800\\u0041\"", "\"\\x\"", "\"a\tb\"",
		"\"\xc3\"", "\"\xc0\xaf\"", "\"\xed\xa0\x80\"", "01", "1.",
		"-", "1e", "tru", "nul", "[1] 2", "{} x", "'a'", "+1",
		"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
	};
	struct seckey_json *root = NULL;
	struct seckey_diag diag;
	size_t i;

	for (i = 0; i < sizeof(rejects) / sizeof(rejects[0]); i++) {
		seckey_diag_clear(&diag);
		is_int(seckey_json_parse(rejects[i], strlen(rejects[i]), &root,
		    &diag), SECKEY_ERR_SYNTAX, "JSON refuses case %zu", i);
	}
	ok(root == NULL, "and leaves no tree");
	is_int(seckey_json_parse("[1,\0002]", 6, &root, NULL),
	    SECKEY_ERR_SYNTAX, "a NUL byte outside a string");
	seckey_json_parse("{\"a\":1,\"a\":2}", 13, &root, &diag);
	has_str(diag.msg, "member name used twice", "the diagnostic says why");
}

/* A signer: an ES256 key and its self-signed certificate. */
struct signer {
	EVP_PKEY	*key;
	X509		*cert;
	char		*pem;
	char		*x5c;	/* base64 DER */
};

static int
signer_new(struct signer *s, const char *cn)
{
	unsigned char *der = NULL;
	BIO *bio;
	BUF_MEM *mem;
	int len;

	memset(s, 0, sizeof(*s));
	if ((s->key = EVP_EC_gen("P-256")) == NULL ||
	    (s->cert = X509_new()) == NULL ||
	    X509_set_version(s->cert, 2) != 1 ||
	    ASN1_INTEGER_set(X509_get_serialNumber(s->cert), 1) != 1 ||
	    X509_gmtime_adj(X509_getm_notBefore(s->cert), -3600) == NULL ||
	    X509_gmtime_adj(X509_getm_notAfter(s->cert), 3600) == NULL ||
	    X509_NAME_add_entry_by_txt(X509_get_subject_name(s->cert), "CN",
	    MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0) != 1 ||
	    X509_set_issuer_name(s->cert,
	    X509_get_subject_name(s->cert)) != 1 ||
	    X509_set_pubkey(s->cert, s->key) != 1 ||
	    X509_sign(s->cert, s->key, EVP_sha256()) <= 0 ||
	    (len = i2d_X509(s->cert, &der)) <= 0 ||
	    seckey_base64_encode(der, (size_t)len, &s->x5c) != SECKEY_OK)
		return -1;
	OPENSSL_free(der);
	if ((bio = BIO_new(BIO_s_mem())) == NULL ||
	    PEM_write_bio_X509(bio, s->cert) != 1)
		return -1;
	BIO_get_mem_ptr(bio, &mem);
	s->pem = strndup(mem->data, mem->length);
	BIO_free(bio);
	return s->pem != NULL ? 0 : -1;
}

static void
signer_free(struct signer *s)
{
	EVP_PKEY_free(s->key);
	X509_free(s->cert);
	free(s->pem);
	free(s->x5c);
}

static void
put_b64url(char *out, const unsigned char *in, size_t len)
{
	char *std = NULL, *p;

	if (seckey_base64_encode(in, len, &std) != SECKEY_OK)
		abort();
	for (p = std; *p != '\0' && *p != '='; p++)
		*out++ = *p == '+' ? '-' : *p == '/' ? '_' : *p;
	*out = '\0';
	free(std);
}

/* header.payload.signature, ES256 (raw r || s); flip: spoil it. */
static char *
jws_make(const struct signer *s, const char *header, const char *payload,
    int flip)
{
	unsigned char der[128], raw[64];
	const unsigned char *p = der;
	size_t der_len = sizeof(der), n;
	const BIGNUM *r, *sv;
	ECDSA_SIG *sig;
	EVP_MD_CTX *md;
	char *jws;

	n = (strlen(header) + strlen(payload)) * 2 + 200;
	if ((jws = malloc(n)) == NULL)
		abort();
	put_b64url(jws, (const unsigned char *)header, strlen(header));
	strcat(jws, ".");
	put_b64url(jws + strlen(jws), (const unsigned char *)payload,
	    strlen(payload));
	if ((md = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, s->key) != 1 ||
	    EVP_DigestSign(md, der, &der_len, (unsigned char *)jws,
	    strlen(jws)) != 1 ||
	    (sig = d2i_ECDSA_SIG(NULL, &p, (long)der_len)) == NULL)
		abort();
	ECDSA_SIG_get0(sig, &r, &sv);
	BN_bn2binpad(r, raw, 32);
	BN_bn2binpad(sv, raw + 32, 32);
	raw[10] ^= (unsigned char)flip;
	strcat(jws, ".");
	put_b64url(jws + strlen(jws), raw, sizeof(raw));
	ECDSA_SIG_free(sig);
	EVP_MD_CTX_free(md);
	return jws;
}

static int
verify(const char *jws, const struct signer *root, char **payload,
    struct seckey_diag *diag)
{
	size_t len = 0;

	seckey_diag_clear(diag);
	*payload = NULL;
	return seckey_jws_verify(jws, strlen(jws), root->pem,
	    strlen(root->pem), payload, &len, diag);
}

static void
test_jws(void)
{
	struct signer s, other;
	struct seckey_diag diag;
	char header[2048], *jws, *payload = NULL;

	if (signer_new(&s, "Test FIDO root") != 0 ||
	    signer_new(&other, "Another root") != 0) {
		skip(9, "cannot make a test signer");
		return;
	}
	snprintf(header, sizeof(header), "{\"alg\":\"ES256\",\"typ\":\"JWT\","
	    "\"x5c\":[\"%s\"]}", s.x5c);
	jws = jws_make(&s, header, "{\"no\":1}", 0);
	is_int(verify(jws, &s, &payload, &diag), SECKEY_OK,
	    "an ES256 JWS verifies");
	is_str(payload, "{\"no\":1}", "and gives its payload");
	free(payload);
	is_int(verify(jws, &other, &payload, &diag), SECKEY_ERR_SIGNATURE,
	    "not against another root");
	has_str(diag.msg, "does not chain to a trusted root",
	    "which the diagnostic says");
	free(jws);

	jws = jws_make(&s, header, "{\"no\":1}", 1);
	is_int(verify(jws, &s, &payload, &diag), SECKEY_ERR_SIGNATURE,
	    "a spoiled signature does not verify");
	free(jws);

	snprintf(header, sizeof(header), "{\"alg\":\"none\",\"x5c\":[\"%s\"]}",
	    s.x5c);
	jws = jws_make(&s, header, "{}", 0);
	is_int(verify(jws, &s, &payload, &diag), SECKEY_ERR_UNSUPPORTED,
	    "alg none is refused");
	free(jws);

	snprintf(header, sizeof(header), "{\"alg\":\"ES256\",\"crit\":[\"x\"],"
	    "\"x5c\":[\"%s\"]}", s.x5c);
	jws = jws_make(&s, header, "{}", 0);
	is_int(verify(jws, &s, &payload, &diag), SECKEY_ERR_SYNTAX,
	    "a critical extension is refused");
	free(jws);

	jws = jws_make(&s, "{\"alg\":\"ES256\"}", "{}", 0);
	is_int(verify(jws, &s, &payload, &diag), SECKEY_ERR_SYNTAX,
	    "a header without x5c is refused");
	free(jws);

	is_int(verify("a.b", &s, &payload, &diag), SECKEY_ERR_SYNTAX,
	    "two parts are no JWS");
	signer_free(&s);
	signer_free(&other);
}

/* An MDS3 payload with the given entries (JSON, comma-separated). */
static char *
payload(long no, const char *entries)
{
	char *text;

	if (asprintf(&text, "{\"legalHeader\":\"x\",\"no\":%ld,"
	    "\"nextUpdate\":\"2099-01-01\",\"entries\":[%s]}", no,
	    entries) < 0)
		abort();
	return text;
}

static void
test_payload(void)
{
	/* A real root: the test signer's, as base64. */
	struct signer s;
	struct seckey_mds *mds = NULL, *back = NULL;
	struct seckey_aaguid aaguid;
	struct seckey_diag diag;
	const struct seckey_mds_entry *e;
	char entries[4096], *text, *store = NULL;
	size_t len = 0;

	if (signer_new(&s, "Maker root") != 0) {
		skip(12, "cannot make a test root");
		return;
	}
	snprintf(entries, sizeof(entries),
	    "{\"aaid\":\"4e4e#4005\",\"metadataStatement\":{}},"
	    "{\"aaguid\":\"86BABE58-627A-45BD-885C-FF16BCE5ED43\","
	    "\"metadataStatement\":{\"description\":\"Virtual\\nKey\","
	    "\"attestationRootCertificates\":[\"%s\"]},\"statusReports\":["
	    "{\"status\":\"FIDO_CERTIFIED_L1\",\"effectiveDate\":\"2024-05-01\"},"
	    "{\"status\":\"UPDATE_AVAILABLE\",\"effectiveDate\":\"2024-06-01\"},"
	    "{\"status\":\"NOT_FIDO_CERTIFIED\",\"effectiveDate\":\"2023-01-01\"}]},"
	    "{\"aaguid\":\"2fc0579f-8113-47ea-b116-bb5a8db9202a\","
	    "\"metadataStatement\":{\"description\":\"Other\"},\"statusReports\":["
	    "{\"status\":\"REVOKED\"},{\"status\":\"FIDO_CERTIFIED\"}]}", s.x5c);
	text = payload(42, entries);
	is_int(seckey_mds_from_payload(text, strlen(text), &mds, NULL),
	    SECKEY_OK, "an MDS3 payload is read");
	free(text);
	is_int((long)mds->serial, 42, "its number");
	is_int((long)mds->count, 2, "the entry without an AAGUID is left out");
	seckey_aaguid_parse(VK_AAGUID, &aaguid);
	e = seckey_mds_find(mds, &aaguid);
	ok(e != NULL && e->nroots == 1, "an AAGUID in capitals is found, "
	    "with its root");
	is_str(e != NULL ? e->status : "", "UPDATE_AVAILABLE",
	    "the latest report decides");
	is_str(e != NULL ? e->description : "", "Virtual Key",
	    "a control character in the description becomes a space");
	is_str(mds->entries[1].status, "REVOKED",
	    "a revocation decides whatever follows");
	ok(seckey_mds_status_refused("REVOKED") &&
	    seckey_mds_status_refused("USER_KEY_PHYSICAL_COMPROMISE") &&
	    !seckey_mds_status_refused("UPDATE_AVAILABLE"),
	    "the refused statuses");

	ok(seckey_mds_format(mds, &store, &len, NULL) == SECKEY_OK &&
	    seckey_mds_parse(store, len, "store", &back, NULL) == SECKEY_OK &&
	    back->count == 2 && back->serial == 42 &&
	    strcmp(back->entries[0].roots[0], s.x5c) == 0 &&
	    strcmp(back->entries[1].description, "Other") == 0,
	    "the store's lines read back the same");
	seckey_mds_free(&back);
	if (store != NULL)
		store[0] = 'x';
	seckey_diag_clear(&diag);
	is_int(seckey_mds_parse(store, len, "store", &back, &diag),
	    SECKEY_ERR_SYNTAX, "a store with a bad line is refused");
	is_int(diag.line, 1, "at its line");
	free(store);
	seckey_mds_free(&mds);

	snprintf(entries, sizeof(entries), "{\"aaguid\":\"%s\","
	    "\"metadataStatement\":{}},{\"aaguid\":\"%s\","
	    "\"metadataStatement\":{}}", VK_AAGUID, VK_AAGUID);
	text = payload(1, entries);
	is_int(seckey_mds_from_payload(text, strlen(text), &mds, NULL),
	    SECKEY_ERR_SYNTAX, "an AAGUID listed twice is refused");
	free(text);
	signer_free(&s);
}

static void
test_payload_bad(void)
{
	static const char *const rejects[] = {
		"{\"no\":1,\"nextUpdate\":\"2099-01-01\"}",
		"{\"no\":-1,\"nextUpdate\":\"2099-01-01\",\"entries\":[]}",
		"{\"no\":1,\"nextUpdate\":\"soon\",\"entries\":[]}",
		"{\"no\":1.5,\"nextUpdate\":\"2099-01-01\",\"entries\":[]}",
		"{\"no\":1,\"nextUpdate\":\"2099-01-01\",\"entries\":[1]}",
		"{\"no\":1,\"nextUpdate\":\"2099-01-01\",\"entries\":[{\"aaguid\":"
		    "\"nope\",\"metadataStatement\":{}}]}",
		"{\"no\":1,\"nextUpdate\":\"2099-01-01\",\"entries\":[{\"aaguid\":"
		    "\"" VK_AAGUID "\"}]}",
		"{\"no\":1,\"nextUpdate\":\"2099-01-01\",\"entries\":[{\"aaguid\":"
		    "\"" VK_AAGUID "\",\"metadataStatement\":{"
		    "\"attestationRootCertificates\":[\"AAAA\"]}}]}",
		"{\"no\":1,\"nextUpdate\":\"2099-01-01\",\"entries\":[{\"aaguid\":"
		    "\"" VK_AAGUID "\",\"metadataStatement\":{},\"statusReports\":"
		    "[{\"status\":\"bad status\"}]}]}",
	};
	struct seckey_mds *mds = NULL;
	size_t i;

	for (i = 0; i < sizeof(rejects) / sizeof(rejects[0]); i++)
		is_int(seckey_mds_from_payload(rejects[i], strlen(rejects[i]),
		    &mds, NULL), SECKEY_ERR_SYNTAX, "payload case %zu is "
		    "refused", i);
	ok(mds == NULL, "and gives nothing");
}

int
main(void)
{
	test_base64url();
	test_json_good();
	test_json_bad();
	test_jws();
	test_payload();
	test_payload_bad();

	return done();
}
