#!/bin/bash
# pam_seckey.so as an administrator deploys it: remote sign-ins (sshd's
# password conversation must never reach a key), keys switched off, a
# missing home, the insert cue, PAM_SILENT (sudo), and the log lines.
. "$top_srcdir/tests/sh/tap.sh"
. "$top_srcdir/tests/sh/virtkey.sh"
. "$top_srcdir/tests/sh/pamenv.sh"
pam_env_check
. "$top_srcdir/tests/sh/seckeyenv.sh"
plan 56

state="$TEST_TMP/state"
retries='fido2-token -I "$DEV0" | sed -n "s/^pin retries: //p"'
PAM_PERMIT="$(dirname "$PAM_DENY")/pam_permit.so"
[ -f "$PAM_PERMIT" ] || plan_skip_all "pam_permit.so is not installed"
# The two-factor stack of pam_seckey(8), pam_permit standing in for the
# password.
pam_service twofactor "$(printf '%s\n' \
	"auth required $PAM_PERMIT" \
	"auth required $MODULE conf=$POLICY")"
HOST=$(hostname)

alice_with_key "$state"
ok $? "alice's key is registered"

# --- remote sign-ins (sshd sets PAM_RHOST) --------------------------------
# sshd answers the echo-off PIN prompt with the password the client typed.
remote() {
	timed_vk --state "$state" -- "printf 'password\n' | \"\$PAMRUN\" -r '$1' login alice authenticate; $retries"
}
policy "timeout = 10"
remote client.example.org
like "$out" $'^(info: auth=no_module_data\n)?authenticate: PAM_IGNORE\n8$' \
	"remote host: PAM_IGNORE, nothing shown, no prompt, the PIN retries untouched"
like "$err" 'SYSLOG\(6\): user alice: remote sign-in: security keys are not used: PAM_RHOST is "client.example.org" and remote is "ignore"' \
	"syslog: info-level line names the user and the host"
in_time "it returns at once, not after the 10 s timeout"
for host in 127.0.0.1 ::1 localhost; do
	remote "$host"
	like "$out" $'authenticate: PAM_IGNORE\n8$' "$host counts as remote (ssh port forwards): PAM_IGNORE, retries untouched"
done
unlike "$out" 'echo-off' "and no PIN prompt is shown"

policy "timeout = 10"
vk -- "printf 'password\n' | \"\$PAMRUN\" -r client.example.org login alice authenticate"
like "$out" 'authenticate: PAM_IGNORE$' "remote with no registered key plugged in: PAM_IGNORE"
unlike "$out" 'Insert' "and no insert cue"

# The local host, as sudo sets PAM_RHOST, or none: a local sign-in.
vk --state "$state" -- "printf '1234\n' | \"\$PAMRUN\" -r '$HOST' login alice authenticate"
like "$out" $'echo-off: Security key PIN: \ninfo: Touch your security key now\\.\nauthenticate: PAM_SUCCESS$' \
	"PAM_RHOST = this host's name: a local sign-in"
upper=$(printf '%s' "$HOST" | tr '[:lower:]' '[:upper:]')
vk --state "$state" -- "printf '1234\n' | \"\$PAMRUN\" -r '$upper' login alice authenticate"
like "$out" 'authenticate: PAM_SUCCESS$' "the host name in another case is still local"
vk --state "$state" -- "printf '1234\n' | \"\$PAMRUN\" -r '' login alice authenticate"
like "$out" 'authenticate: PAM_SUCCESS$' "an empty PAM_RHOST is local"

policy 'remote = "deny"'
remote client.example.org
like "$out" $'authenticate: PAM_AUTH_ERR\n8$' 'remote = "deny": PAM_AUTH_ERR, the PIN retries untouched'
unlike "$out" 'echo-off' "and no PIN prompt"
like "$out" 'error: Security key sign-in is not available from another host\.' "the user is told"
like "$err" 'SYSLOG\(5\): user alice: refused a remote sign-in: PAM_RHOST is "client.example.org" and remote is "deny"' "syslog says why"
policy 'remote = "allow"'
vk --state "$state" -- "printf '1234\n' | \"\$PAMRUN\" -r client.example.org login alice authenticate"
like "$out" $'echo-off: Security key PIN: \ninfo: Touch your security key now\\.\nauthenticate: PAM_SUCCESS$' \
	'remote = "allow": a sign-in as a local one'
