/*
 * devices.c: "seckey devices": the keys plugged in, what they are and
 * the state of their PIN, without asking for anything.  A model is
 * named by the metadata of "seckey mds import" when it lists the key's
 * AAGUID, else by the short table of seckey_model.c, else by what the
 * device calls itself.
 */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "helper.h"
#include "seckey_devinfo.h"
#include "seckey_mds.h"
#include "seckey_model.h"
#include "seckey_text.h"

/* Room for a device's name or path once escaped. */
#define SHOWN_MAX	SECKEY_TEXT_SAFE_SIZE(256)

/*
 * A device names itself, and any USB device can say anything: its
 * name is escaped like every untrusted text (buf: SHOWN_MAX bytes).
 */
static const char *
model_of(const struct seckey_devinfo *item, const struct seckey_mds *mds,
    char *buf)
{
	const struct seckey_mds_entry *entry = NULL;
	const char *name = NULL;

	if (item->facts.has_aaguid)
		entry = seckey_mds_find(mds, &item->facts.aaguid);
	if (entry != NULL && entry->description[0] != '\0')
		name = entry->description;
	if (name == NULL && item->facts.has_aaguid)
		name = seckey_model_name(&item->facts.aaguid);
	if (name == NULL && item->product != NULL &&
	    item->product[0] != '\0')
		name = item->product;

	return seckey_text_safe(name != NULL ? name : "unknown", buf,
	    SHOWN_MAX, SECKEY_TEXT_LOG);
}

static const char *
path_of(const struct seckey_devinfo *item, char *buf)
{
	return seckey_text_safe(item->path, buf, SHOWN_MAX, SECKEY_TEXT_LOG);
}

static void
row(const char *path, size_t path_w, const char *transport,
    const char *model, size_t model_w, const char *pin, const char *retries)
{
	printf("%-*s  %-9s  %-*s  %-3s  %s\n", (int)path_w, path, transport,
	    (int)model_w, model, pin, retries);
}

static void
print_item(const struct seckey_devinfo *item, const struct seckey_mds *mds,
    size_t path_w, size_t model_w)
{
	char retries[16], model[SHOWN_MAX], path[SHOWN_MAX];
	const char *pin = "-";

	snprintf(retries, sizeof(retries), "-");
	if (item->open_error != 0)
		pin = "?";
	else if (item->fido2 && item->has_pin)
		pin = "yes";
	else if (item->fido2)
		pin = "no";
	if (item->pin_retries >= 0)
		snprintf(retries, sizeof(retries), "%d", item->pin_retries);
	row(path_of(item, path), path_w,
	    seckey_transport_name(item->transport),
	    item->open_error != 0 ? "(does not answer)" : item->fido2 ?
	    model_of(item, mds, model) : "(U2F only)", model_w, pin,
	    retries);
}

static int
print_devices(const struct seckey_devinfo_list *list,
    const struct seckey_mds *mds)
{
	size_t path_w = strlen("PATH"), model_w = strlen("(does not answer)");
	char buf[SHOWN_MAX];
	size_t i;

	for (i = 0; i < list->count; i++) {
		if (strlen(path_of(&list->items[i], buf)) > path_w)
			path_w = strlen(buf);
		if (strlen(model_of(&list->items[i], mds, buf)) > model_w)
			model_w = strlen(buf);
	}
	row("PATH", path_w, "TRANSPORT", "MODEL", model_w, "PIN", "RETRIES");
	for (i = 0; i < list->count; i++)
		print_item(&list->items[i], mds, path_w, model_w);

	return EXIT_DONE;
}

/* The metadata only names models here: without it, say why and go on. */
static void
load_names(const struct helper_ctx *ctx, struct seckey_mds **mdsp)
{
	struct seckey_diag diag;
	int r;

	seckey_diag_clear(&diag);
	r = seckey_mds_load(ctx->policy->state_dir, mdsp, &diag);
	if (r != SECKEY_OK && r != SECKEY_ERR_NOENT)
		helper_msg("warning: the metadata is not used: %s%s%s",
		    diag.file, diag.file[0] != '\0' ? ": " : "",
		    diag.msg[0] != '\0' ? diag.msg : seckey_strerror(r));
}

int
cmd_devices(struct helper_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		HELPER_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	struct seckey_devinfo_list *list = NULL;
	struct seckey_mds *mds = NULL;
	struct seckey_diag diag;
	int c, r, status;

	if ((c = helper_getopt(ctx, argc, argv, longopts)) != -1)
		return helper_help(ctx, c) == HELPER_HELP_SHOWN ? EXIT_DONE :
		    EXIT_USAGE;
	if (optind != argc)
		return helper_usage_error(ctx, "unexpected argument \"%s\"",
		    argv[optind]);
	if ((status = helper_load(ctx, false)) != EXIT_DONE)
		return status;
	load_names(ctx, &mds);
	seckey_diag_clear(&diag);
	if ((r = seckey_devinfo_list(&list, &diag)) != SECKEY_OK) {
		seckey_mds_free(&mds);
		return helper_fail(r, &diag);
	}
	if (list->count == 0)
		helper_msg("no security key is plugged in");
	else
		status = print_devices(list, mds);
	seckey_devinfo_list_free(&list);
	seckey_mds_free(&mds);

	return status;
}
