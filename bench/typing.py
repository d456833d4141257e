#!/usr/bin/env python3
"""Bytes sent to the terminal for one typed character in a form field.

usage: typing.py talentreg TALENTREG [ARGS...]
       typing.py dialog

Starts the program in a tmux server of its own (-L, an empty
configuration, an 80x24 window, LANG=C.UTF-8), brings it to a form's first
text field and, once the screen is still, copies what the program writes to
its terminal into a file with `tmux pipe-pane -o` around one `send-keys -l`
of a character: first "a", then "王" (after the "a"). Prints one line per
character: `<label> <bytes>`. talentreg: from the home screen, n, type 教师
to filter the categories, Enter opens the 乡村教师 form, whose first field is
the name (TALENTREG_CONFIG must name a configuration whose database exists).
dialog: `dialog --form` with two fields, the cursor in the first.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time

SOCK = "trbench%d" % os.getpid()


def tmux(*args, check=True):
    return subprocess.run(["tmux", "-u", "-L", SOCK, "-f", "/dev/null"] + list(args),
                          check=check, capture_output=True, text=True).stdout


def screen():
    return tmux("capture-pane", "-p", "-t", "b", check=False)


def wait_for(text, seconds=20):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if text in screen():
            return
        time.sleep(0.02)
    raise SystemExit("typing.py: %r never shown; the screen:\n%s" % (text, screen()))


def settle(seconds=0.3):
    """Waits until the screen has not changed for `seconds`."""
    last, since = screen(), time.monotonic()
    while time.monotonic() - since < seconds:
        time.sleep(0.05)
        now = screen()
        if now != last:
            last, since = now, time.monotonic()


def bytes_for(ch, shown, out):
    """Types ch with the pane's output piped into out; waits until `shown`
    is on the screen and the screen is still; returns the bytes written."""
    settle()
    if os.path.exists(out):
        os.unlink(out)
    tmux("pipe-pane", "-o", "-t", "b", "cat > '%s'" % out)
    time.sleep(0.2)
    tmux("send-keys", "-t", "b", "-l", ch)
    wait_for(shown)
    settle()
    tmux("pipe-pane", "-t", "b")
    time.sleep(0.2)
    return os.path.getsize(out) if os.path.exists(out) else 0


def main():
    who = sys.argv[1]
    tmp = tempfile.mkdtemp(prefix="trbench.")
    env = "env LANG=C.UTF-8 LC_ALL=C.UTF-8"
    try:
        if who == "talentreg":
            cmd = " ".join("'%s'" % a for a in sys.argv[2:])
            tmux("new-session", "-d", "-s", "b", "-x", "80", "-y", "24", "%s %s" % (env, cmd))
            wait_for("退出")
            tmux("send-keys", "-t", "b", "n")
            wait_for("选择类别")
            tmux("send-keys", "-t", "b", "-l", "教师")
            settle()
            tmux("send-keys", "-t", "b", "Enter")
            wait_for("新登记：乡村教师")
            marker = ">"
        else:
            tmux("new-session", "-d", "-s", "b", "-x", "80", "-y", "24",
                 "%s dialog --form 基准测试 12 50 2 姓名: 1 1 '' 1 10 20 0 学校: 2 1 '' 2 10 20 0"
                 % env)
            wait_for("姓名")
            marker = "姓名"
        wait_for(marker)
        print("ascii %d" % bytes_for("a", "a", os.path.join(tmp, "a.out")))
        print("chinese %d" % bytes_for("王", "a王", os.path.join(tmp, "c.out")))
    finally:
        tmux("kill-server", check=False)
        shutil.rmtree(tmp, ignore_errors=True)


main()
