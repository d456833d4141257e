# test_ui_form.sh - the form as an officer types it (issue 13, items 7-13):
# only the officer's townships, a village re-checked when the township
# changes, a registered ID refused when its field is left, the fields the
# ID fills out of the Tab order yet reachable, choice lists that take
# digits and Enter predictably, an old error gone while it is corrected, and
# a training class's shared values carried into the next trainee's form.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ui.bash"
setup
trap 'ui_close; rm -rf "$WORK"' EXIT
run init
expect_status 0 "init"

# open_form FILTER TITLE: from home, n, the category's filter, Enter.
open_form() {
	ui_keys n; wait_for "选择类别"; ui_type "$1"; wait_gone "科技特派员"; ui_keys Enter
	wait_for "新登记：$2"
}
# field_line LABEL: the form's line of field LABEL.
field_line() { ui_screen | grep -E "^[> ][* ]$1( |$)"; }
# leave_form: Esc, and y when it asks; the draft it leaves is deleted, so
# that the next form opens blank.
leave_form() {
	local i
	for i in 1 2 3; do	# a list may be open
		ui_keys Escape
		if wait_for "离开表单吗" 1 >/dev/null; then ui_type y; fi
		wait_for "五支人才队伍进度" 1 >/dev/null && break
	done
	sqlite3 "$DB" "DELETE FROM drafts"
}

# --- 7: an officer is offered only its own townships ---------------------------
ui_open 80 24 --as officer_ny
wait_for "五支人才队伍进度"
open_form 教师 乡村教师
if field_line 乡镇 | grep -q "宁远堡镇"; then
	_ok "7: the officer's one township is filled in"
else
	_fail "7: the officer's one township is filled in ($(field_line 乡镇))"
fi
ui_field 乡镇
ui_keys Enter
wait_for "选择：乡镇"
expect_screen "宁远堡镇" "7: the township list offers the officer's township"
if ui_screen | grep -q "双湾镇"; then
	_fail "7: an officer of 宁远堡镇 is offered 双湾镇"
else
	_ok "7: an officer of 宁远堡镇 is not offered 双湾镇"
fi
ui_keys Escape; wait_for "新登记：乡村教师"
leave_form
ui_close
ui_open 80 24
wait_for "五支人才队伍进度"
open_form 教师 乡村教师
ui_field 乡镇
ui_keys Enter; wait_for "选择：乡镇"
expect_screen "双湾镇" "7: a district admin is offered every township"
ui_keys Escape; wait_for "新登记：乡村教师"

# --- 8: changing 乡镇 clears or keeps 村 at once --------------------------------
ui_type "宁远"; ui_keys Enter
wait_line '^>\*村'
ui_type "东湾"; ui_keys Enter
wait_line '^ \*村 +东湾村'
ui_keys Up Up
wait_line '^>\*乡镇'
ui_type "双湾"; ui_keys Enter
expect_line '^ \*乡镇 +双湾镇' "8: the township is changed to 双湾镇"
if field_line 村 | grep -q "东湾村"; then
	_fail "8: changing 乡镇 clears a village of the old township at once ($(field_line 村))"
else
	_ok "8: changing 乡镇 clears a village of the old township at once"
fi
expect_screen "东湾村 不属于 双湾镇" "8: and says why"
ui_type "南湾"; ui_keys Enter
wait_line '^ \*村 +南湾村'
ui_keys Up Up
wait_line '^>\*乡镇'
ui_type "双湾"; ui_keys Enter		# the same township again: the village holds
expect_line '^[> ]\*村 +南湾村' "8: a village of the township picked stays"
leave_form

# --- 9: a duplicate ID in the category is found when the field is left ---------
run add rural_teacher "${REC_TEACHER[@]}"
expect_status 0 "a teacher registered from the command line"
dup=$out
open_form 教师 乡村教师
ui_type "王小梅"
ui_field 身份证号		# ↓ goes field by field, whatever Tab passes
ui_type "620302198506120028"; ui_keys Tab
expect_screen "此人（身份证号" "9: leaving the ID field: a person registered in the category is found at once"
if field_line 身份证号 | grep -q "此人（身份证号"; then
	_ok "9: beside the ID field"
else
	_fail "9: beside the ID field ($(field_line 身份证号))"
fi
ui_keys BTab
wait_line '^>\*身份证号'
expect_joined() { if ui_screen | tr -d '\n ' | grep -qF -- "$1"; then _ok "$2"; else _fail "$2"; fi; }
expect_joined "${dup}" "9: on the field, the status rows name the record (the user may see it)"
leave_form

# --- 10: 性别 and 出生日期 leave the Tab order, yet stay reachable -------------
open_form 教师 乡村教师
ui_type "赵丽"; ui_keys Tab
expect_line '^>\*身份证号' "10: Tab from 姓名 goes to 身份证号, past 性别 (the ID fills it)"
ui_type "620302199003071230"; ui_keys Tab
expect_line '^> 民族' "10: Tab from 身份证号 goes to 民族, past 出生日期"
if field_line 性别 | grep -q "男" && field_line 出生日期 | grep -q "1990-03-07"; then
	_ok "10: both are filled from the ID"
else
	_fail "10: both are filled from the ID"
