#!/bin/bash
# Every man page passes mandoc's linter without a warning.
. "$top_srcdir/tests/sh/tap.sh"
command -v mandoc >/dev/null || plan_skip_all "mandoc is not installed"
pages=("$top_srcdir"/man/*.[158])
plan "${#pages[@]}"
for page in "${pages[@]}"; do
	# "referenced manual not found" depends on what this machine has.
	run mandoc -Tlint -Wwarning "$page"
	is "$(grep -v 'referenced manual not found\|mandoc.db' <<<"$out$err")" "" "$(basename "$page") is clean"
done
done_testing
