#!/bin/bash
# Signature counters kept between sign-ins (WebAuthn 7.2): a key whose
# counter goes back or stays equal is logged (counter_policy = "log") or
# refused and marked until "seckey unmark" ("deny"); a key whose counter
# is always 0 is not flagged; an unsafe record is refused; a caller that
# is not root signs in without updating the record; two sign-ins of one
# credential with the same counter do not both pass.  The clone is the
# real thing: a copy of the virtual key's state file.
. "$top_srcdir/tests/sh/tap.sh"
. "$top_srcdir/tests/sh/virtkey.sh"
. "$top_srcdir/tests/sh/pamenv.sh"
pam_env_check
. "$top_srcdir/tests/sh/seckeyenv.sh"
plan 61

state="$TEST_TMP/key"
clone="$TEST_TMP/clone"
AUDITLOG_LIB="$top_builddir/tests/progs/.libs/auditlog.so"
SECKEY_AUDIT_LOG="$TEST_TMP/audit.log"
export AUDITLOG_LIB SECKEY_AUDIT_LOG
# pam_wrapper has an audit_open() of its own (that fails): ours goes first.
PAMRUN_PRELOAD=$AUDITLOG_LIB
export PAMRUN_PRELOAD
signin='printf "1234\n" | "$PAMRUN" login alice authenticate'
is_root=no
[ "$(id -u)" -eq 0 ] && is_root=yes
# Does pam_seckey.so write audit records (configure found libaudit)?
with_audit=no
grep -q '^#define HAVE_LIBAUDIT 1' "$top_builddir/config.h" && with_audit=yes

alice_with_key "$state" || { echo "Bail out! cannot register a key on the virtual key"; exit 1; }
cred=$(sed -n 's/^  credential = "\(.*\)"$/\1/p' "$KEYS")
record="$STATE_DIR/counters/$( { printf '%s\0' "$RP"; printf '%s' "$cred" | base64 -d; } | sha256sum | cut -d' ' -f1)"
count_of() { sed -n 's/^counter //p' "$record"; }
key_count() { sed -n 's/^sign_count //p' "$1/key0.state"; }
set_key_count() { sed -i "s/^sign_count .*/sign_count $2/" "$1/key0.state"; }
audit_lines() { cat "$SECKEY_AUDIT_LOG" 2>/dev/null; }
# audit_like REGEX DESCRIPTION: the last audit record, where there is libaudit.
audit_like() {
	if [ "$with_audit" = yes ]; then
		like "$(audit_lines | tail -n 1)" "$1" "$2"
	else
		skip "pam_seckey.so is built without libaudit"
	fi
}
seckey_as_root() {
	env LD_PRELOAD="${SANITIZER_PRELOAD:+$SANITIZER_PRELOAD }$NSS_WRAPPER_LIB" \
	    NSS_WRAPPER_PASSWD="$PAM_PASSWD" NSS_WRAPPER_GROUP="$PAM_GROUP" \
	    "$top_builddir/seckey" --conf "$POLICY" "$@"
}

# --- the first sign-ins: a record is made, and kept -----------------------
vk --state "$state" -- "$signin"
like "$out" 'authenticate: PAM_SUCCESS$' "the first sign-in succeeds"
ok "$([ -f "$record" ] && echo 0 || echo 1)" "a record is made, named by the rp_id and credential id"
is "$(count_of)" "$(key_count "$state")" "it holds the key's counter"
like "$(sed -n 's/^last_use //p' "$record")" '^[1-9][0-9]{9}$' "and the time of the sign-in"
is "$(stat -c '%a %U' "$record")" "644 $(id -un)" "mode 0644, the caller's (root's in a real sign-in)"
is "$(stat -c %a "$STATE_DIR") $(stat -c %a "$STATE_DIR/counters")" "755 711" \
	"state_dir 0755, counters/ 0711: a user opens a record, lists none"
before=$(count_of)
vk --state "$state" -- "$signin"
like "$out" 'authenticate: PAM_SUCCESS$' "a second sign-in succeeds"
ok "$([ "$(count_of)" -gt "$before" ] && echo 0 || echo 1)" "the record follows the counter up"
unlike "$err" 'clone' "a counter that goes up is no clone"
is "$(audit_lines)" "" "and no audit record"

# --- a clone: the same counter, then one that goes back -------------------
cp -r "$state" "$clone"
vk --state "$state" -- "$signin"
like "$out" 'authenticate: PAM_SUCCESS$' "the original key signs in"
vk --state "$clone" -- "$signin"
like "$out" 'authenticate: PAM_SUCCESS$' "counter_policy log: the clone, with an equal counter, signs in"
like "$err" "suspected clone of security key \"Blue key\" \\(counter_policy = \"log\": signed in\\): $record: signature counter $(key_count "$clone") is not above $(key_count "$state"), the last one seen: a cloned key\\?" \
	"syslog: suspected clone, the counters and the record"
