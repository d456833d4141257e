#!/usr/bin/env bash
# Export: CSV for Excel (BOM, CRLF, Chinese headings, IDs as text, formulas
# defused), xlsx, JSON Lines; admins and supervisors only, in their scope,
# audited, written 0600; and the round trip export -> import into a fresh
# database gives the same records.
source "$(dirname "$0")/lib.sh"
setup
run init >/dev/null

# csv_cell FILE ROW COL: one cell (0-based row, the heading is row 0) as a
# CSV reader sees it.
csv_cell() {
	python3 - "$@" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
print(rows[int(sys.argv[2])][int(sys.argv[3])])
PY
}

# Teachers whose school names look like formulas to a spreadsheet.
SCHOOLS=('=1+2' '+86学校' '-东湾村小学' '@SUM(A1)' "'=已经加过引号" '东湾村小学')
for i in "${!SCHOOLS[@]}"; do
	rec REC_TEACHER "id_number=$(id_with_check 6203021985061200$i)" "phone=1380013800$i" \
		"school=${SCHOOLS[$i]}"
	run add rural_teacher "${REC[@]}"
	expect_status 0 "a teacher whose school is ${SCHOOLS[$i]}"
done
run add coop_leader "${REC_COOP[@]}"
run add ecommerce_trainee "${REC_ECOM[@]}"

# --- CSV --------------------------------------------------------------------------

F=$WORK/out/teachers.csv
mkdir "$WORK/out"
run export --category rural_teacher --output "$F"
expect_status 0 "export --category rural_teacher"
expect_out "已导出 6 条记录" "  says how many records"
expect_eq "$(stat -c %a "$F")" 600 "  the file is mode 0600"
expect_eq "$(ls "$WORK/out")" teachers.csv "  and no temp file is left beside it"
expect_eq "$(head -c 3 "$F" | od -An -tx1 | tr -d ' ')" efbbbf "  it starts with a UTF-8 BOM"
expect_eq "$(grep -c $'\r$' "$F")" 7 "  every line ends in CRLF"
expect_eq "$(head -1 "$F" | cut -d, -f1-3)" $'\xEF\xBB\xBF姓名,性别,身份证号' "  the headings are the form's labels"
expect_eq "$(head -1 "$F" | tr -d '\r' | awk -F, '{print $NF}')" 状态 "  the last column is the status"
ID0=$(id_with_check 62030219850612000)
expect_eq "$(sed -n 2p "$F" | cut -d, -f3)" "\"=\"\"$ID0\"\"\"" \
	"  an ID is written as =\"...\" so Excel keeps all 18 digits as text"
for i in 0 1 2 3; do
	cell=$(csv_cell "$F" $((i + 1)) 10)
	expect_eq "$cell" "'${SCHOOLS[$i]}" "  a cell starting with ${SCHOOLS[$i]:0:1} is defused with a '"
done
expect_eq "$(csv_cell "$F" 5 10)" "''=已经加过引号" "  a value that already starts with ' and = gets one more"
expect_eq "$(csv_cell "$F" 6 10)" "东湾村小学" "  an ordinary cell is left alone"

run export --category rural_teacher --output "$F" --format csv
expect_status 0 "export over an existing file replaces it"
expect_eq "$(ls "$WORK/out")" teachers.csv "  leaving no temp file"

# --- the round trip: export, import into a fresh database ------------------------------

B=$WORK/data/b.db
run --db "$B" init
run --db "$B" import rural_teacher "$F"
expect_status 0 "the export imports into a fresh database"
expect_out "导入 6 行" "  all six rows"
for i in "${!SCHOOLS[@]}"; do
	got=$(sqlite3 "$B" "SELECT json_extract(vals, '\$.school') FROM records WHERE phone = '1380013800$i'")
	expect_eq "$got" "${SCHOOLS[$i]}" "  school ${SCHOOLS[$i]} comes back as it was"
done

# Every category, with realistic data: export all, import each category.
A=$WORK/data/a.db
run --db "$A" init --demo 150
rm -f "$B"*
run --db "$B" init
run --db "$A" export --output "$WORK/all.csv"
expect_status 0 "export of every category into one CSV"
expect_eq "$(head -1 "$WORK/all.csv" | cut -d, -f1)" $'\xEF\xBB\xBF类别' "  its first column is the category"
for cat in $(sqlite3 "$A" "SELECT DISTINCT category FROM records ORDER BY 1"); do
	run --db "$B" import "$cat" "$WORK/all.csv"
	expect_status 0 "  import $cat from it: its rows go in, the others are skipped"
