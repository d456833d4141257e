/*
 * screen.c - the one file that sets up curses, colours and signals, and
 * reads keys. Keys are read from the terminal here, not by curses: the
 * bytes of cursor and function keys are decoded by keyseq.c in whatever form
 * the terminal sends them (terminfo knows one form per TERM at best), after
 * an ESC the reader waits long enough for a slow line, and characters come
 * in the terminal's encoding (UTF-8 or GB18030) through the C library. The
 * reader never spins: it waits in poll(), so a hangup (SIGHUP, SIGTERM,
 * stdin closing) is seen at once, the hook saves the draft, and the program
 * exits. Also the drawing helpers every screen uses: all text goes through
 * text_sanitize and is clipped by columns.
 */
#include <curses.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "keyseq.h"
#include "lineedit.h"
#include "text.h"
#include "ui.h"

/* How long a lone ESC waits for the rest of a key's sequence before it is
 * Esc (ESCDELAY overrides, in ms), and how long each later byte of a
 * sequence or of a multibyte character may take. A slow SSH line delivers
 * the bytes of one key 50-100 ms apart; 300 ms covers that three times over
 * and still feels immediate for Esc. */
#define ESC_WAIT_MS 300
#define SEQ_WAIT_MS 1000
/* A status longer than this many rows ends in a marker. */
#define STATUS_MAX_ROWS 3

static volatile sig_atomic_t hangup_signal, winch_signal;
static int esc_wait_ms = ESC_WAIT_MS;
static SCREEN *screen;
static ui_hangup_fn hangup_fn;
static void *hangup_arg;
static bool use_color;
static bool started;

static const struct {
	short fg, bg;
	int mono;
} colors[C__COUNT] = {
	[C_NORMAL] = {-1, -1, A_NORMAL},
	[C_TITLE] = {COLOR_WHITE, COLOR_BLUE, A_REVERSE},
	[C_SELECTED] = {COLOR_BLACK, COLOR_CYAN, A_REVERSE},
	[C_ERROR] = {COLOR_RED, -1, A_BOLD},
	[C_OK] = {COLOR_GREEN, -1, A_BOLD},
	[C_BAR] = {COLOR_BLACK, COLOR_GREEN, A_REVERSE},
	[C_DIM] = {COLOR_CYAN, -1, A_DIM},
	[C_WARN] = {COLOR_YELLOW, -1, A_BOLD},
};

static void on_signal(int sig)
{
	hangup_signal = sig;
}

static void on_winch(int sig)
{
	winch_signal = sig;
}

int ui_rows(void)
{
	return LINES;
}

int ui_cols(void)
{
	return COLS;
}

int ui_attr(enum ui_color c)
{
	if (c == C_NORMAL)
		return A_NORMAL;
	if (!use_color)
		return colors[c].mono;
	return (int)(COLOR_PAIR(c) | (c == C_ERROR || c == C_OK ? A_BOLD : 0));
}

int ui_start(struct app *app)
{
	(void)app;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "talentreg: %s\n", msg(MSG_UI_NEED_TTY));
		return EXIT_USAGE;
	}
	struct sigaction sa = {0};
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	const char *delay = getenv("ESCDELAY");
	long ms;
	if (delay && str_to_long(delay, &ms) == 0 && ms >= 0 && ms <= 5000)
		esc_wait_ms = (int)ms;
	/* newterm, not initscr: an unknown TERM (a server without the putty
	 * entry) gets xterm's, which every terminal the officers use follows,
	 * instead of the program stopping */
	screen = newterm(NULL, stdout, stdin);
	if (screen == NULL)
		screen = newterm("xterm", stdout, stdin);
	if (screen == NULL) {
		fprintf(stderr, "talentreg: %s\n", msg(MSG_UI_NEED_TTY));
		return EXIT_USAGE;
	}
	started = true;
	raw();			/* Ctrl-S, Ctrl-Q and Ctrl-C come as keys */
	noecho();
	nonl();
	/* keys are read and decoded here (read_key), not by curses: no keypad
	 * mode, so the terminal keeps sending what it sends by default and the
	 * numeric keypad types digits */
	keypad(stdscr, FALSE);
	typeahead(-1);		/* every refresh is drawn whole */
	struct sigaction wa = {0};
	wa.sa_handler = on_winch;
	sigemptyset(&wa.sa_mask);
	sigaction(SIGWINCH, &wa, NULL);
	use_color = has_colors() && getenv("NO_COLOR") == NULL;
	if (use_color) {
		start_color();
		use_default_colors();
		for (int c = 1; c < C__COUNT; c++)
			init_pair((short)c, colors[c].fg, colors[c].bg);
	}
	return EXIT_DONE;
}

