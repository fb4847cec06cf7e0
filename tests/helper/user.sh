#!/bin/bash
# --user, ordinary users, and symbolic links: root manages another user's
# list with that user's rights inside their home; an ordinary user only
# their own; the helper never follows a symbolic link or writes through
# one.  The users exist only in the test's passwd file, so this needs
# root (to own files as them).
. "$top_srcdir/tests/sh/tap.sh"
. "$top_srcdir/tests/sh/virtkey.sh"
. "$top_srcdir/tests/sh/seckeycli.sh"
[ "$(id -u)" -eq 0 ] || plan_skip_all "needs root to act as the test users"
plan 35

state="$TEST_TMP/state"
alice_keys=$(keys_of alice)
alice_dir=$(dirname "$alice_keys")

vk --state "$state" -- 'set_pin 1234 && printf "1234\n" | sk --user alice register --name "Alice key"'
is "$rc" 0 "root registers a key for alice with --user"
like "$err" 'registered "Alice key" \(security key, usb\) for alice$' "and names her"
is "$(key_names "$alice_keys")" "Alice key" "the entry is in alice's list"
is "$(stat -c '%u %a' "$alice_keys")" "2001 600" "which belongs to alice, mode 0600"
is "$(stat -c '%u %a' "$alice_dir") $(stat -c '%u %a' "$(dirname "$alice_dir")")" "2001 700 2001 700" \
	"and so do the folders made for it, mode 0700"
ok "$([ ! -e "$(keys_of root)" ] && echo 0 || echo 1)" "root's own list is untouched"

run sk list --user alice
is "$rc" 0 "--user also works after the command"
like "$out" 'Alice key' "and lists alice's keys"

run sk --user nosuch list
is "$rc" 1 "an unknown user is refused"
is "$err" "seckey: no such user: nosuch" "by name"

run sk_as 2001 list
is "$rc" 0 "alice lists her own keys"
like "$out" 'Alice key' "and sees them"
run sk_as 2001 --user bob list
is "$rc" 1 "alice may not name bob with --user"
is "$err" "seckey: only root may manage the keys of another user (--user)" "and is told only root may"
run sk_as 2001 --user nosuch list
is "$err" "seckey: only root may manage the keys of another user (--user)" \
	"the same answer for a user that does not exist: nothing is revealed"
run sk_as 2001 --user alice list
is "$rc" 0 "naming herself is fine"
vk --state "$state" --keys 2 -- 'set_pin 5678 "$DEV1" && printf "5678\n" | sk_as 2001 register --device "$DEV1" --name "Second"'
is "$rc" 0 "alice registers a second key herself"
is "$(key_names "$alice_keys" | tr '\n' '|')" "Alice key|Second|" "into her own list"
run sk_as 2002 list
is "$err" "seckey: bob has no security keys registered" "bob sees only his own (empty) list"

# Root acts as alice inside her home: a folder she cannot write stops it.
chmod 0500 "$alice_dir"
cp "$alice_keys" "$TEST_TMP/alice.before"
run sk --user alice delete "Second"
is "$rc" 1 "root cannot change alice's list where alice herself could not"
like "$err" 'permission denied' "permission denied, as alice"
cmp -s "$alice_keys" "$TEST_TMP/alice.before"
ok $? "her list is unchanged"
chmod 0700 "$alice_dir"

# --- symbolic links --------------------------------------------------------
victim="$SK_HOMES/alice/victim"
cp "$alice_keys" "$victim"
chown 2001:2001 "$victim"
cp "$victim" "$TEST_TMP/victim.before"
mv "$alice_keys" "$TEST_TMP/alice.real"
ln -s "$victim" "$alice_keys"
run sk --user alice list
is "$rc" 1 "a key list that is a symbolic link is refused"
like "$err" 'keys.conf: is a symbolic link \(refused\)$' "as a symbolic link"
run sk --user alice delete "Alice key"
is "$rc" 1 "delete refuses to go through it"
vk --state "$state" -- 'printf "1234\n" | sk --user alice register --name "Via link"'
is "$rc" 1 "register refuses to go through it"
cmp -s "$victim" "$TEST_TMP/victim.before"
ok $? "the file it points to is unchanged"
ok "$([ -L "$alice_keys" ] && echo 0 || echo 1)" "and the link is still a link"
rm -f "$alice_keys"
mv "$TEST_TMP/alice.real" "$alice_keys"

# A folder on the way that is a link (to a folder root owns) is refused,
# and nothing is created through it.
mkdir -m 0755 "$TEST_TMP/rootdir"
mv "$SK_HOMES/alice/.config" "$TEST_TMP/alice.config"
ln -s "$TEST_TMP/rootdir" "$SK_HOMES/alice/.config"
vk --state "$state" -- 'printf "1234\n" | sk --user alice register --name "Via folder link"'
is "$rc" 1 "a folder that is a symbolic link is refused"
like "$err" 'symbolic link' "as a symbolic link"
is "$(ls -A "$TEST_TMP/rootdir")" "" "nothing was created through it"
rm "$SK_HOMES/alice/.config"
mv "$TEST_TMP/alice.config" "$SK_HOMES/alice/.config"

# A link planted where the temporary file goes is removed, never written
# through.
ln -s "$victim" "$alice_dir/.keys.conf.tmp"
run sk --user alice rename "Second" "Third"
is "$rc" 0 "a rename with a link planted as the temporary file succeeds"
cmp -s "$victim" "$TEST_TMP/victim.before"
ok $? "the file the link points to is unchanged"
is "$(key_names "$alice_keys" | tr '\n' '|')" "Alice key|Third|" "the list has the new name"
ok "$([ ! -e "$alice_dir/.keys.conf.tmp" ] && [ ! -L "$alice_dir/.keys.conf.tmp" ] && echo 0 || echo 1)" \
	"and the link is gone"

done_testing
