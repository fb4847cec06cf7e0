/*
 * vk_log.c: the command log (--log FILE).  One line per CTAPHID request
 * handled, appended with a single write(2) so that tests and benchmarks
 * can count lines while the key runs:
 *
 *	<seq> <HIDCMD> [<ctap-name>] [key=value ...] status=0xNN
 *
 * Handlers add key=value pairs to a struct vk_logrec; they never add a
 * PIN, a PIN hash, a token or key material.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "vk.h"

int
vk_log_open(struct vk *vk)
{
	vk->log_fd = -1;
	if (vk->cfg.log_path == NULL)
		return 0;
	if ((vk->log_fd = open(vk->cfg.log_path, O_WRONLY | O_APPEND |
	    O_CREAT | O_CLOEXEC, 0644)) < 0) {
		vk_warnx("cannot open log %s: %s", vk->cfg.log_path,
		    strerror(errno));
		return -1;
	}
	return 0;
}

void
vk_log_close(struct vk *vk)
{
	if (vk->log_fd >= 0)
		close(vk->log_fd);
	vk->log_fd = -1;
}

/* Append " key=value" to the record; what does not fit is dropped. */
void
vk_log_kv(struct vk_logrec *rec, const char *fmt, ...)
{
	va_list	ap;
	size_t	room;
	int	n;

	if (rec->kv_len + 1 >= sizeof(rec->kv))
		return;
	rec->kv[rec->kv_len++] = ' ';
	rec->kv[rec->kv_len] = '\0';
	room = sizeof(rec->kv) - rec->kv_len;
	va_start(ap, fmt);
	n = vsnprintf(rec->kv + rec->kv_len, room, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= room) {
		rec->kv[--rec->kv_len] = '\0';
		return;
	}
	rec->kv_len += (size_t)n;
}

/* Write one line; status < 0 is logged as "status=-". */
void
vk_log_line(struct vk *vk, const char *hidcmd, const struct vk_logrec *rec,
    int status)
{
	char	line[384];
	char	st[8];
	int	n;

	vk->log_seq++;
	if (vk->log_fd < 0)
		return;
	if (status < 0)
		snprintf(st, sizeof(st), "-");
	else
		snprintf(st, sizeof(st), "0x%02x", status & 0xff);
	n = snprintf(line, sizeof(line), "%lu %s%s%s%s status=%s\n",
	    vk->log_seq, hidcmd, rec != NULL && rec->name != NULL ? " " : "",
	    rec != NULL && rec->name != NULL ? rec->name : "",
	    rec != NULL ? rec->kv : "", st);
	if (n < 0 || (size_t)n >= sizeof(line))
		return;
	if (write(vk->log_fd, line, (size_t)n) != n)
		vk_warnx("cannot write log %s", vk->cfg.log_path);
}
