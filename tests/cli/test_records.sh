#!/usr/bin/env bash
# Records: validate, add, edit, show, history with the three core categories;
# every rule of their forms; normalisation; warnings; duplicates; retries; and
# that every refusal leaves the database as it was.
source "$(dirname "$0")/lib.sh"
setup
run init >/dev/null

# --- valid records ---------------------------------------------------------

for base in REC_TEACHER REC_COOP REC_ECOM; do
	case $base in REC_TEACHER) cat=rural_teacher ;; REC_COOP) cat=coop_leader ;; *) cat=ecommerce_trainee ;; esac
	declare -n r=$base
	before=$(db_dump)
	run validate "$cat" "${r[@]}"
	expect_status 0 "validate accepts a valid $cat"
	expect_unchanged "$before" "  validate saves nothing"
	run add "$cat" "${r[@]}"
	expect_status 0 "add saves a valid $cat"
	if [[ $out =~ ^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$ ]]; then
		_ok "  and prints only its uuid"
	else
		_fail "  and prints only its uuid"
	fi
	eval "U_$cat=\$out"
	unset -n r
done
expect_eq "$(count_records)" 3 "three records are saved"

run show "$U_rural_teacher" --format json
expect_status 0 "show --format json"
expect_json 'd["status"]' submitted "an added record is submitted"
expect_json 'd["category"]' rural_teacher "  of its category"
expect_eq "$(stored "$U_rural_teacher" birth_date)" 1985-06-12 "birth_date is filled from the ID"
expect_json 'd["values"]["birth_date"]' 1985-**-** "  and shown as its year beside the masked ID (the rest would unmask it)"
expect_json 'd["values"]["gender"]' 女 "gender is filled from the ID (17th digit even: female)"
expect_json 'd["values"]["school"]' 东湾村小学 "the fields are stored as given"
run show "$U_coop_leader" --format json
expect_json 'd["values"]["gender"]' 男 "gender is filled from the ID (17th digit odd: male)"
run show "${U_rural_teacher:0:8}"
expect_status 0 "show finds a record by the first 8 characters of its uuid"
expect_out "王小梅" "  and shows its fields"
expect_out "东湾村小学" "  all of them"

# --- every rule of the core forms, on validate and add ----------------------

# check CATEGORY BASE "key: 标签：message" DESCRIPTION overrides...
check() {
	local cat=$1 base=$2 msg=$3 what=$4
	shift 4
	rec "$base" "$@"
	local before
	before=$(db_dump)
	run validate "$cat" "${REC[@]}"
	expect_status 1 "$what: refused"
	expect_err_line "$msg" "  with the message '$msg'"
	run add "$cat" "${REC[@]}"
	expect_status 1 "  add refuses it too"
	expect_unchanged "$before" "  and saves nothing"
}
# A second person of each category, so a refusal is never a duplicate.
rec REC_TEACHER id_number=620302197011110034 name=孙老师; REC_T2=("${REC[@]}")
rec REC_COOP id_number=620302198601010046 name=何秀英; REC_C2=("${REC[@]}")
rec REC_ECOM id_number=620302195201010019 name=马成; REC_E2=("${REC[@]}")

check rural_teacher REC_T2 "years_teaching: 教龄(年)：教龄不能超过年龄减16" \
	"teaching years above age-16 (aged 26, 11 years)" id_number=620302200001010018 years_teaching=11
check rural_teacher REC_T2 "id_number: 身份证号：乡村教师年龄应在18至65岁之间" \
	"a teacher aged 76" id_number=620302195001010014 years_teaching=20
check rural_teacher REC_T2 "id_number: 身份证号：乡村教师年龄应在18至65岁之间" \
	"a teacher aged 66" id_number=620302196001010027 years_teaching=20
check rural_teacher REC_T2 "id_number: 身份证号：乡村教师年龄应在18至65岁之间" \
	"a teacher aged 16" id_number=620302201001010012 years_teaching=0
check rural_teacher REC_T2 "years_teaching: 教龄(年)：不能大于 45" \
	"teaching years above 45 (aged 63)" id_number=620302196301010010 years_teaching=46
check coop_leader REC_C2 "coop_uscc: 合作社统一社会信用代码：农民专业合作社的统一社会信用代码以93开头" \
	"a USCC that is valid but not a cooperative's (91...)" coop_uscc=91620302MA7XXXXX1H
