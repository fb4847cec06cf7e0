/*
 * test_policy.c: pam_seckey.conf: defaults, every option, every kind of
 * fault reported with its line, keys_file expansion, and loading.
 */
#include <config.h>

#include <sys/stat.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "seckey_policy.h"
#include "tap.h"
#include "testutil.h"

static int
parse(const char *text, struct seckey_policy **p, struct seckey_diag *diag)
{
	seckey_diag_clear(diag);
	return seckey_policy_parse(text, strlen(text), "test.conf", "testhost",
	    p, diag);
}

static void
test_defaults(void)
{
	struct seckey_policy *p = NULL;
	struct seckey_diag diag;

	is_int(parse("", &p, &diag), SECKEY_OK, "an empty policy is valid");
	if (p == NULL) {
		skip(17, "no policy");
		return;
	}
	ok(!p->enabled, "enabled defaults to false");
	is_str(p->state_dir, "/var/lib/seckey", "state_dir");
	ok(p->attestation == SECKEY_ATTESTATION_NONE &&
	    strcmp(seckey_attestation_name(p->attestation), "none") == 0,
	    "attestation defaults to none");
	is_str(p->attestation_roots, "/etc/security/seckey-roots.pem",
	    "attestation_roots");
	is_str(p->rp_id, "pam://testhost", "rp_id defaults to pam:// + host");
	is_str(p->keys_file, "%h/.config/seckey/keys.conf", "keys_file");
	is_int(p->max_keys, 10, "max_keys defaults to 10");
	ok(p->user_verification == SECKEY_UV_PIN, "user_verification pin");
	ok(p->user_presence, "user_presence defaults to true");
	is_int(p->timeout, 30, "timeout defaults to 30");
	ok(!p->nouserok, "nouserok defaults to false");
	ok(p->reset_services_len == 2 &&
	    strcmp(p->reset_services[0], "passwd") == 0 &&
	    strcmp(p->reset_services[1], "chpasswd") == 0,
	    "reset_services defaults to passwd, chpasswd");
	is_int((long)p->allowed_aaguids_len, 0, "allowed_aaguids empty");
	ok(p->pin_prompt != NULL && p->pin_prompt[0] != '\0', "a PIN prompt");
	ok(p->touch_prompt != NULL && p->touch_prompt[0] != '\0',
	    "a touch prompt");
	ok(!p->debug, "debug defaults to false");
	ok(seckey_policy_is_reset_service(p, "passwd") &&
	    !seckey_policy_is_reset_service(p, "sudo"), "reset service test");
	seckey_policy_free(&p);
	ok(p == NULL, "free sets the pointer to NULL");
}

static void
test_hostname(void)
{
	struct seckey_policy *p = NULL;
	struct seckey_diag diag;
	char host[HOST_NAME_MAX + 1], want[HOST_NAME_MAX + 8];

	if (gethostname(host, sizeof(host)) != 0)
		host[0] = '\0';
	host[sizeof(host) - 1] = '\0';
	snprintf(want, sizeof(want), "pam://%s", host);
	is_int(seckey_policy_parse("", 0, "t", NULL, &p, &diag), SECKEY_OK,
	    "parse with the real host name");
	is_str(p != NULL ? p->rp_id : NULL, want, "rp_id uses gethostname");
	seckey_policy_free(&p);
	is_int(seckey_policy_parse("", 0, "t", "bad host", &p, &diag),
	    SECKEY_ERR_INVAL, "a host name with a space makes no rp_id");
}

static const char every_option[] =
    "# every option, none at its default\n"
    "enabled = true\n"
    "rp_id = \"pam://fleet.example\"\n"
    "keys_file = \"/etc/security/seckey.d/%u.conf\"\n"
    "max_keys = 3\n"
    "user_verification = \"none\"\n"
    "user_presence = true\n"
    "timeout = 600\n"
    "nouserok = yes\n"
    "reset_services = {\"passwd\", \"chpasswd\", \"newusers\"}\n"
    "allowed_aaguids = {\"2fc0579f-8113-47ea-b116-bb5a8db9202a\",\n"
    "    \"cb69481e-8ff7-4039-93ec-0a2729a154a8\"}\n"
    "pin_prompt = \"Code PIN de la cl\xc3\xa9 : \"\n"
    "touch_prompt = \"Touchez la cl\xc3\xa9.\"\n"
    "state_dir = \"/srv/seckey/state\"\n"
    "attestation = \"verify\"\n"
    "attestation_roots = \"/etc/ssl/fido-roots.pem\"\n"
    "debug = on\n";

