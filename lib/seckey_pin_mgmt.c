/*
 * seckey_pin_mgmt.c: a key's PIN: the rules a new one must follow, and
 * libfido2's setPIN and changePIN.  libfido2 runs the PIN protocol
 * (key agreement, encrypted PIN, pinUvAuthParam) and wipes its copies.
 */
#include "config.h"

#include "seckey_fido_err.h"
#include "seckey_pin_mgmt.h"
#include "seckey_text.h"

int
seckey_pin_check_rules(const struct seckey_pin *pin, size_t min_chars,
    struct seckey_diag *diag)
{
	size_t chars = 0;

	if (pin == NULL)
		return SECKEY_ERR_INVAL;
	if (!seckey_text_printable(pin->text, &chars)) {
		seckey_diag_set(diag, NULL, 0, "a PIN must be UTF-8 text "
		    "without control characters");
		return SECKEY_ERR_PIN_POLICY;
	}
	if (chars < min_chars || seckey_pin_len(pin) > SECKEY_PIN_MAX) {
		seckey_diag_set(diag, NULL, 0, "a PIN must be %zu to %d bytes "
		    "long, with at least %zu characters", min_chars,
		    SECKEY_PIN_MAX, min_chars);
		return SECKEY_ERR_PIN_POLICY;
	}

	return SECKEY_OK;
}

static int
pin_command(struct seckey_device *dev, const struct seckey_pin *new_pin,
    const struct seckey_pin *old_pin, int timeout_ms,
    struct seckey_diag *diag)
{
	int fido_r;

	if (dev == NULL || new_pin == NULL || seckey_pin_len(new_pin) == 0 ||
	    (old_pin != NULL && seckey_pin_len(old_pin) == 0))
		return SECKEY_ERR_INVAL;
	if (fido_dev_set_timeout(dev->dev, timeout_ms) != FIDO_OK)
		return SECKEY_ERR_INTERNAL;
	fido_r = fido_dev_set_pin(dev->dev, new_pin->text,
	    old_pin != NULL ? old_pin->text : NULL);
	if (fido_r != FIDO_OK) {
		seckey_diag_set(diag, NULL, 0, "%s the PIN of security key %s "
		    "failed: %s", old_pin != NULL ? "changing" : "setting",
		    dev->path, fido_strerr(fido_r));
		return seckey_fido_error(fido_r);
	}

	return SECKEY_OK;
}

int
seckey_device_set_pin(struct seckey_device *dev,
    const struct seckey_pin *new_pin, int timeout_ms,
    struct seckey_diag *diag)
{
	return pin_command(dev, new_pin, NULL, timeout_ms, diag);
}

int
seckey_device_change_pin(struct seckey_device *dev,
    const struct seckey_pin *old_pin, const struct seckey_pin *new_pin,
    int timeout_ms, struct seckey_diag *diag)
{
	if (old_pin == NULL)
		return SECKEY_ERR_INVAL;
	return pin_command(dev, new_pin, old_pin, timeout_ms, diag);
}
