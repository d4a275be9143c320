#!/usr/bin/env python3
"""replay-desk.py — a past sitting replayed on the desk, a kiosk following it, read
from outside (issue 9).

`rollcall --replay ARCHIVE --bind 127.0.0.1 --port P` (the replay desk) on an X
server of its own, driven only by its documented keys (xdotool), and a kiosk
(`rollcall --kiosk --feed http://127.0.0.1:P`) on another, as a rehearsal runs:

- Ctrl+P pauses; Ctrl+Page Down goes to the next vote (VOTING OPEN on the kiosk);
- Ctrl+J jumps to the selected vote's result: ADOPTED on the kiosk;
- Ctrl+E exports the vote's per-member record, which equals the official record
  (../shared/data/votes/a-res-es-11-1.csv) member by member;
- Ctrl+Page Up goes back to the vote's opening: the kiosk rewinds (no result);
- Ctrl+O, a search, Return: the Security Council's meeting of 25 February 2022 in its
  place, without a restart; its result NOT ADOPTED on the kiosk, and its record equal
  to ../shared/data/votes/s-2022-155.csv.

usage: replay-desk.py ROLLCALL ARCHIVE XVFB IMPORT TESSERACT OPENBOX XDOTOOL
(the official records from $ROLLCALL_SHARED_DATA, ../shared/data)

Python 3, standard library.
"""
import csv
import os
import socket
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # (no __pycache__ in the source tree)
from hall import Desk, Screen, fail, log, wait_both


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def compare_record(ours, theirs):
    """Our export (code,name,choice) against the official record (iso3,name,…,vote)."""
    with open(ours, newline="") as f:
        got = {row[0]: row for row in list(csv.reader(f))[1:]}
    with open(theirs, newline="") as f:
        want = list(csv.reader(f))[1:]
    if len(got) != len(want):
        fail(f"{ours}: {len(got)} members, the record has {len(want)}")
    letters = {"yes": "Y", "no": "N", "abstain": "A", "not-voting": "X", "no-right": "X"}
    for row in want:
        code, name, vote = row[0], row[1], row[-1]
        if code not in got:
            fail(f"{ours}: {code} ({name}) is missing")
        if got[code][1] != name or letters.get(got[code][2]) != vote:
            fail(f"{ours}: {code}: {got[code][1:]} where the record says {name!r}, {vote}")


def export(desk, path):
    desk.key("ctrl+e")
    time.sleep(1.5)  # the file chooser
    desk.key("ctrl+a")
    desk.type(path)
    desk.key("Return")
    deadline = time.monotonic() + 15
    while not os.path.exists(path):
        if time.monotonic() > deadline:
            fail(f"Ctrl+E wrote no {path}: {desk.log()!r}")
        time.sleep(0.1)
    time.sleep(0.5)


def main():
    if len(sys.argv) != 8:
        print(__doc__, file=sys.stderr)
        return 2
    rollcall, archive, xvfb, importer, tesseract, openbox, xdotool = sys.argv[1:]
    shared = os.environ.get("ROLLCALL_SHARED_DATA", "")
    if not os.path.isdir(os.path.join(shared, "votes")):
        fail(f"no official records in {shared!r} (ROLLCALL_SHARED_DATA)")
    with tempfile.TemporaryDirectory() as folder:
        port = free_port()
        desk = kiosk = None
        try:
            desk = Desk(xvfb, rollcall, openbox, xdotool,
                        ["--replay", archive, "--session", "2022-03-02", "--bind", "127.0.0.1",
                         "--port", str(port)], folder)
            kiosk = Screen(xvfb, rollcall, importer, f"http://127.0.0.1:{port}", folder,
                           "kiosk")
            screens = [kiosk]
            words = lambda s: s.text(folder, tesseract)

            desk.key("ctrl+p")
            desk.key("ctrl+Next")
            wait_both(screens, "Ctrl+Page Down: the vote open", lambda s: " VOTING OPEN " in words(s))
            desk.key("ctrl+j")
            wait_both(screens, "Ctrl+J: its result", lambda s: " ADOPTED " in words(s)
                      and " 141 " in words(s))

            ga = os.path.join(folder, "a-res-es-11-1.csv")
            export(desk, ga)
            compare_record(ga, os.path.join(shared, "votes", "a-res-es-11-1.csv"))
            log("Ctrl+E: the record equals the official one, member by member")

            desk.key("ctrl+Prior")
            wait_both(screens, "Ctrl+Page Up: rewound to the opening",
                      lambda s: " VOTING OPEN " in words(s) and " ADOPTED " not in words(s))

            # Another sitting of the archive, without a restart.
            desk.key("ctrl+o")
            desk.wait_window("Sessions")
            time.sleep(0.5)
            desk.type("2022-02-25")
            time.sleep(0.5)
            desk.key("Return")
            desk.wait_window("Sessions", shown=False)
            time.sleep(2.0)
            desk.key("ctrl+p")  # (it plays from the start: pause it there)
            desk.key("ctrl+Next")
            # (the desk selects the vote once its own feed has brought it, a few ms later)
            time.sleep(3.0)
            desk.key("ctrl+j")
            wait_both(screens, "the Security Council's draft, its result",
                      lambda s: " NOT ADOPTED " in words(s))
            sc = os.path.join(folder, "s-2022-155.csv")
            export(desk, sc)
            compare_record(sc, os.path.join(shared, "votes", "s-2022-155.csv"))
            log("the second sitting's record equals the official one too")
        finally:
            for p in (kiosk, desk):
                if p is not None:
                    p.stop()
    log("replayed, stepped, jumped, rewound, switched sitting and exported from the keys; "
        "the kiosk followed every step")
    return 0


if __name__ == "__main__":
    sys.exit(main())
