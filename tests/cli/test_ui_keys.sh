# test_ui_keys.sh - keys on the officers' real terminals: under each TERM
# an officer's server may see, the cursor and editing keys in both the forms
# PuTTY sends (ESC [1~ Home, ESC [4~ End, ESC [3~ Delete, ESC [5~ / ESC [6~
# PgUp/PgDn, ESC [11~ F1) and the forms xterm sends (ESC [H, ESC OH, ESC [F,
# ESC OF, CSI and SS3 arrows, ESC OP, modifiers as in ESC [1;5C), sent as raw
# bytes, do what they say; none acts as Esc or leaves letters in a field; an
# arrow whose bytes arrive 100 ms apart (a slow SSH line) is still an arrow;
# and Esc on its own still leaves.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ui.bash"
ui_setup

PUTTY_HOME="1b 5b 31 7e" PUTTY_END="1b 5b 34 7e" PUTTY_DEL="1b 5b 33 7e"
PUTTY_INS="1b 5b 32 7e" PUTTY_PGUP="1b 5b 35 7e" PUTTY_PGDN="1b 5b 36 7e"
PUTTY_F1="1b 5b 31 31 7e" LINUX_F1="1b 5b 5b 41"
XT_HOME_CSI="1b 5b 48" XT_END_CSI="1b 5b 46" XT_HOME_SS3="1b 4f 48" XT_END_SS3="1b 4f 46"
XT_LEFT_SS3="1b 4f 44" XT_RIGHT_CSI="1b 5b 43" XT_CTRL_RIGHT="1b 5b 31 3b 35 43"
XT_CTRL_LEFT="1b 5b 31 3b 35 44" XT_DEL_CTRL="1b 5b 33 3b 35 7e" XT_F1="1b 4f 50"
XT_DOWN_SS3="1b 4f 42" XT_UP_CSI="1b 5b 41"

# the name field's line: ">*姓名" then the text as typed
name_is() { echo "^>\*姓名 +$1 *\$"; }

open_form() {
	sqlite3 "$DB" "DELETE FROM drafts"
	UI_ENV="TERM=$1" ui_open 80 24
	wait_for "五支人才队伍进度" || return 1
	ui_keys n; wait_for "选择类别"; ui_type "教师"; wait_gone "科技特派员"; ui_keys Enter
	wait_for "新登记：乡村教师"
}

for term in xterm xterm-256color putty putty-256color linux screen-256color vt100; do
	open_form "$term"
	# PuTTY's Home and End
	ui_type "bc"; ui_hex $PUTTY_HOME; ui_type "a"
	expect_line "$(name_is abc)" "$term: PuTTY's Home (ESC [1~) moves to the start of the field"
	ui_hex $PUTTY_END; ui_type "d"
	expect_line "$(name_is abcd)" "$term: PuTTY's End (ESC [4~) moves to its end"
	# xterm's Home and End, CSI and SS3
	ui_hex $XT_HOME_CSI; ui_type "1"; ui_hex $XT_END_SS3; ui_type "2"
	expect_line "$(name_is 1abcd2)" "$term: xterm's Home (ESC [H) and End (ESC OF)"
	ui_hex $XT_HOME_SS3; ui_hex $PUTTY_DEL; ui_hex $XT_END_CSI; ui_type "3"
	expect_line "$(name_is abcd23)" "$term: ESC OH, then PuTTY's Delete (ESC [3~) deletes, ESC [F ends"
	# arrows in SS3 and CSI, with a modifier, Insert and Ctrl-Delete
	ui_hex $XT_LEFT_SS3 $XT_LEFT_SS3 $XT_CTRL_LEFT; ui_hex $PUTTY_INS; ui_type "x"
	ui_hex $XT_RIGHT_CSI $XT_CTRL_RIGHT; ui_hex $XT_DEL_CTRL
	expect_line "$(name_is abcxd2)" "$term: ←(ESC OD), Ctrl-← (ESC [1;5D), →, Ctrl-→ and Ctrl-Delete (ESC [3;5~) edit; Insert types nothing"
	# an arrow whose three bytes come 100 ms apart
	ui_hex 1b; sleep 0.1; ui_hex 5b; sleep 0.1; ui_hex 44; ui_type "y"
	expect_line "$(name_is abcxdy2)" "$term: ← whose bytes arrive 100 ms apart is still ←"
	ui_hex 1b; sleep 0.1; ui_hex 5b; sleep 0.1; ui_hex 31; sleep 0.1; ui_hex 7e; ui_type "0"
	expect_line "$(name_is 0abcxdy2)" "$term: PuTTY's Home arriving a byte per 100 ms is still Home"
	# PgDn and PgUp move a page of fields, arrows one field
	ui_hex $PUTTY_PGDN
	expect_line '^>\*教龄' "$term: PgDn (ESC [6~) goes a page down the form"
	ui_hex $PUTTY_PGUP
	expect_line '^>\*姓名' "$term: PgUp (ESC [5~) comes back"
	ui_hex $XT_DOWN_SS3
	expect_line '^>\*性别' "$term: ↓ (ESC OB) goes to the next field"
	ui_hex $XT_UP_CSI
	expect_line '^>\*姓名' "$term: ↑ (ESC [A) to the one before"
	# F1 in both forms opens the help
	ui_hex $PUTTY_F1
	expect_screen "按键说明" "$term: PuTTY's F1 (ESC [11~) opens the help"
	ui_keys q
	wait_for "新登记：乡村教师"
	ui_hex $XT_F1
	expect_screen "按键说明" "$term: xterm's F1 (ESC OP) opens the help"
	ui_keys q
	wait_for "新登记：乡村教师"
	ui_hex $LINUX_F1
	expect_screen "按键说明" "$term: the Linux console's F1 (ESC [[A) opens the help"
	ui_keys q
	wait_for "新登记：乡村教师"
	if ui_screen | grep -q "离开表单吗"; then _fail "$term: a key acted as Esc"; else _ok "$term: no key acted as Esc"; fi
	expect_line "$(name_is 0abcxdy2)" "$term: no letter of any sequence reached the field"
	# Esc on its own still leaves
	ui_keys Escape
	expect_screen "离开表单吗" "$term: Esc alone asks before leaving the form"
	ui_type y
	expect_screen "五支人才队伍进度" "$term: and leaves"
	# in browse, Home, End and PgDn in PuTTY's form do not leave the list
	ui_keys l
	wait_for "浏览记录"
	ui_hex $PUTTY_HOME $PUTTY_END $PUTTY_PGDN $PUTTY_PGUP $XT_HOME_SS3
	ui_type "/"
	expect_screen "搜索（" "$term: Home, End, PgDn and PgUp keep browse open"
	ui_close
done