check coop_leader REC_C2 "coop_uscc: 合作社统一社会信用代码：校验位不正确，请核对" \
	"a USCC with a wrong check character" coop_uscc=93620302MA7XXXXX1C
check coop_leader REC_C2 "member_count: 成员数：不能小于 5" \
	"a cooperative of 4 members" member_count=4
check coop_leader REC_C2 "founded_on: 成立日期：不能晚于今天" \
	"a cooperative founded tomorrow" founded_on=2026-11-30
check ecommerce_trainee REC_E2 "shop_name: 网店名称：开设网店的须填写网店名称" \
	"has_shop=是 without shop_name" has_shop=是
check ecommerce_trainee REC_E2 "training_date: 培训日期：不能晚于今天" \
	"a training date in the future" training_date=2027-01-01
check ecommerce_trainee REC_E2 "phone: 手机号：应为 11 位手机号，以 13–19 开头" \
	"a phone starting 12" phone=12345678901
check ecommerce_trainee REC_E2 "phone: 手机号：应为 11 位手机号，以 13–19 开头" \
	"a 10-digit phone" phone=1370000111
check ecommerce_trainee REC_E2 "id_number: 身份证号：校验位不正确，请核对" \
	"an ID with a wrong check character" id_number=620302200001010019
check ecommerce_trainee REC_E2 "id_number: 身份证号：身份证号前两位不是有效的省级行政区划代码" \
	"an ID of no province (99) whose check character is right" id_number=990302199001011238
check ecommerce_trainee REC_E2 "id_number: 身份证号：身份证号前两位不是有效的省级行政区划代码" \
	"an ID of no province (00) whose check character is right" id_number=000302199001011239
check ecommerce_trainee REC_E2 "id_number: 身份证号：被 Excel 当作数字存成科学计数法，末几位已丢失：请把该列设为文本，重填后再导出" \
	"an ID as Excel shows it in scientific notation (6.20302E+17)" id_number=6.20302E+17
check ecommerce_trainee REC_E2 "id_number: 身份证号：被 Excel 当作数字存成科学计数法，末几位已丢失：请把该列设为文本，重填后再导出" \
	"an ID in scientific notation with 15 digits and a lower-case e" id_number=6.20302199001011e+17
check ecommerce_trainee REC_E2 "id_number: 身份证号：校验位不正确，末三位为 000，多半被 Excel 只留了 15 位：请把该列设为文本后重填" \
	"an ID that Excel rounded to 15 digits (620302199001011000)" id_number=620302199001011000
check ecommerce_trainee REC_E2 "village: 村：不是宁远堡镇的村：南湾村" \
	"a village of another township" village=南湾村
check ecommerce_trainee REC_E2 "gender: 性别：性别与身份证号不一致" \
	"a gender that contradicts the ID" gender=女
check ecommerce_trainee REC_E2 "birth_date: 出生日期：出生日期与身份证号不一致" \
	"a birth date that contradicts the ID" birth_date=2000-01-02
check ecommerce_trainee REC_E2 "name: 姓名：必填" \
	"a missing name" -name

# The edges that are allowed.
rec REC_C2 founded_on=2026-11-29 id_number=620302197011110034
run validate coop_leader "${REC[@]}"
expect_status 0 "a cooperative founded today is accepted"
rec REC_E2 has_shop=是 shop_name=东湾土特产小店
run validate ecommerce_trainee "${REC[@]}"
expect_status 0 "has_shop=是 with a shop_name is accepted"
rec REC_T2 years_teaching=0
run validate rural_teacher "${REC[@]}"
expect_status 0 "0 teaching years is accepted"

# --- normalisation -------------------------------------------------------------