static void
test_every_option(void)
{
	struct seckey_policy *p = NULL;
	struct seckey_diag diag;
	struct seckey_aaguid a;

	is_int(parse(every_option, &p, &diag), SECKEY_OK,
	    "every option parses");
	if (p == NULL) {
		note("%s:%d: %s", diag.file, diag.line, diag.msg);
		skip(17, "no policy");
		return;
	}
	ok(p->enabled, "enabled");
	is_str(p->state_dir, "/srv/seckey/state", "state_dir");
	ok(p->attestation == SECKEY_ATTESTATION_VERIFY &&
	    strcmp(seckey_attestation_name(p->attestation), "verify") == 0,
	    "attestation verify");
	is_str(p->attestation_roots, "/etc/ssl/fido-roots.pem",
	    "attestation_roots");
	is_str(p->rp_id, "pam://fleet.example", "rp_id");
	is_str(p->keys_file, "/etc/security/seckey.d/%u.conf", "keys_file");
	is_int(p->max_keys, 3, "max_keys");
	ok(p->user_verification == SECKEY_UV_NONE, "user_verification none");
	is_str(seckey_uv_name(p->user_verification), "none", "uv name");
	ok(p->user_presence, "user_presence");
	is_int(p->timeout, 600, "timeout");
	ok(p->nouserok, "nouserok");
	ok(p->reset_services_len == 3 &&
	    strcmp(p->reset_services[2], "newusers") == 0, "reset_services");
	is_int((long)p->allowed_aaguids_len, 2, "allowed_aaguids");
	seckey_aaguid_parse("cb69481e-8ff7-4039-93ec-0a2729a154a8", &a);
	ok(seckey_policy_aaguid_allowed(p, &a), "a listed model is allowed");
	a.bytes[0] ^= 1;
	ok(!seckey_policy_aaguid_allowed(p, &a), "another one is not");
	is_str(p->pin_prompt, "Code PIN de la cl\xc3\xa9 : ", "pin_prompt");
	is_str(p->touch_prompt, "Touchez la cl\xc3\xa9.", "touch_prompt");
	ok(p->debug, "debug");
	seckey_policy_free(&p);
}

struct bad_case {
	const char	*text;
	int		 err;
	int		 line;
	const char	*says;	/* part of the message */
};

