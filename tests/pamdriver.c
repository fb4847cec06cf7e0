/*
 * pamdriver: pamtester that tells every PAM result code apart.
 *
 * pamtester exits 0 or 1 only; the module's tests must tell PAM_AUTH_ERR
 * from PAM_AUTHINFO_UNAVAIL, PAM_IGNORE from PAM_SERVICE_ERR.  This program
 * drives libpam (under pam_wrapper in the tests) and reports exactly what
 * an application would see:
 *
 *   pamdriver SERVICE USER OPERATION...
 *       OPERATION: authenticate, setcred, chauthtok, acct_mgmt,
 *       open_session, close_session
 *
 * Each conversation message is printed on stdout as "echo-off: TEXT",
 * "echo-on: TEXT", "info: TEXT" or "error: TEXT".  An answer to a prompt is
 * one line of stdin; at end of input the conversation fails, as a user who
 * gives up would make it.  Each operation ends with a line
 * "OPERATION: PAM_NAME"; the exit status is the last PAM code.
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* Reads one answer line; NULL at end of input. */
static char *
read_answer(void)
{
	char line[1024];
	size_t len;

	if (fgets(line, sizeof(line), stdin) == NULL)
		return NULL;
	len = strcspn(line, "\n");
	line[len] = '\0';
	return strdup(line);
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

static int
run_operation(pam_handle_t *pamh, const char *op)
{
	if (strcmp(op, "authenticate") == 0)
		return pam_authenticate(pamh, 0);
	if (strcmp(op, "setcred") == 0)
		return pam_setcred(pamh, PAM_ESTABLISH_CRED);
	if (strcmp(op, "chauthtok") == 0)
		return pam_chauthtok(pamh, 0);
	if (strcmp(op, "acct_mgmt") == 0)
		return pam_acct_mgmt(pamh, 0);
	if (strcmp(op, "open_session") == 0)
		return pam_open_session(pamh, 0);
	if (strcmp(op, "close_session") == 0)
		return pam_close_session(pamh, 0);
	fprintf(stderr, "pamdriver: unknown operation %s\n", op);
	exit(2);
}

int
main(int argc, char **argv)
{
	struct pam_conv conv = { converse, NULL };
	pam_handle_t *pamh = NULL;
	const char *user;
	int i, r;

	if (argc < 4) {
		fprintf(stderr, "usage: pamdriver SERVICE USER OPERATION...\n");
		return 2;
	}
	/* An empty USER starts PAM without a user name. */
	user = argv[2][0] != '\0' ? argv[2] : NULL;
	if ((r = pam_start(argv[1], user, &conv, &pamh)) != PAM_SUCCESS) {
		printf("pam_start: %s\n", code_name(r));
		return r;
	}
	for (i = 3; i < argc; i++) {
		r = run_operation(pamh, argv[i]);
		printf("%s: %s\n", argv[i], code_name(r));
		fflush(stdout);
	}
	pam_end(pamh, r);
	return r;
}
