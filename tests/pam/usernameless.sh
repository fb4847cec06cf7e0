#!/bin/bash
# The sign-in without a user name (usernameless_services): pamdriver
# starts PAM with no user, as a display manager does, and prints the
# PAM_USER item after authenticate.  The credentials are made by
# fido2-cred (tests/progs/enroll-key --resident), a client nobody here
# wrote.  Covered: one account; two accounts on one key and the choice;
# a credential minted with alice's handle and name on an unregistered
# key; bob's registered key carrying alice's handle; a key holding no
# account; a service not listed; a user already set; sshd, su and sudo
# refused even when listed; a remote host; the user handle index (learned,
# used, a wrong record costing only the key's credential management); two capable keys, the
# one touched chosen, and neither touched.
. "$top_srcdir/tests/sh/tap.sh"
. "$top_srcdir/tests/sh/virtkey.sh"
. "$top_srcdir/tests/sh/pamenv.sh"
pam_env_check
. "$top_srcdir/tests/sh/seckeyenv.sh"
plan 69

pam_add_user alice 4242
pam_add_user bob 4243
keys_dir_for alice
keys_dir_for bob
ALICE_KEYS=$(keys_of alice)
BOB_KEYS=$(keys_of bob)
export ALICE_KEYS BOB_KEYS
pam_service gdm-seckey "$(stack "conf=$POLICY")"
pam_service sudo "$(stack "conf=$POLICY")"
policy 'usernameless_services = {"gdm-seckey"}'
logs="$TEST_TMP/logs"
shared="$TEST_TMP/shared"	# one key, alice's then also bob's
rogue="$TEST_TMP/rogue"		# alice's handle, registered by no one
bobs="$TEST_TMP/bobs"		# bob's key with alice's handle on it
bobs2="$TEST_TMP/bobs2"		# bob's key with alice's handle, his name
empty="$TEST_TMP/empty"		# discoverable slots, no credential
# rvk STATE SCRIPT: one key with 8 discoverable slots kept in STATE.
rvk() { rm -rf "$logs"; vk --state "$1" --resident 8 --log-dir "$logs" -- "$2"; }
setpin='printf "1234\n1234\n" | '"$NOTTY"' fido2-token -S "$DEV0"'
nameless='"$PAMRUN" gdm-seckey "" authenticate user'

rvk "$shared" "$setpin"' && echo 1234 | "$ENROLL" --device "$DEV0" --rp "$RP" --name "Blue key" --out "$ALICE_KEYS" --resident alice'
is "$rc" 0 "fido2-cred puts a discoverable credential for alice on a key"
keys_own alice
alice_handle=$(sed -n 's/^  user_handle = "\(.*\)"$/\1/p' "$ALICE_KEYS")
is "$(printf '%s' "$alice_handle" | base64 -d | wc -c)" 32 "her list holds its 32-byte user handle"

# --- one account -----------------------------------------------------
rvk "$shared" 'printf "1234\n" | '"$nameless"
like "$out" 'authenticate: PAM_SUCCESS'$'\n' "no user name given: alice's key and PIN sign her in"
like "$out" 'user: alice$' "and PAM_USER is alice afterwards"
is "$(grep -c '^echo-on:' <<<"$out")" 0 "no user name is asked for"
is "$(grep -c '^echo-off:' <<<"$out")" 1 "the PIN is asked once"
like "$err" 'user alice: named by the discoverable credential of security key "Blue key"' \
	"syslog says the key named the account"
like "$(cat "$logs/key0.log")" 'getAssertion up=1 uv=0 pinauth=1 allow=0 status=0x00' \
	"the key got one assertion with an empty allow list, with the PIN"

# --- the user handle index --------------------------------------------
# One account: the key gives no name with the assertion (CTAP 2.1), so
# the first sign-in asks its credential management; root then notes the
# handle, and the next sign-in is named by the index.
hrecord="$STATE_DIR/handles/$( { printf '%s\0' "$RP"; printf '%s' "$alice_handle" | base64 -d; } | sha256sum | cut -d' ' -f1)"
like "$(cat "$logs/key0.log")" 'credMgmt\.enumerateCredentialsBegin' \
	"the first time, the key's credential management names the single account"
if [ "$(id -u)" -eq 0 ]; then
	is "$(cat "$hrecord" 2>&1)" "# pam_seckey user handle index record; see pam_seckey(8)
