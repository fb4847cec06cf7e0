#!/bin/bash
# The benchmark in its quick mode (what CI runs): every figure of the
# table is produced and the raw file is written, keys in a directory
# included (10 and 1,000 users; as root, with slapd: otherwise the TAP
# output says why they are skipped) and the sign-in without a user name
# (every one of which must sign alice in, or run-bench fails).  Timings
# are never asserted; tests/bench/run-bench without --quick is the real
# benchmark (docs/PERFORMANCE.md).
. "$top_srcdir/tests/sh/tap.sh"

# The benchmark measures the production build, not an instrumented one.
[ -z "${SANITIZER_PRELOAD:-}" ] || plan_skip_all "a sanitizer build is not benchmarked"

results="$TEST_TMP/bench"
run "$top_srcdir/tests/bench/run-bench" --quick --out "$results"
[ "$rc" -ne 77 ] || plan_skip_all "$(tail -n 1 <<<"$err")"
plan 28

is "$rc" 0 "run-bench --quick succeeds"
[ "$rc" -eq 0 ] || diag "$(tail -n 20 <<<"$err")"
ok "$([ -s "$results/table.md" ]; echo $?)" "it writes the table"
ok "$([ -s "$results/raw.tsv" ]; echo $?)" "it writes the raw figures"
is "$out" "$(cat "$results/table.md" 2>/dev/null)" "the table it prints is the one it writes"

# The rows of the main and store scale tables (the sign-in without a
# user name has its own table, below).
rows=$(grep -E '^\| pam_' <<<"$out" | grep -vE '^\| pam_[a-z0-9]+ \| (user name given|no user name)')

# Rows of the main table: module | credentials | keys | 10 figures.
main_rows=$(grep -cE '^\| pam_(seckey|u2f) \| (1|10) \| (1|2) \|' <<<"$out")
is "$main_rows" 8 "the main table has both modules, 1 and 10 credentials, 1 and 2 keys"
scale_rows=$(grep -cE '^\| pam_(seckey|u2f) \| [0-9,]+ enrolled' <<<"$out")
is "$scale_rows" 6 "the store scale table has 3 stores for each module"
empty=$(awk -F'|' '{ for (i = 2; i < NF; i++) print $i }' <<<"$rows" |
	grep -cE '^ *(n/a)? *$')
is "$empty" 0 "no cell is empty or n/a"
numbers=$(awk -F'|' '{ for (i = 4; i < NF; i++) print $i }' <<<"$rows" |
	grep -cvE '^ *[0-9][0-9.]*(–[0-9.]+)? *$')
is "$numbers" 0 "every figure is a number"
is "$(grep '^- ' <<<"$out" | grep -vc '^- directory:')" 5 "the five targets are reported"
like "$(grep '^- signature counter' <<<"$out")" 'record per sign-in < 2 % of its instructions: [0-9.]+ % \([0-9.]+ M of [0-9.]+ M\), (met|missed)' \
	"the counter record's cost is measured, with a verdict"
like "$(grep '^- CTAP' <<<"$out")" 'commands after opening the key <= 4: [0-9]+, (met|missed)' \
	"the command target has a verdict"

# Keys in a directory: 3 more scenarios (counted, timed with the file
# store again, under callgrind), unless skipped.
dir_skip=$(sed -n 's/^Keys in a directory: skipped: //p' <<<"$out")
dir_sc=3 dir_timed=4
[ -z "$dir_skip" ] || dir_sc=0 dir_timed=0

# The sign-in without a user name: 5 more scenarios (the ordinary
# sign-in with the same key, then without a user name first and later,
# with 1 and with 2 accounts on the key); pam_u2f has no such mode.
ul_rows=$(grep -E '^\| pam_[a-z0-9]+ \| (user name given|no user name)' <<<"$out")
like "$(awk -F'|' '{ print $2 "|" $3 "|" $4 }' <<<"$ul_rows" | tr -s ' ' | paste -sd';')" \
	'^ pam_seckey \| user name given \| 1 ; pam_seckey \| no user name, first on this machine \| 1 ; pam_seckey \| no user name, later sign-ins \| 1 ; pam_seckey \| no user name, first on this machine \| 2, the choice answered ; pam_seckey \| no user name, later sign-ins \| 2, the choice answered ; pam_u2f \| no user name: no such mode, [^|]*\| n/a $' \
	"the usernameless table: the ordinary sign-in, first and later with 1 and 2 accounts, pam_u2f n/a"
