#!/bin/bash
# keys = "ldap": pam_seckey.so signs in with keys from a private slapd,
# through seckey-keys-ldap at the path it is installed at, and keeps the
# offline cache: keys from the directory (with our metadata, and a bare
# SSSD/FreeIPA value), two machines with one key, a key deleted in the
# directory, no such user, a refused answer (no cache then), a frozen
# server (the timeout, the cache, the back-off), a stopped server (the
# cache, and syslog says so) and a cache too old.
#
# The module runs the reader at its installed path, so the test runs in
# a private mount namespace where the nearest existing folder above that
# path is covered by an overlay whose changes stay in the test's scratch
# folder: the built reader is copied there, and nothing of the machine
# changes.  Needs root (the reader runs as nobody, the cache is root's).
. "$top_srcdir/tests/sh/readerns.sh"
reader_ns_enter "$0" "$@" || { echo "1..0 # SKIP $READER_NS_SKIP"; exit 0; }

. "$top_srcdir/tests/sh/tap.sh"
. "$top_srcdir/tests/sh/virtkey.sh"
. "$top_srcdir/tests/sh/pamenv.sh"
pam_env_check
. "$top_srcdir/tests/sh/seckeyenv.sh"
. "$top_srcdir/tests/sh/slapd.sh"
. "$top_srcdir/tests/sh/readonly.sh"
slapd_require

# Where the module runs the reader from (configure's libexecdir).
reader_ns_install "$TEST_TMP/ov" "$MODULE" || plan_skip_all "$READER_NS_SKIP"
plan 51

state="$TEST_TMP/state"
signin='printf "1234\n" | "$PAMRUN" login alice authenticate'
pam_add_nobody
pam_add_user bob 4343

alice_with_key "$state" || { echo "Bail out! cannot register a key on the virtual key"; exit 1; }
field() { sed -n "s/^  $1 *= \"\(.*\)\"$/\1/p" "$KEYS" | head -n 1; }
pubkey=$(field public_key)
bare="passkey:$(field credential),$pubkey"
meta=$(printf 'seckey=1\nname=Blue key\ncreated=2026-11-26T08:00:00Z\naaguid=%s\nalg=es256\ntransport=usb\n' \
	"$(field aaguid)" | base64 -w0)
rm -f "$KEYS"

slapd_start
ok $? "a private slapd starts" || { done_testing; }

# The reader's settings, as keys_command_user (nobody) reads them: the
# configuration root's and readable by all, the bind password nobody's
# and readable by nobody else (man/seckey-keys-ldap.8), over ldaps.
chmod 0711 "$TEST_TMP"
LDAPDIR="$TEST_TMP/ldap"
mkdir -m 0755 "$LDAPDIR"
install -m 0644 "$SLAPD_CA" "$LDAPDIR/ca.pem"
printf '%s\n' "$SLAPD_READER_PW" > "$LDAPDIR/reader.secret"
chown "$nobody_uid" "$LDAPDIR/reader.secret"
chmod 0600 "$LDAPDIR/reader.secret"
printf '%s\n' "uri = {\"ldaps://127.0.0.1:$SLAPD_TLS_PORT\"}" "base = \"$SLAPD_SUFFIX\"" \
	"bind_dn = \"$SLAPD_READER_DN\"" "bind_password_file = \"$LDAPDIR/reader.secret\"" \
	"tls_ca_file = \"$LDAPDIR/ca.pem\"" "timeout = 10" > "$LDAPDIR/seckey-ldap.conf"
chmod 0644 "$LDAPDIR/seckey-ldap.conf"
CACHE="$TEST_TMP/cache-a"
ldap_policy() {
	policy "keys = \"ldap\"
ldap_conf = \"$LDAPDIR/seckey-ldap.conf\"
keys_cache = \"$CACHE\"
$1"
}
ldap_policy ""

# --- keys from the directory ---------------------------------------------
slapd_add_user alice "$bare,$meta"
vk --state "$state" -- "$signin"
like "$out" 'authenticate: PAM_SUCCESS$' "a key in the directory signs in"
like "$out" 'echo-off: Security key PIN:' "with the PIN"
like "$out" 'Touch your security key' "and a touch"
like "$err" 'signed in with security key "Blue key"' "the directory's metadata names it"
unlike "$err" 'offline cache' "and the directory answered: no cache"

