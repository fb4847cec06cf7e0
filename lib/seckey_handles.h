/*
 * seckey_handles.h: the user handle index, which account a discoverable
 * credential's user handle belongs to, for the sign-in without a user
 * name (seckey_signin_usernameless()).
 *
 * A key answers an assertion with an empty allow list with the user
 * handle of each credential, but (CTAP 2.1, 6.2.2) with the user's name
 * only when it holds several accounts for the rp_id.  Without the index,
 * the name of a single account comes from the key's credential
 * management: a second PIN token and an enumeration, three more
 * commands.  The index names the account at once.
 *
 * It is a hint, never a proof: the account it names must still hold the
 * credential id and that user handle in its own key list, and the
 * signature must verify with the key the list registered.  When that
 * account does not, the key is asked for the name, as without the
 * index: a wrong or stale record costs those commands, never a refusal
 * (anyone may register a copy of another's handle) and never a sign-in.
 * It is written by whoever is root and has just seen it hold: the
 * module after a sign-in that verified, "seckey register
 * --discoverable" run by root; "seckey delete" run by root forgets it.
 *
 * One record per handle, state_dir/handles/<hex SHA-256(rp_id, NUL,
 * user handle)> (seckey_state.h), root's, 0644:
 *   # pam_seckey user handle index record; see pam_seckey(8)
 *   version 1
 *   user alice
 */
#ifndef SECKEY_HANDLES_H
#define SECKEY_HANDLES_H

#include <stddef.h>

#include "seckey_error.h"

/* The folder under state_dir. */
#define SECKEY_HANDLES_DIR	"handles"
/* The longest account name a record holds. */
#define SECKEY_HANDLES_USER_MAX	255

/*
 * The account the record of handle names, into *userp (free it).
 * SECKEY_ERR_NOENT: no record.  Otherwise the errors of
 * seckey_file_read() (an unsafe record), SECKEY_ERR_SYNTAX (not a
 * record of this form).
 */
int seckey_handles_lookup(const char *state_dir, const char *rp_id,
    const unsigned char *handle, size_t len, char **userp,
    struct seckey_diag *diag);

/*
 * Record that handle belongs to user, unless the record says so
 * already; made the folders when missing.  Root's work: for another
 * caller, SECKEY_ERR_PERM and nothing written.
 */
int seckey_handles_learn(const char *state_dir, const char *rp_id,
    const unsigned char *handle, size_t len, const char *user,
    struct seckey_diag *diag);

/* Remove handle's record; none is fine.  Root's work, as above. */
int seckey_handles_forget(const char *state_dir, const char *rp_id,
    const unsigned char *handle, size_t len, struct seckey_diag *diag);

/* Strictly the form above, the name at most SECKEY_HANDLES_USER_MAX
 * bytes, none of them a control byte, a space or a '/'. */
int seckey_handles_parse(const char *text, size_t len, const char *path,
    char **userp, struct seckey_diag *diag);

#endif /* SECKEY_HANDLES_H */
