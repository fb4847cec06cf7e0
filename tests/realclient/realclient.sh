#!/bin/bash
# Real login programs, real libpam: su (run by another user), sudo, login
# and sshd (password and keyboard-interactive) sign alice in through
# pam_seckey.so on the virtual key, in the documented stacks
# (conf/examples/passwordless, conf/examples/two-factor) and in Debian's
# own service files with the common-auth pam-auth-update makes from
# conf/pam-auth-update/pam_seckey.  Every case drives the program on a
# terminal (tests/realclient/dialog.exp) and checks what the user sees,
# whether a shell was reached and what is left of the key's PIN retries.
#
# A display manager's greeter, last: tests/progs/pamdriver as root, on
# the real libpam (no pam_wrapper), starts PAM with no user in the
# service pam_seckey(8) shows (/etc/pam.d/gdm-seckey, listed in
# usernameless_services), and the key, with discoverable credentials
# made by fido2-cred, names the account; also the same service with the
# user given, a credential with alice's user handle on a key she never
# registered, /etc/nologin, and login, su and sshd listed.  The world's
# syslog (/dev/log) shows what the module logged.
#
# It needs root, unshare and overlayfs: everything runs in private mount,
# PID, network and UTS namespaces (tests/realclient/world.sh) and the last
# test checks that the machine's files are as they were.
#
# REALCLIENT_INSTALLED=yes runs the same cases against the installed
# packages (debian/tests/realclient): their pam_seckey.so and profile.
. "$top_srcdir/tests/sh/tap.sh"
. "$top_srcdir/tests/sh/snapshot.sh"

if [ -z "${REALCLIENT_INNER:-}" ]; then
	# Outside: check the machine can do it, then run the cases inside.
	[ "$(id -u)" -eq 0 ] || plan_skip_all "needs root (private namespaces, setuid programs)"
	[ -z "${SANITIZER_PRELOAD:-}" ] ||
		plan_skip_all "a sanitizer build: its runtime cannot be preloaded into setuid su, sudo, login"
	for prog in unshare setpriv expect su sudo login /usr/sbin/sshd ssh \
	    ssh-keygen pam-auth-update fido2-token fido2-cred openssl ip perl; do
		command -v "$prog" >/dev/null || plan_skip_all "$prog is not installed"
	done
	[ -x "$top_builddir/tests/progs/pamdriver" ] ||
		plan_skip_all "tests/progs/pamdriver (the greeter) is not built"
	if [ -n "${REALCLIENT_INSTALLED:-}" ]; then
		# The packages' module, where libpam looks for it.
		ls /usr/lib/*/security/pam_seckey.so /lib/*/security/pam_seckey.so \
		    >/dev/null 2>&1 || plan_skip_all "pam_seckey.so is not installed"
		[ -f /usr/share/pam-configs/pam_seckey ] ||
			plan_skip_all "the pam-auth-update profile is not installed"
	else
		[ -f "$top_builddir/pam_module/.libs/pam_seckey.so" ] ||
			plan_skip_all "pam_seckey.so is not built"
	fi
	unshare --mount --propagation private --pid --fork --mount-proc \
	    --net --uts true 2>/dev/null ||
		plan_skip_all "this machine cannot make private namespaces (unshare failed)"
	unshare --mount --propagation private sh -c '
		d=$(mktemp -d) && mkdir "$d/u" "$d/w" "$d/m" &&
		mount -t overlay overlay -o "lowerdir=/etc,upperdir=$d/u,workdir=$d/w" "$d/m"
		r=$?; umount "$d/m" 2>/dev/null; rm -rf "$d"; exit $r' 2>/dev/null ||
		plan_skip_all "this machine cannot mount an overlay filesystem"
	unshare --mount --propagation private sh -c '
		d=$(mktemp -d) && mount -t devpts -o newinstance none "$d"
		r=$?; umount "$d" 2>/dev/null; rmdir "$d"; exit $r' 2>/dev/null ||
		plan_skip_all "this machine cannot mount a devpts of its own (for /dev/log)"

	# What the machine's files look like before and after.
	snapshot() {
		machine_snapshot /etc/pam.d /etc/security /etc/passwd /etc/shadow \
		    /etc/group /etc/gshadow /etc/sudoers /etc/sudoers.d /etc/ssh \
		    /etc/hosts /etc/hostname /etc/ld.so.preload \
		    /usr/share/pam-configs /var/lib/pam /run/seckey-virtkey \
		    /run/sshd /dev/log /var/lib/seckey
	}
	snapshot > "$TEST_TMP/before"
	start=$(date +%s)
	REALCLIENT_INNER=1 unshare --mount --propagation private --pid --fork --kill-child \
	    --mount-proc --net --uts "$BASH" "$top_srcdir/tests/realclient/realclient.sh" \
	    3>"$TEST_TMP/counts"
	snapshot > "$TEST_TMP/after"
	read -r tap_count tap_failed < "$TEST_TMP/counts" || {
		tap_count=0
		tap_failed=0
		ok 1 "the cases ran to the end"
	}
	diag "the cases took $(($(date +%s) - start)) s"
	changed=$(diff "$TEST_TMP/before" "$TEST_TMP/after")
	is "$changed" "" "the machine's /etc, PAM profiles, /run/sshd are as before"
	done_testing
