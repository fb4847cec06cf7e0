#!/bin/bash
# Attestation chained to the maker: "seckey mds import" of test FIDO MDS3
# BLOBs (signed by a test root made here, never fetched), the store it
# leaves, and "seckey register" under attestation = "verify" with the
# virtual key attesting through a test CA, an unknown CA or itself.
. "$top_srcdir/tests/sh/tap.sh"
. "$top_srcdir/tests/sh/virtkey.sh"
. "$top_srcdir/tests/sh/seckeycli.sh"
. "$top_srcdir/tests/sh/mds.sh"
[ "$(id -u)" -eq 0 ] || plan_skip_all "needs root: a policy of its own and a root-owned metadata store"
plan 69

pki="$TEST_TMP/pki"
state_dir="$TEST_TMP/var/seckey"
store="$state_dir/mds/metadata"
vkstate="$TEST_TMP/vk"
keys=$(keys_of "$SK_USER")
mds_pki "$pki" || bail_out "cannot make the test PKI with openssl"
export pki keys

# BLOBs: the virtual key's model trusted through the maker's root, a
# second model, and the variants each test needs.
vk_good=$(mds_entry "$VK_AAGUID" "Virtual Key by pam_seckey (test metadata)" "$pki/maker-root.pem" FIDO_CERTIFIED_L1)
other=$(mds_entry 2fc0579f-8113-47ea-b116-bb5a8db9202a "Another model" "$pki/rogue-root.pem" FIDO_CERTIFIED_L2)
vk_revoked=$(mds_entry "$VK_AAGUID" "Virtual Key by pam_seckey" "$pki/maker-root.pem" FIDO_CERTIFIED_L1 REVOKED)
vk_uvbypass=$(mds_entry "$VK_AAGUID" "Virtual Key by pam_seckey" "$pki/maker-root.pem" USER_VERIFICATION_BYPASS FIDO_CERTIFIED_L1)
blobs="$TEST_TMP/blobs"
mkdir -p "$blobs"
mds_blob "$pki" "$blobs/good-10" 10 "$vk_good,$other"
mds_blob "$pki" "$blobs/bad-sig" 11 "$vk_good" mds-signer --bad-sig
mds_blob "$pki" "$blobs/other-root" 11 "$vk_good" other-signer
mds_blob "$pki" "$blobs/older-9" 9 "$vk_good"
mds_blob "$pki" "$blobs/rsa-11" 11 "$vk_good,$other" mds-signer-rsa
mds_blob "$pki" "$blobs/pss-12" 12 "$vk_good,$other" mds-signer-rsa --pss
mds_blob "$pki" "$blobs/revoked-13" 13 "$vk_revoked"
mds_blob "$pki" "$blobs/uvbypass-14" 14 "$vk_uvbypass"
mds_blob "$pki" "$blobs/without-vk-15" 15 "$other"
mds_blob "$pki" "$blobs/good-16" 16 "$vk_good,$other"

sk_policy "state_dir = \"$state_dir\""
import() { run sk mds import "$@"; }

# --- import ------------------------------------------------------------
run sk --help
like "$out" 'seckey mds import FILE --root ROOT.pem' "seckey --help lists mds import"
run sk mds import --help
like "$out" '^usage: seckey mds import FILE --root ROOT.pem \[--user USER\] \[--conf PATH\]' "mds import --help shows its usage"
run sk mds export
is "$rc" 2 "an unknown mds command is a usage error"
grep -q 'Ic mds import' "$top_srcdir/man/seckey.1"
ok $? "seckey.1 covers mds import"
complete_words() {	# WORDS...: what <TAB> offers after them
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _seckey
		printf "%s\n" "${COMPREPLY[@]}"' complete "$top_srcdir/helper/seckey.bash-completion" "$@"
}
is "$(complete_words seckey md)" "mds" "bash completion offers mds"
is "$(complete_words seckey mds '')" "import" "and its import"
is "$(complete_words seckey mds import blob.jwt --r)" "--root" "and --root"

import "$blobs/good-10"
is "$rc" 2 "mds import without --root is a usage error"
like "$err" '--root ROOT.pem is needed' "and says that the FIDO root must be given"
ok "$([ ! -e "$store" ] && echo 0 || echo 1)" "nothing is written"

import "$blobs/good-10" --root "$pki/fido-root.pem"
is "$rc" 0 "a BLOB signed under the test FIDO root is imported"
is "$err" "seckey: imported metadata BLOB number 10 (2 models with an AAGUID, next update 2099-01-01) into $store" \
	"with its number, models and next update"
is "$(stat -c '%U %a' "$store")" "root 644" "the store is root's, mode 0644"
is "$(stat -c '%a' "$state_dir/mds"):$(stat -c '%a' "$state_dir")" "755:755" "in folders of mode 0755 made for it"
like "$(cat "$store")" "entry $VK_AAGUID FIDO_CERTIFIED_L1 Virtual Key by pam_seckey \\(test metadata\\)" \
	"it keeps the model, its status and description"
