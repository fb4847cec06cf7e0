#!/bin/bash
# seckey register on the virtual key: success, and every refusal, each
# checked by its exit code, its message and the key list on disk.
. "$top_srcdir/tests/sh/tap.sh"
. "$top_srcdir/tests/sh/virtkey.sh"
. "$top_srcdir/tests/sh/seckeycli.sh"
plan 65

state="$TEST_TMP/state"
logs="$TEST_TMP/logs"
keys=$(keys_of "$SK_USER")
export keys logs

# --- a key without a PIN -------------------------------------------------
vk --state "$state" --log-dir "$logs" -- 'printf "1234\n" | sk register'
is "$rc" 1 "a key without a PIN is refused"
is "$err" 'seckey: the security key has no PIN; set one with "seckey pin set" first' \
	"and the user is told to set one with seckey pin set"
ok "$([ ! -e "$keys" ] && echo 0 || echo 1)" "no key list is written"
unlike "$(cat "$logs/key0.log")" 'makeCredential|clientPIN' "and the key was asked for nothing"

# --- success ---------------------------------------------------------------
vk --state "$state" -- 'set_pin 1234'
rm -f "$logs/key0.log"
vk --state "$state" --log-dir "$logs" -- 'printf "1234\n" | sk register'
is "$rc" 0 "register with the PIN on standard input succeeds"
like "$err" $'^Security key PIN: \nTouch your security key now\\.\n' "it asks for the PIN, then cues the touch"
like "$err" $'\nseckey: registered "Security key 1" \\(security key, usb\\) for '"$SK_USER"'$' \
	"and names the new key after its model and a number"
is "$(key_names "$keys")" "Security key 1" "the key list holds the new key"
is "$(stat -c %a "$keys")" 600 "the key list has mode 0600"
is "$(stat -c %a "$(dirname "$keys")"):$(stat -c %a "$(dirname "$(dirname "$keys")")")" 700:700 \
	"the folders made for it have mode 0700"
is "$(stat -c %u "$keys")" "$(id -u)" "and belong to the user"
like "$(cat "$keys")" 'aaguid     = "86babe58-627a-45bd-885c-ff16bce5ed43"' "the model's AAGUID is recorded"
like "$(cat "$keys")" 'transport  = "usb"' "and the transport"
like "$(cat "$keys")" 'algorithm  = "es256"' "an ES256 credential"
like "$(grep makeCredential "$logs/key0.log")" 'up=1 uv=0 pinauth=1 exclude=0 status=0x00' \
	"made with user verification by PIN (pinUvAuthParam) and a touch"
like "$(cat "$logs/key0.log")" 'getPinUvAuthTokenUsingPinWithPermissions proto=2 perms=0x01' \
	"with a token for makeCredential only"
unlike "$(cat "$keys")" '1234' "the PIN is nowhere in the list"

# Cross-check with libfido2's own tools: the stored credential id and
# public key give an assertion that fido2-assert verifies, with UV.
cred=$(sed -n 's/^  credential = "\(.*\)"$/\1/p' "$keys")
sed -n 's/^  public_key = "\(.*\)"$/\1/p' "$keys" | base64 -d |
	openssl pkey -pubin -inform DER -out "$TEST_TMP/pk.pem" 2>/dev/null
printf '%s\n%s\n%s\n' "$(head -c 32 /dev/urandom | base64 -w0)" "$SK_RP" "$cred" > "$TEST_TMP/assert.in"
export TEST_TMP
vk --state "$state" -- 'echo 1234 | setsid -w fido2-assert -G -t pin=true -i "$TEST_TMP/assert.in" -o "$TEST_TMP/assert.out" "$DEV0"'
run fido2-assert -V -p -v -i "$TEST_TMP/assert.out" "$TEST_TMP/pk.pem" es256
is "$rc" 0 "fido2-assert verifies an assertion with the registered credential and public key"

