/*
 * cbor_cap.c: a cap on libcbor's allocations for arrays and maps, in
 * the fuzz programs only.
 *
 * libcbor 0.8 allocates (and zeroes) a definite array or map for the
 * element count its header declares, before it reads one element, so a
 * reply of five bytes can make it ask for gigabytes (PJK/libcbor#418,
 * closed as the caller's business; libfido2 is reached from any
 * authenticator reply, see Yubico/libfido2#985).  Debian's build has no
 * cbor_set_allocs(), but libcbor calls _cbor_alloc_multiple() through its
 * PLT, so this definition, exported by the program, preempts it.  No
 * reply libfido2 accepts (FIDO_MAXMSG bytes) holds more than a few
 * thousand elements; without the cap every such input would cost
 * seconds and gigabytes and hide everything else the fuzzer could find.
 */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>

#define CBOR_ITEMS_MAX	65536

void *_cbor_alloc_multiple(size_t item_size, size_t item_count);

void *
_cbor_alloc_multiple(size_t item_size, size_t item_count)
{
	if (item_count > CBOR_ITEMS_MAX ||
	    (item_count > 0 && item_size > SIZE_MAX / item_count))
		return NULL;

	return malloc(item_size * item_count);
}
