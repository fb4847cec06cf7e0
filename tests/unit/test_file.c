/*
 * test_file.c: safe reading (owners, modes, symbolic links, sizes, the
 * folder walk), privilege dropping, and atomic writing that leaves the
 * old file alone when anything fails.
 */
#include <config.h>

#include <sys/fsuid.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "seckey_file.h"
#include "seckey_priv.h"
#include "tap.h"
#include "testutil.h"

/* A uid and gid nobody on a test machine uses. */
#define OTHER_ID	54321

static char *home;
static struct seckey_user user;

static const char *
at(const char *name)
{
	static char path[4][PATH_MAX + 64];
	static int next;

	next = (next + 1) % 4;
	snprintf(path[next], sizeof(path[next]), "%s/%s", home, name);
	return path[next];
}

static int
read_file(const char *name, char **data, struct seckey_diag *diag)
{
	size_t len;

	*data = NULL;
	seckey_diag_clear(diag);
	return seckey_file_read(at(name), &user, data, &len, diag);
}

static void
test_read(void)
{
	struct seckey_diag diag;
	char *data;

	write_text(at("keys.conf"), "hello\n", 0600);
	is_int(read_file("keys.conf", &data, &diag), SECKEY_OK,
	    "read a safe file");
	is_str(data, "hello\n", "its contents");
	free(data);
	chmod(at("keys.conf"), 0644);
	is_int(read_file("keys.conf", &data, &diag), SECKEY_OK,
	    "a world-readable file is fine");
	free(data);

	is_int(read_file("missing.conf", &data, &diag), SECKEY_ERR_NOENT,
	    "a missing file is NOENT");
	ok(data == NULL, "and gives no data");
	is_int(read_file("nodir/keys.conf", &data, &diag), SECKEY_ERR_NOENT,
	    "a missing folder is NOENT too");
	is_int(seckey_file_read("relative/keys.conf", &user, &data,
	    &(size_t){ 0 }, &diag), SECKEY_ERR_INVAL, "a relative path");
	is_int(read_file("../keys.conf", &data, &diag), SECKEY_ERR_INVAL,
	    "a path with ..");
	is_int(read_file("./keys.conf", &data, &diag), SECKEY_ERR_INVAL,
	    "a path with .");
	is_int(read_file("sub/", &data, &diag), SECKEY_ERR_INVAL,
	    "a path ending in /");
}

static void
test_modes(void)
{
	struct seckey_diag diag;
	char *data;

	write_text(at("gw.conf"), "x", 0620);
	is_int(read_file("gw.conf", &data, &diag), SECKEY_ERR_PERM,
	    "a group-writable file is refused");
	has_str(diag.msg, "writable by group or others", "and says why");
	write_text(at("ww.conf"), "x", 0602);
	is_int(read_file("ww.conf", &data, &diag), SECKEY_ERR_PERM,
	    "a world-writable file is refused");

	mkdir(at("gwdir"), 0770);
	chmod(at("gwdir"), 0770);
	write_text(at("gwdir/keys.conf"), "x", 0600);
	is_int(read_file("gwdir/keys.conf", &data, &diag), SECKEY_ERR_PERM,
	    "a file in a group-writable folder is refused");
	is_str(diag.file, at("gwdir"), "the message names the folder");

	chmod(home, 0770);
	write_text(at("keys.conf"), "x", 0600);
	is_int(read_file("keys.conf", &data, &diag), SECKEY_ERR_PERM,
	    "a group-writable home is refused");
	chmod(home, 0700);

	mkfifo(at("fifo"), 0600);
	is_int(read_file("fifo", &data, &diag), SECKEY_ERR_PERM,
	    "a FIFO is refused, without hanging");
	is_int(read_file("gwdir", &data, &diag), SECKEY_ERR_PERM,
	    "a folder is refused");
}

static void
test_symlinks(void)
{
	struct seckey_diag diag;
	char *data;

	write_text(at("real.conf"), "x", 0600);
	symlink(at("real.conf"), at("link.conf"));
	is_int(read_file("link.conf", &data, &diag), SECKEY_ERR_PERM,
	    "a symbolic link is refused");
	has_str(diag.msg, "symbolic link", "and named as such");

	mkdir(at("realdir"), 0700);
	write_text(at("realdir/keys.conf"), "x", 0600);
	symlink(at("realdir"), at("linkdir"));
	is_int(read_file("linkdir/keys.conf", &data, &diag), SECKEY_ERR_PERM,
	    "a symbolic link to a folder is refused");
	is_int(read_file("realdir/keys.conf", &data, &diag), SECKEY_OK,
	    "the real folder is fine");
	free(data);
}

static void
test_size(void)
{
	struct seckey_diag diag;
	char *big, *data;

	big = malloc(SECKEY_FILE_MAX + 2);
	memset(big, 'a', SECKEY_FILE_MAX + 1);
	big[SECKEY_FILE_MAX] = '\0';
	write_text(at("max.conf"), big, 0600);
	is_int(read_file("max.conf", &data, &diag), SECKEY_OK,
	    "a file of exactly 64 KiB is read");
	ok(data != NULL && strlen(data) == SECKEY_FILE_MAX, "whole");
	free(data);
	big[SECKEY_FILE_MAX] = 'a';
	big[SECKEY_FILE_MAX + 1] = '\0';
	write_text(at("big.conf"), big, 0600);
	is_int(read_file("big.conf", &data, &diag), SECKEY_ERR_TOOBIG,
	    "one byte more is refused");
	free(big);
}

