/*
 * seckey_credman.h: the discoverable credentials a security key holds,
 * through CTAP 2.1 credential management, for "seckey key-credentials".
 * Every call needs the key's PIN; the caller keeps and wipes it.
 *
 * CTAP gives no creation time for a credential, so none is listed.
 */
#ifndef SECKEY_CREDMAN_H
#define SECKEY_CREDMAN_H

#include <stdbool.h>
#include <stddef.h>

#include "seckey_device.h"
#include "seckey_error.h"
#include "seckey_mem.h"

/* One credential on the key; every string and buffer is owned. */
struct seckey_kcred {
	char		*rp_id;
	char		*user_name;	/* NULL: the key gave none */
	char		*display_name;	/* NULL: the key gave none */
	unsigned char	*user_id;
	size_t		 user_id_len;
	unsigned char	*cred_id;
	size_t		 cred_id_len;
	int		 cred_protect;	/* 1 .. 3, 0: not said */
};

struct seckey_kcred_list {
	struct seckey_kcred	*creds;
	size_t			 count;
};

/* Does the key speak credential management (credMgmt or the preview)? */
bool seckey_device_has_credman(const struct seckey_device *dev);

/*
 * Every discoverable credential of every relying party on dev, RP by RP
 * in the key's order.  A key holding none gives an empty list.  Errors:
 * SECKEY_ERR_UNSUPPORTED (no credential management),
 * SECKEY_ERR_PIN_NOT_SET, SECKEY_ERR_PIN_INVALID (one retry spent),
 * SECKEY_ERR_PIN_AUTH_BLOCKED, SECKEY_ERR_PIN_BLOCKED, ...
 */
int seckey_credman_list(struct seckey_device *dev,
    const struct seckey_pin *pin, int timeout_ms,
    struct seckey_kcred_list **listp, struct seckey_diag *diag);

/*
 * The discoverable credentials of one relying party on dev (an empty
 * list when it holds none), errors as seckey_credman_list().
 */
int seckey_credman_list_rp(struct seckey_device *dev,
    const struct seckey_pin *pin, const char *rp_id, int timeout_ms,
    struct seckey_kcred_list **listp, struct seckey_diag *diag);

/*
 * Delete the discoverable credential cred_id from dev.  Errors as
 * seckey_credman_list(), and SECKEY_ERR_NO_CREDENTIAL when the key does
 * not hold it.
 */
int seckey_credman_delete(struct seckey_device *dev,
    const struct seckey_pin *pin, const unsigned char *cred_id,
    size_t cred_id_len, int timeout_ms, struct seckey_diag *diag);

void seckey_kcred_list_free(struct seckey_kcred_list **listp);

#endif /* SECKEY_CREDMAN_H */
