#!/bin/bash
# The Debian packages as an administrator meets them: lintian's verdict,
# then, as root in private namespaces whose /etc, /usr and dpkg database
# are overlays (tests/realclient/world.sh), dpkg -i of libpam-seckey,
# seckey and seckey-ldap; the files and conffiles each holds; the
# pam-auth-update profile in common-auth with the module silent until
# "enabled = true"; alice's key registered with the installed seckey and
# alice signed in by su through the installed module; an upgrade that
# keeps the edited policy; dpkg -r (the module leaves the PAM stack
# while its file is still there, edited conffiles stay) and dpkg -P
# (conffiles gone, common-* byte for byte as before, not one file of
# ours left).  The last test checks that the machine is as it was.
#
# SECKEY_DEBS names the folder with the .debs and the .changes
# (scripts/test-all's package pass builds them there); without it the
# test is skipped.
. "$top_srcdir/tests/sh/tap.sh"
. "$top_srcdir/tests/sh/snapshot.sh"

PACKAGES="libpam-seckey seckey seckey-ldap"

if [ -z "${PACKAGE_INNER:-}" ]; then
	[ -n "${SECKEY_DEBS:-}" ] ||
		plan_skip_all "no packages to test (SECKEY_DEBS unset: the package pass of scripts/test-all sets it)"
	[ "$(id -u)" -eq 0 ] || plan_skip_all "needs root (dpkg, private namespaces)"
	for prog in unshare setpriv expect su dpkg dpkg-architecture \
	    pam-auth-update fido2-token openssl ip lintian; do
		command -v "$prog" >/dev/null || plan_skip_all "$prog is not installed"
	done
	for pkg in $PACKAGES; do
		if dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q installed; then
			plan_skip_all "$pkg is installed on this machine: the test needs a machine without it"
		fi
	done

	# 1: lintian, its whole output in the log.
	changes=$(ls "$SECKEY_DEBS"/*.changes 2>/dev/null | head -n 1)
	if [ -z "$changes" ]; then
		ok 1 "the packages are built (a .changes in $SECKEY_DEBS)"
		done_testing
	fi
	run lintian --fail-on error --display-info --pedantic --show-overrides "$changes"
	ok "$rc" "lintian shows no error"
	diag "lintian --display-info --pedantic --show-overrides $(basename "$changes") (exit $rc):"
	diag "${out:-(no tag)}"

	snapshot() {
		machine_snapshot /etc/pam.d /etc/security /etc/passwd /etc/shadow \
		    /etc/group /etc/ld.so.preload /usr/share/pam-configs \
		    /var/lib/pam /var/lib/dpkg/status /var/cache/seckey \
		    /lib/*/security /usr/bin/seckey /usr/libexec/seckey \
		    /usr/share/seckey /usr/share/doc/libpam-seckey /run/seckey-virtkey
	}
	snapshot > "$TEST_TMP/before"
	start=$(date +%s)
	PACKAGE_INNER="$tap_count $tap_failed" unshare --mount --propagation private --pid --fork --kill-child \
	    --mount-proc --net --uts "$BASH" "$top_srcdir/tests/dist/package.sh" \
	    3>"$TEST_TMP/counts"
	snapshot > "$TEST_TMP/after"
	read -r inner_count inner_failed < "$TEST_TMP/counts" || {
		inner_count=$tap_count
		inner_failed=$tap_failed
		ok 1 "the cases ran to the end"
	}
	tap_count=$inner_count
	tap_failed=$inner_failed
	diag "install, sign-in, remove and purge took $(($(date +%s) - start)) s"
	changed=$(diff "$TEST_TMP/before" "$TEST_TMP/after")
	is "$changed" "" "the machine's /etc, /usr, PAM and dpkg state are as before"
	done_testing
fi

# Inside the namespaces: the counts go on from the outer part's (lintian);
# fd 3 takes them back out.
read -r tap_count tap_failed <<<"$PACKAGE_INNER"
# /var/lib whole: the module run as root keeps its signature counter
# records in /var/lib/seckey (state_dir), which purge removes.
WORLD_OVERLAYS="/etc /usr /var/lib /var/cache"
. "$top_srcdir/tests/realclient/world.sh"
pkg_stopped() {
	world_stop
	echo "$tap_count $tap_failed" >&3
	tap_cleanup
}
trap pkg_stopped EXIT