policy 'remote = "sometimes"'
vk --state "$state" -- "printf '1234\n' | \"\$PAMRUN\" -r client.example.org login alice authenticate"
like "$out" 'authenticate: PAM_SERVICE_ERR$' "a bad remote value: PAM_SERVICE_ERR"
like "$err" "configuration error: $POLICY:4: remote must be \"ignore\", \"deny\" or \"allow\"" "syslog names the line"
policy 'remote = "ignore"
remote = "allow"'
vk --state "$state" -- "printf '1234\n' | \"\$PAMRUN\" -r client.example.org login alice authenticate"
like "$out" 'authenticate: PAM_SERVICE_ERR$' "remote set twice: PAM_SERVICE_ERR"

# --- switched off: invisible ----------------------------------------------
policy "" && sed -i 's/^enabled = true/enabled = false/' "$POLICY"
vk --state "$state" -- "printf '1234\n' | \"\$PAMRUN\" twofactor alice authenticate"
is "$out" "authenticate: PAM_SUCCESS" "disabled: nothing at all on the terminal, the stack goes on"
like "$err" "SYSLOG\\(7\\): user alice: security key sign-in is disabled: $POLICY: enabled is false" \
	"syslog: a debug-level line that names the user"
vk --state "$state" -- "printf '1234\n' | \"\$PAMRUN\" twofactor hunter2 authenticate"
like "$err" 'SYSLOG\(7\): security key sign-in is disabled' "an unknown user: the line has no user"
unlike "$err" 'hunter2' "whose name (maybe a password) is not logged"
vk --state "$state" -- "printf 'password\n' | \"\$PAMRUN\" -r client.example.org twofactor alice authenticate"
is "$out" "authenticate: PAM_SUCCESS" "disabled and remote: nothing on the terminal either"

# --- a missing home is not "no key registered" ----------------------------
pam_add_user carol 4244 "$TEST_TMP/gone/carol"
rm -rf "$TEST_TMP/gone"
pam_add_user dave 4245
pam_add_user bob 4243
policy "nouserok = true"
vk --state "$state" -- "printf '1234\n' | \"\$PAMRUN\" login carol authenticate"
like "$out" 'authenticate: PAM_AUTHINFO_UNAVAIL$' "nouserok, the home does not exist: PAM_AUTHINFO_UNAVAIL, not PAM_IGNORE"
like "$out" 'error: Your security key list cannot be read now; see the system log\.' "the user is told"
like "$err" "SYSLOG\\(3\\): user carol: key list unavailable: $TEST_TMP/gone/carol: the home folder does not exist" \
	"syslog names the missing home"
vk --state "$state" -- "printf '1234\n' | \"\$PAMRUN\" twofactor carol authenticate"
like "$out" 'authenticate: PAM_AUTHINFO_UNAVAIL$' "the two-factor stack does not pass on the password alone"
vk --state "$state" -- "printf '1234\n' | \"\$PAMRUN\" login dave authenticate"
like "$out" 'authenticate: PAM_IGNORE$' "nouserok, the home exists without ~/.config: PAM_IGNORE (not enrolled)"
vk --state "$state" -- "printf '1234\n' | \"\$PAMRUN\" twofactor dave authenticate"
like "$out" 'authenticate: PAM_SUCCESS$' "and the two-factor stack lets a user without keys in, as nouserok says"
policy ""
vk --state "$state" -- "printf '1234\n' | \"\$PAMRUN\" login dave authenticate"
like "$out" 'authenticate: PAM_AUTH_ERR$' "without nouserok, no ~/.config: PAM_AUTH_ERR"
vk --state "$state" -- "printf '1234\n' | \"\$PAMRUN\" login carol authenticate"
like "$out" 'authenticate: PAM_AUTHINFO_UNAVAIL$' "without nouserok, no home: PAM_AUTHINFO_UNAVAIL"
if [ "$(id -u)" -eq 0 ]; then
	policy "nouserok = true
keys_file = \"$TEST_TMP/etc/seckey.d/%u.conf\""
	vk --state "$state" -- "printf '1234\n' | \"\$PAMRUN\" login dave authenticate"
	like "$out" 'authenticate: PAM_AUTHINFO_UNAVAIL$' "a list outside the home, its folder missing: PAM_AUTHINFO_UNAVAIL"
	like "$err" "key list unavailable: $TEST_TMP/etc/seckey.d: the folder does not exist" "syslog names the folder"
	mkdir -m 0755 "$TEST_TMP/etc/seckey.d"
	vk --state "$state" -- "printf '1234\n' | \"\$PAMRUN\" login dave authenticate"
	like "$out" 'authenticate: PAM_IGNORE$' "the folder there, no list in it: not enrolled (PAM_IGNORE)"
else
	for i in 1 2 3; do skip "needs root: folders outside the home owned by root"; done
fi

