/*
 * seckey_aaguid.h: an authenticator model identifier (AAGUID), written
 * as a canonical lowercase UUID: 2fc0579f-8113-47ea-b116-bb5a8db9202a.
 */
#ifndef SECKEY_AAGUID_H
#define SECKEY_AAGUID_H

#include <stdbool.h>
#include <stddef.h>

#define SECKEY_AAGUID_LEN	16
/* 32 hex digits, 4 dashes and the NUL. */
#define SECKEY_AAGUID_TEXT_LEN	37

struct seckey_aaguid {
	unsigned char	bytes[SECKEY_AAGUID_LEN];
};

/*
 * Parse the canonical form only: lowercase hex digits, dashes after
 * the 8th, 12th, 16th and 20th digit, nothing else.  Returns 0 or
 * SECKEY_ERR_SYNTAX.
 */
int seckey_aaguid_parse(const char *text, struct seckey_aaguid *aaguid);

/* Write the canonical form into text (SECKEY_AAGUID_TEXT_LEN bytes). */
void seckey_aaguid_format(const struct seckey_aaguid *aaguid,
    char text[SECKEY_AAGUID_TEXT_LEN]);

/* From a raw 16-byte buffer, as libfido2 hands it out. */
int seckey_aaguid_from_bytes(const unsigned char *bytes, size_t len,
    struct seckey_aaguid *aaguid);

bool seckey_aaguid_equal(const struct seckey_aaguid *a,
    const struct seckey_aaguid *b);

#endif /* SECKEY_AAGUID_H */
