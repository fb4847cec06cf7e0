#!/bin/bash
# run.sh: run fuzz targets for a fixed time each (make fuzz-run).
#
#   fuzz/run.sh SECONDS SRCDIR/fuzz BUILDDIR/fuzz TARGET...
#
# Each target runs for SECONDS on a scratch copy of its corpus
# (fuzz/corpus/TARGET, with fuzz/regress/TARGET), with its dictionary
# if it has one, and prints its executions and coverage.  Exits 1 if any
# target crashed; the input is kept in BUILDDIR/fuzz/crashes/TARGET/ and
# the end of the target's log is shown.  FUZZ_ARGS adds libFuzzer options;
# FUZZ_CORPUS_OUT=DIR keeps each grown corpus in DIR/TARGET.
set -u
if [ $# -lt 4 ]; then
	echo "usage: $0 SECONDS SRCDIR/fuzz BUILDDIR/fuzz TARGET..." >&2
	exit 2
fi
seconds=$1 src=$2 bin=$3
shift 3
status=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for target in "$@"; do
	corpus="$work/$target" crashes="$bin/crashes/$target"
	log="$bin/$target.log"
	mkdir -p "$corpus" "$crashes"
	cp "$src/corpus/$target"/* "$corpus/" 2>/dev/null
	cp "$src/regress/$target"/* "$corpus/" 2>/dev/null
	args=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048
	    -error_exitcode=1 -max_len=16384 -print_final_stats=1
	    -artifact_prefix="$crashes/")
	[ -f "$src/$target.dict" ] && args+=(-dict="$src/$target.dict")
	start=$SECONDS
	# shellcheck disable=SC2086
	"$bin/$target" "${args[@]}" ${FUZZ_ARGS:-} "$corpus" >"$log" 2>&1
	rc=$?
	last=$(grep -aE '^#[0-9]+' "$log" | tail -n 1)
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	[ -n "$runs" ] || runs=$(sed -n 's/^#\([0-9]*\).*/\1/p' <<<"$last")
	cov=$(sed -n 's/.*\(cov: [0-9]* ft: [0-9]*\).*/\1/p' <<<"$last")
	echo "$target: ${runs:-0} executions in $((SECONDS - start)) s," \
	    "${cov:-no coverage}"
	if [ -n "${FUZZ_CORPUS_OUT:-}" ]; then
		rm -rf "${FUZZ_CORPUS_OUT:?}/$target"
		mkdir -p "$FUZZ_CORPUS_OUT" && cp -r "$corpus" "$FUZZ_CORPUS_OUT/"
	fi
	if [ "$rc" -ne 0 ]; then
		echo "$target: FAILED (exit $rc); input in $crashes/, log $log:"
		grep -av '^#[0-9]' "$log" | tail -n 40
		status=1
	fi
done
exit "$status"