slapd_set_values alice passkey "$bare"
vk --state "$state" -- "$signin"
like "$out" 'authenticate: PAM_SUCCESS$' "a bare SSSD/FreeIPA value (no metadata) signs in"
like "$err" 'signed in with security key "Security key 1"' "under a generated name"

# --- two machines, one directory -------------------------------------------
CACHE="$TEST_TMP/cache-b"
ldap_policy ""
vk --state "$state" -- "$signin"
like "$out" 'authenticate: PAM_SUCCESS$' "machine B (another policy and cache) signs in with the same key"
ok "$([ -s "$TEST_TMP/cache-a/alice" ] && [ -s "$TEST_TMP/cache-b/alice" ] && echo 0 || echo 1)" \
	"each machine keeps its own cache"
CACHE="$TEST_TMP/cache-a"
ldap_policy ""

is "$(stat -c '%u %a' "$CACHE")" "0 700" "the cache folder is root's, mode 0700"
is "$(stat -c '%u %a' "$CACHE/alice")" "0 600" "a user's cache file is root's, mode 0600"
like "$(head -n 1 "$CACHE/alice")" '^# seckey offline cache, written [0-9]+$' \
	"and records when it was written"

# --- no such user -----------------------------------------------------------
vk --state "$state" -- 'printf "1234\n" | "$PAMRUN" login bob authenticate'
like "$out" 'authenticate: PAM_AUTH_ERR$' "a user the directory does not know: not enrolled"
like "$err" 'no security key registered' "syslog says so"
ldap_policy "nouserok = true"
vk --state "$state" -- 'printf "1234\n" | "$PAMRUN" login bob authenticate'
like "$out" 'authenticate: PAM_IGNORE$' "with nouserok: PAM_IGNORE"
ok "$([ ! -e "$CACHE/bob" ] && echo 0 || echo 1)" "and no cache file for bob"

# --- a refused answer never falls back to the cache ---------------------------
values=("$bare")
for i in $(seq 10); do
	values+=("passkey:$(head -c 32 /dev/urandom | base64 -w0),$pubkey")
done
slapd_set_values alice passkey "${values[@]}"
vk --state "$state" -- "$signin"
like "$out" 'authenticate: PAM_AUTHINFO_UNAVAIL$' "eleven values: the answer is refused, even with nouserok"
like "$err" "the directory's answer was refused: $SECKEY_KEYS_LDAP: exited with status 13" \
	"syslog says the directory's answer was refused"
unlike "$err" 'offline cache' "and the cache was not used"
ok "$([ -s "$CACHE/alice" ] && echo 0 || echo 1)" "though it is there"
ldap_policy ""
slapd_set_values alice passkey "$bare"

# --- a frozen server: the timeout, the cache, the back-off -------------------
ldap_policy "keys_command_timeout = 2"
vk --state "$state" -- "$signin"
like "$out" 'authenticate: PAM_SUCCESS$' "online again: signs in"
kill -STOP "$SLAPD_PID"
timed_vk --state "$state" -- "$signin"
first_ms=$ms
like "$out" 'authenticate: PAM_SUCCESS$' "slapd frozen: after the timeout the cache signs in"
ok "$([ "$first_ms" -ge 2000 ] && echo 0 || echo 1)" "after waiting the timeout ($first_ms ms)"
like "$err" "the directory is unavailable \\($SECKEY_KEYS_LDAP: still running after 2000 ms: killed\\); using the offline cache, written [0-9]+ seconds ago" \
	"syslog says the sign-in used the offline cache, and its age"
ok "$([ -s "$CACHE/.backoff" ] && echo 0 || echo 1)" "a back-off is recorded"
timed_vk --state "$state" -- "$signin"
like "$out" 'authenticate: PAM_SUCCESS$' "during the back-off the cache signs in"
ok "$([ "$ms" -lt $((first_ms - 1000)) ] && echo 0 || echo 1)" \
	"without waiting for the reader ($ms ms against $first_ms ms)"
like "$err" 'not asked again yet\); using the offline cache' "syslog says the reader was not asked"
kill -CONT "$SLAPD_PID"
# The back-off lasts 60 s; end it rather than wait.
rm -f "$CACHE/.backoff"

