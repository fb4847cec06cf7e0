/*
 * LD_PRELOAD shim that plugs the virtual security keys into libfido2.
 *
 * tests/virtkey/with-virtkey starts one virtkey process per key, each
 * listening on a SOCK_SEQPACKET socket in $VIRTKEY_DIR, and preloads this
 * library into the client.  We interpose three public libfido2 entry points:
 *
 *   fido_dev_info_manifest  lists the virtual keys (and only them, so a
 *                           real key on the test machine is never touched);
 *   fido_dev_open           gives a virtual path our io functions before
 *                           libfido2 opens it;
 *   fido_dev_new_with_info  does the same for devices made from a manifest
 *                           entry (libfido2 copies the io functions but not
 *                           io_own, and would then ask our handle for HID
 *                           report sizes).
 *
 * Everything above the HID report (CTAPHID framing, CBOR, PIN protocols)
 * stays libfido2's own code.  Each HID report travels as one 64-byte
 * datagram; the report id byte libfido2 puts in front on write is dropped.
 *
 * A key's path is "virtkey:SOCKET" for USB and "nfc:virtkey:SOCKET" for NFC:
 * "nfc:" is libfido2's own prefix for NFC readers, so clients tell the
 * transport the way they would for a real key.  The NFC key still speaks
 * CTAPHID framing underneath (see tests/virtkey/README.md).
 */

#include "config.h"

#include <sys/socket.h>
#include <sys/un.h>

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <fido.h>

#define VIRTKEY_REPORT_LEN	64
#define VIRTKEY_MAX_KEYS	16
#define VIRTKEY_PREFIX		"virtkey:"
#define NFC_PREFIX		"nfc:"
/* Where the keys are when VIRTKEY_DIR is unset (tests/realclient/). */
#define VIRTKEY_FIXED_DIR	"/run/seckey-virtkey"

struct virtkey_handle {
	int fd;
};

/* Strips the optional "nfc:" and the "virtkey:" prefix; NULL if not ours. */
static const char *
virtkey_socket_path(const char *path)
{
	if (path == NULL)
		return NULL;
	if (strncmp(path, NFC_PREFIX, strlen(NFC_PREFIX)) == 0)
		path += strlen(NFC_PREFIX);
	if (strncmp(path, VIRTKEY_PREFIX, strlen(VIRTKEY_PREFIX)) != 0)
		return NULL;
	return path + strlen(VIRTKEY_PREFIX);
}

static void *
virtkey_open(const char *path)
{
	struct virtkey_handle *handle = NULL;
	struct sockaddr_un addr;
	const char *sock_path;
	int fd = -1;

	if ((sock_path = virtkey_socket_path(path)) == NULL ||
	    strlen(sock_path) >= sizeof(addr.sun_path))
		goto fail;
	memset(&addr, 0, sizeof(addr));
	addr.sun_family = AF_UNIX;
	memcpy(addr.sun_path, sock_path, strlen(sock_path) + 1);
	/*
	 * No SOCK_CLOEXEC, on purpose: libfido2 1.12 opens a hidraw node
	 * with open(path, O_RDWR) (hid_unix.c), so a real key's descriptor
	 * is inheritable too, and the tests must see what its clients see.
	 */
	if ((fd = socket(AF_UNIX, SOCK_SEQPACKET, 0)) < 0)
		goto fail;
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0)
		goto fail;
	if ((handle = calloc(1, sizeof(*handle))) == NULL)
		goto fail;
	handle->fd = fd;
	return handle;
fail:
	if (fd >= 0)
		close(fd);
	return NULL;
}

static void
virtkey_close(void *opaque)
{
	struct virtkey_handle *handle = opaque;

	if (handle == NULL)
		return;
	close(handle->fd);
	free(handle);
}

/* libfido2 asks for exactly one report; ms < 0 means wait for ever. */
static int
virtkey_read(void *opaque, unsigned char *buf, size_t len, int ms)
{
	struct virtkey_handle *handle = opaque;
	struct pollfd pfd;
	ssize_t n;
	int r;

	if (handle == NULL || len != VIRTKEY_REPORT_LEN)
		return -1;
	pfd.fd = handle->fd;
	pfd.events = POLLIN;
	pfd.revents = 0;
	do {
		r = poll(&pfd, 1, ms < 0 ? -1 : ms);
	} while (r < 0 && errno == EINTR);
	if (r <= 0)
		return -1;
	if ((n = recv(handle->fd, buf, len, 0)) != (ssize_t)len)
		return -1;	/* 0: the key was pulled out */
	return (int)n;
}

static int
virtkey_write(void *opaque, const unsigned char *buf, size_t len)
{
	struct virtkey_handle *handle = opaque;
	ssize_t n;

	if (handle == NULL || len != VIRTKEY_REPORT_LEN + 1)
		return -1;
	n = send(handle->fd, buf + 1, VIRTKEY_REPORT_LEN, MSG_NOSIGNAL);
	if (n != VIRTKEY_REPORT_LEN)
		return -1;
	return (int)len;
}

static const fido_dev_io_t virtkey_io = {
	virtkey_open,
	virtkey_close,
	virtkey_read,
	virtkey_write,
};