static void
test_walk_to_root(void)
{
	struct seckey_user elsewhere = user;
	struct seckey_diag diag;
	char *data;
	size_t len;

	/* Outside the home the walk goes up to /, and meets /tmp. */
	elsewhere.home = "/nonexistent-home";
	write_text(at("keys.conf"), "x", 0600);
	is_int(seckey_file_read(at("keys.conf"), &elsewhere, &data, &len,
	    &diag), SECKEY_ERR_PERM, "outside the home every folder counts");
	note("%s: %s", diag.file, diag.msg);
	is_int(seckey_file_read(at("keys.conf"), NULL, &data, &len, &diag),
	    SECKEY_ERR_PERM, "a root-only file below a sticky folder");
	is_int(seckey_file_read("/", NULL, &data, &len, &diag),
	    SECKEY_ERR_INVAL, "/ is not a file");
	/* The offline cache asks without a diag: no message, same code. */
	is_int(seckey_file_read("/nonexistent-seckey-test/file", NULL, &data, &len,
	    NULL), SECKEY_ERR_NOFOLDER,
	    "a missing folder below /, asked without a diag");
}

static void
test_owner(void)
{
	struct seckey_diag diag;
	char *data;

	if (!is_root()) {
		skip(3, "changing owners needs root");
		return;
	}
	write_text(at("theirs.conf"), "x", 0600);
	chown(at("theirs.conf"), OTHER_ID, OTHER_ID);
	is_int(read_file("theirs.conf", &data, &diag), SECKEY_ERR_PERM,
	    "a file owned by someone else is refused");
	has_str(diag.msg, "owned by uid 54321", "and says by whom");
	mkdir(at("theirdir"), 0755);
	chown(at("theirdir"), OTHER_ID, OTHER_ID);
	write_text(at("theirdir/keys.conf"), "x", 0600);
	is_int(read_file("theirdir/keys.conf", &data, &diag), SECKEY_ERR_PERM,
	    "a folder owned by someone else is refused");
}

static void
test_priv(void)
{
	struct seckey_priv saved;
	struct seckey_diag diag;
	gid_t groups[4];

	if (!is_root()) {
		is_int(seckey_priv_drop(OTHER_ID, OTHER_ID, &saved, &diag),
		    SECKEY_OK, "dropping is a no-op when not root");
		ok(!saved.active, "and says so");
		is_int(seckey_priv_restore(&saved, &diag), SECKEY_OK,
		    "restoring it too");
		skip(3, "switching identities needs root");
		return;
	}
	is_int(seckey_priv_drop(OTHER_ID, OTHER_ID + 1, &saved, &diag),
	    SECKEY_OK, "drop to another user");
	ok(setfsuid((uid_t)-1) == OTHER_ID && setfsgid((gid_t)-1) ==
	    OTHER_ID + 1, "file system uid and gid switched");
	ok(getgroups(4, groups) == 1 && groups[0] == OTHER_ID + 1,
	    "the gid is the only supplementary group");
	is_int(seckey_priv_restore(&saved, &diag), SECKEY_OK, "restore");
	ok(setfsuid((uid_t)-1) == 0 && setfsgid((gid_t)-1) == 0,
	    "root again");
	is_int(seckey_priv_restore(&saved, &diag), SECKEY_OK,
	    "restoring twice is harmless");
}

static int
replace(const char *name, const char *text, int flags,
    struct seckey_diag *diag)
{
	struct seckey_lock *lock = NULL;
	int r;

	if ((r = seckey_file_lock(at(name), &user, flags, &lock, diag)) != 0)
		return r;
	r = seckey_file_replace(lock, text, strlen(text), diag);
	seckey_file_unlock(&lock);

	return r;
}

