#!/bin/bash
# pam_seckey.so, row by row through the outcome table of the design:
# the PAM code, what the user is told, and the syslog line.
. "$top_srcdir/tests/sh/tap.sh"
. "$top_srcdir/tests/sh/virtkey.sh"
. "$top_srcdir/tests/sh/pamenv.sh"
pam_env_check
. "$top_srcdir/tests/sh/seckeyenv.sh"
plan 53

state="$TEST_TMP/state"
pam_add_user bob 4243
signin='printf "%s\n" "$@" | "$PAMRUN" login alice authenticate'

alice_with_key "$state"
ok $? "a credential is registered on the key with fido2-cred"

# Right key, PIN and touch.
vk --state "$state" -- "set -- 1234; $signin"
is "$rc" 0 "right key, PIN and touch: success"
like "$out" $'^echo-off: Security key PIN: \ninfo: Touch your security key now.\nauthenticate: PAM_SUCCESS$' \
	"the user is asked for the PIN once, cued to touch, and told nothing more"
like "$err" 'SYSLOG\(6\): user alice: signed in with security key "Blue key"' "syslog: user and key"

# Wrong PIN.
vk --state "$state" -- "set -- 9999; $signin"
like "$out" 'authenticate: PAM_AUTH_ERR$' "wrong PIN: PAM_AUTH_ERR"
like "$out" 'error: Wrong PIN, 7 attempts left\.' "the user is told how many attempts are left"
like "$err" 'user alice: wrong PIN for security key "Blue key" \(7 PIN attempts left\)' "syslog: wrong PIN, attempts left"
unlike "$err" '9999' "the PIN is never logged"
vk --state "$state" -- "set -- 1234; $signin"
like "$out" 'authenticate: PAM_SUCCESS$' "the right PIN afterwards signs in (and restores the retries)"

# Three wrong PINs in a row, then the right one: the key wants a replug.
vk --state "$state" -- "for pin in 1111 2222 3333 1234; do set -- \$pin; $signin; done"
like "$out" '(PAM_AUTH_ERR.*){3}' "three wrong PINs in a row: three refusals"
like "$out" 'error: Too many wrong PINs: remove the security key and insert it again\.' \
	"the third tells the user to re-insert the key"
like "$out" 'authenticate: PAM_AUTH_ERR$' "even the right PIN is refused until the key is re-inserted"
like "$err" 'three wrong PINs in a row on security key "Blue key"' "syslog says why"
vk --state "$state" -- "set -- 1234; $signin"
like "$out" 'authenticate: PAM_SUCCESS$' "after re-inserting the key the right PIN works"

# No key plugged in that holds a registered credential.
vk -- "set -- 1234; $signin"
like "$out" 'authenticate: PAM_AUTHINFO_UNAVAIL$' "a blank key only: PAM_AUTHINFO_UNAVAIL"
like "$out" 'error: No registered security key was found\.' "the user is told no registered key was found"
unlike "$out" 'echo-off' "and is never asked for a PIN"
like "$err" 'user alice: no registered security key found: no security key holding a registered credential was found within 3 s' \
	"syslog: no key within the timeout"

# No touch before the timeout.
timed_vk --state "$state" --touch never -- "set -- 1234; $signin"
like "$out" 'authenticate: PAM_AUTH_ERR$' "no touch before the timeout: PAM_AUTH_ERR"
like "$out" 'error: The security key was not touched in time\.' "the user is told the touch timed out"
in_time "it ends no later than the 3 s timeout allows"
like "$err" 'no touch in time on security key "Blue key"' "syslog: touch timeout"

# A key without a PIN that holds a credential.
nopin="$TEST_TMP/nopin"
vk --state "$nopin" -- '"$ENROLL" --no-pin --device "$DEV0" --rp "$RP" --name "Bare key" --out "$KEYS.new"'
cp "$KEYS" "$KEYS.saved"
mv "$KEYS.new" "$KEYS"
keys_own alice
vk --state "$nopin" -- "set -- 1234; $signin"
like "$out" 'authenticate: PAM_AUTH_ERR$' "key has no PIN: PAM_AUTH_ERR"
like "$out" "error: Your security key has no PIN: set one with 'seckey pin set'\\." "the user is told how to set one"
unlike "$out" 'echo-off' "and is not asked for a PIN that does not exist"
mv "$KEYS.saved" "$KEYS"
keys_own alice