# --- the same key again: the key itself refuses (exclude list) -----------
cp "$keys" "$TEST_TMP/keys.before"
rm -f "$logs/key0.log"
vk --state "$state" --log-dir "$logs" -- 'printf "1234\n" | sk register --name Again'
is "$rc" 1 "registering the same key again is refused"
like "$err" 'seckey: this security key is already registered as "Security key 1"$' \
	"with the name it is registered under"
like "$(grep makeCredential "$logs/key0.log")" 'exclude=1 status=0x19$' \
	"the key refused it itself: CREDENTIAL_EXCLUDED for the exclude list"
cmp -s "$keys" "$TEST_TMP/keys.before"
ok $? "the key list is unchanged"

# --- two keys plugged in -------------------------------------------------
vk --state "$state" --keys 2 -- 'set_pin 5678 "$DEV1"'
is "$rc" 0 "a second key gets a PIN"
vk --state "$state" --keys 2 -- 'printf "1234\n" | sk register'
is "$rc" 1 "with two keys plugged in and no --device, register refuses"
is "$err" 'seckey: 2 security keys are plugged in; choose one with --device PATH (see "seckey devices")' \
	"and says how to choose"

vk --state "$state" --keys 2 --log-dir "$logs" -- 'printf "5678\n" | sk register --device "$DEV1" --name "Security key 1"'
is "$rc" 1 "a name in use is refused"
is "$err" 'seckey: a key named "Security key 1" is already registered; choose another name with --name' \
	"with a message naming it"
unlike "$(cat "$logs/key1.log" 2>/dev/null)" 'makeCredential|clientPIN' "before the PIN is asked for"

vk --state "$state" --keys 2 -- 'printf "9999\n" | sk register --device "$DEV1" --name "Blue key"'
is "$rc" 1 "a wrong PIN is refused"
like "$err" 'seckey: wrong PIN, 7 attempts left$' "with the retries left"
cmp -s "$keys" "$TEST_TMP/keys.before"
ok $? "the key list is unchanged"

vk --state "$state" --keys 2 -- 'printf "5678\n" | sk register --device "$DEV1" --name "Blue key"'
is "$rc" 0 "--device and --name register the second key"
like "$err" 'registered "Blue key" \(security key, usb\)' "under the name given"
is "$(key_names "$keys" | tr '\n' '|')" "Security key 1|Blue key|" \
	"the list holds both keys, in the order registered"

vk --state "$state" -- 'printf "1234\n" | sk register --device /nonexistent'
is "$rc" 1 "a --device that is no key is refused"
like "$err" 'seckey: no security key answers at /nonexistent$' "plainly"

# --- a key that speaks U2F only ------------------------------------------
vk -- 'set_pin 1234; printf "1234\n" | SK_PRELOAD="$U2FONLY" sk register --name U2F'
is "$rc" 1 "a key that speaks U2F only is refused"
like "$err" 'seckey: the security key at virtkey:.* speaks only U2F; a FIDO2 key with a PIN is needed$' \
	"as U2F only"
is "$(key_names "$keys" | wc -l)" 2 "the key list is unchanged"

# --- NFC -------------------------------------------------------------------
vk --transport nfc -- 'set_pin 1234; printf "1234\n" | sk register --name "Tapped key"'
is "$rc" 0 "a key reached over NFC registers"
like "$(sed -n '/^key "Tapped key"/,/^}/p' "$keys")" 'transport  = "nfc"' "with transport nfc"

# --- the 11th key --------------------------------------------------------
rm -f "$keys"
vk --keys 11 -- 'for i in 0 1 2 3 4 5 6 7 8 9; do
		dev=DEV$i
		set_pin 1234 "${!dev}" && printf "1234\n" | sk register --device "${!dev}" 2>/dev/null || echo "key $i failed"
	done
	set_pin 1234 "$DEV10"
	printf "1234\n" | sk register --device "$DEV10"'
is "$rc" 1 "an 11th key is refused"
is "$err" "seckey: $SK_USER already has 10 security keys registered, the most the policy allows; delete one first (\"seckey delete NAME\")" \
	"with the limit and what to do"