static const struct bad_case bad_cases[] = {
	{ "enabled = true\n\nfrobnicate = 1\n", SECKEY_ERR_SYNTAX, 3,
	    "frobnicate" },
	{ "enabled = maybe\n", SECKEY_ERR_SYNTAX, 1, "boolean" },
	{ "\nmax_keys = 0\n", SECKEY_ERR_RANGE, 2, "between 1 and 10" },
	{ "max_keys = 11\n", SECKEY_ERR_RANGE, 1, "between 1 and 10" },
	{ "max_keys = 010\n", SECKEY_ERR_SYNTAX, 1, "decimal" },
	{ "max_keys = 0x5\n", SECKEY_ERR_SYNTAX, 1, "decimal" },
	{ "max_keys = -1\n", SECKEY_ERR_SYNTAX, 1, "decimal" },
	{ "max_keys = 5x\n", SECKEY_ERR_SYNTAX, 1, "decimal" },
	{ "max_keys = 99999999999999999999\n", SECKEY_ERR_SYNTAX, 1,
	    "decimal" },
	{ "timeout = 0\n", SECKEY_ERR_RANGE, 1, "between 1 and 600" },
	{ "#\n#\n#\ntimeout = 601\n", SECKEY_ERR_RANGE, 4, "600" },
	{ "user_verification = \"always\"\n", SECKEY_ERR_SYNTAX, 1,
	    "\"pin\" or \"none\"" },
	{ "rp_id = \"\"\n", SECKEY_ERR_SYNTAX, 1, "rp_id" },
	{ "rp_id = \"pam://my host\"\n", SECKEY_ERR_SYNTAX, 1, "rp_id" },
	{ "keys_file = \"keys.conf\"\n", SECKEY_ERR_SYNTAX, 1, "keys_file" },
	{ "keys_file = \"/etc/%x.conf\"\n", SECKEY_ERR_SYNTAX, 1,
	    "keys_file" },
	{ "keys_file = \"/etc/%\"\n", SECKEY_ERR_SYNTAX, 1, "keys_file" },
	{ "allowed_aaguids = {\n\"2fc0579f-8113-47ea-b116-bb5a8db9202a\",\n"
	    "\"2FC0579F-8113-47EA-B116-BB5A8DB9202A\"}\n", SECKEY_ERR_SYNTAX,
	    3, "lowercase UUID" },
	{ "reset_services = {\"pass wd\"}\n", SECKEY_ERR_SYNTAX, 1,
	    "reset_services" },
	{ "pin_prompt = \"\"\n", SECKEY_ERR_SYNTAX, 1, "pin_prompt" },
	{ "touch_prompt = \"a\\nb\"\n", SECKEY_ERR_SYNTAX, 1,
	    "touch_prompt" },
	{ "timeout = 5\ntimeout = 6\n", SECKEY_ERR_SYNTAX, 2, "twice" },
	/* Lists too: the last one would silently win. */
	{ "reset_services = {\"passwd\"}\n# a stray line\n"
	    "reset_services = {}\n", SECKEY_ERR_SYNTAX, 3,
	    "option 'reset_services' is set twice" },
	{ "reset_services = {}\nenabled = true\nreset_services = {\"a\"}\n",
	    SECKEY_ERR_SYNTAX, 3, "option 'reset_services' is set twice" },
	{ "reset_services = {}\nreset_services = {}\n", SECKEY_ERR_SYNTAX,
	    2, "option 'reset_services' is set twice" },
	{ "allowed_aaguids = {\"2fc0579f-8113-47ea-b116-bb5a8db9202a\"}\n"
	    "\nallowed_aaguids = {\n\"86babe58-627a-45bd-885c-ff16bce5ed43\"\n"
	    "}\n", SECKEY_ERR_SYNTAX, 3, "option 'allowed_aaguids' is set twice" },
	{ "allowed_aaguids = {}\n\"allowed_aaguids\" = {}\n",
	    SECKEY_ERR_SYNTAX, 2, "option 'allowed_aaguids' is set twice" },
	/* A C1 CSI and a bidi override where libconfuse quotes the file. */
	{ "\xc2\x9b" "31m\xe2\x80\xae" "on = 1\n", SECKEY_ERR_SYNTAX, 1,
	    "no such option '\\u009b31m\\u202eon'" },
	{ "rp_id = \"${HOME}\"\n", SECKEY_ERR_SYNTAX, 1, "environment" },
	{ "enabled = true\nrp_id = ${HOME}\n", SECKEY_ERR_SYNTAX, 2,
	    "environment" },
	{ "enabled = true\r\n", SECKEY_ERR_SYNTAX, 1, "control" },
	{ "@seckey-parse-context = \"x\"\n", SECKEY_ERR_SYNTAX, 1,
	    "no such option" },
	{ "enabled = true\n}\n", SECKEY_ERR_SYNTAX, 2, "brace" },
	{ "enabled\n", SECKEY_ERR_SYNTAX, 0, "" },
	{ "timeout += 5\n", SECKEY_ERR_SYNTAX, 1, "+=" },
	{ "\"\\x1b[31m\" = 1\n", SECKEY_ERR_SYNTAX, 1, "no such option" },
	{ "user_presence = false\nuser_verification = \"none\"\n",
	    SECKEY_ERR_SYNTAX, 0, "without any human action" },
	{ "keys = \"directory\"\n", SECKEY_ERR_SYNTAX, 1,
	    "\"file\", \"ldap\" or \"command\"" },
	{ "ldap_conf = \"seckey-ldap.conf\"\n", SECKEY_ERR_SYNTAX, 1,
	    "ldap_conf must be an absolute path" },
	{ "ldap_conf = \"\"\n", SECKEY_ERR_SYNTAX, 1, "ldap_conf" },
	{ "keys_cache = \"/var/cache/%u\"\n", SECKEY_ERR_SYNTAX, 1,
	    "keys_cache must be an absolute path without %" },
	{ "keys_cache = \"cache\"\n", SECKEY_ERR_SYNTAX, 1, "keys_cache" },
	{ "keys_cache_max_age = 31622401\n", SECKEY_ERR_RANGE, 1,
	    "between 0 and 31622400" },
	{ "keys_cache_max_age = -1\n", SECKEY_ERR_SYNTAX, 1, "decimal" },
	{ "keys = \"command\"\n", SECKEY_ERR_SYNTAX, 0,
	    "needs keys_command" },
	{ "keys_command = \"reader %u\"\n", SECKEY_ERR_SYNTAX, 1,
	    "absolute program path" },
	{ "keys_command = \"/usr/%u/reader\"\n", SECKEY_ERR_SYNTAX, 1,
	    "in the arguments" },
	{ "keys_command = \"/usr/bin/reader %x\"\n", SECKEY_ERR_SYNTAX, 1,
	    "keys_command" },
	{ "keys_command = \"/usr/bin/reader %\"\n", SECKEY_ERR_SYNTAX, 1,
	    "keys_command" },
	{ "keys_command = \"\"\n", SECKEY_ERR_SYNTAX, 1, "keys_command" },
	{ "keys_command = \"/r a b c d e f g h i j k l m n o p q r s t u v w "
	    "x y z 1 2 3 4 5 6\"\n", SECKEY_ERR_SYNTAX, 1, "at most 31" },
	{ "keys_command_user = \"no body\"\n", SECKEY_ERR_SYNTAX, 1,
	    "keys_command_user" },
	{ "keys_command_timeout = 0\n", SECKEY_ERR_RANGE, 1,
	    "between 1 and 60" },
	{ "keys_command_timeout = 61\n", SECKEY_ERR_RANGE, 1,
	    "between 1 and 60" },
	{ "state_dir = \"var/lib/seckey\"\n", SECKEY_ERR_SYNTAX, 1,
	    "state_dir must be an absolute path" },
	{ "state_dir = \"/var/lib/%u\"\n", SECKEY_ERR_SYNTAX, 1,
	    "state_dir" },
	{ "attestation = \"yes\"\n", SECKEY_ERR_SYNTAX, 1,
	    "attestation must be \"none\" or \"verify\"" },
	{ "attestation_roots = \"roots.pem\"\n", SECKEY_ERR_SYNTAX, 1,
	    "attestation_roots must be an absolute path" },
};