done
# values_of DB: category and values of every live record, uuid, status and
# times left out, in a stable order.
values_of() {
	"$TR" --db "$1" export --format jsonl --output "$WORK/v.jsonl" >/dev/null
	python3 - "$WORK/v.jsonl" <<'PY'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
for r in sorted(recs, key=lambda r: (r["category"], r["values"]["id_number"])):
    print(r["category"], json.dumps(r["values"], ensure_ascii=False, sort_keys=True))
PY
}
list_of() {
	"$TR" --db "$1" list --format json | python3 -c '
import json, sys
for r in sorted(json.load(sys.stdin), key=lambda r: (r["category"], r["id_number"])):
    print(r["category"], r["name"], r["township"], r["village"], r["id_number"], r["phone"])'
}
n=$(values_of "$A" | wc -l)
expect_eq "$(values_of "$B")" "$(values_of "$A")" "the $n records read back have the same categories and values"
expect_eq "$(list_of "$B")" "$(list_of "$A")" "  and list --format json shows the same records"
U=$(sqlite3 "$A" "SELECT uuid FROM records WHERE category = 'family_farm' LIMIT 1")
K=$(sqlite3 "$A" "SELECT person_key FROM records WHERE uuid = '$U'")
UB=$(sqlite3 "$B" "SELECT uuid FROM records WHERE category = 'family_farm' AND person_key = '$K'")
show_values() { "$TR" --db "$1" show "$2" --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["values"])'; }
expect_eq "$(show_values "$B" "$UB")" "$(show_values "$A" "$U")" "  and show of a family farm gives the same values"

# --- xlsx and jsonl ------------------------------------------------------------------------

run export --category rural_teacher --output "$WORK/out/t.xlsx"
expect_status 0 "export --output FILE.xlsx writes an Excel workbook"
expect_eq "$(stat -c %a "$WORK/out/t.xlsx")" 600 "  mode 0600"
xlsx=$(python3 - "$WORK/out/t.xlsx" <<'PY'
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
s = z.read("xl/worksheets/sheet1.xml").decode()
cells = dict(re.findall(r'<c r="([A-Z]+\d+)"[^>]*>(.*?)</c>', s))
heads = {k: re.sub("<[^>]+>", "", v) for k, v in cells.items() if k.endswith("1") and k[-2].isalpha()}
col = {v: k[:-1] for k, v in heads.items()}
print(heads[col["身份证号"] + "1"])
print(cells[col["身份证号"] + "2"])
print(cells[col["手机号"] + "2"])
print(cells[col["教龄(年)"] + "2"])
PY
)
expect_eq "$(sed -n 1p <<<"$xlsx")" 身份证号 "  headings in Chinese"
expect_eq "$(sed -n 2p <<<"$xlsx")" "<is><t>$ID0</t></is>" "  the ID is a text cell, all 18 digits"
expect_eq "$(sed -n 3p <<<"$xlsx")" "<is><t>13800138000</t></is>" "  the phone is a text cell"
expect_eq "$(sed -n 4p <<<"$xlsx")" "<v>12</v>" "  a whole number is a number cell"

run export --category coop_leader --format jsonl --output "$WORK/out/coop.jsonl"
expect_status 0 "export --format jsonl"
expect_eq "$(python3 -c '
import json, sys
for l in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(l)
    print(sorted(r), r["category"], r["status"], r["values"]["name"])' "$WORK/out/coop.jsonl")" \
	"['category', 'status', 'uuid', 'values'] coop_leader submitted 李建国" \
	"  one JSON object a line: uuid, category, status, values"

# --- who may export, and the audit --------------------------------------------------------

run --as officer_ny export --output "$WORK/out/officer.csv"
expect_status 3 "an officer may not export (exit 3)"
expect_err "无权限" "  and is told so"
[ -e "$WORK/out/officer.csv" ] && _fail "  no file is written" || _ok "  no file is written"
expect_eq "$(ls "$WORK/out" | grep -c tmp)" 0 "  not even a temp file"
run --as supervisor_ny export --output "$WORK/out/ny.csv"
expect_status 0 "a supervisor may export"
expect_out "已导出 7 条记录" "  the records of its own townships only"
expect_eq "$(grep -c 双湾镇 "$WORK/out/ny.csv")" 0 "  none of another township"
expect_eq "$(sqlite3 "$DB" "SELECT count(*) FROM audit WHERE action = 'export'")" 5 "every export is in the audit"
expect_eq "$(sqlite3 "$DB" "SELECT login || ' ' || as_user || ' ' || comment FROM audit WHERE action = 'export' ORDER BY id DESC LIMIT 1")" \
	"root supervisor_ny format=csv records=7 category=* file=$WORK/out/ny.csv" \
	"  with who, how many records and the file"

# --- usage --------------------------------------------------------------------------------

run export --category rural_teacher
expect_status 2 "export without --output is a usage error"
run export --format pdf --output "$WORK/out/x.pdf"
expect_status 2 "an unknown --format is a usage error"
run export --category nothing --output "$WORK/out/x.csv"
expect_status 2 "an unknown category is a usage error"
run export --output "$WORK/no/such/folder/x.csv"
expect_status 4 "an output folder that does not exist: exit 4"
run export --output "$DB"
expect_status 2 "exporting over the database itself is refused"
expect_eq "$(count_records)" 8 "  and the database is intact"
