# test_ui_text.sh - nothing on the screens is cut without a marker, with the
# longest texts the forms allow: a return comment on home, in the record
# view, in the history and in the edit form; history lines with both values;
# errors beside fields and whole on the status rows; the longest labels; a
# 60-character value; category names in browse; a name over 20 characters
# (kept whole and shown as an error, never silently cut). Also: the review
# queue scrolls with PgDn and says more lies below; a 19-option
# multi-choice list scrolls and says so; times are local (TZ), to the minute.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ui.bash"
ui_setup
rep() { python3 -c 'import sys; print(sys.argv[1] * int(sys.argv[2]), end="")' "$1" "$2"; }
# all the rows of the screen joined, so that a wrapped text reads as one
joined() { ui_screen | sed 's/^ *//; s/ *$//' | tr -d '\n'; }
expect_joined() {	# TEXT DESCRIPTION
	local i=0
	while [ $i -lt 100 ]; do
		joined | grep -qF -- "$1" && { _ok "$2"; return; }
		sleep 0.05; i=$((i + 1))
	done
	_fail "$2 (the screen, rows joined, lacks '$1')"
	ui_screen | sed 's/^/#   /'
}

# --- a long return comment: home, record view, history, edit form ----------
comment="请核对：$(rep 任教学校名称应与学校公章一致 12)意见到此为止"
rec REC_TEACHER school="$(rep 永丰村幼儿园 6)甲" id_number=620302198506120028
run --as officer_ny add rural_teacher "${REC[@]}"
expect_status 0 "an officer's teacher with a 37-character school"
t_uuid=$out
run --as supervisor_ny review "$t_uuid" return --comment "$comment"
expect_status 0 "returned with a ${#comment}-character comment"
ui_open 80 24 --as officer_ny
wait_for "退回给我的记录"
expect_line "^ +请核对" "the comment goes on on rows of its own (wrapped, not cut)"
expect_screen "下面还有" "home says that more of the comment lies below"
ui_keys PageDown
expect_joined "意见到此为止" "and PgDn shows the return comment to its end"
ui_close

ui_open 80 24 --as officer_ny
wait_for "五支人才队伍进度"
ui_keys l; wait_for "浏览记录"; ui_keys Enter
wait_for "审核意见"
expect_joined "意见到此为止" "the record view shows the whole comment"
ui_keys e
expect_screen "退回意见：请核对" "the edit form shows why the record was returned"
expect_line '退回意见：.*…$' "  ending in a marker where it is cut"
# the school changed to a new 37-character one: its history line has both
ui_field 任教学校
ui_keys C-u; ui_type "$(rep 永丰村中心小学 5)新校尾"
ui_keys C-s
wait_gone "修改：乡村教师"
wait_for "审核意见"
ui_keys h
expect_screen "[历史]" "h shows the history"
ui_keys End
expect_joined "永丰村中心小学永丰村中心小学永丰村中心小学永丰村中心小学永丰村中心小学新校尾" "the history line of the edit shows the new value whole"
expect_joined "$(rep 永丰村幼儿园 6)甲" "and the old one"
expect_joined "意见到此为止" "the return's history line shows its comment whole"
ui_close

# --- errors, labels, long values, browse's category, a long name -----------
rec REC_COOP coop_name="$(rep 宁远堡镇东湾村蔬菜种植 4)农民专业合作社联合社第一分社尾巴" main_business="$(rep 蔬菜 29)到底"
run add coop_leader "${REC[@]}"
expect_status 0 "a co-op whose name has 60 characters"
c_uuid=$out
ui_open 80 24
wait_for "五支人才队伍进度"
ui_keys l; wait_for "浏览记录"
expect_line '农民合作社… ' "browse ends a category cut to its column in a marker"
expect_joined "农民合作社带头人" "and shows the selected row's whole category below the list"
ui_keys Enter; wait_for "合作社名称"
expect_joined "$(rep 宁远堡镇东湾村蔬菜种植 4)农民专业合作社联合社第一分社尾巴" "the record view shows the 60-character name whole"
ui_keys End
expect_joined "$(rep 蔬菜 29)到底" "and, at its end, the 60-character business"
ui_keys e; wait_for "修改：农民合作社带头人"
expect_line '^ \*合作社统一社会信用代码 ' "the form shows its longest label whole"
expect_line '合作社名称 +宁远堡镇.*…' "a value wider than its field ends in a marker"
ui_keys Escape; wait_for "合作社名称"
ui_keys Escape; wait_for "浏览记录"; ui_keys Escape; wait_for "五支人才队伍进度"

