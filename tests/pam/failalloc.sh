#!/bin/bash
# Allocation failures: tests/progs/failalloc makes the Nth allocation of a
# sign-in fail, counted from the start of pam_authenticate, whoever makes
# it (the module, libpam, libconfuse, libfido2, libcbor, OpenSSL, libc),
# except the test's own nss_wrapper and pam_wrapper.
#
# Each path is run once to count its allocations, then once for each N
# tried, each run with a fresh copy of the key.  Tried: every allocation
# made outside libcrypto, the two at each end of every run of libcrypto
# allocations, and every FAILALLOC_STRIDE-th (default 100) of the
# thousands OpenSSL makes for itself; FAILALLOC_STRIDE=1 tries them all
# (about 25,000 runs).  The policy timeout is 1 s here: an allocation
# failure in the probe makes the module wait that long for another key.
#
#   wrong PIN, no keys, nouserok: never PAM_SUCCESS or PAM_IGNORE
#   right PIN: PAM_SUCCESS (PIN asked, touch required) or a clean error
#   every path: never a crash (exit by a signal, exit() from a library,
#   no "authenticate:" line) and never a hang (20 s); crashes are told
#   apart by whether the allocation that failed was libconfuse's
. "$top_srcdir/tests/sh/tap.sh"
. "$top_srcdir/tests/sh/virtkey.sh"
. "$top_srcdir/tests/sh/pamenv.sh"
pam_env_check
. "$top_srcdir/tests/sh/seckeyenv.sh"
FAILALLOC="$top_builddir/tests/progs/.libs/failalloc.so"
[ -f "$FAILALLOC" ] || plan_skip_all "tests/progs/failalloc is not built"
[ -z "${SANITIZER_PRELOAD:-}" ] ||
	plan_skip_all "the sanitizer's allocator would come before failalloc"
[ -z "${PAMDRIVER_WRAPPER:-}" ] ||
	plan_skip_all "pamdriver runs under $PAMDRIVER_WRAPPER, which allocates for it"
plan 25

stride=${FAILALLOC_STRIDE:-100}
jobs=$(( 2 * $(nproc 2>/dev/null || echo 1) + 1 ))
# Runs side by side would share pam_wrapper's /tmp/pam.X folders (see
# tests/sh/pamenv.sh): each run gets a /tmp of its own in a private mount
# namespace where that is allowed (root), else they run one at a time.
# (Not when the build tree is below /tmp: the new /tmp would hide it.)
private_tmp=""
case "$top_builddir $top_srcdir" in
*/tmp/*|/tmp*) ;;
*)	[ "$(id -u)" -eq 0 ] && unshare -m --propagation private \
	    sh -c 'mount -t tmpfs none /tmp' 2>/dev/null &&
	    private_tmp="unshare -m --propagation private" ;;
esac
[ -n "$private_tmp" ] || jobs=1
FA_DIR="$TEST_TMP/failalloc"
mkdir -p "$FA_DIR"
alice_with_key "$FA_DIR" || { echo "Bail out! cannot register a key on the virtual key"; exit 1; }
mv "$FA_DIR/key0.state" "$FA_DIR/pristine.state"
pam_add_user bob 4243
# fa_policy LINES: the test policy with a timeout of 1 s.
fa_policy() {
	policy "$1"
	sed -i 's/^timeout = 3$/timeout = 1/' "$POLICY"
}
fa_policy ""

# status FILE CMD...: runs CMD, writes its exit status (128 + signal) to FILE.
cat > "$FA_DIR/status" <<'STATUS'
#!/bin/bash
file=$1
shift
"$@"
echo $? > "$file"
STATUS
# fa-one N: one sign-in as $FA_USER with $FA_PIN, allocation N failing
# (0: none, but counted and traced).  Prints "N CODE STATUS ASKED OBJECT",
# ASKED being "full" when the PIN was asked and the key's last assertion
# asked for a touch (up=1) with a PIN token, OBJECT the library whose
# allocation failed.  Keeps the folder of a bad run.
cat > "$FA_DIR/fa-one" <<'ONE'
#!/bin/bash
n=$1 dir=$FA_RUNS/run.$1
mkdir -p "$dir"
cp "$FA_DIR/pristine.state" "$dir/key0.state"
export n dir
"$WITH_VIRTKEY" --state "$dir" --log-dir "$dir" -- bash -c '
	[ "$n" -eq 0 ] && export FAILALLOC_TRACE=$dir/trace
	printf "%s\n" "$FA_PIN" | FAILALLOC_N=$n FAILALLOC_REPORT=$dir/report \
	    FAILALLOC_SKIP=nss_wrapper,pam_wrapper \
	    LD_PRELOAD="$FAILALLOC${LD_PRELOAD:+ $LD_PRELOAD}" \
	    PAMDRIVER_WRAPPER="$FA_DIR/status $dir/status" \
	    timeout -k 2 20 "$PAMRUN" login "$FA_USER" authenticate \
	    >"$dir/out" 2>"$dir/err"
	echo $? > "$dir/timeout"' </dev/null
code=$(sed -n 's/^authenticate: //p' "$dir/out")
status=$(cat "$dir/status" 2>/dev/null)
[ "$(cat "$dir/timeout" 2>/dev/null)" = 124 ] && status=hang
asked=partial
grep -q '^echo-off: Security key PIN:' "$dir/out" &&
	grep 'getAssertion' "$dir/key0.log" 2>/dev/null | tail -n 1 |
	grep -q 'up=1 uv=0 pinauth=1 ' && asked=full
# The library that asked for the allocation made to fail.
object=$(grep -v -e '^fail ' -e '^count ' -e failalloc -e '/libc\.so' \
	"$dir/report" 2>/dev/null | sed -n '1{s|(.*||;s|.*/||;p}')
