/*
 * vk_conn.c: the key's "USB port".  An AF_UNIX SOCK_SEQPACKET socket
 * where each accepted connection is one opened device handle and each
 * message one 64-byte CTAPHID report.  This file accepts and closes
 * connections, keeps each one's channel ids, sends framed messages and
 * polls; vk_hid.c makes sense of the packets.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "vk.h"

#define CID_BROADCAST	0xffffffffU
#define SEND_TIMEOUT_S	2

int
vk_hid_new(struct vk *vk)
{
	struct vk_hid *hid;

	if ((hid = calloc(1, sizeof(*hid))) == NULL)
		return -1;
	hid->listen_fd = -1;
	hid->lock_conn = -1;
	hid->txn.conn = -1;
	for (size_t i = 0; i < VK_MAX_CONNS; i++)
		hid->conns[i].fd = -1;
	if (vk_random((uint8_t *)&hid->next_cid, sizeof(hid->next_cid)) != 0) {
		free(hid);
		return -1;
	}
	vk->hid = hid;
	return 0;
}

/* A closed handle frees its channels and abandons its transaction. */
static void
vk_conn_close(struct vk *vk, int i)
{
	struct vk_hid *hid = vk->hid;

	if (hid->conns[i].fd >= 0)
		close(hid->conns[i].fd);
	hid->conns[i].fd = -1;
	hid->conns[i].ncids = 0;
	if (hid->lock_conn == i)
		hid->lock_conn = -1;
	if (hid->txn.conn != i)
		return;
	if (hid->txn.state == VK_TXN_BUSY)
		hid->txn.aborted = 1;
	else
		hid->txn.state = VK_TXN_IDLE;
	hid->txn.conn = -1;
}

void
vk_hid_free(struct vk *vk)
{
	if (vk->hid == NULL)
		return;
	for (int i = 0; i < VK_MAX_CONNS; i++)
		if (vk->hid->conns[i].fd >= 0)
			vk_conn_close(vk, i);
	if (vk->hid->listen_fd >= 0)
		close(vk->hid->listen_fd);
	free(vk->hid);
	vk->hid = NULL;
}

static int
socket_addr(const char *path, struct sockaddr_un *sun)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun->sun_path))
		return -1;
	memcpy(sun->sun_path, path, strlen(path) + 1);
	return 0;
}

/*
 * Bind to PATH.tmp, make it connectable by anyone, listen, then rename
 * it to PATH: a client that sees PATH can connect.
 */
int
vk_hid_listen(struct vk *vk)
{
	struct sockaddr_un	 sun;
	char			 tmp[PATH_MAX];
	int			 fd = -1;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", vk->cfg.socket_path) >=
	    (int)sizeof(tmp) || socket_addr(tmp, &sun) != 0) {
		vk_warnx("socket path too long: %s", vk->cfg.socket_path);
		return -1;
	}
	(void)unlink(tmp);
	if ((fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC |
	    SOCK_NONBLOCK, 0)) < 0 ||
	    bind(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0 ||
	    chmod(tmp, 0666) != 0 || listen(fd, 16) != 0 ||
	    rename(tmp, vk->cfg.socket_path) != 0) {
		vk_warnx("cannot listen on %s: %s", vk->cfg.socket_path,
		    strerror(errno));
		if (fd >= 0)
			close(fd);
		(void)unlink(tmp);
		return -1;
	}
	vk->hid->listen_fd = fd;
	return 0;
}

/* The key is pulled out: no socket, no connections, stop. */
void
vk_hid_unplug(struct vk *vk)
{
	(void)unlink(vk->cfg.socket_path);
	for (int i = 0; i < VK_MAX_CONNS; i++)
		if (vk->hid->conns[i].fd >= 0)
			vk_conn_close(vk, i);
	if (vk->hid->listen_fd >= 0)
		close(vk->hid->listen_fd);
	vk->hid->listen_fd = -1;
	vk->unplugged = 1;
}

int
vk_conn_owns(const struct vk *vk, int i, uint32_t cid)
{
	const struct vk_conn *c = &vk->hid->conns[i];

	for (size_t j = 0; j < c->ncids; j++)
		if (c->cids[j] == cid)
			return 1;
	return 0;
}

static int
cid_in_use(const struct vk *vk, uint32_t cid)
{
	for (int i = 0; i < VK_MAX_CONNS; i++)
		if (vk->hid->conns[i].fd >= 0 && vk_conn_owns(vk, i, cid))
			return 1;
	return 0;
}

/* Allocate a channel for connection i; its oldest goes when full. */
uint32_t
vk_conn_add_cid(struct vk *vk, int i)
{
	struct vk_conn	*c = &vk->hid->conns[i];
	uint32_t	 next = vk->hid->next_cid;

	do {
		next++;
	} while (next == 0 || next == CID_BROADCAST || cid_in_use(vk, next));
	vk->hid->next_cid = next;
	if (c->ncids == VK_CIDS_PER_CONN) {
		memmove(c->cids, c->cids + 1, (VK_CIDS_PER_CONN - 1) *
		    sizeof(c->cids[0]));
		c->ncids--;
	}
	c->cids[c->ncids++] = next;
	return next;
}

static void
put_cid(uint8_t *pkt, uint32_t cid)
{
	pkt[0] = (uint8_t)(cid >> 24);
	pkt[1] = (uint8_t)(cid >> 16);
	pkt[2] = (uint8_t)(cid >> 8);
	pkt[3] = (uint8_t)cid;
}

