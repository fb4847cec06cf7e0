/*
 * test.c: "seckey test [NAME]": a sign-in as pam_seckey does it, without
 * PAM.  It runs the module's own sequence, seckey_signin(): the model
 * filter, the silent search for a registered key, the PIN checks, the
 * PIN, the touch, the signature checked against the key list, the flags
 * the policy asks for.  It reports which registered key answered.
 */
#include <config.h>

#include <string.h>

#include "helper.h"
#include "seckey_signin.h"

/* What the callbacks of one test share. */
struct test_run {
	const struct helper_ctx	*ctx;
	int			 pin_status;	/* helper_read_pin's */
};

/* As pam_seckey does: once, when no registered key is plugged in yet. */
static void
cue_insert(void *arg)
{
	const struct test_run *run = arg;

	helper_prompt(run->ctx->policy->insert_prompt);
}

/* As the module logs it: a device that lied in the probe is skipped. */
static void
tell_probe_refused(void *arg, const char *why)
{
	(void)arg;
	helper_msg("%s: skipped", why);
}

/*
 * As the module logs them: a suspected clone under counter_policy =
 * "log", a record that could not be read.  A record seckey may not
 * write is no news: only root's sign-ins keep the count.
 */
static void
tell_counter(void *arg, enum seckey_signin_event event, const char *what)
{
	(void)arg;
	if (event == SECKEY_SIGNIN_CLONE_LOGGED)
		helper_msg("warning: suspected clone (counter_policy = "
		    "\"log\"): %s", what);
	else if (event == SECKEY_SIGNIN_NOT_CHECKED)
		helper_msg("note: the signature counter was not checked: %s",
		    what);
}

/* helper_read_pin has said why when it gives no PIN. */
static int
ask_pin(void *arg, struct seckey_pin *pin)
{
	struct test_run *run = arg;

	run->pin_status = helper_read_pin(run->ctx->policy->pin_prompt, pin);
	return run->pin_status == EXIT_DONE ? SECKEY_OK : SECKEY_ERR_NO_PIN;
}

static void
cue_touch(void *arg)
{
	const struct test_run *run = arg;

	helper_prompt(run->ctx->policy->touch_prompt);
}

/*
 * No registered key answered, or none may: the policy allows none of
 * the models.  A key plugged in that answered that it holds none of the
 * credentials was reset, when it is the registered key (or the
 * credential was erased from it), and the entry no longer signs in.
 */
static int
not_found(const struct helper_ctx *ctx, const struct seckey_keylist *list,
    int r, const struct seckey_diag *diag)
{
	const char *name = list->count == 1 ? list->keys[0]->name : NULL;

	if (r == SECKEY_ERR_AAGUID && name != NULL)
		return helper_refuse("the policy does not allow the model of "
		    "\"%s\"; sign-in refuses it", name);
	if (r == SECKEY_ERR_AAGUID)
		return helper_refuse("the policy allows the model of none of "
		    "the registered security keys of %s (allowed_aaguids); "
		    "sign-in refuses them all", ctx->user.name);
	if (r == SECKEY_ERR_NO_CREDENTIAL && name != NULL)
		return helper_refuse("no security key plugged in holds the "
		    "credential of \"%s\": if that key is plugged in, it was "
		    "reset and no longer signs in; remove it with \"seckey "
		    "delete\"", name);
	if (r == SECKEY_ERR_NO_CREDENTIAL)
		return helper_refuse("none of the security keys plugged in "
		    "holds a registered credential of %s; a registered key "
		    "that was reset no longer signs in: remove it with "
		    "\"seckey delete\"", ctx->user.name);
	if (r == SECKEY_ERR_NO_DEVICE && name != NULL)
		return helper_refuse("\"%s\" was not found among the security "
		    "keys plugged in", name);
	if (r == SECKEY_ERR_NO_DEVICE)
		return helper_refuse("none of the registered security keys of "
		    "%s was found", ctx->user.name);

	return helper_fail(r, diag);
}

static int
works(const struct helper_ctx *ctx, const struct seckey_signin_found *found)
{
	helper_msg("sign-in works with \"%s\" (%s, %s)", found->key->name,
	    helper_model(&found->key->aaguid), seckey_transport_name(
	    seckey_device_transport(found->dev)));
	if (!ctx->policy->enabled)
		helper_msg("note: security keys are still switched off in "
		    "the policy (enabled = false), so sign-in does not use "
		    "them yet");

	return EXIT_DONE;
}

/* The sign-in of pam_seckey (seckey_signin.h), told in seckey's words. */
static int
sign_in(const struct helper_ctx *ctx, const struct seckey_keylist *list)
{
	struct test_run run = { ctx, EXIT_REFUSED };
	const struct seckey_signin_calls calls = {
		.waiting = cue_insert,
		.probe_refused = tell_probe_refused,
		.read_pin = ask_pin,
		.touch = cue_touch,
		.counter_event = tell_counter,
		.ctx = &run,
	};
	struct seckey_signin_found found;
	struct seckey_diag diag;
	int r, status;

	seckey_diag_clear(&diag);
	r = seckey_signin(ctx->policy, list, &calls, &found, &diag);
	if (r == SECKEY_OK)
		status = works(ctx, &found);
	else if (found.dev == NULL)
		status = not_found(ctx, list, r, &diag);
	else if (r == SECKEY_ERR_NO_PIN)
		status = run.pin_status != EXIT_DONE ? run.pin_status :
		    EXIT_REFUSED;
	else if (r == SECKEY_ERR_PIN_INVALID)
		status = helper_wrong_pin(found.retries);
	else
		status = helper_device_fail(found.dev, r, &diag);
	seckey_device_free(&found.dev);

	return status;
}

/* NAME: a list of that one entry; the full list keeps ownership. */
static int
try_keys(struct helper_ctx *ctx, struct seckey_keylist *list,
    const char *name)
{
	struct seckey_keylist one;
	struct seckey_key *key = NULL;
	struct seckey_diag diag;
	int r;

	if (list->count == 0)
		return helper_refuse("%s has no security keys registered; "
		    "register one with \"seckey register\"", ctx->user.name);
	if (name == NULL)
		return sign_in(ctx, list);
	seckey_diag_clear(&diag);
	if ((r = seckey_keylist_get(list, name, &key, &diag)) != SECKEY_OK)
		return helper_key_fail(ctx, r, name, NULL, &diag);
	memset(&one, 0, sizeof(one));
	one.keys[0] = key;
	one.count = 1;

	return sign_in(ctx, &one);
}

int
cmd_test(struct helper_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		HELPER_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	struct seckey_keylist *list = NULL;
	int c, status;

	if ((c = helper_getopt(ctx, argc, argv, longopts)) != -1)
		return helper_help(ctx, c) == HELPER_HELP_SHOWN ? EXIT_DONE :
		    EXIT_USAGE;
	if (argc - optind > 1)
		return helper_usage_error(ctx, "give at most one key name");
	/* The policy's max_keys, as at sign-in: a list over it fails here
	 * as it would there. */
	if ((status = helper_load(ctx, true)) != EXIT_DONE ||
	    (status = helper_list_read(ctx, ctx->policy->max_keys,
	    &list)) != EXIT_DONE)
		return status;
	status = try_keys(ctx, list, optind < argc ? argv[optind] : NULL);
	seckey_keylist_free(&list);

	return status;
}