static void
test_bad_values(void)
{
	struct seckey_policy *p;
	struct seckey_diag diag;
	size_t i;
	int r;

	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		p = NULL;
		r = parse(bad_cases[i].text, &p, &diag);
		is_int(r, bad_cases[i].err, "bad policy %zu refused (%s)", i,
		    diag.msg);
		ok(p == NULL, "no policy for a bad file");
		if (bad_cases[i].line > 0)
			is_int(diag.line, bad_cases[i].line,
			    "bad policy %zu: fault at line %d", i,
			    bad_cases[i].line);
		has_str(diag.msg, bad_cases[i].says,
		    "bad policy %zu: the message says why", i);
		is_str(diag.file, "test.conf", "the message names the file");
		ok(strchr(diag.msg, '\x1b') == NULL, "no escape in a message");
		seckey_policy_free(&p);
	}
}

static void
test_lists(void)
{
	struct seckey_policy *p = NULL;
	struct seckey_diag diag;

	is_int(parse("reset_services = {}\n", &p, &diag), SECKEY_OK,
	    "an empty reset_services list");
	ok(p != NULL && p->reset_services_len == 0 &&
	    !seckey_policy_is_reset_service(p, "passwd"), "is empty");
	seckey_policy_free(&p);
	/* Appending would drop the defaults we apply after the parse. */
	is_int(parse("reset_services += {\"sudo\"}\n", &p, &diag),
	    SECKEY_ERR_SYNTAX, "appending to reset_services is refused");
	ok(p == NULL && diag.line == 1 && strstr(diag.msg, "+=") != NULL,
	    "with the line and why");
	seckey_policy_free(&p);
	is_int(parse("user_presence = false\n", &p, &diag), SECKEY_OK,
	    "no touch is fine with a PIN");
	seckey_policy_free(&p);
	/* Set once each, with quotes and braces that only look like more. */
	is_int(parse("pin_prompt = \"reset_services = {}\"\n"
	    "reset_services = {\"passwd\",\n \"sudo\"}\n"
	    "allowed_aaguids = {}\n", &p, &diag), SECKEY_OK,
	    "each list set once is fine");
	ok(p != NULL && p->reset_services_len == 2 &&
	    seckey_policy_is_reset_service(p, "sudo"), "and holds its values");
	seckey_policy_free(&p);
}

