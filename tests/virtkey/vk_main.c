/*
 * vk_main.c: the virtkey process.  One process is one security key
 * plugged in; killing it (SIGTERM, SIGINT) pulls the key out.  This file
 * reads the knobs, loads the state file, opens the socket and runs the
 * CTAPHID loop of vk_hid.c until told to stop.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "vk.h"

volatile sig_atomic_t vk_stop;

enum {
	OPT_SOCKET = 256, OPT_STATE, OPT_TRANSPORT, OPT_MAX_CREDS, OPT_TOUCH,
	OPT_TOUCH_TIMEOUT, OPT_LATENCY, OPT_LOG, OPT_PIN_PROTOCOLS,
	OPT_RESET_WINDOW, OPT_UV_NOT_REQUIRED, OPT_EVIL, OPT_EVIL_ON,
	OPT_RESIDENT, OPT_HELP, OPT_ATTEST_CA, OPT_ATTEST_SELF, OPT_COUNTER,
	OPT_AAGUID,
};

static const struct option long_options[] = {
	{ "socket",		required_argument, NULL, OPT_SOCKET },
	{ "state",		required_argument, NULL, OPT_STATE },
	{ "transport",		required_argument, NULL, OPT_TRANSPORT },
	{ "max-creds",		required_argument, NULL, OPT_MAX_CREDS },
	{ "touch",		required_argument, NULL, OPT_TOUCH },
	{ "touch-timeout",	required_argument, NULL, OPT_TOUCH_TIMEOUT },
	{ "latency",		required_argument, NULL, OPT_LATENCY },
	{ "log",		required_argument, NULL, OPT_LOG },
	{ "pin-protocols",	required_argument, NULL, OPT_PIN_PROTOCOLS },
	{ "reset-window",	required_argument, NULL, OPT_RESET_WINDOW },
	{ "uv-not-required",	no_argument,	   NULL, OPT_UV_NOT_REQUIRED },
	{ "evil",		required_argument, NULL, OPT_EVIL },
	{ "evil-on",		required_argument, NULL, OPT_EVIL_ON },
	{ "resident",		required_argument, NULL, OPT_RESIDENT },
	{ "help",		no_argument,	   NULL, OPT_HELP },
	{ "attest-ca",		required_argument, NULL, OPT_ATTEST_CA },
	{ "attest-self",	no_argument,	   NULL, OPT_ATTEST_SELF },
	{ "counter",		required_argument, NULL, OPT_COUNTER },
	{ "aaguid",		required_argument, NULL, OPT_AAGUID },
	{ NULL,			0,		   NULL, 0 },
};

void
vk_warnx(const char *fmt, ...)
{
	va_list ap;

	fputs("virtkey: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int64_t
vk_now_ms(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return 0;
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
usage(void)
{
	fprintf(stderr, "usage: virtkey --socket PATH --state FILE "
	    "[--transport usb|nfc] [--max-creds N]\n"
	    "\t[--touch now|never|MS|unplug] [--touch-timeout MS] "
	    "[--latency MS] [--log FILE]\n"
	    "\t[--pin-protocols 2,1|1,2|1|2] [--reset-window SEC] "
	    "[--uv-not-required]\n"
	    "\t[--evil clear-up,clear-uv,bad-sig,other-key-sig,bad-cbor,"
	    "truncated,wrong-cid,\n"
	    "\t       oversized,endless-keepalive,disconnect,counter-back,"
	    "phish]\n"
	    "\t[--evil-on assert,probe,info|all] [--resident N]\n"
	    "\t[--attest-ca CERT.pem,KEY.pem | --attest-self]\n"
	    "\t[--counter count|zero] [--aaguid UUID]\n");
}

static int
parse_long(const char *s, long min, long max, long *out)
{
	char	*end = NULL;
	long	 v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static int
parse_touch(struct vk_config *cfg, const char *arg)
{
	if (strcmp(arg, "now") == 0)
		cfg->touch_mode = VK_TOUCH_NOW;
	else if (strcmp(arg, "never") == 0)
		cfg->touch_mode = VK_TOUCH_NEVER;
	else if (strcmp(arg, "unplug") == 0)
		cfg->touch_mode = VK_TOUCH_UNPLUG;
	else if (parse_long(arg, 0, 3600000, &cfg->touch_ms) == 0)
		cfg->touch_mode = VK_TOUCH_DELAY;
	else
		return -1;
	return 0;
}

static int
parse_protocols(struct vk_config *cfg, const char *arg)
{
	static const struct { const char *arg; uint8_t p[2]; size_t n; }
	    choices[] = {
		{ "2,1", { 2, 1 }, 2 }, { "1,2", { 1, 2 }, 2 },
		{ "1", { 1, 0 }, 1 }, { "2", { 2, 0 }, 1 },
	};

	for (size_t i = 0; i < sizeof(choices) / sizeof(choices[0]); i++)
		if (strcmp(arg, choices[i].arg) == 0) {
			memcpy(cfg->protocols, choices[i].p, 2);
			cfg->nprotocols = choices[i].n;
			return 0;
		}
	return -1;
}

struct word_bit {
	const char	*word;
	unsigned int	 bit;
};

/* A comma list of words from table, or'ed into *bits. */
static int
parse_words(const struct word_bit *table, size_t n, const char *arg,
    unsigned int *bits)
{
	const char	*p = arg;
	size_t		 i, len;

	if (*p == '\0')
		return -1;
	while (*p != '\0') {
		len = strcspn(p, ",");
		for (i = 0; i < n; i++)
			if (strlen(table[i].word) == len &&
			    strncmp(p, table[i].word, len) == 0)
				break;
		if (i == n)
			return -1;
		*bits |= table[i].bit;
		p += len + (p[len] == ',');
	}
	return 0;
}

