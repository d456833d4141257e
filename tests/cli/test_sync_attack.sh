#!/usr/bin/env bash
# A corpus of malicious bundles (issue 12), made as an attacker would: the
# training site site_a (declared at the district for 宁远堡镇) is the
# attacker's laptop, whose database it changes with sqlite3 at will before
# exporting a bundle its own key signs, as the program would; another
# site's laptop claims to be site_a; bytes are changed on the stick; old
# bundles are played again. Each bundle is refused whole, or its bad rows
# are held for a supervisor and listed with the reason; the district's
# records never change but where a row is within what the site may do;
# and the audit names the bundle. (A bundle altered after signing and
# sealed again, which needs the district's secret key, is in
# tests/unit/test_sync.c.)
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

# records: what the district holds, every column but when it arrived
records() {
	sql district "SELECT uuid, category, status, person_key, name, township, village, phone,
		vals, comment, created_by, updated_by, version, site FROM records ORDER BY uuid"
}
# forge SQL: the attacker changes its own database (raising a record's
# version, as the program would, makes its export send it)
forge() { sql site_a "$1"; }
# new_uuid: a fresh lower-case uuid
new_uuid() { cat /proc/sys/kernel/random/uuid; }
# copy_of UUID NEWUUID STATUS: a new record at site_a with G's values (its
# ID number, and so its person key, made unique for the site's own index)
copy_of() {
	forge "INSERT INTO records(uuid, category, status, vals, comment, created_by, created_ms,
		updated_by, updated_ms, version, site)
		SELECT '$2', category, '$3', json_set(vals, '$.id_number', '$2'), comment,
		created_by, created_ms, updated_by, updated_ms, 1, site FROM records WHERE uuid = '$1'"
}
# send NAME: site_a exports NAME.bundle and the district imports it; then the
# district's answer goes back, so that site_a does not send the same again
send() {
	at site_a sync export "$WORK/$1.bundle"
	at district sync import "$WORK/$1.bundle"
	import_out=$out import_err=$err import_status=$status
	at district sync export "$WORK/back_$1.bundle" --to site_a >/dev/null
	at site_a sync import "$WORK/back_$1.bundle" >/dev/null
	out=$import_out err=$import_err status=$import_status
}
# held UUID: the reason the district holds the row of UUID for, if it does
held() {
	sql district "SELECT reason FROM sync_conflicts WHERE uuid = '$1' AND kind = 'refused'
		AND resolution IS NULL"
}
# audited BUNDLE: audit rows naming the bundle file
audited() {
	sql district "SELECT count(*) FROM audit WHERE comment LIKE '%/$1.bundle%'"
}

# --- an honest start ----------------------------------------------------------

at district add rural_teacher "${REC_TEACHER[@]}"
D1=$out
rec REC_TEACHER name=孙一 id_number="$(id_with_check 62030219900101002)" phone=13900000001
at site_a add rural_teacher "${REC[@]}"
G=$out
send honest
expect_out "新增 1" "the site's honest record arrives"
expect_eq "$(sql district "SELECT created_by FROM records WHERE uuid = '$G'")" root@site_a \
	"  made by the site's login, marked as the site's"

# --- 1. a new record, approved at the site ------------------------------------------

before=$(records)
U1=$(new_uuid)
copy_of "$G" "$U1" approved
forge "UPDATE records SET vals = json_set(vals, '$.id_number', '$(id_with_check 62030219900101012)') WHERE uuid = '$U1'"
send forged_status
expect_status 0 "a bundle with a record approved at the site imports (status 0)"
expect_out "暂存 1" "  and holds that row"
expect_eq "$(held "$U1" | grep -c '只能由区级作出')" 1 "  because approval comes only from the district"
expect_eq "$(records)" "$before" "  the district's records are unchanged"
expect_eq "$(audited forged_status)" 1 "  the import's audit row names the bundle"
expect_eq "$(sql district "SELECT count(*) FROM audit WHERE action = 'sync_held' AND uuid = '$U1'")" 1 \
	"  and the held row has its own"

