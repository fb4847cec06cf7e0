# pamenv.sh: a private PAM world for pamtester (sourced after tap.sh).
#
# pam_wrapper gives pamtester service files from our own folder, and
# nss_wrapper gives it users that exist only in our passwd file.
#
#   pam_add_user NAME UID [HOME]   a user (home folder created, owned by UID)
#   pam_add_nobody                 nobody (uid 65534), whom key readers run as
#   pam_service NAME LINES         a service file; LINES are "type control
#                                  module args" lines, modules by absolute path
#   pamtest SERVICE USER OP...     pamtester under the wrappers; sets rc, out, err
#                                  (stdin is passed through: the answers)

# pam_wrapper copies each process's service folder to /tmp/pam.X, picking
# X with lstat() then mkdir() (a race it only logs), among 36 names: two
# test scripts running at once (make -j) could sign in with each other's
# services and policies.  One script at a time uses pam_wrapper: the lock
# is held, through fd 9, until the script and what it started are done.
PAM_WRAPPER_LOCK="$TEST_TMP_BASE/pam_wrapper.lock"
exec 9>>"$PAM_WRAPPER_LOCK"
flock 9

PAM_WRAPPER_LIB=$(ls /usr/lib/*/libpam_wrapper.so 2>/dev/null | head -n 1)
NSS_WRAPPER_LIB=$(ls /usr/lib/*/libnss_wrapper.so 2>/dev/null | head -n 1)
PAM_DENY=$(ls /lib/*/security/pam_deny.so /usr/lib/*/security/pam_deny.so 2>/dev/null | head -n 1)

pam_env_check() {
	command -v pamtester >/dev/null || plan_skip_all "pamtester is not installed"
	[ -n "$PAM_WRAPPER_LIB" ] || plan_skip_all "libpam-wrapper is not installed"
	[ -n "$NSS_WRAPPER_LIB" ] || plan_skip_all "libnss-wrapper is not installed"
}

PAM_SERVICE_DIR="$TEST_TMP/pam.d"
PAM_PASSWD="$TEST_TMP/passwd"
PAM_GROUP="$TEST_TMP/group"
PAM_HOMES="$TEST_TMP/home"
mkdir -p "$PAM_SERVICE_DIR" "$PAM_HOMES"
printf 'root:x:0:0:root:/root:/bin/sh\n' > "$PAM_PASSWD"
printf 'root:x:0:\n' > "$PAM_GROUP"
printf 'auth required %s\naccount required %s\npassword required %s\nsession required %s\n' \
	"$PAM_DENY" "$PAM_DENY" "$PAM_DENY" "$PAM_DENY" > "$PAM_SERVICE_DIR/other"

pam_add_user() {
	local name=$1 uid=$2 home=${3:-$PAM_HOMES/$1}
	printf '%s:x:%s:%s:%s:%s:/bin/sh\n' "$name" "$uid" "$uid" "$name" "$home" >> "$PAM_PASSWD"
	printf '%s:x:%s:\n' "$name" "$uid" >> "$PAM_GROUP"
	mkdir -p "$home"
	chmod 0755 "$home"
	if [ "$(id -u)" -eq 0 ]; then
		chown "$uid:$uid" "$home"
	fi
}

# pam_add_nobody: the user key readers run as (keys_command_user's
# default), uid and gid 65534 as on Debian; sets nobody_uid.
pam_add_nobody() {
	nobody_uid=65534
	printf 'nobody:x:%s:%s:nobody:/nonexistent:/usr/sbin/nologin\n' "$nobody_uid" "$nobody_uid" >> "$PAM_PASSWD"
	printf 'nobody:x:%s:\n' "$nobody_uid" >> "$PAM_GROUP"
}

pam_service() {
	printf '%s\n' "$2" > "$PAM_SERVICE_DIR/$1"
}

# Like run(), under the wrappers; the virtual key shim (if any) stays in
# LD_PRELOAD after them.
pamtest() {
	local preload="${SANITIZER_PRELOAD:+$SANITIZER_PRELOAD }$PAM_WRAPPER_LIB $NSS_WRAPPER_LIB${LD_PRELOAD:+ $LD_PRELOAD}"
	run env LD_PRELOAD="$preload" PAM_WRAPPER=1 \
		PAM_WRAPPER_SERVICE_DIR="$PAM_SERVICE_DIR" \
		PAM_WRAPPER_DISABLE_DEEPBIND=1 \
		PAM_WRAPPER_DEBUGLEVEL="${PAM_WRAPPER_DEBUGLEVEL:-2}" \
		NSS_WRAPPER_PASSWD="$PAM_PASSWD" NSS_WRAPPER_GROUP="$PAM_GROUP" \
		pamtester -v "$@"
}
