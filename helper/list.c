/*
 * list.c: "seckey list [--json]".
 *
 * The table is for people; the JSON form is for programs and stays
 * stable: seckey(1) documents every member, and a change that breaks a
 * reader gets a new "version".
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helper.h"
#include "seckey_base64.h"
#include "seckey_counter.h"
#include "seckey_model.h"
#include "seckey_text.h"
#include "seckey_time.h"

#define JSON_VERSION	1

/*
 * A JSON string.  Names are checked when the list is read, but a user
 * name or path may hold anything: every string goes through the one
 * escaping function, in its JSON form, so the output stays valid JSON
 * and shows no control or bidi character raw.
 */
static void
json_string(const char *s)
{
	char *safe;
	size_t size = SECKEY_TEXT_SAFE_SIZE(strlen(s));

	if ((safe = malloc(size)) == NULL) {
		fputs("null", stdout);
		return;
	}
	printf("\"%s\"", seckey_text_safe(s, safe, size, SECKEY_TEXT_JSON));
	free(safe);
}

static void
json_member(const char *indent, const char *name, const char *value,
    bool last)
{
	printf("%s\"%s\": ", indent, name);
	if (value != NULL)
		json_string(value);
	else
		fputs("null", stdout);
	fputs(last ? "\n" : ",\n", stdout);
}

/* What the signature counter record of a key says, for the listing. */
struct key_use {
	char	last_use[SECKEY_TIME_LEN];	/* a time, "never", "unknown" */
	bool	marked;
};

/*
 * From the record kept at sign-in (seckey_counter.h): none is "never"
 * (not used here since records are kept), one this user may not read,
 * or that is unsafe, "unknown".
 */
static void
key_use_of(const struct helper_ctx *ctx, const struct seckey_key *key,
    struct key_use *use)
{
	struct seckey_counter_record rec;
	struct seckey_diag ignored;
	int r;

	use->marked = false;
	r = seckey_counter_read(ctx->policy->state_dir, ctx->policy->rp_id,
	    key, &rec, &ignored);
	if (r == SECKEY_ERR_NOENT || (r == SECKEY_OK && rec.last_use == 0))
		snprintf(use->last_use, sizeof(use->last_use), "never");
	else if (r != SECKEY_OK || seckey_time_format((time_t)rec.last_use,
	    use->last_use) != SECKEY_OK)
		snprintf(use->last_use, sizeof(use->last_use), "unknown");
	if (r == SECKEY_OK)
		use->marked = rec.marked != 0;
}

static int
json_key(const struct helper_ctx *ctx, const struct seckey_key *key, bool last)
{
	char aaguid[SECKEY_AAGUID_TEXT_LEN], created[SECKEY_TIME_LEN];
	struct key_use use;
	char *cred = NULL;
	int r;

	if ((r = seckey_base64_encode(key->cred_id, key->cred_id_len,
	    &cred)) != SECKEY_OK ||
	    (r = seckey_time_format(key->created, created)) != SECKEY_OK) {
		free(cred);
		return helper_refuse("cannot print the key list: %s",
		    seckey_strerror(r));
	}
	seckey_aaguid_format(&key->aaguid, aaguid);
	key_use_of(ctx, key, &use);
	fputs("    {\n", stdout);
	json_member("      ", "name", key->name, false);
	json_member("      ", "model", seckey_model_name(&key->aaguid), false);
	json_member("      ", "aaguid", aaguid, false);
	json_member("      ", "transport",
	    seckey_transport_name(key->transport), false);
	json_member("      ", "algorithm", seckey_alg_name(key->alg), false);
	json_member("      ", "created", created, false);
	json_member("      ", "last_use", use.last_use, false);
	printf("      \"marked\": %s,\n", use.marked ? "true" : "false");
	json_member("      ", "credential", cred, true);
	fputs(last ? "    }\n" : "    },\n", stdout);
	free(cred);

	return EXIT_DONE;
}