# --- a key deleted in the directory ------------------------------------------
slapd_set_values alice passkey
vk --state "$state" -- "$signin"
like "$out" 'authenticate: PAM_AUTH_ERR$' "the key deleted in the directory stops working at the next sign-in"
ok "$([ ! -e "$CACHE/alice" ] && echo 0 || echo 1)" "and the empty answer removed the cache file"
slapd_stop
vk --state "$state" -- "$signin"
like "$out" 'authenticate: PAM_AUTHINFO_UNAVAIL$' "slapd stopped, no cache: unavailable"
like "$err" 'key list unavailable: .*exited with status 11; no offline cache' "syslog says why"

# --- a stopped server: the cache -----------------------------------------------
slapd_launch
[ -n "$SLAPD_PID" ] || diag "slapd did not start again"
sed -i "s|ldaps://127.0.0.1:[0-9]*|ldaps://127.0.0.1:$SLAPD_TLS_PORT|" "$LDAPDIR/seckey-ldap.conf"
slapd_set_values alice passkey "$bare"
vk --state "$state" -- "$signin"
like "$out" 'authenticate: PAM_SUCCESS$' "the key back in the directory signs in"
slapd_stop
vk --state "$state" -- "$signin"
like "$out" 'authenticate: PAM_SUCCESS$' "slapd stopped: the cache signs in"
like "$err" "the directory is unavailable \\($SECKEY_KEYS_LDAP: exited with status 11\\); using the offline cache, written [0-9]+ seconds ago" \
	"syslog says offline, with the cache's age"
ok "$([ ! -e "$CACHE/.backoff" ] && echo 0 || echo 1)" "a server that refuses connections starts no back-off"

old=$(( $(date +%s) - 604801 ))
sed -i "1s/written [0-9]*/written $old/" "$CACHE/alice"
touch "$CACHE/alice"
vk --state "$state" -- "$signin"
like "$out" 'authenticate: PAM_AUTHINFO_UNAVAIL$' "a cache older than keys_cache_max_age: unavailable (its recorded time counts, not mtime)"
like "$err" 'the offline cache is 60480[0-9] seconds old, more than keys_cache_max_age \(604800\)' "syslog says so"
ldap_policy "keys_cache_max_age = 0"
sed -i "1s/written [0-9]*/written $(date +%s)/" "$CACHE/alice"
vk --state "$state" -- "$signin"
like "$out" 'authenticate: PAM_AUTHINFO_UNAVAIL$' "keys_cache_max_age = 0: no offline cache at all"

# --- seckey ---------------------------------------------------------------------
# seckey reads through the same store: list and test as root for alice.
sk() {
	env LD_PRELOAD="${SANITIZER_PRELOAD:+$SANITIZER_PRELOAD }$NSS_WRAPPER_LIB${LD_PRELOAD:+ $LD_PRELOAD}" \
	    NSS_WRAPPER_PASSWD="$PAM_PASSWD" NSS_WRAPPER_GROUP="$PAM_GROUP" \
	    "$top_builddir/seckey" --conf "$POLICY" "$@"
}
export -f sk
export NSS_WRAPPER_LIB PAM_PASSWD PAM_GROUP POLICY
slapd_launch
sed -i "s|ldaps://127.0.0.1:[0-9]*|ldaps://127.0.0.1:$SLAPD_TLS_PORT|" "$LDAPDIR/seckey-ldap.conf"
ldap_policy ""
run sk --user alice list
is "$rc" 0 "seckey list reads the directory"
like "$out" 'Security key 1' "and shows the key"
vk --state "$state" -- 'printf "1234\n" | sk --user alice test'
is "$rc" 0 "seckey test signs in with the directory's key"
# Changes go to the directory (tests/ldap/selfservice.sh); root needs an
# administrator bind for them, which this configuration lacks.
refuses_changes "$state" "Security key 1" \
	'seckey: the directory cannot be used \(.*seckey-ldap.conf: root changes keys in the directory with an administrator bind: set admin_bind_dn and admin_bind_password_file, or admin_sasl_mech, in ldap_conf\); nothing was changed'
slapd_stop
run sk --user alice list
is "$rc" 0 "slapd stopped: seckey list reads the offline cache"
like "$err" 'seckey: warning: the directory is unavailable .*; using the offline cache, written [0-9]+ seconds ago' \
	"and warns that it did"

done_testing
