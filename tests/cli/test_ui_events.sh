#!/usr/bin/env bash
# The events on the screens (issue 15), in tmux at 80x24: from home (e) a
# class is created (n, its type picked, its form), then attendees are
# added one after another by ID number: a registered person with the ID
# and Enter alone; one not registered registered on the spot, the form of
# the class's category opening with the class's details filled in, only
# their own fields to type; a wrong ID refused at the ID line; the class
# then shows two attendees, as `talentreg event show` does.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ui.bash"
ui_setup
run add coop_leader "${REC_COOP[@]}"
expect_status 0 "a cooperative leader registered before the class"

ui_open 80 24
expect_screen "e 活动" "home offers the events"
ui_keys e
expect_screen "活动（0 个）" "e opens the events"
ui_keys n
expect_screen "活动类型" "n asks for the event type"
ui_type "高素质"
ui_keys Enter
expect_screen "新登记：高素质农民培训班" "  and opens the class's form"
ui_type "第一期高素质农民培训班"; ui_keys Tab
ui_type "区农业农村局"; ui_keys Tab
ui_type "2026-05-10"; ui_keys Tab Tab
ui_type "宁远堡镇文化站"; ui_keys Tab
ui_type "宁"; wait_for "宁远堡镇" >/dev/null; ui_keys Enter
ui_type "24"
ui_keys C-s
expect_screen "第一期高素质农民培训班（高素质农民培训班）" "Ctrl-S saves the class and shows it"
expect_screen "参加人员（0 人）" "  with no attendee yet"

ui_keys a
expect_screen "参加人员身份证号" "a asks for an attendee's ID number"
ui_type "620302199003071230"; ui_keys Enter
expect_screen "已加入：李建国（已登记）" "a registered person: the ID and Enter add him"
expect_screen "参加人员（1 人）" "  the class has one attendee"
expect_screen "参加人员身份证号" "  and the next ID is asked for at once"

ui_type "620302198506120028"; ui_keys Enter
expect_screen "新登记：种养大户/高素质农民" "someone not registered: the category's form opens"
expect_screen "第一期高素质农民培训班" "  with the class filled in"
expect_line "人才类型 +高素质农民" "  and the preset 高素质农民"
ui_type "王小梅"; ui_keys Tab
for i in $(seq 1 100); do now=$(ui_current); [ "$now" != "姓名" ] && break; sleep 0.05; done
if [ "$now" = "民族" ]; then _ok "  Tab passes the ID typed at the prompt"; else _fail "  Tab passes the ID typed at the prompt (on $now)"; fi
ui_keys C-s
expect_screen "手机号" "Ctrl-S goes to the first field still needed"
ui_type "13800138000"; ui_keys C-s
ui_type "宁"; wait_for "宁远堡镇" >/dev/null; ui_keys Enter
ui_type "东"; wait_for "东湾村" >/dev/null; ui_keys Enter
ui_keys C-s
ui_type "蔬"; wait_for "蔬菜" >/dev/null; ui_keys Enter
ui_keys C-s
expect_screen "已现场登记并加入" "her own fields typed, Ctrl-S registers her and adds her"
expect_screen "参加人员（2 人）" "  the class has two attendees"

ui_type "620302199003071231"; ui_keys Enter
expect_screen "校验位不正确，请核对 —— 身份证号" "a wrong ID is refused at the ID line"
expect_screen "620302199003071231" "  kept there for correcting"
ui_keys Escape
expect_screen "参加人员（2 人）" "Esc ends: still two attendees"
expect_screen "李建国" "  李建国"
expect_screen "王小梅" "  and 王小梅"
ui_keys Escape
expect_line "第一期高素质农民培训班 +2$" "the list shows the class with 2 attendees"
ui_close

E=$(sqlite3 "$DB" "SELECT uuid FROM events")
run event show "$E" --format json
expect_json 'd["attendee_count"]' 2 "event show agrees: two attendees"
expect_json 'sorted(a["source"] for a in d["attendees"])' "['spot', 'typed']" "  one typed, one registered on the spot"
U=$(sqlite3 "$DB" "SELECT uuid FROM records WHERE person_key = '620302198506120028'")
expect_eq "$(stored "$U" training_course)|$(stored "$U" grower_type)|$(stored "$U" phone)" \
	"第一期高素质农民培训班|高素质农民|13800138000" "the record made on the screen has the class and her own fields"

