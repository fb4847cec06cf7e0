/*
 * seckey_mds.h: what pam_seckey keeps of a FIDO Metadata Service (MDS3)
 * BLOB: per authenticator model (AAGUID), its description, its status
 * and the trust anchors of its attestation certificates.
 *
 * "seckey mds import" checks the BLOB (seckey_jws.h), turns its payload
 * into a struct seckey_mds (seckey_mds_from_payload) and writes it to
 * <state_dir>/mds/metadata in a line format that registration reads
 * without any JSON (seckey_mds_format, seckey_mds_parse):
 *
 *   # a comment
 *   serial 42                    the BLOB's "no"
 *   next_update 2026-01-01       the BLOB's "nextUpdate"
 *   entry AAGUID STATUS DESCRIPTION...
 *   root BASE64-DER              a trust anchor of the entry above
 *
 * STATUS is the status that decides for the model (seckey_mds_status);
 * DESCRIPTION is the rest of the line, possibly empty.
 */
#ifndef SECKEY_MDS_H
#define SECKEY_MDS_H

#include <stdbool.h>
#include <stddef.h>

#include "seckey_aaguid.h"
#include "seckey_error.h"

/* Bounds on what a BLOB may hold; a real one is far below them. */
#define SECKEY_MDS_ENTRIES_MAX		10000
#define SECKEY_MDS_ROOTS_MAX		32
#define SECKEY_MDS_DESC_MAX		200	/* bytes kept */
#define SECKEY_MDS_STATUS_MAX		48	/* with the NUL */
/* The store file, and a BLOB on import. */
#define SECKEY_MDS_STORE_MAX		(16 * 1024 * 1024)
#define SECKEY_MDS_BLOB_MAX		(64 * 1024 * 1024)

struct seckey_mds_entry {
	struct seckey_aaguid	  aaguid;
	char			  status[SECKEY_MDS_STATUS_MAX];
	char			 *description;	/* no control characters */
	char			**roots;	/* base64 of DER */
	size_t			  nroots;
};

struct seckey_mds {
	long long		  serial;
	char			  next_update[16];	/* YYYY-MM-DD */
	struct seckey_mds_entry	 *entries;
	size_t			  count;
};

/*
 * The checked payload of a BLOB (len bytes of JSON) as a struct
 * seckey_mds.  Entries without an AAGUID (UAF and U2F models) are
 * left out.  Errors: SECKEY_ERR_SYNTAX (with the entry's number),
 * SECKEY_ERR_TOOBIG, SECKEY_ERR_NOMEM.
 */
int seckey_mds_from_payload(const char *json, size_t len,
    struct seckey_mds **mdsp, struct seckey_diag *diag);

/* The store's text (NUL-terminated; free() it). */
int seckey_mds_format(const struct seckey_mds *mds, char **textp,
    size_t *lenp, struct seckey_diag *diag);

/* Read the store's text back; file names it in the diagnostic. */
int seckey_mds_parse(const char *text, size_t len, const char *file,
    struct seckey_mds **mdsp, struct seckey_diag *diag);

void seckey_mds_free(struct seckey_mds **mdsp);

/* The entry of a model, or NULL. */
const struct seckey_mds_entry *seckey_mds_find(const struct seckey_mds *mds,
    const struct seckey_aaguid *aaguid);

/*
 * Does this status forbid registering the model?  REVOKED,
 * ATTESTATION_KEY_COMPROMISE, USER_VERIFICATION_BYPASS,
 * USER_KEY_REMOTE_COMPROMISE and USER_KEY_PHYSICAL_COMPROMISE do.
 */
bool seckey_mds_status_refused(const char *status);

/* seckey_mds_file.c: the store under state_dir. */

/* <state_dir>/mds/metadata into path (size bytes). */
int seckey_mds_path(const char *state_dir, char *path, size_t size,
    struct seckey_diag *diag);

/*
 * Read the store: root's file (or, in a process that is not root, its
 * own: the test suite), not a symbolic link, writable by no one else,
 * in folders likewise.  SECKEY_ERR_NOENT when there is none.
 */
int seckey_mds_load(const char *state_dir, struct seckey_mds **mdsp,
    struct seckey_diag *diag);

/* What an import did, for the helper to say. */
struct seckey_mds_import_result {
	long long	serial;
	long long	old_serial;	/* -1: there was no store */
	char		next_update[16];
	size_t		models;
};

/*
 * "seckey mds import": check the BLOB at blob_path against the PEM
 * roots at root_path (seckey_jws_verify), read its payload, and replace
 * the store atomically (mode 0644, folders 0755 when made).  A BLOB
 * whose serial is below the stored one is SECKEY_ERR_STALE (an attacker
 * replaying an older BLOB would undo a revocation); the same serial
 * again is accepted.  On any error the store is left as it was.
 */
int seckey_mds_import(const char *blob_path, const char *root_path,
    const char *state_dir, struct seckey_mds_import_result *result,
    struct seckey_diag *diag);

#endif /* SECKEY_MDS_H */