/* The sign-in without a user name: never sshd, su or sudo. */
static void
test_usernameless(void)
{
	struct seckey_policy *p = NULL;
	struct seckey_diag diag;

	is_int(parse("", &p, &diag), SECKEY_OK, "the defaults");
	ok(p != NULL && p->usernameless_services_len == 0 &&
	    !seckey_policy_is_usernameless_service(p, "gdm-seckey"),
	    "usernameless_services defaults to none");
	seckey_policy_free(&p);
	is_int(parse("usernameless_services = {\"gdm-seckey\", \"login\"}\n",
	    &p, &diag), SECKEY_OK, "usernameless_services with two services");
	ok(p != NULL && seckey_policy_is_usernameless_service(p,
	    "gdm-seckey") && seckey_policy_is_usernameless_service(p, "login") &&
	    !seckey_policy_is_usernameless_service(p, "gdm-password"),
	    "holds them and no other");
	seckey_policy_free(&p);
	is_int(parse("usernameless_services = {\"gdm-seckey\", \"sudo\"}\n",
	    &p, &diag), SECKEY_ERR_SYNTAX, "sudo listed is refused");
	ok(p == NULL && diag.line == 1 && strstr(diag.msg, "\"sudo\" is never "
	    "allowed") != NULL, "with the line and why");
	is_int(parse("usernameless_services = {\"sshd\"}\n", &p, &diag),
	    SECKEY_ERR_SYNTAX, "so is sshd");
	is_int(parse("usernameless_services = {\"su-l\"}\n", &p, &diag),
	    SECKEY_ERR_SYNTAX, "and su-l");
	is_int(parse("usernameless_services = {\"a b\"}\n", &p, &diag),
	    SECKEY_ERR_SYNTAX, "a service name with a space is refused");
	is_int(parse("usernameless_services = {\"gdm-seckey\"}\n"
	    "user_verification = \"none\"\n", &p, &diag), SECKEY_ERR_SYNTAX,
	    "usernameless_services without the PIN is refused");
	ok(p == NULL && strstr(diag.msg, "needs user_verification") != NULL,
	    "saying it needs the PIN");
}

/* libconfuse 3.3 miscounts comment lines; our reader blanks comments. */
static void
test_comments(void)
{
	struct seckey_policy *p = NULL;
	struct seckey_diag diag;

	is_int(parse("# one\n// two\n/* three\n four */\ntimeout = 0\n", &p,
	    &diag), SECKEY_ERR_RANGE, "a fault after comments");
	is_int(diag.line, 5, "is reported at its real line");
	is_int(parse("reset_services = {\"a\", # first\n\"b\" // second\n}\n",
	    &p, &diag), SECKEY_OK, "comments inside a list");
	ok(p != NULL && p->reset_services_len == 2, "leave the list whole");
	seckey_policy_free(&p);
	is_int(parse("pin_prompt = \"PIN #1 // x /* y */: \"\n", &p, &diag),
	    SECKEY_OK, "comment marks inside a string");
	is_str(p != NULL ? p->pin_prompt : NULL, "PIN #1 // x /* y */: ",
	    "stay in the string");
	seckey_policy_free(&p);
	is_int(parse("pin_prompt = \"say \\\"#hi\\\" \" # c\n", &p, &diag),
	    SECKEY_OK, "escaped quotes in a string");
	is_str(p != NULL ? p->pin_prompt : NULL, "say \"#hi\" ",
	    "do not end it");
	seckey_policy_free(&p);
	is_int(parse("pin_prompt = 'a \\' # b'\n", &p, &diag), SECKEY_OK,
	    "single-quoted strings too");
	is_str(p != NULL ? p->pin_prompt : NULL, "a ' # b", "are kept whole");
	seckey_policy_free(&p);
	is_int(parse("keys_file = /srv//keys/%u\n", &p, &diag), SECKEY_OK,
	    "'//' inside an unquoted word");
	is_str(p != NULL ? p->keys_file : NULL, "/srv//keys/%u",
	    "is not a comment");
	seckey_policy_free(&p);
	is_int(parse("# see ${HOME}\nenabled = true\n", &p, &diag), SECKEY_OK,
	    "'${' in a comment is harmless");
	seckey_policy_free(&p);
	is_int(parse("enabled = true\n/* never closed\nenabled = false\n", &p,
	    &diag), SECKEY_ERR_SYNTAX, "an unterminated comment");
	is_int(diag.line, 2, "is reported where it starts");
	has_str(diag.msg, "unterminated", "and named");
}