fi
ui_keys Up
expect_line '^>\*出生日期' "10: ↑ reaches 出生日期"
ui_keys C-u; ui_type "1990-03-08"; ui_keys Tab
expect_line '^> 民族' "10: an edited birth date, left with Tab"
expect_line '^ \*出生日期 +1990-03-08' "10: keeps what was typed"
ui_keys Up Up Up
expect_line '^>\*性别' "10: ↑ reaches 性别 too"
leave_form
open_form 教师 乡村教师
ui_type "钱二"; ui_keys Tab Tab		# no ID: the fields it would fill are the person's to fill
expect_line '^>\*出生日期' "10: with the ID left empty, Tab stops at 出生日期"
ui_keys BTab BTab
expect_line '^>\*性别' "10: and Shift-Tab at 性别"
leave_form

# --- 11: choice lists: digits typed on one, Enter in its list --------------------
open_form 教师 乡村教师
ui_type "孙三"
ui_field 身份证号
ui_type "620302198001010018"
ui_field 文化程度
ui_type "13800138000"		# the phone, typed one field too early
expect_screen "不是「文化程度」的选项" "11: digits typed on 文化程度 say it is a choice field"
if ui_screen | grep -q "选择：文化程度"; then
	_fail "11: digits typed on 文化程度 open its list"
else
	_ok "11: digits typed on 文化程度 do not open its list"
fi
expect_line '^> 文化程度 *(Enter 选择)? *$' "11: and nothing is typed into it"
ui_type "本"
expect_screen "选择：文化程度" "11: a character of an option opens the list, filtered"
ui_keys Enter
expect_line '^  文化程度 +本科' "11: Enter in the list picks the item"
expect_line '^>\*手机号' "11: and goes on to the next field, as Tab does"
leave_form
# --- 12: an old error leaves its field while it is corrected ----------------------
open_form 教师 乡村教师
ui_field 手机号
ui_type "1380013"; ui_keys Tab
expect_line '^ \*手机号 .*应为 11 位' "12: a short phone number is refused when left"
ui_keys Up
wait_line '^>\*手机号'
ui_type "8"
if field_line 手机号 | grep -q "应为 11 位"; then
	_fail "12: the old error stays beside the field being corrected"
else
	_ok "12: the old error leaves the field as soon as it is corrected"
fi
if ui_screen | tail -4 | grep -q "应为 11 位"; then
	_fail "12: the status rows still show the old error"
else
	_ok "12: and the status rows show the field's help again"
fi
ui_type "000"; ui_keys Tab
if field_line 手机号 | grep -q "应为"; then _fail "12: the corrected phone is accepted"; else _ok "12: the corrected phone is accepted"; fi
leave_form
ui_close

# --- 13: a training class: the next trainee's form carries what the class shares
ui_open 80 24 --as officer_ny
wait_for "五支人才队伍进度"
open_form 电商 电商培训学员
ui_type "张力"
ui_field 身份证号; ui_type "620302200001010018"
ui_field 手机号; ui_type "13700001111"
ui_field 乡镇
if field_line 乡镇 | grep -q 宁远堡镇; then ui_keys Down; else ui_type "宁远"; ui_keys Enter; fi
ui_field 村; ui_type "东湾"; ui_keys Enter
ui_field 培训课程; ui_type "农村电商运营实务班"
ui_field 培训日期; ui_type "20260510"
ui_field 培训地点; ui_type "宁远堡镇文化站"; ui_keys Tab
wait_line '^> 经营平台'
ui_keys C-s
expect_screen "继续登记下一位电商培训学员吗" "13: the first trainee is saved"
ui_type y
wait_for "新登记：电商培训学员"
expect_line '^>\*姓名 *$' "13: the next form is blank where the person's own fields are"
for f in "培训课程 +农村电商运营实务班" "培训日期 +2026-05-10" "培训地点 +宁远堡镇文化站" "乡镇 +宁远堡镇" "村 +东湾村"; do
	expect_line "^ \\*$f" "13: and carries ${f%% *} from the last trainee"
done
expect_screen "已沿用上一位的" "13: the status line says what was carried"
ui_type "刘芳"; ui_keys Tab
ui_type "620302199811230025"; ui_keys Tab Tab Tab
ui_type "13700002222"; ui_keys Tab
expect_line '^> 政治面貌' "13: Tab passes the carried township and village"
ui_keys Tab
expect_line '^> 经营平台' "13: and the carried course, date and site"
ui_keys C-s
expect_screen "继续登记下一位电商培训学员吗" "13: the second trainee costs only that person's own fields"
ui_type n
wait_for "五支人才队伍进度"
ui_close
out=$("$TR" list --format json --search 刘芳)
for kv in '"course":"农村电商运营实务班"' '"training_date":"2026-05-10"' '"training_site":"宁远堡镇文化站"' \
	  '"township":"宁远堡镇"' '"village":"东湾村"'; do
	uuid=$(printf '%s' "$out" | sed -n 's/.*"uuid":"\([^"]*\)".*/\1/p' | head -1)
	run show "$uuid" --format json
	expect_out "$kv" "13: the second trainee is saved with $kv"
done

# a form's carry names its fields: check-config says when one is missing
sed -i 's/^carry = .*/carry = course|no_such_field/' "$WORK/forms/ecommerce_trainee.ini"
run check-config
expect_status 4 "check-config refuses a carry naming a missing field"
expect_err "ecommerce_trainee.ini:" "  naming the file"
expect_err "carry 列出了不存在的字段：no_such_field" "  and the field"
