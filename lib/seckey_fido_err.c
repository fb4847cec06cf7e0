/*
 * seckey_fido_err.c: the one place where libfido2 results become
 * SECKEY_ERR_* codes.
 */
#include <config.h>

#include <fido.h>

#include "seckey_error.h"
#include "seckey_fido_err.h"

int
seckey_fido_error(int fido_r)
{
	switch (fido_r) {
	case FIDO_OK:
		return SECKEY_OK;
	case FIDO_ERR_PIN_INVALID:
	case FIDO_ERR_PIN_AUTH_INVALID:
		return SECKEY_ERR_PIN_INVALID;
	case FIDO_ERR_PIN_BLOCKED:
		return SECKEY_ERR_PIN_BLOCKED;
	case FIDO_ERR_PIN_AUTH_BLOCKED:
		return SECKEY_ERR_PIN_AUTH_BLOCKED;
	case FIDO_ERR_PIN_NOT_SET:
		return SECKEY_ERR_PIN_NOT_SET;
	case FIDO_ERR_PIN_POLICY_VIOLATION:
		return SECKEY_ERR_PIN_POLICY;
	case FIDO_ERR_NO_CREDENTIALS:
		return SECKEY_ERR_NO_CREDENTIAL;
	case FIDO_ERR_CREDENTIAL_EXCLUDED:
		return SECKEY_ERR_EXCLUDED;
	case FIDO_ERR_ACTION_TIMEOUT:
	case FIDO_ERR_USER_ACTION_TIMEOUT:
	case FIDO_ERR_OPERATION_DENIED:
		return SECKEY_ERR_TIMEOUT;
	case FIDO_ERR_KEEPALIVE_CANCEL:
		return SECKEY_ERR_CANCELLED;
	case FIDO_ERR_UNSUPPORTED_ALGORITHM:
	case FIDO_ERR_UNSUPPORTED_OPTION:
	case FIDO_ERR_UNSUPPORTED_EXTENSION:
	case FIDO_ERR_INVALID_OPTION:
		return SECKEY_ERR_UNSUPPORTED;
	case FIDO_ERR_INTERNAL:
		return SECKEY_ERR_INTERNAL;
	case FIDO_ERR_TX:
	case FIDO_ERR_RX:
		return SECKEY_ERR_DEVICE_LOST;
	default:
		return SECKEY_ERR_FIDO;
	}
}
