/*
 * test_seal.c - the cryptography of site bundles (seal.c over libsodium):
 * keys as text and back, fingerprints, sign-then-seal and its reverse, and
 * every way an opened bundle must fail: sealed to someone else, changed on
 * the way, signed by another key, altered after signing and sealed again;
 * SHA-256 against FIPS 180-4's vectors.
 */
#define _GNU_SOURCE	/* memmem */
#include "testutil.h"

#include <sodium.h>	/* to build a box seal.h would never make */
#include <string.h>

#include "seal.h"

static void test_key_text_round_trip(void **state)
{
	(void)state;
	struct seal_secret k;
	seal_keygen(&k);
	assert_true(seal_secret_ok(&k));
	char text[SEAL_TEXT_LEN + 1];
	seal_public_text(&k.pub, text);
	assert_int_equal(strlen(text), SEAL_TEXT_LEN);
	/* base64url: nothing an INI value or a shell would take apart */
	assert_int_equal(strspn(text, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
			 SEAL_TEXT_LEN);
	struct seal_public back;
	assert_int_equal(seal_public_parse(text, &back), 0);
	assert_true(seal_public_eq(&back, &k.pub));

	/* the secret halves of another pair do not belong */
	struct seal_secret other;
	seal_keygen(&other);
	memcpy(other.pub.sign, k.pub.sign, sizeof k.pub.sign);
	assert_false(seal_secret_ok(&other));
	seal_wipe(&k, sizeof k);
	seal_wipe(&other, sizeof other);
}

static void test_key_text_refused(void **state)
{
	(void)state;
	struct seal_secret k;
	seal_keygen(&k);
	char text[SEAL_TEXT_LEN + 2];
	seal_public_text(&k.pub, text);
	struct seal_public out;
	assert_int_equal(seal_public_parse(NULL, &out), -1);
	assert_int_equal(seal_public_parse("", &out), -1);
	char cut[SEAL_TEXT_LEN];
	memcpy(cut, text, SEAL_TEXT_LEN - 1);
	cut[SEAL_TEXT_LEN - 1] = '\0';
	assert_int_equal(seal_public_parse(cut, &out), -1);	/* one character lost */
	char longer[SEAL_TEXT_LEN + 8];
	snprintf(longer, sizeof longer, "%sA", text);
	assert_int_equal(seal_public_parse(longer, &out), -1);
	text[10] = '+';	/* standard base64, not base64url */
	assert_int_equal(seal_public_parse(text, &out), -1);
	text[10] = ' ';
	assert_int_equal(seal_public_parse(text, &out), -1);
	/* 32 bytes that are no point of the curve are no signing key */
	struct seal_public bad = k.pub;
	memset(bad.sign, 0xff, sizeof bad.sign);
	char bad_text[SEAL_TEXT_LEN + 1];
	seal_public_text(&bad, bad_text);
	assert_int_equal(seal_public_parse(bad_text, &out), -1);
	seal_wipe(&k, sizeof k);
}

static void test_fingerprint(void **state)
{
	(void)state;
	struct seal_secret a, b;
	seal_keygen(&a);
	seal_keygen(&b);
	char fa[SEAL_FINGERPRINT_LEN + 1], fa2[SEAL_FINGERPRINT_LEN + 1], fb[SEAL_FINGERPRINT_LEN + 1];
	seal_fingerprint(&a.pub, fa);
	seal_fingerprint(&a.pub, fa2);
	seal_fingerprint(&b.pub, fb);
	assert_int_equal(strlen(fa), SEAL_FINGERPRINT_LEN);
	assert_true(fa[4] == '-' && fa[9] == '-' && fa[14] == '-');
	assert_string_equal(fa, fa2);
	assert_string_not_equal(fa, fb);
	/* the box key counts too: a swapped encryption key changes it */
	struct seal_public mixed = a.pub;
	memcpy(mixed.box, b.pub.box, sizeof mixed.box);
	seal_fingerprint(&mixed, fa2);
	assert_string_not_equal(fa, fa2);
	seal_wipe(&a, sizeof a);
	seal_wipe(&b, sizeof b);
}

struct fx {
	struct seal_secret site, district, other_site, district_old;
};

static int setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof *f);
	seal_keygen(&f->site);
	seal_keygen(&f->district);
	seal_keygen(&f->other_site);
	seal_keygen(&f->district_old);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	seal_wipe(*state, sizeof(struct fx));
	free(*state);
	return 0;
}

static const char MSG[] = "TALENTREG-SYNC-SIGNED 2\nfrom site_a\nto district\n\n王小梅";

static void test_wrap_unwrap(void **state)
{
	struct fx *f = *state;
	size_t n, mn;
	unsigned char *box = seal_wrap(&f->site, &f->district.pub, MSG, strlen(MSG), &n);
	assert_int_equal(n, strlen(MSG) + SEAL_SIG_BYTES + SEAL_BOX_OVERHEAD);
	/* the stick shows nothing of the message */
	assert_null(memmem(box, n, "site_a", 6));
	assert_null(memmem(box, n, "王小梅", strlen("王小梅")));
	unsigned char *m = NULL;
	enum seal_fail why;
	assert_int_equal(seal_unwrap(&f->district, 1, &f->site.pub, box, n, &m, &mn, &why), 0);
	assert_int_equal(mn, strlen(MSG));
	assert_memory_equal(m, MSG, mn);
	free(m);
	/* sealing is randomised: the same message twice gives two boxes */
	size_t n2;
	unsigned char *box2 = seal_wrap(&f->site, &f->district.pub, MSG, strlen(MSG), &n2);
	assert_int_equal(n, n2);
	assert_memory_not_equal(box, box2, n);
	free(box2);
	free(box);
}

