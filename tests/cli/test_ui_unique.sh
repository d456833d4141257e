# test_ui_unique.sh - the form saves through the same registry as `add`:
# a credit code another family farm holds is refused at its field (when the
# field is left, and again at Ctrl-S) as the command line refuses it, and
# nothing is saved; a save retried from the command line with its uuid is
# no duplicate. One Ctrl-S of a new record is one write transaction that
# also removes its draft.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ui.bash"
ui_setup

USCC=93620302MA7XXXXX1B USCC2=91620302MA7XXXXX4T
A=$(id_with_check 62030219800303001)
B=$(id_with_check 62030219850404001)
run add family_farm name=赵大勇 id_number="$A" phone=13712345678 township=宁远堡镇 village=东湾村 \
	farm_name=大勇家庭农场 farm_uscc=$USCC farm_type=种植类 land_area=50
expect_status 0 "a family farm with its credit code"
FIRST=$out
run add family_farm name=钱二 id_number="$B" phone=13712345679 township=宁远堡镇 village=东湾村 \
	farm_name=钱二家庭农场 farm_uscc=$USCC farm_type=种植类 land_area=30
expect_status 1 "the command line refuses a second farm with the same credit code"
expect_err "farm_uscc: 统一社会信用代码：此值已被本类别另一条记录使用：$FIRST" "  at the field, naming the record"

# The same values as a draft of the form (what a dropped line leaves).
json=$(printf '{"name":"钱二","id_number":"%s","phone":"13712345679","township":"宁远堡镇","village":"东湾村","farm_name":"钱二家庭农场","farm_uscc":"%s","farm_type":"种植类","land_area":"30"}' "$B" "$USCC")
sqlite3 "$DB" "INSERT INTO drafts(login, form, vals, updated_at) VALUES ('$(id -un)', 'family_farm', '$json', '2026-11-29T08:00:00.000Z')"
before=$(count_records)

ui_open 80 24
wait_for "五支人才队伍进度"
ui_keys n
wait_for "选择类别"
ui_type "家庭农场"
wait_gone "科技特派员"
ui_keys Enter
expect_screen "继续填写吗" "the form offers the draft"
ui_type y
expect_screen "新登记：家庭农场经营者" "and opens it filled"
if ui_screen | grep -q "此值已被本类别另一条记录使用"; then
	_fail "  no error is shown before a field is left"
else
	_ok "  no error is shown before a field is left"
fi
# Tab down to the code (the current field is marked > on its label), then
# leave it: it is checked against the category's other records at once.
for i in $(seq 1 30); do
	mark=$(ui_screen | grep "^>")
	case "$mark" in *统一社会信用代码*) break ;; esac
	ui_keys Tab
	for j in $(seq 1 40); do	# until the mark has moved
		[ "$(ui_screen | grep "^>")" != "$mark" ] && break
		sleep 0.05
	done
done
expect_screen "统一社会信用代码" "the cursor reaches the credit code"
ui_keys Tab
expect_screen "此值已被本类别另一条记录使用" "leaving the field: the code another farm holds is refused at once"
if ui_screen | grep "统一社会信用代码" | grep -q "此值已被本类别"; then
	_ok "  beside its field, as the command line says it"
else
	_fail "  beside its field, as the command line says it"
fi
ui_keys C-s
expect_screen "处错误" "Ctrl-S refuses it too, and the status line counts the error"
if ui_screen | grep "^>" | grep -q "统一社会信用代码"; then
	_ok "  with the cursor sent to the code"
else
	_fail "  with the cursor sent to the code"
fi
expect_eq "$(count_records)" "$before" "  nothing is saved"
expect_eq "$(sqlite3 "$DB" "SELECT count(*) FROM drafts WHERE form = 'family_farm'")" 1 "  and the draft is kept"

# A code nobody holds: saved, and the draft goes in the same transaction.
ui_keys C-u
ui_type "91620302MA7XXXXX2L"
ui_keys Tab
ui_keys C-s
if wait_for "继续登记下一位" 5 >/dev/null; then
	_ok "with a free credit code the form saves"
else
	_fail "with a free credit code the form saves"
fi
ui_type n
wait_for "五支人才队伍进度"
expect_eq "$(count_records)" "$((before + 1))" "  one record more"
expect_eq "$(sqlite3 "$DB" "SELECT count(*) FROM drafts WHERE form = 'family_farm'")" 0 "  and its draft is gone"
expect_eq "$(sqlite3 "$DB" "SELECT json_extract(vals, '\$.farm_uscc') FROM records WHERE name = '钱二'")" \
	"91620302MA7XXXXX2L" "  with the new code"
ui_close

# A save retried with its uuid (a dropped line after the commit) is the same
# save, not a duplicate of itself.
U=3f2504e0-4f89-41d3-9a0c-0305e82c3399
C=$(id_with_check 62030219900505001)
rec_args=(name=孙三 id_number="$C" phone=13712345670 township=宁远堡镇 village=东湾村
	farm_name=孙三家庭农场 farm_uscc=92620302MA7XXXXX3L farm_type=养殖类 land_area=10)
run add family_farm "${rec_args[@]}" --uuid "$U"
first=$status
run add family_farm "${rec_args[@]}" --uuid "$U"
expect_eq "$first/$status/$out" "0/0/$U" "a save retried with the same uuid succeeds once, as one record"

# A code held by a farm of a township the officer does not see: leaving the
# field tells nothing (a check that saves nothing would be a free oracle of
# what is registered anywhere); Ctrl-S, which would save, refuses it.
run add family_farm name=周四 id_number="$(id_with_check 62030219700606001)" phone=13712345671 \
	township=双湾镇 village=南湾村 farm_name=周四家庭农场 farm_uscc=$USCC2 farm_type=种植类 land_area=20
expect_status 0 "a family farm of 双湾镇"
json=$(printf '{"name":"吴五","id_number":"%s","phone":"13712345672","township":"宁远堡镇","village":"东湾村","farm_name":"吴五家庭农场","farm_uscc":"%s","farm_type":"种植类","land_area":"15"}' "$(id_with_check 62030219750707001)" "$USCC2")
sqlite3 "$DB" "INSERT INTO drafts(login, form, vals, updated_at) VALUES ('officer_ny', 'family_farm', '$json', '2026-11-29T08:00:00.000Z')"
before=$(count_records)
ui_open 80 24 --as officer_ny
wait_for "五支人才队伍进度"
ui_keys n; wait_for "选择类别"; ui_type "家庭农场"; wait_gone "科技特派员"; ui_keys Enter
wait_for "继续填写吗"; ui_type y
wait_for "新登记：家庭农场经营者"
ui_field 统一社会信用代码
ui_keys Tab
for i in $(seq 1 40); do [ "$(ui_current)" != "统一社会信用代码" ] && break; sleep 0.05; done
if ui_screen | grep -q "此值已被本类别另一条记录使用"; then _fail "officer_ny leaving a code held in 双湾镇 is told nothing"; else _ok "officer_ny leaving a code held in 双湾镇 is told nothing"; fi
ui_keys C-s
expect_screen "有 1 处错误" "  Ctrl-S refuses it"
if ui_screen | grep "统一社会信用代码" | grep -q "此值已被本类别另一条记录使用"; then _ok "  beside the code"; else _fail "  beside the code"; fi
expect_eq "$(count_records)" "$before" "  and nothing is saved"
ui_close
