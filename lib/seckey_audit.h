/*
 * seckey_audit.h: Linux audit records of the anomalies a sign-in or a
 * registration meets, for auditd, next to the syslog lines the callers
 * write anyway.
 *
 * One record per anomaly, through libaudit's audit_log_user_message():
 *
 *   event                      type                 op=
 *   a suspected clone          AUDIT_ANOM_CRYPTO_FAIL seckey-counter
 *   a probe that did not verify AUDIT_ANOM_CRYPTO_FAIL seckey-probe
 *   an assertion that did not   AUDIT_ANOM_CRYPTO_FAIL seckey-assertion
 *   verify
 *   an attestation refused     AUDIT_ANOM_CRYPTO_FAIL seckey-attestation
 *   a model refused, or not    AUDIT_USER_AUTH      seckey-model
 *   the one the list names
 *   a marked credential        AUDIT_USER_AUTH      seckey-marked
 *
 * The message is "op=OP acct=USER key=NAME reason=SENTENCE", each value
 * encoded by audit_encode_nv_string() (quoted, or hex when it holds a
 * space, a quote or a control character); libaudit adds exe, hostname,
 * addr, terminal and res (success: the sign-in went on, failed: it was
 * refused).  A host without libaudit at build time, a kernel without
 * audit, a container, a process without CAP_AUDIT_WRITE: nothing is
 * written and nothing else changes.  A record never decides a sign-in.
 */
#ifndef SECKEY_AUDIT_H
#define SECKEY_AUDIT_H

#include <stdbool.h>

enum seckey_audit_event {
	SECKEY_AUDIT_CLONE,
	SECKEY_AUDIT_PROBE,
	SECKEY_AUDIT_ASSERTION,
	SECKEY_AUDIT_ATTESTATION,
	SECKEY_AUDIT_MODEL,
	SECKEY_AUDIT_MARKED,
};

struct seckey_audit_record {
	enum seckey_audit_event	 event;
	const char		*user;		/* NULL: unknown */
	const char		*key_name;	/* NULL: none */
	const char		*reason;	/* one sentence, or NULL */
	const char		*rhost;		/* PAM_RHOST, or NULL */
	const char		*tty;		/* PAM_TTY, or NULL */
	bool			 refused;	/* res=failed, else res=success */
};

/*
 * Write the record if this build and this host can.  Returns true when
 * libaudit took it, false otherwise (for a debug line, never more).
 */
bool seckey_audit_log(const struct seckey_audit_record *rec);

#endif /* SECKEY_AUDIT_H */
