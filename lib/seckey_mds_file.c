/*
 * seckey_mds_file.c: the metadata store, <state_dir>/mds/metadata: its
 * lines (seckey_mds.h), reading it, and "seckey mds import".
 *
 * One file, so that an import replaces everything with one rename; in
 * a folder of its own, so that the folder lock an import takes
 * (seckey_file_lock) is never the lock of other files of state_dir.
 */
#include <config.h>

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "seckey_file.h"
#include "seckey_jws.h"
#include "seckey_mds.h"
#include "seckey_walk.h"

#define STORE_NAME	"mds/metadata"
#define ROOTS_MAX	(1024 * 1024)

int
seckey_mds_path(const char *state_dir, char *path, size_t size,
    struct seckey_diag *diag)
{
	if (state_dir == NULL || state_dir[0] != '/' ||
	    snprintf(path, size, "%s/" STORE_NAME, strcmp(state_dir, "/") ==
	    0 ? "" : state_dir) >= (int)size) {
		seckey_diag_set(diag, state_dir, 0, "not a usable state_dir");
		return SECKEY_ERR_INVAL;
	}

	return SECKEY_OK;
}

/* Bytes needed for one entry's lines. */
static size_t
entry_size(const struct seckey_mds_entry *e)
{
	size_t i, n = 6 + SECKEY_AAGUID_TEXT_LEN + SECKEY_MDS_STATUS_MAX +
	    strlen(e->description) + 2;

	for (i = 0; i < e->nroots; i++)
		n += 5 + strlen(e->roots[i]) + 1;

	return n;
}

int
seckey_mds_format(const struct seckey_mds *mds, char **textp, size_t *lenp,
    struct seckey_diag *diag)
{
	char aaguid[SECKEY_AAGUID_TEXT_LEN], *text;
	size_t i, j, size = 256, len;
	const struct seckey_mds_entry *e;

	if (mds == NULL || textp == NULL || lenp == NULL)
		return SECKEY_ERR_INVAL;
	for (i = 0; i < mds->count; i++)
		size += entry_size(&mds->entries[i]);
	if ((text = malloc(size)) == NULL) {
		seckey_diag_set(diag, NULL, 0, "out of memory");
		return SECKEY_ERR_NOMEM;
	}
	len = (size_t)snprintf(text, size, "# pam_seckey: authenticator "
	    "metadata from a FIDO MDS3 BLOB, written by \"seckey mds "
	    "import\"\nserial %lld\nnext_update %s\n", mds->serial,
	    mds->next_update);
	for (i = 0; i < mds->count; i++) {
		e = &mds->entries[i];
		seckey_aaguid_format(&e->aaguid, aaguid);
		len += (size_t)snprintf(text + len, size - len,
		    "entry %s %s %s\n", aaguid, e->status, e->description);
		for (j = 0; j < e->nroots; j++)
			len += (size_t)snprintf(text + len, size - len,
			    "root %s\n", e->roots[j]);
	}
	*textp = text;
	*lenp = len;

	return SECKEY_OK;
}

/* Append a root to the last entry. */
static int
add_root(struct seckey_mds *mds, const char *b64)
{
	struct seckey_mds_entry *e = &mds->entries[mds->count - 1];
	char **roots;

	if (e->nroots >= SECKEY_MDS_ROOTS_MAX)
		return SECKEY_ERR_TOOBIG;
	if ((roots = realloc(e->roots, (e->nroots + 1) *
	    sizeof(char *))) == NULL)
		return SECKEY_ERR_NOMEM;
	e->roots = roots;
	if ((e->roots[e->nroots] = strdup(b64)) == NULL)
		return SECKEY_ERR_NOMEM;
	e->nroots++;

	return SECKEY_OK;
}

/* "AAGUID STATUS DESCRIPTION" into a new entry. */
static int
add_entry(struct seckey_mds *mds, char *rest, size_t *capp)
{
	struct seckey_mds_entry *entries, *e;
	char *status, *desc;
	size_t n;

	if (mds->count >= SECKEY_MDS_ENTRIES_MAX)
		return SECKEY_ERR_TOOBIG;
	if (mds->count == *capp) {
		n = *capp == 0 ? 64 : *capp * 2;
		if ((entries = realloc(mds->entries, n *
		    sizeof(*entries))) == NULL)
			return SECKEY_ERR_NOMEM;
		mds->entries = entries;
		*capp = n;
	}
	e = &mds->entries[mds->count];
	memset(e, 0, sizeof(*e));
	if ((status = strchr(rest, ' ')) == NULL)
		return SECKEY_ERR_SYNTAX;
	*status++ = '\0';
	if ((desc = strchr(status, ' ')) == NULL)
		return SECKEY_ERR_SYNTAX;
	*desc++ = '\0';
	if (seckey_aaguid_parse(rest, &e->aaguid) != SECKEY_OK ||
	    status[0] == '\0' || strlen(status) >= sizeof(e->status) ||
	    strlen(desc) > SECKEY_MDS_DESC_MAX ||
	    seckey_mds_find(mds, &e->aaguid) != NULL)
		return SECKEY_ERR_SYNTAX;
	snprintf(e->status, sizeof(e->status), "%s", status);
	if ((e->description = strdup(desc)) == NULL)
		return SECKEY_ERR_NOMEM;
	mds->count++;

	return SECKEY_OK;
}

