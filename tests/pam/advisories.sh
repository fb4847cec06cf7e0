#!/bin/bash
# The lessons of pam-u2f's advisories, each a test: empty PINs and silent
# conversations, assertions without UV or UP or with a bad signature,
# nouserok only for "no keys", unsafe key lists, the user's privileges,
# close-on-exec descriptors, and no password change through a key.
. "$top_srcdir/tests/sh/tap.sh"
. "$top_srcdir/tests/sh/virtkey.sh"
. "$top_srcdir/tests/sh/pamenv.sh"
pam_env_check
. "$top_srcdir/tests/sh/seckeyenv.sh"
plan 35

state="$TEST_TMP/state"
logs="$TEST_TMP/logs"
signin='printf "%s\n" "$@" | "$PAMRUN" login alice authenticate'
retries='fido2-token -I "$DEV0" | sed -n "s/^pin retries: //p"'

alice_with_key "$state" || { echo "Bail out! cannot register a key on the virtual key"; exit 1; }

# CVE-2021-31924: an empty PIN, or no answer at all, never signs in.
vk --state "$state" --log-dir "$logs" -- "set -- ''; $signin; $retries"
like "$out" 'authenticate: PAM_AUTH_ERR' "an empty PIN: PAM_AUTH_ERR"
like "$out" 'error: No valid PIN was given\.' "the user is told"
like "$out" $'\n8$' "the key was not asked: no PIN retry was spent"
unlike "$(cat "$logs/key0.log")" 'getAssertion up=1' "no assertion was attempted"
vk --state "$state" -- "set -- $(printf '1%.0s' $(seq 64)); $signin"
like "$out" 'authenticate: PAM_AUTH_ERR' "a PIN of 64 bytes (CTAP allows 63): PAM_AUTH_ERR"
vk --state "$state" -- '"$PAMRUN" login alice authenticate </dev/null'
like "$out" 'authenticate: PAM_CONV_ERR$' "a conversation that returns nothing: PAM_CONV_ERR"
like "$err" 'no PIN was given \(the conversation failed\)' "syslog says so"

# An assertion must carry UV (PIN) and UP (touch) and a good signature.
vk --state "$state" --evil clear-uv -- "set -- 1234; $signin"
like "$out" 'authenticate: PAM_AUTH_ERR$' "an assertion without the UV flag is refused"
like "$out" "error: The security key's answer could not be verified\\." "the user is told"
like "$err" 'did not confirm user verification' "syslog says why"
vk --state "$state" --evil clear-up -- "set -- 1234; $signin"
like "$out" 'authenticate: PAM_AUTH_ERR$' "an assertion without the UP flag is refused"
like "$err" 'did not confirm user presence' "syslog says why"
vk --state "$state" --evil bad-sig -- "set -- 1234; $signin"
like "$out" 'authenticate: PAM_AUTH_ERR$' "an assertion with a broken signature is refused"
like "$err" 'signature does not verify with the public key of "Blue key"' "syslog says why"
policy 'user_verification = "none"'
vk --state "$state" --evil clear-uv -- '"$PAMRUN" login alice authenticate </dev/null'
like "$out" 'authenticate: PAM_SUCCESS$' "with user_verification none, touch alone signs in"
unlike "$out" 'echo-off' "and no PIN is asked"
policy ""

# CVE-2025-23013, CVE-2020-24612: only "no key list" counts as not enrolled.
policy "nouserok = true"
chmod 0620 "$KEYS"
vk --state "$state" -- "set -- 1234; $signin"
like "$out" 'authenticate: PAM_AUTHINFO_UNAVAIL$' "nouserok and a group-writable list: an error, not PAM_IGNORE"
like "$err" "key list refused: $KEYS: .*writable" "syslog names the file and the fault"
chmod 0600 "$KEYS"
chmod 0770 "$(dirname "$KEYS")"
vk --state "$state" -- "set -- 1234; $signin"
like "$out" 'authenticate: PAM_AUTHINFO_UNAVAIL$' "a group-writable folder above the list: an error"
chmod 0700 "$(dirname "$KEYS")"

