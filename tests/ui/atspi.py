#!/usr/bin/python3
"""atspi.py — the board and the desk as a screen reader reads them (issue 11).

Each run of `rollcall` is on an X server and a D-Bus session bus of its own, with
GTK's AT-SPI bridge on; this script reads the accessibility tree from outside the
process, as Orca would, through pyatspi (python3-pyatspi, which ./run installs):

- the board of A/RES/ES-11/1 at its end: one list item per member, each named with
  the member and its vote, and the votes equal to the official record in
  ../shared/data (not the project's copy); the counts, the rule, the verdict;
- the same board in French and in Arabic: 193 items in the board's language, in the
  board's order (its first name is the one the UN's list starts with);
- the vote replayed from its start: the changes of state (open, closed, adopted) reach
  the reader as events, in order, on a status node;
- every control of the board's window and of the operator's desk (and each row of the
  desk's rundown) has a name that is not GTK's type name, not doubled, and without a
  mnemonic's underscore.

usage: atspi.py ROLLCALL DEMO-ARCHIVE XVFB

The environment is the test suite's (ROLLCALL_DATA_PATH, GSETTINGS_SCHEMA_DIR,
ROLLCALL_SHARED_DATA, …); the accessibility settings it turns off are turned on here.
"""
import csv
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # (no __pycache__ in the source tree)
from hall import fail, log, start_xvfb, stop_all

VOTE = "A/RES/ES-11/1"
ENGLISH = {"Y": "yes", "N": "no", "A": "abstained", "X": "did not vote"}
# What a control is, to a screen reader: each must have a name of its own.
CONTROLS = {"push button", "toggle button", "check box", "radio button", "combo box",
            "slider", "spin button", "text", "menu item", "check menu item",
            "radio menu item", "page tab", "password text", "switch", "list item",
            "entry"}
# (GTK's own parts, a scroll bar or a paned's handle, are not controls here: GTK names
# them.)


