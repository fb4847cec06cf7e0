#!/bin/bash
# A policy that sets an option twice fails closed, lists included: a
# stray "reset_services = {}" must not silently drop the rule, and
# syslog names the file, the line and the option.
. "$top_srcdir/tests/sh/tap.sh"
. "$top_srcdir/tests/sh/virtkey.sh"
. "$top_srcdir/tests/sh/pamenv.sh"
pam_env_check
. "$top_srcdir/tests/sh/seckeyenv.sh"
plan 9

pam_add_user alice 4242

# twice LINES OPTION LINE: the policy with LINES added; a sign-in and a
# password change must both fail closed, naming OPTION at LINE.
twice() {
	policy "$1"
	run "$PAMRUN" login alice authenticate </dev/null
	like "$out" 'authenticate: PAM_SERVICE_ERR$' "$2 twice: sign-in fails closed"
	like "$err" "$POLICY:$3: option '$2' is set twice" "syslog names the file, line $3 and $2"
	run "$PAMRUN" passwd alice authenticate </dev/null
	like "$out" 'authenticate: PAM_SERVICE_ERR$' "$2 twice: not PAM_IGNORE in a reset service either"
}
# policy() writes three lines first; LINES start at line 4.
twice 'reset_services = {"passwd", "chpasswd"}
# a stray line from another machine:
reset_services = {}' reset_services 6
twice 'allowed_aaguids = {"2fc0579f-8113-47ea-b116-bb5a8db9202a"}
allowed_aaguids = {"86babe58-627a-45bd-885c-ff16bce5ed43"}' allowed_aaguids 5

policy 'reset_services = {}
allowed_aaguids = {}'
run "$PAMRUN" login alice authenticate </dev/null
unlike "$err" 'set twice|configuration error' "each list set once is accepted"
run "$PAMRUN" passwd alice authenticate </dev/null
unlike "$out" 'PAM_SERVICE_ERR' "an empty reset_services, once, is a valid choice"
unlike "$err" 'set twice' "and no line says twice"
