/*
 * vk_cbor.c: CBOR helpers on top of libcbor.  Readers take a request
 * item (or NULL when the parameter is absent) and return a CTAP status,
 * so a handler can pass the status straight back: a missing parameter is
 * CTAP2_ERR_MISSING_PARAMETER, a wrong type CTAP2_ERR_CBOR_UNEXPECTED_TYPE.
 * Writers build canonical CTAP2 CBOR (shortest integers; the caller adds
 * map keys in canonical order) and take ownership of the items they are
 * given, so a chain of puts needs one check and no cleanup per item.
 */
#include "config.h"

#include <string.h>

#include "vk.h"

int
vk_cbor_load(const uint8_t *buf, size_t len, cbor_item_t **item)
{
	struct cbor_load_result res;

	*item = NULL;
	if (len == 0) {
		if ((*item = cbor_new_definite_map(0)) == NULL)
			return CTAP1_ERR_OTHER;
		return CTAP2_OK;
	}
	memset(&res, 0, sizeof(res));
	*item = cbor_load(buf, len, &res);
	if (*item == NULL || res.error.code != CBOR_ERR_NONE ||
	    res.read != len) {
		if (*item != NULL)
			cbor_decref(item);
		return CTAP2_ERR_INVALID_CBOR;
	}
	if (!cbor_isa_map(*item)) {
		cbor_decref(item);
		return CTAP2_ERR_CBOR_UNEXPECTED_TYPE;
	}
	return CTAP2_OK;
}

static int
key_is_int(const cbor_item_t *key, int64_t want)
{
	uint64_t v;

	if (cbor_isa_uint(key)) {
		v = cbor_get_int(key);
		return want >= 0 && v == (uint64_t)want;
	}
	if (cbor_isa_negint(key)) {
		v = cbor_get_int(key);
		return want < 0 && v == (uint64_t)(-(want + 1));
	}
	return 0;
}

/* The value under an integer key of a map, or NULL. */
const cbor_item_t *
vk_cbor_get(const cbor_item_t *map, int64_t key)
{
	const struct cbor_pair	*pairs;
	size_t			 n;

	if (map == NULL || !cbor_isa_map(map) ||
	    (pairs = cbor_map_handle(map)) == NULL)
		return NULL;
	n = cbor_map_size(map);
	for (size_t i = 0; i < n; i++)
		if (pairs[i].key != NULL && key_is_int(pairs[i].key, key))
			return pairs[i].value;
	return NULL;
}

/* The value under a text key of a map, or NULL. */
const cbor_item_t *
vk_cbor_get_str(const cbor_item_t *map, const char *key)
{
	const struct cbor_pair	*pairs;
	size_t			 n, len = strlen(key);

	if (map == NULL || !cbor_isa_map(map) ||
	    (pairs = cbor_map_handle(map)) == NULL)
		return NULL;
	n = cbor_map_size(map);
	for (size_t i = 0; i < n; i++) {
		const cbor_item_t *k = pairs[i].key;

		if (k != NULL && cbor_isa_string(k) &&
		    cbor_string_is_definite(k) &&
		    cbor_string_length(k) == len &&
		    memcmp(cbor_string_handle(k), key, len) == 0)
			return pairs[i].value;
	}
	return NULL;
}

int
vk_cbor_bytes(const cbor_item_t *item, const uint8_t **ptr, size_t *len)
{
	*ptr = NULL;
	*len = 0;
	if (item == NULL)
		return CTAP2_ERR_MISSING_PARAMETER;
	if (!cbor_isa_bytestring(item) || !cbor_bytestring_is_definite(item))
		return CTAP2_ERR_CBOR_UNEXPECTED_TYPE;
	*ptr = cbor_bytestring_handle(item);
	*len = cbor_bytestring_length(item);
	return CTAP2_OK;
}

/* Text is not NUL-terminated: use the length. */
int
vk_cbor_text(const cbor_item_t *item, const char **ptr, size_t *len)
{
	*ptr = NULL;
	*len = 0;
	if (item == NULL)
		return CTAP2_ERR_MISSING_PARAMETER;
	if (!cbor_isa_string(item) || !cbor_string_is_definite(item))
		return CTAP2_ERR_CBOR_UNEXPECTED_TYPE;
	*ptr = (const char *)cbor_string_handle(item);
	*len = cbor_string_length(item);
	return CTAP2_OK;
}