# A user with no keys.
vk --state "$state" -- 'printf "1234\n" | "$PAMRUN" login bob authenticate'
is "$out" "authenticate: PAM_AUTH_ERR" "a user with no keys: PAM_AUTH_ERR, and nothing is said"
like "$err" 'user bob: no security key registered' "syslog: no key registered"
policy "nouserok = true"
vk --state "$state" -- 'printf "1234\n" | "$PAMRUN" login bob authenticate'
like "$out" 'authenticate: PAM_IGNORE$' "with nouserok: PAM_IGNORE"
like "$out" 'info: No security key is registered for this account\.' "and the user is told"
mkdir -p "$(dirname "$(keys_of bob)")"
printf '# no keys yet\n' > "$(keys_of bob)"
keys_own bob
vk --state "$state" -- 'printf "1234\n" | "$PAMRUN" login bob authenticate'
like "$out" 'authenticate: PAM_IGNORE$' "an empty key list counts as no keys too"

# Disabled, and the password-reset services.
policy "" && sed -i 's/^enabled = true/enabled = false/' "$POLICY"
vk --state "$state" -- "set -- 1234; $signin"
like "$out" 'authenticate: PAM_IGNORE$' "disabled: PAM_IGNORE"
is "$(grep -v '^info: auth=no_module_data$' <<<"$out")" "authenticate: PAM_IGNORE" "the user is told nothing"
like "$err" "security key sign-in is disabled: $POLICY: enabled is false" "syslog says why"
unlike "$out" 'echo-off' "no PIN is asked"
rm -f "$POLICY"
vk --state "$state" -- "set -- 1234; "'printf "%s\n" "$@" | "$PAMRUN" debug-login alice authenticate'
like "$out" 'authenticate: PAM_SERVICE_ERR$' "an explicit conf= that does not exist: PAM_SERVICE_ERR"
like "$err" "configuration error: $POLICY" "syslog names the file"

policy ""
vk --state "$state" -- 'printf "1234\n" | "$PAMRUN" passwd alice authenticate'
like "$out" 'authenticate: PAM_IGNORE$' "auth for the passwd service: PAM_IGNORE"
like "$out" 'info: A security key cannot authorise a password change; use another method\.' "the user is told"
like "$err" 'refused: a security key never authorises a password reset: service "passwd" is listed in reset_services' "syslog says why"
vk --state "$state" -- 'printf "1234\n" | "$PAMRUN" login alice chauthtok'
unlike "$out" 'chauthtok: PAM_SUCCESS' "pam_sm_chauthtok never grants a password change"
like "$out" 'chauthtok: PAM_IGNORE$' "it leaves the decision to the password modules"
policy 'reset_services = {"login"}'
vk --state "$state" -- "set -- 1234; $signin"
like "$out" 'authenticate: PAM_IGNORE$' "reset_services is the administrator's list"

# Configuration errors fail closed: never PAM_SUCCESS or PAM_IGNORE.
policy 'colour = "blue"'
vk --state "$state" -- "set -- 1234; $signin"
like "$out" 'authenticate: PAM_SERVICE_ERR$' "an unknown option: PAM_SERVICE_ERR"
like "$out" 'error: Security key sign-in is unavailable: configuration error\.' "a short message for the user"
like "$err" "configuration error: $POLICY:4: " "syslog names the file and the line"
policy 'timeout = 0'
vk --state "$state" -- "set -- 1234; $signin"
like "$out" 'authenticate: PAM_SERVICE_ERR$' "a bad value: PAM_SERVICE_ERR"
chmod 0666 "$POLICY" 2>/dev/null; policy "" ; chmod 0666 "$POLICY"
vk --state "$state" -- "set -- 1234; $signin"
like "$out" 'authenticate: PAM_SERVICE_ERR$' "a world-writable policy file: PAM_SERVICE_ERR"
policy ""
pam_service odd "$(stack "conf=$POLICY colour=blue")"
vk --state "$state" -- 'printf "1234\n" | "$PAMRUN" odd alice authenticate'
like "$out" 'authenticate: PAM_SERVICE_ERR$' "an unknown module argument: PAM_SERVICE_ERR"
like "$err" 'unknown module argument "colour=blue"' "syslog names it"
pam_service odd "$(stack "conf=etc/pam_seckey.conf")"
vk --state "$state" -- 'printf "1234\n" | "$PAMRUN" odd alice authenticate'
like "$out" 'authenticate: PAM_SERVICE_ERR$' "a relative conf= path: PAM_SERVICE_ERR"

# setcred.
vk --state "$state" -- 'printf "1234\n" | "$PAMRUN" login alice setcred'
is "$out" "setcred: PAM_SUCCESS" "pam_sm_setcred: PAM_SUCCESS"

# Unknown user: refused, and the name is not logged.
vk --state "$state" -- 'printf "1234\n" | "$PAMRUN" login hunter2 authenticate'
like "$out" 'authenticate: PAM_USER_UNKNOWN$' "an unknown user: PAM_USER_UNKNOWN"
unlike "$err" 'hunter2' "whose name (maybe a password typed as a name) is not logged"

done_testing
