/*
 * test_handles.c: the user handle index (seckey_handles.h): the
 * record's text read and refused, and, as root in a folder of root's,
 * a handle learned, looked up, relearned for another account, and
 * forgotten; a record that is unsafe is not trusted.
 */
#include <config.h>

#include <sys/stat.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "seckey_handles.h"
#include "seckey_state.h"
#include "tap.h"
#include "testutil.h"

#define SCRATCH_BASE	"/run/pam_seckey-tests"
#define RP		"pam://test.host"
#define HEADER		"# pam_seckey user handle index record; see " \
			"pam_seckey(8)\n"

static const unsigned char handle[32] = { 0x01, 0x02, 0x03, 0xfe };

static void
test_parse(void)
{
	static const struct { const char *text; const char *user; } cases[] = {
		{ HEADER "version 1\nuser alice\n", "alice" },
		{ HEADER "version 1\nuser j\xc3\xa9r\xc3\xb4me\n",
		    "j\xc3\xa9r\xc3\xb4me" },
		{ HEADER "version 1\nuser alice", NULL },	/* no newline */
		{ HEADER "version 1\nuser \n", NULL },		/* no name */
		{ HEADER "version 1\nuser al ice\n", NULL },
		{ HEADER "version 1\nuser ../root\n", NULL },
		{ HEADER "version 1\nuser alice\nuser bob\n", NULL },
		{ HEADER "version 2\nuser alice\n", NULL },
		{ "version 1\nuser alice\n", NULL },		/* no header */
		{ HEADER "version 1\nuser al\tice\n", NULL },
	};
	struct seckey_diag diag;
	char *user;
	size_t i;
	int r;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		seckey_diag_clear(&diag);
		r = seckey_handles_parse(cases[i].text, strlen(cases[i].text),
		    "/rec", &user, &diag);
		if (cases[i].user != NULL)
			is_str(r == SECKEY_OK ? user : diag.msg,
			    cases[i].user, "record %zu names %s", i,
			    cases[i].user);
		else
			ok(r == SECKEY_ERR_SYNTAX && user == NULL &&
			    strstr(diag.msg, "not a user handle index "
			    "record") != NULL, "record %zu is refused: %s", i,
			    diag.msg);
		free(user);
	}
}

/* The longest name a record holds, and one byte more. */
static void
test_long_name(void)
{
	char text[sizeof(HEADER) + 32 + SECKEY_HANDLES_USER_MAX + 2];
	struct seckey_diag diag;
	char *user = NULL;
	int n;

	n = snprintf(text, sizeof(text), HEADER "version 1\nuser %0*d\n",
	    SECKEY_HANDLES_USER_MAX, 7);
	ok(seckey_handles_parse(text, (size_t)n, "/rec", &user, &diag) ==
	    SECKEY_OK && strlen(user) == SECKEY_HANDLES_USER_MAX,
	    "a name of %d bytes is read", SECKEY_HANDLES_USER_MAX);
	free(user);
	n = snprintf(text, sizeof(text), HEADER "version 1\nuser %0*d\n",
	    SECKEY_HANDLES_USER_MAX + 1, 7);
	ok(seckey_handles_parse(text, (size_t)n, "/rec", &user, &diag) ==
	    SECKEY_ERR_SYNTAX, "one byte more is refused");
}

static void
test_index(const char *state_dir)
{
	struct seckey_diag diag;
	char path[PATH_MAX], *user = NULL;
	struct stat st;

	seckey_diag_clear(&diag);
	is_int(seckey_handles_lookup(state_dir, RP, handle, sizeof(handle),
	    &user, &diag), SECKEY_ERR_NOENT, "no folder yet: no record");
	ok(seckey_handles_learn(state_dir, RP, handle, sizeof(handle),
	    "alice", &diag) == SECKEY_OK, "alice's handle is learned: %s",
	    diag.msg);
	ok(seckey_state_path(state_dir, SECKEY_HANDLES_DIR, RP, handle,
	    sizeof(handle), path, sizeof(path), &diag) == SECKEY_OK &&
	    stat(path, &st) == 0 && (st.st_mode & 07777) == 0644 &&
	    st.st_uid == 0, "the record is root's, 0644");
	ok(seckey_handles_lookup(state_dir, RP, handle, sizeof(handle),
	    &user, &diag) == SECKEY_OK && strcmp(user, "alice") == 0,
	    "the handle names alice");
	free(user);
	user = NULL;
	is_int(seckey_handles_lookup(state_dir, "pam://other", handle,
	    sizeof(handle), &user, &diag), SECKEY_ERR_NOENT,
	    "the same handle for another rp_id names no one");
	is_int(seckey_handles_learn(state_dir, RP, handle, sizeof(handle),
	    "../bob", &diag), SECKEY_ERR_INVAL, "a name with a '/' is not "
	    "learned");
	ok(seckey_handles_learn(state_dir, RP, handle, sizeof(handle), "bob",
	    &diag) == SECKEY_OK && seckey_handles_lookup(state_dir, RP,
	    handle, sizeof(handle), &user, &diag) == SECKEY_OK &&
	    strcmp(user, "bob") == 0, "learned again for bob, it names bob");
	free(user);
	user = NULL;
	ok(chmod(path, 0666) == 0 && seckey_handles_lookup(state_dir, RP,
	    handle, sizeof(handle), &user, &diag) == SECKEY_ERR_PERM &&
	    user == NULL, "a record others may write is not trusted: %s",
	    diag.msg);
	ok(chmod(path, 0644) == 0 && seckey_handles_forget(state_dir, RP,
	    handle, sizeof(handle), &diag) == SECKEY_OK &&
	    access(path, F_OK) != 0, "forgotten: the record is gone");
	ok(seckey_handles_forget(state_dir, RP, handle, sizeof(handle),
	    &diag) == SECKEY_OK, "forgetting it again is fine");
}

int
main(void)
{
	char base[PATH_MAX], state_dir[PATH_MAX + 16], *dir;

	test_parse();
	test_long_name();
	if (!is_root()) {
		skip(10, "the index is root's: needs root");
		return done();
	}
	if (mkdir(SCRATCH_BASE, 0755) != 0 && access(SCRATCH_BASE, F_OK) != 0) {
		skip(10, "no folder of root's for the index");
		return done();
	}
	snprintf(base, sizeof(base), "%s/handles.XXXXXX", SCRATCH_BASE);
	if (mkdtemp(base) == NULL || chmod(base, 0755) != 0 ||
	    (dir = strdup(base)) == NULL) {
		perror("mkdtemp");
		return 99;
	}
	snprintf(state_dir, sizeof(state_dir), "%s/state", base);
	test_index(state_dir);
	scratch_remove(&dir);

	return done();
}
