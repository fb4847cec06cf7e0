#!/bin/bash
# allowed_aaguids against the model the key itself reports (getInfo), not
# the key list's field, which the user may edit: a list edited to claim
# an allowed model is refused, a key of a refused model is refused
# whatever its list says, a list that names another model than the key
# that answered is refused, all before the PIN, logged and audited.  The
# check costs one getInfo, and only when allowed_aaguids is set.
. "$top_srcdir/tests/sh/tap.sh"
. "$top_srcdir/tests/sh/virtkey.sh"
. "$top_srcdir/tests/sh/pamenv.sh"
pam_env_check
. "$top_srcdir/tests/sh/seckeyenv.sh"
plan 25

state="$TEST_TMP/key"
logs="$TEST_TMP/logs"
VK_MODEL=86babe58-627a-45bd-885c-ff16bce5ed43
YUBIKEY=2fc0579f-8113-47ea-b116-bb5a8db9202a
OTHER=11111111-2222-4333-8444-555555555555
AUDITLOG_LIB="$top_builddir/tests/progs/.libs/auditlog.so"
SECKEY_AUDIT_LOG="$TEST_TMP/audit.log"
PAMRUN_PRELOAD=$AUDITLOG_LIB
export SECKEY_AUDIT_LOG PAMRUN_PRELOAD
signin='printf "1234\n" | "$PAMRUN" login alice authenticate'
with_audit=no
grep -q '^#define HAVE_LIBAUDIT 1' "$top_builddir/config.h" && with_audit=yes
audit_like() {
	if [ "$with_audit" = yes ]; then
		like "$(tail -n 1 "$SECKEY_AUDIT_LOG" 2>/dev/null)" "$1" "$2"
	else
		skip "pam_seckey.so is built without libaudit"
	fi
}
ctap_commands() { sed -n 's/^[0-9]* CBOR \([A-Za-z.]*\).*/\1/p' "$1" | paste -sd' '; }
# list_says AAGUID: alice's list, with its aaguid field edited.
list_says() {
	sed "s/^  aaguid *= .*/  aaguid = \"$1\"/" "$TEST_TMP/good" > "$KEYS"
	keys_own alice
}

alice_with_key "$state" || { echo "Bail out! cannot register a key on the virtual key"; exit 1; }
cp "$KEYS" "$TEST_TMP/good"
grep -Eq "^  aaguid *= \"$VK_MODEL\"" "$KEYS"
ok $? "the list records the model the key attested at registration"

# --- the cost: one getInfo, only when allowed_aaguids is set --------------
rm -rf "$logs"
vk --state "$state" --log-dir "$logs" -- "$signin"
like "$out" 'authenticate: PAM_SUCCESS$' "no allowed_aaguids: signs in"
is "$(ctap_commands "$logs/key0.log")" "getInfo getAssertion clientPIN.getKeyAgreement clientPIN.getPinUvAuthTokenUsingPinWithPermissions getAssertion" \
	"no allowed_aaguids: no command more than before (the getInfo is libfido2's, opening the key)"
policy "allowed_aaguids = {\"$VK_MODEL\"}"
rm -rf "$logs"
vk --state "$state" --log-dir "$logs" -- "$signin"
like "$out" 'authenticate: PAM_SUCCESS$' "the model allowed: signs in"
is "$(ctap_commands "$logs/key0.log")" "getInfo getAssertion getInfo clientPIN.getKeyAgreement clientPIN.getPinUvAuthTokenUsingPinWithPermissions getAssertion" \
	"allowed_aaguids set: one getInfo more, after the probe, for the model the key reports"

# --- a list edited to claim an allowed model --------------------------------
policy "allowed_aaguids = {\"$YUBIKEY\"}"
list_says "$YUBIKEY"
vk --state "$state" -- "$signin"
like "$out" 'authenticate: PAM_AUTH_ERR$' "a list edited to name an allowed model: refused"
unlike "$out" 'echo-off' "before the PIN is asked"
like "$out" 'error: This model of security key is not allowed here\.' "the user is told"
like "$err" "user alice: refused a model allowed_aaguids does not accept: security key \"Blue key\": the security key at [^ ]+ reports model $VK_MODEL, which allowed_aaguids does not accept \\(its key list entry says $YUBIKEY\\)" \
	"syslog: LOG_WARNING with user, key name and both models"