static int
print_json(const struct helper_ctx *ctx, const struct seckey_keylist *list)
{
	size_t i;
	int status = EXIT_DONE;

	printf("{\n  \"version\": %d,\n", JSON_VERSION);
	json_member("  ", "user", ctx->user.name, false);
	json_member("  ", "keys_file", seckey_store_where(ctx->store), false);
	printf("  \"max_keys\": %u,\n  \"keys\": [", ctx->policy->max_keys);
	fputs(list->count > 0 ? "\n" : "", stdout);
	for (i = 0; i < list->count && status == EXIT_DONE; i++)
		status = json_key(ctx, list->keys[i], i + 1 == list->count);
	printf("%s]\n}\n", list->count > 0 ? "  " : "");

	return status;
}


static const char *
model_of(const struct seckey_key *key, char *buf)
{
	const char *name = seckey_model_name(&key->aaguid);

	if (name != NULL)
		return name;
	seckey_aaguid_format(&key->aaguid, buf);

	return buf;
}

static int
print_table(const struct helper_ctx *ctx, const struct seckey_keylist *list)
{
	char aaguid[SECKEY_AAGUID_TEXT_LEN], created[SECKEY_TIME_LEN];
	struct key_use use;
	size_t name_w = strlen("NAME"), model_w = strlen("MODEL"), i;

	for (i = 0; i < list->count; i++) {
		if (helper_cell_width(list->keys[i]->name) > name_w)
			name_w = helper_cell_width(list->keys[i]->name);
		if (helper_cell_width(model_of(list->keys[i], aaguid)) > model_w)
			model_w = helper_cell_width(model_of(list->keys[i], aaguid));
	}
	helper_cell("NAME", name_w);
	helper_cell("MODEL", model_w);
	printf("TRANSPORT  REGISTERED            LAST USE\n");
	for (i = 0; i < list->count; i++) {
		if (seckey_time_format(list->keys[i]->created,
		    created) != SECKEY_OK)
			snprintf(created, sizeof(created), "?");
		helper_cell(list->keys[i]->name, name_w);
		helper_cell(model_of(list->keys[i], aaguid), model_w);
		helper_cell(seckey_transport_name(list->keys[i]->transport),
		    strlen("TRANSPORT"));
		key_use_of(ctx, list->keys[i], &use);
		helper_cell(created, strlen("REGISTERED") + 10);
		printf("%s%s\n", strcmp(use.last_use, "unknown") == 0 ?
		    "unknown (not readable)" : use.last_use, use.marked ?
		    "  marked: suspected clone" : "");
	}

	return EXIT_DONE;
}

static int
parse(struct helper_ctx *ctx, int argc, char **argv, bool *json)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		HELPER_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	int c;

	while ((c = helper_getopt(ctx, argc, argv, longopts)) != -1) {
		if (c != 'j')
			return helper_help(ctx, c);
		*json = true;
	}
	if (optind != argc)
		return helper_usage_error(ctx, "unexpected argument \"%s\"",
		    argv[optind]);

	return EXIT_DONE;
}

int
cmd_list(struct helper_ctx *ctx, int argc, char **argv)
{
	struct seckey_keylist *list = NULL;
	bool json = false;
	int status;

	if ((status = parse(ctx, argc, argv, &json)) != EXIT_DONE)
		return status == HELPER_HELP_SHOWN ? EXIT_DONE : status;
	if ((status = helper_load(ctx, true)) != EXIT_DONE ||
	    (status = helper_list_read(ctx, SECKEY_MAX_KEYS,
	    &list)) != EXIT_DONE)
		goto out;
	if (json)
		status = print_json(ctx, list);
	else if (list->count == 0)
		helper_msg("%s has no security keys registered",
		    ctx->user.name);
	else
		status = print_table(ctx, list);
	if (list->count > ctx->policy->max_keys)
		helper_msg("%s has %zu keys but the policy allows %u: sign-in "
		    "refuses the whole list until %zu %s deleted",
		    ctx->user.name, list->count, ctx->policy->max_keys,
		    list->count - ctx->policy->max_keys,
		    list->count - ctx->policy->max_keys == 1 ? "key is" :
		    "keys are");
out:
	seckey_keylist_free(&list);

	return status;
}
