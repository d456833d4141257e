#!/usr/bin/env bash
# Import: CSV files as people make them (GB18030, BOM, CRLF, quoted commas,
# quotes and line breaks, key or label headings), every row validated like
# `add`, the rejects file, one transaction, --dry-run, --confirm, scope, and a
# 10,000-row file with exactly 3% bad rows. Every file is made here.
source "$(dirname "$0")/lib.sh"
setup

# fresh_db: a new, empty database.
fresh_db() {
	rm -f "$DB" "$DB-wal" "$DB-shm"
	run init >/dev/null
}
fresh_db

# csv FILE LINE...: writes the lines as a UTF-8 file with LF line ends.
csv() {
	local f=$1
	shift
	printf '%s\n' "$@" >"$f"
}

# rejects_col FILE N: the Nth column (1-based) of each data row of a rejects
# file, one a line.
rejects_col() {
	python3 - "$1" "$2" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
for r in rows[1:]:
    print(r[int(sys.argv[2]) - 1])
PY
}

HEAD_ZH=姓名,身份证号,手机号,乡镇,村,任教学校,学段,用工类型,教龄\(年\)
T1=王小梅,620302198506120028,13800138000,宁远堡镇,东湾村,东湾村小学,小学,在编,12
T2=李建华,620302199003071230,13912345678,双湾镇,南湾村,南湾村小学,初中,特岗教师,3
T3=赵秀英,$(id_with_check 62030219780215002),13700001111,宁远堡镇,东湾村,宁远堡镇中心小学,小学,在编,20

# --- encodings and line ends ---------------------------------------------------

csv "$WORK/gb.utf8" "$HEAD_ZH" "$T1" "$T2"
iconv -f utf-8 -t gb18030 "$WORK/gb.utf8" >"$WORK/gb.csv"
run import rural_teacher "$WORK/gb.csv" --encoding utf-8
expect_status 2 "a GB18030 file read as UTF-8 is refused (exit 2)"
expect_err "UTF-8" "  saying it is not UTF-8"
expect_eq "$(count_records)" 0 "  and nothing is imported"
run import rural_teacher "$WORK/gb.csv"
expect_status 0 "a GB18030 file (what Chinese Excel saves) imports with --encoding auto"
expect_out "读取 2 行，导入 2 行，拒绝 0 行" "  the summary counts read, imported and rejected"
expect_eq "$(sqlite3 "$DB" "SELECT name FROM records ORDER BY name" | tr '\n' ' ')" "李建华 王小梅 " \
	"  the Chinese names arrive intact"
expect_eq "$(count_records "status = 'submitted'")" 2 "  imported records are submitted"
expect_eq "$(sqlite3 "$DB" "SELECT count(*) FROM audit WHERE action = 'create'")" 2 \
	"  each has its audit row"
[ -e "$WORK/gb.csv.rejects.csv" ] && _fail "  no rejects file when nothing is rejected" \
	|| _ok "  no rejects file when nothing is rejected"

run import rural_teacher "$WORK/gb.csv"
expect_status 1 "importing the same people again rejects every row (exit 1)"
expect_out "读取 2 行，导入 0 行，拒绝 2 行" "  read 2, imported 0, rejected 2"
expect_eq "$(count_records)" 2 "  no second registration is made"
expect_eq "$(rejects_col "$WORK/gb.csv.rejects.csv" 3 | grep -c '已在本类别登记')" 2 \
	"  the reason: already registered in the category"

fresh_db
printf '\xEF\xBB\xBFname,id_number,phone,township,village,school,stage,staffing,years_teaching\r\n%s\r\n' \
	"$T3" >"$WORK/bom.csv"
run import rural_teacher "$WORK/bom.csv" --encoding utf-8
expect_status 0 "a UTF-8 file with a BOM, CRLF line ends and field keys as headings"
expect_eq "$(count_records "name = '赵秀英'")" 1 "  imports the row"
expect_eq "$(stored "$(sqlite3 "$DB" "SELECT uuid FROM records WHERE name = '赵秀英'")" years_teaching)" 20 \
	"  with the last cell intact (no CR left on it)"