is "$out" "" "the ten keys before it all registered"
is "$(key_names "$keys" | wc -l)" 10 "the list holds ten keys"
is "$(key_names "$keys" | tail -n 1)" "Security key 10" "default names count up"
unlike "$err" 'PIN' "the 11th key was refused before its PIN was asked for"

# --- a long exclude list (longer than maxCredentialCountInList) ----------
rm -f "$keys"
vk --keys 4 --max-creds 2 --log-dir "$logs" -- 'for i in 0 1 2; do
		dev=DEV$i
		set_pin 1234 "${!dev}" && printf "1234\n" | sk register --device "${!dev}" 2>/dev/null || echo "key $i failed"
	done
	printf "1234\n" | sk register --device "$DEV2" --name again; echo "again=$?"
	set_pin 1234 "$DEV3" && printf "1234\n" | sk register --device "$DEV3" --name fourth'
is "$rc" 0 "with maxCredentialCountInList 2, a fourth key still registers"
like "$out" '^again=1$' "and the third key, beyond the first two credentials, is refused again"
like "$err" 'already registered as "Security key 3"' "as already registered"
is "$(key_names "$keys" | tr '\n' '|')" "Security key 1|Security key 2|Security key 3|fourth|" \
	"the list holds the four keys"
like "$(grep makeCredential "$logs/key3.log")" 'exclude=2 status=0x00' "the exclude list was cut to what the key takes"

# --- policy: max_keys, allowed_aaguids, timeouts -------------------------
if sk_need_root 11 "a policy of the test's own"; then
	sk_policy 'max_keys = 4'
	vk -- 'set_pin 1234; printf "1234\n" | sk register'
	is "$rc" 1 "the policy's max_keys is the limit"
	like "$err" 'already has 4 security keys registered, the most the policy allows' "and is named"

	rm -f "$keys"
	sk_policy 'allowed_aaguids = {"2fc0579f-8113-47ea-b116-bb5a8db9202a"}'
	vk -- 'set_pin 1234; printf "1234\n" | sk register'
	is "$rc" 1 "a model the policy does not allow is refused"
	is "$err" 'seckey: the policy does not allow this security key model (security key, AAGUID 86babe58-627a-45bd-885c-ff16bce5ed43)' \
		"before the PIN is asked for"
	sk_policy 'allowed_aaguids = {"86babe58-627a-45bd-885c-ff16bce5ed43"}
enabled = false'
	vk -- 'set_pin 1234; printf "1234\n" | sk register'
	is "$rc" 0 "a model the policy lists registers, while sign-in is still disabled"

	cp "$keys" "$TEST_TMP/keys.before"
	sk_policy 'timeout = 2'
	vk --keys 2 --touch now,never -- 'set_pin 1234 "$DEV1"; printf "1234\n" | sk register --device "$DEV1"'
	is "$rc" 1 "no touch in time is refused"
	like "$err" 'seckey: the security key was not touched in time$' "as a touch timeout"
	cmp -s "$keys" "$TEST_TMP/keys.before"
	ok $? "the key list is unchanged"

	vk --keys 2 --touch now,unplug -- 'set_pin 1234 "$DEV1"; printf "1234\n" | sk register --device "$DEV1"'
	is "$rc" 1 "a key pulled out during the touch is refused"
	like "$err" 'seckey: lost contact with the security key$' "as a lost key"

	sk_policy 'timeout = 1'
	vk -- 'kill "$(cat "$VIRTKEY_DIR/key0.pid")"; while [ -e "$VIRTKEY_DIR"/key0-usb.sock ]; do sleep 0.05; done
		printf "1234\n" | sk register'
	like "$err" 'seckey: no security key found; plug one in and try again$' "with no key plugged in, register waits for the timeout and gives up"
	sk_policy
fi

# --- no PIN on standard input --------------------------------------------
vk -- 'set_pin 1234; sk register </dev/null'
is "$rc" 1 "no PIN on standard input is refused"
like "$err" 'seckey: no PIN given: standard input ended$' "plainly"

done_testing
