#!/bin/bash
# Bad input at the PAM edge: user names that are empty, missing, very
# long, hold "/", "..", "%", a newline, a control character or invalid
# UTF-8; PINs that are empty, at and over the 63-byte limit, hold a NUL or
# are not UTF-8; conf= relative, empty, missing, a folder, /dev/null.
# Each is refused with the PAM code pam_seckey(8) gives, a sensible
# message, and a syslog line that never carries a name that is no user's.
. "$top_srcdir/tests/sh/tap.sh"
. "$top_srcdir/tests/sh/virtkey.sh"
. "$top_srcdir/tests/sh/pamenv.sh"
pam_env_check
. "$top_srcdir/tests/sh/seckeyenv.sh"
plan 84

state="$TEST_TMP/state"
alice_with_key "$state" || { echo "Bail out! cannot register a key on the virtual key"; exit 1; }
# Odd names that do name accounts (as a directory service could send).
pam_add_user 'x/y' 4250 "$PAM_HOMES/slash"
pam_add_user '..' 4251 "$PAM_HOMES/dots"
pam_add_user 'p%s%n%h' 4252 "$PAM_HOMES/percent"
pam_add_user $'e\x1b[2Jx' 4253 "$PAM_HOMES/escape"
pam_add_user $'b\xe9b' 4254 "$PAM_HOMES/latin1"

# hex BYTES: the "hex:" form pamdriver takes for a user name or an answer.
hex() {
	printf 'hex:%s' "$(printf '%s' "$1" | od -An -tx1 -v | tr -d ' \n')"
}
# signin USER ANSWER...: one sign-in through the login service.
signin() {
	local user=$1
	shift
	export SIGNIN_USER=$user
	vk --state "$state" -- "printf '%s\n' $(printf '%q ' "$@") | \"\$PAMRUN\" login \"\$SIGNIN_USER\" authenticate"
}
retries='fido2-token -I "$DEV0" | sed -n "s/^pin retries: //p"'

# No user name, an empty one, names that are no account's.
signin "" </dev/null
like "$out" $'^echo-on: login:\nauthenticate: PAM_USER_UNKNOWN$' \
	"no user set and no answer to login: PAM_USER_UNKNOWN"
like "$err" 'SYSLOG\([0-9]\): cannot get the user name' "syslog says so"
signin "" alice 1234
like "$out" $'^echo-on: login:\necho-off: Security key PIN: \n.*authenticate: PAM_SUCCESS$' \
	"no user set: the module asks for it (libpam's login: prompt), then signs alice in"
signin "hex:" 1234
is "$out" "authenticate: PAM_USER_UNKNOWN" "an empty user name: PAM_USER_UNKNOWN, nothing asked"
like "$err" 'SYSLOG\([0-9]\): cannot get the user name' "syslog: cannot get the user name"
long=$(printf 'q%.0s' $(seq 1500))
while IFS='|' read -r what user; do
	signin "$user" 1234
	is "$out" "authenticate: PAM_USER_UNKNOWN" "$what: PAM_USER_UNKNOWN, nothing asked or said"
	like "$err" 'SYSLOG\([0-9]\): unknown user$' "$what: syslog says unknown user"
	unlike "$err" 'qqqq|hunter|\.\./|%n|root: signed' "$what: the name is never logged"
done <<EOF
a name of 1500 bytes|$long
../alice|../alice
/etc/passwd|/etc/passwd
a name with %n and %s|hunter%n%s%s
alice and a newline|$(hex $'alice\n')
a forged log line|$(hex $'alice\nuser root: signed in with security key')
invalid UTF-8|$(hex $'hunter\xff\xfe')
alice and a space|alice 
alice and a tab|$(hex $'alice\t')
EOF

# Names of real accounts that cannot be part of a path.
for user in 'x/y' '..'; do
	signin "$user" 1234
	like "$out" 'authenticate: PAM_AUTHINFO_UNAVAIL$' "the account \"$user\": its key list is refused"
	like "$out" 'error: Your security key list cannot be used; see the system log\.' \
		"\"$user\": the user is told"
	like "$err" "user $user: key list refused: the user name cannot be used in a path" \
		"\"$user\": syslog says why"
done
policy "nouserok = true"
signin 'x/y' 1234
like "$out" 'authenticate: PAM_AUTHINFO_UNAVAIL$' "with nouserok too: an error, never PAM_IGNORE"
policy ""
signin 'p%s%n%h' 1234
like "$out" 'authenticate: PAM_AUTH_ERR$' "an account named p%s%n%h without keys: PAM_AUTH_ERR"
like "$err" 'user p%s%n%h: no security key registered: [^ ]*/percent/\.config/seckey/keys\.conf' \
	"syslog shows the name as it is, and %h expanded from the template only"
