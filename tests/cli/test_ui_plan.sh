#!/usr/bin/env bash
# The plan on the screens (issue 14), in tmux at 80x24, on a scratch copy of
# the configuration whose ledger and targets this test edits: the ledger
# from home (p), overdue items marked, an item opened with its notes, 销号
# by the district's supervisor with a comment (seen then in report --format
# json and on the screen), refused to a township's supervisor with the
# store's reason, and not offered to an officer, who cannot close by the
# command line either; the targets in detail (t) with the villages still
# missing; an officer's home against its township's share.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ui.bash"
setup
trap 'ui_close; rm -rf "$WORK"' EXIT
export TALENTREG_TODAY=2023-01-05	# after the plan's deadlines: what is not done is overdue

# --- the scratch configuration: the ledger and the targets edited ---------------------------
C=$WORK/config
# 4.1 asks for 2 stations now, and names its unit
sed -i '/^\[item.4.1\]$/,/^\[/{s/^target = 3$/target = 2/;s/^measure = 个$/measure = 个\nunit = 区司法局/}' "$C/tasks.ini"
# a new item following a new target: party members among the village cadres
printf '\n[target.party_cadres]\nlabel = 党员村干部\ncategory = village_cadre\nwhere = political_status=中共党员|中共预备党员\ntarget = 4\n' >>"$C/targets.ini"
printf '\n[item.4.5]\ntext = 村干部中的党员不少于4人（测试用条目）\ncounts = party_cadres\nowner = 张科长\n' >>"$C/tasks.ini"
# the technology commissioners' target raised to 12
sed -i '/^\[target.tech_commissioner\]$/,/^\[/s/^target = 10$/target = 12/' "$C/targets.ini"
run check-config
expect_status 0 "check-config accepts the edited ledger and targets"
expect_out "33 个条目" "  the ledger has the new item"

run init --demo 120
expect_status 0 "a demo database on the edited configuration"
run task list --format json
expect_json '[x["progress"] for x in d if x["id"] == "4.1"][0]' "2 / 2 个" "4.1 counts against its edited target (2)"
expect_json '[x["state"] for x in d if x["id"] == "4.1"][0]' done "  and is done"
expect_json '[x["unit"] for x in d if x["id"] == "4.1"][0]' "区司法局" "  with its edited unit"
expect_json '[x["progress"] for x in d if x["id"] == "4.5"][0].endswith("/ 4 人")' True \
	"the new item follows its new target"

# --- an officer: home against its township's share; no closing ---------------------------------
ui_open 80 24 --as officer_ny
expect_screen "本乡镇分解的目标" "an officer's home says the targets are its township's"
expect_line "五支人才队伍合计.* / 600 " "  the total against 宁远堡镇's 600, not 1000"
expect_line "台账：逾期 [0-9]+，完成 [0-9]+，销号 1$" "home shows the ledger in a few words (the demo closed 6.3)"
expect_screen "p 台账" "  and the key to open it"
ui_keys p
expect_screen "工作台账（33 项" "p opens the ledger"
expect_line "^ 5\.1 +未开始 逾期" "an overdue item is marked 逾期"
if ui_screen | grep -q "c 销号"; then _fail "the officer's key line offers no 销号"; else _ok "the officer's key line offers no 销号"; fi
for _ in 1 2 3 4 5 6 7 8; do ui_keys Down; done
ui_keys Enter
expect_screen "4.1  年内建成3个以上示范性公共法律服务站" "Enter opens 4.1 with the plan's words"
expect_screen "宁远堡镇公共法律服务站建成" "  and its progress notes"
# c must ask nothing: were a prompt open, the Esc after it would only close
# the prompt and leave the item on the screen
ui_keys c Escape
expect_screen "工作台账（33 项" "c asks an officer nothing (Esc right after it goes back to the list)"
if ui_screen | grep -q "销号意见"; then _fail "  no prompt for a comment"; else _ok "  no prompt for a comment"; fi
ui_close
run --as officer_ny task close 4.1 --comment "已完成"
expect_status 3 "an officer cannot close it by the command line either"

# --- a township's supervisor: asked, then refused with the store's reason -----------------------
ui_open 80 24 --as supervisor_ny
expect_screen "p 台账" "a township's supervisor's home"
ui_keys p
expect_screen "c 销号" "its key line offers 销号"
for _ in 1 2 3 4 5 6 7 8; do ui_keys Down; done
ui_keys c
expect_screen "销号意见（必填）" "c asks for the comment"
ui_type "同意销号"
ui_keys Enter
expect_screen "销号是区级的决定" "  and the store refuses: closing is the district's"
ui_close
run task list --format json
expect_json '[x["state"] for x in d if x["id"] == "4.1"][0]' done "4.1 is still open"

# --- the district's supervisor closes it on the screen ------------------------------------------
ui_open 80 24 --as supervisor
ui_keys p
expect_screen "工作台账（33 项" "the district's supervisor opens the ledger"
for _ in 1 2 3 4 5 6 7 8; do ui_keys Down; done
ui_keys Enter
expect_screen "4.1  年内建成3个" "  opens 4.1"
ui_keys c
expect_screen "销号意见（必填）" "  c asks for the comment"
ui_keys Enter
expect_screen "须写明内容，未保存" "an empty comment closes nothing"
ui_keys c
wait_for "销号意见（必填）" >/dev/null
ui_type "两个服务站均已验收，同意销号"
ui_keys Enter
expect_screen "已销号：4.1" "the item is closed, and the screen says so"
expect_screen "状态：已销号" "  the item shows 已销号"
expect_screen "两个服务站均已验收，同意销号" "  with the comment"
ui_keys Escape
expect_line "^ 4\.1 +已销号 " "the ledger's line shows 4.1 已销号"
ui_close
run report --format json
expect_json '[x["state"] for x in d["ledger"] if x["id"] == "4.1"][0]' closed "report --format json shows 4.1 closed"
expect_json '[x["close_note"] for x in d["ledger"] if x["id"] == "4.1"][0]' "两个服务站均已验收，同意销号" \
	"  with the comment typed on the screen"
expect_json '[x["closed_by"] for x in d["ledger"] if x["id"] == "4.1"][0]' supervisor "  by the supervisor"
expect_json '[t["target"] for t in d["targets"] if t["key"] == "tech_commissioner"][0]' 12 \
	"  and the edited target (12 commissioners)"
expect_json '[x["owner"] for x in d["ledger"] if x["id"] == "4.5"][0]' "张科长" "  and the new item"

# --- the targets in detail ----------------------------------------------------------------------
ui_open 80 24
expect_screen "t 目标" "home offers the targets in detail"
ui_keys t
expect_screen "目标详情" "t opens them"
expect_screen "[专项目标]" "  the plan's targets"
for _ in 1 2 3 4 5 6; do ui_keys NPage; done
expect_screen "尚缺：" "  and, further down, the villages still missing per township"
ui_keys Escape
expect_screen "五支人才队伍进度" "Esc goes back home"
ui_close
