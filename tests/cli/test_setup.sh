#!/usr/bin/env bash
# Setting up: init, the database's first admin, the demo, check-config on good
# and broken configurations, forms, --help, and the usage errors.
source "$(dirname "$0")/lib.sh"
setup

# --- before init ---------------------------------------------------------

run list
expect_status 4 "a command before init fails as a storage failure"
expect_err "talentreg init" "and its message says to run talentreg init"
[ -e "$DB" ] && _fail "a command before init creates no database" || _ok "a command before init creates no database"

run --db "$WORK/nowhere/talentreg.db" init
expect_status 4 "init into a missing folder fails"
expect_err "$WORK/nowhere" "and names the missing folder"
expect_err "目录不存在" "and says the folder does not exist"

run --db "$WORK/nowhere/talentreg.db" list
expect_status 4 "list on a database in a missing folder fails"

# --- init --------------------------------------------------------------

run init
expect_status 0 "init creates the database"
expect_out "首位管理员：root" "init prints the first admin (the login that ran it)"
[ -f "$DB" ] && _ok "the database file exists" || _fail "the database file exists"

run init
expect_status 0 "init is safe to repeat"
expect_out "首位管理员：root" "a repeated init keeps the first admin"
expect_out "记录 0 条" "a repeated init reports no records"

run list
expect_status 0 "list works after init"
expect_out "共 0 条" "and an empty database lists nothing"

# --- the demo ----------------------------------------------------------

before=$(db_dump)
for bad in abc -5 0x10 ""; do
	run init --demo "$bad"
	expect_status 2 "init --demo '$bad' is a usage error"
done
run init --demo
expect_status 2 "init --demo without a number is a usage error"
run init extra
expect_status 2 "init with a stray argument is a usage error"
expect_unchanged "$before" "no refused init changed the database"

run init --demo 50
expect_status 0 "init --demo 50 succeeds"
expect_out "50" "and says how many records it added"
run list --format json --limit 1000
expect_json 'len(d)' 50 "list sees the 50 demo records"
run list
expect_out "共 50 条" "the table says 共 50 条"
run report --format json
expect_json 'sum(c["total"] for c in d["categories"])' 50 "report counts the 50 records by category"
expect_json '0 < d["total"][0]["total"] <= 50' True "report's people total is between 1 and 50"
expect_json 'sum(t["total"] for t in d["townships"]) >= d["total"][0]["total"]' True \
	"every counted person lives in a reported township"

run init --demo 5
expect_status 0 "init --demo 5 on a database that has demo records adds 5 more"
run list --format json --limit 1000
expect_json 'len(d)' 55 "and then 55 records are listed"

# --- check-config ---------------------------------------------------------

run check-config
expect_status 0 "check-config accepts the shipped configuration"

# A broken copy of config/ and forms/, with the line of each mistake noted.
BROKEN=$WORK/broken
mkdir "$BROKEN"
cp -r "$TOP/config" "$TOP/forms" "$BROKEN/"
bf=$BROKEN/forms
line_of() { grep -n -m1 -xF -- "$2" "$1" | cut -d: -f1; }

# an unknown field type
sed -i 's/^type = int$/type = integer/' "$bf/rural_teacher.ini"
type_line=$(line_of "$bf/rural_teacher.ini" "type = integer")
# a rule naming a field that does not exist
sed -i 's/^field = years_teaching$/field = years_teachin/' "$bf/rural_teacher.ini"
rule_line=$(line_of "$bf/rural_teacher.ini" "field = years_teachin")
# a UTF-8 BOM
printf '\357\273\277' | cat - "$bf/artisan.ini" >"$WORK/t" && mv "$WORK/t" "$bf/artisan.ini"
# a target naming an unknown category
sed -i 's/^category = tech_commissioner$/category = tech_commisioner/' "$BROKEN/config/targets.ini"
target_line=$(line_of "$BROKEN/config/targets.ini" "category = tech_commisioner")
# an unknown role
sed -i '0,/^role = officer$/s//role = boss/' "$BROKEN/config/users.ini"
role_line=$(line_of "$BROKEN/config/users.ini" "role = boss")

run --config "$BROKEN/config" check-config
expect_status 4 "check-config on a broken configuration fails"
# The paths may be written config/../forms/...: compare the file name and after.
errs=$(printf '%s\n' "$err" | sed 's|^.*/||')
has() {
	if printf '%s\n' "$errs" | grep -qF -- "$1"; then _ok "$2"; else _fail "$2 (no line '$1')"; fi
}
has "rural_teacher.ini:$type_line: " "an unknown field type is reported at its line ($type_line)"
has "rural_teacher.ini:$type_line: 未知的字段类型：integer" "  naming the type"
has "rural_teacher.ini:$rule_line: " "a rule naming a missing field is reported at the line naming it ($rule_line)"
has "years_teachin" "  naming the missing field"
has "artisan.ini:1: " "a BOM is reported at line 1"
has "targets.ini:$target_line: " "a target with an unknown category is reported at its line ($target_line)"
has "tech_commisioner" "  naming the category"
has "users.ini:$role_line: " "an unknown role is reported at its line ($role_line)"
n=$(printf '%s\n' "$err" | grep -cE '^[^ ]+\.ini:[0-9]+: ')
[ "$n" -ge 5 ] && _ok "every problem is reported, each as file:line: message ($n lines)" \
	|| _fail "every problem is reported, each as file:line: message (only $n lines)"