fi

# Inside the namespaces.  The tmpfs on /run hides the outer test folder,
# so this part makes its own; fd 3 takes the counts back out.
. "$top_srcdir/tests/realclient/world.sh"
world_stopped() {
	world_stop
	echo "$tap_count $tap_failed" >&3
	tap_cleanup
}
trap world_stopped EXIT
if ! world_setup > "$TEST_TMP/setup.log" 2>&1; then
	ok 1 "the private login world is set up"
	diag "$(cat "$TEST_TMP/setup.log" "$W"/*.log 2>/dev/null)"
	exit 1
fi

# Prompts as the user sees them.  A rule list ends with STOP rules, so a
# prompt the case does not expect ends the dialog at once.
PIN_P='Security key PIN: '
PW_P='[Pp]assword( for alice)?: '
SHELL_P='\$ '
LOGIN_P='login: '
STOP='<<STOP>>'
SAY='echo SIGNED-IN-AS-$(id -un); exit'
INSERT='Insert (or tap) your security key.'
TOUCH='Touch your security key now.'
WRONG='Wrong PIN, 7 attempts left.'

# The commands run as another user, environment reset (setpriv).
AS_BOB=(setpriv --reuid=bob --regid=bob --init-groups --reset-env)
AS_ALICE=(setpriv --reuid=alice --regid=alice --init-groups --reset-env)
# Commands: alice signs in; each prints SIGNED-IN-AS-<user> once in.
SU_CMD=("${AS_BOB[@]}" su alice -c 'echo SIGNED-IN-AS-$(id -un)')
SUDO_CMD=("${AS_ALICE[@]}" sudo sh -c 'echo SIGNED-IN-AS-$(id -un)')
LOGIN_CMD=(login alice)
ssh_cmd() {
	SSH_CMD=("${AS_BOB[@]}" ssh -F /dev/null -p "$SSH_PORT" -o StrictHostKeyChecking=no
	    -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR
	    -o PubkeyAuthentication=no -o PreferredAuthentications="$1"
	    -o NumberOfPasswordPrompts=1 alice@127.0.0.1
	    'echo SIGNED-IN-AS-$(id -un)')
}

# signed_in WHO CASE: the shell or command was reached as WHO.
signed_in() {
	ok "$([ "$rc" -eq 0 ] && [[ $transcript == *SIGNED-IN-AS-$1* ]] && echo 0 || echo 1)" \
		"$2: signed in (exit 0, a shell as $1)" || diag "exit $rc; transcript:" "$transcript"
}
sees() {
	if [[ $transcript == *"$1"* ]]; then
		ok 0 "$2"
	else
		ok 1 "$2"
		diag "'$1' not in the transcript:" "$transcript"
	fi
}
sees_not() {
	if [[ $transcript == *"$1"* ]]; then
		ok 1 "$2"
		diag "'$1' in the transcript:" "$transcript"
	else
		ok 0 "$2"
	fi
}
# in_order A B CASE: A is shown, and before B.
in_order() {
	local before=${transcript%%"$2"*}
	ok "$([[ $before == *"$1"* ]] && [[ $transcript == *"$2"* ]] && echo 0 || echo 1)" \
		"$3" || diag "transcript:" "$transcript"
}
retries_are() {
	is "$(retries)" "$1" "$2"
}

