#!/bin/bash
# The key's flash: --state keeps the PIN and credentials across restarts,
# and two keys are two distinct authenticators.
. "$top_srcdir/tests/sh/tap.sh"
. "$top_srcdir/tests/sh/virtkey.sh"
command -v fido2-token >/dev/null || plan_skip_all "fido2-tools is not installed"
plan 9

state="$TEST_TMP/state"
rp=pam://state.test
export rp

vk --state "$state" --keys 2 -- 'printf "1234\n1234\n" | '"$NOTTY"' fido2-token -S "$DEV0" &&
	echo 1234 | "$VKCLIENT" makecred -P "$DEV0" "$rp"'
is "$rc" 0 "a PIN and a credential are made on key 0"
cred=$out
export cred

vk --state "$state" --keys 2 -- 'fido2-token -I "$DEV0"; fido2-token -I "$DEV1"'
like "$out" 'options: nork, up, noplat, clientPin,.*options: nork, up, noplat, noclientPin,' \
	"after a restart key 0 still has its PIN, key 1 has none"
vk --state "$state" --keys 2 -- 'echo 1234 | "$VKCLIENT" assert -P "$DEV0" "$rp" "$cred"'
is "$out" "flags=0x05" "the credential made before the restart still signs, with the PIN"
vk --state "$state" --keys 2 -- '"$VKCLIENT" assert -s "$DEV1" "$rp" "$cred"'
like "$err" 'FIDO_ERR_NO_CREDENTIALS' "key 1 does not know key 0's credential"

vk --state "$state" --keys 2 -- 'printf "4321\n4321\n" | '"$NOTTY"' fido2-token -S "$DEV1" &&
	echo 4321 | "$VKCLIENT" makecred -P "$DEV1" "$rp"'
cred1=$out
export cred1
isnt_same=$([ -n "$cred1" ] && [ "$cred1" != "$cred" ] && echo 0 || echo 1)
ok "$isnt_same" "key 1 makes its own credential"
vk --state "$state" --keys 2 -- 'echo 1234 | "$VKCLIENT" assert -P "$DEV0" "$rp" "$cred1"'
like "$err" 'FIDO_ERR_NO_CREDENTIALS' "which key 0 does not know"
vk --state "$state" --keys 2 -- 'echo 4321 | "$VKCLIENT" assert -P "$DEV1" "$rp" "$cred" "$cred1"'
is "$out" "flags=0x05" "key 1 signs with its own PIN and credential, picking it from the allow list"

vk --state "$state" -- 'fido2-token -R "$DEV0" && "$VKCLIENT" assert -s "$DEV0" "$rp" "$cred"'
like "$err" 'FIDO_ERR_NO_CREDENTIALS' "after a reset key 0's old credential is gone"
vk -- 'fido2-token -I "$DEV0"'
like "$out" 'noclientPin' "without --state a key starts blank every time"

done_testing
