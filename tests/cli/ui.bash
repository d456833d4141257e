# ui.bash - driving the screens in tmux, for the end-to-end tests. Source it
# after lib.sh. Each test gets its own tmux server (-L), so the program sees
# this test's environment; waiting is always by polling the screen.

export LANG=C.UTF-8

# ui_setup: lib.sh's setup for a screen test: a database made by init, and
# the tmux server closed with the folder at the end.
ui_setup() {
	setup
	trap 'ui_close; rm -rf "$WORK"' EXIT
	run init
	expect_status 0 "init for the screens"
}
UI_SOCK="trui$$"
_tmux() { tmux -u -L "$UI_SOCK" "$@"; }

# ui_open [COLS ROWS] [ARGS...]: starts talentreg in a new 80x24 session;
# $UI_ENV adds environment settings (e.g. "TERM=vt100").
ui_open() {
	local cols=${1:-80} rows=${2:-24}
	shift 2 2>/dev/null
	ui_close
	# a server of its own each time: a server just killed (or whose program
	# just quit) may still be exiting, and a new session sent to it is lost
	UI_N=$((${UI_N:-0} + 1))
	UI_SOCK="trui$$-$UI_N"
	_tmux new-session -d -s ui -x "$cols" -y "$rows" \
		"exec env TALENTREG_CONFIG='$TALENTREG_CONFIG' TALENTREG_TODAY='$TALENTREG_TODAY' ${UI_ENV:-} '$TR' $*"
	UI_PID=$(_tmux display-message -p -t ui '#{pane_pid}')
}
# ui_close: ends the session's server (the program may have quit already)
# and removes its socket, which tmux leaves behind.
ui_close() {
	_tmux kill-server 2>/dev/null
	rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$UI_SOCK"
}
ui_screen() { _tmux capture-pane -p -t ui 2>/dev/null; }
ui_keys() { _tmux send-keys -t ui "$@"; }
ui_type() { _tmux send-keys -t ui -l "$1"; }

# wait_for TEXT [SECONDS]: polls the screen until TEXT shows; returns 1 and
# prints the screen when it does not within SECONDS (default 5).
wait_for() {
	local text=$1 limit=${2:-5} i=0
	while [ "$i" -lt $((limit * 20)) ]; do
		ui_screen | grep -qF -- "$text" && return 0
		sleep 0.05
		i=$((i + 1))
	done
	echo "# screen while waiting for '$text':"
	ui_screen | sed 's/^/#   /'
	return 1
}
# wait_gone TEXT [SECONDS]: polls until TEXT is no longer on the screen.
wait_gone() {
	local text=$1 limit=${2:-5} i=0
	while [ "$i" -lt $((limit * 20)) ]; do
		ui_screen | grep -qF -- "$text" || return 0
		sleep 0.05
		i=$((i + 1))
	done
	return 1
}
# expect_screen TEXT DESCRIPTION: waits for TEXT and reports ok/not ok.
expect_screen() {
	if wait_for "$1" "${3:-5}"; then _ok "$2"; else _fail "$2 (screen lacks '$1')"; fi
}
# ui_hex BYTES...: sends raw bytes (hex), as a terminal would for a key.
ui_hex() { _tmux send-keys -t ui -H "$@"; }
# wait_line REGEX [SECONDS]: polls until a line of the screen matches the
# extended regex; returns 1 and prints the screen when none does in time.
wait_line() {
	local re=$1 limit=${2:-5} i=0
	while [ "$i" -lt $((limit * 20)) ]; do
		ui_screen | grep -qE -- "$re" && return 0
		sleep 0.05
		i=$((i + 1))
	done
	echo "# screen while waiting for a line matching '$re':"
	ui_screen | sed 's/^/#   /'
	return 1
}
# expect_line REGEX DESCRIPTION [SECONDS]: wait_line, reported as ok/not ok.
expect_line() {
	if wait_line "$1" "${3:-5}"; then _ok "$2"; else _fail "$2 (no line matches '$1')"; fi
}
# ui_current: the label of the form's current field (its line is marked >).
ui_current() {
	ui_screen | sed -n 's/^>[* ]\([^ ]*\).*/\1/p' | head -1
}
# ui_field LABEL: moves the form's cursor down to the field LABEL one ↓ at
# a time (↓ visits every field, what the program filled too); returns 1,
# printing the screen, when it never gets there.
ui_field() {
	local label=$1 i j now
	for i in $(seq 1 40); do
		now=$(ui_current)
		[ "$now" = "$label" ] && return 0
		ui_keys Down
		for j in $(seq 1 40); do	# until the mark has moved
			[ "$(ui_current)" != "$now" ] && break
			sleep 0.05
		done
		[ "$(ui_current)" = "$now" ] && break	# the last field
	done
	echo "# the cursor never reached '$label':"
	ui_screen | sed 's/^/#   /'
	return 1
}
