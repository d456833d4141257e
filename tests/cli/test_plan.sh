#!/usr/bin/env bash
# The plan beyond people (issue 14), on the command line: the ledger of
# tasks.ini (progress, done, overdue, 销号 by a supervisor over every
# township and never by an officer), targets across categories and with
# several conditions, villages covered with the villages still missing per
# township, tags set by supervisors and counted, per-township targets, the
# four new categories with their rules, and list --village.
source "$(dirname "$0")/lib.sh"
setup
export TALENTREG_TODAY=2022-11-20	# within the plan's year: deadlines 2022-12-31
run init >/dev/null

n=0
add_ok() {	# CATEGORY key=value...: adds as the admin; sets $U
	run add "$@"
	if [ "$status" -ne 0 ]; then _fail "setting up: add $1 ($err)"; fi
	U=$out
}
base() {	# NAME TOWN VILLAGE BIRTH SEX: the person fields, a new valid ID each time
	n=$((n + 1))
	local seq
	seq=$(printf '%02d%d' $((n % 100)) $([ "$5" = M ] && echo 1 || echo 2))
	BASE=(name="$1" id_number="$(id_with_check "620302$4$seq")" phone=139$(printf '%08d' $n)
		township="$2" village="$3")
}
json() { run "$@" --format json; }
line() { printf '[x for x in d["%s"] if x["key"] == "%s"][0]["%s"]' "$1" "$2" "$3"; }

# --- the ledger as shipped ---------------------------------------------------------

run task list
expect_status 0 "task list"
expect_out "共 32 个条目" "the ledger has the plan's 32 items"
expect_out "年内建成3个以上示范性公共法律服务站（室）" "  with the plan's words (4.1)"
run task list --format json
expect_json 'len({x["id"].split(".")[0] for x in d})' 11 "  of its eleven tasks"
expect_json '[x["state"] for x in d if x["id"] == "4.1"][0]' not_started "4.1 has not started"
expect_json '[x["progress"] for x in d if x["id"] == "4.1"][0]' "0 / 3 个" "  0 of 3 stations"
expect_json '[x["unit"] for x in d if x["id"] == "6.4"][0]' "区科技局、区农业农村局" \
	"6.4 names the units the plan names"
expect_json '[x["unit"] for x in d if x["id"] == "4.1"][0]' "待填写" "  the others are to be filled in"
run task list --overdue --format json
expect_json 'len(d)' 0 "nothing is overdue before the deadline"

# --- progress, done, closed ----------------------------------------------------------

run task progress 4.1 --note "宁远堡镇公共法律服务站建成" --amount 1 --date 2022-06-01 --evidence "区司法局验收意见"
expect_status 0 "a progress note with an amount"
expect_out "进度 1 / 3 个" "  and the item's progress says 1 / 3"
run task progress 4.1 --amount 1
expect_status 2 "a progress note needs --note"
run task progress 4.1 --note 某 --date 2023-01-01
expect_status 2 "a progress note cannot be dated in the future"
run task progress 4.9 --note 某
expect_status 2 "an unknown item is a usage error"
expect_err "台账中没有条目：4.9" "  naming it"
run task progress 1.2 --note 某 --amount 3
expect_status 2 "an item that counts registrations takes no --amount"
run --as officer_ny task progress 4.1 --note "东湾村公共法律服务室挂牌" --amount 1 --township 宁远堡镇
expect_status 0 "an officer notes progress in its township"
run --as officer_ny task progress 4.1 --note "某" --township 双湾镇
expect_status 3 "  but not in another township"
run task list --format json
expect_json '[x["state"] for x in d if x["id"] == "4.1"][0]' in_progress "4.1 is in progress (2 of 3)"
run task progress 4.1 --note "双湾镇南湾村公共法律服务室建成" --amount 1
run task show 4.1 --format json
expect_json 'len(d)' 3 "task show lists the three notes"
expect_json '[x["evidence"] for x in d][0]' "区司法局验收意见" "  with their evidence"
run task list --format json
expect_json '[x["state"] for x in d if x["id"] == "4.1"][0]' done "three stations: 4.1 is done"