/* --evil MODE,...: misbehaviours, combined (see README.md). */
static int
parse_evil(struct vk_config *cfg, const char *arg)
{
	static const struct word_bit modes[] = {
		{ "clear-up", VK_EVIL_CLEAR_UP },
		{ "clear-uv", VK_EVIL_CLEAR_UV },
		{ "bad-sig", VK_EVIL_BAD_SIG },
		{ "other-key-sig", VK_EVIL_OTHER_KEY_SIG },
		{ "bad-cbor", VK_EVIL_BAD_CBOR },
		{ "truncated", VK_EVIL_TRUNCATED },
		{ "wrong-cid", VK_EVIL_WRONG_CID },
		{ "oversized", VK_EVIL_OVERSIZED },
		{ "endless-keepalive", VK_EVIL_ENDLESS_KA },
		{ "disconnect", VK_EVIL_DISCONNECT },
		{ "counter-back", VK_EVIL_COUNTER_BACK },
		{ "phish", VK_EVIL_PHISH },
	};

	return parse_words(modes, sizeof(modes) / sizeof(modes[0]), arg,
	    &cfg->evil);
}

/* --evil-on assert,probe,info|all: the replies the knobs spoil. */
static int
parse_evil_on(struct vk_config *cfg, const char *arg)
{
	static const struct word_bit targets[] = {
		{ "assert", VK_EVIL_ON_ASSERT },
		{ "probe", VK_EVIL_ON_PROBE },
		{ "info", VK_EVIL_ON_INFO },
		{ "all", VK_EVIL_ON_ASSERT | VK_EVIL_ON_PROBE |
		    VK_EVIL_ON_INFO },
	};

	cfg->evil_on = 0;
	return parse_words(targets, sizeof(targets) / sizeof(targets[0]),
	    arg, &cfg->evil_on);
}

