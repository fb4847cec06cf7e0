/*
 * seckey_json.h: a small strict JSON reader (RFC 8259), for the FIDO
 * Metadata Service BLOB (seckey_jws.c, seckey_mds.c).
 *
 * The whole text becomes a tree.  Strict: one value and nothing after it
 * but whitespace, strings of valid UTF-8 without control characters,
 * escapes that make UTF-8 (no lone surrogate, no U+0000), no member
 * name twice in an object, at most SECKEY_JSON_DEPTH_MAX levels and
 * SECKEY_JSON_MEMBERS_MAX members per object.  Anything else is
 * SECKEY_ERR_SYNTAX with the byte offset in the diagnostic.
 *
 * Our own rather than json-c: the module and the helper share one
 * library and json-c would then be loaded into every PAM host; a
 * reader of 400 lines is fuzzed here (fuzz/fuzz_mds.c) like every
 * other parser of libseckey.
 */
#ifndef SECKEY_JSON_H
#define SECKEY_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include "seckey_error.h"

#define SECKEY_JSON_DEPTH_MAX	32
#define SECKEY_JSON_MEMBERS_MAX	1024

enum seckey_json_type {
	SECKEY_JSON_NULL,
	SECKEY_JSON_BOOL,
	SECKEY_JSON_NUMBER,
	SECKEY_JSON_STRING,
	SECKEY_JSON_ARRAY,
	SECKEY_JSON_OBJECT,
};

struct seckey_json {
	enum seckey_json_type	  type;
	bool			  boolean;
	char			 *text;	/* a string, decoded; a number's literal */
	char			**names;	/* an object's member names */
	struct seckey_json	**items;	/* array items, member values */
	size_t			  count;
	size_t			  cap;
};

/* Parse len bytes of text; *rootp is the tree. */
int seckey_json_parse(const char *text, size_t len,
    struct seckey_json **rootp, struct seckey_diag *diag);

/* Free the tree and set *rootp to NULL; NULL is fine. */
void seckey_json_free(struct seckey_json **rootp);

/* The member name of obj, or NULL (absent, or obj not an object). */
const struct seckey_json *seckey_json_member(const struct seckey_json *obj,
    const char *name);

/* The string of v, or NULL when v is not a string (or NULL). */
const char *seckey_json_string(const struct seckey_json *v);

/*
 * The value of v when it is an integer without fraction or exponent
 * that fits a long long: true and *out, else false.
 */
bool seckey_json_integer(const struct seckey_json *v, long long *out);

/* Item count of an array, 0 for anything else. */
size_t seckey_json_array_len(const struct seckey_json *v);

/* Item i of an array, or NULL. */
const struct seckey_json *seckey_json_array_at(const struct seckey_json *v,
    size_t i);

#endif /* SECKEY_JSON_H */