static int
parse_line(struct seckey_mds *mds, char *line, size_t *capp, int *seen)
{
	char *end = NULL;

	if (line[0] == '#')
		return SECKEY_OK;
	if (strncmp(line, "serial ", 7) == 0 && !(*seen & 1)) {
		*seen |= 1;
		errno = 0;
		mds->serial = strtoll(line + 7, &end, 10);
		return errno == 0 && end != line + 7 && *end == '\0' &&
		    mds->serial >= 0 ? SECKEY_OK : SECKEY_ERR_SYNTAX;
	}
	if (strncmp(line, "next_update ", 12) == 0 && !(*seen & 2)) {
		*seen |= 2;
		if (strlen(line + 12) >= sizeof(mds->next_update))
			return SECKEY_ERR_SYNTAX;
		snprintf(mds->next_update, sizeof(mds->next_update), "%s",
		    line + 12);
		return SECKEY_OK;
	}
	if (strncmp(line, "entry ", 6) == 0)
		return add_entry(mds, line + 6, capp);
	if (strncmp(line, "root ", 5) == 0 && mds->count > 0)
		return add_root(mds, line + 5);

	return SECKEY_ERR_SYNTAX;
}

int
seckey_mds_parse(const char *text, size_t len, const char *file,
    struct seckey_mds **mdsp, struct seckey_diag *diag)
{
	struct seckey_mds *mds = NULL;
	char *copy = NULL, *line, *next;
	size_t cap = 0;
	int lineno = 0, seen = 0, r = SECKEY_ERR_NOMEM;

	if (text == NULL || mdsp == NULL)
		return SECKEY_ERR_INVAL;
	*mdsp = NULL;
	if ((mds = calloc(1, sizeof(*mds))) == NULL ||
	    (copy = strndup(text, len)) == NULL)
		goto out;
	r = SECKEY_ERR_SYNTAX;
	if (strlen(copy) != len || (len > 0 && copy[len - 1] != '\n')) {
		seckey_diag_set(diag, file, 0, "not a metadata store (a NUL "
		    "byte, or no newline at the end)");
		goto out;
	}
	for (line = copy; *line != '\0'; line = next) {
		next = strchr(line, '\n');
		*next++ = '\0';
		lineno++;
		if ((r = parse_line(mds, line, &cap, &seen)) != SECKEY_OK) {
			seckey_diag_set(diag, file, lineno, "%s",
			    r == SECKEY_ERR_NOMEM ? "out of memory" :
			    "not a line of the metadata store");
			goto out;
		}
	}
	r = SECKEY_ERR_SYNTAX;
	if (seen != 3) {
		seckey_diag_set(diag, file, 0, "the metadata store lacks its "
		    "serial or next_update line");
		goto out;
	}
	*mdsp = mds;
	mds = NULL;
	r = SECKEY_OK;
out:
	if (r == SECKEY_ERR_NOMEM)
		seckey_diag_set(diag, file, 0, "out of memory");
	seckey_mds_free(&mds);
	free(copy);

	return r;
}

int
seckey_mds_load(const char *state_dir, struct seckey_mds **mdsp,
    struct seckey_diag *diag)
{
	struct seckey_user self;
	char path[SECKEY_DIAG_FILE_MAX], *text = NULL;
	size_t len = 0;
	int r;

	if (mdsp == NULL)
		return SECKEY_ERR_INVAL;
	*mdsp = NULL;
	if ((r = seckey_mds_path(state_dir, path, sizeof(path),
	    diag)) != SECKEY_OK)
		return r;
	r = seckey_file_read_max(path, seckey_file_system_owner(&self),
	    SECKEY_MDS_STORE_MAX, &text, &len, diag);
	if (r == SECKEY_ERR_NOFOLDER)
		r = SECKEY_ERR_NOENT;
	if (r == SECKEY_OK)
		r = seckey_mds_parse(text, len, path, mdsp, diag);
	free(text);

	return r;
}

/*
 * The BLOB and the root come from the command line of root, once: they
 * are read as given, a regular file of bounded size.  The BLOB proves
 * itself by its signature; the root is the administrator's choice.
 */
