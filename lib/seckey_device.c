/*
 * seckey_device.c: finding and opening security keys with libfido2.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "seckey_device.h"
#include "seckey_fd.h"
#include "seckey_fido_err.h"
#include "seckey_transport.h"

void
seckey_device_init(void)
{
	fido_init(0);
}

void
seckey_device_paths_free(char ***pathsp)
{
	char **paths;
	size_t i;

	if (pathsp == NULL || (paths = *pathsp) == NULL)
		return;
	for (i = 0; paths[i] != NULL; i++)
		free(paths[i]);
	free(paths);
	*pathsp = NULL;
}

int
seckey_device_paths(char ***pathsp, size_t *countp, struct seckey_diag *diag)
{
	fido_dev_info_t *infos = NULL;
	char **paths = NULL;
	size_t found = 0, i;
	int r = SECKEY_ERR_NOMEM, fr;

	*pathsp = NULL;
	*countp = 0;
	if ((infos = fido_dev_info_new(SECKEY_DEVICES_MAX)) == NULL ||
	    (paths = calloc(SECKEY_DEVICES_MAX + 1, sizeof(*paths))) == NULL)
		goto fail;
	if ((fr = fido_dev_info_manifest(infos, SECKEY_DEVICES_MAX,
	    &found)) != FIDO_OK) {
		seckey_diag_set(diag, NULL, 0, "cannot list security keys: %s",
		    fido_strerr(fr));
		r = SECKEY_ERR_FIDO;
		goto fail;
	}
	for (i = 0; i < found && i < SECKEY_DEVICES_MAX; i++) {
		const char *path = fido_dev_info_path(fido_dev_info_ptr(infos, i));

		if (path == NULL)
			continue;
		if ((paths[*countp] = strdup(path)) == NULL)
			goto fail;
		(*countp)++;
	}
	*pathsp = paths;
	paths = NULL;
	r = SECKEY_OK;
fail:
	seckey_device_paths_free(&paths);
	fido_dev_info_free(&infos, SECKEY_DEVICES_MAX);
	if (r != SECKEY_OK)
		*countp = 0;
	return r;
}

void
seckey_device_free(struct seckey_device **devp)
{
	struct seckey_device *dev;

	if (devp == NULL || (dev = *devp) == NULL)
		return;
	if (dev->dev != NULL) {
		fido_dev_close(dev->dev);
		fido_dev_free(&dev->dev);
	}
	free(dev->path);
	free(dev->product);
	free(dev);
	*devp = NULL;
}

/*
 * fido_dev_open(), and what it opened made close-on-exec (seckey_fd.c):
 * the key stays open across the PIN conversation.  SECKEY_ERR_NO_DEVICE
 * with *fr set when libfido2 fails; another error once the key is open
 * when what it opened cannot be told (the caller closes it).
 */
static int
open_cloexec(fido_dev_t *fdev, const char *path, int *fr)
{
	struct seckey_fds before;
	int r;

	*fr = FIDO_OK;
	if ((r = seckey_fds_snapshot(&before)) != SECKEY_OK)
		return r;
	if ((*fr = fido_dev_open(fdev, path)) != FIDO_OK)
		r = SECKEY_ERR_NO_DEVICE;
	else if ((r = seckey_fds_cloexec_new(&before)) >= 0)
		r = SECKEY_OK;
	seckey_fds_free(&before);
	return r;
}

int
seckey_device_open(const char *path, int timeout_ms,
    struct seckey_device **devp, struct seckey_diag *diag)
{
	struct seckey_device *dev = NULL;
	int r = SECKEY_ERR_NOMEM, fr;

	*devp = NULL;
	if ((dev = calloc(1, sizeof(*dev))) == NULL ||
	    (dev->path = strdup(path)) == NULL ||
	    (dev->dev = fido_dev_new()) == NULL)
		goto fail;
	dev->transport = seckey_transport_of_path(path);
	/* libfido2 waits for ever by default, even while opening. */
	if ((fr = fido_dev_set_timeout(dev->dev, timeout_ms)) != FIDO_OK)
		r = SECKEY_ERR_NO_DEVICE;
	else
		r = open_cloexec(dev->dev, path, &fr);
	if (r == SECKEY_ERR_NO_DEVICE) {
		seckey_diag_set(diag, NULL, 0, "cannot open security key %s: %s",
		    path, fido_strerr(fr));
		fido_dev_free(&dev->dev);
		goto fail;
	}
	if (r != SECKEY_OK) {
		seckey_diag_set(diag, NULL, 0, "cannot list the descriptors "
		    "opened for security key %s: %s", path,
		    seckey_strerror(r));
		goto fail;	/* closed, if opened, by seckey_device_free() */
	}
	if (!fido_dev_is_fido2(dev->dev)) {
		seckey_diag_set(diag, NULL, 0, "security key %s speaks U2F "
		    "only; FIDO2 with a PIN is required", path);
		r = SECKEY_ERR_UNSUPPORTED;
		goto fail;
	}
	*devp = dev;
	dev = NULL;
	r = SECKEY_OK;
fail:
	seckey_device_free(&dev);
	return r;
}

bool
seckey_device_has_pin(const struct seckey_device *dev)
{
	return fido_dev_has_pin(dev->dev);
}

int
seckey_device_aaguid(struct seckey_device *dev, struct seckey_aaguid *aaguid,
    struct seckey_diag *diag)
{
	fido_cbor_info_t *info = NULL;
	int r = SECKEY_ERR_NOMEM, fido_r;

	if (dev->have_aaguid) {
		*aaguid = dev->aaguid;
		return SECKEY_OK;
	}
	if ((info = fido_cbor_info_new()) == NULL)
		goto out;
	if ((fido_r = fido_dev_get_cbor_info(dev->dev, info)) != FIDO_OK) {
		if ((r = seckey_fido_error(fido_r)) == SECKEY_OK)
			r = SECKEY_ERR_FIDO;
		seckey_diag_set(diag, NULL, 0, "cannot read the model of "
		    "security key %s: %s", dev->path, fido_strerr(fido_r));
		goto out;
	}
	if ((r = seckey_aaguid_from_bytes(fido_cbor_info_aaguid_ptr(info),
	    fido_cbor_info_aaguid_len(info), &dev->aaguid)) != SECKEY_OK) {
		seckey_diag_set(diag, NULL, 0, "security key %s reports no "
		    "valid model (AAGUID)", dev->path);
		r = SECKEY_ERR_FIDO;
		goto out;
	}
	dev->have_aaguid = true;
	*aaguid = dev->aaguid;
	r = SECKEY_OK;
out:
	fido_cbor_info_free(&info);
	return r;
}

const char *
seckey_device_path(const struct seckey_device *dev)
{
	return dev->path;
}

enum seckey_transport
seckey_device_transport(const struct seckey_device *dev)
{
	return dev->transport;
}
