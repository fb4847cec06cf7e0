#!/bin/bash
# seckey register --print-mapping on the virtual key: the SSSD/FreeIPA
# passkey value on standard output holds exactly the credential and the
# public key the key list records, and our metadata; the LDIF form; a bad
# form is a usage error.
. "$top_srcdir/tests/sh/tap.sh"
. "$top_srcdir/tests/sh/virtkey.sh"
. "$top_srcdir/tests/sh/seckeycli.sh"
plan 21

keys=$(keys_of "$SK_USER")
export keys

field() {	# FIELD: the value of a key-list field of the last entry
	sed -n 's/^  '"$1"' *= "\(.*\)"$/\1/p' "$keys" | tail -n 1
}

# --- a usage error before anything is asked ----------------------------------
run sk register --print-mapping=json
is "$rc" 2 "--print-mapping=json is a usage error"
like "$err" '--print-mapping takes "value" or "ldif"' "and says which forms there are"

# --- the value ---------------------------------------------------------------
state="$TEST_TMP/state1"
vk --state "$state" -- 'set_pin 1234'
name='Schlüssel; a,b = "c"'
name=${name//\"/\'}
export name
vk --state "$state" -- 'printf "1234\n" | sk register --name "$name" --print-mapping'
is "$rc" 0 "register --print-mapping succeeds"
like "$err" 'seckey: registered "Schlüssel; a,b = '"'"'c'"'"'"' "the message stays on standard error"
is "$(printf '%s\n' "$out" | wc -l)" 1 "standard output holds one line"
b64='[A-Za-z0-9+/]+={0,2}'
like "$out" "^passkey:$b64,$b64,$b64\$" "of the form passkey:ID,KEY,METADATA, all base64"
mapping=$out
IFS=, read -r id spki meta <<< "${mapping#passkey:}"
is "$id" "$(field credential)" "the id is the key list's credential"
is "$spki" "$(field public_key)" "the key is the key list's public key (DER SPKI)"
run openssl pkey -pubin -inform DER -noout -in <(printf '%s' "$spki" | base64 -d)
is "$rc" 0 "which OpenSSL reads as a DER SubjectPublicKeyInfo, as SSSD does"
meta_text=$(printf '%s' "$meta" | base64 -d)
is "$(printf '%s\n' "$meta_text" | sed -n 1p)" "seckey=1" "the metadata starts with its version"
is "$(printf '%s\n' "$meta_text" | sed -n 2p)" "name=$name" "and holds the name as it is"
is "$(printf '%s\n' "$meta_text" | sed -n 3p)" "created=$(field created)" "the date of the key list"
is "$(printf '%s\n' "$meta_text" | sed -n 4p)" "aaguid=$(field aaguid)" "its AAGUID"
is "$(printf '%s\n' "$meta_text" | sed -n '5,6p' | tr '\n' ' ')" "alg=es256 transport=usb " \
	"its algorithm and transport"
is "$(key_names "$keys")" "$name" "the key list is written as without the option"

# FreeIPA's validate_passkey(): ^passkey:([^,]*),([^,]*),?(.*)$ with each
# part plain base64; SSSD keeps the first two fields.
if command -v python3 >/dev/null; then
	run python3 -c '
import base64, re, sys
m = re.match(r"^passkey:(?P<id>[^,]*),(?P<pkey>[^,]*),?(?P<userid>.*)$", sys.argv[1])
for part in ("id", "pkey", "userid"):
    base64.b64decode(m.group(part), validate=True)
' "$mapping"
	is "$rc" 0 "FreeIPA's pattern and strict base64 accept the value"
else
	skip 1 "python3 is not installed"
fi

# --- the LDIF ----------------------------------------------------------------
state="$TEST_TMP/state2"
vk --state "$state" -- 'set_pin 1234'
rm -f "$keys"
vk --state "$state" -- 'printf "1234\n" | sk register --print-mapping=ldif'
is "$rc" 0 "register --print-mapping=ldif succeeds"
like "$out" $'(^|\n)dn: uid='"$SK_USER"$'\nchangetype: modify\nadd: passkey\npasskey: passkey:' \
	"an LDIF modify record that adds the value"
like "$out" $'\n-$' "ended by its separator"
like "$out" '^# ' "led by comments that say how to complete it"
value=$(printf '%s\n' "$out" | sed -n 's/^passkey: //p')
is "${value#passkey:}" "$(field credential),$(field public_key),${value##*,}" \
	"with the key list's credential and public key"
