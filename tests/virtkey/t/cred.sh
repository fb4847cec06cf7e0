#!/bin/bash
# Credentials and assertions on the virtual key through fido2-cred and
# fido2-assert: ES256 and EdDSA, attestation checked, UV only with the PIN.
. "$top_srcdir/tests/sh/tap.sh"
. "$top_srcdir/tests/sh/virtkey.sh"
command -v fido2-cred >/dev/null || plan_skip_all "fido2-tools is not installed"
plan 26

state="$TEST_TMP/state"
work="$TEST_TMP/work"
mkdir -p "$work"
cdh=$(printf 'client data for a credential....' | base64 -w0)
cdh2=$(printf 'client data for an assertion....' | base64 -w0)
printf '%s\npam://virtkey.test\nalice\n%s\n' "$cdh" "$(printf alice | base64)" > "$work/cred.in"
export work cdh2

vk --state "$state" -- 'printf "1234\n1234\n" | '"$NOTTY"' fido2-token -S "$DEV0"'
is "$rc" 0 "a PIN is set on the key"

for type in es256 eddsa; do
	vk --state "$state" -- 'echo 1234 | '"$NOTTY"' fido2-cred -M -i "$work/cred.in" -o "$work/cred.'$type'" "$DEV0" '$type
	is "$rc" 0 "fido2-cred -M makes an $type credential"
	like "$err" 'Enter PIN for ' "it asks for the PIN because the key has one"
	run fido2-cred -V -v -i "$work/cred.$type" -o "$work/pk.$type" $type
	is "$rc" 0 "fido2-cred -V verifies the $type attestation, with the UV flag"
	is "$(sed -n 3p "$work/cred.$type")" packed "the attestation format is packed"
	like "$(sed -n 7p "$work/cred.$type")" '^MII' "with an X.509 attestation certificate"
done

# assert_input TYPE: the fido2-assert -G input for the TYPE credential.
assert_input() {
	printf '%s\npam://virtkey.test\n%s\n' "$cdh2" "$(head -n 1 "$work/pk.$1")" > "$work/assert.in"
}
assert_input es256
vk --state "$state" -- 'echo 1234 | '"$NOTTY"' fido2-assert -G -t pin=true -i "$work/assert.in" -o "$work/assert.pin" "$DEV0"'
is "$rc" 0 "fido2-assert -G with the PIN gives an assertion"
sed -n "2,\$p" "$work/pk.es256" > "$work/pk.es256.pem"
run fido2-assert -V -p -v -i "$work/assert.pin" "$work/pk.es256.pem" es256
is "$rc" 0 "fido2-assert -V verifies it with user presence and verification required"

vk --state "$state" -- 'fido2-assert -G -i "$work/assert.in" -o "$work/assert.nopin" "$DEV0"'
is "$rc" 0 "fido2-assert -G without the PIN gives an assertion too"
run fido2-assert -V -v -i "$work/assert.nopin" "$work/pk.es256.pem" es256
is "$rc" 1 "but without the UV flag: verification requiring UV fails"
run fido2-assert -V -p -i "$work/assert.nopin" "$work/pk.es256.pem" es256
is "$rc" 0 "while the signature and the UP flag are good"

assert_input eddsa
sed -n "2,\$p" "$work/pk.eddsa" > "$work/pk.eddsa.pem"
vk --state "$state" -- 'echo 1234 | '"$NOTTY"' fido2-assert -G -t pin=true -i "$work/assert.in" -o "$work/assert.eddsa" "$DEV0"'
run fido2-assert -V -p -v -i "$work/assert.eddsa" "$work/pk.eddsa.pem" eddsa
is "$rc" 0 "an EdDSA assertion with the PIN verifies with UV"

vk --state "$state" -- 'echo 9999 | '"$NOTTY"' fido2-assert -G -t pin=true -i "$work/assert.in" "$DEV0"'
like "$err" 'FIDO_ERR_PIN_INVALID' "a wrong PIN gives no assertion"

# The sign counter grows with every assertion.
counter() { sed -n 3p "$1" | base64 -d | od -An -tu1 -j35 -N4 | awk '{print $1*16777216+$2*65536+$3*256+$4}'; }
first=$(counter "$work/assert.pin")
last=$(counter "$work/assert.eddsa")
ok "$([ "$last" -gt "$first" ] && echo 0 || echo 1)" "the sign counter grows ($first, then $last)"
vk --state "$state" -- 'echo 1234 | '"$NOTTY"' fido2-assert -G -t pin=true -i "$work/assert.in" -o "$work/assert.again" "$DEV0"'
ok "$([ "$(counter "$work/assert.again")" -gt "$last" ] && echo 0 || echo 1)" "and is kept across restarts of the key"

# --attest-ca: the attestation certificate issued by a CA (here an
# intermediate, which goes along in x5c), and --attest-self.
pki="$TEST_TMP/pki"
mkdir -p "$pki"
openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-keyout "$pki/root.key" -subj "/CN=Test maker root" -days 30 \
	-addext basicConstraints=critical,CA:TRUE -out "$pki/root.pem" 2>/dev/null
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-keyout "$pki/ca.key" -subj "/CN=Test maker CA" -out "$pki/ca.csr" 2>/dev/null
printf 'basicConstraints=critical,CA:TRUE\n' > "$pki/ca.ext"
openssl x509 -req -in "$pki/ca.csr" -CA "$pki/root.pem" -CAkey "$pki/root.key" \
	-set_serial 7 -days 30 -extfile "$pki/ca.ext" -out "$pki/ca.pem" 2>/dev/null
export pki
vk --state "$state" --attest-ca "$pki/ca.pem,$pki/ca.key" -- 'echo 1234 | '"$NOTTY"' fido2-cred -M -i "$work/cred.in" -o "$work/cred.ca" "$DEV0" es256'
is "$rc" 0 "fido2-cred -M with --attest-ca"
run fido2-cred -V -v -i "$work/cred.ca" es256
is "$rc" 0 "fido2-cred -V verifies the attestation"
sed -n 7p "$work/cred.ca" | base64 -d | openssl x509 -inform DER -out "$work/leaf.pem" 2>/dev/null
run openssl verify -CAfile "$pki/root.pem" -untrusted "$pki/ca.pem" "$work/leaf.pem"
is "$rc" 0 "its certificate chains to the CA's root"
like "$(openssl x509 -in "$work/leaf.pem" -noout -text)" '1\.3\.6\.1\.4\.1\.45724\.1\.1\.4' "and carries the AAGUID extension"

vk --state "$state" --attest-self -- 'echo 1234 | '"$NOTTY"' fido2-cred -M -i "$work/cred.in" -o "$work/cred.self" "$DEV0" es256'
is "$rc" 0 "fido2-cred -M with --attest-self"
run fido2-cred -V -v -i "$work/cred.self" es256
is "$rc" 0 "fido2-cred -V verifies the self attestation"

done_testing
