# seckeycli.sh: running seckey(1) in the tests (sourced after tap.sh and
# virtkey.sh).
#
#   SECKEY              the helper as built
#   sk ARGS...          seckey with the test's passwd file (nss_wrapper),
#                       the test policy (--conf, when there is one),
#                       $SK_PRELOAD added to its LD_PRELOAD only, and
#                       $SECKEY_WRAPPER (valgrind ...) in front; exported,
#                       so vk scripts can use it too
#   sk_as UID ARGS...   sk as the ordinary user UID (root runs only)
#   sk_policy [LINES]   (re)writes the test policy: rp_id pam://test.host,
#                       timeout 10, then LINES; fails when this run cannot
#                       have its own policy (an ordinary user, whose policy
#                       files seckey rightly distrusts), so callers skip
#   sk_need_root N WHY  skips N tests unless running as root; returns 1 then
#   SK_USER             the account the tests run as (root: "root")
#   sk_add_user NAME UID   a user whose home is under $TEST_TMP/home
#   keys_of USER        the path of USER's key list
#   key_names FILE      the names in a key list, one a line
#   set_pin PIN         (in vk scripts) fido2-token sets PIN on $DEV0
#
# As root the test users exist only in our passwd file and their homes
# belong to them; as an ordinary user only SK_USER has a usable home.

SECKEY="$top_builddir/seckey"
U2FONLY="$top_builddir/tests/progs/.libs/u2fonly.so"
NSS_WRAPPER_LIB=$(ls /usr/lib/*/libnss_wrapper.so 2>/dev/null | head -n 1)
[ -x "$SECKEY" ] || plan_skip_all "seckey is not built"
[ -n "$NSS_WRAPPER_LIB" ] || plan_skip_all "libnss-wrapper is not installed"
command -v fido2-token >/dev/null || plan_skip_all "fido2-tools is not installed"

SK_HOMES="$TEST_TMP/home"
SK_PASSWD="$TEST_TMP/passwd"
SK_GROUP="$TEST_TMP/group"
SK_POLICY="$TEST_TMP/etc/pam_seckey.conf"
SK_CONF=""
SK_RP=pam://test.host
mkdir -p "$SK_HOMES" "$TEST_TMP/etc"
chmod 0755 "$SK_HOMES" "$TEST_TMP/etc"

sk_add_user() {
	local name=$1 uid=$2 home=$SK_HOMES/$1
	printf '%s:x:%s:%s:%s:%s:/bin/sh\n' "$name" "$uid" "$uid" "$name" "$home" >> "$SK_PASSWD"
	printf '%s:x:%s:\n' "$name" "$uid" >> "$SK_GROUP"
	mkdir -p "$home"
	chmod 0755 "$home"
	if [ "$(id -u)" -eq 0 ]; then
		chown "$uid:$uid" "$home"
	fi
}

: > "$SK_PASSWD"
: > "$SK_GROUP"
if [ "$(id -u)" -eq 0 ]; then
	SK_USER=root
	sk_add_user root 0
	sk_add_user alice 2001
	sk_add_user bob 2002
else
	# Ownership checks look owners up by uid: root must exist too.
	printf 'root:x:0:0:root:/root:/bin/sh\n' > "$SK_PASSWD"
	printf 'root:x:0:\n' > "$SK_GROUP"
	SK_USER=$(id -un)
	sk_add_user "$SK_USER" "$(id -u)"
	# Without --conf, seckey reads its default policy: it must be absent,
	# or the tests would run under the host's.
	default_policy=$("$SECKEY" --help | sed -n 's/.*(default \(\/.*\))$/\1/p')
	[ -e "$default_policy" ] && plan_skip_all "$default_policy exists; run as root"
	# The default policy's rp_id.
	SK_RP="pam://$(hostname)"
fi

sk_policy() {
	[ "$(id -u)" -eq 0 ] || return 1
	local timeout='timeout = 10' state="state_dir = \"$TEST_TMP/state\""
	case "${1:-}" in *timeout*) timeout="" ;; esac
	case "${1:-}" in *state_dir*) state="" ;; esac
	printf 'rp_id = "%s"\n%s\n%s\n%s\n' "$SK_RP" "$timeout" "${1:-}" "$state" > "$SK_POLICY"
	chmod 0644 "$SK_POLICY"
	SK_CONF=$SK_POLICY
	export SK_CONF
}
sk_policy || true

sk_need_root() {
	[ "$(id -u)" -eq 0 ] && return 0
	local i
	for ((i = 0; i < $1; i++)); do
		skip "$2 (needs root)"
	done
	return 1
}

keys_of() {
	printf '%s/.config/seckey/keys.conf' "$SK_HOMES/$1"
}

key_names() {
	sed -n 's/^key "\(.*\)" {$/\1/p' "$1" 2>/dev/null
}

# A sanitizer runtime (--enable-sanitizers) must come first in LD_PRELOAD.
sk() {
	env LD_PRELOAD="${SANITIZER_PRELOAD:+$SANITIZER_PRELOAD }$NSS_WRAPPER_LIB${SK_PRELOAD:+ $SK_PRELOAD}${LD_PRELOAD:+ $LD_PRELOAD}" \
	    NSS_WRAPPER_PASSWD="$SK_PASSWD" NSS_WRAPPER_GROUP="$SK_GROUP" \
	    ${SECKEY_WRAPPER:-} "$SECKEY" ${SK_CONF:+--conf "$SK_CONF"} "$@"
}

sk_as() {
	local uid=$1
	shift
	setpriv --reuid="$uid" --regid="$uid" --clear-groups -- \
	    env LD_PRELOAD="${SANITIZER_PRELOAD:+$SANITIZER_PRELOAD }$NSS_WRAPPER_LIB${LD_PRELOAD:+ $LD_PRELOAD}" \
	    NSS_WRAPPER_PASSWD="$SK_PASSWD" NSS_WRAPPER_GROUP="$SK_GROUP" \
	    ${SECKEY_WRAPPER:-} "$SECKEY" ${SK_CONF:+--conf "$SK_CONF"} "$@"
}

set_pin() {
	printf '%s\n%s\n' "$1" "$1" | setsid -w fido2-token -S "${2:-$DEV0}" >/dev/null 2>&1
}

export SECKEY U2FONLY NSS_WRAPPER_LIB SK_PASSWD SK_GROUP SK_CONF SK_USER SK_RP
export SECKEY_WRAPPER SANITIZER_PRELOAD
export -f sk sk_as set_pin keys_of key_names
export SK_HOMES
