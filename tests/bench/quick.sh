#!/bin/bash
# The benchmark in its quick mode (what CI runs): every figure of the
# table is produced and the raw file is written.  Timings are never
# asserted; tests/bench/run-bench without --quick is the real benchmark
# (docs/PERFORMANCE.md).
. "$top_srcdir/tests/sh/tap.sh"

# The benchmark measures the production build, not an instrumented one.
[ -z "${SANITIZER_PRELOAD:-}" ] || plan_skip_all "a sanitizer build is not benchmarked"

results="$TEST_TMP/bench"
run "$top_srcdir/tests/bench/run-bench" --quick --out "$results"
[ "$rc" -ne 77 ] || plan_skip_all "$(tail -n 1 <<<"$err")"
plan 14

is "$rc" 0 "run-bench --quick succeeds"
[ "$rc" -eq 0 ] || diag "$(tail -n 20 <<<"$err")"
ok "$([ -s "$results/table.md" ]; echo $?)" "it writes the table"
ok "$([ -s "$results/raw.tsv" ]; echo $?)" "it writes the raw figures"
is "$out" "$(cat "$results/table.md" 2>/dev/null)" "the table it prints is the one it writes"

# Rows of the main table: module | credentials | keys | 10 figures.
main_rows=$(grep -cE '^\| pam_(seckey|u2f) \| (1|10) \| (1|2) \|' <<<"$out")
is "$main_rows" 8 "the main table has both modules, 1 and 10 credentials, 1 and 2 keys"
scale_rows=$(grep -cE '^\| pam_(seckey|u2f) \| [0-9,]+ enrolled' <<<"$out")
is "$scale_rows" 6 "the store scale table has 3 stores for each module"
empty=$(grep -E '^\| pam_' <<<"$out" | awk -F'|' '{ for (i = 2; i < NF; i++) print $i }' |
	grep -cE '^ *(n/a)? *$')
is "$empty" 0 "no cell is empty or n/a"
numbers=$(grep -E '^\| pam_' <<<"$out" | awk -F'|' '{ for (i = 4; i < NF; i++) print $i }' |
	grep -cvE '^ *[0-9][0-9.]*(–[0-9.]+)? *$')
is "$numbers" 0 "every figure is a number"
is "$(grep -c '^- ' <<<"$out")" 5 "the five targets are reported"
like "$(grep '^- signature counter' <<<"$out")" 'record per sign-in < 2 % of its instructions: [0-9.]+ % \([0-9.]+ M of [0-9.]+ M\), (met|missed)' \
	"the counter record's cost is measured, with a verdict"
like "$(grep '^- CTAP' <<<"$out")" 'commands after opening the key <= 4: [0-9]+, (met|missed)' \
	"the command target has a verdict"

raw=$(grep -v '^#' "$results/raw.tsv" 2>/dev/null)
is "$(awk '$1 == "commands"' <<<"$raw" | wc -l)" 12 "raw: commands of 12 scenarios"
is "$(awk '$1 == "latency_ms" { n += NF - 4 } END { print n }' <<<"$raw")" 42 \
	"raw: 3 timed sign-ins in each of 14 timed scenarios"
is "$(awk '$1 == "instructions" || $1 == "peak_rss_kib"' <<<"$raw" | wc -l)" 24 \
	"raw: instructions and peak memory of 12 scenarios"

done_testing
