#!/usr/bin/env bash
# The year-end report (issue 14): report --as-of DATE and --year YEAR count
# what there was on that day (records created by then, with the status and
# values they had then, tags set by then, the ledger's notes of days up to
# then), by team, target, township and village, with the ledger; as of a
# day after the last change it agrees with the report of now, line for
# line; it is written as printable text, CSV for Excel (BOM, Chinese
# headings, CRLF) and xlsx (Chinese headings, dates as date cells, read
# back from the file's XML).
source "$(dirname "$0")/lib.sh"
setup
run init --demo 200
expect_status 0 "a demo database of 200 records, with ledger notes and tags"

now_json=$WORK/now.json
then_json=$WORK/then.json
"$TR" report --format json >"$now_json"
"$TR" report --as-of 2099-12-31 --format json >"$then_json"

# --- as of a day after every change: the same as now -------------------------------------

same=$(python3 - "$now_json" "$then_json" <<'EOF'
import json, sys
now, then = (json.load(open(p)) for p in sys.argv[1:3])
bad = []
for k in ("total", "teams", "categories", "targets", "townships", "coverage", "ledger"):
    if now[k] != then[k]:
        bad.append(k)
print(" ".join(bad) or "same")
EOF
)
expect_eq "$same" same "as of 2099-12-31 every section equals the report of now (teams, targets, coverage, ledger...)"
out=$(cat "$then_json")
expect_json 'd["as_of"]' 2099-12-31 "the report says the day it is as of"
expect_json 'len(d["villages"])' 15 "it has a line for each of the 15 villages"
expect_json 'sum(v["total"] for v in d["villages"]) >= d["total"][0]["total"]' True \
	"  whose people add up to at least the district's"
expect_json '[t["total"] for t in d["targets"] if t["key"] == "youth_models"][0] > 0' True \
	"  and the demo's tagged people count"
expect_json '[x["state"] for x in d["ledger"] if x["id"] == "6.3"][0]' closed "  the demo's closed item is in it"

# --- as of a day before anything: nothing --------------------------------------------------

run report --as-of 2000-01-01 --format json
expect_status 0 "report --as-of 2000-01-01"
expect_json 'd["total"][0]["total"]' 0 "nobody was registered then"
expect_json 'sum(t["total"] for t in d["targets"])' 0 "  no target counts anyone, and no village is covered"
expect_json '[x["state"] for x in d["ledger"] if x["id"] == "4.1"][0]' not_started \
	"  the ledger's later notes are left out"

# --- the status and values a record had on the day ------------------------------------------

P=$(id_with_check 62030219800101001)
run add grower name=张三 id_number=$P phone=13912340000 township=双湾镇 village=南湾村 \
	grower_type=种养大户 main_industry=蔬菜 political_status=群众
expect_status 0 "a grower, 群众, registered today"
G=$out
run --as supervisor review "$G" approve
run --as supervisor edit "$G" political_status=中共党员 2>/dev/null
run --as supervisor review "$G" unlock --comment "改政治面貌"
run edit "$G" political_status=中共党员
run --as supervisor review "$G" approve
expect_status 0 "  approved, unlocked, edited to 中共党员 and approved again"
# as if registered last January: the day of 2026-06-30 sees it submitted and 群众
sqlite3 "$DB" "UPDATE records SET created_ms = strftime('%s', '2026-01-15T02:00:00') * 1000 WHERE uuid = '$G'"
run report --as-of 2026-06-30 --format json
line() { printf '[x for x in d["%s"] if x["key"] == "%s"][0]["%s"]' "$1" "$2" "$3"; }
expect_json "$(line total total total)" 1 "as of 2026-06-30 the grower registered in January is there"
expect_json "$(line total total approved)" 0 "  not yet approved then (the approvals came later)"
expect_json "$(line targets party_members total)" 0 "  and with the values it had then: not a party member yet"
expect_json "$(line targets large_growers total)" 1 "  a large grower"
run report --as-of 2099-01-01 --format json
expect_json "$(line targets party_members approved) >= 1" True "as of a day to come it is approved and a party member"
expect_json "[x for x in d['villages'] if x['key'] == '南湾村'][0]['township']" 双湾镇 "a village line names its township"

# a tag set today does not count as of a day before it
run --as supervisor tag add "$G" 优秀人才
printf '\n[target.outstanding_growers]\nlabel = 优秀种养大户\ncategory = grower\ntag = outstanding\ntarget = 3\n' \
	>>"$WORK/config/targets.ini"
run report --format json
expect_json "$(line targets outstanding_growers total) >= 1" True "a target counting a tag counts the grower now"
run report --as-of 2026-06-30 --format json
expect_json "$(line targets outstanding_growers total)" 0 "  but not as of the day before the tag was set"

# --- --year, and the printed report ------------------------------------------------------------

run report --year 2026
expect_status 0 "report --year 2026"
expect_out "2026年度乡村人才工作报表" "the title says the year"
expect_out "截至 2026-12-31" "  and the day"
for h in 按队伍 专项目标 按乡镇 按村 村覆盖 工作台账; do
	expect_out "[$h]" "the year-end report has the section $h"
done
expect_out "尚缺：" "  the villages still missing per township"
expect_out "状态：已销号" "  and the ledger's closed item"

run --as officer_sw report --year 2026 --format json
expect_json '{v["township"] for v in d["villages"]}' "{'双湾镇'}" "an officer's year-end report has its township's villages only"

# --- the files for Excel and for printing ----------------------------------------------------

