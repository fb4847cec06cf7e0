#!/bin/bash
# Writing the key list: a full disk and a killed write leave the previous
# list byte for byte; two registrations at once both end up in the list
# (or one is refused cleanly), never a torn file.
. "$top_srcdir/tests/sh/tap.sh"
. "$top_srcdir/tests/sh/virtkey.sh"
. "$top_srcdir/tests/sh/seckeycli.sh"
plan 22

state="$TEST_TMP/state"
keys=$(keys_of "$SK_USER")
keys_dir=$(dirname "$keys")
export keys keys_dir TEST_TMP

vk --state "$state" --keys 3 -- 'for i in 0 1 2; do dev=DEV$i; set_pin 1234 "${!dev}"; done
	printf "1234\n" | sk register --device "$DEV0" --name "First"'
is "$rc" 0 "a first key is registered"
cp "$keys" "$TEST_TMP/keys.before"

# --- a write killed at each step ------------------------------------------
if command -v strace >/dev/null && strace -o /dev/null true 2>/dev/null; then
	# strace delivers SIGKILL as the call is entered: killed at fsync,
	# the temporary file is written but not synced; killed at rename,
	# it is complete but not in place.
	for call in fsync rename,renameat,renameat2; do
		vk --state "$state" --keys 3 -- 'printf "1234\n" |
			strace -f -o /dev/null -e trace='"$call"' \
			    -e inject='"$call"':signal=SIGKILL:when=1 \
			    bash -c "sk register --device \"\$DEV1\" --name Second"'
		ok "$([ "$rc" -ne 0 ] && echo 0 || echo 1)" "register killed at its first ${call%%,*} fails"
		cmp -s "$keys" "$TEST_TMP/keys.before"
		ok $? "the list is byte for byte what it was (killed at ${call%%,*})"
	done
	run sk list
	is "$rc" 0 "the list still reads"
	run sk rename First Renamed
	is "$rc" 0 "the next write succeeds, crash leftovers or not"
	ok "$([ ! -e "$keys_dir/.keys.conf.tmp" ] && echo 0 || echo 1)" "and leaves no temporary file behind"
	sk rename Renamed First 2>/dev/null
	cp "$keys" "$TEST_TMP/keys.before"
else
	for i in 1 2 3 4 5 6 7; do skip "strace cannot trace here"; done
fi

# Kills at random moments: the list is always the old one or the new one.
torn=0
for i in $(seq 1 20); do
	if [ $((i % 2)) -eq 1 ]; then from=First to=Other; else from=Other to=First; fi
	before=$(cat "$keys")
	# Not through sk (a function: $! would be its subshell, and the
	# helper would outlive the kill); env execs seckey in its place.
	env LD_PRELOAD="${SANITIZER_PRELOAD:+$SANITIZER_PRELOAD }$NSS_WRAPPER_LIB" \
	    NSS_WRAPPER_PASSWD="$SK_PASSWD" \
	    NSS_WRAPPER_GROUP="$SK_GROUP" "$SECKEY" ${SK_CONF:+--conf "$SK_CONF"} \
	    rename "$from" "$to" 2>/dev/null &
	pid=$!
	sleep "0.00$((RANDOM % 10))"
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	now=$(cat "$keys")
	if [ "$now" != "$before" ] && [ "$now" != "${before/key \"$from\"/key \"$to\"}" ]; then
		torn=$((torn + 1))
		diag "after killing rename $from -> $to:"
		diag "$now"
	fi
	# Whatever happened, go on from the name the list now has.
	[ "$(key_names "$keys")" = First ] || sk rename Other First 2>/dev/null
done
is "$torn" 0 "20 writes killed at random moments: every time the old list or the new one"
run sk list
is "$rc" 0 "and it reads"

# --- a full disk -----------------------------------------------------------
if sk_need_root 5 "a tmpfs mounted in a mount namespace" &&
    unshare -m true 2>/dev/null; then
	# The list's folder becomes a small tmpfs, inside a mount namespace
	# of its own, so nothing outlives the test.
	cat > "$TEST_TMP/fulldisk.sh" <<FULL
set -e
cp "$keys" "$TEST_TMP/keys.copy"
mount -t tmpfs -o size=16k,mode=0700 tmpfs "$keys_dir"
cp "$TEST_TMP/keys.copy" "$keys"
chmod 0600 "$keys"
# Without the test's preloads: dd trips over a sanitizer runtime.
env -u LD_PRELOAD dd if=/dev/zero of="$keys_dir/filler" bs=1k 2>/dev/null || true
set +e
{ printf x >> "$keys_dir/filler"; } 2>/dev/null && echo "full=no" || echo "full=yes"
printf "1234\n" | sk register --device "\$DEV1" --name Second
echo rc=\$?
cp "$keys" "$TEST_TMP/keys.after"
ls -A "$keys_dir" > "$TEST_TMP/keys.ls"
FULL
	vk --state "$state" --keys 3 -- 'unshare -m bash "$TEST_TMP/fulldisk.sh"'
	like "$out" '^full=yes' "the list's folder is a full tmpfs"
	like "$out" $'\nrc=1$' "register on a full disk fails"
	like "$err" 'seckey: .*keys.conf: cannot write the new contents: No space left on device$' \
		"and says the disk is full"
	cmp -s "$TEST_TMP/keys.after" "$TEST_TMP/keys.before"
	ok $? "the list is byte for byte what it was"
	is "$(tr '\n' ' ' < "$TEST_TMP/keys.ls")" "filler keys.conf " "and no temporary file is left"
elif [ "$(id -u)" -eq 0 ]; then
	for i in 1 2 3 4 5; do skip "mount namespaces are not available"; done
fi

# --- two registrations at once ---------------------------------------------
cmp -s "$keys" "$TEST_TMP/keys.before"
ok $? "the list is intact before the race"
vk --state "$state" --keys 3 --latency 20 -- '
	printf "1234\n" | sk register --device "$DEV1" --name Second 2>"$keys_dir/err1" & one=$!
	printf "1234\n" | sk register --device "$DEV2" --name Third 2>"$keys_dir/err2" & two=$!
	wait $one; echo "one=$?"; wait $two; echo "two=$?"'
is "$rc" 0 "two registrations ran at once"
one=$(sed -n 's/^one=//p' <<<"$out")
two=$(sed -n 's/^two=//p' <<<"$out")
names=$(key_names "$keys" | sort | tr '\n' '|')
if [ "$one" = 0 ] && [ "$two" = 0 ]; then
	is "$names" "First|Second|Third|" "both ended up in the list"
else
	like "$(cat "$keys_dir/err1" "$keys_dir/err2")" 'another seckey is changing' \
		"one was refused cleanly, because the other held the lock"
fi
run sk list
is "$rc" 0 "the list parses: nothing was torn"
is "$(grep -c '^key "' "$keys")" "$(key_names "$keys" | wc -l)" "and every entry in it is whole"

# Default names, chosen under the lock, do not clash either.
vk --state "$state" --keys 3 -- 'sk delete Second; sk delete Third' 2>/dev/null
vk --state "$state" --keys 3 --latency 20 -- '
	printf "1234\n" | sk register --device "$DEV1" 2>/dev/null & one=$!
	printf "1234\n" | sk register --device "$DEV2" 2>/dev/null & two=$!
	wait $one; echo "one=$?"; wait $two; echo "two=$?"'
is "$out" $'one=0\ntwo=0' "two registrations with default names at once both succeed"
is "$(key_names "$keys" | sort | tr '\n' '|')" "First|Security key 1|Security key 2|" \
	"with distinct default names"
rm -f "$keys_dir"/err*

done_testing
