/*
 * seckey_pin_mgmt.h: setting and changing a security key's PIN, for
 * "seckey pin set" and "seckey pin change".  The retries left are read
 * with seckey_pin_retries() (seckey_assert.h).
 */
#ifndef SECKEY_PIN_MGMT_H
#define SECKEY_PIN_MGMT_H

#include <stddef.h>

#include "seckey_device.h"
#include "seckey_error.h"
#include "seckey_mem.h"

/*
 * CTAP 2.1's rules for a new PIN: UTF-8 (here also without control
 * characters, which no one can type twice alike), at least min_chars
 * code points, at most 63 bytes.  SECKEY_ERR_PIN_POLICY says which rule
 * failed in diag.
 */
int seckey_pin_check_rules(const struct seckey_pin *pin, size_t min_chars,
    struct seckey_diag *diag);

/*
 * Create the first PIN of a key that has none.  Errors as the key
 * reports them: SECKEY_ERR_PIN_POLICY (the key wants another PIN), ...
 */
int seckey_device_set_pin(struct seckey_device *dev,
    const struct seckey_pin *new_pin, int timeout_ms,
    struct seckey_diag *diag);

/*
 * Change the PIN.  SECKEY_ERR_PIN_INVALID (old PIN wrong: one retry
 * spent), SECKEY_ERR_PIN_AUTH_BLOCKED, SECKEY_ERR_PIN_BLOCKED,
 * SECKEY_ERR_PIN_POLICY, ...
 */
int seckey_device_change_pin(struct seckey_device *dev,
    const struct seckey_pin *old_pin, const struct seckey_pin *new_pin,
    int timeout_ms, struct seckey_diag *diag);

#endif /* SECKEY_PIN_MGMT_H */
