/*
 * test_keycache.c: the offline cache of keys = "ldap": an answer kept
 * and read back, its age counted from the time it records, a cache too
 * old or from the future, an empty answer that removes the file, user
 * names that cannot name a file, and the back-off.  The cache is root's
 * alone (a caller that is not root never uses it), so the tests run as
 * root, in a folder of root's.
 */
#include <config.h>

#include <sys/stat.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "seckey_keycache.h"
#include "seckey_keylist.h"
#include "tap.h"
#include "testkeys.h"
#include "testutil.h"

/* /tmp is writable by all: the cache wants folders of root's alone. */
#define SCRATCH_BASE	"/run/pam_seckey-tests"
#define NOW		((time_t)1764144000)

static char base[PATH_MAX], cache[PATH_MAX + 16];

static struct seckey_keylist *
list_of(size_t count)
{
	static const char *const names[] = { "Blue key", "Red key" };
	struct seckey_keylist *list = seckey_keylist_new();
	struct seckey_key_info info;
	size_t i;

	for (i = 0; list != NULL && i < count; i++) {
		info = info_of(names[i], (int)i + 1, ES256, SECKEY_ALG_ES256);
		if (seckey_keylist_add(list, SECKEY_MAX_KEYS, &info,
		    NULL) != SECKEY_OK)
			seckey_keylist_free(&list);
	}
	if (list == NULL) {
		fprintf(stderr, "cannot build a key list\n");
		exit(99);
	}

	return list;
}

static int
load(const char *user, unsigned int max_keys, unsigned int max_age,
    time_t now, size_t *countp, long long *agep, struct seckey_diag *diag)
{
	struct seckey_keylist *list = NULL;
	int r;

	seckey_diag_clear(diag);
	r = seckey_keycache_load(cache, user, max_keys, max_age, now, &list,
	    agep, diag);
	*countp = list != NULL ? list->count : 0;
	seckey_keylist_free(&list);

	return r;
}

static void
test_save_load(void)
{
	struct seckey_keylist *list = list_of(2);
	struct seckey_diag diag;
	char path[PATH_MAX + 64];
	struct stat st;
	long long age = -1;
	size_t count = 0;

	is_int(seckey_keycache_save(cache, "alice", list, NOW, &diag),
	    SECKEY_OK, "an answer is kept (the folder made on the way)");
	ok(stat(cache, &st) == 0 && (st.st_mode & 07777) == 0700 &&
	    st.st_uid == 0, "the folder is root's, mode 0700");
	snprintf(path, sizeof(path), "%s/alice", cache);
	ok(stat(path, &st) == 0 && (st.st_mode & 07777) == 0600 &&
	    st.st_uid == 0, "the file is root's, mode 0600");
	has_str(read_text(path), "# seckey offline cache, written 1764144000\n",
	    "and starts with the time it was written");
	is_int(load("alice", 10, 100, NOW + 100, &count, &age, &diag),
	    SECKEY_OK, "it reads back within keys_cache_max_age");
	ok(count == 2 && age == 100, "with both keys, 100 seconds old");
	is_int(load("alice", 1, 100, NOW, &count, &age, &diag),
	    SECKEY_ERR_TOOMANY, "as strictly as a key list (max_keys)");
	is_int(load("alice", 10, 100, NOW + 101, &count, &age, &diag),
	    SECKEY_ERR_UNAVAIL, "one second too old: not used");
	has_str(diag.msg, "101 seconds old, more than keys_cache_max_age "
	    "(100)", "and says why");
	is_int(load("alice", 10, 100, NOW - 301, &count, &age, &diag),
	    SECKEY_ERR_UNAVAIL, "written well in the future: not used");
	is_int(load("alice", 10, 100, NOW - 60, &count, &age, &diag),
	    SECKEY_OK, "a clock a minute behind is fine");
	is_int(load("bob", 10, 100, NOW, &count, &age, &diag),
	    SECKEY_ERR_NOENT, "no cache for bob");
	seckey_keylist_free(&list);

	list = list_of(0);
	is_int(seckey_keycache_save(cache, "alice", list, NOW, &diag),
	    SECKEY_OK, "an empty answer");
	ok(stat(path, &st) != 0, "removes the file");
	is_int(seckey_keycache_save(cache, "alice", list, NOW, &diag),
	    SECKEY_OK, "and removing none is fine");
	seckey_keylist_free(&list);

	write_text(path, "key \"x\" {\n}\n", 0600);
	is_int(load("alice", 10, 100, NOW, &count, &age, &diag),
	    SECKEY_ERR_SYNTAX, "a file without its time is refused");
}

static void
test_names(void)
{
	static const char *const bad[] = {
		"", "../etc", "a/b", ".backoff", ".alice.tmp", "a\nb",
	};
	struct seckey_keylist *list = list_of(1);
	struct seckey_diag diag;
	long long age;
	size_t i, count;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		is_int(seckey_keycache_save(cache, bad[i], list, NOW, &diag),
		    SECKEY_ERR_INVAL, "bad name %zu: nothing kept", i);
		is_int(load(bad[i], 10, 100, NOW, &count, &age, &diag),
		    SECKEY_ERR_INVAL, "bad name %zu: nothing read", i);
		ok(strstr(diag.msg, bad[i]) == NULL || bad[i][0] == '\0',
		    "bad name %zu: not echoed", i);
	}
	seckey_keylist_free(&list);
}

static void
test_backoff(void)
{
	struct seckey_diag diag;

	ok(!seckey_keycache_backoff_active(cache, NOW), "no back-off yet");
	is_int(seckey_keycache_backoff_start(cache, NOW, &diag), SECKEY_OK,
	    "a lookup timed out");
	ok(seckey_keycache_backoff_active(cache, NOW), "back-off at once");
	ok(seckey_keycache_backoff_active(cache,
	    NOW + SECKEY_KEYCACHE_BACKOFF - 1), "until its end");
	ok(!seckey_keycache_backoff_active(cache,
	    NOW + SECKEY_KEYCACHE_BACKOFF), "and no longer");
	ok(!seckey_keycache_backoff_active(cache, NOW - 1),
	    "a back-off from the future is none");
}

int
main(void)
{
	char *dir;

	if (!is_root())
		plan_skip_all("the offline cache is root's: needs root");
	if (mkdir(SCRATCH_BASE, 0755) != 0 && access(SCRATCH_BASE, F_OK) != 0)
		plan_skip_all("no folder of root's for the cache");
	snprintf(base, sizeof(base), "%s/keycache.XXXXXX", SCRATCH_BASE);
	if (mkdtemp(base) == NULL || chmod(base, 0755) != 0 ||
	    (dir = strdup(base)) == NULL) {
		perror("mkdtemp");
		return 99;
	}
	snprintf(cache, sizeof(cache), "%s/cache", base);
	make_keys();
	test_save_load();
	test_names();
	test_backoff();
	free_keys();
	scratch_remove(&dir);

	return done();
}
