/*
 * seckey_attest.c: the attestation check of "attestation = verify"
 * (seckey_attest.h).
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include <cbor.h>
#include <openssl/err.h>
#include <openssl/x509.h>

#include "seckey_attest.h"
#include "seckey_file.h"
#include "seckey_mem.h"
#include "seckey_x509.h"

/* The FIDO AAGUID extension of an attestation certificate. */
#define AAGUID_OID	"1.3.6.1.4.1.45724.1.1.4"
/* Certificates in an attestation statement's x5c, at most. */
#define X5C_MAX		8

struct seckey_trust {
	struct seckey_mds	*mds;		/* NULL: no store */
	STACK_OF(X509)		*bundle;	/* NULL: no attestation_roots */
	char			 bundle_path[SECKEY_DIAG_FILE_MAX];
};

void
seckey_trust_free(struct seckey_trust **trustp)
{
	struct seckey_trust *trust;

	if (trustp == NULL || (trust = *trustp) == NULL)
		return;
	seckey_mds_free(&trust->mds);
	sk_X509_pop_free(trust->bundle, X509_free);
	free(trust);
	*trustp = NULL;
}

const struct seckey_mds *
seckey_trust_mds(const struct seckey_trust *trust)
{
	return trust != NULL ? trust->mds : NULL;
}

/* The bundle's certificates, through a store that parses the PEM. */
static int
load_bundle(struct seckey_trust *trust, const char *path,
    struct seckey_diag *diag)
{
	struct seckey_user self;
	X509_STORE *store = NULL;
	char *pem = NULL;
	size_t len = 0, count = 0;
	int r;

	r = seckey_file_read_max(path, seckey_file_system_owner(&self),
	    SECKEY_TRUST_BUNDLE_MAX, &pem, &len, diag);
	if (r == SECKEY_ERR_NOENT || r == SECKEY_ERR_NOFOLDER)
		return SECKEY_OK;
	if (r != SECKEY_OK)
		return r;
	r = SECKEY_ERR_NOMEM;
	if ((store = X509_STORE_new()) == NULL)
		goto out;
	if ((r = seckey_x509_add_pem(store, pem, len, &count,
	    diag)) != SECKEY_OK || count > SECKEY_TRUST_ROOTS_MAX) {
		seckey_diag_set(diag, path, 0, "not a PEM bundle of 1 to %d "
		    "certificates", SECKEY_TRUST_ROOTS_MAX);
		r = r == SECKEY_OK ? SECKEY_ERR_TOOBIG : r;
		goto out;
	}
	r = SECKEY_ERR_NOMEM;
	if ((trust->bundle = X509_STORE_get1_all_certs(store)) == NULL)
		goto out;
	snprintf(trust->bundle_path, sizeof(trust->bundle_path), "%s", path);
	r = SECKEY_OK;
out:
	X509_STORE_free(store);
	free(pem);

	return r;
}

int
seckey_trust_load(const char *state_dir, const char *roots_path,
    struct seckey_trust **trustp, struct seckey_diag *diag)
{
	struct seckey_trust *trust;
	char store_path[SECKEY_DIAG_FILE_MAX];
	int r;

	if (trustp == NULL || roots_path == NULL)
		return SECKEY_ERR_INVAL;
	*trustp = NULL;
	if ((trust = calloc(1, sizeof(*trust))) == NULL)
		return SECKEY_ERR_NOMEM;
	r = seckey_mds_load(state_dir, &trust->mds, diag);
	if (r != SECKEY_OK && r != SECKEY_ERR_NOENT)
		goto out;
	if ((r = load_bundle(trust, roots_path, diag)) != SECKEY_OK ||
	    (r = seckey_mds_path(state_dir, store_path, sizeof(store_path),
	    diag)) != SECKEY_OK)
		goto out;
	r = SECKEY_ERR_UNTRUSTED;
	if (trust->mds == NULL && trust->bundle == NULL) {
		seckey_diag_set(diag, NULL, 0, "attestation = \"verify\" "
		    "needs the metadata of \"seckey mds import\" (%s) or "
		    "roots in attestation_roots (%s); there is neither",
		    store_path, roots_path);
		goto out;
	}
	*trustp = trust;
	trust = NULL;
	r = SECKEY_OK;
out:
	seckey_trust_free(&trust);

