/*
 * seckey_model.c: the AAGUID to model name table.
 *
 * The names follow the vendors' own (as collected by the FIDO Metadata
 * Service and the passkey-authenticator-aaguids list).  An AAGUID only
 * names a model as the key itself reports it: the attestation
 * certificate is not checked against vendor roots, so a name here is a
 * label for people, never a security decision.
 */
#include <config.h>

#include <stddef.h>

#include "seckey_error.h"
#include "seckey_model.h"

struct model {
	const char	*aaguid;
	const char	*name;
};

static const struct model models[] = {
	{ "cb69481e-8ff7-4039-93ec-0a2729a154a8", "YubiKey 5 Series" },
	{ "ee882879-721c-4913-9775-3dfcce97072a", "YubiKey 5 Series" },
	{ "2fc0579f-8113-47ea-b116-bb5a8db9202a",
	    "YubiKey 5 Series with NFC" },
	{ "f8a011f3-8c0a-4d15-8006-17111f9edc7d", "Security Key by Yubico" },
	{ "42b4fb4a-2866-43b2-9bf7-6c6669c2e5d3",
	    "Google Titan Security Key v2" },
};

const char *
seckey_model_name(const struct seckey_aaguid *aaguid)
{
	struct seckey_aaguid known;
	size_t i;

	if (aaguid == NULL)
		return NULL;
	for (i = 0; i < sizeof(models) / sizeof(models[0]); i++)
		if (seckey_aaguid_parse(models[i].aaguid, &known) ==
		    SECKEY_OK && seckey_aaguid_equal(&known, aaguid))
			return models[i].name;

	return NULL;
}
