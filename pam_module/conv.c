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
