# tap.sh: a small TAP producer for the shell tests (sourced, bash).
#
#   plan N | plan_skip_all REASON
#   ok STATUS DESCRIPTION        STATUS 0 passes (use: ok $? "...")
#   is GOT WANT DESCRIPTION      string equality
#   like GOT REGEX DESCRIPTION   extended regular expression match
#   unlike GOT REGEX DESCRIPTION
#   skip REASON                  one skipped test
#   run CMD...                   runs CMD; sets $rc, $out (stdout), $err (stderr)
#   diag TEXT                    a comment on stderr-like TAP diagnostics
#
# Each test script ends with done_testing, which checks the plan.

tap_count=0
tap_failed=0
tap_planned=""

: "${top_builddir:?top_builddir must be set (run through make check)}"
: "${top_srcdir:=$top_builddir}"
WITH_VIRTKEY="$top_builddir/tests/virtkey/with-virtkey"

# Every test gets its own scratch folder, removed at exit unless KEEP_TMP=1.
# pam_seckey refuses policy files and key lists below a folder anyone may
# write to, such as /tmp, so the scratch folders live where every folder
# above them belongs to root or to us: /run for root, the build tree
# (in the user's own files) otherwise.
if [ "$(id -u)" -eq 0 ] && [ -d /run ] && [ ! -L /run ]; then
	TEST_TMP_BASE=/run/pam_seckey-tests
else
	TEST_TMP_BASE="$top_builddir/tests/tmp"
fi
mkdir -p "$TEST_TMP_BASE" && chmod 0755 "$TEST_TMP_BASE" || exit 99
TEST_TMP=$(mktemp -d "$TEST_TMP_BASE/test.XXXXXX") || exit 99
chmod 0755 "$TEST_TMP"
export TEST_TMP
tap_cleanup() {
	[ "${KEEP_TMP:-0}" = 1 ] || rm -rf "$TEST_TMP"
}
trap tap_cleanup EXIT

plan() {
	tap_planned=$1
	echo "1..$1"
}

plan_skip_all() {
	echo "1..0 # SKIP $*"
	exit 0
}

diag() {
	local line
	while IFS= read -r line; do
		echo "# $line"
	done <<<"$*"
}

ok() {
	local status=$1
	shift
	tap_count=$((tap_count + 1))
	if [ "$status" -eq 0 ]; then
		echo "ok $tap_count - $*"
	else
		echo "not ok $tap_count - $*"
		tap_failed=$((tap_failed + 1))
	fi
	return "$status"
}

is() {
	if [ "$1" = "$2" ]; then
		ok 0 "$3"
	else
		ok 1 "$3"
		diag "got:      '$1'"
		diag "expected: '$2'"
		return 1
	fi
}

like() {
	if [[ $1 =~ $2 ]]; then
		ok 0 "$3"
	else
		ok 1 "$3"
		diag "got:     '$1'"
		diag "pattern: '$2'"
		return 1
	fi
}

unlike() {
	if [[ $1 =~ $2 ]]; then
		ok 1 "$3"
		diag "got:         '$1'"
		diag "not allowed: '$2'"
		return 1
	fi
	ok 0 "$3"
}

# known_issue GOT DESCRIPTION REASON: passes when GOT is empty; otherwise
# a failure marked TODO (automake: XFAIL), for faults in code that is not
# ours, which we report upstream instead of hiding.
known_issue() {
	tap_count=$((tap_count + 1))
	if [ -z "$1" ]; then
		echo "ok $tap_count - $2"
	else
		echo "not ok $tap_count - $2 # TODO $3"
		diag "got: '$1'"
	fi
}

skip() {
	tap_count=$((tap_count + 1))
	echo "ok $tap_count # SKIP $*"
}

run() {
	local out_file="$TEST_TMP/.run.out" err_file="$TEST_TMP/.run.err"
	"$@" >"$out_file" 2>"$err_file"
	rc=$?
	out=$(cat "$out_file")
	err=$(cat "$err_file")
	return 0
}

done_testing() {
	if [ -z "$tap_planned" ]; then
		echo "1..$tap_count"
	elif [ "$tap_planned" -ne "$tap_count" ]; then
		echo "# planned $tap_planned tests but ran $tap_count"
		exit 1
	fi
	[ "$tap_failed" -eq 0 ]
	exit $?
}