echo "$n ${code:-NONE} ${status:-none} $asked ${object:-none}"
case "$code:$status:$asked" in
:*|*:none:*|*:hang:*|*:1[2-9][0-9]:*|PAM_SUCCESS:*:partial) ;;
*) [ "$n" -eq 0 ] || rm -rf "$dir" ;;
esac
exit 0
ONE
chmod 0755 "$FA_DIR/status" "$FA_DIR/fa-one"
export FA_DIR FAILALLOC WITH_VIRTKEY
export PRIVATE_TMP="$private_tmp"
unset FAILALLOC_N FAILALLOC_REPORT FAILALLOC_TRACE

# pick TRACE [LAST]: the N to try, one a line (up to LAST, if given).
pick() {
	awk -v stride="$stride" -v last="${2:-0}" '
		{ lib[$1] = $2 ~ /libcrypto/; n = $1 }
		END {
			if (last > 0 && last < n)
				n = last
			for (i = 1; i <= n; i++)
				if (!lib[i] || !lib[i - 1] || !lib[i + 1] ||
				    !lib[i - 2] || !lib[i + 2] || i % stride == 0)
					print i
		}' "$1"
}

# first_crypto TRACE: the first allocation OpenSSL makes (the key's turn).
first_crypto() {
	awk '$2 ~ /libcrypto/ { print $1; exit }' "$1"
}

# fa_explain RESULTS: for each bad run, how it ended and the call stack of
# the allocation that failed.
fa_explain() {
	local n code status
	while read -r n code status _; do
		[ -n "$n" ] || continue
		diag "allocation $n: $code, exit $status: $(
			grep -v -e '^fail ' -e failalloc "$FA_RUNS/run.$n/report" 2>/dev/null |
			sed -n '1,7{s|^.*/||;s|\[0x[0-9a-f]*\]$||;p}' | paste -sd'<' -)"
		diag "    $(grep -v -e '^PWRAP_' -e '^NWRAP_' "$FA_RUNS/run.$n/err" 2>/dev/null |
			tail -n 2 | paste -sd'|' -)$(grep -h getAssertion \
			"$FA_RUNS/run.$n/key0.log" 2>/dev/null | tail -n 1)"
	done <<<"$1"
}

