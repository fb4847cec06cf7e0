/*
 * seckey_credman.c: listing and deleting the discoverable credentials of
 * a key through libfido2's fido_credman_* (CTAP 2.1 credential
 * management).  libfido2 runs the PIN protocol, asks for a token with
 * the cm permission for each call and wipes its own copies of the PIN.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <fido/credman.h>

#include "seckey_credman.h"
#include "seckey_fido_err.h"

bool
seckey_device_has_credman(const struct seckey_device *dev)
{
	return dev != NULL && fido_dev_supports_credman(dev->dev);
}

static int
dup_text(const char *s, char **out)
{
	*out = NULL;
	if (s == NULL)
		return SECKEY_OK;
	return (*out = strdup(s)) != NULL ? SECKEY_OK : SECKEY_ERR_NOMEM;
}

static int
dup_bytes(const unsigned char *p, size_t len, unsigned char **out,
    size_t *out_len)
{
	*out = NULL;
	*out_len = 0;
	if (p == NULL || len == 0)
		return SECKEY_OK;
	if ((*out = malloc(len)) == NULL)
		return SECKEY_ERR_NOMEM;
	memcpy(*out, p, len);
	*out_len = len;
	return SECKEY_OK;
}

static void
kcred_clear(struct seckey_kcred *kc)
{
	free(kc->rp_id);
	free(kc->user_name);
	free(kc->display_name);
	free(kc->user_id);
	free(kc->cred_id);
	memset(kc, 0, sizeof(*kc));
}

/* Append the credential cred of rp_id to list. */
static int
list_add(struct seckey_kcred_list *list, const char *rp_id,
    const fido_cred_t *cred)
{
	struct seckey_kcred *grown, *kc;
	int r;

	if (fido_cred_id_ptr(cred) == NULL || fido_cred_id_len(cred) == 0)
		return SECKEY_ERR_FIDO;
	if ((grown = reallocarray(list->creds, list->count + 1,
	    sizeof(*grown))) == NULL)
		return SECKEY_ERR_NOMEM;
	list->creds = grown;
	kc = &list->creds[list->count];
	memset(kc, 0, sizeof(*kc));
	if ((r = dup_text(rp_id, &kc->rp_id)) != SECKEY_OK ||
	    (r = dup_text(fido_cred_user_name(cred),
	    &kc->user_name)) != SECKEY_OK ||
	    (r = dup_text(fido_cred_display_name(cred),
	    &kc->display_name)) != SECKEY_OK ||
	    (r = dup_bytes(fido_cred_user_id_ptr(cred),
	    fido_cred_user_id_len(cred), &kc->user_id,
	    &kc->user_id_len)) != SECKEY_OK ||
	    (r = dup_bytes(fido_cred_id_ptr(cred), fido_cred_id_len(cred),
	    &kc->cred_id, &kc->cred_id_len)) != SECKEY_OK) {
		kcred_clear(kc);
		return r;
	}
	kc->cred_protect = fido_cred_prot(cred);
	list->count++;
	return SECKEY_OK;
}

static int
fido_fail(int fido_r, const struct seckey_device *dev, const char *what,
    struct seckey_diag *diag)
{
	seckey_diag_set(diag, NULL, 0, "%s on security key %s failed: %s",
	    what, dev->path, fido_strerr(fido_r));
	return seckey_fido_error(fido_r);
}

/* The credentials of one relying party, appended to list. */
static int
list_rp(struct seckey_device *dev, const struct seckey_pin *pin,
    const char *rp_id, struct seckey_kcred_list *list,
    struct seckey_diag *diag)
{
	fido_credman_rk_t *rk;
	int fido_r, r = SECKEY_OK;

	if ((rk = fido_credman_rk_new()) == NULL)
		return SECKEY_ERR_NOMEM;
	fido_r = fido_credman_get_dev_rk(dev->dev, rp_id, rk, pin->text);
	if (fido_r != FIDO_OK && fido_r != FIDO_ERR_NO_CREDENTIALS)
		r = fido_fail(fido_r, dev, "listing credentials", diag);
	for (size_t i = 0; fido_r == FIDO_OK && r == SECKEY_OK &&
	    i < fido_credman_rk_count(rk); i++)
		r = list_add(list, rp_id, fido_credman_rk(rk, i));
	fido_credman_rk_free(&rk);
	return r;
}

