# test_ui_home.sh - the home screen (issue 13, items 15 and 20): the plan's
# specific targets under their teams, a team with no total target showing
# its progress through them, an officer's home showing its township's
# figures against the township's share of the targets when targets.ini
# splits them for it ([township.ID]) and otherwise without setting them
# against the district's, a returned record opened from home (↑↓,
# Enter) to be corrected at once, and the key line at 80 columns, which
# keeps help and quit when an admin's keys are too many for it.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ui.bash"
setup
trap 'ui_close; rm -rf "$WORK"' EXIT
run init
expect_status 0 "init"

# --- 20: the plan's specific targets ---------------------------------------------
ui_open 80 24
wait_for "五支人才队伍进度"
for t in "电商人才 .*/ 20 " "直播带货人员 .*/ 10 " "高素质农民培训 .*/ 300 " "种养大户 .*/ 20 " "科技特派员 .*/ 10 "; do
	expect_line "^ +${t}" "20: home shows the plan's target ${t%% *} (${t##*/ })"
done
expect_line '^  农业生产经营人才 .*见分项' "20: 农业生产经营人才, with no total target, points to its targets"
if ui_screen | grep -A1 '农业生产经营人才' | tail -1 | grep -q '高素质农民培训'; then
	_ok "20: which stand right under it"
else
	_fail "20: which stand right under it"
fi
ui_close

# --- 20: an officer's home: its township's figures, said to be so ----------------
# the shipped targets.ini splits the targets for both townships, as an
# example: without those sections, none is split
cp "$WORK/config/targets.ini" "$WORK/targets.shipped"
python3 - "$WORK/config/targets.ini" <<'PY'
import re, sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
s = re.sub(r"(?ms)^\[township\.[^\]]*\].*?(?=^\[|\Z)", "", s)
open(p, "w", encoding="utf-8").write(s)
PY
run check-config
expect_status 0 "targets.ini without the townships' splits"
run --as officer_ny add rural_teacher "${REC_TEACHER[@]}"
expect_status 0 "a teacher of 宁远堡镇"
ui_open 80 24 --as officer_ny
wait_for "五支人才队伍"
expect_screen "五支人才队伍进度：宁远堡镇" "20: an officer's home says whose figures they are"
expect_screen "未分解到本乡镇" "20: and that the plan's targets are the district's, not shared out to it"
if ui_screen | grep -qE '/ (500|1000|200|100) '; then
	_fail "20: an officer's township figures are set against the district's targets"
else
	_ok "20: an officer's township figures are not set against the district's targets"
fi
expect_line '^  乡村公共服务人才 +0 ' "20: the township's figure stands alone"
ui_close

# --- 20: with its township's share in targets.ini, the officer's figures are set against it
cat >> "$WORK/config/targets.ini" <<'INI'
[township.ningyuanbu]
total = 400
team.public_service = 40
target.ecommerce = 8
INI
run check-config
expect_status 0 "check-config takes a township's share"
ui_open 80 24 --as officer_ny
wait_for "五支人才队伍"
expect_screen "本乡镇分解的目标" "20: with a share, the officer's home says the figures are set against it"
expect_line '^  五支人才队伍合计.* 0 / 400 ' "20: the township's total against its share (400)"
expect_line '^  乡村公共服务人才 .* 0 / 40 ' "20: a team against its share (40)"
expect_line '^    电商人才 .* 0 / 8 ' "20: a specific target against its share (8)"
expect_line '^  乡村治理人才 +0 ' "20: a team with no share: its figure alone"
ui_close
ui_open 80 24
wait_for "五支人才队伍进度"
expect_line '^  乡村公共服务人才 .*/ 500 ' "20: the district's home keeps the district's targets"
ui_close
cp "$WORK/targets.shipped" "$WORK/config/targets.ini"

# --- 15: a returned record opens from home and is corrected at once --------------
rec REC_TEACHER name=孙一 id_number=620302199003071230 phone=13800000001
run --as officer_ny add rural_teacher "${REC[@]}"
first=$out
rec REC_TEACHER name=周二 id_number="$(id_with_check 62030219880808001)" phone=13800000002
run --as officer_ny add rural_teacher "${REC[@]}"
second=$out
run review "$first" return --comment "任教学校写错了"
run review "$second" return --comment "教龄请核对"
ui_open 80 24 --as officer_ny
wait_for "退回给我的 2"
expect_screen "退回给我的记录" "15: home lists the records returned to the officer"
expect_line '^  > .*(孙一|周二)' "15: the first is chosen (>)"
chosen=$(ui_screen | sed -n 's/^  > \([^ ]*\) .*/\1/p')
ui_keys Down
expect_line "^  > .*$([ "$chosen" = 孙一 ] && echo 周二 || echo 孙一)" "15: ↓ chooses the next"
ui_keys Enter
expect_screen "修改：乡村教师" "15: Enter opens the returned record in the form at once"
other=$([ "$chosen" = 孙一 ] && echo 周二 || echo 孙一)
expect_screen "$other" "  the one chosen"
expect_screen "退回意见：" "  with why it was returned"
ui_field 任教学校
ui_keys C-u; ui_type "永丰村小学"; ui_keys C-s
expect_screen "退回给我的 1" "15: saved, it leaves the returned list"
ui_close
uuid=$([ "$other" = 孙一 ] && echo "$first" || echo "$second")
run show "$uuid" --format json
expect_out '"status":"submitted"' "15: the corrected record is submitted again"
expect_out '"school":"永丰村小学"' "  with the correction"

# --- the key line at 80 columns: help and quit are always on it ---------------
# an admin with a returned record has the most keys on home: more than 80
# columns of them; the line gives up its gaps and the entries nearest its
# end, never ? 帮助 or q 退出 (the help lists every key)
rec REC_TEACHER name=吴三 id_number="$(id_with_check 62030219870707002)" phone=13800000003
run --as admin add rural_teacher "${REC[@]}"
mine=$out
run --as supervisor review "$mine" return --comment "请核对"
expect_status 0 "a supervisor returns the admin's record"
ui_open 120 24 --as admin
wait_for "退回给我的 1"
foot=$(ui_screen | tail -1)
whole="n 新登记  l 浏览  d 草稿  r 审核  p 台账  t 目标  e 活动  c 冲突  Enter 修改退回的  ? 帮助  q 退出"
if [[ "$foot" == *"$whole"* ]]; then _ok "120 columns: the whole key line, with its gaps"
else _fail "120 columns: the whole key line, with its gaps (it reads: $foot)"; fi
ui_open 80 24 --as admin
wait_for "退回给我的 1"
foot=$(ui_screen | tail -1)
for k in "n 新登记" "r 审核" "? 帮助" "q 退出"; do
	if [[ "$foot" == *"$k"* ]]; then _ok "80 columns: the key line shows $k"
	else _fail "80 columns: the key line shows $k (it reads: $foot)"; fi
done
if [[ "$foot" == *"…"* ]]; then _fail "80 columns: the key line is cut off (…): $foot"
else _ok "80 columns: the key line is not cut off"; fi
ui_keys q
if wait_gone "五支人才队伍"; then _ok "80 columns: q quits, as the line says"
else _fail "80 columns: q quits, as the line says"; fi
ui_close
