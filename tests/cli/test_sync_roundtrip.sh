#!/usr/bin/env bash
# The round trip of issue 12, with 1,000 records: a training site registers
# them; the district approves half and returns a quarter with comments; the
# site imports the district's bundle, fixes the returned ones and sends
# again; the district approves them and its decisions travel back. No
# false conflict anywhere; every status and comment where it belongs; and
# the same records on both sides (`list --format json`, and every value,
# status and comment straight from each database). Then one genuine edit
# on both sides: exactly one conflict, naming the field that differs.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/sync.bash"
setup
start=$(date +%s.%N)

peer district district 金川区
peer site_a site 宁远堡镇培训点
trust district site_a "宁远堡镇|双湾镇"
trust site_a district

# 1,000 rural teachers with valid ID numbers, in both townships
python3 - "$WORK/teachers.csv" <<'EOF'
import sys
w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
towns = [("宁远堡镇", "东湾村"), ("双湾镇", "南湾村")]
with open(sys.argv[1], "w", encoding="utf-8") as f:
    f.write("name,id_number,phone,township,village,school,stage,staffing,years_teaching\n")
    for i in range(1000):
        body = "620302%04d%02d%02d%03d" % (1970 + i % 30, 1 + i % 12, 1 + i % 28, 2 * (i % 400) + 2 * (i // 400))
        idn = body + "10X98765432"[sum(int(c) * k for c, k in zip(body, w)) % 11]
        t, v = towns[i % 2]
        f.write("教师%04d,%s,139%08d,%s,%s,第%d小学,小学,在编,%d\n" % (i, idn, i, t, v, i % 50, 1 + i % 10))
EOF
at site_a import rural_teacher "$WORK/teachers.csv"
expect_status 0 "the site registers 1,000 records"
expect_eq "$(sql site_a "SELECT count(*) FROM records WHERE status = 'submitted'")" 1000 "  all submitted"

# --- the site sends them -------------------------------------------------------

at site_a sync export "$WORK/a1.bundle"
expect_out "已导出 1000 条记录" "the site exports 1,000 records"
at district sync import "$WORK/a1.bundle"
expect_out "新增 1000" "the district takes 1,000 new records"
expect_out "冲突 0，暂存 0" "  with no conflict and nothing held"

# --- the district decides: half approved, a quarter returned ------------------------

mapfile -t ids < <(sql district "SELECT uuid FROM records ORDER BY uuid")
for ((i = 0; i < 1000; i++)); do
	if ((i % 4 < 2)); then
		"$TR" --config "$WORK/cfg_district" --db "$WORK/data_district/district.db" \
			--as supervisor review "${ids[i]}" approve >/dev/null || echo "approve $i failed"
	elif ((i % 4 == 2)); then
		"$TR" --config "$WORK/cfg_district" --db "$WORK/data_district/district.db" \
			--as supervisor review "${ids[i]}" return --comment "第${i}条：请核对任教学校" >/dev/null ||
			echo "return $i failed"
	fi
done
expect_eq "$(sql district "SELECT status, count(*) FROM records GROUP BY status ORDER BY status" | tr '\n' ' ')" \
	"approved|500 returned|250 submitted|250 " "the district approves 500 and returns 250 with comments"

at district sync export "$WORK/d1.bundle" --to site_a
expect_out "已导出 750 条记录" "the district's bundle carries its 750 decisions"
at site_a sync import "$WORK/d1.bundle"
expect_out "更新 750" "the site applies all 750"
expect_out "冲突 0，暂存 0" "  without a single conflict"
expect_eq "$(sql site_a "SELECT status, count(*) FROM records GROUP BY status ORDER BY status" | tr '\n' ' ')" \
	"approved|500 returned|250 submitted|250 " "  the site's statuses are the district's"
expect_eq "$(sql site_a "SELECT count(*) FROM records WHERE status = 'returned'
	AND comment LIKE '第%条：请核对任教学校'")" 250 \
	"  each returned record with its comment"
at site_a sync export "$WORK/a2.bundle"
expect_out "空数据包" "the site sends nothing back that it only received"

# --- the site fixes the returned ones ------------------------------------------------

mapfile -t returned < <(sql site_a "SELECT uuid FROM records WHERE status = 'returned' ORDER BY uuid")
for u in "${returned[@]}"; do
	"$TR" --config "$WORK/cfg_site_a" --db "$WORK/data_site_a/site_a.db" edit "$u" school=已核对的学校 \
		>/dev/null || echo "edit $u failed"
done
expect_eq "$(sql site_a "SELECT count(*) FROM records WHERE status = 'submitted' AND vals LIKE '%已核对的学校%'")" 250 \
	"the site fixes the 250 returned records: submitted again"
at site_a sync export "$WORK/a3.bundle"
expect_out "已导出 250 条记录" "  and sends those 250"
at district sync import "$WORK/a3.bundle"
expect_out "更新 250" "the district takes the 250 corrections"
expect_out "冲突 0，暂存 0" "  without a conflict"

for u in "${returned[@]}"; do
	"$TR" --config "$WORK/cfg_district" --db "$WORK/data_district/district.db" \
		--as supervisor review "$u" approve >/dev/null || echo "approve $u failed"
done
at district sync export "$WORK/d2.bundle" --to site_a
expect_out "已导出 250 条记录" "the district approves them and sends its 250 approvals"
at site_a sync import "$WORK/d2.bundle"
expect_out "更新 250" "the site applies them"
expect_out "冲突 0，暂存 0" "  without a conflict"
at site_a sync export "$WORK/a4.bundle"
at district sync import "$WORK/a4.bundle"
expect_out "共 0 条" "and the site has nothing more to send"

# --- the same records on both sides -----------------------------------------------------

for s in district site_a; do
	at "$s" sync conflicts --all --format json
	expect_eq "$(json_of 'len(d)')" 0 "0 conflicts at $s, resolved or not"
done
# list --format json, sorted by uuid; the local columns aside (none differ
# but updated_at could: it is when the record last changed here)
listed() {
	at "$1" list --format json
	printf '%s' "$out" | python3 -c 'import json, sys
d = json.load(sys.stdin)
for r in sorted(d, key=lambda r: r["uuid"]):
    r.pop("updated_at")
    print(json.dumps(r, ensure_ascii=False, sort_keys=True))'
}
d=$(listed district)
s=$(listed site_a)
expect_eq "$(printf '%s\n' "$d" | wc -l)" 1000 "list --format json: 1,000 records at the district"
if [ "$d" = "$s" ]; then _ok "  and the same 1,000 at the site"; else _fail "  the site's list differs: $(diff <(printf '%s\n' "$d") <(printf '%s\n' "$s") | head -5)"; fi
both() { sql "$1" "SELECT uuid, category, status, vals, comment, created_at, site FROM records ORDER BY uuid"; }
if [ "$(both district)" = "$(both site_a)" ]; then
	_ok "every value, status, review comment and creation time is the same on both sides"
else
	_fail "the databases differ: $(diff <(both district) <(both site_a) | head -5)"
fi
expect_eq "$(sql district "SELECT status, count(*) FROM records GROUP BY status ORDER BY status" | tr '\n' ' ')" \
	"approved|750 submitted|250 " "750 approved, and the 250 the district left alone still submitted"
expect_eq "$(sql district "SELECT count(DISTINCT created_by) || ' ' || min(created_by) FROM records")" "1 root@site_a" \
	"the district names who made them as the site's login"
elapsed=$(echo "$(date +%s.%N) - $start" | bc)
echo "# the 1,000-record round trip (with 1,250 reviews and 250 edits, one command each) took ${elapsed%.*} s"

# --- a genuine edit on both sides -----------------------------------------------------------

u=${ids[0]}	# approved at both after the round trip: the district unlocks it first
at district --as supervisor review "$u" unlock --comment 需要更正
at district sync export "$WORK/d3.bundle" --to site_a
at site_a sync import "$WORK/d3.bundle"
expect_out "更新 1" "the district unlocks one record; the site applies it"
at district edit "$u" school=区级改的学校
at site_a edit "$u" school=培训点改的学校
at site_a sync export "$WORK/a5.bundle"
at district sync import "$WORK/a5.bundle"
expect_out "冲突 1" "a record changed on both sides is exactly one conflict"
expect_out "更新 0" "  and nothing is overwritten"
at district sync conflicts --format json
expect_eq "$(json_of 'len(d)')" 1 "  one open conflict"
expect_eq "$(json_of 'd[0]["fields"]')" "school" "  naming the one field that differs"
at district sync conflicts
expect_out "任教学校" "  by its label in the table"
