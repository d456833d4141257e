# test_messages.sh - what the user typed comes back in messages through the
# display sanitiser: an escape sequence in an argument never reaches the
# terminal from an error message.
source "$(dirname "$0")/lib.sh"
setup
run init
expect_status 0 "init"
esc=$'\e]0;pwned\a'
no_escape() {	# DESCRIPTION
	if printf '%s%s' "$out" "$err" | grep -q $'[\e\a]'; then _fail "$1: an escape byte was printed"; else _ok "$1"; fi
}
run add rural_teacher "na${esc}me=x"
expect_status 2 "an unknown field with an escape sequence in its name is a usage error"
no_escape "and its message shows the name sanitised"
expect_err "pwned" "  with the rest of the name visible"
run show "0123abcd${esc}"
no_escape "a record id with an escape sequence is not echoed raw"
run list --township "镇${esc}"
expect_status 2 "an unknown township with an escape sequence is a usage error"
no_escape "and its message is sanitised"
run validate rural_teacher name="王${esc}" township="宁远${esc}镇"
expect_status 1 "values with escape sequences are invalid"
no_escape "and the validation messages are sanitised"

# a 10,000-character name planted in the database does not blow up a table
run add rural_teacher name=钱多多 id_number=620302200001010018 phone=13700001111 \
	township=宁远堡镇 village=东湾村 school=测试小学 stage=小学 staffing=在编 years_teaching=2
expect_status 0 "a record to stretch"
long=$(python3 -c 'print("长" * 10000)')
sqlite3 "$DB" "UPDATE records SET vals = json_set(vals, '$.name', '$long') WHERE name = '钱多多'"
run list
size=$(printf '%s' "$out" | wc -c)
if [ "$size" -lt 4000 ]; then _ok "list's table cuts a 10,000-character name ($size bytes)"; else _fail "list printed $size bytes"; fi
run list --format json
case "$out" in *"$long"*) _ok "JSON carries the whole name" ;; *) _fail "JSON cut the name" ;; esac

# every message of the table is used somewhere in the program
unused=
for id in $(sed -n 's/^M(\(MSG_[A-Z0-9_]*\),.*/\1/p' "$TOP/include/msg_table.h"); do
	grep -rqw --include='*.c' --include='*.h' --exclude=msg_table.h "$id" "$TOP/src" "$TOP/include" ||
		unused="$unused $id"
done
expect_eq "$unused" "" "every message id in msg_table.h is used by the program"
