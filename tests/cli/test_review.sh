#!/usr/bin/env bash
# Review and workflow: review approve|return|unlock and withdraw, who may do
# each, the comment rules, what the officer sees of a returned record, the
# recorded full view (show --full), and that every decision is one audit row
# that history shows with its comment. Refusals leave the database as it was.
source "$(dirname "$0")/lib.sh"
setup

# A second officer of 宁远堡镇, to tell "own" from "another's" in one township.
cat >>"$WORK/config/users.ini" <<'EOF'

[user.officer_ny2]
role = officer
name = 宁远堡镇第二录入员（测试）
townships = 宁远堡镇
EOF

# Valid records (the IDs pass the GB 11643 check; ages as of TALENTREG_TODAY).
RV_TEACHER=(name=王小梅 id_number=620302198506120028 phone=13800138000
	township=宁远堡镇 village=东湾村 school=东湾村小学 stage=小学 staffing=在编
	years_teaching=12)
RV_TEACHER2=(name=李红 id_number=620302199002020028 phone=13900139000
	township=宁远堡镇 village=西坡村 school=西坡村小学 stage=小学 staffing=在编
	years_teaching=8)
RV_TEACHER3=(name=赵强 id_number=620302198803030010 phone=13700137000
	township=宁远堡镇 village=新华村 school=新华村小学 stage=初中 staffing=在编
	years_teaching=10)
RV_COOP=(name=李建国 id_number=620302199003071230 phone=13912345678
	township=双湾镇 village=南湾村 coop_name=南湾村蔬菜专业合作社
	coop_uscc=93620302MA7XXXXX1B member_count=12 position=理事长 founded_on=2015-03-05)

q() { sqlite3 "$DB" "$1"; }
status_of() { q "SELECT status FROM records WHERE uuid = '$1'"; }
comment_of() { q "SELECT coalesce(comment, '(none)') FROM records WHERE uuid = '$1'"; }
audit_count() { q "SELECT count(*) FROM audit WHERE uuid = '$1'"; }
last_audit() { q "SELECT action || '|' || login || '|' || coalesce(as_user, '-') || '|' || coalesce(comment, '-') FROM audit WHERE uuid = '$1' ORDER BY id DESC LIMIT 1"; }

# refused STATUS DESCRIPTION ARGS...: runs talentreg, expects STATUS and an
# unchanged database.
refused() {
	local want=$1 what=$2 before
	shift 2
	before=$(db_dump)
	run "$@"
	expect_status "$want" "$what"
	expect_eq "$(db_dump)" "$before" "  and changes nothing"
}

run init
expect_status 0 "init"
run --as officer_ny add rural_teacher "${RV_TEACHER[@]}"
expect_status 0 "an officer adds a record"
U1=$out
run --as officer_ny add rural_teacher "${RV_TEACHER2[@]}"
U2=$out
run --as officer_ny add rural_teacher "${RV_TEACHER3[@]}"
U3=$out
run --as officer_sw add coop_leader "${RV_COOP[@]}"
U4=$out
expect_eq "$(q "SELECT count(*) FROM records WHERE status = 'submitted'")" 4 "four submitted records"

# --- usage: exit 2, nothing changes -----------------------------------------

refused 2 "review without a decision is a usage error" --as supervisor_ny review "$U1"
expect_err "approve|return|unlock" "  naming what is missing"
refused 2 "review without arguments is a usage error" --as supervisor_ny review
refused 2 "an unknown decision is a usage error" --as supervisor_ny review "$U1" frobnicate
expect_err "frobnicate" "  naming it"
refused 2 "return without a comment is refused" --as supervisor_ny review "$U1" return
expect_err "--comment" "  saying to give one with --comment"
refused 2 "return with an empty comment is refused" --as supervisor_ny review "$U1" return --comment ""
refused 2 "return with only white space is refused" --as supervisor_ny review "$U1" return --comment "  　 "
refused 2 "a comment with a control character is refused" \
	--as supervisor_ny review "$U1" return --comment "$(printf '请\001补充')"
expect_err "U+0001" "  naming the character"
refused 2 "a comment with a bidi override is refused" \
	--as supervisor_ny review "$U1" return --comment "$(printf '请\u202e补充')"
refused 2 "a comment over 500 characters is refused" \
	--as supervisor_ny review "$U1" return --comment "$(printf '长%.0s' {1..501})"
