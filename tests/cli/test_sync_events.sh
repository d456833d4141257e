#!/usr/bin/env bash
# A training class held at a training site, as the README says it goes
# while events are not in bundles: the site's `event add` and events screen
# say that the event stays there (the district's say nothing); the person
# registered at the class travels in the site's bundle with the class's
# course and date; the district registers the same class, and `event
# migrate` links that record to it.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/sync.bash"
source "$(dirname "$0")/ui.bash"
setup
trap 'ui_close; rm -rf "$WORK"' EXIT

peer district district 金川区
peer site_a site 宁远堡镇培训点
trust district site_a
trust site_a district

CLASS=(title=2026年第二期高素质农民培训班 organiser=区农业农村局 start_date=2026-06-08
	end_date=2026-06-10 place=宁远堡镇文化站 township=宁远堡镇 hours=24 industry=蔬菜)

# --- the site says the event stays there ------------------------------------------
at site_a event add hq_farmer_class "${CLASS[@]}"
expect_status 0 "the site registers the class"
SITE_EVENT=$out
if [[ "$SITE_EVENT" =~ ^[0-9a-f-]{36}$ ]]; then _ok "  stdout is the event's id alone"; else _fail "  stdout is the event's id alone: $SITE_EVENT"; fi
expect_err "本机是培训现场，活动和参加名单不随同步包传到区里" "  stderr says the event is not carried in bundles"
expect_err "event migrate" "  and how the district links the records"
NEW=620302198506120028
at site_a event attend "$SITE_EVENT" $NEW name=王小梅 phone=13800138000 township=宁远堡镇 \
	village=东湾村 main_industry=蔬菜
expect_status 0 "a person not registered is registered at the class"

UI_SOCK="trsync$$"
_tmux new-session -d -s ui -x 80 -y 24 \
	"exec env TALENTREG_CONFIG='$WORK/cfg_site_a' TALENTREG_TODAY='$TALENTREG_TODAY' '$TR' --db '$WORK/data_site_a/site_a.db'"
wait_for "五支人才队伍进度" >/dev/null
ui_keys e
expect_screen "本机是培训现场：活动和参加名单不随同步包传到区里" "the site's events screen says so too"
ui_close

# --- the record travels with the class's values ------------------------------------------
at site_a sync export "$WORK/a1.bundle"
expect_status 0 "the site exports"
at district sync import "$WORK/a1.bundle"
expect_out "新增 1" "the district takes the one new record"
expect_eq "$(sql district "SELECT json_extract(vals, '$.training_course') || '|' || json_extract(vals, '$.training_date') FROM records WHERE person_key = '$NEW'")" \
	"2026年第二期高素质农民培训班|2026-06-08" "  with the class's course and date"
expect_eq "$(sql district "SELECT count(*) FROM events")" 0 "the event itself did not travel"

# --- the district registers the class; migrate links the record --------------------------
at district event add hq_farmer_class "${CLASS[@]}"
expect_status 0 "the district registers the same class"
DISTRICT_EVENT=$out
expect_eq "$err" "" "  and is told nothing about sites"
at district event migrate
expect_status 0 "event migrate at the district"
expect_eq "$(sql district "SELECT count(*) FROM attendance a JOIN events e ON e.id = a.event WHERE e.uuid = '$DISTRICT_EVENT'")" \
	1 "  links the site's record to the district's class"