struct expand_case {
	const char	*tmpl;
	const char	*user;
	const char	*home;
	int		 err;
	const char	*want;
};

static const struct expand_case expand_cases[] = {
	{ "%h/.config/seckey/keys.conf", "alice", "/home/alice", SECKEY_OK,
	    "/home/alice/.config/seckey/keys.conf" },
	{ "%h/.config/seckey/keys.conf", "alice", "/home/alice/", SECKEY_OK,
	    "/home/alice/.config/seckey/keys.conf" },
	{ "%h/.k", "root", "/", SECKEY_OK, "/.k" },
	{ "/etc/security/seckey.d/%u.conf", "bob", NULL, SECKEY_OK,
	    "/etc/security/seckey.d/bob.conf" },
	{ "/srv/100%%/%u", "bob", NULL, SECKEY_OK, "/srv/100%/bob" },
	{ "/srv/%u", "../etc", "/h", SECKEY_ERR_INVAL, NULL },
	{ "/srv/%u", "a/b", "/h", SECKEY_ERR_INVAL, NULL },
	{ "/srv/%u", "a..b", "/h", SECKEY_ERR_INVAL, NULL },
	{ "/srv/%u", "..", "/h", SECKEY_ERR_INVAL, NULL },
	{ "/srv/%u", ".", "/h", SECKEY_ERR_INVAL, NULL },
	{ "/srv/%u", "a\nb", "/h", SECKEY_ERR_INVAL, NULL },
	{ "/srv/%u", "", "/h", SECKEY_ERR_INVAL, NULL },
	{ "/srv/%u", NULL, "/h", SECKEY_ERR_INVAL, NULL },
	{ "%h/k", "alice", "relative/home", SECKEY_ERR_INVAL, NULL },
	{ "%h/k", "alice", NULL, SECKEY_ERR_INVAL, NULL },
	{ "keys/%u", "alice", "/h", SECKEY_ERR_INVAL, NULL },
	{ "%u/keys", "alice", "/h", SECKEY_ERR_INVAL, NULL },
	{ "/srv/%x", "alice", "/h", SECKEY_ERR_INVAL, NULL },
	{ "/srv/%", "alice", "/h", SECKEY_ERR_INVAL, NULL },
};

static void
test_expand(void)
{
	struct seckey_diag diag;
	char *path, long_home[PATH_MAX + 10];
	size_t i;
	int r;

	for (i = 0; i < sizeof(expand_cases) / sizeof(expand_cases[0]); i++) {
		path = NULL;
		seckey_diag_clear(&diag);
		r = seckey_expand_path(expand_cases[i].tmpl,
		    expand_cases[i].user, expand_cases[i].home, &path, &diag);
		is_int(r, expand_cases[i].err, "expand %s for case %zu",
		    expand_cases[i].tmpl, i);
		is_str(path, expand_cases[i].want, "gives the right path");
		if (r != SECKEY_OK && expand_cases[i].user != NULL &&
		    expand_cases[i].user[0] != '\0')
			ok(strstr(diag.msg, expand_cases[i].user) == NULL,
			    "the user name is not echoed: %s", diag.msg);
		free(path);
	}
	memset(long_home, 'h', sizeof(long_home));
	long_home[0] = '/';
	long_home[sizeof(long_home) - 1] = '\0';
	is_int(seckey_expand_path("%h/k", "a", long_home, &path, &diag),
	    SECKEY_ERR_TOOBIG, "a path of PATH_MAX or more is refused");
}

