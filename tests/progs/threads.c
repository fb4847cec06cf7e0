/*
 * threads: a threaded PAM application, as a display manager or a server
 * that checks passwords is one: several threads call pam_start(),
 * pam_authenticate() and pam_end() at the same time, for several users,
 * with the real libpam (pam_start_confdir(), no pam_wrapper).
 *
 *   threads [--watch] [--pin PIN] CONFDIR ROUNDS THREADS CASE...
 *       CASE: SERVICE:USER:EXPECTED, EXPECTED a PAM code's name
 *
 * Each thread runs ROUNDS sign-ins, going through the cases from a
 * different starting point, and checks that each one ends with its
 * expected code.  A prompt for the PIN is answered with PIN (or refused
 * without --pin); any other prompt fails the conversation.  With
 * --watch, one more thread reads its own supplementary groups and file
 * system ids in a loop while the sign-ins run: another thread's sign-in
 * must never change them.  Prints one line of counts per code and
 * "mismatches N", "group-changes N", "fsid-changes N"; exits 0 only
 * when all three are 0.
 */
#include "config.h"

#include <pthread.h>
#include <pwd.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <unistd.h>

#include <security/pam_appl.h>

#define MAX_CASES	16
#define MAX_THREADS	32
#define MAX_GROUPS	256

struct test_case {
	char	*service;
	char	*user;
	int	 expected;
};

struct code_name {
	int		 code;
	const char	*name;
};

#define CODE(c) { c, #c }
static const struct code_name code_names[] = {
	CODE(PAM_SUCCESS), CODE(PAM_SERVICE_ERR), CODE(PAM_SYSTEM_ERR),
	CODE(PAM_BUF_ERR), CODE(PAM_PERM_DENIED), CODE(PAM_AUTH_ERR),
	CODE(PAM_AUTHINFO_UNAVAIL), CODE(PAM_USER_UNKNOWN),
	CODE(PAM_MAXTRIES), CODE(PAM_NO_MODULE_DATA), CODE(PAM_CONV_ERR),
	CODE(PAM_IGNORE), CODE(PAM_ABORT), CODE(PAM_OPEN_ERR),
};
#define NCODES	(sizeof(code_names) / sizeof(code_names[0]))

static struct test_case cases[MAX_CASES];
static size_t ncases;
static const char *confdir;
static const char *pin;
static long rounds;
static atomic_long counts[NCODES + 1];
static atomic_long mismatches, group_changes, fsid_changes;
static atomic_bool done;
/*
 * One virtual key, like one person's key: a sign-in meant to succeed
 * holds it from the probe to the assertion, since a second sign-in's PIN
 * token would void the first's, as on a real key.  Every other case runs
 * beside it, on the other threads.
 */
static pthread_mutex_t key_lock = PTHREAD_MUTEX_INITIALIZER;

static const char *
code_name(int code)
{
	size_t i;

	for (i = 0; i < NCODES; i++)
		if (code_names[i].code == code)
			return code_names[i].name;
	return "other";
}

static int
code_of(const char *name)
{
	size_t i;

	for (i = 0; i < NCODES; i++)
		if (strcmp(code_names[i].name, name) == 0)
			return code_names[i].code;
	return -1;
}

static size_t
count_slot(int code)
{
	size_t i;

	for (i = 0; i < NCODES; i++)
		if (code_names[i].code == code)
			return i;
	return NCODES;
}

static void
free_replies(struct pam_response *replies, int n)
{
	int i;

	for (i = 0; i < n; i++)
		free(replies[i].resp);
	free(replies);
}

/* The PIN for an echo-off prompt; text messages are fine; else fail. */
static int
conv(int n, const struct pam_message **msgs, struct pam_response **resp,
    void *data)
{
	struct pam_response *replies;
	int i;

	(void)data;
	if (n <= 0 || (replies = calloc((size_t)n,
	    sizeof(*replies))) == NULL)
		return PAM_CONV_ERR;
	for (i = 0; i < n; i++) {
		if (msgs[i]->msg_style == PAM_TEXT_INFO ||
		    msgs[i]->msg_style == PAM_ERROR_MSG)
			continue;
		if (msgs[i]->msg_style != PAM_PROMPT_ECHO_OFF || pin == NULL ||
		    (replies[i].resp = strdup(pin)) == NULL) {
			free_replies(replies, n);
			return PAM_CONV_ERR;
		}
	}
	*resp = replies;

	return PAM_SUCCESS;
}

static int
sign_in(const struct test_case *tc)
{
	struct pam_conv pc = { conv, NULL };
	pam_handle_t *pamh = NULL;
	int r;

	if ((r = pam_start_confdir(tc->service, tc->user, &pc, confdir,
	    &pamh)) != PAM_SUCCESS)
		return r;
	r = pam_authenticate(pamh, 0);
	pam_end(pamh, r);

	return r;
}

static void *
signer(void *arg)
{
	size_t first = (size_t)(unsigned long)arg;
	const struct test_case *tc;
	long i;
	int r;

	for (i = 0; i < rounds; i++) {
		tc = &cases[(first + (size_t)i) % ncases];
		if (tc->expected == PAM_SUCCESS)
			pthread_mutex_lock(&key_lock);
		r = sign_in(tc);
		if (tc->expected == PAM_SUCCESS)
			pthread_mutex_unlock(&key_lock);
		atomic_fetch_add(&counts[count_slot(r)], 1);
		if (r != tc->expected &&
		    atomic_fetch_add(&mismatches, 1) < 5)
			fprintf(stderr, "threads: %s %s: %s, expected %s\n",
			    tc->service, tc->user, code_name(r),
			    code_name(tc->expected));
	}

	return NULL;
}

