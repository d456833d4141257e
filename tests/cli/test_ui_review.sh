# test_ui_review.sh - review through the screens: a supervisor approves one
# record and returns another with a comment, and the officer who made them
# sees the return and its comment; the officer's screens never show a whole
# ID number or phone.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ui.bash"
ui_setup

add_teacher() {	# NAME ID PHONE
	run --as officer_ny add rural_teacher name="$1" id_number="$2" phone="$3" township=宁远堡镇 \
		village=东湾村 school=东湾村小学 stage=小学 staffing=在编 years_teaching=5
	expect_status 0 "the officer registers $1"
	last=$out
}
add_teacher 孙一 620302198506120028 13800000001
first=$last
add_teacher 周二 620302199003071230 13800000002
second=$last

# --- the supervisor's queue: oldest first; approve, then return -------------
ui_open 80 24
expect_screen "r 审核" "home offers the review queue to a supervisor or admin"
ui_keys r
expect_screen "审核队列" "r opens the review queue"
expect_screen "孙一" "the oldest submitted record opens first"
expect_screen "待审核 2 条" "the queue says how many are left"
ui_keys a
expect_screen "通过后记录锁定" "a asks once before approving"
ui_type y
expect_screen "已通过：孙一" "y approves it"
expect_screen "周二" "and the next record opens at once"
ui_keys r
expect_screen "退回意见" "r asks why it is returned"
ui_keys Enter
expect_screen "退回必须写明意见" "a return without a comment is refused"
ui_keys r
wait_for "退回意见"
ui_type "学段与任教学校不符，请核对"; ui_keys Enter
expect_screen "已退回：周二" "the return with a comment is done"
expect_screen "审核队列已空" "then the queue is empty"
ui_keys Escape
wait_for "五支人才队伍进度"
ui_close

run show "$first" --format json
expect_out '"status":"approved"' "the first record is approved"
run show "$second" --format json
expect_out '"status":"returned"' "the second is returned"
expect_out '"comment":"学段与任教学校不符，请核对"' "with the comment"
run history "$second"
expect_out "学段与任教学校不符，请核对" "the return and its comment are in the history"

# --- the officer sees the return --------------------------------------------------
ui_open 80 24 --as officer_ny
expect_screen "退回给我的 1" "the officer's home counts the returned record"
expect_screen "学段与任教学校不符，请核对" "and shows it with the comment"
if ui_screen | grep -q "r 审核"; then _fail "an officer is offered the review queue"; else _ok "an officer is not offered the review queue"; fi
screens=$(ui_screen)
ui_keys r l		# r must do nothing, so l opens browse from home
expect_screen "浏览记录" "r does nothing for an officer: l still works from home"
expect_screen "周二" "the officer browses its records"
screens="$screens$(ui_screen)"
ui_keys Enter
expect_screen "审核意见" "the record view shows the review comment"
expect_screen "学段与任教学校不符，请核对" "with its text"
screens="$screens$(ui_screen)"
ui_keys h
expect_screen "退回修改" "h shows the history, each action by its name"
if ui_screen | grep -q "root（代 officer_ny）  *登记"; then
	_ok "  the registration too, by whom (acting as whom)"
else
	_fail "  the registration's line is missing ($(ui_screen | grep -F '登记'))"
fi
screens="$screens$(ui_screen)"
ui_keys Escape j Enter
wait_for "东湾村小学"
screens="$screens$(ui_screen)"
if printf '%s' "$screens" | grep -qE '[0-9]{17}[0-9X]'; then _fail "a whole ID number on an officer's screen"; else _ok "no whole ID number on the officer's screens"; fi
if printf '%s' "$screens" | grep -qE "$FULL_PHONE_RE"; then _fail "a whole phone number on an officer's screen"; else _ok "no whole phone number on the officer's screens"; fi
if printf '%s' "$screens" | grep -qF '6203**********1230'; then _ok "the ID shows masked"; else _fail "the masked ID is not shown"; fi
ui_close

# --- unlock and withdraw from the record view -------------------------------------
# open NAME: browse, search for NAME, open the first record found
open_record() {
	ui_keys l; wait_for "浏览记录"
	ui_keys /; wait_for "搜索"
	ui_type "$1"; ui_keys Enter
	wait_for "共 1 条"
	ui_keys Enter
	wait_for "$2"
}
foot() { ui_screen | tail -1; }
has_key() {	# TEXT WHAT
	if [[ "$(foot)" == *"$1"* ]]; then _ok "$2"; else _fail "$2 (the key line reads: $(foot))"; fi
}
lacks_key() {
	if [[ "$(foot)" == *"$1"* ]]; then _fail "$2 (the key line reads: $(foot))"; else _ok "$2"; fi
}
# the officer: its returned record may be withdrawn; the approved one neither
# withdrawn (locked) nor unlocked (not an officer's to do)
ui_open 80 24 --as officer_ny
wait_for "五支人才队伍进度"
open_record 周二 "学段与任教学校不符"
has_key "w 撤回" "an officer's own returned record offers w 撤回"
lacks_key "u 解锁" "  and no u 解锁"
ui_keys w
expect_screen "撤回「周二」的登记吗" "w asks once, naming the person"
ui_type n
wait_gone "撤回「周二」的登记吗"
run show "$second" --format json
expect_out '"status":"returned"' "n leaves the record as it was"
ui_keys w; wait_for "撤回「周二」的登记吗"; ui_type y
expect_screen "已撤回：周二" "y withdraws it, and says so"
lacks_key "w 撤回" "a withdrawn record offers w no more"
run show "$second" --format json
expect_out '"status":"withdrawn"' "the record is withdrawn"
run history "$second"
expect_out "撤回" "the withdrawal is in the history"
ui_keys Escape Escape; wait_for "五支人才队伍进度"
open_record 孙一 "已通过"
lacks_key "w 撤回" "an approved record offers the officer no w 撤回 (it is locked)"
lacks_key "u 解锁" "  and no u 解锁"
ui_keys u w
run show "$first" --format json
expect_out '"status":"approved"' "  u and w do nothing there"
ui_close

# the supervisor unlocks the approved record, with a reason
ui_open 80 24 --as supervisor
wait_for "五支人才队伍进度"
open_record 孙一 "已通过"
has_key "u 解锁" "an approved record offers a supervisor u 解锁"
lacks_key "w 撤回" "  and no w 撤回 while it is locked"
ui_keys u
expect_screen "解锁原因" "u asks why"
ui_keys Enter
expect_screen "解锁必须写明原因" "an unlock without a reason is refused"
run show "$first" --format json
expect_out '"status":"approved"' "  and the record stays approved"
ui_keys u; wait_for "解锁原因"
ui_type "身份证号录错，需更正"; ui_keys Enter
expect_screen "已解锁，记录回到待审核：孙一" "the unlock with a reason is done"
has_key "w 撤回" "unlocked, the record may be withdrawn"
lacks_key "u 解锁" "  and is unlocked no more"
ui_close
run show "$first" --format json
expect_out '"status":"submitted"' "the unlocked record waits for review again"
run history "$first"
expect_out "身份证号录错，需更正" "the reason is in the history"