refused 2 "an extra argument is a usage error" --as supervisor_ny review "$U1" approve now
refused 2 "an unknown option is a usage error" --as supervisor_ny review "$U1" approve --force
refused 2 "withdraw without a uuid is a usage error" --as officer_ny withdraw
refused 3 "an unknown record is not found" --as supervisor_ny review 00000000-dead-4bee-8fee-000000000000 approve

# --- who may review ---------------------------------------------------------

refused 3 "an officer may not approve" --as officer_ny review "$U1" approve
expect_err "无权限" "  and is told it is not permitted"
refused 3 "an officer may not return" --as officer_ny review "$U1" return --comment 不行
refused 3 "a supervisor of 宁远堡镇 may not review a record of 双湾镇" --as supervisor_ny review "$U4" approve
expect_err "找不到记录" "  which it cannot even see"

# --- return: the officer sees the comment, edits, and it is submitted again --

n=$(audit_count "$U1")
run --as supervisor_ny review "$U1" return --comment "请补充任教学科"
expect_status 0 "a supervisor returns a submitted record with a comment"
expect_out "$U1" "  and is told which record"
expect_eq "$(status_of "$U1")" returned "  the record is returned"
expect_eq "$(comment_of "$U1")" "请补充任教学科" "  with the comment"
expect_eq "$(audit_count "$U1")" $((n + 1)) "  one audit row"
expect_eq "$(last_audit "$U1")" "return|root|supervisor_ny|请补充任教学科" "  naming the action, who and the comment"

run --as officer_ny list --status returned --format csv
expect_out "$U1" "the officer finds its returned record in list --status returned"
run --as officer_ny show "$U1"
expect_status 0 "the officer shows the returned record"
expect_out "已退回" "  its status is returned"
expect_out "审核意见" "  it has a review comment line"
expect_out "请补充任教学科" "  with the supervisor's comment"
run --as officer_ny show "$U1" --format json
expect_out '"comment":"请补充任教学科"' "show --format json carries the comment"
expect_out '"status":"returned"' "  and the status"

refused 3 "another officer of the township may not edit it" --as officer_ny2 edit "$U1" subjects=语文
refused 3 "  nor withdraw it" --as officer_ny2 withdraw "$U1"
run --as officer_ny edit "$U1" subjects=语文
expect_status 0 "the officer edits its returned record"
expect_eq "$(status_of "$U1")" submitted "  which is submitted again"
refused 3 "a submitted record waits for review: the officer may not edit it" \
	--as officer_ny edit "$U1" subjects=数学

# --- approve: locked --------------------------------------------------------

run --as supervisor_ny review "${U1:0:8}" approve
expect_status 0 "a supervisor approves by the first 8 characters of the uuid"
expect_out "$U1" "  and is told the whole uuid"
expect_eq "$(status_of "$U1")" approved "  the record is approved"
expect_eq "$(comment_of "$U1")" "(none)" "  the returned comment is cleared from the record"
expect_eq "$(last_audit "$U1")" "approve|root|supervisor_ny|-" "  one audit row"
refused 3 "approving it again is refused" --as supervisor_ny review "$U1" approve
refused 3 "returning an approved record is refused" --as supervisor_ny review "$U1" return --comment 再看看
refused 3 "the officer may not edit an approved record" --as officer_ny edit "$U1" subjects=数学
expect_err "锁定" "  it is locked"
refused 3 "  nor may the supervisor" --as supervisor_ny edit "$U1" subjects=数学
refused 3 "  nor may the officer withdraw it" --as officer_ny withdraw "$U1"
refused 3 "the officer may not unlock it" --as officer_ny review "$U1" unlock --comment 更正

# --- unlock: with a reason, back to submitted -------------------------------

refused 2 "unlock without a reason is refused" --as supervisor_ny review "$U1" unlock
expect_err "--comment" "  saying to give one"
refused 3 "unlocking a record that is not approved is refused" --as supervisor_ny review "$U2" unlock --comment 更正
run --as supervisor_ny review "$U1" unlock --comment "更正任教学科"
expect_status 0 "a supervisor unlocks an approved record with a reason"
expect_eq "$(status_of "$U1")" submitted "  it is submitted again"
expect_eq "$(comment_of "$U1")" "更正任教学科" "  with the reason as its comment"
expect_eq "$(last_audit "$U1")" "unlock|root|supervisor_ny|更正任教学科" "  one audit row"
run --as supervisor_ny edit "$U1" subjects=数学
expect_status 0 "  and the supervisor may correct it"

# --- the decision word may come first --------------------------------------