# --- the insert cue --------------------------------------------------------
policy "timeout = 2"
timed_vk -- "printf '1234\n' | \"\$PAMRUN\" login alice authenticate"
like "$out" $'^info: Insert \\(or tap\\) your security key\\.\nerror: No registered security key was found\\.\nauthenticate: PAM_AUTHINFO_UNAVAIL$' \
	"no registered key plugged in: the insert cue once, then PAM_AUTHINFO_UNAVAIL"
ok "$([ "$ms" -ge 2000 ] && echo 0 || echo 1)" "after the cue the module waits the timeout (took $ms ms)"
vk --state "$state" -- "printf '1234\n' | \"\$PAMRUN\" login alice authenticate"
unlike "$out" 'Insert' "the registered key plugged in: no insert cue"
like "$out" 'authenticate: PAM_SUCCESS$' "and the sign-in goes on"
policy 'timeout = 2
insert_prompt = "Plug in the key from the drawer."'
vk -- "printf '1234\n' | \"\$PAMRUN\" login alice authenticate"
like "$out" '^info: Plug in the key from the drawer\.' "insert_prompt sets the cue"
policy 'insert_prompt = ""'
vk -- "printf '1234\n' | \"\$PAMRUN\" login alice authenticate"
like "$out" 'authenticate: PAM_SERVICE_ERR$' "an empty insert_prompt is refused"
# pamtester, as the design's tests drive the module: PAM_TEXT_INFO on stdout.
policy "timeout = 2"
pam_service plain "auth required $MODULE conf=$POLICY"
pt() {
	local preload="${SANITIZER_PRELOAD:+$SANITIZER_PRELOAD }$PAM_WRAPPER_LIB $NSS_WRAPPER_LIB"
	vk "$@" -- "printf '1234\n' | env LD_PRELOAD=\"$preload\${LD_PRELOAD:+ \$LD_PRELOAD}\" PAM_WRAPPER=1 \
		PAM_WRAPPER_SERVICE_DIR='$PAM_SERVICE_DIR' PAM_WRAPPER_DISABLE_DEEPBIND=1 \
		NSS_WRAPPER_PASSWD='$PAM_PASSWD' NSS_WRAPPER_GROUP='$PAM_GROUP' \
		pamtester -v plain alice authenticate"
}
pt
is "$(grep -c 'Insert (or tap) your security key\.' <<<"$out")" 1 "pamtester: the insert cue once on stdout"
like "$err" 'Authentication service cannot retrieve authentication info' "then PAM_AUTHINFO_UNAVAIL"
pt --state "$state"
unlike "$out" 'Insert' "pamtester, the key plugged in: no insert cue"
like "$out$err" 'successfully authenticated' "and the sign-in succeeds"

# --- PAM_SILENT (sudo): the interaction and its errors are shown, information is not
policy "timeout = 2"
vk --state "$state" -- "printf '1234\n' | \"\$PAMRUN\" -s login alice authenticate"
like "$out" $'echo-off: Security key PIN: \ninfo: Touch your security key now\\.\nauthenticate: PAM_SUCCESS$' \
	"PAM_SILENT: the PIN prompt and the touch cue are shown"
vk -- "printf '1234\n' | \"\$PAMRUN\" -s login alice authenticate"
like "$out" $'^info: Insert \\(or tap\\) your security key\\.\n' "PAM_SILENT: the insert cue is shown"
like "$out" 'error: No registered security key was found\.' "PAM_SILENT: so is the error that follows (why the key did not sign in)"
policy "nouserok = true"
vk --state "$state" -- "printf '1234\n' | \"\$PAMRUN\" -s login bob authenticate"
unlike "$out" 'No security key is registered' "PAM_SILENT: information (no key registered) is not shown"
vk --state "$state" -- "printf '1234\n' | \"\$PAMRUN\" login bob authenticate"
like "$out" 'info: No security key is registered for this account\.' "without PAM_SILENT it is"

# --- log lines -------------------------------------------------------------
policy ""
vk --state "$state" -- "printf '\n' | \"\$PAMRUN\" login alice authenticate"
like "$err" 'user alice: refused an empty or over-long PIN for security key "Blue key"' \
	"the empty-PIN line: the key's name follows \"security key\""
unlike "$err" 'PIN "Blue key"' "not glued to the PIN wording"
vk --state "$state" -- "printf '1234\n' | \"\$PAMRUN\" debug-login alice authenticate"
like "$err" "user alice: 1 key in $KEYS" "debug: \"1 key\", not \"1 keys\""
vk --state "$state" -- "printf '' | \"\$PAMRUN\" login alice authenticate"
like "$err" 'no PIN was given \(the conversation failed\) for security key "Blue key"' \
	"the conversation line names the key after \"security key\""

done_testing
