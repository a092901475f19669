#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Print the kernel uevents of one subsystem, one line each.

usage: uevents.py SUBSYSTEM SECONDS

Listens on the kernel's uevent netlink socket (NETLINK_KOBJECT_UEVENT,
multicast group 1) and prints "ACTION NAME DEVTYPE=..." for each event of
SUBSYSTEM, NAME being the last component of DEVPATH, until SECONDS have
passed or it is killed.  It prints "ready" once it listens, so that a
caller can wait for that before it makes the events.
"""
import os
import select
import socket
import sys
import time

NETLINK_KOBJECT_UEVENT = 15


def main():
    subsystem, seconds = sys.argv[1].encode(), float(sys.argv[2])
    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_DGRAM,
                         NETLINK_KOBJECT_UEVENT)
    sock.bind((0, 1))
    print("ready", flush=True)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        ready, _, _ = select.select([sock], [], [], 0.1)
        if not ready:
            continue
        fields = sock.recv(65536).split(b"\0")
        env = dict(f.split(b"=", 1) for f in fields[1:] if b"=" in f)
        if env.get(b"SUBSYSTEM") != subsystem:
            continue
        name = env.get(b"DEVPATH", b"").rsplit(b"/", 1)[-1].decode()
        print(env.get(b"ACTION", b"").decode(), name,
              "DEVTYPE=" + env.get(b"DEVTYPE", b"").decode(), flush=True)


if __name__ == "__main__":
    try:
        main()
    except BrokenPipeError:
        # the caller stopped reading: that is how it says it is done
        os._exit(0)