MULTIARCH=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
SO=/lib/$MULTIARCH/security/pam_seckey.so
READER=/usr/libexec/seckey/seckey-keys-ldap
LDAP_CONF=/etc/security/seckey-ldap.conf
PIN_P='Security key PIN: '
PW_P='[Pp]assword: '
STOP='<<STOP>>'
TOUCH='Touch your security key now.'
SU_CMD=(setpriv --reuid=bob --regid=bob --init-groups --reset-env
    su alice -c 'echo SIGNED-IN-AS-$(id -un)')
debs=()
for pkg in $PACKAGES; do
	debs+=("$(ls "$SECKEY_DEBS/${pkg}_"*.deb)")
done

# The world of tests/realclient without its stacks: users, the key.
pkg_setup() {
	local uid
	world_mounts || { echo "cannot mount the private world" >&2; return 1; }
	hostname "$HOST" && ip link set lo up || return 1
	printf '127.0.0.1\tlocalhost\n127.0.1.1\t%s\n::1\tlocalhost\n' "$HOST" > /etc/hosts
	uid=$(free_id 4300)
	add_user alice "$uid" "$ALICE_PW" || return 1
	uid=$(free_id "$((uid + 1))")
	add_user bob "$uid" "$BOB_PW"
}
if ! pkg_setup > "$TEST_TMP/setup.log" 2>&1; then
	ok 1 "the private world is set up"
	diag "$(cat "$TEST_TMP/setup.log")"
	exit 1
fi
# The fresh /run hides the outer scratch folder: run() needs one here.
TEST_TMP=$W/tap
mkdir -p -m 0755 "$TEST_TMP"

# Every file on the disk a package could leave behind (dpkg's database
# included), by name.
files_on_disk() {
	find /etc /usr /var/lib /var/cache /opt 2>/dev/null | sort
}
common_sums() {
	sha256sum /etc/pam.d/common-*
}
listed() {	# PACKAGE PATH...: dpkg -L PACKAGE names every PATH
	local pkg=$1 path missing=""
	shift
	run dpkg -L "$pkg"
	for path in "$@"; do
		grep -qxF "$path" <<<"$out" || missing="$missing $path"
	done
	is "$missing" "" "dpkg -L $pkg lists$(printf ' %s' "$@")"
}
conffiles_of() {
	dpkg-query -W -f='${Conffiles}\n' "$1" | awk 'NF { print $1 }'
}
status_of() {
	dpkg-query -W -f='${Status}' "$1" 2>&1
}
signed_in() {
	ok "$([ "$rc" -eq 0 ] && [[ $transcript == *SIGNED-IN-AS-alice* ]] && echo 0 || echo 1)" \
		"$1: alice is signed in (exit 0, a shell as alice)" || diag "exit $rc; transcript:" "$transcript"
}

files_on_disk > "$W/files.before"
common_sums > "$W/common.before"

## Install.
run dpkg -i "${debs[@]}"
is "$rc" 0 "dpkg -i libpam-seckey, seckey, seckey-ldap" || diag "$out" "$err"
unlike "$out$err" 'warning|error' "dpkg -i: no warning, no error"
listed libpam-seckey "$SO" /usr/share/pam-configs/pam_seckey \
    /etc/security/pam_seckey.conf /usr/share/man/man8/pam_seckey.8.gz \
    /usr/share/man/man5/pam_seckey.conf.5.gz
listed seckey /usr/bin/seckey /usr/share/man/man1/seckey.1.gz \
    /usr/share/bash-completion/completions/seckey
listed seckey-ldap "$READER" "$LDAP_CONF" /usr/share/man/man8/seckey-keys-ldap.8.gz \
    /usr/share/seckey/ldap/seckey.schema /usr/share/seckey/ldap/seckey.ldif
