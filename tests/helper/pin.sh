#!/bin/bash
# seckey pin set and pin change on the virtual key: CTAP's PIN rules, the
# retries left after a wrong PIN, a blocked PIN, and fido2-token's view
# of the key afterwards.
. "$top_srcdir/tests/sh/tap.sh"
. "$top_srcdir/tests/sh/virtkey.sh"
. "$top_srcdir/tests/sh/seckeycli.sh"
plan 49

state="$TEST_TMP/state"
logs="$TEST_TMP/logs"
info='fido2-token -I "$DEV0"'
export logs

# --- pin set: the rules, checked before the key sees anything ------------
pin_set_refused() {	# INPUT MESSAGE-REGEX DESCRIPTION
	vk --state "$state" --log-dir "$logs" -- "printf '$1' | sk pin set"
	is "$rc" 1 "$3 is refused"
	like "$err" "$2" "$3: the message says why"
}
pin_set_refused '123\n123\n' 'seckey: a PIN must be 4 to 63 bytes long, with at least 4 characters$' "a PIN of 3 digits"
pin_set_refused '\xc3\xa9\xc3\xa9\xc3\xa9\n\xc3\xa9\xc3\xa9\xc3\xa9\n' 'at least 4 characters$' "3 characters in 6 bytes"
pin_set_refused "$(printf '1%.0s' $(seq 64))\\n" 'seckey: a PIN is at most 63 bytes$' "a PIN of 64 bytes"
pin_set_refused '\xff\xfe\xfd\xfc\n\xff\xfe\xfd\xfc\n' 'seckey: a PIN must be UTF-8 text without control characters$' "a PIN that is not UTF-8"
pin_set_refused '1234\n1235\n' 'seckey: the two new PINs differ; nothing was changed$' "two PINs that differ"
pin_set_refused '1234\n' 'seckey: no PIN given: standard input ended$' "a PIN given once"
unlike "$(cat "$logs/key0.log")" 'setPIN' "none of them reached the key"
vk --state "$state" -- "$info"
like "$out" 'noclientPin' "the key still has no PIN"

vk --state "$state" -- 'printf "1234\n1234\n" | sk pin set'
is "$rc" 0 "pin set with a good PIN, twice, succeeds"
is "$err" $'New PIN: \nNew PIN again: \nseckey: PIN set; the key allows 8 wrong attempts before it locks' \
	"it asks twice and reports the retries"
vk --state "$state" -- "$info"
like "$out" 'options: nork, up, noplat, clientPin,' "fido2-token -I: the key has a PIN"
like "$out" $'\npin retries: 8\n' "fido2-token -I: 8 retries"

vk --state "$state" -- 'printf "5678\n5678\n" | sk pin set'
is "$rc" 1 "pin set on a key with a PIN is refused"
is "$err" 'seckey: the security key already has a PIN; change it with "seckey pin change"' "and points to pin change"

# A 63-byte PIN of multibyte characters is fine; fido2-token accepts it.
long=$(printf 'é%.0s' $(seq 31))x
vk -- "printf '%s\n%s\n' '$long' '$long' | sk pin set && printf '%s\n%s\n%s\n' '$long' 1234 1234 | setsid -w fido2-token -C \"\$DEV0\""
is "$rc" 0 "a PIN of 63 bytes (32 characters) is set, and fido2-token changes it"

# --- pin change -----------------------------------------------------------
vk --state "$state" -- 'printf "1234\n4321\n4321\n" | sk pin change'
is "$rc" 0 "pin change succeeds"
is "$err" $'Current PIN: \nNew PIN: \nNew PIN again: \nseckey: PIN changed; the key allows 8 wrong attempts before it locks' \
	"it asks for the current PIN, then the new one twice"
vk --state "$state" -- 'printf "4321\n9999\n9999\n" | setsid -w fido2-token -C "$DEV0"'
is "$rc" 0 "fido2-token accepts the new PIN"

vk --state "$state" -- 'printf "4321\n12\n12\n" | sk pin change'
is "$rc" 1 "a new PIN that breaks the rules is refused"
like "$err" 'a PIN must be 4 to 63 bytes long' "with the rule"
vk --state "$state" -- 'printf "9999\n1111\n2222\n" | sk pin change'
is "$rc" 1 "new PINs that differ are refused"
vk --state "$state" -- "$info"
like "$out" $'\npin retries: 8\n' "neither cost a retry: the old PIN was never sent"

vk --state "$state" -- 'printf "0000\n1111\n1111\n" | sk pin change'
is "$rc" 1 "a wrong current PIN is refused"
is "$err" $'Current PIN: \nNew PIN: \nNew PIN again: \nseckey: wrong PIN, 7 attempts left' "with the retries left"
vk --state "$state" -- 'printf "0000\n1111\n1111\n0000\n1111\n1111\n0000\n1111\n1111\n" | { sk pin change; sk pin change; sk pin change; }'
like "$err" 'wrong PIN, 6 attempts left.*wrong PIN, 5 attempts left.*three wrong PINs in a row: unplug the security key and plug it back in before the next try' \
	"the third wrong PIN in a row asks for the key to be plugged in again"
vk --state "$state" -- 'printf "9999\n1111\n1111\n" | sk pin change'
is "$rc" 0 "after re-plugging, the right PIN works"
vk --state "$state" -- "$info"
like "$out" $'\npin retries: 8\n' "and the retries are back to 8"

vk --state "$state" -- 'printf "1111\n2222\n2222\n" | sk pin change --device "$DEV0"'
is "$rc" 0 "pin change --device works"

# Eight wrong PINs block it.
for round in 1 2 3; do
	vk --state "$state" -- 'printf "0000\n1111\n1111\n0000\n1111\n1111\n0000\n1111\n1111\n" | { sk pin change; sk pin change; sk pin change; }'
done
like "$err" 'PIN is blocked' "the eighth wrong PIN blocks the key"
vk --state "$state" -- 'printf "2222\n1111\n1111\n" | sk pin change'
is "$rc" 1 "pin change on a blocked key is refused"
is "$err" 'seckey: the PIN is blocked after too many wrong attempts: the security key must be reset ("seckey reset"), which erases every credential on it' \
	"before asking for anything, saying a reset is the way out"
vk --state "$state" -- 'printf "2222\n" | sk register'
is "$rc" 1 "register refuses a blocked key too"
like "$err" 'PIN is blocked|wrong PIN, and no attempt is left' "as blocked"

vk -- 'printf "1234\n1111\n1111\n" | sk pin change'
is "$rc" 1 "pin change on a key without a PIN is refused"
is "$err" 'seckey: the security key has no PIN; set one with "seckey pin set"' "and points to pin set"

# --- usage -----------------------------------------------------------------
run sk pin
is "$rc" 2 "pin without set or change is a usage error"
run sk pin frob
is "$rc" 2 "so is an unknown pin command"
like "$err" 'unknown pin command "frob"' "named in the message"
run sk pin set --help
is "$rc" 0 "pin set --help succeeds"
like "$out" '^usage: seckey pin set\|change \[--device PATH\]' "and shows the usage"
run sk pin set extra
is "$rc" 2 "pin set takes no argument"
vk --keys 2 -- 'set_pin 1234; printf "1234\n5678\n5678\n" | sk pin change'
is "$rc" 1 "with two keys and no --device, pin change refuses"
like "$err" 'choose one with --device PATH' "and says how to choose"

done_testing
