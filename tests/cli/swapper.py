#!/usr/bin/env python3
"""swapper.py DIR TARGET SECONDS - an attacker's watcher, for test_security.sh.

For SECONDS (or until DIR/stop appears), whenever a new entry appears in DIR,
or in a folder made in DIR, it is replaced at once by a symbolic link to
TARGET (the live database): a program that then opened, truncated, renamed
or removed that name again, with a privilege the attacker lacks, would act
on the database. Watches with inotify, as a real attacker would, to win the
race on the first try. Prints how many entries it swapped.
"""
import ctypes
import os
import select
import struct
import sys
import time

IN_CREATE, IN_MOVED_TO = 0x100, 0x80
libc = ctypes.CDLL(None, use_errno=True)


def main():
    folder, target, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
    fd = libc.inotify_init1(os.O_NONBLOCK)
    if fd < 0:
        sys.exit("inotify_init1 failed")
    watches = {}

    def watch(path):
        wd = libc.inotify_add_watch(fd, path.encode(), IN_CREATE | IN_MOVED_TO)
        if wd >= 0:
            watches[wd] = path

    def swap(path):
        if os.path.islink(path):
            return 0  # one of ours
        if os.path.isdir(path):
            watch(path)  # a private folder: swap what is made in it too
            return sum(swap(os.path.join(path, n)) for n in os.listdir(path))
        try:
            os.unlink(path)
            os.symlink(target, path)
            return 1
        except OSError:
            return 0

    watch(folder)
    swapped = 0
    end = time.time() + seconds
    stop = os.path.join(folder, "stop")
    while time.time() < end and not os.path.exists(stop):
        ready, _, _ = select.select([fd], [], [], 0.05)
        if not ready:
            continue
        try:
            data = os.read(fd, 65536)
        except BlockingIOError:
            continue
        i = 0
        while i + 16 <= len(data):
            wd, _mask, _cookie, length = struct.unpack_from("iIII", data, i)
            name = data[i + 16:i + 16 + length].split(b"\0", 1)[0].decode(errors="replace")
            i += 16 + length
            if wd in watches and name and name != "stop":
                swapped += swap(os.path.join(watches[wd], name))
    print(swapped)


if __name__ == "__main__":
    main()
