#!/usr/bin/env bash
# Roles and scope: what officers see (masked, own townships only), what they
# may change, locked records, --as, unknown logins, and the officer's report.
source "$(dirname "$0")/lib.sh"
setup
run init >/dev/null

FULL_ID=$FULL_ID_RE
FULL_PHONE=$FULL_PHONE_RE

run add rural_teacher "${REC_TEACHER[@]}"           # 宁远堡镇, by root
U_NY_ADMIN=$out
run add coop_leader "${REC_COOP[@]}"                # 双湾镇, by root
U_SW_ADMIN=$out
run --as officer_ny add ecommerce_trainee "${REC_ECOM[@]}"
expect_status 0 "officer_ny adds a record in 宁远堡镇"
U_NY_OFF=$out
rec REC_ECOM name=马小兰 id_number=620302198601010046 phone=15900003333 township=双湾镇 village=南湾村 \
	training_site=双湾镇文化站
run --as officer_sw add ecommerce_trainee "${REC[@]}"
expect_status 0 "officer_sw adds a record in 双湾镇"
U_SW_OFF=$out
run history "$U_NY_OFF"
expect_out "root（代 officer_ny）" "history records that root acted as officer_ny"
# A change of phone, so the history has phone numbers in it.
run edit "$U_NY_ADMIN" phone=13811112222
expect_status 0 "the admin edits a phone"

# --- masking -----------------------------------------------------------------

for fmt in table csv json; do
	run --as officer_ny list --format "$fmt"
	expect_status 0 "officer list --format $fmt"
	expect_no_out "$FULL_ID" "  shows no full ID number"
	expect_no_out "$FULL_PHONE" "  shows no full phone number"
done
expect_out '6203**********0028' "  the ID is masked as 6203**********0028"
expect_out '138****2222' "  the phone is masked as 138****2222"
run --as officer_ny list --search 620302198506120028
expect_no_out "$FULL_ID" "officer list --search by a full ID does not echo it unmasked"
for fmt in text json; do
	run --as officer_ny show "$U_NY_ADMIN" --format "$fmt"
	expect_status 0 "officer show --format $fmt of a record in its township"
	expect_no_out "$FULL_ID" "  shows no full ID number"
	expect_no_out "$FULL_PHONE" "  shows no full phone number"
done
run --as officer_ny history "$U_NY_ADMIN"
expect_status 0 "officer history of a record in its township"
expect_out "手机号" "  shows the phone change"
expect_no_out "$FULL_PHONE" "  with the phones masked"

# The database does hold the full values, so the checks above can catch them.
printf -v out '%s' "$(sqlite3 "$DB" "SELECT vals FROM records WHERE uuid = '$U_NY_ADMIN'")"
expect_out 620302198506120028 "the record's full ID is in the database"
expect_out 13811112222 "  and its full phone"

# --- scope ---------------------------------------------------------------------

run --as officer_sw list --format json
expect_json 'sorted(r["uuid"] for r in d) == sorted(["'"$U_SW_ADMIN"'", "'"$U_SW_OFF"'"])' True \
	"officer_sw lists exactly the 双湾镇 records"
run --as officer_sw list --township 宁远堡镇 --format json
expect_json 'len(d)' 0 "officer_sw asking for 宁远堡镇 gets nothing"
run --as officer_sw list --search 王小梅 --format json
expect_json 'len(d)' 0 "officer_sw searching a 宁远堡镇 name finds nothing"
run --as supervisor_ny list --format json
expect_json 'sorted(set(r["township"] for r in d))' "['宁远堡镇']" "supervisor_ny lists only 宁远堡镇"
run --as supervisor list --format json
expect_json 'len(d)' 4 "the district supervisor lists every township"

before=$(db_dump)
run --as officer_sw show "$U_NY_ADMIN"
expect_status 3 "officer_sw cannot show a 宁远堡镇 record"
expect_no_out "王小梅" "  and sees nothing of it"
run --as officer_sw show "$U_NY_ADMIN" --format json
expect_status 3 "  nor as json"
run --as officer_sw history "$U_NY_ADMIN"
expect_status 3 "  nor its history"
run --as officer_sw edit "$U_NY_ADMIN" school=双湾镇中心小学
expect_status 3 "  nor edit it"
run --as supervisor_ny show "$U_SW_ADMIN"
expect_status 3 "supervisor_ny cannot show a 双湾镇 record"
rec REC_TEACHER id_number=620302197011110034 name=孙老师 township=双湾镇 village=南湾村
run --as officer_ny add rural_teacher "${REC[@]}"
expect_status 3 "officer_ny cannot add a record in 双湾镇"
expect_unchanged "$before" "no refused (3) command changed the database"