# fa_path NAME USER PIN FORBIDDEN WANT [up-to-key]: a path, all its N.
# Sets results: the lines of fa-one.
fa_path() {
	local name=$1 forbidden=$4 want=$5 m tried start secs bad crashes
	export FA_USER=$2 FA_PIN=$3 FA_RUNS=$FA_DIR/$name
	mkdir -p "$FA_RUNS"
	read -r _ code status _ < <("$FA_DIR/fa-one" 0)
	is "$code $status" "$want" "$name: without a failure: $want"
	m=$(sed -n 's/^count //p' "$FA_RUNS/run.0/report")
	pick "$FA_RUNS/run.0/trace" ${6:+"$(first_crypto "$FA_RUNS/run.0/trace")"} \
		> "$FA_DIR/$name.tried"
	tried=$(wc -l < "$FA_DIR/$name.tried")
	start=$(date +%s)
	xargs -P "$jobs" -n 1 $private_tmp sh -c \
	    '[ -z "$PRIVATE_TMP" ] || mount -t tmpfs -o mode=1777 none /tmp || exit 1
	     exec "$FA_DIR/fa-one" "$1"' fa-one < "$FA_DIR/$name.tried" |
		sort -n > "$FA_DIR/$name.results"
	secs=$(( $(date +%s) - start ))
	results=$(cat "$FA_DIR/$name.results")
	is "$(wc -l <<<"$results")" "$tried" \
		"$name: $tried of $m allocations made to fail, one per run ($secs s, $jobs at a time)"
	diag "$name: $(awk '{ print $2 }' <<<"$results" | sort | uniq -c |
		awk '{ printf "%s%s %s", sep, $2, $1; sep = ", " }')"
	crashes=$(awk '$2 == "NONE" || $3 !~ /^[0-9]+$/ || $3 >= 128' <<<"$results")
	# Ours, libfido2, libcbor, libpam: no crash, ever.
	is "$(grep -v -e ' libconfuse' -e ' libcrypto' <<<"$crashes")" "" \
		"$name: no crash or hang when any other allocation fails"
	fa_explain "$(grep -v -e ' libconfuse' -e ' libcrypto' <<<"$crashes")"
	# libconfuse 3.3 exit()s, asserts or crashes when its own allocations
	# fail; OpenSSL 3.0 crashes when one fails inside its first
	# initialisation.  Known faults of those libraries, shown, not hidden.
	known_issue "$(grep ' libconfuse' <<<"$crashes" | cut -d' ' -f1 | paste -sd' ')" \
		"$name: no crash or exit() when a libconfuse allocation fails" \
		"libconfuse 3.3 exits or aborts on ENOMEM (lexer.l, cfg_setopt)"
	fa_explain "$(grep ' libconfuse' <<<"$crashes")"
	known_issue "$(grep ' libcrypto' <<<"$crashes" | cut -d' ' -f1 | paste -sd' ')" \
		"$name: no crash when an OpenSSL allocation fails" \
		"OpenSSL 3.0 crashes on ENOMEM during its first initialisation"
	fa_explain "$(grep ' libcrypto' <<<"$crashes")"
	bad=$(awk -v re="^($forbidden)\$" '$2 ~ re' <<<"$results")
	is "$bad" "" "$name: never ${forbidden//|/ or }"
	fa_explain "$bad"
}

# The wrong PIN: PAM_AUTH_ERR; with failures, never a sign-in or a pass.
fa_path wrong-pin alice 9999 'PAM_SUCCESS|PAM_IGNORE' "PAM_AUTH_ERR 7"
# A user with no keys (nouserok is false): PAM_AUTH_ERR, nothing more.
fa_path no-keys bob 1234 'PAM_SUCCESS|PAM_IGNORE' "PAM_AUTH_ERR 7"
# The right PIN: a sign-in, or a clean error.
fa_path right-pin alice 1234 'PAM_IGNORE' "PAM_SUCCESS 0"
partial=$(awk '$2 == "PAM_SUCCESS" && $4 != "full"' <<<"$results")
is "$(cut -d' ' -f1 <<<"$partial" | paste -sd' ')" "" \
	"right-pin: every PAM_SUCCESS had the PIN and the touch the policy asks for"
fa_explain "$partial"
# nouserok, and a user who has keys: a failure while reading the policy or
# the key list must never look like "no keys" (PAM_IGNORE).
fa_policy "nouserok = true"
fa_path nouserok alice 9999 'PAM_SUCCESS|PAM_IGNORE' "PAM_AUTH_ERR 7" up-to-key

done_testing
