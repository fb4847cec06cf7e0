/*
 * pin.c: "seckey pin set" and "seckey pin change".
 *
 * A new PIN is asked for twice and checked against CTAP's rules here,
 * before the key sees it, so a typo costs nothing; a wrong current PIN
 * costs one of the key's retries, and the message says how many are
 * left.
 */
#include <config.h>

#include <string.h>

#include "helper.h"
#include "seckey_assert.h"
#include "seckey_devinfo.h"
#include "seckey_pin_mgmt.h"

static int
read_new_pin(size_t min_chars, struct seckey_pin *pin)
{
	struct seckey_pin again;
	struct seckey_diag diag;
	int r, status;

	if ((status = helper_read_pin("New PIN: ", pin)) != EXIT_DONE)
		return status;
	seckey_diag_clear(&diag);
	if ((r = seckey_pin_check_rules(pin, min_chars, &diag)) != SECKEY_OK) {
		seckey_pin_wipe(pin);
		return helper_fail(r, &diag);
	}
	status = helper_read_pin("New PIN again: ", &again);
	if (status == EXIT_DONE && strcmp(pin->text, again.text) != 0)
		status = helper_refuse("the two new PINs differ; nothing was "
		    "changed");
	seckey_pin_wipe(&again);
	if (status != EXIT_DONE)
		seckey_pin_wipe(pin);

	return status;
}

static size_t
min_pin_len(struct seckey_device *dev)
{
	struct seckey_device_facts facts;
	struct seckey_diag ignored;

	if (seckey_device_facts(dev, &facts, &ignored) != SECKEY_OK)
		return SECKEY_PIN_MIN_CHARS;
	return facts.min_pin_len;
}

static int
retries_message(struct seckey_device *dev, const char *done)
{
	int retries = seckey_pin_retries(dev);

	if (retries < 0)
		helper_msg("%s", done);
	else
		helper_msg("%s; the key allows %d wrong attempt%s before it "
		    "locks", done, retries, retries == 1 ? "" : "s");

	return EXIT_DONE;
}

static int
pin_set(struct helper_ctx *ctx, struct seckey_device *dev)
{
	struct seckey_pin pin;
	struct seckey_diag diag;
	int r, status;

	if (seckey_device_has_pin(dev))
		return helper_refuse("the security key already has a PIN; "
		    "change it with \"seckey pin change\"");
	if ((status = read_new_pin(min_pin_len(dev), &pin)) != EXIT_DONE)
		return status;
	seckey_diag_clear(&diag);
	r = seckey_device_set_pin(dev, &pin,
	    (int)ctx->policy->timeout * 1000, &diag);
	seckey_pin_wipe(&pin);
	if (r == SECKEY_ERR_PIN_POLICY)
		return helper_refuse("the security key refused this PIN; it "
		    "may want a longer or less simple one");
	if (r != SECKEY_OK)
		return helper_device_fail(dev, r, &diag);

	return retries_message(dev, "PIN set");
}

static int
pin_change(struct helper_ctx *ctx, struct seckey_device *dev)
{
	struct seckey_pin old_pin, new_pin;
	struct seckey_diag diag;
	int r, status;

	if (!seckey_device_has_pin(dev))
		return helper_refuse("the security key has no PIN; set one "
		    "with \"seckey pin set\"");
	/* Asking for a PIN that cannot be checked would only confuse. */
	if (seckey_pin_retries(dev) == 0)
		return helper_device_fail(dev, SECKEY_ERR_PIN_BLOCKED, NULL);
	if ((status = helper_read_pin("Current PIN: ", &old_pin)) != EXIT_DONE)
		return status;
	if ((status = read_new_pin(min_pin_len(dev), &new_pin)) != EXIT_DONE) {
		seckey_pin_wipe(&old_pin);
		return status;
	}
	seckey_diag_clear(&diag);
	r = seckey_device_change_pin(dev, &old_pin, &new_pin,
	    (int)ctx->policy->timeout * 1000, &diag);
	seckey_pin_wipe(&old_pin);
	seckey_pin_wipe(&new_pin);
	if (r == SECKEY_ERR_PIN_POLICY)
		return helper_refuse("the security key refused the new PIN; it "
		    "may want a longer or less simple one");
	if (r != SECKEY_OK)
		return helper_device_fail(dev, r, &diag);

	return retries_message(dev, "PIN changed");
}

int
cmd_pin(struct helper_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "device", required_argument, NULL, 'd' },
		HELPER_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	struct seckey_device *dev = NULL;
	const char *device = NULL;
	bool set;
	int c, status;

	if (argc < 2 || argv[1][0] == '-') {
		ctx->cmd = "pin";
		if (argc >= 2 && (strcmp(argv[1], "--help") == 0 ||
		    strcmp(argv[1], "-h") == 0))
			return helper_help(ctx, HELPER_GETOPT_HELP) ==
			    HELPER_HELP_SHOWN ? EXIT_DONE : EXIT_USAGE;
		return helper_usage_error(ctx, "say \"pin set\" or \"pin "
		    "change\"");
	}
	if (strcmp(argv[1], "set") != 0 && strcmp(argv[1], "change") != 0)
		return helper_usage_error(ctx, "unknown pin command \"%s\"; "
		    "say \"pin set\" or \"pin change\"", argv[1]);
	set = strcmp(argv[1], "set") == 0;
	ctx->cmd = set ? "pin set" : "pin change";
	while ((c = helper_getopt(ctx, argc - 1, argv + 1, longopts)) != -1) {
		if (c != 'd')
			return helper_help(ctx, c) == HELPER_HELP_SHOWN ?
			    EXIT_DONE : EXIT_USAGE;
		device = optarg;
	}
	if (optind != argc - 1)
		return helper_usage_error(ctx, "unexpected argument \"%s\"",
		    argv[optind + 1]);
	if ((status = helper_load(ctx, false)) != EXIT_DONE ||
	    (status = helper_device_pick(ctx, device, &dev)) != EXIT_DONE)
		return status;
	status = set ? pin_set(ctx, dev) : pin_change(ctx, dev);
	seckey_device_free(&dev);

	return status;
}
