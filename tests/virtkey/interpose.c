/*
 * interpose.c: the libfido2 functions that plug software keys in (see
 * interpose.h), shared by the virtual key shim and the fuzzers' fake
 * keys, and the socket transport of a report.
 */
#include <config.h>

#include <sys/socket.h>
#include <sys/un.h>

#include <dlfcn.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <fido.h>

#include "interpose.h"

#define NFC_PREFIX	"nfc:"

static void *
real_symbol(const char *name)
{
	void *sym;

	if ((sym = dlsym(RTLD_NEXT, name)) == NULL) {
		fprintf(stderr, "%s: %s not found\n", fido_interpose_keys.who,
		    name);
		abort();
	}

	return sym;
}

const char *
fido_interpose_name(const char *path)
{
	const struct fido_interpose *fi = &fido_interpose_keys;

	if (path == NULL)
		return NULL;
	if (strncmp(path, NFC_PREFIX, strlen(NFC_PREFIX)) == 0)
		path += strlen(NFC_PREFIX);
	if (strncmp(path, fi->prefix, strlen(fi->prefix)) != 0)
		return NULL;
	path += strlen(fi->prefix);
	if (fi->is_key != NULL && !fi->is_key(path))
		return NULL;

	return path;
}

/* Fills the manifest slot of one key; returns 0 or -1. */
static int
add_key(fido_dev_info_t *devlist, size_t slot,
    const struct fido_interpose_key *key)
{
	const struct fido_interpose *fi = &fido_interpose_keys;
	char path[FIDO_INTERPOSE_NAME_MAX];
	int n;

	n = snprintf(path, sizeof(path), "%s%s%s", key->nfc ? NFC_PREFIX : "",
	    fi->prefix, key->name);
	if (n < 0 || (size_t)n >= sizeof(path))
		return -1;
	if (fido_dev_info_set(devlist, slot, path, "pam_seckey", fi->product,
	    fi->io, NULL) != FIDO_OK)
		return -1;

	return 0;
}

/* Lists the keys only, so a real key on the machine is never touched. */
int
fido_dev_info_manifest(fido_dev_info_t *devlist, size_t ilen, size_t *olen)
{
	int (*real)(fido_dev_info_t *, size_t, size_t *);
	struct fido_interpose_key keys[FIDO_INTERPOSE_KEYS_MAX];
	size_t slot;
	int nkeys;

	memset(keys, 0, sizeof(keys));
	nkeys = fido_interpose_keys.list(keys, FIDO_INTERPOSE_KEYS_MAX);
	if (nkeys == FIDO_INTERPOSE_LIBFIDO2) {
		real = real_symbol("fido_dev_info_manifest");
		return real(devlist, ilen, olen);
	}
	*olen = 0;
	if (nkeys < 0 || nkeys > FIDO_INTERPOSE_KEYS_MAX)
		return FIDO_ERR_INTERNAL;
	for (slot = 0; slot < (size_t)nkeys && slot < ilen; slot++)
		if (add_key(devlist, slot, &keys[slot]) < 0)
			return FIDO_ERR_INTERNAL;
	*olen = slot;

	return FIDO_OK;
}

int
fido_dev_open(fido_dev_t *dev, const char *path)
{
	const struct fido_interpose *fi = &fido_interpose_keys;
	int (*real)(fido_dev_t *, const char *);
	const char *name;
	int r;

	real = real_symbol("fido_dev_open");
	if ((name = fido_interpose_name(path)) == NULL)
		return fi->pass_others ? real(dev, path) :
		    FIDO_ERR_INVALID_ARGUMENT;
	if ((r = fido_dev_set_io_functions(dev, fi->io)) != FIDO_OK)
		return r;
	/* Without the "nfc:" prefix libfido2 keeps our io functions. */
	return real(dev, name - strlen(fi->prefix));
}

/* libfido2 copies the io functions but not io_own: set them again. */
fido_dev_t *
fido_dev_new_with_info(const fido_dev_info_t *di)
{
	fido_dev_t *(*real)(const fido_dev_info_t *);
	fido_dev_t *dev;

	real = real_symbol("fido_dev_new_with_info");
	if ((dev = real(di)) == NULL)
		return NULL;
	if (fido_interpose_name(fido_dev_info_path(di)) != NULL &&
	    fido_dev_set_io_functions(dev, fido_interpose_keys.io) != FIDO_OK)
		fido_dev_free(&dev);

	return dev;
}

int
fido_interpose_connect(const char *socket_path, int type_flags)
{
	struct sockaddr_un addr;
	int fd;

	if (strlen(socket_path) >= sizeof(addr.sun_path))
		return -1;
	memset(&addr, 0, sizeof(addr));
	addr.sun_family = AF_UNIX;
	memcpy(addr.sun_path, socket_path, strlen(socket_path) + 1);
	if ((fd = socket(AF_UNIX, SOCK_SEQPACKET | type_flags, 0)) < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		close(fd);
		return -1;
	}

	return fd;
}

int
fido_interpose_recv(int fd, unsigned char *buf, size_t len, int ms)
{
	struct pollfd pfd;
	int r;

	pfd.fd = fd;
	pfd.events = POLLIN;
	pfd.revents = 0;
	do {
		r = poll(&pfd, 1, ms < 0 ? -1 : ms);
	} while (r < 0 && errno == EINTR);
	if (r <= 0)
		return -1;
	if (recv(fd, buf, len, 0) != (ssize_t)len)
		return -1;	/* 0: the key was pulled out */

	return (int)len;
}

int
fido_interpose_send(int fd, const unsigned char *buf, size_t len)
{
	if (len != FIDO_INTERPOSE_REPORT_LEN + 1)
		return -1;
	if (send(fd, buf + 1, FIDO_INTERPOSE_REPORT_LEN, MSG_NOSIGNAL) !=
	    FIDO_INTERPOSE_REPORT_LEN)
		return -1;

	return (int)len;
}