static int
read_input(const char *path, size_t max, char **datap, size_t *lenp,
    struct seckey_diag *diag)
{
	struct stat st;
	char *buf = NULL;
	size_t have = 0;
	ssize_t n;
	int fd, r;

	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY |
	    O_CLOEXEC)) < 0)
		return seckey_fs_error(errno, path, diag);
	r = SECKEY_ERR_TOOBIG;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		seckey_diag_set(diag, path, 0, "not a regular file");
		r = SECKEY_ERR_INVAL;
		goto out;
	}
	if ((unsigned long long)st.st_size > max) {
		seckey_diag_set(diag, path, 0, "larger than %zu bytes", max);
		goto out;
	}
	r = SECKEY_ERR_NOMEM;
	if ((buf = malloc((size_t)st.st_size + 1)) == NULL)
		goto out;
	while (have < (size_t)st.st_size) {
		n = read(fd, buf + have, (size_t)st.st_size - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			r = seckey_fs_error(n < 0 ? errno : EIO, path, diag);
			goto out;
		}
		have += (size_t)n;
	}
	buf[have] = '\0';
	*datap = buf;
	*lenp = have;
	buf = NULL;
	r = SECKEY_OK;
out:
	if (r == SECKEY_ERR_NOMEM)
		seckey_diag_set(diag, path, 0, "out of memory");
	free(buf);
	close(fd);

	return r;
}

/* Check the BLOB and read its payload. */
static int
verified_blob(const char *blob_path, const char *root_path,
    struct seckey_mds **mdsp, struct seckey_diag *diag)
{
	char *blob = NULL, *roots = NULL, *payload = NULL;
	size_t blob_len = 0, roots_len = 0, payload_len = 0;
	int r;

	if ((r = read_input(root_path, ROOTS_MAX, &roots, &roots_len,
	    diag)) != SECKEY_OK ||
	    (r = read_input(blob_path, SECKEY_MDS_BLOB_MAX, &blob, &blob_len,
	    diag)) != SECKEY_OK)
		goto out;
	if ((r = seckey_jws_verify(blob, blob_len, roots, roots_len,
	    &payload, &payload_len, diag)) != SECKEY_OK)
		goto out;
	r = seckey_mds_from_payload(payload, payload_len, mdsp, diag);
out:
	free(payload);
	free(blob);
	free(roots);

	return r;
}

/* Under the lock: the stored serial, or -1 without a store. */
static int
stored_serial(const char *state_dir, long long *serialp,
    struct seckey_diag *diag)
{
	struct seckey_mds *old = NULL;
	int r;

	*serialp = -1;
	r = seckey_mds_load(state_dir, &old, diag);
	if (r == SECKEY_ERR_NOENT)
		return SECKEY_OK;
	if (r == SECKEY_OK)
		*serialp = old->serial;
	seckey_mds_free(&old);

	return r;
}

int
seckey_mds_import(const char *blob_path, const char *root_path,
    const char *state_dir, struct seckey_mds_import_result *result,
    struct seckey_diag *diag)
{
	struct seckey_mds *mds = NULL;
	struct seckey_lock *lock = NULL;
	char path[SECKEY_DIAG_FILE_MAX], *text = NULL;
	size_t len = 0;
	int r;

	if (blob_path == NULL || root_path == NULL || result == NULL)
		return SECKEY_ERR_INVAL;
	memset(result, 0, sizeof(*result));
	if ((r = seckey_mds_path(state_dir, path, sizeof(path),
	    diag)) != SECKEY_OK ||
	    (r = verified_blob(blob_path, root_path, &mds,
	    diag)) != SECKEY_OK ||
	    (r = seckey_file_lock(path, NULL, SECKEY_FILE_MKDIR |
	    SECKEY_FILE_PUBLIC, &lock, diag)) != SECKEY_OK ||
	    (r = stored_serial(state_dir, &result->old_serial,
	    diag)) != SECKEY_OK)
		goto out;
	if (mds->serial < result->old_serial) {
		seckey_diag_set(diag, path, 0, "the BLOB's serial number "
		    "(no) %lld is below the one already imported, %lld: an "
		    "older BLOB would undo newer revocations", mds->serial,
		    result->old_serial);
		r = SECKEY_ERR_STALE;
		goto out;
	}
	if ((r = seckey_mds_format(mds, &text, &len, diag)) != SECKEY_OK ||
	    (r = seckey_file_replace(lock, text, len, diag)) != SECKEY_OK)
		goto out;
	result->serial = mds->serial;
	result->models = mds->count;
	snprintf(result->next_update, sizeof(result->next_update), "%s",
	    mds->next_update);
out:
	seckey_file_unlock(&lock);
	seckey_mds_free(&mds);
	free(text);

	return r;
}
