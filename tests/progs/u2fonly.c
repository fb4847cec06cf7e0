/*
 * u2fonly.c: an LD_PRELOAD library for the helper tests that makes
 * libfido2 treat every key it opens as one that speaks U2F only, by
 * calling libfido2's own fido_dev_force_u2f() after the open.  It goes
 * before the virtual key shim in LD_PRELOAD, so its fido_dev_open()
 * wraps the shim's.  Test code only.
 */
#define _GNU_SOURCE
#include <dlfcn.h>

#include <fido.h>

int fido_dev_open(fido_dev_t *dev, const char *path);

int
fido_dev_open(fido_dev_t *dev, const char *path)
{
	int (*next)(fido_dev_t *, const char *);
	int r;

	next = (int (*)(fido_dev_t *, const char *))dlsym(RTLD_NEXT,
	    "fido_dev_open");
	if (next == NULL)
		return FIDO_ERR_INTERNAL;
	if ((r = next(dev, path)) == FIDO_OK)
		fido_dev_force_u2f(dev);
	return r;
}
