#!/bin/bash
# seckey-keys-ldap against a private slapd: keys found (with our metadata
# and in SSSD's bare form), no keys, no such user, a stopped and a frozen
# server, StartTLS and ldaps with the right and a wrong CA, hostile
# answers, filter injection, the binds, an unsafe configuration, and the
# shipped ACL (a user writes their own values, nobody else's).
. "$top_srcdir/tests/sh/tap.sh"
. "$top_srcdir/tests/sh/slapd.sh"
slapd_require
plan 57

READER="$top_builddir/ldap/seckey-keys-ldap"
DUMP="$top_builddir/tests/progs/keylist-dump"
conf="$TEST_TMP/seckey-ldap.conf"
secret="$TEST_TMP/reader.secret"

slapd_start
ok $? "a private slapd starts" || { done_testing; }

# A credential: a random id and a fresh P-256 key (DER SPKI), base64.
new_cred() {
	local id spki
	id=$(head -c 32 /dev/urandom | base64 -w0)
	spki=$(openssl ecparam -name prime256v1 -genkey -noout 2>/dev/null |
		openssl pkey -pubout -outform DER 2>/dev/null | base64 -w0)
	echo "passkey:$id,$spki"
}
# Our metadata in the third field (lib/seckey_passkey.h).
with_meta() {
	local meta
	meta=$(printf 'seckey=1\nname=%s\ncreated=2026-11-26T08:00:00Z\naaguid=2fc0579f-8113-47ea-b116-bb5a8db9202a\nalg=es256\ntransport=nfc\n' "$2" | base64 -w0)
	echo "$1,$meta"
}

write_conf() {
	printf '%s\n' "$@" >"$conf"
	chmod 0644 "$conf"
}
reader_conf() {
	write_conf "uri = {\"$SLAPD_LDAPI\"}" "base = \"$SLAPD_SUFFIX\"" \
		"bind_dn = \"$SLAPD_READER_DN\"" \
		"bind_password_file = \"$secret\"" "$@"
}
printf '%s\n' "$SLAPD_READER_PW" >"$secret"
chmod 0600 "$secret"
reader_conf
read_keys() {
	run "$READER" --conf "$conf" "$1"
}

# --- keys found --------------------------------------------------------
blue=$(with_meta "$(new_cred)" "Blue key")
bare=$(new_cred)
slapd_add_user alice "$blue" "$bare"
bob_value=$(new_cred)
slapd_add_user bob "$bob_value"
slapd_add_user carol
read_keys alice
is "$rc" 0 "alice's keys are found (exit 0)"
unlike "$err" "." "and nothing is said on stderr"
printf '%s\n' "$out" >"$TEST_TMP/alice.keys"
run "$DUMP" <"$TEST_TMP/alice.keys"
is "$rc" 0 "the output is a key list lib/ parses"
is "$(wc -l <<<"$out")" 2 "with two keys"
blue_fields=$(IFS=, read -r id pk _ <<<"${blue#passkey:}"; printf '%s\t%s' "$id" "$pk")
bare_fields=$(IFS=, read -r id pk <<<"${bare#passkey:}"; printf '%s\t%s' "$id" "$pk")
is "$(sed -n 1p <<<"$out")" "Blue key	$blue_fields	es256	2fc0579f-8113-47ea-b116-bb5a8db9202a	nfc	2026-11-26T08:00:00Z" \
	"the value with metadata keeps its name, model, transport and date"
is "$(sed -n 2p <<<"$out")" "Security key 1	$bare_fields	es256	00000000-0000-0000-0000-000000000000	usb	1970-01-01T00:00:00Z" \
	"the bare SSSD value gets a generated name and neutral fields"

read_keys carol
is "$rc" 0 "a user without values: exit 0"
run "$DUMP" <<<"$out"
is "$rc:$out" "0:" "and an empty key list"

read_keys nobody-here
is "$rc" 10 "no such user: exit 10"
unlike "$err" "nobody-here" "and the name is not printed"

# --- filter injection ----------------------------------------------------
for name in '*' 'a*' 'a)(uid=*' '*)(|(uid=*' 'alice)(uid=bob' 'x\2a'; do
	read_keys "$name"
	is "$rc:$out" "10:" "the user name '$name' finds nothing"
done