is "$(conffiles_of libpam-seckey)" /etc/security/pam_seckey.conf \
    "the policy is libpam-seckey's conffile"
is "$(conffiles_of seckey-ldap)" "$LDAP_CONF" "seckey-ldap.conf is seckey-ldap's conffile"
ok "$(LC_ALL=C grep -qaF "$READER" "$SO" && [ -x "$READER" ] && echo 0 || echo 1)" \
    "the module runs the LDAP reader from where seckey-ldap puts it ($READER)"
run "$READER" --version
is "$rc" 0 "the installed reader runs" || diag "$out" "$err"

# The profile is in the stack, before pam_unix, and does nothing yet.
seckey_line=$(grep -n 'pam_seckey\.so' /etc/pam.d/common-auth | cut -d: -f1)
unix_line=$(grep -n 'pam_unix\.so' /etc/pam.d/common-auth | cut -d: -f1)
ok "$([ -n "$seckey_line" ] && [ -n "$unix_line" ] && [ "$seckey_line" -lt "$unix_line" ] && echo 0 || echo 1)" \
    "postinst put pam_seckey.so in common-auth, before pam_unix.so" ||
	diag "$(cat /etc/pam.d/common-auth)"

# alice registers her key with the installed seckey (root for her).
echo "$SHIM" > /etc/ld.so.preload
mkdir -p -m 0755 "$KEY_DIR"
if key_start && printf '%s\n%s\n' "$PIN" "$PIN" |
    setsid -w fido2-token -S "$KEY_DEV" >/dev/null 2>&1; then
	run sh -c "printf '%s\n' '$PIN' | seckey --user alice register --name 'Blue key' --device '$KEY_DEV'"
else
	rc=1 out="" err="the virtual key did not start: $(cat "$W/virtkey.log" 2>/dev/null)"
fi
is "$rc" 0 "/usr/bin/seckey registers alice's key" || diag "$out" "$err"
run seckey --user alice list
like "$out" 'Blue key' "seckey --user alice list shows it"
unplug_key
cp "$W/key.state" "$W/key.golden"

plug_key
dialog pkg-disabled "$PW_P" "$ALICE_PW" "$PW_P" "$STOP" "$PIN_P" "$STOP" -- "${SU_CMD[@]}"
signed_in "installed, enabled = false (as shipped), su"
ok "$([[ $transcript != *"$PIN_P"* ]] && [[ $transcript != *Insert* ]] && echo 0 || echo 1)" \
    "enabled = false: no PIN asked, no key mentioned, the password signs in" ||
	diag "$transcript"
is "$(retries)" 8 "enabled = false: the key's PIN retries are untouched"

## Enable: edit the conffile, as the administrator does.
sed -i 's/^#enabled = false$/enabled = true/' /etc/security/pam_seckey.conf
grep -qx 'enabled = true' /etc/security/pam_seckey.conf
ok $? "the shipped policy has '#enabled = false' to turn into 'enabled = true'"
plug_key
dialog pkg-enabled "$PIN_P" "$PIN" "$PIN_P" "$STOP" "$PW_P" "$STOP" -- "${SU_CMD[@]}"
signed_in "installed, enabled = true, su, the key's PIN"
ok "$([[ $transcript == *"$TOUCH"* ]] && [[ $transcript != *assword* ]] && echo 0 || echo 1)" \
    "enabled = true: the touch cue, no password asked" || diag "$transcript"
is "$(retries)" 8 "enabled = true: the right PIN spends no retry"
unplug_key
rm -f /etc/ld.so.preload
cp /etc/security/pam_seckey.conf "$W/policy.edited"
printf '# the administrator was here\n' >> "$LDAP_CONF"
cp "$LDAP_CONF" "$W/ldap.edited"

## Upgrade (the same version again): prerm upgrade keeps the module in
## the stack, dpkg keeps the edited conffiles without asking.
run dpkg -i "${debs[@]}"
is "$rc" 0 "dpkg -i again (an upgrade)" || diag "$out" "$err"
ok "$(cmp -s "$W/policy.edited" /etc/security/pam_seckey.conf &&
    cmp -s "$W/ldap.edited" "$LDAP_CONF" && echo 0 || echo 1)" \
    "the upgrade keeps both edited conffiles"
