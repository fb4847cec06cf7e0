/*
 * seckey_command.c: check a key reader, run it as a child with nothing
 * of the host's, read its answer within a cap and a deadline, reap it.
 *
 * Everything the child needs (descriptors, argv, environment, identity,
 * signal settings) is prepared before fork(): between fork() and exec
 * the child of a threaded host may only make async-signal-safe calls.
 */
#include <config.h>

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "seckey_command.h"
#include "seckey_time.h"
#include "seckey_walk.h"

/* How the child ends when it cannot become the reader (shells use these). */
#define EXIT_NO_IDENTITY	126
#define EXIT_NO_EXEC		127
/* After the reader closed its stdout, how often to look for its exit. */
#define REAP_POLL_MS		2

/* What the child is given, all prepared before fork(). */
struct child_setup {
	const struct seckey_command	*cmd;
	char *const			*envp;
	int				 null_fd;	/* /dev/null */
	int				 in_fd;		/* its stdin: null_fd or
							 * a socket */
	int				 out_fd;	/* the pipe's write end */
	int				 fd_limit;	/* close up to here */
	struct sigaction		 dfl;		/* SIG_DFL, no mask */
	sigset_t			 no_signals;
};

/*
 * The output buffer: the cap, one byte more (reading it tells "too
 * big"), and the NUL read_some() keeps after what it read.
 */
#define OUTPUT_SIZE	(SECKEY_COMMAND_OUTPUT_MAX + 2)

/* One run: the child and what it has written so far. */
struct run {
	const char	*program;	/* for messages */
	pid_t		 pid;
	int		 in_fd;		/* the pipe's read end */
	int		 to_fd;		/* a session's end of the child's stdin */
	long long	 deadline_ms;
	char		*output;	/* OUTPUT_SIZE bytes */
	size_t		 len;
};

/*
 * Only root may have put the program where it is: it runs as another
 * user with the name of whoever signs in, and its answer decides which
 * keys sign them in.  The folders are checked through descriptors from
 * / down (seckey_walk); exec then goes by name, which is sound because
 * no folder on the way can be changed by anyone but root.
 */
static int
check_program(const char *path, struct seckey_diag *diag)
{
	struct seckey_walk w;
	struct stat st;
	int r;

	if ((r = seckey_walk_init(&w, path, NULL, false, diag)) != SECKEY_OK)
		return r;
	if ((r = seckey_walk(&w, diag)) != SECKEY_OK)
		goto out;
	r = SECKEY_ERR_PERM;
	if (fstatat(w.dir_fd, w.base, &st, AT_SYMLINK_NOFOLLOW) != 0)
		r = seckey_fs_error(errno, path, diag);
	else if (!S_ISREG(st.st_mode))
		seckey_diag_set(diag, path, 0, "not a regular file "
		    "(symbolic links are refused)");
	else if (st.st_uid != 0)
		seckey_diag_set(diag, path, 0, "owned by uid %lu, not by root",
		    (unsigned long)st.st_uid);
	else if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0)
		seckey_diag_set(diag, path, 0, "writable by group or others");
	else if ((st.st_mode & (S_IXUSR | S_IXGRP | S_IXOTH)) == 0)
		seckey_diag_set(diag, path, 0, "not executable");
	else
		r = SECKEY_OK;
out:
	if (w.dir_fd >= 0)
		close(w.dir_fd);
	/* A program that is not there is a reader that cannot answer,
	 * never a user without keys. */
	if (r == SECKEY_ERR_NOENT || r == SECKEY_ERR_NOFOLDER)
		r = SECKEY_ERR_UNAVAIL;

	return r;
}

/*
 * A host may run with 0, 1 or 2 closed: a descriptor of ours there
 * would be overwritten by the child's dup2() onto stdin or stdout.
 */
static int
above_stdio(int *fdp)
{
	int fd;

	if (*fdp > STDERR_FILENO)
		return 0;
	if ((fd = fcntl(*fdp, F_DUPFD_CLOEXEC, STDERR_FILENO + 1)) < 0)
		return -1;
	close(*fdp);
	*fdp = fd;

	return 0;
}