# Programs by name: the rules that answer the right PIN (ANSWER=PIN) or
# expect no PIN and the password, for each of su, sudo, login.
run_pin() {	# PROGRAM CASE-NAME: the right PIN, no password wanted
	case "$1" in
	su) dialog "$2" "$PIN_P" "$PIN" "$PIN_P" "$STOP" "$PW_P" "$STOP" -- "${SU_CMD[@]}" ;;
	sudo) dialog "$2" "$PIN_P" "$PIN" "$PIN_P" "$STOP" "$PW_P" "$STOP" -- "${SUDO_CMD[@]}" ;;
	login) dialog "$2" "$PIN_P" "$PIN" "$PIN_P" "$STOP" "$PW_P" "$STOP" \
	    "$SHELL_P" "$SAY" "$LOGIN_P" "$STOP" -- "${LOGIN_CMD[@]}" ;;
	esac
}
run_wrong_then_pw() {	# PROGRAM CASE-NAME
	case "$1" in
	su) dialog "$2" "$PIN_P" 9999 "$PIN_P" "$STOP" "$PW_P" "$ALICE_PW" \
	    "$PW_P" "$STOP" -- "${SU_CMD[@]}" ;;
	sudo) dialog "$2" "$PIN_P" 9999 "$PIN_P" "$STOP" "$PW_P" "$ALICE_PW" \
	    "$PW_P" "$STOP" -- "${SUDO_CMD[@]}" ;;
	login) dialog "$2" "$PIN_P" 9999 "$PIN_P" "$STOP" "$PW_P" "$ALICE_PW" \
	    "$PW_P" "$STOP" "$SHELL_P" "$SAY" "$LOGIN_P" "$STOP" -- "${LOGIN_CMD[@]}" ;;
	esac
}
run_pw() {	# PROGRAM CASE-NAME: the password and no PIN
	case "$1" in
	su) dialog "$2" "$PW_P" "$ALICE_PW" "$PW_P" "$STOP" "$PIN_P" "$STOP" -- "${SU_CMD[@]}" ;;
	sudo) dialog "$2" "$PW_P" "$ALICE_PW" "$PW_P" "$STOP" "$PIN_P" "$STOP" -- "${SUDO_CMD[@]}" ;;
	login) dialog "$2" "$PW_P" "$ALICE_PW" "$PW_P" "$STOP" "$PIN_P" "$STOP" \
	    "$SHELL_P" "$SAY" "$LOGIN_P" "$STOP" -- "${LOGIN_CMD[@]}" ;;
	esac
}
run_pw_pin() {	# PROGRAM CASE-NAME: the password, then the right PIN
	case "$1" in
	su) dialog "$2" "$PW_P" "$ALICE_PW" "$PW_P" "$STOP" "$PIN_P" "$PIN" \
	    "$PIN_P" "$STOP" -- "${SU_CMD[@]}" ;;
	sudo) dialog "$2" "$PW_P" "$ALICE_PW" "$PW_P" "$STOP" "$PIN_P" "$PIN" \
	    "$PIN_P" "$STOP" -- "${SUDO_CMD[@]}" ;;
	login) dialog "$2" "$PW_P" "$ALICE_PW" "$PW_P" "$STOP" "$PIN_P" "$PIN" \
	    "$PIN_P" "$STOP" "$SHELL_P" "$SAY" "$LOGIN_P" "$STOP" -- "${LOGIN_CMD[@]}" ;;
	esac
}
# The user each program signs in as.
target() {
	case "$1" in sudo) echo root ;; *) echo alice ;; esac
}

