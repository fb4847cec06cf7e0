#!/bin/bash
# A tampered or broken key list never signs anyone in, and syslog says why.
. "$top_srcdir/tests/sh/tap.sh"
. "$top_srcdir/tests/sh/virtkey.sh"
. "$top_srcdir/tests/sh/pamenv.sh"
pam_env_check
. "$top_srcdir/tests/sh/seckeyenv.sh"
plan 25

state="$TEST_TMP/state"
signin='printf "1234\n" | "$PAMRUN" login alice authenticate'

alice_with_key "$state" || { echo "Bail out! cannot register a key on the virtual key"; exit 1; }
cp "$KEYS" "$TEST_TMP/good"
vk --state "$state" -- "$signin"
like "$out" 'authenticate: PAM_SUCCESS$' "the untouched list signs in"

# install_list: put $TEST_TMP/list in place as alice's list, mode 0600.
install_list() {
	cp "$TEST_TMP/list" "$KEYS"
	keys_own alice
}
field() { sed -n "s/^  $1 *= \"\(.*\)\"$/\1/p" "$TEST_TMP/good" | head -n 1; }
cred=$(field credential)
pubkey=$(field public_key)
# entry NAME: one more entry, with a fresh credential id and a valid key.
entry() {
	printf 'key "%s" {\n  credential = "%s"\n  public_key = "%s"\n  algorithm = "es256"\n  aaguid = "86babe58-627a-45bd-885c-ff16bce5ed43"\n  transport = "usb"\n  created = "2026-11-26T08:00:00Z"\n}\n' \
		"$1" "$(head -c 48 /dev/urandom | base64 -w0)" "$pubkey"
}

# Another public key in place of the registered one.
other=$(openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 2>/dev/null |
	openssl pkey -pubout -outform DER | base64 -w0)
sed "s|$pubkey|$other|" "$TEST_TMP/good" > "$TEST_TMP/list"
install_list
vk --state "$state" -- "$signin"
like "$out" 'authenticate: PAM_AUTHINFO_UNAVAIL$' "a different public key: the key's probe answer does not count, no key is found"
like "$err" 'answered the probe for "Blue key" with a signature that does not verify: skipped' "syslog: the signature does not verify"

# A credential id with one bit flipped.
printf '%s' "$cred" | base64 -d > "$TEST_TMP/cred.bin"
byte=$(od -An -tu1 -j20 -N1 "$TEST_TMP/cred.bin")
printf "\\x$(printf %02x $((byte ^ 1)))" | dd of="$TEST_TMP/cred.bin" bs=1 seek=20 conv=notrunc 2>/dev/null
flipped=$(base64 -w0 < "$TEST_TMP/cred.bin")
sed "s|$cred|$flipped|" "$TEST_TMP/good" > "$TEST_TMP/list"
install_list
vk --state "$state" -- "$signin"
like "$out" 'authenticate: PAM_AUTHINFO_UNAVAIL$' "a flipped credential id: no registered key is found"
unlike "$out" 'echo-off' "and no PIN is asked"

# Eleven entries, with the real one among them.
{ cat "$TEST_TMP/good"; for i in $(seq 10); do entry "Spare $i"; done; } > "$TEST_TMP/list"
install_list
vk --state "$state" -- "$signin"
like "$out" 'authenticate: PAM_AUTHINFO_UNAVAIL$' "eleven keys: the whole list is refused"
like "$out" 'error: Your security key list cannot be used; see the system log\.' "the user is told to look at the log"
like "$err" "key list refused: $KEYS:[0-9]+: .*(more than|too many|at most)" "syslog names the file, the line and the fault"

# max_keys below the number registered.
{ cat "$TEST_TMP/good"; entry "Spare"; } > "$TEST_TMP/list"
install_list
policy "max_keys = 1"
vk --state "$state" -- "$signin"
like "$out" 'authenticate: PAM_AUTHINFO_UNAVAIL$' "more keys than max_keys: refused"
policy ""
vk --state "$state" -- "$signin"
like "$out" 'authenticate: PAM_SUCCESS$' "the same list with max_keys 10 signs in"

# A duplicate name.
{ cat "$TEST_TMP/good"; entry "Blue key"; } > "$TEST_TMP/list"
install_list
vk --state "$state" -- "$signin"
like "$out" 'authenticate: PAM_AUTHINFO_UNAVAIL$' "a duplicate name: refused"
like "$err" "key list refused: $KEYS:[0-9]+: .*Blue key" "syslog names the duplicate"

# An unknown field.
sed 's/^  transport  = "usb"$/  transport  = "usb"\n  colour = "blue"/' "$TEST_TMP/good" > "$TEST_TMP/list"
install_list
vk --state "$state" -- "$signin"
like "$out" 'authenticate: PAM_AUTHINFO_UNAVAIL$' "an unknown field: refused"
like "$err" "key list refused: $KEYS:8: " "syslog names the line"

# Broken values.
sed "s|$pubkey|${pubkey%??}|" "$TEST_TMP/good" > "$TEST_TMP/list"
install_list
vk --state "$state" -- "$signin"
like "$out" 'authenticate: PAM_AUTHINFO_UNAVAIL$' "a public key with broken base64: refused"
sed 's/"es256"/"eddsa"/' "$TEST_TMP/good" > "$TEST_TMP/list"
install_list
vk --state "$state" -- "$signin"
like "$out" 'authenticate: PAM_AUTHINFO_UNAVAIL$' "an algorithm that does not match the public key: refused"
sed 's/^  aaguid .*$//' "$TEST_TMP/good" > "$TEST_TMP/list"
install_list
vk --state "$state" -- "$signin"
like "$out" 'authenticate: PAM_AUTHINFO_UNAVAIL$' "a missing field: refused"
printf 'key "Blue key" {\n' > "$TEST_TMP/list"
install_list
vk --state "$state" -- "$signin"
like "$out" 'authenticate: PAM_AUTHINFO_UNAVAIL$' "a truncated list: refused"
head -c 70000 /dev/zero | tr '\0' '#' > "$TEST_TMP/list"
install_list
vk --state "$state" -- "$signin"
like "$out" 'authenticate: PAM_AUTHINFO_UNAVAIL$' "a list over the size cap: refused"

# Unsafe modes.
cp "$TEST_TMP/good" "$TEST_TMP/list"
install_list
chmod 0606 "$KEYS"
vk --state "$state" -- "$signin"
like "$out" 'authenticate: PAM_AUTHINFO_UNAVAIL$' "a world-writable list: refused"
like "$err" "key list refused: $KEYS: .*writable" "syslog says it is writable by others"
chmod 0600 "$KEYS"
chmod 0777 "$(dirname "$KEYS")"
vk --state "$state" -- "$signin"
like "$out" 'authenticate: PAM_AUTHINFO_UNAVAIL$' "a world-writable folder: refused"
chmod 0700 "$(dirname "$KEYS")"

# allowed_aaguids: only the listed models take part.
policy 'allowed_aaguids = {"2fc0579f-8113-47ea-b116-bb5a8db9202a"}'
vk --state "$state" -- "$signin"
like "$out" 'authenticate: PAM_AUTHINFO_UNAVAIL$' "a key of a model the policy does not allow is not used"
like "$err" 'none of the registered keys is of a model allowed_aaguids accepts' "syslog says why"
policy 'allowed_aaguids = {"2fc0579f-8113-47ea-b116-bb5a8db9202a", "86babe58-627a-45bd-885c-ff16bce5ed43"}'
vk --state "$state" -- "$signin"
like "$out" 'authenticate: PAM_SUCCESS$' "a listed model signs in"

done_testing
