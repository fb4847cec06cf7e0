#!/bin/bash
# seckey key-credentials list|delete on the virtual key with discoverable
# credentials (--resident): what it lists is what fido2-token -L lists,
# deleting removes it from the key, a registered credential gets the
# advice to remove it from the account, and the refusals: no PIN, wrong
# PIN, unknown ID, no confirmation, a key without credential management.
. "$top_srcdir/tests/sh/tap.sh"
. "$top_srcdir/tests/sh/virtkey.sh"
. "$top_srcdir/tests/sh/seckeycli.sh"
plan 34

state="$TEST_TMP/state"
work="$TEST_TMP/work"
mkdir -p "$work"
keys=$(keys_of "$SK_USER")
cdh=$(printf 'client data for a credential....' | base64 -w0)
b64() { printf '%s' "$1" | base64 -w0; }
# cred_input FILE RP USER [DISPLAY]: fido2-cred -M input, user id = USER.
cred_input() {
	printf '%s\n%s\n%s\n%s\n' "$cdh" "$2" "$3" "$(b64 "$3")" > "$work/$1"
}
cred_input alice.in pam://a.test alice
cred_input bob.in pam://a.test bob
cred_input carol.in "$SK_RP" carol
export work SK_RP
# rvk SCRIPT: the key with 25 discoverable slots and the test's state.
rvk() { vk --state "$state" --resident 25 "$@"; }
PIN='echo 1234 | '"$NOTTY"

rvk -- 'sk key-credentials list </dev/null'
is "$rc" 1 "a key without a PIN lists nothing"
is "$err" 'seckey: the security key has no PIN; set one with "seckey pin set"' \
	"and the user is told to set a PIN"

rvk -- 'set_pin 1234 && printf "1234\n" | sk key-credentials list'
is "$rc" 0 "a key with a PIN but no credential: key-credentials list succeeds"
is "$out" "" "it prints no table"
like "$err" '^Security key PIN: 
seckey: the security key at virtkey:[^ ]* holds no discoverable credentials$' \
	"it asks for the PIN, then says the key holds nothing"

for user in alice bob carol; do
	rvk -- "$PIN"' fido2-cred -M -r -i "$work/'$user'.in" -o "$work/'$user'.cred" "$DEV0" es256 &&
		fido2-cred -V -i "$work/'$user'.cred" -o "$work/'$user'.pk" es256'
	is "$rc" 0 "fido2-cred -M -r puts a discoverable credential for $user on the key"
done
alice_id=$(sed -n 5p "$work/alice.cred")
bob_id=$(sed -n 5p "$work/bob.cred")
carol_id=$(sed -n 5p "$work/carol.cred")
export bob_id carol_id
# squeeze: table rows with their column padding made one space.
squeeze() { tr -s ' '; }

# Carol's credential (for this machine's RP) is in the user's key list,
# as "seckey register --discoverable" will put it there.
carol_pk=$(sed -n 2,\$p "$work/carol.pk" | openssl pkey -pubin -outform DER | base64 -w0)
mkdir -p "$(dirname "$keys")"
cat >> "$keys" <<EOF
key "Green key" {
  credential = "$carol_id"
  public_key = "$carol_pk"
  algorithm  = "es256"
  aaguid     = "86babe58-627a-45bd-885c-ff16bce5ed43"
  transport  = "usb"
  created    = "2026-01-02T03:04:05Z"
}
EOF
chmod 0600 "$keys"
run sk list
like "$out" '^NAME +MODEL.*'$'\n''Green key ' "the user's key list holds it as \"Green key\""

rvk -- 'printf "1234\n" | sk key-credentials list'
is "$rc" 0 "key-credentials list succeeds"
like "$(printf '%s\n' "$out" | head -n 1)" '^ID {12}RELYING PARTY +USER {3}REGISTERED AS$' \
	"a table: ID, relying party, user, registered as"