static void *
real_symbol(const char *name)
{
	void *sym;

	if ((sym = dlsym(RTLD_NEXT, name)) == NULL) {
		fprintf(stderr, "virtkey shim: %s not found\n", name);
		abort();
	}
	return sym;
}

/* Socket names are "key<N>-<usb|nfc>.sock"; returns N or -1. */
static int
parse_socket_name(const char *name, int *is_nfc)
{
	char transport[4];
	char tail[6];
	int index;

	if (sscanf(name, "key%d-%3[a-z]%5s", &index, transport, tail) != 3 ||
	    strcmp(tail, ".sock") != 0 || index < 0 ||
	    index >= VIRTKEY_MAX_KEYS)
		return -1;
	if (strcmp(transport, "usb") == 0)
		*is_nfc = 0;
	else if (strcmp(transport, "nfc") == 0)
		*is_nfc = 1;
	else
		return -1;
	return index;
}

/* Fills the manifest slot of one key; returns 0 or -1. */
static int
add_key(fido_dev_info_t *devlist, size_t slot, const char *dir,
    const char *name, int is_nfc)
{
	char path[512];
	int n;

	n = snprintf(path, sizeof(path), "%s%s%s/%s",
	    is_nfc ? NFC_PREFIX : "", VIRTKEY_PREFIX, dir, name);
	if (n < 0 || (size_t)n >= sizeof(path))
		return -1;
	if (fido_dev_info_set(devlist, slot, path, "pam_seckey",
	    "Virtual Security Key", &virtkey_io, NULL) != FIDO_OK)
		return -1;
	return 0;
}

/*
 * The folder of the key sockets: $VIRTKEY_DIR, or else VIRTKEY_FIXED_DIR
 * when it exists.  Programs that clear the environment (sudo, login,
 * sshd's PAM child) and setuid programs, which get the shim from an
 * /etc/ld.so.preload inside the real-client suite's private mount
 * namespace, find the keys there.  NULL: neither, so no virtual key.
 */
static const char *
virtkey_dir(void)
{
	const char *dir = getenv("VIRTKEY_DIR");
	DIR *dirp;

	if (dir != NULL)
		return dir;
	if ((dirp = opendir(VIRTKEY_FIXED_DIR)) == NULL)
		return NULL;
	closedir(dirp);
	return VIRTKEY_FIXED_DIR;
}

/*
 * Lists the sockets of the key folder in key order.  Without one the real
 * manifest is used, so the shim is harmless when preloaded by mistake.
 */
int
fido_dev_info_manifest(fido_dev_info_t *devlist, size_t ilen, size_t *olen)
{
	int (*real)(fido_dev_info_t *, size_t, size_t *);
	char names[VIRTKEY_MAX_KEYS][64];
	int nfc[VIRTKEY_MAX_KEYS];
	const char *dir = virtkey_dir();
	struct dirent *entry;
	DIR *dirp;
	size_t slot = 0;
	int i, index, is_nfc;

	if (dir == NULL) {
		real = real_symbol("fido_dev_info_manifest");
		return real(devlist, ilen, olen);
	}
	*olen = 0;
	memset(names, 0, sizeof(names));
	if ((dirp = opendir(dir)) == NULL)
		return FIDO_OK;		/* no key plugged in */
	while ((entry = readdir(dirp)) != NULL) {
		if ((index = parse_socket_name(entry->d_name, &is_nfc)) < 0 ||
		    strlen(entry->d_name) >= sizeof(names[0]))
			continue;
		memcpy(names[index], entry->d_name, strlen(entry->d_name) + 1);
		nfc[index] = is_nfc;
	}
	closedir(dirp);
	for (i = 0; i < VIRTKEY_MAX_KEYS && slot < ilen; i++) {
		if (names[i][0] == '\0')
			continue;
		if (add_key(devlist, slot, dir, names[i], nfc[i]) < 0)
			return FIDO_ERR_INTERNAL;
		slot++;
	}
	*olen = slot;
	return FIDO_OK;
}

int
fido_dev_open(fido_dev_t *dev, const char *path)
{
	int (*real)(fido_dev_t *, const char *);
	const char *sock_path;
	int r;

	real = real_symbol("fido_dev_open");
	if ((sock_path = virtkey_socket_path(path)) == NULL)
		return real(dev, path);
	if ((r = fido_dev_set_io_functions(dev, &virtkey_io)) != FIDO_OK)
		return r;
	/* Without the "nfc:" prefix libfido2 keeps our io functions. */
	return real(dev, sock_path - strlen(VIRTKEY_PREFIX));
}

fido_dev_t *
fido_dev_new_with_info(const fido_dev_info_t *di)
{
	fido_dev_t *(*real)(const fido_dev_info_t *);
	fido_dev_t *dev;

	real = real_symbol("fido_dev_new_with_info");
	if ((dev = real(di)) == NULL)
		return NULL;
	if (virtkey_socket_path(fido_dev_info_path(di)) != NULL &&
	    fido_dev_set_io_functions(dev, &virtkey_io) != FIDO_OK)
		fido_dev_free(&dev);
	return dev;
}
