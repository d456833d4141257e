#!/usr/bin/env bash
# The plan's configuration (issue 14): check-config accepts the shipped
# targets.ini and tasks.ini and says what they hold, and refuses, each at
# its file:line, a where value that is not one of the field's options, a
# target naming an unknown category, and a task with a malformed deadline.
source "$(dirname "$0")/lib.sh"
setup

run check-config
expect_status 0 "check-config accepts the shipped configuration"
expect_out "配置正确：15 个类别" "with the 15 categories (four new ones)"
expect_out "计划：22 个目标，3 种标记，14 项乡镇分解目标；工作台账 11 项重点任务、32 个条目" \
	"and says what the plan's targets and ledger hold"

line_of() { grep -n -m1 -xF -- "$2" "$1" | cut -d: -f1; }
C=$WORK/config
cp "$C/targets.ini" "$WORK/targets.orig"
cp "$C/tasks.ini" "$WORK/tasks.orig"

# a where value mistyped: 种养大护 for 种养大户
sed -i 's/^where = grower_type=种养大户$/where = grower_type=种养大护/' "$C/targets.ini"
where_line=$(line_of "$C/targets.ini" "where = grower_type=种养大护")
# a target naming a category that does not exist
sed -i 's/^category = tech_commissioner$/category = tech_commisioner/' "$C/targets.ini"
cat_line=$(line_of "$C/targets.ini" "category = tech_commisioner")
# a task item whose deadline is no date
sed -i '0,/^\[item.4.1\]$/s//[item.4.1]\ndeadline = 2022-12-32/' "$C/tasks.ini"
date_line=$(line_of "$C/tasks.ini" "deadline = 2022-12-32")
# a where of two conditions, one on a multi-choice field: accepted
printf '\n[target.party_secretaries]\nlabel = 党员村书记\ncategory = village_cadre\nwhere = positions=村党组织书记 & political_status=中共党员|中共预备党员\ntarget = 0\n' >>"$C/targets.ini"

run check-config
expect_status 4 "check-config refuses the broken targets and tasks"
errs=$(printf '%s\n' "$err" | sed 's|^.*/||')
has() {
	if printf '%s\n' "$errs" | grep -qxF -- "$1"; then _ok "$2"; else _fail "$2 (no line '$1')"; fi
}
has "targets.ini:$where_line: 字段 grower_type 没有选项“种养大护”（可选：种养大户|高素质农民|种养能手）" \
	"a where value not among the field's options, at its line ($where_line), with the options"
has "targets.ini:$cat_line: 未知的类别：tech_commisioner" "a target with an unknown category, at its line ($cat_line)"
has "tasks.ini:$date_line: 完成时限不是有效的日期：2022-12-32（不是真实存在的日期）" \
	"a task item with a malformed deadline, at its line ($date_line)"
n=$(printf '%s\n' "$err" | grep -c ':[0-9]*: ')
expect_eq "$n" 3 "nothing else is reported (the two-condition where is fine)"

# the same broken configuration stops every other command
run report
expect_status 4 "report refuses to start with the broken configuration"

# every problem of a where: an unknown field, and a field in only some of the categories
cp "$WORK/targets.orig" "$C/targets.ini"
cp "$WORK/tasks.orig" "$C/tasks.ini"
printf '\n[target.bad]\nlabel = 坏\ncategory = grower|coop_leader\nwhere = grower_type=种养大户\ntarget = 1\n' >>"$C/targets.ini"
bad_line=$(grep -n -xF "where = grower_type=种养大户" "$C/targets.ini" | tail -1 | cut -d: -f1)
run check-config
expect_status 4 "a where on a field one of its categories lacks is refused"
expect_err "targets.ini:$bad_line: 类别 coop_leader 没有字段：grower_type" "  naming the category and the field, at its line"

cp "$WORK/targets.orig" "$C/targets.ini"
run check-config
expect_status 0 "the shipped files, put back, are fine again"
