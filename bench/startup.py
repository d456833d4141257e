#!/usr/bin/env python3
"""Start-to-home-screen time: runs a program in a pseudo-terminal of 80x24
and measures the time until a marker text has been written to the terminal,
then sends a key to quit. Also reports the program's peak memory (its
maximum resident set size, from wait4). Prints the median of N runs.

usage: startup.py RUNS MARKER QUIT-KEY -- COMMAND [ARGS...]

bench/bench.py imports measure() from here.
"""
import fcntl
import os
import pty
import select
import statistics
import struct
import sys
import termios
import time


def once(cmd, marker, quit_key):
    """Runs cmd once; returns (seconds to marker or None, bytes seen,
    peak RSS in KB)."""
    pid, fd = pty.fork()
    if pid == 0:
        os.environ.setdefault("LANG", "C.UTF-8")
        os.environ["TERM"] = os.environ.get("BENCH_TERM", "xterm-256color")
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        os.execvp(cmd[0], cmd)
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
    try:
        os.write(fd, quit_key)
        while os.read(fd, 65536):
            pass
    except OSError:
        pass
    _, _, usage = os.wait4(pid, 0)
    os.close(fd)
    return elapsed, len(seen), usage.ru_maxrss


def measure(runs, marker, quit_key, cmd):
    """Returns (times in ms, peak RSS in KB), one of each per run; raises
    RuntimeError when the marker never shows."""
    times, rss = [], []
    for _ in range(runs):
        t, _, kb = once(cmd, marker, quit_key)
        if t is None:
            raise RuntimeError("marker %r never seen: %s" % (marker, " ".join(cmd)))
        times.append(t * 1000)
        rss.append(kb)
    return times, rss


def main():
    runs, marker, quit_key = int(sys.argv[1]), sys.argv[2].encode(), sys.argv[3].encode()
    cmd = sys.argv[sys.argv.index("--") + 1:]
    try:
        times, rss = measure(runs, marker, quit_key, cmd)
    except RuntimeError as e:
        print(e, file=sys.stderr)
        sys.exit(1)
    print("%.1f ms median of %d (min %.1f, max %.1f); peak RSS %.1f MB" % (
        statistics.median(times), runs, min(times), max(times), max(rss) / 1024))


if __name__ == "__main__":
    main()
