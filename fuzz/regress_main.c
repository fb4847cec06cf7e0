/*
 * regress_main.c: replay inputs through a fuzz target without libFuzzer,
 * so that every build (gcc too) runs the committed corpus and the crash
 * inputs of fuzz/regress/ in make check.
 *
 *	regress_TARGET FILE...
 *
 * Each file goes through LLVMFuzzerTestOneInput once, as libFuzzer would
 * run it; a failed check or a sanitizer report ends the process with a
 * non-zero status.  A target that cannot set itself up here exits 77,
 * which tests/fuzz/regress.sh reports as a skip.
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"

/* libFuzzer's own cap on an input is far above anything committed. */
#define REGRESS_INPUT_MAX	(1024 * 1024)

/* Only targets that need a set-up step define it. */
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((__weak__));

static int
read_input(const char *path, unsigned char **datap, size_t *sizep)
{
	unsigned char *data;
	size_t size;
	FILE *fp;

	if ((fp = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	if ((data = malloc(REGRESS_INPUT_MAX + 1)) == NULL) {
		fclose(fp);
		fprintf(stderr, "%s: out of memory\n", path);
		return -1;
	}
	size = fread(data, 1, REGRESS_INPUT_MAX + 1, fp);
	if (ferror(fp) || size > REGRESS_INPUT_MAX) {
		fprintf(stderr, "%s: unreadable or larger than %d bytes\n",
		    path, REGRESS_INPUT_MAX);
		fclose(fp);
		free(data);
		return -1;
	}
	fclose(fp);
	*datap = data;
	*sizep = size;

	return 0;
}

int
main(int argc, char **argv)
{
	unsigned char *data;
	size_t size;
	int i;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE...\n", argv[0]);
		return 2;
	}
	if (LLVMFuzzerInitialize != NULL)
		LLVMFuzzerInitialize(&argc, &argv);
	for (i = 1; i < argc; i++) {
		if (read_input(argv[i], &data, &size) != 0)
			return 1;
		LLVMFuzzerTestOneInput(data, size);
		free(data);
	}

	return 0;
}