# The last line without a newline, a heading with a required marker and spaces.
printf '姓名* , 身份证号,手机号,乡镇,村,任教学校,学段,用工类型,教龄(年)\n王丽,%s,13800000011,双湾镇,南湾村,"南湾村小学,分校","一所""希望""小学",在编,3' \
	"$(id_with_check 62030219900101002)" >"$WORK/quoted.csv"
run import rural_teacher "$WORK/quoted.csv"
expect_status 1 "a quoted comma and doubled quotes stay inside their cells"
expect_eq "$(rejects_col "$WORK/quoted.csv.rejects.csv" 2)" "学段" "  (so 学段 gets the quoted text and is refused)"
expect_eq "$(rejects_col "$WORK/quoted.csv.rejects.csv" 9)" '南湾村小学,分校' "  the rejects file keeps the cell as it was"
expect_eq "$(rejects_col "$WORK/quoted.csv.rejects.csv" 10)" '一所"希望"小学' "  doubled quotes read as one"
expect_eq "$(rejects_col "$WORK/quoted.csv.rejects.csv" 1)" 2 "  the row number is the spreadsheet's: 2"

# A memo cell with line breaks (a technology commissioner's techniques).
printf '%s\r\n' '姓名,身份证号,手机号,乡镇,村,特派员级别,派出单位,专业领域,服务开始日期,推广新技术新品种' \
	"孙志远,$(id_with_check 62030219800505001),13600001234,宁远堡镇,东湾村,市级,金昌市农业科学研究院,种植,2024-03-01,\"1. 膜下滴灌
2. 玉米密植\"" \
	"钱明,$(id_with_check 62030219850808001),1360000,宁远堡镇,东湾村,市级,金昌市农业科学研究院,种植,2024-03-01," \
	>"$WORK/memo.csv"
run import tech_commissioner "$WORK/memo.csv"
expect_status 1 "a cell with a line break inside quotes is one cell"
U=$(sqlite3 "$DB" "SELECT uuid FROM records WHERE name = '孙志远'")
expect_eq "$(stored "$U" techniques_promoted)" $'1. 膜下滴灌\n2. 玉米密植' "  stored with its line break"
expect_eq "$(rejects_col "$WORK/memo.csv.rejects.csv" 1)" 3 \
	"  and the next record is row 3, as a spreadsheet counts it"

# --- headings ------------------------------------------------------------------

before=$(db_dump)
csv "$WORK/unknown.csv" "$HEAD_ZH,备注" "$T1,无"
run import rural_teacher "$WORK/unknown.csv"
expect_status 2 "an unknown column is a usage error (exit 2)"
expect_err "第 10 列“备注”不是类别 rural_teacher 的字段" "  naming the column"
csv "$WORK/twice.csv" "姓名,name,身份证号" "王小梅,王小梅,620302198506120028"
run import rural_teacher "$WORK/twice.csv"
expect_status 2 "a field given twice (by label and by key) is a usage error"
run import no_such_category "$WORK/gb.csv"
expect_status 2 "an unknown category is a usage error"
run import rural_teacher "$WORK/missing.csv"
expect_status 2 "a missing file is a usage error"
run import rural_teacher "$WORK/gb.csv" --encoding latin1
expect_status 2 "an unknown --encoding is a usage error"
printf '%s\n' "$HEAD_ZH" '王,"620302198506120028,13800138000' >"$WORK/unclosed.csv"
run import rural_teacher "$WORK/unclosed.csv"
expect_status 2 "a quote never closed stops the import (exit 2)"
expect_err "第 2 行开始的引号没有闭合" "  saying where it opened"
expect_unchanged "$before" "  none of these changed the database"

csv "$WORK/nophone.csv" "姓名,身份证号,乡镇,村,任教学校,学段,用工类型,教龄(年)" \
	"周敏,$(id_with_check 62030219920303002),宁远堡镇,东湾村,东湾村小学,小学,在编,2"
run import rural_teacher "$WORK/nophone.csv"
expect_status 1 "a missing column leaves the field empty: a required one fails each row"
expect_eq "$(rejects_col "$WORK/nophone.csv.rejects.csv" 3)" "手机号：必填" "  with 手机号：必填"

# --- rows checked as add checks them ---------------------------------------------

fresh_db
before=$(db_dump)
csv "$WORK/mixed.csv" "$HEAD_ZH" "$T1" \
	"陈刚,620302198506120021,13800000002,宁远堡镇,东湾村,东湾村小学,小学,在编,5" \
	"$T2" "$T1"
