#!/usr/bin/env bash
# Sign-in sheets (签到表, issue 15): an .xlsx made here with libxlsxwriter
# (tests/tools/mksheet.c: a merged title row, Chinese headings, an ID
# stored as a number and others as text, date cells) and the same sheet as
# Excel saves it in CSV, in GB18030, give the same attendees and the same
# rejects; a registered person is linked, a new one registered on the spot
# with the row's own fields, an ID that Excel turned into a number and a
# wrong one are refused with their reasons; importing again adds nobody
# twice; a dry run saves nothing.
source "$(dirname "$0")/lib.sh"
setup
MKSHEET=$(dirname "$TR")/tools/mksheet
run init
expect_status 0 "init"
CLASS=(organiser=区农业农村局 start_date=2026-05-10 place=宁远堡镇文化站 township=宁远堡镇 hours=24)
run event add hq_farmer_class title=第一期高素质农民培训班 "${CLASS[@]}"
A=$out
run event add hq_farmer_class title=第一期高素质农民培训班（补录） "${CLASS[@]}"
B=$out
run add coop_leader "${REC_COOP[@]}"
expect_status 0 "a cooperative leader registered before the class"

# the sheet: row 1 its title (merged), row 2 the headings, rows 3-7 people
NUMID=620302199001011238	# stored as a number: Excel keeps 6.20302E+17 of it
cat >"$WORK/spec" <<EOF
2026年第一期高素质农民培训班签到表
s:序号	s:姓名	s:性别	s:身份证号	s:出生日期	s:手机号	s:乡镇	s:村	s:主要产业	s:签名
n:1	s:李建国	s:男	s:620302199003071230	d:1990-03-07	s:13912345678	s:双湾镇	s:南湾村
n:2	s:王小梅	s:女	s:620302198506120028	d:1985-06-12	s:13800138000	s:宁远堡镇	s:东湾村	s:蔬菜
n:3	s:赵六	s:男	n:$NUMID	d:1990-01-01	s:13700001111	s:宁远堡镇	s:东湾村	s:蔬菜
n:4	s:钱七	s:男	s:620302199001011239	d:1990-01-01	s:13700002222	s:宁远堡镇	s:东湾村	s:蔬菜
n:5	s:孙八	s:女	s:11010519491231002X	d:1949-12-31		s:宁远堡镇	s:东湾村	s:蔬菜
EOF
"$MKSHEET" "$WORK/sheet.xlsx" <"$WORK/spec"
expect_eq "$?" 0 "libxlsxwriter makes the sign-in sheet"
# the same sheet as Excel saves it as CSV in GB18030: the merged title in
# its first cell, the number shown as General shows it, dates as shown
{
	printf '2026年第一期高素质农民培训班签到表,,,,,,,,,\r\n'
	printf '序号,姓名,性别,身份证号,出生日期,手机号,乡镇,村,主要产业,签名\r\n'
	printf '1,李建国,男,620302199003071230,1990-03-07,13912345678,双湾镇,南湾村,,\r\n'
	printf '2,王小梅,女,620302198506120028,1985-06-12,13800138000,宁远堡镇,东湾村,蔬菜,\r\n'
	printf '3,赵六,男,6.20302E+17,1990-01-01,13700001111,宁远堡镇,东湾村,蔬菜,\r\n'
	printf '4,钱七,男,620302199001011239,1990-01-01,13700002222,宁远堡镇,东湾村,蔬菜,\r\n'
	printf '5,孙八,女,11010519491231002X,1949-12-31,,宁远堡镇,东湾村,蔬菜,\r\n'
} | iconv -f UTF-8 -t GB18030 >"$WORK/sheet.csv"

# the database but the lookups a dry run records (an ID that finds nobody
# tells that much, and is a lookup as a search by it is)
dump_but_lookups() { sqlite3 "$DB" .dump | grep -v "'lookup'" | md5sum; }
before=$(dump_but_lookups)
run event import "$A" "$WORK/sheet.xlsx" --dry-run
expect_status 1 "a dry run of the sheet says some rows would be rejected"
expect_out "可加入 2 人（其中须现场登记 1 人）" "  two people would be added, one registered on the spot"
expect_eq "$(dump_but_lookups)" "$before" "  and nothing is saved"
expect_eq "$(lookups)" 2 \
	"  but the two IDs that found nobody are lookups (the newcomer, the one without a phone)"

run event import "$A" "$WORK/sheet.xlsx"
expect_status 1 "the .xlsx sheet is imported, with rejects"
expect_out "加入 2 人（其中现场登记 1 人），已在参加人员中 0 人，拒绝 3 行" "  two added, one of them registered on the spot, three rejected"
cp "$WORK/sheet.xlsx.rejects.csv" "$WORK/xlsx.rejects"
rej() { sed '1s/^\xEF\xBB\xBF//' "$1" | cut -d, -f1-3; }
expect_eq "$(rej "$WORK/xlsx.rejects" | head -1)" "行号,字段,原因" "the rejects file has row, field, reason"
expect_eq "$(rej "$WORK/xlsx.rejects" | sed -n 2p)" \
	"5,身份证号,身份证号：被 Excel 当作数字存成科学计数法，末几位已丢失：请把该列设为文本，重填后再导出" \
	"  row 5: the ID stored as a number, refused as Excel's scientific notation (rows counted as Excel counts them)"
