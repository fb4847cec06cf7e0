/*
 * context.c: messages, and what every command needs before it acts:
 * the account (user.c), the policy, the user's key store.
 */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>

#include "helper.h"
#include "seckey_text.h"

/*
 * One line on stderr, escaped by seckey_text_safe(): a message may
 * quote a file the user controls, and must neither break the line nor
 * send escape sequences or bidi overrides to the terminal.
 */
static void vmsg(const char *, va_list)
    __attribute__((__format__(__printf__, 1, 0)));

static void
vmsg(const char *fmt, va_list ap)
{
	char line[1024], safe[1536];

	if (vsnprintf(line, sizeof(line), fmt, ap) < 0)
		line[0] = '\0';
	seckey_text_safe(line, safe, sizeof(safe), SECKEY_TEXT_LOG);
	fprintf(stderr, "seckey: %s\n", safe);
	fflush(stderr);
}

void
helper_msg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
}

int
helper_refuse(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);

	return EXIT_REFUSED;
}

/* The library's diagnostic, or the error's sentence when it has none. */
int
helper_fail(int err, const struct seckey_diag *diag)
{
	if (diag == NULL || diag->msg[0] == '\0')
		return helper_refuse("%s", seckey_strerror(err));
	if (diag->file[0] != '\0' && diag->line > 0)
		return helper_refuse("%s:%d: %s", diag->file, diag->line,
		    diag->msg);
	if (diag->file[0] != '\0')
		return helper_refuse("%s: %s", diag->file, diag->msg);

	return helper_refuse("%s", diag->msg);
}

/*
 * The policy is read by every command, even those that only talk to a
 * key: a broken policy is reported at once, as pam_seckey.conf(5)
 * promises.  Whether security keys are enabled does not matter here:
 * registering keys before sign-in is switched on is the normal order.
 */
int
helper_load(struct helper_ctx *ctx, bool need_store)
{
	struct seckey_diag diag;
	int r, status;

	if ((status = helper_user_resolve(ctx)) != EXIT_DONE)
		return status;
	seckey_diag_clear(&diag);
	if ((r = seckey_policy_load(ctx->conf_path, ctx->conf_path != NULL,
	    NULL, &ctx->policy, &diag)) != SECKEY_OK)
		return helper_fail(r, &diag);
	if (need_store && (r = seckey_store_open(ctx->policy, &ctx->owner,
	    &ctx->store, &diag)) != SECKEY_OK)
		return helper_fail(r, &diag);
	/* keys = "ldap": the user's directory password, when it is needed. */
	if (need_store)
		seckey_store_set_secret_fn(ctx->store, helper_store_secret,
		    NULL);

	return EXIT_DONE;
}

void
helper_ctx_free(struct helper_ctx *ctx)
{
	seckey_store_free(&ctx->store);
	seckey_policy_free(&ctx->policy);
	helper_user_free(&ctx->user);
}
