/*
 * pam_input.c: reading and writing the byte layout of a fuzz_pam input.
 */
#include <config.h>

#include <string.h>

#include "pam_input.h"

struct reader {
	const uint8_t	*p;
	size_t		 left;
};

static uint8_t
get_byte(struct reader *rd)
{
	uint8_t b;

	if (rd->left == 0)
		return 0;
	b = *rd->p++;
	rd->left--;

	return b;
}

/* A u16 length and that many bytes, or what is left of them. */
static void
get_blob(struct reader *rd, struct pam_blob *blob)
{
	size_t len;

	len = (size_t)get_byte(rd) << 8;
	len |= get_byte(rd);
	if (len > rd->left)
		len = rd->left;
	blob->ptr = rd->p;
	blob->len = len;
	rd->p += len;
	rd->left -= len;
}

void
pam_input_parse(const uint8_t *data, size_t size, struct pam_input *in)
{
	struct reader rd = { data, size };
	size_t i;

	memset(in, 0, sizeof(*in));
	in->options = get_byte(&rd);
	in->devices = get_byte(&rd);
	for (i = 0; i < PAM_INPUT_NFIELDS; i++)
		get_blob(&rd, &in->fields[i]);
	while (rd.left > 0 && in->nreplies < PAM_INPUT_REPLIES_MAX) {
		in->replies[in->nreplies].kind = get_byte(&rd);
		get_blob(&rd, &in->replies[in->nreplies].data);
		in->nreplies++;
	}
}

size_t
pam_input_size(const struct pam_input *in)
{
	size_t size = 2, i;

	for (i = 0; i < PAM_INPUT_NFIELDS; i++)
		size += 2 + in->fields[i].len;
	for (i = 0; i < in->nreplies; i++)
		size += 3 + in->replies[i].data.len;

	return size;
}

static uint8_t *
put_blob(uint8_t *p, const struct pam_blob *blob)
{
	*p++ = (uint8_t)(blob->len >> 8);
	*p++ = (uint8_t)blob->len;
	if (blob->len > 0)
		memcpy(p, blob->ptr, blob->len);

	return p + blob->len;
}

size_t
pam_input_write(const struct pam_input *in, uint8_t *out, size_t max)
{
	uint8_t *p = out;
	size_t size = pam_input_size(in), i;

	if (size > max)
		return 0;
	for (i = 0; i < PAM_INPUT_NFIELDS; i++)
		if (in->fields[i].len > PAM_INPUT_FIELD_MAX)
			return 0;
	for (i = 0; i < in->nreplies; i++)
		if (in->replies[i].data.len > PAM_INPUT_FIELD_MAX)
			return 0;
	*p++ = in->options;
	*p++ = in->devices;
	for (i = 0; i < PAM_INPUT_NFIELDS; i++)
		p = put_blob(p, &in->fields[i]);
	for (i = 0; i < in->nreplies; i++) {
		*p++ = in->replies[i].kind;
		p = put_blob(p, &in->replies[i].data);
	}

	return (size_t)(p - out);
}

enum pam_reply_kind
pam_reply_kind(const struct pam_reply *reply)
{
	return (enum pam_reply_kind)(reply->kind % 3);
}
