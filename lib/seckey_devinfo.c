/*
 * seckey_devinfo.c: the plugged keys and their getInfo facts, for
 * "seckey devices" and for the checks registration and "pin set" make
 * before they ask for a PIN.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seckey_assert.h"
#include "seckey_devinfo.h"
#include "seckey_fido_err.h"
#include "seckey_policy.h"

int
seckey_device_facts(struct seckey_device *dev,
    struct seckey_device_facts *facts, struct seckey_diag *diag)
{
	fido_cbor_info_t *info = NULL;
	int r = SECKEY_ERR_NOMEM, fido_r;

	memset(facts, 0, sizeof(*facts));
	facts->min_pin_len = SECKEY_PIN_MIN_CHARS;
	if ((info = fido_cbor_info_new()) == NULL)
		goto fail;
	if ((fido_r = fido_dev_get_cbor_info(dev->dev, info)) != FIDO_OK) {
		seckey_diag_set(diag, NULL, 0, "cannot read the properties "
		    "of security key %s: %s", dev->path, fido_strerr(fido_r));
		r = seckey_fido_error(fido_r);
		goto fail;
	}
	facts->has_aaguid = seckey_aaguid_from_bytes(
	    fido_cbor_info_aaguid_ptr(info), fido_cbor_info_aaguid_len(info),
	    &facts->aaguid) == SECKEY_OK;
	/* Only ever raised: a key cannot lower CTAP's minimum. */
	if (fido_cbor_info_minpinlen(info) > SECKEY_PIN_MIN_CHARS &&
	    fido_cbor_info_minpinlen(info) <= SECKEY_PIN_MAX)
		facts->min_pin_len = (size_t)fido_cbor_info_minpinlen(info);
	facts->max_cred_list = SECKEY_MAX_KEYS;
	if (fido_cbor_info_maxcredcntlst(info) < SECKEY_MAX_KEYS)
		facts->max_cred_list =
		    (size_t)fido_cbor_info_maxcredcntlst(info);

	r = SECKEY_OK;
fail:
	fido_cbor_info_free(&info);

	return r;
}

static void
devinfo_clear(struct seckey_devinfo *item)
{
	free(item->path);
	free(item->product);
	memset(item, 0, sizeof(*item));
}

void
seckey_devinfo_list_free(struct seckey_devinfo_list **listp)
{
	struct seckey_devinfo_list *list;
	size_t i;

	if (listp == NULL || (list = *listp) == NULL)
		return;
	for (i = 0; i < list->count; i++)
		devinfo_clear(&list->items[i]);
	free(list);
	*listp = NULL;
}

/* "manufacturer product", either of which a key may leave out. */
static char *
product_name(const fido_dev_info_t *di)
{
	const char *maker = fido_dev_info_manufacturer_string(di);
	const char *product = fido_dev_info_product_string(di);
	char *name = NULL;

	if (maker == NULL)
		maker = "";
	if (product == NULL)
		product = "";
	if (asprintf(&name, "%s%s%s", maker, maker[0] != '\0' &&
	    product[0] != '\0' ? " " : "", product) < 0)
		return NULL;

	return name;
}

/*
 * Open the key and read what it tells without a PIN.  Failing to open
 * it is recorded, not returned: the other keys are still worth listing.
 */
static void
describe(struct seckey_devinfo *item)
{
	struct seckey_device *dev = NULL;
	struct seckey_diag ignored;
	int r;

	item->pin_retries = -1;
	if ((r = seckey_device_open(item->path, SECKEY_OPEN_TIMEOUT_MS, &dev,
	    &ignored)) != SECKEY_OK) {
		/* U2F only: it opened, but has nothing more to tell. */
		if (r != SECKEY_ERR_UNSUPPORTED)
			item->open_error = r;
		return;
	}
	item->fido2 = true;
	item->has_pin = seckey_device_has_pin(dev);
	if (item->has_pin && (r = seckey_pin_retries(dev)) >= 0)
		item->pin_retries = r;
	(void)seckey_device_facts(dev, &item->facts, &ignored);
	seckey_device_free(&dev);
}

static int
add_item(struct seckey_devinfo_list *list, const fido_dev_info_t *di)
{
	struct seckey_devinfo *item = &list->items[list->count];
	const char *path = fido_dev_info_path(di);

	if (path == NULL)
		return SECKEY_OK;
	memset(item, 0, sizeof(*item));
	if ((item->path = strdup(path)) == NULL ||
	    (item->product = product_name(di)) == NULL) {
		devinfo_clear(item);
		return SECKEY_ERR_NOMEM;
	}
	item->transport = seckey_transport_of_path(path);
	list->count++;
	describe(item);

	return SECKEY_OK;
}

int
seckey_devinfo_list(struct seckey_devinfo_list **listp,
    struct seckey_diag *diag)
{
	struct seckey_devinfo_list *list = NULL;
	fido_dev_info_t *infos = NULL;
	size_t found = 0, i;
	int r = SECKEY_ERR_NOMEM, fido_r;

	*listp = NULL;
	if ((list = calloc(1, sizeof(*list))) == NULL ||
	    (infos = fido_dev_info_new(SECKEY_DEVICES_MAX)) == NULL)
		goto fail;
	if ((fido_r = fido_dev_info_manifest(infos, SECKEY_DEVICES_MAX,
	    &found)) != FIDO_OK) {
		seckey_diag_set(diag, NULL, 0, "cannot list security keys: %s",
		    fido_strerr(fido_r));
		r = SECKEY_ERR_FIDO;
		goto fail;
	}
	for (i = 0; i < found && i < SECKEY_DEVICES_MAX; i++)
		if ((r = add_item(list, fido_dev_info_ptr(infos, i))) !=
		    SECKEY_OK)
			goto fail;
	*listp = list;
	list = NULL;

	r = SECKEY_OK;
fail:
	if (r == SECKEY_ERR_NOMEM)
		seckey_diag_set(diag, NULL, 0, "out of memory");
	seckey_devinfo_list_free(&list);
	fido_dev_info_free(&infos, SECKEY_DEVICES_MAX);

	return r;
}
