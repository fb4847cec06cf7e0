/*
 * seckey_reset.c: authenticatorReset through libfido2.
 */
#include "config.h"


#include "seckey_fido_err.h"
#include "seckey_reset.h"
#include "seckey_time.h"

int
seckey_device_reset(struct seckey_device *dev, int timeout_ms,
    struct seckey_diag *diag)
{
	long long started;
	int r, fido_r;

	if (dev == NULL || timeout_ms <= 0)
		return SECKEY_ERR_INVAL;
	if (fido_dev_set_timeout(dev->dev, timeout_ms) != FIDO_OK)
		return SECKEY_ERR_INTERNAL;
	started = seckey_now_ms();
	if ((fido_r = fido_dev_reset(dev->dev)) == FIDO_OK)
		return SECKEY_OK;

	seckey_diag_set(diag, NULL, 0, "resetting security key %s failed: %s",
	    dev->path, fido_strerr(fido_r));
	/* CTAP answers NOT_ALLOWED once the key has been plugged in for
	 * more than a few seconds (10 in CTAP 2.1). */
	if (fido_r == FIDO_ERR_NOT_ALLOWED)
		return SECKEY_ERR_RESET_WINDOW;
	r = seckey_fido_error(fido_r);
	/* libfido2 reports a reply that never came as a read error. */
	if (r == SECKEY_ERR_DEVICE_LOST &&
	    seckey_now_ms() - started >= timeout_ms)
		r = SECKEY_ERR_TIMEOUT;
	if (r == SECKEY_ERR_TIMEOUT)
		(void)fido_dev_cancel(dev->dev);

	return r;
}