version 1
user alice" "root notes alice's user handle in the index"
	is "$(stat -c '%a %U' "$hrecord") $(stat -c %a "$STATE_DIR/handles")" "644 root 711" \
		"a record of root's, 0644, in a folder users cannot list"
	rvk "$shared" 'printf "1234\n" | '"$nameless"
	like "$out" 'user: alice$' "the next sign-in signs alice in again"
	unlike "$(cat "$logs/key0.log")" 'credMgmt' "named by the index: no credential management"
	is "$(grep -c ' CBOR ' "$logs/key0.log")" 4 \
		"4 commands: getInfo, key agreement, the PIN token, the assertion"
	is "$(grep -c '^echo-off:' <<<"$out")" 1 "the PIN is asked once"
	# A record naming another account (stale: the account renamed, the
	# entry deleted) is a hint only: the key is asked, as without it.
	printf '# pam_seckey user handle index record; see pam_seckey(8)\nversion 1\nuser bob\n' > "$hrecord"
	rvk "$shared" 'printf "1234\n" | '"$nameless"
	like "$out" 'user: alice$' "a record naming bob, who holds no such key: the key is asked, and alice signs in"
	like "$(cat "$logs/key0.log")" 'credMgmt\.enumerateCredentialsBegin' "through its credential management"
	is "$(grep -c '^echo-off:' <<<"$out")" 1 "with the one PIN"
	like "$(cat "$hrecord" 2>&1)" 'user alice$' "and the index names alice again"
	# bob registers a key of his own whose credential carries alice's
	# handle under his own name: his sign-in is genuine and the index
	# then names him for that handle, but that cannot lock alice out.
	rvk "$bobs2" "$setpin"' && echo 1234 | "$ENROLL" --device "$DEV0" --rp "$RP" --name "Copy key" --out "$BOB_KEYS" --resident bob --handle "'"$alice_handle"'"'
	keys_own bob
	rvk "$bobs2" 'printf "1234\n" | '"$nameless"
	like "$out" 'user: bob$' "bob's own key carrying a copy of alice's handle signs bob in"
	like "$(cat "$hrecord" 2>&1)" 'user bob$' "and the index now names bob for that handle"
	rvk "$shared" 'printf "1234\n" | '"$nameless"
	like "$out" 'user: alice$' "alice's key still signs her in: bob's list does not hold her credential, so the key is asked"
	like "$(cat "$hrecord" 2>&1)" 'user alice$' "and the index names alice again"
	# bob signs in again, then makes his own list unreadable for the
	# module (writable by all): the index names him, his list fails.
	rvk "$bobs2" 'printf "1234\n" | '"$nameless"
	chmod 0666 "$BOB_KEYS"
	rvk "$shared" 'printf "1234\n" | '"$nameless"
	like "$out" 'user: alice$' "an index naming bob, whose list cannot be read, does not lock alice out either"
	chmod 0600 "$BOB_KEYS"
else
	for i in $(seq 15); do skip "the index is root's (needs root)"; done
fi

# --- two accounts on one key: the choice -----------------------------
rvk "$shared" 'echo 1234 | "$ENROLL" --device "$DEV0" --rp "$RP" --name "Blue key" --out "$BOB_KEYS" --resident bob'
is "$rc" 0 "bob puts a discoverable credential on the same key"
keys_own bob
rvk "$shared" 'printf "1234\n9\n" | '"$nameless"
like "$out" 'holds 2 accounts for this computer:' "two accounts: the user is shown the list"
like "$out" '  [12]\. alice' "alice is in it"
like "$out" '  [12]\. bob' "bob is in it"
like "$out" 'echo-on: Account \(1-2\): ' "and asked for a number"
like "$out" 'authenticate: PAM_AUTH_ERR'$'\n' "a number that is not on the list: refused"
like "$out" 'error: No account was chosen\.' "the user is told"
like "$out" 'user: \(none\)$' "PAM_USER stays unset"
bob_number=$(sed -n 's/^.*  \([12]\)\. bob.*$/\1/p' <<<"$out" | head -n 1)
rvk "$shared" 'printf "1234\n'"$bob_number"'\n" | '"$nameless"
like "$out" 'authenticate: PAM_SUCCESS'$'\n' "choosing bob's number signs in"
like "$out" 'user: bob$' "as bob"
is "$(grep -c '^echo-off:' <<<"$out")" 1 "with one PIN for both accounts"
if [ "$(id -u)" -eq 0 ]; then
	is "$(ls "$STATE_DIR/handles")" "$(basename "$hrecord")" \
		"names the key gave with the assertion need no index record: alice's handle has the only one"
else
	skip "the index is root's (needs root)"
fi

# --- alice's handle on a key nobody registered ------------------------
rvk "$rogue" "$setpin"' && echo 1234 | "$ENROLL" --device "$DEV0" --rp "$RP" --name "Rogue" --out "$TEST_TMP/rogue.conf" --resident alice --handle "'"$alice_handle"'"'
is "$rc" 0 "another client mints a credential with alice's handle and name on its own key"
rvk "$rogue" 'printf "1234\n" | '"$nameless"
like "$out" 'authenticate: PAM_AUTH_ERR'$'\n' "it does not sign anyone in"
like "$out" 'user: \(none\)$' "PAM_USER stays unset"
like "$err" "refused a discoverable credential its account does not hold: the key named account alice: the key list of the account the security key names does not hold" \
	"syslog says alice's list does not hold that credential"
