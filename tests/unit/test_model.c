/*
 * test_model.c: the AAGUID to model name table.  The test suite's
 * virtual key is not in it, so the helper tests see the virtual key as
 * an unknown model; the names of known models are checked here.
 */
#include <config.h>

#include <stddef.h>

#include "seckey_error.h"
#include "seckey_model.h"
#include "tap.h"

static const char *
name_of(const char *text)
{
	struct seckey_aaguid aaguid;

	if (seckey_aaguid_parse(text, &aaguid) != SECKEY_OK)
		return "(unparsable)";

	return seckey_model_name(&aaguid);
}

int
main(void)
{
	is_str(name_of("2fc0579f-8113-47ea-b116-bb5a8db9202a"),
	    "YubiKey 5 Series with NFC", "a YubiKey 5 NFC is named");
	is_str(name_of("cb69481e-8ff7-4039-93ec-0a2729a154a8"),
	    "YubiKey 5 Series", "a YubiKey 5 is named");
	is_str(name_of("42b4fb4a-2866-43b2-9bf7-6c6669c2e5d3"),
	    "Google Titan Security Key v2", "a Titan key is named");
	is_str(name_of("86babe58-627a-45bd-885c-ff16bce5ed43"), NULL,
	    "the test suite's virtual key is not in the product's table");
	is_str(name_of("00000000-0000-0000-0000-000000000000"), NULL,
	    "an unknown model has no name");
	ok(seckey_model_name(NULL) == NULL, "NULL has no name");

	return done();
}
