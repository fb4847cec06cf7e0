/*
 * seckey_register.c: make a credential for "seckey register".
 *
 * The client data hash is 32 fresh random bytes: there is no web origin
 * to bind, and nothing later depends on it except the attestation
 * check right here.  The user id is random too: a credential that is not
 * discoverable never has its id handed back, and a discoverable one
 * hands back a user handle that, being 32 random bytes, carries nothing
 * personal and links nothing across machines (WebAuthn: a user handle
 * must not hold the user name).  The attestation is checked with the
 * key's certificate (or, for self attestation, with the new public key
 * itself); with attestation = "verify" the certificate must also chain
 * to a root trusted for the model (seckey_attest.h).  The model
 * (AAGUID) is always the one in the attested credential data, never
 * what getInfo claimed.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <fido/credman.h>
#include <fido/eddsa.h>
#include <fido/es256.h>
#include <fido/rs256.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include "seckey_authdata.h"
#include "seckey_devinfo.h"
#include "seckey_fido_err.h"
#include "seckey_probe.h"
#include "seckey_register.h"
#include "seckey_time.h"

#define USER_ID_LEN	32
#define RP_NAME		"pam_seckey"

/* Asked for in this order; EdDSA only if a key refuses ES256. */
static const int cose_algs[] = { COSE_ES256, COSE_EDDSA };

void
seckey_credential_free(struct seckey_credential **credp)
{
	struct seckey_credential *cred;

	if (credp == NULL || (cred = *credp) == NULL)
		return;
	free(cred->cred_id);
	free(cred->user_id);
	OPENSSL_free(cred->pubkey_der);
	free(cred);
	*credp = NULL;
}

/*
 * How many credentials the exclude list may hold.  A longer list than
 * the key takes is first probed silently (the probe splits it), so that
 * the credentials left out of the exclude list are known not to be on
 * this key.
 */
static int
exclude_len(struct seckey_device *dev, const struct seckey_keylist *exclude,
    const struct seckey_register_opts *opts, size_t *lenp,
    const struct seckey_key **dupp, struct seckey_diag *diag)
{
	struct seckey_device_facts facts;
	int r;

	*lenp = exclude != NULL ? exclude->count : 0;
	if (*lenp <= 1)
		return SECKEY_OK;
	if ((r = seckey_device_facts(dev, &facts, diag)) != SECKEY_OK)
		return r;
	if (facts.max_cred_list == 0 || facts.max_cred_list >= *lenp)
		return SECKEY_OK;
	*lenp = facts.max_cred_list;
	r = seckey_probe(dev, opts->rp_id, exclude, dupp, diag);
	if (r == SECKEY_ERR_NO_CREDENTIAL)
		return SECKEY_OK;
	if (r == SECKEY_OK) {
		seckey_diag_set(diag, NULL, 0, "the security key already "
		    "holds the credential of \"%s\"", (*dupp)->name);
		return SECKEY_ERR_EXCLUDED;
	}

	return r;
}

static int
prepare_cred(fido_cred_t *cred, int cose_alg,
    const struct seckey_keylist *exclude, size_t nexclude,
    const struct seckey_register_opts *opts)
{
	unsigned char cdh[32], user_id[USER_ID_LEN];
	size_t i;
	int r = SECKEY_ERR_CRYPTO;

	if (RAND_bytes(cdh, sizeof(cdh)) != 1 ||
	    RAND_bytes(user_id, sizeof(user_id)) != 1)
		goto fail;
	r = SECKEY_ERR_INTERNAL;
	if (fido_cred_set_type(cred, cose_alg) != FIDO_OK ||
	    fido_cred_set_clientdata_hash(cred, cdh, sizeof(cdh)) != FIDO_OK ||
	    fido_cred_set_rp(cred, opts->rp_id, RP_NAME) != FIDO_OK ||
	    fido_cred_set_user(cred, user_id, sizeof(user_id),
	    opts->user_name, opts->user_name, NULL) != FIDO_OK ||
	    /* With a PIN libfido2 sends pinUvAuthParam, not the uv
	     * option; this makes fido_cred_verify() demand the UV flag. */
	    fido_cred_set_uv(cred, FIDO_OPT_TRUE) != FIDO_OK)
		goto fail;
	if (opts->discoverable &&
	    (fido_cred_set_rk(cred, FIDO_OPT_TRUE) != FIDO_OK ||
	    fido_cred_set_prot(cred, FIDO_CRED_PROT_UV_OPTIONAL_WITH_ID) !=
	    FIDO_OK))
		goto fail;
	for (i = 0; i < nexclude; i++)
		if (fido_cred_exclude(cred, exclude->keys[i]->cred_id,
		    exclude->keys[i]->cred_id_len) != FIDO_OK)
			goto fail;

	r = SECKEY_OK;
fail:
	OPENSSL_cleanse(cdh, sizeof(cdh));
	OPENSSL_cleanse(user_id, sizeof(user_id));

	return r;
}

