#!/bin/bash
# Several keys: ten registered, two plugged in, the credential on the
# second.  The PIN is asked once, and the keys' logs show how few commands
# a sign-in costs; a key plugged in late is found; a long allow list goes
# in parts of 8, and smaller ones for a key that takes fewer at once.
. "$top_srcdir/tests/sh/tap.sh"
. "$top_srcdir/tests/sh/virtkey.sh"
. "$top_srcdir/tests/sh/pamenv.sh"
pam_env_check
. "$top_srcdir/tests/sh/seckeyenv.sh"
plan 28

state="$TEST_TMP/state"
logs="$TEST_TMP/logs"
pam_add_user alice 4242
keys_dir_for alice
export KEYS
KEYS=$(keys_of alice)
policy ""
signin='printf "1234\n" | "$PAMRUN" login alice authenticate'

# Key 1 holds alice's real credential, registered last of ten.
vk --state "$state" --keys 2 -- 'printf "1234\n1234\n" | '"$NOTTY"' fido2-token -S "$DEV0" &&
	printf "4321\n4321\n" | '"$NOTTY"' fido2-token -S "$DEV1" &&
	echo 4321 | "$ENROLL" --device "$DEV1" --rp "$RP" --name "Real key" --out "$TEST_TMP/real"'
is "$rc" 0 "a credential is registered on the second key"
pubkey=$(sed -n 's/^  public_key = "\(.*\)"$/\1/p' "$TEST_TMP/real")
{
	echo "# alice's keys"
	for i in $(seq 9); do
		printf 'key "Lost key %s" {\n  credential = "%s"\n  public_key = "%s"\n  algorithm = "es256"\n  aaguid = "86babe58-627a-45bd-885c-ff16bce5ed43"\n  transport = "usb"\n  created = "2026-11-26T08:00:00Z"\n}\n' \
			"$i" "$(head -c 62 /dev/urandom | base64 -w0)" "$pubkey"
	done
	sed 1d "$TEST_TMP/real"
} > "$KEYS"
keys_own alice
is "$(grep -c '^key ' "$KEYS")" 10 "alice has ten keys registered, the real one last"

# ctap_commands LOG: the CTAP (CBOR) commands a key received, one a line.
ctap_commands() { sed -n 's/^[0-9]* CBOR \([A-Za-z.]*\).*/\1/p' "$1"; }

# probes LOG: each silent probe a key got, as ids sent:status.
probes() { grep 'getAssertion up=0' "$1" | sed 's/.*allow=\([0-9]*\) status=\(0x..\)/\1:\2/' | paste -sd' '; }

# Keys that take 8 credential ids at a time (a YubiKey 5; the default).
vk --state "$state" --keys 2 --log-dir "$logs" -- 'printf "4321\n" | "$PAMRUN" login alice authenticate'
like "$out" 'authenticate: PAM_SUCCESS$' "the right key and PIN sign in"
is "$(grep -c '^echo-off:' <<<"$out")" 1 "the PIN is asked once"
like "$err" 'signed in with security key "Real key"' "syslog names the key that answered"
is "$(ctap_commands "$logs/key0.log" | paste -sd' ')" "getInfo getAssertion getAssertion" \
	"the other key gets two probes (after libfido2's getInfo on opening it)"
is "$(probes "$logs/key0.log")" "8:0x2e 2:0x2e" "silent probes of 8 and 2 credentials, never a refused list"
holder=$(ctap_commands "$logs/key1.log" | paste -sd' ')
is "$holder" "getInfo getAssertion getAssertion clientPIN.getKeyAgreement clientPIN.getPinUvAuthTokenUsingPinWithPermissions getAssertion" \
	"the key holding the credential: two probes, key agreement, PIN token, assertion (after getInfo)"
is "$(probes "$logs/key1.log")" "8:0x2e 2:0x00" "it is found in the second probe"
is "$(ctap_commands "$logs/key1.log" | sed 1d | wc -l)" 5 "that is 5 CTAP commands beyond opening the key"
unlike "$(cat "$logs/key0.log")" 'clientPIN' "the other key never sees a PIN operation"

# A key that takes 10 gets the same: 8 ids at most before it says more.
rm -rf "$logs"
vk --state "$state" --keys 2 --max-creds 10 --log-dir "$logs" -- 'printf "4321\n" | "$PAMRUN" login alice authenticate'
like "$out" 'authenticate: PAM_SUCCESS$' "with maxCredentialCountInList 10 the sign-in works"
is "$(probes "$logs/key1.log")" "8:0x2e 2:0x00" "the probes are 8 and 2 there too, without asking"

