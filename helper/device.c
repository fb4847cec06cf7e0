/*
 * device.c: choosing the security key a command works on, and telling
 * the user plainly what a key's answer means.
 */
#include <config.h>

#include <stdlib.h>

#include "helper.h"
#include "seckey_assert.h"
#include "seckey_model.h"
#include "seckey_time.h"

#define POLL_MS		200

/* The model's name, or "security key" for a model we do not know. */
const char *
helper_model(const struct seckey_aaguid *aaguid)
{
	const char *name = seckey_model_name(aaguid);

	return name != NULL ? name : "security key";
}

static int
open_device(const char *path, struct seckey_device **devp)
{
	struct seckey_diag diag;
	int r;

	seckey_diag_clear(&diag);
	if ((r = seckey_device_open(path, SECKEY_OPEN_TIMEOUT_MS, devp,
	    &diag)) == SECKEY_OK)
		return EXIT_DONE;
	if (r == SECKEY_ERR_UNSUPPORTED)
		return helper_refuse("the security key at %s speaks only U2F; "
		    "a FIDO2 key with a PIN is needed", path);
	if (r == SECKEY_ERR_NO_DEVICE)
		return helper_refuse("no security key answers at %s", path);

	return helper_fail(r, &diag);
}

/*
 * The path of the only key plugged in, waiting up to the policy's
 * timeout for one to appear.  With several, the user must choose.
 */
static int
only_device(const struct helper_ctx *ctx, char **pathp)
{
	struct seckey_diag diag;
	char **paths = NULL;
	size_t count = 0;
	long waited = 0;
	int r;

	for (;;) {
		seckey_diag_clear(&diag);
		if ((r = seckey_device_paths(&paths, &count, &diag)) != 0)
			return helper_fail(r, &diag);
		if (count > 0)
			break;
		seckey_device_paths_free(&paths);
		if (waited >= (long)ctx->policy->timeout * 1000)
			return helper_refuse("no security key found; plug one "
			    "in and try again");
		if (waited == 0)
			helper_msg("plug in your security key (waiting up to "
			    "%u seconds)", ctx->policy->timeout);
		seckey_sleep_ms(POLL_MS);
		waited += POLL_MS;
	}
	if (count > 1) {
		seckey_device_paths_free(&paths);
		return helper_refuse("%zu security keys are plugged in; choose "
		    "one with --device PATH (see \"seckey devices\")", count);
	}
	*pathp = paths[0];
	paths[0] = NULL;
	seckey_device_paths_free(&paths);

	return EXIT_DONE;
}

int
helper_device_pick(struct helper_ctx *ctx, const char *path,
    struct seckey_device **devp)
{
	char *found = NULL;
	int status;

	*devp = NULL;
	if (path != NULL)
		return open_device(path, devp);
	if ((status = only_device(ctx, &found)) != EXIT_DONE)
		return status;
	status = open_device(found, devp);
	free(found);

	return status;
}

int
helper_wrong_pin(int retries)
{
	if (retries == 0)
		return helper_refuse("wrong PIN, and no attempt is left: the "
		    "PIN is blocked");
	if (retries < 0)
		return helper_refuse("wrong PIN");

	return helper_refuse("wrong PIN, %d attempt%s left", retries,
	    retries == 1 ? "" : "s");
}

/* A failed FIDO2 step, in words; the diagnostic for anything else. */
int
helper_device_fail(struct seckey_device *dev, int err,
    const struct seckey_diag *diag)
{
	switch (err) {
	case SECKEY_ERR_PIN_INVALID:
		return helper_wrong_pin(seckey_pin_retries(dev));
	case SECKEY_ERR_PIN_AUTH_BLOCKED:
		return helper_refuse("three wrong PINs in a row: unplug the "
		    "security key and plug it back in before the next try");
	case SECKEY_ERR_PIN_BLOCKED:
		return helper_refuse("the PIN is blocked after too many wrong "
		    "attempts: the security key must be reset (\"seckey "
		    "reset\"), which erases every credential on it");
	case SECKEY_ERR_PIN_NOT_SET:
		return helper_refuse("the security key has no PIN; set one "
		    "with \"seckey pin set\"");
	case SECKEY_ERR_TIMEOUT:
		return helper_refuse("the security key was not touched in "
		    "time");
	case SECKEY_ERR_DEVICE_LOST:
		return helper_refuse("lost contact with the security key");
	case SECKEY_ERR_CANCELLED:
		return helper_refuse("cancelled on the security key");
	case SECKEY_ERR_MODEL_REFUSED:
	case SECKEY_ERR_MODEL_MISMATCH:
		return helper_refuse("refused: %s", diag->msg);
	case SECKEY_ERR_CLONED:
		return helper_refuse("refused, and marked as a suspected clone "
		    "(counter_policy = \"deny\"): %s", diag->msg);
	case SECKEY_ERR_MARKED:
		return helper_refuse("refused: the key is marked as a suspected "
		    "clone; root clears it with \"seckey --user USER unmark "
		    "NAME\"");
	default:
		return helper_fail(err, diag);
	}
}