run import rural_teacher "$WORK/mixed.csv" --dry-run
expect_status 1 "--dry-run reports rejected rows with exit 1"
expect_out "试运行，数据库未改动：读取 4 行，可导入 2 行，拒绝 2 行" "  and says nothing was saved"
expect_unchanged "$before" "  the database is unchanged"
expect_eq "$(rejects_col "$WORK/mixed.csv.rejects.csv" 1 | tr '\n' ' ')" "3 5 " "  the rejects file is written"
run import rural_teacher "$WORK/mixed.csv"
expect_status 1 "a file with bad rows: exit 1"
expect_out "读取 4 行，导入 2 行，拒绝 2 行" "  the good rows still go in"
expect_out "mixed.csv.rejects.csv" "  the summary names the rejects file"
expect_eq "$(count_records)" 2 "  two records"
R=$WORK/mixed.csv.rejects.csv
expect_eq "$(head -c 3 "$R" | od -An -tx1 | tr -d ' ')" "efbbbf" "the rejects file starts with a UTF-8 BOM"
expect_eq "$(head -1 "$R" | tail -c 2 | od -An -tx1 | tr -d ' ')" "0d0a" "  has CRLF line ends"
expect_eq "$(stat -c %a "$R")" 600 "  and mode 0600 (it holds ID numbers)"
expect_eq "$(head -1 "$R" | cut -d, -f1-4)" $'\xEF\xBB\xBF行号,字段,原因,姓名' "  columns 行号, 字段, 原因, then the original ones"
expect_eq "$(rejects_col "$R" 2 | tr '\n' ' ')" "身份证号 身份证号 " "  field of each rejected row"
expect_out_of() { if rejects_col "$R" 3 | sed -n "$1p" | grep -qF -- "$2"; then _ok "$3"; else _fail "$3"; fi; }
expect_out_of 1 "校验位不正确" "  row 3: the check character"
expect_out_of 2 "在本文件第 2 行已出现" "  row 5: the same person as row 2 of the file"

# The rejects file, corrected, imports as it is.
fixed=$(id_with_check 62030219850612003)
python3 - "$R" "$fixed" <<'PY'
import csv, sys
path, fixed = sys.argv[1], sys.argv[2]
rows = list(csv.reader(open(path, encoding="utf-8-sig", newline="")))
rows = [rows[0], rows[1]]
rows[1][4] = '="%s"' % fixed      # as an export writes an ID for Excel
with open(path, "w", encoding="utf-8-sig", newline="") as f:
    csv.writer(f, lineterminator="\r\n").writerows(rows)
PY
run import rural_teacher "$R"
expect_status 0 "a corrected rejects file imports as it is (行号/字段/原因 ignored, =\"ID\" read)"
expect_eq "$(count_records "person_key = '$fixed'")" 1 "  the corrected row is in"

# Warnings need --confirm: a cooperative leader over 75.
OLD=$(id_with_check 62030219450101001)
csv "$WORK/old.csv" "姓名,身份证号,手机号,乡镇,村,合作社名称,合作社统一社会信用代码,成员数,职务,成立日期" \
	"吴老汉,$OLD,13900001111,双湾镇,南湾村,南湾村养殖专业合作社,93620302MA7XXXXX1B,12,理事长,2015-03-05"
run import coop_leader "$WORK/old.csv"
expect_status 1 "a row with a warning is rejected without --confirm"
expect_eq "$(rejects_col "$WORK/old.csv.rejects.csv" 3 | grep -c 'confirm')" 1 "  the reason says to add --confirm"
run import coop_leader "$WORK/old.csv" --confirm
expect_status 0 "with --confirm it is imported"
expect_err "已确认 1 行的警告" "  saying warnings were confirmed"
U=$(sqlite3 "$DB" "SELECT uuid FROM records WHERE person_key = '$OLD'")
run history "$U"
expect_out "确认警告" "  and the confirmed warning is in the record's history"

# Scope: an officer importing rows of another township.
csv "$WORK/scope.csv" "$HEAD_ZH" \
	"郑华,$(id_with_check 62030219880808002),13800000021,宁远堡镇,东湾村,东湾村小学,小学,在编,5" \
	"冯军,$(id_with_check 62030219890909001),13800000022,双湾镇,南湾村,南湾村小学,小学,在编,5"
