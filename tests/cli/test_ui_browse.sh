# test_ui_browse.sh - browse (issue 13, item 19): a team filter, the count
# of matches and pages, a township's name finding its records, and digits
# that match only what the masked columns show.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ui.bash"
setup
trap 'ui_close; rm -rf "$WORK"' EXIT
run init
expect_status 0 "init"

# 20 teachers of 宁远堡镇 (乡村公共服务人才), a co-op leader of 双湾镇
# (农业生产经营人才); a page at 80x24 has 18 rows
for i in $(seq 1 20); do
	id=$(id_with_check "62030219800101$(printf '%03d' $((i * 2)))")
	run add rural_teacher name="教师$(printf '%02d' "$i")号" id_number="$id" \
		phone=139000000$(printf '%02d' "$i") township=宁远堡镇 village=东湾村 school=东湾村小学 \
		stage=小学 staffing=在编 years_teaching=5
	[ "$status" -eq 0 ] || _fail "teacher $i: $err"
done
rec REC_COOP name=社长1 phone=13703180001
run add coop_leader "${REC[@]}"
expect_status 0 "a co-op leader of 双湾镇, phone 13703180001"

ui_open 80 24
wait_for "五支人才队伍进度"
ui_keys l; wait_for "浏览记录"
expect_screen "共 21 条" "browse counts the records"
expect_screen "第 1/2 页" "and says which page of how many"
ui_keys PageDown
expect_screen "第 2/2 页" "PgDn: page 2 of 2"
ui_keys Home

# --- a team filter -------------------------------------------------------------------
ui_keys g
expect_screen "选择队伍" "g offers the five teams"
ui_type "农业生产"; ui_keys Enter
expect_screen "队伍：农业生产经营人才" "g keeps one team's records"
expect_screen "共 1 条" "  counted"
expect_screen "社长1" "  the co-op leader"
if ui_screen | grep -q "教师01号"; then _fail "  and no teacher"; else _ok "  and no teacher"; fi
ui_keys g; wait_for "选择队伍"; ui_type "公共服务"; ui_keys Enter
expect_screen "共 20 条" "乡村公共服务人才: the 20 teachers"

# --- a township's name finds its records ----------------------------------------------
ui_keys x /; wait_for "搜索（"
ui_type "双湾镇"; ui_keys Enter
expect_screen "搜索：双湾镇" "a search for a township's name"
expect_screen "共 1 条" "  finds its records"
expect_screen "社长1" "  the co-op leader of 双湾镇"
ui_keys /; wait_for "搜索（"; ui_keys C-u; ui_type "宁远堡镇"; ui_keys Enter
expect_screen "共 20 条" "宁远堡镇 finds its 20"

# --- digits match only what the masked columns show -------------------------------------
# 社长1's phone is 13703180001, shown 137****0001: its hidden 0318 finds nothing
ui_keys /; wait_for "搜索（"; ui_keys C-u; ui_type "0318"; ui_keys Enter
expect_screen "没有找到记录" "0318, hidden by the phone's mask, finds nothing"
expect_screen "共 0 条" "  and counts nothing"
ui_keys /; wait_for "搜索（"; ui_keys C-u; ui_type "0001"; ui_keys Enter
expect_screen "社长1" "0001, the phone's visible end, finds it"
ui_close
out=$("$TR" list --search 双湾镇 --format json)
expect_out '"name":"社长1"' "list --search 双湾镇 finds the township's records too"
