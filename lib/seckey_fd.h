/*
 * seckey_fd.h: keeping the descriptors libfido2 opens out of programs
 * the PAM conversation starts.
 *
 * libfido2 opens a USB key's hidraw node without O_CLOEXEC (1.12, and
 * hid_unix.c still does), hands the descriptor to no one, and the module
 * keeps the key open across the PIN conversation, during which the host
 * may start programs.  A snapshot of the open descriptors taken before
 * fido_dev_open() tells which ones it added; those get FD_CLOEXEC.
 */
#ifndef SECKEY_FD_H
#define SECKEY_FD_H

#include <stddef.h>

#include "seckey_error.h"

/* The descriptors open at one moment, in ascending order. */
struct seckey_fds {
	int	*fds;
	size_t	 count;
};

/* Take a snapshot; 0, or SECKEY_ERR_NOMEM / SECKEY_ERR_IO. */
int seckey_fds_snapshot(struct seckey_fds *snap);

/*
 * Set FD_CLOEXEC on every descriptor open now that was not in before
 * and lacks it.  Returns how many it marked, or a negative SECKEY_ERR_*
 * when the descriptors open now cannot be listed.
 */
int seckey_fds_cloexec_new(const struct seckey_fds *before);

/* Free the snapshot's array; the struct may be reused. */
void seckey_fds_free(struct seckey_fds *snap);

#endif /* SECKEY_FD_H */