audit_like "^type=2110 op=seckey-counter acct=\"alice\" key=[0-9A-F]+ reason=[0-9A-F]+ .*res=success$" \
	"audit: ANOM_CRYPTO_FAIL op=seckey-counter, res=success"
set_key_count "$state" 1
vk --state "$state" -- "$signin"
like "$out" 'authenticate: PAM_SUCCESS$' "a counter that goes back: logged, signed in"
like "$err" 'suspected clone of security key "Blue key".*signature counter 3 is not above' "syslog says so"
stored=$(count_of)
ok "$([ "$stored" -gt 3 ] && echo 0 || echo 1)" "the record keeps the highest counter seen"

# --- counter_policy = "deny": refused, marked, until unmark ----------------
policy 'counter_policy = "deny"'
set_key_count "$state" 1
: > "$SECKEY_AUDIT_LOG"
vk --state "$state" -- "$signin"
like "$out" 'authenticate: PAM_AUTH_ERR$' "deny: a counter that goes back is refused"
like "$out" 'Your security key may have been copied: it is blocked until an administrator clears it\.' "the user is told"
like "$err" "user alice: refused and marked as a suspected clone \\(counter_policy = \"deny\"\\): security key \"Blue key\": $record: signature counter 3 is not above $stored" \
	"syslog: refused and marked, with the counters"
like "$(sed -n 's/^marked //p' "$record")" '^[1-9][0-9]{9}$' "the record is marked"
audit_like '^type=2110 op=seckey-counter acct="alice" .*res=failed$' "audit: op=seckey-counter, res=failed"
set_key_count "$state" 100000
vk --state "$state" -- "$signin"
like "$out" 'authenticate: PAM_AUTH_ERR$' "a marked credential is refused, whatever its counter"
unlike "$out" 'echo-off' "before the PIN is asked"
like "$err" 'refused a credential marked as a suspected clone: security key "Blue key": .*unmark NAME' "syslog says how to clear it"
audit_like '^type=1100 op=seckey-marked acct="alice" .*res=failed$' "audit: USER_AUTH op=seckey-marked"
run seckey_as_root --user alice unmark "Blue key"
is "$rc" 0 "root clears the mark with seckey --user alice unmark"
is "$err" 'seckey: cleared the mark of "Blue key" of alice: it signs in again, and its next sign-in starts a new count' "and is told"
is "$(sed -n 's/^marked //p;s/^counter //p' "$record" | paste -sd' ')" "0 0" "the mark and the counter are cleared"
set_key_count "$state" 5
vk --state "$state" -- "$signin"
like "$out" 'authenticate: PAM_SUCCESS$' "after unmark the key signs in again, from a new count"
is "$(count_of)" 7 "which the record keeps"
run seckey_as_root --user alice unmark "Blue key"
is "$err" 'seckey: "Blue key" of alice was not marked; its counter starts again at its next sign-in' "unmark of a key not marked says so"
sk_user_out=$(setpriv --reuid=4242 --regid=4242 --clear-groups -- env LD_PRELOAD="${SANITIZER_PRELOAD:+$SANITIZER_PRELOAD }$NSS_WRAPPER_LIB" \
	NSS_WRAPPER_PASSWD="$PAM_PASSWD" NSS_WRAPPER_GROUP="$PAM_GROUP" "$top_builddir/seckey" --conf "$POLICY" unmark "Blue key" 2>&1)
if [ "$is_root" = yes ]; then
	is "$sk_user_out" "seckey: only root may clear the mark of a credential (the signature counter records are root's)" \
		"a user may not clear a mark"
else
	skip "needs root to run seckey as another user"
fi

# --- a key whose counter is always 0 ----------------------------------------
pam_add_user bob 4343
keys_dir_for bob
zero="$TEST_TMP/zero"
vk --state "$zero" --counter zero -- 'printf "1234\n1234\n" | '"$NOTTY"' fido2-token -S "$DEV0" &&
	echo 1234 | "$ENROLL" --device "$DEV0" --rp "$RP" --name "Zero key" --out "'"$(keys_of bob)"'"'
keys_own bob
for i in 1 2 3; do
	vk --state "$zero" --counter zero -- 'printf "1234\n" | "$PAMRUN" login bob authenticate'
	like "$out" 'authenticate: PAM_SUCCESS$' "a key whose counter is always 0 signs in (sign-in $i, deny)"
	unlike "$err" 'clone' "and is not flagged (sign-in $i)"
