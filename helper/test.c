/*
 * test.c: "seckey test [NAME]": a sign-in as pam_seckey does it, without
 * PAM: the same silent search for a registered key, the PIN, the touch,
 * the signature checked against the key list, the flags the policy
 * asks for.  It reports which registered key answered.
 */
#include <config.h>

#include <string.h>

#include "helper.h"
#include "seckey_assert.h"
#include "seckey_model.h"
#include "seckey_probe.h"

/* As pam_seckey does: once, when no registered key is plugged in yet. */
static void
cue_insert(void *ctx)
{
	const struct helper_ctx *hctx = ctx;

	helper_prompt(hctx->policy->insert_prompt);
}

/* As the module logs it: a device that lied in the probe is skipped. */
static void
tell_probe_refused(void *ctx, const char *why)
{
	(void)ctx;
	helper_msg("%s: skipped", why);
}

static int
find_key(struct helper_ctx *ctx, const struct seckey_keylist *list,
    struct seckey_signin_opts *opts, struct seckey_device **devp,
    const struct seckey_key **keyp)
{
	struct seckey_diag diag;
	int r;

	opts->waiting = cue_insert;
	opts->probe_refused = tell_probe_refused;
	opts->ctx = ctx;
	seckey_diag_clear(&diag);
	r = seckey_find_device(list, opts, devp, keyp, &diag);
	/*
	 * A key plugged in answered that it holds none of the credentials:
	 * when it is the registered key, it was reset (or the credential
	 * was erased from it), and the entry can no longer sign in.
	 */
	if (r == SECKEY_ERR_NO_CREDENTIAL && list->count == 1)
		return helper_refuse("no security key plugged in holds the "
		    "credential of \"%s\": if that key is plugged in, it was "
		    "reset and no longer signs in; remove it with \"seckey "
		    "delete\"", list->keys[0]->name);
	if (r == SECKEY_ERR_NO_CREDENTIAL)
		return helper_refuse("none of the security keys plugged in "
		    "holds a registered credential of %s; a registered key "
		    "that was reset no longer signs in: remove it with "
		    "\"seckey delete\"", ctx->user.name);
	if (r == SECKEY_ERR_NO_DEVICE && list->count == 1)
		return helper_refuse("\"%s\" was not found among the security "
		    "keys plugged in", list->keys[0]->name);
	if (r == SECKEY_ERR_NO_DEVICE)
		return helper_refuse("none of the registered security keys of "
		    "%s was found", ctx->user.name);
	if (r != SECKEY_OK)
		return helper_fail(r, &diag);

	return EXIT_DONE;
}

/* Refusals the module would make before it asks for the PIN. */
static int
check_key(struct helper_ctx *ctx, struct seckey_device *dev,
    const struct seckey_key *key, bool uv)
{
	if (!seckey_policy_aaguid_allowed(ctx->policy, &key->aaguid))
		return helper_refuse("the policy does not allow the model of "
		    "\"%s\"; sign-in refuses it", key->name);
	if (uv && !seckey_device_has_pin(dev))
		return helper_device_fail(dev, SECKEY_ERR_PIN_NOT_SET, NULL);
	if (uv && seckey_pin_retries(dev) == 0)
		return helper_device_fail(dev, SECKEY_ERR_PIN_BLOCKED, NULL);

	return EXIT_DONE;
}

static int
sign_in(struct helper_ctx *ctx, const struct seckey_keylist *list)
{
	struct seckey_signin_opts opts;
	struct seckey_device *dev = NULL;
	const struct seckey_key *key = NULL;
	struct seckey_diag diag;
	struct seckey_pin pin;
	int r, status;

	memset(&opts, 0, sizeof(opts));
	opts.rp_id = ctx->policy->rp_id;
	opts.require_up = ctx->policy->user_presence;
	opts.require_uv = ctx->policy->user_verification == SECKEY_UV_PIN;
	opts.timeout_ms = (int)ctx->policy->timeout * 1000;
	seckey_pin_wipe(&pin);
	if ((status = find_key(ctx, list, &opts, &dev, &key)) != EXIT_DONE ||
	    (status = check_key(ctx, dev, key, opts.require_uv)) != EXIT_DONE ||
	    (opts.require_uv && (status = helper_read_pin(
	    ctx->policy->pin_prompt, &pin)) != EXIT_DONE))
		goto out;
	if (opts.require_up)
		helper_prompt(ctx->policy->touch_prompt);
	seckey_diag_clear(&diag);
	r = seckey_authenticate(dev, key, opts.require_uv ? &pin : NULL, &opts,
	    &diag);
	seckey_pin_wipe(&pin);
	if (r != SECKEY_OK) {
		status = helper_device_fail(dev, r, &diag);
		goto out;
	}
	helper_msg("sign-in works with \"%s\" (%s, %s)", key->name,
	    helper_model(&key->aaguid), seckey_transport_name(
	    seckey_device_transport(dev)));
	if (!ctx->policy->enabled)
		helper_msg("note: security keys are still switched off in "
		    "the policy (enabled = false), so sign-in does not use "
		    "them yet");
out:
	seckey_pin_wipe(&pin);
	seckey_device_free(&dev);

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
