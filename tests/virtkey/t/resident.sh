#!/bin/bash
# Discoverable credentials on the virtual key (--resident), checked with
# fido2-cred -M -r, fido2-assert -G -r and fido2-token's credential
# management (-I -c, -L -r, -L -k, -D -i, -S -c): getNextAssertion,
# credProtect, a full store, reset, and a restart of the key.
. "$top_srcdir/tests/sh/tap.sh"
. "$top_srcdir/tests/sh/virtkey.sh"
command -v fido2-cred >/dev/null || plan_skip_all "fido2-tools is not installed"
plan 45

state="$TEST_TMP/state"
work="$TEST_TMP/work"
mkdir -p "$work"
cdh=$(printf 'client data for a credential....' | base64 -w0)
cdh2=$(printf 'client data for an assertion....' | base64 -w0)
b64() { printf '%s' "$1" | base64 -w0; }
# rx TEXT: TEXT as an extended regular expression matching itself.
rx() { printf '%s' "$1" | sed 's/[][\.*^$+?(){}|/]/\\&/g'; }
# cred_input FILE RP USER: the fido2-cred -M input for USER (id = name).
cred_input() {
	printf '%s\n%s\n%s\n%s\n' "$cdh" "$2" "$3" "$(b64 "$3")" > "$work/$1"
}
cred_input alice.in pam://a.test alice
cred_input bob.in pam://a.test bob
cred_input carol.in pam://b.test carol
cred_input dave.in pam://c.test dave
cred_input erin.in pam://c.test erin
printf '%s\npam://a.test\n' "$cdh2" > "$work/ga-a.in"
printf '%s\npam://c.test\n' "$cdh2" > "$work/ga-c.in"
export work

# rvk SCRIPT: a key with 25 discoverable slots and the test's state file.
rvk() { vk --state "$state" --resident 25 "$@"; }
PIN='echo 1234 | '"$NOTTY"

rvk -- 'printf "1234\n1234\n" | '"$NOTTY"' fido2-token -S "$DEV0" && fido2-token -I "$DEV0"'
is "$rc" 0 "a PIN is set on a key with --resident 25"
like "$out" 'options: rk, up, noplat, credMgmt, clientPin, pinUvAuthToken, nomakeCredUvNotRqd, credentialMgmtPreview' \
	"getInfo: rk, credMgmt and credentialMgmtPreview"
like "$out" 'extension strings: credProtect' "getInfo: the credProtect extension"
like "$out" 'remaining rk\(s\): 25' "getInfo: 25 discoverable credentials left"

for user in alice bob carol; do
	rvk -- "$PIN"' fido2-cred -M -r -i "$work/'$user'.in" -o "$work/'$user'.cred" "$DEV0" es256 &&
		fido2-cred -V -i "$work/'$user'.cred" -o "$work/'$user'.pk" es256'
	is "$rc" 0 "fido2-cred -M -r makes a discoverable credential for $user, and it verifies"
done
alice_id=$(sed -n 5p "$work/alice.cred")
bob_id=$(sed -n 5p "$work/bob.cred")
export alice_id bob_id

rvk -- "$PIN"' fido2-token -I -c "$DEV0"'
is "$out" $'existing rk(s): 3\nremaining rk(s): 22' "fido2-token -I -c: 3 credentials, 22 slots left"

rvk -- "$PIN"' fido2-token -L -r "$DEV0"'
is "$(printf '%s\n' "$out" | cut -d' ' -f3 | sort | tr '\n' ' ')" "pam://a.test pam://b.test " \
	"fido2-token -L -r lists the two relying parties"