done
zcred=$(sed -n 's/^  credential = "\(.*\)"$/\1/p' "$(keys_of bob)")
zrecord="$STATE_DIR/counters/$( { printf '%s\0' "$RP"; printf '%s' "$zcred" | base64 -d; } | sha256sum | cut -d' ' -f1)"
is "$(sed -n 's/^counter //p;s/^marked //p' "$zrecord" | paste -sd' ')" "0 0" "its record stays at 0, unmarked"

# --- unsafe or broken records are refused ------------------------------------
policy ""
good="$TEST_TMP/record.good"
cp -p "$record" "$good"
# unsafe WHAT WHY: the record as left by the caller is refused, and syslog
# says WHY (a regex).
unsafe() {
	vk --state "$state" -- "$signin"
	like "$out" 'authenticate: PAM_AUTHINFO_UNAVAIL$' "$1: refused"
	like "$err" "user alice: signature counter record refused for security key \"Blue key\": $2" "$1: syslog says why"
	rm -f "$record"
	cp -p "$good" "$record"
}
chmod 0666 "$record"
unsafe "a record writable by others" "$record: writable by group or others"
chmod 0620 "$record"
unsafe "a record writable by its group" "$record: writable by group or others"
mv "$record" "$record.real"
ln -s "$record.real" "$record"
unsafe "a record that is a symbolic link" "$record: is a symbolic link \\(refused\\)"
rm -f "$record.real"
if [ "$is_root" = yes ]; then
	chown 1234 "$record"
	unsafe "a record of another owner" "$record: owned by uid 1234, not by the user or root"
else
	skip "needs root to give the record away"
	skip "needs root to give the record away"
fi
printf 'counter 5\n' > "$record"
unsafe "a record that is not one" "$record:1: not a signature counter record \\(version 1\\): expected a comment"
chmod 0777 "$STATE_DIR/counters"
unsafe "a counters folder writable by all" "$STATE_DIR/counters: folder is writable by group or others"
chmod 0711 "$STATE_DIR/counters"
vk --state "$state" -- "$signin"
like "$out" 'authenticate: PAM_SUCCESS$' "the record put right, the key signs in again"

# --- a caller that is not root: a screen locker run as the user ----------
if [ "$is_root" = yes ]; then
	# The scratch folders must be open to alice (they are 0755).
	as_alice() {
		setpriv --reuid=4242 --regid=4242 --clear-groups -- "$@"
	}
	export -f as_alice
	cp -p "$record" "$good"
	vk --state "$state" -- 'printf "1234\n" | as_alice "$PAMRUN" login alice authenticate'
	like "$out" 'authenticate: PAM_SUCCESS$' "not root: signs in"
	like "$err" "user alice: signature counter record of security key \"Blue key\" not updated \\(not root\\): $record: permission denied" \
		"LOG_NOTICE: the record was not updated"
	cmp -s "$record" "$good"
	ok $? "the record is as it was"
	set_key_count "$state" 2
	vk --state "$state" -- 'printf "1234\n" | as_alice "$PAMRUN" login alice authenticate'
	like "$err" 'suspected clone of security key "Blue key"' "not root: a counter that goes back is still seen (the record is readable)"
	set_key_count "$state" 100000
	chmod 0700 "$STATE_DIR/counters"
	vk --state "$state" -- 'printf "1234\n" | as_alice "$PAMRUN" login alice authenticate'
	like "$out" 'authenticate: PAM_SUCCESS$' "not root, a record it cannot read: signs in"
	like "$err" "signature counter of security key \"Blue key\" not checked, its record cannot be read \\(not root\\): $record: permission denied" \
		"and says it was not checked"
	chmod 0711 "$STATE_DIR/counters"
else
	for i in $(seq 6); do skip "needs root to run the module as another user"; done
fi

# --- two sign-ins of one credential at once, with the same counter ----------
# The key and its clone, each with the same counter, sign in side by side:
# under the record's lock, one passes and the other is refused and marked.
policy 'counter_policy = "deny"'
rm -rf "$clone"
cp -r "$state" "$clone"
both="$TEST_TMP/both"
mkdir -p "$both"
for k in state clone; do
	"$WITH_VIRTKEY" --state "${!k}" -- bash -c "$signin" > "$both/$k.out" 2> "$both/$k.err" &
done
wait
results=$(cat "$both/state.out" "$both/clone.out" | sed -n 's/.*authenticate: //p' | sort | paste -sd' ')
is "$results" "PAM_AUTH_ERR PAM_SUCCESS" "two sign-ins with the same counter at once: one passes, one is refused"
like "$(cat "$both/state.err" "$both/clone.err")" 'refused and marked as a suspected clone' "the refused one is marked"

done_testing
