#!/usr/bin/env bash
# faults.sh - storage faults: the database on a small tmpfs made full, and a
# database that cannot be written (a read-only mount; as a login other than
# root, a 0444 file and a folder without write permission). `add` and `edit`
# fail with a clear Chinese message and exit 4, nothing is corrupted
# (integrity_check, earlier records byte for byte), and in the screens a
# save that fails keeps the draft, which is offered again and then saves.
#
# The full disk is also swept: the free space is set to 0, STEP_KB, 2 x
# STEP_KB, ... SWEEP_KB before an add, so that the write fails at each step
# of it (the -shm, the WAL, the commit) or succeeds (about 100 KB is enough);
# each add either stores a whole record and exits 0, or stores nothing and
# exits 4 with the message.
#
# Needs root for mount (a tmpfs); without it every check is skipped, saying so.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$REL_DIR/../cli/ui.bash"
SWEEP_KB=${SWEEP_KB:-240}
STEP_KB=${STEP_KB:-4}
setup
MNT=$WORK/mnt
mkdir "$MNT"
trap 'ui_close; umount "$MNT" 2>/dev/null; rm -rf "$WORK"' EXIT
if ! mount -t tmpfs -o size=2m,mode=0777 tmpfs "$MNT" 2>"$WORK/mount.err"; then
	_ok "# skip: cannot mount a tmpfs here ($(cat "$WORK/mount.err")); storage faults not tested"
	exit 0
fi
DB=$MNT/talentreg.db
sed -i "s|^database *=.*|database = $DB|" "$WORK/config/talentreg.ini"
run init
expect_status 0 "init on a 2 MB tmpfs"

# fill: uses up every free byte of the tmpfs; free: gives it back.
fill() { dd if=/dev/zero of="$MNT/fill" bs=4k 2>/dev/null; }
free_space() { rm -f "$MNT/fill"; }
# leave BYTES: fills the tmpfs so that exactly BYTES stay free.
leave() {
	local avail
	free_space
	avail=$(df --output=avail -B1 "$MNT" | tail -1)
	[ "$avail" -gt "$1" ] && fallocate -l $((avail - $1)) "$MNT/fill"
}
records() { sql "$DB" "SELECT count(*) FROM records"; }
# The earlier records as stored, for "intact" checks.
snapshot() { sql "$DB" "SELECT uuid, vals, version, status FROM records ORDER BY uuid" | md5sum; }

for ((k = 0; k < 5; k++)); do
	rel_teacher $((900000 + k))
	run add rural_teacher "${REC[@]}"
	expect_status 0 "record $k before the faults"
done
first=$out
before=$(snapshot)
n_before=$(records)

# --- the disk full: add and edit -----------------------------------------------
fill
rel_teacher 900100
run add rural_teacher "${REC[@]}"
expect_status 4 "add on a full disk exits 4"
expect_err "磁盘已满" "and says in Chinese that the disk is full"
expect_err "没有保存" "and that nothing was saved"
expect_eq "$out" "" "no uuid is printed"
run edit "$first" school=新学校
expect_status 4 "edit on a full disk exits 4"
expect_err "磁盘已满" "with the same message"
free_space
expect_eq "$(records)" "$n_before" "nothing was added by the failed add"
expect_eq "$(snapshot)" "$before" "the earlier records are intact after the full disk"
check_db "$DB" "after the full disk"

# --- the sweep: every amount of free space from 0 to SWEEP_KB ------------------
stored=0 refused=0 bad=0
for ((kb = 0; kb <= SWEEP_KB; kb += STEP_KB)); do
	n0=$(records)
	snap=$(snapshot)
	leave $((kb * 1024))
	rel_teacher $((901000 + kb))
	run add rural_teacher "${REC[@]}"
	free_space
	if [ "$status" -eq 0 ] && [ "$(records)" -eq $((n0 + 1)) ] &&
		[ "$(sql "$DB" "SELECT count(*) FROM records WHERE uuid = '$out'")" = 1 ]; then
		stored=$((stored + 1))
	elif [ "$status" -eq 4 ] && [ "$(records)" -eq "$n0" ] && [ "$(snapshot)" = "$snap" ] &&
		printf '%s' "$err" | grep -qF "磁盘已满"; then
		refused=$((refused + 1))
	else
		bad=$((bad + 1))
		_fail "with $kb KB free, an add neither stored a whole record nor failed cleanly ($(records) records, $n0 before)"
	fi