like "$out" "^00: $(rx "$(printf pam://a.test | openssl dgst -sha256 -binary | base64 -w0)") pam://a.test" \
	"with the SHA-256 of the RP id"

rvk -- "$PIN"' fido2-token -L -k pam://a.test "$DEV0"'
is "$(printf '%s\n' "$out" | wc -l)" 2 "fido2-token -L -k lists the two credentials of pam://a.test"
like "$out" "^00: $(rx "$bob_id") \\(null\\) $(b64 bob) es256 uvopt" "the newest first: bob's, with its id and user id"
like "$out" $'\n'"01: $(rx "$alice_id") \\(null\\) $(b64 alice) es256 uvopt" "then alice's"

rvk -- 'fido2-assert -G -r -i "$work/ga-a.in" -o "$work/ga-a.out" "$DEV0"'
is "$rc" 0 "fido2-assert -G -r without a credential id: a discoverable assertion"
is "$(wc -l < "$work/ga-a.out")" 10 "two assertions (getAssertion, then getNextAssertion)"
is "$(sed -n 5p "$work/ga-a.out") $(sed -n 10p "$work/ga-a.out")" "$(b64 bob) $(b64 alice)" \
	"bob's first (the most recent), then alice's, with their user ids"
sed -n 1,4p "$work/ga-a.out" > "$work/ga-bob.out"
sed -n 2,\$p "$work/bob.pk" > "$work/bob.pem"
run fido2-assert -V -p -i "$work/ga-bob.out" "$work/bob.pem" es256
is "$rc" 0 "the first assertion is signed by bob's key, with UP"
sed -n 6,9p "$work/ga-a.out" > "$work/ga-alice.out"
sed -n 2,\$p "$work/alice.pk" > "$work/alice.pem"
run fido2-assert -V -p -i "$work/ga-alice.out" "$work/alice.pem" es256
is "$rc" 0 "the second by alice's"

rvk -- "$PIN"' fido2-assert -G -r -v -i "$work/ga-a.in" -o "$work/ga-a-uv.out" "$DEV0"'
run fido2-assert -V -p -v -i <(sed -n 1,4p "$work/ga-a-uv.out") "$work/bob.pem" es256
is "$rc" 0 "with the PIN: the assertions carry UV"

vk --state "$state" --resident 25 --log-dir "$work/log" -- "$PIN"' fido2-token -D -i "$bob_id" "$DEV0"'
is "$rc" 0 "fido2-token -D -i deletes bob's credential"
like "$(cat "$work/log/key0.log")" 'perms=0x04 status=0x00.*credMgmt.deleteCredential preview=1 status=0x00' \
	"with a cm token and libfido2's credentialMgmtPreview command"
rvk -- "$PIN"' fido2-token -L -k pam://a.test "$DEV0"'
is "$(printf '%s\n' "$out" | cut -d' ' -f2)" "$alice_id" "fido2-token -L -k: only alice's is left"
rvk -- 'fido2-assert -G -r -i "$work/ga-a.in" -o "$work/ga-a2.out" "$DEV0"'
is "$(wc -l < "$work/ga-a2.out") $(sed -n 5p "$work/ga-a2.out")" "5 $(b64 alice)" \
	"a discoverable assertion now gives alice's alone"
rvk -- "$PIN"' fido2-token -D -i "$bob_id" "$DEV0"'
like "$err" 'FIDO_ERR_NO_CREDENTIALS' "deleting it again: NO_CREDENTIALS"

rvk -- "$PIN"' fido2-token -S -c -i "$alice_id" -k "$(printf alice | base64)" -n alice@a.test -p "Alice A." "$DEV0" &&
	'"$PIN"' fido2-token -L -k pam://a.test "$DEV0"'
like "$out" "^00: $(rx "$alice_id") Alice A\\. $(b64 alice) es256" "fido2-token -S -c updates the user's names"

# credProtect: dave level 3 (UV required), erin level 2 (UV or an id list).
rvk -- "$PIN"' fido2-cred -M -r -c 3 -i "$work/dave.in" -o "$work/dave.cred" "$DEV0" es256 &&
	fido2-cred -V -c 3 -i "$work/dave.cred" -o "$work/dave.pk" es256 &&
	'"$PIN"' fido2-cred -M -r -c 2 -i "$work/erin.in" -o "$work/erin.cred" "$DEV0" es256 &&
	fido2-cred -V -c 2 -i "$work/erin.cred" -o "$work/erin.pk" es256'
is "$rc" 0 "credProtect 3 and 2 credentials are made, the level in authData"
rvk -- "$PIN"' fido2-token -L -k pam://c.test "$DEV0"'
like "$out" "^00: .* $(b64 erin) es256 uvopt\\+id"$'\n'"01: .* $(b64 dave) es256 uvreq" \
	"fido2-token -L -k shows their levels"
rvk -- 'fido2-assert -G -r -i "$work/ga-c.in" "$DEV0"'
like "$err" 'FIDO_ERR_NO_CREDENTIALS' "without UV neither is given out to an empty allow list"
rvk -- "$PIN"' fido2-assert -G -r -v -i "$work/ga-c.in" -o "$work/ga-c.out" "$DEV0"'
is "$(sed -n 5p "$work/ga-c.out") $(sed -n 10p "$work/ga-c.out")" "$(b64 erin) $(b64 dave)" \
	"with the PIN both are"
printf '%s\npam://c.test\n%s\n' "$cdh2" "$(sed -n 5p "$work/erin.cred")" > "$work/ga-erin.in"
rvk -- 'fido2-assert -G -i "$work/ga-erin.in" "$DEV0"'
is "$rc" 0 "level 2: without UV, but with its id in the allow list, erin's signs"
printf '%s\npam://c.test\n%s\n' "$cdh2" "$(sed -n 5p "$work/dave.cred")" > "$work/ga-dave.in"
rvk -- 'fido2-assert -G -i "$work/ga-dave.in" "$DEV0"'
like "$err" 'FIDO_ERR_NO_CREDENTIALS' "level 3: not even with its id, without UV"
rvk -- "$PIN"' fido2-assert -G -v -i "$work/ga-dave.in" "$DEV0"'
is "$rc" 0 "level 3 with the PIN and its id: it signs"

rvk -- "$PIN"' fido2-token -L -k pam://a.test "$DEV0"'
is "$(printf '%s\n' "$out" | cut -d' ' -f2)" "$alice_id" "a restart of the key keeps its credentials"
like "$(cat "$state/key0.state")" $'\nrk [0-9a-f]+\n' "they live in the state file as rk lines"

vk --state "$state" --resident 25 --pin-protocols 1 -- "$PIN"' fido2-token -L -r "$DEV0"'
is "$rc $(printf '%s\n' "$out" | wc -l)" "0 3" "credential management with PIN protocol 1 too"
rvk -- 'echo 9999 | '"$NOTTY"' fido2-token -L -r "$DEV0"'
like "$err" 'FIDO_ERR_PIN_INVALID' "a wrong PIN lists nothing"

# A full store; the same user on the same RP replaces its credential.
small="$TEST_TMP/small"
vk --state "$small" --resident 2 -- 'printf "1234\n1234\n" | '"$NOTTY"' fido2-token -S "$DEV0" &&
	'"$PIN"' fido2-cred -M -r -i "$work/alice.in" -o /dev/null "$DEV0" es256 &&
	'"$PIN"' fido2-cred -M -r -i "$work/bob.in" -o /dev/null "$DEV0" es256 &&
	'"$PIN"' fido2-cred -M -r -i "$work/carol.in" -o /dev/null "$DEV0" es256'
like "$err" 'FIDO_ERR_KEY_STORE_FULL' "--resident 2: a third credential meets KEY_STORE_FULL"
vk --state "$small" --resident 2 -- "$PIN"' fido2-cred -M -r -i "$work/alice.in" -o "$work/alice2.cred" "$DEV0" es256 &&
	'"$PIN"' fido2-token -L -k pam://a.test "$DEV0"'
is "$rc $(printf '%s\n' "$out" | wc -l)" "0 2" \
	"a full store still takes alice again: her new credential replaces the old one"
like "$out" "^00: $(rx "$(sed -n 5p "$work/alice2.cred")") \\(null\\) $(b64 alice)" \
	"and it is the newest"

vk --state "$state" --resident 25 -- 'fido2-token -R "$DEV0" && fido2-token -I "$DEV0" &&
	fido2-assert -G -r -i "$work/ga-a.in" "$DEV0"'
like "$out" 'remaining rk\(s\): 25' "after a reset all 25 slots are free again"
like "$err" 'FIDO_ERR_NO_CREDENTIALS' "and no discoverable credential answers"

vk -- 'fido2-token -I "$DEV0"; echo | fido2-cred -M -r -i "$work/alice.in" "$DEV0" es256'
like "$out" 'options: nork, up, noplat, noclientPin,' "without --resident the key has no rk"
like "$err" 'FIDO_ERR_UNSUPPORTED_OPTION' "and refuses options.rk"
vk --log-dir "$work/log0" -- 'printf "1234\n1234\n" | '"$NOTTY"' fido2-token -S "$DEV0" &&
	'"$PIN"' fido2-token -L -r "$DEV0"'
like "$err" 'FIDO_ERR_UNAUTHORIZED_PERM' "nor a token with the cm permission"
like "$(cat "$work/log0/key0.log")" 'perms=0x04 status=0x40' "which it refuses: UNAUTHORIZED_PERMISSION"

done_testing
