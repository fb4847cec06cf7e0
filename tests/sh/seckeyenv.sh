# seckeyenv.sh: a world for signing in with pam_seckey.so (sourced after
# tap.sh, virtkey.sh and pamenv.sh).
#
#   POLICY                  the policy file; write it with policy "LINES"
#   policy LINES            writes POLICY (enabled, rp_id pam://test.host,
#                           timeout 3 and state_dir STATE_DIR unless
#                           LINES set them) and LINES
#   STATE_DIR               the policy's state_dir: the signature counter
#                           records (never the machine's /var/lib/seckey)
#   keys_of USER            the path of USER's key list
#   PAMRUN SERVICE USER OP  pamdriver under pam_wrapper and nss_wrapper:
#                           prompts and the PAM code on stdout, the
#                           module's syslog lines on stderr
#   ENROLL                  tests/progs/enroll-key
#   alice_with_key STATE    user alice, the test policy, and her key "Blue
#                           key" (PIN 1234) on a virtual key kept in STATE
#   PAMRUN_PRELOAD          (environment) libraries PAMRUN preloads before
#                           pam_wrapper's, for a function it also defines
#                           (audit_open: tests/progs/auditlog.c)
#   PAMDRIVER_WRAPPER       (environment) a command PAMRUN runs pamdriver
#                           under, such as valgrind (make check-pam-valgrind)
#   timed_vk ARGS...        vk with ARGS; sets ms to the time it took
#   in_time WHAT            passes when ms is within DEADLINE_MS
#
# Services: "login" and "passwd" (auth and password), "debug-login" (with
# the debug argument).  libpam turns a stack in which every module said
# PAM_IGNORE into PAM_PERM_DENIED, so to see the module's own PAM_IGNORE
# each stack sends it on to pam_debug, which answers PAM_NO_MODULE_DATA,
# a code pam_seckey never returns; PAMRUN prints that as PAM_IGNORE.

MODULE="$top_builddir/pam_module/.libs/pam_seckey.so"
PAMDRIVER="$top_builddir/tests/progs/pamdriver"
ENROLL="$top_srcdir/tests/progs/enroll-key"
RP=pam://test.host
[ -x "$PAMDRIVER" ] && [ -f "$MODULE" ] || plan_skip_all "pam_seckey.so is not built"

mkdir -p "$TEST_TMP/etc"
chmod 0755 "$TEST_TMP/etc"
POLICY="$TEST_TMP/etc/pam_seckey.conf"

# How long a sign-in that must give up after the policy's 3 s may take,
# starting the virtual keys and pamdriver included: 2 s more, or 12 s
# under PAMDRIVER_WRAPPER (valgrind starts and runs pamdriver many times
# slower).  The bound is there to catch a sign-in that waits for the
# key's own 30 s touch timeout, or forever; it measures no speed.
DEADLINE_MS=5000
[ -z "${PAMDRIVER_WRAPPER:-}" ] || DEADLINE_MS=15000

timed_vk() {
	local start
	start=$(date +%s%N)
	vk "$@"
	ms=$(( ($(date +%s%N) - start) / 1000000 ))
}

in_time() {
	ok "$([ "$ms" -le "$DEADLINE_MS" ] && echo 0 || echo 1)" \
		"$1 (took $ms ms, at most $DEADLINE_MS)"
}

STATE_DIR="$TEST_TMP/state"
export STATE_DIR
policy() {
	local timeout="timeout = 3" state="state_dir = \"$STATE_DIR\""
	case "$1" in *timeout*) timeout="" ;; esac
	case "$1" in *state_dir*) state="" ;; esac
	printf 'enabled = true\nrp_id = "%s"\n%s\n%s\n%s\n' "$RP" "$timeout" "$1" "$state" > "$POLICY"
	chmod 0644 "$POLICY"
}

keys_of() {
	printf '%s/.config/seckey/keys.conf' "$PAM_HOMES/$1"
}

# Creates the key list folder of USER, owned by USER.
keys_dir_for() {
	local dir
	dir=$(dirname "$(keys_of "$1")")
	mkdir -p "$dir"
	chmod 0700 "$dir" "$(dirname "$dir")"
	if [ "$(id -u)" -eq 0 ]; then
		chown -R "$(awk -F: -v u="$1" '$1 == u { print $3 ":" $4 }' "$PAM_PASSWD")" \
			"$PAM_HOMES/$1"
	fi
}

# Hands USER's key list to USER, mode 0600, as seckey would leave it.
keys_own() {
	chmod 0600 "$(keys_of "$1")"
	keys_dir_for "$1"
}

PAM_DEBUG_MODULE="$(dirname "$PAM_DENY")/pam_debug.so"
[ -f "$PAM_DEBUG_MODULE" ] || plan_skip_all "pam_debug.so is not installed"
# stack ARGS: pam_seckey.so with ARGS, its PAM_IGNORE made visible.
stack() {
	printf '%s\n' \
	    "auth [ignore=ignore default=done] $MODULE $1" \
	    "auth requisite $PAM_DEBUG_MODULE auth=no_module_data" \
	    "password [ignore=ignore default=done] $MODULE $1" \
	    "password requisite $PAM_DEBUG_MODULE prechauthtok=no_module_data chauthtok=no_module_data"
}
# alice_with_key STATE: user alice (uid 4242), the policy at the test
# defaults, and one key "Blue key" with PIN 1234 on the virtual key whose
# state is kept in STATE, registered with fido2-cred; sets KEYS.  Returns
# non-zero if the registration failed.
alice_with_key() {
	pam_add_user alice 4242
	keys_dir_for alice
	KEYS=$(keys_of alice)
	export KEYS
	policy ""
	vk --state "$1" -- 'printf "1234\n1234\n" | '"$NOTTY"' fido2-token -S "$DEV0" &&
		echo 1234 | "$ENROLL" --device "$DEV0" --rp "$RP" --name "Blue key" --out "$KEYS"'
	keys_own alice
	[ "$rc" -eq 0 ]
}

pam_service login "$(stack "conf=$POLICY")"
pam_service passwd "$(stack "conf=$POLICY")"
pam_service debug-login "$(stack "conf=$POLICY debug")"

PAMRUN="$TEST_TMP/pamrun"
cat > "$PAMRUN" <<RUN
#!/bin/bash
# pamdriver in this test's PAM world, with whatever LD_PRELOAD it is given.
exec \${PAMDRIVER_WRAPPER:-} env LD_PRELOAD="\${SANITIZER_PRELOAD:+\$SANITIZER_PRELOAD }\${PAMRUN_PRELOAD:+\$PAMRUN_PRELOAD }$PAM_WRAPPER_LIB $NSS_WRAPPER_LIB\${LD_PRELOAD:+ \$LD_PRELOAD}" \\
	PAM_WRAPPER=1 PAM_WRAPPER_SERVICE_DIR="$PAM_SERVICE_DIR" \\
	PAM_WRAPPER_DISABLE_DEEPBIND=1 PAM_WRAPPER_DEBUGLEVEL=\${PAM_WRAPPER_DEBUGLEVEL:-2} \\
	NSS_WRAPPER_PASSWD="$PAM_PASSWD" NSS_WRAPPER_GROUP="$PAM_GROUP" \\
	"$PAMDRIVER" "\$@" | sed 's/: PAM_NO_MODULE_DATA\$/: PAM_IGNORE/'
RUN
chmod 0755 "$PAMRUN"
export PAMRUN ENROLL RP
