/*
 * test_ldap_conf.c: seckey-ldap.conf (defaults, every option, faults with
 * their line, the checks across options) and the RFC 4515 escaping of
 * the user name in user_filter.  Loading the file and the password file
 * (owners, modes) is tested through the reader, tests/ldap/reader.sh.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seckey_ldap_conf.h"
#include "seckey_ldap_filter.h"
#include "tap.h"

#define MINIMAL	"uri = {\"ldap://a\"}\nbase = \"dc=example,dc=org\"\n"

static int
parse(const char *text, struct seckey_ldap_conf **c, struct seckey_diag *diag)
{
	seckey_diag_clear(diag);
	return seckey_ldap_conf_parse(text, strlen(text), "ldap.conf", c, diag);
}

static void
test_defaults(void)
{
	struct seckey_ldap_conf *c = NULL;
	struct seckey_diag diag;

	is_int(parse(MINIMAL, &c, &diag), SECKEY_OK, "uri and base suffice");
	if (c == NULL) {
		skip(9, "no configuration");
		return;
	}
	ok(c->uris_len == 1 && strcmp(c->uris[0], "ldap://a") == 0, "uri");
	is_str(c->base, "dc=example,dc=org", "base");
	is_str(c->user_filter, "(&(objectClass=posixAccount)(uid=%u))",
	    "user_filter defaults to posixAccount and uid");
	is_str(c->attribute, "passkey", "attribute defaults to passkey");
	ok(c->bind_dn == NULL && c->bind_password_file == NULL,
	    "no simple bind by default");
	ok(c->sasl_mech == NULL && c->tls_ca_file == NULL, "no SASL, "
	    "the system's CAs");
	ok(!c->starttls, "starttls defaults to false");
	is_int(c->timeout, 5, "timeout defaults to 5 seconds");
	seckey_ldap_conf_free(&c);
	ok(c == NULL, "free sets the pointer to NULL");
}

static void
test_every_option(void)
{
	static const char text[] =
	    "uri = {\"ldaps://one.example.org\", \"ldap://two:3389\", "
	    "\"ldapi://%2Frun%2Fslapd%2Fldapi\"}\n"
	    "base = \"ou=people,dc=example,dc=org\"\n"
	    "user_filter = \"(&(objectClass=seckeyUser)(uid=%u)(o=100%%))\"\n"
	    "attribute = \"ipaPassKey\"\n"
	    "bind_dn = \"cn=reader,dc=example,dc=org\"\n"
	    "bind_password_file = \"/etc/security/seckey-ldap.secret\"\n"
	    "tls_ca_file = \"/etc/ssl/certs/ca.pem\"\n"
	    "starttls = true\n"
	    "timeout = 60\n";
	struct seckey_ldap_conf *c = NULL;
	struct seckey_diag diag;

	is_int(parse(text, &c, &diag), SECKEY_OK, "every option: %s",
	    diag.msg);
	if (c == NULL) {
		skip(5, "no configuration");
		return;
	}
	ok(c->uris_len == 3 && strcmp(c->uris[2],
	    "ldapi://%2Frun%2Fslapd%2Fldapi") == 0, "three servers in order");
	is_str(c->attribute, "ipaPassKey", "attribute");
	is_str(c->bind_password_file, "/etc/security/seckey-ldap.secret",
	    "bind_password_file");
	ok(c->starttls, "starttls");
	is_int(c->timeout, 60, "timeout");
	seckey_ldap_conf_free(&c);

	is_int(parse(MINIMAL "sasl_mech = \"EXTERNAL\"\n", &c, &diag),
	    SECKEY_OK, "sasl_mech EXTERNAL");
	is_str(c != NULL ? c->sasl_mech : NULL, "EXTERNAL", "is kept");
	seckey_ldap_conf_free(&c);
}

struct bad_case {
	const char	*text;
	int		 err;
	int		 line;
	const char	*msg;
	const char	*what;
};

static const struct bad_case bad_cases[] = {
	{ "base = \"dc=x\"\n", SECKEY_ERR_SYNTAX, 0, "uri is required",
	    "no uri" },
	{ "uri = {\"ldap://a\"}\n", SECKEY_ERR_SYNTAX, 0, "base is required",
	    "no base" },
	{ MINIMAL "uri = {\"ldap://b\"}\n", SECKEY_ERR_SYNTAX, 3, "twice",
	    "uri set twice" },
	{ MINIMAL "base = \"dc=y\"\n", SECKEY_ERR_SYNTAX, 3, "twice",
	    "base set twice" },
	{ "uri = {\"http://a\"}\nbase = \"dc=x\"\n", SECKEY_ERR_SYNTAX, 1,
	    "ldapi://", "an http URI" },
	{ "uri = {\"ldap://a b\"}\nbase = \"dc=x\"\n", SECKEY_ERR_SYNTAX, 1,
	    "ldapi://", "a URI with a space" },
	{ "uri = {\"ldap://1\", \"ldap://2\", \"ldap://3\", \"ldap://4\", "
	    "\"ldap://5\", \"ldap://6\", \"ldap://7\", \"ldap://8\", "
	    "\"ldap://9\"}\nbase = \"dc=x\"\n", SECKEY_ERR_RANGE, 1,
	    "at most 8", "nine servers" },
	{ MINIMAL "user_filter = \"uid=%u\"\n", SECKEY_ERR_SYNTAX, 3,
	    "parentheses", "a filter without parentheses" },
	{ MINIMAL "user_filter = \"(uid=alice)\"\n", SECKEY_ERR_SYNTAX, 3,
	    "%u", "a filter without %u" },
	{ MINIMAL "user_filter = \"(uid=%s)\"\n", SECKEY_ERR_SYNTAX, 3,
	    "%u", "a filter with %s" },
	{ MINIMAL "attribute = \"pass key\"\n", SECKEY_ERR_SYNTAX, 3,
	    "attribute must be", "an attribute with a space" },
	{ MINIMAL "bind_dn = \"cn=r\"\n", SECKEY_ERR_SYNTAX, 0,
	    "go together", "bind_dn without a password file" },
	{ MINIMAL "bind_password_file = \"/p\"\n", SECKEY_ERR_SYNTAX, 0,
	    "go together", "a password file without bind_dn" },
	{ "uri = {\"ldaps://a\"}\nbase = \"dc=x\"\nbind_dn = \"cn=r\"\n"
	    "bind_password_file = \"/p\"\nsasl_mech = \"EXTERNAL\"\n",
	    SECKEY_ERR_SYNTAX, 0, "exclude", "bind_dn with sasl_mech" },
	{ MINIMAL "bind_dn = \"cn=r\"\nbind_password_file = \"/p\"\n",
	    SECKEY_ERR_SYNTAX, 0, "starttls", "a password over ldap:// in "
	    "clear text" },
	{ MINIMAL "bind_password_file = \"p\"\n", SECKEY_ERR_SYNTAX, 3,
	    "absolute", "a relative password file" },
	{ MINIMAL "sasl_mech = \"GSSAPI\"\n", SECKEY_ERR_SYNTAX, 3,
	    "EXTERNAL", "a SASL mechanism other than EXTERNAL" },
	{ MINIMAL "timeout = 0\n", SECKEY_ERR_RANGE, 3, "between 1 and 60",
	    "timeout 0" },
	{ MINIMAL "timeout = 61\n", SECKEY_ERR_RANGE, 3, "between 1 and 60",
	    "timeout 61" },
	{ MINIMAL "timeout = -1\n", SECKEY_ERR_SYNTAX, 3, "decimal",
	    "a negative timeout" },
	{ MINIMAL "starttls = maybe\n", SECKEY_ERR_SYNTAX, 3, "",
	    "starttls not a boolean" },
	{ MINIMAL "scope = \"sub\"\n", SECKEY_ERR_SYNTAX, 3, "scope",
	    "an unknown option" },
	{ MINIMAL "base2 = \"${HOME}\"\n", SECKEY_ERR_SYNTAX, 3, "${",
	    "an environment substitution" },
};

static void
test_bad(void)
{
	struct seckey_ldap_conf *c = NULL;
	struct seckey_diag diag;
	size_t i;
	int r;

	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		r = parse(bad_cases[i].text, &c, &diag);
		ok(r == bad_cases[i].err && c == NULL &&
		    diag.line == bad_cases[i].line &&
		    strstr(diag.msg, bad_cases[i].msg) != NULL,
		    "refused: %s (%d, line %d: %s)", bad_cases[i].what, r,
		    diag.line, diag.msg);
		seckey_ldap_conf_free(&c);
	}
}

static void
filter_is(const char *tmpl, const char *user, const char *want,
    const char *what)
{
	struct seckey_diag diag;
	char *filter = NULL;

	seckey_diag_clear(&diag);
	is_int(seckey_ldap_filter(tmpl, user, &filter, &diag), SECKEY_OK,
	    "filter for %s", what);
	is_str(filter, want, "%s", what);
	free(filter);
}

static void
test_filter(void)
{
	struct seckey_diag diag;
	char *filter = NULL, name[SECKEY_LDAP_USER_MAX + 2];

	filter_is("(uid=%u)", "alice", "(uid=alice)", "a plain name");
	filter_is("(uid=%u)", "*", "(uid=\\2a)", "'*' is escaped");
	filter_is("(uid=%u)", "a)(uid=*", "(uid=a\\29\\28uid=\\2a)",
	    "'(' and ')' are escaped");
	filter_is("(uid=%u)", "a\\2a", "(uid=a\\5c2a)", "'\\' is escaped");
	filter_is("(uid=%u)", "\xc3\xa9t\xc3\xa9", "(uid=\\c3\\a9t\\c3\\a9)",
	    "bytes beyond ASCII are escaped");
	filter_is("(|(uid=%u)(mail=%u@x)(o=100%%))", "b*",
	    "(|(uid=b\\2a)(mail=b\\2a@x)(o=100%))", "every %u, and %%");
	ok(seckey_ldap_filter("(uid=%u)", "", &filter, &diag) ==
	    SECKEY_ERR_INVAL && filter == NULL, "an empty name is refused");
	memset(name, 'a', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	ok(seckey_ldap_filter("(uid=%u)", name, &filter, &diag) ==
	    SECKEY_ERR_INVAL, "a name of %d bytes is refused",
	    SECKEY_LDAP_USER_MAX + 1);
	ok(seckey_ldap_filter("(uid=%x)", "a", &filter, &diag) ==
	    SECKEY_ERR_INVAL, "an invalid template is refused");
}

int
main(void)
{
	test_defaults();
	test_every_option();
	test_bad();
	test_filter();
	return done();
}
