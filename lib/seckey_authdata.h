/*
 * seckey_authdata.h: the bits of the flags byte in the authenticator data
 * a key signs (WebAuthn, section 6.1), as registration and the assertion
 * check them.
 */
#ifndef SECKEY_AUTHDATA_H
#define SECKEY_AUTHDATA_H

#define SECKEY_FLAG_UP	0x01	/* user present: the key was touched */
#define SECKEY_FLAG_UV	0x04	/* user verified: the PIN was checked */

#endif /* SECKEY_AUTHDATA_H */
