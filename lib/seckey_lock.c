/*
 * seckey_lock.c: the parser lock.
 *
 * libseckey keeps no global state, with this one exception: a PAM
 * module runs inside hosts that may call pam_authenticate() from many
 * threads at once (display managers, servers that check passwords), and
 * libconfuse, which reads the policy and the key lists, keeps its
 * scanner's state in globals.  Only a lock that every thread of the
 * process shares can serialise that, so it is a static mutex here.
 * It is held only while a file already in memory is parsed (no I/O, no
 * conversation), so a thread never waits long.  Another user of
 * libconfuse in the same process does not take it: a host that parses
 * libconfuse files itself on other threads must serialise them with PAM.
 */
#include <config.h>

#include <pthread.h>

#include "seckey_error.h"
#include "seckey_lock.h"

static pthread_mutex_t parser_mutex = PTHREAD_MUTEX_INITIALIZER;

int
seckey_parser_lock(void)
{
	if (pthread_mutex_lock(&parser_mutex) != 0)
		return SECKEY_ERR_INTERNAL;
	return SECKEY_OK;
}

void
seckey_parser_unlock(void)
{
	/* Fails only if this thread does not hold it: nothing to undo. */
	(void)pthread_mutex_unlock(&parser_mutex);
}
