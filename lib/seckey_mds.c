/*
 * seckey_mds.c: the payload of a FIDO MDS3 BLOB, and the store's lines
 * (seckey_mds.h).
 *
 * A model's status: the FIDO metadata keeps every status report of a
 * model.  A compromise or a revocation is for good (keys made before a
 * fix stay compromised), so any such report decides; otherwise the
 * report with the latest effectiveDate does.
 */
#include <config.h>

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seckey_json.h"
#include "seckey_mds.h"
#include "seckey_x509.h"

static const char *const refused_statuses[] = {
	"REVOKED",
	"ATTESTATION_KEY_COMPROMISE",
	"USER_VERIFICATION_BYPASS",
	"USER_KEY_REMOTE_COMPROMISE",
	"USER_KEY_PHYSICAL_COMPROMISE",
};

bool
seckey_mds_status_refused(const char *status)
{
	size_t i;

	for (i = 0; status != NULL &&
	    i < sizeof(refused_statuses) / sizeof(refused_statuses[0]); i++)
		if (strcmp(status, refused_statuses[i]) == 0)
			return true;

	return false;
}

static void
entry_clear(struct seckey_mds_entry *e)
{
	size_t i;

	for (i = 0; i < e->nroots; i++)
		free(e->roots[i]);
	free(e->roots);
	free(e->description);
	memset(e, 0, sizeof(*e));
}

void
seckey_mds_free(struct seckey_mds **mdsp)
{
	struct seckey_mds *mds;
	size_t i;

	if (mdsp == NULL || (mds = *mdsp) == NULL)
		return;
	for (i = 0; i < mds->count; i++)
		entry_clear(&mds->entries[i]);
	free(mds->entries);
	free(mds);
	*mdsp = NULL;
}

const struct seckey_mds_entry *
seckey_mds_find(const struct seckey_mds *mds, const struct seckey_aaguid *aaguid)
{
	size_t i;

	for (i = 0; mds != NULL && aaguid != NULL && i < mds->count; i++)
		if (seckey_aaguid_equal(&mds->entries[i].aaguid, aaguid))
			return &mds->entries[i];

	return NULL;
}

/* A status word: capitals, digits and "_", as the MDS spells them. */
static bool
status_valid(const char *s)
{
	size_t i;

	if (s == NULL || s[0] == '\0' || strlen(s) >= SECKEY_MDS_STATUS_MAX)
		return false;
	for (i = 0; s[i] != '\0'; i++)
		if (!(s[i] >= 'A' && s[i] <= 'Z') &&
		    !(s[i] >= '0' && s[i] <= '9') && s[i] != '_')
			return false;

	return true;
}

/* YYYY-MM-DD, digits where digits go. */
static bool
date_valid(const char *s)
{
	size_t i;

	if (s == NULL || strlen(s) != 10)
		return false;
	for (i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? s[i] != '-' : !isdigit((unsigned char)s[i]))
			return false;

	return true;
}

/*
 * A description kept for display: control characters become spaces
 * (the store is one line per entry), cut to SECKEY_MDS_DESC_MAX bytes
 * at a character boundary.  The JSON reader checked the UTF-8.
 */
