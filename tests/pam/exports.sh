#!/bin/bash
# pam_seckey.so exports pam_sm_authenticate, pam_sm_setcred and
# pam_sm_chauthtok, and nothing else: it loads with every symbol resolved,
# and none of libseckey's functions can clash with the host's.
. "$top_srcdir/tests/sh/tap.sh"
MODULE="$top_builddir/pam_module/.libs/pam_seckey.so"
DLCHECK="$top_builddir/tests/progs/dlcheck"
[ -f "$MODULE" ] || plan_skip_all "pam_seckey.so is not built"
command -v nm >/dev/null || plan_skip_all "nm (binutils) is not installed"
plan 5

run "$DLCHECK" "$MODULE" +pam_sm_authenticate +pam_sm_setcred +pam_sm_chauthtok \
	-pam_sm_acct_mgmt -pam_sm_open_session -signin_run -outcome_report \
	-seckey_probe -seckey_policy_load -seckey_keylist_read -seckey_strerror
is "$rc" 0 "dlopen with RTLD_NOW succeeds and only the pam_sm_* entry points resolve"
like "$out" 'pam_sm_authenticate exported' "pam_sm_authenticate is exported"
like "$out" 'seckey_policy_load hidden' "library functions are hidden"

exported=$(nm -D --defined-only "$MODULE" | awk '$2 ~ /^[TDBRVWi]$/ { print $3 }' | sort | paste -sd' ')
is "$exported" "pam_sm_authenticate pam_sm_chauthtok pam_sm_setcred" "nm lists exactly the three entry points"
undefined=$(nm -D --undefined-only "$MODULE" | grep -c ' U pam_' || true)
ok "$([ "$undefined" -gt 0 ] && echo 0 || echo 1)" "it takes pam_* functions from libpam ($undefined of them)"

done_testing