run --as supervisor review approve "$U3"
expect_status 0 "review approve UUID works too"
expect_eq "$(status_of "$U3")" approved "  the record is approved"

# --- withdraw: the officer who made it --------------------------------------

refused 3 "an officer of another township cannot withdraw the record" --as officer_sw withdraw "$U2"
refused 3 "another officer of the township cannot withdraw it" --as officer_ny2 withdraw "$U2"
run --as officer_ny withdraw "$U2" --comment "重复登记"
expect_status 0 "the officer withdraws its own record"
expect_out "$U2" "  and is told which"
expect_eq "$(status_of "$U2")" withdrawn "  it is withdrawn"
expect_eq "$(last_audit "$U2")" "withdraw|root|officer_ny|重复登记" "  one audit row with the reason"
expect_eq "$(q "SELECT count(*) FROM records WHERE uuid = '$U2'")" 1 "  and kept, never deleted"
refused 3 "withdrawing it again is refused" --as officer_ny withdraw "$U2"
refused 3 "a withdrawn record cannot be approved" --as supervisor_ny review "$U2" approve

# --- history: every decision with its comment -------------------------------

run --as officer_ny history "$U1"
expect_status 0 "history of the reviewed record"
# each action by its Chinese name (src/history.c), in the order they happened
expect_eq "$(printf '%s\n' "$out" | awk -F '  +' 'NR > 1 { print $3 }' | paste -sd ' ')" \
	"登记 退回修改 修改 审核通过 解锁 修改" \
	"  shows register, return, edit, approve, unlock and edit, in order"
if printf '%s\n' "$out" | grep '退回修改' | grep -qF '请补充任教学科'; then
	_ok "  the return row has its comment"
else
	_fail "  the return row has its comment"
fi
if printf '%s\n' "$out" | awk -F '  +' '$3 == "修改"' | grep -qF '任教学科: 语文 → 数学'; then
	_ok "  the edit row says what changed"
else
	_fail "  the edit row says what changed"
fi
if printf '%s\n' "$out" | grep '解锁' | grep -qF '更正任教学科'; then
	_ok "  the unlock row has its reason"
else
	_fail "  the unlock row has its reason"
fi
expect_out "supervisor_ny" "  and who decided"
expect_eq "$(audit_count "$U1")" 6 "  six rows: create, return, edit, approve, unlock, edit"
run --as officer_ny history "$U2"
expect_out "重复登记" "history shows the withdrawal's reason"

# --- full view: an explicit, recorded action ---------------------------------

ID_RE=$FULL_ID_RE
PHONE_RE=$FULL_PHONE_RE
for who in officer_ny supervisor_ny supervisor; do
	run --as "$who" show "$U1"
	expect_no_out "$ID_RE" "$who: a plain show masks the ID number"
	expect_no_out "$PHONE_RE" "$who: a plain show masks the phone"
	run --as "$who" list --format csv
	expect_no_out "$ID_RE" "$who: list masks ID numbers"
	expect_no_out "$PHONE_RE" "$who: list masks phones"
done
n=$(audit_count "$U1")
refused 3 "an officer may not see the full ID" --as officer_ny show "$U1" --full
expect_no_out "$ID_RE" "  and sees none"
expect_eq "$(audit_count "$U1")" "$n" "  no audit row for a refused view"
run --as supervisor_ny show "$U1" --full
expect_status 0 "a supervisor asks for the full ID with show --full"
expect_out "620302198506120028" "  and sees it"
expect_out "13800138000" "  and the phone"
expect_err "记入历史" "  and is told the view is recorded"
expect_eq "$(audit_count "$U1")" $((n + 1)) "  one audit row"
expect_eq "$(last_audit "$U1")" "view_full|root|supervisor_ny|-" "  naming the action and who"
run --as supervisor_ny show "$U1" --full --format json
expect_out '"id_number":"620302198506120028"' "show --full --format json shows it too"
expect_eq "$(audit_count "$U1")" $((n + 2)) "  recorded again"
run --as officer_ny history "$U1"
expect_out "查看完整证件号" "history shows the full views"
run --as supervisor_ny show "$U4" --full
expect_status 3 "a supervisor may not fully view a record outside its townships"

# --- English ----------------------------------------------------------------

sed -i 's/^language = zh/language = en/' "$WORK/config/talentreg.ini"
refused 2 "in English: return without a comment" --as supervisor review "$U3" return
expect_err "return needs a comment" "  says so in English"