grep -qxF "root $(cert_b64 "$pki/maker-root.pem")" "$store"
ok $? "and the model's attestation root"
cp "$store" "$TEST_TMP/store.10"

import "$blobs/bad-sig" --root "$pki/fido-root.pem"
is "$rc" 1 "a BLOB with a bad signature is refused"
is "$err" "seckey: the BLOB does not verify, nothing was imported: the JWS signature does not verify" \
	"and the message says so"
cmp -s "$store" "$TEST_TMP/store.10"
ok $? "the store is unchanged"

import "$blobs/other-root" --root "$pki/fido-root.pem"
is "$rc" 1 "a BLOB signed under another root is refused"
like "$err" "the BLOB's signing certificate does not chain to a trusted root" "because its chain does not reach the FIDO root"
cmp -s "$store" "$TEST_TMP/store.10"
ok $? "the store is unchanged"

import "$blobs/older-9" --root "$pki/fido-root.pem"
is "$rc" 1 "an older BLOB (a lower number) is refused"
like "$err" 'serial number \(no\) 9 is below the one already imported, 10' "as a rollback"
cmp -s "$store" "$TEST_TMP/store.10"
ok $? "the store is unchanged"

import "$blobs/good-10" --root "$pki/fido-root.pem"
is "$rc" 0 "the same BLOB again is accepted"
like "$err" 'it is the BLOB already imported' "and recognised"

import "$blobs/rsa-11" --root "$pki/fido-root.pem"
is "$rc" 0 "an RS256 BLOB is imported"
import "$blobs/pss-12" --root "$pki/fido-root.pem"
is "$rc" 0 "a PS256 BLOB is imported"
like "$(sed -n 2p "$store")" '^serial 12$' "the store holds the newest number"

printf 'not a JWS\n' > "$TEST_TMP/garbage"
import "$TEST_TMP/garbage" --root "$pki/fido-root.pem"
is "$rc" 1 "a file that is no JWS is refused"
like "$err" 'not a metadata BLOB this seckey can read, nothing was imported' "with a plain message"

run sk_as 2001 mds import "$blobs/good-16" --root "$pki/fido-root.pem"
is "$err" "seckey: only root may import metadata" "an ordinary user cannot import"

# --- seckey devices names the model from the metadata -----------------------
vk --state "$vkstate" -- 'set_pin 1234 && sk devices'
like "$out" 'usb +Virtual Key by pam_seckey \(test metadata\) +yes +8' "seckey devices shows the model's description"

# --- registration with attestation = "verify" --------------------------------
sk_policy "state_dir = \"$state_dir\"
attestation = \"verify\""
CA="$pki/maker-ca.pem,$pki/maker-ca.key"
ROGUE="$pki/rogue-root.pem,$pki/rogue-root.key"

vk --state "$vkstate" --attest-ca "$CA" -- 'printf "1234\n" | sk register --name Trusted'
is "$rc" 0 "a key attesting under the maker's CA is registered"
is "$(key_names "$keys")" "Trusted" "and is in the key list"
run sk delete --yes Trusted
is "$rc" 0 "(deleted again, so that the key can be registered again)"

cp "$keys" "$TEST_TMP/keys.before"
vk --state "$vkstate" --attest-ca "$ROGUE" -- 'printf "1234\n" | sk register --name Rogue'
is "$rc" 1 "a key attesting under an unknown CA is refused"
like "$err" 'seckey: the attestation of this security key is not trusted \(attestation = "verify"\): the attestation certificate does not chain to a trusted root' \
	"and the message says why"
cmp -s "$keys" "$TEST_TMP/keys.before"
ok $? "the key list is unchanged"

vk --state "$vkstate" -- 'printf "1234\n" | sk register --name Default'
is "$rc" 1 "the key's own self-signed attestation certificate is refused"

vk --state "$vkstate" --attest-self -- 'printf "1234\n" | sk register --name Self'
is "$rc" 1 "self attestation is refused"
like "$err" 'the security key attests itself \(self attestation, no certificate\)' "and named"

import "$blobs/revoked-13" --root "$pki/fido-root.pem"
is "$rc" 0 "(a BLOB that revokes the model)"
# The refusal is also an audit record (tests/progs/auditlog.c stands in
# for the kernel's audit log).
SK_PRELOAD="$top_builddir/tests/progs/.libs/auditlog.so" SECKEY_AUDIT_LOG="$TEST_TMP/audit.log" \
	vk --state "$vkstate" --attest-ca "$CA" -- 'printf "1234\n" | sk register --name Revoked'
is "$rc" 1 "a model the metadata marks REVOKED is refused"
like "$err" 'seckey: the metadata marks this security key model as revoked or compromised \(the metadata says REVOKED for this model' \
	"with its status"
