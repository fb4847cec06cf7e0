/*
 * pamdriver: pamtester that tells every PAM result code apart.
 *
 * pamtester exits 0 or 1 only; the module's tests must tell PAM_AUTH_ERR
 * from PAM_AUTHINFO_UNAVAIL, PAM_IGNORE from PAM_SERVICE_ERR.  This program
 * drives libpam (under pam_wrapper in the tests) and reports exactly what
 * an application would see:
 *
 *   pamdriver [-r RHOST] [-s] SERVICE USER OPERATION...
 *       OPERATION: authenticate, setcred, chauthtok, acct_mgmt,
 *       open_session, close_session, or user: prints the PAM_USER
 *       item as the application sees it now ("user: NAME", "user:
 *       (none)"), for the sign-in without a user name
 *       -r RHOST  sets PAM_RHOST, as sshd sets it to the client's host
 *       -s        calls every operation with PAM_SILENT, as sudo does
 *
 * Each conversation message is printed on stdout as "echo-off: TEXT",
 * "echo-on: TEXT", "info: TEXT" or "error: TEXT".  An answer to a prompt is
 * one line of stdin; at end of input the conversation fails, as a user who
 * gives up would make it.  Each operation ends with a line
 * "OPERATION: PAM_NAME"; the exit status is the last PAM code.
 *
 * USER and answers may be given as "hex:HEX", the bytes HEX spells, so
 * that a test can pass a newline, invalid UTF-8 or a NUL: the module sees
 * a C string, up to the first NUL.  "hex:" alone is an empty user name,
 * where an empty USER starts PAM without one.
 *
 * With PAMDRIVER_EXEC=PROGRAM in the environment, each echo-off prompt
 * first runs PROGRAM (fork and exec, without LD_PRELOAD) and waits for
 * it, as a host that starts a program during the conversation would;
 * tests/progs/fdcheck then shows which descriptors such a program inherits.
 *
 * With FAILALLOC_N in the environment, each operation runs between
 * failalloc_start() and failalloc_stop() of tests/progs/failalloc, when that
 * library is preloaded, so that only the operation's allocations count.
 */

#include "config.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/wait.h>

#include <unistd.h>

#include <security/pam_appl.h>

struct code_name {
	int code;
	const char *name;
};

#define CODE(c) { c, #c }
static const struct code_name code_names[] = {
	CODE(PAM_SUCCESS), CODE(PAM_OPEN_ERR), CODE(PAM_SYMBOL_ERR),
	CODE(PAM_SERVICE_ERR), CODE(PAM_SYSTEM_ERR), CODE(PAM_BUF_ERR),
	CODE(PAM_PERM_DENIED), CODE(PAM_AUTH_ERR), CODE(PAM_CRED_INSUFFICIENT),
	CODE(PAM_AUTHINFO_UNAVAIL), CODE(PAM_USER_UNKNOWN), CODE(PAM_MAXTRIES),
	CODE(PAM_NEW_AUTHTOK_REQD), CODE(PAM_ACCT_EXPIRED),
	CODE(PAM_SESSION_ERR), CODE(PAM_CRED_UNAVAIL), CODE(PAM_CRED_EXPIRED),
	CODE(PAM_CRED_ERR), CODE(PAM_NO_MODULE_DATA), CODE(PAM_CONV_ERR),
	CODE(PAM_AUTHTOK_ERR), CODE(PAM_AUTHTOK_RECOVERY_ERR),
	CODE(PAM_AUTHTOK_LOCK_BUSY), CODE(PAM_AUTHTOK_DISABLE_AGING),
	CODE(PAM_TRY_AGAIN), CODE(PAM_IGNORE), CODE(PAM_ABORT),
	CODE(PAM_AUTHTOK_EXPIRED), CODE(PAM_MODULE_UNKNOWN),
	CODE(PAM_BAD_ITEM), CODE(PAM_CONV_AGAIN), CODE(PAM_INCOMPLETE),
};

static const char *
code_name(int code)
{
	size_t i;

	for (i = 0; i < sizeof(code_names) / sizeof(code_names[0]); i++)
		if (code_names[i].code == code)
			return code_names[i].name;
	return "PAM_UNKNOWN_CODE";
}

static int
nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* A copy of s, or of the bytes "hex:HEX" spells; NULL if malformed. */
static char *
decode(const char *s)
{
	size_t len, i;
	char *out;

	if (strncmp(s, "hex:", 4) != 0)
		return strdup(s);
	s += 4;
	if ((len = strlen(s)) % 2 != 0 || (out = malloc(len / 2 + 1)) == NULL)
		return NULL;
	for (i = 0; i < len / 2; i++) {
		if (nibble(s[2 * i]) < 0 || nibble(s[2 * i + 1]) < 0) {
			free(out);
			return NULL;
		}
		out[i] = (char)(nibble(s[2 * i]) << 4 | nibble(s[2 * i + 1]));
	}
	out[len / 2] = '\0';
	return out;
}

/* Reads one answer line, of any length; NULL at end of input. */
static char *
read_answer(void)
{
	char *line = NULL, *answer;
	size_t cap = 0;

	if (getline(&line, &cap, stdin) < 0) {
		free(line);
		return NULL;
	}
	line[strcspn(line, "\n")] = '\0';
	answer = decode(line);
	explicit_bzero(line, cap);
	free(line);
	return answer;
}

