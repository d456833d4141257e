#!/usr/bin/env python3
"""Start-to-home-screen time: runs a program in a pseudo-terminal of 80x24
and measures the time until a marker text has been written to the terminal,
then sends a key to quit. Prints the median of N runs in milliseconds.

usage: startup.py RUNS MARKER QUIT-KEY -- COMMAND [ARGS...]
"""
import os, pty, select, statistics, struct, sys, time, fcntl, termios, signal

def once(cmd, marker, quit_key):
    pid, fd = pty.fork()
    if pid == 0:
        os.environ.setdefault("LANG", "C.UTF-8")
        os.environ["TERM"] = os.environ.get("BENCH_TERM", "xterm-256color")
        os.execvp(cmd[0], cmd)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    t0 = time.monotonic()
    seen = b""
    elapsed = None
    while True:
        r, _, _ = select.select([fd], [], [], 10)
        if not r:
            break
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        seen += data
        if marker in seen:
            elapsed = time.monotonic() - t0
            break
    os.write(fd, quit_key)
    try:
        while os.read(fd, 65536):
            pass
    except OSError:
        pass
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return elapsed, len(seen)

def main():
    runs, marker, quit_key = int(sys.argv[1]), sys.argv[2].encode(), sys.argv[3].encode()
    cmd = sys.argv[sys.argv.index("--") + 1:]
    times = []
    for _ in range(runs):
        t, n = once(cmd, marker, quit_key)
        if t is None:
            print("marker never seen", file=sys.stderr)
            sys.exit(1)
        times.append(t * 1000)
    print("%.1f ms median of %d (min %.1f, max %.1f)" % (statistics.median(times), runs, min(times), max(times)))

main()
