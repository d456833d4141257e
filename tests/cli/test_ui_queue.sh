# test_ui_queue.sh - the review queue at a real day's volume (issue 13, item
# 14): its header tells the true count and where the record shown stands;
# a supervisor reaches any record in a few keys (End for the newest, a
# search, a filter by township, category or officer); skipped records come
# round again; a asks once before approving (and locking); the record view
# offers approve and return to a supervisor, not to an officer.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ui.bash"
setup
trap 'ui_close; rm -rf "$WORK"' EXIT
run init
expect_status 0 "init"

# 30 teachers of 宁远堡镇 by officer_ny, oldest first, then a co-op leader
# of 双湾镇 by officer_sw, submitted last.
names=()
for i in $(seq 1 30); do
	id=$(id_with_check "62030219800101$(printf '%03d' $((i * 2)))")
	name="教师$(printf '%02d' "$i")号"
	run --as officer_ny add rural_teacher name="$name" id_number="$id" phone=138000000$(printf '%02d' "$i") \
		township=宁远堡镇 village=东湾村 school=东湾村小学 stage=小学 staffing=在编 years_teaching=5
	[ "$status" -eq 0 ] || _fail "teacher $i"
	names+=("$name")
done
rec REC_COOP name=周末 id_number=620302199003071230
run --as officer_sw add coop_leader "${REC[@]}"
expect_status 0 "31 records waiting, the newest a co-op leader of 双湾镇"
newest=$out

ui_open 80 24 --as supervisor
wait_for "五支人才队伍进度"
ui_keys r
expect_screen "待审核 31 条" "the header tells the true count"
expect_screen "第 1/31 条" "and where the record shown stands"
expect_screen "教师01号" "the oldest opens first"

# --- the newest in one key; back to the oldest in one ------------------------
ui_keys End
expect_screen "第 31/31 条" "End (one key) reaches the record just submitted"
expect_screen "周末" "  the co-op leader"
ui_keys Home
expect_screen "第 1/31 条" "Home goes back to the oldest"

# --- a search: / NAME Enter ------------------------------------------------------
ui_keys /; wait_for "搜索（"
ui_type "教师17号"; ui_keys Enter
expect_screen "第 1/1 条" "/ 教师17号 Enter: the queue keeps what the search finds"
expect_screen "教师17号" "  and shows it"
expect_screen "待审核 1 条" "  the header counts what is kept"
ui_keys x
expect_screen "待审核 31 条" "x clears the search"

# --- filters: township, category, officer -----------------------------------------
ui_keys t; wait_for "选择乡镇"
ui_type "双湾"; ui_keys Enter
expect_screen "乡镇：双湾镇" "t keeps one township's records"
expect_screen "待审核 1 条" "  counted"
expect_screen "周末" "  the co-op leader of 双湾镇"
ui_keys x; wait_for "待审核 31 条"
ui_keys c; wait_for "类别"
ui_type "合作社"; ui_keys Enter
expect_screen "类别：农民合作社带头人" "c keeps one category's records"
expect_screen "周末" "  the co-op leader"
ui_keys x; wait_for "待审核 31 条"
ui_keys o; wait_for "选择录入员"
ui_type "officer_sw"; ui_keys Enter
expect_screen "录入员：officer_sw" "o keeps one officer's records"
expect_screen "第 1/1 条" "  one record"
ui_keys x; wait_for "待审核 31 条"

# --- a asks once; n skips; skipped records come round ------------------------------
ui_keys a
expect_screen "通过「教师01号」的登记吗？通过后记录锁定" "a asks once before approving"
ui_type n
wait_gone "通过后记录锁定"
run show "$(sqlite3 "$DB" "SELECT uuid FROM records WHERE name = '教师01号'")" --format json
expect_out '"status":"submitted"' "  n to the question approves nothing"
ui_keys n
expect_screen "第 2/31 条" "n skips to the next record"
ui_keys End
wait_for "第 31/31 条"
ui_keys n
expect_screen "回到第一条" "n past the newest says the queue went round"
expect_screen "第 1/31 条" "  and the skipped oldest comes round again"
ui_keys p
expect_screen "第 31/31 条" "p before the oldest goes round to the newest"
ui_keys a; wait_for "通过后记录锁定"; ui_type y
expect_screen "已通过：周末" "y approves"
expect_screen "回到第一条" "  the newest was the last: the queue goes round"
expect_screen "待审核 30 条" "  and counts one fewer"
expect_screen "第 1/30 条" "  showing the oldest again"
run show "$newest" --format json
expect_out '"status":"approved"' "  the record is approved"
ui_keys Escape; wait_for "五支人才队伍进度"

# --- the record view: approve and return for a supervisor ---------------------------
ui_keys l; wait_for "浏览记录"
ui_keys /; wait_for "搜索（"; ui_type "教师05号"; ui_keys Enter
wait_for "教师05号"
ui_keys Enter
wait_for "任教学校"
if ui_screen | tail -1 | grep -q "a 通过"; then _ok "the record view offers a supervisor approve"; else _fail "the record view offers a supervisor approve: $(ui_screen | tail -1)"; fi
if ui_screen | tail -1 | grep -q "r 退回"; then _ok "  and return"; else _fail "  and return"; fi
ui_keys r; wait_for "退回意见"
ui_type "请补充任教学科"; ui_keys Enter
expect_screen "已退回：教师05号" "r returns it from the record view"
expect_screen "已退回" "  the view shows its new status"
if ui_screen | tail -1 | grep -q "a 通过"; then _fail "a returned record is still offered approval"; else _ok "  and no longer offers a decision"; fi
ui_keys Escape; wait_for "浏览记录"
ui_keys /; wait_for "搜索（"; ui_keys C-u; ui_type "教师06号"; ui_keys Enter
wait_for "教师06号"
ui_keys Enter; wait_for "任教学校"
ui_keys a; wait_for "通过后记录锁定"; ui_type y
expect_screen "已通过：教师06号" "a (and y) approves from the record view"
ui_close
run show "$(sqlite3 "$DB" "SELECT uuid FROM records WHERE name = '教师06号'")" --format json
expect_out '"status":"approved"' "  the record is approved"

ui_open 80 24 --as officer_ny
wait_for "五支人才队伍进度"
ui_keys l; wait_for "浏览记录"
ui_keys Enter; wait_for "任教学校"
if ui_screen | tail -1 | grep -q "通过"; then _fail "an officer is offered approval in the record view"; else _ok "an officer is not offered approval in the record view"; fi
ui_keys a h		# a must do nothing, so h shows the history
expect_screen "[历史]" "a does nothing for an officer: h after it shows the history"
if ui_screen | grep -q "通过后记录锁定"; then _fail "a asks an officer to approve"; else _ok "  and no question was asked"; fi
ui_close
