/*
 * seckey_counter.c: the signature counter records under state_dir
 * (seckey_counter.h), on top of the safe file I/O of seckey_file.c.
 */
#include <config.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "seckey_counter.h"
#include "seckey_file.h"
#include "seckey_state.h"

#define RECORD_HEADER	"# pam_seckey signature counter record; see " \
			"pam_seckey(8)\n"
#define RECORD_VERSION	1
/* 9999-12-31: a time past this in a record is not a time. */
#define TIME_MAX	253402300799LL

bool
seckey_counter_suspect(uint32_t stored, uint32_t seen)
{
	return (stored != 0 || seen != 0) && seen <= stored;
}

int
seckey_counter_path(const char *state_dir, const char *rp_id,
    const struct seckey_key *key, char *path, size_t size,
    struct seckey_diag *diag)
{
	if (key == NULL)
		return SECKEY_ERR_INVAL;
	return seckey_state_path(state_dir, SECKEY_COUNTERS_DIR, rp_id,
	    key->cred_id, key->cred_id_len, path, size, diag);
}

int
seckey_counter_format(const struct seckey_counter_record *rec, char *text,
    size_t size)
{
	int len;

	len = snprintf(text, size, RECORD_HEADER "version %d\ncounter %lu\n"
	    "last_use %lld\nmarked %lld\n", RECORD_VERSION,
	    (unsigned long)rec->count, rec->last_use, rec->marked);
	if (len < 0 || (size_t)len >= size)
		return SECKEY_ERR_TOOBIG;
	return len;
}

/*
 * One line "name digits\n" at *pp, the number at most max; *pp moves
 * past it.  No sign, no space, no leading zero: one way to write each
 * record.
 */
static bool
parse_line(const char **pp, const char *end, const char *name,
    unsigned long long max, unsigned long long *value)
{
	const char *p = *pp;
	size_t name_len = strlen(name);
	unsigned long long v = 0;
	const char *digits;

	if ((size_t)(end - p) < name_len + 2 ||
	    memcmp(p, name, name_len) != 0 || p[name_len] != ' ')
		return false;
	digits = p += name_len + 1;
	while (p < end && *p >= '0' && *p <= '9') {
		if (v > (max - (unsigned long long)(*p - '0')) / 10)
			return false;
		v = v * 10 + (unsigned long long)(*p - '0');
		p++;
	}
	if (p == digits || (p - digits > 1 && *digits == '0') || p >= end ||
	    *p != '\n')
		return false;
	*value = v;
	*pp = p + 1;
	return true;
}

int
seckey_counter_parse(const char *text, size_t len, const char *path,
    struct seckey_counter_record *rec, struct seckey_diag *diag)
{
	static const char *const names[] = { "version", "counter",
	    "last_use", "marked" };
	const unsigned long long max[] = { RECORD_VERSION, UINT32_MAX,
	    TIME_MAX, TIME_MAX };
	unsigned long long v[4];
	const char *p = text, *end = text + len, *nl;
	int line = 1;
	size_t i;

	nl = memchr(p, '\n', len);
	if (nl == NULL || p[0] != '#')
		goto bad;
	p = nl + 1;
	for (i = 0; i < 4; i++) {
		line++;
		if (!parse_line(&p, end, names[i], max[i], &v[i]) ||
		    (i == 0 && v[0] != RECORD_VERSION))
			goto bad;
	}
	line++;
	if (p != end)
		goto bad;
	rec->count = (uint32_t)v[1];
	rec->last_use = (long long)v[2];
	rec->marked = (long long)v[3];
	return SECKEY_OK;
bad:
	seckey_diag_set(diag, path, line, "not a signature counter record "
	    "(version %d): expected %s", RECORD_VERSION, line == 1 ?
	    "a comment" : line - 2 < 4 ? names[line - 2] : "the end");
	return SECKEY_ERR_SYNTAX;
}


static int
read_path(const char *path, struct seckey_counter_record *rec,
    struct seckey_diag *diag)
{
	char *text = NULL;
	size_t len = 0;
	int r;

	memset(rec, 0, sizeof(*rec));
	if ((r = seckey_state_read(path, &text, &len, diag)) == SECKEY_OK)
		r = seckey_counter_parse(text, len, path, rec, diag);
	free(text);
	return r;
}

int
seckey_counter_read(const char *state_dir, const char *rp_id,
    const struct seckey_key *key, struct seckey_counter_record *rec,
    struct seckey_diag *diag)
{
	char path[PATH_MAX];
	int r;

	memset(rec, 0, sizeof(*rec));
	if ((r = seckey_counter_path(state_dir, rp_id, key, path,
	    sizeof(path), diag)) != SECKEY_OK)
		return r;
	return read_path(path, rec, diag);
}

