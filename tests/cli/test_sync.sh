#!/usr/bin/env bash
# Offline site sync through the command line: a district and two training
# sites, each with its own config copy, database and keys, the keys
# exchanged as the README says (sync.bash); a second district database that
# is a backup of the first (the same keys) takes the bundles in another
# order. Records made at both sites, one record changed at a site and at
# the district; bundles taken twice and out of order; one conflict and
# nothing lost; what a stick shows; an empty bundle; truncated, damaged,
# misaddressed and old bundles refused whole; conflicts resolved by a
# supervisor.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/sync.bash"
setup

peer district district 金川区
peer site_a site 宁远堡镇培训点
peer site_b site 双湾镇培训点
trust district site_a 宁远堡镇
trust district site_b 双湾镇
trust site_a district
trust site_b district
at district check-config
expect_status 0 "the district's sites.ini declares both sites"
# district2: the district's database as a backup made now, with its keys
cp -r "$WORK/cfg_district" "$WORK/cfg_district2"
mkdir "$WORK/data_district2"
at district backup "$WORK/data_district2/district2.db"
expect_status 0 "a second district database, a backup of the first (same keys, same id)"

# --- records at both sites -------------------------------------------------

at site_a add rural_teacher "${REC_TEACHER[@]}"
A1=$out
at site_a add ecommerce_trainee "${REC_ECOM[@]}"
A2=$out
rec REC_COOP township=双湾镇
at site_b add coop_leader "${REC[@]}"
B1=$out
rec REC_TEACHER name=赵敏 id_number="$(id_with_check 62030219900101004)" township=双湾镇 \
	village=南湾村 school=南湾村小学
at site_b add rural_teacher "${REC[@]}"
B2=$out
expect_eq "$(sql site_a 'SELECT count(*) FROM records') $(sql site_b 'SELECT count(*) FROM records')" \
	"2 2" "two records at each site"

at site_a sync export "$WORK/a1.bundle"
expect_status 0 "sync export at site_a"
expect_out "已导出 2 条记录" "  says how many records went"
expect_out "发给 district 的第 1 号数据包" "  to whom, and its number"
expect_eq "$(head -n 3 "$WORK/a1.bundle")" "TALENTREG-SYNC 2
from site_a
to district" "  the bundle's head says only who sends it to whom"
expect_eq "$(stat -c %a "$WORK/a1.bundle")" 600 "  written 0600"
if grep -aq -e 王小梅 -e 620302198506120028 -e 13800138000 -e 宁远堡镇 "$WORK/a1.bundle"; then
	_fail "  a lost stick shows names, ID or phone numbers"
else
	_ok "  a lost stick shows no name, ID or phone number (sealed)"
fi
at site_b sync export "$WORK/b1.bundle"
expect_status 0 "sync export at site_b"

at site_a --as supervisor sync export "$WORK/x.bundle"
expect_status 3 "a supervisor may not export a bundle (exports are for admins)"
expect_eq "$(ls "$WORK"/x.bundle* 2>/dev/null)" "" "  and no file is written"
at site_a sync export "$WORK/x.bundle" --to site_z
expect_status 2 "an export to a site sites.ini does not declare is a usage error"
expect_err "site_z" "  naming it"
expect_eq "$(ls "$WORK"/x.bundle* 2>/dev/null)" "" "  and no file is written"
at district sync export "$WORK/x.bundle"
expect_status 2 "the district must say which site an export goes to"
expect_err "--to" "  and is told how"

# --- the district takes them, twice and in both orders ---------------------

at district sync import "$WORK/a1.bundle"
expect_status 0 "district imports site_a's bundle"
expect_out "新增 2" "  two new records"
at district sync import "$WORK/a1.bundle"
expect_status 0 "importing the same bundle again is fine"
expect_out "导入过" "  and says it was imported before"
at district sync import "$WORK/b1.bundle"
expect_out "新增 2" "district imports site_b's bundle"
at district sync import "$WORK/b1.bundle"
expect_out "导入过" "  twice"
for b in b1 a1 b1 a1; do at district2 sync import "$WORK/$b.bundle"; done
expect_status 0 "district2 takes the bundles in the other order, twice"
# records: their data, in uuid order (the times a record arrived aside)
records() {
	sql "$1" "SELECT uuid, category, status, person_key, name, township, vals,
		comment, created_by, created_at, version, site FROM records ORDER BY uuid"
}
expect_eq "$(records district)" "$(records district2)" "  both districts hold the same records"
expect_eq "$(sql district 'SELECT count(*) FROM records')" 4 "  four records"
expect_eq "$(sql district 'SELECT site, count(*) FROM records GROUP BY site' | tr '\n' ' ')" \
	"site_a|2 site_b|2 " "  each keeps the site that made it"
expect_eq "$(sql district "SELECT created_by FROM records WHERE uuid = '$A1'")" "root@site_a" \
	"  made by the site's login, marked as the site's"

# --- a change at a site and at the district --------------------------------

