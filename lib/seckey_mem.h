/*
 * seckey_mem.h: wiping memory that held secrets, and the fixed PIN buffer.
 *
 * A PIN lives in exactly one place, a struct seckey_pin, from the moment
 * it is copied out of a conversation reply or a terminal line until it
 * is wiped.  The buffer is fixed-size so that no realloc ever leaves a
 * stray copy on the heap.
 */
#ifndef SECKEY_MEM_H
#define SECKEY_MEM_H

#include <stddef.h>

/* Zero len bytes at p in a way the compiler may not elide; NULL is fine. */
void seckey_wipe(void *p, size_t len);

/* Wipe len bytes at p, then free p; NULL is fine. */
void seckey_freezero(void *p, size_t len);

/* Wipe a NUL-terminated string, free it and set *sp to NULL. */
void seckey_strfree(char **sp);

/* CTAP 2.1 caps a PIN at 63 bytes of UTF-8. */
#define SECKEY_PIN_MAX	63

struct seckey_pin {
	char	text[SECKEY_PIN_MAX + 1];
};

/*
 * Copy a PIN into the buffer.  Returns SECKEY_ERR_INVAL for NULL or an
 * empty PIN and SECKEY_ERR_TOOBIG for more than 63 bytes; on any error
 * the buffer is left wiped.  The caller still wipes its own copy.
 */
int seckey_pin_set(struct seckey_pin *pin, const char *text);

/* Length of the PIN in bytes. */
size_t seckey_pin_len(const struct seckey_pin *pin);

void seckey_pin_wipe(struct seckey_pin *pin);

#endif /* SECKEY_MEM_H */
