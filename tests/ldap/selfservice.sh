#!/bin/bash
# keys = "ldap": users change their own keys in the directory with
# seckey, binding with their own directory password; root does it for
# them with the administrator bind of seckey-ldap.conf.  Against a
# private slapd with the shipped schema and ACL: register (one SSSD-form
# value, and pam_seckey.so signs in with it), list, rename, delete, the
# 11th key, a wrong password, a stopped server, a change made meanwhile
# (the edit mode driven directly), another user's entry, root's writes
# (and the offline cache), a FreeIPA value kept byte for byte, and
# --print-mapping, which only prints.
#
# seckey and the module run the reader at its installed path: the test
# runs in a private mount namespace (tests/sh/readerns.sh).
. "$top_srcdir/tests/sh/readerns.sh"
reader_ns_enter "$0" "$@" || { echo "1..0 # SKIP $READER_NS_SKIP"; exit 0; }

. "$top_srcdir/tests/sh/tap.sh"
. "$top_srcdir/tests/sh/virtkey.sh"
. "$top_srcdir/tests/sh/pamenv.sh"
pam_env_check
. "$top_srcdir/tests/sh/seckeyenv.sh"
. "$top_srcdir/tests/sh/slapd.sh"
slapd_require
reader_ns_install "$TEST_TMP/ov" "$MODULE" || plan_skip_all "$READER_NS_SKIP"
plan 62

