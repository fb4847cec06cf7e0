#!/bin/bash
# pam_seckey.so and "seckey test" sign in alike: both run seckey_signin()
# (lib/seckey_signin.h).  Each scenario starts the module and seckey test
# from two copies of one virtual key state and checks that they end
# alike: the same key named or the same refusal, the same CTAP commands
# sent to the keys, the same PIN retries spent, a PIN asked by both or
# by neither.
. "$top_srcdir/tests/sh/tap.sh"
. "$top_srcdir/tests/sh/virtkey.sh"
. "$top_srcdir/tests/sh/seckeycli.sh"
. "$top_srcdir/tests/sh/pamenv.sh"
pam_env_check
. "$top_srcdir/tests/sh/seckeyenv.sh"
# seckey --user, and a policy that seckey trusts, need root.
[ "$(id -u)" -eq 0 ] || plan_skip_all "seckey test --user alice needs root"
plan 41

state="$TEST_TMP/state"
# helper.sh and pamenv.sh share $TEST_TMP/passwd, and seckey reads the
# module's policy: one account, one key list, one policy for both.
SK_CONF=$POLICY
export SK_CONF

alice_with_key "$state" || { echo "Bail out! cannot register a key on the virtual key"; exit 1; }
vk --state "$state" --keys 2 -- 'printf "4321\n4321\n" | '"$NOTTY"' fido2-token -S "$DEV1" &&
	echo 4321 | "$ENROLL" --device "$DEV1" --rp "$RP" --name "Red key" --out "$TEST_TMP/red"'
sed 1d "$TEST_TMP/red" >> "$KEYS"
keys_own alice
is "$(key_names "$KEYS" | paste -sd,)" "Blue key,Red key" "alice has two keys, each on a virtual key of its own"

# ctap_commands DIR: the CTAP (CBOR) commands each key of a run received.
ctap_commands() {
	local log
	for log in "$1"/key*.log; do
		[ -e "$log" ] || continue
		printf '%s: ' "${log##*/}"
		sed -n 's/^[0-9]* CBOR \([A-Za-z.]*\).*/\1/p' "$log" | paste -sd' '
	done
}
# requests DIR: every request the keys of a run received, opening included.
requests() { cat "$1"/key*.log 2>/dev/null | wc -l; }
retries_of() { sed -n 's/^pin_retries //p' "$1/key0.state"; }

