/*
 * syslog_hook.h: where the syslog lines of a fuzz program go (see
 * syslog_hook.c); NULL drops them.
 */
#ifndef SECKEY_FUZZ_SYSLOG_HOOK_H
#define SECKEY_FUZZ_SYSLOG_HOOK_H

extern void (*syslog_hook)(int priority, const char *line);

#endif /* SECKEY_FUZZ_SYSLOG_HOOK_H */
