#!/bin/bash
# Twenty sign-ins at once: twenty users, each with a key list of their
# own and a key of their own.  The keys are plugged in as two sets of ten
# (tests/virtkey/with-virtkey takes up to 16), so each sign-in probes ten keys
# while nine other sign-ins use them too: a key busy with another
# client's command answers CHANNEL_BUSY, as real keys do.  The keys take
# 5 ms per command, like real ones.  Every sign-in must succeed with its
# own key, and (strace) each process opens only its own user's key list,
# as that user when run by root.
. "$top_srcdir/tests/sh/tap.sh"
. "$top_srcdir/tests/sh/virtkey.sh"
. "$top_srcdir/tests/sh/pamenv.sh"
pam_env_check
. "$top_srcdir/tests/sh/seckeyenv.sh"
rounds=${CONCURRENT_ROUNDS:-3}
plan $((5 + 2 * rounds))

latency=5
# A round takes about 1.5 s here; the default timeout is 30 s, and 15 s
# leaves room for a loaded CI machine.
policy "timeout = 15"
users=()
for i in $(seq 1 20); do
	users+=("$(printf 'u%02d' "$i")")
	pam_add_user "${users[-1]}" $((5000 + i))
	keys_dir_for "${users[-1]}"
done
# user_of SET KEY, pin_of USER: who owns key KEY of set SET, and the PIN.
user_of() { printf 'u%02d' $(( $1 * 10 + $2 + 1 )); }
pin_of() { echo $(( 4000 + 10#${1#u} )); }

# Key K of set S gets a PIN of its own and one credential, for its user.
enrolled=0
for set in 0 1; do
	script=""
	for key in $(seq 0 9); do
		user=$(user_of "$set" "$key")
		pin=$(pin_of "$user")
		script+="printf '$pin\n$pin\n' | $NOTTY fido2-token -S \"\$DEV$key\" &&
		    echo $pin | \"\$ENROLL\" --device \"\$DEV$key\" --rp \"\$RP\" \
		    --name 'Key of $user' --out '$(keys_of "$user")' || exit 1
		"
	done
	vk --state "$TEST_TMP/set$set" --keys 10 -- "$script"
	[ "$rc" -eq 0 ] && enrolled=$((enrolled + 10))
done
for user in "${users[@]}"; do
	keys_own "$user"
done
is "$enrolled" 20 "twenty users, each with a credential on a key of their own"

# round DIR [strace]: the twenty sign-ins, started together once every
# key is up; DIR/USER.out and DIR/USER.err, DIR/USER.trace with strace.
round() {
	local dir=$1 trace=${2:-} set start
	mkdir -p "$dir"
	export ROUND_DIR=$dir ROUND_TRACE=$trace
	start=$(date +%s%N)
	for set in 0 1; do
		"$WITH_VIRTKEY" --state "$TEST_TMP/set$set" --keys 10 \
		    --latency "$latency" -- bash -c '
			for user in "$@"; do
				(
				wrap=""
				[ -n "$ROUND_TRACE" ] && wrap="strace -f -qq -e trace=openat,setfsuid -o $ROUND_DIR/$user.trace"
				pin=$(( 4000 + 10#${user#u} ))
				while [ ! -e "$ROUND_DIR/go" ]; do sleep 0.01; done
				printf "%s\n" "$pin" | PAMDRIVER_WRAPPER=$wrap \
				    timeout -k 2 30 "$PAMRUN" login "$user" authenticate \
				    >"$ROUND_DIR/$user.out" 2>"$ROUND_DIR/$user.err"
				) &
			done
			touch "$ROUND_DIR/ready.'"$set"'"
			wait' _ $(for key in $(seq 0 9); do user_of "$set" "$key"; echo; done) &
	done
	while [ ! -e "$dir/ready.0" ] || [ ! -e "$dir/ready.1" ]; do sleep 0.01; done
	touch "$dir/go"
	wait
	ms=$(( ($(date +%s%N) - start) / 1000000 ))
}

# refused DIR: the users whose sign-in did not succeed, with the reason.
refused() {
	local user
	for user in "${users[@]}"; do
		grep -q '^authenticate: PAM_SUCCESS$' "$1/$user.out" 2>/dev/null && continue
		printf '%s: %s: %s\n' "$user" \
		    "$(sed -n 's/^authenticate: //p' "$1/$user.out" 2>/dev/null)" \
		    "$(grep -o 'SYSLOG([0-9]): .*' "$1/$user.err" 2>/dev/null | tail -n 1)"
	done
}

# own_key DIR: the users whose syslog line names another key than theirs.
own_key() {
	local user
	for user in "${users[@]}"; do
		grep -q "SYSLOG(6): user $user: signed in with security key \"Key of $user\"\$" \
		    "$1/$user.err" 2>/dev/null || echo "$user"
	done
}

if command -v strace >/dev/null; then
	round "$TEST_TMP/round1" strace
	is "$(refused "$TEST_TMP/round1")" "" \
		"round 1 (under strace): all twenty sign-ins succeed ($ms ms)"
	is "$(own_key "$TEST_TMP/round1" | paste -sd' ')" "" \
		"each with the user's own key, says syslog"
	lists=""
	for user in "${users[@]}"; do
		homes=$(grep -o "$PAM_HOMES/u[0-9]*" "$TEST_TMP/round1/$user.trace" |
			sort -u | paste -sd' ')
		[ "$homes" = "$PAM_HOMES/$user" ] || lists+="$user looked into [$homes]; "
		grep -q 'openat([0-9]*, "keys\.conf", .*) = [0-9]' "$TEST_TMP/round1/$user.trace" ||
			lists+="$user did not open keys.conf; "
	done
	is "$lists" "" "each process opened keys.conf in its own user's home, and no other user's home"
	if [ "$(id -u)" -eq 0 ]; then
		fsuids=""
		for user in "${users[@]}"; do
			uid=$((5000 + 10#${user#u}))
			got=$(sed -n 's/.*setfsuid(\([0-9]*\)).*/\1/p' "$TEST_TMP/round1/$user.trace" |
				grep -v -x -e 0 -e "$uid" -e -1 | sort -u | paste -sd' ')
			[ -z "$got" ] || fsuids+="$user as $got; "
			grep -q "setfsuid($uid)" "$TEST_TMP/round1/$user.trace" ||
				fsuids+="$user never as $uid; "
		done
		is "$fsuids" "" "and read it as that user (setfsuid to the user's uid only)"
	else
		skip "needs root: privileges are dropped only by root"
	fi
else
	for i in 1 2 3 4; do skip "strace is not installed"; done
fi

for r in $(seq 2 $((rounds + 1))); do
	round "$TEST_TMP/round$r"
	is "$(refused "$TEST_TMP/round$r")" "" "round $r: all twenty sign-ins succeed ($ms ms)"
	is "$(own_key "$TEST_TMP/round$r" | paste -sd' ')" "" "round $r: each with the user's own key"
done

done_testing
