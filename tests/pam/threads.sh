#!/bin/bash
# A threaded PAM host (tests/progs/threads): several threads sign several users
# in at once, thousands of times, through the real libpam
# (pam_start_confdir, no pam_wrapper), with keys switched off and on.
# libconfuse's scanner is global, so the module must parse one file at
# a time; and as root a key list in a home is read with the user's groups,
# which must change on the reading thread only: a watcher thread checks
# its own groups and file system ids all along.
. "$top_srcdir/tests/sh/tap.sh"
. "$top_srcdir/tests/sh/virtkey.sh"
. "$top_srcdir/tests/sh/pamenv.sh"
pam_env_check
. "$top_srcdir/tests/sh/seckeyenv.sh"
THREADS="$top_builddir/tests/progs/threads"
[ -x "$THREADS" ] || plan_skip_all "tests/progs/threads is not built"
plan 14

# Fewer rounds under valgrind (make check-pam-valgrind), whose threads
# take turns; the sanitizer build runs the full count.
rounds=800 full_rounds=8
if [ -n "${PAMDRIVER_WRAPPER:-}" ]; then
	rounds=40 full_rounds=2
fi
nthreads=4

root=no
[ "$(id -u)" -eq 0 ] && root=yes

# Keys off: a policy of its own.
OFF_POLICY="$TEST_TMP/etc/off.conf"
printf 'enabled = false\nreset_services = {"passwd"}\nallowed_aaguids = {}\n' > "$OFF_POLICY"
chmod 0644 "$OFF_POLICY"
pam_service off "$(stack "conf=$OFF_POLICY")"

# Keys on: alice has a key on the virtual key; "empty" an empty list;
# "many" two keys where the policy allows one (the list is parsed, then
# refused whole); "evil" a list that libconfuse refuses, with a C1 CSI
# and a bidi override where its message quotes the file.
state="$TEST_TMP/state"
alice_with_key "$state" || { echo "Bail out! cannot register a key on the virtual key"; exit 1; }
policy 'max_keys = 1
reset_services = {"passwd", "chpasswd"}
allowed_aaguids = {}
pin_prompt = "Security key PIN: "'
pubkey=$(sed -n 's/^  public_key *= "\(.*\)"$/\1/p' "$KEYS")
entry() {
	printf 'key "%s" {\n  credential = "%s"\n  public_key = "%s"\n  algorithm = "es256"\n  aaguid = "86babe58-627a-45bd-885c-ff16bce5ed43"\n  transport = "usb"\n  created = "2026-11-26T08:00:00Z"\n}\n' \
		"$1" "$(head -c 48 /dev/urandom | base64 -w0)" "$pubkey"
}
pam_add_user empty 5001
keys_dir_for empty
: > "$(keys_of empty)"
keys_own empty
pam_add_user many 5002
keys_dir_for many
{ entry "First"; entry "Second"; } > "$(keys_of many)"
keys_own many
pam_add_user evil 5003
keys_dir_for evil
printf 'key "Blue" {\n  \xc2\x9b31m\xe2\x80\xaeevil = "x"\n}\n' > "$(keys_of evil)"
keys_own evil

# THREADS_RUN [--pin PIN] ROUNDS CASE...: tests/progs/threads with --watch in
# the test's world, on $nthreads threads.
THREADS_RUN="$TEST_TMP/threads-run"
cat > "$THREADS_RUN" <<RUN
#!/bin/bash
pin=()
[ "\$1" = --pin ] && { pin=(--pin "\$2"); shift 2; }
n=\$1
shift
exec \${PAMDRIVER_WRAPPER:-} env LD_PRELOAD="\${SANITIZER_PRELOAD:+\$SANITIZER_PRELOAD }$NSS_WRAPPER_LIB\${LD_PRELOAD:+ \$LD_PRELOAD}" \\
	NSS_WRAPPER_PASSWD="$PAM_PASSWD" NSS_WRAPPER_GROUP="$PAM_GROUP" \\
	"$THREADS" --watch "\${pin[@]}" \\
	"$PAM_SERVICE_DIR" "\$n" $nthreads "\$@"
