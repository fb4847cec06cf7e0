#!/bin/bash
# keys = "ldap" and the sign-in without a user name: alice registers a
# discoverable key herself with `seckey register --discoverable`, binding
# with her own directory password; the value written into her entry of
# a private slapd (the shipped schema and ACL) carries the key's random
# user handle as its seventh metadata line, the same handle the key
# holds; `seckey list` shows the key; pam_seckey.so, with no user given
# in a service of usernameless_services, reads her keys through
# seckey-keys-ldap at its installed path, signs her in and sets
# PAM_USER; once she deletes the key from the directory, the same key
# and PIN sign no one in.
#
# The test runs in a private mount namespace (tests/sh/readerns.sh);
# the policy's state_dir is in the test's scratch folder.  Needs root.
. "$top_srcdir/tests/sh/readerns.sh"
reader_ns_enter "$0" "$@" || { echo "1..0 # SKIP $READER_NS_SKIP"; exit 0; }

. "$top_srcdir/tests/sh/tap.sh"
. "$top_srcdir/tests/sh/virtkey.sh"
. "$top_srcdir/tests/sh/pamenv.sh"
pam_env_check
. "$top_srcdir/tests/sh/seckeyenv.sh"
. "$top_srcdir/tests/sh/slapd.sh"
slapd_require
reader_ns_install "$TEST_TMP/ov" "$MODULE" || plan_skip_all "$READER_NS_SKIP"
plan 29