run --as officer_ny import rural_teacher "$WORK/scope.csv"
expect_status 3 "an officer importing a row of another township: exit 3"
expect_out "读取 2 行，导入 1 行，拒绝 1 行" "  its own township's row goes in"
expect_out "其中 1 行不在您负责的乡镇" "  the summary counts the rows outside its townships"
expect_eq "$(rejects_col "$WORK/scope.csv.rejects.csv" 3)" "乡镇：无权限：该记录不在您负责的乡镇" \
	"  the rejected row says why"
expect_eq "$(sqlite3 "$DB" "SELECT created_by FROM records WHERE name = '郑华'")" officer_ny \
	"  the imported row is the officer's"

# --- a sheet whose ID column lost its text format in Excel ----------------------
# What Chinese Excel saves as "CSV (逗号分隔)": GB18030, CRLF, dates in the
# long format (2026年5月10日). The ID column was General, so Excel kept the
# IDs as numbers: shown in scientific notation (6.20302E+17), or, in a
# column formatted as a number, rounded to 15 digits (…120028 → …120000).

fresh_db
SCI=6.20302E+17
ROUND=620302198506120000	# 620302198506120028 after Excel
GOOD1=$(id_with_check 62030219950505002)
GOOD2=$(id_with_check 62030219960606001)
GOOD3=$(id_with_check 62030219970707002)
printf '%s\r\n' "姓名,身份证号,手机号,乡镇,村,培训课程,培训日期,培训地点,是否开设网店" \
	"刘洋,$SCI,13700002001,宁远堡镇,东湾村,农村电商运营实务班,2026年5月10日,宁远堡镇文化站,否" \
	"陈静,$ROUND,13700002002,宁远堡镇,东湾村,农村电商运营实务班,2026年5月10日,宁远堡镇文化站,否" \
	"周婷,$GOOD1,13700002003,宁远堡镇,东湾村,农村电商运营实务班,2026年5月10日,宁远堡镇文化站,否" \
	"黄磊,6.20302199501E+17,13700002004,双湾镇,南湾村,农村电商运营实务班,2026年05月10日,双湾镇文化站,否" \
	"吴丹,'$GOOD2,13700002005,双湾镇,南湾村,农村电商运营实务班,2026.5.10,双湾镇文化站,否" \
	"郑浩,990302199001011238,13700002006,双湾镇,南湾村,农村电商运营实务班,2026.05.10,双湾镇文化站,否" \
	"孙悦,$GOOD3,13700002007,双湾镇,南湾村,农村电商运营实务班,2026年5月10日,双湾镇文化站,否" \
	| iconv -f utf-8 -t gb18030 >"$WORK/excel.csv"
run import ecommerce_trainee "$WORK/excel.csv"
expect_status 1 "a sheet whose IDs Excel turned into numbers: exit 1"
expect_out "读取 7 行，导入 3 行，拒绝 4 行" "  the rows with real IDs go in, the four others are rejected"
R=$WORK/excel.csv.rejects.csv
expect_eq "$(rejects_col "$R" 1 | tr '\n' ' ')" "2 3 5 7 " "  the rejects file names rows 2, 3, 5 and 7"
expect_eq "$(rejects_col "$R" 2 | sort -u)" "身份证号" "  each for the field 身份证号"
SCI_WHY="身份证号：被 Excel 当作数字存成科学计数法，末几位已丢失：请把该列设为文本，重填后再导出"
ROUND_WHY="身份证号：校验位不正确，末三位为 000，多半被 Excel 只留了 15 位：请把该列设为文本后重填"
expect_eq "$(rejects_col "$R" 3 | sed -n 1p)" "$SCI_WHY" "  row 2 (6.20302E+17): Excel's scientific notation, and what to do"
expect_eq "$(rejects_col "$R" 3 | sed -n 2p)" "$ROUND_WHY" "  row 3 (…120000): Excel's rounding to 15 digits, and what to do"
expect_eq "$(rejects_col "$R" 3 | sed -n 3p)" "$SCI_WHY" "  row 5 (6.20302199501E+17): scientific notation too"
expect_eq "$(rejects_col "$R" 3 | sed -n 4p)" "身份证号：身份证号前两位不是有效的省级行政区划代码" \
	"  row 7 (990302…): no such province"
