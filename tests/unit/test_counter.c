/*
 * test_counter.c: the signature counter records (seckey_counter.h):
 * WebAuthn's rule, the record's text written and read back, the text
 * that is refused, the record's name, and, as root in a folder of
 * root's, a record kept across uses, a clone logged or marked, a marked
 * credential refused until unmarked, and unsafe records refused.
 */
#include <config.h>

#include <sys/stat.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "seckey_counter.h"
#include "tap.h"
#include "testutil.h"

#define SCRATCH_BASE	"/run/pam_seckey-tests"
#define RP		"pam://test.host"
#define NOW		((time_t)1764144000)

static char base[PATH_MAX], state_dir[PATH_MAX + 16];

static void
test_rule(void)
{
	static const struct { uint32_t stored, seen; bool suspect; } cases[] = {
		{ 0, 0, false },	/* a key that never counts */
		{ 0, 1, false },	/* first use */
		{ 5, 6, false },
		{ 5, 100, false },	/* used elsewhere meanwhile */
		{ 5, 5, true },		/* equal: a clone in step */
		{ 5, 4, true },		/* went back */
		{ 5, 0, true },		/* back to 0 */
		{ UINT32_MAX, UINT32_MAX, true },
		{ UINT32_MAX - 1, UINT32_MAX, false },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		ok(seckey_counter_suspect(cases[i].stored, cases[i].seen) ==
		    cases[i].suspect, "stored %lu, seen %lu: %s",
		    (unsigned long)cases[i].stored,
		    (unsigned long)cases[i].seen,
		    cases[i].suspect ? "suspect" : "fine");
}

static void
test_text(void)
{
	struct seckey_counter_record rec = { 4294967295U, 1764615304LL, 0 };
	struct seckey_counter_record back;
	struct seckey_diag diag;
	char text[SECKEY_COUNTER_TEXT_MAX];
	int len;

	len = seckey_counter_format(&rec, text, sizeof(text));
	ok(len > 0, "a record is written");
	is_str(text, "# pam_seckey signature counter record; see pam_seckey(8)\n"
	    "version 1\ncounter 4294967295\nlast_use 1764615304\nmarked 0\n",
	    "in its documented form");
	memset(&back, 0xff, sizeof(back));
	is_int(seckey_counter_parse(text, (size_t)len, "r", &back, &diag),
	    SECKEY_OK, "and read back");
	ok(back.count == rec.count && back.last_use == rec.last_use &&
	    back.marked == 0, "with the same values");
	is_int(seckey_counter_format(&rec, text, 20), SECKEY_ERR_TOOBIG,
	    "a buffer too small is refused");
}

static void
test_bad_text(void)
{
	static const struct { const char *text; int line; } bad[] = {
		{ "", 1 },
		{ "version 1\ncounter 1\nlast_use 0\nmarked 0\n", 1 },
		{ "#\nversion 2\ncounter 1\nlast_use 0\nmarked 0\n", 2 },
		{ "#\nversion 1\ncounter 4294967296\nlast_use 0\nmarked 0\n", 3 },
		{ "#\nversion 1\ncounter -1\nlast_use 0\nmarked 0\n", 3 },
		{ "#\nversion 1\ncounter 01\nlast_use 0\nmarked 0\n", 3 },
		{ "#\nversion 1\ncounter  1\nlast_use 0\nmarked 0\n", 3 },
		{ "#\nversion 1\ncounter 1 \nlast_use 0\nmarked 0\n", 3 },
		{ "#\nversion 1\ncounter 1\nmarked 0\nlast_use 0\n", 4 },
		{ "#\nversion 1\ncounter 1\nlast_use 253402300800\nmarked 0\n",
		    4 },
		{ "#\nversion 1\ncounter 1\nlast_use 0\nmarked 0", 5 },
		{ "#\nversion 1\ncounter 1\nlast_use 0\nmarked 0\nmore\n", 6 },
	};
	struct seckey_counter_record rec;
	struct seckey_diag diag;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		seckey_diag_clear(&diag);
		is_int(seckey_counter_parse(bad[i].text, strlen(bad[i].text),
		    "rec", &rec, &diag), SECKEY_ERR_SYNTAX,
		    "bad record %zu refused", i);
		is_int(diag.line, bad[i].line, "bad record %zu: at line %d", i,
		    bad[i].line);
	}
	has_str(diag.msg, "not a signature counter record", "and says so");
}

static char key_name[] = "Blue key";

static void
key_of(struct seckey_key *key, unsigned char *id, size_t len, int seed)
{
	memset(key, 0, sizeof(*key));
	memset(id, seed, len);
	key->name = key_name;
	key->cred_id = id;
	key->cred_id_len = len;
}

