#!/bin/bash
# keys = "command": the key list comes from a program run as a child of
# the PAM host, as keys_command_user, with nothing of the host's; a
# program that is unsafe, fails, hangs or talks too much signs no one
# in, and syslog says why.
. "$top_srcdir/tests/sh/tap.sh"
. "$top_srcdir/tests/sh/virtkey.sh"
. "$top_srcdir/tests/sh/pamenv.sh"
pam_env_check
. "$top_srcdir/tests/sh/seckeyenv.sh"
[ "$(id -u)" -eq 0 ] || plan_skip_all "the reader runs as another user: needs root"
# The reader's folders must be root's and writable by no one else, up to /.
dir=$TEST_TMP
while [ "$dir" != / ]; do
	[ "$(stat -c %u "$dir")" -eq 0 ] && [ $(( 0$(stat -c %a "$dir") & 022 )) -eq 0 ] ||
		plan_skip_all "$dir is not root's alone: no safe place for a reader"
	dir=$(dirname "$dir")
done
plan 50

state="$TEST_TMP/state"
signin='printf "1234\n" | "$PAMRUN" login alice authenticate'
pam_add_nobody

alice_with_key "$state" || { echo "Bail out! cannot register a key on the virtual key"; exit 1; }

# The reader and its lists: root's, readable by nobody.  It records how
# it ran in $REC (nobody may write there) and answers as $REC/mode says.
chmod 0711 "$TEST_TMP"
CMDDIR="$TEST_TMP/libexec"
REC="$TEST_TMP/rec"
mkdir -p "$CMDDIR" "$REC"
chmod 0755 "$CMDDIR"
chmod 0777 "$REC"
cp "$KEYS" "$CMDDIR/alice.keys"
cp "$top_builddir/tests/progs/fdcheck" "$CMDDIR/fdcheck"
chmod 0644 "$CMDDIR/alice.keys"
READER="$CMDDIR/reader"
cat > "$READER" <<EOF
#!/bin/sh
echo "\$(id -u) \$(id -G)" > $REC/id
printf '%s\n' "\$@" > $REC/args
env > $REC/env
$CMDDIR/fdcheck > $REC/fds 2>&1
case "\$(cat $REC/mode)" in
list)	cat $CMDDIR/alice.keys ;;
empty)	;;
fail)	exit 1 ;;
sleep)	echo \$\$ > $REC/pid; sleep 30 ;;
flood)	head -c 70000 /dev/zero | tr '\\0' '#' ;;
garbage) printf 'not a key list \\033[31m\\n' ;;
eleven)	cat $CMDDIR/eleven.keys ;;
passkey) cat $CMDDIR/alice.passkey ;;
esac
EOF
chmod 0755 "$READER"
mode() { printf '%s\n' "$1" > "$REC/mode"; rm -f "$REC/id" "$REC/args" "$REC/pid"; }
command_policy() {
	policy "timeout = 3
keys = \"command\"
keys_command = \"$READER %u %h %U 100%%\"
$1"
}

# Alice's list, printed by the reader.
command_policy ""
mode list
rm -f "$KEYS"
vk --state "$state" -- "$signin"
like "$out" 'authenticate: PAM_SUCCESS$' "the list the reader prints signs in with PIN and touch"
like "$out" 'echo-off: Security key PIN:' "the PIN is asked"
read -r -a ids < "$REC/id"
is "${ids[0]}" "$nobody_uid" "the reader runs as nobody"
is "${ids[*]:1}" "$nobody_uid" "with nobody's group and no other"
is "$(cat "$REC/args")" "alice
$PAM_HOMES/alice
4242
100%" "%u, %h, %U and %% are expanded, one argument each"
is "$(sort "$REC/env" | grep -v '^PWD=')" "LANG=C
PATH=/usr/bin:/bin" "its environment is PATH and LANG only"
is "$(cat "$REC/fds")" "fdcheck: only 0, 1 and 2" "it inherits no descriptor beyond 0, 1 and 2"