# CVE-2019-12209: symbolic links and other people's files are refused.
mv "$KEYS" "$KEYS.real"
ln -s "$KEYS.real" "$KEYS"
vk --state "$state" -- "set -- 1234; $signin"
like "$out" 'authenticate: PAM_AUTHINFO_UNAVAIL$' "a key list that is a symbolic link is refused, nouserok or not"
like "$err" 'key list refused: .*symbolic link' "syslog says it is a symbolic link"
rm "$KEYS"
mv "$KEYS.real" "$KEYS"
if [ "$(id -u)" -eq 0 ]; then
	chown 4243 "$KEYS"
	chmod 0644 "$KEYS"	# alice may read it: only the owner is wrong
	vk --state "$state" -- "set -- 1234; $signin"
	like "$out" 'authenticate: PAM_AUTHINFO_UNAVAIL$' "a key list owned by another user is refused"
	like "$err" 'key list refused: .*owned by' "syslog names the owner fault"
	chown 4242 "$KEYS"
	chmod 0200 "$KEYS"
	vk --state "$state" -- "set -- 1234; $signin"
	like "$out" 'authenticate: PAM_AUTHINFO_UNAVAIL$' "a list alice cannot read is not read by root for her"
	like "$err" 'key list refused: .*(Permission denied|permission)' "syslog: permission denied, as alice"
	chmod 0600 "$KEYS"
else
	skip "needs root: chown to another user"
	skip "needs root: chown to another user"
	skip "needs root: privileges are dropped only by root"
	skip "needs root: privileges are dropped only by root"
fi
policy ""
vk --state "$state" -- "set -- 1234; $signin"
like "$out" 'authenticate: PAM_SUCCESS$' "the repaired list signs in again"

# CVE-2019-12210: every descriptor the module opens is close-on-exec.
# The key's own (the virtual key's socket) is opened by libfido2, which
# opens hidraw without O_CLOEXEC (the shim does the same): the module
# marks it close-on-exec right after, before anything else is opened.
if command -v strace >/dev/null; then
	# One file per process (-ff): with one file, a call another process
	# interrupts is split into "unfinished" and "resumed" lines.  Each
	# line then gets its pid in front, as -f alone would put it.
	rm -f "$TEST_TMP"/trace*
	vk --state "$state" -- "set -- 1234; strace -ff -qq -e trace=openat,socket,fcntl,close -o '$TEST_TMP/trace' bash -c '$signin' _ \"\$@\""
	for f in "$TEST_TMP"/trace.*; do
		sed "s/^/${f##*.} /" "$f"
	done > "$TEST_TMP/trace"
	opens=$(grep -E 'pam_seckey\.conf|keys\.conf' "$TEST_TMP/trace")
	like "$opens" 'keys\.conf' "strace saw the module open the key list"
	unlike "$(grep -v CLOEXEC <<<"$opens")" '.' "every file it opened is close-on-exec"
	# Each key socket: "pid fd" once marked, "unmarked pid fd" if it is
	# closed, or the process ends, before it is marked.
	keyfds=$(awk '
		/socket\(AF_UNIX, SOCK_SEQPACKET/ && $NF ~ /^[0-9]+$/ {
			if ($0 ~ /CLOEXEC/) { print $1, $NF; next }
			if (($1) in open) print "unmarked", $1, open[$1]
			open[$1] = $NF; next
		}
		/(fcntl|close)\([0-9]+[,)]/ && ($1) in open {
			fd = $2; sub(/^(fcntl|close)\(/, "", fd); sub(/[,)]$/, "", fd)
			if (open[$1] != fd)
				next
			if ($0 ~ /F_SETFD, FD_CLOEXEC/)
				print $1, fd
			else if ($2 ~ /^close/)
				print "unmarked", $1, fd
			else
				next
			delete open[$1]
		}
		END { for (p in open) print "unmarked", p, open[p] }
	' "$TEST_TMP/trace")
	like "$keyfds" '^[0-9]+ [0-9]+$' "strace saw the key's socket opened"
	unlike "$keyfds" 'unmarked' "every descriptor of the key's was made close-on-exec"
else
	skip "strace is not installed"
	skip "strace is not installed"
	skip "strace is not installed"
	skip "strace is not installed"
fi

# A security key never authorises a password change.
pam_service passwd-only "password required $MODULE conf=$POLICY"
vk --state "$state" -- 'printf "1234\n1234\n1234\n" | "$PAMRUN" passwd-only alice chauthtok'
unlike "$out" 'PAM_SUCCESS' "a password stack of pam_seckey alone never succeeds"
like "$out" 'chauthtok: PAM_PERM_DENIED$' "libpam denies it"
unlike "$out" 'echo-off' "and no PIN is asked for a password change"
pam_service reset-su "$(stack "conf=$POLICY")"
policy 'reset_services = {"reset-su", "passwd"}'
vk --state "$state" -- 'printf "1234\n" | "$PAMRUN" reset-su alice authenticate'
like "$out" 'authenticate: PAM_IGNORE$' "auth for a reset service never uses the key"
unlike "$out" 'echo-off' "not even to ask for the PIN"

done_testing