class Session:
    """An X server, a session bus (the AT-SPI bus is started on it on demand), and
    rollcall on them; pyatspi reads the tree through the same bus."""

    def __init__(self, xvfb, folder):
        self.folder = folder
        self.app = self.bus = None
        self.xvfb, display = start_xvfb(xvfb, "atspi")
        runtime = os.path.join(folder, "runtime")
        os.mkdir(runtime, 0o700)
        # The bus and what it starts on demand (the AT-SPI bus and its registry) in a
        # process group of their own, stopped together.
        self.bus = subprocess.Popen(
            ["dbus-daemon", "--session", "--nofork", "--print-address=1"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
            start_new_session=True, env=dict(os.environ, XDG_RUNTIME_DIR=runtime))
        address = self.bus.stdout.readline().strip()
        if not address:
            self.stop()
            fail("dbus-daemon gave no address")
        self.env = dict(os.environ, DISPLAY=display, DBUS_SESSION_BUS_ADDRESS=address,
                        XDG_RUNTIME_DIR=runtime, GTK_A11Y="atspi", GDK_BACKEND="x11")
        self.env.pop("NO_AT_BRIDGE", None)
        self.env.pop("WAYLAND_DISPLAY", None)
        # pyatspi finds the AT-SPI bus through the session bus of this process.
        os.environ.update(DISPLAY=display, DBUS_SESSION_BUS_ADDRESS=address,
                          XDG_RUNTIME_DIR=runtime)

    def start(self, args, name):
        self.log_path = os.path.join(self.folder, name + ".log")
        self.app = subprocess.Popen(args, env=self.env, stdout=subprocess.DEVNULL,
                                    stderr=open(self.log_path, "w"))

    def stop_app(self):
        stop_all(self.app)
        self.app = None

    def log(self):
        with open(self.log_path) as f:
            return f.read()[-2000:]

    def stop(self):
        stop_all(self.app)
        if self.bus is not None:
            try:
                os.killpg(self.bus.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            stop_all(self.bus)
        stop_all(self.xvfb)


def import_pyatspi():
    try:
        import pyatspi  # noqa: F401 (after the bus's address is in the environment)
    except ImportError as e:
        fail(f"pyatspi cannot be imported ({e}): ./run installs python3-pyatspi")
    import pyatspi
    return pyatspi


def find_app(pyatspi, session, timeout=60.0):
    """This run's application node (by its process id), once its window is in the
    tree."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if session.app.poll() is not None:
            fail(f"rollcall exited ({session.app.returncode}): {session.log()!r}")
        desktop = pyatspi.Registry.getDesktop(0)
        for i in range(desktop.childCount):
            try:
                app = desktop.getChildAtIndex(i)
                if (app is not None and app.get_process_id() == session.app.pid
                        and app.childCount > 0):
                    return app
            except Exception:  # an application gone while being read
                continue
        time.sleep(0.2)
    fail(f"rollcall did not appear in the accessibility tree in {timeout:.0f} s")


class Gone(Exception):
    """A node went away while the tree was read: read it again."""


def walk(node, depth=0):
    """(depth, role, name, node) of node and all below it, in the tree's order."""
    try:
        out = [(depth, node.getRoleName(), node.name or "", node)]
        children = [node.getChildAtIndex(i) for i in range(node.childCount)]
    except Exception as e:
        raise Gone(str(e))
    for child in children:
        if child is not None:
            out.extend(walk(child, depth + 1))
    return out


def read_tree(app, tries=5):
    """The whole tree, read again if a node went away while it was read (a board
    renaming its nodes as a vote goes on)."""
    for attempt in range(tries):
        try:
            return walk(app)
        except Gone as e:
            last = e
            time.sleep(0.2)
    fail(f"the tree could not be read whole in {tries} tries: {last}")


def members_list(nodes):
    """The list of members (the board's) and its items' names."""
    lists = [n for (_, role, _, n) in nodes if role == "list"]
    for node in lists:
        items = [c for c in (node.getChildAtIndex(i) for i in range(node.childCount))
                 if c is not None and c.getRoleName() == "list item"]
        if len(items) > 20:
            return node, [c.name for c in items]
    return None, []


def wait_members(pyatspi, session, want=193, timeout=60.0):
    """The tree once the board lists want members (the replay's session loaded)."""
    app = find_app(pyatspi, session)
    deadline = time.monotonic() + timeout
    while True:
        nodes = read_tree(app)
        _, names = members_list(nodes)
        if len(names) == want:
            return app, nodes, names
        if time.monotonic() > deadline:
            fail(f"the board lists {len(names)} members, not {want}, after {timeout:.0f} s")
        time.sleep(0.3)


def official_record():
    shared = os.environ.get("ROLLCALL_SHARED_DATA", "")
    path = os.path.join(shared, "votes", "a-res-es-11-1.csv")
    if not os.path.isfile(path):
        fail(f"no official record at {path!r} (ROLLCALL_SHARED_DATA)")
    with open(path, newline="", encoding="utf-8") as f:
        return {row["name"]: row["vote"] for row in csv.DictReader(f)}


# Buttons a reader lands on: each also says what it does (its tooltip, which GTK gives
# as the accessible description).
BUTTONS = {"push button", "toggle button", "check box"}


def check_controls(pyatspi, nodes, where):
    """Every control named, by us: not GTK's type name, not said twice, no '_'; every
    button described."""
    bad, undescribed = [], []
    for depth, role, name, node in nodes:
        if role not in CONTROLS:
            continue
        try:
            if not node.getState().contains(pyatspi.STATE_SHOWING):
                continue
            description = node.description or ""
        except Exception:  # a node gone: read again by the caller's next tree
            continue
        words = name.split(" ")
        half = len(words) // 2
        if (not name.strip() or re.fullmatch(r"(Gtk|Adw)\w+", name)
                or (len(words) % 2 == 0 and half > 0 and words[:half] == words[half:])
                or re.search(r"(^|\s)_\w", name)):
            bad.append(f"{role} {name!r}")
        elif role in BUTTONS and not description.strip():
            undescribed.append(f"{role} {name!r}")
    if bad:
        fail(f"{where}: controls a screen reader cannot name: {', '.join(bad)}")
    if undescribed:
        fail(f"{where}: buttons without a tooltip: {', '.join(undescribed)}")
    log(f"{where}: {sum(1 for n in nodes if n[1] in CONTROLS)} controls, each named, "
        f"each button described")


def board_at_end(pyatspi, session, rollcall, archive, record):
    session.start([rollcall, "--replay", archive, "--vote", VOTE, "--at", "end",
                   "--board-language", "en"], "board-en")
    app, nodes, names = wait_members(pyatspi, session)
    seen = {}
    for item in names:
        member, _, vote = item.rpartition(": ")
        seen[member] = vote
    wrong = []
    for member, code in record.items():
        got = seen.get(member)
        want = ENGLISH[code]
        # Venezuela had lost its vote under Article 19 (arrears): the board says so.
        if got != want and not (member.startswith("Venezuela") and code == "X"
                                and got == "without the right to vote"):
            wrong.append(f"{member}: {got!r} (the record: {want!r})")
    if wrong or len(seen) != len(record):
        fail(f"{len(wrong)} members read wrong: {'; '.join(wrong[:10])}")
    log(f"193 members read, each with its vote as recorded")

    labels = [name for (_, role, name, _) in nodes if role == "label"]
    for want in ("Yes: 141", "No: 5", "Abstentions: 35"):
        if want not in labels:
            fail(f"no count {want!r} among the board's labels {labels[:20]!r}")
    if not any(label.startswith("ADOPTED") for label in labels):
        fail(f"no verdict ADOPTED among {labels[:20]!r}")
    if not any(label.startswith("Required majority: 98") for label in labels):
        fail(f"no rule 'Required majority: 98' among {labels[:20]!r}")
    status = [name for (_, role, name, _) in nodes if role == "status bar"]
    if status != [f"{VOTE}: ADOPTED"]:
        fail(f"the board's status reads {status!r}")
    log("the counts, the rule, the verdict and the status read")
    check_controls(pyatspi, nodes, "the board's window")
    session.stop_app()


def board_in(pyatspi, session, rollcall, archive, language, first, germany):
    session.start([rollcall, "--replay", archive, "--vote", VOTE, "--at", "end",
                   "--board-language", language], "board-" + language)
    _, nodes, names = wait_members(pyatspi, session)
    if not names[0].startswith(first):
        fail(f"{language}: the first member read is {names[0]!r}, not {first!r}")
    if (not any(n.startswith(germany) for n in names)
            or any(n.startswith("Germany") for n in names)):
        fail(f"{language}: Germany is not read as {germany!r}: {names[:60]!r}")
    votes = {}
    for n in names:
        vote = re.split(r"\s*:\s*", n)[-1]
        votes[vote] = votes.get(vote, 0) + 1
    # yes, abstained, did not vote, no, and Venezuela without the right to vote
    counts = sorted(votes.values(), reverse=True)
    if counts != [141, 35, 11, 5, 1]:
        fail(f"{language}: the votes read {votes!r}")
    if "yes" in votes or "no" in votes:
        fail(f"{language}: votes read in English: {votes!r}")
    log(f"{language}: 193 members in the board's language, first {names[0]!r}, votes {votes}")
    session.stop_app()


def state_changes(pyatspi, session, rollcall, archive):
    """The vote replayed from 30 s before it opens, at 4×: the status node's new names,
    as a screen reader gets them (events, not reads)."""
    from gi.repository import GLib

    heard = []

    def on_name(event):
        try:
            if event.source.getRoleName() == "status bar":
                heard.append(str(event.any_data))
        except Exception:  # a node gone: its event says nothing to check
            return
        if heard and heard[-1].endswith("ADOPTED"):
            pyatspi.Registry.stop()

    def give_up():
        pyatspi.Registry.stop()
        return False

    # Listening before the board is up; then reading the tree, as a reader does (GTK
    # sends a node's changes once it has been read).
    pyatspi.Registry.registerEventListener(on_name, "object:property-change:accessible-name")
    session.start([rollcall, "--replay", archive, "--vote", VOTE, "--at", "30", "--speed", "4",
                   "--board-language", "en"], "board-replay")
    app, nodes, _ = wait_members(pyatspi, session)
    first = [name for (_, role, name, _) in nodes if role == "status bar"]
    GLib.timeout_add_seconds(90, give_up)
    pyatspi.Registry.start()
    pyatspi.Registry.deregisterEventListener(on_name, "object:property-change:accessible-name")
    states = [h.rpartition(": ")[2] for h in first + heard if h.startswith(VOTE)]
    order = ["NOT YET OPEN", "VOTING OPEN", "VOTING CLOSED", "ADOPTED"]
    positions = [states.index(s) if s in states else -1 for s in order]
    if -1 in positions or positions != sorted(positions):
        fail(f"the states read then heard: {states!r}; wanted {order!r} in that order")
    log(f"the state read, then heard as it changed: {states!r}")
    session.stop_app()


def desk(pyatspi, session, rollcall, archive):
    session.start([rollcall, "--console", "--replay", archive], "desk")
    app = find_app(pyatspi, session)
    deadline = time.monotonic() + 60
    while True:
        nodes = read_tree(app)
        if any(role == "list item" and VOTE in name for (_, role, name, _) in nodes):
            break
        if time.monotonic() > deadline:
            fail(f"the desk's rundown did not list {VOTE} in 60 s")
        time.sleep(0.3)
    time.sleep(1.0)
    check_controls(pyatspi, read_tree(app), "the desk")
    session.stop_app()


def main():
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    rollcall, archive, xvfb = sys.argv[1:]
    record = official_record()
    with tempfile.TemporaryDirectory() as folder:
        session = None
        try:
            session = Session(xvfb, folder)
            pyatspi = import_pyatspi()
            board_at_end(pyatspi, session, rollcall, archive, record)
            board_in(pyatspi, session, rollcall, archive, "fr", "Afghanistan", "Allemagne")
            board_in(pyatspi, session, rollcall, archive, "ar", "الاتحاد الروسي", "ألمانيا")
            state_changes(pyatspi, session, rollcall, archive)
            desk(pyatspi, session, rollcall, archive)
        finally:
            if session is not None:
                session.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
