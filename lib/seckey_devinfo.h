/*
 * seckey_devinfo.h: what the helper tells about plugged keys before it
 * asks for anything: model, transport, PIN set, PIN retries left.
 *
 * seckey_device.h opens keys; this adds the facts that need one more
 * authenticatorGetInfo (AAGUID, minimum PIN length, longest credential
 * list) and the manifest's manufacturer and product strings.
 */
#ifndef SECKEY_DEVINFO_H
#define SECKEY_DEVINFO_H

#include <stdbool.h>
#include <stddef.h>

#include "seckey_aaguid.h"
#include "seckey_device.h"
#include "seckey_error.h"

/* CTAP 2.1: a PIN has at least 4 code points unless the key asks more. */
#define SECKEY_PIN_MIN_CHARS	4

/* From one getInfo answer. */
struct seckey_device_facts {
	struct seckey_aaguid	 aaguid;
	bool			 has_aaguid;
	size_t			 min_pin_len;	/* code points, at least 4 */
	size_t			 max_cred_list;	/* 0: the key does not say */
};

int seckey_device_facts(struct seckey_device *dev,
    struct seckey_device_facts *facts, struct seckey_diag *diag);

/* One plugged key as "seckey devices" shows it. */
struct seckey_devinfo {
	char			*path;
	char			*product;	/* "manufacturer product" */
	enum seckey_transport	 transport;
	int			 open_error;	/* 0, or why it did not open */
	bool			 fido2;
	bool			 has_pin;
	int			 pin_retries;	/* -1: unknown */
	struct seckey_device_facts facts;
};

struct seckey_devinfo_list {
	struct seckey_devinfo	 items[SECKEY_DEVICES_MAX];
	size_t			 count;
};

/*
 * Every plugged key, opened one after the other and described.  A key
 * that cannot be opened is listed with open_error set.
 */
int seckey_devinfo_list(struct seckey_devinfo_list **listp,
    struct seckey_diag *diag);
void seckey_devinfo_list_free(struct seckey_devinfo_list **listp);

#endif /* SECKEY_DEVINFO_H */
