/*
 * connect.c: one directory server: a handle with our timeouts and TLS
 * rules, StartTLS when asked, and the binds (a password read from its
 * file and wiped at once, SASL EXTERNAL, anonymous, or, for --edit, the
 * user's own password).
 */
#include <config.h>

#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>

#include "reader.h"
#include "seckey_mem.h"
#include "seckey_text.h"

/*
 * Codes that say this server, or the way to it, failed: the next one
 * may answer.  Everything else is an answer (a refused bind, a missing
 * base) that another server would give just the same.
 */
static bool
server_unavailable(int rc)
{
	switch (rc) {
	case LDAP_SERVER_DOWN:
	case LDAP_CONNECT_ERROR:
	case LDAP_TIMEOUT:
	case LDAP_TIMELIMIT_EXCEEDED:
	case LDAP_BUSY:
	case LDAP_UNAVAILABLE:
	case LDAP_NO_MEMORY:
	case LDAP_LOCAL_ERROR:
		return true;
	default:
		return false;
	}
}

enum reader_outcome
reader_ldap_fail(LDAP *ld, const char *uri, const char *what, int rc)
{
	char *detail = NULL, safe[SECKEY_TEXT_SAFE_SIZE(200)];

	safe[0] = '\0';
	if (ld != NULL && ldap_get_option(ld, LDAP_OPT_DIAGNOSTIC_MESSAGE,
	    &detail) == LDAP_OPT_SUCCESS && detail != NULL) {
		seckey_text_safe(detail, safe, 200, SECKEY_TEXT_LOG);
		ldap_memfree(detail);
	}
	reader_say(uri, "%s: %s%s%s%s", what, ldap_err2string(rc),
	    safe[0] != '\0' ? " (" : "", safe, safe[0] != '\0' ? ")" : "");

	return server_unavailable(rc) ? READER_UNAVAIL : READER_CONFIG;
}

/*
 * libldap's timeouts do not cover the TLS handshake of ldaps://: a
 * server that accepts the connection and then says nothing would hold
 * the reader for ever.  A socket timeout, set as soon as the connection
 * exists and before the handshake, bounds every read and write on it.
 */
static int
conn_add(LDAP *ld, Sockbuf *sb, LDAPURLDesc *srv, struct sockaddr *addr,
    struct ldap_conncb *ctx)
{
	const struct seckey_ldap_conf *conf = ctx->lc_arg;
	struct timeval tv = { (time_t)conf->timeout, 0 };
	int fd = -1;

	if (ber_sockbuf_ctrl(sb, LBER_SB_OPT_GET_FD, &fd) != 1 || fd < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) != 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) != 0)
		return LDAP_LOCAL_ERROR;

	return LDAP_SUCCESS;
}

static void
conn_del(LDAP *ld, Sockbuf *sb, struct ldap_conncb *ctx)
{
}

static int
set_options(LDAP *ld, const struct seckey_ldap_conf *conf,
    struct ldap_conncb *conncb)
{
	struct timeval tv = { (time_t)conf->timeout, 0 };
	int version = LDAP_VERSION3, demand = LDAP_OPT_X_TLS_DEMAND, zero = 0;
	int rc;

	if ((rc = ldap_set_option(ld, LDAP_OPT_PROTOCOL_VERSION,
	    &version)) != LDAP_OPT_SUCCESS ||
	    (rc = ldap_set_option(ld, LDAP_OPT_REFERRALS,
	    LDAP_OPT_OFF)) != LDAP_OPT_SUCCESS ||
	    (rc = ldap_set_option(ld, LDAP_OPT_NETWORK_TIMEOUT,
	    &tv)) != LDAP_OPT_SUCCESS ||
	    (rc = ldap_set_option(ld, LDAP_OPT_TIMEOUT,
	    &tv)) != LDAP_OPT_SUCCESS ||
	    (rc = ldap_set_option(ld, LDAP_OPT_CONNECT_CB,
	    conncb)) != LDAP_OPT_SUCCESS ||
	    (rc = ldap_set_option(ld, LDAP_OPT_X_TLS_REQUIRE_CERT,
	    &demand)) != LDAP_OPT_SUCCESS)
		return rc;
	if (conf->tls_ca_file != NULL &&
	    (rc = ldap_set_option(ld, LDAP_OPT_X_TLS_CACERTFILE,
	    conf->tls_ca_file)) != LDAP_OPT_SUCCESS)
		return rc;
	/* The TLS settings above apply to this handle only from here on. */
	return ldap_set_option(ld, LDAP_OPT_X_TLS_NEWCTX, &zero);
}

