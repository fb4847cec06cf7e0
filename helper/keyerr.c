/*
 * keyerr.c: the one place that turns the key list's answers into what
 * seckey(1) says.  A command asks libseckey once (add, rename, remove,
 * look up, or a whole seckey_store_update()) and hands whatever code
 * comes back to helper_key_fail(): each code says exactly what
 * happened, so no command looks at the list first only to phrase its
 * refusal.
 */
#include <config.h>

#include <string.h>

#include "helper.h"

/*
 * The user's list as the store gives it (a user without one has an
 * empty list), or the store's diagnostic.
 */
int
helper_list_read(const struct helper_ctx *ctx, unsigned int max_keys,
    struct seckey_keylist **listp)
{
	struct seckey_diag diag;
	int r;

	seckey_diag_clear(&diag);
	r = seckey_store_read(ctx->store, max_keys, listp, &diag);
	/* A user's own bind (keys = "ldap"): the password's fate; a
	 * change that cannot start says that nothing was changed. */
	if (r == SECKEY_ERR_CANCELLED || r == SECKEY_ERR_BIND ||
	    (r != SECKEY_OK && strcmp(ctx->cmd, "list") != 0 &&
	    strcmp(ctx->cmd, "test") != 0))
		return helper_key_fail(ctx, r, NULL, NULL, &diag);
	if (r != SECKEY_OK)
		return helper_fail(r, &diag);
	if (seckey_store_warning(ctx->store) != NULL)
		helper_msg("warning: %s", seckey_store_warning(ctx->store));

	return EXIT_DONE;
}

static int
refuse_full(const struct helper_ctx *ctx)
{
	return helper_refuse("%s already has %zu security key%s registered, "
	    "the most the policy allows; delete one first (\"seckey delete "
	    "NAME\")", ctx->user.name, (size_t)ctx->policy->max_keys,
	    ctx->policy->max_keys == 1 ? "" : "s");
}

/* keys = "command": the list is changed where it lives. */
static int
refuse_readonly(const struct helper_ctx *ctx)
{
	return helper_refuse("the security keys of %s come from "
	    "keys_command (%s): seckey cannot change them; change them "
	    "where that command reads them", ctx->user.name,
	    seckey_store_where(ctx->store));
}

/*
 * keys = "ldap": what the directory said, and that nothing was written.
 * The reader has already said on stderr what the server answered.
 */
static int
refuse_directory(const struct helper_ctx *ctx, int err,
    const struct seckey_diag *diag)
{
	const char *name = ctx->user.name;
	const char *nothing = strcmp(ctx->cmd, "list") != 0 &&
	    strcmp(ctx->cmd, "test") != 0 ? "; nothing was changed" : "";

	if (err == SECKEY_ERR_BIND)
		return helper_refuse("the directory refused the password of "
		    "%s%s", name, nothing);
	if (err == SECKEY_ERR_CHANGED)
		return helper_refuse("the security keys of %s changed in the "
		    "directory meanwhile; nothing was written: try again",
		    name);
	if (err == SECKEY_ERR_DENIED)
		return helper_refuse("the directory refused to change the "
		    "security keys of %s (its access rules?); nothing was "
		    "changed", name);
	if (diag != NULL && diag->msg[0] != '\0' && diag->file[0] != '\0')
		return helper_refuse("the directory cannot be used (%s: %s)%s",
		    diag->file, diag->msg, nothing);

	return helper_refuse("the directory cannot be used (%s)%s",
	    diag != NULL && diag->msg[0] != '\0' ? diag->msg :
	    seckey_strerror(err), nothing);
}

static bool
directory_error(int err)
{
	return err == SECKEY_ERR_BIND || err == SECKEY_ERR_CHANGED ||
	    err == SECKEY_ERR_DENIED || err == SECKEY_ERR_UNAVAIL ||
	    err == SECKEY_ERR_TIMEOUT || err == SECKEY_ERR_CONFIG ||
	    err == SECKEY_ERR_REFUSED;
}

/*
 * name is the key the command looks for (SECKEY_ERR_NOTFOUND), new_name
 * the name it would give a key (SECKEY_ERR_DUP_NAME); either may be NULL
 * when the command has none.  Codes without a sentence of their own get
 * the library's diagnostic (helper_fail), and so does a code whose
 * diagnostic names a file: that one is about the list as it was read
 * (a name used twice in it, too many entries), not about the command's
 * request.
 */
int
helper_key_fail(const struct helper_ctx *ctx, int err, const char *name,
    const char *new_name, const struct seckey_diag *diag)
{
	bool reg = strcmp(ctx->cmd, "register") == 0;

	if (err == SECKEY_ERR_LOCKED)
		return helper_refuse("another seckey is changing %s; try again",
		    seckey_store_where(ctx->store));
	if (err == SECKEY_ERR_READONLY && diag != NULL && diag->msg[0] != '\0' &&
	    strcmp(seckey_store_kind(ctx->store), "ldap") == 0)
		return helper_fail(err, diag);
	if (err == SECKEY_ERR_READONLY)
		return refuse_readonly(ctx);
	/* The secret callback has said why already. */
	if (err == SECKEY_ERR_CANCELLED && (diag == NULL || diag->msg[0] == '\0'))
		return EXIT_REFUSED;
	if (directory_error(err) &&
	    strcmp(seckey_store_kind(ctx->store), "ldap") == 0)
		return refuse_directory(ctx, err, diag);
	if (diag != NULL && diag->file[0] != '\0')
		return helper_fail(err, diag);
	if (err == SECKEY_ERR_NOTFOUND && name != NULL)
		return helper_refuse("%s has no key named \"%s\" (see \"seckey "
		    "list\")", ctx->user.name, name);
	if (err == SECKEY_ERR_DUP_NAME && new_name != NULL)
		return helper_refuse("a key named \"%s\" is already "
		    "registered%s", new_name,
		    reg ? "; choose another name with --name" : "");
	if (err == SECKEY_ERR_DUP_CRED)
		return helper_refuse("this security key was registered by "
		    "another seckey in the meantime");
	if (err == SECKEY_ERR_TOOMANY && ctx->policy != NULL)
		return refuse_full(ctx);

	return helper_fail(err, diag);
}

/*
 * A command that changes the list asks first, so that a store it cannot
 * write (keys = "command" or "ldap") is refused before a key is touched
 * or a PIN typed.
 */
int
helper_store_writable(const struct helper_ctx *ctx)
{
	struct seckey_diag diag;
	int r;

	if (!seckey_store_writable(ctx->store))
		return helper_key_fail(ctx, SECKEY_ERR_READONLY, NULL, NULL,
		    NULL);
	seckey_diag_clear(&diag);
	if ((r = seckey_store_can_update(ctx->store, &diag)) != SECKEY_OK)
		return helper_key_fail(ctx, r, NULL, NULL, &diag);

	return EXIT_DONE;
}
