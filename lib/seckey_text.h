/*
 * seckey_text.h: checks for text that ends up in front of people: key
 * names, prompts, user names in paths.
 */
#ifndef SECKEY_TEXT_H
#define SECKEY_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Is s valid UTF-8 (shortest forms, no surrogates, at most U+10FFFF)
 * without control characters (U+0000..U+001F, U+007F..U+009F)?  If so
 * and count is not NULL, *count is the number of characters.
 */
bool seckey_text_printable(const char *s, size_t *count);

/* Printable ASCII only, no space: 0x21 .. 0x7e, 1 .. max bytes. */
bool seckey_text_token(const char *s, size_t max);

#endif /* SECKEY_TEXT_H */