done
expect_eq "$bad" 0 "free space 0 to $SWEEP_KB KB: $stored adds stored, $refused refused with the message"
if [ "$refused" -gt 0 ] && [ "$stored" -gt 0 ]; then _ok "the sweep covers both outcomes"; else
	_fail "the sweep did not cover both outcomes ($stored stored, $refused refused)"
fi
check_db "$DB" "after the sweep"

# --- a read-only mount ----------------------------------------------------------
before=$(snapshot)
n_before=$(records)
if mount -o remount,ro "$MNT"; then _ok "the tmpfs is made read-only"; else _fail "remount,ro failed"; fi
rel_teacher 900200
run add rural_teacher "${REC[@]}"
expect_status 4 "add on a read-only mount exits 4"
expect_err "只读" "and says in Chinese that the database is read-only"
mount -o remount,rw "$MNT"
expect_eq "$(records)" "$n_before" "nothing was added on the read-only mount"
expect_eq "$(snapshot)" "$before" "the earlier records are intact after the read-only mount"
check_db "$DB" "after the read-only mount"

# --- a 0444 file and a folder without write permission (not as root) ---------
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null && id nobody >/dev/null 2>&1; then
	printf '\n[user.nobody]\nrole = officer\nname = test\ntownships = 宁远堡镇\n' \
		>>"$WORK/config/users.ini"
	chmod 755 "$WORK"
	chmod -R a+rX "$WORK/config" "$WORK/forms"
	as_nobody() {
		out=$(setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups -- "$TR" "$@" \
			2>"$WORK/stderr")
		status=$?
		err=$(cat "$WORK/stderr")
	}
	chmod 0666 "$DB"
	rel_teacher 900300
	as_nobody add rural_teacher "${REC[@]}"
	expect_status 0 "(control) another login adds when the file may be written"
	before=$(snapshot)
	n_before=$(records)
	chmod 0444 "$DB"
	rel_teacher 900301
	as_nobody add rural_teacher "${REC[@]}"
	expect_status 4 "add to a 0444 database file exits 4"
	expect_err "只读" "and says that the database is read-only"
	chmod 0666 "$DB"
	rm -f "$DB-wal" "$DB-shm"	# left by the failed open, owned by nobody
	chmod 0555 "$MNT"
	as_nobody add rural_teacher "${REC[@]}"
	expect_status 4 "add in a folder without write permission exits 4"
	expect_err "只读" "and says that the database or its folder is read-only"
	chmod 0777 "$MNT"
	chmod 0660 "$DB"
	expect_eq "$(records)" "$n_before" "nothing was added through the permissions"
	expect_eq "$(snapshot)" "$before" "the earlier records are intact after the permissions"
	check_db "$DB" "after the permission faults"
else
	_ok "# skip: not root or no setpriv: 0444 file and read-only folder not tested (root ignores them)"
fi

