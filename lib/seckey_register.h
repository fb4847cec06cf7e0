/*
 * seckey_register.h: making a new credential on a security key, for
 * "seckey register".
 *
 * The credential is made with the policy's rp_id and with user
 * verification (the key's PIN), and the key's attestation signature is
 * checked before anything is kept.  The user's registered credentials
 * go in the exclude list, so a key that already holds one of them
 * refuses (CTAP's own rule, enforced by the key itself).
 */
#ifndef SECKEY_REGISTER_H
#define SECKEY_REGISTER_H

#include <stdbool.h>
#include <stddef.h>

#include "seckey_attest.h"
#include "seckey_device.h"
#include "seckey_error.h"
#include "seckey_keylist.h"
#include "seckey_mem.h"

struct seckey_register_opts {
	const char	*rp_id;
	const char	*user_name;	/* for the credential's user entity */
	int		 timeout_ms;	/* for the touch */
	/* attestation = "verify": the trust to check the attestation
	 * certificate against (seckey_attest.h); NULL: "none". */
	const struct seckey_trust *trust;
	/*
	 * A discoverable (resident) credential, made with credProtect
	 * level 2 (userVerificationOptionalWithCredentialIDList): the key
	 * gives it out to an empty allow list only after the PIN.  Its
	 * user id is 32 random bytes, never the user name, which goes in
	 * user.name only.
	 */
	bool		 discoverable;
};

/* What registration produced: everything a key list entry needs. */
struct seckey_credential {
	unsigned char		*cred_id;
	size_t			 cred_id_len;
	unsigned char		*pubkey_der;	/* SPKI, DER */
	size_t			 pubkey_der_len;
	enum seckey_alg		 alg;
	struct seckey_aaguid	 aaguid;	/* from the attested data */
	/* Discoverable only: the user handle the key keeps with it. */
	unsigned char		*user_id;
	size_t			 user_id_len;
};

/*
 * Can dev make a discoverable credential that no one lists without the
 * PIN, and list and delete it again (credProtect and credential
 * management, both from the getInfo of opening)?
 */
bool seckey_device_can_discover(const struct seckey_device *dev);

/*
 * Make a credential on dev with pin.  exclude (may be NULL) holds the
 * user's registered keys.  On success *credp is the new credential.
 * Errors: SECKEY_ERR_PIN_* as the key reports them, SECKEY_ERR_EXCLUDED
 * (the key holds one of exclude's credentials; *dupp then names it when
 * a silent probe finds which), SECKEY_ERR_TIMEOUT (no touch),
 * SECKEY_ERR_SIGNATURE (the attestation does not verify),
 * SECKEY_ERR_UNTRUSTED and SECKEY_ERR_MODEL_STATUS (opts->trust refuses
 * the attestation, see seckey_attest_check),
 * SECKEY_ERR_FLAGS (no user presence or verification),
 * SECKEY_ERR_UNSUPPORTED (no algorithm in common, no attestation; with
 * opts->discoverable, a key that cannot keep one or did not protect it),
 * SECKEY_ERR_FIDO (a malformed answer), SECKEY_ERR_DEVICE_LOST, ...
 */
int seckey_register(struct seckey_device *dev,
    const struct seckey_keylist *exclude, const struct seckey_pin *pin,
    const struct seckey_register_opts *opts, struct seckey_credential **credp,
    const struct seckey_key **dupp, struct seckey_diag *diag);

/* Free and set *credp to NULL; NULL is fine. */
void seckey_credential_free(struct seckey_credential **credp);

#endif /* SECKEY_REGISTER_H */
