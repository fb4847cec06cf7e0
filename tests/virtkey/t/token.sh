#!/bin/bash
# The virtual key as fido2-token sees it: listed, described, one or several.
. "$top_srcdir/tests/sh/tap.sh"
. "$top_srcdir/tests/sh/virtkey.sh"
command -v fido2-token >/dev/null || plan_skip_all "fido2-tools is not installed"
plan 16

vk -- 'fido2-token -L'
is "$rc" 0 "fido2-token -L succeeds with one key plugged in"
like "$out" '^virtkey:/[^ ]*/key0-usb\.sock: vendor=0x0000, product=0x0000 \(pam_seckey Virtual Security Key\)$' \
	"it lists exactly the one virtual USB key"

vk --keys 2 --transport usb,nfc -- 'fido2-token -L'
is "$(wc -l <<<"$out")" 2 "two keys plugged in: two devices listed"
like "$out" $'\nnfc:virtkey:/[^ ]*/key1-nfc\.sock: ' "the second key is listed as an NFC device"

vk -- 'fido2-token -I "$DEV0"'
is "$rc" 0 "fido2-token -I reads the key's info"
like "$out" $'(^|\n)version strings: FIDO_2_0, FIDO_2_1\n' "it speaks CTAP 2.0 and 2.1"
like "$out" $'(^|\n)aaguid: [0-9a-f]{32}\n' "it has an aaguid"
like "$out" $'(^|\n)options: nork, up, noplat, noclientPin, pinUvAuthToken' "no PIN yet, and PIN/UV auth tokens"
like "$out" $'(^|\n)caps: 0x0d \\(wink, cbor, nomsg\\)\n' "CTAPHID capabilities: wink and CBOR, no U2F messages"
like "$out" $'(^|\n)maxcredcntlst: 8\n' "maxCredentialCountInList defaults to 8"
like "$out" $'(^|\n)pin protocols: 2, 1\n' "PIN protocols 2 and 1"
like "$out" $'(^|\n)transport strings: usb\n' "a USB key says so in getInfo"
like "$out" $'(^|\n)algorithms: es256 \\(public-key\\), eddsa \\(public-key\\)\n' "ES256 and EdDSA"

vk --transport nfc --max-creds 3 --pin-protocols 1 -- 'fido2-token -I "$DEV0"'
like "$out" $'(^|\n)transport strings: nfc\n' "an NFC key says so in getInfo"
like "$out" $'(^|\n)maxcredcntlst: 3\n' "--max-creds sets maxCredentialCountInList"
like "$out" $'(^|\n)pin protocols: 1\n' "--pin-protocols 1 models a CTAP 2.0 era key"

done_testing