static int
parse_option(struct vk_config *cfg, int ch, const char *arg)
{
	long v = 0;

	switch (ch) {
	case OPT_SOCKET:
		cfg->socket_path = arg;
		return 0;
	case OPT_STATE:
		cfg->state_path = arg;
		return 0;
	case OPT_LOG:
		cfg->log_path = arg;
		return 0;
	case OPT_TRANSPORT:
		if (strcmp(arg, "usb") != 0 && strcmp(arg, "nfc") != 0)
			return -1;
		cfg->transport_nfc = strcmp(arg, "nfc") == 0;
		return 0;
	case OPT_MAX_CREDS:
		if (parse_long(arg, 1, 64, &v) != 0)
			return -1;
		cfg->max_creds = (uint64_t)v;
		return 0;
	case OPT_TOUCH:
		return parse_touch(cfg, arg);
	case OPT_TOUCH_TIMEOUT:
		return parse_long(arg, 0, 3600000, &cfg->touch_timeout_ms);
	case OPT_LATENCY:
		return parse_long(arg, 0, 60000, &cfg->latency_ms);
	case OPT_PIN_PROTOCOLS:
		return parse_protocols(cfg, arg);
	case OPT_RESET_WINDOW:
		return parse_long(arg, 0, 86400, &cfg->reset_window_s);
	case OPT_UV_NOT_REQUIRED:
		cfg->uv_not_required = 1;
		return 0;
	case OPT_EVIL:
		return parse_evil(cfg, arg);
	case OPT_EVIL_ON:
		return parse_evil_on(cfg, arg);
	case OPT_RESIDENT:
		if (parse_long(arg, 0, VK_RK_MAX, &v) != 0)
			return -1;
		cfg->resident = (size_t)v;
		return 0;
	case OPT_ATTEST_CA:
		if (strchr(arg, ',') == NULL)
			return -1;
		cfg->attest_ca = arg;
		return 0;
	case OPT_ATTEST_SELF:
		cfg->attest_self = 1;
		return 0;
	case OPT_COUNTER:
		if (strcmp(arg, "count") != 0 && strcmp(arg, "zero") != 0)
			return -1;
		cfg->counter_zero = strcmp(arg, "zero") == 0;
		return 0;
	case OPT_AAGUID:
		return vk_aaguid_parse(arg);
	default:
		return -1;
	}
}

static int
parse_args(struct vk_config *cfg, int argc, char **argv)
{
	int ch;

	cfg->max_creds = 8;
	cfg->touch_mode = VK_TOUCH_NOW;
	cfg->touch_timeout_ms = 30000;
	cfg->protocols[0] = 2;
	cfg->protocols[1] = 1;
	cfg->nprotocols = 2;
	cfg->reset_window_s = 10;
	cfg->evil_on = VK_EVIL_ON_ASSERT;
	while ((ch = getopt_long(argc, argv, "", long_options, NULL)) != -1) {
		if (ch == OPT_HELP) {
			usage();
			exit(0);
		}
		if (parse_option(cfg, ch, optarg) != 0) {
			if (ch != '?')
				vk_warnx("invalid argument for --%s: %s",
				    long_options[ch - OPT_SOCKET].name, optarg);
			return -1;
		}
	}
	if (optind != argc || cfg->socket_path == NULL ||
	    cfg->state_path == NULL ||
	    (cfg->attest_ca != NULL && cfg->attest_self))
		return -1;
	return 0;
}

static void
on_signal(int sig)
{
	(void)sig;
	vk_stop = 1;
}

/* SIGTERM and SIGINT stay blocked except while polling (ppoll). */
static int
signals_setup(void)
{
	struct sigaction	sa;
	sigset_t		mask;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	if (sigprocmask(SIG_BLOCK, &mask, NULL) != 0 ||
	    sigaction(SIGTERM, &sa, NULL) != 0 ||
	    sigaction(SIGINT, &sa, NULL) != 0)
		return -1;
	sa.sa_handler = SIG_IGN;
	return sigaction(SIGPIPE, &sa, NULL);
}

int
main(int argc, char **argv)
{
	struct vk	vk;
	int		r = 1;

	memset(&vk, 0, sizeof(vk));
	vk.log_fd = -1;
	if (parse_args(&vk.cfg, argc, argv) != 0) {
		usage();
		return 2;
	}
	vk.boot_ms = vk_now_ms();
	if (signals_setup() != 0 || vk_log_open(&vk) != 0 ||
	    vk_state_load(&vk) != 0 || (vk.cfg.attest_ca != NULL &&
	    vk_cert_issue(vk.cfg.attest_ca, vk.st.att_key, &vk.attest) != 0) ||
	    vk_pin_init(&vk) != 0 ||
	    vk_hid_new(&vk) != 0 || vk_hid_listen(&vk) != 0)
		goto fail;
	vk_hid_run(&vk);
	if (!vk.unplugged)
		(void)unlink(vk.cfg.socket_path);
	r = 0;
fail:
	vk_hid_free(&vk);
	vk_pin_clear(&vk);
	vk_state_clear(&vk);
	vk_attest_clear(&vk.attest);
	vk_log_close(&vk);
	return r;
}
