/*
 * record_pam.c: make a fuzz_pam seed from a real sign-in with the
 * virtual keys of tests/virtkey/with-virtkey, keeping what they answered.
 *
 *	tests/virtkey/with-virtkey ... -- fuzz/record_pam [OPTIONS] OUT
 *
 *	--options N	byte 0 of the input (see pam_input.h), default 0
 *	--devices N	byte 1; its key count is set from $VIRTKEY_DIR
 *	--user TEXT	the user field
 *	--pin TEXT	the PIN field
 *	--policy FILE	the policy text
 *	--keys FILE	the key list text
 *
 * fuzz/mkseeds runs it for every seed of fuzz/corpus/fuzz_pam.
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <security/pam_appl.h>

#include "fakekey.h"
#include "pam_input.h"
#include "pam_world.h"

#define TEXT_MAX	PAM_INPUT_FIELD_MAX

static uint8_t texts[2][TEXT_MAX];

static int
read_text(const char *path, int slot, struct pam_blob *blob)
{
	FILE *fp;
	size_t n;

	if ((fp = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "record_pam: %s: %s\n", path, strerror(errno));
		return -1;
	}
	n = fread(texts[slot], 1, TEXT_MAX, fp);
	fclose(fp);
	blob->ptr = texts[slot];
	blob->len = n;

	return 0;
}

static void
set_string(struct pam_blob *blob, const char *s)
{
	blob->ptr = (const uint8_t *)s;
	blob->len = strlen(s);
}

static int
parse_args(int argc, char **argv, struct pam_input *in, const char **out)
{
	int i;

	for (i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--options") == 0)
			in->options = (uint8_t)strtoul(argv[i + 1], NULL, 0);
		else if (strcmp(argv[i], "--devices") == 0)
			in->devices = (uint8_t)strtoul(argv[i + 1], NULL, 0);
		else if (strcmp(argv[i], "--user") == 0)
			set_string(&in->fields[PAM_FIELD_USER], argv[i + 1]);
		else if (strcmp(argv[i], "--pin") == 0)
			set_string(&in->fields[PAM_FIELD_PIN], argv[i + 1]);
		else if (strcmp(argv[i], "--policy") == 0) {
			if (read_text(argv[i + 1], 0,
			    &in->fields[PAM_FIELD_POLICY]) != 0)
				return -1;
		} else if (strcmp(argv[i], "--keys") == 0) {
			if (read_text(argv[i + 1], 1,
			    &in->fields[PAM_FIELD_KEYS]) != 0)
				return -1;
		} else
			return -1;
	}
	if (i != argc - 1)
		return -1;
	*out = argv[i];

	return 0;
}

static int
write_seed(const char *path, const struct pam_input *in)
{
	static uint8_t bytes[1024 * 1024];
	size_t n;
	FILE *fp;

	if ((n = pam_input_write(in, bytes, sizeof(bytes))) == 0 ||
	    (fp = fopen(path, "wb")) == NULL) {
		fprintf(stderr, "record_pam: cannot write %s\n", path);
		return -1;
	}
	if (fwrite(bytes, 1, n, fp) != n || fclose(fp) != 0) {
		fprintf(stderr, "record_pam: cannot write %s\n", path);
		return -1;
	}

	return 0;
}

int
main(int argc, char **argv)
{
	const struct pam_reply *replies;
	struct pam_input in;
	const char *out = NULL, *dir = getenv("VIRTKEY_DIR");
	char why[512];
	size_t n;
	int nkeys, r;

	memset(&in, 0, sizeof(in));
	if (parse_args(argc, argv, &in, &out) != 0) {
		fprintf(stderr, "usage: record_pam [--options N] [--devices N] "
		    "[--user TEXT] [--pin TEXT] [--policy FILE] [--keys FILE] "
		    "OUT\n");
		return 2;
	}
	if (dir == NULL || (nkeys = fakekey_record(dir)) < 0) {
		fprintf(stderr, "record_pam: no virtual key in $VIRTKEY_DIR "
		    "(run under tests/virtkey/with-virtkey)\n");
		return 1;
	}
	in.devices = (uint8_t)((in.devices & ~PAM_DEV_COUNT_MASK) |
	    (nkeys > 3 ? 3 : nkeys));
	pam_world_verbose(getenv("FUZZ_PAM_VERBOSE") != NULL);
	if (pam_world_init(why, sizeof(why)) != 0) {
		fprintf(stderr, "record_pam: %s\n", why);
		return 1;
	}
	r = pam_world_run(&in, true);
	pam_world_cleanup();
	replies = fakekey_recorded(&n);
	memcpy(in.replies, replies, n * sizeof(*replies));
	in.nreplies = n;
	printf("%s: %s, %zu replies\n", out, pam_strerror(NULL, r), n);

	return write_seed(out, &in) == 0 ? 0 : 1;
}
