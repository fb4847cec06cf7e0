/*
 * tty.c: reading PINs and answers.
 *
 * When standard input is a terminal, a PIN is read from /dev/tty with
 * echo off; otherwise each line of standard input is one PIN, so that
 * scripts and tests can drive seckey.  Bytes are read one at a time
 * straight into the PIN buffer: no stdio buffer keeps a copy, and
 * nothing past the end of the line is consumed, so the next PIN is
 * still there for the next read.  A PIN never comes from argv or the
 * environment.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <termios.h>
#include <unistd.h>

#include "helper.h"

enum line_result {
	LINE_OK,
	LINE_EOF,		/* input ended before any byte */
	LINE_TOO_LONG,
	LINE_INTERRUPTED,	/* a signal arrived while echo was off */
	LINE_ERROR,
};

/* Signals that would leave the terminal without echo if not caught. */
static const int tty_signals[] = {
	SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU
};
#define NSIGNALS	(sizeof(tty_signals) / sizeof(tty_signals[0]))

static volatile sig_atomic_t caught_signal;

static void
on_signal(int sig)
{
	caught_signal = sig;
}

bool
helper_on_terminal(void)
{
	return isatty(STDIN_FILENO) == 1;
}

/*
 * One line from fd into buf (size bytes with the NUL); a trailing CR
 * goes too.  Anything but LINE_OK leaves buf wiped.
 */
static enum line_result
read_line(int fd, char *buf, size_t size, int *err)
{
	enum line_result res = LINE_OK;
	size_t len = 0;
	bool any = false;
	ssize_t n;
	char c = '\0';

	for (;;) {
		if ((n = read(fd, &c, 1)) < 0 && errno == EINTR &&
		    caught_signal == 0)
			continue;
		if (n < 0) {
			*err = errno;
			res = caught_signal != 0 ? LINE_INTERRUPTED :
			    LINE_ERROR;
			break;
		}
		if (n == 0 || c == '\n') {
			if (n == 0 && !any)
				res = LINE_EOF;
			break;
		}
		any = true;
		if (len + 1 < size)
			buf[len++] = c;
		else
			res = LINE_TOO_LONG;
	}
	if (len > 0 && buf[len - 1] == '\r')
		len--;
	buf[len] = '\0';
	seckey_wipe(&c, sizeof(c));
	if (res != LINE_OK)
		seckey_wipe(buf, size);

	return res;
}

static void
write_text(int fd, const char *text)
{
	size_t len = strlen(text);
	ssize_t n;

	while (len > 0) {
		if ((n = write(fd, text, len)) < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		text += n;
		len -= (size_t)n;
	}
}

/*
 * The terminal's echo is switched off and every signal that could end
 * or stop the process is caught, so that the terminal gets its echo
 * back whatever happens; the signal is then raised again.
 */
static enum line_result
read_tty_secret(int fd, const char *prompt, char *buf, size_t size,
    int *err)
{
	struct sigaction sa, saved_sa[NSIGNALS];
	struct termios saved, quiet;
	enum line_result res = LINE_ERROR;
	size_t i;

	if (tcgetattr(fd, &saved) != 0) {
		*err = errno;
		return LINE_ERROR;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: end the read */
	sigemptyset(&sa.sa_mask);
	caught_signal = 0;
	for (i = 0; i < NSIGNALS; i++)
		(void)sigaction(tty_signals[i], &sa, &saved_sa[i]);
	quiet = saved;
	quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHOE | ECHOK | ECHONL);
	/* TCSAFLUSH drops anything typed before the prompt. */
	if (tcsetattr(fd, TCSAFLUSH, &quiet) != 0)
		*err = errno;
	else {
		write_text(fd, prompt);
		res = read_line(fd, buf, size, err);
		(void)tcsetattr(fd, TCSAFLUSH, &saved);
		write_text(fd, "\n");
	}
	for (i = 0; i < NSIGNALS; i++)
		(void)sigaction(tty_signals[i], &saved_sa[i], NULL);
	if (caught_signal != 0)
		(void)raise(caught_signal);

	return res;
}

/* A secret from the terminal without echo, or a line of stdin. */
static enum line_result
read_secret(const char *prompt, char *buf, size_t size, int *err)
{
	enum line_result res;
	int fd;

	if (helper_on_terminal()) {
		if ((fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0) {
			*err = errno;
			return LINE_ERROR;
		}
		res = read_tty_secret(fd, prompt, buf, size, err);
		close(fd);
		return res;
	}
	/* On stderr, so that a log of a scripted run shows what was asked. */
	fprintf(stderr, "%s\n", prompt);
	fflush(stderr);

	return read_line(STDIN_FILENO, buf, size, err);
}

int
helper_store_secret(const char *prompt, char *buf, size_t size, void *arg)
{
	enum line_result res;
	int err = 0;

	(void)arg;
	res = read_secret(prompt, buf, size, &err);
	switch (res) {
	case LINE_OK:
		if (buf[0] != '\0')
			return SECKEY_OK;
		helper_refuse("no password given");
		break;
	case LINE_EOF:
		helper_refuse("no password given: standard input ended");
		break;
	case LINE_TOO_LONG:
		helper_refuse("a password is at most %zu bytes", size - 1);
		break;
	case LINE_INTERRUPTED:
		helper_refuse("interrupted");
		break;
	default:
		helper_refuse("cannot read the password: %s", strerror(err));
		break;
	}
	seckey_wipe(buf, size);

	return SECKEY_ERR_CANCELLED;
}

int
helper_read_pin(const char *prompt, struct seckey_pin *pin)
{
	enum line_result res;
	int err = 0;

	seckey_pin_wipe(pin);
	res = read_secret(prompt, pin->text, sizeof(pin->text), &err);

	switch (res) {
	case LINE_OK:
		if (pin->text[0] != '\0')
			return EXIT_DONE;
		return helper_refuse("no PIN given");
	case LINE_EOF:
		return helper_refuse("no PIN given: standard input ended");
	case LINE_TOO_LONG:
		return helper_refuse("a PIN is at most %d bytes",
		    SECKEY_PIN_MAX);
	case LINE_INTERRUPTED:
		return helper_refuse("interrupted");
	default:
		return helper_refuse("cannot read the PIN: %s", strerror(err));
	}
}

/*
 * Ask on the terminal; only the answer word (or "yes" for "y") says
 * yes.  Without a terminal there is no one to ask: false.
 */
bool
helper_confirm(const char *prompt, const char *word)
{
	char answer[16];
	bool yes;
	int fd, err = 0;

	if (!helper_on_terminal() ||
	    (fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0)
		return false;
	write_text(fd, prompt);
	yes = read_line(fd, answer, sizeof(answer), &err) == LINE_OK &&
	    (strcasecmp(answer, word) == 0 ||
	    (strcmp(word, "y") == 0 && strcasecmp(answer, "yes") == 0));
	close(fd);

	return yes;
}

/* A cue for the user (touch the key): a line of its own on stderr. */
void
helper_prompt(const char *text)
{
	fprintf(stderr, "%s\n", text);
	fflush(stderr);
}
