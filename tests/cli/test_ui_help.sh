# test_ui_help.sh - the help at 80x24: ? (and F1) open it on every screen,
# it scrolls with PgDn/PgUp and the arrows, and it lists every key of every
# screen (it is written from the screens' own key tables, keys.c), the review
# queue's and r on home included. In a text field ? is typed, and its key
# line offers F1 for help instead of ?.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ui.bash"
ui_setup

ui_open 80 24
wait_for "五支人才队伍进度"
ui_keys '?'
expect_screen "按键说明" "? on home opens the help"
expect_screen "[主页]" "it starts with home's keys"
expect_screen "下面还有" "and says that more lies below"
# read it all, a page at a time
all=$(ui_screen)
page=$all
while ! printf '%s' "$page" | grep -q "已到末尾"; do
	ui_keys PageDown
	i=0	# until the page has moved on
	while [ $i -lt 100 ] && [ "$(ui_screen)" = "$page" ]; do sleep 0.05; i=$((i + 1)); done
	[ "$(ui_screen)" = "$page" ] && break
	page=$(ui_screen)
	all="$all
$page"
done
has() {
	if printf '%s\n' "$all" | grep -qE -- "$1"; then _ok "the help lists $2"; else _fail "the help lacks $2 ('$1')"; fi
}
has '^ +r +审核队列' "r on home (the review queue)"
has '^ +x +清除搜索和筛选' "browse's x"
has '\[浏览记录\]' "browse's keys"
has '\[查看记录\]' "the record view's keys"
has '\[审核队列\]' "the review queue's keys"
has '^ +a +通过' "the review queue's a"
has '^ +r +退回录入员修改' "the review queue's r"
has '^ +n +跳过' "the review queue's n"
has '^ +h +显示或隐藏历史' "h for the history"
has 'Ctrl-S +保存' "Ctrl-S"
has 'PgDn、PgUp +翻页（长表单）' "the form's PgDn and PgUp"
has '\[表单中的选择项\]' "the keys of a choice field"
has '\[文字编辑' "the keys that edit text"
has 'Home、Ctrl-A +到开头' "Home and Ctrl-A in a field"
has '\[选择列表' "the keys of the lists"
has '空格 +勾选或取消' "Space in a multi-choice list"
has '^ +Enter +打开选中的退回记录' "home's Enter on a returned record"
has '^ +g +按队伍' "browse's team filter"
has '\[我的草稿\]' "the drafts list's keys"
has '^ +D、Del +删除' "  D and Del delete a draft"
has '^ +Home、End +到最早提交的一条、到最新提交的一条' "the queue's Home and End"
has '^ +o +按录入员' "the queue's officer filter"
has '^ +a +通过并锁定记录（先问一次）（审核人' "the record view's a, for reviewers"
has '^ +↑、↓、Ctrl-P、Ctrl-N +上一项、下一项，逐项经过' "the form's arrows, every field"
has '\[本说明\]' "its own keys, at its end"
expect_screen "已到末尾" "PgDn reaches the end of the help and says so"
ui_keys PageUp PageUp PageUp PageUp PageUp PageUp PageUp PageUp PageUp PageUp PageUp PageUp
expect_screen "[主页]" "PgUp comes back to the top"
ui_keys Down Down Down
wait_gone "每个操作都有不需要功能键的按键"
if ui_screen | grep -q "每个操作都有"; then _fail "↓ does not scroll the help"; else _ok "↓ scrolls the help a line at a time"; fi
ui_keys Escape
expect_screen "五支人才队伍进度" "Esc closes the help"

# ? and F1 on the other screens
ui_keys l; wait_for "浏览记录"
ui_keys '?'
expect_screen "按键说明" "? in browse opens the help"
ui_keys q; wait_for "浏览记录"
ui_keys Escape; wait_for "五支人才队伍进度"
ui_keys n; wait_for "选择类别"
ui_keys F1
expect_screen "按键说明" "F1 in a list opens the help"
ui_keys Escape; wait_for "选择类别"
ui_type "教师"; wait_gone "科技特派员"; ui_keys Enter
wait_for "新登记：乡村教师"
keyline() { ui_screen | tail -1; }
case "$(keyline)" in
*"? 帮助"*) _fail "a text field's key line offers ? for help: $(keyline)" ;;
*"F1 帮助"*) _ok "a text field's key line offers F1 for help" ;;
*) _fail "a text field's key line offers no help key: $(keyline)" ;;
esac
ui_type "王?"
expect_line '^>\*姓名 +王\? *$' "? in a text field types ?"
ui_keys F1
expect_screen "按键说明" "F1 in a text field opens the help"
ui_keys Escape; wait_for "新登记：乡村教师"
ui_keys Down		# ↓ visits every field: 性别, which Tab passes until the ID is left
wait_line '^>\*性别'
case "$(keyline)" in
*"F1/? 帮助"*) _ok "a choice field's key line offers ? too" ;;
*) _fail "a choice field's key line: $(keyline)" ;;
esac
ui_keys '?'
expect_screen "按键说明" "? on a choice field opens the help"
ui_keys Escape; wait_for "新登记：乡村教师"
ui_close
