/*
 * vkclient: a minimal libfido2 client for the virtual key's tests.
 *
 * fido2-cred and fido2-assert cannot send an exclude list or an allow list
 * of more than one credential, so the tests of those CTAP rules use this
 * program.  It is test code: it links libfido2 dynamically like any client
 * and reaches the virtual keys through the shim.
 *
 *   vkclient makecred [-P] [-t es256|eddsa] [-x CRED]... DEVICE RPID
 *       prints the new credential id (base64)
 *   vkclient assert [-P] [-s] DEVICE RPID CRED...
 *       prints "flags=0xNN" of the assertion (-s: silent, no user presence)
 *
 * -P reads the PIN from the first line of standard input.  On failure the
 * libfido2 error name goes to stderr and the exit status is 1.
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <fido.h>
#include <openssl/evp.h>

#define MAX_CREDS 64

struct client_args {
	const char *device;
	const char *rp_id;
	const char *creds[MAX_CREDS];
	size_t ncreds;
	int cose_alg;
	int silent;
	char pin[64];
	int have_pin;
};

static void
usage(void)
{
	fprintf(stderr, "usage: vkclient makecred [-P] [-t es256|eddsa] "
	    "[-x CRED]... DEVICE RPID\n"
	    "       vkclient assert [-P] [-s] DEVICE RPID CRED...\n");
	exit(2);
}

static int
read_pin(struct client_args *args)
{
	size_t len;

	if (fgets(args->pin, sizeof(args->pin), stdin) == NULL)
		return -1;
	len = strcspn(args->pin, "\n");
	args->pin[len] = '\0';
	args->have_pin = 1;
	return 0;
}

/* Decodes standard base64 into a malloc'd buffer. */
static unsigned char *
b64_decode(const char *text, size_t *len)
{
	size_t text_len = strlen(text);
	unsigned char *buf;
	int n;

	if (text_len == 0 || text_len % 4 != 0 ||
	    (buf = malloc(text_len / 4 * 3)) == NULL)
		return NULL;
	n = EVP_DecodeBlock(buf, (const unsigned char *)text, (int)text_len);
	if (n < 0) {
		free(buf);
		return NULL;
	}
	*len = (size_t)n;
	while (text_len > 0 && text[--text_len] == '=')
		(*len)--;
	return buf;
}

static void
print_b64(const unsigned char *buf, size_t len)
{
	char out[4096];

	if (len > 3000)
		return;
	EVP_EncodeBlock((unsigned char *)out, buf, (int)len);
	printf("%s\n", out);
}

/* Adds CRED to an exclude (is_allow 0) or allow (1) list. */
static int
add_cred(void *obj, const char *cred_b64, int is_allow)
{
	unsigned char *id;
	size_t len;
	int r;

	if ((id = b64_decode(cred_b64, &len)) == NULL)
		return FIDO_ERR_INVALID_ARGUMENT;
	if (is_allow)
		r = fido_assert_allow_cred(obj, id, len);
	else
		r = fido_cred_exclude(obj, id, len);
	free(id);
	return r;
}

static int
make_cred(fido_dev_t *dev, const struct client_args *args)
{
	static const unsigned char cdh[32] = { 1, 2, 3 };
	static const unsigned char user_id[16] = { 7, 7, 7 };
	fido_cred_t *cred;
	size_t i;
	int r;

	if ((cred = fido_cred_new()) == NULL)
		return FIDO_ERR_INTERNAL;
	if ((r = fido_cred_set_type(cred, args->cose_alg)) != FIDO_OK ||
	    (r = fido_cred_set_clientdata_hash(cred, cdh, sizeof(cdh))) != FIDO_OK ||
	    (r = fido_cred_set_rp(cred, args->rp_id, NULL)) != FIDO_OK ||
	    (r = fido_cred_set_user(cred, user_id, sizeof(user_id), "vk",
	    NULL, NULL)) != FIDO_OK)
		goto out;
	for (i = 0; i < args->ncreds; i++)
		if ((r = add_cred(cred, args->creds[i], 0)) != FIDO_OK)
			goto out;
	r = fido_dev_make_cred(dev, cred, args->have_pin ? args->pin : NULL);
	if (r == FIDO_OK)
		print_b64(fido_cred_id_ptr(cred), fido_cred_id_len(cred));
out:
	fido_cred_free(&cred);
	return r;
}

static int
get_assert(fido_dev_t *dev, const struct client_args *args)
{
	static const unsigned char cdh[32] = { 4, 5, 6 };
	fido_assert_t *assert;
	size_t i;
	int r;

	if ((assert = fido_assert_new()) == NULL)
		return FIDO_ERR_INTERNAL;
	if ((r = fido_assert_set_clientdata_hash(assert, cdh,
	    sizeof(cdh))) != FIDO_OK ||
	    (r = fido_assert_set_rp(assert, args->rp_id)) != FIDO_OK ||
	    (r = fido_assert_set_up(assert, args->silent ? FIDO_OPT_FALSE :
	    FIDO_OPT_TRUE)) != FIDO_OK)
		goto out;
	for (i = 0; i < args->ncreds; i++)
		if ((r = add_cred(assert, args->creds[i], 1)) != FIDO_OK)
			goto out;
	r = fido_dev_get_assert(dev, assert, args->have_pin ? args->pin : NULL);
	if (r == FIDO_OK)
		printf("flags=0x%02x\n", fido_assert_flags(assert, 0));
out:
	fido_assert_free(&assert);
	return r;
}

static void
parse_args(int argc, char **argv, int is_assert, struct client_args *args)
{
	int ch;

	args->cose_alg = COSE_ES256;
	while ((ch = getopt(argc, argv, "Pst:x:")) != -1) {
		switch (ch) {
		case 'P':
			if (read_pin(args) < 0)
				usage();
			break;
		case 's':
			args->silent = 1;
			break;
		case 't':
			if (strcmp(optarg, "eddsa") == 0)
				args->cose_alg = COSE_EDDSA;
			else if (strcmp(optarg, "es256") != 0)
				usage();
			break;
		case 'x':
			if (is_assert || args->ncreds == MAX_CREDS)
				usage();
			args->creds[args->ncreds++] = optarg;
			break;
		default:
			usage();
		}
	}
	if (argc - optind < 2)
		usage();
	args->device = argv[optind];
	args->rp_id = argv[optind + 1];
	for (ch = optind + 2; is_assert && ch < argc; ch++) {
		if (args->ncreds == MAX_CREDS)
			usage();
		args->creds[args->ncreds++] = argv[ch];
	}
}

int
main(int argc, char **argv)
{
	struct client_args args;
	fido_dev_t *dev = NULL;
	int is_assert, r;

	if (argc < 2)
		usage();
	if (strcmp(argv[1], "assert") == 0)
		is_assert = 1;
	else if (strcmp(argv[1], "makecred") == 0)
		is_assert = 0;
	else
		usage();
	memset(&args, 0, sizeof(args));
	parse_args(argc - 1, argv + 1, is_assert, &args);
	fido_init(0);
	if ((dev = fido_dev_new()) == NULL)
		return 1;
	if ((r = fido_dev_open(dev, args.device)) == FIDO_OK) {
		r = is_assert ? get_assert(dev, &args) : make_cred(dev, &args);
		fido_dev_close(dev);
	}
	fido_dev_free(&dev);
	explicit_bzero(args.pin, sizeof(args.pin));
	if (r != FIDO_OK) {
		fprintf(stderr, "vkclient: %s\n", fido_strerr(r));
		return 1;
	}
	return 0;
}
