/*
 * mapping.c: "seckey register --print-mapping[=value|ldif]": the new key
 * as an SSSD/FreeIPA passkey mapping value (lib/seckey_passkey.h) on
 * standard output, so that a directory can hold it:
 *
 *	ipa user-add-passkey alice "$(seckey register --print-mapping)"
 *
 * or as an LDIF modify record for ldapmodify.  The record's dn cannot
 * be known here, so it is a template that names the user ("uid=alice"),
 * which no directory entry matches until it is completed; a comment
 * says so.  Messages stay on standard error, so standard output holds
 * only what a directory takes.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helper.h"
#include "seckey_passkey.h"
#include "seckey_text.h"

int
helper_mapping_parse(const char *arg, enum helper_mapping *formp)
{
	if (arg == NULL || strcmp(arg, "value") == 0)
		*formp = HELPER_MAPPING_VALUE;
	else if (strcmp(arg, "ldif") == 0)
		*formp = HELPER_MAPPING_LDIF;
	else
		return -1;

	return 0;
}

/* A user name that needs no escaping in a DN or in LDIF (RFC 4514, 2849). */
static bool
plain_uid(const char *name)
{
	return name[0] != '\0' && name[0] != '-' &&
	    strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789._-") == strlen(name);
}

static void
print_ldif(const char *user, const char *key_name, const char *value)
{
	char safe_user[SECKEY_TEXT_SAFE_SIZE(256)];
	char safe_name[SECKEY_TEXT_SAFE_SIZE(SECKEY_NAME_MAX * 4)];

	seckey_text_safe(user, safe_user, sizeof(safe_user), SECKEY_TEXT_LOG);
	seckey_text_safe(key_name, safe_name, sizeof(safe_name),
	    SECKEY_TEXT_LOG);
	printf("# The security key \"%s\" of %s, as a passkey mapping.\n"
	    "# Complete the dn to %s's entry; the attribute is passkey for\n"
	    "# SSSD's LDAP provider, ipaPassKey for FreeIPA and\n"
	    "# altSecurityIdentities for AD.\n"
	    "dn: uid=%s\n"
	    "changetype: modify\n"
	    "add: passkey\n"
	    "passkey: %s\n"
	    "-\n", safe_name, safe_user, safe_user,
	    plain_uid(user) ? user : "CHANGE-ME", value);
}

int
helper_mapping_print(const struct helper_ctx *ctx,
    const struct seckey_key_info *info, enum helper_mapping form)
{
	struct seckey_key *key = NULL;
	struct seckey_diag diag;
	char *value = NULL;
	int r, status = EXIT_DONE;

	if (form == HELPER_MAPPING_NONE)
		return status;
	seckey_diag_clear(&diag);
	if ((r = seckey_key_new(info, &key, &diag)) != SECKEY_OK ||
	    (r = seckey_passkey_format(key, &value)) != SECKEY_OK)
		status = helper_refuse("the key is registered, but its "
		    "passkey mapping cannot be printed: %s",
		    seckey_strerror(r));
	else if (form == HELPER_MAPPING_LDIF)
		print_ldif(ctx->user.name, key->name, value);
	else
		printf("%s\n", value);
	if (status == EXIT_DONE && (fflush(stdout) != 0 || ferror(stdout)))
		status = helper_refuse("the key is registered, but its "
		    "passkey mapping could not be written out");
	free(value);
	seckey_key_free(&key);

	return status;
}