void ui_stop(void)
{
	if (started) {
		endwin();
		delscreen(screen);
		screen = NULL;
		started = false;
	}
}

void ui_on_hangup(ui_hangup_fn fn, void *arg)
{
	hangup_fn = fn;
	hangup_arg = arg;
}

/* The terminal is gone or we were asked to stop: save and leave. */
static void hangup(void)
{
	if (hangup_fn)
		hangup_fn(hangup_arg);
	ui_stop();
	exit(EXIT_DONE);
}

static bool too_small(void)
{
	return COLS < UI_MIN_COLS || LINES < UI_MIN_ROWS;
}

static void draw_too_small(void)
{
	erase();
	char *m = msgf(MSG_UI_TOO_SMALL, COLS, LINES);
	ui_text(0, 0, m, COLS, ui_attr(C_ERROR), false);
	free(m);
	refresh();
}

/* The bytes read from the terminal and not yet made into keys. */
static unsigned char inq[256];
static size_t inn;

/* Waits up to ms milliseconds (-1: as long as it takes, waking every second
 * to look at the signal flags) for bytes, and appends what came to inq.
 * Returns the bytes read, 0 when none came in time or a signal woke it, and
 * leaves (hangup()) when the terminal is gone. */
static int fill(int ms)
{
	if (hangup_signal)
		hangup();
	if (inn == sizeof inq)
		return 0;
	struct pollfd p = {STDIN_FILENO, POLLIN, 0};
	int n = poll(&p, 1, ms < 0 ? 1000 : ms);
	if (n < 0 && errno != EINTR)
		hangup();
	if (n <= 0)
		return 0;
	if (p.revents & (POLLERR | POLLNVAL))
		hangup();
	ssize_t got = read(STDIN_FILENO, inq + inn, sizeof inq - inn);
	if (got == 0 || (got < 0 && errno != EINTR && errno != EAGAIN))
		hangup();	/* the line dropped: end of input or EIO */
	if (got < 0)
		return 0;
	inn += (size_t)got;
	return (int)got;
}

static void take(size_t n)
{
	memmove(inq, inq + n, inn - n);
	inn -= n;
}

/* The curses key code of a decoded sequence (0: none). */
static int curses_key(enum keyseq_key k)
{
	switch (k) {
	case KS_UP: return KEY_UP;
	case KS_DOWN: return KEY_DOWN;
	case KS_LEFT: return KEY_LEFT;
	case KS_RIGHT: return KEY_RIGHT;
	case KS_HOME: return KEY_HOME;
	case KS_END: return KEY_END;
	case KS_INSERT: return KEY_IC;
	case KS_DELETE: return KEY_DC;
	case KS_PGUP: return KEY_PPAGE;
	case KS_PGDN: return KEY_NPAGE;
	case KS_BTAB: return KEY_BTAB;
	default:
		if (k >= KS_F1 && k <= KS_F12)
			return KEY_F(1 + (k - KS_F1));
	}
	return 0;
}

/* Turns the bytes at the head of inq into one key, waiting for the rest of
 * a sequence or of a multibyte character as long as a slow line may need.
 * Returns false when the bytes meant nothing (a sequence we ignore). */
static bool read_key(struct key *k)
{
	if (inq[0] == KEYSEQ_ESC) {
		struct keyseq ks;
		size_t used;
		/* the first wait decides between Esc and a key's sequence; once
		 * ESC [ or ESC O has come, waiting longer costs nobody anything */
		while ((used = keyseq_parse(inq, inn, false, &ks)) == 0)
			if (fill(inn == 1 ? esc_wait_ms : SEQ_WAIT_MS) == 0) {
				used = keyseq_parse(inq, inn, true, &ks);
				break;
			}
		take(used);
		if (ks.key == KS_ESC)
			*k = (struct key){false, K_ESC};
		else if (ks.key == KS_CHAR)
			*k = (struct key){false, (wint_t)ks.ch};
		else if (ks.key == KS_ENTER)	/* the keypad's Enter is Enter */
			*k = (struct key){false, '\r'};
		else if (curses_key(ks.key))
			*k = (struct key){true, (wint_t)curses_key(ks.key)};
		else
			return false;
		return true;
	}
	/* a character in the terminal's encoding (UTF-8 or GB18030): the C
	 * library turns it into its code point */
	for (;;) {
		wchar_t wc;
		mbstate_t st;
		memset(&st, 0, sizeof st);
		size_t r = mbrtowc(&wc, (const char *)inq, inn, &st);
		if (r == (size_t)-2) {	/* cut short: wait for the rest */
			if (fill(SEQ_WAIT_MS) > 0)
				continue;
			take(inn);	/* never came: drop it */
			return false;
		}
		if (r == (size_t)-1) {	/* not a character: drop the byte */
			take(1);
			return false;
		}
		take(r == 0 ? 1 : r);
		*k = (struct key){false, (wint_t)wc};
		return true;
	}
}

