#!/usr/bin/env bash
# Targets on events (issue 15), on the demo: 高素质农民培训 counted from the
# classes' attendees (a trainee of two classes once), 党员集中培训 and the
# other events the plan asks for as counts of events, attendance hours;
# the ledger items that follow them; the year-end report as of a day (no
# event yet, and after the last one: the same as now); a township's
# officer counts its own people; a target's period.
source "$(dirname "$0")/lib.sh"
setup
run init --demo 200
expect_status 0 "a demo database"
expect_out "示例活动 7 个" "the demo makes events"
q() { sqlite3 "$DB" "$1"; }
HQ="SELECT t.person_key FROM attendance t JOIN events e ON e.id = t.event WHERE e.type = 'hq_farmer_class'"
distinct=$(q "SELECT count(DISTINCT person_key) FROM ($HQ)")
rows=$(q "SELECT count(*) FROM ($HQ)")
twice=$(q "SELECT count(*) FROM (SELECT person_key FROM ($HQ) GROUP BY person_key HAVING count(*) = 2)")
expect_eq "$((twice > 0))" 1 "some trainees attended both 高素质农民 classes ($twice of them)"
expect_eq "$((rows - twice))" "$distinct" "  so the attendances ($rows) are more than the people ($distinct)"

run report --format json
expect_status 0 "report --format json"
t() { json_of "[x['$2'] for x in d['targets'] if x['key'] == '$1'][0]"; }
expect_eq "$(t hq_farmers kind)" trainees "高素质农民培训 is counted from events (trainees)"
expect_eq "$(t hq_farmers total)" "$distinct" "  each trainee once, whatever the number of classes"
expect_eq "$(t hq_farmers target)" 300 "  against 300"
expect_eq "$(t party_training kind)|$(t party_training approved)|$(t party_training target)" "events|1|1" \
	"党员集中培训 is a count of events: 1 approved of 1"
expect_eq "$(t sci_tech_week approved)" 1 "the science week counted"
expect_eq "$(t party_school approved)" 1 "the party school's class counted"
expect_eq "$(t study_tours total)" 0 "no study tour yet"
expect_eq "$(t training_hours approved)" "$(q "SELECT CAST(total(e.hours) AS INT) FROM attendance t JOIN events e ON e.id = t.event WHERE e.status = 'approved' AND e.type IN ('hq_farmer_class','ecommerce_class','domestic_class','party_training','party_school_class')")" \
	"training hours: each attendance's hours of approved events"
expect_eq "$(t training_hours submitted)" 120 "  and those waiting for review (the e-commerce class: 6 × 20)"
item() { json_of "[x['$2'] for x in d['ledger'] if x['id'] == '$1'][0]"; }
expect_eq "$(item 1.1 progress)|$(item 1.1 state)" "1|done" "ledger 1.1 (党员集中培训1次) done from the events"
expect_eq "$(item 1.2 progress)" "$(t hq_farmers approved)" "ledger 1.2 follows the trainees"
expect_eq "$(item 3.1 state)" not_started "ledger 3.1 (卫生人才引进) not started: no such event"
expect_eq "$(item 6.3 state)" closed "ledger 6.3 still closed by the demo"
run task list --format json
expect_json '[x["progress"] for x in d if x["id"] == "1.1"][0]' "1 / 1 次" "task list: 1.1 as 1 / 1 次"

# a class approved later counts as approved
E=$(q "SELECT uuid FROM events WHERE type = 'ecommerce_class'")
run --as supervisor event review "$E" approve
expect_status 0 "the e-commerce class approved"
run report --format json
expect_eq "$(t training_hours submitted)" 0 "  its hours now approved"

# --- the year-end report ---------------------------------------------------------------------
# (as of a day after anything was entered: the records' and events' times
# are the clock's, not TALENTREG_TODAY's, so "today" is no fixed date)
run report --as-of 2099-12-31 --format json
for k in hq_farmers party_training training_hours domestic_trainees; do
	expect_eq "$(t $k approved)/$(t $k total)" "$(run report --format json; t $k approved)/$(t $k total)" \
		"as of a day after the last event, $k is what it is now"
done
run report --as-of 2026-01-01 --format json
expect_eq "$(t hq_farmers total)|$(t party_training total)" "0|0" "as of a day before any event: nothing"
run report --as-of 2026-06-01 --format json
expect_eq "$(t hq_farmers total)" 0 \
	"as of a day after the first class but before it was entered: not counted (as records entered later are not)"
run report --year 2026 --output "$WORK/year.csv"
expect_status 0 "the year-end report as CSV"
if grep -q '^专项目标,party_training,农村党员集中培训,,1,1,0,1,100%' "$WORK/year.csv"; then _ok "  holds 党员集中培训 1 of 1"; else _fail "  holds 党员集中培训 1 of 1"; fi

# --- a township's officer: its own people -------------------------------------------------------
run --as officer_ny report --format json
expect_eq "$(t hq_farmers total)" "$(q "SELECT count(DISTINCT person_key) FROM ($HQ) WHERE person_key IN (SELECT t.person_key FROM attendance t WHERE t.township = '宁远堡镇')")" \
	"宁远堡镇's officer counts the trainees of its township"
expect_eq "$(t party_training total)" 0 "  and no district event among its township's events"

# --- a target's period -------------------------------------------------------------------------------
printf '\n[target.hq2025]\nlabel = 2025年高素质农民\nkind = trainees\nevent = hq_farmer_class\nfrom = 2025-01-01\nto = 2025-12-31\ntarget = 10\n' >>"$WORK/config/targets.ini"
printf '\n[target.hq2026]\nlabel = 2026年高素质农民\nkind = trainees\nevent = hq_farmer_class\nfrom = 2026-01-01\nto = 2026-12-31\n' >>"$WORK/config/targets.ini"
run report --format json
expect_eq "$(t hq2025 total)|$(t hq2026 total)" "0|$distinct" "a target's period counts only the classes held in it"
