#!/bin/bash
# seckey test: a full sign-in check without PAM (PIN, touch, signature),
# reporting which registered key answered.
. "$top_srcdir/tests/sh/tap.sh"
. "$top_srcdir/tests/sh/virtkey.sh"
. "$top_srcdir/tests/sh/seckeycli.sh"
plan 30

state="$TEST_TMP/state"
logs="$TEST_TMP/logs"
export logs

run sk test
is "$rc" 1 "test with no key registered is refused"
is "$err" "seckey: $SK_USER has no security keys registered; register one with \"seckey register\"" \
	"and says how to register one"

vk --state "$state" --keys 3 -- 'set_pin 1234 && set_pin 5678 "$DEV1" && set_pin 1111 "$DEV2" &&
	printf "1234\n" | sk register --device "$DEV0" --name "Blue key" &&
	printf "5678\n" | sk register --device "$DEV1" --name "Red key"'
is "$rc" 0 "two keys are registered (a third is not)"

vk --state "$state" --keys 3 --log-dir "$logs" -- 'printf "5678\n" | sk test "Red key"'
is "$rc" 0 "test NAME succeeds with that key's PIN"
is "$err" $'Security key PIN: \nTouch your security key now.\nseckey: sign-in works with "Red key" (security key, usb)\nseckey: note: security keys are still switched off in the policy (enabled = false), so sign-in does not use them yet' \
	"it asks for the PIN, cues the touch and names the key that answered"
like "$(grep 'getAssertion' "$logs/key1.log" | tail -n 1)" 'up=1 uv=0 pinauth=1 allow=1 status=0x00$' \
	"the assertion had user presence and the PIN (pinUvAuthParam)"
like "$(grep 'getAssertion' "$logs/key1.log" | head -n 1)" 'up=0 uv=0 pinauth=0' \
	"after a silent probe that asked for nothing"

vk --state "$state" --keys 3 -- 'printf "1234\n" | sk test'
is "$rc" 0 "test without NAME finds whichever registered key is plugged in"
like "$err" 'sign-in works with "Blue key"' "and reports it"

vk --state "$state" --keys 3 -- 'kill "$(cat "$VIRTKEY_DIR/key0.pid")"; while [ -e "$VIRTKEY_DIR"/key0-usb.sock ]; do sleep 0.05; done
	printf "5678\n" | sk test'
is "$rc" 0 "with the first key pulled out, the other registered one answers"
like "$err" 'sign-in works with "Red key"' "and is named"

vk --state "$state" --keys 3 -- 'printf "0000\n" | sk test "Blue key"'
is "$rc" 1 "a wrong PIN fails the test"
like "$err" 'seckey: wrong PIN, 7 attempts left$' "with the retries left"
vk --state "$state" --keys 3 -- 'printf "1234\n" | sk test "Blue key"'
is "$rc" 0 "the right PIN passes again"

# A key that misbehaves (tests/virtkey --evil) fails the test.
vk --state "$state" --keys 3 --evil bad-sig -- 'printf "1234\n" | sk test "Blue key"'
is "$rc" 1 "a bad assertion signature fails the test"
like "$err" 'seckey: the assertion signature does not verify with the public key of "Blue key"$' \
	"as a bad signature"
vk --state "$state" --keys 3 --evil clear-uv -- 'printf "1234\n" | sk test "Blue key"'
is "$rc" 1 "an assertion without the UV flag fails the test"
like "$err" 'seckey: the key did not confirm user verification' "as missing user verification"
vk --state "$state" --keys 3 --evil clear-up -- 'printf "1234\n" | sk test "Blue key"'
like "$err" 'seckey: the key did not confirm user presence' "and one without the UP flag as missing presence"

run sk test "Green key"
is "$rc" 1 "test of an unknown name is refused"
is "$err" "seckey: $SK_USER has no key named \"Green key\" (see \"seckey list\")" "naming it"
run sk test a b
is "$rc" 2 "test takes at most one name"

if sk_need_root 8 "a policy of the test's own"; then
	sk_policy 'timeout = 1'
	vk --keys 1 -- 'set_pin 1234; printf "1234\n" | sk test'
	is "$rc" 1 "with no registered key plugged in the test fails"
	is "$err" "Insert (or tap) your security key.
seckey: none of the security keys plugged in holds a registered credential of $SK_USER; a registered key that was reset no longer signs in: remove it with \"seckey delete\"" \
		"the insert cue, then that no key plugged in holds a registered credential"
	vk --keys 1 -- 'printf "1234\n" | sk test "Blue key"'
	is "$(grep -c 'Insert (or tap) your security key\.' <<<"$err")" 1 "seckey test NAME: the insert cue once"

	sk_policy 'timeout = 2'
	vk --state "$state" --keys 3 --touch never -- 'printf "1234\n" | sk test "Blue key"'
	is "$rc" 1 "no touch fails the test"
	like "$err" 'seckey: the security key was not touched in time$' "as a timeout"

	sk_policy 'user_verification = "none"
enabled = true'
	vk --state "$state" --keys 3 -- 'sk test "Blue key" </dev/null'
	is "$rc" 0 "with user_verification none no PIN is asked for"
	is "$err" $'Touch your security key now.\nseckey: sign-in works with "Blue key" (security key, usb)' \
		"only the touch, and no note once keys are enabled"

	sk_policy 'allowed_aaguids = {"2fc0579f-8113-47ea-b116-bb5a8db9202a"}'
	vk --state "$state" --keys 3 -- 'printf "1234\n" | sk test "Blue key"'
	is "$rc" 1 "a model the policy does not allow fails the test"
	sk_policy
fi

done_testing
