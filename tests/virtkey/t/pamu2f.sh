#!/bin/bash
# A client nobody here wrote: Yubico's pamu2fcfg registers a credential on
# the virtual key and pam_u2f.so signs the user in with it, PIN required,
# through pamtester under pam_wrapper.
. "$top_srcdir/tests/sh/tap.sh"
. "$top_srcdir/tests/sh/virtkey.sh"
. "$top_srcdir/tests/sh/pamenv.sh"
pam_env_check
command -v pamu2fcfg >/dev/null || plan_skip_all "pamu2fcfg is not installed"
PAM_U2F=$(ls /lib/*/security/pam_u2f.so /usr/lib/*/security/pam_u2f.so 2>/dev/null | head -n 1)
[ -n "$PAM_U2F" ] || plan_skip_all "libpam-u2f is not installed"
plan 10

state="$TEST_TMP/state"
origin=pam://u2f.test
authfile="$TEST_TMP/u2f_keys"
pam_add_user alice 4242
pam_service u2f "auth required $PAM_U2F authfile=$authfile origin=$origin appid=$origin pinverification=1 cue"
export origin

vk --state "$state" -- 'printf "1234\n1234\n" | '"$NOTTY"' fido2-token -S "$DEV0" &&
	echo 1234 | '"$NOTTY"' pamu2fcfg -u alice -o "$origin" -i "$origin" -N'
is "$rc" 0 "pamu2fcfg -N registers a credential on the virtual key"
like "$out" '^alice:[A-Za-z0-9+/=]+,[A-Za-z0-9+/=]+,es256,\+presence\+pin$' \
	"it prints an authfile line with PIN verification"
printf '%s\n' "$out" > "$authfile"
chmod 0644 "$authfile"

# pamtest under the virtual key: export the PAM world for the inner shell.
export -f pamtest run
export PAM_WRAPPER_LIB NSS_WRAPPER_LIB PAM_SERVICE_DIR PAM_PASSWD PAM_GROUP TEST_TMP
signin='pamtest u2f alice authenticate <<<"$1"; printf "%s\n%s\nrc=%s\n" "$out" "$err" "$rc"'

vk --state "$state" -- "set -- 1234; $signin"
like "$out" 'successfully authenticated' "pam_u2f signs alice in with the right PIN"
like "$out" 'rc=0' "pamtester exits 0"
like "$out" 'PIN' "pam_u2f asked for the PIN"

vk --state "$state" -- "set -- 9999; $signin"
like "$out" 'Authentication failure' "pam_u2f refuses a wrong PIN"
like "$out" 'rc=1' "pamtester exits 1"
vk --state "$state" -- 'fido2-token -I "$DEV0" | sed -n "s/^pin retries: //p"'
is "$out" 7 "the wrong PIN cost a retry on the key"

vk --state "$state" -- "set -- 1234; $signin"
like "$out" 'successfully authenticated' "the right PIN still works afterwards"

vk -- "set -- 1234; $signin"
like "$out" 'Authentication failure|cannot retrieve' "a blank key (another authenticator) does not sign alice in"

done_testing
