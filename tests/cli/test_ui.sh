# test_ui.sh - the screens end to end: the real program in tmux at 80x24,
# typed at as a person would (send-keys -l for Chinese), checked by polling
# the screen and then by the command line.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ui.bash"
ui_setup

records() { "$TR" list --format json | grep -c '"uuid"'; }
# A process that has exited but is not yet reaped (its parent, the tmux
# server, is gone) counts as ended.
alive() {
	local st
	st=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
	case "$st" in Z*|"") return 1 ;; esac
	return 0
}

# --- register a rural teacher, typed field by field -------------------------
ui_open 80 24
expect_screen "五支人才队伍进度" "home shows the five teams"
expect_screen "n 新登记" "home shows the menu keys"
ui_keys n
expect_screen "选择类别" "n opens the category list"
ui_type "教师"
wait_gone "科技特派员"
ui_keys Enter
expect_screen "新登记：乡村教师" "typing 教师 and Enter picks 乡村教师"
ui_type "王小梅"; ui_keys Tab		# 性别 is filled from the ID: Tab passes it
ui_type "620302198506120028"; ui_keys Tab
expect_screen "1985-06-12" "a valid ID fills the birth date"
if ui_screen | grep "性别" | grep -q "女"; then _ok "a valid ID fills the gender"; else _fail "gender not filled"; fi
ui_keys Tab Tab			# 民族 (its default), 文化程度 (left blank)
ui_type "13800138000"; ui_keys Tab
ui_keys Enter; ui_type "宁远"; ui_keys Enter		# township from its list
ui_keys Enter; ui_type "东湾"; ui_keys Enter		# village of that township
ui_keys Tab
ui_type "东湾村小学"; ui_keys Tab
ui_keys Enter; ui_type "小学"; ui_keys Enter		# stage
ui_keys Tab Tab
ui_type "在编"; ui_keys Enter		# staffing: typing on a list opens it, filtered
ui_type "12"
expect_screen "东湾村小学" "the school shows as typed"
ui_keys C-s
expect_screen "继续登记下一位乡村教师吗" "Ctrl-S saves and offers the next blank form"
ui_type "n"
expect_screen "五支人才队伍进度" "back on home after the save"
out=$("$TR" list --format json --search 王小梅)
expect_out '"name":"王小梅"' "the teacher is found by list --format json"
expect_out '"category":"rural_teacher"' "as a rural teacher"
uuid=$(printf '%s' "$out" | sed -n 's/.*"uuid":"\([^"]*\)".*/\1/p' | head -1)
out=$("$TR" show "$uuid" --format json)
expect_out '"school":"东湾村小学"' "with the school typed in the screens"
expect_out '"stage":"小学"' "and the stage picked from its list"
expect_out '"staffing":"在编"' "and the staffing typed straight onto its list"

# --- a wrong ID shows its error beside the field; Ctrl-S does not save ------
before=$(records)
ui_keys n; wait_for "选择类别"; ui_type "教师"; wait_gone "科技特派员"; ui_keys Enter
wait_for "新登记：乡村教师"
ui_type "李明"; ui_keys Tab
ui_type "620302198506120027"; ui_keys Tab
expect_screen "校验位不正确" "a wrong ID check character is reported"
if ui_screen | grep "身份证号" | grep -q "校验位不正确"; then
	_ok "the error stands beside the ID field"
else
	_fail "the error is not on the ID field's line"
fi
ui_type "1985年6月12日"; ui_keys Tab
expect_screen "1985-06-12" "a birth date typed 1985年6月12日 reads 1985-06-12 once the field is left"
ui_keys BTab BTab C-u
ui_type "6.20302E+17"; ui_keys Tab BTab
expect_screen "末几位已丢失：请把该列设为文本，重填后再导出" \
	"an ID pasted from Excel as 6.20302E+17: the whole message, what happened and what to do, fits 80 columns"
ui_keys C-s
expect_screen "处错误" "Ctrl-S with errors says so"
expect_eq "$(records)" "$before" "nothing was saved"
ui_keys Escape
expect_screen "离开表单吗" "Esc asks before leaving a typed form"
ui_type "y"
wait_for "五支人才队伍进度"

# --- search for a two-character name; resize; too small ---------------------
ui_keys l
expect_screen "浏览记录" "l opens browse"
ui_keys /
wait_for "搜索"
ui_type "小梅"; ui_keys Enter
expect_screen "王小梅" "a 2-character search finds the teacher"
expect_screen "6203**********0028" "browse shows the ID masked"
row() { ui_screen | grep -F "王小梅"; }
if row | grep -qE '待审核 +[0-9]{4}-[0-9]{2}-[0-9]{2}'; then
	_ok "at 80 columns every column fits, the day of the last change too"
else
	_fail "the row at 80 columns lacks its status and day: $(row)"