/* Drop to the reader's user and prove the drop cannot be undone. */
static bool
child_become(const struct seckey_command *cmd)
{
	uid_t ruid, euid, suid;
	gid_t rgid, egid, sgid;

	if (setgroups(1, &cmd->gid) != 0 ||
	    setresgid(cmd->gid, cmd->gid, cmd->gid) != 0 ||
	    setresuid(cmd->uid, cmd->uid, cmd->uid) != 0 ||
	    getresgid(&rgid, &egid, &sgid) != 0 ||
	    getresuid(&ruid, &euid, &suid) != 0)
		return false;
	if (rgid != cmd->gid || egid != cmd->gid || sgid != cmd->gid ||
	    ruid != cmd->uid || euid != cmd->uid || suid != cmd->uid)
		return false;

	return cmd->uid == 0 || setuid(0) != 0;
}

/*
 * The child: async-signal-safe calls only.  Its own session, so that
 * it has no terminal and the whole group can be killed at the deadline;
 * default signal handling and no blocked signal, whatever the host had.
 */
static void __attribute__((__noreturn__))
child_exec(const struct child_setup *cs)
{
	int fd, sig;

	if (setsid() < 0)
		_exit(EXIT_NO_EXEC);
	for (sig = 1; sig < NSIG; sig++)
		(void)sigaction(sig, &cs->dfl, NULL);
	if (sigprocmask(SIG_SETMASK, &cs->no_signals, NULL) != 0 ||
	    dup2(cs->in_fd, STDIN_FILENO) < 0 ||
	    dup2(cs->out_fd, STDOUT_FILENO) < 0 ||
	    (!cs->cmd->keep_stderr &&
	    dup2(cs->null_fd, STDERR_FILENO) < 0))
		_exit(EXIT_NO_EXEC);
#ifdef HAVE_CLOSE_RANGE
	if (close_range(STDERR_FILENO + 1, ~0U, 0) != 0)
#endif
		for (fd = STDERR_FILENO + 1; fd < cs->fd_limit; fd++)
			(void)close(fd);
	if (cs->cmd->switch_user && !child_become(cs->cmd))
		_exit(EXIT_NO_IDENTITY);
	execve(cs->cmd->argv[0], cs->cmd->argv, cs->envp);
	_exit(EXIT_NO_EXEC);
}

/* Descriptors, signal settings and the fd limit for child_exec(). */
static int
prepare_child(struct child_setup *cs, int pipe_fds[2], int in_fds[2],
    struct seckey_diag *diag, const char *program)
{
	long limit = sysconf(_SC_OPEN_MAX);

	cs->fd_limit = limit > 0 && limit < INT_MAX ? (int)limit : 1024;
	memset(&cs->dfl, 0, sizeof(cs->dfl));
	cs->dfl.sa_handler = SIG_DFL;
	if (sigemptyset(&cs->dfl.sa_mask) != 0 ||
	    sigemptyset(&cs->no_signals) != 0)
		goto fail;
	cs->null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (cs->null_fd < 0 || above_stdio(&cs->null_fd) != 0)
		goto fail;
	if (pipe2(pipe_fds, O_CLOEXEC) != 0)
		goto fail;
	if (above_stdio(&pipe_fds[0]) != 0 || above_stdio(&pipe_fds[1]) != 0)
		goto fail;
	cs->out_fd = pipe_fds[1];
	cs->in_fd = cs->null_fd;
	if (in_fds == NULL)
		return SECKEY_OK;
	/* A socket, not a pipe: send() can refuse SIGPIPE per call. */
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in_fds) != 0 ||
	    above_stdio(&in_fds[0]) != 0 || above_stdio(&in_fds[1]) != 0)
		goto fail;
	cs->in_fd = in_fds[1];

	return SECKEY_OK;
fail:
	seckey_diag_set(diag, program, 0, "cannot prepare to run it: %s",
	    strerror(errno));
	return SECKEY_ERR_UNAVAIL;
}

/*
 * Read what comes next, within the cap and the deadline: *eofp tells
 * the end of the output from more of it (run->output stays
 * NUL-terminated).
 */
static int
read_some(struct run *run, bool *eofp, struct seckey_diag *diag)
{
	struct pollfd pfd = { .fd = run->in_fd, .events = POLLIN };
	long long left;
	ssize_t n;

	*eofp = false;
	for (;;) {
		if ((left = run->deadline_ms - seckey_now_ms()) <= 0)
			return SECKEY_ERR_TIMEOUT;
		n = poll(&pfd, 1, left > INT_MAX ? INT_MAX : (int)left);
		if (n < 0 && errno != EINTR)
			break;
		if (n <= 0)
			continue;
		n = read(run->in_fd, run->output + run->len,
		    SECKEY_COMMAND_OUTPUT_MAX + 1 - run->len);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0)
			break;
		*eofp = n == 0;
		run->len += (size_t)n;
		run->output[run->len] = '\0';
		if (run->len <= SECKEY_COMMAND_OUTPUT_MAX)
			return SECKEY_OK;
		seckey_diag_set(diag, run->program, 0, "wrote more than %d "
		    "bytes", SECKEY_COMMAND_OUTPUT_MAX);
		return SECKEY_ERR_TOOBIG;
	}
	seckey_diag_set(diag, run->program, 0, "cannot read its output: %s",
	    strerror(errno));

	return SECKEY_ERR_UNAVAIL;
}

