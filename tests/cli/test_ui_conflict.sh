#!/usr/bin/env bash
# Sync conflicts resolved in the screens (issue 12): a district and a
# training site (sync.bash) both change two records; the district's
# supervisor sees the conflicts on the home screen, opens the list (c),
# opens one, sees the two versions side by side with the differing field
# marked, takes the site's version (t, y); keeps the district's in the
# other (k, y); the list is then empty. The command line confirms what was
# decided; an officer is offered no conflicts.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ui.bash"
source "$(dirname "$0")/sync.bash"
setup
trap 'ui_close; rm -rf "$WORK"' EXIT

# ui_quit: leaves the program from its home screen with q and waits (by
# polling) until it has exited, so that it holds no lock on the database
# when the checks below read it; then closes tmux.
ui_quit() {
	ui_keys q
	local i=0
	while kill -0 "$UI_PID" 2>/dev/null && [ $i -lt 200 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	ui_close
}

peer district district 金川区
peer site_a site 宁远堡镇培训点
trust district site_a 宁远堡镇
trust site_a district

at site_a add rural_teacher "${REC_TEACHER[@]}"
U1=$out
rec REC_TEACHER name=周二 id_number=620302199003071230 phone=13900000002 school=西坡村小学
at site_a add rural_teacher "${REC[@]}"
U2=$out
at site_a sync export "$WORK/a1.bundle"
at district sync import "$WORK/a1.bundle"
expect_out "新增 2" "the site's two records arrive"
at district edit "$U1" school=区级改的学校
at district edit "$U2" stage=初中
at site_a edit "$U1" school=培训点改的学校
at site_a edit "$U2" stage=高中
at site_a sync export "$WORK/a2.bundle"
at district sync import "$WORK/a2.bundle"
expect_out "冲突 2" "both records changed on both sides: two conflicts"

# --- the supervisor in the screens --------------------------------------------------

ui_open 80 24 --config "$WORK/cfg_district" --db "$WORK/data_district/district.db" --as supervisor
expect_screen "同步冲突 2 条待处理" "home tells the supervisor two conflicts wait"
expect_screen "c 冲突" "  and the key line offers c"
ui_keys c
expect_screen "同步冲突（待处理 2" "c opens the list of conflicts"
expect_screen "王小梅  site_a  两边都修改  任教学校" "  each with its site, kind and the field that differs"
expect_screen "周二  site_a  两边都修改  学段" "  the other too"
ui_type 王小梅
ui_keys Enter
expect_line "同步冲突 [12]/2：王小梅" "Enter opens the one picked"
expect_line "本库的版本 +站点 site_a 的版本" "  our version beside the site's"
expect_line "^ *\\* 任教学校 +区级改的学校 +培训点改的学校" "  the differing field marked *, its two values side by side"
expect_line "^    姓名 +王小梅 +王小梅" "  a field that agrees, unmarked"
expect_line "6203\\*+0028 +6203\\*+0028" "  the ID number masked on both sides"
expect_screen "两边有 1 项不同" "  and says how many differ"
if ui_screen | grep -qE "$FULL_ID_RE"; then _fail "  a whole ID number on the screen"; else _ok "  no whole ID number on the screen"; fi
ui_keys t
expect_screen "用站点 site_a 的版本替换本库的记录「王小梅」？" "t asks before it takes the site's version"
ui_keys n
wait_gone "替换本库的记录"
expect_line "同步冲突 [12]/2：王小梅" "  n decides nothing"
ui_keys t
wait_for "替换本库的记录"
ui_keys y
expect_screen "已采用站点的版本：王小梅" "  y takes it"
expect_screen "同步冲突（待处理 1" "  and the list has one left"
ui_keys Enter
expect_line "^ *\\* 学段 +初中 +高中" "the second: the differing field marked"
ui_keys k
expect_screen "保留本库的记录「周二」，不采用站点 site_a 的版本？" "k asks before it keeps ours"
ui_keys y
expect_screen "已保留本库的版本：周二" "  y keeps it"
expect_screen "没有待处理的同步冲突" "  and no conflict is left"
ui_keys Escape
wait_for "五支人才队伍进度"
if ui_screen | grep -q "同步冲突 .* 条待处理"; then _fail "home still tells of conflicts"; else _ok "home no longer tells of conflicts"; fi
ui_quit

DB=$WORK/data_district/district.db
expect_eq "$(stored "$U1" school)" 培训点改的学校 "the district holds the site's version of the first"
expect_eq "$(stored "$U2" stage)" 初中 "  and its own of the second"
at district sync conflicts --all --format json
expect_eq "$(json_of '" ".join(sorted(c["state"] for c in d))')" "keep take" "the conflicts are resolved, keep and take"
at district history "$U1"
expect_out "采用站点 site_a 的版本" "the history records the decision"
expect_out "supervisor" "  and who made it"

# the kept version goes back to the site, which applies it
at district sync export "$WORK/d1.bundle" --to site_a
at site_a sync import "$WORK/d1.bundle"
expect_out "冲突 0" "the district's kept version reaches the site without a conflict"
DB=$WORK/data_site_a/site_a.db
expect_eq "$(stored "$U2" stage)" 初中 "  and the site holds it"

# --- a held row: its reason, and only k ------------------------------------------------

rec REC_TEACHER name=孙三 id_number=620302200001010018 phone=13900000003 township=双湾镇 village=南湾村 \
	years_teaching=5
at site_a add rural_teacher "${REC[@]}"
U3=$out
at site_a sync export "$WORK/a3.bundle"
at district sync import "$WORK/a3.bundle"
expect_out "暂存 1" "a record outside the site's townships is held"
ui_open 80 24 --config "$WORK/cfg_district" --db "$WORK/data_district/district.db" --as supervisor
expect_screen "同步冲突 1 条待处理" "home counts the held row"
ui_keys c
expect_screen "孙三  site_a  未通过检查" "the list shows it as not passing the checks"
ui_keys Enter
expect_screen "只能保留本库的版本" "its screen says it can only be kept out"
expect_screen "本库没有这条记录" "  beside no record of ours"
expect_screen "不在您负责的乡镇" "  and why it was held"
if ui_screen | grep -q "t 采用站点"; then _fail "  the key line offers t"; else _ok "  the key line does not offer t"; fi
ui_keys t
if wait_for "替换本库的记录" 1 >/dev/null; then _fail "  t asks to take it"; else _ok "  t does nothing"; fi
ui_keys k
wait_for "不采用站点 site_a 的版本"
ui_keys y
expect_screen "已保留本库的版本：孙三" "  k, y keeps it out"
ui_keys Escape
wait_for "五支人才队伍进度"
ui_quit
expect_eq "$(sql district "SELECT count(*) FROM records WHERE uuid = '$U3'")" 0 "  and the record never exists here"

# --- an officer is offered nothing -------------------------------------------------

ui_open 80 24 --config "$WORK/cfg_district" --db "$WORK/data_district/district.db" --as officer_ny
wait_for "五支人才队伍进度"
if ui_screen | grep -q "c 冲突"; then _fail "an officer is offered the conflicts"; else _ok "an officer is not offered the conflicts"; fi
ui_keys c l
expect_screen "浏览记录" "c does nothing for an officer: l still opens browse"
ui_close