is "$(printf '%s\n' "$out" | sed 1d | squeeze | sort)" "$(printf '%s\n' \
	"${alice_id:0:12} pam://a.test alice -" \
	"${bob_id:0:12} pam://a.test bob -" \
	"${carol_id:0:12} $SK_RP carol Green key" | sort)" \
	"one row per credential: the start of its id, RP, user, and the registered name"
is "$(grep -c 'Security key PIN' <<< "$err")" 1 "the PIN is asked once"
table=$out

rvk -- "$PIN"' fido2-token -L -r "$DEV0" | cut -d" " -f3 | while read -r rp; do
	'"$PIN"' fido2-token -L -k "$rp" "$DEV0" | while read -r n id rest; do
		printf "%s %s\n" "${id:0:12}" "$rp"
	done
done 2>/dev/null'
is "$(printf '%s\n' "$out" | sort)" "$(printf '%s\n' "$table" | sed 1d | awk '{print $1, $2}' | sort)" \
	"fido2-token -L -r / -L -k list the same credentials, IDs and RPs"

rvk -- 'printf "9999\n" | sk key-credentials list'
is "$rc" 1 "a wrong PIN is refused"
is "$err" $'Security key PIN: \nseckey: wrong PIN, 7 attempts left' "with the attempts left"

rvk -- 'printf "1234\n" | sk key-credentials delete ABCDEFGH'
is "$rc" 1 "an unknown ID is refused"
like "$err" 'seckey: the security key holds no credential with the ID "ABCDEFGH"; see "seckey key-credentials list"$' \
	"and the user is pointed to the list"
rvk -- 'sk key-credentials delete "no-such"'
is "$rc" 2 "an ID that is not base64 is a usage error"

rvk -- 'printf "1234\n" | sk key-credentials delete "${bob_id:0:12}"'
is "$rc" 1 "without a terminal, delete without --yes is refused"
like "$err" "seckey: deleting the credential of bob for pam://a.test from the security key at virtkey:[^ ]*; it cannot be undone
seckey: deleting a credential must be confirmed: run \"seckey key-credentials delete\" on a terminal, or add --yes\$" \
	"it says what would be deleted, and asks for --yes"

rvk -- 'printf "1234\n" | sk key-credentials delete --yes "${bob_id:0:12}"'
is "$rc" 0 "key-credentials delete --yes deletes bob's credential"
like "$err" 'seckey: credential deleted$' "it says so; bob's is not registered, so no more"
rvk -- "$PIN"' fido2-token -L -k pam://a.test "$DEV0"'
is "$(printf '%s\n' "$out" | cut -d' ' -f2)" "$alice_id" "fido2-token -L -k no longer lists it, alice's is left"

rvk -- 'printf "1234\n" | sk key-credentials delete --yes "$carol_id"'
is "$rc" 0 "the registered credential is deleted by its whole id"
like "$err" "seckey: credential deleted; it was registered as \"Green key\", which can no longer sign in: remove it from the account too with \"seckey delete 'Green key'\"\$" \
	"and the user is told to remove it from the account too"
rvk -- "$PIN"' fido2-token -L -r "$DEV0"'
is "$(printf '%s\n' "$out" | cut -d' ' -f3)" "pam://a.test" "fido2-token -L -r: this machine's RP is gone from the key"
is "$(key_names "$keys")" "Green key" "the key list is left as it was"

rvk -- 'printf "1234\n" | sk key-credentials list'
is "$(printf '%s\n' "$out" | sed 1d | squeeze)" "${alice_id:0:12} pam://a.test alice -" "key-credentials list shows the one left"

vk -- 'set_pin 1234 && printf "1234\n" | sk key-credentials list'
is "$rc" 1 "a key without credential management is refused"
like "$err" '^seckey: the security key at virtkey:[^ ]* cannot list or delete the credentials it holds: it lacks CTAP 2.1 credential management$' \
	"before the PIN is asked, and the user is told why"

run sk key-credentials delete
is "$rc" 2 "delete without an ID is a usage error"
run sk key-credentials list --yes
is "$rc" 2 "list --yes is a usage error"
run sk key-credentials show
like "$err" 'unknown key-credentials command "show"' "an unknown subcommand is named"

done_testing
