/*
 * keyseq.c - decodes the escape sequences of keys (keyseq.h). The forms
 * follow ECMA-48: CSI is ESC [ then parameter bytes 0x30-0x3F, intermediate
 * bytes 0x20-0x2F and one final byte 0x40-0x7E; SS3 is ESC O, optional
 * parameters and a final byte. Any complete sequence is taken whole, known
 * or not, so nothing of it ever reaches a field as letters.
 */
#include "keyseq.h"

#include <string.h>

/* Longer than any key sends; more is noise and is dropped. */
#define SEQ_MAX 32

/* The key of a CSI or SS3 final byte without a number before '~'. */
static enum keyseq_key final_key(unsigned char f)
{
	switch (f) {
	case 'A': return KS_UP;
	case 'B': return KS_DOWN;
	case 'C': return KS_RIGHT;
	case 'D': return KS_LEFT;
	case 'H': return KS_HOME;
	case 'F': return KS_END;
	case 'Z': return KS_BTAB;
	case 'P': return KS_F1;
	case 'Q': return KS_F1 + 1;
	case 'R': return KS_F1 + 2;
	case 'S': return KS_F1 + 3;
	}
	return KS_NONE;
}

/* The key of ESC [ n ~ (VT220, PuTTY, Linux, rxvt and xterm numbers). */
static enum keyseq_key tilde_key(long n)
{
	switch (n) {
	case 1: case 7: return KS_HOME;	/* 7: rxvt */
	case 2: return KS_INSERT;
	case 3: return KS_DELETE;
	case 4: case 8: return KS_END;	/* 8: rxvt */
	case 5: return KS_PGUP;
	case 6: return KS_PGDN;
	case 11: case 12: case 13: case 14: case 15:
		return (enum keyseq_key)(KS_F1 + (n - 11));
	case 17: case 18: case 19: case 20: case 21:
		return (enum keyseq_key)(KS_F1 + 5 + (n - 17));
	case 23: case 24:
		return (enum keyseq_key)(KS_F1 + 10 + (n - 23));
	}
	return KS_NONE;
}

/* The application keypad (ESC O p .. ESC O y and friends) sends characters. */
static uint32_t keypad_char(unsigned char f)
{
	static const char map[] = "pqrstuvwxyjklmnoX";
	static const char chars[] = "0123456789*+,-./=";
	const char *at = f ? strchr(map, f) : NULL;
	return at ? (uint32_t)chars[at - map] : 0;
}

/* Reads the parameters at s[from..end): the first two numbers, and whether
 * a private marker (< = > ?) makes the sequence one we do not read. */
static bool params(const unsigned char *s, size_t from, size_t end, long p[2])
{
	int k = 0;
	p[0] = p[1] = 0;
	for (size_t i = from; i < end; i++) {
		unsigned char c = s[i];
		if (c >= '0' && c <= '9') {
			if (k < 2 && p[k] < 100000)
				p[k] = p[k] * 10 + (c - '0');
		} else if (c == ';') {
			k++;
		} else if (c != ':') {
			return false;	/* a private marker or an intermediate byte */
		}
	}
	return true;
}

static size_t done(struct keyseq *out, enum keyseq_key key, int mods, size_t len)
{
	out->key = key;
	out->mods = mods;
	return len;
}

/* ESC [ ... or ESC O ...: the final byte's index, or 0 when more bytes are
 * needed; *broken when a byte that cannot be in a sequence ends it early. */
static size_t find_final(const unsigned char *s, size_t n, bool *broken)
{
	*broken = false;
	for (size_t i = 2; i < n && i < SEQ_MAX; i++) {
		if (s[i] >= 0x40 && s[i] <= 0x7e)
			return i;
		if (s[i] < 0x20 || s[i] > 0x3f) {
			*broken = true;
			return i;
		}
	}
	if (n >= SEQ_MAX)
		*broken = true;
	return n >= SEQ_MAX ? SEQ_MAX : 0;
}

size_t keyseq_parse(const unsigned char *s, size_t n, bool final, struct keyseq *out)
{
	memset(out, 0, sizeof *out);
	if (n == 0)
		return 0;
	if (n == 1)
		return final ? done(out, KS_ESC, 0, 1) : 0;
	if (s[1] != '[' && s[1] != 'O')
		return done(out, KS_ESC, 0, 1);
	/* the Linux console's F1-F5: ESC [ [ A .. ESC [ [ E */
	if (s[1] == '[' && n >= 3 && s[2] == '[') {
		if (n < 4)
			return final ? done(out, KS_NONE, 0, n) : 0;
		bool f15 = s[3] >= 'A' && s[3] <= 'E';
		return done(out, f15 ? (enum keyseq_key)(KS_F1 + (s[3] - 'A')) : KS_NONE, 0, 4);
	}
	bool broken;
	size_t f = find_final(s, n, &broken);
	if (f == 0)
		return final ? done(out, KS_NONE, 0, n) : 0;
	if (broken)	/* dropped whole, but not the byte that broke it */
		return done(out, KS_NONE, 0, f);
	long p[2];
	if (!params(s, 2, f, p))
		return done(out, KS_NONE, 0, f + 1);
	/* xterm's modifier: ESC [1;5C, ESC [3;2~, and ESC O5C of older ones */
	long m = s[1] == '[' ? p[1] : (p[1] ? p[1] : p[0]);
	int mods = m >= 2 && m <= 16 ? (int)(m - 1) : 0;
	unsigned char fb = s[f];
	if (s[1] == 'O') {
		if (fb == 'M')
			return done(out, KS_ENTER, mods, f + 1);
		uint32_t c = keypad_char(fb);
		if (c) {
			out->ch = c;
			return done(out, KS_CHAR, 0, f + 1);
		}
		return done(out, final_key(fb), mods, f + 1);
	}
	if (fb == '~')
		return done(out, tilde_key(p[0]), mods, f + 1);
	return done(out, final_key(fb), mods, f + 1);
}
