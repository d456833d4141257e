/*
 * seal.h - the cryptography of site bundles, over libsodium (seal.c is the
 * only code that includes <sodium.h>): a database's two key pairs (Ed25519
 * to sign what it sends, X25519 to open what is sealed to it), public keys
 * as text for sites.ini and their fingerprints, signing a message and
 * sealing it to its receiver (crypto_sign_detached, then crypto_box_seal)
 * and the reverse, and SHA-256 (crypto_hash_sha256) where a digest names a
 * bundle. No database, no files, no messages to users.
 *
 * What goes on the wire (store_bundle.c puts it in a bundle):
 *
 *     crypto_box_seal( signature(64) || message , receiver's X25519 key )
 *
 * Only the receiver's secret key opens it (a lost stick shows nothing but
 * its cleartext header); the signature, checked with the sender's declared
 * Ed25519 key, covers every byte of the message (which names sender and
 * receiver), so an altered or forged message is refused.
 */
#ifndef TALENTREG_SEAL_H
#define TALENTREG_SEAL_H

#include <stdbool.h>
#include <stddef.h>

#define SEAL_SIGN_PK_BYTES 32
#define SEAL_SIGN_SK_BYTES 64
#define SEAL_BOX_PK_BYTES 32
#define SEAL_BOX_SK_BYTES 32
#define SEAL_SIG_BYTES 64
#define SEAL_BOX_OVERHEAD 48	/* crypto_box_SEALBYTES */
/* A public key as text: base64url (no padding) of the two public keys. */
#define SEAL_TEXT_LEN 86
/* A fingerprint: "xxxx-xxxx-xxxx-xxxx", 8 bytes of BLAKE2b of the key. */
#define SEAL_FINGERPRINT_LEN 19

/* A database's public keys, as a peer declares them in sites.ini. */
struct seal_public {
	unsigned char sign[SEAL_SIGN_PK_BYTES];
	unsigned char box[SEAL_BOX_PK_BYTES];
};

/* A database's own key pairs. Only the store holds one (store_keys.c keeps
 * them in the database) and the tests that make bundles; wipe it with
 * seal_wipe when done. */
struct seal_secret {
	struct seal_public pub;
	unsigned char sign_sk[SEAL_SIGN_SK_BYTES];
	unsigned char box_sk[SEAL_BOX_SK_BYTES];
};

/* Why an unwrap failed. */
enum seal_fail {
	SEAL_SHORT,		/* fewer bytes than a seal and a signature take */
	SEAL_NOT_OURS,		/* none of our keys opens it: sealed to another
				 * receiver, or changed on the way */
	SEAL_BAD_SIGNATURE	/* opened, but not signed by the sender's key:
				 * forged, or altered after signing */
};

/* Starts libsodium once; returns 0, or -1 when it cannot (no entropy). */
int seal_ready(void);
/* Makes a new pair of key pairs into *k. */
void seal_keygen(struct seal_secret *k);
/* Makes the key pairs that the 32 bytes of seed always give: for the tests
 * and the fuzzer, whose bundles must open with known keys. */
void seal_keygen_seeded(struct seal_secret *k, const unsigned char seed[32]);
/* Returns true when k's secret halves belong to its public halves. */
bool seal_secret_ok(const struct seal_secret *k);
/* Zeroes n bytes at p in a way the compiler keeps. */
void seal_wipe(void *p, size_t n);

/* Writes the key as text (SEAL_TEXT_LEN characters and a NUL) into out. */
void seal_public_text(const struct seal_public *k, char out[SEAL_TEXT_LEN + 1]);
/* Reads a key written by seal_public_text; returns 0, or -1 when text is not
 * one (wrong length, a character outside base64url, a bad point). */
int seal_public_parse(const char *text, struct seal_public *out);
/* Writes the key's fingerprint, to be read aloud over the telephone when
 * keys are exchanged, into out. */
void seal_fingerprint(const struct seal_public *k, char out[SEAL_FINGERPRINT_LEN + 1]);
/* Returns true when a and b are the same key. */
bool seal_public_eq(const struct seal_public *a, const struct seal_public *b);

/* Writes the SHA-256 of the n bytes at p, in lower-case hex, into hex. */
void seal_sha256_hex(const void *p, size_t n, char hex[65]);

/* Signs the n bytes at msg with from's key and seals signature and message
 * to the receiver's key to. Returns a new buffer of *outn bytes (n +
 * SEAL_SIG_BYTES + SEAL_BOX_OVERHEAD); the caller frees it. */
unsigned char *seal_wrap(const struct seal_secret *from, const struct seal_public *to,
			 const void *msg, size_t n, size_t *outn);
/* Opens the n bytes at box with the first of our nown key pairs (newest
 * first) that opens it, then checks the signature with the sender's key
 * from. Returns 0 with *msg a new buffer of *msgn bytes (the message alone;
 * the caller frees it), or -1 with *why. */
int seal_unwrap(const struct seal_secret *own, size_t nown, const struct seal_public *from,
		const void *box, size_t n, unsigned char **msg, size_t *msgn, enum seal_fail *why);

#endif