# --- binds and configuration -----------------------------------------------
chmod 0644 "$secret"
read_keys alice
is "$rc:$out" "12:" "a password file others may read is refused (12)"
like "$err" "readable by group or others" "and says why"
chmod 0600 "$secret"
printf 'wrong\n' >"$TEST_TMP/wrong.secret"; chmod 0600 "$TEST_TMP/wrong.secret"
write_conf "uri = {\"$SLAPD_LDAPI\"}" "base = \"$SLAPD_SUFFIX\"" \
	"bind_dn = \"$SLAPD_READER_DN\"" "bind_password_file = \"$TEST_TMP/wrong.secret\""
read_keys alice
is "$rc" 12 "a wrong bind password is a configuration error (12)"
write_conf "uri = {\"$SLAPD_LDAPI\"}" "base = \"$SLAPD_SUFFIX\""
read_keys alice
is "$rc:$out" "12:" "anonymous may not see the base under the test's ACL (12)"
like "$err" "No such object" "and the server's answer is shown"
write_conf "uri = {\"$SLAPD_LDAPI\"}" "base = \"$SLAPD_SUFFIX\"" \
	'sasl_mech = "EXTERNAL"'
read_keys alice
is "$rc" 0 "SASL EXTERNAL over ldapi (mapped to the reader's DN)"
like "$out" "Blue key" "reads alice's keys"

reader_conf
chmod 0664 "$conf"
read_keys alice
is "$rc:$out" "12:" "a group-writable ldap_conf is refused (12)"
chmod 0644 "$conf"
if [ "$(id -u)" -eq 0 ]; then
	chown nobody "$conf"
	read_keys alice
	is "$rc:$out" "12:" "an ldap_conf not owned by root is refused (12)"
	like "$err" "owned by uid" "and says why"
	chown 0 "$conf"
else
	skip "an ldap_conf not owned by root: needs root"
	skip "an ldap_conf not owned by root: needs root"
fi
run "$READER" --conf "$TEST_TMP/none.conf" alice
is "$rc" 12 "a missing ldap_conf is a configuration error (12)"
write_conf "uri = {\"$SLAPD_LDAPI\"}" "base = \"$SLAPD_SUFFIX\"" "colour = 1"
read_keys alice
is "$rc" 12 "an unknown option is refused (12)"
run "$READER" --conf "$conf"
is "$rc" 12 "no user name: usage (12)"

# --- TLS -------------------------------------------------------------------
tls_conf() {
	write_conf "uri = {\"$1\"}" "base = \"$SLAPD_SUFFIX\"" \
		"bind_dn = \"$SLAPD_READER_DN\"" \
		"bind_password_file = \"$secret\"" "tls_ca_file = \"$2\"" "${@:3}"
}
tls_conf "ldap://127.0.0.1:$SLAPD_PORT" "$SLAPD_CA" "starttls = true"
read_keys alice
is "$rc" 0 "StartTLS with the test CA"
tls_conf "ldap://127.0.0.1:$SLAPD_PORT" "$SLAPD_OTHER_CA" "starttls = true"
read_keys alice
is "$rc:$out" "11:" "StartTLS with a wrong CA fails (11)"
tls_conf "ldaps://127.0.0.1:$SLAPD_TLS_PORT" "$SLAPD_CA"
read_keys alice
is "$rc" 0 "ldaps with the test CA"
tls_conf "ldaps://127.0.0.1:$SLAPD_TLS_PORT" "$SLAPD_OTHER_CA"
read_keys alice
is "$rc:$out" "11:" "ldaps with a wrong CA fails (11)"
write_conf "uri = {\"ldap://127.0.0.1:$SLAPD_PORT\"}" "base = \"$SLAPD_SUFFIX\"" \
	"bind_dn = \"$SLAPD_READER_DN\"" "bind_password_file = \"$secret\""
read_keys alice
is "$rc" 12 "a password over ldap:// without StartTLS is refused (12)"

# --- hostile answers ---------------------------------------------------------
reader_conf
hostile() {
	local what=$1
	shift
	slapd_set_values mallory passkey "$@"
	read_keys mallory
	is "$rc:$out" "13:" "refused (13), nothing printed: $what"
}
slapd_add_user mallory
hostile "a value of 5000 bytes" "passkey:$(head -c 3750 /dev/urandom | base64 -w0),AAAA"
hostile "garbage" "passkey:not base64!,@@@"
hostile "a value without passkey: prefix" "garbage"
values=()
for i in $(seq 11); do values+=("$(new_cred)"); done
hostile "11 keys" "${values[@]}"
dup=$(new_cred)
hostile "the same credential twice" "$dup" "$(with_meta "$dup" "Other name")"
hostile "the same name twice" "$(with_meta "$(new_cred)" "Twin")" \
	"$(with_meta "$(new_cred)" "Twin")"
