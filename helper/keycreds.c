/*
 * keycreds.c: "seckey key-credentials list|delete [--device PATH]".
 *
 * What a security key itself holds: its discoverable credentials, for
 * this machine and every site, through CTAP 2.1 credential management
 * after the PIN.  A credential is shown by the start of its id in
 * base64, which "delete" takes back (any unambiguous start of at least
 * SHORT_MIN characters).  The user's own key list says which of them
 * are registered here; deleting one of those makes the entry useless, so
 * the user is told to remove it from the account too.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helper.h"
#include "seckey_assert.h"
#include "seckey_base64.h"
#include "seckey_credman.h"
#include "seckey_text.h"

#define SHORT_ID	12	/* base64 characters of an id in the table */
#define SHORT_MIN	8	/* the fewest "delete" takes */

/* One credential as the table shows it. */
struct row {
	const struct seckey_kcred	*kc;
	char				*id_b64;	/* the whole id */
	const char			*registered;	/* key name or NULL */
};

struct rows {
	struct seckey_kcred_list	*creds;
	struct seckey_keylist		*keys;		/* the user's, or NULL */
	struct row			*row;
	size_t				 count;
};

static void
rows_free(struct rows *rows)
{
	for (size_t i = 0; rows->row != NULL && i < rows->count; i++)
		free(rows->row[i].id_b64);
	free(rows->row);
	seckey_kcred_list_free(&rows->creds);
	seckey_keylist_free(&rows->keys);
	memset(rows, 0, sizeof(*rows));
}

/*
 * The user's key list, to tell which credentials are registered here.
 * Best effort: someone without a readable list may still manage a key.
 */
static struct seckey_keylist *
user_keys(struct helper_ctx *ctx)
{
	struct seckey_keylist *list = NULL;
	struct seckey_diag ignored;

	if (ctx->store == NULL && seckey_store_open(ctx->policy, &ctx->owner,
	    &ctx->store, &ignored) != SECKEY_OK)
		return NULL;
	if (seckey_store_read(ctx->store, SECKEY_MAX_KEYS, &list,
	    &ignored) != SECKEY_OK)
		return NULL;
	return list;
}

static const char *
registered_as(const struct seckey_keylist *keys, const struct seckey_kcred *kc)
{
	for (size_t i = 0; keys != NULL && i < keys->count; i++)
		if (keys->keys[i]->cred_id_len == kc->cred_id_len &&
		    memcmp(keys->keys[i]->cred_id, kc->cred_id,
		    kc->cred_id_len) == 0)
			return keys->keys[i]->name;
	return NULL;
}

/* Is the key ready for credential management, with a PIN to ask for? */
static int
check_key(struct seckey_device *dev)
{
	if (!seckey_device_has_credman(dev))
		return helper_refuse("the security key at %s cannot list or "
		    "delete the credentials it holds: it lacks CTAP 2.1 "
		    "credential management", seckey_device_path(dev));
	if (!seckey_device_has_pin(dev))
		return helper_device_fail(dev, SECKEY_ERR_PIN_NOT_SET, NULL);
	/* Asking for a PIN that cannot be checked would only confuse. */
	if (seckey_pin_retries(dev) == 0)
		return helper_device_fail(dev, SECKEY_ERR_PIN_BLOCKED, NULL);
	return EXIT_DONE;
}

/* The credentials on dev, after the PIN, with what the table needs. */
static int
read_rows(struct helper_ctx *ctx, struct seckey_device *dev,
    struct seckey_pin *pin, struct rows *rows)
{
	struct seckey_diag diag;
	int r, status;

	memset(rows, 0, sizeof(*rows));
	if ((status = check_key(dev)) != EXIT_DONE ||
	    (status = helper_read_pin(ctx->policy->pin_prompt,
	    pin)) != EXIT_DONE)
		return status;
	seckey_diag_clear(&diag);
	if ((r = seckey_credman_list(dev, pin,
	    (int)ctx->policy->timeout * 1000, &rows->creds,
	    &diag)) != SECKEY_OK)
		return helper_device_fail(dev, r, &diag);
	rows->keys = user_keys(ctx);
	if (rows->creds->count > 0 && (rows->row = calloc(rows->creds->count,
	    sizeof(*rows->row))) == NULL)
		return helper_fail(SECKEY_ERR_NOMEM, NULL);
	for (; rows->count < rows->creds->count; rows->count++) {
		struct row *row = &rows->row[rows->count];

		row->kc = &rows->creds->creds[rows->count];
		row->registered = registered_as(rows->keys, row->kc);
		if ((r = seckey_base64_encode(row->kc->cred_id,
		    row->kc->cred_id_len, &row->id_b64)) != SECKEY_OK)
			return helper_fail(r, NULL);
	}
	return EXIT_DONE;
}


