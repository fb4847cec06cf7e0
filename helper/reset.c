/*
 * reset.c: "seckey reset [--device PATH] [--yes]".
 *
 * A reset erases every credential on the key, for every site and every
 * machine, so it is confirmed on a terminal, and a script must say
 * --yes.  CTAP lets a key refuse a reset unless it was plugged in a few
 * seconds before, and the key wants a touch, so the user is told both.
 */
#include <config.h>

#include <stdio.h>

#include "helper.h"
#include "seckey_probe.h"
#include "seckey_reset.h"

/*
 * Which registered key this one is, found with a silent probe, so the
 * user can be told which entry stops working.  Best effort: a user
 * without a readable list can still reset a key.
 */
static void
registered_name(struct helper_ctx *ctx, struct seckey_device *dev,
    char *name, size_t size)
{
	struct seckey_keylist *list = NULL;
	const struct seckey_key *key = NULL;
	struct seckey_diag ignored;

	name[0] = '\0';
	if ((ctx->store == NULL && seckey_store_open(ctx->policy, &ctx->owner,
	    &ctx->store, &ignored) != SECKEY_OK) ||
	    seckey_store_read(ctx->store, SECKEY_MAX_KEYS, &list,
	    &ignored) != SECKEY_OK)
		return;
	if (seckey_probe(dev, ctx->policy->rp_id, list, &key,
	    &ignored) == SECKEY_OK)
		snprintf(name, size, "%s", key->name);
	seckey_keylist_free(&list);
}

static int
confirm(const struct seckey_device *dev, bool yes)
{
	char prompt[512];

	helper_msg("a reset erases every credential on the security key at "
	    "%s, for this machine and every other site, and removes its PIN",
	    seckey_device_path(dev));
	if (yes)
		return EXIT_DONE;
	if (!helper_on_terminal())
		return helper_refuse("a reset must be confirmed: run \"seckey "
		    "reset\" on a terminal, or add --yes");
	snprintf(prompt, sizeof(prompt), "Type \"yes\" to reset it: ");
	if (!helper_confirm(prompt, "yes"))
		return helper_refuse("nothing was reset");

	return EXIT_DONE;
}

static int
reset(struct helper_ctx *ctx, struct seckey_device *dev, bool yes)
{
	char name[SECKEY_NAME_MAX * 4 + 1];
	struct seckey_diag diag;
	int r, status;

	registered_name(ctx, dev, name, sizeof(name));
	if ((status = confirm(dev, yes)) != EXIT_DONE)
		return status;
	helper_prompt("Touch your security key now. A key allows a reset only "
	    "within a few seconds after it is plugged in.");
	seckey_diag_clear(&diag);
	r = seckey_device_reset(dev, (int)ctx->policy->timeout * 1000, &diag);
	if (r == SECKEY_ERR_RESET_WINDOW)
		return helper_refuse("the security key refused: it allows a "
		    "reset only within a few seconds after it is plugged in; "
		    "unplug it, plug it back in and run \"seckey reset\" again "
		    "at once");
	if (r == SECKEY_ERR_TIMEOUT)
		return helper_refuse("the security key was not touched in "
		    "time; nothing was erased");
	if (r != SECKEY_OK)
		return helper_device_fail(dev, r, &diag);
	if (name[0] != '\0')
		helper_msg("the security key is reset: no credentials, no PIN; "
		    "\"%s\" no longer signs in, remove it with \"seckey "
		    "delete\"", name);
	else
		helper_msg("the security key is reset: no credentials, no PIN; "
		    "set a new PIN with \"seckey pin set\"");

	return EXIT_DONE;
}

int
cmd_reset(struct helper_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "device", required_argument, NULL, 'd' },
		{ "yes", no_argument, NULL, 'y' },
		HELPER_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	struct seckey_device *dev = NULL;
	const char *device = NULL;
	bool yes = false;
	int c, status;

	while ((c = helper_getopt(ctx, argc, argv, longopts)) != -1) {
		if (c == 'd')
			device = optarg;
		else if (c == 'y')
			yes = true;
		else
			return helper_help(ctx, c) == HELPER_HELP_SHOWN ?
			    EXIT_DONE : EXIT_USAGE;
	}
	if (optind != argc)
		return helper_usage_error(ctx, "unexpected argument \"%s\"",
		    argv[optind]);
	if ((status = helper_load(ctx, false)) != EXIT_DONE ||
	    (status = helper_device_pick(ctx, device, &dev)) != EXIT_DONE)
		return status;
	status = reset(ctx, dev, yes);
	seckey_device_free(&dev);

	return status;
}