static void
test_path(void)
{
	unsigned char id1[32], id2[32];
	struct seckey_key k1, k2;
	char p1[PATH_MAX], p2[PATH_MAX], p3[PATH_MAX];
	struct seckey_diag diag;

	key_of(&k1, id1, sizeof(id1), 1);
	key_of(&k2, id2, sizeof(id2), 2);
	is_int(seckey_counter_path("/var/lib/seckey", RP, &k1, p1, sizeof(p1),
	    &diag), SECKEY_OK, "a record's path");
	ok(strncmp(p1, "/var/lib/seckey/counters/", 25) == 0 &&
	    strlen(p1) == 25 + 64 && strspn(p1 + 25, "0123456789abcdef") == 64,
	    "is state_dir/counters/ and 64 hex digits");
	seckey_counter_path("/var/lib/seckey", RP, &k2, p2, sizeof(p2), &diag);
	seckey_counter_path("/var/lib/seckey", "pam://other", &k1, p3,
	    sizeof(p3), &diag);
	ok(strcmp(p1, p2) != 0 && strcmp(p1, p3) != 0,
	    "another credential, or another rp_id, has another record");
	is_int(seckey_counter_path("/var/lib/seckey", RP, &k1, p1, 30, &diag),
	    SECKEY_ERR_INVAL, "a path that does not fit is refused");
}

static int
use_once(const struct seckey_key *key, uint32_t seen, bool mark,
    struct seckey_counter_use *use, struct seckey_diag *diag)
{
	memset(use, 0, sizeof(*use));
	use->seen = seen;
	use->mark = mark;
	use->now = NOW;
	seckey_diag_clear(diag);
	return seckey_counter_update(state_dir, RP, key, use, diag);
}

static void
test_update(void)
{
	unsigned char id[40];
	struct seckey_key key;
	struct seckey_counter_use use;
	struct seckey_counter_record rec;
	struct seckey_diag diag;
	char path[PATH_MAX];
	struct stat st;
	bool was_marked;

	key_of(&key, id, sizeof(id), 7);
	seckey_counter_path(state_dir, RP, &key, path, sizeof(path), &diag);
	is_int(seckey_counter_read(state_dir, RP, &key, &rec, &diag),
	    SECKEY_ERR_NOENT, "no record before the first use");
	is_int(use_once(&key, 3, false, &use, &diag), SECKEY_OK,
	    "the first use is kept (the folders made on the way)");
	ok(use.updated && !use.suspect && use.stored == 0, "updated, fine");
	ok(stat(path, &st) == 0 && (st.st_mode & 07777) == 0644 &&
	    st.st_uid == 0, "the record is root's, mode 0644");
	is_int(seckey_counter_read(state_dir, RP, &key, &rec, &diag),
	    SECKEY_OK, "and reads back");
	ok(rec.count == 3 && rec.last_use == NOW && rec.marked == 0,
	    "counter 3, last use now");
	is_int(use_once(&key, 3, false, &use, &diag), SECKEY_OK,
	    "the same counter again, counter_policy log: goes on");
	ok(use.suspect && use.stored == 3 && use.updated, "but is suspect");
	has_str(diag.msg, "signature counter 3 is not above 3", "diag says why");
	is_int(use_once(&key, 2, true, &use, &diag), SECKEY_ERR_CLONED,
	    "a counter that goes back, deny: refused");
	seckey_counter_read(state_dir, RP, &key, &rec, &diag);
	ok(rec.marked == NOW && rec.count == 3, "and marked, the count kept");
	is_int(use_once(&key, 10, false, &use, &diag), SECKEY_ERR_MARKED,
	    "a marked credential is refused, whatever its counter");
	is_int(seckey_counter_unmark(state_dir, RP, &key, &was_marked, &diag),
	    SECKEY_OK, "unmark");
	ok(was_marked, "says there was a mark");
	seckey_counter_read(state_dir, RP, &key, &rec, &diag);
	ok(rec.marked == 0 && rec.count == 0, "and clears it with the count");
	is_int(use_once(&key, 1, true, &use, &diag), SECKEY_OK,
	    "a new count starts");

	chmod(path, 0664);
	is_int(use_once(&key, 50, false, &use, &diag), SECKEY_ERR_PERM,
	    "a group-writable record is refused");
	has_str(diag.msg, "writable by group or others", "diag says why");
	chmod(path, 0644);
	if (chown(path, 1234, 0) == 0) {
		is_int(use_once(&key, 50, false, &use, &diag), SECKEY_ERR_PERM,
		    "a record of another owner is refused");
		chown(path, 0, 0);
	} else {
		skip(1, "cannot give the record away");
	}
	write_text(path, "counter 9\n", 0644);
	is_int(use_once(&key, 50, false, &use, &diag), SECKEY_ERR_SYNTAX,
	    "a record that is not one is refused");
	is_int(unlink(path), 0, "removed");
	is_int(symlink("/etc/passwd", path), 0, "a symbolic link in its place");
	is_int(use_once(&key, 50, false, &use, &diag), SECKEY_ERR_PERM,
	    "is refused");
	unlink(path);
}

int
main(void)
{
	char *dir;

	test_rule();
	test_text();
	test_bad_text();
	test_path();
	if (!is_root()) {
		skip(26, "the records are root's: needs root");
		return done();
	}
	if (mkdir(SCRATCH_BASE, 0755) != 0 && access(SCRATCH_BASE, F_OK) != 0) {
		skip(26, "no folder of root's for the records");
		return done();
	}
	snprintf(base, sizeof(base), "%s/counter.XXXXXX", SCRATCH_BASE);
	if (mkdtemp(base) == NULL || chmod(base, 0755) != 0 ||
	    (dir = strdup(base)) == NULL) {
		perror("mkdtemp");
		return 99;
	}
	snprintf(state_dir, sizeof(state_dir), "%s/state", base);
	test_update();
	scratch_remove(&dir);

	return done();
}
