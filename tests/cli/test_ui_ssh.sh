# test_ui_ssh.sh - the screens over a real SSH connection, as the officers
# use them: a private sshd on a high port of localhost (its own host key, an
# authorized key made for the test), `ssh -tt` in tmux as the officer's
# terminal, and PuTTY's and xterm's keys sent through it, one arrow with its
# bytes 100 ms apart. Skipped (counted as skipped) where no sshd can run.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ui.bash"
setup
SSHD_PID=
trap 'ui_close; [ -n "$SSHD_PID" ] && kill "$SSHD_PID" 2>/dev/null; rm -rf "$WORK"' EXIT

skip_all() {
	_skip "the screens over ssh -tt" "$1"
	exit 0
}
SSHD=/usr/sbin/sshd
[ -x "$SSHD" ] || skip_all "no sshd here (make deps installs openssh-server)"
command -v ssh >/dev/null && command -v ssh-keygen >/dev/null || skip_all "no ssh client"
[ "$(id -u)" = 0 ] || skip_all "a private sshd that logs a user in needs root"
mkdir -p /run/sshd 2>/dev/null && chmod 755 /run/sshd 2>/dev/null
[ -d /run/sshd ] || skip_all "sshd's privilege separation folder /run/sshd cannot be made"

run init
expect_status 0 "init for the screens"
ssh-keygen -q -t ed25519 -N '' -f "$WORK/host_key" || skip_all "ssh-keygen failed"
ssh-keygen -q -t ed25519 -N '' -f "$WORK/user_key" || skip_all "ssh-keygen failed"
cp "$WORK/user_key.pub" "$WORK/authorized_keys"
chmod 600 "$WORK/authorized_keys"
# a free high port: sshd is asked for one after another until one binds
for port in $(shuf -i 20000-60000 -n 10); do
	cat >"$WORK/sshd_config" <<CONF
Port $port
ListenAddress 127.0.0.1
HostKey $WORK/host_key
PidFile $WORK/sshd.pid
AuthorizedKeysFile $WORK/authorized_keys
StrictModes no
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
UsePAM no
PermitUserEnvironment no
AcceptEnv LANG LC_*
CONF
	"$SSHD" -D -e -f "$WORK/sshd_config" 2>"$WORK/sshd.log" &
	SSHD_PID=$!
	i=0
	while [ $i -lt 40 ] && ! grep -q "Server listening" "$WORK/sshd.log" && kill -0 "$SSHD_PID" 2>/dev/null; do
		sleep 0.05; i=$((i + 1))
	done
	grep -q "Server listening" "$WORK/sshd.log" && break
	kill "$SSHD_PID" 2>/dev/null
	SSHD_PID=
done
[ -n "$SSHD_PID" ] || skip_all "sshd would not start: $(head -3 "$WORK/sshd.log" | tr '\n' ' ')"

SSH="ssh -tt -p $port -i $WORK/user_key -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o BatchMode=yes"
if ! $SSH "$(id -un)@127.0.0.1" true </dev/null >/dev/null 2>&1; then
	skip_all "sshd does not let the test log in: $(tail -3 "$WORK/sshd.log" | tr '\n' ' ')"
fi

# the officer's terminal: ssh in tmux, the program at the other end
_tmux kill-server 2>/dev/null
_tmux new-session -d -s ui -x 80 -y 24 \
	"exec $SSH $(id -un)@127.0.0.1 env TERM=xterm LANG=C.UTF-8 TALENTREG_CONFIG='$TALENTREG_CONFIG' TALENTREG_TODAY='$TALENTREG_TODAY' '$TR'"
expect_screen "五支人才队伍进度" "over ssh -tt the home screen shows" 10
ui_keys n; wait_for "选择类别"; ui_type "教师"; wait_gone "科技特派员"; ui_keys Enter
expect_screen "新登记：乡村教师" "a form opens over ssh"
name_is() { echo "^>\*姓名 +$1 *\$"; }
ui_type "bc"; ui_hex 1b 5b 31 7e; ui_type "a"
expect_line "$(name_is abc)" "PuTTY's Home (ESC [1~) through ssh"
ui_hex 1b 4f 46; ui_type "d"
expect_line "$(name_is abcd)" "xterm's End (ESC OF) through ssh"
ui_hex 1b 5b 48; ui_hex 1b 5b 33 7e
expect_line "$(name_is bcd)" "ESC [H, then PuTTY's Delete through ssh"
ui_hex 1b; sleep 0.1; ui_hex 5b; sleep 0.1; ui_hex 43; ui_type "-"
expect_line "$(name_is b-cd)" "→ with its bytes 100 ms apart through ssh"
ui_hex 1b 5b 36 7e
expect_line '^>\*教龄' "PgDn (ESC [6~) through ssh"
if ui_screen | grep -q "离开表单吗"; then _fail "a key acted as Esc over ssh"; else _ok "no key acted as Esc over ssh"; fi
ui_keys Escape
expect_screen "离开表单吗" "Esc alone still asks before leaving, over ssh"
ui_type y
wait_for "五支人才队伍进度"
ui_keys q
i=0; while [ $i -lt 100 ] && _tmux has-session -t ui 2>/dev/null; do sleep 0.05; i=$((i + 1)); done
if _tmux has-session -t ui 2>/dev/null; then _fail "q does not end the ssh session"; else _ok "q ends the program and the ssh session"; fi