grep -q 'pam_seckey\.so' /etc/pam.d/common-auth
ok $? "the upgrade keeps pam_seckey.so in common-auth"

## Remove.  pam-auth-update is watched: when prerm takes the profile
## out, pam_seckey.so must still be on disk, so that no sign-in between
## the two steps meets a stack naming a file libpam cannot dlopen.
cp -p /usr/sbin/pam-auth-update "$W/pam-auth-update.real"
cat > /usr/sbin/pam-auth-update <<WATCH
#!/bin/sh
if [ -e "$SO" ]; then where=present; else where=absent; fi
echo "\$* (pam_seckey.so \$where)" >> "$W/pam-auth-update.calls"
exec /usr/bin/perl "$W/pam-auth-update.real" "\$@"
WATCH
run dpkg -r seckey-ldap seckey libpam-seckey
is "$rc" 0 "dpkg -r seckey-ldap seckey libpam-seckey" || diag "$out" "$err"
cp -p "$W/pam-auth-update.real" /usr/sbin/pam-auth-update
unlike "$out$err" 'warning|error|dlopen' "dpkg -r: no warning, no error"
is "$(cat "$W/pam-auth-update.calls" 2>&1)" \
    "--package --remove pam_seckey (pam_seckey.so present)" \
    "prerm took the profile out of the stack while pam_seckey.so was still there"
is "$(grep -l pam_seckey /etc/pam.d/common-*)" "" "no common-* file names pam_seckey any more"
ok "$([ ! -e "$SO" ] && [ ! -e /usr/bin/seckey ] && [ ! -e "$READER" ] && echo 0 || echo 1)" \
    "the module, seckey and the reader are gone"
ok "$(cmp -s "$W/policy.edited" /etc/security/pam_seckey.conf &&
    cmp -s "$W/ldap.edited" "$LDAP_CONF" && echo 0 || echo 1)" \
    "dpkg -r keeps the edited policy and seckey-ldap.conf"
is "$(status_of libpam-seckey)" "deinstall ok config-files" "libpam-seckey: removed, its conffile kept"
is "$(status_of seckey-ldap)" "deinstall ok config-files" "seckey-ldap: removed, its conffile kept"
is "$(status_of seckey)" "unknown ok not-installed" "seckey (no conffile): removed, nothing kept"

dialog pkg-removed "$PW_P" "$ALICE_PW" "$PW_P" "$STOP" "$PIN_P" "$STOP" -- "${SU_CMD[@]}"
signed_in "after dpkg -r, su with the password"

## Purge, with an offline cache as the module leaves it after a sign-in
## with keys = "ldap".
mkdir -m 0700 /var/cache/seckey && printf 'cached\n' > /var/cache/seckey/alice
run dpkg -P seckey-ldap libpam-seckey
is "$rc" 0 "dpkg -P seckey-ldap libpam-seckey" || diag "$out" "$err"
unlike "$out$err" 'warning|error' "dpkg -P: no warning, no error"
ok "$([ ! -e /etc/security/pam_seckey.conf ] && [ ! -e "$LDAP_CONF" ] && echo 0 || echo 1)" \
    "dpkg -P removes both conffiles"
ok "$([ ! -e /var/cache/seckey ] && echo 0 || echo 1)" \
    "dpkg -P removes the offline cache /var/cache/seckey"
for pkg in $PACKAGES; do
	run dpkg -L "$pkg"
	ok "$([ "$rc" -ne 0 ] && [[ $err == *"is not installed"* ]] && echo 0 || echo 1)" \
	    "dpkg -L $pkg: not installed" || diag "$out" "$err"
done
is "$(common_sums | diff "$W/common.before" - )" "" \
    "/etc/pam.d/common-* are byte for byte as before the install"
files_on_disk > "$W/files.after"
is "$(diff "$W/files.before" "$W/files.after")" "" \
    "not one file of the packages is left on disk (/etc, /usr, /var/lib, /var/cache)"

# The outer part adds the last test and the plan.
exit 0
