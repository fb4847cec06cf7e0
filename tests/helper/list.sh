#!/bin/bash
# seckey list, rename and delete: the table, the JSON form, and every
# refusal, checked against the key list on disk.
. "$top_srcdir/tests/sh/tap.sh"
. "$top_srcdir/tests/sh/virtkey.sh"
. "$top_srcdir/tests/sh/seckeycli.sh"
plan 55

state="$TEST_TMP/state"
keys=$(keys_of "$SK_USER")

run sk list
is "$rc" 0 "list with no key list at all succeeds"
is "$out" "" "prints nothing on standard output"
is "$err" "seckey: $SK_USER has no security keys registered" "and says so on stderr"
run sk list --json
is "$out" "{
  \"version\": 1,
  \"user\": \"$SK_USER\",
  \"keys_file\": \"$keys\",
  \"max_keys\": 10,
  \"keys\": []
}" "the JSON form of an empty list"

vk --state "$state" --keys 2 --transport usb,nfc -- 'set_pin 1234 && set_pin 1234 "$DEV1" &&
	printf "1234\n" | sk register --device "$DEV0" &&
	printf "1234\n" | sk register --device "$DEV1" --name "Grüne Taste"'
is "$rc" 0 "two keys are registered"

run sk list
is "$rc" 0 "list succeeds"
like "$out" '^NAME            MODEL                                 TRANSPORT  REGISTERED            LAST USE
Security key 1  86babe58-627a-45bd-885c-ff16bce5ed43  usb        [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z  never
Grüne Taste     86babe58-627a-45bd-885c-ff16bce5ed43  nfc        [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z  never$' \
	"and shows name, model, transport, date and last use (never), aligned by characters"
is "$err" "" "with nothing on stderr"

run sk list --json
is "$rc" 0 "list --json succeeds"
if command -v python3 >/dev/null; then
	json_check=$(printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert sorted(d) == ["keys", "keys_file", "max_keys", "user", "version"], sorted(d)
for k in d["keys"]:
    assert sorted(k) == ["aaguid", "algorithm", "created", "credential", "last_use", "marked", "model", "name", "transport"], sorted(k)
print(d["version"], d["user"], d["max_keys"], len(d["keys"]))
for k in d["keys"]:
    print(k["name"], k["model"], k["aaguid"], k["transport"], k["algorithm"], k["created"][-1], k["last_use"], k["marked"])
')
	is "$json_check" "1 $SK_USER 10 2
Security key 1 None 86babe58-627a-45bd-885c-ff16bce5ed43 usb es256 Z never False
Grüne Taste None 86babe58-627a-45bd-885c-ff16bce5ed43 nfc es256 Z never False" \
		"it parses as JSON with exactly the documented members"
	cred=$(printf '%s' "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["keys"][0]["credential"])')
	is "$cred" "$(sed -n '0,/credential/s/^  credential = "\(.*\)"$/\1/p' "$keys")" "credential is the id in the list"
else
	skip "python3 is not installed"
	skip "python3 is not installed"
fi

# --- rename ----------------------------------------------------------------
cp "$keys" "$TEST_TMP/keys.before"
run sk rename "Security key 1" "Blue key"
is "$rc" 0 "rename succeeds"
is "$err" 'seckey: renamed "Security key 1" to "Blue key"' "and says so"
is "$(key_names "$keys" | tr '\n' '|')" "Blue key|Grüne Taste|" "the list has the new name, in place"
is "$(diff "$TEST_TMP/keys.before" "$keys" | grep -c '^[<>]')" 2 "and nothing else changed"

cp "$keys" "$TEST_TMP/keys.before"
run sk rename "Nope" "Other"
is "$rc" 1 "renaming a key that does not exist is refused"
is "$err" "seckey: $SK_USER has no key named \"Nope\" (see \"seckey list\")" "with its name"
run sk rename "Blue key" "Grüne Taste"
is "$rc" 1 "renaming to a name in use is refused"
is "$err" 'seckey: a key named "Grüne Taste" is already registered' "with the name"
run sk rename "Blue key" "Blue key"
is "$rc" 1 "renaming a key to its own name is refused too"
is "$err" 'seckey: a key named "Blue key" is already registered' "as a name in use"
run sk rename "Blue key" ' padded'
is "$rc" 2 "a name with a space at one end is a usage error"
like "$err" '^seckey: a key name is 1 to 64 printable characters' "that explains the rule"
run sk rename "Blue key" "$(printf 'x%.0s' $(seq 65))"
is "$rc" 2 "so is a name of 65 characters"
run sk rename "Blue key"
is "$rc" 2 "rename needs two names"
cmp -s "$keys" "$TEST_TMP/keys.before"
ok $? "no refused rename changed the list"

# --- delete ----------------------------------------------------------------
run sk delete "Nope"
is "$rc" 1 "deleting a key that does not exist is refused"
is "$err" "seckey: $SK_USER has no key named \"Nope\" (see \"seckey list\")" "with its name"
run sk delete
is "$rc" 2 "delete needs a name"
cmp -s "$keys" "$TEST_TMP/keys.before"
ok $? "the list is unchanged"

vk --state "$state" -- 'sk delete "Blue key" </dev/null'
is "$rc" 0 "delete without a terminal does not ask"
is "$err" 'seckey: deleted "Blue key"; the security key itself still holds the credential: register it again with "seckey register", or erase it with "seckey reset"' \
	"the key plugged in holds the credential: it says so, and what to do about it"
is "$(key_names "$keys")" "Grüne Taste" "the entry is gone from the list"
is "$(stat -c %a "$keys")" 600 "which keeps mode 0600"

vk --state "$state" --keys 2 -- 'printf "1234\n" | sk register --device "$DEV0" --name "Blue again"'
is "$rc" 0 "the deleted key can be registered again"

run sk delete --yes "Grüne Taste"
is "$rc" 0 "delete --yes succeeds"
is "$err" 'seckey: deleted "Grüne Taste"' "no key plugged in: no claim about what a key holds"
run sk delete --yes "Blue again"
is "$(key_names "$keys")" "" "the list is empty after deleting every key"
run sk list
is "$err" "seckey: $SK_USER has no security keys registered" "and list says so"

# --- a list over a lowered max_keys ----------------------------------------
if sk_need_root 6 "a policy of the test's own"; then
	vk --keys 3 -- 'for i in 0 1 2; do dev=DEV$i; set_pin 1234 "${!dev}";
		printf "1234\n" | sk register --device "${!dev}" 2>/dev/null; done'
	sk_policy 'max_keys = 2'
	run sk list
	is "$rc" 0 "a list over a lowered max_keys is still listed"
	like "$err" "has 3 keys but the policy allows 2: sign-in refuses the whole list until 1 key is deleted" \
		"with a warning"
	run sk test
	is "$rc" 1 "seckey test refuses it, as sign-in does"
	like "$err" 'more than 2 keys' "naming the limit"
	run sk delete "Security key 3"
	is "$rc" 0 "and a key can be deleted to come back under the limit"
	is "$(key_names "$keys" | wc -l)" 2 "leaving two"
	sk_policy
fi

# --- last use and the mark, from the signature counter records ------------
# The records are root's (state_dir of the test policy): a sign-in as
# root writes them, seckey list reads them.
if sk_need_root 10 "signature counter records are root's"; then
	for name in "Security key 1" "Security key 2"; do sk delete --yes "$name" 2>/dev/null; done
	vk --state "$state" -- 'printf "1234\n" | sk register --name "Security key 1" &&
		printf "1234\n" | sk test "Security key 1"'
	is "$rc" 0 "seckey test signs in as root, which keeps the counter"
	vk -- 'set_pin 1234 && printf "1234\n" | sk register --name "Security key 2"'
	is "$rc" 0 "a second key, never used"
	run sk list
	like "$out" $'\nSecurity key 1 .* [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z  [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z\n' \
		"list shows the last use of the key used"
	like "$out" $'\nSecurity key 2 .*Z  never$' "and never for the other"
	cred=$(sed -n '0,/credential/s/^  credential = "\(.*\)"$/\1/p' "$keys")
	record="$TEST_TMP/state/counters/$( { printf '%s\0' "$SK_RP"; printf '%s' "$cred" | base64 -d; } | sha256sum | cut -d' ' -f1)"
	ok "$([ -f "$record" ] && echo 0 || echo 1)" "the record is named by the rp_id and credential id"
	sed -i 's/^marked 0$/marked 1764615304/' "$record"
	run sk list
	like "$out" $'\nSecurity key 1 .*Z  marked: suspected clone\n' "a marked key is flagged"
	run sk list --json
	like "$out" '"marked": true' "as it is in the JSON form"
	chmod 0666 "$record"
	run sk list
	like "$out" $'\nSecurity key 1 .*Z  unknown \\(not readable\\)\n' "an unsafe record: last use unknown"
	chmod 0644 "$record"
	run sk --user "$SK_USER" unmark "Security key 1"
	is "$err" "seckey: cleared the mark of \"Security key 1\" of $SK_USER: it signs in again, and its next sign-in starts a new count" \
		"unmark clears the mark"
	run sk list
	unlike "$out" 'marked' "and list no longer flags it"
fi

done_testing