## Passwordless stack (conf/examples/passwordless).
use_stack passwordless
policy ""
for prog in su sudo login; do
	plug_key
	run_pin "$prog" "pl-$prog-pin"
	signed_in "$(target "$prog")" "passwordless, $prog, right PIN"
	sees "$TOUCH" "passwordless, $prog, right PIN: the touch cue is shown"
	sees_not "$PIN" "passwordless, $prog, right PIN: the PIN is not echoed"
	retries_are 8 "passwordless, $prog, right PIN: the key keeps its 8 retries"

	plug_key
	run_wrong_then_pw "$prog" "pl-$prog-wrong"
	signed_in "$(target "$prog")" "passwordless, $prog, wrong PIN: the password signs in"
	# Even sudo, which sets PAM_SILENT, shows why the key failed.
	in_order "$WRONG" "assword" "passwordless, $prog: '$WRONG', then the password prompt"
	retries_are 7 "passwordless, $prog, wrong PIN: one retry spent"

	unplug_key
	run_pw "$prog" "pl-$prog-nokey"
	signed_in "$(target "$prog")" "passwordless, $prog, no key: the password signs in"
	in_order "$INSERT" "assword" "passwordless, $prog, no key: the insert cue, then the password prompt"
done

## Passwordless stack through sshd: a remote sign-in leaves the key alone.
plug_key
ssh_cmd password
dialog pl-ssh-password "$PW_P" "$ALICE_PW" "$PW_P" "$STOP" "$PIN_P" "$STOP" -- "${SSH_CMD[@]}"
signed_in alice "passwordless, ssh password"
retries_are 8 "passwordless, ssh password: the key's PIN retries are untouched"

plug_key
ssh_cmd keyboard-interactive
dialog pl-ssh-kbdint "$PW_P" "$ALICE_PW" "$PW_P" "$STOP" "$PIN_P" "$PIN" "$PIN_P" "$STOP" -- "${SSH_CMD[@]}"
signed_in alice "passwordless, ssh keyboard-interactive"
sees_not "$PIN_P" "passwordless, ssh keyboard-interactive: no PIN is asked for"
retries_are 8 "passwordless, ssh keyboard-interactive: the key's PIN retries are untouched"

# remote = "allow": the key signs a remote user in, PIN and touch cue
# through keyboard-interactive.
policy 'remote = "allow"'
plug_key
dialog pl-ssh-allow "$PIN_P" "$PIN" "$PIN_P" "$STOP" "$PW_P" "$STOP" -- "${SSH_CMD[@]}"
signed_in alice "passwordless, remote = allow, ssh keyboard-interactive, right PIN"
# sshd holds a PAM_TEXT_INFO back until the next prompt, so the touch cue
# cannot be asked for here; the PIN prompt can.
sees "$PIN_P" "passwordless, remote = allow, ssh: the PIN is asked for"
retries_are 8 "passwordless, remote = allow, ssh: the key keeps its 8 retries"

# remote = "deny": the key refuses; the password still signs in
# (passwordless: pam_seckey is only sufficient), and no PIN is asked.
policy 'remote = "deny"'
dialog pl-ssh-deny "$PW_P" "$ALICE_PW" "$PW_P" "$STOP" "$PIN_P" "$STOP" -- "${SSH_CMD[@]}"
signed_in alice "passwordless, remote = deny, ssh keyboard-interactive: the password signs in"
sees_not "$PIN_P" "passwordless, remote = deny: no PIN is asked for"
policy ""

## Two-factor stack (conf/examples/two-factor).
use_stack two-factor
for prog in su sudo login; do
	plug_key
	run_pw_pin "$prog" "tf-$prog"
	signed_in "$(target "$prog")" "two-factor, $prog, password and right PIN"
	in_order "assword" "$PIN_P" "two-factor, $prog: the password, then the PIN"
	sees "$TOUCH" "two-factor, $prog: the touch cue is shown"
done