# --- 2. an earlier record approved, and moved to another township ---------------

before=$(records)
forge "UPDATE records SET status = 'approved', 
	vals = json_set(vals, '$.township', '双湾镇', '$.village', '南湾村'), version = version + 1
	WHERE uuid = '$G'"
send moved
expect_out "暂存 1" "an earlier record approved in another township is held"
expect_out "冲突 0" "  not taken for a conflict"
reason=$(held "$G")
if [ -n "$reason" ]; then _ok "  with its reason: $reason"; else _fail "  no reason held"; fi
expect_eq "$(records)" "$before" "  the district's records are unchanged"
expect_eq "$(sql district "SELECT status, township FROM records WHERE uuid = '$G'")" "submitted|宁远堡镇" \
	"  the record stays submitted in 宁远堡镇"
# (the attacker puts it back, quietly: what the district holds is agreed)
forge "UPDATE records SET status = 'submitted', 
	vals = json_set(vals, '$.township', '宁远堡镇', '$.village', '东湾村') WHERE uuid = '$G'"

# --- 3. an unknown category and an unknown township --------------------------------

before=$(records)
U3=$(new_uuid) U4=$(new_uuid)
copy_of "$G" "$U3" submitted
forge "UPDATE records SET category = 'nosuchcat' WHERE uuid = '$U3'"
copy_of "$G" "$U4" submitted
forge "UPDATE records SET status = 'submitted',
	vals = json_set(vals, '$.township', '不存在镇', '$.id_number', '$(id_with_check 62030219900101004)') WHERE uuid = '$U4'"
send unknown
expect_out "暂存 2" "an unknown category and an unknown township are both held"
expect_eq "$(held "$U3" | grep -c 'nosuchcat')" 1 "  the category named"
expect_eq "$(held "$U4" | grep -c '不存在镇')" 1 "  the township named"
expect_eq "$(records)" "$before" "  the district's records are unchanged"

# --- 4. a bad ID number whose person key does not match --------------------------

before=$(records)
U5=$(new_uuid)
copy_of "$G" "$U5" submitted
forge "UPDATE records SET vals = json_set(vals, '$.id_number', '123') WHERE uuid = '$U5'"
send bad_id
expect_out "暂存 1" "a bad ID number is held"
expect_eq "$(held "$U5" | grep -c 'id_number')" 1 "  naming the field"
expect_eq "$(records)" "$before" "  the district's records are unchanged"

# --- 5. forged logins ----------------------------------------------------------------

before=$(records)
U6=$(new_uuid) U7=$(new_uuid)
copy_of "$G" "$U6" submitted
forge "UPDATE records SET created_by = 'supervisor', updated_by = 'supervisor',
	vals = json_set(vals, '$.id_number', '$(id_with_check 62030219900101006)') WHERE uuid = '$U6'"
copy_of "$G" "$U7" submitted
forge "UPDATE records SET created_by = 'admin@district', updated_by = 'root@district',
	vals = json_set(vals, '$.id_number', '$(id_with_check 62030219900101016)') WHERE uuid = '$U7'"
send logins
expect_out "新增 1" "a record made by 'supervisor' at the site is a site record"
expect_eq "$(sql district "SELECT created_by, updated_by FROM records WHERE uuid = '$U6'")" \
	"supervisor@site_a|supervisor@site_a" "  its logins marked as the site's, never the district's supervisor"
expect_out "暂存 1" "a record claiming the district's own logins is held"
expect_eq "$(held "$U7" | grep -c '不是该站点的登录名')" 1 "  as not logins of that site"
expect_eq "$(sql district "SELECT count(*) FROM records WHERE uuid = '$U7'")" 0 "  and never added"
at district --as supervisor review "$U6" approve
expect_status 0 "the district's supervisor may approve the first (it is not theirs)"