run --as officer_ny task close 4.1 --comment "已完成"
expect_status 3 "an officer cannot close an item"
expect_err "您的角色不能进行此操作" "  told it is the role"
run --as supervisor_ny task close 4.1 --comment "已完成"
expect_status 3 "nor can a supervisor of one township"
expect_err "只有负责全部乡镇的审核人或管理员可以销号" "  told closing is the district's"
run --as supervisor task close 4.1
expect_status 2 "closing needs a comment"
run --as supervisor task close 4.1 --comment "三个服务站（室）均已验收，同意销号"
expect_status 0 "the district's supervisor closes 4.1"
expect_out "已销号：4.1" "  and is told so"
run --as supervisor task close 4.1 --comment "again"
expect_status 3 "a closed item cannot be closed again"
run task list --format json
expect_json '[x["state"] for x in d if x["id"] == "4.1"][0]' closed "4.1 is closed"
run report --format json
expect_json '[x for x in d["ledger"] if x["id"] == "4.1"][0]["state"]' closed "report --format json shows 4.1 closed"
expect_json '[x for x in d["ledger"] if x["id"] == "4.1"][0]["close_note"]' "三个服务站（室）均已验收，同意销号" \
	"  with the supervisor's comment"
expect_json '[x for x in d["ledger"] if x["id"] == "4.1"][0]["closed_by"]' supervisor "  and who closed it"
n_audit=$(sqlite3 "$DB" "SELECT count(*) FROM audit WHERE action = 'task_close' AND coalesce(as_user, login) = 'supervisor'")
expect_eq "$n_audit" 1 "the close is one audit row"
sqlite3 "$DB" "DELETE FROM task_log" 2>/dev/null
expect_eq "$(sqlite3 "$DB" 'SELECT count(*) FROM task_log')" 4 "the ledger's log cannot be deleted from"
run --as supervisor task reopen 4.1 --comment "验收材料缺一份"
expect_status 0 "the supervisor reopens it"
run task list --format json
expect_json '[x["state"] for x in d if x["id"] == "4.1"][0]' done "  and it is done again, not closed"

run task progress 8.1 --note "两家企业建成实训基地" --done
run task list --format json
expect_json '[x["state"] for x in d if x["id"] == "8.1"][0]' done "an item without a number is done when a note says so"

# overdue: after the deadline, what is neither done nor closed stands out
TALENTREG_TODAY=2023-01-05 run task list --overdue --format json
expect_json '"5.1" in [x["id"] for x in d]' True "after the deadline 5.1 (not started) is overdue"
expect_json '"4.1" in [x["id"] for x in d]' False "  4.1 (done) is not"
TALENTREG_TODAY=2023-01-05 run task list
expect_out "逾期" "the table marks overdue items 逾期"

# --- targets across categories, several conditions, multi-choice fields ----------------

base 党员甲 宁远堡镇 东湾村 19800101 M
add_ok grower "${BASE[@]}" political_status=中共党员 grower_type=种养大户 main_industry=蔬菜
base 党员乙 双湾镇 南湾村 19820202 F
add_ok rural_teacher "${BASE[@]}" political_status=中共预备党员 school=南湾小学 stage=小学 staffing=在编 years_teaching=10
base 群众丙 双湾镇 南湾村 19830303 M
add_ok grower "${BASE[@]}" grower_type=种养大户 main_industry=蔬菜
base 书记丁 宁远堡镇 西坡村 19900404 F
add_ok village_cadre "${BASE[@]}" positions="村委会委员|村妇联主席" term_start=2021-01-01
CADRE=$U
base 主任戊 宁远堡镇 西坡村 19910505 M
add_ok village_cadre "${BASE[@]}" positions="村委会主任" term_start=2021-01-01
json report
expect_json "$(line targets party_members total)" 2 "party members across categories: the grower and the teacher"
expect_json "$(line targets party_members kind)" people "  a people target"
expect_json "$(line targets youth_women_cadres total)" 1 "a where on a multi-choice field finds the women's federation chair among several posts"
expect_json "$(line targets large_growers total)" 2 "large growers: two"
run edit "$CADRE" positions="村委会委员"
json report
expect_json "$(line targets youth_women_cadres total)" 0 "  and loses her when the post is edited away"

