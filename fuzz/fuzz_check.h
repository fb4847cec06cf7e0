/*
 * fuzz_check.h: what the fuzz targets share: the entry point libFuzzer
 * (or fuzz/regress_main.c) calls, and a check that stays on whatever
 * NDEBUG says, since a failed check is the finding.
 */
#ifndef SECKEY_FUZZ_CHECK_H
#define SECKEY_FUZZ_CHECK_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* A target with something to clean up before it dies defines this. */
void fuzz_check_failed(void) __attribute__((__weak__));

#define FUZZ_CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__,	\
		    __LINE__, #cond);					\
		if (fuzz_check_failed != NULL)				\
			fuzz_check_failed();				\
		abort();						\
	}								\
} while (0)

/* A NUL-terminated copy of the input, for the text parsers; NULL: OOM. */
static inline char *
fuzz_text(const uint8_t *data, size_t size)
{
	char *text;

	if ((text = malloc(size + 1)) == NULL)
		return NULL;
	if (size > 0)
		memcpy(text, data, size);
	text[size] = '\0';

	return text;
}

#endif /* SECKEY_FUZZ_CHECK_H */