# --- 5b. where a record was made, rewritten -----------------------------------------------

before=$(records)
forge "UPDATE records SET site = 'district', vals = json_set(vals, '$.school', '改写站点'),
	version = version + 1 WHERE uuid = '$G'"
send site_moved
expect_out "暂存 1" "an edit that says the site's record was made at the district is held"
expect_eq "$(held "$G" | grep -c '登记站点不能更改')" 1 "  as a change of where it was made"
expect_eq "$(records)" "$before" "  the district's records are unchanged"
forge "UPDATE records SET site = 'site_a', vals = json_set(vals, '$.school', '东湾村小学')
	WHERE uuid = '$G'"

# --- 6. a huge version -----------------------------------------------------------------

forge "UPDATE records SET status = 'submitted', 
	vals = json_set(vals, '$.township', '宁远堡镇', '$.village', '东湾村', '$.school', '版本号被改的学校')
	WHERE uuid = '$G'"
forge "UPDATE records SET version = 2147483647 WHERE uuid = '$G'"
v_before=$(sql district "SELECT version FROM records WHERE uuid = '$G'")
send huge_version
expect_out "更新 1" "a change claiming version 2147483647 is a change like another"
expect_eq "$(sql district "SELECT version FROM records WHERE uuid = '$G'")" $((v_before + 1)) \
	"  the district counts its own version (one more), not the number claimed"
forge "UPDATE records SET version = 3 WHERE uuid = '$G'"
at site_a edit "$G" school=真实修改的学校
send after_huge
expect_out "更新 1" "  and a later genuine edit from the site still applies"
DB=$WORK/data_district/district.db
expect_eq "$(stored "$G" school)" 真实修改的学校 "  as the school shows"

# --- 7. a huge value -------------------------------------------------------------------

before=$(records)
U8=$(new_uuid) U9=$(new_uuid)
copy_of "$G" "$U8" submitted
forge "UPDATE records SET vals = json_set(vals, '$.school', printf('%.*c', 10000000, 'x'),
	'$.id_number', '$(id_with_check 62030219900101008)') WHERE uuid = '$U8'"
copy_of "$G" "$U9" submitted
forge "UPDATE records SET vals = json_set(vals, '$.political_status', printf('%.*c', 2000, 'y'),
	'$.id_number', '$(id_with_check 62030219900101018)') WHERE uuid = '$U9'"
send huge_value
expect_status 0 "a bundle with a 10 MB value imports"
expect_out "暂存 2" "  and holds it, and a 2,000-character value of a choice field"
expect_eq "$(held "$U8" | grep -c '过大')" 1 "  the 10 MB row as too large"
expect_eq "$(held "$U9" | grep -c 'political_status')" 1 "  the long value by its field"
expect_eq "$(records)" "$before" "  the district's records are unchanged"
held_len=$(sql district "SELECT length(incoming) FROM sync_conflicts WHERE uuid = '$U8'")
if [ "$held_len" -lt 10000 ]; then _ok "  the held copy keeps its start, not 10 MB ($held_len bytes)"; else _fail "  the held copy is $held_len bytes"; fi
at district export --format xlsx --output "$WORK/all.xlsx"
expect_status 0 "  and the xlsx export still works"

# --- 7b. a huge comment, a huge field name ---------------------------------------------
# The size bound is the whole row's, not only its values': a duplicate (kept
# whole for a supervisor to compare) with a 100 KB comment, and a field name
# of 100 KB (echoed in the reason), are held as too large, and cut.

before=$(records)
U12=$(new_uuid) U13=$(new_uuid)
copy_of "$G" "$U12" submitted
forge "UPDATE records SET comment = printf('%.*c', 100000, 'z') WHERE uuid = '$U12'"
copy_of "$G" "$U13" submitted
forge "UPDATE records SET vals = json_set(vals, '$.' || printf('%.*c', 100000, 'k'), 'v',
	'$.id_number', '$(id_with_check 62030219900101038)') WHERE uuid = '$U13'"