# --- villages covered ----------------------------------------------------------------

ent() {	# NAME TOWN VILLAGE: an entrepreneur
	base "$1" "$2" "$3" 19880808 M
	add_ok entrepreneur "${BASE[@]}" returnee_type=返乡农民工 business_name="$1的合作社" \
		entity_type=农民专业合作社 industry=种植业 started_on=2021-05-01
}
ent 创客一 宁远堡镇 东湾村
E1=$U
ent 创客二 宁远堡镇 西坡村
ent 创客三 双湾镇 南湾村
run --as supervisor review "$E1" approve
json report
expect_json "$(line targets village_creators kind)" coverage "一村一客 is a coverage target"
expect_json "$(line targets village_creators target)" 15 "  of every village (7 + 8)"
expect_json "$(line targets village_creators total)" 3 "  three villages have a creator"
expect_json "$(line targets village_creators approved)" 1 "  one of them approved"
cov() { printf '[c for c in d["coverage"] if c["key"] == "%s" and c["township"] == "%s"][0]["%s"]' "$1" "$2" "$3"; }
expect_json "$(cov village_creators 宁远堡镇 approved)" 1 "in 宁远堡镇 one village is covered"
expect_json "'东湾村' in $(cov village_creators 宁远堡镇 missing)" False "  东湾村, whose creator is approved, is not missing"
expect_json "$(cov village_creators 宁远堡镇 missing)" "['西坡村', '新华村', '红光村', '龙泉村', '永丰村', '金水村']" \
	"  the villages still missing, in areas.ini's order"
expect_json "$(cov village_creators 宁远堡镇 pending)" "['西坡村']" "  西坡村's creator waits for review"
expect_json "len($(cov village_creators 双湾镇 missing))" 8 "双湾镇: all 8 villages still missing an approved creator"
run report
expect_out "尚缺：西坡村、新华村、红光村、龙泉村、永丰村、金水村（其中有待审核登记的：西坡村）" \
	"the printed report lists the missing villages per township"

# a legal adviser covers the villages it serves (by = served_villages)
base 顾问己 宁远堡镇 东湾村 19750707 F
add_ok legal_adviser "${BASE[@]}" adviser_type="村（居）法律顾问" appointed_on=2021-03-01 served_villages="红光村、龙泉村"
base 明白人庚 宁远堡镇 东湾村 19760707 M
add_ok legal_adviser "${BASE[@]}" adviser_type=法律明白人 appointed_on=2021-03-01 served_villages="金水村"
json report
expect_json "$(line targets village_legal_advisers total)" 2 "an adviser serving 红光村、龙泉村 covers two villages"
expect_json "$(cov village_legal_advisers 宁远堡镇 pending)" "['红光村', '龙泉村']" \
	"  (waiting for review), and a 法律明白人 covers none"

# --- tags --------------------------------------------------------------------------------

E2=$(sqlite3 "$DB" "SELECT uuid FROM records WHERE name = '创客二'")
run --as officer_ny tag add "$E2" 青年创业典型
expect_status 3 "an officer cannot tag"
run --as supervisor_sw tag add "$E2" 青年创业典型 2>/dev/null
run --as supervisor tag add "$E2" 青年创业典型 --note "区级典型"
expect_status 0 "a supervisor tags a person by the tag's label"
expect_out "已给 创客二 设置标记：青年创业典型" "  and is told so"
run --as supervisor tag add "$E2" youth_model
expect_status 1 "the same tag twice is refused"
run --as supervisor tag add "$E2" 英雄
expect_status 2 "an unknown tag is a usage error"
run --as supervisor tag add "$E1" 青年创业典型
json report
expect_json "$(line targets youth_models total)" 2 "the youth model target counts the two tagged people"
expect_json "$(line targets youth_models approved)" 1 "  one of them approved"
expect_json "$(line targets returnee_models total)" 0 "the returnee models: nobody tagged yet"
run tag list --format json
expect_json 'len(d)' 2 "tag list shows the two tags"
expect_no_out "$FULL_ID_RE" "  with ID numbers masked"
run --as supervisor tag remove "$E2" 青年创业典型
expect_status 2 "removing a tag needs a reason"
run --as supervisor tag remove "$E2" 青年创业典型 --comment "核实后不符合条件"
expect_status 0 "a supervisor removes a tag with a reason"
json report
expect_json "$(line targets youth_models total)" 1 "  and the target counts one"
run tag list --all --format json
expect_json 'len(d)' 2 "tag list --all still shows the removed tag"
run history "$E2"
expect_out "取消标记" "the record's history shows the tag removed"

