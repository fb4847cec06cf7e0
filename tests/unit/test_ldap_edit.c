/*
 * test_ldap_edit.c: what seckey-keys-ldap --edit decides without
 * libldap (lib/seckey_ldap_edit.c): the bind for a user and for root,
 * where a list of the conversation ends, the plan of one modify (kept
 * values byte for byte, renamed and deleted keys, new keys, values of
 * other mapping kinds, refused answers), and the DN of user_dn with
 * the name escaped (RFC 4514).
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seckey_base64.h"
#include "seckey_keylist.h"
#include "seckey_ldap_conf.h"
#include "seckey_ldap_edit.h"
#include "seckey_ldap_filter.h"
#include "seckey_passkey.h"
#include "tap.h"
#include "testkeys.h"

#define CLEAR	"uri = {\"ldap://a\"}\nbase = \"o=x\"\n"

static struct seckey_ldap_conf *
conf_of(const char *extra)
{
	struct seckey_ldap_conf *c = NULL;
	char text[1024];

	snprintf(text, sizeof(text), "uri = {\"ldaps://a\"}\nbase = "
	    "\"dc=example,dc=org\"\n%s", extra);
	if (seckey_ldap_conf_parse(text, strlen(text), "ldap.conf", &c,
	    NULL) != SECKEY_OK)
		exit(99);
	return c;
}

static void
test_bind(void)
{
	struct seckey_ldap_conf *c;
	enum seckey_ldap_edit_bind bind = SECKEY_LDAP_EDIT_USER_SASL;
	struct seckey_diag diag;

	c = conf_of("");
	is_int(seckey_ldap_edit_bind(c, false, &bind, NULL), SECKEY_OK,
	    "a user binds with a password by default");
	is_int(bind, SECKEY_LDAP_EDIT_USER_PASSWORD, "the user's password");
	seckey_diag_clear(&diag);
	is_int(seckey_ldap_edit_bind(c, true, &bind, &diag), SECKEY_ERR_CONFIG,
	    "root without an administrator bind is refused");
	has_str(diag.msg, "admin_bind_dn", "and told what to set");
	seckey_ldap_conf_free(&c);

	c = conf_of("sasl_mech = \"EXTERNAL\"\nadmin_sasl_mech = \"EXTERNAL\"\n");
	seckey_ldap_edit_bind(c, false, &bind, NULL);
	is_int(bind, SECKEY_LDAP_EDIT_USER_SASL, "sasl_mech: the user's SASL");
	seckey_ldap_edit_bind(c, true, &bind, NULL);
	is_int(bind, SECKEY_LDAP_EDIT_ADMIN_SASL, "admin_sasl_mech for root");
	seckey_ldap_conf_free(&c);

	c = conf_of("admin_bind_dn = \"cn=admin\"\n"
	    "admin_bind_password_file = \"/etc/admin.secret\"\n");
	seckey_ldap_edit_bind(c, true, &bind, NULL);
	is_int(bind, SECKEY_LDAP_EDIT_ADMIN_PASSWORD, "admin_bind_dn for root");
	seckey_ldap_conf_free(&c);

	c = NULL;
	if (seckey_ldap_conf_parse(CLEAR, strlen(CLEAR),
	    "f", &c, NULL) != SECKEY_OK)
		exit(99);
	seckey_diag_clear(&diag);
	is_int(seckey_ldap_edit_bind(c, false, &bind, &diag), SECKEY_ERR_CONFIG,
	    "a typed password over ldap:// without StartTLS is refused");
	has_str(diag.msg, "starttls", "and StartTLS named");
	seckey_ldap_conf_free(&c);
}

static void
test_conf_options(void)
{
	struct seckey_ldap_conf *c = NULL;
	struct seckey_diag diag;
	const char *bad[] = {
		"admin_bind_dn = \"cn=a\"\n",
		"admin_bind_dn = \"cn=a\"\nadmin_bind_password_file = \"/s\"\n"
		    "admin_sasl_mech = \"EXTERNAL\"\n",
		"admin_sasl_mech = \"PLAIN\"\n",
		"user_dn = \"uid=alice,dc=x\"\n",
		"user_dn = \"uid=%s,dc=x\"\n",
	};
	char text[512];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text), "uri = {\"ldaps://a\"}\nbase = "
		    "\"o=x\"\n%s", bad[i]);
		seckey_diag_clear(&diag);
		ok(seckey_ldap_conf_parse(text, strlen(text), "f", &c,
		    &diag) == SECKEY_ERR_SYNTAX && c == NULL,
		    "refused: %.*s (%s)", (int)strcspn(bad[i], "\n"), bad[i],
		    diag.msg);
	}
	c = conf_of("user_dn = \"uid=%u,ou=people,dc=x\"\n");
	is_str(c->user_dn, "uid=%u,ou=people,dc=x", "user_dn is kept");
	seckey_ldap_conf_free(&c);
}

static void
test_dn(void)
{
	char *dn = NULL;

	is_int(seckey_ldap_dn("uid=%u,dc=x", "alice", &dn, NULL), SECKEY_OK,
	    "a DN from user_dn");
	is_str(dn, "uid=alice,dc=x", "the name put in");
	free(dn);
	seckey_ldap_dn("uid=%u,dc=x", "a,b+c=d\"e\\f<g>h;i", &dn, NULL);
	is_str(dn, "uid=a\\2cb\\2bc\\3dd\\22e\\5cf\\3cg\\3eh\\3bi,dc=x",
	    "special characters escaped");
	free(dn);
	seckey_ldap_dn("uid=%u,dc=x", "#x y ", &dn, NULL);
	is_str(dn, "uid=\\23x y\\20,dc=x",
	    "a leading '#' and a trailing space escaped, not the inner one");
	free(dn);
	seckey_ldap_dn("cn=100%%,uid=%u", "\xc3\xa9", &dn, NULL);
	is_str(dn, "cn=100%,uid=\\c3\\a9", "%% and bytes outside ASCII");
	free(dn);
	is_int(seckey_ldap_dn("uid=%u", "", &dn, NULL), SECKEY_ERR_INVAL,
	    "an empty name is refused");
	ok(dn == NULL, "and gives no DN");
}

static void
test_end(void)
{
	size_t body = 99;

	is_int(seckey_ldap_edit_end("", 0, &body), 0, "nothing yet");
	is_int(seckey_ldap_edit_end("key \"a\" {\n", 10, &body), 0,
	    "a list without its end line");
	is_int(seckey_ldap_edit_end("%end", 4, &body), 0,
	    "the end line without its newline");
	is_int(seckey_ldap_edit_end("%end\n", 5, &body), 1, "the end line alone");
	is_int((long)body, 0, "ends an empty list");
	is_int(seckey_ldap_edit_end("# c\n%end\n", 9, &body), 1,
	    "after a line");
	is_int((long)body, 4, "the list is what comes before it");
	is_int(seckey_ldap_edit_end("# %end\n", 7, &body), 0,
	    "only at the start of a line");
	is_int(seckey_ldap_edit_end("%end\nmore", 9, &body), -1,
	    "something after it is refused");
	is_int(seckey_ldap_edit_end("%ending\n", 8, &body), 0,
	    "a longer line is not it");
}

/* A value of ours for a key of test_keys' kind ES256. */
static char *
value_of(const char *name, int seed)
{
	struct seckey_key_info info = info_of(name, seed, ES256,
	    SECKEY_ALG_ES256);
	struct seckey_key *key = NULL;
	char *value = NULL;

	if (seckey_key_new(&info, &key, NULL) != SECKEY_OK ||
	    seckey_passkey_format(key, &value) != SECKEY_OK)
		exit(99);
	seckey_key_free(&key);
	return value;
}

