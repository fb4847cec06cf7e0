/*
 * seckey_lock.h: the one process-wide lock of libseckey, held around
 * every use of libconfuse.
 */
#ifndef SECKEY_LOCK_H
#define SECKEY_LOCK_H

/*
 * Take and release the parser lock.  Everything from cfg_init() to
 * cfg_free() runs between the two: libconfuse's scanner (flex) keeps its
 * input buffer, line state and token in globals, so two parses at once
 * in one process (two threads of a PAM host) corrupt each other.
 * Not recursive: a parse never starts another.  seckey_parser_lock()
 * returns 0, or SECKEY_ERR_INTERNAL if the mutex fails (it cannot, short
 * of a bug): then the caller must not parse.
 */
int seckey_parser_lock(void);
void seckey_parser_unlock(void);

#endif /* SECKEY_LOCK_H */