/* Translate a failed makeCredential, naming the key it refused for. */
static int
make_cred_error(struct seckey_device *dev, int fido_r, long long started,
    const struct seckey_keylist *exclude,
    const struct seckey_register_opts *opts, const struct seckey_key **dupp,
    struct seckey_diag *diag)
{
	struct seckey_diag ignored;
	int r = seckey_fido_error(fido_r);

	/* libfido2 reports a reply that never came as a read error. */
	if (r == SECKEY_ERR_DEVICE_LOST &&
	    seckey_now_ms() - started >= opts->timeout_ms)
		r = SECKEY_ERR_TIMEOUT;
	if (r == SECKEY_ERR_TIMEOUT)
		(void)fido_dev_cancel(dev->dev);	/* stop the blinking */
	seckey_diag_set(diag, NULL, 0, "making a credential on security key "
	    "%s failed: %s", dev->path, fido_strerr(fido_r));
	/* A silent probe tells which registered key this one is. */
	if (r == SECKEY_ERR_EXCLUDED && exclude != NULL &&
	    seckey_probe(dev, opts->rp_id, exclude, dupp, &ignored) !=
	    SECKEY_OK)
		*dupp = NULL;

	return r;
}

/* Try each algorithm in turn; a key refuses an unknown one at once. */
static int
make_cred(struct seckey_device *dev, fido_cred_t **credp,
    const struct seckey_keylist *exclude, size_t nexclude,
    const struct seckey_pin *pin, const struct seckey_register_opts *opts,
    const struct seckey_key **dupp, struct seckey_diag *diag)
{
	long long started = seckey_now_ms();
	size_t i;
	int r, fido_r = FIDO_ERR_UNSUPPORTED_ALGORITHM;

	for (i = 0; i < sizeof(cose_algs) / sizeof(cose_algs[0]) &&
	    fido_r == FIDO_ERR_UNSUPPORTED_ALGORITHM; i++) {
		fido_cred_free(credp);
		if ((*credp = fido_cred_new()) == NULL)
			return SECKEY_ERR_NOMEM;
		if ((r = prepare_cred(*credp, cose_algs[i], exclude, nexclude,
		    opts)) != SECKEY_OK)
			return r;
		if (fido_dev_set_timeout(dev->dev, opts->timeout_ms) != FIDO_OK)
			return SECKEY_ERR_INTERNAL;
		fido_r = fido_dev_make_cred(dev->dev, *credp, pin->text);
	}
	if (fido_r != FIDO_OK)
		return make_cred_error(dev, fido_r, started, exclude, opts,
		    dupp, diag);

	return SECKEY_OK;
}

/* The attested model, checked against the trust when there is one. */
static int
check_trust(const fido_cred_t *cred, const struct seckey_trust *trust,
    struct seckey_diag *diag)
{
	struct seckey_aaguid aaguid;

	if (trust == NULL)
		return SECKEY_OK;
	if (seckey_aaguid_from_bytes(fido_cred_aaguid_ptr(cred),
	    fido_cred_aaguid_len(cred), &aaguid) != SECKEY_OK) {
		seckey_diag_set(diag, NULL, 0, "the new credential names no "
		    "model (AAGUID)");
		return SECKEY_ERR_UNTRUSTED;
	}

	return seckey_attest_check(trust, &aaguid, fido_cred_attstmt_ptr(cred),
	    fido_cred_attstmt_len(cred), diag);
}

