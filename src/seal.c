/*
 * seal.c - the cryptography of site bundles (seal.h), over libsodium:
 * key pairs, public keys as text and fingerprints, sign-then-seal and its
 * reverse, SHA-256. The only file that includes <sodium.h>.
 *
 * Sign, then seal: the signature is inside the sealed box, so the stick
 * shows neither the data nor who signed it beyond the cleartext header;
 * and the signed message names its receiver, so a receiver cannot pass a
 * site's signed bundle on to another database as if it were meant for it.
 */
#include "seal.h"

#include <assert.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* libsodium failing to start (no entropy) or to seal is as fatal as
 * running out of memory: the same exit, as util.c does. */
static void fatal(const char *what)
{
	fprintf(stderr, "talentreg: libsodium: %s\n", what);
	exit(4);
}

int seal_ready(void)
{
	return sodium_init() < 0 ? -1 : 0;
}

void seal_keygen(struct seal_secret *k)
{
	assert(k);
	if (seal_ready() < 0)
		fatal("cannot start");
	crypto_sign_keypair(k->pub.sign, k->sign_sk);
	crypto_box_keypair(k->pub.box, k->box_sk);
}

void seal_keygen_seeded(struct seal_secret *k, const unsigned char seed[32])
{
	assert(k && seed);
	if (seal_ready() < 0)
		fatal("cannot start");
	unsigned char box_seed[crypto_box_SEEDBYTES];
	crypto_generichash(box_seed, sizeof box_seed, seed, 32, (const unsigned char *)"box", 3);
	crypto_sign_seed_keypair(k->pub.sign, k->sign_sk, seed);
	crypto_box_seed_keypair(k->pub.box, k->box_sk, box_seed);
	seal_wipe(box_seed, sizeof box_seed);
}

bool seal_secret_ok(const struct seal_secret *k)
{
	unsigned char sign_pk[SEAL_SIGN_PK_BYTES], box_pk[SEAL_BOX_PK_BYTES];
	if (seal_ready() < 0 || crypto_sign_ed25519_sk_to_pk(sign_pk, k->sign_sk) != 0 ||
	    crypto_scalarmult_base(box_pk, k->box_sk) != 0)
		return false;
	return sodium_memcmp(sign_pk, k->pub.sign, sizeof sign_pk) == 0 &&
	       sodium_memcmp(box_pk, k->pub.box, sizeof box_pk) == 0;
}

void seal_wipe(void *p, size_t n)
{
	if (p)
		sodium_memzero(p, n);
}

void seal_public_text(const struct seal_public *k, char out[SEAL_TEXT_LEN + 1])
{
	unsigned char raw[SEAL_SIGN_PK_BYTES + SEAL_BOX_PK_BYTES];
	memcpy(raw, k->sign, SEAL_SIGN_PK_BYTES);
	memcpy(raw + SEAL_SIGN_PK_BYTES, k->box, SEAL_BOX_PK_BYTES);
	sodium_bin2base64(out, SEAL_TEXT_LEN + 1, raw, sizeof raw,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

int seal_public_parse(const char *text, struct seal_public *out)
{
	unsigned char raw[SEAL_SIGN_PK_BYTES + SEAL_BOX_PK_BYTES];
	size_t n = 0;
	const char *end = NULL;
	if (text == NULL || strlen(text) != SEAL_TEXT_LEN || seal_ready() < 0 ||
	    sodium_base642bin(raw, sizeof raw, text, SEAL_TEXT_LEN, NULL, &n, &end,
			      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    n != sizeof raw || end != text + SEAL_TEXT_LEN)
		return -1;
	/* a signing key must be a point of the curve, or nothing verifies */
	if (!crypto_core_ed25519_is_valid_point(raw))
		return -1;
	memcpy(out->sign, raw, SEAL_SIGN_PK_BYTES);
	memcpy(out->box, raw + SEAL_SIGN_PK_BYTES, SEAL_BOX_PK_BYTES);
	return 0;
}

void seal_fingerprint(const struct seal_public *k, char out[SEAL_FINGERPRINT_LEN + 1])
{
	unsigned char d[8];
	crypto_generichash_state s;
	crypto_generichash_init(&s, NULL, 0, sizeof d);
	crypto_generichash_update(&s, k->sign, sizeof k->sign);
	crypto_generichash_update(&s, k->box, sizeof k->box);
	crypto_generichash_final(&s, d, sizeof d);
	snprintf(out, SEAL_FINGERPRINT_LEN + 1, "%02x%02x-%02x%02x-%02x%02x-%02x%02x", d[0], d[1],
		 d[2], d[3], d[4], d[5], d[6], d[7]);
}

bool seal_public_eq(const struct seal_public *a, const struct seal_public *b)
{
	return memcmp(a->sign, b->sign, sizeof a->sign) == 0 &&
	       memcmp(a->box, b->box, sizeof a->box) == 0;
}

void seal_sha256_hex(const void *p, size_t n, char hex[65])
{
	unsigned char d[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(d, p, n);
	sodium_bin2hex(hex, 65, d, sizeof d);
}

unsigned char *seal_wrap(const struct seal_secret *from, const struct seal_public *to,
			 const void *msg, size_t n, size_t *outn)
{
	assert(from && to && (msg || n == 0) && outn);
	if (seal_ready() < 0)
		fatal("cannot start");
	size_t inner_n = SEAL_SIG_BYTES + n;
	unsigned char *inner = xmalloc(inner_n);
	crypto_sign_detached(inner, NULL, msg, n, from->sign_sk);
	if (n)
		memcpy(inner + SEAL_SIG_BYTES, msg, n);
	*outn = inner_n + SEAL_BOX_OVERHEAD;
	unsigned char *out = xmalloc(*outn);
	if (crypto_box_seal(out, inner, inner_n, to->box) != 0)
		fatal("crypto_box_seal failed");
	seal_wipe(inner, inner_n);
	free(inner);
	return out;
}

int seal_unwrap(const struct seal_secret *own, size_t nown, const struct seal_public *from,
		const void *box, size_t n, unsigned char **msg, size_t *msgn, enum seal_fail *why)
{
	assert(own && from && msg && msgn && why);
	*msg = NULL;
	*msgn = 0;
	if (n < SEAL_BOX_OVERHEAD + SEAL_SIG_BYTES || seal_ready() < 0) {
		*why = SEAL_SHORT;
		return -1;
	}
	size_t inner_n = n - SEAL_BOX_OVERHEAD;
	unsigned char *inner = xmalloc(inner_n);
	size_t k = 0;
	while (k < nown && crypto_box_seal_open(inner, box, n, own[k].pub.box, own[k].box_sk) != 0)
		k++;
	if (k == nown) {
		free(inner);
		*why = SEAL_NOT_OURS;
		return -1;
	}
	const unsigned char *body = inner + SEAL_SIG_BYTES;
	size_t body_n = inner_n - SEAL_SIG_BYTES;
	if (crypto_sign_verify_detached(inner, body, body_n, from->sign) != 0) {
		seal_wipe(inner, inner_n);
		free(inner);
		*why = SEAL_BAD_SIGNATURE;
		return -1;
	}
	*msg = xmalloc(body_n ? body_n : 1);
	if (body_n)
		memcpy(*msg, body, body_n);
	*msgn = body_n;
	seal_wipe(inner, inner_n);
	free(inner);
	return 0;
}
