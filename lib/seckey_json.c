/*
 * seckey_json.c: the strict JSON reader of seckey_json.h, a recursive
 * descent bounded by SECKEY_JSON_DEPTH_MAX.
 */
#include <config.h>

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "seckey_json.h"

struct reader {
	const unsigned char	*text;
	size_t			 len;
	size_t			 pos;
	const char		*fault;	/* why it stopped, for the diag */
	int			 r;
};

static int parse_value(struct reader *rd, unsigned int depth,
    struct seckey_json **out);

static int
fail(struct reader *rd, int r, const char *fault)
{
	if (rd->fault == NULL) {
		rd->fault = fault;
		rd->r = r;
	}
	return rd->r;
}

static void
skip_space(struct reader *rd)
{
	while (rd->pos < rd->len && (rd->text[rd->pos] == ' ' ||
	    rd->text[rd->pos] == '\t' || rd->text[rd->pos] == '\n' ||
	    rd->text[rd->pos] == '\r'))
		rd->pos++;
}

/* The next byte after whitespace, or -1 at the end. */
static int
peek(struct reader *rd)
{
	skip_space(rd);
	return rd->pos < rd->len ? rd->text[rd->pos] : -1;
}

static struct seckey_json *
node_new(enum seckey_json_type type)
{
	struct seckey_json *v;

	if ((v = calloc(1, sizeof(*v))) != NULL)
		v->type = type;
	return v;
}

void
seckey_json_free(struct seckey_json **rootp)
{
	struct seckey_json *v;
	size_t i;

	if (rootp == NULL || (v = *rootp) == NULL)
		return;
	for (i = 0; i < v->count; i++) {
		if (v->names != NULL)
			free(v->names[i]);
		seckey_json_free(&v->items[i]);
	}
	free(v->names);
	free(v->items);
	free(v->text);
	free(v);
	*rootp = NULL;
}

/* Append item (and, for an object, name) to v; takes both. */
static int
node_add(struct seckey_json *v, char *name, struct seckey_json *item)
{
	struct seckey_json **items;
	char **names;
	size_t cap;

	if (v->count == v->cap) {
		cap = v->cap == 0 ? 4 : v->cap * 2;
		if (cap > SIZE_MAX / sizeof(*items))
			goto nomem;
		if ((items = realloc(v->items, cap * sizeof(*items))) == NULL)
			goto nomem;
		v->items = items;
		if (v->type == SECKEY_JSON_OBJECT) {
			if ((names = realloc(v->names,
			    cap * sizeof(*names))) == NULL)
				goto nomem;
			v->names = names;
		}
		v->cap = cap;
	}
	if (v->type == SECKEY_JSON_OBJECT)
		v->names[v->count] = name;
	v->items[v->count++] = item;

	return SECKEY_OK;
nomem:
	free(name);
	seckey_json_free(&item);
	return SECKEY_ERR_NOMEM;
}