plug_key
ssh_cmd password
dialog tf-ssh-password "$PW_P" "$ALICE_PW" "$PW_P" "$STOP" "$PIN_P" "$STOP" -- "${SSH_CMD[@]}"
signed_in alice "two-factor, ssh password: the password alone signs in (remote ignored)"
retries_are 8 "two-factor, ssh password: the key's PIN retries are untouched"

plug_key
ssh_cmd keyboard-interactive
dialog tf-ssh-kbdint "$PW_P" "$ALICE_PW" "$PW_P" "$STOP" "$PIN_P" "$PIN" "$PIN_P" "$STOP" -- "${SSH_CMD[@]}"
signed_in alice "two-factor, ssh keyboard-interactive: the password alone signs in"
sees_not "$PIN_P" "two-factor, ssh keyboard-interactive: no PIN is asked for"
retries_are 8 "two-factor, ssh keyboard-interactive: the key's PIN retries are untouched"

# remote = "deny" in the two-factor stack: ssh is refused.
policy 'remote = "deny"'
ssh_cmd keyboard-interactive
dialog tf-ssh-deny "$PW_P" "$ALICE_PW" "$PW_P" "$STOP" "$PIN_P" "$STOP" -- "${SSH_CMD[@]}"
ok "$([ "$rc" -ne 0 ] && [[ $transcript != *SIGNED-IN-AS-* ]] && echo 0 || echo 1)" \
	"two-factor, remote = deny: ssh is refused" || diag "exit $rc:" "$transcript"
sees_not "$PIN_P" "two-factor, remote = deny: no PIN is asked for"
retries_are 8 "two-factor, remote = deny: the key's PIN retries are untouched"
policy ""

## Debian's own files, common-auth from the shipped pam-auth-update profile.
use_stack debian
for prog in su sudo login; do
	plug_key
	run_pin "$prog" "deb-$prog-pin"
	signed_in "$(target "$prog")" "pam-auth-update profile, $prog, right PIN"
	sees "$TOUCH" "pam-auth-update profile, $prog: the touch cue is shown"
done
plug_key
run_wrong_then_pw su deb-su-wrong
signed_in alice "pam-auth-update profile, su, wrong PIN: the password signs in"
in_order "$WRONG" "Password: " "pam-auth-update profile, su: '$WRONG', then the password prompt"
unplug_key
run_pw sudo deb-sudo-nokey
signed_in root "pam-auth-update profile, sudo, no key: the password signs in"
in_order "$INSERT" "assword" "pam-auth-update profile, sudo, no key: the insert cue, then the password prompt"
plug_key
ssh_cmd password
dialog deb-ssh-password "$PW_P" "$ALICE_PW" "$PW_P" "$STOP" "$PIN_P" "$STOP" -- "${SSH_CMD[@]}"
signed_in alice "pam-auth-update profile, ssh password"
retries_are 8 "pam-auth-update profile, ssh password: the key's PIN retries are untouched"
plug_key
ssh_cmd keyboard-interactive
dialog deb-ssh-kbdint "$PW_P" "$ALICE_PW" "$PW_P" "$STOP" "$PIN_P" "$PIN" "$PIN_P" "$STOP" -- "${SSH_CMD[@]}"
signed_in alice "pam-auth-update profile, ssh keyboard-interactive"
sees_not "$PIN_P" "pam-auth-update profile, ssh keyboard-interactive: no PIN is asked for"
retries_are 8 "pam-auth-update profile, ssh keyboard-interactive: the key's PIN retries are untouched"

## Keys disabled: what the user sees is what a stack without pam_seckey
## shows, word for word.
plug_key
ssh_cmd keyboard-interactive
for prog in su sudo login ssh; do
	use_stack nokey
	policy ""
	case "$prog" in
	ssh) dialog "off-$prog-ref" "$PW_P" "$ALICE_PW" "$PW_P" "$STOP" "$PIN_P" "$STOP" -- "${SSH_CMD[@]}" ;;
	*) run_pw "$prog" "off-$prog-ref" ;;
	esac
	reference=$transcript
	signed_in "$(target "$prog")" "without pam_seckey, $prog: the password signs in"
	use_stack passwordless
	policy ""
	sed -i 's/^enabled = true$/enabled = false/' "$POLICY"
	case "$prog" in
	ssh) dialog "off-$prog" "$PW_P" "$ALICE_PW" "$PW_P" "$STOP" "$PIN_P" "$STOP" -- "${SSH_CMD[@]}" ;;
	*) run_pw "$prog" "off-$prog" ;;
	esac
	signed_in "$(target "$prog")" "enabled = false, $prog: the password signs in"
	is "$transcript" "$reference" "enabled = false, $prog: the user sees what a stack without pam_seckey shows"
