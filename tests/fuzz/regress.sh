#!/bin/bash
# Every committed fuzz input, seeds and crash inputs alike, through its
# target: fuzz/corpus/TARGET and fuzz/regress/TARGET replayed by the
# targets built with a plain driver (fuzz/regress_main.c), so that every
# build, gcc included, runs them.  A crash or a failed check fails.
. "$top_srcdir/tests/sh/tap.sh"

targets="policy keylist passkey base64 pubkey pam mds"
inputs=()
for t in $targets; do
	for f in "$top_srcdir/fuzz/corpus/fuzz_$t"/* \
	    "$top_srcdir/fuzz/regress/fuzz_$t"/*; do
		[ -f "$f" ] && inputs+=("$t:$f")
	done
done
[ "${#inputs[@]}" -gt 0 ] || plan_skip_all "no fuzz inputs found"
plan "${#inputs[@]}"

for input in "${inputs[@]}"; do
	t=${input%%:*} f=${input#*:}
	name="fuzz_$t $(basename "$(dirname "$(dirname "$f")")")/$(basename "$f")"
	run "$top_builddir/fuzz/regress_$t" "$f"
	if [ "$rc" -eq 77 ]; then
		skip "$name: ${err##*: }"
		continue
	fi
	ok "$rc" "$name" || diag "$(tail -n 20 <<<"$err")"
done
done_testing