state="$TEST_TMP/key"	# the virtual key; $TEST_TMP/state is the policy's state_dir
signin='printf "1234\n" | "$PAMRUN" login alice authenticate'
pam_add_nobody
pam_add_user alice 4242
pam_add_user bob 4343
NSS_WRAPPER_LIB=$(ls /usr/lib/*/libnss_wrapper.so 2>/dev/null | head -n 1)

slapd_start
ok $? "a private slapd starts" || { done_testing; }
slapd_add_user alice
slapd_add_user bob
ALICE_DN=$(slapd_user_dn alice)

# The reader's bind (nobody's password file), the users' own DNs (the
# test directory lets no one look them up anonymously) and the
# administrator's bind for root (root's password file), over ldaps.
chmod 0711 "$TEST_TMP"
slapd_reader_files "$TEST_TMP/ldap"
printf '%s\n' "$SLAPD_ROOTPW" > "$LDAPDIR/admin.secret"
chmod 0600 "$LDAPDIR/admin.secret"
ldap_conf() {
	slapd_reader_conf "admin_bind_dn = \"$SLAPD_ROOTDN\"" \
		"admin_bind_password_file = \"$LDAPDIR/admin.secret\""
}
ldap_conf
CACHE="$TEST_TMP/cache"
policy "keys = \"ldap\"
ldap_conf = \"$LDAPCONF\"
keys_cache = \"$CACHE\"
keys_command_timeout = 20"

# seckey as root, and as the ordinary user UID.
sk() {
	env LD_PRELOAD="${SANITIZER_PRELOAD:+$SANITIZER_PRELOAD }$NSS_WRAPPER_LIB${LD_PRELOAD:+ $LD_PRELOAD}" \
	    NSS_WRAPPER_PASSWD="$PAM_PASSWD" NSS_WRAPPER_GROUP="$PAM_GROUP" \
	    ${SECKEY_WRAPPER:-} "$top_builddir/seckey" --conf "$POLICY" "$@"
}
sk_as() {
	local uid=$1
	shift
	setpriv --reuid="$uid" --regid="$uid" --clear-groups -- \
	    env LD_PRELOAD="${SANITIZER_PRELOAD:+$SANITIZER_PRELOAD }$NSS_WRAPPER_LIB${LD_PRELOAD:+ $LD_PRELOAD}" \
	    NSS_WRAPPER_PASSWD="$PAM_PASSWD" NSS_WRAPPER_GROUP="$PAM_GROUP" \
	    ${SECKEY_WRAPPER:-} "$top_builddir/seckey" --conf "$POLICY" "$@"
}
set_pin() {
	printf '%s\n%s\n' "$1" "$1" | setsid -w fido2-token -S "${2:-$DEV0}" >/dev/null 2>&1
}
export -f sk sk_as set_pin
export NSS_WRAPPER_LIB PAM_PASSWD PAM_GROUP POLICY SECKEY_WRAPPER SANITIZER_PRELOAD

# alice's values, one a line, as the administrator sees them.
values() {
	slapd_admin ldapsearch -LLL -o ldif-wrap=no -b "$ALICE_DN" -s base passkey |
		sed -n 's/^passkey: //p'
}

# --- register, list, sign in ---------------------------------------------------
vk --state "$state" -- 'set_pin 1234 && printf "alice-pw\n1234\n" | sk_as 4242 register --name "Blue key"'
is "$rc" 0 "alice registers a key through the directory with her password"
like "$err" 'Directory password for alice:' "seckey asks for her directory password"
like "$err" 'registered "Blue key"' "and says the key is registered"
is "$(values | wc -l)" 1 "the entry holds exactly one value"
like "$(values)" '^passkey:[A-Za-z0-9+/=]+,[A-Za-z0-9+/=]+,[A-Za-z0-9+/=]+$' \
	"in SSSD's form, our metadata third"
first=$(values)
pubkey=$(values | cut -d, -f2)

vk --state "$state" -- "$signin"
like "$out" 'authenticate: PAM_SUCCESS$' "pam_seckey.so with keys = ldap signs her in with it"
like "$err" 'signed in with security key "Blue key"' "under its name"

run sk_as 4242 list <<<"alice-pw"
is "$rc" 0 "alice lists her keys through her own bind"
like "$out" 'Blue key' "and sees it"

# --- rename ---------------------------------------------------------------------
run sk_as 4242 rename "Blue key" "Green key" <<<"alice-pw"
is "$rc" 0 "alice renames it"
is "$(values | wc -l)" 1 "still one value"
ok "$([ "$(values)" != "$first" ] && echo 0 || echo 1)" "the value changed"
is "$(values | cut -d, -f1-2)" "$(echo "$first" | cut -d, -f1-2)" "the credential and public key did not"
vk --state "$state" -- "$signin"
like "$err" 'signed in with security key "Green key"' "sign-in still works, under the new name"

# --- a wrong password, a stopped server -----------------------------------------
before=$(values)
run sk_as 4242 rename "Green key" "Red key" <<<"not-her-password"
is "$rc" 1 "a wrong password is refused"
like "$err" 'seckey: the directory refused the password of alice; nothing was changed' "and seckey says so"
is "$(values)" "$before" "nothing was written"

slapd_stop
run sk_as 4242 rename "Green key" "Red key" <<<"alice-pw"
is "$rc" 1 "slapd stopped: a change is refused"
like "$err" 'seckey: the directory cannot be used \(.*exited with status 11\); nothing was changed' \
	"with a clear message"
ok "$([ ! -e "$CACHE/alice" ] || ! grep -q 'Red key' "$CACHE/alice"; echo $?)" \
	"and nothing went to the offline cache"
slapd_launch
[ -n "$SLAPD_PID" ] || diag "slapd did not start again"
ldap_conf
is "$(values)" "$before" "nothing was written in the directory"

# --- a change made meanwhile: the edit mode driven directly ------------------------
# ed_start UID USER [PASSWORD]: the edit mode as UID; reads the list into
# ed_list.  ed_finish TEXT: sends TEXT and the end line; ed_rc, ed_err.
ed_start() {
	local uid=$1 user=$2 line
	coproc ED { setpriv --reuid="$uid" --regid="$uid" --clear-groups -- \
		timeout 60 "$SECKEY_KEYS_LDAP" --conf "$LDAPCONF" --edit "$user" 2>"$TEST_TMP/ed.err"; }
	ed_pid=$ED_PID
	[ -z "${3:-}" ] || printf '%s\n' "$3" >&"${ED[1]}"
	ed_list=""
	while IFS= read -r -u "${ED[0]}" line; do
		[ "$line" = "%end" ] && break
		ed_list+="$line"$'\n'
	done
}
ed_finish() {
	printf '%s%%end\n' "$1" >&"${ED[1]}"
	eval "exec ${ED[1]}>&-"
	wait "$ed_pid"
	ed_rc=$?
	ed_err=$(cat "$TEST_TMP/ed.err")
}

ed_start 4242 alice alice-pw
like "$ed_list" 'key "Green key"' "the edit mode prints alice's list under her bind"
other="passkey:$(head -c 32 /dev/urandom | base64 -w0),$pubkey"
printf 'dn: %s\nchangetype: modify\nadd: passkey\npasskey: %s\n' "$ALICE_DN" "$other" |
	slapd_admin ldapmodify >/dev/null
ed_finish "${ed_list//Green key/Renamed key}"
is "$ed_rc" 15 "a value added meanwhile: 'changed meanwhile' (status 15)"
like "$ed_err" 'the entry changed since it was read: nothing written' "and it says so"
is "$(values | grep -c .)" 2 "nothing of the edit was written"
ok "$(values | grep -qF "$before"; echo $?)" "alice's value is as it was"

ed_start 4242 alice alice-pw
printf 'dn: %s\nchangetype: modify\ndelete: passkey\npasskey: %s\n' "$ALICE_DN" "$other" |
	slapd_admin ldapmodify >/dev/null
ed_finish "$ed_list"$'\nkey "x" {\n}\n'
is "$ed_rc" 12 "a new list that does not parse is refused (status 12)"
is "$(values)" "$before" "and nothing was written"

ed_start 4242 alice alice-pw
eval "exec ${ED[1]}>&-"
wait "$ed_pid"
is "$?" 17 "input that ends before the end line: nothing written (status 17)"
is "$(values)" "$before" "the entry is as it was"

# --- another user's entry ----------------------------------------------------------
run ldapmodify -x -H "$SLAPD_LDAPI" -D "$ALICE_DN" -w alice-pw <<EOF
dn: $(slapd_user_dn bob)
changetype: modify
add: passkey
passkey: $other
EOF
is "$rc" 50 "alice's bind cannot write bob's values (the shipped ACL)"
like "$err" 'Insufficient access' "the directory says insufficient access"
run sk_as 4242 --user bob delete --yes "Green key" <<<"alice-pw"
is "$rc" 1 "seckey as alice refuses --user bob"
like "$err" 'only root may manage the keys of another' "and says only root may"

# --- delete --------------------------------------------------------------------------
run sk_as 4242 delete --yes "Green key" <<<"alice-pw"
is "$rc" 0 "alice deletes her key"
is "$(values | grep -c .)" 0 "the entry holds no value"
vk --state "$state" -- "$signin"
like "$out" 'authenticate: PAM_AUTH_ERR$' "sign-in is then refused as for no key"
like "$err" 'no security key registered' "syslog says no key is registered"

# --- --print-mapping only prints --------------------------------------------------------
vk --state "$state" -- 'printf "alice-pw\n1234\n" | sk_as 4242 register --name "Printed" --print-mapping'
is "$rc" 0 "register --print-mapping works with keys = ldap"
like "$out" '^passkey:[A-Za-z0-9+/=]+,[A-Za-z0-9+/=]+,[A-Za-z0-9+/=]+$' "and prints one value"
like "$err" 'nothing was written' "says nothing was written"
is "$(values | grep -c .)" 0 "and the directory holds no value"

# --- a FreeIPA value is kept byte for byte --------------------------------------------------
bare="passkey:$(head -c 32 /dev/urandom | base64 -w0),$pubkey"
slapd_set_values alice passkey "$bare"
vk --state "$state" -- 'printf "alice-pw\n1234\n" | sk_as 4242 register --name "Blue key"'
is "$rc" 0 "alice registers a key next to a FreeIPA value (no metadata)"
is "$(values | grep -c .)" 2 "the entry holds both"
ok "$(values | grep -qxF "$bare"; echo $?)" "the FreeIPA value is byte for byte as it was"
run sk_as 4242 list <<<"alice-pw"
like "$out" 'Security key 1' "it is listed under a generated name"

# --- the 11th key ---------------------------------------------------------------------------
filler=("$bare" "$(values | grep -vxF "$bare")")
for i in $(seq 8); do
	filler+=("passkey:$(head -c 32 /dev/urandom | base64 -w0),$pubkey")
done
slapd_set_values alice passkey "${filler[@]}"
vk --state "$state" -- 'printf "alice-pw\n1234\n" | sk_as 4242 register --name "Eleventh"'
is "$rc" 1 "an 11th key is refused"
like "$err" 'already has 10 security keys registered' "seckey says the list is full"
unlike "$err" 'Security key PIN' "before the PIN is asked"
is "$(values | grep -c .)" 10 "nothing was written"
ed_start 4242 alice alice-pw
eleven="$ed_list"$'key "Eleventh" {\n  credential = "'"$(head -c 32 /dev/urandom | base64 -w0)"$'"\n  public_key = "'"$pubkey"$'"\n  algorithm = "es256"\n  aaguid = "00000000-0000-0000-0000-000000000000"\n  transport = "usb"\n  created = "2026-12-01T00:00:00Z"\n}\n'
ed_finish "$eleven"
is "$ed_rc" 12 "the edit mode refuses a new list of 11 keys"
is "$(values | grep -c .)" 10 "and writes nothing"

# --- root, with the administrator bind ---------------------------------------------------------
slapd_set_values alice passkey "$bare"
vk --state "$state" -- 'printf "1234\n" | sk --user alice register --name "Red key"'
is "$rc" 0 "root registers a key for alice with the administrator bind"
unlike "$err" 'Directory password' "without asking for a password"
is "$(values | grep -c .)" 2 "the entry holds it"
ok "$(grep -q 'key "Red key"' "$CACHE/alice"; echo $?)" "and root's offline cache has it at once"
run sk --user alice delete --yes "Red key"
is "$rc" 0 "root deletes it"
is "$(values)" "$bare" "the entry holds the FreeIPA value alone, as it was"
ok "$(grep -q 'Red key' "$CACHE/alice"; [ $? -ne 0 ] && echo 0 || echo 1)" \
	"and the offline cache no longer has the deleted key"
sed -i '/^admin_/d' "$LDAPCONF"
run sk --user alice delete --yes "Security key 1"
is "$rc" 1 "root without an administrator bind is refused"
like "$err" 'root changes keys in the directory with an administrator bind' "and told what to set"

done_testing