expect_eq "$(rejects_col "$R" 5 | sed -n 1p)" "$SCI" "  the rejects file keeps the cell as Excel wrote it"
expect_eq "$(count_records "person_key = '$GOOD2'")" 1 "the ID written '62030… (Excel's text mark) is imported without the apostrophe"
expect_eq "$(sqlite3 "$DB" "SELECT DISTINCT json_extract(vals, '\$.training_date') FROM records")" 2026-05-10 \
	"dates written 2026年5月10日 and 2026.5.10 are stored as 2026-05-10"

# --- 10,000 rows, exactly 3% of them bad ---------------------------------------

cat >"$WORK/gen.py" <<'PY'
# gen.py N OUT EXPECTED: N rural_teacher rows with Chinese headings; rows
# whose index is 7, 42 or 77 modulo 100 are bad in one of six ways; their
# spreadsheet row, field and a piece of the reason go to EXPECTED.
import sys
n, out, exp = int(sys.argv[1]), sys.argv[2], sys.argv[3]
W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
def with_check(s):
    return s + "10X98765432"[sum(int(c) * w for c, w in zip(s, W)) % 11]
def id_of(i):  # distinct per row: a birth date and a sequence number
    d = i % 11760
    return with_check("620302%04d%02d%02d%03d" % (1965 + d % 35, 1 + d // 35 % 12,
                                                   1 + d // 420, i // 11760))
SUR, GIV = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗", ["小梅", "建国", "海燕", "志强", "丽"]
rows, bad = [], []
for i in range(n):
    town, village = ("宁远堡镇", "东湾村") if i % 2 else ("双湾镇", "南湾村")
    school = town + ("中心小学,东校区" if i % 10 == 3 else '"希望"小学' if i % 10 == 5 else "中心小学")
    r = [SUR[i % 20] + GIV[i // 20 % 5], id_of(i), "138%08d" % i, town, village, school,
         "小学", "在编", "5"]
    if i % 100 in (7, 42, 77):
        k = len(bad) % 6
        if k == 0:
            r[1] = r[1][:17] + ("0" if r[1][17] != "0" else "1")
            bad.append((i + 2, "身份证号", "校验位不正确"))
        elif k == 1:
            r[2] = "1380013"
            bad.append((i + 2, "手机号", "应为 11 位手机号"))
        elif k == 2:
            r[3], r[4] = "宁远堡镇", "南湾村"
            bad.append((i + 2, "村", "不是宁远堡镇的村：南湾村"))
        elif k == 3:
            r[0] = ""
            bad.append((i + 2, "姓名", "必填"))
        elif k == 4:
            r[1] = rows[i - 1][1]
            bad.append((i + 2, "身份证号", "在本文件第 %d 行已出现" % (i + 1)))
        else:
            r[6] = "大学"
            bad.append((i + 2, "学段", "应为以下之一"))
    rows.append(r)
def cell(v):
    return '"' + v.replace('"', '""') + '"' if any(c in v for c in ',"\r\n') else v
with open(out, "w", encoding="utf-8", newline="") as f:
    f.write("姓名,身份证号,手机号,乡镇,村,任教学校,学段,用工类型,教龄(年)\r\n")
    f.writelines(",".join(cell(v) for v in r) + "\r\n" for r in rows)
with open(exp, "w", encoding="utf-8") as f:
    f.writelines("\t".join(map(str, b)) + "\n" for b in bad)
PY
fresh_db
python3 "$WORK/gen.py" 10000 "$WORK/10k.csv" "$WORK/10k.expected"
expect_eq "$(wc -l <"$WORK/10k.expected")" 300 "the 10,000-row file has 300 bad rows (3%)"
run import rural_teacher "$WORK/10k.csv"
expect_status 1 "importing 10,000 rows with 300 bad ones: exit 1"
expect_out "读取 10000 行，导入 9700 行，拒绝 300 行" "  read 10000, imported 9700, rejected 300"
expect_eq "$(count_records)" 9700 "  9700 records are in the database"
expect_eq "$(sqlite3 "$DB" "SELECT count(DISTINCT person_key) FROM records")" 9700 "  9700 distinct people"
check=$(python3 - "$WORK/10k.csv.rejects.csv" "$WORK/10k.expected" <<'PY'
import csv, sys
got = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline="")))[1:]
want = [l.rstrip("\n").split("\t") for l in open(sys.argv[2], encoding="utf-8")]
if len(got) != len(want):
    print("rejects: %d rows, expected %d" % (len(got), len(want)))
for g, w in zip(got, want):
    if g[0] != w[0] or g[1] != w[1] or w[2] not in g[2]:
        print("row %s: got %s / %s / %s, expected %s / %s / ...%s..." % (w[0], g[0], g[1], g[2], *w))
        break
PY
)
expect_eq "$check" "" "  exactly the bad rows are rejected, each with its row number, field and reason"
# The progress line: on a terminal only, for files over 2000 rows,
# overwritten with CR.
head -2501 "$WORK/10k.csv" >"$WORK/2500.csv"
run import rural_teacher "$WORK/2500.csv" --dry-run
case $err in *正在检查*) _fail "no progress line when stderr is not a terminal" ;;
*) _ok "no progress line when stderr is not a terminal" ;; esac
if command -v script >/dev/null; then
	tty_out=$(script -qc "'$TR' import rural_teacher '$WORK/2500.csv' --dry-run" /dev/null)
	case $tty_out in *$'\r'正在检查第\ 2000\ 行*) _ok "  a progress line on a terminal, overwritten with CR" ;;
	*) _fail "  a progress line on a terminal, overwritten with CR" ;; esac