# agree NAME STATE PIN [WITH-VIRTKEY OPTIONS] [-- SECKEY-TEST-ARGS]: the
# module, then seckey test, each on its own copy of STATE, with PIN as
# the answer to a PIN prompt.  Sets pam_out, pam_err (pamdriver: prompts
# and PAM code on stdout, syslog on stderr), sk_rc, sk_err, and the
# folders $trial/pam and $trial/sk with each side's state and logs.
agree() {
	local name=$1 from=$2 pin=$3 opts=() args=()
	shift 3
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do
		opts+=("$1")
		shift
	done
	[ $# -gt 0 ] && shift
	args=("$@")
	trial="$TEST_TMP/trials/$name"
	rm -rf "$trial"
	mkdir -p "$trial/pam" "$trial/sk"
	cp -r "$from" "$trial/pam/state"
	cp -r "$from" "$trial/sk/state"
	vk --state "$trial/pam/state" --log-dir "$trial/pam/logs" "${opts[@]}" -- \
		"printf '%s\n' '$pin' | \"\$PAMRUN\" login alice authenticate"
	pam_out=$out pam_err=$err
	vk --state "$trial/sk/state" --log-dir "$trial/sk/logs" "${opts[@]}" -- \
		"printf '%s\n' '$pin' | sk --user alice test ${args[*]:+$(printf '%q ' "${args[@]}")}"
	sk_rc=$rc sk_err=$err
}

# Both ask for the PIN, or neither: pamdriver shows the prompt as
# "echo-off:", seckey writes the policy's pin_prompt to stderr.
prompted() {
	local pam=no sk=no
	grep -q '^echo-off: ' <<<"$pam_out" && pam=yes
	grep -q 'Security key PIN:' <<<"$sk_err" && sk=yes
	echo "module $pam, seckey test $sk"
}
same_commands() {
	is "$(ctap_commands "$trial/sk/logs")" "$(ctap_commands "$trial/pam/logs")" "$1"
}

# --- success: the same key, the same commands --------------------------
agree ok "$state" 1234 --keys 2
like "$pam_out" 'authenticate: PAM_SUCCESS$' "success: the module signs in"
is "$sk_rc" 0 "and seckey test succeeds"
pam_key=$(sed -n 's/.*signed in with security key "\(.*\)"$/\1/p' <<<"$pam_err")
sk_key=$(sed -n 's/^seckey: sign-in works with "\([^"]*\)".*/\1/p' <<<"$sk_err")
is "$pam_key" "Blue key" "the module names the key that answered"
is "$sk_key" "$pam_key" "seckey test names the same key"
same_commands "the keys get the same commands from both"

# --- a model the policy does not allow: no key is touched --------------
policy 'allowed_aaguids = {"2fc0579f-8113-47ea-b116-bb5a8db9202a"}'
agree model "$state" 1234 --keys 2
like "$pam_out" 'authenticate: PAM_AUTHINFO_UNAVAIL$' "a model not allowed: the module refuses"
like "$pam_err" 'no registered security key found: none of the registered keys is of a model allowed_aaguids accepts' \
	"and syslog says why"
is "$sk_rc" 1 "seckey test refuses too"
is "$sk_err" "seckey: the policy allows the model of none of the registered security keys of alice (allowed_aaguids); sign-in refuses them all" \
	"saying that the policy allows none of the registered models"
is "$(requests "$trial/pam/logs")" 0 "the module sends no command, not even an open, to any key"
is "$(requests "$trial/sk/logs")" 0 "nor does seckey test"
is "$(prompted)" "module no, seckey test no" "neither asks for a PIN"
agree model-name "$state" 1234 --keys 2 -- "Red key"
is "$sk_err" 'seckey: the policy does not allow the model of "Red key"; sign-in refuses it' \
	"seckey test NAME names the key whose model is refused"
is "$(requests "$trial/sk/logs")" 0 "and touches no key either"
policy ""

# --- PIN blocked: both ask, the key refuses the PIN token -------------
blocked="$TEST_TMP/blocked"
cp -r "$state" "$blocked"
sed -i 's/^pin_retries .*/pin_retries 0/' "$blocked/key0.state"
agree blocked "$blocked" 1234
like "$pam_out" 'authenticate: PAM_MAXTRIES$' "PIN blocked: the module returns PAM_MAXTRIES"
like "$pam_out" "error: Your security key is locked: its PIN is blocked" "and tells the user the key is locked"
like "$pam_err" 'PIN blocked on security key "Blue key"' "syslog: PIN blocked, and the key"
is "$sk_rc" 1 "seckey test refuses too"
like "$sk_err" 'seckey: the PIN is blocked after too many wrong attempts' "as a blocked PIN"
is "$(prompted)" "module yes, seckey test yes" "both ask for the PIN (no command more to ask the key first)"
unlike "$(cat "$trial"/*/logs/key0.log)" 'getRetries' "neither asks the key for its retries first"
is "$(retries_of "$trial/pam/state") $(retries_of "$trial/sk/state")" "0 0" "the retries stay at 0"
like "$(ctap_commands "$trial/pam/logs")" 'clientPIN\.getPinUvAuthTokenUsingPinWithPermissions$' \
	"the key refuses the PIN token, and no assertion follows"
same_commands "both send the same commands"

# --- no PIN set on the key ---------------------------------------------
nopin="$TEST_TMP/nopin"
cp "$KEYS" "$TEST_TMP/keys.saved"
vk --state "$nopin" -- '"$ENROLL" --no-pin --device "$DEV0" --rp "$RP" --name "Bare key" --out "$KEYS"'
keys_own alice
agree nopin "$nopin" 1234
like "$pam_out" 'authenticate: PAM_AUTH_ERR$' "no PIN set: the module refuses"
like "$pam_out" "error: Your security key has no PIN: set one with 'seckey pin set'\\." "and says how to set one"
is "$sk_rc" 1 "seckey test refuses too"
is "$sk_err" 'seckey: the security key has no PIN; set one with "seckey pin set"' "and says how to set one"
is "$(prompted)" "module no, seckey test no" "neither asks for a PIN"
same_commands "both send the same commands"
cp "$TEST_TMP/keys.saved" "$KEYS"
keys_own alice

# --- a registered key that was reset: it holds no credential -----------
wiped="$TEST_TMP/wiped"
cp -r "$state" "$wiped"
vk --state "$wiped" -- "$NOTTY"' fido2-token -R "$DEV0" </dev/null'
policy 'timeout = 1'
agree reset "$wiped" 1234
like "$pam_out" 'authenticate: PAM_AUTHINFO_UNAVAIL$' "a reset key: the module finds no registered key"
like "$pam_out" 'error: No registered security key was found\.' "and says so"
is "$sk_rc" 1 "seckey test refuses too"
like "$sk_err" 'none of the security keys plugged in holds a registered credential of alice; a registered key that was reset' \
	"and says that a key that was reset no longer signs in"
is "$(prompted)" "module no, seckey test no" "neither asks for a PIN"
same_commands "both send the same commands"
policy ""

# --- a wrong PIN: one retry each ---------------------------------------
agree wrong "$state" 9999
like "$pam_out" 'error: Wrong PIN, 7 attempts left\.' "a wrong PIN: the module says 7 attempts are left"
like "$sk_err" 'seckey: wrong PIN, 7 attempts left$' "seckey test says the same"
is "$(retries_of "$trial/pam/state") $(retries_of "$trial/sk/state")" "7 7" \
	"each spent exactly one of the key's 8 retries"
same_commands "both send the same commands"

done_testing