static int
vk_cbor_bool(const cbor_item_t *item, int *val)
{
	if (item == NULL)
		return CTAP2_ERR_MISSING_PARAMETER;
	if (!cbor_is_bool(item))
		return CTAP2_ERR_CBOR_UNEXPECTED_TYPE;
	*val = cbor_get_bool(item) ? 1 : 0;
	return CTAP2_OK;
}

int
vk_cbor_uint(const cbor_item_t *item, uint64_t *val)
{
	if (item == NULL)
		return CTAP2_ERR_MISSING_PARAMETER;
	if (!cbor_isa_uint(item))
		return CTAP2_ERR_CBOR_UNEXPECTED_TYPE;
	*val = cbor_get_int(item);
	return CTAP2_OK;
}

int
vk_cbor_int(const cbor_item_t *item, int64_t *val)
{
	uint64_t v;

	if (item == NULL)
		return CTAP2_ERR_MISSING_PARAMETER;
	if (!cbor_isa_uint(item) && !cbor_isa_negint(item))
		return CTAP2_ERR_CBOR_UNEXPECTED_TYPE;
	if ((v = cbor_get_int(item)) > INT64_MAX)
		return CTAP1_ERR_INVALID_PARAMETER;
	*val = cbor_isa_uint(item) ? (int64_t)v : -(int64_t)v - 1;
	return CTAP2_OK;
}

/* An option of an options map: *val is -1 when absent, else 0 or 1. */
int
vk_cbor_option(const cbor_item_t *opts, const char *name, int *val)
{
	const cbor_item_t *item;

	*val = -1;
	if (opts == NULL || (item = vk_cbor_get_str(opts, name)) == NULL)
		return CTAP2_OK;
	return vk_cbor_bool(item, val);
}

cbor_item_t *
vk_cbor_new_int(int64_t v)
{
	uint64_t u = v >= 0 ? (uint64_t)v : (uint64_t)(-(v + 1));

	if (u <= UINT8_MAX)
		return v >= 0 ? cbor_build_uint8((uint8_t)u) :
		    cbor_build_negint8((uint8_t)u);
	if (u <= UINT16_MAX)
		return v >= 0 ? cbor_build_uint16((uint16_t)u) :
		    cbor_build_negint16((uint16_t)u);
	if (u <= UINT32_MAX)
		return v >= 0 ? cbor_build_uint32((uint32_t)u) :
		    cbor_build_negint32((uint32_t)u);
	return v >= 0 ? cbor_build_uint64(u) : cbor_build_negint64(u);
}

cbor_item_t *
vk_cbor_new_bytes(const uint8_t *ptr, size_t len)
{
	return cbor_build_bytestring(ptr, len);
}

cbor_item_t *
vk_cbor_new_text(const char *str)
{
	return cbor_build_string(str);
}

/* Add key: val to map; consumes key and val whatever happens. */
static int
vk_cbor_put(cbor_item_t *map, cbor_item_t *key, cbor_item_t *val)
{
	struct cbor_pair	pair;
	int			r = -1;

	if (map != NULL && key != NULL && val != NULL) {
		pair.key = key;
		pair.value = val;
		if (cbor_map_add(map, pair))
			r = 0;
	}
	if (key != NULL)
		cbor_decref(&key);
	if (val != NULL)
		cbor_decref(&val);
	return r;
}

int
vk_cbor_put_int(cbor_item_t *map, int64_t key, cbor_item_t *val)
{
	return vk_cbor_put(map, vk_cbor_new_int(key), val);
}

int
vk_cbor_put_str(cbor_item_t *map, const char *key, cbor_item_t *val)
{
	return vk_cbor_put(map, vk_cbor_new_text(key), val);
}

/* Append val to array; consumes val whatever happens. */
int
vk_cbor_push(cbor_item_t *array, cbor_item_t *val)
{
	int r = -1;

	if (array != NULL && val != NULL && cbor_array_push(array, val))
		r = 0;
	if (val != NULL)
		cbor_decref(&val);
	return r;
}