ID_X=62030219750808023X
ID_x=${ID_X%X}x
rec REC_ECOM id_number="$(fullwidth "${ID_x}")" phone="+86 $(fullwidth 137)-0000-2222" name=刘晓
run add ecommerce_trainee "${REC[@]}"
expect_status 0 "add accepts full-width digits and a lower-case x in the ID"
U=$out
expect_eq "$(stored "$U" id_number)" "$ID_X" "the ID is stored with ASCII digits and an upper-case X"
expect_eq "$(stored "$U" phone)" 13700002222 "the phone is stored as 11 ASCII digits (no +86, spaces or hyphens)"
run show "$U" --format json
expect_eq "$(stored "$U" birth_date)" 1975-08-08 "birth_date is filled from the normalised ID"
expect_json 'd["values"]["id_number"][-4:]' 023X "show has the ID ending in an upper-case X"
rec REC_ECOM id_number="'620302198506120028"
run validate ecommerce_trainee "${REC[@]}"
expect_status 0 "an ID with Excel's leading apostrophe ('620302…) is accepted"
expect_out "id_number=620302198506120028" "  without the apostrophe"
rec REC_ECOM id_number=620302198801011000
run validate ecommerce_trainee "${REC[@]}"
expect_status 0 "a real ID that ends in 000 (its check character is 0) is accepted"
rec REC_COOP founded_on=2015/3/5 id_number=620302198506120028
run validate coop_leader "${REC[@]}"
expect_out "founded_on=2015-03-05" "a date 2015/3/5 is normalised to 2015-03-05"
for d in 2015年3月5日 2015年03月05日 2015.3.5 2015.03.05 "$(fullwidth 2015)年$(fullwidth 3)月$(fullwidth 5)日"; do
	rec REC_COOP founded_on="$d" id_number=620302198506120028
	run validate coop_leader "${REC[@]}"
	expect_status 0 "a date written $d is accepted"
	expect_out "founded_on=2015-03-05" "  and normalised to 2015-03-05"
done
rec REC_COOP founded_on=2015年3月5 id_number=620302198506120028
run validate coop_leader "${REC[@]}"
expect_status 1 "a date 2015年3月5 without 日 is refused"
expect_err_line "founded_on: 成立日期：日期格式应为 2024-03-05、2024/3/5、2024.3.5、2024年3月5日 或 20240305" \
	"  with a message that lists the forms accepted"
rec REC_COOP founded_on=2026年11月30日 id_number=620302198506120028
run validate coop_leader "${REC[@]}"
expect_err_line "founded_on: 成立日期：不能晚于今天" "a date in 年月日 after today is checked against today like any other"

# --- usage errors --------------------------------------------------------------

before=$(db_dump)
run validate no_such_form "${REC_ECOM[@]}"
expect_status 2 "validate with an unknown category is a usage error"
expect_err "no_such_form" "  naming the category"
run add no_such_form "${REC_ECOM[@]}"
expect_status 2 "add with an unknown category is a usage error"
rec REC_E2 id_number=620302198601010046 colour=红
run add ecommerce_trainee "${REC[@]}"
expect_status 2 "add with an unknown field is a usage error"
expect_err "colour" "  naming the field"
run validate ecommerce_trainee "${REC[@]}"
expect_status 2 "validate with an unknown field is a usage error"
rec REC_E2 id_number=620302198601010046 nonsense
run add ecommerce_trainee "${REC[@]}"
expect_status 2 "add with an argument that is not key=value is a usage error"
rec REC_E2 id_number=620302198601010046 =东湾村
run add ecommerce_trainee "${REC[@]}"
expect_status 2 "add with an empty key is a usage error"
run add ecommerce_trainee "${REC_E2[@]}" phone=13900001111
expect_status 2 "add with the same field twice is a usage error"
run add
expect_status 2 "add without a category is a usage error"
run add ecommerce_trainee "${REC_E2[@]}" --uuid not-a-uuid
expect_status 2 "add --uuid with a malformed uuid is a usage error"
run add ecommerce_trainee "${REC_E2[@]}" --colour
expect_status 2 "add with an unknown option is a usage error"
expect_unchanged "$before" "no usage error changed the database"

# --- a warning needs --confirm ---------------------------------------------------

# leader_age (severity warn): a cooperative leader aged 77.
rec REC_COOP id_number=620302194901010015 name=赵老汉
before=$(db_dump)
run validate coop_leader "${REC[@]}"
expect_status 0 "validate shows a warning but the record is valid"
expect_err "合作社带头人年龄不在18至75岁之间" "  the warning is on stderr"
run add coop_leader "${REC[@]}"
expect_status 1 "add refuses a record with a warning without --confirm"
expect_err "合作社带头人年龄不在18至75岁之间" "  showing the warning"
expect_err "--confirm" "  and saying how to confirm"
expect_unchanged "$before" "  and saves nothing"
run add coop_leader "${REC[@]}" --confirm
expect_status 0 "add --confirm saves it"
U_old=$out
run history "$U_old"
expect_status 0 "history of the confirmed record"
expect_out "合作社带头人年龄不在18至75岁之间" "  shows the confirmed warning"
expect_out "leader_age" "  and which rule it was"