send huge_columns
expect_status 0 "a bundle with a 100 KB comment and a 100 KB field name imports"
expect_eq "$(held "$U12" | grep -c '过大')" 1 "  a duplicate with a 100 KB comment is held as too large"
expect_eq "$(held "$U13" | grep -c '过大')" 1 "  a row with a 100 KB field name too"
kept=$(sql district "SELECT sum(length(incoming) + length(reason)) FROM sync_conflicts WHERE uuid IN ('$U12', '$U13')")
if [ "$kept" -lt 10000 ]; then _ok "  their copies and reasons are kept cut ($kept bytes)"; else _fail "  their copies and reasons are $kept bytes"; fi
expect_eq "$(records)" "$before" "  the district's records are unchanged"

# --- 8. many rows of one person ----------------------------------------------------

before=$(records)
forge ".backup '$WORK/site_a_before.db'"	# to put the laptop back after
# (the attacker's own database: its index of one live record a person goes,
# and its running counts, which would look for the person's other records)
forge "DROP INDEX records_person_live; DROP TRIGGER people_ai;
	WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
	INSERT INTO records(uuid, category, status, vals, comment, created_by, created_ms,
	updated_by, updated_ms, version, site)
	SELECT printf('%s-%s-4%s-a%s-%s', lower(hex(randomblob(4))), lower(hex(randomblob(2))),
	substr(lower(hex(randomblob(2))), 2), substr(lower(hex(randomblob(2))), 2),
	lower(hex(randomblob(6)))), category, 'submitted',
	json_set(vals, '$.id_number', '$(id_with_check 62030219900101020)'), NULL,
	created_by, created_ms, updated_by, updated_ms, 1, site FROM records, n WHERE uuid = '$G'"
send one_person
expect_status 1 "20,000 rows of one person: the bundle is refused whole (status 1)"
expect_err "整个数据包拒收" "  saying so"
expect_err "此人已登记" "  and why: the person is registered already"
expect_eq "$(records)" "$before" "  the district's records are unchanged"
expect_eq "$(sql district "SELECT count(*) FROM audit WHERE action = 'sync_refused' AND comment LIKE '%one_person.bundle%'")" 1 \
	"  the refusal's audit row names the bundle"
forge ".restore '$WORK/site_a_before.db'"
U11=$(new_uuid)
copy_of "$G" "$U11" submitted
forge "UPDATE records SET vals = json_set(vals, '$.id_number', '$(id_with_check 62030219900101020)') WHERE uuid = '$U11'"
send one_person_once
expect_out "新增 1" "the same person once is a record"

# --- 9. escapes in text ------------------------------------------------------------------

before=$(records)
U10=$(new_uuid)
copy_of "$G" "$U10" submitted
forge "UPDATE records SET vals = json_set(vals, '$.name', 'x' || char(27) || ']52;c;cm0gLXJmIH4=' || char(7),
	'$.id_number', '$(id_with_check 62030219900101022)') WHERE uuid = '$U10'"
send escapes
expect_out "暂存 1" "a name holding ESC and an OSC 52 sequence is held"
expect_eq "$(held "$U10" | grep -c 'name')" 1 "  naming the field"
expect_eq "$(records)" "$before" "  the district's records are unchanged"
at district sync conflicts
if printf '%s' "$out" | grep -q $'\e'; then _fail "  the conflict list prints the escape"; else _ok "  the conflict list prints no escape"; fi

# --- 10. signed by another site ---------------------------------------------------------

