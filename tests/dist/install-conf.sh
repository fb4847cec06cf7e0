#!/bin/bash
# make install and make uninstall with the policy file: installed only
# where there is none, removed only while it is the shipped one, so an
# administrator's edited /etc/security/pam_seckey.conf is never lost.
. "$top_srcdir/tests/sh/tap.sh"
plan 8

dest="$TEST_TMP/dest"
conf=$(sed -n 's/^sysconfdir = //p' "$top_builddir/Makefile")
prefix=$(sed -n 's/^prefix = //p' "$top_builddir/Makefile")
conf=${conf//'${prefix}'/$prefix}
policy="$dest$conf/security/pam_seckey.conf"
# The whole install (module, helper, man pages, policy, pam-auth-update
# profile) into a DESTDIR of its own.
mk() {
	run make -s -C "$top_builddir" "$@" DESTDIR="$dest"
}

mk install
is "$rc" 0 "make install into DESTDIR"
cmp -s "$top_srcdir/conf/pam_seckey.conf" "$policy"
ok $? "the shipped policy is installed where there was none"

printf 'enabled = true\n' >> "$policy"
cp "$policy" "$TEST_TMP/edited"
mk install
cmp -s "$TEST_TMP/edited" "$policy"
ok $? "make install again keeps the administrator's edited policy"
like "$out" "keeping $policy" "and says so"

mk uninstall
is "$rc" 0 "make uninstall"
cmp -s "$TEST_TMP/edited" "$policy"
ok $? "make uninstall never deletes an edited policy"

cp "$top_srcdir/conf/pam_seckey.conf" "$policy"
mk uninstall
ok "$([ ! -e "$policy" ] && echo 0 || echo 1)" "an unchanged policy goes with make uninstall"
ok "$([ -z "$(find "$dest" -type f)" ] && echo 0 || echo 1)" "and nothing else is left behind"

done_testing
