/*
 * LD_PRELOAD shim that plugs the virtual security keys into libfido2.
 *
 * tests/virtkey/with-virtkey starts one virtkey process per key, each
 * listening on a SOCK_SEQPACKET socket in $VIRTKEY_DIR, and preloads this
 * library into the client.  interpose.c makes libfido2 list the virtual
 * keys (and only them, so a real key on the test machine is never
 * touched) and open them with the io functions here; this file says where
 * the keys are and carries each HID report as one 64-byte datagram.
 *
 * A key's path is "virtkey:SOCKET" for USB and "nfc:virtkey:SOCKET" for
 * NFC; the NFC key still speaks CTAPHID framing underneath (see
 * tests/virtkey/README.md).
 */

#include "config.h"

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <fido.h>

#include "interpose.h"

#define VIRTKEY_MAX_KEYS	FIDO_INTERPOSE_KEYS_MAX
/* Where the keys are when VIRTKEY_DIR is unset (tests/realclient/). */
#define VIRTKEY_FIXED_DIR	"/run/seckey-virtkey"

struct virtkey_handle {
	int fd;
};

static void *
virtkey_open(const char *path)
{
	struct virtkey_handle *handle = NULL;
	const char *sock_path;
	int fd = -1;

	if ((sock_path = fido_interpose_name(path)) == NULL)
		goto fail;
	/*
	 * No SOCK_CLOEXEC, on purpose: libfido2 1.12 opens a hidraw node
	 * with open(path, O_RDWR) (hid_unix.c), so a real key's descriptor
	 * is inheritable too, and the tests must see what its clients see.
	 */
	if ((fd = fido_interpose_connect(sock_path, 0)) < 0)
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

	if (handle == NULL || len != FIDO_INTERPOSE_REPORT_LEN)
		return -1;
	return fido_interpose_recv(handle->fd, buf, len, ms);
}

static int
virtkey_write(void *opaque, const unsigned char *buf, size_t len)
{
	struct virtkey_handle *handle = opaque;

	if (handle == NULL)
		return -1;
	return fido_interpose_send(handle->fd, buf, len);
}

static const fido_dev_io_t virtkey_io = {
	virtkey_open,
	virtkey_close,
	virtkey_read,
	virtkey_write,
};

/* Socket names are "key<N>-<usb|nfc>.sock"; returns N or -1. */
static int
parse_socket_name(const char *name, bool *is_nfc)
{
	char transport[4];
	char tail[6];
	int index;

	if (sscanf(name, "key%d-%3[a-z]%5s", &index, transport, tail) != 3 ||
	    strcmp(tail, ".sock") != 0 || index < 0 ||
	    index >= VIRTKEY_MAX_KEYS)
		return -1;
	if (strcmp(transport, "usb") == 0)
		*is_nfc = false;
	else if (strcmp(transport, "nfc") == 0)
		*is_nfc = true;
	else
		return -1;
	return index;
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
 * The sockets of the key folder in key order.  Without a folder the real
 * manifest is used, so the shim is harmless when preloaded by mistake.
 */
static int
virtkey_list(struct fido_interpose_key *keys, size_t max)
{
	char names[VIRTKEY_MAX_KEYS][64];
	bool nfc[VIRTKEY_MAX_KEYS];
	const char *dir = virtkey_dir();
	struct dirent *entry;
	DIR *dirp;
	size_t nkeys = 0;
	int i, index, n;
	bool is_nfc;

	if (dir == NULL)
		return FIDO_INTERPOSE_LIBFIDO2;
	memset(names, 0, sizeof(names));
	if ((dirp = opendir(dir)) == NULL)
		return 0;		/* no key plugged in */
	while ((entry = readdir(dirp)) != NULL) {
		if ((index = parse_socket_name(entry->d_name, &is_nfc)) < 0 ||
		    strlen(entry->d_name) >= sizeof(names[0]))
			continue;
		memcpy(names[index], entry->d_name, strlen(entry->d_name) + 1);
		nfc[index] = is_nfc;
	}
	closedir(dirp);
	for (i = 0; i < VIRTKEY_MAX_KEYS && nkeys < max; i++) {
		if (names[i][0] == '\0')
			continue;
		n = snprintf(keys[nkeys].name, sizeof(keys[nkeys].name),
		    "%s/%s", dir, names[i]);
		if (n < 0 || (size_t)n >= sizeof(keys[nkeys].name))
			return FIDO_INTERPOSE_ERROR;
		keys[nkeys++].nfc = nfc[i];
	}
	return (int)nkeys;
}

const struct fido_interpose fido_interpose_keys = {
	.who = "virtkey shim",
	.prefix = "virtkey:",
	.product = "Virtual Security Key",
	.io = &virtkey_io,
	.list = virtkey_list,
	.is_key = NULL,
	.pass_others = true,
};