enum reader_outcome
reader_bind_password(LDAP *ld, const char *dn, const char *password,
    const char *uri, bool typed)
{
	struct berval cred;
	int rc;

	cred.bv_val = (char *)(uintptr_t)password;
	cred.bv_len = strlen(password);
	rc = ldap_sasl_bind_s(ld, dn, LDAP_SASL_SIMPLE, &cred, NULL, NULL,
	    NULL);
	if (rc == LDAP_SUCCESS)
		return READER_FOUND;
	if (typed && rc == LDAP_INVALID_CREDENTIALS) {
		/* The DN may be a mistyped name's: it is not shown. */
		reader_say(uri, "bind: %s", ldap_err2string(rc));
		return READER_BIND_REFUSED;
	}

	return reader_ldap_fail(ld, uri, "bind", rc);
}

/* A password from a root-owned file (file_password: conf's or admin's). */
enum reader_outcome
reader_bind_file(LDAP *ld, const struct seckey_ldap_conf *conf,
    const char *dn, bool admin, const char *uri)
{
	struct seckey_diag diag;
	char *password = NULL;
	enum reader_outcome outcome;
	int r;

	seckey_diag_clear(&diag);
	r = admin ? seckey_ldap_conf_admin_password(conf, &password, &diag) :
	    seckey_ldap_conf_password(conf, &password, &diag);
	if (r != SECKEY_OK) {
		reader_say(diag.file[0] != '\0' ? diag.file : NULL, "%s",
		    diag.msg[0] != '\0' ? diag.msg : seckey_strerror(r));
		return READER_CONFIG;
	}
	outcome = reader_bind_password(ld, dn, password, uri, false);
	seckey_strfree(&password);

	return outcome;
}

/* EXTERNAL needs no client SASL library: the server knows who we are.
 * mech NULL: anonymous. */
enum reader_outcome
reader_bind_sasl(LDAP *ld, const char *mech, const char *uri)
{
	static char empty[] = "";
	struct berval none = { 0, empty };
	int rc;

	rc = ldap_sasl_bind_s(ld, NULL, mech != NULL ? mech : LDAP_SASL_SIMPLE,
	    &none, NULL, NULL, NULL);

	return rc == LDAP_SUCCESS ? READER_FOUND :
	    reader_ldap_fail(ld, uri, "bind", rc);
}

static enum reader_outcome
bind_as(LDAP *ld, const struct seckey_ldap_conf *conf, const char *uri)
{
	if (conf->bind_dn != NULL)
		return reader_bind_file(ld, conf, conf->bind_dn, false, uri);

	return reader_bind_sasl(ld, conf->sasl_mech, uri);
}

enum reader_outcome
reader_open(const struct seckey_ldap_conf *conf, const char *uri, LDAP **ldp)
{
	/* libldap keeps a pointer to it: it lives as long as the program. */
	static struct ldap_conncb conncb;
	enum reader_outcome outcome;
	LDAP *ld = NULL;
	int rc;

	*ldp = NULL;
	conncb.lc_add = conn_add;
	conncb.lc_del = conn_del;
	conncb.lc_arg = (void *)(uintptr_t)conf;
	if ((rc = ldap_initialize(&ld, uri)) != LDAP_SUCCESS) {
		reader_say(uri, "not a usable LDAP URI: %s",
		    ldap_err2string(rc));
		outcome = READER_CONFIG;
		goto fail;
	}
	/* A setting that cannot be applied will not apply elsewhere. */
	if ((rc = set_options(ld, conf, &conncb)) != LDAP_OPT_SUCCESS) {
		(void)reader_ldap_fail(ld, uri, "TLS settings (tls_ca_file?)",
		    rc);
		outcome = READER_CONFIG;
		goto fail;
	}
	if (conf->starttls && strncmp(uri, "ldap://", 7) == 0 &&
	    (rc = ldap_start_tls_s(ld, NULL, NULL)) != LDAP_SUCCESS) {
		outcome = reader_ldap_fail(ld, uri, "StartTLS", rc);
		goto fail;
	}
	*ldp = ld;
	ld = NULL;

	outcome = READER_FOUND;
fail:
	if (ld != NULL)
		ldap_unbind_ext_s(ld, NULL, NULL);

	return outcome;
}

enum reader_outcome
reader_connect(const struct seckey_ldap_conf *conf, const char *uri,
    LDAP **ldp)
{
	enum reader_outcome outcome;

	if ((outcome = reader_open(conf, uri, ldp)) != READER_FOUND)
		return outcome;
	if ((outcome = bind_as(*ldp, conf, uri)) != READER_FOUND) {
		ldap_unbind_ext_s(*ldp, NULL, NULL);
		*ldp = NULL;
	}

	return outcome;
}