	return r;
}

/* The certificates of attStmt's "x5c"; none for self attestation. */
static int
x5c_of(const unsigned char *attstmt, size_t len, STACK_OF(X509) **chainp,
    struct seckey_diag *diag)
{
	struct cbor_load_result res;
	struct cbor_pair *pairs;
	cbor_item_t *map = NULL, *x5c = NULL, **certs;
	X509 *x;
	size_t i;
	int r = SECKEY_ERR_UNTRUSTED;

	if (attstmt == NULL || len == 0 ||
	    (map = cbor_load(attstmt, len, &res)) == NULL ||
	    !cbor_isa_map(map) || !cbor_map_is_definite(map))
		goto out;
	pairs = cbor_map_handle(map);
	for (i = 0; i < cbor_map_size(map); i++)
		if (cbor_isa_string(pairs[i].key) &&
		    cbor_string_is_definite(pairs[i].key) &&
		    cbor_string_length(pairs[i].key) == 3 &&
		    memcmp(cbor_string_handle(pairs[i].key), "x5c", 3) == 0)
			x5c = pairs[i].value;
	if (x5c == NULL) {
		seckey_diag_set(diag, NULL, 0, "the security key attests "
		    "itself (self attestation, no certificate): its maker "
		    "cannot be checked");
		goto out;
	}
	if (!cbor_isa_array(x5c) || !cbor_array_is_definite(x5c) ||
	    cbor_array_size(x5c) == 0 || cbor_array_size(x5c) > X5C_MAX)
		goto bad;
	r = SECKEY_ERR_NOMEM;
	if ((*chainp = sk_X509_new_null()) == NULL)
		goto out;
	certs = cbor_array_handle(x5c);
	for (i = 0; i < cbor_array_size(x5c); i++) {
		r = SECKEY_ERR_UNTRUSTED;
		if (!cbor_isa_bytestring(certs[i]) ||
		    !cbor_bytestring_is_definite(certs[i]) ||
		    (x = seckey_x509_from_der(cbor_bytestring_handle(certs[i]),
		    cbor_bytestring_length(certs[i]))) == NULL)
			goto bad;
		if (sk_X509_push(*chainp, x) <= 0) {
			X509_free(x);
			r = SECKEY_ERR_NOMEM;
			goto out;
		}
	}
	r = SECKEY_OK;
	goto out;
bad:
	seckey_diag_set(diag, NULL, 0, "the attestation statement's "
	    "certificates (x5c) cannot be read");
out:
	if (map != NULL)
		cbor_decref(&map);

	return r;
}

/* A leaf that names a model must name the one the key reported. */
static int
check_leaf_aaguid(X509 *leaf, const struct seckey_aaguid *aaguid,
    struct seckey_diag *diag)
{
	ASN1_OBJECT *obj = NULL;
	const ASN1_OCTET_STRING *value;
	int pos, r = SECKEY_ERR_NOMEM;

	if ((obj = OBJ_txt2obj(AAGUID_OID, 1)) == NULL)
		goto out;
	r = SECKEY_OK;
	if ((pos = X509_get_ext_by_OBJ(leaf, obj, -1)) < 0)
		goto out;
	value = X509_EXTENSION_get_data(X509_get_ext(leaf, pos));
	/* An OCTET STRING of 16 bytes inside the extension's own. */
	if (value == NULL || ASN1_STRING_length(value) != 2 +
	    SECKEY_AAGUID_LEN || ASN1_STRING_get0_data(value)[0] != 0x04 ||
	    ASN1_STRING_get0_data(value)[1] != SECKEY_AAGUID_LEN ||
	    memcmp(ASN1_STRING_get0_data(value) + 2, aaguid->bytes,
	    SECKEY_AAGUID_LEN) != 0) {
		seckey_diag_set(diag, NULL, 0, "the attestation certificate "
		    "names another model (AAGUID) than the security key "
		    "reports");
		r = SECKEY_ERR_UNTRUSTED;
	}
out:
	ASN1_OBJECT_free(obj);

