#!/bin/bash
# A phishing device: a key that does not hold alice's credential but
# answers the silent probe "yes" for the id it was sent, signed by a key
# of its own (tests/virtkey --evil phish).  Chosen, it would get the PIN
# protocol and from it LEFT(SHA-256(PIN), 16).  Its answer does not verify
# with the registered public key, so it is skipped: never a PIN prompt on
# its account, never a clientPIN command sent to it, and syslog names it.
. "$top_srcdir/tests/sh/tap.sh"
. "$top_srcdir/tests/sh/virtkey.sh"
. "$top_srcdir/tests/sh/pamenv.sh"
pam_env_check
. "$top_srcdir/tests/sh/seckeyenv.sh"
plan 19

state="$TEST_TMP/state"
phish="$TEST_TMP/phish"
both="$TEST_TMP/both"
logs="$TEST_TMP/logs"
alice_with_key "$state" || { echo "Bail out! cannot register a key on the virtual key"; exit 1; }
export KILL_AFTER=9
signin='printf "1234\n" | timeout -k 2 "$KILL_AFTER" "$PAMRUN" login alice authenticate'

# The phishing device has a PIN of its own, so that nothing but the
# probe's verdict keeps the module from running the PIN protocol with it.
vk --state "$phish" -- 'printf "9999\n9999\n" | '"$NOTTY"' fido2-token -S "$DEV0"'
is "$rc" 0 "the phishing device has a PIN set"

skipped='SYSLOG\(4\): user alice: security key at [^ ]*key0-usb\.sock answered the probe for "Blue key" with a signature that does not verify: skipped'

# (a) Only the phishing device is plugged in.
rm -rf "$logs"
timed_vk --state "$phish" --log-dir "$logs" --evil phish --evil-on probe,assert -- "$signin"
keylog=$(cat "$logs/key0.log")
like "$keylog" 'getAssertion up=0 uv=0 pinauth=0 allow=1 evil=1 status=0x00' \
	"alone: the phishing device claimed alice's credential in the probe"
like "$out" 'authenticate: PAM_AUTHINFO_UNAVAIL$' "alone: no registered key found (PAM_AUTHINFO_UNAVAIL)"
unlike "$out" 'echo-off' "alone: the PIN is never asked"
unlike "$keylog" 'clientPIN' "alone: the phishing device gets no clientPIN command"
is "$(grep -c 'getAssertion' <<<"$keylog")" 1 "alone: it is probed once, then left alone while plugged in"
like "$err" "$skipped" "alone: syslog names the skipped device (warning level)"
like "$err" 'SYSLOG\([0-9]\): user alice: no registered security key found' \
	"alone: and the outcome"
in_time "alone: it ends after the 3 s timeout"

# (b) The phishing device first, alice's real key second.
mkdir -p "$both"
cp "$phish/key0.state" "$both/key0.state"
cp "$state/key0.state" "$both/key1.state"
rm -rf "$logs"
vk --state "$both" --keys 2 --evil-keys 0 --log-dir "$logs" --evil phish --evil-on probe,assert -- "$signin"
like "$out" 'authenticate: PAM_SUCCESS$' "with the real key plugged in too, alice signs in"
like "$out" 'echo-off: Security key PIN: ' "with the PIN asked once"
is "$(grep -c '^echo-off:' <<<"$out")" 1 "only once"
like "$(cat "$logs/key0.log")" 'getAssertion up=0 uv=0 pinauth=0 allow=1 evil=1 status=0x00' \
	"the phishing device, first in line, claimed the credential"
unlike "$(cat "$logs/key0.log")" 'clientPIN' "the phishing device gets no clientPIN command"
like "$(cat "$logs/key1.log")" 'clientPIN\.getKeyAgreement' "the real key runs the PIN protocol"
like "$err" "$skipped" "syslog names the skipped device"
like "$err" 'signed in with security key "Blue key"' "and the key alice signed in with"

# The real key is not hurt by any of it.
vk --state "$both" --keys 2 --evil-keys 0 --evil phish -- 'fido2-token -I "$DEV1"'
like "$out" 'pin retries: 8' "the real key's PIN retries are untouched"

# Without the knob the phishing device is just another key: it holds no
# credential of alice's, and says so.
rm -rf "$logs"
vk --state "$phish" --log-dir "$logs" -- "$signin"
like "$(cat "$logs/key0.log")" 'getAssertion up=0 uv=0 pinauth=0 allow=1 status=0x2e' \
	"an honest foreign key answers the probe with NO_CREDENTIALS"

done_testing
