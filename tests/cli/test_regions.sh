# test_regions.sh - the division code table (config/regions.txt): off by
# default, so only the province of an ID is checked; switched on in
# talentreg.ini, the first six digits must be in it (old codes too);
# check-config says so, validate and import refuse a county that never
# existed, and a broken table stops the program with file:line.
source "$(dirname "$0")/lib.sh"
setup
run init
expect_status 0 "init"

INI=$WORK/config/talentreg.ini
# An ID of no county (620399) in Jinchang (6203), with a right check character.
NO_COUNTY=$(id_with_check 62039919850612002)
# 崇文区 of Beijing, merged into 东城区 in 2010: people born there keep 110103.
OLD_CODE=$(id_with_check 11010319850612002)

# --- off by default -----------------------------------------------------------

run check-config
expect_status 0 "check-config with the shipped configuration"
case $out in *行政区划代码表*) _fail "  the table is off by default" ;; *) _ok "  the table is off by default" ;; esac
rec REC_TEACHER id_number="$NO_COUNTY"
run validate rural_teacher "${REC[@]}"
expect_status 0 "off, an ID of a county that does not exist passes (its province 62 does)"

# --- switched on ----------------------------------------------------------------

sed -i 's/^; region_table = regions.txt$/region_table = regions.txt/' "$INI"
run check-config
expect_status 0 "region_table = regions.txt in talentreg.ini switches the table on"
codes=$(grep -cE '^[0-9]{6}' "$WORK/config/regions.txt")
n=$(printf '%s\n' "$out" | sed -n 's/^身份证号前六位按行政区划代码表 regions.txt 核对（\([0-9]*\) 个代码）$/\1/p')
if [ -n "$n" ] && [ "$n" -gt 6000 ] && [ "$n" -le "$codes" ]; then
	_ok "  check-config says the table is used and how many codes it holds ($n)"
else
	_fail "  check-config says the table is used and how many codes it holds (out: $out)"
fi

run validate rural_teacher "${REC[@]}"
expect_status 1 "on, an ID of county 620399 (none such in Jinchang) is refused"
expect_err_line "id_number: 身份证号：身份证号前六位 620399 不在行政区划代码表中；号码无误的请告知管理员补入代码表" \
	"  with a message naming the six digits and what to do"
for id in 620302198506120028 "$(id_with_check 62032119850612002)" "$OLD_CODE" \
	"$(id_with_check 62030119850612002)"; do
	rec REC_TEACHER id_number="$id"
	run validate rural_teacher "${REC[@]}"
	expect_status 0 "on, ${id:0:6} is accepted"
done
rec REC_TEACHER id_number=990302199001011238
run validate rural_teacher "${REC[@]}"
expect_err_line "id_number: 身份证号：身份证号前两位不是有效的省级行政区划代码" \
	"on, a province that does not exist is still named as such"

printf '%s\n' 姓名,身份证号,手机号,乡镇,村,任教学校,学段,用工类型,教龄\(年\) \
	"王小梅,620302198506120028,13800138000,宁远堡镇,东湾村,东湾村小学,小学,在编,12" \
	"李红,$NO_COUNTY,13800138001,宁远堡镇,东湾村,东湾村小学,小学,在编,12" \
	"赵英,$OLD_CODE,13800138002,宁远堡镇,东湾村,东湾村小学,小学,在编,12" >"$WORK/rows.csv"
run import rural_teacher "$WORK/rows.csv"
expect_status 1 "import with the table on rejects the row of a county that does not exist"
expect_out "读取 3 行，导入 2 行，拒绝 1 行" "  and takes the others, the old code 110103 too"
reject=$(python3 -c 'import csv,sys; r=list(csv.reader(open(sys.argv[1],encoding="utf-8-sig")))[1]; print(r[0], r[1], r[2])' \
	"$WORK/rows.csv.rejects.csv")
expect_eq "$reject" "3 身份证号 身份证号：身份证号前六位 620399 不在行政区划代码表中；号码无误的请告知管理员补入代码表" \
	"  the rejects file names row 3, the field and the reason"

run init --demo 20
expect_status 0 "demo records (IDs of 620302 金川区) are made with the table on"

# --- a district adds a code by hand ------------------------------------------------

printf '620399\t测试用代码\t2026\t\n' >>"$WORK/config/regions.txt"
rec REC_TEACHER id_number="$NO_COUNTY"
run validate rural_teacher "${REC[@]}"
expect_status 0 "a code added as a line at the end of regions.txt is accepted at once"

# --- a broken table stops the program --------------------------------------------

cp "$WORK/config/regions.txt" "$WORK/regions.good"
printf '62030 金川区\n' >>"$WORK/config/regions.txt"
bad_line=$(wc -l <"$WORK/config/regions.txt")
run check-config
expect_status 4 "a line of the table that is not a six-digit code fails check-config"
expect_err "regions.txt:$bad_line: 每行应以六位数字的行政区划代码开头" "  reported at its line ($bad_line)"
run validate rural_teacher "${REC_TEACHER[@]}"
expect_status 4 "  and no command starts with it"
cp "$WORK/regions.good" "$WORK/config/regions.txt"

sed -i 's/^region_table = regions.txt$/region_table = ..\/regions.txt/' "$INI"
run check-config
expect_status 4 "region_table naming a path outside the configuration folder is refused"
expect_err "region_table 应为配置文件夹中的一个文件名" "  saying it must be a file of the folder"

sed -i 's/^region_table = .*$/region_table = missing.txt/' "$INI"
run check-config
expect_status 4 "region_table naming a missing file is refused"
expect_err "missing.txt:0: 无法读取" "  saying it cannot be read"