# --- per-township targets -------------------------------------------------------------------

run --as officer_ny report --format json
expect_json "$(line total total target)" 600 "an officer of 宁远堡镇 sees its share of the total (600)"
expect_json "$(line total total split)" True "  marked as a split target"
expect_json "$(line teams agri_production target)" 0 "  a team with no split keeps the district's (none)"
expect_json "$(line targets village_creators target)" 7 "  and coverage is of its own 7 villages"
expect_json 'd["scope"]' "['宁远堡镇']" "  the report says whose townships"
run --as officer_ny report
expect_out "600*" "the printed report marks the township's share with *"
json report
expect_json "$(line total total target)" 1000 "the admin sees the district's 1000"
expect_json "$(line townships 宁远堡镇 target)" 600 "  and each township's line its target"

# --- the four new categories, with their rules ------------------------------------------------

base 家政甲 双湾镇 北湾村 19850505 F
run validate domestic_service "${BASE[@]}" service_type=养老护理 training_course=养老护理员培训班 training_date=2022-05-01 employed=是
expect_status 1 "a domestic worker who works needs the employer"
expect_err "已从业的须填写从业单位" "  said so"
add_ok domestic_service "${BASE[@]}" service_type=养老护理 training_course=养老护理员培训班 training_date=2022-05-01 employed=是 employer=金川区颐养院
base 干部乙 宁远堡镇 东湾村 19860606 M
run validate exchange_cadre "${BASE[@]}" exchange_type=到市级对口部门跟班学习 home_unit=区农业农村局 host_unit=市农业农村局 start_date=2022-05-01 end_date=2022-03-01
expect_status 1 "an exchange ending before it starts is refused"
add_ok exchange_cadre "${BASE[@]}" exchange_type=到市级对口部门跟班学习 home_unit=区农业农村局 host_unit=市农业农村局 start_date=2022-05-01
base 经理丙 双湾镇 中坝村 19870707 M
add_ok agri_manager "${BASE[@]}" employer_name=中坝村蔬菜专业合作社 employer_type=农民专业合作社 hired_on=2022-01-01 duties="生产管理|市场营销"
base 队员丁 双湾镇 中坝村 19880808 F
add_ok village_team_member "${BASE[@]}" team_role=工作队员 sent_by=区农业农村局 sent_level=区级 start_date=2022-03-01
json report
expect_json "$(line targets domestic_service total)" 1 "家庭服务业从业人员 counts for its target (300)"
expect_json "$(line targets exchange_cadres total)" 1 "挂职交流干部 at a city department counts for 交流干部 (10)"
expect_json "$(line targets agri_managers total)" 1 "农业经理人 counted"
expect_json "$(line targets village_teams total)" 1 "驻村工作队员 covers its village"
expect_json "$(line teams governance total)" 6 \
	"the governance team counts the new categories' people too (2 cadres, 2 advisers, 2 new)"

# --- list --village --------------------------------------------------------------------------

run list --village 西坡村 --format json
expect_json 'sorted(x["name"] for x in d)' "['主任戊', '书记丁', '创客二']" "list --village lists a village's records"
run list --village 月球村
expect_status 2 "an unknown village is a usage error"