unlike "$err" 'user alice:' "and does not log it as alice's sign-in"
if [ "$(id -u)" -eq 0 ]; then
	like "$(cat "$hrecord" 2>&1)" 'user alice$' "a copy of alice's handle on a key nobody registered does not change her record"
else
	skip "the index is root's (needs root)"
fi

# --- bob's registered key carrying alice's handle ---------------------
rvk "$bobs" "$setpin"' && echo 1234 | "$ENROLL" --device "$DEV0" --rp "$RP" --name "Red key" --out "$BOB_KEYS" --resident alice --handle "'"$alice_handle"'"'
is "$rc" 0 "bob registers a key of his own whose credential carries alice's handle and name"
keys_own bob
rvk "$bobs" 'printf "1234\n" | '"$nameless"
like "$out" 'authenticate: PAM_AUTH_ERR'$'\n' "it signs no one in: alice's list does not hold it"
like "$out" 'user: \(none\)$' "PAM_USER stays unset"

# --- a key without an account for this machine -----------------------
rvk "$empty" "$setpin"' && printf "1234\n" | '"$nameless"
like "$out" 'authenticate: PAM_AUTH_ERR'$'\n' "a key without a discoverable credential for this machine: refused"
like "$out" 'error: This security key holds no account for this computer\.' "and the user is told"

# --- a service not listed, a user already set -------------------------
rvk "$shared" '"$PAMRUN" login "" authenticate user'
like "$out" 'echo-on: login:' "a service not listed asks for the user name (the ordinary sign-in)"
like "$out" 'authenticate: PAM_USER_UNKNOWN'$'\n' "and, given none, knows no user"
unlike "$(cat "$logs/key0.log")" 'allow=0 ' "no assertion with an empty allow list is made there"
rvk "$shared" 'printf "1234\n" | "$PAMRUN" gdm-seckey alice authenticate user'
like "$out" 'authenticate: PAM_SUCCESS'$'\n' "a user already set in a listed service: the ordinary sign-in"
like "$out" 'user: alice$' "PAM_USER is left as it was"
unlike "$(cat "$logs/key0.log")" 'allow=0 ' "with allow lists only"
unlike "$err" 'named by the discoverable' "and not the usernameless path"

# --- a remote host ----------------------------------------------------
policy 'usernameless_services = {"gdm-seckey"}
remote = "allow"'
rvk "$shared" '"$PAMRUN" -r far.example.org gdm-seckey "" authenticate user'
like "$err" 'no sign-in without a user name for a remote host' "a remote host never gets it, even with remote = \"allow\""
like "$out" 'echo-on: login:' "the ordinary sign-in asks for the user name instead"
unlike "$(cat "$logs/key0.log")" 'allow=0 ' "and no assertion without an allow list is made"

# --- sshd, su, sudo: never ---------------------------------------------
for svc in sshd su sudo; do
	policy "usernameless_services = {\"gdm-seckey\", \"$svc\"}"
	run "$PAMRUN" sudo "" authenticate
	like "$err" "usernameless_services: \"$svc\" is never allowed to sign in without a user name" \
		"$svc in usernameless_services is a configuration error"
done
like "$out" 'authenticate: PAM_SERVICE_ERR$' "which fails closed"

# --- several keys that can hold accounts: the one the user touches -----
# Last: the second key is a copy of alice's, whose counter then runs ahead.
two="$TEST_TMP/two"
mkdir -p "$two"
cp "$empty/key0.state" "$two/key0.state"
cp "$shared/key0.state" "$two/key1.state"
policy 'usernameless_services = {"gdm-seckey"}'
rm -rf "$logs"
vk --keys 2 --state "$two" --resident 8 --touch never,now --log-dir "$logs" -- 'printf "1234\n'"$((3 - bob_number))"'\n" | '"$nameless"
like "$out" 'info: Several security keys are plugged in: touch the one to sign in with\.' \
	"two capable keys: the user is asked to touch the one to use"
like "$out" 'authenticate: PAM_SUCCESS'$'\n' "touching alice's key (bob's account on it too) signs her in"
like "$out" 'user: alice$' "as alice"
unlike "$(cat "$logs/key0.log")" 'getAssertion|clientPIN' "the key not touched is never asked for the PIN or an assertion"
like "$(cat "$logs/key1.log")" 'getAssertion up=1 uv=0 pinauth=1 allow=0 status=0x00' "the touched one is"
rm -rf "$logs"
vk --keys 2 --state "$two" --resident 8 --touch never --log-dir "$logs" -- 'printf "1234\n" | '"$nameless"
like "$out" 'authenticate: PAM_AUTH_ERR'$'\n' "neither key touched in time: refused"
unlike "$(cat "$logs/key0.log" "$logs/key1.log")" 'clientPIN|getAssertion' "and no key was asked for the PIN"
like "$err" 'none was touched to choose one' "syslog says why"
