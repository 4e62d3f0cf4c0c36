#!/usr/bin/env python3
"""The attacker of ImageCleanerRaceTest: swaps two directory entries (a user's ~/.aws and a symbolic link to
root's /root/.aws) with one renameat2(RENAME_EXCHANGE), over and over, as fast as it can, until the file STOP
exists; prints how many swaps it made. Exactly the race of issue 21 (there timed by inotify; here continuous)."""
import ctypes
import os
import sys

AT_FDCWD = -100
RENAME_EXCHANGE = 2

libc = ctypes.CDLL(None, use_errno=True)
first, second, stop = sys.argv[1].encode(), sys.argv[2].encode(), sys.argv[3]
swaps = 0
while not os.path.exists(stop):
    for _ in range(64):
        if libc.renameat2(AT_FDCWD, first, AT_FDCWD, second, RENAME_EXCHANGE) != 0:
            sys.stderr.write("renameat2: %s\n" % os.strerror(ctypes.get_errno()))
            sys.exit(1)
        swaps += 1
print(swaps)
