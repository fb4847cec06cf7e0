/*
 * seckey_transport.h: how a security key reaches the computer (USB or
 * NFC), as a key list records it and as a key's path tells it.  Kept
 * apart so that callers can name a transport without libfido2.
 */
#ifndef SECKEY_TRANSPORT_H
#define SECKEY_TRANSPORT_H

#include <stdbool.h>

enum seckey_transport {
	SECKEY_TRANSPORT_USB,
	SECKEY_TRANSPORT_NFC,
};

/* "usb" or "nfc" to the enum; SECKEY_ERR_SYNTAX for anything else. */
int seckey_transport_parse(const char *text, enum seckey_transport *transport);

/* The word a key list writes, or "unknown" for a value out of range. */
const char *seckey_transport_name(enum seckey_transport transport);

/* Is transport one of the values above? */
bool seckey_transport_known(enum seckey_transport transport);

/* The transport a libfido2 path stands for ("nfc:" and "pcsc:" prefixes). */
enum seckey_transport seckey_transport_of_path(const char *path);

#endif /* SECKEY_TRANSPORT_H */
