/*
 * seckey_ldap_filter.c: user_filter with %u, the user name escaped per
 * RFC 4515, and user_dn with %u, the name escaped per RFC 4514.
 * Escaping every byte outside printable ASCII as well as the special
 * characters costs nothing and keeps the result readable in a log line.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seckey_ldap_filter.h"

/* Does byte c go into a filter value as "\XX"? */
static bool
needs_escape(unsigned char c)
{
	return c == '*' || c == '(' || c == ')' || c == '\\' || c < 0x20 ||
	    c >= 0x7f;
}

/* Does byte c at position i of a name of len bytes go into a DN as "\XX"? */
static bool
dn_needs_escape(unsigned char c, size_t i, size_t len)
{
	return strchr(",+\"\\<>;=", c) != NULL || c < 0x20 || c >= 0x7f ||
	    (i == 0 && (c == '#' || c == ' ')) || (i + 1 == len && c == ' ');
}

/* Printable ASCII, "%u" at least once, no other '%' than "%%". */
static bool
template_valid(const char *tmpl, size_t len)
{
	bool have_user = false;
	size_t i;

	for (i = 0; i < len; i++) {
		if (tmpl[i] < 0x20 || tmpl[i] > 0x7e)
			return false;
		if (tmpl[i] != '%')
			continue;
		i++;
		if (tmpl[i] == 'u')
			have_user = true;
		else if (tmpl[i] != '%')
			return false;
	}

	return have_user;
}

bool
seckey_ldap_filter_valid(const char *tmpl)
{
	size_t len;

	if (tmpl == NULL || (len = strlen(tmpl)) < 2 ||
	    len > SECKEY_LDAP_FILTER_MAX || tmpl[0] != '(' ||
	    tmpl[len - 1] != ')')
		return false;

	return template_valid(tmpl, len);
}

bool
seckey_ldap_dn_valid(const char *tmpl)
{
	size_t len;

	return tmpl != NULL && (len = strlen(tmpl)) > 0 &&
	    len <= SECKEY_LDAP_FILTER_MAX && template_valid(tmpl, len);
}

/* Bytes of the filter: each %u at most 3 bytes per byte of the name. */
static size_t
filter_size(const char *tmpl, size_t user_len)
{
	size_t size = 1;

	for (; *tmpl != '\0'; tmpl++)
		size += (tmpl[0] == '%' && tmpl[1] == 'u') ? 3 * user_len : 1;

	return size;
}

static char *
put_user(char *out, const char *user, bool dn)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, len = strlen(user);
	unsigned char c;

	for (i = 0; i < len; i++) {
		c = (unsigned char)user[i];
		if (dn ? !dn_needs_escape(c, i, len) : !needs_escape(c)) {
			*out++ = (char)c;
			continue;
		}
		*out++ = '\\';
		*out++ = hex[c >> 4];
		*out++ = hex[c & 0x0f];
	}

	return out;
}

/* tmpl, already checked, with the user's name put in. */
static int
expand(const char *tmpl, const char *user, bool dn, char **resultp,
    struct seckey_diag *diag)
{
	size_t user_len;
	char *filter, *out;

	/* Lengths are bounded here, so filter_size() cannot overflow. */
	if (user == NULL || (user_len = strlen(user)) == 0 ||
	    user_len > SECKEY_LDAP_USER_MAX) {
		seckey_diag_set(diag, NULL, 0, "a user name is 1 to %d bytes",
		    SECKEY_LDAP_USER_MAX);
		return SECKEY_ERR_INVAL;
	}
	if ((filter = malloc(filter_size(tmpl, user_len))) == NULL) {
		seckey_diag_set(diag, NULL, 0, "out of memory");
		return SECKEY_ERR_NOMEM;
	}
	for (out = filter; *tmpl != '\0'; tmpl++) {
		if (*tmpl != '%') {
			*out++ = *tmpl;
			continue;
		}
		tmpl++;
		if (*tmpl == 'u')
			out = put_user(out, user, dn);
		else
			*out++ = '%';
	}
	*out = '\0';
	*resultp = filter;

	return SECKEY_OK;
}

int
seckey_ldap_filter(const char *tmpl, const char *user, char **filterp,
    struct seckey_diag *diag)
{
	if (filterp == NULL)
		return SECKEY_ERR_INVAL;
	*filterp = NULL;
	if (!seckey_ldap_filter_valid(tmpl)) {
		seckey_diag_set(diag, NULL, 0, "invalid user_filter");
		return SECKEY_ERR_INVAL;
	}

	return expand(tmpl, user, false, filterp, diag);
}

int
seckey_ldap_dn(const char *tmpl, const char *user, char **dnp,
    struct seckey_diag *diag)
{
	if (dnp == NULL)
		return SECKEY_ERR_INVAL;
	*dnp = NULL;
	if (!seckey_ldap_dn_valid(tmpl)) {
		seckey_diag_set(diag, NULL, 0, "invalid user_dn");
		return SECKEY_ERR_INVAL;
	}

	return expand(tmpl, user, true, dnp, diag);
}
