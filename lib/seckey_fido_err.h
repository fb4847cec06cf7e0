/*
 * seckey_fido_err.h: libfido2 results translated into SECKEY_ERR_* codes,
 * once, at the boundary with libfido2.
 */
#ifndef SECKEY_FIDO_ERR_H
#define SECKEY_FIDO_ERR_H

/* Translate a libfido2 result into a SECKEY_ERR_* (0 for FIDO_OK). */
int seckey_fido_error(int fido_r);

#endif /* SECKEY_FIDO_ERR_H */
