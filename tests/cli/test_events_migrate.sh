#!/usr/bin/env bash
# The training fields of old records linked to events (issue 15): before
# events, a class was typed again on each trainee's record (course, date,
# site). `event migrate` finds the records whose values are those an event
# type carries into their category, and adds each to the one live event
# with the same values; a record whose values match no event, or several,
# is reported and left alone, and no record's text changes. --dry-run saves
# nothing; a second run links nothing new; a locked event is reported, not
# filled; an officer links only the records and events that are its own.
source "$(dirname "$0")/lib.sh"
setup
run init
expect_status 0 "init"

COURSE=高素质农民培育设施蔬菜班
# growers: N with the class's course and date, the first in the class's township
grower() { # grower N17 TOWNSHIP COURSE DATE
	local village=东湾村
	[ "$2" = 双湾镇 ] && village=南湾村
	run add grower name=学员$1 id_number="$(id_with_check "$1")" phone=1380013800${1: -1} \
		township="$2" village=$village grower_type=高素质农民 main_industry=蔬菜 \
		training_course="$3" training_date="$4"
	[ "$status" = 0 ] || _fail "grower $1 added (status $status: $err)"
}
grower 62030219800101001 宁远堡镇 "$COURSE" 2026-05-13
grower 62030219800101002 宁远堡镇 "$COURSE" 2026-05-13
grower 62030219800101003 双湾镇 "$COURSE" 2026-05-13
# the same course on another day: no event of that day
grower 62030219800101004 宁远堡镇 "$COURSE" 2026-04-01
# a course two events share (entered twice by mistake)
grower 62030219800101005 双湾镇 肉羊养殖班 2026-06-02
# a class whose event is approved, so locked
grower 62030219800101006 双湾镇 果树修剪班 2026-07-07
# a grower with no training at all: not the migration's business
run add grower name=种植户 id_number="$(id_with_check 62030219800101007)" phone=13800138000 \
	township=双湾镇 village=南湾村 grower_type=种养大户 main_industry=蔬菜
expect_status 0 "a grower with no training"
# an e-commerce trainee: its class carries course, date and site
run add ecommerce_trainee "${REC_ECOM[@]}"
expect_status 0 "an e-commerce trainee"
TRAINEE=$out

ev() { # ev TYPE TOWNSHIP TITLE DATE [more]
	local type=$1 town=$2 title=$3 date=$4
	shift 4
	run event add "$type" title="$title" organiser=区农业农村局 start_date="$date" \
		place=宁远堡镇文化站 township="$town" hours=24 "$@"
	[ "$status" = 0 ] || _fail "event $title added (status $status: $err)"
	printf '%s' "$out"
}
VEG=$(ev hq_farmer_class 宁远堡镇 "$COURSE" 2026-05-13)
SHEEP1=$(ev hq_farmer_class 双湾镇 肉羊养殖班 2026-06-02)
SHEEP2=$(ev hq_farmer_class 双湾镇 肉羊养殖班 2026-06-02)
FRUIT=$(ev hq_farmer_class 双湾镇 果树修剪班 2026-07-07)
run --as supervisor event review "$FRUIT" approve
expect_status 0 "the fruit class approved, so locked"
ECOM=$(ev ecommerce_class 宁远堡镇 农村电商运营实务班 2026-05-10)
# an e-commerce class of the same course and day elsewhere does not match the
# trainee's site (its place is another)
run event add ecommerce_class title=农村电商运营实务班 organiser=区商务局 start_date=2026-05-10 \
	place=双湾镇文化站 township=双湾镇 hours=8
expect_status 0 "an e-commerce class of the same day at another site"

records_before=$(sqlite3 "$DB" "SELECT uuid, version, vals FROM records ORDER BY uuid" | md5sum)

# --- a dry run --------------------------------------------------------------------------------
before=$(db_dump)
run event migrate --dry-run --format csv
expect_status 0 "a dry run"
expect_unchanged "$before" "  saves nothing"
expect_out "grower,training_course=$COURSE|training_date=2026-05-13,3,$VEG,3,0,0" \
	"  three growers of the vegetable class would join it, in both townships"
expect_out "grower,training_course=$COURSE|training_date=2026-04-01,1,,0,0,1" \
	"  the same course on another day matches no event"