for cmd in list forms report "validate rural_teacher name=王小梅" "show 00000000" "history 00000000" init; do
	# shellcheck disable=SC2086
	run --config "$BROKEN/config" --db "$DB" $cmd
	expect_status 4 "'$cmd' refuses to start with a broken form"
done
expect_err "rural_teacher.ini:$type_line: " "and shows the problems"

# --- forms ------------------------------------------------------------------

run forms
expect_status 0 "forms lists the categories"
n=$(printf '%s\n' "$out" | sed 1d | grep -c .)
expect_eq "$n" 15 "forms lists 15 categories"
for pair in ecommerce_trainee:农村二三产业发展人才 artisan:农村二三产业发展人才 entrepreneur:农村二三产业发展人才 \
	coop_leader:农业生产经营人才 family_farm:农业生产经营人才 grower:农业生产经营人才 \
	rural_teacher:乡村公共服务人才 rural_doctor:乡村公共服务人才 \
	village_cadre:乡村治理人才 legal_adviser:乡村治理人才 tech_commissioner:农业农村科技人才 \
	domestic_service:农村二三产业发展人才 agri_manager:农业生产经营人才 \
	exchange_cadre:乡村治理人才 village_team_member:乡村治理人才; do
	line=$(printf '%s\n' "$out" | grep "^${pair%%:*} ")
	case $line in *"${pair#*:}"*) _ok "forms shows ${pair%%:*} in ${pair#*:}" ;;
	*) _fail "forms shows ${pair%%:*} in ${pair#*:} (line: $line)" ;; esac
done
run forms --format json
expect_status 0 "forms --format json"
expect_json 'len(d)' 15 "the json has 15 categories"
expect_json '[c["team"] for c in d if c["key"] == "coop_leader"][0]' agri_production "coop_leader's team in json"
expect_json 'type([c for c in d if c["key"] == "rural_teacher"][0]["fields"]).__name__' int \
	"the number of fields is a JSON number"
run forms --format csv
expect_status 0 "forms --format csv"
expect_out "rural_teacher,乡村教师,public_service," "the csv has rural_teacher's line"
run forms --fields rural_teacher
expect_status 0 "forms --fields rural_teacher"
expect_out "years_teaching" "lists the category's own fields"
expect_out "id_number" "and the common person fields"
run forms --fields no_such_form
expect_status 2 "forms --fields with an unknown category is a usage error"
run forms --format xml
expect_status 2 "forms --format xml is a usage error"

# --- help and usage -----------------------------------------------------------

run --help
expect_status 0 "talentreg --help"
expect_out "用法" "shows the usage"
for cmd in init check-config forms validate add edit list show history report; do
	expect_out "$cmd" "the help names $cmd"
done
for cmd in init check-config forms validate add edit list show history report; do
	run "$cmd" --help
	expect_status 0 "talentreg $cmd --help"
	expect_out "talentreg $cmd" "  shows the usage of $cmd"
done
run --config "$BROKEN/config" --help
expect_status 0 "--help works even with a broken configuration"

before=$(db_dump)
run frobnicate
expect_status 2 "an unknown command is a usage error"
expect_err "frobnicate" "and names the command"
run --bogus
expect_status 2 "an unknown global option is a usage error"
expect_err "--bogus" "and names the option"
run list --bogus
expect_status 2 "an unknown option of a command is a usage error"
for opt in --db --config --as; do
	run list "$opt"
	expect_status 2 "list $opt without a value is a usage error"
	run "$opt"
	expect_status 2 "$opt without a value is a usage error"
done
expect_unchanged "$before" "no usage error changed the database"

# --- global options ---------------------------------------------------------

run --db "$WORK/other.db" init
expect_status 0 "--db makes a database elsewhere"
[ -f "$WORK/other.db" ] && _ok "  at the given path" || _fail "  at the given path"
run --db "$WORK/other.db" list
expect_out "共 0 条" "--db reads that database, not the default one"
TALENTREG_DB=$WORK/other.db run list
expect_out "共 0 条" "\$TALENTREG_DB names the database too"
cp -r "$WORK/config" "$WORK/config2"
sed -i 's|^database = .*|database = ../data/second.db|' "$WORK/config2/talentreg.ini"
run --config "$WORK/config2" init
expect_status 0 "--config uses that folder's database path"
[ -f "$WORK/data/second.db" ] && _ok "  the database is where config2/talentreg.ini says" \
	|| _fail "  the database is where config2/talentreg.ini says"
run --config "$WORK/no_config" list
expect_status 4 "--config naming a missing folder is a configuration failure"