static char *
description_copy(const char *s)
{
	size_t i, len = s != NULL ? strlen(s) : 0;
	char *out;

	if (len > SECKEY_MDS_DESC_MAX) {
		len = SECKEY_MDS_DESC_MAX;
		while (len > 0 && ((unsigned char)s[len] & 0xc0) == 0x80)
			len--;
	}
	if ((out = malloc(len + 1)) == NULL)
		return NULL;
	for (i = 0; i < len; i++)
		out[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? ' ' :
		    s[i];
	out[len] = '\0';

	return out;
}

/* The status that decides (see the top of the file). */
static int
entry_status(const struct seckey_json *reports, char *status)
{
	const struct seckey_json *report;
	const char *s, *date, *best_date = NULL;
	size_t i;

	snprintf(status, SECKEY_MDS_STATUS_MAX, "NONE");
	if (reports != NULL && reports->type != SECKEY_JSON_ARRAY)
		return SECKEY_ERR_SYNTAX;
	for (i = 0; i < seckey_json_array_len(reports); i++) {
		report = seckey_json_array_at(reports, i);
		s = seckey_json_string(seckey_json_member(report, "status"));
		if (!status_valid(s))
			return SECKEY_ERR_SYNTAX;
		if (seckey_mds_status_refused(s)) {
			snprintf(status, SECKEY_MDS_STATUS_MAX, "%s", s);
			return SECKEY_OK;
		}
		date = seckey_json_string(seckey_json_member(report,
		    "effectiveDate"));
		if (date == NULL)
			date = "";
		if (best_date == NULL || strcmp(date, best_date) >= 0) {
			best_date = date;
			snprintf(status, SECKEY_MDS_STATUS_MAX, "%s", s);
		}
	}

	return SECKEY_OK;
}

/* The trust anchors, each checked to be one certificate. */
static int
entry_roots(const struct seckey_json *roots, struct seckey_mds_entry *e)
{
	size_t i, n = seckey_json_array_len(roots);
	const char *text;
	X509 *x;

	if (roots != NULL && roots->type != SECKEY_JSON_ARRAY)
		return SECKEY_ERR_SYNTAX;
	if (n > SECKEY_MDS_ROOTS_MAX)
		return SECKEY_ERR_TOOBIG;
	if (n == 0)
		return SECKEY_OK;
	if ((e->roots = calloc(n, sizeof(char *))) == NULL)
		return SECKEY_ERR_NOMEM;
	for (i = 0; i < n; i++) {
		text = seckey_json_string(seckey_json_array_at(roots, i));
		if (text == NULL || (x = seckey_x509_from_base64(text)) == NULL)
			return SECKEY_ERR_SYNTAX;
		X509_free(x);
		if ((e->roots[i] = strdup(text)) == NULL)
			return SECKEY_ERR_NOMEM;
		e->nroots++;
	}

	return SECKEY_OK;
}

/* The AAGUID as the MDS writes it; capitals are taken too. */
static int
entry_aaguid(const char *text, struct seckey_aaguid *aaguid)
{
	char lower[SECKEY_AAGUID_TEXT_LEN];
	size_t i;

	if (strlen(text) != SECKEY_AAGUID_TEXT_LEN - 1)
		return SECKEY_ERR_SYNTAX;
	for (i = 0; i < SECKEY_AAGUID_TEXT_LEN; i++)
		lower[i] = (char)tolower((unsigned char)text[i]);

	return seckey_aaguid_parse(lower, aaguid);
}

static int
read_entry(const struct seckey_json *item, const char *aaguid,
    struct seckey_mds_entry *e)
{
	const struct seckey_json *stmt;
	int r;

	if ((r = entry_aaguid(aaguid, &e->aaguid)) != SECKEY_OK)
		return r;
	stmt = seckey_json_member(item, "metadataStatement");
	if (stmt == NULL || stmt->type != SECKEY_JSON_OBJECT)
		return SECKEY_ERR_SYNTAX;
	if (seckey_json_member(stmt, "description") != NULL &&
	    seckey_json_string(seckey_json_member(stmt,
	    "description")) == NULL)
		return SECKEY_ERR_SYNTAX;
	if ((e->description = description_copy(seckey_json_string(
	    seckey_json_member(stmt, "description")))) == NULL)
		return SECKEY_ERR_NOMEM;
	if ((r = entry_status(seckey_json_member(item, "statusReports"),
	    e->status)) != SECKEY_OK)
		return r;

	return entry_roots(seckey_json_member(stmt,
	    "attestationRootCertificates"), e);
}

static int
read_entries(const struct seckey_json *entries, struct seckey_mds *mds,
    struct seckey_diag *diag)
{
	const struct seckey_json *item;
	const char *aaguid;
	size_t i, n = seckey_json_array_len(entries);
	int r;

	if (n > SECKEY_MDS_ENTRIES_MAX) {
		seckey_diag_set(diag, NULL, 0, "the BLOB lists more than %d "
		    "entries", SECKEY_MDS_ENTRIES_MAX);
		return SECKEY_ERR_TOOBIG;
	}
	if (n > 0 && (mds->entries = calloc(n, sizeof(*mds->entries))) ==
	    NULL)
		return SECKEY_ERR_NOMEM;
	for (i = 0; i < n; i++) {
		item = seckey_json_array_at(entries, i);
		r = SECKEY_ERR_SYNTAX;
		if (item->type != SECKEY_JSON_OBJECT)
			goto bad;
		if (seckey_json_member(item, "aaguid") == NULL)
			continue;	/* a UAF or U2F model */
		if ((aaguid = seckey_json_string(seckey_json_member(item,
		    "aaguid"))) == NULL)
			goto bad;
		/* Counted first, so that a failed entry is freed too. */
		mds->count++;
		if ((r = read_entry(item, aaguid,
		    &mds->entries[mds->count - 1])) != SECKEY_OK)
			goto bad;
		r = SECKEY_ERR_SYNTAX;
		if (seckey_mds_find(mds, &mds->entries[mds->count - 1].aaguid) !=
		    &mds->entries[mds->count - 1])
			goto bad;
	}

	return SECKEY_OK;
bad:
	if (r != SECKEY_ERR_NOMEM)
		seckey_diag_set(diag, NULL, 0, "entry %zu of the BLOB is "
		    "malformed (or lists its AAGUID again)", i + 1);
	return r;
}

int
seckey_mds_from_payload(const char *json, size_t len,
    struct seckey_mds **mdsp, struct seckey_diag *diag)
{
	struct seckey_json *root = NULL;
	struct seckey_mds *mds = NULL;
	const char *next;
	int r;

	if (json == NULL || mdsp == NULL)
		return SECKEY_ERR_INVAL;
	*mdsp = NULL;
	if ((r = seckey_json_parse(json, len, &root, diag)) != SECKEY_OK)
		goto out;
	r = SECKEY_ERR_NOMEM;
	if ((mds = calloc(1, sizeof(*mds))) == NULL)
		goto out;
	r = SECKEY_ERR_SYNTAX;
	next = seckey_json_string(seckey_json_member(root, "nextUpdate"));
	if (!seckey_json_integer(seckey_json_member(root, "no"),
	    &mds->serial) || mds->serial < 0 || !date_valid(next) ||
	    seckey_json_member(root, "entries") == NULL ||
	    seckey_json_member(root, "entries")->type != SECKEY_JSON_ARRAY) {
		seckey_diag_set(diag, NULL, 0, "the BLOB's payload lacks "
		    "\"no\", \"nextUpdate\" or \"entries\"");
		goto out;
	}
	snprintf(mds->next_update, sizeof(mds->next_update), "%s", next);
	if ((r = read_entries(seckey_json_member(root, "entries"), mds,
	    diag)) != SECKEY_OK)
		goto out;
	*mdsp = mds;
	mds = NULL;
out:
	if (r == SECKEY_ERR_NOMEM)
		seckey_diag_set(diag, NULL, 0, "out of memory");
	seckey_mds_free(&mds);
	seckey_json_free(&root);

	return r;
}