slapd_set_values mallory passkey "$(new_cred)"
slapd_set_values mallory description "passkey:$(head -c 8 /dev/urandom | base64 -w0),junk"
read_keys mallory
is "$rc" 0 "a value in another attribute is ignored"
run "$DUMP" <<<"$out"
is "$(wc -l <<<"$out")" 1 "only the passkey attribute's key is listed"
printf 'dn: cn=mallory2,%s\nobjectClass: inetOrgPerson\nobjectClass: posixAccount\ncn: mallory2\nsn: m\nuid: mallory\nuidNumber: 5\ngidNumber: 5\nhomeDirectory: /\n' \
	"$SLAPD_SUFFIX" | slapd_admin ldapadd >/dev/null
read_keys mallory
is "$rc:$out" "13:" "two entries for one user are refused (13)"

# --- the shipped ACL ---------------------------------------------------------
as_user() {
	local who=$1
	shift
	ldapmodify -x -H "$SLAPD_LDAPI" -D "$(slapd_user_dn "$who")" -w "$who-pw" "$@"
}
new=$(new_cred)
modify_as() {
	local who=$1 dn=$2 op=$3 attr=$4 value=$5
	run as_user "$who" < <(printf 'dn: %s\nchangetype: modify\n%s: %s\n%s: %s\n' \
		"$dn" "$op" "$attr" "$attr" "$value")
}
modify_as alice "$(slapd_user_dn alice)" add passkey "$new"
is "$rc" 0 "alice adds a passkey value to her own entry"
read_keys alice
is "$(run "$DUMP" <<<"$out"; wc -l <<<"$out")" 3 "the reader sees it"
modify_as alice "$(slapd_user_dn alice)" delete passkey "$new"
is "$rc" 0 "and she deletes it"
modify_as alice "$(slapd_user_dn bob)" add passkey "$(new_cred)"
is "$rc" 50 "alice cannot add a value to bob's entry (insufficient access)"
modify_as alice "$(slapd_user_dn bob)" delete passkey "$bob_value"
is "$rc" 50 "nor delete bob's values"
modify_as alice "$(slapd_user_dn alice)" replace uidNumber 0
is "$rc" 50 "nor change another attribute of her own"
run ldapsearch -LLL -x -H "$SLAPD_LDAPI" -D "$(slapd_user_dn alice)" -w alice-pw \
	-b "$(slapd_user_dn bob)" passkey
unlike "$out" "passkey:" "alice cannot read bob's values"
run ldapsearch -LLL -x -H "$SLAPD_LDAPI" -b "$SLAPD_SUFFIX" "(uid=alice)" passkey
unlike "$out" "passkey:" "anonymous cannot read them"

# --- unavailable ---------------------------------------------------------------
reader_conf "timeout = 2"
kill -STOP "$SLAPD_PID"
start=$(date +%s)
read_keys alice
took=$(($(date +%s) - start))
is "$rc:$out" "11:" "a frozen slapd: unavailable (11)"
ok "$([ "$took" -ge 1 ] && [ "$took" -le 5 ] && echo 0 || echo 1)" \
	"after about the timeout (2 s; took $took s)"
write_conf "uri = {\"$SLAPD_LDAPI\", \"ldaps://127.0.0.1:$SLAPD_TLS_PORT\"}" \
	"base = \"$SLAPD_SUFFIX\"" "bind_dn = \"$SLAPD_READER_DN\"" \
	"bind_password_file = \"$secret\"" "tls_ca_file = \"$SLAPD_CA\"" "timeout = 1"
read_keys alice
is "$rc" 11 "two frozen servers: each is tried, then 11"
kill -CONT "$SLAPD_PID"
reader_conf
slapd_stop
start=$(date +%s)
read_keys alice
took=$(($(date +%s) - start))
is "$rc:$out" "11:" "a stopped slapd: unavailable (11)"
ok "$([ "$took" -le 1 ] && echo 0 || echo 1)" "at once (took $took s)"

done_testing
