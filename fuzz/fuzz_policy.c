/*
 * fuzz_policy.c: seckey_policy_parse, the parser of pam_seckey.conf.
 *
 * A policy that parses must hold only values the module can act on
 * (ranges, a usable rp_id and keys_file, never a sign-in without any
 * human action); one that does not must leave nothing behind and say
 * why in a message fit for syslog: no control character from the file
 * may reach it.  Accepted policies are then used the way the module
 * uses them: services, models, and the key list path of a few users.
 */
#include <config.h>

#include <limits.h>
#include <string.h>

#include "fuzz_check.h"
#include "seckey_policy.h"
#include "seckey_text.h"

/* Users whose key list path the policy is asked for. */
static const struct seckey_user users[] = {
	{ "root", 0, 0, "/root" },
	{ "alice", 1000, 1000, "/home/alice" },
	{ "bob", 1001, 1001, "/" },
	{ "../etc", 1002, 1002, "/home/x" },
	{ "carol", 1003, 1003, "relative/home" },
	{ "dave", 1004, 1004, NULL },
};

static const char *const services[] = {
	"login", "passwd", "chpasswd", "sudo", "",
};

static void
check_text_clean(const char *s, size_t max)
{
	size_t i;

	FUZZ_CHECK(memchr(s, '\0', max) != NULL);
	for (i = 0; s[i] != '\0'; i++)
		FUZZ_CHECK((unsigned char)s[i] >= 0x20 &&
		    (unsigned char)s[i] != 0x7f);
}

static void
check_diag(const struct seckey_diag *diag)
{
	char safe[sizeof(diag->msg)];

	check_text_clean(diag->file, sizeof(diag->file));
	check_text_clean(diag->msg, sizeof(diag->msg));
	/* No C1 or format character either: escaping changes nothing. */
	FUZZ_CHECK(strcmp(seckey_text_safe(diag->msg, safe, sizeof(safe),
	    SECKEY_TEXT_LOG), diag->msg) == 0);
	FUZZ_CHECK(diag->msg[0] != '\0');
	FUZZ_CHECK(diag->line >= 0);
}

static void
check_keys_path(const struct seckey_policy *p)
{
	struct seckey_diag diag;
	char *path;
	size_t i;

	for (i = 0; i < sizeof(users) / sizeof(users[0]); i++) {
		seckey_diag_clear(&diag);
		path = NULL;
		if (seckey_policy_keys_path(p, &users[i], &path,
		    &diag) != SECKEY_OK) {
			FUZZ_CHECK(path == NULL);
			check_diag(&diag);
			continue;
		}
		FUZZ_CHECK(path != NULL && path[0] == '/');
		FUZZ_CHECK(strlen(path) < PATH_MAX);
		/* The user name may never climb out of a folder. */
		FUZZ_CHECK(strstr(users[i].name, "..") == NULL);
		check_text_clean(path, strlen(path) + 1);
		free(path);
	}
}

static void
check_policy(const struct seckey_policy *p)
{
	struct seckey_aaguid aaguid;
	size_t i;

	FUZZ_CHECK(p->max_keys >= 1 && p->max_keys <= SECKEY_MAX_KEYS);
	FUZZ_CHECK(p->timeout >= 1 && p->timeout <= SECKEY_TIMEOUT_MAX);
	FUZZ_CHECK(p->user_verification == SECKEY_UV_PIN ||
	    p->user_verification == SECKEY_UV_NONE);
	FUZZ_CHECK(p->user_presence ||
	    p->user_verification == SECKEY_UV_PIN);
	FUZZ_CHECK(p->rp_id != NULL && seckey_text_token(p->rp_id, 255));
	FUZZ_CHECK(p->keys_file != NULL);
	FUZZ_CHECK(p->pin_prompt != NULL && p->pin_prompt[0] != '\0');
	FUZZ_CHECK(p->touch_prompt != NULL && p->touch_prompt[0] != '\0');
	FUZZ_CHECK(seckey_text_printable(p->pin_prompt, NULL));
	FUZZ_CHECK(seckey_text_printable(p->touch_prompt, NULL));
	for (i = 0; i < p->reset_services_len; i++) {
		FUZZ_CHECK(p->reset_services[i] != NULL);
		FUZZ_CHECK(seckey_policy_is_reset_service(p,
		    p->reset_services[i]));
	}
	FUZZ_CHECK(p->reset_services == NULL ||
	    p->reset_services[p->reset_services_len] == NULL);
	for (i = 0; i < sizeof(services) / sizeof(services[0]); i++)
		(void)seckey_policy_is_reset_service(p, services[i]);
	for (i = 0; i < p->allowed_aaguids_len; i++)
		FUZZ_CHECK(seckey_policy_aaguid_allowed(p,
		    &p->allowed_aaguids[i]));
	memset(&aaguid, 0xa5, sizeof(aaguid));
	(void)seckey_policy_aaguid_allowed(p, &aaguid);
	FUZZ_CHECK(strcmp(seckey_uv_name(p->user_verification), "pin") == 0 ||
	    strcmp(seckey_uv_name(p->user_verification), "none") == 0);
	check_keys_path(p);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct seckey_policy *policy = (struct seckey_policy *)1;
	struct seckey_diag diag;
	char *text;
	int r;

	if ((text = fuzz_text(data, size)) == NULL)
		return 0;
	seckey_diag_clear(&diag);
	r = seckey_policy_parse(text, size, "fuzz.conf", "fuzz.example",
	    &policy, &diag);
	if (r == SECKEY_OK) {
		FUZZ_CHECK(policy != NULL);
		check_policy(policy);
	} else {
		FUZZ_CHECK(r < 0 && policy == NULL);
		check_diag(&diag);
	}
	seckey_policy_free(&policy);
	FUZZ_CHECK(policy == NULL);
	free(text);

	return 0;
}