# --- a supervisor decides in the event view, as in the record view -------------
ui_open 80 24 --as officer_ny
ui_keys e; wait_for "活动（1 个）" >/dev/null
ui_keys Enter
expect_screen "参加人员（2 人）" "an officer opens the class"
if ui_screen | tail -1 | grep -q "v 通过"; then _fail "an officer is offered approval: $(ui_screen | tail -1)"; else _ok "  and is offered no approval"; fi
ui_close

ui_open 80 24 --as supervisor
ui_keys e; wait_for "活动（1 个）" >/dev/null
ui_keys Enter
expect_screen "参加人员（2 人）" "a supervisor opens the class"
if ui_screen | tail -1 | grep -q "v 通过.*r 退回"; then _ok "  and is offered approve and return"; else _fail "  and is offered approve and return: $(ui_screen | tail -1)"; fi
ui_keys r
expect_screen "退回意见" "r asks why it is returned"
ui_keys Enter
expect_screen "退回必须写明意见" "  an empty comment returns nothing"
ui_keys v
expect_screen "通过活动「第一期高素质农民培训班」吗？通过后活动锁定" "v asks once before approving"
ui_type n; wait_gone "通过后活动锁定"
run event show "$E" --format json
expect_json 'd["status"]' submitted "  n to the question approves nothing"
ui_keys v; wait_for "通过后活动锁定" >/dev/null; ui_type y
expect_screen "活动已审核通过：第一期高素质农民培训班" "y approves the class"
expect_screen "已通过" "  the view shows its new status"
if ui_screen | tail -1 | grep -q "v 通过"; then _fail "an approved class is still offered approval"; else _ok "  and no longer offers a decision"; fi
ui_keys a; wait_for "参加人员身份证号" >/dev/null
ui_type "620302197804050027"; ui_keys Enter
expect_screen "活动已审核通过并锁定" "an approved class takes no more attendees"
ui_keys Escape
expect_screen "参加人员（2 人）" "  still two attendees"
ui_close
run event show "$E" --format json
expect_json 'd["status"]' approved "event show agrees: approved"
expect_json 'd["attendee_count"]' 2 "  with two attendees"

# --- the supervisor unlocks the approved class on the screen, with a reason -------
ui_open 80 24 --as officer_ny
ui_keys e; wait_for "活动（1 个）" >/dev/null
ui_keys Enter; wait_for "参加人员（2 人）" >/dev/null
if ui_screen | tail -1 | grep -qE "u 解锁|w 撤销"; then _fail "an officer is offered unlock or withdraw of an approved class: $(ui_screen | tail -1)"; else _ok "an officer is offered neither unlock nor withdraw of an approved class"; fi
ui_close
ui_open 80 24 --as supervisor
ui_keys e; wait_for "活动（1 个）" >/dev/null
ui_keys Enter; wait_for "参加人员（2 人）" >/dev/null
if ui_screen | tail -1 | grep -q "u 解锁"; then _ok "a supervisor is offered u 解锁 on the approved class"; else _fail "a supervisor is offered u 解锁 on the approved class: $(ui_screen | tail -1)"; fi
if ui_screen | tail -1 | grep -q "w 撤销"; then _fail "  and w 撤销 while it is locked"; else _ok "  and no w 撤销 while it is locked"; fi
ui_keys u
expect_screen "解锁原因" "u asks why"
ui_keys Enter
expect_screen "解锁必须写明原因" "  an empty reason unlocks nothing"
ui_keys u; wait_for "解锁原因" >/dev/null
ui_type "补录"; ui_keys Enter
expect_screen "活动已解锁：第一期高素质农民培训班" "a reason unlocks the class"
ui_close
run event show "$E" --format json
expect_json 'd["status"]' submitted "event show agrees: submitted again"

