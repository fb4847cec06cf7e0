/*
 * pam_world.c: the private folder, the PAM handle and conversation, and
 * the checks of fuzz_pam (see pam_world.h).
 */
#include <config.h>

#include <sys/random.h>
#include <sys/stat.h>

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <security/pam_appl.h>
#include <security/pam_modules.h>

#include "fakekey.h"
#include "fuzz_check.h"
#include "pam_world.h"
#include "seckey_file.h"
#include "syslog_hook.h"
#include "vclock.h"

#define CANARY_LEN	32

/* Where the build put pam_trampoline.so; see pam_trampoline.c. */
#ifndef FUZZ_TRAMPOLINE
#define FUZZ_TRAMPOLINE	"fuzz/.libs/pam_trampoline.so"
#endif

int fuzz_pam_authenticate(pam_handle_t *pamh, int flags, int argc,
    const char **argv);

static const char *const services[] = { "login", "sudo", "passwd",
    "chpasswd" };

static struct {
	bool	ready;
	bool	verbose;
	char	dir[PATH_MAX - 64];
	char	policy[PATH_MAX];
	char	keys[PATH_MAX];
	char	confdir[PATH_MAX];
	char	service_file[PATH_MAX];
	char	self[256];
	/* What the module returned, under pam_authenticate(). */
	int	module_result;
	bool	module_called;
	/* Looked for in every syslog line; empty when not in use. */
	char	pin_canary[CANARY_LEN];
	char	user_canary[CANARY_LEN];
} w;

/* What the conversation answers, and what it saw. */
struct conv_state {
	const char	*pin;
	bool		 pin_fails;
	const char	*user;		/* for pam_get_user's prompt */
	unsigned int	 pin_prompts;
};

static void say(const char *fmt, ...)
    __attribute__((__format__(__printf__, 1, 2)));

static void
say(const char *fmt, ...)
{
	va_list ap;

	if (!w.verbose)
		return;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

static void
check_line(const char *line)
{
	size_t i;

	for (i = 0; line[i] != '\0'; i++)
		FUZZ_CHECK((unsigned char)line[i] >= 0x20 &&
		    (unsigned char)line[i] != 0x7f);
	FUZZ_CHECK(w.pin_canary[0] == '\0' ||
	    strstr(line, w.pin_canary) == NULL);
	FUZZ_CHECK(w.user_canary[0] == '\0' ||
	    strstr(line, w.user_canary) == NULL);
}

static void
log_line(int priority, const char *line)
{
	say("syslog: %s\n", line);
	check_line(line);
}

static int
write_file(const char *path, const char *prefix, const struct pam_blob *body,
    mode_t mode)
{
	size_t len = strlen(prefix);
	int fd, r = -1;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW |
	    O_CLOEXEC, 0600)) < 0)
		return -1;
	if (write(fd, prefix, len) == (ssize_t)len &&
	    (body == NULL || body->len == 0 ||
	    write(fd, body->ptr, body->len) == (ssize_t)body->len) &&
	    fchmod(fd, mode) == 0)
		r = 0;
	if (close(fd) != 0)
		r = -1;

	return r;
}

/* Would the module trust a file here?  Asked of libseckey itself. */
static int
usable(const char *dir)
{
	struct seckey_user self = { "", geteuid(), getegid(), NULL };
	struct seckey_diag diag;
	char path[PATH_MAX], *data = NULL;
	size_t len;
	int r;

	snprintf(path, sizeof(path), "%s/probe", dir);
	if (write_file(path, "enabled = false\n", NULL, 0644) != 0)
		return -1;
	seckey_diag_clear(&diag);
	r = seckey_file_read(path, geteuid() == 0 ? NULL : &self, &data, &len,
	    &diag);
	free(data);
	unlink(path);
	if (r != SECKEY_OK)
		say("fuzz_pam: %s\n", diag.msg);

	return r == SECKEY_OK ? 0 : -1;
}

static int
remove_entry(const char *path, const struct stat *st, int type,
    struct FTW *ftw)
{
	return remove(path);
}

static int
make_dir(const char *parent)
{
	char templ[sizeof(w.dir)];

	if (parent == NULL || parent[0] != '/' ||
	    snprintf(templ, sizeof(templ), "%s/seckey-fuzz.XXXXXX",
	    parent) >= (int)sizeof(templ) || mkdtemp(templ) == NULL)
		return -1;
	if (chmod(templ, 0755) != 0 || usable(templ) != 0) {
		rmdir(templ);
		return -1;
	}
	memcpy(w.dir, templ, sizeof(w.dir));

	return 0;
}

static int
make_world(void)
{
	char cwd[PATH_MAX];

	if (geteuid() == 0 && make_dir("/run") == 0)
		return 0;
	if (geteuid() != 0 && make_dir(getenv("XDG_RUNTIME_DIR")) == 0)
		return 0;
	if (getcwd(cwd, sizeof(cwd)) != NULL && make_dir(cwd) == 0)
		return 0;

	return -1;
}

/*
 * pam_trampoline.so is loaded once here and never unloaded, so that
 * libpam's dlopen and dlclose of it at every sign-in cost nothing.
 */
