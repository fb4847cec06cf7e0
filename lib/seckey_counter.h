/*
 * seckey_counter.h: the signature counter of each credential, kept
 * between sign-ins (WebAuthn, section 7.2, "signCount").
 *
 * A key counts its signatures; a copy of the key (a clone) counts on
 * its own, so sooner or later one of the two shows a counter that is not
 * above the last one seen.  The last one seen is kept in a record per
 * credential, state_dir/counters/<name>, the name being the SHA-256 of
 * the rp_id, a NUL and the credential id, in hex: one record whoever
 * lists the credential, with no user name to sanitise in a path, and a
 * name that only someone who knows the credential id can find.
 *
 * The records are root's: the folder state_dir/counters is made 0711
 * (a user can open a record whose name he knows, but not list them),
 * each record 0644, written atomically under the folder's lock (the read,
 * the check and the write of one sign-in are one step, so two sign-ins
 * with the same counter cannot both pass).  A record that is a symbolic
 * link, not root's, or writable by group or others is refused.  A caller
 * that is not root (a screen locker) reads the record when it can and
 * checks what it read, but cannot update it.
 *
 * The text of a record, line by line:
 *   # pam_seckey signature counter record; see pam_seckey(8)
 *   version 1
 *   counter 42            the highest signCount seen
 *   last_use 1764615304   the last sign-in, seconds since 1970 (0: never)
 *   marked 0              0, or when the credential was marked as a clone
 */
#ifndef SECKEY_COUNTER_H
#define SECKEY_COUNTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "seckey_error.h"
#include "seckey_key.h"

/* The folder under state_dir. */
#define SECKEY_COUNTERS_DIR	"counters"
/* A record's text is never longer than this. */
#define SECKEY_COUNTER_TEXT_MAX	160

struct seckey_counter_record {
	uint32_t	count;		/* highest signCount seen */
	long long	last_use;	/* seconds since 1970; 0: never */
	long long	marked;		/* 0, or when it was marked */
};

/*
 * WebAuthn's rule: when either the stored or the new counter is not 0,
 * the new one must be greater; otherwise the key may be cloned.  A key
 * whose counter stays 0 never trips it.
 */
bool seckey_counter_suspect(uint32_t stored, uint32_t seen);

/* state_dir/counters/<hex SHA-256(rp_id, NUL, credential id)>. */
int seckey_counter_path(const char *state_dir, const char *rp_id,
    const struct seckey_key *key, char *path, size_t size,
    struct seckey_diag *diag);

/* A record's text, NUL-terminated; returns its length or an error. */
int seckey_counter_format(const struct seckey_counter_record *rec,
    char *text, size_t size);

/* Strictly the form above; SECKEY_ERR_SYNTAX names path and line. */
int seckey_counter_parse(const char *text, size_t len, const char *path,
    struct seckey_counter_record *rec, struct seckey_diag *diag);

/*
 * Read key's record (a record of zeros and SECKEY_ERR_NOENT when there
 * is none: never used here).  Errors of seckey_file_read(): above all
 * SECKEY_ERR_PERM for an unsafe record, or one the caller may not read.
 */
int seckey_counter_read(const char *state_dir, const char *rp_id,
    const struct seckey_key *key, struct seckey_counter_record *rec,
    struct seckey_diag *diag);

/* One sign-in's use of a credential, for seckey_counter_update(). */
struct seckey_counter_use {
	uint32_t		seen;	/* in: the assertion's signCount */
	bool			mark;	/* in: mark the credential if suspect */
	time_t			now;	/* in */
	bool			suspect; /* out: the rule tripped */
	uint32_t		stored;	/* out: the record's counter before */
	bool			updated; /* out: the record was written */
	struct seckey_diag	why_not; /* out: why not, when not */
};

/*
 * Check use->seen against key's record and keep it: under the lock,
 * read, apply the rule, write (counter, last use, and the mark when
 * use->mark and the rule tripped), made the folders when missing.
 * Returns:
 *  - SECKEY_ERR_MARKED: the record was marked already (nothing written);
 *  - SECKEY_ERR_CLONED: the rule tripped and use->mark asked to refuse;
 *  - SECKEY_OK: the sign-in may go on; use->suspect says whether the
 *    rule tripped, use->updated whether the record was written, and
 *    use->why_not why not.  A caller that is not root and cannot lock
 *    or write the record gets SECKEY_OK after a check of what it could
 *    read, with use->updated false;
 *  - another error: the record could not be checked (unsafe, broken,
 *    or locked by another sign-in for too long); diag says why.  For
 *    root, a failed write is also such an error, SECKEY_ERR_IO.
 */
int seckey_counter_update(const char *state_dir, const char *rp_id,
    const struct seckey_key *key, struct seckey_counter_use *use,
    struct seckey_diag *diag);

/*
 * Clear the mark of key's record (root's work: seckey unmark), and the
 * counter with it, so the next sign-in starts a new count.  *was_marked
 * says whether there was a mark.  SECKEY_ERR_NOENT: no record.
 */
int seckey_counter_unmark(const char *state_dir, const char *rp_id,
    const struct seckey_key *key, bool *was_marked, struct seckey_diag *diag);

#endif /* SECKEY_COUNTER_H */