/* Read until end of file, the cap or the deadline. */
static int
read_output(struct run *run, struct seckey_diag *diag)
{
	bool eof = false;
	int r = SECKEY_OK;

	while (r == SECKEY_OK && !eof)
		r = read_some(run, &eof, diag);

	return r;
}

/*
 * Wait for this one child, never any other: the host may have children
 * of its own.  ECHILD means the host reaps children itself (SIGCHLD
 * ignored, or a handler that waits for any child): the status is lost,
 * and a lost status is no answer.
 */
static int
reap(struct run *run, int *statusp, struct seckey_diag *diag)
{
	pid_t got;

	for (;;) {
		got = waitpid(run->pid, statusp, WNOHANG);
		if (got == run->pid) {
			run->pid = -1;
			return SECKEY_OK;
		}
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			run->pid = -1;
			seckey_diag_set(diag, run->program, 0, "its exit status "
			    "was lost (%s): does the host ignore SIGCHLD?",
			    strerror(errno));
			return SECKEY_ERR_UNAVAIL;
		}
		if (seckey_now_ms() >= run->deadline_ms)
			return SECKEY_ERR_TIMEOUT;
		seckey_sleep_ms(REAP_POLL_MS);
	}
}

/* The child's whole session goes: a script's own children too. */
static void
kill_child(struct run *run)
{
	if (run->pid <= 0)
		return;
	(void)kill(-run->pid, SIGKILL);
	(void)kill(run->pid, SIGKILL);
	while (waitpid(run->pid, NULL, 0) < 0 && errno == EINTR)
		continue;
	run->pid = -1;
}

static int
judge_exit(const struct seckey_command *cmd, int status,
    struct seckey_diag *diag)
{
	size_t i;
	int code;

	if (!WIFEXITED(status)) {
		seckey_diag_set(diag, cmd->argv[0], 0, "killed by signal %d",
		    WIFSIGNALED(status) ? WTERMSIG(status) : 0);
		return SECKEY_ERR_UNAVAIL;
	}
	code = WEXITSTATUS(status);
	for (i = 0; i < cmd->exits_len; i++)
		if (cmd->exits[i].status == code) {
			if (cmd->exits[i].result != SECKEY_OK)
				seckey_diag_set(diag, cmd->argv[0], 0,
				    "exited with status %d", code);
			return cmd->exits[i].result;
		}
	if (code == 0)
		return SECKEY_OK;
	seckey_diag_set(diag, cmd->argv[0], 0, "exited with status %d%s", code,
	    code == EXIT_NO_IDENTITY ? " (could not become its user?)" :
	    code == EXIT_NO_EXEC ? " (could not be started?)" : "");

	return SECKEY_ERR_UNAVAIL;
}

/*
 * Start the child; the caller owns run->pid, run->in_fd and (with_input)
 * run->to_fd after.  Without input its stdin is /dev/null.
 */
static int
start(const struct seckey_command *cmd, struct run *run, bool with_input,
    struct seckey_diag *diag)
{
	char env_path[] = "PATH=/usr/bin:/bin";
	char env_lang[] = "LANG=C";
	char *const envp[] = { env_path, env_lang, NULL };
	struct child_setup cs = { .cmd = cmd, .envp = envp, .null_fd = -1 };
	int pipe_fds[2] = { -1, -1 }, in_fds[2] = { -1, -1 }, r;

	if ((r = prepare_child(&cs, pipe_fds, with_input ? in_fds : NULL,
	    diag, run->program)) != 0)
		goto out;
	if ((run->pid = fork()) == 0)
		child_exec(&cs);
	if (run->pid < 0) {
		seckey_diag_set(diag, run->program, 0, "cannot start it: %s",
		    strerror(errno));
		r = SECKEY_ERR_UNAVAIL;
		goto out;
	}
	run->in_fd = pipe_fds[0];
	pipe_fds[0] = -1;
	run->to_fd = in_fds[0];
	in_fds[0] = -1;
	r = SECKEY_OK;
out:
	if (pipe_fds[0] >= 0)
		close(pipe_fds[0]);
	if (pipe_fds[1] >= 0)
		close(pipe_fds[1]);
	if (in_fds[0] >= 0)
		close(in_fds[0]);
	if (in_fds[1] >= 0)
		close(in_fds[1]);
	if (cs.null_fd >= 0)
		close(cs.null_fd);

