# readerns.sh: the built seckey-keys-ldap at the path pam_seckey.so runs
# it from (configure's libexecdir, compiled in), without changing the
# machine (sourced, bash; needs no other library, so it can come before
# tap.sh).  The caller runs in a private mount namespace in which the
# nearest existing folder above that path is covered by an overlay whose
# changes stay in a scratch folder; the reader is installed there.
# Needs root (the module runs the reader as another user, and mounts).
#
#   reader_ns_enter SCRIPT ARGS...   run SCRIPT again with ARGS in a
#                       private mount namespace, unless this process is
#                       already in one (then returns 0); returns 1 with
#                       the reason in READER_NS_SKIP when it cannot
#   reader_ns_install SCRATCH MODULE cover the folder with an overlay
#                       (upper and work folders in SCRATCH) and install
#                       the built reader at $SECKEY_KEYS_LDAP; MODULE is
#                       pam_seckey.so, checked to run that path; returns
#                       1 with the reason in READER_NS_SKIP when it cannot
#
# Needs: SECKEY_KEYS_LDAP (make check and make bench set it), top_builddir.

READER_NS_SKIP=""

reader_ns_enter() {
	[ -z "${READER_NS:-}" ] || return 0
	if [ "$(id -u)" -ne 0 ]; then
		READER_NS_SKIP="the reader runs as another user: needs root"
		return 1
	fi
	if ! unshare --mount --propagation private true 2>/dev/null; then
		READER_NS_SKIP="this machine cannot make private mount namespaces"
		return 1
	fi
	READER_NS=1 exec unshare --mount --propagation private "$BASH" "$@"
}

reader_ns_install() {
	local scratch=$1 module=$2 cover
	if [ -z "${READER_NS:-}" ]; then
		READER_NS_SKIP="not in a private mount namespace (reader_ns_enter)"
		return 1
	fi
	if [ -z "${SECKEY_KEYS_LDAP:-}" ]; then
		READER_NS_SKIP="SECKEY_KEYS_LDAP is not set (run through make)"
		return 1
	fi
	if ! grep -aqF "$SECKEY_KEYS_LDAP" "$module"; then
		READER_NS_SKIP="pam_seckey.so was built for another reader path than $SECKEY_KEYS_LDAP"
		return 1
	fi
	if [ ! -x "$top_builddir/ldap/seckey-keys-ldap" ]; then
		READER_NS_SKIP="seckey-keys-ldap is not built"
		return 1
	fi
	cover=$(dirname "$SECKEY_KEYS_LDAP")
	while [ ! -d "$cover" ]; do cover=$(dirname "$cover"); done
	if [ "$cover" = / ]; then
		READER_NS_SKIP="no folder to cover above $SECKEY_KEYS_LDAP"
		return 1
	fi
	mkdir -p "$scratch/upper" "$scratch/work"
	if ! mount -t overlay overlay -o \
	    "lowerdir=$cover,upperdir=$scratch/upper,workdir=$scratch/work" \
	    "$cover" 2>/dev/null; then
		READER_NS_SKIP="this machine cannot mount an overlay on $cover"
		return 1
	fi
	install -d -m 0755 "$(dirname "$SECKEY_KEYS_LDAP")" &&
	    install -m 0755 "$top_builddir/ldap/seckey-keys-ldap" "$SECKEY_KEYS_LDAP" ||
		{ READER_NS_SKIP="cannot install the reader at $SECKEY_KEYS_LDAP"; return 1; }
}
