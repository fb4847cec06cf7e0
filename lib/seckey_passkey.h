/*
 * seckey_passkey.h: keys as SSSD/FreeIPA passkey mapping values, the
 * form a directory keeps them in (attribute "passkey" of SSSD's LDAP
 * provider, "ipaPassKey" in FreeIPA, "altSecurityIdentities" in AD):
 *
 *	passkey:<base64 credential id>,<base64 DER SPKI>[,<base64 extra>]
 *
 * What the other readers and writers do (SSSD at 9238b410e, FreeIPA at
 * b16f3b80d), which this form has to keep working with:
 *
 * - SSSD, src/responder/pam/pamsrv_passkey.c, process_passkey_data():
 *   skips values whose text before the first ':' is not "passkey"
 *   (mapping_is_passkey(), case-insensitive: AD's attribute also holds
 *   X509 and ssh mappings), splits the rest with
 *   split_on_separator(',', trim, skip_empty) and keeps only the first
 *   two fields (the credential id without "passkey:", the public key);
 *   a third field and anything after it is ignored.
 * - SSSD, src/passkey_child/passkey_child_common.c:
 *   public_key_to_base64() writes the key as base64 of i2d_PUBKEY(), a
 *   DER SubjectPublicKeyInfo (not a PEM file), and the reverse reads it
 *   with sss_base64_decode() and d2i_PUBKEY(); the credential id is
 *   standard base64 (sss_base64_encode(), print_credentials() in
 *   passkey_child_credentials.c), which writes two fields only.
 * - FreeIPA, ipaserver/plugins/baseuser.py, validate_passkey(): the
 *   value must match ^passkey:([^,]*),([^,]*),?(.*)$; the id must pass
 *   base64.b64decode(validate=True), the key must load as the body of a
 *   PEM "PUBLIC KEY", and the optional third field (a "userid", the
 *   WebAuthn user handle of a discoverable credential) must itself pass
 *   b64decode(validate=True).  So FreeIPA refuses any third field that
 *   is not plain base64: no ';', '=' inside, ':' or ','.
 *   `ipa user-add-passkey LOGIN VALUE` takes the value as a positional
 *   argument (ipaclient/plugins/baseuser.py; --register runs SSSD's
 *   passkey_child instead).
 *
 * Our metadata therefore rides in the third field as standard base64
 * (RFC 4648, padded) of a small text, so that FreeIPA stores it and
 * SSSD ignores it:
 *
 *	seckey=1\n
 *	name=<the key name, UTF-8 as it is>\n
 *	created=2026-11-26T08:00:00Z\n
 *	aaguid=2fc0579f-8113-47ea-b116-bb5a8db9202a\n
 *	alg=es256\n
 *	transport=usb\n
 *
 * exactly these six lines, in this order, each ended by one LF, then,
 * for a discoverable credential only, a seventh,
 *
 *	user_handle=<standard base64 of the WebAuthn user handle>\n
 *
 * and nothing before or after.  A key name holds no control character, so an LF
 * cannot occur inside it and any name (spaces, ',', ';', '=', quotes,
 * any script) needs no escaping; the base64 holds no ',' for SSSD to
 * split on.  A third field whose bytes do not begin with "seckey=" is
 * taken to be FreeIPA's user handle: 1 to 64 bytes of standard base64,
 * kept as the key's user handle (FreeIPA's "userid" of a discoverable
 * credential: the usernameless sign-in compares it with the one the
 * key returns).  A third field that begins with "seckey="
 * must be exactly the text above.
 *
 * The value is exact: the "passkey:" prefix in lowercase, no spaces,
 * no empty fields, no fourth field, at most SECKEY_PASSKEY_VALUE_MAX
 * bytes.
 *
 * A value without our metadata (written by SSSD or FreeIPA) becomes a
 * key with neutral fields: the algorithm is that of its public key
 * (P-256: es256, Ed25519: eddsa, RSA: rs256), the AAGUID all zero
 * (unknown model), the transport usb, the creation time
 * 1970-01-01T00:00:00Z (SECKEY_PASSKEY_CREATED_UNKNOWN: "unknown"), and
 * a generated name, "Security key N" with the smallest N from 1 that no
 * other key of the list uses.  Such a key signs in like any other and
 * can be written to a key-list file as it is.
 */
#ifndef SECKEY_PASSKEY_H
#define SECKEY_PASSKEY_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "seckey_error.h"
#include "seckey_key.h"
#include "seckey_keylist.h"

#define SECKEY_PASSKEY_PREFIX		"passkey:"
/* Bytes of one value; the largest we write is about 2,400. */
#define SECKEY_PASSKEY_VALUE_MAX	4096
/* Bytes of a foreign user handle (WebAuthn: 1 to 64). */
#define SECKEY_PASSKEY_USER_HANDLE_MAX	64
/* The creation time of a key whose value does not say. */
#define SECKEY_PASSKEY_CREATED_UNKNOWN	((time_t)0)

/*
 * One value (with its "passkey:" prefix; len bytes, NUL not needed) into
 * a new key.  A value without our metadata gets the name "Security key
 * 1", the one the list functions would give it alone.  Returns 0,
 * SECKEY_ERR_TOOBIG (over SECKEY_PASSKEY_VALUE_MAX), SECKEY_ERR_SYNTAX
 * (diag says which field, never echoing the value), SECKEY_ERR_NOMEM or
 * SECKEY_ERR_INVAL.
 */
int seckey_passkey_parse(const char *value, size_t len,
    struct seckey_key **keyp, struct seckey_diag *diag);

/*
 * The same, and *namedp says whether the value carried our metadata
 * (false: the name is the placeholder above, for the list functions to
 * replace).
 */
int seckey_passkey_parse_value(const char *value, size_t len,
    struct seckey_key **keyp, bool *namedp, struct seckey_diag *diag);

/*
 * Lines of values, one per line ("\n" or "\r\n"; the last may lack it),
 * blank lines ignored, any other line refused (diag->line says which);
 * names generated for values that carry none; a credential id or name
 * used twice refused (SECKEY_ERR_DUP_CRED, SECKEY_ERR_DUP_NAME); more
 * than max_keys values refused (SECKEY_ERR_TOOMANY).  The list as a
 * whole or nothing: *listp is NULL on failure.  An empty text is an
 * empty list.
 */
int seckey_passkey_parse_lines(const char *text, size_t len,
    unsigned int max_keys, struct seckey_keylist **listp,
    struct seckey_diag *diag);

/*
 * The values of a directory attribute (not NUL-terminated; lens[i]
 * bytes each), under the same rules, except that a value of another
 * mapping kind ("X509:...", an ssh key: text before its first ':' that
 * is not "passkey" in any case) is skipped, as SSSD skips it, since
 * AD's altSecurityIdentities holds them side by side.  An empty value,
 * or one without ':', is refused.
 */
int seckey_passkey_parse_values(const char *const *values,
    const size_t *lens, size_t n, unsigned int max_keys,
    struct seckey_keylist **listp, struct seckey_diag *diag);

/*
 * Is this value a mapping of another kind, which SSSD and
 * seckey_passkey_parse_values() skip ("X509:...", an ssh key)?
 */
bool seckey_passkey_other_kind(const char *value, size_t len);

/*
 * One key as a value, with our metadata; *valuep is the caller's to
 * free().  Returns 0, SECKEY_ERR_INVAL (a key that seckey_key_new()
 * would refuse) or SECKEY_ERR_NOMEM.
 */
int seckey_passkey_format(const struct seckey_key *key, char **valuep);

#endif /* SECKEY_PASSKEY_H */
