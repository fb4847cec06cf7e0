#!/bin/bash
# No descriptor of the module's is inheritable while the conversation
# runs.  libfido2 1.12 opens a key without O_CLOEXEC (the virtual key's
# shim does the same, on purpose) and the module keeps the key open
# across the PIN prompt; a program the host starts then (pamdriver's
# PAMDRIVER_EXEC, tests/progs/fdcheck) must not inherit it.
. "$top_srcdir/tests/sh/tap.sh"
. "$top_srcdir/tests/sh/virtkey.sh"
. "$top_srcdir/tests/sh/pamenv.sh"
pam_env_check
. "$top_srcdir/tests/sh/seckeyenv.sh"
plan 9

state="$TEST_TMP/state"
FDCHECK="$top_builddir/tests/progs/fdcheck"
alice_with_key "$state" || { echo "Bail out! cannot register a key on the virtual key"; exit 1; }

# The script's own descriptors (the pam_wrapper lock, the test driver's)
# are closed first, so that what fdcheck sees comes from the PAM stack.
closefds='for fd in /proc/$BASHPID/fd/*; do n=${fd##*/}; [ "$n" -gt 2 ] && eval "exec $n>&-"; done; '
check="PAMDRIVER_EXEC='$FDCHECK'"' "$PAMRUN" login alice authenticate'
# Under make check-pam-valgrind, valgrind's own log files are open in
# every process it runs; they are not the module's.
if [ -n "${PAMDRIVER_WRAPPER:-}" ]; then
	check="FDCHECK_IGNORE='$(cd "$top_builddir" && pwd)/tests/valgrind-logs/' $check"
fi

run bash -c "$closefds"'"$0"' "$FDCHECK"
is "$out" "fdcheck: only 0, 1 and 2" "fdcheck sees only 0, 1 and 2 when nothing else is open"
run bash -c "$closefds"'exec 7</dev/null; "$0"' "$FDCHECK"
like "$out" 'fdcheck: fd 7 -> /dev/null' "and names a descriptor left open"

vk --state "$state" -- "$closefds"'printf "1234\n" | '"$check"
like "$out" 'echo-off: Security key PIN: ' "the PIN is asked with the key open"
like "$out" 'fdcheck: only 0, 1 and 2' "a program started at the PIN prompt inherits nothing but 0, 1 and 2"
unlike "$out" 'fdcheck: fd ' "no descriptor of the key's"
like "$out" 'exec: exit 0' "fdcheck ran and found nothing"
like "$out" 'authenticate: PAM_SUCCESS$' "and the sign-in goes on with the key"

# The same with two keys plugged in, the user's second: the first key's
# probe left nothing behind either.
mkdir -p "$TEST_TMP/two"
cp "$state/key0.state" "$TEST_TMP/two/key1.state"
vk --state "$TEST_TMP/two" --keys 2 -- "$closefds"'printf "1234\n" | '"$check"
like "$out" 'fdcheck: only 0, 1 and 2' "with two keys, nothing is inherited either"
like "$out" 'authenticate: PAM_SUCCESS$' "and the second key signs in"

done_testing
