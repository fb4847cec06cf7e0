/*
 * seckey_priv.c: temporarily take a user's file system identity.
 *
 * Linux keeps credentials per thread.  setfsuid/setfsgid and getgroups
 * are plain system calls in glibc and act on the calling thread only,
 * but glibc's setgroups() (like setuid and friends) signals every other
 * thread of the process to make the same change, POSIX-style: in a
 * threaded PAM host another thread would run with the user's groups
 * for a moment.  So the groups are changed with the raw system call,
 * which changes the calling thread's only.  Nothing else process-wide
 * changes here.
 */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "seckey_priv.h"

/* setfsuid(-1) changes nothing and returns the current value. */
static uid_t
current_fsuid(void)
{
	return (uid_t)setfsuid((uid_t)-1);
}

static gid_t
current_fsgid(void)
{
	return (gid_t)setfsgid((gid_t)-1);
}

/*
 * setgroups(2) of the calling thread only.  Where the kernel has both,
 * setgroups32 takes 32-bit ids and the old call 16-bit ones (32-bit
 * x86, ARM); glibc's gid_t is 32 bits, so the 32-bit call is the one.
 */
static int
thread_setgroups(size_t n, const gid_t *groups)
{
#ifdef SYS_setgroups32
	return (int)syscall(SYS_setgroups32, n, groups);
#else
	return (int)syscall(SYS_setgroups, n, groups);
#endif
}

static int
save_groups(struct seckey_priv *saved, struct seckey_diag *diag)
{
	int n;

	if ((n = getgroups(0, NULL)) < 0)
		goto fail;
	if (n > 0) {
		if ((saved->old_groups = calloc((size_t)n,
		    sizeof(gid_t))) == NULL) {
			seckey_diag_set(diag, NULL, 0, "out of memory");
			return SECKEY_ERR_NOMEM;
		}
		if (getgroups(n, saved->old_groups) != n)
			goto fail;
	}
	saved->old_ngroups = n;

	return SECKEY_OK;
fail:
	seckey_diag_set(diag, NULL, 0, "cannot read supplementary groups: %s",
	    strerror(errno));
	return SECKEY_ERR_PERM;
}

int
seckey_priv_drop(uid_t uid, gid_t gid, struct seckey_priv *saved,
    struct seckey_diag *diag)
{
	int r;

	if (saved == NULL)
		return SECKEY_ERR_INVAL;
	memset(saved, 0, sizeof(*saved));
	if (geteuid() != 0)
		return SECKEY_OK;

	if ((r = save_groups(saved, diag)) != SECKEY_OK)
		goto fail;
	saved->old_fsuid = current_fsuid();
	saved->old_fsgid = current_fsgid();
	saved->active = true;

	/* Groups and gid first: changing them needs root's rights. */
	r = SECKEY_ERR_PERM;
	if (thread_setgroups(1, &gid) != 0) {
		seckey_diag_set(diag, NULL, 0, "setgroups: %s",
		    strerror(errno));
		goto fail;
	}
	setfsgid(gid);
	setfsuid(uid);
	if (current_fsgid() != gid || current_fsuid() != uid) {
		seckey_diag_set(diag, NULL, 0,
		    "cannot switch to uid %lu gid %lu", (unsigned long)uid,
		    (unsigned long)gid);
		goto fail;
	}

	return SECKEY_OK;
fail:
	seckey_priv_restore(saved, NULL);
	return r;
}

int
seckey_priv_restore(struct seckey_priv *saved, struct seckey_diag *diag)
{
	int r = SECKEY_ERR_PERM;

	if (saved == NULL)
		return SECKEY_ERR_INVAL;
	if (!saved->active) {
		r = SECKEY_OK;
		goto out;
	}

	/* Back to root's file system identity first, then its groups. */
	setfsuid(saved->old_fsuid);
	setfsgid(saved->old_fsgid);
	if (current_fsuid() != saved->old_fsuid ||
	    current_fsgid() != saved->old_fsgid) {
		seckey_diag_set(diag, NULL, 0, "cannot restore uid and gid");
		goto out;
	}
	if (thread_setgroups((size_t)saved->old_ngroups,
	    saved->old_groups) != 0) {
		seckey_diag_set(diag, NULL, 0, "cannot restore groups: %s",
		    strerror(errno));
		goto out;
	}
	r = SECKEY_OK;
out:
	free(saved->old_groups);
	memset(saved, 0, sizeof(*saved));

	return r;
}
