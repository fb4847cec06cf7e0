/*
 * fakekey.h: the security keys fuzz_pam plugs in.
 *
 * With tests/virtkey/interpose.c, which defines fido_dev_info_manifest,
 * fido_dev_open and fido_dev_new_with_info, a program that links it
 * preempts libfido2's own, so the code under test finds only the keys
 * listed here, at paths "fuzz:N" (or "nfc:fuzz:N"), and never touches a
 * real device.  Their io functions work at HID report level, so
 * libfido2's CTAPHID framing, CBOR and PIN protocols run as they do with
 * a real key.
 *
 * In script mode each key answers from a list of replies: a request
 * that arrives whole is answered with the next reply, framed for that
 * request's channel and command (CTAPHID INIT is answered with the nonce
 * it carried, so libfido2 goes on to CBOR), or as the reply says.  In
 * record mode the reports go to the virtual keys of
 * tests/virtkey/with-virtkey ($VIRTKEY_DIR) and their answers are kept
 * as replies, for seeds.
 */
#ifndef SECKEY_FUZZ_FAKEKEY_H
#define SECKEY_FUZZ_FAKEKEY_H

#include <stdbool.h>
#include <stddef.h>

#include "pam_input.h"

/*
 * Keys plugged in for the next sign-in, answering from replies; with
 * pull, they are pulled out once every reply has been handed out.
 */
void fakekey_script(const struct pam_reply *replies, size_t nreplies,
    unsigned int nkeys, bool first_nfc, bool pull);

/* Keys plugged in as the virtual keys in socket_dir; how many, or -1. */
int fakekey_record(const char *socket_dir);

/* The replies recorded so far, valid until the next fakekey_record(). */
const struct pam_reply *fakekey_recorded(size_t *nreplies);

/* getAssertion requests that reached a key since fakekey_script(). */
unsigned int fakekey_assertions(void);

#endif /* SECKEY_FUZZ_FAKEKEY_H */