# A key that takes 4: it refuses 8, says its limit, and gets parts of 4.
rm -rf "$logs"
vk --state "$state" --keys 2 --max-creds 4 --log-dir "$logs" -- 'printf "4321\n" | "$PAMRUN" login alice authenticate'
like "$out" 'authenticate: PAM_SUCCESS$' "with maxCredentialCountInList 4 the sign-in still works"
is "$(probes "$logs/key1.log")" "8:0x15 4:0x2e 4:0x2e 2:0x00" "8 is refused, then the list goes as 4, 4 and 2"
is "$(ctap_commands "$logs/key1.log" | grep -c getInfo)" 2 "one more getInfo to learn the key's limit"

# Eight credentials, the right one last: one probe.
cp "$KEYS" "$TEST_TMP/ten"
sed '/^key "Lost key [12]" {/,/^}/d' "$TEST_TMP/ten" > "$KEYS"
keys_own alice
rm -rf "$logs"
vk --state "$state" --keys 2 --log-dir "$logs" -- 'printf "4321\n" | "$PAMRUN" login alice authenticate'
like "$out" 'authenticate: PAM_SUCCESS$' "eight credentials sign in"
is "$(probes "$logs/key1.log")" "8:0x00" "all eight go in one probe"
is "$(ctap_commands "$logs/key1.log" | sed 1d | wc -l)" 4 "4 CTAP commands beyond opening: probe, key agreement, PIN token, assertion"
cp "$TEST_TMP/ten" "$KEYS"
keys_own alice

# The key is plugged in while the module waits.
rm -rf "$logs"
vk --state "$state" --keys 2 --max-creds 10 --log-dir "$logs" -- 'mv "$VIRTKEY_DIR/key1-usb.sock" "$VIRTKEY_DIR/hidden" &&
	{ sleep 1; mv "$VIRTKEY_DIR/hidden" "$VIRTKEY_DIR/key1-usb.sock"; } &
	printf "4321\n" | "$PAMRUN" login alice authenticate; wait'
like "$out" 'authenticate: PAM_SUCCESS$' "a key inserted during the wait is found"
is "$(probes "$logs/key0.log")" "8:0x2e 2:0x2e" "the other key is searched once (8 and 2), not at every poll"

# The wrong key's PIN is never tried on the right key: the PIN is per key.
vk --state "$state" --keys 2 --max-creds 10 -- 'printf "1234\n" | "$PAMRUN" login alice authenticate'
like "$out" 'error: Wrong PIN, 7 attempts left\.' "key 0's PIN on key 1 is a wrong PIN"
vk --state "$state" --keys 2 --max-creds 10 -- 'printf "4321\n" | "$PAMRUN" login alice authenticate'
like "$out" 'authenticate: PAM_SUCCESS$' "and key 1's own PIN works"

# An NFC key that speaks only PIN protocol 1.
nfc="$TEST_TMP/nfc"
vk --state "$nfc" --transport nfc --pin-protocols 1 -- 'printf "5555\n5555\n" | '"$NOTTY"' fido2-token -S "$DEV0" &&
	echo 5555 | "$ENROLL" --device "$DEV0" --rp "$RP" --name "Tap key" --out "$TEST_TMP/tap"'
like "$(cat "$TEST_TMP/tap")" 'transport  = "nfc"' "a key tapped over NFC is recorded as nfc"
{ cat "$KEYS"; sed 1d "$TEST_TMP/tap"; } > "$TEST_TMP/eleven"
sed '/^key "Lost key 9" {/,/^}/d' "$TEST_TMP/eleven" > "$KEYS"
keys_own alice
rm -rf "$logs"
vk --state "$nfc" --transport nfc --pin-protocols 1 --log-dir "$logs" -- 'printf "5555\n" | "$PAMRUN" login alice authenticate'
like "$out" 'authenticate: PAM_SUCCESS$' "an NFC key with PIN protocol 1 signs in"
like "$err" 'signed in with security key "Tap key"' "syslog names it"
like "$(cat "$logs/key0.log")" 'clientPIN.getPinUvAuthTokenUsingPinWithPermissions proto=1 ' "the PIN went through protocol 1"
vk --state "$state" --keys 2 --max-creds 10 -- 'printf "4321\n" | "$PAMRUN" login alice authenticate'
like "$out" 'authenticate: PAM_SUCCESS$' "the USB keys still sign in with the same list"

done_testing