fi
good_ids=$(python3 - "$WORK/10k.csv" "$WORK/10k.expected" <<'PY'
import csv, sys
bad = {int(l.split("\t")[0]) for l in open(sys.argv[2], encoding="utf-8")}
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8", newline="")))
print("\n".join(sorted(r[1] for n, r in enumerate(rows[1:], 2) if n not in bad)))
PY
)
expect_eq "$(sqlite3 "$DB" "SELECT person_key FROM records ORDER BY person_key" | md5sum)" \
	"$(printf '%s\n' "$good_ids" | md5sum)" "  and every other row is imported"
expect_eq "$(sqlite3 "$DB" "SELECT count(*) FROM records WHERE json_extract(vals, '\$.school') LIKE '%,东校区'")" 1000 \
	"  quoted cells with commas arrive whole"
expect_eq "$(sqlite3 "$DB" "SELECT count(*) FROM records WHERE json_extract(vals, '\$.school') LIKE '%\"希望\"%'")" 1000 \
	"  and so do cells with doubled quotes"

# --- someone registered outside the user's townships ---------------------------------------------
# A check that saves nothing (a dry run) does not say whether an ID is
# registered in a township the user does not see: that would be a free
# oracle of who is registered anywhere. The import itself refuses the row,
# where a guess that is nobody costs a registration.
X=$(id_with_check 62030219770707001)
run add rural_teacher name=外乡教师 id_number="$X" phone=13700007777 township=双湾镇 village=南湾村 \
	school=南湾村小学 stage=小学 staffing=在编 years_teaching=5
expect_status 0 "a teacher registered in 双湾镇"
csv "$WORK/elsewhere.csv" "name,id_number,phone,township,village,school,stage,staffing,years_teaching" \
	"本乡教师,$X,13700008888,宁远堡镇,东湾村,东湾村小学,小学,在编,3"
before=$(count_records)
run --as officer_ny import rural_teacher "$WORK/elsewhere.csv" --dry-run
expect_status 0 "officer_ny's dry run of the same person in 宁远堡镇 finds nothing to refuse"
if grep -q "乡镇以外" <<<"$out$err"; then _fail "  and says nothing of 双湾镇"; else _ok "  and says nothing of 双湾镇"; fi
run --as officer_ny import rural_teacher "$WORK/elsewhere.csv"
expect_status 1 "the import itself refuses the row"
expect_eq "$(rejects_col "$WORK/elsewhere.csv.rejects.csv" 3 | grep -c '在您负责的乡镇以外')" 1 \
	"  as registered outside the officer's townships"
expect_eq "$(count_records)" "$before" "  and saves nothing"
run --as officer_ny add rural_teacher name=本乡教师 id_number="$X" phone=13700008888 township=宁远堡镇 \
	village=东湾村 school=东湾村小学 stage=小学 staffing=在编 years_teaching=3
expect_status 1 "add refuses it too"
expect_err "在您负责的乡镇以外" "  saying so"