/* Credential management on a key with a PIN: what to check first. */
static int
credman_ready(struct seckey_device *dev, const struct seckey_pin *pin,
    int timeout_ms, struct seckey_diag *diag)
{
	if (dev == NULL || pin == NULL || timeout_ms <= 0)
		return SECKEY_ERR_INVAL;
	if (!seckey_device_has_credman(dev)) {
		seckey_diag_set(diag, NULL, 0, "security key %s has no "
		    "credential management", dev->path);
		return SECKEY_ERR_UNSUPPORTED;
	}
	if (!seckey_device_has_pin(dev))
		return SECKEY_ERR_PIN_NOT_SET;
	if (fido_dev_set_timeout(dev->dev, timeout_ms) != FIDO_OK)
		return SECKEY_ERR_INTERNAL;
	return SECKEY_OK;
}

int
seckey_credman_list(struct seckey_device *dev, const struct seckey_pin *pin,
    int timeout_ms, struct seckey_kcred_list **listp,
    struct seckey_diag *diag)
{
	fido_credman_rp_t *rp = NULL;
	struct seckey_kcred_list *list = NULL;
	int fido_r, r;

	if (listp == NULL)
		return SECKEY_ERR_INVAL;
	*listp = NULL;
	if ((r = credman_ready(dev, pin, timeout_ms, diag)) != SECKEY_OK)
		return r;
	if ((list = calloc(1, sizeof(*list))) == NULL ||
	    (rp = fido_credman_rp_new()) == NULL) {
		r = SECKEY_ERR_NOMEM;
		goto out;
	}
	/* CTAP answers NO_CREDENTIALS for a key that holds none. */
	fido_r = fido_credman_get_dev_rp(dev->dev, rp, pin->text);
	if (fido_r != FIDO_OK && fido_r != FIDO_ERR_NO_CREDENTIALS) {
		r = fido_fail(fido_r, dev, "listing relying parties", diag);
		goto out;
	}
	for (size_t i = 0; fido_r == FIDO_OK && r == SECKEY_OK &&
	    i < fido_credman_rp_count(rp); i++)
		if (fido_credman_rp_id(rp, i) != NULL)
			r = list_rp(dev, pin, fido_credman_rp_id(rp, i), list,
			    diag);
	if (r == SECKEY_OK) {
		*listp = list;
		list = NULL;
	}
out:
	fido_credman_rp_free(&rp);
	seckey_kcred_list_free(&list);
	return r;
}

int
seckey_credman_list_rp(struct seckey_device *dev,
    const struct seckey_pin *pin, const char *rp_id, int timeout_ms,
    struct seckey_kcred_list **listp, struct seckey_diag *diag)
{
	struct seckey_kcred_list *list = NULL;
	int r;

	if (listp == NULL || rp_id == NULL)
		return SECKEY_ERR_INVAL;
	*listp = NULL;
	if ((r = credman_ready(dev, pin, timeout_ms, diag)) != SECKEY_OK)
		return r;
	if ((list = calloc(1, sizeof(*list))) == NULL)
		return SECKEY_ERR_NOMEM;
	if ((r = list_rp(dev, pin, rp_id, list, diag)) == SECKEY_OK) {
		*listp = list;
		list = NULL;
	}
	seckey_kcred_list_free(&list);
	return r;
}

int
seckey_credman_delete(struct seckey_device *dev,
    const struct seckey_pin *pin, const unsigned char *cred_id,
    size_t cred_id_len, int timeout_ms, struct seckey_diag *diag)
{
	int fido_r, r;

	if (cred_id == NULL || cred_id_len == 0)
		return SECKEY_ERR_INVAL;
	if ((r = credman_ready(dev, pin, timeout_ms, diag)) != SECKEY_OK)
		return r;
	fido_r = fido_credman_del_dev_rk(dev->dev, cred_id, cred_id_len,
	    pin->text);
	if (fido_r == FIDO_OK)
		return SECKEY_OK;
	return fido_fail(fido_r, dev, "deleting a credential", diag);
}

void
seckey_kcred_list_free(struct seckey_kcred_list **listp)
{
	struct seckey_kcred_list *list;

	if (listp == NULL || (list = *listp) == NULL)
		return;
	for (size_t i = 0; i < list->count; i++)
		kcred_clear(&list->creds[i]);
	free(list->creds);
	free(list);
	*listp = NULL;
}
