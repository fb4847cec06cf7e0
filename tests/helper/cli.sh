#!/bin/bash
# seckey's command line: help, usage errors (exit 2), policy errors (exit
# 1), the man page and the bash completion.
. "$top_srcdir/tests/sh/tap.sh"
. "$top_srcdir/tests/sh/virtkey.sh"
. "$top_srcdir/tests/sh/seckeycli.sh"
plan 68

run sk --help
is "$rc" 0 "seckey --help succeeds"
for cmd in devices register list rename delete "pin set|change" reset test unmark; do
	like "$out" "seckey $cmd" "--help lists $cmd"
done
is "$err" "" "and writes nothing to stderr"
run sk register --help
is "$rc" 0 "seckey register --help succeeds"
like "$out" '^usage: seckey register \[--name NAME\] \[--device PATH\] \[--discoverable\] \[--print-mapping\[=value[|]ldif\]\] \[--user USER\] \[--conf PATH\]' \
	"and shows its usage"
run sk --version
like "$out" '^seckey \(pam_seckey\) [0-9]' "--version names the package"

usage_error() {	# DESCRIPTION MESSAGE-REGEX ARGS...
	local what=$1 msg=$2
	shift 2
	run sk "$@"
	is "$rc" 2 "$what: exit 2"
	like "$err" "$msg" "$what: the message"
}
usage_error "no command" '^seckey: no command given \(see "seckey --help"\)$'
usage_error "an unknown command" '^seckey: unknown command "frob" \(see "seckey --help"\)$' frob
usage_error "unmark without a name" '^seckey: give the name of one key' unmark
usage_error "an unknown option" '^seckey: unknown option or value --bogus \(see "seckey list --help"\)$' list --bogus
usage_error "a value for an option without one" '^seckey: unknown option or value --json=yes' list --json=yes
usage_error "an unknown short option" '^seckey: unknown option -x' list -x
usage_error "an option without its value" '^seckey: --name needs a value' register --name
usage_error "a relative --conf" '^seckey: --conf needs an absolute path' --conf relative.conf list
usage_error "a bad key name" '^seckey: a key name is 1 to 64 printable characters' register --name ' x'
usage_error "an extra argument" '^seckey: unexpected argument "x"' list x
usage_error "delete without a name" '^seckey: give the name of one key' delete

# The common options go before or after the command.
run sk list --conf "${SK_CONF:-/nonexistent/policy}" --user "$SK_USER"
ok "$([ "$rc" -eq 0 ] || [ -z "$SK_CONF" ] && echo 0 || echo 1)" "--conf and --user after the command"

run sk --conf /nonexistent/pam_seckey.conf list
is "$rc" 1 "a --conf that does not exist is refused"
like "$err" '^seckey: /nonexistent[^ ]*: no such file or directory$' "with the path named"

if sk_need_root 6 "a policy of the test's own"; then
	sk_policy 'frobnicate = 1'
	run sk list
	is "$rc" 1 "an unknown option in the policy is refused"
	like "$err" "^seckey: $SK_POLICY:[0-9]+: .*frobnicate" "naming the file, the line and the option"
	sk_policy 'max_keys = 11'
	run sk devices
	is "$rc" 1 "a bad value is refused, even by commands that only talk to keys"
	like "$err" 'max_keys must be between 1 and 10' "with the rule"
	sk_policy
	chmod 0666 "$SK_POLICY"
	run sk list
	is "$rc" 1 "a policy anyone may write is refused"
	like "$err" 'writable by group or others' "as unsafe"
	sk_policy
fi

# devices
vk --keys 2 --transport usb,nfc -- 'set_pin 1234 "$DEV1"; sk devices'
is "$rc" 0 "devices succeeds"
like "$out" '^PATH +TRANSPORT  MODEL +PIN  RETRIES
virtkey:[^ ]*key0-usb.sock +usb +pam_seckey Virtual Security Key +no +-
nfc:virtkey:[^ ]*key1-nfc.sock +nfc +pam_seckey Virtual Security Key +yes +8$' \
	"it lists path, transport, model, PIN set and retries left"
vk -- 'SK_PRELOAD="$U2FONLY" sk devices'
like "$out" 'virtkey:[^ ]*key0-usb.sock +usb +\(U2F only\) +- +-$' "a key that speaks U2F only is shown as such"
vk -- 'kill "$(cat "$VIRTKEY_DIR/key0.pid")"; while [ -e "$VIRTKEY_DIR"/key0-usb.sock ]; do sleep 0.05; done; sk devices'
is "$err" "seckey: no security key is plugged in" "devices with no key says so"

# The man page.
if command -v mandoc >/dev/null; then
	run mandoc -Tlint -W warning "$top_srcdir/man/seckey.1"
	is "$out$err" "" "mandoc -Tlint finds no warning in seckey.1"
else
	skip "mandoc is not installed"
fi
for word in devices register list rename delete "pin set" "pin change" reset test unmark \
    EXIT STATUS FILES EXAMPLES; do
	grep -q "$word" "$top_srcdir/man/seckey.1"
	ok $? "seckey.1 covers $word"
done

# The bash completion.
complete_words() {	# WORDS...: what <TAB> offers after them
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _seckey
		printf "%s\n" "${COMPREPLY[@]}"' complete "$top_srcdir/helper/seckey.bash-completion" "$@"
}
is "$(complete_words seckey re | tr '\n' ' ')" "register rename reset " "completion offers the commands"
is "$(complete_words seckey pin '' | tr '\n' ' ')" "set change " "and the pin subcommands"
is "$(complete_words seckey register --de | tr '\n' ' ')" "--device " "and each command's options"
is "$(complete_words seckey un | tr '\n' ' ')" "unmark " "and unmark"

done_testing