# --- the screens: a save on a full disk keeps the draft -------------------------
# type_teacher NAME ID SCHOOL: fills a new rural teacher form (as test_ui.sh).
type_teacher() {
	ui_keys n; wait_for "选择类别"; ui_type "教师"; wait_gone "科技特派员"; ui_keys Enter
	wait_for "新登记：乡村教师"
	ui_type "$1"; ui_keys Tab	# Tab passes 性别 and 出生日期, which the ID fills
	ui_type "$2"; ui_keys Tab
	wait_for "${2:6:4}-${2:10:2}-${2:12:2}"	# the birth date, filled from the ID
	ui_keys Tab Tab
	ui_type "13800138000"; ui_keys Tab
	ui_keys Enter; ui_type "宁远"; ui_keys Enter
	ui_keys Enter; ui_type "东湾"; ui_keys Enter
	ui_keys Tab
	ui_type "$3"; ui_keys Tab
	ui_keys Enter; ui_type "小学"; ui_keys Enter
	ui_keys Tab Tab
	ui_keys Enter; ui_type "在编"; ui_keys Enter
	ui_type "7"
	wait_for "$3"
}
# draft_has KEY VALUE DESCRIPTION: the stored draft of rural_teacher holds KEY=VALUE.
draft_has() {
	local got
	got=$(sql "$DB" "SELECT json_extract(vals, '\$.$1') FROM drafts WHERE form = 'rural_teacher'")
	expect_eq "$got" "$2" "$3"
}
# screen_fault FAULT UNDO WHAT WHY NAME ID SCHOOL: types a form, makes the fault, saves, undoes
# the fault, leaves the form and the program; checks the draft and that it
# is offered again and saves.
screen_fault() {
	local fault=$1 undo=$2 what=$3 why=$4 name=$5 id=$6 school=$7
	sql "$DB" "DELETE FROM drafts"
	n_before=$(records)
	ui_open 80 24
	wait_for "五支人才队伍进度"
	type_teacher "$name" "$id" "$school"
	$fault
	ui_keys C-s
	expect_screen "未保存" "$what: Ctrl-S says on the status line that it did not save"
	# the status wraps over the rows above the key line: read them as one
	status_rows=$(ui_screen | tail -4 | head -3 | sed 's/^ //' | tr -d '\n')
	if printf '%s' "$status_rows" | grep -qF "$why"; then
		_ok "$what: the status line says why ($why)"
	else
		_fail "$what: the status line lacks '$why' ($status_rows)"
	fi
	expect_screen "新登记：乡村教师" "$what: the form stays open after the failed save"
	expect_eq "$(records)" "$n_before" "$what: nothing was saved"
	$undo
	ui_keys Escape
	wait_for "离开表单吗"
	ui_type "y"
	wait_for "五支人才队伍进度"
	ui_keys q
	local i=0
	while [ $i -lt 40 ] && ! gone "$UI_PID"; do sleep 0.05; i=$((i + 1)); done
	if gone "$UI_PID"; then _ok "$what: q quits"; else _fail "$what: q does not quit"; fi
	draft_has name "$name" "$what: the draft keeps the name"
	draft_has id_number "$id" "$what: the draft keeps the ID number"
	draft_has school "$school" "$what: the draft keeps the school"
	draft_has staffing "在编" "$what: the draft keeps the staffing picked from its list"
	draft_has years_teaching "7" "$what: the draft keeps the last field typed"
	ui_open 80 24
	wait_for "五支人才队伍进度"
	ui_keys n; wait_for "选择类别"; ui_type "教师"; wait_gone "科技特派员"; ui_keys Enter
	expect_screen "草稿" "$what: the draft is offered again"
	ui_type "y"
	expect_screen "$school" "$what: taking it brings the school back"
	ui_keys C-s
	expect_screen "继续登记下一位" "$what: now Ctrl-S saves it"
	ui_type "n"
	wait_for "五支人才队伍进度"
	ui_close
	expect_eq "$(records)" $((n_before + 1)) "$what: the record is stored once"
	expect_eq "$(sql "$DB" "SELECT count(*) FROM drafts")" 0 "$what: and its draft is gone"
}
screen_fault fill free_space "full disk" 磁盘已满 孙小红 "$(rel_id 902000)" 红星小学
check_db "$DB" "after the screens' full disk"

# A mount cannot be made read-only under a program that has the database
# open for writing (mount says it is busy), so the screens meet a read-only
# database only when they start: they say so, in Chinese, and exit 4.
if mount -o remount,ro "$MNT" 2>/dev/null; then
	# (timeout: were the database readable after all, the screens would
	# wait for keys, and the test fail instead of hanging)
	out=$(timeout 20 script -qec "env TALENTREG_CONFIG='$TALENTREG_CONFIG' '$TR'" /dev/null 2>&1)
	status=$?
	err=$out
	mount -o remount,rw "$MNT"
	expect_status 4 "the screens on a read-only mount exit 4"
	expect_out "只读" "saying that the database is read-only"
	check_db "$DB" "after the screens' read-only start"
else
	_fail "the tmpfs could not be made read-only for the screens"
fi

# --- the screens: leaving a form while the disk is full -------------------------
# "Leave the form? What you typed is kept in the draft": when the draft
# cannot be written, the form must say so and ask again, not drop what was
# typed; n stays in the form and shows why.
sql "$DB" "DELETE FROM drafts"
ui_open 80 24
wait_for "五支人才队伍进度"
type_teacher 李小满 "$(rel_id 902002)" 满天星小学
fill
ui_keys Escape
wait_for "离开表单吗"
ui_type "y"
expect_screen "草稿未能保存" "full disk: leaving the form says the draft could not be saved"
ui_type "n"
expect_screen "磁盘已满" "full disk: n stays and the status line says why"
expect_screen "新登记：乡村教师" "full disk: the form stays open"
expect_screen "满天星小学" "full disk: with what was typed"
free_space
ui_keys Escape
wait_for "离开表单吗"
ui_type "y"
expect_screen "五支人才队伍进度" "with space again, the form is left"
draft_has school 满天星小学 "with space again, the draft keeps the school"
draft_has years_teaching 7 "and the last field typed"
ui_close
check_db "$DB" "after leaving a form on a full disk"