static int
send_packet(struct vk *vk, int i, const uint8_t *pkt)
{
	ssize_t n;

	do {
		n = send(vk->hid->conns[i].fd, pkt, VK_REPORT_LEN,
		    MSG_NOSIGNAL);
	} while (n < 0 && errno == EINTR);
	return n == VK_REPORT_LEN ? 0 : -1;
}

/*
 * Send one CTAPHID message as an initialisation packet and as many
 * continuation packets as needed.  A client that cannot take it is
 * treated as gone.  evil holds the framing misbehaviours of --evil:
 * wrong-cid sends on another channel, oversized announces 65535 bytes
 * (above any maxMsgSize) and sends the real ones, truncated never sends
 * the last packet, disconnect hangs up after the first one.
 */
static void
conn_send(struct vk *vk, int i, uint32_t cid, uint8_t cmd,
    const uint8_t *data, size_t len, unsigned int evil)
{
	uint8_t	pkt[VK_REPORT_LEN];
	size_t	off, n;
	uint8_t	seq = 0;

	if (i < 0 || vk->hid->conns[i].fd < 0 || len > VK_MAX_PAYLOAD)
		return;
	memset(pkt, 0, sizeof(pkt));
	put_cid(pkt, (evil & VK_EVIL_WRONG_CID) ? cid ^ 1 : cid);
	pkt[4] = cmd | 0x80;
	pkt[5] = (evil & VK_EVIL_OVERSIZED) ? 0xff : (uint8_t)(len >> 8);
	pkt[6] = (evil & VK_EVIL_OVERSIZED) ? 0xff : (uint8_t)len;
	n = len < VK_REPORT_LEN - 7 ? len : VK_REPORT_LEN - 7;
	if (n > 0)
		memcpy(pkt + 7, data, n);
	for (off = n; ; off += n) {
		if ((evil & VK_EVIL_TRUNCATED) && off >= len)
			return;
		if (send_packet(vk, i, pkt) != 0 ||
		    (evil & VK_EVIL_DISCONNECT)) {
			vk_conn_close(vk, i);
			return;
		}
		if (off >= len)
			return;
		memset(pkt + 4, 0, sizeof(pkt) - 4);
		pkt[4] = seq++;
		n = len - off < VK_REPORT_LEN - 5 ? len - off :
		    VK_REPORT_LEN - 5;
		memcpy(pkt + 5, data + off, n);
	}
}

void
vk_conn_send(struct vk *vk, int i, uint32_t cid, uint8_t cmd,
    const uint8_t *data, size_t len)
{
	conn_send(vk, i, cid, cmd, data, len, 0);
}

/* A reply that --evil-on names, framed as --evil says. */
void
vk_conn_send_evil(struct vk *vk, int i, uint32_t cid, uint8_t cmd,
    const uint8_t *data, size_t len)
{
	conn_send(vk, i, cid, cmd, data, len, vk->cfg.evil);
}

static void
conn_accept(struct vk *vk)
{
	struct timeval	tv = { SEND_TIMEOUT_S, 0 };
	int		fd, i;

	if ((fd = accept4(vk->hid->listen_fd, NULL, NULL,
	    SOCK_CLOEXEC)) < 0)
		return;
	for (i = 0; i < VK_MAX_CONNS; i++)
		if (vk->hid->conns[i].fd < 0)
			break;
	if (i == VK_MAX_CONNS ||
	    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) != 0) {
		close(fd);
		return;
	}
	vk->hid->conns[i].fd = fd;
	vk->hid->conns[i].ncids = 0;
}

/* Read one report from connection i; anything but 64 bytes is dropped. */
static void
conn_read(struct vk *vk, int i)
{
	uint8_t	pkt[VK_REPORT_LEN + 1];
	ssize_t	n;

	n = recv(vk->hid->conns[i].fd, pkt, sizeof(pkt), MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		vk_conn_close(vk, i);
		return;
	}
	if (n == VK_REPORT_LEN)
		vk_hid_packet(vk, i, pkt);
}

/*
 * Wait up to timeout_ms (-1: forever) for something to happen and
 * handle it.  SIGTERM and SIGINT are blocked except inside ppoll, so a
 * stop request is never lost between checking vk_stop and sleeping.
 */
void
vk_conn_poll(struct vk *vk, long timeout_ms)
{
	struct pollfd	 pfd[1 + VK_MAX_CONNS];
	int		 idx[1 + VK_MAX_CONNS];
	struct timespec	 ts, *tsp = NULL;
	sigset_t	 mask;
	nfds_t		 n = 0;

	if (vk->hid->listen_fd >= 0) {
		pfd[n].fd = vk->hid->listen_fd;
		pfd[n].events = POLLIN;
		idx[n++] = -1;
	}
	for (int i = 0; i < VK_MAX_CONNS; i++)
		if (vk->hid->conns[i].fd >= 0) {
			pfd[n].fd = vk->hid->conns[i].fd;
			pfd[n].events = POLLIN;
			idx[n++] = i;
		}
	if (timeout_ms >= 0) {
		ts.tv_sec = timeout_ms / 1000;
		ts.tv_nsec = (timeout_ms % 1000) * 1000000L;
		tsp = &ts;
	}
	sigemptyset(&mask);
	if (vk_stop || ppoll(pfd, n, tsp, &mask) <= 0)
		return;
	for (nfds_t j = 0; j < n; j++) {
		if (pfd[j].revents == 0)
			continue;
		if (idx[j] < 0)
			conn_accept(vk);
		else if (vk->hid->conns[idx[j]].fd == pfd[j].fd)
			conn_read(vk, idx[j]);
	}
}