# --- an ID that finds nobody is a lookup, recorded before the newcomer's form opens ---------------
# (a line dropped with the form open must not make a guess free); past an
# officer's limit no form opens (it would tell a miss from a hit, which is
# refused); a newcomer registered through the form leaves the day's count.
run --as officer_ny list --search 620302199003071230	# one lookup today at least (0 is no limit)
L=$(lookups) C=$(lookups_counted)
sed -i "s/^lookups_per_day *=.*/lookups_per_day = $C/" "$WORK/config/talentreg.ini"
ui_open 80 24 --as officer_ny
ui_keys e; wait_for "活动（1 个）" >/dev/null
ui_keys Enter; wait_for "参加人员（2 人）" >/dev/null
ui_keys a; wait_for "参加人员身份证号" >/dev/null
ui_type "620302198203150035"; ui_keys Enter
expect_screen "已达上限" "past the limit, an ID that finds nobody is refused at the ID line"
if ui_screen | grep -q "新登记"; then _fail "  and no form opens"; else _ok "  and no form opens"; fi
ui_keys Escape; wait_gone "参加人员身份证号"
ui_close
sed -i "s/^lookups_per_day *=.*/lookups_per_day = $((C + 2))/" "$WORK/config/talentreg.ini"
ui_open 80 24 --as officer_ny
ui_keys e; wait_for "活动（1 个）" >/dev/null
ui_keys Enter; wait_for "参加人员（2 人）" >/dev/null
ui_keys a; wait_for "参加人员身份证号" >/dev/null
ui_type "620302198203150035"; ui_keys Enter
expect_screen "新登记" "under the limit its form opens"
expect_eq "$(lookups)" "$((L + 1))" "  the lookup recorded as it opens"
ui_type "赵兰"; ui_keys Escape
expect_screen "离开表单吗？已填写的内容不会保存" "Esc after typing asks, saying nothing typed is kept (no draft of an attendee)"
ui_type y
expect_screen "参加人员身份证号" "  y leaves it unsaved"
ui_type "620302198801010059"; ui_keys Enter
expect_screen "新登记" "a second newcomer's form opens (the last lookup of the day)"
ui_type "钱六"; ui_keys C-s
wait_for "手机号" >/dev/null; ui_type "13700006666"; ui_keys C-s
ui_type "东"; wait_for "东湾村" >/dev/null; ui_keys Enter
ui_keys C-s
ui_type "蔬"; wait_for "蔬菜" >/dev/null; ui_keys Enter
ui_keys C-s
expect_screen "已现场登记并加入" "  she is registered and added"
ui_type "620302199107200041"; ui_keys Enter
expect_screen "新登记" "one registered leaves the day's count: a third newcomer's form opens"
expect_eq "$(lookups)" "$((L + 3))" "  though every lookup stays in the audit"
ui_keys Escape; wait_for "参加人员身份证号" >/dev/null
ui_close

# --- a supervisor withdraws the class on the screen, after one question ------------
ui_open 80 24 --as supervisor
ui_keys e; wait_for "活动（1 个）" >/dev/null
ui_keys Enter; wait_for "参加人员" >/dev/null
if ui_screen | tail -1 | grep -q "w 撤销"; then _ok "an open class offers a supervisor w 撤销"; else _fail "an open class offers a supervisor w 撤销: $(ui_screen | tail -1)"; fi
ui_keys w
expect_screen "撤销活动「第一期高素质农民培训班」吗" "w asks once"
ui_type n; wait_gone "撤销活动「"
run event show "$E" --format json
expect_json 'd["status"]' submitted "  n withdraws nothing"
ui_keys w; wait_for "撤销活动「" >/dev/null; ui_type y
expect_screen "活动已撤销：第一期高素质农民培训班" "y withdraws the class"
if ui_screen | tail -1 | grep -qE "w 撤销|u 解锁"; then _fail "  a withdrawn class still offers w or u"; else _ok "  and it offers neither w nor u"; fi
ui_close
run event show "$E" --format json
expect_json 'd["status"]' withdrawn "event show agrees: withdrawn"
