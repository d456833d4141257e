# test_ui_gb18030.sh - a server whose locale is GB18030 (older Xshell
# set-ups): the screens write GB18030, so 乡村人才登记 shows right in such a
# terminal; what is typed in GB18030 is stored as the right UTF-8; and a
# locale the program cannot serve gets one clear sentence saying which one to
# use. The locales are made with localedef into a private LOCPATH; without
# localedef the test is skipped (and counted as skipped).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ui.bash"
setup
trap 'ui_close; rm -rf "$WORK"' EXIT
LOC="$WORK/locale"
mkdir -p "$LOC"
if ! command -v localedef >/dev/null ||
   ! localedef -i zh_CN -f GB18030 "$LOC/zh_CN.GB18030" >/dev/null 2>&1; then
	_skip "the screens under a GB18030 locale" "localedef cannot make zh_CN.GB18030 here (make deps installs locales)"
	exit 0
fi
run init
expect_status 0 "init for the screens"

gb() { printf '%s' "$1" | iconv -f UTF-8 -t GB18030 | od -An -tx1; }
RAW="$WORK/terminal.raw"
# what the terminal received since byte $MARK, read as GB18030
since_mark() { tail -c +$((MARK + 1)) "$RAW" | iconv -c -f GB18030 -t UTF-8 2>/dev/null; }
mark() { MARK=$(stat -c %s "$RAW"); }
# gb_expect TEXT DESCRIPTION: polls until the terminal received TEXT (in
# GB18030) since the last mark
gb_expect() {
	local i=0
	while [ $i -lt 100 ]; do
		since_mark | grep -qF -- "$1" && { _ok "$2"; return 0; }
		sleep 0.05; i=$((i + 1))
	done
	_fail "$2 (the terminal never received '$1' in GB18030)"
	return 1
}
gb_type() { ui_hex $(gb "$1"); }

# the program starts only once tmux copies its output to $RAW
_tmux kill-server 2>/dev/null
_tmux new-session -d -s ui -x 80 -y 24 \
	"read go; exec env LOCPATH='$LOC' LANG=zh_CN.GB18030 TALENTREG_CONFIG='$TALENTREG_CONFIG' TALENTREG_TODAY='$TALENTREG_TODAY' '$TR'"
: >"$RAW"
_tmux pipe-pane -o -t ui "cat >>'$RAW'"
MARK=0
ui_keys Enter
gb_expect "乡村人才登记" "under LANG=zh_CN.GB18030 the title reaches the terminal in GB18030"
gb_expect "五支人才队伍进度" "and so does the home screen"
utf8_title=$(printf '乡村人才登记' | od -An -tx1 | tr -d ' \n')
if od -An -tx1 "$RAW" | tr -d ' \n' | grep -q "$utf8_title"; then
	_fail "the terminal got the title in UTF-8 (which a GB18030 terminal shows as 涔℃潙浜烘墠鐧昏)"
else
	_ok "no UTF-8 reaches the GB18030 terminal"
fi

# a registration typed in GB18030, as in test_ui.sh
mark; ui_keys n
gb_expect "选择类别" "n opens the category list"
mark; gb_type "教师"
# curses sends only the cells that change: on the row of 农村二三产业发展人才
# the filtered list's heading 乡村公共服务人才 goes out as 乡村公共服务 (人才
# stays), and 乡村教师 replaces 乡村工匠/传统艺人 as 教师 (乡村 stays)
gb_expect "乡村公共服务" "typing 教师 in GB18030 filters the list"
mark; ui_keys Enter
gb_expect "姓名" "Enter opens the form"
mark; gb_type "王小梅"
gb_expect "王小梅" "a name typed in GB18030 shows in the field"
ui_keys Tab
ui_type "620302198506120028"; mark; ui_keys Tab
gb_expect "1985-06-12" "a valid ID fills the birth date"
ui_keys Tab Tab
ui_type "13800138000"; ui_keys Tab
mark; ui_keys Enter; gb_type "宁远"; gb_expect "宁远堡镇" "the township list filters by GB18030 text"; ui_keys Enter
mark; ui_keys Enter; gb_type "东湾"; gb_expect "东湾村" "and the village list"; ui_keys Enter
ui_keys Tab
mark; gb_type "东湾村小学"; gb_expect "东湾村小学" "the school typed in GB18030"; ui_keys Tab
mark; ui_keys Enter; gb_type "小学"; gb_expect "初中" "the stage list opens" ; ui_keys Enter
ui_keys Tab Tab
mark; gb_type "在编"; gb_expect "在编" "the staffing list filters"; ui_keys Enter
ui_type "12"
mark; ui_keys C-s
gb_expect "继续登记下一位乡村教师吗" "Ctrl-S saves"
ui_type n
out=$("$TR" list --format json --search 王小梅)
expect_out '"name":"王小梅"' "the name typed in GB18030 is stored as UTF-8"
uuid=$(printf '%s' "$out" | sed -n 's/.*"uuid":"\([^"]*\)".*/\1/p' | head -1)
expect_eq "$(stored "$uuid" school)" "东湾村小学" "and so is the school"
expect_eq "$(stored "$uuid" staffing)" "在编" "and the choice picked by typing"
ui_close

# a locale the program cannot serve: one clear sentence, not garbage
if localedef -i zh_TW -f BIG5 "$LOC/zh_TW.BIG5" >/dev/null 2>&1; then
	out=$(env LOCPATH="$LOC" LANG=zh_TW.BIG5 "$TR" 2>&1 </dev/null)
	status=$?
	expect_status 2 "an installed BIG5 locale is refused"
	expect_out "LANG=zh_CN.UTF-8" "with a sentence naming the locale to use"
	expect_out "zh_TW.BIG5" "and the locale it cannot serve"
	expect_out "set both the terminal" "and the same in plain ASCII"
	if printf '%s' "$out" | grep -q $'\e'; then _fail "the refusal drew the screens"; else _ok "nothing of the screens is drawn"; fi
else
	_skip "an installed BIG5 locale is refused" "localedef cannot make zh_TW.BIG5"
fi
out=$(env LOCPATH="$LOC" LANG=zh_CN.GBK "$TR" 2>&1 </dev/null)
status=$?
expect_status 2 "a GBK locale this server lacks is refused"
expect_out "本服务器没有安装终端所用的字符集 zh_CN.GBK" "saying the server lacks it"
expect_out "LANG=zh_CN.UTF-8" "and which locale to use"
# in tmux, as the officer would see it
_tmux kill-server 2>/dev/null
_tmux new-session -d -s ui -x 80 -y 24 \
	"env LOCPATH='$LOC' LANG=zh_CN.GBK TALENTREG_CONFIG='$TALENTREG_CONFIG' '$TR'; read x"
expect_screen "本服务器没有安装" "the sentence shows on the officer's terminal"
# the commands are as before: a missing zh_CN.UTF-8 falls back to C.UTF-8
out=$(env LANG=zh_CN.UTF-8 LOCPATH="$LOC" "$TR" forms 2>&1)
expect_out "乡村教师" "a command under a missing zh_CN.UTF-8 still speaks UTF-8"