if grep -q '^#define HAVE_LIBAUDIT 1' "$top_builddir/config.h"; then
	# The reason holds spaces, so libaudit writes it in hex: "REVOKED"
	# is 5245564F4B4544.
	like "$(cat "$TEST_TMP/audit.log" 2>/dev/null)" "^type=[0-9]+ op=seckey-attestation acct=\"?$SK_USER\"? .*reason=[0-9A-F]*5245564F4B4544[0-9A-F]* .*res=failed\$" \
		"and an audit record of the refused attestation"
else
	skip "seckey is built without libaudit"
fi

import "$blobs/uvbypass-14" --root "$pki/fido-root.pem"
vk --state "$vkstate" --attest-ca "$CA" -- 'printf "1234\n" | sk register --name Bypass'
is "$rc" 1 "a model with USER_VERIFICATION_BYPASS is refused, even after a later status"
like "$err" 'USER_VERIFICATION_BYPASS' "which is named"

import "$blobs/without-vk-15" --root "$pki/fido-root.pem"
vk --state "$vkstate" --attest-ca "$CA" -- 'printf "1234\n" | sk register --name Unlisted'
is "$rc" 1 "a model the metadata does not list is refused"
like "$err" "the model of this security key \\(AAGUID $VK_AAGUID\\) is not in the metadata" "and the AAGUID is named"
cmp -s "$keys" "$TEST_TMP/keys.before"
ok $? "no refused key reached the key list"

# --- the PEM bundle of attestation roots ---------------------------------------
cat "$pki/maker-root.pem" > "$TEST_TMP/etc/roots.pem"
chmod 0644 "$TEST_TMP/etc/roots.pem"
sk_policy "state_dir = \"$state_dir\"
attestation = \"verify\"
attestation_roots = \"$TEST_TMP/etc/roots.pem\""
vk --state "$vkstate" --attest-ca "$CA" -- 'printf "1234\n" | sk register --name Bundled'
is "$rc" 0 "a model the metadata does not list is trusted through attestation_roots"
vk --state "$vkstate" --attest-ca "$ROGUE" -- 'printf "1234\n" | sk register --name Rogue'
is "$rc" 1 "but not under another CA"
run sk delete --yes Bundled

import "$blobs/revoked-13" --root "$pki/fido-root.pem"
is "$rc" 1 "(a rollback to the revoking BLOB is refused)"
import "$blobs/good-16" --root "$pki/fido-root.pem"
rm -f "$TEST_TMP/etc/roots.pem"
mv "$store" "$TEST_TMP/store.16"

# --- no trust at all ---------------------------------------------------------
vk --state "$vkstate" --log-dir "$TEST_TMP/logs" --attest-ca "$CA" -- 'printf "1234\n" | sk register --name Nothing'
is "$rc" 1 "with neither metadata nor roots, verify refuses"
like "$err" 'attestation = "verify" needs the metadata of "seckey mds import" \('"$store"'\) or roots in attestation_roots' \
	"and says what to provide"
unlike "$(cat "$TEST_TMP/logs/key0.log" 2>/dev/null)" 'makeCredential|clientPIN' "before the key is asked for anything"

# --- the store must be safe ---------------------------------------------------
mv "$TEST_TMP/store.16" "$store"
vk --state "$vkstate" --attest-ca "$CA" -- 'printf "1234\n" | sk register --name Safe'
is "$rc" 0 "with the store back, the key registers"
run sk delete --yes Safe

mv "$store" "$store.real" && ln -s "$store.real" "$store"
vk --state "$vkstate" --attest-ca "$CA" -- 'printf "1234\n" | sk register --name Linked'
is "$rc" 1 "a store that is a symbolic link is refused"
like "$err" "seckey: $store: " "naming the file"
rm -f "$store" && mv "$store.real" "$store"

chown 2001 "$store"
vk --state "$vkstate" --attest-ca "$CA" -- 'printf "1234\n" | sk register --name Foreign'
is "$rc" 1 "a store owned by another user is refused"
like "$err" "$store: owned by uid 2001" "with its owner"
vk --state "$vkstate" -- 'sk devices'
like "$err" "warning: the metadata is not used: $store: owned by uid 2001" "seckey devices warns and goes on"
like "$out" 'usb +pam_seckey Virtual Security Key +yes +8$' "naming the model as the device does, without it"
chown 0 "$store"

chmod 0664 "$store"
vk --state "$vkstate" --attest-ca "$CA" -- 'printf "1234\n" | sk register --name Writable'
is "$rc" 1 "a group-writable store is refused"
like "$err" "$store: writable by group or others" "and said so"
chmod 0644 "$store"

chmod 0777 "$state_dir/mds"
vk --state "$vkstate" --attest-ca "$CA" -- 'printf "1234\n" | sk register --name Folder'
is "$rc" 1 "a store in a folder others may write is refused"
chmod 0755 "$state_dir/mds"

cmp -s "$keys" "$TEST_TMP/keys.before"
ok $? "the key list still holds none of the refused keys"

done_testing
