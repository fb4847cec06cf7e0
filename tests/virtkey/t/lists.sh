#!/bin/bash
# Exclude and allow lists, silent probes, touch knobs and the command log,
# through a small libfido2 client (fido2-tools send at most one credential).
. "$top_srcdir/tests/sh/tap.sh"
. "$top_srcdir/tests/sh/virtkey.sh"
command -v fido2-token >/dev/null || plan_skip_all "fido2-tools is not installed"
plan 20

state="$TEST_TMP/state"
logs="$TEST_TMP/logs"
rp=pam://lists.test
# Credential ids no key of ours ever made.
for i in 1 2 3 4 5 6 7 8; do
	foreign[$i]=$(head -c 64 /dev/urandom | base64 -w0)
done
export rp

vk --state "$state" -- 'printf "1234\n1234\n" | '"$NOTTY"' fido2-token -S "$DEV0" &&
	echo 1234 | "$VKCLIENT" makecred -P "$DEV0" "$rp"'
is "$rc" 0 "the test client makes a credential with the PIN"
cred=$out
export cred

vk --state "$state" --log-dir "$logs" -- 'echo 1234 | "$VKCLIENT" makecred -P -x "$cred" "$DEV0" "$rp"'
is "$rc" 1 "an exclude list holding the key's own credential is refused"
like "$err" 'FIDO_ERR_CREDENTIAL_EXCLUDED' "with CREDENTIAL_EXCLUDED"
like "$(grep 'CBOR makeCredential' "$logs/key0.log" | tail -n 1)" 'exclude=1 .*status=0x19$' "the key's log records the excluded makeCredential"

vk --state "$state" -- 'echo 1234 | "$VKCLIENT" makecred -P -x "'"${foreign[1]}"'" "$DEV0" "$rp"'
is "$rc" 0 "an exclude list of foreign credentials does not stop registration"

vk --state "$state" -- 'echo 1234 | "$VKCLIENT" makecred -P -x "$cred" "$DEV0" pam://other.test'
is "$rc" 0 "the exclusion is per relying party"

vk --state "$state" -- 'echo 1234 | "$VKCLIENT" makecred -P '"$(printf -- '-x %s ' "${foreign[@]}")"' -x "$cred" "$DEV0" "$rp"'
like "$err" 'FIDO_ERR_LIMIT_EXCEEDED' "an exclude list longer than maxCredentialCountInList fails with LIMIT_EXCEEDED"

vk --state "$state" -- 'echo 1234 | "$VKCLIENT" assert -P "$DEV0" "$rp" '"${foreign[*]:0:7}"' "$cred"'
is "$rc" 0 "an allow list of 8 with our credential last gives an assertion"
is "$out" "flags=0x05" "with UP and UV"

vk --state "$state" -- 'echo 1234 | "$VKCLIENT" assert -P "$DEV0" "$rp" '"${foreign[*]}"' "$cred"'
like "$err" 'FIDO_ERR_LIMIT_EXCEEDED' "an allow list of 9 exceeds maxCredentialCountInList (8)"
vk --state "$state" --max-creds 2 -- '"$VKCLIENT" assert -s "$DEV0" "$rp" '"${foreign[1]}"' "$cred"'
is "$out" "flags=0x00" "--max-creds 2: an allow list of 2 is fine"
vk --state "$state" --max-creds 2 -- '"$VKCLIENT" assert -s "$DEV0" "$rp" '"${foreign[*]:0:2}"' "$cred"'
like "$err" 'FIDO_ERR_LIMIT_EXCEEDED' "--max-creds 2: an allow list of 3 is too long"

vk --state "$state" --touch never --log-dir "$logs" -- '"$VKCLIENT" assert -s "$DEV0" "$rp" '"${foreign[1]}"' "$cred"'
is "$out" "flags=0x00" "a silent probe answers without a touch, and without UP or UV"
like "$(tail -n 1 "$logs/key0.log")" '^[0-9]+ CBOR getAssertion up=0 uv=0 pinauth=0 allow=2 status=0x00$' \
	"the log line of the probe"

vk --state "$state" --touch never -- 'timeout 10 "$VKCLIENT" assert "$DEV0" "$rp" '"${foreign[1]}"
like "$err" 'FIDO_ERR_NO_CREDENTIALS' "no credential of ours in the list: NO_CREDENTIALS, without waiting for a touch"
vk --state "$state" -- '"$VKCLIENT" assert -s "$DEV0" pam://other.rp "$cred"'
like "$err" 'FIDO_ERR_NO_CREDENTIALS' "a credential does not answer for another relying party"

vk --state "$state" --touch never -- 'timeout 2 "$VKCLIENT" assert "$DEV0" "$rp" "$cred"'
is "$rc" 124 "--touch never: an assertion needing a touch waits"
vk --state "$state" --touch 300 -- '"$VKCLIENT" assert "$DEV0" "$rp" "$cred"'
is "$out" "flags=0x01" "--touch 300: the touch comes after a while"
vk --state "$state" --touch unplug -- '"$VKCLIENT" assert "$DEV0" "$rp" "$cred"; echo "rc=$?"; ls "$VIRTKEY_DIR"'
like "$out" '^rc=1'$'\n' "--touch unplug: the key disappears when it asks for a touch"
unlike "$out" 'key0-usb\.sock' "and its socket is gone"

done_testing
