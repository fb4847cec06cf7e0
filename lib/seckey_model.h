/*
 * seckey_model.h: a readable model name for an authenticator's AAGUID,
 * for listings and default key names.  The table is short on purpose:
 * it names common keys and the test suite's virtual key, and an unknown
 * model is shown by its AAGUID instead.
 */
#ifndef SECKEY_MODEL_H
#define SECKEY_MODEL_H

#include "seckey_aaguid.h"

/* The AAGUID of tests/virtkey, the virtual key of the test suite. */
#define SECKEY_VIRTKEY_AAGUID	"86babe58-627a-45bd-885c-ff16bce5ed43"

/* The model's name, or NULL when the table does not know it. */
const char *seckey_model_name(const struct seckey_aaguid *aaguid);

#endif /* SECKEY_MODEL_H */