command_policy 'keys_command_user = "root"'
vk --state "$state" -- "$signin"
like "$out" 'authenticate: PAM_SUCCESS$' "keys_command_user = \"root\", written out, is allowed"
is "$(cut -d' ' -f1 "$REC/id")" 0 "and the reader then runs as root"

command_policy 'keys_command_user = "nosuchuser"'
mode list
vk --state "$state" -- "$signin"
like "$out" 'authenticate: PAM_AUTHINFO_UNAVAIL$' "an unknown keys_command_user: unavailable"
like "$err" 'key list unavailable: keys_command_user "nosuchuser": no such user' "syslog says so"
ok "$([ ! -e "$REC/id" ] && echo 0 || echo 1)" "and the reader did not run"

# Unsafe readers are refused without being run.
command_policy ""
cp "$READER" "$CMDDIR/theirs"
chown 4242 "$CMDDIR/theirs"
sed -i "s|$READER|$CMDDIR/theirs|" "$POLICY"
vk --state "$state" -- "$signin"
like "$out" 'authenticate: PAM_AUTHINFO_UNAVAIL$' "a reader owned by a user: refused"
like "$err" "key list refused: $CMDDIR/theirs: owned by uid 4242, not by root" "syslog names the owner"
ok "$([ ! -e "$REC/id" ] && echo 0 || echo 1)" "and it did not run"

command_policy ""
chmod 0775 "$READER"
vk --state "$state" -- "$signin"
like "$out" 'authenticate: PAM_AUTHINFO_UNAVAIL$' "a group-writable reader: refused"
like "$err" "key list refused: $READER: writable by group or others" "syslog says why"
ok "$([ ! -e "$REC/id" ] && echo 0 || echo 1)" "and it did not run"
chmod 0755 "$READER"

chmod 0775 "$CMDDIR"
vk --state "$state" -- "$signin"
like "$out" 'authenticate: PAM_AUTHINFO_UNAVAIL$' "a group-writable folder above the reader: refused"
like "$err" "key list refused: $CMDDIR: folder is writable by group or others" "syslog names the folder"
ok "$([ ! -e "$REC/id" ] && echo 0 || echo 1)" "and it did not run"
chmod 0755 "$CMDDIR"

ln -s "$READER" "$CMDDIR/link"
sed -i "s|$READER|$CMDDIR/link|" "$POLICY"
vk --state "$state" -- "$signin"
like "$err" "key list refused: $CMDDIR/link: not a regular file" "a symbolic link to the reader: refused"

policy "timeout = 3
keys = \"command\"
keys_command = \"reader %u\""
vk --state "$state" -- "$signin"
like "$out" 'authenticate: PAM_SERVICE_ERR$' "a relative keys_command: the policy is refused"
like "$err" 'keys_command must be an absolute program path' "syslog says why"
ok "$([ ! -e "$REC/id" ] && echo 0 || echo 1)" "and nothing ran"

command_policy ""
sed -i "s|$READER|$CMDDIR/missing|" "$POLICY"
vk --state "$state" -- "$signin"
like "$out" 'authenticate: PAM_AUTHINFO_UNAVAIL$' "a missing reader: unavailable"

# Readers that fail.
command_policy "nouserok = true"
mode fail
vk --state "$state" -- "$signin"
like "$out" 'authenticate: PAM_AUTHINFO_UNAVAIL$' "exit status 1: unavailable, even with nouserok"
like "$err" "key list unavailable: $READER: exited with status 1" "syslog gives the status"

command_policy "keys_command_timeout = 1"
mode sleep
timed_vk --state "$state" -- "$signin"
like "$out" 'authenticate: PAM_AUTHINFO_UNAVAIL$' "a reader past keys_command_timeout: unavailable"
in_time "after about the timeout"
like "$err" "key list unavailable: $READER: still running after 1000 ms: killed" "syslog says it was killed"
pid=$(cat "$REC/pid" 2>/dev/null)
ok "$([ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null && echo 0 || echo 1)" "the reader is gone"
# Killed children of the reader's session wait for an init that may not
# reap them (a container's): only a live one counts.
live=$(ps -eo sid=,stat= | awk -v sid="$pid" '$1 == sid && $2 !~ /^Z/')
ok "$([ -n "$pid" ] && [ -z "$live" ] && echo 0 || echo 1)" "and so is its sleep, killed with its session"