for d in district district2; do
	at "$d" edit "$A1" school=区级更正的学校
	expect_status 0 "$d changes a site_a record"
done
at site_a edit "$A1" school=培训点更正的学校
expect_status 0 "site_a changes the same record"
at site_a edit "$A2" course=直播带货进阶班
expect_status 0 "site_a changes another record"
at site_b withdraw "$B2" --comment 重复登记
expect_status 0 "site_b withdraws a record"
at site_a sync export "$WORK/a2.bundle"
expect_out "已导出 2 条" "site_a exports its two changes"
expect_out "第 2 号" "  in its second bundle"
at site_b sync export "$WORK/b2.bundle"
# site_b's first bundle is not acknowledged yet: both of its records go again
expect_out "已导出 2 条" "site_b sends its two records again: the district has not confirmed them"

at district sync import "$WORK/a2.bundle"
expect_status 0 "district imports site_a's changes (a conflict is not an error)"
expect_out "更新 1" "  one record updated"
expect_out "冲突 1" "  one conflict"
expect_out "等待审核人处理" "  and it says a supervisor must decide"
at district sync import "$WORK/b2.bundle"
expect_out "更新 1" "district imports site_b's withdrawal"
expect_out "无变化 1" "  and finds the record sent again unchanged"
at district sync import "$WORK/a2.bundle"
expect_out "导入过" "  the changes again change nothing"
for b in b2 a2 b2; do at district2 sync import "$WORK/$b.bundle"; done
expect_status 0 "district2 takes them"
expect_eq "$(records district)" "$(records district2)" "  both districts still agree"
at district2 sync import "$WORK/a1.bundle"
expect_status 0 "site_a's first bundle once more: already imported, status 0"

DB=$WORK/data_district/district.db
expect_eq "$(stored "$A1" school)" 区级更正的学校 "the district's own change is not overwritten"
expect_eq "$(stored "$A2" course)" 直播带货进阶班 "the site's change arrived"
expect_eq "$(sql district "SELECT status FROM records WHERE uuid = '$B2'")" withdrawn \
	"the withdrawal arrived"
expect_eq "$(sql district "SELECT count(*) FROM records WHERE uuid IN ('$A1', '$A2', '$B1', '$B2')")" 4 \
	"every record of both sites is there"
expect_eq "$(sql district "SELECT count(*) FROM sync_conflicts")" 1 "exactly one conflict"
expect_eq "$(sql district "SELECT json_extract(incoming, '\$.vals.school') FROM sync_conflicts
	WHERE uuid = '$A1' AND site = 'site_a'")" 培训点更正的学校 "  holding the site's change: nothing lost"
expect_eq "$(sql district "SELECT count(*) FROM audit WHERE action = 'sync'")" 6 \
	"every applied change has an audit row"
expect_eq "$(sql district "SELECT count(*) FROM audit WHERE action = 'sync_import' AND comment LIKE '%a2.bundle%'")" 1 \
	"  and the import one naming the bundle"

at district sync conflicts
expect_status 0 "sync conflicts"
expect_out "两边都修改" "  lists the conflict"
expect_out "任教学校" "  and the field that differs"
expect_out "${A1:0:8}" "  by its record"
at district sync conflicts --format csv
expect_eq "$(printf '%s\n' "$out" | wc -l)" 2 "  as CSV: a header and one row"
at district --as officer_ny sync conflicts
expect_status 3 "an officer may not see conflicts"
at district history "$A1"
expect_out "同步冲突" "the record's history shows the conflict"

# --- acknowledgements, and an empty bundle ----------------------------------

at district sync export "$WORK/d1.bundle" --to site_a
expect_status 0 "the district exports to site_a"
expect_out "空数据包" "  nothing to send: the record in conflict waits"
expect_out "另有 1 条记录有待处理的同步冲突" "  and says one waits on a conflict"
at site_a sync import "$WORK/d1.bundle"
expect_status 0 "site_a imports it: the district confirms what it took"
at site_a sync export "$WORK/a3.bundle"
expect_status 0 "an export with nothing new"
expect_out "空数据包" "  says so"
DB=$WORK/data_district/district.db
before=$(db_dump)
at district sync import "$WORK/a3.bundle"
expect_status 0 "the empty bundle imports"
expect_out "共 0 条" "  with no records"
expect_eq "$(records district)" "$(records district2)" "  and changes no record"
expect_eq "$(sql district "SELECT count(*) FROM sync_conflicts")" 1 "  and adds no conflict"

# --- damaged, misaddressed and old bundles are refused whole -------------------

before=$(db_dump)
snap=$(records district)
size=$(stat -c %s "$WORK/a2.bundle")
head -c $((size - 20)) "$WORK/a2.bundle" >"$WORK/cut.bundle"
at district sync import "$WORK/cut.bundle"
expect_status 1 "a truncated bundle is refused (status 1)"
expect_err "不完整" "  as incomplete"
expect_err "整个数据包都未导入" "  saying nothing was imported"
head -c 30 "$WORK/a2.bundle" >"$WORK/cut.bundle"
at district sync import "$WORK/cut.bundle"
expect_status 1 "a bundle cut inside its head is refused"

