/*
 * user.c: whose keys a command manages.  Ordinary users manage their
 * own; root may name another user with --user, whose key list is then
 * read and written with that user's file system identity inside their
 * home (libseckey's file layer does that given the account).  Nothing
 * else about the process changes.
 */
#include <config.h>

#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helper.h"
#include "seckey_text.h"

void
helper_user_free(struct helper_user *user)
{
	free(user->name);
	free(user->home);
	memset(user, 0, sizeof(*user));
}

static int
copy_user(struct helper_ctx *ctx, const struct passwd *pw)
{
	struct helper_user *user = &ctx->user;

	if ((user->name = strdup(pw->pw_name)) == NULL ||
	    (pw->pw_dir != NULL && pw->pw_dir[0] != '\0' &&
	    (user->home = strdup(pw->pw_dir)) == NULL)) {
		helper_user_free(user);
		return helper_refuse("out of memory");
	}
	user->uid = pw->pw_uid;
	user->gid = pw->pw_gid;
	ctx->owner.name = user->name;
	ctx->owner.uid = user->uid;
	ctx->owner.gid = user->gid;
	ctx->owner.home = user->home;

	return EXIT_DONE;
}

int
helper_user_resolve(struct helper_ctx *ctx)
{
	const struct passwd *pw;
	uid_t uid = getuid();

	errno = 0;
	if ((pw = getpwuid(uid)) == NULL)
		return helper_refuse("user id %lu is not in the user database",
		    (unsigned long)uid);
	if (ctx->user_arg == NULL || strcmp(ctx->user_arg, pw->pw_name) == 0)
		return copy_user(ctx, pw);

	/* Checked before the name is looked up, so that an ordinary user
	 * cannot use seckey to learn which accounts exist. */
	if (uid != 0)
		return helper_refuse("only root may manage the keys of another "
		    "user (--user)");
	errno = 0;
	if ((pw = getpwnam(ctx->user_arg)) == NULL)
		return helper_refuse("no such user: %s",
		    seckey_text_printable(ctx->user_arg, NULL) ?
		    ctx->user_arg : "(unprintable name)");

	return copy_user(ctx, pw);
}