command_policy ""
mode flood
vk --state "$state" -- "$signin"
like "$out" 'authenticate: PAM_AUTHINFO_UNAVAIL$' "more than 64 KiB of output: refused"
like "$err" "key list refused: $READER: wrote more than 65536 bytes" "syslog says so"

mode garbage
vk --state "$state" -- "$signin"
like "$out" 'authenticate: PAM_AUTHINFO_UNAVAIL$' "output that is no key list: refused"
like "$err" "key list refused: output of $READER:1: " "syslog names the line of the output"
unlike "$err" $'\033' "and never quotes it raw"

pubkey=$(sed -n 's/^  public_key *= "\(.*\)"$/\1/p' "$CMDDIR/alice.keys")
{
	cat "$CMDDIR/alice.keys"
	for i in $(seq 10); do
		printf 'key "Spare %s" {\n  credential = "%s"\n  public_key = "%s"\n  algorithm = "es256"\n  aaguid = "86babe58-627a-45bd-885c-ff16bce5ed43"\n  transport = "usb"\n  created = "2026-11-26T08:00:00Z"\n}\n' \
			"$i" "$(head -c 48 /dev/urandom | base64 -w0)" "$pubkey"
	done
} > "$CMDDIR/eleven.keys"
chmod 0644 "$CMDDIR/eleven.keys"
mode eleven
vk --state "$state" -- "$signin"
like "$out" 'authenticate: PAM_AUTHINFO_UNAVAIL$' "eleven keys: refused"
like "$err" "key list refused: output of $READER:[0-9]+: " "syslog names the line"

# SSSD/FreeIPA mapping lines instead of a key list.
field() { sed -n "s/^  $1 *= \"\(.*\)\"$/\1/p" "$CMDDIR/alice.keys" | head -n 1; }
printf '\npasskey:%s,%s\n' "$(field credential)" "$(field public_key)" > "$CMDDIR/alice.passkey"
chmod 0644 "$CMDDIR/alice.passkey"
mode passkey
vk --state "$state" -- "$signin"
like "$out" 'authenticate: PAM_SUCCESS$' "passkey: mapping lines sign in"
printf 'passkey:%s,%s\nkey "x" {\n' "$(field credential)" "$(field public_key)" > "$CMDDIR/alice.passkey"
vk --state "$state" -- "$signin"
like "$out" 'authenticate: PAM_AUTHINFO_UNAVAIL$' "a broken passkey: line: refused"
like "$err" "key list refused: output of $READER:2: " "syslog names the line"

# Nothing printed: no key registered, exactly as an empty file.
command_policy ""
mode empty
vk --state "$state" -- "$signin"
like "$out" 'authenticate: PAM_AUTH_ERR$' "empty output: not enrolled (PAM_AUTH_ERR)"
like "$err" 'no security key registered' "syslog says no key is registered"
command_policy "nouserok = true"
vk --state "$state" -- "$signin"
like "$out" 'authenticate: PAM_IGNORE$' "empty output with nouserok: PAM_IGNORE"
: > "$KEYS"
policy "timeout = 3
nouserok = true"
vk --state "$state" -- "$signin"
like "$out" 'authenticate: PAM_IGNORE$' "as an empty file with nouserok"

# The host's own children and variables are not the reader's business.
command_policy ""
mode list
vk --state "$state" -- 'printf "1234\n" | MARKER=host-secret "$PAMRUN" login alice authenticate'
like "$out" 'authenticate: PAM_SUCCESS$' "a host with a variable of its own signs in"
unlike "$(cat "$REC/env")" 'MARKER|LD_PRELOAD|NSS_WRAPPER|VIRTKEY' "the reader sees none of the host's variables"
ok "$([ -z "$(pgrep -f "$READER")" ] && echo 0 || echo 1)" "no reader is left running"
