/*
 * keyseq.h - what the bytes a terminal sends after ESC mean: the cursor and
 * editing keys and function keys in every form the officers' terminals send
 * them (PuTTY's ESC [1~, xterm's ESC [H and ESC OH, the Linux console's
 * ESC [[A, CSI and SS3, with modifiers such as ESC [1;5C), decoded here
 * rather than from terminfo, which knows one form per TERM at best. Pure
 * logic with no terminal and no clock: the key reader in ui/screen.c feeds
 * it bytes and says when no more will come.
 */
#ifndef TALENTREG_KEYSEQ_H
#define TALENTREG_KEYSEQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KEYSEQ_ESC 0x1b

enum keyseq_key {
	KS_NONE,	/* a whole sequence this program has no use for: ignore it */
	KS_CHAR,	/* a character (the application keypad's digits): see ch */
	KS_ESC,		/* Esc pressed on its own */
	KS_UP, KS_DOWN, KS_RIGHT, KS_LEFT,
	KS_HOME, KS_END, KS_INSERT, KS_DELETE, KS_PGUP, KS_PGDN,
	KS_BTAB,	/* Shift-Tab */
	KS_ENTER,	/* the keypad's Enter */
	KS_F1,		/* KS_F1 + n - 1 is Fn, up to F12 */
	KS_F12 = KS_F1 + 11,
};

/* Modifier bits, as xterm numbers them (its parameter minus one). */
#define KS_MOD_SHIFT 1
#define KS_MOD_ALT 2
#define KS_MOD_CTRL 4

struct keyseq {
	enum keyseq_key key;
	uint32_t ch;	/* for KS_CHAR */
	int mods;	/* KS_MOD_* bits */
};

/* Decodes the bytes s[0..n) that start with ESC (n >= 1). Returns how many
 * bytes the key takes and sets *out, or returns 0 when s is the beginning of
 * a sequence and more bytes may complete it. With final (no more bytes will
 * come in time) it never returns 0: a lone ESC is Esc, and a sequence cut
 * short is taken whole as KS_NONE, so that it neither acts as Esc nor leaves
 * its letters to be typed. ESC followed by a byte that starts no sequence is
 * Esc on its own (1 byte); the byte is read next as itself. */
size_t keyseq_parse(const unsigned char *s, size_t n, bool final, struct keyseq *out);

#endif