static int
groups_of(gid_t *groups)
{
	return getgroups(MAX_GROUPS, groups);
}

/* This thread's groups and file system ids must stay what they were. */
static void *
watcher(void *arg)
{
	gid_t before[MAX_GROUPS], now[MAX_GROUPS];
	uid_t fsuid = (uid_t)setfsuid((uid_t)-1);
	gid_t fsgid = (gid_t)setfsgid((gid_t)-1);
	int n, m;

	(void)arg;
	if ((n = groups_of(before)) < 0) {
		atomic_fetch_add(&group_changes, 1);
		return NULL;
	}
	while (!atomic_load(&done)) {
		m = groups_of(now);
		if (m != n || memcmp(before, now, (size_t)n *
		    sizeof(gid_t)) != 0) {
			if (atomic_fetch_add(&group_changes, 1) == 0)
				fprintf(stderr, "threads: the watcher's groups "
				    "changed (%d groups, first %ld)\n", m,
				    m > 0 ? (long)now[0] : -1L);
		}
		if ((uid_t)setfsuid((uid_t)-1) != fsuid ||
		    (gid_t)setfsgid((gid_t)-1) != fsgid)
			atomic_fetch_add(&fsid_changes, 1);
		/* valgrind runs one thread at a time: let the others run. */
		sched_yield();
	}

	return NULL;
}

static int
parse_case(char *arg, struct test_case *tc)
{
	char *user, *expected;

	if ((user = strchr(arg, ':')) == NULL ||
	    (expected = strchr(user + 1, ':')) == NULL)
		return -1;
	*user++ = '\0';
	*expected++ = '\0';
	tc->service = arg;
	tc->user = user;
	if ((tc->expected = code_of(expected)) < 0)
		return -1;

	return 0;
}

/*
 * Looks every case's user up once before the threads start.  nss_wrapper
 * (which stands in for /etc/passwd here) parses its file on the first
 * lookup without a lock, so a thread that looks up while another is still
 * loading sees a half-read list and gets "no such user"; glibc's own
 * files backend has no such window.  Warming it keeps the test about the
 * module's threads, not the harness's.
 */
static int
warm_nss(void)
{
	struct passwd pwbuf, *pw;
	char buf[4096];
	size_t i;

	for (i = 0; i < ncases; i++)
		if (getpwnam_r(cases[i].user, &pwbuf, buf, sizeof(buf),
		    &pw) != 0 || pw == NULL) {
			fprintf(stderr, "threads: no user %s\n", cases[i].user);
			return -1;
		}
	return 0;
}

static int
usage(void)
{
	fprintf(stderr, "usage: threads [--watch] [--pin PIN] CONFDIR ROUNDS "
	    "THREADS SERVICE:USER:EXPECTED...\n");
	return 2;
}

static void
report(void)
{
	size_t i;

	for (i = 0; i <= NCODES; i++)
		if (atomic_load(&counts[i]) > 0)
			printf("%s %ld\n", i < NCODES ? code_names[i].name :
			    "other", atomic_load(&counts[i]));
	printf("mismatches %ld\ngroup-changes %ld\nfsid-changes %ld\n",
	    atomic_load(&mismatches), atomic_load(&group_changes),
	    atomic_load(&fsid_changes));
}

int
main(int argc, char **argv)
{
	pthread_t threads[MAX_THREADS], watch_thread;
	bool watch = false;
	long nthreads, i;
	int a = 1;

	for (; a < argc && strncmp(argv[a], "--", 2) == 0; a++) {
		if (strcmp(argv[a], "--watch") == 0)
			watch = true;
		else if (strcmp(argv[a], "--pin") == 0 && a + 1 < argc)
			pin = argv[++a];
		else
			return usage();
	}
	if (argc - a < 4)
		return usage();
	confdir = argv[a];
	rounds = strtol(argv[a + 1], NULL, 10);
	nthreads = strtol(argv[a + 2], NULL, 10);
	if (rounds < 1 || nthreads < 1 || nthreads > MAX_THREADS)
		return usage();
	for (a += 3; a < argc; a++) {
		if (ncases == MAX_CASES || parse_case(argv[a],
		    &cases[ncases++]) != 0)
			return usage();
	}
	if (warm_nss() != 0)
		return 1;

	if (watch && pthread_create(&watch_thread, NULL, watcher, NULL) != 0)
		return 1;
	for (i = 0; i < nthreads; i++)
		if (pthread_create(&threads[i], NULL, signer,
		    (void *)(unsigned long)i) != 0)
			return 1;
	for (i = 0; i < nthreads; i++)
		pthread_join(threads[i], NULL);
	atomic_store(&done, true);
	if (watch)
		pthread_join(watch_thread, NULL);
	report();

	return atomic_load(&mismatches) == 0 &&
	    atomic_load(&group_changes) == 0 &&
	    atomic_load(&fsid_changes) == 0 ? 0 : 1;
}