static int
load_trampoline(char *why, size_t why_len)
{
	if (dlopen(FUZZ_TRAMPOLINE, RTLD_NOW | RTLD_NODELETE) == NULL) {
		snprintf(why, why_len, "%s", dlerror());
		return -1;
	}

	return 0;
}

int
pam_world_init(char *why, size_t why_len)
{
	struct passwd *pw;

	if (w.ready)
		return 0;
	why[0] = '\0';
	w.verbose = w.verbose || getenv("FUZZ_PAM_VERBOSE") != NULL;
	if ((pw = getpwuid(geteuid())) == NULL ||
	    strlen(pw->pw_name) >= sizeof(w.self)) {
		snprintf(why, why_len, "the running user has no passwd entry");
		return -1;
	}
	strcpy(w.self, pw->pw_name);
	if (make_world() != 0) {
		snprintf(why, why_len, "no folder whose ancestors are all "
		    "owned by root or %s and writable by no one else (tried "
		    "/run, $XDG_RUNTIME_DIR, the current folder)", w.self);
		return -1;
	}
	snprintf(w.policy, sizeof(w.policy), "%s/pam_seckey.conf", w.dir);
	snprintf(w.keys, sizeof(w.keys), "%s/keys.conf", w.dir);
	snprintf(w.confdir, sizeof(w.confdir), "%s/pam.d", w.dir);
	snprintf(w.service_file, sizeof(w.service_file), "%s/pam.d/other",
	    w.dir);
	if (load_trampoline(why, why_len) != 0 ||
	    mkdir(w.confdir, 0755) != 0) {
		if (why[0] == '\0')
			snprintf(why, why_len, "cannot make %s", w.confdir);
		pam_world_cleanup();
		return -1;
	}
	syslog_hook = log_line;
	w.ready = true;

	return 0;
}

