/*
 * vk_state.c: the state file, the key's flash.  A text file of
 * "name value" lines (values in lower-case hex or decimal), written
 * atomically at every change: temporary file in the same directory,
 * fsync, rename, fsync of the directory.  A missing file makes a fresh
 * key: random master secret, new attestation key and certificate.
 * Each discoverable credential is one more "rk" line (vk_rk.c).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "vk.h"

#define STATE_MAX_SIZE	(256 * 1024)
#define RK_LINE_MAX	2048	/* bytes of one slot's CBOR */
#define STATE_VERSION	1

static int
nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static int
hex_decode(const char *hex, uint8_t *out, size_t out_len)
{
	if (strlen(hex) != 2 * out_len)
		return -1;
	for (size_t i = 0; i < out_len; i++) {
		int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

static int
parse_number(const char *s, uint64_t max, uint64_t *out)
{
	char			*end = NULL;
	unsigned long long	 v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || v > max)
		return -1;
	*out = v;
	return 0;
}

static int
parse_cert(struct vk_state *st, const char *hex)
{
	size_t len = strlen(hex) / 2;

	if (len == 0 || len > 4096 || st->att_cert != NULL ||
	    (st->att_cert = malloc(len)) == NULL)
		return -1;
	st->att_cert_len = len;
	return hex_decode(hex, st->att_cert, len);
}

/* An "rk" line (any number of them): the next free slot. */
static int
parse_rk(struct vk_state *st, const char *hex)
{
	uint8_t	buf[RK_LINE_MAX];
	size_t	len = strlen(hex) / 2, i;
	int	r;

	for (i = 0; i < VK_RK_MAX && st->rk[i].used; i++)
		continue;
	if (i == VK_RK_MAX || len == 0 || len > sizeof(buf) ||
	    hex_decode(hex, buf, len) != 0)
		return -1;
	r = vk_rk_decode(&st->rk[i], buf, len);
	OPENSSL_cleanse(buf, sizeof(buf));
	return r;
}

/* One "name value" line; seen collects the names found so far. */
static int
parse_line(struct vk_state *st, char *line, unsigned int *seen)
{
	static const char *const names[] = { "version", "master", "att_key",
	    "att_cert", "pin_hash", "pin_retries", "sign_count" };
	char		*value;
	uint64_t	 n = 0;
	size_t		 i;

	if (*line == '#' || *line == '\0')
		return 0;
	if ((value = strchr(line, ' ')) == NULL)
		return -1;
	*value++ = '\0';
	if (strcmp(line, "rk") == 0)
		return parse_rk(st, value);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(line, names[i]) == 0)
			break;
	if (i == sizeof(names) / sizeof(names[0]) || (*seen & (1U << i)))
		return -1;
	*seen |= 1U << i;
	switch (i) {
	case 0:
		return parse_number(value, STATE_VERSION, &n) == 0 &&
		    n == STATE_VERSION ? 0 : -1;
	case 1:
		return hex_decode(value, st->master, VK_SECRET_LEN);
	case 2:
		return hex_decode(value, st->att_key, VK_SECRET_LEN);
	case 3:
		return parse_cert(st, value);
	case 4:
		st->pin_set = strcmp(value, "none") != 0;
		return st->pin_set ? hex_decode(value, st->pin_hash,
		    VK_PIN_HASH_LEN) : 0;
	case 5:
		if (parse_number(value, VK_PIN_RETRIES_MAX, &n) != 0)
			return -1;
		st->pin_retries = (unsigned int)n;
		return 0;
	default:
		if (parse_number(value, UINT32_MAX, &n) != 0)
			return -1;
		st->sign_count = (uint32_t)n;
		return 0;
	}
}

static int
read_file(const char *path, char **text, size_t *len)
{
	struct stat	 sb;
	ssize_t		 n;
	int		 fd, r = -1;

	*text = NULL;
	*len = 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
		return errno == ENOENT ? 1 : -1;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) ||
	    sb.st_size > STATE_MAX_SIZE ||
	    (*text = calloc(1, (size_t)sb.st_size + 1)) == NULL)
		goto fail;
	if ((n = read(fd, *text, (size_t)sb.st_size)) != sb.st_size)
		goto fail;
	*len = (size_t)n;
	r = 0;
fail:
	close(fd);
	if (r != 0) {
		free(*text);
		*text = NULL;
	}
	return r;
}

static int
parse_state(struct vk_state *st, char *text)
{
	char		*line, *save = NULL;
	unsigned int	 seen = 0;

	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save))
		if (parse_line(st, line, &seen) != 0)
			return -1;
	return seen == 0x7f ? 0 : -1;
}

static int
state_create(struct vk *vk)
{
	EVP_PKEY *att = NULL;
	int r = -1;

	vk->st.pin_set = 0;
	vk->st.pin_retries = VK_PIN_RETRIES_MAX;
	vk->st.sign_count = 0;
	if (vk_random(vk->st.master, VK_SECRET_LEN) != 0 ||
	    (att = vk_key_generate(VK_COSE_ES256)) == NULL ||
	    vk_key_private(att, VK_COSE_ES256, vk->st.att_key) != 0 ||
	    vk_cert_create(vk->st.att_key, &vk->st.att_cert,
	    &vk->st.att_cert_len) != 0 || vk_state_save(vk) != 0)
		goto fail;
	r = 0;
fail:
	EVP_PKEY_free(att);
	return r;
}

