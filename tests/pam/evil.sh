#!/bin/bash
# An evil authenticator: the virtual key lies (a signature by another key,
# UP or UV left out, a counter that goes backwards) or breaks the protocol
# (malformed CBOR, a reply cut short, sent on another channel, announcing
# 65535 bytes, endless keepalives, a hang-up mid-reply), in the real
# assertion, in the silent probe, or in the getInfo of opening the key.
# A probe answer counts only if its signature verifies (see also
# phish.sh).  Every case ends in a refusal or an error with a message for
# the user and a syslog line: never PAM_SUCCESS, never a crash (the
# "authenticate:" line is there), never later than the policy timeout
# (3 s) + 2 s.
. "$top_srcdir/tests/sh/tap.sh"
. "$top_srcdir/tests/sh/virtkey.sh"
. "$top_srcdir/tests/sh/pamenv.sh"
pam_env_check
. "$top_srcdir/tests/sh/seckeyenv.sh"
plan 142

state="$TEST_TMP/state"
logs="$TEST_TMP/logs"
alice_with_key "$state" || { echo "Bail out! cannot register a key on the virtual key"; exit 1; }
# The policy timeout is 3 s.  A module that hangs is stopped (after
# $KILL_AFTER s), so the test ends.
export KILL_AFTER=9
signin='printf "1234\n" | timeout -k 2 "$KILL_AFTER" "$PAMRUN" login alice authenticate'

vk --state "$state" -- "$signin"
like "$out" 'authenticate: PAM_SUCCESS$' "the honest key signs in"

# evil_run WITH-VIRTKEY-OPTIONS...: one sign-in; sets out, err, ms, keylog.
evil_run() {
	rm -rf "$logs"
	timed_vk --state "$state" --log-dir "$logs" "$@" -- "$signin"
	keylog=$(cat "$logs"/key*.log 2>/dev/null)
}

# refused WHAT CODE MESSAGE SYSLOG: the checks every evil sign-in passes.
refused() {
	like "$out" "authenticate: $2\$" "$1: $2, and no crash"
	like "$out" "error: $3" "$1: the user is told"
	like "$err" "SYSLOG\\([0-9]\\): user alice: $4" "$1: syslog says why"
	in_time "$1: it ends no later than the 3 s timeout allows"
}

unverified="The security key's answer could not be verified\\."
no_touch="The security key was not touched in time\\."
removed="The security key was removed before the sign-in finished\\."
not_found="No registered security key was found\\."
bad_answer='refused an assertion that does not verify from security key "Blue key"'
timed_out='no touch in time on security key "Blue key": assertion with "Blue key" failed: FIDO_ERR_RX'
lost='lost contact with security key "Blue key": assertion with "Blue key" failed: FIDO_ERR_RX'

# The misbehaviours of framing and encoding, tried on the probe and on
# getInfo as well as on the assertion.
framing_faults="bad-cbor
truncated
wrong-cid
oversized
endless-keepalive
disconnect"

# The assertion after the PIN and the touch (--evil-on assert, the default).
while IFS='|' read -r knob code message syslog; do
	evil_run --evil "$knob"
	like "$keylog" 'getAssertion up=1 uv=0 pinauth=1 allow=1 evil=1 ' \
		"$knob: the key spoiled the assertion proper"
	refused "$knob" "$code" "$message" "$syslog"
done <<EOF
clear-up|PAM_AUTH_ERR|$unverified|$bad_answer: the key did not confirm user presence
clear-uv|PAM_AUTH_ERR|$unverified|$bad_answer: the key did not confirm user verification
bad-sig|PAM_AUTH_ERR|$unverified|$bad_answer: the assertion signature does not verify
other-key-sig|PAM_AUTH_ERR|$unverified|$bad_answer: the assertion signature does not verify with the public key of "Blue key"
bad-cbor|PAM_AUTH_ERR|$unverified|$bad_answer: assertion with "Blue key" failed: FIDO_ERR_RX_
truncated|PAM_AUTH_ERR|$no_touch|$timed_out
wrong-cid|PAM_AUTH_ERR|$no_touch|$timed_out
endless-keepalive|PAM_AUTH_ERR|$no_touch|$timed_out
oversized|PAM_AUTH_ERR|$unverified|$bad_answer: 
disconnect|PAM_AUTH_ERR|$unverified|$bad_answer: assertion with "Blue key" failed: FIDO_ERR_
counter-back|PAM_AUTH_ERR|$unverified|$bad_answer: the signature counter went backwards
EOF
like "$keylog" 'getAssertion up=0 uv=0 pinauth=0 allow=1 status=0x00' \
	"the silent probe before it was left alone"

# The silent probe: the key is not recognised, no PIN is asked.
while read -r knob; do
	evil_run --evil "$knob" --evil-on probe
	like "$keylog" 'getAssertion up=0 uv=0 pinauth=0 allow=1 evil=1 ' \
		"probe $knob: the key spoiled the probe"
	refused "probe $knob" PAM_AUTHINFO_UNAVAIL "$not_found" \
		'no registered security key found'
	unlike "$out" 'echo-off' "probe $knob: no PIN is asked"
done <<<"$framing_faults"

# A probe answer whose signature does not verify with the registered
# public key is a device that claims a credential it does not hold: it is
# skipped and named in syslog, and never asked for the PIN.
while read -r knob; do
	evil_run --evil "$knob" --evil-on probe
	refused "probe $knob" PAM_AUTHINFO_UNAVAIL "$not_found" \
		'no registered security key found'
	unlike "$out" 'echo-off' "probe $knob: no PIN is asked"
	like "$err" 'SYSLOG\(4\): user alice: security key at [^ ]* answered the probe for "Blue key" with a signature that does not verify: skipped' \
		"probe $knob: syslog names the skipped key"
done <<EOF
other-key-sig
bad-sig
EOF
# A probe asks for no touch and no PIN: flags left out of it do not matter.
evil_run --evil clear-up,clear-uv --evil-on probe
like "$out" 'authenticate: PAM_SUCCESS$' "a probe without the UP and UV flags, then an honest assertion: success"

# Three clones of the key, each stalling its probe: the wait for a key is
# one timeout in all, not one per key.
cp "$state/key0.state" "$state/key1.state"
cp "$state/key0.state" "$state/key2.state"
KILL_AFTER=15 evil_run --keys 3 --evil endless-keepalive --evil-on probe
refused "three stalling keys" PAM_AUTHINFO_UNAVAIL "$not_found" \
	'no registered security key found'
rm -f "$state/key1.state" "$state/key2.state"

# The getInfo libfido2 sends when it opens the key.
while read -r knob; do
	evil_run --evil "$knob" --evil-on info
	like "$keylog" 'CBOR getInfo evil=1 ' "open $knob: the key spoiled getInfo"
	refused "open $knob" PAM_AUTHINFO_UNAVAIL "$not_found" \
		'no registered security key found'
done <<<"$framing_faults"

# The key's counter went backwards many times; it is still refused.
evil_run --evil counter-back --evil-on all
like "$out" 'authenticate: PAM_AUTH_ERR$' "counter-back on every reply: refused"
vk --state "$state" -- "$signin"
like "$out" 'authenticate: PAM_SUCCESS$' "the honest key still signs in after all that"

done_testing