/* The window's new size, after SIGWINCH. */
static void resized(void)
{
	struct winsize ws;
	winch_signal = 0;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
		resize_term(ws.ws_row, ws.ws_col);
	clearok(curscr, TRUE);
}

struct key ui_key(void)
{
	bool small = false;
	for (;;) {
		if (hangup_signal)
			hangup();
		if (winch_signal) {
			resized();
			if ((small = too_small()))
				draw_too_small();
			else
				return (struct key){true, KEY_RESIZE};
			continue;
		}
		if (!small && too_small()) {
			small = true;
			draw_too_small();
			continue;
		}
		if (inn == 0) {
			fill(-1);
			continue;
		}
		struct key k;
		if (!read_key(&k) || small)	/* keys mean nothing under the message */
			continue;
		return k;
	}
}

/* Draws UTF-8 s at the cursor as wide characters: curses writes them in
 * the terminal's encoding (UTF-8 or GB18030), whatever the bytes inside. */
static void add_utf8(const char *s)
{
	size_t n = strlen(s), k = 0;
	wchar_t *w = xcalloc(n + 1, sizeof *w);	/* never more characters than bytes */
	while (n > 0) {
		uint32_t cp;
		int len = utf8_decode(s, n, &cp);
		w[k++] = cp == TEXT_INVALID ? 0xFFFD : (wchar_t)cp;
		s += len;
		n -= (size_t)len;
	}
	addnwstr(w, (int)k);
	free(w);
}

int ui_text(int y, int x, const char *s, int cols, int attr, bool pad)
{
	if (cols <= 0 || y < 0 || y >= LINES)
		return 0;
	char *safe = text_sanitize(s ? s : "");
	char *clip = text_clip_mark(safe, (size_t)cols);	/* a cut is never silent */
	int used = (int)text_width(clip);
	attron(attr);
	move(y, x);
	add_utf8(clip);
	if (pad)
		for (int i = used; i < cols; i++)
			addch(' ');
	attroff(attr);
	free(safe);
	free(clip);
	return pad ? cols : used;
}

void ui_clear_line(int y, int x, int attr)
{
	attron(attr);
	for (int i = x; i < COLS; i++)
		mvaddch(y, i, ' ');
	attroff(attr);
}

void ui_title(const char *left, const char *right)
{
	int a = ui_attr(C_TITLE);
	ui_clear_line(0, 0, a);
	int w = right ? (int)text_width(right) : 0, room = COLS - 2;
	if (right && w < COLS / 2) {	/* the left part stops short of it */
		ui_text(0, COLS - w - 1, right, w, a, false);
		room -= w + 2;
	}
	ui_text(0, 1, left, room, a, false);
}

void ui_keys(const char *text)
{
	int a = ui_attr(C_TITLE);
	ui_clear_line(LINES - 1, 0, a);
	ui_text(LINES - 1, 1, text, COLS - 2, a, false);
}

int ui_status_rows(const char *text)
{
	struct strv rows = {0};
	char *safe = text_sanitize(text ? text : "");
	int n = (int)text_wrap(safe, (size_t)(COLS - 2), 0, &rows);
	free(safe);
	strv_free(&rows);
	return n < STATUS_MAX_ROWS ? n : STATUS_MAX_ROWS;
}

int ui_status(const char *text, enum ui_color c)
{
	ui_clear_line(LINES - 2, 0, A_NORMAL);
	if (text == NULL)
		return 1;
	struct strv rows = {0};
	char *safe = text_sanitize(text);
	text_wrap(safe, (size_t)(COLS - 2), 0, &rows);
	free(safe);
	int n = (int)rows.n < STATUS_MAX_ROWS ? (int)rows.n : STATUS_MAX_ROWS;
	if ((int)rows.n > n) {	/* what still does not fit ends in a marker */
		char *last = xasprintf("%s%s", rows.v[n - 1], rows.v[n]);
		free(rows.v[n - 1]);
		rows.v[n - 1] = last;
	}
	for (int i = 0; i < n; i++) {
		int y = LINES - 1 - n + i;
		ui_clear_line(y, 0, A_NORMAL);
		ui_text(y, 1, rows.v[i], COLS - 2, ui_attr(c), false);
	}
	strv_free(&rows);
	return n;
}

bool ui_confirm(const char *question)
{
	char *q = xasprintf("%s%s", question, msg(MSG_UI_YES_NO));
	enum ui_action act;
	do {
		ui_status(q, C_WARN);
		refresh();
		act = ui_action(&keys_confirm, ui_key(), 0);
	} while (act != UA_YES && act != UA_NO);
	free(q);
	ui_status(NULL, C_NORMAL);
	return act == UA_YES;
}