bool
seckey_device_can_discover(const struct seckey_device *dev)
{
	return dev != NULL && fido_dev_supports_cred_prot(dev->dev) &&
	    fido_dev_supports_credman(dev->dev);
}

/*
 * The key says, in the signed authData, which credProtect level it
 * gave the credential: less than asked is a credential anyone could
 * list without the PIN.
 */
static int
check_protected(const fido_cred_t *cred, struct seckey_diag *diag)
{
	if (fido_cred_prot(cred) >= FIDO_CRED_PROT_UV_OPTIONAL_WITH_ID)
		return SECKEY_OK;
	seckey_diag_set(diag, NULL, 0, "the security key did not protect the "
	    "discoverable credential (credProtect %d, asked for %d)",
	    fido_cred_prot(cred), FIDO_CRED_PROT_UV_OPTIONAL_WITH_ID);
	return SECKEY_ERR_UNSUPPORTED;
}

/* The flags first: fido_cred_verify() would call a missing UV flag a
 * bad attestation. */
static int
check_cred(const fido_cred_t *cred, const struct seckey_trust *trust,
    bool discoverable, struct seckey_diag *diag)
{
	const char *fmt = fido_cred_fmt(cred);
	uint8_t flags = fido_cred_flags(cred);
	int fido_r;

	if (!(flags & SECKEY_FLAG_UP) || !(flags & SECKEY_FLAG_UV)) {
		seckey_diag_set(diag, NULL, 0, "the new credential lacks the "
		    "user %s flag (flags 0x%02x)", !(flags & SECKEY_FLAG_UV) ?
		    "verification" : "presence", flags);
		return SECKEY_ERR_FLAGS;
	}
	if (fmt == NULL || strcmp(fmt, "none") == 0) {
		seckey_diag_set(diag, NULL, 0, "the security key gave no "
		    "attestation to check");
		return SECKEY_ERR_UNSUPPORTED;
	}
	fido_r = fido_cred_x5c_ptr(cred) != NULL ? fido_cred_verify(cred) :
	    fido_cred_verify_self(cred);
	if (fido_r != FIDO_OK) {
		seckey_diag_set(diag, NULL, 0, "the attestation (%s) of the "
		    "new credential does not verify: %s", fmt,
		    fido_strerr(fido_r));
		return SECKEY_ERR_SIGNATURE;
	}
	if (discoverable && (fido_r = check_protected(cred,
	    diag)) != SECKEY_OK)
		return fido_r;

	return check_trust(cred, trust, diag);
}

/* The COSE public key of cred as an OpenSSL key. */
static EVP_PKEY *
cred_pkey(const fido_cred_t *cred, enum seckey_alg *alg)
{
	const unsigned char *ptr = fido_cred_pubkey_ptr(cred);
	size_t len = fido_cred_pubkey_len(cred);
	EVP_PKEY *pkey = NULL;
	es256_pk_t *es256 = NULL;
	eddsa_pk_t *eddsa = NULL;
	rs256_pk_t *rs256 = NULL;

	switch (fido_cred_type(cred)) {
	case COSE_ES256:
		*alg = SECKEY_ALG_ES256;
		if ((es256 = es256_pk_new()) != NULL &&
		    es256_pk_from_ptr(es256, ptr, len) == FIDO_OK)
			pkey = es256_pk_to_EVP_PKEY(es256);
		break;
	case COSE_EDDSA:
		*alg = SECKEY_ALG_EDDSA;
		if ((eddsa = eddsa_pk_new()) != NULL &&
		    eddsa_pk_from_ptr(eddsa, ptr, len) == FIDO_OK)
			pkey = eddsa_pk_to_EVP_PKEY(eddsa);
		break;
	case COSE_RS256:
		*alg = SECKEY_ALG_RS256;
		if ((rs256 = rs256_pk_new()) != NULL &&
		    rs256_pk_from_ptr(rs256, ptr, len) == FIDO_OK)
			pkey = rs256_pk_to_EVP_PKEY(rs256);
		break;
	default:
		break;
	}
	es256_pk_free(&es256);
	eddsa_pk_free(&eddsa);
	rs256_pk_free(&rs256);

	return pkey;
}

