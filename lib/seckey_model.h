/*
 * seckey_model.h: a readable model name for an authenticator's AAGUID,
 * for listings and default key names.  The table is short on purpose:
 * it names common keys, and an unknown model (the test suite's virtual
 * key among them) is shown by its AAGUID instead.
 */
#ifndef SECKEY_MODEL_H
#define SECKEY_MODEL_H

#include "seckey_aaguid.h"

/* The model's name, or NULL when the table does not know it. */
const char *seckey_model_name(const struct seckey_aaguid *aaguid);

#endif /* SECKEY_MODEL_H */
