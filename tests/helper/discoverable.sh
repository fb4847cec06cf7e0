#!/bin/bash
# seckey register --discoverable on the virtual key with discoverable
# slots: the credential is kept on the key under a random 32-byte user
# handle (never the user name), protected by credProtect, recorded with
# its handle in the key list, and fido2-token -L -k (a client nobody here
# wrote) shows the same; a key without discoverable credentials is
# refused before the PIN is asked for.
. "$top_srcdir/tests/sh/tap.sh"
. "$top_srcdir/tests/sh/virtkey.sh"
. "$top_srcdir/tests/sh/seckeycli.sh"
plan 21

state="$TEST_TMP/key"
logs="$TEST_TMP/logs"
keys=$(keys_of "$SK_USER")
export keys logs SK_RP

# --- a key that cannot keep one -------------------------------------------
vk --state "$TEST_TMP/plain" --log-dir "$logs" -- 'set_pin 1234 && printf "1234\n" | sk register --discoverable'
is "$rc" 1 "a key without discoverable credentials is refused"
like "$err" 'seckey: this security key cannot keep a discoverable credential protected by its PIN' \
	"and the user is told why"
ok "$([ ! -e "$keys" ] && echo 0 || echo 1)" "no key list is written"
unlike "$(cat "$logs/key0.log")" 'makeCredential' "and no credential was made"

# --- success -----------------------------------------------------------------
rm -rf "$logs"
vk --state "$state" --resident 8 --log-dir "$logs" -- 'set_pin 1234 && printf "1234\n" | sk register --discoverable --name "Desk key"'
is "$rc" 0 "register --discoverable succeeds"
like "$err" 'seckey: registered "Desk key" \(security key, usb\) for '"$SK_USER"', discoverable' \
	"and says the credential is discoverable"
like "$(grep makeCredential "$logs/key0.log")" 'rk=1 credprotect=2' \
	"the key was asked for a resident credential with credProtect level 2"
handle=$(sed -n 's/^  user_handle = "\(.*\)" .*$/\1/p' "$keys")
is "$(printf '%s' "$handle" | base64 -d | wc -c)" 32 "the key list records a 32-byte user handle"
unlike "$(printf '%s' "$handle" | base64 -d | tr -d '\0')" "$SK_USER" "which is not the user name"
cred=$(sed -n 's/^  credential = "\(.*\)"$/\1/p' "$keys")
hrecord="$TEST_TMP/state/handles/$( { printf '%s\0' "$SK_RP"; printf '%s' "$handle" | base64 -d; } | sha256sum | cut -d' ' -f1)"
if sk_need_root 1 "the user handle index is root's"; then
	is "$(sed -n 's/^user //p' "$hrecord" 2>&1)" "$SK_USER" \
		"root's registration notes the handle in the user handle index"
fi

vk --state "$state" --resident 8 -- 'echo 1234 | '"$NOTTY"' fido2-token -L -k "$SK_RP" "$DEV0"'
is "$rc" 0 "fido2-token -L -k lists the credentials of the machine's RP"
like "$out" "^00: $(printf '%s' "$cred" | sed 's/[+/]/\\&/g') $SK_USER $(printf '%s' "$handle" | sed 's/[+/]/\\&/g') es256 uvopt\+id$" \
	"the same credential id and user handle, protected (uvopt+id)"
vk --state "$state" --resident 8 -- 'echo 1234 | '"$NOTTY"' fido2-token -L -r "$DEV0"'
like "$out" "$SK_RP" "and the key lists the machine's RP"

vk --state "$state" --resident 8 -- 'printf "1234\n" | sk key-credentials list'
like "$out" "$SK_USER +Desk key" "seckey key-credentials names the user and the registered key"

# --- a second registration of the same key ------------------------------
vk --state "$state" --resident 8 -- 'printf "1234\n" | sk register --discoverable --name "Again"'
is "$rc" 1 "the same key again is refused"
like "$err" 'already registered as "Desk key"' "as already registered"

# --- delete ------------------------------------------------------------------
vk --state "$state" --resident 8 -- 'sk delete --yes "Desk key"'
is "$rc" 0 "deleting the discoverable entry succeeds"
kid=$(printf '%s' "$cred" | cut -c1-12)
is "$err" "seckey: deleted \"Desk key\"; the security key itself still holds the discoverable credential: register it again with \"seckey register --discoverable\", or erase it from the key with \"seckey key-credentials delete $kid\"" \
	"the user is told the key still holds it, and the command that erases it"
vk --state "$state" --resident 8 -- 'printf "1234\n" | sk key-credentials delete --yes '"$kid"' && echo 1234 | '"$NOTTY"' fido2-token -L -k "$SK_RP" "$DEV0"'
like "$err" $'\nseckey: credential deleted\n' "that command erases it"
like "$err" 'fido_credman_get_dev_rk: FIDO_ERR_NO_CREDENTIALS' "fido2-token finds no credential of the machine left on the key"
if sk_need_root 1 "the user handle index is root's"; then
	ok "$([ ! -e "$hrecord" ] && echo 0 || echo 1)" "and root's delete removes its user handle index record"
fi