/* The user handle of a discoverable credential, copied out. */
static int
extract_user_id(const fido_cred_t *cred, struct seckey_credential *out)
{
	size_t len = fido_cred_user_id_len(cred);

	if (len == 0 || len > SECKEY_USER_HANDLE_MAX)
		return SECKEY_ERR_INTERNAL;
	if ((out->user_id = malloc(len)) == NULL)
		return SECKEY_ERR_NOMEM;
	memcpy(out->user_id, fido_cred_user_id_ptr(cred), len);
	out->user_id_len = len;
	return SECKEY_OK;
}

/* Copy out what a key list entry needs. */
static int
extract(const fido_cred_t *cred, bool discoverable,
    struct seckey_credential **credp, struct seckey_diag *diag)
{
	struct seckey_credential *out = NULL;
	EVP_PKEY *pkey = NULL;
	const char *fault = "out of memory";
	int len, r = SECKEY_ERR_NOMEM;

	if ((out = calloc(1, sizeof(*out))) == NULL)
		goto fail;
	r = SECKEY_ERR_FIDO;	/* a malformed answer */
	fault = "it has no credential id";
	if ((out->cred_id_len = fido_cred_id_len(cred)) == 0)
		goto fail;
	r = SECKEY_ERR_NOMEM;
	fault = "out of memory";
	if ((out->cred_id = malloc(out->cred_id_len)) == NULL)
		goto fail;
	memcpy(out->cred_id, fido_cred_id_ptr(cred), out->cred_id_len);
	r = SECKEY_ERR_CRYPTO;
	fault = "its public key cannot be read";
	if ((pkey = cred_pkey(cred, &out->alg)) == NULL ||
	    (len = i2d_PUBKEY(pkey, &out->pubkey_der)) <= 0)
		goto fail;
	out->pubkey_der_len = (size_t)len;
	r = SECKEY_ERR_FIDO;
	fault = "it names no model (AAGUID)";
	if (seckey_aaguid_from_bytes(fido_cred_aaguid_ptr(cred),
	    fido_cred_aaguid_len(cred), &out->aaguid) != SECKEY_OK)
		goto fail;
	fault = "its user handle cannot be kept";
	if (discoverable && (r = extract_user_id(cred, out)) != SECKEY_OK)
		goto fail;
	*credp = out;
	out = NULL;

	r = SECKEY_OK;
fail:
	if (r != SECKEY_OK)
		seckey_diag_set(diag, NULL, 0, "cannot use the new credential: "
		    "%s", fault);
	EVP_PKEY_free(pkey);
	seckey_credential_free(&out);

	return r;
}

int
seckey_register(struct seckey_device *dev,
    const struct seckey_keylist *exclude, const struct seckey_pin *pin,
    const struct seckey_register_opts *opts, struct seckey_credential **credp,
    const struct seckey_key **dupp, struct seckey_diag *diag)
{
	const struct seckey_key *dup = NULL;
	fido_cred_t *cred = NULL;
	size_t nexclude = 0;
	int r;

	if (credp != NULL)
		*credp = NULL;
	if (dupp != NULL)
		*dupp = NULL;
	if (dev == NULL || pin == NULL || seckey_pin_len(pin) == 0 ||
	    opts == NULL || opts->rp_id == NULL || opts->user_name == NULL ||
	    credp == NULL)
		return SECKEY_ERR_INVAL;

	if (opts->discoverable && !seckey_device_can_discover(dev)) {
		seckey_diag_set(diag, NULL, 0, "security key %s cannot keep a "
		    "protected discoverable credential (it lacks credProtect "
		    "or credential management)", dev->path);
		return SECKEY_ERR_UNSUPPORTED;
	}
	if ((r = exclude_len(dev, exclude, opts, &nexclude, &dup,
	    diag)) != SECKEY_OK ||
	    (r = make_cred(dev, &cred, exclude, nexclude, pin, opts, &dup,
	    diag)) != SECKEY_OK ||
	    (r = check_cred(cred, opts->trust, opts->discoverable,
	    diag)) != SECKEY_OK)
		goto fail;
	r = extract(cred, opts->discoverable, credp, diag);
fail:
	if (dupp != NULL)
		*dupp = dup;
	fido_cred_free(&cred);

	return r;
}