expect_eq "$(rej "$WORK/xlsx.rejects" | sed -n 3p)" "6,身份证号,身份证号：校验位不正确，请核对" "  row 6: a wrong ID"
expect_eq "$(rej "$WORK/xlsx.rejects" | sed -n 4p | cut -d, -f1-2)" "7,手机号" "  row 7: a new person without a phone"
if sed -n 3p "$WORK/xlsx.rejects" | grep -q ',4,钱七,男,'; then _ok "  with the row's own cells"; else _fail "  with the row's own cells"; fi
q() { sqlite3 "$DB" "$1"; }
atts() { q "SELECT group_concat(person_key || ':' || source, ' ') FROM (SELECT t.person_key, t.source FROM attendance t JOIN events e ON e.id = t.event WHERE e.uuid = '$1' ORDER BY t.person_key)"; }
expect_eq "$(atts "$A")" "620302198506120028:spot 620302199003071230:sheet" \
	"the class has the registered person (from the sheet) and the one registered on the spot"
U=$(q "SELECT uuid FROM records WHERE person_key = '620302198506120028'")
expect_eq "$(stored "$U" grower_type)|$(stored "$U" training_course)|$(stored "$U" birth_date)|$(stored "$U" main_industry)" \
	"高素质农民|第一期高素质农民培训班|1985-06-12|蔬菜" "  the new record has the class's details and the row's own, the date cell read as a date"

run event import "$B" "$WORK/sheet.csv"
expect_status 1 "the same sheet saved as GB18030 CSV is imported into the second class"
expect_out "加入 2 人" "  two added"
expect_eq "$(atts "$B" | sed 's/:[a-z]*//g')" "$(atts "$A" | sed 's/:[a-z]*//g')" "  the same attendees as the .xlsx"
expect_eq "$(rej "$WORK/sheet.csv.rejects.csv")" "$(rej "$WORK/xlsx.rejects")" "  and the same rejects (row, field, reason)"

run event import "$A" "$WORK/sheet.xlsx"
expect_out "加入 0 人（其中现场登记 0 人），已在参加人员中 2 人" "importing the sheet again adds nobody twice"
expect_eq "$(q "SELECT count(*) FROM attendance t JOIN events e ON e.id = t.event WHERE e.uuid = '$A'")" 2 "  still two attendees"
expect_eq "$(q "SELECT count(*) FROM records WHERE person_key = '620302198506120028'")" 1 "  and one record of the new person"

# sheets that cannot be read
printf '签到表\r\n序号,姓名,签名\r\n1,张三,\r\n' >"$WORK/noid.csv"
run event import "$A" "$WORK/noid.csv"
expect_status 2 "a sheet with no ID heading is a usage error"
expect_err "没有写明“身份证号”的标题行" "  and says so"
head -c 300 "$WORK/sheet.xlsx" >"$WORK/cut.xlsx"
run event import "$A" "$WORK/cut.xlsx"
expect_status 2 "a truncated .xlsx is refused"
expect_err "不是可读取的 Excel 工作簿" "  as not a workbook"
printf 'title\r\n身份证号,颜色\r\n' >"$WORK/odd.csv"
run event import "$A" "$WORK/odd.csv"
expect_status 2 "an unknown heading stops the import, as import's"
expect_err "颜色" "  naming it"

# the plain import reads .xlsx too
cat >"$WORK/spec2" <<EOF
-
s:name	s:gender	s:id_number	s:phone	s:township	s:village	s:course	s:training_date	s:training_site	s:has_shop
s:张力	s:男	s:620302200001010018	s:13700001111	s:宁远堡镇	s:东湾村	s:农村电商运营实务班	d:2026-05-10	s:宁远堡镇文化站	s:否
s:周九	s:男	n:620302200001010018	s:13700001112	s:宁远堡镇	s:东湾村	s:农村电商运营实务班	d:2026-05-10	s:宁远堡镇文化站	s:否
EOF
"$MKSHEET" "$WORK/ecom.xlsx" <"$WORK/spec2"
run import ecommerce_trainee "$WORK/ecom.xlsx"
expect_status 1 "import reads an .xlsx file as well"
expect_out "读取 2 行" "  its two rows"
expect_eq "$(q "SELECT json_extract(vals, '\$.training_date') FROM records WHERE category = 'ecommerce_trainee'")" 2026-05-10 \
	"  the date cell as a date"
if grep -q '^3,' "$WORK/ecom.xlsx.rejects.csv"; then _ok "  the ID stored as a number rejected at row 3"; else _fail "  the ID stored as a number rejected at row 3"; fi

# --- a small workbook whose cells would cost far more than the file ---------------------------
# One shared string named by many cells was copied into each: a 15 KB file
# asked for 160 GB. A cell holds what Excel allows, the cells in all what
# max_input_mb allows, and the file is refused saying so.
python3 "$TOP/tests/data/xlsx_bomb.py" "$WORK/bomb.xlsx" sst
run import rural_teacher "$WORK/bomb.xlsx" --dry-run
expect_status 2 "a shared string of 8 MB named by 20,000 cells is refused"
expect_err "超过 32767 个字符（Excel 的上限）" "  a cell longer than Excel allows, said so"
run event import "$A" "$WORK/bomb.xlsx" --dry-run
expect_status 2 "  by event import too"
python3 "$TOP/tests/data/xlsx_bomb.py" "$WORK/many.xlsx" many
sed -i 's/^max_input_mb *=.*/max_input_mb = 16/' "$WORK/config/talentreg.ini"
run import rural_teacher "$WORK/many.xlsx" --dry-run
expect_status 2 "20,000 cells of a 30,000-character string (600 MB) are refused"
expect_err "工作表的单元格合计超过 16 MB" "  the cells in all past max_input_mb, said so"
expect_eq "$(q "SELECT count(*) FROM records WHERE name = 'AAAA'")" 0 "  nothing saved"