fi
_tmux resize-window -t ui -x 100 -y 30
i=0; while [ $i -lt 100 ] && [ "$(ui_screen | wc -l)" -ne 30 ]; do sleep 0.05; i=$((i+1)); done
expect_screen "王小梅" "after a resize to 100x30 the list is redrawn"
if ui_screen | tail -1 | grep -q "Enter 查看"; then _ok "the key line moved to the new last line"; else _fail "key line not on line 30"; fi
_tmux resize-window -t ui -x 60 -y 20
expect_screen "窗口太小" "at 60x20 the window-too-small message shows"
_tmux resize-window -t ui -x 80 -y 24
expect_screen "王小梅" "back at 80x24 the list is drawn again"
ui_keys Escape
wait_for "五支人才队伍进度"
ui_keys q
i=0; while [ $i -lt 40 ] && alive "$UI_PID"; do sleep 0.05; i=$((i+1)); done
if alive "$UI_PID"; then _fail "q does not quit"; else _ok "q quits"; fi

# --- a dropped line: half a form, the session killed --------------------------
ui_open 80 24
wait_for "五支人才队伍进度"
ui_keys n; wait_for "选择类别"; ui_type "教师"; wait_gone "科技特派员"; ui_keys Enter
expect_screen "草稿" "the draft left by Esc is offered"
ui_type "n"
wait_for "新登记：乡村教师"
ui_type "赵丽"; ui_keys Tab
ui_type "620302199003071230"; ui_keys Tab Tab Tab
ui_type "13912345678"; ui_keys Tab
wait_for "13912345678"
ui_type "139"				# typed on 乡镇: its list opens, filtered
wait_for "筛选：139"
pid=$UI_PID
_tmux kill-server
i=0; while [ $i -lt 20 ] && alive "$pid"; do sleep 0.05; i=$((i+1)); done
if alive "$pid"; then
	_fail "the program still runs a second after the hangup"
	kill -9 "$pid"
else
	_ok "the program exits within a second of the hangup"
fi
draft=$(sqlite3 "$DB" "SELECT vals FROM drafts WHERE form = 'rural_teacher'")
for want in '"name":"赵丽"' '"id_number":"620302199003071230"' '"birth_date":"1990-03-07"' \
	    '"gender":"男"' '"phone":"13912345678"'; do
	case "$draft" in *"$want"*) _ok "the draft holds $want" ;; *) _fail "the draft lacks $want: $draft" ;; esac
done
ui_open 80 24
wait_for "我的草稿 1"
expect_screen "我的草稿 1" "home counts the draft"
ui_keys n; wait_for "选择类别"; ui_type "教师"; wait_gone "科技特派员"; ui_keys Enter
expect_screen "草稿" "re-opening the form offers the draft"
ui_type "y"
expect_screen "赵丽" "taking the draft brings the name back"
expect_screen "13912345678" "and the phone"
ui_close

# --- data with escape sequences is shown sanitised ------------------------------
run add rural_teacher name=钱多多 id_number=620302200001010018 phone=13700001111 \
	township=宁远堡镇 village=东湾村 school=测试小学 stage=小学 staffing=在编 years_teaching=2
expect_status 0 "a record to poison"
evil="'恶'||char(27)||']52;c;aGFjaw=='||char(7)||'意'||char(8238)||'反转'"
sqlite3 "$DB" "UPDATE records SET vals = json_set(vals, '$.name', $evil) WHERE name = '钱多多'"
ui_open 80 24
_tmux set -g set-clipboard on
wait_for "五支人才队伍进度"
ui_keys l
expect_screen "恶" "the poisoned name is listed"
ui_keys Enter
expect_screen "反转" "its record view shows the whole name"
screen=$(ui_screen)
case "$screen" in *']52;c;aGFjaw=='*) _ok "the OSC 52 sequence shows as text, its ESC replaced" ;;
	*) _fail "the OSC 52 text is not visible: it may have reached the terminal" ;; esac
case "$screen" in *$'\u202e'*) _fail "U+202E reached the screen" ;; *) _ok "U+202E does not reach the screen" ;; esac
case "$screen" in *$'\e'*|*$'\a'*) _fail "an escape or bell byte is on the screen" ;; *) _ok "no escape or bell byte on the screen" ;; esac
if _tmux show-buffer >/dev/null 2>&1; then _fail "OSC 52 set a tmux buffer"; else _ok "no clipboard was set by the data"; fi
ui_close

# --- monochrome terminals, and the English message table ------------------------
UI_ENV="TERM=vt100" ui_open 80 24
expect_screen "五支人才队伍进度" "the screens work on a vt100 (no colours)"
ui_keys n
expect_screen "选择类别" "and take keys there"
ui_close
UI_ENV="NO_COLOR=1" ui_open 80 24
expect_screen "五支人才队伍进度" "the screens work with NO_COLOR"
ui_close
sed -i 's/^language = zh/language = en/' "$WORK/config/talentreg.ini"
ui_open 80 24
expect_screen "the five teams" "[ui] language = en gives English screens"
expect_screen "n new" "with English menu keys"
ui_close
sed -i 's/^language = en/language = zh/' "$WORK/config/talentreg.ini"