static void
test_keys_path(void)
{
	struct seckey_user user = { "alice", 1000, 1000, "/home/alice" };
	struct seckey_policy *p = NULL;
	struct seckey_diag diag;
	char *path = NULL;

	parse("", &p, &diag);
	is_int(seckey_policy_keys_path(p, &user, &path, &diag), SECKEY_OK,
	    "keys path for alice");
	is_str(path, "/home/alice/.config/seckey/keys.conf", "default path");
	free(path);
	seckey_policy_free(&p);
}

/*
 * Every folder from dir up owned by root (or by us, whom a process that
 * is not root also trusts) and writable by no one else.
 */
static bool
safe_ancestors(const char *dir)
{
	char path[PATH_MAX], *slash;
	struct stat st;

	snprintf(path, sizeof(path), "%s", dir);
	for (;;) {
		if (stat(path, &st) != 0 ||
		    (st.st_uid != 0 && st.st_uid != geteuid()) ||
		    (st.st_mode & 022) != 0)
			return false;
		if ((slash = strrchr(path, '/')) == NULL || slash == path)
			break;
		*slash = '\0';
	}

	return stat("/", &st) == 0 && st.st_uid == 0 && (st.st_mode & 022) == 0;
}

static void
test_load(void)
{
	struct seckey_policy *p = NULL;
	struct seckey_diag diag;
	char *dir = scratch_new(), path[PATH_MAX + 64], cwd[PATH_MAX];

	is_int(seckey_policy_load("/nonexistent/pam_seckey.conf", false,
	    "h", &p, &diag), SECKEY_OK, "a missing default file is fine");
	ok(p != NULL && !p->enabled, "and gives the defaults");
	seckey_policy_free(&p);
	is_int(seckey_policy_load("/nonexistent/pam_seckey.conf", true,
	    "h", &p, &diag), SECKEY_ERR_NOENT,
	    "a missing explicit file is not");
	ok(p == NULL, "no policy then");

	/* /tmp is world-writable: no policy is trusted below it. */
	snprintf(path, sizeof(path), "%s/pam_seckey.conf", dir);
	write_text(path, "enabled = true\n", 0644);
	is_int(seckey_policy_load(path, true, "h", &p, &diag),
	    SECKEY_ERR_PERM, "a policy in a scratch folder is refused");
	note("%s: %s", diag.file, diag.msg);
	scratch_remove(&dir);

	/* The build folder if it is safe, else /run for root. */
	if (getcwd(cwd, sizeof(cwd)) == NULL || !safe_ancestors(cwd))
		snprintf(cwd, sizeof(cwd), "%s", is_root() ? "/run" : "");
	if (cwd[0] == '\0' || !safe_ancestors(cwd)) {
		skip(3, "needs a build folder that only root or we can write");
		return;
	}
	/* A private folder there: mkdtemp makes it 0700 and ours. */
	snprintf(path, sizeof(path), "%s/seckey-policy.XXXXXX", cwd);
	if (mkdtemp(path) == NULL || (dir = strdup(path)) == NULL) {
		skip(3, "cannot make a folder in the build folder");
		return;
	}
	snprintf(path, sizeof(path), "%s/pam_seckey.conf", dir);
	write_text(path, "enabled = true\ntimeout = 9\n", 0644);
	is_int(seckey_policy_load(path, true, "h", &p, &diag), SECKEY_OK,
	    "a policy of root's (or, not as root, our own) loads");
	ok(p != NULL && p->enabled && p->timeout == 9, "with its values");
	seckey_policy_free(&p);
	chmod(path, 0664);
	is_int(seckey_policy_load(path, true, "h", &p, &diag),
	    SECKEY_ERR_PERM, "a group-writable policy is refused");
	scratch_remove(&dir);
}