expect_out "grower,training_course=肉羊养殖班|training_date=2026-06-02,1,,0,0,1" \
	"  a class entered twice is not guessed"
expect_out "ecommerce_trainee,course=农村电商运营实务班|training_date=2026-05-10|training_site=宁远堡镇文化站,1,$ECOM,1,0,0" \
	"  the e-commerce trainee matches the class at its site only"
expect_no_out "种养大户|62030219800101007" "  the grower with no training is not listed"
expect_err "试运行，数据库未改动" "  and says it is a dry run"

# --- the migration ----------------------------------------------------------------------------
run event migrate
expect_status 0 "the migration"
expect_out "关联 4 条记录到活动；原已关联 0 条；未关联 3 条（无匹配的活动 1、匹配多个活动 1、活动已锁定或无权修改 1），这些记录的原文保留未改" \
	"  says what it linked and what it left"
expect_out "无匹配的活动" "  the table names a record with no event"
expect_out "匹配 2 个活动" "  and one with two"
expect_out "${FRUIT:0:8}（已锁定或无权修改）" "  and the locked event"
expect_eq "$(sqlite3 "$DB" "SELECT count(*) FROM attendance a JOIN events e ON e.id = a.event WHERE e.uuid = '$VEG' AND a.source = 'migrated'")" \
	3 "the vegetable class has its three trainees, marked as migrated"
expect_eq "$(sqlite3 "$DB" "SELECT count(*) FROM attendance a JOIN events e ON e.id = a.event WHERE e.uuid IN ('$SHEEP1', '$SHEEP2', '$FRUIT')")" \
	0 "  the classes entered twice and the locked one have none"
expect_eq "$(sqlite3 "$DB" "SELECT a.uuid FROM attendance a JOIN events e ON e.id = a.event WHERE e.uuid = '$ECOM'")" \
	"$TRAINEE" "  the e-commerce class has the trainee, through the trainee's record"
expect_eq "$(sqlite3 "$DB" "SELECT uuid, version, vals FROM records ORDER BY uuid" | md5sum)" \
	"$records_before" "no record's values or version changed"
expect_eq "$(sqlite3 "$DB" "SELECT count(*) FROM audit WHERE uuid = '$VEG' AND action = 'event_attend'")" \
	3 "each link is an audit row under the event"
run event show "$VEG"
expect_out "旧记录关联" "event show says how the trainees came"
run report --format json
expect_status 0 "the report after the migration"

# --- again --------------------------------------------------------------------------------------
before=$(db_dump)
run event migrate --format csv
expect_status 0 "the migration run again"
expect_out "grower,training_course=$COURSE|training_date=2026-05-13,3,$VEG,0,3,0" \
	"  links nothing new: the three attend already"
expect_unchanged "$before" "  and changes nothing"

# once the locked class is unlocked, its trainee is linked
run --as supervisor event review "$FRUIT" unlock --comment 补录参加人员
expect_status 0 "the fruit class unlocked"
run event migrate --format csv
expect_out "grower,training_course=果树修剪班|training_date=2026-07-07,1,$FRUIT,1,0,0" \
	"  its trainee is linked now"

# --- an officer: its own townships only ------------------------------------------------------------
grower 62030219800101008 宁远堡镇 "$COURSE" 2026-05-13
grower 62030219800101009 双湾镇 "$COURSE" 2026-05-13
run --as officer_sw event migrate --format csv
expect_status 0 "an officer of 双湾镇 runs the migration"
expect_out "grower,training_course=$COURSE|training_date=2026-05-13,2,,0,0,2" \
	"  sees only its township's two trainees, and not the other township's class"
run --as officer_ny event migrate --format csv
expect_out "grower,training_course=$COURSE|training_date=2026-05-13,3,$VEG,1,2,0" \
	"  the officer of 宁远堡镇 links its new trainee"

# --- bad use --------------------------------------------------------------------------------------
run event migrate --format xml
expect_status 2 "an unknown format is a usage error"
run event migrate extra
expect_status 2 "an extra argument is a usage error"
run event migrate --format json
expect_status 0 "json"
expect_json "len(d) > 0 and sorted(d[0].keys()) == sorted(['category','training','records','event','linked','already','not_linked'])" \
	True "  one object per group, with the table's keys"