/* Length of the UTF-8 sequence at p (up to end), 0 if not valid. */
static size_t
utf8_len(const unsigned char *p, const unsigned char *end)
{
	size_t n, i;
	uint32_t cp;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2, cp = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3, cp = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4, cp = p[0] & 0x07;
	else
		return 0;
	if ((size_t)(end - p) < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;

	return n;
}

static size_t
put_utf8(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* Four hex digits after "\u"; -1 if not. */
static long
hex4(struct reader *rd)
{
	long v = 0;
	int i, c;

	if (rd->len - rd->pos < 4)
		return -1;
	for (i = 0; i < 4; i++) {
		c = rd->text[rd->pos++];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

/* "\uXXXX", a surrogate pair made whole; the backslash-u is read. */
static int
unicode_escape(struct reader *rd, uint32_t *cpp)
{
	long hi, lo;

	if ((hi = hex4(rd)) < 0)
		return fail(rd, SECKEY_ERR_SYNTAX, "bad \\u escape");
	if (hi == 0)
		return fail(rd, SECKEY_ERR_SYNTAX, "\\u0000 in a string");
	if (hi >= 0xdc00 && hi <= 0xdfff)
		return fail(rd, SECKEY_ERR_SYNTAX, "lone low surrogate");
	if (hi >= 0xd800 && hi <= 0xdbff) {
		if (rd->len - rd->pos < 2 || rd->text[rd->pos] != '\\' ||
		    rd->text[rd->pos + 1] != 'u')
			return fail(rd, SECKEY_ERR_SYNTAX,
			    "lone high surrogate");
		rd->pos += 2;
		if ((lo = hex4(rd)) < 0xdc00 || lo > 0xdfff)
			return fail(rd, SECKEY_ERR_SYNTAX,
			    "lone high surrogate");
		*cpp = 0x10000 + ((uint32_t)(hi - 0xd800) << 10) +
		    (uint32_t)(lo - 0xdc00);
		return SECKEY_OK;
	}
	*cpp = (uint32_t)hi;

	return SECKEY_OK;
}

/* One escape after the backslash, written at out; *np its length. */
static int
escape(struct reader *rd, char *out, size_t *np)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *hit;
	uint32_t cp = 0;
	int c, r;

	if (rd->pos >= rd->len)
		return fail(rd, SECKEY_ERR_SYNTAX, "unterminated string");
	c = rd->text[rd->pos++];
	if (c == 'u') {
		if ((r = unicode_escape(rd, &cp)) != SECKEY_OK)
			return r;
		*np = put_utf8(cp, out);
		return SECKEY_OK;
	}
	if (c == '\0' || (hit = strchr(from, c)) == NULL)
		return fail(rd, SECKEY_ERR_SYNTAX, "bad escape");
	out[0] = to[hit - from];
	*np = 1;

	return SECKEY_OK;
}

/* Bytes from pos to the closing quote (escapes skipped), or to the end. */
static size_t
source_len(const struct reader *rd)
{
	size_t i;

	for (i = rd->pos; i < rd->len && rd->text[i] != '"'; i++)
		if (rd->text[i] == '\\')
			i++;

	return (i < rd->len ? i : rd->len) - rd->pos;
}

/*
 * A string; the opening quote is next.  The decoded text is never
 * longer than the source (an escape of 6 or 12 bytes makes at most 3
 * or 4), so a buffer of the source's length holds it.
 */
static int
parse_string(struct reader *rd, char **outp)
{
	const char *why = "unterminated string";
	char *buf;
	size_t o = 0, n = 0;
	int c, r = SECKEY_ERR_SYNTAX;

	rd->pos++;
	if ((buf = malloc(source_len(rd) + 1)) == NULL)
		return fail(rd, SECKEY_ERR_NOMEM, "out of memory");
	while (rd->pos < rd->len && (c = rd->text[rd->pos]) != '"') {
		if (c < 0x20) {
			why = "control character in a string";
			goto bad;
		}
		if (c == '\\') {
			rd->pos++;
			if ((r = escape(rd, buf + o, &n)) != SECKEY_OK)
				goto out;
			o += n;
			continue;
		}
		if ((n = utf8_len(rd->text + rd->pos,
		    rd->text + rd->len)) == 0) {
			why = "not UTF-8";
			goto bad;
		}
		memcpy(buf + o, rd->text + rd->pos, n);
		o += n;
		rd->pos += n;
	}
	if (rd->pos >= rd->len)
		goto bad;
	rd->pos++;
	buf[o] = '\0';
	*outp = buf;
	buf = NULL;
	r = SECKEY_OK;
	goto out;
bad:
	r = fail(rd, SECKEY_ERR_SYNTAX, why);
out:
	free(buf);
	return r;
}

static bool
is_digit(struct reader *rd)
{
	return rd->pos < rd->len && rd->text[rd->pos] >= '0' &&
	    rd->text[rd->pos] <= '9';
}

static void
skip_digits(struct reader *rd)
{
	while (is_digit(rd))
		rd->pos++;
}

static int
parse_number(struct reader *rd, struct seckey_json **out)
{
	size_t start = rd->pos;
	struct seckey_json *v;

	if (rd->text[rd->pos] == '-')
		rd->pos++;
	if (!is_digit(rd))
		return fail(rd, SECKEY_ERR_SYNTAX, "bad number");
	if (rd->text[rd->pos++] != '0')
		skip_digits(rd);
	if (rd->pos < rd->len && rd->text[rd->pos] == '.') {
		rd->pos++;
		if (!is_digit(rd))
			return fail(rd, SECKEY_ERR_SYNTAX, "bad number");
		skip_digits(rd);
	}
	if (rd->pos < rd->len && (rd->text[rd->pos] == 'e' ||
	    rd->text[rd->pos] == 'E')) {
		rd->pos++;
		if (rd->pos < rd->len && (rd->text[rd->pos] == '+' ||
		    rd->text[rd->pos] == '-'))
			rd->pos++;
		if (!is_digit(rd))
			return fail(rd, SECKEY_ERR_SYNTAX, "bad number");
		skip_digits(rd);
	}
	if ((v = node_new(SECKEY_JSON_NUMBER)) == NULL ||
	    (v->text = strndup((const char *)rd->text + start,
	    rd->pos - start)) == NULL) {
		seckey_json_free(&v);
		return fail(rd, SECKEY_ERR_NOMEM, "out of memory");
	}
	*out = v;

	return SECKEY_OK;
}

/* true, false, null. */
static int
parse_word(struct reader *rd, struct seckey_json **out)
{
	static const struct { const char *word; enum seckey_json_type type;
	    bool value; } words[] = {
		{ "true", SECKEY_JSON_BOOL, true },
		{ "false", SECKEY_JSON_BOOL, false },
		{ "null", SECKEY_JSON_NULL, false },
	};
	size_t i, n;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		n = strlen(words[i].word);
		if (rd->len - rd->pos < n ||
		    memcmp(rd->text + rd->pos, words[i].word, n) != 0)
			continue;
		rd->pos += n;
		if ((*out = node_new(words[i].type)) == NULL)
			return fail(rd, SECKEY_ERR_NOMEM, "out of memory");
		(*out)->boolean = words[i].value;
		return SECKEY_OK;
	}

	return fail(rd, SECKEY_ERR_SYNTAX, "unexpected character");
}

static int
parse_array(struct reader *rd, unsigned int depth, struct seckey_json *v)
{
	struct seckey_json *item = NULL;
	int r;

	rd->pos++;
	if (peek(rd) == ']') {
		rd->pos++;
		return SECKEY_OK;
	}
	for (;;) {
		if ((r = parse_value(rd, depth + 1, &item)) != SECKEY_OK)
			return r;
		if (node_add(v, NULL, item) != SECKEY_OK)
			return fail(rd, SECKEY_ERR_NOMEM, "out of memory");
		item = NULL;
		if (peek(rd) == ']')
			break;
		if (peek(rd) != ',')
			return fail(rd, SECKEY_ERR_SYNTAX, "expected , or ]");
		rd->pos++;
	}
	rd->pos++;

	return SECKEY_OK;
}

/* One "name": value member into v. */
static int
parse_member(struct reader *rd, unsigned int depth, struct seckey_json *v)
{
	struct seckey_json *item = NULL;
	const char *why = NULL;
	char *name = NULL;
	int r;

	if (peek(rd) != '"')
		return fail(rd, SECKEY_ERR_SYNTAX, "expected a member name");
	if ((r = parse_string(rd, &name)) != SECKEY_OK)
		return r;
	if (seckey_json_member(v, name) != NULL)
		why = "member name used twice";
	else if (v->count >= SECKEY_JSON_MEMBERS_MAX)
		why = "too many members in an object";
	else if (peek(rd) != ':')
		why = "expected :";
	if (why != NULL) {
		free(name);
		return fail(rd, SECKEY_ERR_SYNTAX, why);
	}
	rd->pos++;
	if ((r = parse_value(rd, depth + 1, &item)) != SECKEY_OK) {
		free(name);
		return r;
	}
	if (node_add(v, name, item) != SECKEY_OK)
		return fail(rd, SECKEY_ERR_NOMEM, "out of memory");

	return SECKEY_OK;
}

static int
parse_object(struct reader *rd, unsigned int depth, struct seckey_json *v)
{
	int r;

	rd->pos++;
	if (peek(rd) == '}') {
		rd->pos++;
		return SECKEY_OK;
	}
	for (;;) {
		if ((r = parse_member(rd, depth, v)) != SECKEY_OK)
			return r;
		if (peek(rd) == '}')
			break;
		if (peek(rd) != ',')
			return fail(rd, SECKEY_ERR_SYNTAX, "expected , or }");
		rd->pos++;
	}
	rd->pos++;

	return SECKEY_OK;
}

static int
parse_container(struct reader *rd, unsigned int depth, int open,
    struct seckey_json **out)
{
	struct seckey_json *v;
	int r;

	if (depth > SECKEY_JSON_DEPTH_MAX)
		return fail(rd, SECKEY_ERR_SYNTAX, "nested too deep");
	if ((v = node_new(open == '[' ? SECKEY_JSON_ARRAY :
	    SECKEY_JSON_OBJECT)) == NULL)
		return fail(rd, SECKEY_ERR_NOMEM, "out of memory");
	r = open == '[' ? parse_array(rd, depth, v) :
	    parse_object(rd, depth, v);
	if (r != SECKEY_OK) {
		seckey_json_free(&v);
		return r;
	}
	*out = v;

	return SECKEY_OK;
}

static int
parse_value(struct reader *rd, unsigned int depth, struct seckey_json **out)
{
	struct seckey_json *v;
	int c = peek(rd), r;

	*out = NULL;
	if (c == '[' || c == '{')
		return parse_container(rd, depth, c, out);
	if (c == '"') {
		if ((v = node_new(SECKEY_JSON_STRING)) == NULL)
			return fail(rd, SECKEY_ERR_NOMEM, "out of memory");
		if ((r = parse_string(rd, &v->text)) != SECKEY_OK) {
			seckey_json_free(&v);
			return r;
		}
		*out = v;
		return SECKEY_OK;
	}
	if (c == '-' || (c >= '0' && c <= '9'))
		return parse_number(rd, out);
	if (c < 0)
		return fail(rd, SECKEY_ERR_SYNTAX, "unexpected end");

	return parse_word(rd, out);
}

int
seckey_json_parse(const char *text, size_t len, struct seckey_json **rootp,
    struct seckey_diag *diag)
{
	struct reader rd;
	struct seckey_json *root = NULL;
	int r;

	if (rootp == NULL || (text == NULL && len > 0))
		return SECKEY_ERR_INVAL;
	*rootp = NULL;
	memset(&rd, 0, sizeof(rd));
	rd.text = (const unsigned char *)text;
	rd.len = len;
	if ((r = parse_value(&rd, 0, &root)) == SECKEY_OK && peek(&rd) >= 0)
		r = fail(&rd, SECKEY_ERR_SYNTAX, "data after the value");
	if (r != SECKEY_OK) {
		seckey_json_free(&root);
		seckey_diag_set(diag, NULL, 0, "JSON: %s at byte %zu",
		    rd.fault != NULL ? rd.fault : "error", rd.pos);
		return r;
	}
	*rootp = root;

	return SECKEY_OK;
}

const struct seckey_json *
seckey_json_member(const struct seckey_json *obj, const char *name)
{
	size_t i;

	if (obj == NULL || obj->type != SECKEY_JSON_OBJECT || name == NULL)
		return NULL;
	for (i = 0; i < obj->count; i++)
		if (strcmp(obj->names[i], name) == 0)
			return obj->items[i];

	return NULL;
}

const char *
seckey_json_string(const struct seckey_json *v)
{
	return v != NULL && v->type == SECKEY_JSON_STRING ? v->text : NULL;
}

bool
seckey_json_integer(const struct seckey_json *v, long long *out)
{
	char *end = NULL;
	long long n;

	if (v == NULL || v->type != SECKEY_JSON_NUMBER ||
	    strpbrk(v->text, ".eE") != NULL)
		return false;
	errno = 0;
	n = strtoll(v->text, &end, 10);
	if (errno != 0 || end == v->text || *end != '\0')
		return false;
	*out = n;

	return true;
}

size_t
seckey_json_array_len(const struct seckey_json *v)
{
	return v != NULL && v->type == SECKEY_JSON_ARRAY ? v->count : 0;
}

const struct seckey_json *
seckey_json_array_at(const struct seckey_json *v, size_t i)
{
	return v != NULL && v->type == SECKEY_JSON_ARRAY && i < v->count ?
	    v->items[i] : NULL;
}
