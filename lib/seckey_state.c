/*
 * seckey_state.c: naming, locking and reading the records under
 * state_dir (seckey_state.h).
 */
#include <config.h>

#include <sys/stat.h>

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "seckey_state.h"
#include "seckey_time.h"

/* Users may open a record they know the name of, not list the folder. */
#define RECORDS_MODE	0711
#define STATE_DIR_MODE	0755
/* Another sign-in holds the folder for milliseconds: wait for it. */
#define LOCK_TRIES	80
#define LOCK_WAIT_MS	25

int
seckey_state_path(const char *state_dir, const char *folder,
    const char *rp_id, const unsigned char *bytes, size_t len, char *path,
    size_t size, struct seckey_diag *diag)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	char hex[2 * EVP_MAX_MD_SIZE + 1];
	unsigned int md_len = 0, i;
	EVP_MD_CTX *ctx;
	int r = SECKEY_ERR_CRYPTO;

	if (state_dir == NULL || folder == NULL || rp_id == NULL ||
	    bytes == NULL || len == 0)
		return SECKEY_ERR_INVAL;
	if ((ctx = EVP_MD_CTX_new()) == NULL)
		return SECKEY_ERR_NOMEM;
	if (EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1 ||
	    EVP_DigestUpdate(ctx, rp_id, strlen(rp_id) + 1) != 1 ||
	    EVP_DigestUpdate(ctx, bytes, len) != 1 ||
	    EVP_DigestFinal_ex(ctx, md, &md_len) != 1)
		goto out;
	for (i = 0; i < md_len; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	hex[2 * md_len] = '\0';
	r = SECKEY_ERR_INVAL;
	if (snprintf(path, size, "%s/%s/%s", state_dir, folder, hex) >=
	    (int)size) {
		seckey_diag_set(diag, state_dir, 0, "path too long");
		goto out;
	}
	r = SECKEY_OK;
out:
	EVP_MD_CTX_free(ctx);
	return r;
}

/*
 * Make folder with mode, exactly (the umask must not decide), if it is
 * missing.  Its safety is checked by the walk that follows, not here.
 */
static void
make_folder(const char *folder, mode_t mode)
{
	int fd;

	if (mkdir(folder, mode) != 0)
		return;
	fd = open(folder, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0) {
		(void)fchmod(fd, mode);
		close(fd);
	}
}

void
seckey_state_make_folders(const char *state_dir, const char *folder)
{
	char records[PATH_MAX];

	if (geteuid() != 0 || snprintf(records, sizeof(records), "%s/%s",
	    state_dir, folder) >= (int)sizeof(records))
		return;
	make_folder(state_dir, STATE_DIR_MODE);
	make_folder(records, RECORDS_MODE);
}

int
seckey_state_lock(const char *path, struct seckey_lock **lockp,
    struct seckey_diag *diag)
{
	struct seckey_user self;
	unsigned int tries;
	int r;

	for (tries = 1;; tries++) {
		r = seckey_file_lock(path, seckey_file_system_owner(&self),
		    SECKEY_FILE_PUBLIC, lockp, diag);
		if (r != SECKEY_ERR_LOCKED || tries >= LOCK_TRIES)
			break;
		seckey_sleep_ms(LOCK_WAIT_MS);
	}
	return r;
}

int
seckey_state_read(const char *path, char **text, size_t *len,
    struct seckey_diag *diag)
{
	struct seckey_user self;
	int r;

	*text = NULL;
	*len = 0;
	/*
	 * root's for root; a caller that is not root (a screen locker, the
	 * test suite) also trusts its own: it only decides its own sign-ins.
	 */
	r = seckey_file_read(path, seckey_file_system_owner(&self), text,
	    len, diag);
	/* No folder yet is as good as no record: never written here. */
	if (r == SECKEY_ERR_NOFOLDER)
		r = SECKEY_ERR_NOENT;
	return r;
}