static void test_unwrap_refusals(void **state)
{
	struct fx *f = *state;
	size_t n, mn;
	unsigned char *m = NULL;
	enum seal_fail why;
	unsigned char *box = seal_wrap(&f->site, &f->district.pub, MSG, strlen(MSG), &n);

	/* sealed to the district: another site cannot open it */
	assert_int_equal(seal_unwrap(&f->other_site, 1, &f->site.pub, box, n, &m, &mn, &why), -1);
	assert_int_equal(why, SEAL_NOT_OURS);
	assert_null(m);
	/* one byte changed anywhere: the seal no longer opens */
	for (size_t at = 0; at < n; at += 7) {
		box[at] ^= 0x20;
		assert_int_equal(seal_unwrap(&f->district, 1, &f->site.pub, box, n, &m, &mn, &why), -1);
		assert_int_equal(why, SEAL_NOT_OURS);
		box[at] ^= 0x20;
	}
	/* cut short */
	assert_int_equal(seal_unwrap(&f->district, 1, &f->site.pub, box, n - 1, &m, &mn, &why), -1);
	assert_int_equal(seal_unwrap(&f->district, 1, &f->site.pub, box, 40, &m, &mn, &why), -1);
	assert_int_equal(why, SEAL_SHORT);
	/* opened, but checked against another site's key: not its signature */
	assert_int_equal(seal_unwrap(&f->district, 1, &f->other_site.pub, box, n, &m, &mn, &why), -1);
	assert_int_equal(why, SEAL_BAD_SIGNATURE);
	free(box);

	/* another site signs and claims to be site_a: its key is not site_a's */
	box = seal_wrap(&f->other_site, &f->district.pub, MSG, strlen(MSG), &n);
	assert_int_equal(seal_unwrap(&f->district, 1, &f->site.pub, box, n, &m, &mn, &why), -1);
	assert_int_equal(why, SEAL_BAD_SIGNATURE);
	free(box);
}

/* A signed message altered after signing and sealed again to the district
 * (what someone who could open the seal, or who sealed it, might do): the
 * signature no longer holds. Built with libsodium itself, as seal.h makes
 * no unsigned box. */
static void test_altered_after_signing(void **state)
{
	struct fx *f = *state;
	size_t n = strlen(MSG), mn;
	unsigned char sig[crypto_sign_BYTES];
	crypto_sign_detached(sig, NULL, (const unsigned char *)MSG, n, f->site.sign_sk);
	unsigned char *inner = xmalloc(sizeof sig + n);
	memcpy(inner, sig, sizeof sig);
	memcpy(inner + sizeof sig, MSG, n);
	unsigned char *box = xmalloc(sizeof sig + n + crypto_box_SEALBYTES);
	unsigned char *m = NULL;
	enum seal_fail why;

	/* untouched, it opens: the hand-made box is a real one */
	assert_int_equal(crypto_box_seal(box, inner, sizeof sig + n, f->district.pub.box), 0);
	assert_int_equal(seal_unwrap(&f->district, 1, &f->site.pub, box, sizeof sig + n + crypto_box_SEALBYTES,
				     &m, &mn, &why), 0);
	free(m);
	/* "王小梅" becomes "王大梅" under the same signature */
	unsigned char *p = memmem(inner, sizeof sig + n, "小", strlen("小"));
	assert_non_null(p);
	memcpy(p, "大", strlen("大"));
	assert_int_equal(crypto_box_seal(box, inner, sizeof sig + n, f->district.pub.box), 0);
	assert_int_equal(seal_unwrap(&f->district, 1, &f->site.pub, box, sizeof sig + n + crypto_box_SEALBYTES,
				     &m, &mn, &why), -1);
	assert_int_equal(why, SEAL_BAD_SIGNATURE);
	assert_null(m);
	free(box);
	free(inner);
}

static void test_old_keys_still_open(void **state)
{
	struct fx *f = *state;
	size_t n, mn;
	unsigned char *m = NULL;
	enum seal_fail why;
	/* sealed to the district's old key before it made new ones */
	unsigned char *box = seal_wrap(&f->site, &f->district_old.pub, MSG, strlen(MSG), &n);
	struct seal_secret both[2] = {f->district, f->district_old};	/* newest first */
	assert_int_equal(seal_unwrap(both, 1, &f->site.pub, box, n, &m, &mn, &why), -1);
	assert_int_equal(seal_unwrap(both, 2, &f->site.pub, box, n, &m, &mn, &why), 0);
	free(m);
	free(box);
	seal_wipe(both, sizeof both);
}

static void test_sha256(void **state)
{
	(void)state;
	char hex[65];
	seal_sha256_hex("abc", 3, hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	seal_sha256_hex("", 0, hex);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	seal_sha256_hex(two, strlen(two), hex);
	assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_text_round_trip),
		cmocka_unit_test(test_key_text_refused),
		cmocka_unit_test(test_fingerprint),
		cmocka_unit_test_setup_teardown(test_wrap_unwrap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unwrap_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_altered_after_signing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_old_keys_still_open, setup, teardown),
		cmocka_unit_test(test_sha256),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