static void
test_write(void)
{
	struct seckey_lock *lock = NULL, *other = NULL;
	struct seckey_diag diag;
	struct stat st;

	is_int(replace("a/b/keys.conf", "one\n", 0, &diag), SECKEY_ERR_NOENT,
	    "no folders are made unless asked");
	is_int(replace("a/b/keys.conf", "one\n", SECKEY_FILE_MKDIR, &diag),
	    SECKEY_OK, "write a new file, making its folders");
	is_str(read_text(at("a/b/keys.conf")), "one\n", "its contents");
	ok(stat(at("a/b/keys.conf"), &st) == 0 &&
	    (st.st_mode & 07777) == 0600, "mode 0600");
	ok(stat(at("a/b"), &st) == 0 && S_ISDIR(st.st_mode) &&
	    (st.st_mode & 07777) == 0700, "new folders are 0700");
	is_int(replace("a/b/keys.conf", "two\n", 0, &diag), SECKEY_OK,
	    "replace it");
	is_str(read_text(at("a/b/keys.conf")), "two\n", "new contents");
	ok(access(at("a/b/.keys.conf.tmp"), F_OK) != 0,
	    "no temporary file is left");

	write_text(at("a/b/.keys.conf.tmp"), "stale", 0600);
	is_int(replace("a/b/keys.conf", "three\n", 0, &diag), SECKEY_OK,
	    "a crash's leftover temporary file is no obstacle");
	is_str(read_text(at("a/b/keys.conf")), "three\n", "new contents");

	is_int(seckey_file_lock(at("a/b/keys.conf"), &user, 0, &lock, &diag),
	    SECKEY_OK, "lock");
	is_int(seckey_file_lock(at("a/b/keys.conf"), &user, 0, &other, &diag),
	    SECKEY_ERR_LOCKED, "a second writer is turned away");
	ok(other == NULL, "without a lock");
	seckey_file_unlock(&lock);
	ok(lock == NULL, "unlock sets the pointer to NULL");
	is_int(seckey_file_lock(at("a/b/keys.conf"), &user, 0, &other, &diag),
	    SECKEY_OK, "after unlocking the lock is free");
	seckey_file_unlock(&other);

	chmod(at("a"), 0770);
	is_int(replace("a/b/keys.conf", "four\n", 0, &diag), SECKEY_ERR_PERM,
	    "writing below an unsafe folder is refused");
	chmod(at("a"), 0700);
}

/* RLIMIT_FSIZE makes write() fail half-way, even for root. */
static void
test_failed_write(void)
{
	struct rlimit old, small;
	struct seckey_diag diag;
	char big[4096];
	int r;

	write_text(at("keep.conf"), "old contents\n", 0600);
	memset(big, 'n', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	signal(SIGXFSZ, SIG_IGN);
	getrlimit(RLIMIT_FSIZE, &old);
	small = old;
	small.rlim_cur = 100;
	setrlimit(RLIMIT_FSIZE, &small);
	r = replace("keep.conf", big, 0, &diag);
	setrlimit(RLIMIT_FSIZE, &old);
	signal(SIGXFSZ, SIG_DFL);
	is_int(r, SECKEY_ERR_IO, "a write that fails half-way is an error");
	note("%s: %s", diag.file, diag.msg);
	is_str(read_text(at("keep.conf")), "old contents\n",
	    "the old file is exactly as it was");
	ok(access(at(".keep.conf.tmp"), F_OK) != 0,
	    "the temporary file is gone");

	if (is_root()) {
		skip(2, "root writes into read-only folders");
		return;
	}
	mkdir(at("ro"), 0700);
	write_text(at("ro/keep.conf"), "old\n", 0600);
	chmod(at("ro"), 0500);
	ok(replace("ro/keep.conf", "new\n", 0, &diag) != SECKEY_OK,
	    "a read-only folder makes the write fail");
	is_str(read_text(at("ro/keep.conf")), "old\n", "the old file stays");
	chmod(at("ro"), 0700);
}

/* As root, a file in a user's home is written with the user's identity. */
static void
test_write_as_user(void)
{
	struct seckey_user other = { "other", OTHER_ID, OTHER_ID, NULL };
	struct seckey_diag diag;
	struct seckey_lock *lock = NULL;
	char *data;
	size_t len;
	struct stat st;
	char other_home[PATH_MAX + 64];
	int r;

	if (!is_root()) {
		skip(6, "writing for another user needs root");
		return;
	}
	chmod(home, 0711);
	mkdir(at("other"), 0700);
	chown(at("other"), OTHER_ID, OTHER_ID);
	snprintf(other_home, sizeof(other_home), "%s", at("other"));
	other.home = other_home;
	r = seckey_file_lock(at("other/.config/seckey/keys.conf"), &other,
	    SECKEY_FILE_MKDIR, &lock, &diag);
	is_int(r, SECKEY_OK, "lock in the user's home, making folders");
	if (r == SECKEY_OK)
		r = seckey_file_replace(lock, "mine\n", 5, &diag);
	seckey_file_unlock(&lock);
	is_int(r, SECKEY_OK, "write it");
	ok(stat(at("other/.config/seckey"), &st) == 0 &&
	    st.st_uid == OTHER_ID, "the new folders belong to the user");
	ok(stat(at("other/.config/seckey/keys.conf"), &st) == 0 &&
	    st.st_uid == OTHER_ID && (st.st_mode & 07777) == 0600,
	    "so does the file, mode 0600");
	is_int(seckey_file_read(at("other/.config/seckey/keys.conf"), &other,
	    &data, &len, &diag), SECKEY_OK, "read back as the user");
	free(data);
	ok(setfsuid((uid_t)-1) == 0, "and root again afterwards");
	chmod(home, 0700);
}

int
main(void)
{
	home = scratch_new();
	user.name = "tester";
	user.uid = getuid();
	user.gid = getgid();
	user.home = home;

	test_read();
	test_modes();
	test_symlinks();
	test_size();
	test_walk_to_root();
	test_owner();
	test_priv();
	test_write();
	test_failed_write();
	test_write_as_user();

	scratch_remove(&home);

	return done();
}
