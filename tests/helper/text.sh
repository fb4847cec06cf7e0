#!/bin/bash
# Untrusted text on root's terminal: a key list a user controls may hold
# C1 controls (CSI is C2 9B in UTF-8) and bidi overrides; seckey shows
# them escaped (\u009b, \u202e), never raw, in messages, tables and
# JSON; and a key name may not hold invisible format characters at all.
. "$top_srcdir/tests/sh/tap.sh"
. "$top_srcdir/tests/sh/virtkey.sh"
. "$top_srcdir/tests/sh/seckeycli.sh"
command -v openssl >/dev/null || plan_skip_all "openssl is not installed"
command -v python3 >/dev/null || plan_skip_all "python3 is not installed"
plan 24

# As root the list is alice's, read with --user as an administrator
# would; otherwise the test user's own.
who=(--user alice) owner=alice
if [ "$(id -u)" -ne 0 ]; then
	who=() owner=$SK_USER
fi
keys=$(keys_of "$owner")
mkdir -p "$(dirname "$keys")"
chmod 0700 "$(dirname "$keys")" "$(dirname "$(dirname "$keys")")"
# put_list: stdin becomes the owner's key list, owned by the owner.
put_list() {
	cat > "$keys"
	chmod 0600 "$keys"
	[ "$(id -u)" -eq 0 ] && chown -R 2001:2001 "$SK_HOMES/alice/.config"
	return 0
}
pubkey=$(openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 2>/dev/null |
	openssl pkey -pubout -outform DER | base64 -w0)
# entry NAME: a well-formed entry.
entry() {
	printf 'key "%s" {\n  credential = "%s"\n  public_key = "%s"\n  algorithm = "es256"\n  aaguid = "2fc0579f-8113-47ea-b116-bb5a8db9202a"\n  transport = "usb"\n  created = "2026-11-26T08:00:00Z"\n}\n' \
		"$1" "$(head -c 32 /dev/urandom | base64 -w0)" "$pubkey"
}
# has_raw TEXT: true when TEXT holds a raw CSI (C1), a bidi override or
# isolate, or ESC; clean TEXT: 0 (ok() passes) when it holds none.
has_raw() {
	LC_ALL=C grep -q $'\xc2\x9b\|\xe2\x80\xae\|\xe2\x81\xa6\|\x1b' <<<"$1"
}
clean() { has_raw "$1" && echo 1 || echo 0; }

# 1. libconfuse quotes the file in its message: an unknown option made of
# a CSI sequence and a right-to-left override.
{ entry "Blue key"; printf '\xc2\x9b31m\xe2\x80\xaetpyrc = 1\n'; } | put_list
run sk "${who[@]}" list
is "$rc" 1 "a list libconfuse refuses is refused"
like "$err" "no such option '\\\\u009b31m\\\\u202etpyrc'" "the message shows the characters escaped"
ok "$(clean "$err")" "and holds none of them raw"
is "$out" "" "nothing is listed"
run sk "${who[@]}" list --json
is "$rc" 1 "the same with --json"
ok "$(clean "$err$out")" "no raw character there either"

# 2. A name with a bidi override is refused whole, with a clear reason.
{ entry "Blue key"; entry $'Blue\xe2\x80\xaeyek'; } | put_list
run sk "${who[@]}" list
is "$rc" 1 "a list with a bidi override in a name is refused"
like "$err" 'a key name may not hold invisible formatting characters \(here U\+202E\)' "saying why"
ok "$(clean "$err")" "without echoing it"
{ entry "Blue key"; entry $'Bl\xe2\x80\x8bue key'; } | put_list
run sk "${who[@]}" list
is "$rc" 1 "a zero width space too"
like "$err" 'here U\+200B' "naming it"

# 3. register --name and rename refuse such names.
entry "Blue key" | put_list
run sk "${who[@]}" register --name $'Blue\xe2\x81\xa6key'
is "$rc" 2 "register --name with a left-to-right isolate: refused"
like "$err" '^seckey: a key name may not hold invisible formatting characters \(here U\+2066\)' "with the reason"
ok "$(clean "$err")" "and the name not echoed raw"
run sk "${who[@]}" rename "Blue key" $'Blue key\xe2\x80\xae'
is "$rc" 2 "rename to a name with a bidi override: refused"
like "$err" 'invisible formatting characters \(here U\+202E\)' "with the reason"
is "$(key_names "$keys")" "Blue key" "the list is unchanged"
run sk "${who[@]}" rename "Blue key" $'Blue\xc2\x9bkey'
is "$rc" 2 "rename to a name with a C1 control: refused"
ok "$(clean "$err")" "and not echoed raw"

# 4. --json stays valid JSON when a string holds such characters (here
# a user name from the user database), and shows them as JSON escapes.
if sk_need_root 5 "a user with a bidi override in the name"; then
	evil=$'m\xe2\x80\xaeal'
	printf '%s:x:2003:2003::%s:/bin/sh\n' "$evil" "$SK_HOMES/evil" >> "$SK_PASSWD"
	printf 'evil:x:2003:\n' >> "$SK_GROUP"
	mkdir -p "$SK_HOMES/evil"
	chown 2003:2003 "$SK_HOMES/evil"
	run sk --user "$evil" list --json
	is "$rc" 0 "list --json for a user whose name holds a bidi override"
	like "$out" '"user": "m\\u202eal"' "the name as a JSON escape"
	ok "$(clean "$out")" "no raw character in the JSON"
	is "$(python3 -c 'import json, sys; print(json.load(sys.stdin)["user"] == sys.argv[1])' "$evil" <<<"$out" 2>&1)" \
		True "the JSON is valid and reads back as the name"
	run sk --user "$evil" list
	like "$err" '^seckey: m\\u202eal has no security keys registered$' "the plain message escapes it too"
fi
