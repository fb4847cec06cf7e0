/*
 * seckey_transport.c: the names of the transports and the transport a
 * key's path stands for.
 */
#include <config.h>

#include <string.h>

#include "seckey_error.h"
#include "seckey_transport.h"

static const char *const transport_names[] = {
	[SECKEY_TRANSPORT_USB] = "usb",
	[SECKEY_TRANSPORT_NFC] = "nfc",
};

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

int
seckey_transport_parse(const char *text, enum seckey_transport *transport)
{
	size_t i;

	for (i = 0; text != NULL && i < NELEM(transport_names); i++)
		if (strcmp(text, transport_names[i]) == 0) {
			*transport = (enum seckey_transport)i;
			return SECKEY_OK;
		}

	return SECKEY_ERR_SYNTAX;
}

bool
seckey_transport_known(enum seckey_transport transport)
{
	return (size_t)transport < NELEM(transport_names);
}

const char *
seckey_transport_name(enum seckey_transport transport)
{
	if (!seckey_transport_known(transport))
		return "unknown";
	return transport_names[transport];
}

enum seckey_transport
seckey_transport_of_path(const char *path)
{
	if (strncmp(path, "nfc:", 4) == 0 || strncmp(path, "pcsc:", 5) == 0)
		return SECKEY_TRANSPORT_NFC;
	return SECKEY_TRANSPORT_USB;
}
