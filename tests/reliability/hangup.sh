#!/usr/bin/env bash
# hangup.sh - the line drops while a form is typed: SESSIONS times, the
# screens are opened in tmux, a new rural teacher is typed up to a random
# field, and then the session is ended at that point in one of several ways
# (tmux kill-server or kill-session, the tmux server SIGKILLed as when sshd
# dies, or SIGHUP / SIGTERM to the program), sometimes with a field half
# typed, a choice list open, or keys still on their way. Each time: the
# program exits within a second (a zombie has exited: its parent, the tmux
# server, may be gone), uses no CPU after the hangup while it is still
# there, and every field that was left is in the draft (sqlite3), as is the
# field being typed when its text had reached the screen.
#
# Long form: 50 sessions. Short form (tests/cli/test_rel_hangup.sh): 5.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$REL_DIR/../cli/ui.bash"
SESSIONS=${SESSIONS:-50}
SEED=${SEED:-$$}
RANDOM=$SEED
setup
# (a tmux server SIGKILLed leaves its socket behind)
trap 'ui_close; rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/trui$$"*; rm -rf "$WORK"' EXIT
run init
expect_status 0 "init for the hangup test"
echo "# seed $SEED (SEED=$SEED repeats this run)"

# wait_cur LABEL: polls until LABEL's line carries the current-field marker.
wait_cur() {
	local i=0
	while [ $i -lt 100 ]; do
		ui_screen | grep -qF -e ">*$1" -e "> $1" && return 0
		sleep 0.05
		i=$((i + 1))
	done
	echo "# screen while waiting for the field '$1':"
	ui_screen | sed 's/^/#   /'
	return 1
}

NAMES=(赵丽 钱进 孙红梅 李建华 周小川 吴敏 郑爽 王立新 冯雪 陈志强 褚晓燕 卫国)
SCHOOLS=(东湾村小学 宁远堡镇中心小学 双湾镇九年制学校 新华幼儿园 红光小学)

# One form's steps: the keys of step i, the field current after it, and the
# draft values (key=value, space separated) that leaving it must have saved.
# Values with no spaces only.
steps() {
	local name=$1 id=$2 phone=$3 school=$4
	S_KEYS=() S_CUR=() S_SAVED=()
	# Tab passes 性别 and 出生日期, which the ID fills
	S_KEYS+=("type:$name Tab");                S_CUR+=(身份证号);   S_SAVED+=("name=$name")
	S_KEYS+=("type:$id Tab");                  S_CUR+=(民族);       S_SAVED+=("id_number=$id birth_date=${id:6:4}-${id:10:2}-${id:12:2}")
	S_KEYS+=("Tab Tab");                       S_CUR+=(手机号);     S_SAVED+=("ethnicity=汉族")
	S_KEYS+=("type:$phone Tab");               S_CUR+=(乡镇);       S_SAVED+=("phone=$phone")
	S_KEYS+=("Enter type:宁远 Enter");         S_CUR+=(村);         S_SAVED+=("township=宁远堡镇")
	S_KEYS+=("Enter type:东湾 Enter");         S_CUR+=(政治面貌);   S_SAVED+=("village=东湾村")
	S_KEYS+=("Tab");                           S_CUR+=(任教学校);   S_SAVED+=("political_status=群众")
	S_KEYS+=("type:$school Tab");              S_CUR+=(学段);       S_SAVED+=("school=$school")
	S_KEYS+=("Enter type:小学 Enter");         S_CUR+=(任教学科);   S_SAVED+=("stage=小学")
	S_KEYS+=("Tab Tab");                       S_CUR+=(用工类型);   S_SAVED+=("")
	S_KEYS+=("Enter type:在编 Enter");         S_CUR+=("教龄(年)"); S_SAVED+=("staffing=在编")
}
# The text fields, where half a value can be typed: what to type there, and
# the field's key.
declare -A PARTIAL=([姓名]=王 [身份证号]=620302 [手机号]=139 [任教学校]=新村 ["教龄(年)"]=17)
declare -A KEY_OF=([姓名]=name [身份证号]=id_number [手机号]=phone [任教学校]=school
	["教龄(年)"]=years_teaching)

# wait_line LABEL TEXT: polls until the current field LABEL shows TEXT.
wait_line() {
	local i=0
	while [ $i -lt 100 ]; do
		ui_screen | grep -F -e ">*$1" -e "> $1" | grep -qF -- "$2" && return 0
		sleep 0.05
		i=$((i + 1))
	done
	return 1
}

# send SPEC: sends one step's keys ("type:TEXT" is typed literally).
send() {
	local k
	for k in $1; do
		case $k in
		type:*) ui_type "${k#type:}" ;;
		*) ui_keys "$k" ;;
		esac
	done
}

draft_json() {
	sql "$DB" "SELECT vals FROM drafts WHERE login = 'root' AND form = 'rural_teacher'"
}