before=$(db_dump)
sed -i 's/^id = .*/id = site_a/' "$WORK/cfg_site_b/talentreg.ini"
rec REC_TEACHER name=冒充 id_number="$(id_with_check 62030219900101024)"
at site_b add rural_teacher "${REC[@]}"
at site_b sync export "$WORK/impostor.bundle"
expect_eq "$(sed -n 2p "$WORK/impostor.bundle")" "from site_a" "site_b's laptop claims to be site_a"
at district sync import "$WORK/impostor.bundle"
expect_status 1 "  its bundle is refused (status 1)"
expect_err "不是用 sites.ini 为站点 site_a 声明的密钥签名的" "  as not signed by site_a's key"
expect_eq "$(sql district "SELECT count(*) FROM records WHERE name = '冒充'")" 0 "  and nothing of it is added"
expect_eq "$(audited impostor)" 1 "  the refusal's audit row names the bundle"

# --- 11. altered after signing ------------------------------------------------------------

at site_a edit "$G" school=途中被改的学校
at site_a sync export "$WORK/altered.bundle"
size=$(stat -c %s "$WORK/altered.bundle")
cp "$WORK/altered.bundle" "$WORK/altered2.bundle"
# one byte of the sealed box flipped (written as a fixed byte, it was
# sometimes the byte already there, 1 time in 256, and nothing changed)
python3 - "$WORK/altered2.bundle" $((size - 100)) <<'PY'
import sys
with open(sys.argv[1], "r+b") as f:
    f.seek(int(sys.argv[2]))
    b = f.read(1)[0]
    f.seek(int(sys.argv[2]))
    f.write(bytes([b ^ 0xFF]))
PY
snap=$(records)
at district sync import "$WORK/altered2.bundle"
expect_status 1 "a bundle changed on the stick is refused (status 1)"
expect_err "打不开" "  as not opening: sealed boxes do not survive a change"
sed 's/^to district$/to district/; s/^from site_a$/from site_b/' "$WORK/altered.bundle" >"$WORK/altered3.bundle"
at district sync import "$WORK/altered3.bundle"
expect_status 1 "a bundle whose head names another sender is refused"
expect_eq "$(records)" "$snap" "  neither changed a record"
expect_eq "$(audited altered2) $(audited altered3)" "1 1" "  and each refusal names its bundle"

# --- 12. a replay -----------------------------------------------------------------------------

at district sync import "$WORK/altered.bundle"
expect_out "更新 1" "the untouched bundle goes in"
snap=$(records)
at district sync import "$WORK/altered.bundle"
expect_out "导入过" "the same bundle again changes nothing"
at site_a edit "$G" school=旧包中的学校
at site_a sync export "$WORK/older.bundle"
at site_a edit "$G" school=新包中的学校
at site_a sync export "$WORK/newer.bundle"
at district sync import "$WORK/newer.bundle"
expect_out "更新 1" "a newer bundle goes in"
snap=$(records)
at district sync import "$WORK/older.bundle"
expect_status 1 "then an older one of the same site, played later, is refused"
expect_err "旧数据包或重放" "  as old or a replay"
expect_eq "$(records)" "$snap" "  and the district's records are unchanged"
expect_eq "$(stored "$G" school)" 新包中的学校 "  the newer change stands"
expect_eq "$(audited older)" 1 "  the refusal names the bundle"

# --- what a supervisor sees -------------------------------------------------------------------

at district sync conflicts
expect_status 0 "sync conflicts lists the held rows"
expect_out "未通过检查" "  as not passing the checks"
at district sync conflicts --format json
n=$(json_of 'len([c for c in d if c["kind"] == "refused"])')
expect_eq "$n" 10 "  ten held rows (the moved record's was superseded by its later rows)"
expect_eq "$(json_of 'all(c["reason"] for c in d if c["kind"] == "refused")')" True "  none without a reason"
at district --as supervisor sync resolve "$U1" take
expect_status 1 "a held row cannot be taken (status 1)"
expect_err "不能采用" "  only kept out"
at district --as supervisor sync resolve "$U1" keep --comment 不予采用
expect_status 0 "  which a supervisor does"
expect_eq "$(sql district "SELECT count(*) FROM records WHERE uuid = '$U1'")" 0 "  and the record never exists"
