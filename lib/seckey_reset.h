/*
 * seckey_reset.h: factory reset of a security key, for "seckey reset".
 * It erases every credential on the key, for every site and machine,
 * and its PIN.  Keys allow it only in the first seconds after they are
 * plugged in, and only with a touch.
 */
#ifndef SECKEY_RESET_H
#define SECKEY_RESET_H

#include "seckey_device.h"
#include "seckey_error.h"

/*
 * Reset dev, waiting up to timeout_ms for the touch.  Errors:
 * SECKEY_ERR_RESET_WINDOW (plugged in too long ago), SECKEY_ERR_TIMEOUT
 * (no touch), SECKEY_ERR_DEVICE_LOST, ...
 */
int seckey_device_reset(struct seckey_device *dev, int timeout_ms,
    struct seckey_diag *diag);

#endif /* SECKEY_RESET_H */