like "$err" 'PWRAP_WARN.*refused a model' "at LOG_WARNING"
audit_like "^type=1100 op=seckey-model acct=\"alice\" key=[0-9A-F]+ reason=[0-9A-F]+ .*res=failed$" \
	"audit: USER_AUTH op=seckey-model, res=failed"
if [ "$with_audit" = yes ]; then
	reason=$(tail -n 1 "$SECKEY_AUDIT_LOG" | sed 's/.* reason=\([0-9A-F]*\) .*/\1/' | xxd -r -p)
	like "$reason" "reports model $VK_MODEL" "the audit reason names the reported model"
else
	skip "pam_seckey.so is built without libaudit"
fi

# --- a key of a model the policy refuses, whatever the list says ----------
policy "allowed_aaguids = {\"$VK_MODEL\"}"
list_says "$VK_MODEL"
vk --state "$state" --aaguid "$OTHER" -- "$signin"
like "$out" 'authenticate: PAM_AUTH_ERR$' "a key that reports a refused model: refused, though its list names an allowed one"
unlike "$out" 'echo-off' "before the PIN"
like "$err" "reports model $OTHER, which allowed_aaguids does not accept \\(its key list entry says $VK_MODEL\\)" "syslog names both"
vk --state "$state" --aaguid "$OTHER" -- 'fido2-token -I "$DEV0" | grep aaguid'
like "$out" "aaguid: ${OTHER//-/}" "the virtual key reports the --aaguid model to fido2-token"

# --- both models allowed, but not the one the list names -------------------
policy "allowed_aaguids = {\"$VK_MODEL\", \"$YUBIKEY\"}"
list_says "$YUBIKEY"
: > "$SECKEY_AUDIT_LOG"
vk --state "$state" -- "$signin"
like "$out" 'authenticate: PAM_AUTH_ERR$' "a list that names another allowed model than the key's: refused"
unlike "$out" 'echo-off' "before the PIN"
like "$out" 'error: Your security key does not match its registration; see the system log\.' "the user is told"
like "$err" "user alice: refused: the key list names another model than the one that answered for security key \"Blue key\": the key list entry says model $YUBIKEY, but the security key at [^ ]+ that answered for it reports $VK_MODEL" \
	"syslog: LOG_WARNING with both models"
audit_like '^type=1100 op=seckey-model acct="alice" .*res=failed$' "audit: op=seckey-model"

# --- without allowed_aaguids the list's field decides nothing -------------
policy ""
vk --state "$state" -- "$signin"
like "$out" 'authenticate: PAM_SUCCESS$' "no allowed_aaguids: the model is not checked, the list's field is a label"

# --- seckey test says the same -----------------------------------------------
policy "allowed_aaguids = {\"$YUBIKEY\"}"
list_says "$YUBIKEY"
if [ "$(id -u)" -eq 0 ]; then
	vk --state "$state" -- 'printf "1234\n" | env LD_PRELOAD="${SANITIZER_PRELOAD:+$SANITIZER_PRELOAD }'"$NSS_WRAPPER_LIB"' $LD_PRELOAD" \
		NSS_WRAPPER_PASSWD="'"$PAM_PASSWD"'" NSS_WRAPPER_GROUP="'"$PAM_GROUP"'" "'"$top_builddir/seckey"'" --conf "'"$POLICY"'" --user alice test'
	is "$rc" 1 "seckey test refuses it too"
	like "$err" "seckey: refused: the security key at [^ ]+ reports model $VK_MODEL, which allowed_aaguids does not accept" "and says why"
else
	skip "seckey --user alice needs root"
	skip "seckey --user alice needs root"
fi

# --- the right list again ----------------------------------------------------
list_says "$VK_MODEL"
policy "allowed_aaguids = {\"$VK_MODEL\"}"
vk --state "$state" -- "$signin"
like "$out" 'authenticate: PAM_SUCCESS$' "the list as registered, the model allowed: signs in"

done_testing