static void
free_replies(struct pam_response *replies, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		if (replies[i].resp != NULL) {
			explicit_bzero(replies[i].resp, strlen(replies[i].resp));
			free(replies[i].resp);
		}
	}
	free(replies);
}

/* PAMDRIVER_EXEC: a program started while the module waits for a PIN. */
static void
exec_during_prompt(void)
{
	const char *program = getenv("PAMDRIVER_EXEC");
	pid_t pid;
	int status;

	if (program == NULL || *program == '\0')
		return;
	fflush(stdout);
	if ((pid = fork()) == -1) {
		printf("exec: cannot fork\n");
		return;
	}
	if (pid == 0) {
		unsetenv("LD_PRELOAD");
		execl(program, program, (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) == -1)
		continue;
	printf("exec: exit %d\n", WIFEXITED(status) ? WEXITSTATUS(status) :
	    -1);
}

static int
converse(int n, const struct pam_message **msgs, struct pam_response **out,
    void *data)
{
	struct pam_response *replies;
	int i;

	if (n <= 0 || (replies = calloc((size_t)n, sizeof(*replies))) == NULL)
		return PAM_CONV_ERR;
	for (i = 0; i < n; i++) {
		switch (msgs[i]->msg_style) {
		case PAM_PROMPT_ECHO_OFF:
		case PAM_PROMPT_ECHO_ON:
			printf("%s: %s\n", msgs[i]->msg_style ==
			    PAM_PROMPT_ECHO_OFF ? "echo-off" : "echo-on",
			    msgs[i]->msg);
			if (msgs[i]->msg_style == PAM_PROMPT_ECHO_OFF)
				exec_during_prompt();
			fflush(stdout);
			if ((replies[i].resp = read_answer()) == NULL) {
				free_replies(replies, n);
				return PAM_CONV_ERR;
			}
			break;
		case PAM_ERROR_MSG:
			printf("error: %s\n", msgs[i]->msg);
			break;
		case PAM_TEXT_INFO:
			printf("info: %s\n", msgs[i]->msg);
			break;
		default:
			free_replies(replies, n);
			return PAM_CONV_ERR;
		}
	}
	fflush(stdout);
	*out = replies;
	return PAM_SUCCESS;
}

/* Calls the preloaded tests/progs/failalloc function name, if asked to. */
static void
failalloc_hook(const char *name)
{
	void (*hook)(void);

	if (getenv("FAILALLOC_N") == NULL)
		return;
	if ((hook = (void (*)(void))dlsym(RTLD_DEFAULT, name)) != NULL)
		hook();
}

static void
print_user(pam_handle_t *pamh)
{
	const void *item = NULL;

	if (pam_get_item(pamh, PAM_USER, &item) != PAM_SUCCESS || item == NULL)
		printf("user: (none)\n");
	else
		printf("user: %s\n", (const char *)item);
	fflush(stdout);
}

static int
run_operation(pam_handle_t *pamh, const char *op, int flags)
{
	if (strcmp(op, "authenticate") == 0)
		return pam_authenticate(pamh, flags);
	if (strcmp(op, "setcred") == 0)
		return pam_setcred(pamh, flags | PAM_ESTABLISH_CRED);
	if (strcmp(op, "chauthtok") == 0)
		return pam_chauthtok(pamh, flags);
	if (strcmp(op, "acct_mgmt") == 0)
		return pam_acct_mgmt(pamh, flags);
	if (strcmp(op, "open_session") == 0)
		return pam_open_session(pamh, flags);
	if (strcmp(op, "close_session") == 0)
		return pam_close_session(pamh, flags);
	fprintf(stderr, "pamdriver: unknown operation %s\n", op);
	exit(2);
}

int
main(int argc, char **argv)
{
	struct pam_conv conv = { converse, NULL };
	pam_handle_t *pamh = NULL;
	const char *rhost = NULL;
	char *user = NULL;
	int c, flags = 0, i, r;

	while ((c = getopt(argc, argv, "+r:s")) != -1) {
		if (c == 'r')
			rhost = optarg;
		else if (c == 's')
			flags |= PAM_SILENT;
		else
			return 2;
	}
	argc -= optind - 1;
	argv += optind - 1;
	if (argc < 4) {
		fprintf(stderr, "usage: pamdriver [-r RHOST] [-s] SERVICE USER "
		    "OPERATION...\n");
		return 2;
	}
	/* An empty USER starts PAM without a user name. */
	if (argv[2][0] != '\0' && (user = decode(argv[2])) == NULL) {
		fprintf(stderr, "pamdriver: bad USER %s\n", argv[2]);
		return 2;
	}
	r = pam_start(argv[1], user, &conv, &pamh);
	free(user);
	if (r != PAM_SUCCESS) {
		printf("pam_start: %s\n", code_name(r));
		return r;
	}
	if (rhost != NULL && (r = pam_set_item(pamh, PAM_RHOST,
	    rhost)) != PAM_SUCCESS) {
		printf("pam_set_item: %s\n", code_name(r));
		pam_end(pamh, r);
		return r;
	}
	for (i = 3; i < argc; i++) {
		if (strcmp(argv[i], "user") == 0) {
			print_user(pamh);
			continue;
		}
		failalloc_hook("failalloc_start");
		r = run_operation(pamh, argv[i], flags);
		failalloc_hook("failalloc_stop");
		printf("%s: %s\n", argv[i], code_name(r));
		fflush(stdout);
	}
	pam_end(pamh, r);
	return r;
}