void
pam_world_cleanup(void)
{
	if (w.dir[0] == '\0')
		return;
	nftw(w.dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
	w.dir[0] = '\0';
	w.ready = false;
}

/* A failed check aborts, and libFuzzer then exits without atexit(). */
void
fuzz_check_failed(void)
{
	pam_world_cleanup();
}

void
pam_world_verbose(bool verbose)
{
	w.verbose = verbose;
}

/* A fresh random word, so that no input can carry it. */
static void
make_canary(char *canary, const char *what)
{
	unsigned char r[8];
	size_t i;
	int n;

	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
		abort();
	n = snprintf(canary, CANARY_LEN, "canary-%s-", what);
	for (i = 0; i < sizeof(r) && n + 2 < CANARY_LEN; i++, n += 2)
		snprintf(canary + n, CANARY_LEN - (size_t)n, "%02x", r[i]);
}

/* The first NUL ends a string taken from a field. */
static char *
field_string(const struct pam_input *in, int field)
{
	const struct pam_blob *b = &in->fields[field];
	char *s;

	if ((s = malloc(b->len + 1)) == NULL)
		abort();
	if (b->len > 0)
		memcpy(s, b->ptr, b->len);
	s[b->len] = '\0';

	return s;
}

static int
answer(const struct pam_message *msg, struct pam_response *resp,
    struct conv_state *cs)
{
	const char *reply = NULL;

	switch (msg->msg_style) {
	case PAM_PROMPT_ECHO_OFF:
		say("conv: echo-off: %s\n", msg->msg);
		cs->pin_prompts++;
		FUZZ_CHECK(cs->pin_prompts == 1);
		FUZZ_CHECK(fakekey_assertions() > 0);
		if (cs->pin_fails)
			return PAM_CONV_ERR;
		reply = cs->pin;
		break;
	case PAM_PROMPT_ECHO_ON:
		say("conv: echo-on: %s\n", msg->msg);
		reply = cs->user;
		break;
	default:
		say("conv: message: %s\n", msg->msg);
		FUZZ_CHECK(w.pin_canary[0] == '\0' ||
		    strstr(msg->msg, w.pin_canary) == NULL);
		return PAM_SUCCESS;
	}
	if ((resp->resp = strdup(reply)) == NULL)
		return PAM_BUF_ERR;

	return PAM_SUCCESS;
}

static int
conversation(int num_msg, const struct pam_message **msg,
    struct pam_response **resp, void *appdata)
{
	struct pam_response *replies;
	int i, r = PAM_SUCCESS;

	if (num_msg <= 0 || (replies = calloc((size_t)num_msg,
	    sizeof(*replies))) == NULL)
		return PAM_CONV_ERR;
	for (i = 0; i < num_msg && r == PAM_SUCCESS; i++)
		r = answer(msg[i], &replies[i], appdata);
	if (r != PAM_SUCCESS) {
		for (i = 0; i < num_msg; i++)
			free(replies[i].resp);
		free(replies);
		return r;
	}
	*resp = replies;

	return PAM_SUCCESS;
}

/* The name PAM_USER starts as; NULL leaves it to pam_get_user. */
static const char *
pam_user_of(const struct pam_input *in, const char *user_field)
{
	switch ((enum pam_user_choice)(in->options & PAM_OPT_USER_MASK)) {
	case PAM_USER_ROOT:
		return "root";
	case PAM_USER_SELF:
		return w.self;
	case PAM_USER_ITEM:
		return user_field;
	case PAM_USER_ASKED:
		return NULL;
	case PAM_USER_CANARY:
		make_canary(w.user_canary, "user");
		return w.user_canary;
	case PAM_USER_EMPTY:
		return "";
	case PAM_USER_DOTS:
		return "../root";
	case PAM_USER_DAEMON:
		return "daemon";
	}

	return "root";
}

/*
 * The harness's policy lines go first: the input can neither undo nor
 * hide them.  The module line names the trampoline, with the arguments
 * pam_seckey.so would get.
 */
static int
write_files(const struct pam_input *in)
{
	char prefix[2 * PATH_MAX + 96], stack[2 * PATH_MAX + 64];

	/* The signature counter records stay in the world's folder too. */
	snprintf(prefix, sizeof(prefix), "keys_file = \"%s\"\n"
	    "state_dir = \"%s/state\"\n%s%s", w.keys, w.dir,
	    in->devices & PAM_DEV_NO_ENABLE ? "" : "enabled = true\n",
	    in->devices & PAM_DEV_NO_TIMEOUT ? "" : "timeout = 1\n");
	snprintf(stack, sizeof(stack), "auth required %s conf=%s%s%s\n",
	    FUZZ_TRAMPOLINE, w.policy,
	    in->options & PAM_OPT_DEBUG ? " debug" : "",
	    in->devices & PAM_DEV_BAD_ARG ? " nodebug" : "");
	if (write_file(w.policy, prefix, &in->fields[PAM_FIELD_POLICY],
	    0644) != 0 ||
	    write_file(w.keys, "", &in->fields[PAM_FIELD_KEYS], 0600) != 0 ||
	    write_file(w.service_file, stack, NULL, 0644) != 0)
		return -1;

	return 0;
}

/*
 * pam_seckey.so's entry point, called by pam_trampoline.so from within
 * pam_authenticate(): what the module does to the handle is checked
 * here, where libpam still lets a module look.
 */
int
fuzz_pam_authenticate(pam_handle_t *pamh, int flags, int argc,
    const char **argv)
{
	const void *item;
	int r;

	vclock_start();
	r = pam_sm_authenticate(pamh, flags, argc, argv);
	vclock_stop();
	FUZZ_CHECK(pam_get_item(pamh, PAM_AUTHTOK, &item) == PAM_SUCCESS &&
	    item == NULL);
	FUZZ_CHECK(pam_get_item(pamh, PAM_OLDAUTHTOK, &item) == PAM_SUCCESS &&
	    item == NULL);
	w.module_result = r;
	w.module_called = true;

	return r;
}

int
pam_world_run(const struct pam_input *in, bool recording)
{
	struct conv_state cs;
	struct pam_conv conv = { conversation, &cs };
	const char *service;
	char *user_field, *pin_field;
	pam_handle_t *pamh = NULL;
	unsigned int nkeys;
	int r;

	FUZZ_CHECK(w.ready);
	if (write_files(in) != 0) {
		fprintf(stderr, "fuzz_pam: cannot write into %s\n", w.dir);
		abort();
	}
	w.pin_canary[0] = w.user_canary[0] = '\0';
	user_field = field_string(in, PAM_FIELD_USER);
	pin_field = field_string(in, PAM_FIELD_PIN);
	memset(&cs, 0, sizeof(cs));
	cs.user = user_field;
	cs.pin = pin_field;
	cs.pin_fails = (in->devices & PAM_DEV_CONV_FAIL) != 0;
	if (in->options & PAM_OPT_PIN_CANARY) {
		make_canary(w.pin_canary, "pin");
		cs.pin = w.pin_canary;
	}
	service = services[(in->options & PAM_OPT_SERVICE_MASK) >>
	    PAM_OPT_SERVICE_SHIFT];
	nkeys = in->devices & PAM_DEV_COUNT_MASK;
	if (!recording)
		fakekey_script(in->replies, in->nreplies, nkeys == 3 ? 1 :
		    nkeys, (in->devices & PAM_DEV_NFC) != 0,
		    (in->devices & PAM_DEV_PULL) != 0);
	if ((r = pam_start_confdir(service, pam_user_of(in, user_field), &conv,
	    w.confdir, &pamh)) != PAM_SUCCESS) {
		fprintf(stderr, "fuzz_pam: pam_start_confdir: %d\n", r);
		abort();
	}
	w.module_called = false;
	(void)pam_authenticate(pamh, in->options & PAM_OPT_SILENT ?
	    PAM_SILENT : 0);
	FUZZ_CHECK(w.module_called);
	r = w.module_result;
	say("result: %s\n", pam_strerror(pamh, r));
	FUZZ_CHECK(recording || r != PAM_SUCCESS);
	pam_end(pamh, r);
	free(user_field);
	free(pin_field);
	w.pin_canary[0] = w.user_canary[0] = '\0';

	return r;
}
