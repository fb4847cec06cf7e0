/*
 * seckey_text.h: text that ends up in front of people: checks for key
 * names, prompts and user names, and the one function that makes any
 * untrusted text safe for a terminal or a log line.
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

/*
 * Is cp an invisible format character: Unicode's format characters
 * (category Cf: bidi embeddings, overrides, isolates and marks, zero
 * width spaces and joiners, word joiner, BOM, tags, ...) and the line
 * and paragraph separators U+2028 and U+2029?
 */
bool seckey_text_is_format(unsigned long cp);

/* The first invisible format character of UTF-8 text s, or 0. */
unsigned long seckey_text_find_format(const char *s);

/* Printable ASCII only, no space: 0x21 .. 0x7e, 1 .. max bytes. */
bool seckey_text_token(const char *s, size_t max);

/* How seckey_text_safe() writes what it escapes. */
enum seckey_text_mode {
	SECKEY_TEXT_LOG,	/* a terminal or a log line */
	SECKEY_TEXT_JSON,	/* the inside of a JSON string */
};

/*
 * Copy untrusted text (from a file, a device, a directory service) into
 * out (size bytes, always NUL-terminated) so that it is safe on a
 * terminal and in a log line.  Printable UTF-8 passes as it is.
 *
 * SECKEY_TEXT_LOG: a control character (C0, DEL, C1) or an invisible
 * format character becomes "\u" and its code point in four lowercase
 * hex digits ("\U" and eight beyond U+FFFF), e.g. "\u001b", "\u009b",
 * "\u202e"; a byte that is not part of valid UTF-8 becomes "\x" and two
 * hex digits, e.g. "\xff".  A backslash stays as it is, so the result
 * of the function passes through it unchanged.
 *
 * SECKEY_TEXT_JSON: the same characters, '"' and '\' are escaped as
 * JSON requires ("\u009b", surrogate pairs beyond U+FFFF, "\"", "\\");
 * a byte that is not UTF-8 becomes "\ufffd", the replacement character.
 *
 * Text that does not fit is cut before a whole character or escape.
 * Returns out.
 */
char *seckey_text_safe(const char *in, char *out, size_t size,
    enum seckey_text_mode mode);

/* Bytes seckey_text_safe() needs at most for len bytes of input. */
#define SECKEY_TEXT_SAFE_SIZE(len)	((len) * 6 + 1)

#endif /* SECKEY_TEXT_H */