/* "name (display name)", or one of them, or "-". */
static void
user_text(const struct seckey_kcred *kc, char *buf, size_t size)
{
	const char *name = kc->user_name, *display = kc->display_name;

	if (name != NULL && name[0] == '\0')
		name = NULL;
	if (display != NULL && (display[0] == '\0' ||
	    (name != NULL && strcmp(name, display) == 0)))
		display = NULL;
	if (name != NULL && display != NULL)
		snprintf(buf, size, "%s (%s)", name, display);
	else
		snprintf(buf, size, "%s", name != NULL ? name :
		    display != NULL ? display : "-");
}

static void
short_id(const char *id_b64, char *buf)
{
	snprintf(buf, SHORT_ID + 1, "%s", id_b64);
}

static void
print_table(const struct rows *rows)
{
	char user[HELPER_CELL_MAX], id[SHORT_ID + 1];
	size_t rp_w = strlen("RELYING PARTY"), user_w = strlen("USER");

	for (size_t i = 0; i < rows->count; i++) {
		user_text(rows->row[i].kc, user, sizeof(user));
		if (helper_cell_width(rows->row[i].kc->rp_id) > rp_w)
			rp_w = helper_cell_width(rows->row[i].kc->rp_id);
		if (helper_cell_width(user) > user_w)
			user_w = helper_cell_width(user);
	}
	helper_cell("ID", SHORT_ID);
	helper_cell("RELYING PARTY", rp_w);
	helper_cell("USER", user_w);
	printf("REGISTERED AS\n");
	for (size_t i = 0; i < rows->count; i++) {
		short_id(rows->row[i].id_b64, id);
		user_text(rows->row[i].kc, user, sizeof(user));
		helper_cell(id, SHORT_ID);
		helper_cell(rows->row[i].kc->rp_id, rp_w);
		helper_cell(user, user_w);
		printf("%s\n", helper_cell_text(rows->row[i].registered,
		    user));
	}
}

static int
keycreds_list(struct helper_ctx *ctx, struct seckey_device *dev)
{
	struct seckey_pin pin;
	struct rows rows;
	int status;

	memset(&pin, 0, sizeof(pin));
	status = read_rows(ctx, dev, &pin, &rows);
	seckey_pin_wipe(&pin);
	if (status == EXIT_DONE && rows.count == 0)
		helper_msg("the security key at %s holds no discoverable "
		    "credentials", seckey_device_path(dev));
	else if (status == EXIT_DONE)
		print_table(&rows);
	rows_free(&rows);

	return status;
}

/* The one row whose id starts with id_arg. */
static int
find_row(const struct rows *rows, const char *id_arg, const struct row **rowp)
{
	size_t len = strlen(id_arg), matches = 0;

	*rowp = NULL;
	for (size_t i = 0; i < rows->count; i++)
		if (strncmp(rows->row[i].id_b64, id_arg, len) == 0) {
			*rowp = &rows->row[i];
			matches++;
		}
	if (matches == 0)
		return helper_refuse("the security key holds no credential "
		    "with the ID \"%s\"; see \"seckey key-credentials list\"",
		    id_arg);
	if (matches > 1)
		return helper_refuse("%zu credentials have an ID starting "
		    "with \"%s\"; give more of it", matches, id_arg);
	return EXIT_DONE;
}

static int
confirm(const struct seckey_device *dev, const struct row *row, bool yes)
{
	char rp[HELPER_CELL_MAX], user[HELPER_CELL_MAX], user_safe[HELPER_CELL_MAX];

	user_text(row->kc, user, sizeof(user));
	helper_msg("deleting the credential of %s for %s from the security "
	    "key at %s; it cannot be undone",
	    helper_cell_text(user, user_safe),
	    helper_cell_text(row->kc->rp_id, rp), seckey_device_path(dev));
	if (yes)
		return EXIT_DONE;
	if (!helper_on_terminal())
		return helper_refuse("deleting a credential must be confirmed: "
		    "run \"seckey key-credentials delete\" on a terminal, or "
		    "add --yes");
	if (!helper_confirm("Type \"yes\" to delete it: ", "yes"))
		return helper_refuse("nothing was deleted");
	return EXIT_DONE;
}

