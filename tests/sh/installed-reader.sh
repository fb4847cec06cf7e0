# installed-reader.sh: seckey-keys-ldap at the path pam_seckey.so and
# seckey run it from (configure's libexecdir, $SECKEY_KEYS_LDAP), for
# the root-only tests of keys = "ldap" (sourced, bash).
#
#   reader_namespace "$@"   first thing in the test, before tap.sh: as
#                           root, runs the test again in a private mount
#                           namespace; elsewhere the test is skipped
#   reader_install          (after tap.sh and seckeyenv.sh) covers the
#                           nearest existing folder above the reader's
#                           path with an overlay whose changes stay in
#                           $TEST_TMP/ov, and installs the built reader
#                           there; skips the test when it cannot
#
# Nothing of the machine changes: the overlay goes with the namespace.

reader_namespace() {
	[ -z "${READER_NAMESPACE:-}" ] || return 0
	[ "$(id -u)" -eq 0 ] ||
		{ echo "1..0 # SKIP the reader runs at its installed path: needs root"; exit 0; }
	unshare --mount --propagation private true 2>/dev/null ||
		{ echo "1..0 # SKIP this machine cannot make private mount namespaces"; exit 0; }
	READER_NAMESPACE=1 exec unshare --mount --propagation private "$BASH" "$0" "$@"
}

reader_install() {
	local cover
	[ -n "${SECKEY_KEYS_LDAP:-}" ] || plan_skip_all "SECKEY_KEYS_LDAP is not set (run through make check)"
	grep -aqF "$SECKEY_KEYS_LDAP" "$MODULE" ||
		plan_skip_all "pam_seckey.so was built for another reader path than $SECKEY_KEYS_LDAP"
	cover=$(dirname "$SECKEY_KEYS_LDAP")
	while [ ! -d "$cover" ]; do cover=$(dirname "$cover"); done
	[ "$cover" != / ] || plan_skip_all "no folder to cover above $SECKEY_KEYS_LDAP"
	mkdir -p "$TEST_TMP/ov/upper" "$TEST_TMP/ov/work"
	mount -t overlay overlay \
		-o "lowerdir=$cover,upperdir=$TEST_TMP/ov/upper,workdir=$TEST_TMP/ov/work" "$cover" 2>/dev/null ||
		plan_skip_all "this machine cannot mount an overlay on $cover"
	install -d -m 0755 "$(dirname "$SECKEY_KEYS_LDAP")"
	install -m 0755 "$top_builddir/ldap/seckey-keys-ldap" "$SECKEY_KEYS_LDAP"
}
