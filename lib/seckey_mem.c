/*
 * seckey_mem.c: wiping secrets and the fixed PIN buffer.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "seckey_error.h"
#include "seckey_mem.h"

void
seckey_wipe(void *p, size_t len)
{
	if (p != NULL && len > 0)
		explicit_bzero(p, len);
}

void
seckey_freezero(void *p, size_t len)
{
	if (p == NULL)
		return;
	seckey_wipe(p, len);
	free(p);
}

void
seckey_strfree(char **sp)
{
	if (sp == NULL || *sp == NULL)
		return;
	seckey_freezero(*sp, strlen(*sp));
	*sp = NULL;
}

int
seckey_pin_set(struct seckey_pin *pin, const char *text)
{
	size_t len;

	if (pin == NULL)
		return SECKEY_ERR_INVAL;
	seckey_pin_wipe(pin);
	if (text == NULL)
		return SECKEY_ERR_INVAL;

	/* strnlen never reads past the byte that makes the PIN too long. */
	len = strnlen(text, sizeof(pin->text));
	if (len == 0)
		return SECKEY_ERR_INVAL;
	if (len > SECKEY_PIN_MAX)
		return SECKEY_ERR_TOOBIG;

	memcpy(pin->text, text, len);
	pin->text[len] = '\0';

	return SECKEY_OK;
}

size_t
seckey_pin_len(const struct seckey_pin *pin)
{
	if (pin == NULL)
		return 0;
	return strnlen(pin->text, sizeof(pin->text));
}

void
seckey_pin_wipe(struct seckey_pin *pin)
{
	if (pin != NULL)
		seckey_wipe(pin->text, sizeof(pin->text));
}