static int
keycreds_delete(struct helper_ctx *ctx, struct seckey_device *dev,
    const char *id_arg, bool yes)
{
	struct seckey_pin pin;
	struct seckey_diag diag;
	struct rows rows;
	const struct row *row = NULL;
	char name[HELPER_CELL_MAX];
	int r, status;

	memset(&pin, 0, sizeof(pin));
	if ((status = read_rows(ctx, dev, &pin, &rows)) != EXIT_DONE ||
	    (status = find_row(&rows, id_arg, &row)) != EXIT_DONE ||
	    (status = confirm(dev, row, yes)) != EXIT_DONE)
		goto out;
	seckey_diag_clear(&diag);
	r = seckey_credman_delete(dev, &pin, row->kc->cred_id,
	    row->kc->cred_id_len, (int)ctx->policy->timeout * 1000, &diag);
	if (r == SECKEY_ERR_NO_CREDENTIAL)
		status = helper_refuse("the security key no longer holds that "
		    "credential");
	else if (r != SECKEY_OK)
		status = helper_device_fail(dev, r, &diag);
	else if (row->registered != NULL)
		helper_msg("credential deleted; it was registered as \"%s\", "
		    "which can no longer sign in: remove it from the account "
		    "too with \"seckey delete '%s'\"",
		    helper_cell_text(row->registered, name), name);
	else
		helper_msg("credential deleted");
out:
	seckey_pin_wipe(&pin);
	rows_free(&rows);

	return status;
}

/* An ID as the table prints it: base64, at least SHORT_MIN characters. */
static bool
id_arg_ok(const char *id)
{
	size_t len = strlen(id);

	return len >= SHORT_MIN && len == strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/=");
}

int
cmd_keycreds(struct helper_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "device", required_argument, NULL, 'd' },
		{ "yes", no_argument, NULL, 'y' },
		HELPER_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	struct seckey_device *dev = NULL;
	const char *device = NULL, *id_arg = NULL;
	bool del, yes = false;
	int c, status;

	if (argc < 2 || argv[1][0] == '-') {
		if (argc >= 2 && (strcmp(argv[1], "--help") == 0 ||
		    strcmp(argv[1], "-h") == 0))
			return helper_help(ctx, HELPER_GETOPT_HELP) ==
			    HELPER_HELP_SHOWN ? EXIT_DONE : EXIT_USAGE;
		return helper_usage_error(ctx, "say \"key-credentials list\" "
		    "or \"key-credentials delete ID\"");
	}
	if (strcmp(argv[1], "list") != 0 && strcmp(argv[1], "delete") != 0)
		return helper_usage_error(ctx, "unknown key-credentials command "
		    "\"%s\"; say \"list\" or \"delete ID\"", argv[1]);
	del = strcmp(argv[1], "delete") == 0;
	ctx->cmd = del ? "key-credentials delete" : "key-credentials list";
	while ((c = helper_getopt(ctx, argc - 1, argv + 1, longopts)) != -1) {
		if (c == 'd')
			device = optarg;
		else if (c == 'y' && del)
			yes = true;
		else if (c == 'y')
			return helper_usage_error(ctx, "--yes is for "
			    "\"key-credentials delete\" only");
		else
			return helper_help(ctx, c) == HELPER_HELP_SHOWN ?
			    EXIT_DONE : EXIT_USAGE;
	}
	if (del && optind < argc - 1)
		id_arg = argv[1 + optind++];
	if (optind != argc - 1)
		return helper_usage_error(ctx, "unexpected argument \"%s\"",
		    argv[optind + 1]);
	if (del && id_arg == NULL)
		return helper_usage_error(ctx, "say which credential: "
		    "\"key-credentials delete ID\", the ID as \"seckey "
		    "key-credentials list\" prints it");
	if (del && !id_arg_ok(id_arg))
		return helper_usage_error(ctx, "\"%s\" is not an ID as \"seckey "
		    "key-credentials list\" prints it (at least %d characters "
		    "of base64)", id_arg, SHORT_MIN);
	if ((status = helper_load(ctx, false)) != EXIT_DONE ||
	    (status = helper_device_pick(ctx, device, &dev)) != EXIT_DONE)
		return status;
	status = del ? keycreds_delete(ctx, dev, id_arg, yes) :
	    keycreds_list(ctx, dev);
	seckey_device_free(&dev);

	return status;
}
