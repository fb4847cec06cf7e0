/*
 * seckey_alg.c: the names of the signature algorithms in a key list.
 */
#include <config.h>

#include <string.h>

#include "seckey_alg.h"
#include "seckey_error.h"

static const char *const alg_names[] = {
	[SECKEY_ALG_ES256] = "es256",
	[SECKEY_ALG_EDDSA] = "eddsa",
	[SECKEY_ALG_RS256] = "rs256",
};

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

int
seckey_alg_parse(const char *text, enum seckey_alg *alg)
{
	size_t i;

	for (i = 0; text != NULL && i < NELEM(alg_names); i++)
		if (strcmp(text, alg_names[i]) == 0) {
			*alg = (enum seckey_alg)i;
			return SECKEY_OK;
		}

	return SECKEY_ERR_SYNTAX;
}

bool
seckey_alg_known(enum seckey_alg alg)
{
	return (size_t)alg < NELEM(alg_names);
}

const char *
seckey_alg_name(enum seckey_alg alg)
{
	if (!seckey_alg_known(alg))
		return "unknown";
	return alg_names[alg];
}
