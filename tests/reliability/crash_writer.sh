#!/usr/bin/env bash
# crash_writer.sh W DIR - one writer of crash.sh: adds rural teachers one
# after another with `talentreg add --uuid U`, and appends U to DIR/W.ok each
# time the add exits 0. It may be killed (SIGKILL, with the add it runs) at
# any moment and started again: the uuid in flight is kept in DIR/W.pending
# and tried again first, as a client retries a save whose answer it never
# got (DIR/W.retried; DIR/W.committed when it was stored already); the next
# sequence number is in DIR/W.next. A status other than 0 is logged to
# DIR/W.fail with its stderr. Runs until DIR/stop exists.
w=$1 dir=$2
config=$TALENTREG_CONFIG
source "$(dirname "$0")/lib.sh"	# (it unsets TALENTREG_CONFIG)
[ -n "$config" ] || { echo "crash_writer.sh: TALENTREG_CONFIG is not set" >&2; exit 2; }
export TALENTREG_CONFIG=$config

# put FILE TEXT: replaces FILE atomically.
put() { printf '%s\n' "$2" >"$1.tmp" && mv -f "$1.tmp" "$1"; }

n=0
[ -s "$dir/$w.next" ] && read -r n <"$dir/$w.next"
while [ ! -e "$dir/stop" ]; do
	if [ -s "$dir/$w.pending" ]; then
		read -r n <"$dir/$w.pending"
		uuid=$(rel_uuid "$w" "$n")
		echo "$uuid" >>"$dir/$w.retried"
		# killed after its commit, before it could tell: the retry must not add it again
		"$TR" show "$uuid" >/dev/null 2>&1 && echo "$uuid" >>"$dir/$w.committed"
	else
		put "$dir/$w.pending" "$n"
	fi
	uuid=$(rel_uuid "$w" "$n")
	rel_teacher $((w * 100000 + n))
	if "$TR" add rural_teacher "${REC[@]}" --uuid "$uuid" >/dev/null 2>"$dir/$w.err"; then
		echo "$uuid" >>"$dir/$w.ok"
	else
		rc=$?
		{ echo "$uuid status $rc"; cat "$dir/$w.err"; } >>"$dir/$w.fail"
	fi
	put "$dir/$w.next" $((n + 1))
	rm -f "$dir/$w.pending"
	n=$((n + 1))
done