	return r;
}

/* The anchors of a listed model: its attestationRootCertificates. */
static int
entry_store(const struct seckey_mds_entry *e, X509_STORE *store,
    struct seckey_diag *diag)
{
	X509 *x;
	size_t i;
	int ok;

	if (e->nroots == 0) {
		seckey_diag_set(diag, NULL, 0, "the metadata lists no "
		    "attestation root for this model");
		return SECKEY_ERR_UNTRUSTED;
	}
	for (i = 0; i < e->nroots; i++) {
		if ((x = seckey_x509_from_base64(e->roots[i])) == NULL) {
			seckey_diag_set(diag, NULL, 0, "an attestation root "
			    "of this model in the metadata cannot be read");
			return SECKEY_ERR_UNTRUSTED;
		}
		ok = X509_STORE_add_cert(store, x);
		X509_free(x);
		if (ok != 1)
			return SECKEY_ERR_CRYPTO;
	}

	return SECKEY_OK;
}

/* The anchors for aaguid, or a refusal of the model itself. */
static int
anchors(const struct seckey_trust *trust, const struct seckey_aaguid *aaguid,
    X509_STORE *store, struct seckey_diag *diag)
{
	const struct seckey_mds_entry *e = seckey_mds_find(trust->mds, aaguid);
	char text[SECKEY_AAGUID_TEXT_LEN];
	int i;

	seckey_aaguid_format(aaguid, text);
	if (e != NULL && seckey_mds_status_refused(e->status)) {
		seckey_diag_set(diag, NULL, 0, "the metadata says %s for "
		    "this model (AAGUID %s)", e->status, text);
		return SECKEY_ERR_MODEL_STATUS;
	}
	if (e != NULL)
		return entry_store(e, store, diag);
	if (trust->bundle == NULL) {
		seckey_diag_set(diag, NULL, 0, "the model of this security "
		    "key (AAGUID %s) is not in the metadata", text);
		return SECKEY_ERR_UNTRUSTED;
	}
	for (i = 0; i < sk_X509_num(trust->bundle); i++)
		if (X509_STORE_add_cert(store, sk_X509_value(trust->bundle,
		    i)) != 1)
			return SECKEY_ERR_CRYPTO;

	return SECKEY_OK;
}

int
seckey_attest_check(const struct seckey_trust *trust,
    const struct seckey_aaguid *aaguid, const unsigned char *attstmt,
    size_t len, struct seckey_diag *diag)
{
	STACK_OF(X509) *chain = NULL;
	X509_STORE *store = NULL;
	X509 *leaf;
	int r;

	if (trust == NULL || aaguid == NULL)
		return SECKEY_ERR_INVAL;
	r = SECKEY_ERR_NOMEM;
	if ((store = X509_STORE_new()) == NULL)
		goto out;
	if ((r = anchors(trust, aaguid, store, diag)) != SECKEY_OK ||
	    (r = x5c_of(attstmt, len, &chain, diag)) != SECKEY_OK)
		goto out;
	leaf = sk_X509_shift(chain);
	if ((r = check_leaf_aaguid(leaf, aaguid, diag)) == SECKEY_OK &&
	    seckey_x509_verify(store, leaf, chain, "the attestation "
	    "certificate", diag) != SECKEY_OK)
		r = SECKEY_ERR_UNTRUSTED;
	X509_free(leaf);
out:
	ERR_clear_error();
	sk_X509_pop_free(chain, X509_free);
	X509_STORE_free(store);

	return r;
}
