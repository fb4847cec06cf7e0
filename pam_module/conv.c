/*
 * conv.c: talking to the user through the application's conversation.
 *
 * The PIN goes straight from the conversation reply into a fixed
 * struct seckey_pin; the reply is wiped and freed at once.  The PIN is
 * never stored as PAM_AUTHTOK: it belongs to the key, not the account,
 * and a later module must not be able to try it as a password.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <security/pam_ext.h>

#include "module.h"
#include "seckey_text.h"

int
conv_read_pin(pam_handle_t *pamh, const char *prompt, struct seckey_pin *pin)
{
	char *reply = NULL;
	int r;

	seckey_pin_wipe(pin);
	r = pam_prompt(pamh, PAM_PROMPT_ECHO_OFF, &reply, "%s", prompt);
	if (r != PAM_SUCCESS || reply == NULL) {
		r = PAM_CONV_ERR;
		goto out;
	}
	/* Empty or longer than CTAP allows: never sent to the key. */
	r = seckey_pin_set(pin, reply) == SECKEY_OK ? PAM_SUCCESS :
	    PAM_AUTH_ERR;
out:
	seckey_strfree(&reply);
	return r;
}

void
conv_info(pam_handle_t *pamh, bool silent, const char *text)
{
	if (!silent && text != NULL && *text != '\0')
		(void)pam_info(pamh, "%s", text);
}

/*
 * sudo calls PAM with PAM_SILENT, yet a user who is not told to insert
 * or touch the key cannot sign in: like the PIN prompt, a cue is part
 * of the interaction, not information.
 */
void
conv_cue(pam_handle_t *pamh, const char *text)
{
	if (text != NULL && *text != '\0')
		(void)pam_info(pamh, "%s", text);
}

/*
 * Shown even under PAM_SILENT: after the PIN prompt or a cue, a user who
 * is not told why the key failed (a wrong PIN, a locked key, no touch)
 * cannot tell it from a wrong password.
 */
void
conv_error(pam_handle_t *pamh, const char *fmt, ...)
{
	char text[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (n > 0)
		(void)pam_error(pamh, "%s", text);
}

/* "  2. bob\n", the name made safe for a terminal. */
static void
add_choice(char *text, size_t size, size_t number, const char *name)
{
	char safe[SECKEY_TEXT_SAFE_SIZE(64)];
	size_t used = strlen(text);

	if (name != NULL)
		seckey_text_safe(name, safe, sizeof(safe), SECKEY_TEXT_LOG);
	else
		snprintf(safe, sizeof(safe), "(an account without a name)");
	if (used < size)
		snprintf(text + used, size - used, "\n  %zu. %.64s", number,
		    safe);
}

/*
 * The list is a cue, shown even under PAM_SILENT: without it the
 * question cannot be answered.  The answer is echoed: it is a number.
 */
int
conv_choose(pam_handle_t *pamh, const char *const *names, size_t n,
    size_t *choice)
{
	char text[2048], *reply = NULL, *end = NULL;
	unsigned long number;
	size_t i;
	int r;

	snprintf(text, sizeof(text), "This security key holds %zu accounts "
	    "for this computer:", n);
	for (i = 0; i < n; i++)
		add_choice(text, sizeof(text), i + 1, names[i]);
	conv_cue(pamh, text);
	r = pam_prompt(pamh, PAM_PROMPT_ECHO_ON, &reply, "Account (1-%zu): ",
	    n);
	if (r != PAM_SUCCESS || reply == NULL) {
		r = PAM_CONV_ERR;
		goto out;
	}
	number = strtoul(reply, &end, 10);
	r = PAM_AUTH_ERR;
	if (reply[0] < '1' || reply[0] > '9' || end == NULL || *end != '\0' ||
	    number < 1 || number > n)
		goto out;
	*choice = number - 1;
	r = PAM_SUCCESS;
out:
	seckey_strfree(&reply);
	return r;
}