RUN
chmod 0755 "$THREADS_RUN"
# count WORD: the number tests/progs/threads printed after WORD: a PAM code's
# count is 0 when not printed; the last three lines are always printed,
# unless the program died ("none").
count() {
	local n
	n=$(sed -n "s/^$1 //p" <<<"$out")
	case $1 in
	PAM_*) echo "${n:-0}" ;;
	*) echo "${n:-none}" ;;
	esac
}

# PAM_IGNORE shows as PAM_NO_MODULE_DATA: see stack() in seckeyenv.sh.
quick=(
	off:alice:PAM_NO_MODULE_DATA
	off:empty:PAM_NO_MODULE_DATA
	login:empty:PAM_AUTH_ERR
	login:many:PAM_AUTHINFO_UNAVAIL
	passwd:many:PAM_NO_MODULE_DATA
	login:evil:PAM_AUTHINFO_UNAVAIL
)
start=$(date +%s)
run "$THREADS_RUN" "$rounds" "${quick[@]}"
secs=$(( $(date +%s) - start ))
total=$((rounds * nthreads))
is "$rc" 0 "$total sign-ins on $nthreads threads: the run ends well (took $secs s)"
[ "$rc" -eq 0 ] || diag "$err"
is "$(count mismatches)" 0 "every sign-in ends with its expected code"
is "$(count PAM_SERVICE_ERR)" 0 "no spurious configuration error"
is "$(( $(count PAM_NO_MODULE_DATA) + $(count PAM_AUTH_ERR) + $(count PAM_AUTHINFO_UNAVAIL) ))" \
	"$total" "all $total sign-ins counted"
if [ "$root" = yes ]; then
	is "$(count group-changes)" 0 "the watcher's groups never changed while key lists were read as their owners"
	is "$(count fsid-changes)" 0 "nor its file system ids"
else
	skip "reading a key list as its owner needs root"
	skip "reading a key list as its owner needs root"
fi
unlike "$err" 'set twice|cfg_yylex|fatal flex' "no parser error on stderr"

# Full sign-ins on the virtual key among the quick ones.
mixed=(
	login:alice:PAM_SUCCESS
	off:alice:PAM_NO_MODULE_DATA
	login:empty:PAM_AUTH_ERR
	login:evil:PAM_AUTHINFO_UNAVAIL
)
vk --state "$state" -- "'$THREADS_RUN' --pin 1234 $full_rounds ${mixed[*]} > '$TEST_TMP/mixed.out'"
mixed_out=$(cat "$TEST_TMP/mixed.out" 2>/dev/null)
is "$rc" 0 "full sign-ins with PIN and touch on the virtual key among them"
[ "$rc" -eq 0 ] || diag "$err"
out=$mixed_out
is "$(count mismatches)" 0 "each with its expected code"
is "$(count PAM_SUCCESS)" $((full_rounds * nthreads / 4)) \
	"$((full_rounds * nthreads / 4)) sign-ins succeeded"
if [ "$root" = yes ]; then
	is "$(count group-changes)" 0 "the watcher's groups never changed"
else
	skip "reading a key list as its owner needs root"
fi

# The refused list's syslog line (pamdriver, one thread): no raw C1 or
# bidi byte, the escapes in their place.
run "$PAMRUN" login evil authenticate
like "$out" 'authenticate: PAM_AUTHINFO_UNAVAIL$' "the list with control characters is refused"
like "$err" "no such option '\\\\u009b31m\\\\u202eevil'" "syslog shows them escaped"
ok "$(LC_ALL=C grep -q $'\xc2\x9b\|\xe2\x80\xae' <<<"$err" && echo 1 || echo 0)" "and holds no raw C1 or bidi character"
