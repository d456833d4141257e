#!/usr/bin/env bash
# Offline site sync through the command line: two training sites and two
# district databases (each its own config copy with its own [site] id, via
# --config and --db), records made at both sites, one record changed at a
# site and at the district, bundles taken in both orders and twice; one
# conflict and nothing lost; an empty bundle is a no-op; a truncated or
# damaged bundle is refused whole; conflicts resolved by a supervisor.
source "$(dirname "$0")/lib.sh"
setup

SITES=(site_a site_b district district2)
for s in "${SITES[@]}"; do
	cp -r "$WORK/config" "$WORK/cfg_$s"
	mkdir "$WORK/data_$s"	# each database in a folder of its own: no output may go there
	sed -i "s/^id = .*/id = $s/; s/^name = .*/name = 培训点$s/" "$WORK/cfg_$s/talentreg.ini"
done
# district2 is a second district database that takes the bundles in the
# other order; it shares the district's site id
sed -i "s/^id = .*/id = district/" "$WORK/cfg_district2/talentreg.ini"

# at SITE ARGS...: runs talentreg on SITE's database with its config.
at() {
	local s=$1
	shift
	run --config "$WORK/cfg_$s" --db "$WORK/data_$s/$s.db" "$@"
}
# records SITE: the records' data, in uuid order (when aside).
records() {
	sqlite3 "$WORK/data_$1/$1.db" "SELECT uuid, category, status, person_key, name, township, vals,
		comment, created_by, created_at, version, site FROM records ORDER BY uuid"
}
# sql SITE QUERY
sql() { sqlite3 "$WORK/data_$1/$1.db" "$2"; }

for s in "${SITES[@]}"; do
	at "$s" init
	expect_status 0 "init $s"
done

# --- records at both sites -------------------------------------------------

at site_a add rural_teacher "${REC_TEACHER[@]}"
A1=$out
at site_a add ecommerce_trainee "${REC_ECOM[@]}"
A2=$out
at site_b add coop_leader "${REC_COOP[@]}"
B1=$out
rec REC_TEACHER name=赵敏 id_number="$(id_with_check 62030219900101004)" township=双湾镇 \
	village=南湾村 school=南湾村小学
at site_b add rural_teacher "${REC[@]}"
B2=$out
expect_eq "$(sql site_a 'SELECT count(*) FROM records') $(sql site_b 'SELECT count(*) FROM records')" \
	"2 2" "two records at each site"

at site_a sync export "$WORK/a1.bundle"
expect_status 0 "sync export at site_a"
expect_out "已导出 2 条记录的变更" "  says how many records went"
expect_eq "$(head -n 1 "$WORK/a1.bundle")" "TALENTREG-SYNC 1" "  the bundle starts with its magic"
expect_eq "$(sed -n 2p "$WORK/a1.bundle")" "site site_a" "  and names its site"
expect_eq "$(stat -c %a "$WORK/a1.bundle")" 600 "  written 0600 (it holds ID numbers)"
len=$(sed -n 's/^length //p' "$WORK/a1.bundle")
sum=$({ head -n 6 "$WORK/a1.bundle"; tail -c "$len" "$WORK/a1.bundle"; } | sha256sum | cut -d' ' -f1)
expect_eq "sha256 $sum" "$(sed -n 7p "$WORK/a1.bundle")" "  its SHA-256 is what sha256sum says"
at site_b sync export "$WORK/b1.bundle"
expect_status 0 "sync export at site_b"

at site_a --as supervisor sync export "$WORK/x.bundle"
expect_status 3 "a supervisor may not export a bundle (exports are for admins)"
expect_eq "$(ls "$WORK"/x.bundle* 2>/dev/null)" "" "  and no file is written"

# --- the district takes them, in both orders and twice ---------------------

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
expect_eq "$(records district)" "$(records district2)" "  both districts hold the same records"
expect_eq "$(sql district 'SELECT count(*) FROM records')" 4 "  four records"
expect_eq "$(sql district 'SELECT site, count(*) FROM records GROUP BY site' | tr '\n' ' ')" \
	"site_a|2 site_b|2 " "  each keeps the site that made it"

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
at site_b sync export "$WORK/b2.bundle"
expect_out "已导出 1 条" "site_b exports its one change"

at district sync import "$WORK/a2.bundle"
expect_status 0 "district imports site_a's changes (a conflict is not an error)"
expect_out "更新 1" "  one record updated"
expect_out "冲突 1" "  one conflict"
expect_out "等待审核人处理" "  and it says a supervisor must decide"
at district sync import "$WORK/b2.bundle"
expect_out "更新 1" "district imports site_b's withdrawal"
at district sync import "$WORK/a2.bundle"
expect_out "导入过" "  the changes again change nothing"
for b in b2 a2 a1 b2; do at district2 sync import "$WORK/$b.bundle"; done
expect_status 0 "district2 takes them in the other order, with an old one after"
expect_eq "$(records district)" "$(records district2)" "  both districts still agree"

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

# --- an empty bundle -------------------------------------------------------

at site_a sync export "$WORK/a3.bundle"
expect_status 0 "an export with nothing new"
expect_out "没有变更" "  says so"
before=$(records district)
conflicts=$(sql district "SELECT * FROM sync_conflicts")
at district sync import "$WORK/a3.bundle"
expect_status 0 "the empty bundle imports"
expect_out "共 0 条" "  with no records"
expect_eq "$(records district)" "$before" "  and changes no record"
expect_eq "$(sql district "SELECT * FROM sync_conflicts")" "$conflicts" "  and no conflict"

# --- damaged bundles are refused whole --------------------------------------

before=$(db_dump)
size=$(stat -c %s "$WORK/a2.bundle")
head -c $((size - 20)) "$WORK/a2.bundle" >"$WORK/cut.bundle"
at district sync import "$WORK/cut.bundle"
expect_status 1 "a truncated bundle is refused (status 1)"
expect_err "不完整" "  as incomplete"
expect_err "整个数据包都未导入" "  saying nothing was imported"
expect_unchanged "$before" "  and nothing changed"
head -c 100 "$WORK/a2.bundle" >"$WORK/cut.bundle"
at district sync import "$WORK/cut.bundle"
expect_status 1 "a bundle cut inside its header is refused"

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
expect_err "校验失败" "  by its checksum"
flip "$WORK/a2.bundle" 20
at district sync import "$WORK/flip.bundle"
expect_status 1 "a bundle with one damaged byte in its header is refused"
printf 'name,id\n王,1\n' >"$WORK/x.csv"
at district sync import "$WORK/x.csv"
expect_status 1 "a file that is no bundle is refused"
expect_err "不是人才登记同步数据包" "  as not a bundle"
at district sync import "$WORK/none.bundle"
expect_status 2 "a missing file is a usage error (status 2), as for import"
expect_unchanged "$before" "none of them changed anything"

at site_a sync import "$WORK/a2.bundle"
expect_status 1 "a site cannot import its own bundle"
expect_err "本站点" "  and is told why"
at district --as supervisor sync import "$WORK/b1.bundle"
expect_status 3 "only an admin imports bundles"

# --- a supervisor decides ----------------------------------------------------

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
at site_a sync export "$WORK/a4.bundle"
at district sync import "$WORK/a4.bundle"
expect_out "更新 1" "after a take, the site's next change applies"
at district2 sync import "$WORK/a4.bundle"
expect_out "冲突 1" "after a keep, the site's next change is a conflict again"

at district sync frobnicate
expect_status 2 "an unknown sync command is a usage error"
