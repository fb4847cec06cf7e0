/*
 * keylist-dump.c: reads a key list on stdin with libseckey's own parser
 * and prints one line per key, fields separated by tabs: name, base64
 * credential id, base64 public key, algorithm, AAGUID, transport,
 * creation time.  Exit 0, or 1 with the parser's reason on stderr.  The
 * LDAP tests check with it that what seckey-keys-ldap prints is a list
 * the module would read.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>

#include "seckey_alg.h"
#include "seckey_base64.h"
#include "seckey_keylist.h"
#include "seckey_keylist_parse.h"
#include "seckey_time.h"
#include "seckey_transport.h"

static int
print_key(const struct seckey_key *key)
{
	char aaguid[SECKEY_AAGUID_TEXT_LEN], created[SECKEY_TIME_LEN];
	char *cred = NULL, *pubkey = NULL;
	int r;

	if ((r = seckey_base64_encode(key->cred_id, key->cred_id_len,
	    &cred)) != SECKEY_OK ||
	    (r = seckey_base64_encode(key->pubkey_der, key->pubkey_der_len,
	    &pubkey)) != SECKEY_OK ||
	    (r = seckey_time_format(key->created, created)) != SECKEY_OK)
		goto fail;
	seckey_aaguid_format(&key->aaguid, aaguid);
	printf("%s\t%s\t%s\t%s\t%s\t%s\t%s\n", key->name, cred, pubkey,
	    seckey_alg_name(key->alg), aaguid,
	    seckey_transport_name(key->transport), created);
fail:
	free(cred);
	free(pubkey);

	return r;
}

int
main(void)
{
	static char text[64 * 1024 + 1];
	struct seckey_keylist *list = NULL;
	struct seckey_diag diag;
	size_t len, i;
	int r;

	len = fread(text, 1, sizeof(text) - 1, stdin);
	text[len] = '\0';
	seckey_diag_clear(&diag);
	if ((r = seckey_keylist_parse(text, len, "stdin", 10, &list,
	    &diag)) != SECKEY_OK) {
		fprintf(stderr, "keylist-dump: %s: line %d: %s\n",
		    seckey_strerror(r), diag.line, diag.msg);
		return 1;
	}
	for (i = 0; i < list->count && r == SECKEY_OK; i++)
		r = print_key(list->keys[i]);
	seckey_keylist_free(&list);

	return r == SECKEY_OK ? 0 : 1;
}
