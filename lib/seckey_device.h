/*
 * seckey_device.h: security keys plugged in, through libfido2.
 *
 * A struct seckey_device is one opened key: the libfido2 handle plus what
 * the manifest said about it (path, transport, product).  As libfido2's
 * fido/types.h does, the struct is defined for libseckey only (built with
 * SECKEY_INTERNAL); the module and seckey see an opaque type and its
 * accessors, and so compile without libfido2's headers.  Opening a key
 * costs libfido2's CTAPHID INIT and one authenticatorGetInfo; everything
 * the sign-in needs from getInfo (PIN set?, FIDO2?) is read from what
 * libfido2 kept of that answer, so no second getInfo is sent.
 */
#ifndef SECKEY_DEVICE_H
#define SECKEY_DEVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "seckey_error.h"
#include "seckey_key.h"
#include "seckey_transport.h"

#ifdef SECKEY_INTERNAL
#include <fido.h>
#endif

/* More keys than anyone plugs in at once; the rest are ignored. */
#define SECKEY_DEVICES_MAX	16

struct seckey_device;

#ifdef SECKEY_INTERNAL
struct seckey_device {
	fido_dev_t		*dev;
	char			*path;
	char			*product;	/* "manufacturer product" */
	enum seckey_transport	 transport;
	/* The signature counter of the last silent probe, if any. */
	bool			 probed;
	uint32_t		 probe_count;
	/* The signature counter of the assertion that verified. */
	uint32_t		 assert_count;
	/* The AAGUID the key reports in getInfo, once asked. */
	bool			 have_aaguid;
	struct seckey_aaguid	 aaguid;
};
#endif

/*
 * libfido2's set-up for a program of its own (seckey): with FIDO_DEBUG
 * in the environment, libfido2 then logs every frame to stderr.  The
 * module never calls it: libfido2 works without it, its debug handler
 * is process-wide state of the PAM host, and a variable in the host's
 * environment must not make a sign-in dump its CTAP exchange.
 */
void seckey_device_init(void);

/*
 * The paths of the keys plugged in now, at most SECKEY_DEVICES_MAX.
 * *pathsp is a NULL-terminated array the caller frees with
 * seckey_device_paths_free().
 */
int seckey_device_paths(char ***pathsp, size_t *countp,
    struct seckey_diag *diag);
void seckey_device_paths_free(char ***pathsp);

/*
 * Opening a key (CTAPHID INIT and getInfo) needs no user action; a key
 * that takes longer than this to answer is broken or busy elsewhere.
 */
#define SECKEY_OPEN_TIMEOUT_MS	5000

/*
 * Open the key at path, waiting at most timeout_ms for its answers;
 * timeout_ms stays the device's timeout until changed.
 * SECKEY_ERR_NO_DEVICE if it is gone or does not answer,
 * SECKEY_ERR_UNSUPPORTED if it speaks U2F only.  The descriptors the
 * open adds are close-on-exec (libfido2 opens hidraw without O_CLOEXEC),
 * so no program started while the key is open inherits it.
 */
int seckey_device_open(const char *path, int timeout_ms,
    struct seckey_device **devp, struct seckey_diag *diag);

/* Close and free; sets *devp to NULL.  NULL is fine. */
void seckey_device_free(struct seckey_device **devp);

/* From the getInfo answer libfido2 kept when the key was opened. */
bool seckey_device_has_pin(const struct seckey_device *dev);

/*
 * The model (AAGUID) the key itself reports in getInfo.  libfido2 does
 * not keep it from the getInfo of opening, so the first call costs one
 * getInfo command; later calls read what it answered.
 */
int seckey_device_aaguid(struct seckey_device *dev,
    struct seckey_aaguid *aaguid, struct seckey_diag *diag);

/* The libfido2 path the key was opened by; valid while dev is. */
const char *seckey_device_path(const struct seckey_device *dev);

/* USB or NFC, as the path tells it. */
enum seckey_transport seckey_device_transport(const struct seckey_device *dev);

#endif /* SECKEY_DEVICE_H */
