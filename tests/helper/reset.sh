#!/bin/bash
# seckey reset on the virtual key: the warning, the confirmation, the
# touch, the reset window, and fido2-token's view of the key afterwards.
. "$top_srcdir/tests/sh/tap.sh"
. "$top_srcdir/tests/sh/virtkey.sh"
. "$top_srcdir/tests/sh/seckeycli.sh"
plan 25

state="$TEST_TMP/state"
keys=$(keys_of "$SK_USER")
info='fido2-token -I "$DEV0"'

vk --state "$state" -- 'set_pin 1234 && printf "1234\n" | sk register --name "Blue key"'
is "$rc" 0 "a key with a PIN is registered"
cp "$keys" "$TEST_TMP/keys.before"

vk --state "$state" -- 'sk reset </dev/null'
is "$rc" 1 "reset without a terminal and without --yes is refused"
like "$err" '^seckey: a reset erases every credential on the security key at virtkey:[^ ]*, for this machine and every other site, and removes its PIN
seckey: a reset must be confirmed: run "seckey reset" on a terminal, or add --yes$' \
	"it warns what a reset erases, and asks for --yes"
vk --state "$state" -- "$info"
like "$out" 'clientPin,' "the key still has its PIN"

vk --state "$state" --reset-window 1 -- 'sleep 1.5; sk reset --yes'
is "$rc" 1 "a reset long after the key was plugged in is refused by the key"
like "$err" 'seckey: the security key refused: it allows a reset only within a few seconds after it is plugged in; unplug it, plug it back in and run "seckey reset" again at once$' \
	"and the user is told to plug it in again and retry at once"

if sk_need_root 3 "a short timeout in the test's own policy"; then
	sk_policy 'timeout = 2'
	vk --state "$state" --touch never -- 'sk reset --yes'
	is "$rc" 1 "a reset without a touch is refused"
	like "$err" 'seckey: the security key was not touched in time; nothing was erased$' "as a touch timeout"
	vk --state "$state" -- "$info"
	like "$out" 'clientPin,' "and the key kept its PIN"
	sk_policy
fi

vk --state "$state" -- 'sk reset --yes'
is "$rc" 0 "reset --yes right after plugging the key in succeeds"
like "$err" $'\nTouch your security key now\\. A key allows a reset only within a few seconds after it is plugged in\\.\n' \
	"it tells the user to touch the key, and about the window after plugging it in"
like "$err" 'seckey: the security key is reset: no credentials, no PIN; "Blue key" no longer signs in, remove it with "seckey delete"$' \
	"and names the registered entry that no longer works"
vk --state "$state" -- "$info"
like "$out" 'options: nork, up, noplat, noclientPin,' "fido2-token -I: the key has no PIN"
like "$out" $'\npin retries: 8\n' "fido2-token -I: and a full count of retries, as a new key"
cmp -s "$keys" "$TEST_TMP/keys.before"
ok $? "the key list is left as it was"

vk --state "$state" -- 'set_pin 1234; printf "1234\n" | sk test'
is "$rc" 1 "the registered credential no longer works on the reset key"
like "$err" 'seckey: no security key plugged in holds the credential of "Blue key": if that key is plugged in, it was reset and no longer signs in; remove it with "seckey delete"$' \
	"seckey test says the key no longer holds the credential, not that it is not plugged in"
unlike "$err" 'not found among the security keys plugged in' "and does not claim the key is missing"
vk --state "$state" -- 'sk delete "Blue key" </dev/null'
is "$err" 'seckey: deleted "Blue key"' "seckey delete of the reset key does not suggest a reset"
vk --state "$state" -- 'printf "1234\n" | sk register --name "Blue again"'
is "$rc" 0 "the reset key registers again"

vk --state "$state" -- 'sk reset --yes extra'
is "$rc" 2 "reset takes no argument"
vk --keys 2 -- 'sk reset --yes'
is "$rc" 1 "with two keys and no --device, reset refuses"
like "$err" 'choose one with --device PATH' "and says how to choose"
vk --state "$state" --keys 2 -- 'sk reset --yes --device "$DEV0"'
is "$rc" 0 "reset --device resets the key chosen"
like "$err" 'the security key is reset' "and says so"

done_testing
