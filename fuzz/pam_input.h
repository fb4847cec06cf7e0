/*
 * pam_input.h: one sign-in as a fuzz input for fuzz_pam.
 *
 * Who signs in and how the module is called, the PIN typed, the policy
 * and key list files, and the authenticator's replies in the order it
 * is asked.  Laid out as bytes (lengths are big-endian):
 *
 *	byte 0		options, PAM_OPT_* below
 *	byte 1		devices, PAM_DEV_* below
 *	4 fields	u16 length, then the bytes: user name, PIN, policy
 *			text, key list text
 *	replies		u8 kind, u16 length, then the bytes; to the end
 *
 * Parsing never fails: a field or reply that runs past the end is cut
 * short, and what is missing is empty, so every byte string is a sign-in.
 * A parsed input borrows its bytes from the buffer it was parsed from.
 */
#ifndef SECKEY_FUZZ_PAM_INPUT_H
#define SECKEY_FUZZ_PAM_INPUT_H

#include <stddef.h>
#include <stdint.h>

/* Options: who signs in (PAM_USER_* in the low three bits), and how. */
#define PAM_OPT_USER_MASK	0x07
#define PAM_OPT_SERVICE_SHIFT	3	/* two bits: PAM_SERVICES[] */
#define PAM_OPT_SERVICE_MASK	0x18
#define PAM_OPT_SILENT		0x20	/* flags = PAM_SILENT */
#define PAM_OPT_DEBUG		0x40	/* module argument "debug" */
#define PAM_OPT_PIN_CANARY	0x80	/* a random PIN, looked for in logs */

/* PAM_OPT_USER_MASK values. */
enum pam_user_choice {
	PAM_USER_ROOT,		/* "root" */
	PAM_USER_SELF,		/* whoever runs the fuzzer */
	PAM_USER_ITEM,		/* the user field, as PAM_USER */
	PAM_USER_ASKED,		/* no PAM_USER: the user field, typed in */
	PAM_USER_CANARY,	/* an unknown user, looked for in logs */
	PAM_USER_EMPTY,		/* "" */
	PAM_USER_DOTS,		/* "../root" */
	PAM_USER_DAEMON,	/* "daemon": another uid, files root's */
};

/* Devices: how many keys are plugged in, and how the module is called. */
#define PAM_DEV_COUNT_MASK	0x03	/* 0, 1, 2 keys; 3 means 1 */
#define PAM_DEV_NFC		0x04	/* the first key is "nfc:" */
#define PAM_DEV_CONV_FAIL	0x08	/* the PIN prompt goes unanswered */
#define PAM_DEV_NO_ENABLE	0x10	/* the harness leaves enabled out */
#define PAM_DEV_NO_TIMEOUT	0x20	/* the harness leaves timeout out */
#define PAM_DEV_BAD_ARG		0x40	/* an unknown module argument */
#define PAM_DEV_PULL		0x80	/* keys gone once all replies are used */

/* Reply kinds; any other value counts as kind % 3. */
enum pam_reply_kind {
	PAM_REPLY_FRAMED,	/* the answer to the request, framed for it */
	PAM_REPLY_COMMAND,	/* byte 0 is the CTAPHID command, then data */
	PAM_REPLY_RAW,		/* 64-byte HID reports, as they are */
};

#define PAM_INPUT_REPLIES_MAX	64
#define PAM_INPUT_FIELD_MAX	0xffff
#define PAM_INPUT_NFIELDS	4

struct pam_blob {
	const uint8_t	*ptr;
	size_t		 len;
};

struct pam_reply {
	uint8_t		 kind;
	struct pam_blob	 data;
};

struct pam_input {
	uint8_t		 options;
	uint8_t		 devices;
	/* user, pin, policy, keys, in this order. */
	struct pam_blob	 fields[PAM_INPUT_NFIELDS];
	struct pam_reply replies[PAM_INPUT_REPLIES_MAX];
	size_t		 nreplies;
};

#define PAM_FIELD_USER		0
#define PAM_FIELD_PIN		1
#define PAM_FIELD_POLICY	2
#define PAM_FIELD_KEYS		3

void pam_input_parse(const uint8_t *data, size_t size, struct pam_input *in);

/* The bytes of in, or 0 if they do not fit in max bytes. */
size_t pam_input_size(const struct pam_input *in);
size_t pam_input_write(const struct pam_input *in, uint8_t *out, size_t max);

/* The kind a reply counts as. */
enum pam_reply_kind pam_reply_kind(const struct pam_reply *reply);

#endif /* SECKEY_FUZZ_PAM_INPUT_H */