	return r;
}

/* Read, reap and judge; the caller kills what is left on failure. */
static int
collect(const struct seckey_command *cmd, struct run *run,
    struct seckey_diag *diag)
{
	int r, status = 0;

	if ((r = read_output(run, diag)) == SECKEY_OK)
		r = reap(run, &status, diag);
	if (r == SECKEY_ERR_TIMEOUT)
		seckey_diag_set(diag, run->program, 0, "still running after "
		    "%u ms: killed", cmd->timeout_ms);
	if (r != SECKEY_OK)
		return r;

	return judge_exit(cmd, status, diag);
}

int
seckey_command_run(const struct seckey_command *cmd, char **outputp,
    size_t *lenp, struct seckey_diag *diag)
{
	struct run run = { .pid = -1, .in_fd = -1, .to_fd = -1 };
	int r;

	if (outputp == NULL || lenp == NULL)
		return SECKEY_ERR_INVAL;
	*outputp = NULL;
	*lenp = 0;
	if (cmd == NULL || cmd->argv == NULL || cmd->argv[0] == NULL)
		return SECKEY_ERR_INVAL;
	run.program = cmd->argv[0];
	if ((r = check_program(run.program, diag)) != SECKEY_OK)
		return r;
	r = SECKEY_ERR_NOMEM;
	if ((run.output = malloc(OUTPUT_SIZE)) == NULL) {
		seckey_diag_set(diag, NULL, 0, "out of memory");
		goto out;
	}
	run.deadline_ms = seckey_now_ms() + cmd->timeout_ms;
	if ((r = start(cmd, &run, false, diag)) != SECKEY_OK ||
	    (r = collect(cmd, &run, diag)) != SECKEY_OK)
		goto out;
	run.output[run.len] = '\0';
	*outputp = run.output;
	*lenp = run.len;
	run.output = NULL;
out:
	kill_child(&run);
	if (run.in_fd >= 0)
		close(run.in_fd);
	free(run.output);

	return r;
}

/* A conversation with one child (seckey_command_open()). */
struct seckey_command_session {
	const struct seckey_command	*cmd;
	struct run			 run;
};

void
seckey_command_session_free(struct seckey_command_session **sessionp)
{
	struct seckey_command_session *s;

	if (sessionp == NULL || (s = *sessionp) == NULL)
		return;
	kill_child(&s->run);
	if (s->run.in_fd >= 0)
		close(s->run.in_fd);
	if (s->run.to_fd >= 0)
		close(s->run.to_fd);
	free(s->run.output);
	free(s);
	*sessionp = NULL;
}

int
seckey_command_open(const struct seckey_command *cmd,
    struct seckey_command_session **sessionp, struct seckey_diag *diag)
{
	struct seckey_command_session *s = NULL;
	int r;

	if (sessionp == NULL)
		return SECKEY_ERR_INVAL;
	*sessionp = NULL;
	if (cmd == NULL || cmd->argv == NULL || cmd->argv[0] == NULL)
		return SECKEY_ERR_INVAL;
	if ((r = check_program(cmd->argv[0], diag)) != SECKEY_OK)
		return r;
	r = SECKEY_ERR_NOMEM;
	if ((s = calloc(1, sizeof(*s))) == NULL ||
	    (s->run.output = malloc(OUTPUT_SIZE)) == NULL) {
		seckey_diag_set(diag, NULL, 0, "out of memory");
		goto out;
	}
	s->cmd = cmd;
	s->run.program = cmd->argv[0];
	s->run.pid = -1;
	s->run.in_fd = -1;
	s->run.to_fd = -1;
	s->run.output[0] = '\0';
	s->run.deadline_ms = seckey_now_ms() + cmd->timeout_ms;
	if ((r = start(cmd, &s->run, true, diag)) != SECKEY_OK)
		goto out;
	*sessionp = s;
	s = NULL;
out:
	seckey_command_session_free(&s);

	return r;
}