mkdir "$WORK/out"
run report --year 2026 --output "$WORK/out/year.csv"
expect_status 0 "report --year 2026 --output year.csv"
expect_out "报表已写入" "  says where it wrote"
expect_eq "$(head -c 3 "$WORK/out/year.csv" | od -An -tx1 | tr -d ' ')" efbbbf "the CSV starts with a UTF-8 BOM"
expect_eq "$(sed -n 2p "$WORK/out/year.csv" | tr -d '\r')" "部分,代码,名称,乡镇,目标,已通过,待审核,合计,完成率,状态,完成时限,责任单位,责任人,说明" \
	"  its headings are Chinese"
if grep -q $'\r$' "$WORK/out/year.csv"; then _ok "  its lines end in CRLF"; else _fail "  its lines end in CRLF"; fi
if grep -q '^工作台账,6.3,举办“金川区科技活动周”,,1,,,,1 / 1 次,已销号,2022-12-31' "$WORK/out/year.csv"; then
	_ok "  it holds the ledger's items, the closed one too"
else
	_fail "  it holds the ledger's items (no closed 6.3 line)"
fi
if grep -q '^村覆盖,village_creators,一村一客（乡村创客）,宁远堡镇,7,' "$WORK/out/year.csv"; then
	_ok "  and each coverage target per township"
else
	_fail "  and each coverage target per township"
fi
expect_eq "$(stat -c %a "$WORK/out/year.csv")" 600 "  the file is mode 0600"
expect_eq "$(sqlite3 "$DB" "SELECT count(*) FROM audit WHERE action = 'report'")" 1 "  and the report is recorded"

run report --year 2026 --output "$WORK/out/year.txt"
expect_status 0 "report --year 2026 --output year.txt (printable text)"
if grep -q "\[工作台账\]" "$WORK/out/year.txt" && grep -q "2026年度" "$WORK/out/year.txt"; then
	_ok "  the text file holds the printed report"
else
	_fail "  the text file holds the printed report"
fi

run report --year 2026 --output "$WORK/out/year.xlsx"
expect_status 0 "report --year 2026 --output year.xlsx"
xlsx=$(python3 - "$WORK/out/year.xlsx" <<'EOF'
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
def cells(xml):
    """(ref, style, kind, text) of each cell, inline or shared strings."""
    shared = []
    if "xl/sharedStrings.xml" in z.namelist():
        shared = re.findall(r"<t[^>]*>([^<]*)</t>", z.read("xl/sharedStrings.xml").decode())
    out = {}
    for ref, attrs, body in re.findall(r'<c r="([A-Z]+[0-9]+)"([^>]*)>(.*?)</c>', xml):
        style = re.search(r' s="(\d+)"', attrs)
        kind = re.search(r' t="(\w+)"', attrs)
        kind = kind.group(1) if kind else "n"
        if kind == "inlineStr":
            text = "".join(re.findall(r"<t[^>]*>([^<]*)</t>", body))
        elif kind == "s":
            text = shared[int(re.search(r"<v>(\d+)</v>", body).group(1))]
        else:
            text = re.search(r"<v>([^<]*)</v>", body).group(1)
        out[ref] = (int(style.group(1)) if style else 0, kind, text)
    return out
wb = z.read("xl/workbook.xml").decode()
names = re.findall(r'<sheet [^>]*name="([^"]*)"', wb)
summary = cells(z.read("xl/worksheets/sheet1.xml").decode())
ledger = cells(z.read("xl/worksheets/sheet2.xml").decode())
styles = z.read("xl/styles.xml").decode()
fmts = dict(re.findall(r'<numFmt numFmtId="(\d+)" formatCode="([^"]*)"', styles))
xfs = re.findall(r"<xf [^>]*?numFmtId=\"(\d+)\"", re.search(r"<cellXfs.*?</cellXfs>", styles, re.S).group(0))
heads = [ledger[c + "1"][2] for c in "ABCDEF"]
deadline = ledger["F2"]
date_fmt = fmts.get(xfs[deadline[0]], "")
print("sheets=" + "|".join(names))
print("summary_heads=" + "|".join(summary[c + "2"][2] for c in "ABCDEFGH"))
print("ledger_heads=" + "|".join(heads))
print("deadline=%s,%s,%s" % (deadline[1], deadline[2], date_fmt))
EOF
)
has_line() { if printf '%s\n' "$xlsx" | grep -qxF -- "$1"; then _ok "$2"; else _fail "$2 (got: $xlsx)"; fi; }
has_line "sheets=汇总|工作台账" "the workbook has a summary sheet and the ledger's"
has_line "summary_heads=部分|代码|名称|乡镇|目标|已通过|待审核|合计" "  the summary's headings are Chinese"
has_line "ledger_heads=条目|重点任务|要求|责任单位|责任人|完成时限" "  so are the ledger's"
has_line "deadline=n,44926,yyyy-mm-dd" "  a deadline is a date cell: the number of 2022-12-31, shown yyyy-mm-dd"

# --- what is refused --------------------------------------------------------------------------

run report --as-of 2022-02-30
expect_status 2 "a day that does not exist is a usage error"
run report --as-of 2022-12-31 --year 2022
expect_status 2 "--as-of and --year together are a usage error"
run report --year 22
expect_status 2 "a year of two digits is a usage error"
run report --format xlsx
expect_status 2 "xlsx needs --output"
run report --year 2026 --output "$(dirname "$DB")/in-data.csv"
expect_status 2 "a report file in the data folder is refused"
