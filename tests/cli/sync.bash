# sync.bash - what the sync tests share: databases of a district and its
# training sites, each with its own config copy, data folder and keys, and
# the keys exchanged as the README says. Source it after lib.sh and setup.
#
#   peer NAME KIND [TITLE]      config cfg_NAME ([site] id NAME, kind site
#                               or district), database data_NAME/NAME.db,
#                               init and sync keygen (its printed lines in
#                               $WORK/NAME.pub)
#   trust RECEIVER SENDER [TOWNSHIPS]
#                               adds SENDER's printed lines to RECEIVER's
#                               sites.ini, with the townships a site may
#                               register in (default 宁远堡镇)
#   at NAME ARGS...             runs talentreg on NAME's database and config
#   sql NAME QUERY              sqlite3 on NAME's database (waiting for a lock)

peer() {
	local name=$1 kind=$2 title=${3:-培训点$1}
	cp -r "$WORK/config" "$WORK/cfg_$name"
	mkdir -p "$WORK/data_$name"	# a folder of its own: no output may go there
	sed -i "s/^id = .*/id = $name/; s/^name = .*/name = $title/; s/^kind = .*/kind = $kind/" \
		"$WORK/cfg_$name/talentreg.ini"
	at "$name" init >/dev/null
	at "$name" sync keygen
	printf '%s\n' "$out" >"$WORK/$name.pub"
}

trust() {
	local receiver=$1 sender=$2 towns=${3:-宁远堡镇}
	sed "s/^townships =\$/townships = $towns/" "$WORK/$sender.pub" >>"$WORK/cfg_$receiver/sites.ini"
}

at() {
	local s=$1
	shift
	run --config "$WORK/cfg_$s" --db "$WORK/data_$s/$s.db" "$@"
}

sql() { sqlite3 -cmd ".timeout 5000" "$WORK/data_$1/$1.db" "$2"; }
