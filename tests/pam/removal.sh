#!/bin/bash
# A key pulled out in the middle of a sign-in, or never touched: a clear
# failure no later than the timeout allows, never a crash, never a sign-in.
. "$top_srcdir/tests/sh/tap.sh"
. "$top_srcdir/tests/sh/virtkey.sh"
. "$top_srcdir/tests/sh/pamenv.sh"
pam_env_check
. "$top_srcdir/tests/sh/seckeyenv.sh"
plan 12

state="$TEST_TMP/state"
alice_with_key "$state" || { echo "Bail out! cannot register a key on the virtual key"; exit 1; }

timed_vk --state "$state" --touch unplug -- 'printf "1234\n" | "$PAMRUN" login alice authenticate'
like "$out" 'authenticate: PAM_AUTHINFO_UNAVAIL$' "the key pulled out when the touch is due: PAM_AUTHINFO_UNAVAIL"
like "$out" 'error: The security key was removed before the sign-in finished\.' "the user is told the key was removed"
like "$err" 'lost contact with security key "Blue key"' "syslog says so"
in_time "it ends no later than the 3 s timeout allows"

timed_vk --state "$state" --touch never -- '{ sleep 1; kill "$(cat "$VIRTKEY_DIR/key0.pid")"; } &
	printf "1234\n" | "$PAMRUN" login alice authenticate; wait'
like "$out" 'authenticate: PAM_AUTHINFO_UNAVAIL$' "the key's process killed while it waits for a touch: PAM_AUTHINFO_UNAVAIL"
in_time "it ends no later than the 3 s timeout allows"

timed_vk --state "$state" -- '{ sleep 0.5; kill "$(cat "$VIRTKEY_DIR/key0.pid")"; } &
	{ sleep 1.5; echo 1234; } | "$PAMRUN" login alice authenticate; wait'
like "$out" 'authenticate: PAM_AUTHINFO_UNAVAIL$' "the key pulled out while the user types the PIN: PAM_AUTHINFO_UNAVAIL"
unlike "$out" 'PAM_SUCCESS' "never a sign-in"

timed_vk --state "$state" --touch never -- 'printf "1234\n" | "$PAMRUN" login alice authenticate'
like "$out" 'authenticate: PAM_AUTH_ERR$' "no touch: PAM_AUTH_ERR"
in_time "it ends no later than the 3 s timeout allows"

timed_vk --state "$state" --keys 2 --touch 1500,now -- '{ sleep 0.5; kill "$(cat "$VIRTKEY_DIR/key1.pid")"; } &
	printf "1234\n" | "$PAMRUN" login alice authenticate; wait'
like "$out" 'authenticate: PAM_SUCCESS$' "another key pulled out meanwhile does not disturb the sign-in"

timed_vk -- 'printf "1234\n" | "$PAMRUN" login alice authenticate'
like "$out" 'authenticate: PAM_AUTHINFO_UNAVAIL$' "no registered key at all: PAM_AUTHINFO_UNAVAIL after the timeout"

done_testing
