/*
 * test_keyseq.c - unit tests of keyseq.c: every form of the cursor, editing
 * and function keys that PuTTY, xterm, the Linux console, screen and rxvt
 * send decodes to its key; a sequence cut short waits for more, and when no
 * more comes it is dropped whole, never taken as Esc; a lone Esc is Esc.
 */
#include "testutil.h"

#include <string.h>

#include "keyseq.h"

/* Decodes s (a C string starting with ESC) as complete input; asserts it
 * takes every byte and is key with mods. */
static void expect_key(const char *s, enum keyseq_key key, int mods)
{
	struct keyseq k;
	size_t n = strlen(s);
	size_t got = keyseq_parse((const unsigned char *)s, n, false, &k);
	if (got != n || k.key != key || k.mods != mods)
		fail_msg("\\e%s: took %zu of %zu bytes, key %d mods %d; expected key %d mods %d",
			 s + 1, got, n, (int)k.key, k.mods, (int)key, mods);
}

static void test_putty_and_vt220(void **state)
{
	(void)state;
	expect_key("\033[1~", KS_HOME, 0);
	expect_key("\033[4~", KS_END, 0);
	expect_key("\033[2~", KS_INSERT, 0);
	expect_key("\033[3~", KS_DELETE, 0);
	expect_key("\033[5~", KS_PGUP, 0);
	expect_key("\033[6~", KS_PGDN, 0);
	expect_key("\033[11~", KS_F1, 0);
	expect_key("\033[12~", KS_F1 + 1, 0);
	expect_key("\033[15~", KS_F1 + 4, 0);
	expect_key("\033[17~", KS_F1 + 5, 0);
	expect_key("\033[21~", KS_F1 + 9, 0);
	expect_key("\033[23~", KS_F1 + 10, 0);
	expect_key("\033[24~", KS_F12, 0);
	expect_key("\033[7~", KS_HOME, 0);	/* rxvt */
	expect_key("\033[8~", KS_END, 0);
}

static void test_xterm(void **state)
{
	(void)state;
	expect_key("\033[H", KS_HOME, 0);
	expect_key("\033[F", KS_END, 0);
	expect_key("\033OH", KS_HOME, 0);
	expect_key("\033OF", KS_END, 0);
	expect_key("\033[A", KS_UP, 0);
	expect_key("\033[B", KS_DOWN, 0);
	expect_key("\033[C", KS_RIGHT, 0);
	expect_key("\033[D", KS_LEFT, 0);
	expect_key("\033OA", KS_UP, 0);
	expect_key("\033OB", KS_DOWN, 0);
	expect_key("\033OC", KS_RIGHT, 0);
	expect_key("\033OD", KS_LEFT, 0);
	expect_key("\033OP", KS_F1, 0);
	expect_key("\033OS", KS_F1 + 3, 0);
	expect_key("\033[Z", KS_BTAB, 0);
	expect_key("\033OM", KS_ENTER, 0);
}

static void test_modifiers(void **state)
{
	(void)state;
	expect_key("\033[1;5C", KS_RIGHT, KS_MOD_CTRL);
	expect_key("\033[1;2A", KS_UP, KS_MOD_SHIFT);
	expect_key("\033[1;3H", KS_HOME, KS_MOD_ALT);
	expect_key("\033[3;5~", KS_DELETE, KS_MOD_CTRL);
	expect_key("\033[6;2~", KS_PGDN, KS_MOD_SHIFT);
	expect_key("\033[1;2P", KS_F1, KS_MOD_SHIFT);
	expect_key("\033O5D", KS_LEFT, KS_MOD_CTRL);
}

static void test_linux_console(void **state)
{
	(void)state;
	expect_key("\033[[A", KS_F1, 0);
	expect_key("\033[[E", KS_F1 + 4, 0);
}

/* Sequences with no key of ours are taken whole and mean nothing. */
static void test_unknown_taken_whole(void **state)
{
	(void)state;
	expect_key("\033[200~", KS_NONE, 0);	/* bracketed paste */
	expect_key("\033[E", KS_NONE, 0);	/* the keypad's 5 */
	expect_key("\033[<0;12;5M", KS_NONE, 0);	/* a mouse report */
	expect_key("\033[I", KS_NONE, 0);	/* focus */
	expect_key("\033[99~", KS_NONE, 0);
	expect_key("\033[[Z", KS_NONE, 0);
}

static void test_keypad_digits(void **state)
{
	(void)state;
	struct keyseq k;
	assert_int_equal(keyseq_parse((const unsigned char *)"\033Oq", 3, false, &k), 3);
	assert_int_equal(k.key, KS_CHAR);
	assert_int_equal(k.ch, '1');
	assert_int_equal(keyseq_parse((const unsigned char *)"\033On", 3, false, &k), 3);
	assert_int_equal(k.ch, '.');
}

/* Every proper prefix of a sequence asks for more; with final it is
 * dropped whole (never Esc); a lone ESC with final is Esc. */
static void test_prefixes(void **state)
{
	(void)state;
	const char *seqs[] = {"\033[1~", "\033[1;5C", "\033OH", "\033[[A", "\033[24~"};
	struct keyseq k;
	for (size_t i = 0; i < sizeof seqs / sizeof *seqs; i++) {
		const unsigned char *s = (const unsigned char *)seqs[i];
		for (size_t n = 1; n < strlen(seqs[i]); n++) {
			assert_int_equal(keyseq_parse(s, n, false, &k), 0);
			size_t got = keyseq_parse(s, n, true, &k);
			assert_int_equal(got, n);
			assert_int_equal(k.key, n == 1 ? KS_ESC : KS_NONE);
		}
	}
}

/* ESC before a byte that starts no sequence is Esc, and the byte stays. */
static void test_esc_then_key(void **state)
{
	(void)state;
	struct keyseq k;
	assert_int_equal(keyseq_parse((const unsigned char *)"\033y", 2, false, &k), 1);
	assert_int_equal(k.key, KS_ESC);
	assert_int_equal(keyseq_parse((const unsigned char *)"\033\033[A", 4, false, &k), 1);
	assert_int_equal(k.key, KS_ESC);
}

/* A byte that cannot be in a sequence ends it: what came before is
 * dropped, the byte itself is left to be read. */
static void test_broken(void **state)
{
	(void)state;
	struct keyseq k;
	const unsigned char s[] = {0x1b, '[', '1', 0xe4, 0xb9, 0xa1};
	assert_int_equal(keyseq_parse(s, sizeof s, false, &k), 3);
	assert_int_equal(k.key, KS_NONE);
	unsigned char longseq[64];
	longseq[0] = 0x1b;
	longseq[1] = '[';
	memset(longseq + 2, '1', sizeof longseq - 2);
	size_t got = keyseq_parse(longseq, sizeof longseq, false, &k);
	assert_true(got > 2 && got <= 32);
	assert_int_equal(k.key, KS_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_putty_and_vt220),
		cmocka_unit_test(test_xterm),
		cmocka_unit_test(test_modifiers),
		cmocka_unit_test(test_linux_console),
		cmocka_unit_test(test_unknown_taken_whole),
		cmocka_unit_test(test_keypad_digits),
		cmocka_unit_test(test_prefixes),
		cmocka_unit_test(test_esc_then_key),
		cmocka_unit_test(test_broken),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