int
vk_state_load(struct vk *vk)
{
	char	*text = NULL;
	size_t	 len = 0;
	int	 r;

	if ((r = read_file(vk->cfg.state_path, &text, &len)) == 1)
		return state_create(vk);
	if (r != 0) {
		vk_warnx("cannot read state file %s", vk->cfg.state_path);
		return -1;
	}
	r = parse_state(&vk->st, text);
	OPENSSL_cleanse(text, len);
	free(text);
	if (r != 0)
		vk_warnx("state file %s is damaged", vk->cfg.state_path);
	return r;
}

static void
hex_append(char *out, const uint8_t *in, size_t len)
{
	static const char digits[] = "0123456789abcdef";

	out += strlen(out);
	for (size_t i = 0; i < len; i++) {
		*out++ = digits[in[i] >> 4];
		*out++ = digits[in[i] & 0x0f];
	}
	*out = '\0';
}

/* Append one "rk" line per used slot to text (room for them made). */
static int
rk_lines(const struct vk_state *st, char *text)
{
	unsigned char	*buf;
	size_t		 len;

	for (size_t i = 0; i < VK_RK_MAX; i++) {
		if (!st->rk[i].used)
			continue;
		if (vk_rk_encode(&st->rk[i], &buf, &len) != 0)
			return -1;
		if (len > RK_LINE_MAX) {
			OPENSSL_cleanse(buf, len);
			free(buf);
			return -1;
		}
		strcat(text, "rk ");
		hex_append(text, buf, len);
		strcat(text, "\n");
		OPENSSL_cleanse(buf, len);
		free(buf);
	}
	return 0;
}

/* The whole file as text; the caller wipes and frees it. */
static char *
state_text(const struct vk_state *st, size_t *len)
{
	size_t	 cap = 512 + 2 * st->att_cert_len;
	char	*text;
	int	 n;

	for (size_t i = 0; i < VK_RK_MAX; i++)
		if (st->rk[i].used)
			cap += 4 + 2 * RK_LINE_MAX;
	if ((text = calloc(1, cap)) == NULL)
		return NULL;
	n = snprintf(text, cap, "# pam_seckey virtkey state\nversion %d\n"
	    "master ", STATE_VERSION);
	if (n < 0)
		goto fail;
	hex_append(text, st->master, VK_SECRET_LEN);
	strcat(text, "\natt_key ");
	hex_append(text, st->att_key, VK_SECRET_LEN);
	strcat(text, "\natt_cert ");
	hex_append(text, st->att_cert, st->att_cert_len);
	strcat(text, "\npin_hash ");
	if (st->pin_set)
		hex_append(text, st->pin_hash, VK_PIN_HASH_LEN);
	else
		strcat(text, "none");
	*len = strlen(text);
	n = snprintf(text + *len, cap - *len, "\npin_retries %u\n"
	    "sign_count %" PRIu32 "\n", st->pin_retries, st->sign_count);
	if (n < 0 || (size_t)n >= cap - *len || rk_lines(st, text) != 0)
		goto fail;
	*len = strlen(text);
	return text;
fail:
	OPENSSL_cleanse(text, cap);
	free(text);
	return NULL;
}

static int
write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

static int
sync_dir(const char *path)
{
	char	*copy;
	int	 fd, r = -1;

	if ((copy = strdup(path)) == NULL)
		return -1;
	if ((fd = open(dirname(copy), O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) >= 0) {
		r = fsync(fd);
		close(fd);
	}
	free(copy);
	return r;
}

int
vk_state_save(const struct vk *vk)
{
	const char	*path = vk->cfg.state_path;
	char		*text = NULL, tmp[PATH_MAX];
	size_t		 len = 0;
	int		 fd = -1, r = -1;

	if (snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= (int)sizeof(tmp) ||
	    (text = state_text(&vk->st, &len)) == NULL ||
	    (fd = mkostemp(tmp, O_CLOEXEC)) < 0)
		goto fail;
	if (fchmod(fd, 0600) != 0 || write_all(fd, text, len) != 0 ||
	    fsync(fd) != 0)
		goto fail;
	r = close(fd);
	fd = -1;
	if (r != 0 || rename(tmp, path) != 0) {
		r = -1;
		unlink(tmp);
		goto fail;
	}
	r = sync_dir(path);
fail:
	if (fd >= 0) {
		close(fd);
		unlink(tmp);
	}
	if (text != NULL) {
		OPENSSL_cleanse(text, len);
		free(text);
	}
	if (r != 0)
		vk_warnx("cannot write state file %s", path);
	return r;
}

int
vk_state_new_master(struct vk *vk)
{
	return vk_random(vk->st.master, VK_SECRET_LEN);
}

void
vk_state_clear(struct vk *vk)
{
	OPENSSL_cleanse(vk->st.master, sizeof(vk->st.master));
	OPENSSL_cleanse(vk->st.att_key, sizeof(vk->st.att_key));
	OPENSSL_cleanse(vk->st.pin_hash, sizeof(vk->st.pin_hash));
	vk_rk_wipe_all(vk);
	free(vk->st.att_cert);
	vk->st.att_cert = NULL;
	vk->st.att_cert_len = 0;
}