signin "$(hex $'b\xe9b')" 1234
like "$out" 'authenticate: PAM_AUTH_ERR$' "an account whose name is not UTF-8, without keys: PAM_AUTH_ERR"
signin "$(hex $'e\x1b[2Jx')" 1234
like "$out" 'authenticate: PAM_AUTHINFO_UNAVAIL$' "an account whose name holds an escape character: refused"
unlike "$err" $'\x1b' "no control character from a user name reaches the syslog line"

# "%" in a name is not expanded again when keys_file holds %u.
if [ "$(id -u)" -eq 0 ]; then
	pam_add_user 'al%hce' 4255 "$PAM_HOMES/alhce"
	mkdir -p "$TEST_TMP/etc/seckey.d"
	chmod 0755 "$TEST_TMP/etc/seckey.d"
	sed 's/"Blue key"/"Admin key"/' "$KEYS" > "$TEST_TMP/etc/seckey.d/al%hce.conf"
	chmod 0644 "$TEST_TMP/etc/seckey.d/al%hce.conf"
	policy "keys_file = \"$TEST_TMP/etc/seckey.d/%u.conf\""
	signin 'al%hce' 1234
	like "$out" 'authenticate: PAM_SUCCESS$' "keys_file %u for the account al%hce: its own list, read as named"
	like "$err" 'user al%hce: signed in with security key "Admin key"' "syslog names the user and the key"
	signin '..' 1234
	like "$out" 'authenticate: PAM_AUTHINFO_UNAVAIL$' "keys_file %u and the account \"..\": refused"
	policy ""
else
	for i in 1 2 3; do skip "needs root: a key list owned by root"; done
fi

# PINs.
vk --state "$state" -- "printf '%s\n' hex:00 | \"\$PAMRUN\" login alice authenticate; $retries"
like "$out" 'authenticate: PAM_AUTH_ERR' "a PIN that starts with NUL is empty: PAM_AUTH_ERR"
like "$out" 'error: No valid PIN was given\.' "the user is told"
like "$out" $'\n8$' "no PIN retry was spent"
like "$err" 'user alice: refused an empty or over-long PIN' "syslog says why"
for len in 64 200 5000; do
	vk --state "$state" -- "printf '%s\n' $(printf '7%.0s' $(seq $len)) | \"\$PAMRUN\" login alice authenticate; $retries"
	like "$out" 'authenticate: PAM_AUTH_ERR' "a PIN of $len bytes: PAM_AUTH_ERR"
	like "$out" 'error: No valid PIN was given\.' "$len bytes: the user is told"
	like "$out" $'\n8$' "$len bytes: not sent to the key, no retry spent"
done
signin alice "$(printf '7%.0s' $(seq 63))"
like "$out" 'authenticate: PAM_AUTH_ERR$' "a PIN of 63 bytes (the most CTAP allows) goes to the key: wrong"
like "$out" 'error: Wrong PIN, 7 attempts left\.' "the key counted it"
signin alice hex:3132003334	# 1 2 NUL 3 4
like "$out" 'error: Wrong PIN, 6 attempts left\.' "a NUL inside: the module gets what comes before it (12), a wrong PIN"
signin alice "$(hex $'\xff\xfe\xfd\xfc')"
like "$out" 'authenticate: PAM_AUTH_ERR$' "a PIN that is not UTF-8: PAM_AUTH_ERR"
signin alice 1234
like "$out" 'authenticate: PAM_SUCCESS$' "the right PIN still signs in (and restores the retries)"
unlike "$err" '7777|hex:|12.34' "no PIN reached the log"

# conf= on the module line.
while IFS='|' read -r arg why; do
	pam_service odd "$(stack "$arg")"
	vk --state "$state" -- 'printf "1234\n" | "$PAMRUN" odd alice authenticate'
	like "$out" $'^error: Security key sign-in is unavailable: configuration error\.\nauthenticate: PAM_SERVICE_ERR$' \
		"${arg:0:40}: PAM_SERVICE_ERR, and a short message"
	like "$err" "SYSLOG\\([0-9]\\): configuration error: .*$why" "${arg:0:40}: syslog says why"
done <<EOF
conf=etc/pam_seckey.conf|conf= needs an absolute path
conf=|conf= needs an absolute path
conf=/nonexistent/pam_seckey.conf|/nonexistent: no such file
conf=$TEST_TMP/etc|$TEST_TMP/etc: not a regular file
conf=/dev/null|/dev/null: not a regular file
conf=/|not an absolute, normalized path
conf=$TEST_TMP/etc/../etc/pam_seckey.conf|not an absolute, normalized path
conf=/$(printf 'd%.0s' $(seq 900))|/ddd
conf=$POLICY conf=/nonexistent|/nonexistent: no such file
EOF

done_testing