/* keys = "command" and its options; the defaults of the three. */
static void
test_keys_command(void)
{
	struct seckey_policy *p = NULL;
	struct seckey_diag diag;

	is_int(parse("", &p, &diag), SECKEY_OK, "an empty policy");
	ok(p != NULL && strcmp(p->keys, "file") == 0 &&
	    p->keys_command == NULL &&
	    strcmp(p->keys_command_user, "nobody") == 0 &&
	    p->keys_command_timeout == 5, "keys \"file\", no keys_command, "
	    "keys_command_user \"nobody\", keys_command_timeout 5");
	seckey_policy_free(&p);
	is_int(parse("keys = \"command\"\n"
	    "keys_command = \"/usr/libexec/reader  --user %u %h%%/x %U\"\n"
	    "keys_command_user = \"root\"\nkeys_command_timeout = 60\n",
	    &p, &diag), SECKEY_OK, "keys = \"command\" with its options");
	ok(p != NULL && strcmp(p->keys, "command") == 0 &&
	    strcmp(p->keys_command,
	    "/usr/libexec/reader  --user %u %h%%/x %U") == 0 &&
	    strcmp(p->keys_command_user, "root") == 0 &&
	    p->keys_command_timeout == 60, "are read as written (root "
	    "written out is allowed)");
	seckey_policy_free(&p);
}

/* keys = "ldap" and its options; the defaults of the three. */
static void
test_keys_ldap(void)
{
	struct seckey_policy *p = NULL;
	struct seckey_diag diag;

	is_int(parse("", &p, &diag), SECKEY_OK, "an empty policy");
	ok(p != NULL &&
	    strcmp(p->ldap_conf, "/etc/security/seckey-ldap.conf") == 0 &&
	    strcmp(p->keys_cache, "/var/cache/seckey") == 0 &&
	    p->keys_cache_max_age == 604800, "ldap_conf "
	    "/etc/security/seckey-ldap.conf, keys_cache /var/cache/seckey, "
	    "keys_cache_max_age 604800");
	seckey_policy_free(&p);
	is_int(parse("keys = \"ldap\"\nldap_conf = \"/etc/ldap/seckey.conf\"\n"
	    "keys_cache = \"/run/seckey cache\"\nkeys_cache_max_age = 0\n",
	    &p, &diag), SECKEY_OK, "keys = \"ldap\" with its options");
	ok(p != NULL && strcmp(p->keys, "ldap") == 0 &&
	    strcmp(p->ldap_conf, "/etc/ldap/seckey.conf") == 0 &&
	    strcmp(p->keys_cache, "/run/seckey cache") == 0 &&
	    p->keys_cache_max_age == 0, "are read as written (0: no cache)");
	seckey_policy_free(&p);
}

/* Authenticator trust: where the records live, what a clone comes to. */
static void
test_trust(void)
{
	struct seckey_policy *p = NULL;
	struct seckey_diag diag;

	is_int(parse("", &p, &diag), SECKEY_OK, "an empty policy");
	ok(p != NULL && strcmp(p->state_dir, "/var/lib/seckey") == 0 &&
	    p->counter_policy == SECKEY_COUNTER_LOG,
	    "state_dir /var/lib/seckey, counter_policy log");
	ok(p != NULL && strcmp(seckey_counter_policy_name(p->counter_policy),
	    "log") == 0, "counter_policy name");
	seckey_policy_free(&p);
	is_int(parse("state_dir = \"/srv/seckey state\"\n"
	    "counter_policy = \"deny\"\n", &p, &diag), SECKEY_OK,
	    "state_dir and counter_policy set");
	ok(p != NULL && strcmp(p->state_dir, "/srv/seckey state") == 0 &&
	    p->counter_policy == SECKEY_COUNTER_DENY &&
	    strcmp(seckey_counter_policy_name(p->counter_policy), "deny") == 0,
	    "are read as written");
	seckey_policy_free(&p);
}

int
main(void)
{
	test_defaults();
	test_trust();
	test_hostname();
	test_every_option();
	test_bad_values();
	test_keys_command();
	test_keys_ldap();
	test_lists();
	test_usernameless();
	test_comments();
	test_expand();
	test_keys_path();
	test_load();

	return done();
}