int
seckey_command_send(struct seckey_command_session *s, const void *buf,
    size_t len, struct seckey_diag *diag)
{
	struct pollfd pfd = { .events = POLLOUT };
	const char *p = buf;
	long long left;
	ssize_t n;

	if (s == NULL || s->run.to_fd < 0)
		return SECKEY_ERR_INVAL;
	pfd.fd = s->run.to_fd;
	while (len > 0) {
		if ((left = s->run.deadline_ms - seckey_now_ms()) <= 0) {
			seckey_diag_set(diag, s->run.program, 0, "still "
			    "running after %u ms: killed", s->cmd->timeout_ms);
			return SECKEY_ERR_TIMEOUT;
		}
		if (poll(&pfd, 1, left > INT_MAX ? INT_MAX : (int)left) <= 0)
			continue;
		n = send(s->run.to_fd, p, len, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0) {
			seckey_diag_set(diag, s->run.program, 0, "stopped "
			    "reading its input: %s", strerror(errno));
			return SECKEY_ERR_UNAVAIL;
		}
		p += n;
		len -= (size_t)n;
	}

	return SECKEY_OK;
}

/* The child's input ends, its output is read to the end; its exit. */
int
seckey_command_finish(struct seckey_command_session *s,
    struct seckey_diag *diag)
{
	int r;

	if (s == NULL)
		return SECKEY_ERR_INVAL;
	if (s->run.to_fd >= 0) {
		close(s->run.to_fd);
		s->run.to_fd = -1;
	}
	s->run.len = 0;
	if ((r = collect(s->cmd, &s->run, diag)) != SECKEY_OK)
		kill_child(&s->run);

	return r;
}

int
seckey_command_recv(struct seckey_command_session *s,
    seckey_command_complete_fn *complete, const char **textp, size_t *lenp,
    struct seckey_diag *diag)
{
	bool eof = false;
	int r = SECKEY_OK;

	if (s == NULL || complete == NULL || textp == NULL || lenp == NULL)
		return SECKEY_ERR_INVAL;
	*textp = NULL;
	*lenp = 0;
	s->run.len = 0;
	s->run.output[0] = '\0';
	while (r == SECKEY_OK && !eof &&
	    complete(s->run.output, s->run.len) == 0)
		r = read_some(&s->run, &eof, diag);
	if (r == SECKEY_OK && eof) {
		/* Its output ended first: what its exit says, or no answer. */
		if ((r = seckey_command_finish(s, diag)) == SECKEY_OK) {
			seckey_diag_set(diag, s->run.program, 0, "ended its "
			    "answer early");
			r = SECKEY_ERR_UNAVAIL;
		}
		return r;
	}
	if (r == SECKEY_ERR_TIMEOUT)
		seckey_diag_set(diag, s->run.program, 0, "still running after "
		    "%u ms: killed", s->cmd->timeout_ms);
	if (r != SECKEY_OK) {
		kill_child(&s->run);
		return r;
	}
	*textp = s->run.output;
	*lenp = s->run.len;

	return SECKEY_OK;
}

/* getpwnam_r's buffer: ample for one passwd line. */
#define PW_BUF_SIZE	4096

/*
 * Only root can switch; a caller that is not root (a screen locker,
 * seckey run by a user) runs the reader as itself and gains nothing by
 * it.  A user that turns out to be uid 0 is refused unless the policy
 * wrote "root": a mistyped or odd passwd entry must not hand the user's
 * name to a program running as root.
 */
int
seckey_command_run_as(struct seckey_command *cmd, const char *name,
    struct seckey_diag *diag)
{
	struct passwd pw, *found = NULL;
	char buf[PW_BUF_SIZE];
	int err;

	if (cmd == NULL || name == NULL)
		return SECKEY_ERR_INVAL;
	cmd->switch_user = geteuid() == 0;
	if (!cmd->switch_user)
		return SECKEY_OK;
	err = getpwnam_r(name, &pw, buf, sizeof(buf), &found);
	if (found == NULL) {
		/* "Not found" comes as 0 or as one of several errno values. */
		seckey_diag_set(diag, NULL, 0, "keys_command_user \"%s\": %s",
		    name, err == 0 || err == ENOENT || err == ESRCH ||
		    err == EBADF || err == EPERM ? "no such user" :
		    strerror(err));
		return err == ENOMEM || err == ERANGE ? SECKEY_ERR_NOMEM :
		    SECKEY_ERR_UNAVAIL;
	}
	if (pw.pw_uid == 0 && strcmp(name, "root") != 0) {
		seckey_diag_set(diag, NULL, 0, "keys_command_user \"%s\" has "
		    "uid 0; write \"root\" if that is meant", name);
		return SECKEY_ERR_PERM;
	}
	cmd->uid = pw.pw_uid;
	cmd->gid = pw.pw_gid;

	return SECKEY_OK;
}
