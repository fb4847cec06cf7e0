/*
 * main.c: seckey-keys-ldap [--conf PATH] [--edit] USER.  Reads the
 * configuration, asks each server in turn until one answers, and prints
 * USER's keys in pam_seckey's key-list syntax on stdout; a refusal
 * prints nothing.  With --edit, the conversation of seckey_ldap_edit.h
 * (edit.c).  The exit code says which ending it was (reader.h,
 * seckey-keys-ldap(8)).
 */
#include <config.h>

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "reader.h"
#include "seckey_ldap_edit.h"
#include "seckey_ldap_filter.h"

#define PROGRAM	"seckey-keys-ldap"

void
reader_say(const char *uri, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", PROGRAM);
	if (uri != NULL)
		fprintf(stderr, "%s: ", uri);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void
usage(FILE *fp)
{
	fprintf(fp, "usage: %s [--conf PATH] [--edit] USER\n"
	    "Print USER's security keys, read from the directory that\n"
	    "%s\n(or PATH) names, in pam_seckey's key-list syntax.\n"
	    "With --edit, bind as USER (or, as root, as the administrator),\n"
	    "print the list, read the new one on standard input and write\n"
	    "it (seckey-keys-ldap(8)).\n"
	    "Exit: 0 found (maybe none), 10 no such user, 11 no server\n"
	    "answered, 12 configuration or usage error, 13 answer refused;\n"
	    "--edit: 14 bind refused, 15 changed meanwhile, 16 change\n"
	    "refused, 17 no new list (nothing written in each case).\n",
	    PROGRAM, SECKEY_LDAP_CONF_PATH);
}

enum args {
	ARGS_RUN,	/* conf (maybe NULL) and user set */
	ARGS_DONE,	/* --help or --version answered */
	ARGS_BAD,
};

static enum args
parse_args(int argc, char **argv, const char **confp, const char **userp,
    bool *editp)
{
	int i = 1;

	if (argc == 2 && strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		return ARGS_DONE;
	}
	if (argc == 2 && strcmp(argv[1], "--version") == 0) {
		printf("%s %s\n", PROGRAM, PACKAGE_VERSION);
		return ARGS_DONE;
	}
	if (argc >= 4 && strcmp(argv[1], "--conf") == 0) {
		*confp = argv[2];
		i = 3;
	}
	if (argc == i + 2 && strcmp(argv[i], "--edit") == 0) {
		*editp = true;
		i++;
	}
	/* Options come first, so a user named "--x" is taken as it is. */
	if (argc != i + 1) {
		usage(stderr);
		return ARGS_BAD;
	}
	*userp = argv[i];

	return ARGS_RUN;
}

/* "seckey-keys-ldap: FILE:LINE: message", as much of it as is known. */
static void
say_diag(const struct seckey_diag *diag, int r)
{
	const char *msg = diag->msg[0] != '\0' ? diag->msg : seckey_strerror(r);

	if (diag->file[0] != '\0' && diag->line > 0)
		reader_say(NULL, "%s:%d: %s", diag->file, diag->line, msg);
	else if (diag->file[0] != '\0')
		reader_say(diag->file, "%s", msg);
	else
		reader_say(NULL, "%s", msg);
}

int
reader_print_list(const struct seckey_keylist *list, const char *user)
{
	struct seckey_diag diag;
	char *text = NULL;
	size_t len = 0;
	int r;

	seckey_diag_clear(&diag);
	if ((r = seckey_keylist_format(list, user, &text, &len,
	    &diag)) != SECKEY_OK) {
		reader_say(NULL, "%s", diag.msg);
		return SECKEY_READER_EXIT_UNAVAIL;
	}
	r = fwrite(text, 1, len, stdout) == len && fflush(stdout) == 0 ?
	    SECKEY_READER_EXIT_FOUND : SECKEY_READER_EXIT_UNAVAIL;
	if (r != SECKEY_READER_EXIT_FOUND)
		reader_say(NULL, "cannot write the key list");
	free(text);

	return r;
}

int
reader_exit_code(enum reader_outcome outcome)
{
	switch (outcome) {
	case READER_FOUND:
		return SECKEY_READER_EXIT_FOUND;
	case READER_NOUSER:
		return SECKEY_READER_EXIT_NO_USER;
	case READER_UNAVAIL:
		return SECKEY_READER_EXIT_UNAVAIL;
	case READER_REFUSED:
		return SECKEY_READER_EXIT_REFUSED;
	case READER_BIND_REFUSED:
		return SECKEY_LDAP_EDIT_EXIT_BIND;
	case READER_CHANGED:
		return SECKEY_LDAP_EDIT_EXIT_CHANGED;
	case READER_DENIED:
		return SECKEY_LDAP_EDIT_EXIT_DENIED;
	case READER_NO_LIST:
		return SECKEY_LDAP_EDIT_EXIT_NO_LIST;
	default:
		return SECKEY_READER_EXIT_CONFIG;
	}
}

/*
 * libldap 2.5's timeouts bound the connection and every operation, but
 * not an ldaps:// TLS handshake with a server that accepted the
 * connection and then froze: libldap spins in it for ever.  So each
 * server also gets a watchdog, as long as the three steps that have
 * timeouts (connect, bind, search) together, and a second more.  Its
 * end is the end of the program: nothing was printed yet, and jumping
 * out of libldap would leave it in an unknown state.
 */
static void
watchdog(int sig)
{
	static const char msg[] = PROGRAM ": a server held the reader "
	    "past its timeout\n";
	ssize_t n;

	n = write(STDERR_FILENO, msg, sizeof(msg) - 1);
	(void)n;
	_exit(SECKEY_READER_EXIT_UNAVAIL);
}

static int
watchdog_init(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = watchdog;
	if (sigemptyset(&sa.sa_mask) != 0)
		return -1;
	return sigaction(SIGALRM, &sa, NULL);
}

/* Each server in turn, until one gives an answer other than silence. */
static enum reader_outcome
ask(const struct seckey_ldap_conf *conf, const char *filter,
    struct seckey_keylist **listp)
{
	enum reader_outcome outcome = READER_UNAVAIL;
	LDAP *ld = NULL;
	size_t i;

	for (i = 0; i < conf->uris_len && outcome == READER_UNAVAIL; i++) {
		alarm(3 * conf->timeout + 1);
		if ((outcome = reader_connect(conf, conf->uris[i],
		    &ld)) == READER_FOUND) {
			outcome = reader_search(ld, conf, conf->uris[i], filter,
			    listp);
			ldap_unbind_ext_s(ld, NULL, NULL);
			ld = NULL;
		}
		alarm(0);
	}

	return outcome;
}

static int
run(const char *conf_path, const char *user, bool edit)
{
	struct seckey_ldap_conf *conf = NULL;
	struct seckey_keylist *list = NULL;
	struct seckey_diag diag;
	char *filter = NULL;
	int code = SECKEY_READER_EXIT_CONFIG, r;

	seckey_diag_clear(&diag);
	if ((r = seckey_ldap_conf_load(conf_path, &conf, &diag)) != SECKEY_OK ||
	    (r = seckey_ldap_filter(conf->user_filter, user, &filter,
	    &diag)) != SECKEY_OK) {
		say_diag(&diag, r);
		goto fail;
	}
	if (edit)
		code = reader_edit(conf, user, filter);
	else if ((code = reader_exit_code(ask(conf, filter, &list))) ==
	    SECKEY_READER_EXIT_FOUND)
		code = reader_print_list(list, user);
fail:
	seckey_keylist_free(&list);
	free(filter);
	seckey_ldap_conf_free(&conf);

	return code;
}

int
main(int argc, char **argv)
{
	const char *conf_path = NULL, *user = NULL;
	bool edit = false;

	switch (parse_args(argc, argv, &conf_path, &user, &edit)) {
	case ARGS_DONE:
		return SECKEY_READER_EXIT_FOUND;
	case ARGS_BAD:
		return SECKEY_READER_EXIT_CONFIG;
	default:
		break;
	}
	/*
	 * libldap reads LDAPRC, LDAPCONF, LDAPTLS_* and the like from the
	 * environment, and ldaprc from the current folder: none of them
	 * may steer a sign-in.  Only root's /etc/ldap/ldap.conf is read.
	 */
	if (clearenv() != 0 || chdir("/") != 0 || watchdog_init() != 0) {
		reader_say(NULL, "cannot clear the environment or set a timer");
		return SECKEY_READER_EXIT_CONFIG;
	}

	return run(conf_path, user, edit);
}
