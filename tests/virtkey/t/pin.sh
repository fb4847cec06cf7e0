#!/bin/bash
# PIN life cycle on the virtual key, driven by fido2-token: set, change,
# wrong PINs, the three-in-a-row power-cycle rule, a blocked PIN, reset.
. "$top_srcdir/tests/sh/tap.sh"
. "$top_srcdir/tests/sh/virtkey.sh"
command -v fido2-token >/dev/null || plan_skip_all "fido2-tools is not installed"
plan 25

state="$TEST_TMP/state"
set_pin='printf "1234\n1234\n" | '"$NOTTY"' fido2-token -S "$DEV0"'
# change_pin OLD NEW: fido2-token -C with its three answers.
change_pin='change_pin() { printf "%s\n%s\n%s\n" "$1" "$2" "$2" | '"$NOTTY"' fido2-token -C "$DEV0"; }'
retries='fido2-token -I "$DEV0" | sed -n "s/^pin retries: //p"'

vk --state "$state" -- "$set_pin"
is "$rc" 0 "fido2-token -S sets a PIN"
vk --state "$state" -- 'fido2-token -I "$DEV0"'
like "$out" 'options: nork, up, noplat, clientPin,' "the key now reports clientPin"
like "$out" $'\npin retries: 8\n' "with 8 retries"

vk --state "$state" -- "$set_pin"
is "$rc" 1 "a second setPIN is refused"
like "$err" 'FIDO_ERR_PIN_AUTH_INVALID|FIDO_ERR_NOT_ALLOWED|FIDO_ERR_PIN_POLICY' "with a CTAP error"

vk --state "$state" -- "$change_pin; change_pin 1234 5678"
is "$rc" 0 "fido2-token -C changes the PIN"
vk --state "$state" -- "$change_pin; change_pin 1234 9999"
like "$err" 'FIDO_ERR_PIN_INVALID' "the old PIN is wrong now"
vk --state "$state" -- "$retries"
is "$out" 7 "a wrong PIN costs one retry, and the count is kept on the key"
vk --state "$state" -- "$change_pin; change_pin 5678 5678"
is "$rc" 0 "the right PIN works"
vk --state "$state" -- "$retries"
is "$out" 8 "and gives the retries back"

# Three wrong PINs in a row block PIN use until the key is re-plugged.
vk --state "$state" -- "$change_pin
	for pin in 1111 2222 3333 5678; do change_pin \$pin 4321; echo \"rc=\$?\"; done
	$retries"
like "$err" '(FIDO_ERR_PIN_INVALID.*){2}FIDO_ERR_PIN_AUTH_BLOCKED' "the third wrong PIN in a row blocks PIN use"
like "$out" $'rc=1\nrc=1\nrc=1\nrc=1\n5$' "even the right PIN is refused until a power cycle; 5 retries left"
like "$err" 'FIDO_ERR_PIN_AUTH_BLOCKED$' "the fourth attempt meets PIN_AUTH_BLOCKED"
vk --state "$state" -- "$change_pin; change_pin 5678 5678 && $retries"
is "$rc" 0 "after re-plugging the key the right PIN works again"
is "$out" 8 "and the retries are back to 8"

# Eight wrong PINs block the PIN for good.
for round in 1 2 3; do
	vk --state "$state" -- "$change_pin; change_pin 0000 1111; change_pin 0000 1111; change_pin 0000 1111"
done
vk --state "$state" -- "$retries"
is "$out" 0 "after eight wrong PINs no retry is left"
is "$rc" 0 "fido2-token -I still reads a key whose PIN is blocked"
vk --state "$state" -- "$change_pin; change_pin 5678 1111"
like "$err" 'FIDO_ERR_PIN_BLOCKED' "the right PIN is refused: the PIN is blocked"

# Reset: only in the first seconds after the key is plugged in.
vk --state "$state" --reset-window 1 -- 'sleep 1.5; fido2-token -R "$DEV0"'
is "$rc" 1 "reset is refused once the reset window has passed"
like "$err" 'FIDO_ERR_NOT_ALLOWED' "with NOT_ALLOWED"
vk --state "$state" -- 'fido2-token -R "$DEV0"'
is "$rc" 0 "fido2-token -R resets the key right after it is plugged in"
vk --state "$state" -- 'fido2-token -I "$DEV0"'
like "$out" 'options: nork, up, noplat, noclientPin,' "the reset key has no PIN"
vk --state "$state" -- "$set_pin && $retries"
is "$out" 8 "a PIN can be set again after the reset, with 8 retries"
vk --state "$state" --touch never -- 'timeout 2 fido2-token -R "$DEV0"; echo "rc=$?"; fido2-token -I "$DEV0"'
like "$out" $'^rc=124\n' "reset waits for a touch that never comes"
like "$out" 'options: nork, up, noplat, clientPin,' "and without the touch nothing was wiped"

done_testing