ui_keys n; wait_for "选择类别"; ui_type "法律"; wait_gone "科技特派员"; ui_keys Enter
wait_for "新登记：法律顾问"
expect_line '所属公共法律服务站（室）' "the legal adviser form shows 所属公共法律服务站（室） whole"
ui_keys Escape; wait_for "五支人才队伍进度"
ui_keys n; wait_for "选择类别"; ui_type "教师"; wait_gone "科技特派员"; ui_keys Enter
wait_for "新登记：乡村教师"
long_name="$(rep 阿卜杜热合曼 4)买买提"
ui_type "$long_name"
expect_screen "姓名最多 20 个字，现在有 27 个" "a 27-character name is kept and the limit is told at once"
expect_line '^>\*姓名 +<' "the field scrolls, with < where text is hidden"
ui_keys Tab
expect_line '^ \*姓名 .*…' "left, the field ends in a marker"
ui_field 手机号
ui_type "123"; ui_keys Tab
expect_line '^ \*手机号 +123 .*应为 11 位.*…$' "an error beside its field ends in a marker"
ui_keys Up
expect_joined "应为 11 位手机号，以 13–19 开头" "on the field the whole error is on the status rows"
ui_keys Escape; wait_for "离开表单吗"; ui_type y; wait_for "五支人才队伍进度"
draft=$(sqlite3 "$DB" "SELECT json_extract(vals, '\$.name') FROM drafts WHERE form = 'rural_teacher'")
expect_eq "$draft" "$long_name" "the draft holds all 27 characters of the name (nothing cut)"
ui_close

# --- 21: a 19-option multi-choice list scrolls and says so ------------------
sqlite3 "$DB" "DELETE FROM drafts"
ui_open 80 24
wait_for "五支人才队伍进度"
ui_keys n; wait_for "选择类别"; ui_type "教师"; wait_gone "科技特派员"; ui_keys Enter
wait_for "新登记：乡村教师"
ui_field 任教学科
ui_keys Enter
wait_for "选择：任教学科"
expect_screen "下面还有" "the 19 subjects at 80x24 say that more lie below"
for i in $(seq 1 18); do ui_keys Down; done
expect_line '^ *\[ \] 其他' "↓ reaches the last subject, 其他"
expect_screen "上面还有" "and then says what lies above"
ui_keys Space Enter
expect_line '任教学科 +其他' "the last subject can be chosen"
ui_keys Escape; wait_for "离开表单吗"; ui_type y; wait_for "五支人才队伍进度"
ui_close

# --- 16: the review queue scrolls with PgDn and says more lies below --------
ui_open 80 24
wait_for "五支人才队伍进度"
ui_keys r
wait_for "审核队列"
wait_for "身份证号"
expect_screen "下面还有" "the review queue says that more of the record lies below"
ui_keys PageDown
expect_screen "更新" "PgDn scrolls the record to its last lines"
expect_screen "已到末尾" "and says it is at the end"
ui_keys PageUp
expect_screen "状态" "PgUp scrolls back"
ui_close

# --- 18: local time, to the minute, honouring TZ ------------------------------
iso=$(sqlite3 "$DB" "SELECT updated_at FROM records WHERE uuid = '$c_uuid'")
sh_time=$(TZ=Asia/Shanghai date -d "$iso" '+%Y-%m-%d %H:%M')
utc_time=$(TZ=UTC date -d "$iso" '+%Y-%m-%d %H:%M')
out=$(TZ=Asia/Shanghai "$TR" list --category coop_leader)
expect_out "$sh_time" "list shows the time in Asia/Shanghai ($sh_time for $iso)"
out=$(TZ=UTC "$TR" list --category coop_leader)
expect_out "$utc_time" "and in UTC under TZ=UTC ($utc_time)"
out=$(TZ=Asia/Shanghai "$TR" history "$c_uuid")
expect_out "$sh_time" "history shows local time"
out=$(TZ=Asia/Shanghai "$TR" show "$c_uuid")
expect_out "$sh_time" "show shows local time"
out=$(TZ=Asia/Shanghai "$TR" show "$c_uuid" --format json)
expect_out "\"updated_at\":\"$iso\"" "JSON keeps the stored UTC timestamp"
out=$(TZ=Asia/Shanghai "$TR" list --format json --category coop_leader)
expect_out "\"updated_at\":\"$iso\"" "list's JSON too"
UI_ENV="TZ=Asia/Shanghai" ui_open 80 24
wait_for "五支人才队伍进度"
ui_keys l; wait_for "浏览记录"
expect_screen "${sh_time:0:10}" "browse shows the local day"
expect_screen "$sh_time" "and the selected row's local time"
ui_keys Enter; wait_for "合作社名称"
ui_keys End
expect_line "^ +更新 +$sh_time  root" "the record view shows local time to the minute"
ui_close
