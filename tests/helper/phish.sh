#!/bin/bash
# seckey test with a phishing device (tests/virtkey --evil phish): a key
# that does not hold the credential but claims it in the silent probe,
# signed by a key of its own.  seckey test takes the module's path: the
# device is skipped and named, and the PIN is never asked for.
. "$top_srcdir/tests/sh/tap.sh"
. "$top_srcdir/tests/sh/virtkey.sh"
. "$top_srcdir/tests/sh/seckeycli.sh"
plan 9

state="$TEST_TMP/state"
phish="$TEST_TMP/phish"
both="$TEST_TMP/both"
logs="$TEST_TMP/logs"

vk --state "$state" -- 'set_pin 1234 && printf "1234\n" | sk register --device "$DEV0" --name "Blue key"'
is "$rc" 0 "a key is registered"
vk --state "$phish" -- 'set_pin 9999'
is "$rc" 0 "the phishing device has a PIN of its own"

skipped='seckey: security key at [^ ]*key0-usb\.sock answered the probe for "Blue key" with a signature that does not verify: skipped'

if sk_need_root 7 "a policy with a short timeout"; then
	sk_policy 'timeout = 2'
	rm -rf "$logs"
	vk --state "$phish" --log-dir "$logs" --evil phish --evil-on probe,assert -- 'printf "9999\n" | sk test'
	is "$rc" 1 "with only the phishing device plugged in the test fails"
	unlike "$err" 'PIN' "the PIN is never asked for"
	like "$err" "$skipped" "the skipped device is named"
	like "$err" 'seckey: "Blue key" was not found among the security keys plugged in$' \
		"and the registered key is not found"
	unlike "$(cat "$logs/key0.log")" 'clientPIN' "the phishing device gets no clientPIN command"

	mkdir -p "$both"
	cp "$phish/key0.state" "$both/key0.state"
	cp "$state/key0.state" "$both/key1.state"
	vk --state "$both" --keys 2 --evil-keys 0 --evil phish --evil-on probe,assert -- 'printf "1234\n" | sk test'
	is "$rc" 0 "with the real key plugged in after it, the test passes"
	like "$err" 'seckey: sign-in works with "Blue key"' "with the real key"
	sk_policy
fi

done_testing