# --- who may edit ----------------------------------------------------------------

before=$(db_dump)
run --as officer_ny edit "$U_NY_ADMIN" school=西坡村小学
expect_status 3 "an officer cannot edit a record someone else made"
run --as officer_ny edit "$U_NY_OFF" course=直播带货培训班
expect_status 3 "an officer cannot edit its own record once submitted"
expect_unchanged "$before" "  and the database is unchanged"

sqlite3 "$DB" "UPDATE records SET status = 'returned' WHERE uuid = '$U_NY_OFF'"
run --as officer_ny edit "$U_NY_OFF" course=直播带货培训班
expect_status 0 "an officer may edit its own returned record"
run show "$U_NY_OFF" --format json
expect_json 'd["values"]["course"]' 直播带货培训班 "  the change is saved"
expect_json 'd["status"]' submitted "  and the record is submitted again"
sqlite3 "$DB" "UPDATE records SET status = 'returned' WHERE uuid = '$U_NY_OFF'"
before=$(db_dump)
run --as officer_ny edit "$U_NY_OFF" township=双湾镇 village=南湾村
expect_status 3 "an officer cannot move its record to another township"
expect_unchanged "$before" "  and the database is unchanged"
sqlite3 "$DB" "UPDATE records SET status = 'submitted' WHERE uuid = '$U_NY_OFF'"

# An approved record is locked, for everyone.
sqlite3 "$DB" "UPDATE records SET status = 'approved' WHERE uuid = '$U_SW_ADMIN'"
before=$(db_dump)
for who in "" supervisor officer_sw; do
	run ${who:+--as $who} edit "$U_SW_ADMIN" member_count=20
	expect_status 3 "${who:-the admin} cannot edit an approved record"
done
expect_err "锁定" "  the message says the record is locked"
expect_unchanged "$before" "  and the database is unchanged"

# --- --as and unknown logins ---------------------------------------------------

run --as nobody list
expect_status 3 "--as an unknown login is refused"
expect_err "nobody" "  naming the login"

# A database whose first admin is someone else: root is then unknown.
sqlite3 "$DB" ".backup '$WORK/other.db'"
sqlite3 "$WORK/other.db" "UPDATE meta SET value = 'someone' WHERE key = 'first_admin'"
before=$(DB=$WORK/other.db db_dump)
for cmd in list report init "show $U_NY_ADMIN" "history $U_NY_ADMIN" "edit $U_NY_ADMIN school=x"; do
	# shellcheck disable=SC2086
	run --db "$WORK/other.db" $cmd
	expect_status 3 "an unknown login cannot run ${cmd%% *}"
done
expect_err "root" "  the message names the login"
expect_err "users.ini" "  and says to add it to users.ini"
run --db "$WORK/other.db" add ecommerce_trainee "${REC_ECOM[@]/620302200001010018/620302197011110034}"
expect_status 3 "an unknown login cannot add"
after=$(DB=$WORK/other.db db_dump)
expect_eq "$after" "$before" "  and the database is unchanged"

# --- the officer's report ---------------------------------------------------------

run --as officer_sw report --format json
expect_status 0 "officer_sw report"
expect_json 'd["total"][0]["total"]' 2 "officer_sw's total counts its 2 people"
expect_json '[t["key"] for t in d["townships"]]' "['双湾镇']" "officer_sw's report lists only 双湾镇"
expect_json '[c["total"] for c in d["categories"] if c["key"] == "rural_teacher"][0]' 0 \
	"  and not the 宁远堡镇 teacher"
run --as officer_ny report --format csv
expect_out "township,宁远堡镇," "officer_ny's csv report has 宁远堡镇"
expect_no_out "^township,双湾镇," "  and not 双湾镇"
expect_out "total,total,五支人才队伍合计（按人计）,600,0,2,2," \
	"  and counts its 2 people, against 宁远堡镇's share of the total (targets.ini: 600 of 1000)"
run report --format json
expect_json 'd["total"][0]["total"]' 4 "the admin's report counts all 4 people"

# Make root an officer there: then it may not use --as.
printf '\n[user.root]\nrole = officer\nname = 测试\ntownships = 宁远堡镇\n' >>"$WORK/config/users.ini"
run --db "$WORK/other.db" --as officer_sw list
expect_status 3 "--as by a non-admin is refused"
expect_err "--as" "  the message is about --as"
run --db "$WORK/other.db" --as admin list
expect_status 3 "  even --as an admin"
run --db "$WORK/other.db" list --format csv
expect_status 0 "root as an officer may list"
expect_no_out "双湾镇" "  only its own township"
expect_no_out "$FULL_ID" "  with the IDs masked"
