/*
 * test_store.c: the key store as the module and seckey use it: a
 * missing list, a missing home, an update that adds a key, an edit that
 * refuses and leaves the file alone, and a writer that waits for
 * another's lock and then gives up.
 */
#include <config.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "seckey_store_backend.h"
#include "seckey_time.h"
#include "tap.h"
#include "testutil.h"

static char *home;
static char keys_path[PATH_MAX + 64];
static struct seckey_user user;
static struct seckey_policy *policy;
static unsigned char *der;
/* The names of the keys, writable: the edit's argument is a void *. */
static char blue[] = "Blue key", red[] = "Red key", green[] = "Green key";
static size_t der_len;

/* A public key for the entries: the list refuses a broken one. */
static void
make_key(void)
{
	EVP_PKEY *pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	int len;

	if (pkey == NULL || (len = i2d_PUBKEY(pkey, &der)) <= 0) {
		fprintf(stderr, "cannot make a test key\n");
		exit(99);
	}
	der_len = (size_t)len;
	EVP_PKEY_free(pkey);
}

static int
open_store(struct seckey_store **storep)
{
	struct seckey_diag diag;

	seckey_diag_clear(&diag);
	return seckey_store_open(policy, &user, storep, &diag);
}

/* The edit of "seckey register": one key, its credential from arg. */
static int
add_key(struct seckey_keylist *list, void *arg, struct seckey_diag *diag)
{
	const char *name = arg;
	struct seckey_key_info info;
	unsigned char cred[32];

	memset(cred, name[0], sizeof(cred));
	memset(&info, 0, sizeof(info));
	info.name = name;
	info.cred_id = cred;
	info.cred_id_len = sizeof(cred);
	info.pubkey_der = der;
	info.pubkey_der_len = der_len;
	info.alg = SECKEY_ALG_ES256;
	info.transport = SECKEY_TRANSPORT_USB;
	info.created = 1764144000;

	return seckey_keylist_add(list, SECKEY_MAX_KEYS, &info, diag);
}

/* Makes a change, then refuses: nothing may be written. */
static int
add_then_refuse(struct seckey_keylist *list, void *arg,
    struct seckey_diag *diag)
{
	int r;

	if ((r = add_key(list, arg, diag)) != SECKEY_OK)
		return r;
	seckey_diag_set(diag, NULL, 0, "refused by the test");

	return SECKEY_ERR_NOTFOUND;
}

static void
test_missing(void)
{
	struct seckey_store *store = NULL;
	struct seckey_keylist *list = NULL;
	struct seckey_user homeless = user;
	struct seckey_diag diag;

	is_int(open_store(&store), SECKEY_OK, "open");
	is_str(seckey_store_where(store), keys_path, "where: the path");
	is_int(seckey_store_read(store, 5, &list, &diag), SECKEY_OK,
	    "a missing list reads");
	ok(list != NULL && list->count == 0, "as an empty one");
	seckey_keylist_free(&list);
	seckey_store_free(&store);
	ok(store == NULL, "free sets the pointer to NULL");
	seckey_store_free(&store);

	homeless.home = "/nonexistent/home/tester";
	is_int(seckey_store_open(policy, &homeless, &store, &diag), SECKEY_OK,
	    "open for a user without a home");
	is_int(seckey_store_read(store, 5, &list, &diag), SECKEY_ERR_NOFOLDER,
	    "a missing home is not an empty list");
	ok(list == NULL, "and gives no list");
	seckey_store_free(&store);
}

static void
test_update(void)
{
	struct seckey_store *store = NULL;
	struct seckey_keylist *list = NULL;
	struct seckey_diag diag;
	char before[4096];

	is_int(open_store(&store), SECKEY_OK, "open");
	is_int(seckey_store_update(store, 0, add_key, blue, &diag),
	    SECKEY_ERR_NOENT, "without SECKEY_STORE_CREATE no folder is made");
	is_int(seckey_store_update(store, SECKEY_STORE_CREATE, add_key,
	    blue, &diag), SECKEY_OK, "an update adds a key");
	is_int(seckey_store_update(store, 0, add_key, red, &diag),
	    SECKEY_OK, "and another");
	is_int(seckey_store_read(store, 5, &list, &diag), SECKEY_OK,
	    "read it back");
	ok(list != NULL && list->count == 2 &&
	    strcmp(list->keys[0]->name, "Blue key") == 0 &&
	    strcmp(list->keys[1]->name, "Red key") == 0, "both are there");
	seckey_keylist_free(&list);
	is_int(seckey_store_read(store, 1, &list, &diag), SECKEY_ERR_TOOMANY,
	    "a read refuses more than max_keys");

	snprintf(before, sizeof(before), "%s", read_text(keys_path));
	is_int(seckey_store_update(store, 0, add_then_refuse, green,
	    &diag), SECKEY_ERR_NOTFOUND, "a refusing edit's code comes back");
	is_str(diag.msg, "refused by the test", "with its diagnostic");
	is_str(read_text(keys_path), before, "and the file is unchanged");
	seckey_store_free(&store);
}

static void
test_lock_wait(void)
{
	struct seckey_store *store = NULL;
	struct seckey_lock *held = NULL;
	struct seckey_diag diag;
	long long start, waited;
	char before[4096];

	snprintf(before, sizeof(before), "%s", read_text(keys_path));
	is_int(open_store(&store), SECKEY_OK, "open");
	is_int(seckey_file_lock(keys_path, &user, 0, &held, &diag), SECKEY_OK,
	    "another writer holds the lock");
	store->lock_tries = 3;
	store->lock_wait_ms = 50;
	start = seckey_now_ms();
	is_int(seckey_store_update(store, 0, add_key, green, &diag),
	    SECKEY_ERR_LOCKED, "the update gives up");
	waited = seckey_now_ms() - start;
	ok(waited >= 100, "after waiting between its tries (%lld ms)", waited);
	is_str(read_text(keys_path), before, "nothing was written");
	seckey_file_unlock(&held);
	is_int(seckey_store_update(store, 0, add_key, green, &diag),
	    SECKEY_OK, "once the lock is free the update goes through");
	seckey_store_free(&store);
}

int
main(void)
{
	struct seckey_diag diag;

	home = scratch_new();
	user.name = "tester";
	user.uid = getuid();
	user.gid = getgid();
	user.home = home;
	snprintf(keys_path, sizeof(keys_path), "%s/.config/seckey/keys.conf",
	    home);
	make_key();
	if (seckey_policy_load("/nonexistent/pam_seckey.conf", false, "h",
	    &policy, &diag) != SECKEY_OK) {
		fprintf(stderr, "cannot load the default policy\n");
		return 99;
	}

	test_missing();
	test_update();
	test_lock_wait();

	seckey_policy_free(&policy);
	OPENSSL_free(der);
	scratch_remove(&home);

	return done();
}
