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