/* The rule, on rec, for use; what the sign-in comes to. */
static int
apply_rule(struct seckey_counter_record *rec, struct seckey_counter_use *use,
    const char *path, struct seckey_diag *diag)
{
	use->stored = rec->count;
	if (rec->marked != 0) {
		seckey_diag_set(diag, path, 0, "the credential was marked as a "
		    "suspected clone at %lld; 'seckey --user USER unmark NAME' "
		    "clears it", rec->marked);
		return SECKEY_ERR_MARKED;
	}
	use->suspect = seckey_counter_suspect(rec->count, use->seen);
	if (use->suspect)
		seckey_diag_set(diag, path, 0, "signature counter %lu is not "
		    "above %lu, the last one seen: a cloned key?",
		    (unsigned long)use->seen, (unsigned long)rec->count);
	if (use->seen > rec->count)
		rec->count = use->seen;
	if (use->suspect && use->mark) {
		rec->marked = (long long)use->now;
		return SECKEY_ERR_CLONED;
	}
	rec->last_use = (long long)use->now;
	return SECKEY_OK;
}

/*
 * A caller that could not take the lock (not root: it may not write
 * there) checks what it can read, and says the record was not updated.
 */
static int
check_unlocked(const char *path, struct seckey_counter_use *use,
    struct seckey_diag *diag)
{
	struct seckey_counter_record rec;
	int r;

	use->why_not = *diag;
	seckey_diag_clear(diag);
	if ((r = read_path(path, &rec, diag)) == SECKEY_ERR_NOENT)
		r = SECKEY_OK;
	if (r != SECKEY_OK)
		return r;
	return apply_rule(&rec, use, path, diag);
}

/* Under the lock: read, check, write. */
static int
check_locked(struct seckey_lock *lock, const char *path,
    struct seckey_counter_use *use, struct seckey_diag *diag)
{
	struct seckey_counter_record rec;
	char text[SECKEY_COUNTER_TEXT_MAX];
	int r, rule, len;

	if ((r = read_path(path, &rec, diag)) == SECKEY_ERR_NOENT)
		r = SECKEY_OK;
	if (r != SECKEY_OK)
		return r;
	rule = apply_rule(&rec, use, path, diag);
	if (rule == SECKEY_ERR_MARKED)
		return rule;
	if ((len = seckey_counter_format(&rec, text, sizeof(text))) < 0)
		return SECKEY_ERR_INTERNAL;
	r = seckey_file_replace(lock, text, (size_t)len,
	    &use->why_not);
	use->updated = r == SECKEY_OK;
	/* Root that cannot keep the count cannot vouch for the next one. */
	if (rule == SECKEY_OK && r != SECKEY_OK && geteuid() == 0) {
		*diag = use->why_not;
		return r;
	}
	return rule;
}

int
seckey_counter_update(const char *state_dir, const char *rp_id,
    const struct seckey_key *key, struct seckey_counter_use *use,
    struct seckey_diag *diag)
{
	struct seckey_lock *lock = NULL;
	char path[PATH_MAX];
	int r;

	use->suspect = false;
	use->stored = 0;
	use->updated = false;
	seckey_diag_clear(&use->why_not);
	if ((r = seckey_counter_path(state_dir, rp_id, key, path,
	    sizeof(path), diag)) != SECKEY_OK)
		return r;
	seckey_state_make_folders(state_dir, SECKEY_COUNTERS_DIR);
	r = seckey_state_lock(path, &lock, diag);
	if (r == SECKEY_OK)
		r = check_locked(lock, path, use, diag);
	else if (geteuid() != 0 && r != SECKEY_ERR_NOMEM)
		r = check_unlocked(path, use, diag);
	seckey_file_unlock(&lock);
	return r;
}

int
seckey_counter_unmark(const char *state_dir, const char *rp_id,
    const struct seckey_key *key, bool *was_marked, struct seckey_diag *diag)
{
	struct seckey_counter_record rec;
	struct seckey_lock *lock = NULL;
	char path[PATH_MAX], text[SECKEY_COUNTER_TEXT_MAX];
	int r, len;

	*was_marked = false;
	if ((r = seckey_counter_path(state_dir, rp_id, key, path,
	    sizeof(path), diag)) != SECKEY_OK)
		return r;
	if ((r = seckey_state_lock(path, &lock, diag)) != SECKEY_OK) {
		/* No folder: no record to clear. */
		if (r == SECKEY_ERR_NOFOLDER)
			r = SECKEY_ERR_NOENT;
		goto out;
	}
	if ((r = read_path(path, &rec, diag)) != SECKEY_OK)
		goto out;
	*was_marked = rec.marked != 0;
	rec.marked = 0;
	rec.count = 0;
	r = SECKEY_ERR_INTERNAL;
	if ((len = seckey_counter_format(&rec, text, sizeof(text))) < 0)
		goto out;
	r = seckey_file_replace(lock, text, (size_t)len,
	    diag);
out:
	seckey_file_unlock(&lock);
	return r;
}