done
retries_are 8 "enabled = false: the key's PIN retries are untouched"
policy ""

## A display manager's greeter: the sign-in without a user name
## (usernameless_services), in the service pam_seckey(8) shows, on the
## real libpam and /etc/pam.d.  pamdriver is the greeter: root, PAM
## started with no user, PAM_USER read after authenticate; no pam_wrapper.
# greet USER OPERATIONS [ANSWERS...]: pamdriver in the greeter's service
# ("" for USER starts PAM without one), ANSWERS its input lines; sets rc
# and transcript.
greet() {
	local user=$1 ops=$2
	shift 2
	transcript=$({ [ $# -eq 0 ] || printf '%s\n' "$@"; } |
	    env -u PAM_WRAPPER LD_PRELOAD="${SANITIZER_PRELOAD:+$SANITIZER_PRELOAD }" \
	    "$PAMDRIVER" "$GREETER_SVC" "$user" $ops 2>&1)
	rc=$?
}
# count_is REGEX N CASE: N lines of the transcript match REGEX.
count_is() {
	is "$(grep -c -E "$1" <<<"$transcript")" "$2" "$3" || diag "transcript:" "$transcript"
}
# allow_lists: the allow list sizes of the assertions the key was asked for.
allow_lists() {
	sed -n 's/^.*getAssertion .* allow=\([0-9]*\) .*$/\1/p' "$W/key.log" | sort -u | tr '\n' ' '
}
no_empty_allow_list() {
	local lists
	lists=$(allow_lists)
	ok "$([ -n "$lists" ] && [[ " $lists" != *" 0 "* ]] && echo 0 || echo 1)" \
		"$1: the key is asked with allow lists only" || diag "allow list sizes: $lists"
}
# log_mark: the syslog lines from here on are the next case's.
log_mark() {
	log_from=$(wc -l < "$SYSLOG")
}
case_log() {
	tail -n +"$((log_from + 1))" "$SYSLOG"
}
# logged REGEX CASE: the case logged a line matching REGEX (the listener
# may write it a moment after the program ended).
logged() {
	local t
	for ((t = 0; t < 200; t++)); do
		case_log | grep -q -E -- "$1" && break
		sleep 0.01
	done
	ok "$(case_log | grep -q -E -- "$1" && echo 0 || echo 1)" "$2" ||
		diag "syslog of the case:" "$(case_log)"
}
not_logged() {
	ok "$(case_log | grep -q -E -- "$1" && echo 1 || echo 0)" "$2" ||
		diag "syslog of the case:" "$(case_log)"
}
GR="greeter ($GREETER_SVC)"
CONF_ERR="Security key sign-in is unavailable: configuration error."
if ! greeter_setup > "$W/greeter-setup.log" 2>&1; then
	ok 1 "$GR: two keys with discoverable credentials and the service are set up"
	diag "$(cat "$W/greeter-setup.log" "$W/virtkey.log")"
else
use_stack passwordless
policy "usernameless_services = {\"$GREETER_SVC\"}"

plug_rk_key greeter
log_mark
greet "" "authenticate user acct_mgmt open_session close_session" "$PIN"
count_is '^echo-on:' 0 "$GR, no user: no user name is asked for"
count_is '^echo-off: Security key PIN: $' 1 "$GR, no user: the PIN is asked once"
count_is '^echo-off:' 1 "$GR, no user: and nothing else hidden"
sees "info: $TOUCH" "$GR, no user: the touch cue is shown"
sees $'authenticate: PAM_SUCCESS\nuser: alice\n' "$GR, no user: PAM_SUCCESS, and PAM_USER is alice"
sees "acct_mgmt: PAM_SUCCESS" "$GR, no user: the account stack lets alice in"
sees "open_session: PAM_SUCCESS" "$GR, no user: her session opens"
sees "close_session: PAM_SUCCESS" "$GR, no user: and closes"
is "$(allow_lists)" "0 " "$GR, no user: one kind of assertion, with an empty allow list"
retries_are 8 "$GR, no user: the key keeps its 8 retries"
logged "pam_seckey\\($GREETER_SVC:auth\\): user alice: named by the discoverable credential of security key \"Green key\" \\(no user name was given\\)" \
	"$GR, no user: syslog says the key named alice"
logged "pam_seckey\\($GREETER_SVC:auth\\): user alice: signed in with security key \"Green key\"" \
	"$GR, no user: and that she signed in with it"
logged "pam_unix\\($GREETER_SVC:session\\): session opened for user alice" \
	"$GR, no user: pam_unix logs her session"

plug_rk_key greeter
log_mark
greet alice "authenticate user acct_mgmt" "$PIN"
sees $'authenticate: PAM_SUCCESS\nuser: alice\n' "$GR, user alice given: the ordinary sign-in signs her in"
count_is '^echo-off: Security key PIN: $' 1 "$GR, user alice given: the PIN is asked once"
count_is '^echo-on:' 0 "$GR, user alice given: no user name is asked for"
sees "acct_mgmt: PAM_SUCCESS" "$GR, user alice given: the account stack lets her in"
no_empty_allow_list "$GR, user alice given"
logged "pam_seckey\\($GREETER_SVC:auth\\): user alice: signed in with security key" \
	"$GR, user alice given: syslog says she signed in"
not_logged 'named by the discoverable' "$GR, user alice given: not by the key naming her"

plug_rk_key greeter
greet "" "authenticate user" 9999
sees $'authenticate: PAM_AUTH_ERR\nuser: (none)' "$GR, no user, wrong PIN: refused, PAM_USER unset"
sees "error: $WRONG" "$GR, no user, wrong PIN: '$WRONG' is shown"
count_is '^echo-on:' 0 "$GR, no user, wrong PIN: no user name is asked for"
retries_are 7 "$GR, no user, wrong PIN: one retry spent"

unplug_key
greet "" "authenticate user"
sees "info: ${INSERT}" "$GR, no key: the insert cue is shown"
sees "user: (none)" "$GR, no key: PAM_USER unset"
unlike "$transcript" 'authenticate: PAM_SUCCESS' "$GR, no key: not signed in"
count_is '^echo-(on|off):' 0 "$GR, no key: nothing is asked for"

# Another client mints a credential with alice's name and user handle on
# a key of its own: it names alice, but her list does not hold it.
plug_rk_key rogue
log_mark
greet "" "authenticate user" "$PIN"
sees $'authenticate: PAM_AUTH_ERR\nuser: (none)' "$GR, alice's handle on an unregistered key: refused, PAM_USER unset"
sees "error: This security key's account is not registered here." \
	"$GR, alice's handle on an unregistered key: the user is told"
count_is '^echo-on:' 0 "$GR, alice's handle on an unregistered key: no user name is asked for"
is "$(allow_lists)" "0 " "$GR, alice's handle on an unregistered key: it was asked with an empty allow list"
logged "pam_seckey\\($GREETER_SVC:auth\\): refused a discoverable credential its account does not hold: the key named account alice" \
	"$GR, alice's handle on an unregistered key: syslog says alice's list does not hold it"
not_logged 'user alice: (signed in|named by)' \
	"$GR, alice's handle on an unregistered key: and logs no sign-in of hers"

# pam_nologin still keeps users out of a greeter's sign-in.
echo "The system is closed for maintenance." > /etc/nologin
plug_rk_key greeter
greet "" "authenticate user acct_mgmt" "$PIN"
rm -f /etc/nologin
count_is '^echo-on:' 0 "$GR, /etc/nologin: no user name is asked for"
sees "error: The system is closed for maintenance." "$GR, /etc/nologin: its text is shown"
unlike "$transcript" 'acct_mgmt: PAM_SUCCESS' "$GR, /etc/nologin: alice is not let in"

# login: on a console agetty asks for the name and hands it to login, so
# the ordinary sign-in applies even where an administrator lists login;
# login started without a name asks for it where login is not listed,
# and lets the key name the account where it is (pam_seckey(8)).
plug_rk_key greeter
dialog gr-login-unlisted "$LOGIN_P" alice "$LOGIN_P" "$STOP" "$PIN_P" "$PIN" "$PIN_P" "$STOP" \
    "$PW_P" "$STOP" "$SHELL_P" "$SAY" -- login
signed_in alice "login without a name, not listed"
in_order "$LOGIN_P" "$PIN_P" "login without a name, not listed: the user name is asked for, then the PIN"
no_empty_allow_list "login without a name, not listed"
policy "usernameless_services = {\"$GREETER_SVC\", \"login\"}"
plug_rk_key greeter
dialog gr-login-agetty "$PIN_P" "$PIN" "$PIN_P" "$STOP" "$PW_P" "$STOP" \
    "$SHELL_P" "$SAY" "$LOGIN_P" "$STOP" -- login -- alice
signed_in alice "login listed, the name from agetty (login -- alice)"
no_empty_allow_list "login listed, the name from agetty"
plug_rk_key greeter
log_mark
dialog gr-login-listed "$PIN_P" "$PIN" "$PIN_P" "$STOP" "$PW_P" "$STOP" \
    "$SHELL_P" "$SAY" "$LOGIN_P" "$STOP" -- login
signed_in alice "login listed, started without a name: the key names alice"
sees_not "$LOGIN_P" "login listed, started without a name: no user name is asked for"
is "$(allow_lists)" "0 " "login listed, started without a name: an empty allow list"
logged 'pam_seckey\(login:auth\): user alice: named by the discoverable credential' \
	"login listed, started without a name: syslog says the key named alice"

# su and sshd listed: a configuration error.  The module fails closed,
# in every service, and the password stays a way in.
policy "usernameless_services = {\"$GREETER_SVC\", \"su\"}"
plug_rk_key greeter
log_mark
run_pw su gr-su-listed
signed_in alice "su listed in usernameless_services: the password signs in"
sees_not "$PIN_P" "su listed: no PIN is asked for"
sees "$CONF_ERR" "su listed: the user is told why the key is not used"
logged "pam_seckey\\(su:auth\\): configuration error: $POLICY:[0-9]+: usernameless_services: \"su\" is never allowed to sign in without a user name" \
	"su listed: syslog names the file, the line and the service"
greet "" "authenticate user" "$PIN"
sees $'authenticate: PAM_SERVICE_ERR\nuser: (none)' "su listed: the greeter fails closed too"
count_is '^echo-(on|off):' 0 "su listed: the greeter asks for nothing"
sees "error: $CONF_ERR" "su listed: the greeter's user is told why"
retries_are 8 "su listed: the key's PIN retries are untouched"

policy "usernameless_services = {\"$GREETER_SVC\", \"sshd\"}
remote = \"allow\""
ssh_cmd keyboard-interactive
log_mark
dialog gr-ssh-listed "$PW_P" "$ALICE_PW" "$PW_P" "$STOP" "$PIN_P" "$STOP" -- "${SSH_CMD[@]}"
signed_in alice "sshd listed in usernameless_services: the password signs in"
sees_not "$PIN_P" "sshd listed: no PIN is asked for"
sees "$CONF_ERR" "sshd listed: the user is told why the key is not used"
logged "pam_seckey\\(sshd:auth\\): configuration error: $POLICY:[0-9]+: usernameless_services: \"sshd\" is never allowed to sign in without a user name" \
	"sshd listed: syslog names the file, the line and the service"
retries_are 8 "sshd listed: the key's PIN retries are untouched"
policy ""
fi

# The outer part adds the last test and the plan.
exit 0
