/*
 * seckey_command.h: run a key reader (keys_command, seckey-keys-ldap)
 * as a child of the PAM host, never inside it, and take its output.
 *
 * The rules are OpenSSH's for AuthorizedKeysCommand, made stricter:
 * the program is given by absolute path, and it and every folder above
 * it are owned by root and writable by no one else; it runs as another
 * user (when the caller is root), in its own session, with an empty
 * environment but a fixed PATH and LANG, stdin and stderr on /dev/null
 * and no other descriptor of the host; its stdout is read up to a cap
 * and within a deadline, after which it is killed and reaped.  Only that
 * one child is ever waited for, and the host's signal dispositions are
 * left as they are.
 */
#ifndef SECKEY_COMMAND_H
#define SECKEY_COMMAND_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "seckey_error.h"

/*
 * The exit statuses of a key reader such as seckey-keys-ldap; a reader
 * maps them with struct seckey_command_exit.
 */
#define SECKEY_READER_EXIT_FOUND	0	/* the list follows, maybe empty */
#define SECKEY_READER_EXIT_NO_USER	10	/* no such user: no keys */
#define SECKEY_READER_EXIT_UNAVAIL	11	/* the directory did not answer */
#define SECKEY_READER_EXIT_CONFIG	12	/* the reader is misconfigured */
/*
 * The directory answered, and the answer was refused (two entries for
 * one user, a malformed or over-long value, too many keys, a credential
 * or name twice).  Neither a list nor "not enrolled", nor "unavailable":
 * users may write their own values, so a fallback to a cached answer
 * would let them keep a key the administrator removed.
 */
#define SECKEY_READER_EXIT_REFUSED	13

/* More output than this is refused: no key list comes near it. */
#define SECKEY_COMMAND_OUTPUT_MAX	(64 * 1024)

/*
 * What one exit status means.  result SECKEY_OK hands the output back
 * as the answer; any other code is returned as it is, without output
 * (a reader may give SECKEY_ERR_NOENT for "no such user" and read that
 * as an empty list).
 */
struct seckey_command_exit {
	int	status;
	int	result;
};

struct seckey_command {
	/* argv[0] is the program's absolute path; NULL-terminated. */
	char *const				*argv;
	/* Become uid, gid (and no other group) in the child: root only. */
	bool					 switch_user;
	uid_t					 uid;
	gid_t					 gid;
	unsigned int				 timeout_ms;
	/* The child writes its messages to the caller's stderr (seckey,
	 * whose user reads them) rather than to /dev/null (the module). */
	bool					 keep_stderr;
	/* Statuses with a meaning of their own; exit 0 is otherwise the
	 * answer and any other status SECKEY_ERR_UNAVAIL. */
	const struct seckey_command_exit	*exits;
	size_t					 exits_len;
};

/*
 * Check the program, run it and collect its stdout into a newly
 * allocated NUL-terminated buffer (*outputp, *lenp; free() it).
 * Returns 0, or what the exit map says, or:
 *   SECKEY_ERR_INVAL    the path is not absolute and normalized
 *   SECKEY_ERR_PERM     the program or a folder above it is unsafe,
 *                       and it was not run
 *   SECKEY_ERR_UNAVAIL  the program is missing, could not be started,
 *                       exited with another status or by a signal, or
 *                       its status was lost (a host that ignores
 *                       SIGCHLD reaps its children itself)
 *   SECKEY_ERR_TIMEOUT  still running at the deadline: killed
 *   SECKEY_ERR_TOOBIG   more than SECKEY_COMMAND_OUTPUT_MAX bytes: killed
 *   SECKEY_ERR_NOMEM
 * diag names the program and the fault; it never quotes the output.
 */
int seckey_command_run(const struct seckey_command *cmd, char **outputp,
    size_t *lenp, struct seckey_diag *diag);

/*
 * Whom the reader runs as: the user called name (the policy's
 * keys_command_user) when the caller is root, else the caller itself.
 * SECKEY_ERR_UNAVAIL: no such user; SECKEY_ERR_PERM: a name other than
 * "root" with uid 0; SECKEY_ERR_NOMEM.
 */
int seckey_command_run_as(struct seckey_command *cmd, const char *name,
    struct seckey_diag *diag);

/*
 * A conversation with the program (seckey-keys-ldap --edit): checked and
 * started as seckey_command_run() does, except that its standard input
 * is ours to write.  cmd must outlive the session; timeout_ms bounds the
 * whole conversation.
 */
struct seckey_command_session;

/* The codes of seckey_command_run() before the program runs. */
int seckey_command_open(const struct seckey_command *cmd,
    struct seckey_command_session **sessionp, struct seckey_diag *diag);

/* Write len bytes to its input.  SECKEY_ERR_UNAVAIL: it stopped reading
 * (seckey_command_finish() then says why). */
int seckey_command_send(struct seckey_command_session *s, const void *buf,
    size_t len, struct seckey_diag *diag);

/* Has the output so far (len bytes) come to the end of an answer? */
typedef int seckey_command_complete_fn(const char *text, size_t len);

/*
 * Read its output until complete() says it is whole (any value but 0);
 * *textp (NUL-terminated, len bytes) is the session's, good until the
 * next call.  Output that ends first is judged by the exit status as
 * seckey_command_run() judges it, and SECKEY_ERR_UNAVAIL when that was
 * success.  A failure kills the program.
 */
int seckey_command_recv(struct seckey_command_session *s,
    seckey_command_complete_fn *complete, const char **textp, size_t *lenp,
    struct seckey_diag *diag);

/* End its input, read its output to the end (dropped), and judge its exit
 * as seckey_command_run() does. */
int seckey_command_finish(struct seckey_command_session *s,
    struct seckey_diag *diag);

/* Kill it if it still runs, and free; NULL is fine. */
void seckey_command_session_free(struct seckey_command_session **sessionp);

#endif /* SECKEY_COMMAND_H */