KILLS=(kill-server kill-session sigkill-tmux sighup sigterm)
slowest=0
for ((s = 1; s <= SESSIONS; s++)); do
	sql "$DB" "DELETE FROM drafts"
	name=${NAMES[RANDOM % ${#NAMES[@]}]}
	id=$(rel_id $((s * 7919 + RANDOM % 1000)))
	phone=139$(printf '%08d' $((RANDOM * 3 + s)))
	school=${SCHOOLS[RANDOM % ${#SCHOOLS[@]}]}
	steps "$name" "$id" "$phone" "$school"
	upto=$((RANDOM % (${#S_KEYS[@]} + 1)))
	mode=$((RANDOM % 4))	# 0 as is, 1 half a field shown, 2 keys in flight, 3 a list open
	how=${KILLS[RANDOM % ${#KILLS[@]}]}
	what="session $s (fields left: $upto, mode $mode, $how)"

	ui_open 80 24
	wait_for "五支人才队伍进度" || { _fail "$what: no home screen"; continue; }
	ui_keys n; wait_for "选择类别"; ui_type "教师"; wait_gone "科技特派员"; ui_keys Enter
	wait_cur "姓名" || { _fail "$what: the form did not open"; continue; }
	cur=姓名
	ok_steps=1
	for ((i = 0; i < upto; i++)); do
		send "${S_KEYS[i]}"
		if ! wait_cur "${S_CUR[i]}"; then
			ok_steps=0
			break
		fi
		cur=${S_CUR[i]}
	done
	[ "$ok_steps" = 1 ] || { _fail "$what: could not type the form"; continue; }
	partial=""
	case $mode in
	1)	if [ -n "${PARTIAL[$cur]:-}" ]; then
			partial=${PARTIAL[$cur]}
			ui_type "$partial"
			wait_line "$cur" "$partial" || { _fail "$what: '$partial' never showed"; partial=""; }
		fi ;;
	2)	# keys sent, the kill at once: what they did may or may not be saved
		[ $upto -lt ${#S_KEYS[@]} ] && send "${S_KEYS[upto]}" ;;
	3)	case $cur in
		乡镇|村|学段|用工类型|政治面貌|任教学科)
			ui_keys Enter; wait_for "选择：" ;;
		esac ;;
	esac

	pid=$UI_PID
	server=$(_tmux display-message -p '#{pid}' 2>/dev/null)
	t0=$(cpu_ticks "$pid")
	start=$(date +%s%N)
	case $how in
	kill-server) _tmux kill-server ;;
	kill-session) _tmux kill-session -t ui ;;
	sigkill-tmux) kill -KILL "$server" ;;
	sighup) kill -HUP "$pid" ;;
	sigterm) kill -TERM "$pid" ;;
	esac
	last=$t0
	while ! gone "$pid"; do
		t=$(cpu_ticks "$pid") && last=$t
		[ $(($(date +%s%N) - start)) -gt 1500000000 ] && break
		sleep 0.02
	done
	ms=$((($(date +%s%N) - start) / 1000000))
	if gone "$pid"; then
		[ "$ms" -gt "$slowest" ] && slowest=$ms
		if [ "$ms" -le 1000 ]; then _ok "$what: exits in $ms ms"; else
			_fail "$what: exits only after $ms ms"
		fi
	else
		_fail "$what: still running 1.5 s after the hangup"
		kill -KILL "$pid" 2>/dev/null
	fi
	used=$((${last:-0} - ${t0:-0}))
	# Saving the draft and closing take a few ticks; a spinning loop takes them all.
	if [ "$used" -le 10 ]; then _ok "$what: $used ticks of CPU after the hangup"; else
		_fail "$what: $used ticks of CPU after the hangup"
	fi

	draft=$(draft_json)
	missing=""
	for ((i = 0; i < upto; i++)); do
		for kv in ${S_SAVED[i]}; do
			k=${kv%%=*} v=${kv#*=}
			got=$(sql "$DB" "SELECT json_extract(vals, '\$.$k') FROM drafts WHERE login = 'root' AND form = 'rural_teacher'")
			[ "$got" = "$v" ] || missing="$missing $kv(got '$got')"
		done
	done
	if [ -n "$partial" ]; then
		k=${KEY_OF[$cur]}
		got=$(sql "$DB" "SELECT json_extract(vals, '\$.$k') FROM drafts WHERE login = 'root' AND form = 'rural_teacher'")
		[ "$got" = "$partial" ] || missing="$missing $k=$partial(being typed; got '$got')"
	fi
	if [ -z "$missing" ]; then _ok "$what: every field left is in the draft"; else
		_fail "$what: the draft lacks$missing: $draft"
	fi
	ui_close
done
_ok "the slowest exit after a hangup took $slowest ms"
check_db "$DB" "after the hangups"