is "$(grep '^| pam_seckey' <<<"$ul_rows" | awk -F'|' '{ for (i = 5; i < NF; i++) print $i }' |
	grep -cvE '^ *[0-9][0-9.]*(–[0-9.]+)? *$')" 0 "every pam_seckey figure of it is a number"
like "$(grep '^| pam_u2f' <<<"$ul_rows")" 'it asks "login:" \(PAM_[A-Z_]+ when none is typed; 0 CTAP commands\)' \
	"pam_u2f started without a user asks for one and sends the key nothing"

raw=$(grep -v '^#' "$results/raw.tsv" 2>/dev/null)
# The key's log: an empty allow list for the sign-in without a user
# name, never for the ordinary one (the module really took that path).
is "$(awk -F'\t' '$1 == "sequence" && $2 == "nameless" && $5 ~ /getAssertion\(up=1,allow=0\)/' <<<"$raw" | wc -l)" 4 \
	"raw: each sign-in without a user name makes an assertion with an empty allow list"
is "$(awk -F'\t' '$1 == "sequence" && $2 == "named" && $5 !~ /allow=0/' <<<"$raw" | wc -l)" 1 \
	"raw: the ordinary one never does"
is "$(awk '$1 == "state_dir"' <<<"$raw" | wc -l)" 5 "raw: what each state_dir holds afterwards"
ul_sc=5
is "$(awk '$1 == "commands"' <<<"$raw" | wc -l)" $((12 + ul_sc + dir_sc)) \
	"raw: commands of $((12 + ul_sc + dir_sc)) scenarios"
is "$(awk '$1 == "latency_ms" { n += NF - 4 } END { print n }' <<<"$raw")" \
	$((3 * (14 + ul_sc + dir_timed))) "raw: 3 timed sign-ins in each of $((14 + ul_sc + dir_timed)) timed scenarios"
is "$(awk '$1 == "instructions" || $1 == "peak_rss_kib"' <<<"$raw" | wc -l)" \
	$((2 * (12 + ul_sc + dir_sc))) "raw: instructions and peak memory of $((12 + ul_sc + dir_sc)) scenarios"

if [ -n "$dir_skip" ]; then
	for i in $(seq 8); do
		skip "keys in a directory: $dir_skip"
	done
	done_testing
fi
dir_rows=$(grep -E '^\| (file \(keys_file\)|directory[ ,])' <<<"$out")
is "$(wc -l <<<"$dir_rows")" 4 "the directory table has the file store, 10 and 1,000 users, and slapd stopped"
like "$(grep -E '^\| directory \(slapd\) \| ' <<<"$dir_rows" | cut -d'|' -f3 | tr -d ' ' | paste -sd' ')" \
	'^10 1,000$' "the directory holds 10, then 1,000 other users"
is "$(awk -F'|' '{ for (i = 4; i < NF; i++) print $i }' <<<"$dir_rows" |
	grep -cvE '^ *[0-9][0-9.]*(–[0-9.]+)? *$')" 0 "every directory figure is a number"
# The reader is traced (its own profile) and counted in every directory row.
is "$(grep '^| directory' <<<"$dir_rows" | awk -F'|' '$9 + 0 > 0' | wc -l)" 3 \
	"the reader's instructions are counted in each directory row"
is "$(awk '$1 == "reader_instructions"' <<<"$raw" | wc -l)" 3 "raw: the reader's instructions of 3 scenarios"
# Where the list comes from changes nothing on the key.
is "$(awk -F'|' '{ print $4 }' <<<"$dir_rows" | sort -u | wc -l)" 1 \
	"the key receives the same number of commands whatever the store"
is "$(grep -c '^- directory: .*: [0-9.]*, \(met\|missed\)' <<<"$out")" 3 \
	"the three directory targets have a verdict"
like "$(grep '^- directory: 1,000 users' <<<"$out")" 'instructions [0-9.]+\)$' \
	"the scale target gives the instructions too"

done_testing