static char *
bare_of(int seed)
{
	char *cred = NULL, *value = NULL;

	if (seckey_base64_encode(cred_of(seed, 64), 64, &cred) != SECKEY_OK ||
	    asprintf(&value, "passkey:%s,%s", cred, der_b64[ES256]) < 0)
		exit(99);
	free(cred);
	return value;
}

static struct seckey_keylist *
list_of(const char *const *values, size_t n)
{
	struct seckey_keylist *list = NULL;
	size_t lens[16], i;

	for (i = 0; i < n; i++)
		lens[i] = strlen(values[i]);
	if (seckey_passkey_parse_values(values, lens, n, SECKEY_MAX_KEYS,
	    &list, NULL) != SECKEY_OK)
		exit(99);
	return list;
}

static int
make_plan(const char *const *values, size_t n, const struct seckey_keylist *list,
    struct seckey_ldap_plan *p)
{
	size_t lens[16], i;

	for (i = 0; i < n; i++)
		lens[i] = strlen(values[i]);
	return seckey_ldap_edit_plan(values, lens, n, list, p, NULL);
}

static void
test_plan(void)
{
	char *blue = value_of("Blue", 1), *red = value_of("Red", 2);
	char *bare = bare_of(3), *green = value_of("Green", 4);
	const char *x509 = "X509:<I>DC=com<S>CN=alice";
	const char *read[] = { blue, x509, bare, red };
	struct seckey_keylist *list;
	struct seckey_ldap_plan p;
	struct seckey_key_info info;

	list = list_of(read, 4);
	is_int(make_plan(read, 4, list, &p), SECKEY_OK, "the list as read");
	ok(p.del_len == 0 && p.add_len == 0, "changes nothing");
	seckey_ldap_plan_clear(&p);

	seckey_keylist_rename(list, "Red", "Rose", NULL);
	seckey_keylist_delete(list, "Blue", NULL);
	info = info_of("Green", 4, ES256, SECKEY_ALG_ES256);
	seckey_keylist_add(list, 10, &info, NULL);
	is_int(make_plan(read, 4, list, &p), SECKEY_OK,
	    "a rename, a deletion and a new key");
	ok(p.del_len == 2 && strcmp(p.del[0], blue) == 0 &&
	    strcmp(p.del[1], red) == 0,
	    "delete the values of the deleted and the renamed key, as read");
	ok(p.add_len == 2 && strstr(p.add[0], "passkey:") == p.add[0] &&
	    strcmp(p.add[1], green) == 0,
	    "add the renamed key's new value and the new key's");
	ok(strncmp(p.add[0], red, strcspn(red, ",") + 1) == 0 &&
	    strcmp(p.add[0], red) != 0, "the renamed key keeps its credential");
	seckey_ldap_plan_clear(&p);
	ok(p.del == NULL && p.add == NULL && p.del_len == 0,
	    "clearing empties the plan");
	seckey_keylist_free(&list);

	/* The FreeIPA value's generated name stays what it was. */
	list = list_of(read, 4);
	seckey_keylist_delete(list, "Blue", NULL);
	make_plan(read, 4, list, &p);
	ok(p.del_len == 1 && p.add_len == 0,
	    "the value without metadata and the other kind are left alone");
	seckey_ldap_plan_clear(&p);
	seckey_keylist_rename(list, "Security key 1", "Work", NULL);
	make_plan(read, 4, list, &p);
	ok(p.del_len == 2 && strcmp(p.del[1], bare) == 0 && p.add_len == 1,
	    "renamed, the value without metadata is written anew");
	seckey_ldap_plan_clear(&p);
	seckey_keylist_free(&list);

	{
		char *twin = value_of("Twin", 1);
		const char *dup[] = { blue, twin };
		const char *broken[] = { blue, "passkey:!!,x" };

		list = list_of(read, 1);
		is_int(make_plan(dup, 2, list, &p), SECKEY_ERR_DUP_CRED,
		    "values read that hold a credential twice are refused");
		is_int(make_plan(broken, 2, list, &p), SECKEY_ERR_SYNTAX,
		    "so is a malformed value");
		ok(p.del == NULL && p.add == NULL, "with an empty plan");
		seckey_keylist_free(&list);
		free(twin);
	}
	free(blue);
	free(red);
	free(bare);
	free(green);
}

int
main(void)
{
	make_keys();
	test_bind();
	test_conf_options();
	test_dn();
	test_end();
	test_plan();
	free_keys();

	return done();
}