# --- duplicates ------------------------------------------------------------------

rec REC_TEACHER name=王晓梅 school=西坡村小学
before=$(db_dump)
run add rural_teacher "${REC[@]}"
expect_status 1 "the same ID twice in one category is refused"
expect_err "${U_rural_teacher}" "  naming the record already there"
expect_unchanged "$before" "  and saves nothing"
run add rural_teacher "${REC[@]/620302198506120028/$(fullwidth 620302198506120028)}"
expect_status 1 "  also when the ID is typed in full-width digits"
rec REC_COOP id_number=620302198506120028 name=王小梅
run add coop_leader "${REC[@]}"
expect_status 0 "the same person in another category is saved"
expect_err "乡村教师" "  with a note naming the other category"

# --- retries with --uuid ----------------------------------------------------------

UU=3f2504e0-4f89-41d3-9a0c-0305e82c3301
rec REC_ECOM id_number=620302200801010024 name=周小燕
run add ecommerce_trainee "${REC[@]}" --uuid "$UU"
expect_status 0 "add --uuid U saves"
expect_eq "$out" "$UU" "  and prints U"
run add ecommerce_trainee "${REC[@]}" --uuid "$UU"
expect_status 0 "the same add --uuid U again (a retry) succeeds"
expect_eq "$out" "$UU" "  and prints U"
expect_eq "$(count_records "uuid = '$UU'")" 1 "  leaving one record"
expect_eq "$(count_records "person_key = '620302200801010024'")" 1 "  and one registration of the person"
run history "$UU"
expect_eq "$(printf '%s\n' "$out" | grep -c '  登记  ')" 1 "  with one registration in its history"

# --- edit ------------------------------------------------------------------------

U=$U_ecommerce_trainee
run edit "$U" training_site=双湾镇文化站
expect_status 0 "edit changes a field"
expect_out "版本 2" "  and says the record is now at version 2"
run show "$U" --format json
expect_json 'd["values"]["training_site"]' 双湾镇文化站 "show has the new value"
expect_json 'd["version"]' 2 "the version went from 1 to 2"
run history "$U"
expect_out "宁远堡镇文化站 → 双湾镇文化站" "history shows old → new"
run edit "$U" training_date=2026年5月9日
expect_status 0 "edit takes a date written 2026年5月9日"
expect_eq "$(stored "$U" training_date)" 2026-05-09 "  and stores it as 2026-05-09"

before=$(db_dump)
for bad in phone=123 years_teaching=5 has_shop=是 training_date=2030-01-01 village=南湾村; do
	run edit "$U" "$bad"
	case $bad in years_teaching=*) expect_status 2 "edit $bad (a field of another form) is a usage error" ;;
	*) expect_status 1 "edit $bad is refused as invalid" ;; esac
done
run edit "$U" course=
expect_status 1 "edit clearing a required field is refused"
expect_err "course: 培训课程：必填" "  saying it is required"
run edit "$U" nonsense
expect_status 2 "edit with an argument that is not key=value is a usage error"
run edit "$U" course=新课 --colour
expect_status 2 "edit with an unknown option is a usage error"
run edit
expect_status 2 "edit without a uuid is a usage error"
expect_unchanged "$before" "no refused edit changed the database"
expect_eq "$(stored "$U" phone)" 13700001111 "the record still has its old phone"

# Correcting a mistyped ID: birth date and gender follow the new ID.
run edit "$U" id_number=620302199208150020
expect_status 0 "edit corrects the ID number"
if [ "$status" -eq 0 ]; then
	run show "$U" --format json
	expect_eq "$(stored "$U" birth_date)" 1992-08-15 "  and birth_date follows the new ID"
	expect_json 'd["values"]["gender"]' 女 "  and gender follows the new ID"
fi

# --- refusals for want of permission leave nothing changed ---------------------------

before=$(db_dump)
run --as officer_sw edit "$U_rural_teacher" school=别的学校
expect_status 3 "an officer of another township cannot edit"
run --as officer_sw add rural_teacher "${REC_T2[@]}"
expect_status 3 "an officer cannot add in another township"
run --as nobody add ecommerce_trainee "${REC_E2[@]}"
expect_status 3 "an unknown login cannot add"
expect_unchanged "$before" "no refused (3) command changed the database"
