# test_ui_drafts.sh - the drafts list (issue 13, item 17): each draft by the
# person's name and local time; Enter opens it at once (no second
# question) with the cursor where work stopped; a stale draft can be
# deleted; a form opened from the list goes back home, so the next home key
# is not typed into a list.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ui.bash"
setup
trap 'ui_close; rm -rf "$WORK"' EXIT
run init
expect_status 0 "init"

ui_open 80 24
wait_for "五支人才队伍进度"
# a teacher's form left at 手机号, half typed
ui_keys n; wait_for "选择类别"; ui_type "教师"; wait_gone "科技特派员"; ui_keys Enter
wait_for "新登记：乡村教师"
ui_type "王小梅"
ui_field 身份证号; ui_type "620302198506120028"
ui_field 手机号; ui_type "138001"
ui_keys Escape; wait_for "离开表单吗"; ui_type y
wait_for "我的草稿 1"
# an e-commerce trainee's form with no name yet
ui_keys n; wait_for "选择类别"; ui_type "电商"; wait_gone "科技特派员"; ui_keys Enter
wait_for "新登记：电商培训学员"
ui_field 培训课程; ui_type "直播带货班"
ui_keys Escape; wait_for "离开表单吗"; ui_type y
wait_for "我的草稿 2"

ui_keys d
wait_for "我的草稿"
expect_line '^  王小梅 +乡村教师 +[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2} *$' \
	"the drafts list shows the person's name, the category and the local time to the minute"
expect_line '^ *(> )?（未填姓名） +电商培训学员 ' "a draft with no name yet says so"
if ui_screen | grep -qE 'T[0-9]{2}:[0-9]{2}:[0-9]{2}'; then
	_fail "a raw ISO time is shown"
else
	_ok "no raw ISO time is shown"
fi
# the newest first: the trainee's; ↓ to the teacher's
ui_keys Down Enter
expect_screen "新登记：乡村教师" "Enter opens the draft at once"
if ui_screen | grep -q "继续填写吗"; then _fail "  and asks a second time"; else _ok "  without asking a second time"; fi
expect_line '^>\*手机号 +138001' "the cursor is where work stopped"
ui_keys Escape; wait_for "离开表单吗"; ui_type y
expect_screen "五支人才队伍进度" "leaving the form opened from the drafts goes back home"
ui_keys l
expect_screen "浏览记录" "  so the next home key does what it says"
ui_keys Escape; wait_for "五支人才队伍进度"

# --- a stale draft is deleted -------------------------------------------------------
ui_keys d; wait_for "（未填姓名）"
ui_keys Down D		# the teacher's, saved last, is first now
expect_screen "删除 （未填姓名） 的电商培训学员草稿吗" "D asks before deleting the draft chosen"
ui_type n
wait_gone "删除后不能恢复"
expect_eq "$(sqlite3 "$DB" "SELECT count(*) FROM drafts")" 2 "  n keeps it"
ui_keys D; wait_for "删除后不能恢复"; ui_type y
expect_screen "已删除" "y deletes it"
wait_gone "电商培训学员"
expect_eq "$(sqlite3 "$DB" "SELECT form FROM drafts")" rural_teacher "  the other draft stays"
ui_keys Escape
expect_screen "我的草稿 1" "home counts one draft"
ui_close
