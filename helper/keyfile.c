/*
 * keyfile.c: reading the user's key list, and changing it under the
 * lock: lock the folder, read the list as it is now, change it, write
 * it atomically (see seckey_file.h), unlock.  Reading again under the
 * lock is what lets two seckey processes change one list at once
 * without losing either change.
 */
#include <config.h>

#include "helper.h"
#include "seckey_time.h"

/* A writer holds the lock for milliseconds: wait this long for it. */
#define LOCK_TRIES	50
#define LOCK_WAIT_MS	100

/* A missing list is an empty one: the user has registered no key. */
int
helper_list_read(struct helper_ctx *ctx, unsigned int max_keys,
    struct seckey_keylist **listp)
{
	struct seckey_diag diag;
	int r;

	seckey_diag_clear(&diag);
	r = seckey_keylist_read(ctx->keys_path, &ctx->owner, max_keys, listp,
	    &diag);
	if (r == SECKEY_ERR_NOENT && (*listp = seckey_keylist_new()) != NULL)
		return EXIT_DONE;
	if (r == SECKEY_ERR_NOENT)
		return helper_refuse("out of memory");
	if (r != SECKEY_OK)
		return helper_fail(r, &diag);

	return EXIT_DONE;
}

static int
lock_list(struct helper_ctx *ctx, int flags, struct seckey_lock **lockp)
{
	struct seckey_diag diag;
	int r, tries;

	for (tries = 0;; tries++) {
		seckey_diag_clear(&diag);
		r = seckey_file_lock(ctx->keys_path, &ctx->owner, flags, lockp,
		    &diag);
		if (r != SECKEY_ERR_LOCKED || tries + 1 >= LOCK_TRIES)
			break;
		seckey_sleep_ms(LOCK_WAIT_MS);
	}
	if (r == SECKEY_ERR_LOCKED)
		return helper_refuse("another seckey is changing %s; try again",
		    ctx->keys_path);
	if (r != SECKEY_OK)
		return helper_fail(r, &diag);

	return EXIT_DONE;
}

/*
 * The list is read with the hard ceiling, not the policy's max_keys:
 * a user over a lowered limit must still be able to delete keys.
 */
int
helper_list_update(struct helper_ctx *ctx, int flags, helper_edit_fn edit,
    void *arg)
{
	struct seckey_keylist *list = NULL;
	struct seckey_lock *lock = NULL;
	struct seckey_diag diag;
	int r, status;

	if ((status = lock_list(ctx, flags, &lock)) != EXIT_DONE ||
	    (status = helper_list_read(ctx, SECKEY_MAX_KEYS,
	    &list)) != EXIT_DONE ||
	    (status = edit(ctx, list, arg)) != EXIT_DONE)
		goto out;
	seckey_diag_clear(&diag);
	if ((r = seckey_keylist_write(lock, list, ctx->user.name,
	    &diag)) != SECKEY_OK)
		status = helper_fail(r, &diag);
out:
	seckey_keylist_free(&list);
	seckey_file_unlock(&lock);

	return status;
}