# flip BUNDLE OFFSET: writes BUNDLE with one bit of the byte at OFFSET flipped
# to flip.bundle.
flip() {
	cp "$1" "$WORK/flip.bundle"
	local b
	b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
	printf "$(printf '\\%03o' $((b ^ 1)))" | dd of="$WORK/flip.bundle" bs=1 seek="$2" conv=notrunc 2>/dev/null
}
flip "$WORK/a2.bundle" $((size - 30))
at district sync import "$WORK/flip.bundle"
expect_status 1 "a bundle with one damaged byte in its data is refused"
expect_err "打不开" "  as not opening with the district's key"
flip "$WORK/a2.bundle" 25	# "from site_a" becomes "from site`"
at district sync import "$WORK/flip.bundle"
expect_status 1 "a bundle with one damaged byte in its head is refused"
printf 'name,id\n王,1\n' >"$WORK/x.csv"
at district sync import "$WORK/x.csv"
expect_status 1 "a file that is no bundle is refused"
expect_err "不是人才登记同步数据包" "  as not a bundle"
printf 'TALENTREG-SYNC 1\nsite site_a\n' >"$WORK/old.bundle"
at district sync import "$WORK/old.bundle"
expect_status 1 "a bundle of the old, unsigned format is refused"
expect_err "旧格式" "  as the old format"
at district sync import "$WORK/none.bundle"
expect_status 2 "a missing file is a usage error (status 2), as for import"
at site_a sync import "$WORK/a2.bundle"
expect_status 1 "a site cannot import a bundle addressed to the district"
expect_err "不是本数据库" "  and is told why"
at site_b sync import "$WORK/d1.bundle"
expect_status 1 "nor a bundle the district addressed to another site"
at district --as supervisor sync import "$WORK/b1.bundle"
expect_status 3 "only an admin imports bundles"
expect_eq "$(records district)" "$snap" "none of them changed a record"
expect_eq "$(sql district "SELECT count(*) FROM audit WHERE action = 'sync_refused' AND comment LIKE '%flip.bundle%'")" 2 \
	"  and each refusal has an audit row naming the bundle"

# an older bundle after a newer one: a replay, refused
DB=$WORK/data_district2/district2.db
snap=$(records district2)
at site_a edit "$A2" course=直播带货高级班
at site_a sync export "$WORK/a4.bundle"
at site_a edit "$A2" course=直播带货研修班
at site_a sync export "$WORK/a5.bundle"
at district2 sync import "$WORK/a5.bundle"
expect_out "更新 1" "district2 takes site_a's newest bundle"
at district2 sync import "$WORK/a4.bundle"
expect_status 1 "then an older one is refused as old or a replay"
expect_err "旧数据包或重放" "  and says so"
expect_eq "$(DB=$WORK/data_district2/district2.db stored "$A2" course)" 直播带货研修班 "  the newest change stands"
at district sync import "$WORK/a4.bundle"
expect_out "更新 1" "in order, the district takes both"
at district sync import "$WORK/a5.bundle"
expect_out "更新 1" "  one after the other"

# --- a supervisor decides ----------------------------------------------------

DB=$WORK/data_district/district.db
at district --as officer_ny sync resolve "$A1" take
expect_status 3 "an officer may not resolve a conflict"
at district sync resolve "$A1" maybe
expect_status 2 "resolve needs keep or take"
at district --as supervisor sync resolve "${A1:0:8}" take --comment 以培训点为准
expect_status 0 "a supervisor takes the site's copy"
expect_eq "$(stored "$A1" school)" 培训点更正的学校 "  the district now holds it"
at district sync conflicts
expect_out "没有待处理的同步冲突" "  no conflict is left open"
at district sync conflicts --all
expect_out "采用站点" "  --all still lists it, resolved"
at district history "$A1"
expect_out "以培训点为准" "  the history has the decision and its comment"
at district --as supervisor sync resolve "$A1" take
expect_status 3 "  resolving it again finds nothing open"

at district2 --as supervisor sync resolve "$A1" keep
expect_status 0 "district2's supervisor keeps the district's copy"
DB=$WORK/data_district2/district2.db
expect_eq "$(stored "$A1" school)" 区级更正的学校 "  which stays"

# after a take the copies agree: the site's next change simply applies
at site_a edit "$A1" school=培训点再次更正
at site_a sync export "$WORK/a6.bundle"
at district sync import "$WORK/a6.bundle"
expect_out "更新 1" "after a take, the site's next change applies"
expect_out "冲突 0" "  without a conflict"
at district2 sync import "$WORK/a6.bundle"
expect_out "冲突 1" "after a keep, the site's next change is a conflict again"

at district sync frobnicate
expect_status 2 "an unknown sync command is a usage error"