# The virtual key's state, apart from the policy's state_dir.
vkey="$TEST_TMP/vkey"
logs="$TEST_TMP/logs"
pam_add_nobody
pam_add_user alice 4242
pam_add_user bob 4343
NSS_WRAPPER_LIB=$(ls /usr/lib/*/libnss_wrapper.so 2>/dev/null | head -n 1)

slapd_start
ok $? "a private slapd starts" || { done_testing; }
slapd_add_user alice
slapd_add_user bob
ALICE_DN=$(slapd_user_dn alice)

# The reader's bind (nobody's password file) and the users' own DNs,
# over ldaps, as tests/ldap/selfservice.sh sets them.
chmod 0711 "$TEST_TMP"
slapd_reader_files "$TEST_TMP/ldap"
slapd_reader_conf
CACHE="$TEST_TMP/cache"
policy "keys = \"ldap\"
ldap_conf = \"$LDAPCONF\"
keys_cache = \"$CACHE\"
keys_command_timeout = 20
usernameless_services = {\"gdm-seckey\"}
state_dir = \"$TEST_TMP/policy-state\""
pam_service gdm-seckey "$(stack "conf=$POLICY")"

# seckey as the ordinary user UID.
sk_as() {
	local uid=$1
	shift
	setpriv --reuid="$uid" --regid="$uid" --clear-groups -- \
	    env LD_PRELOAD="${SANITIZER_PRELOAD:+$SANITIZER_PRELOAD }$NSS_WRAPPER_LIB${LD_PRELOAD:+ $LD_PRELOAD}" \
	    NSS_WRAPPER_PASSWD="$PAM_PASSWD" NSS_WRAPPER_GROUP="$PAM_GROUP" \
	    ${SECKEY_WRAPPER:-} "$top_builddir/seckey" --conf "$POLICY" "$@"
}
set_pin() {
	printf '%s\n%s\n' "$1" "$1" | setsid -w fido2-token -S "${2:-$DEV0}" >/dev/null 2>&1
}
export -f sk_as set_pin
export NSS_WRAPPER_LIB PAM_PASSWD PAM_GROUP POLICY SECKEY_WRAPPER SANITIZER_PRELOAD

# alice's values, one a line, as the administrator sees them.
values() {
	slapd_admin ldapsearch -LLL -o ldif-wrap=no -b "$ALICE_DN" -s base passkey |
		sed -n 's/^passkey: //p'
}
# rvk SCRIPT: the one key, with 8 discoverable slots, kept in $vkey.
rvk() { rm -rf "$logs"; vk --state "$vkey" --resident 8 --log-dir "$logs" -- "$1"; }
nameless='printf "1234\n" | "$PAMRUN" gdm-seckey "" authenticate user'

# --- register --discoverable through alice's own bind ---------------------
rvk 'set_pin 1234 && printf "alice-pw\n1234\n" | sk_as 4242 register --discoverable --name "Desk key"'
is "$rc" 0 "alice registers a discoverable key in the directory with her password"
like "$err" 'Directory password for alice:' "seckey asks for her directory password"
like "$err" 'registered "Desk key" .*, discoverable' "and says the key is registered, discoverable"
like "$(grep makeCredential "$logs/key0.log")" 'rk=1 ' "the key was asked for a resident credential"
is "$(values | wc -l)" 1 "her entry holds exactly one value"
value=$(values)
like "$value" '^passkey:[A-Za-z0-9+/=]+,[A-Za-z0-9+/=]+,[A-Za-z0-9+/=]+$' \
	"in SSSD's form, our metadata third"
meta=$(cut -d, -f3 <<<"$value" | base64 -d)
is "$(wc -l <<<"$meta")" 7 "the metadata has seven lines"
is "$(sed -n 2p <<<"$meta")" "name=Desk key" "the second names the key"
handle=$(sed -n 's/^user_handle=//p' <<<"$meta")
like "$(sed -n 7p <<<"$meta")" '^user_handle=[A-Za-z0-9+/]+=*$' "the seventh is its user handle"
is "$(printf '%s' "$handle" | base64 -d | wc -c)" 32 "of 32 bytes"
unlike "$(printf '%s' "$handle" | base64 -d | tr -d '\0')" alice "which is not the user name"

cred=$(cut -d, -f1 <<<"$value" | sed 's/^passkey://')
rvk 'echo 1234 | '"$NOTTY"' fido2-token -L -k "$RP" "$DEV0"'
like "$out" "^00: $(printf '%s' "$cred" | sed 's/[+/]/\\&/g') alice $(printf '%s' "$handle" | sed 's/[+/]/\\&/g') es256 " \
	"the key holds that credential under the same user handle (fido2-token -L -k)"

run sk_as 4242 list <<<"alice-pw"
is "$rc" 0 "seckey list works through her bind"
like "$out" 'Desk key' "and shows the discoverable key"

# --- the sign-in without a user name --------------------------------------
rvk "$nameless"
like "$out" 'authenticate: PAM_SUCCESS'$'\n' "no user name given: the key and PIN sign alice in"
like "$out" 'user: alice$' "PAM_USER is alice afterwards"
is "$(grep -c '^echo-on:' <<<"$out")" 0 "no user name is asked for"
like "$err" 'user alice: named by the discoverable credential of security key "Desk key"' \
	"syslog says the key named the account and the directory's key signed in"
like "$(cat "$logs/key0.log")" 'getAssertion up=1 uv=0 pinauth=1 allow=0 status=0x00' \
	"with one assertion with an empty allow list"
ok "$([ -s "$CACHE/alice" ] && grep -q 'key "Desk key"' "$CACHE/alice" && echo 0 || echo 1)" \
	"her keys came from the directory (the offline cache has them now)"
like "$(grep -A8 'key "Desk key"' "$CACHE/alice")" "user_handle = \"$(printf '%s' "$handle" | sed 's/[+/]/\\&/g')\"" \
	"with the user handle"

# --- delete, and the key signs no one in ----------------------------------
run sk_as 4242 delete --yes "Desk key" <<<"alice-pw"
is "$rc" 0 "alice deletes the key from the directory"
is "$(values | grep -c .)" 0 "her entry holds no value"
run sk_as 4242 list <<<"alice-pw"
unlike "$out" 'Desk key' "seckey list no longer shows it"

rvk "$nameless"
like "$out" 'authenticate: PAM_AUTH_ERR'$'\n' "the same key and PIN, no user name: refused"
like "$out" 'user: \(none\)$' "PAM_USER stays unset"
unlike "$err" 'user alice: named by' "and syslog logs no sign-in of alice"
like "$err" 'refused a discoverable credential its account does not hold: the key named account alice' \
	"syslog says alice's directory entry no longer holds the key's credential"

done_testing
