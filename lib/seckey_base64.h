/*
 * seckey_base64.h: strict standard base64 (RFC 4648 section 4) with
 * padding, for the binary fields of a key list.
 *
 * Decoding accepts exactly one spelling per byte string: no whitespace,
 * no line breaks, no URL-safe alphabet, padding only at the end and only
 * as much as needed, and zero bits in the unused tail of the last
 * character.  Anything else is SECKEY_ERR_SYNTAX, so that a key list
 * round-trips byte for byte.
 */
#ifndef SECKEY_BASE64_H
#define SECKEY_BASE64_H

#include <stddef.h>

/*
 * Encode len bytes into a newly allocated NUL-terminated string, stored
 * in *out.  Returns 0, SECKEY_ERR_INVAL, SECKEY_ERR_TOOBIG or
 * SECKEY_ERR_NOMEM.
 */
int seckey_base64_encode(const unsigned char *in, size_t len, char **out);

/*
 * Decode the NUL-terminated string in into a newly allocated buffer
 * (*out, *out_len).  The buffer is never NULL on success, even for an
 * empty string; free it with seckey_freezero(*out, *out_len).
 */
int seckey_base64_decode(const char *in, unsigned char **out, size_t *out_len);

/*
 * The URL-safe alphabet without padding (RFC 4648 section 5, as JWS
 * uses it, RFC 7515 section 2): len characters of in, not NUL-ended.
 * As strict as seckey_base64_decode(): no padding, no "+" or "/", zero
 * unused bits.
 */
int seckey_base64url_decode(const char *in, size_t len, unsigned char **out,
    size_t *out_len);

#endif /* SECKEY_BASE64_H */
