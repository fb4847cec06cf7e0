/*
 * seckey_counter.c: the signature counter records under state_dir
 * (seckey_counter.h), on top of the safe file I/O of seckey_file.c.
 */
#include <config.h>

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "seckey_counter.h"
#include "seckey_file.h"
#include "seckey_time.h"

#define RECORD_HEADER	"# pam_seckey signature counter record; see " \
			"pam_seckey(8)\n"
#define RECORD_VERSION	1
/* Users may open a record they know the name of, not list the folder. */
#define COUNTERS_MODE	0711
#define STATE_DIR_MODE	0755
/* Another sign-in holds the folder for milliseconds: wait for it. */
#define LOCK_TRIES	80
#define LOCK_WAIT_MS	25
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
	unsigned char md[EVP_MAX_MD_SIZE];
	char hex[2 * EVP_MAX_MD_SIZE + 1];
	unsigned int md_len = 0, i;
	EVP_MD_CTX *ctx;
	int r = SECKEY_ERR_CRYPTO;

	if (state_dir == NULL || rp_id == NULL || key == NULL)
		return SECKEY_ERR_INVAL;
	if ((ctx = EVP_MD_CTX_new()) == NULL)
		return SECKEY_ERR_NOMEM;
	if (EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1 ||
	    EVP_DigestUpdate(ctx, rp_id, strlen(rp_id) + 1) != 1 ||
	    EVP_DigestUpdate(ctx, key->cred_id, key->cred_id_len) != 1 ||
	    EVP_DigestFinal_ex(ctx, md, &md_len) != 1)
		goto out;
	for (i = 0; i < md_len; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	hex[2 * md_len] = '\0';
	r = SECKEY_ERR_INVAL;
	if (snprintf(path, size, "%s/" SECKEY_COUNTERS_DIR "/%s", state_dir,
	    hex) >= (int)size) {
		seckey_diag_set(diag, state_dir, 0, "path too long");
		goto out;
	}
	r = SECKEY_OK;
out:
	EVP_MD_CTX_free(ctx);
	return r;
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
	struct seckey_user self;
	char *text = NULL;
	size_t len = 0;
	int r;

	memset(rec, 0, sizeof(*rec));
	/*
	 * root's for root; a caller that is not root (a screen locker, the
	 * test suite) also trusts its own: it only decides its own sign-ins.
	 */
	r = seckey_file_read(path, seckey_file_system_owner(&self), &text,
	    &len, diag);
	/* No folder yet is as good as no record: never used here. */
	if (r == SECKEY_ERR_NOFOLDER)
		r = SECKEY_ERR_NOENT;
	if (r == SECKEY_OK)
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

/*
 * Make folder with mode, exactly (the umask must not decide), if it is
 * missing.  Its safety is checked by the walk that follows, not here.
 */
static void
make_folder(const char *folder, mode_t mode)
{
	int fd;

	if (mkdir(folder, mode) != 0)
		return;
	fd = open(folder, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0) {
		(void)fchmod(fd, mode);
		close(fd);
	}
}

/* state_dir and its counters folder, when root and they are missing. */
static void
make_folders(const char *state_dir)
{
	char counters[PATH_MAX];

	if (geteuid() != 0 || snprintf(counters, sizeof(counters), "%s/"
	    SECKEY_COUNTERS_DIR, state_dir) >= (int)sizeof(counters))
		return;
	make_folder(state_dir, STATE_DIR_MODE);
	make_folder(counters, COUNTERS_MODE);
}

/* The folder is shared by every sign-in: wait a little for its lock. */
static int
lock_waiting(const char *path, struct seckey_lock **lockp,
    struct seckey_diag *diag)
{
	struct seckey_user self;
	unsigned int tries;
	int r;

	for (tries = 1;; tries++) {
		r = seckey_file_lock(path, seckey_file_system_owner(&self),
		    SECKEY_FILE_PUBLIC, lockp,
		    diag);
		if (r != SECKEY_ERR_LOCKED || tries >= LOCK_TRIES)
			break;
		seckey_sleep_ms(LOCK_WAIT_MS);
	}
	return r;
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
	make_folders(state_dir);
	r = lock_waiting(path, &lock, diag);
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
	if ((r = lock_waiting(path, &lock, diag)) != SECKEY_OK) {
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
