/*
 * fuzz_pam.c: the whole sign-in, pam_sm_authenticate, with a fuzzed
 * user, PIN, policy, key list and authenticator (see pam_input.h for
 * the layout of an input and pam_world.h for what is checked).
 *
 * Under libFuzzer a custom mutator changes one part of an input at a
 * time (a field, a reply, the order of replies) and keeps the layout,
 * so that a recorded sign-in stays a sign-in while it is mutated.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "pam_input.h"
#include "pam_world.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char why[512];

	if (pam_world_init(why, sizeof(why)) != 0) {
		fprintf(stderr, "fuzz_pam: cannot set up: %s\n", why);
		exit(77);
	}
	atexit(pam_world_cleanup);

	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pam_input in;

	pam_input_parse(data, size, &in);
	(void)pam_world_run(&in, false);

	return 0;
}

#ifdef SECKEY_LIBFUZZER
size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size,
    unsigned int seed);
size_t LLVMFuzzerCustomCrossOver(const uint8_t *data1, size_t size1,
    const uint8_t *data2, size_t size2, uint8_t *out, size_t max_out,
    unsigned int seed);

static uint32_t
next_random(uint32_t *state)
{
	*state = *state * 1103515245u + 12345u;

	return *state >> 8;
}

/* Mutate one byte string in place of the old one (in scratch). */
static void
mutate_blob(struct pam_blob *blob, size_t max_size)
{
	static uint8_t scratch[PAM_INPUT_FIELD_MAX];
	size_t cap = max_size < sizeof(scratch) ? max_size : sizeof(scratch);

	if (blob->len > cap)
		cap = blob->len;
	if (blob->len > 0)
		memcpy(scratch, blob->ptr, blob->len);
	blob->len = LLVMFuzzerMutate(scratch, blob->len, cap);
	blob->ptr = scratch;
}

static uint8_t
mutate_byte(uint8_t b, uint32_t *rnd)
{
	return next_random(rnd) % 4 == 0 ? (uint8_t)next_random(rnd) :
	    (uint8_t)(b ^ (1u << (next_random(rnd) % 8)));
}

/* Drop, repeat, swap or add a reply. */
static void
reshape_replies(struct pam_input *in, uint32_t *rnd)
{
	static const uint8_t keepalive[] = { 0x3b, 0x01 };
	size_t i, j, n = in->nreplies;
	struct pam_reply tmp;

	i = n > 0 ? next_random(rnd) % n : 0;
	switch (next_random(rnd) % 4) {
	case 0:
		if (n == 0)
			break;
		memmove(&in->replies[i], &in->replies[i + 1],
		    (n - i - 1) * sizeof(in->replies[0]));
		in->nreplies--;
		break;
	case 1:
	case 3:
		if (n == PAM_INPUT_REPLIES_MAX)
			break;
		memmove(&in->replies[i + 1], &in->replies[i],
		    (n - i) * sizeof(in->replies[0]));
		in->nreplies++;
		if (n == 0 || next_random(rnd) % 2 == 0) {
			in->replies[i].kind = PAM_REPLY_COMMAND;
			in->replies[i].data.ptr = keepalive;
			in->replies[i].data.len = sizeof(keepalive);
		}
		break;
	case 2:
		if (n < 2)
			break;
		j = next_random(rnd) % n;
		tmp = in->replies[i];
		in->replies[i] = in->replies[j];
		in->replies[j] = tmp;
		break;
	}
}

size_t
LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size,
    unsigned int seed)
{
	static uint8_t out[1024 * 1024];
	struct pam_input in;
	uint32_t rnd = seed;
	unsigned int what;
	size_t n, i;

	pam_input_parse(data, size, &in);
	what = next_random(&rnd) % 24;
	if (what == 0)
		in.options = mutate_byte(in.options, &rnd);
	else if (what == 1)
		in.devices = mutate_byte(in.devices, &rnd);
	else if (what < 10)	/* user 1/8, PIN 1/8, policy 3/8, keys 3/8 */
		mutate_blob(&in.fields[what < 3 ? 0 : what < 4 ? 1 :
		    what < 7 ? 2 : 3], max_size);
	else if (what < 20 && in.nreplies > 0)
		mutate_blob(&in.replies[next_random(&rnd) %
		    in.nreplies].data, max_size);
	else if (what < 21 && in.nreplies > 0) {
		i = next_random(&rnd) % in.nreplies;
		in.replies[i].kind = (uint8_t)(next_random(&rnd) % 3);
	} else if (what < 23)
		reshape_replies(&in, &rnd);
	else
		return LLVMFuzzerMutate(data, size, max_size);
	if (max_size > sizeof(out))
		max_size = sizeof(out);
	if ((n = pam_input_write(&in, out, max_size)) == 0)
		return LLVMFuzzerMutate(data, size, max_size);
	memcpy(data, out, n);

	return n;
}

/* One part of the second input in the first: a field or the replies. */
size_t
LLVMFuzzerCustomCrossOver(const uint8_t *data1, size_t size1,
    const uint8_t *data2, size_t size2, uint8_t *out, size_t max_out,
    unsigned int seed)
{
	struct pam_input a, b;
	uint32_t rnd = seed;
	unsigned int what;
	size_t cut;

	pam_input_parse(data1, size1, &a);
	pam_input_parse(data2, size2, &b);
	what = next_random(&rnd) % 6;
	if (what < PAM_INPUT_NFIELDS) {
		a.fields[what] = b.fields[what];
	} else if (what == 4) {
		memcpy(a.replies, b.replies, sizeof(a.replies));
		a.nreplies = b.nreplies;
	} else {
		/* a's first replies, then b's from the same point on. */
		cut = a.nreplies > 0 ? next_random(&rnd) % a.nreplies : 0;
		if (cut < b.nreplies) {
			memcpy(&a.replies[cut], &b.replies[cut],
			    (b.nreplies - cut) * sizeof(a.replies[0]));
			a.nreplies = b.nreplies;
		}
	}

	return pam_input_write(&a, out, max_out);
}
#endif /* SECKEY_LIBFUZZER */