int ui_edit_draw(int y, int x, int width, struct ledit *e, int attr)
{
	/* a text wider than the field scrolls, with < and > at the edges where
	 * more of it is hidden */
	size_t total = 1;	/* the cursor's column after the text */
	for (size_t i = 0; i < e->n; i++)
		total += ledit_cp_width(e->cp[i]);
	bool marks = total > (size_t)width && width > 4;
	int inner = marks ? width - 2 : width, ix = marks ? x + 1 : x;
	size_t first, count, col;
	ledit_visible(e, (size_t)(inner > 1 ? inner : 1), &first, &count, &col);
	struct buf b = {0};
	buf_add(&b, "", 0);
	for (size_t i = 0; i < count; i++) {
		char u[4];
		buf_add(&b, u, (size_t)utf8_encode(e->cp[first + i], u));
	}
	ui_text(y, ix, b.s, inner, attr, true);	/* the whole field, every time */
	if (marks) {
		ui_text(y, x, first > 0 ? "<" : " ", 1, ui_attr(C_DIM), false);
		ui_text(y, x + width - 1, first + count < e->n ? ">" : " ", 1, ui_attr(C_DIM), false);
	}
	buf_free(&b);
	return ix + (int)col;
}

bool ui_edit_key(struct ledit *e, struct key k)
{
	switch (ui_action(&keys_edit, k, 0)) {
	case UA_LEFT: ledit_left(e); return true;
	case UA_RIGHT: ledit_right(e); return true;
	case UA_HOME: ledit_home(e); return true;
	case UA_END: ledit_end(e); return true;
	case UA_BACKSPACE: ledit_backspace(e); return true;
	case UA_DELETE: ledit_delete(e); return true;
	case UA_CLEAR: ledit_clear(e); return true;
	case UA_TYPE: ledit_insert(e, (uint32_t)k.ch); return true;	/* refused characters are dropped */
	default: return false;
	}
}

bool ui_is_enter(struct key k)
{
	return (!k.fn && (k.ch == '\r' || k.ch == '\n')) || (k.fn && k.ch == KEY_ENTER);
}

void ui_keyline(const struct ui_keymap *map, unsigned when)
{
	const struct ui_keymap *maps[] = {map};
	char *foot = ui_footer(maps, 1, when);
	ui_keys(foot);
	free(foot);
}

bool ui_scroll(enum ui_action act, int *top, int rows)
{
	switch (act) {
	case UA_DOWN: ++*top; return true;
	case UA_UP: --*top; return true;
	case UA_PGDN: *top += rows - 1; return true;
	case UA_PGUP: *top -= rows - 1; return true;
	case UA_TOP: *top = 0; return true;
	case UA_BOTTOM: *top = 1 << 20; return true;
	default: return false;
	}
}

char *ui_prompt(const char *question, const char *init)
{
	struct ledit e = {0};
	ledit_set(&e, init ? init : "");
	char *result = NULL;
	const struct ui_keymap *maps[] = {&keys_prompt};
	char *foot = ui_footer(maps, 1, 0);
	for (;;) {
		int y = LINES - 2, qw = (int)text_width(question) + 2;
		ui_status(question, C_WARN);
		ui_keys(foot);
		int cx = ui_edit_draw(y, qw, COLS - qw - 2, &e, A_UNDERLINE);
		move(y, cx);
		curs_set(1);
		refresh();
		struct key k = ui_key();
		enum ui_action act = ui_action(&keys_prompt, k, 0);
		if (act == UA_BACK)
			break;
		if (act == UA_OPEN) {
			result = ledit_text(&e);
			break;
		}
		ui_edit_key(&e, k);
	}
	free(foot);
	ledit_free(&e);
	ui_status(NULL, C_NORMAL);
	return result;
}

void ui_lines(const struct strv *lines, int *top, int y, int rows)
{
	int n = (int)lines->n, shown = n > rows ? rows - 1 : rows;	/* a row for the hint */
	if (*top > n - shown)
		*top = n - shown;
	if (*top < 0)
		*top = 0;
	for (int i = *top; i < n && i - *top < shown; i++)
		ui_text(y + i - *top, 2, lines->v[i], COLS - 4, 0, false);
	if (shown == rows)
		return;
	int below = n - *top - shown;
	char *hint = below > 0 ? msgf(MSG_UI_MORE_BELOW, below) : msgf(MSG_UI_MORE_ABOVE, *top);
	ui_text(y + shown, 2, hint, COLS - 4, ui_attr(C_DIM), false);
	free(hint);
}
