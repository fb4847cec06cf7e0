#!/bin/bash
# seckey with keys = "command": list and test read what keys_command
# prints; register, rename and delete refuse, since the list is kept
# wherever that command reads it.
. "$top_srcdir/tests/sh/tap.sh"
. "$top_srcdir/tests/sh/virtkey.sh"
. "$top_srcdir/tests/sh/seckeycli.sh"
. "$top_srcdir/tests/sh/readonly.sh"
[ "$(id -u)" -eq 0 ] || plan_skip_all "the reader runs as another user: needs root"
plan 14

state="$TEST_TMP/state"
printf 'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n' >> "$SK_PASSWD"
printf 'nobody:x:65534:\n' >> "$SK_GROUP"
keys=$(keys_of alice)

# A key registered the ordinary way, then served by a reader instead.
vk --state "$state" -- 'set_pin 1234 && printf "1234\n" | sk --user alice register --name "Blue key"'
is "$rc" 0 "a key is registered into the file"
chmod 0711 "$TEST_TMP"
CMDDIR="$TEST_TMP/libexec"
mkdir -p "$CMDDIR"
chmod 0755 "$CMDDIR"
cp "$keys" "$CMDDIR/alice.keys"
chmod 0644 "$CMDDIR/alice.keys"
printf '#!/bin/sh\n[ "$1" = alice ] && exec cat %s/alice.keys\n' "$CMDDIR" > "$CMDDIR/reader"
chmod 0755 "$CMDDIR/reader"
rm -f "$keys"
sk_policy "keys = \"command\"
keys_command = \"$CMDDIR/reader %u\""

run sk --user alice list
is "$rc" 0 "list reads through keys_command"
like "$out" $'\nBlue key  ' "and shows the key"

vk --state "$state" -- 'printf "1234\n" | sk --user alice test'
is "$rc" 0 "test signs in with the key keys_command lists"
like "$out$err" 'Blue key' "and names it"

refuses_changes "$state" "Blue key" \
	"seckey: the security keys of alice come from keys_command \\($CMDDIR/reader\\): seckey cannot change them; change them where that command reads them"
ok "$([ ! -e "$keys" ] && echo 0 || echo 1)" "no key list file was written"

printf '#!/bin/sh\nexit 11\n' > "$CMDDIR/reader"
run sk --user alice list
is "$rc" 1 "a reader that fails: list fails"
like "$err" "seckey: $CMDDIR/reader: exited with status 11" "and says how it failed"
