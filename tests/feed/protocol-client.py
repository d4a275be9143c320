#!/usr/bin/env python3
# An independent client of the Rollcall feed's SSE transport, written from
# docs/feed-protocol.md and docs/events.md alone (not from Rollcall's code), to show
# that those documents are enough. Standard library only.
#
#   protocol-client.py URL [--drop-after N] [--drops K] [--timeout S]
#
# It subscribes to URL/v1/events, folds the snapshot and the events into its own
# state of the session, checks the framing, the sequence and the heartbeats, drops
# the connection on purpose after every N events (K times) and resumes with
# Last-Event-ID, and once the replay has ended (every vote announced or cancelled and
# a heartbeat saying nothing more was sent) compares its state with GET /v1/snapshot.
# Exit 0 when equal; otherwise, or on any protocol violation, one line and exit 1.

import argparse
import http.client
import json
import re
import socket
import sys
import time
import urllib.parse

TIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3}|\.\d{6})?Z$")
COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
EVENT_ID_RE = re.compile(r"^([^:]+):(\d+)$")
CHOICES = {"pending", "voted", "yes", "no", "abstain", "not-voting", "no-right"}
MAJORITIES = {"simple", "two-thirds", "council"}
REVEALS = {"live", "after-lock"}
SHOWS = {"vote", "blank", "holding"}
STATES = {"scheduled", "open", "locked", "announced", "cancelled"}
EVENT_TYPES = {"session", "vote-scheduled", "vote-opened", "ballot", "vote-locked",
               "vote-announced", "vote-corrected", "vote-cancelled", "on-air",
               "heartbeat"}
PALETTE_KEYS = ["background", "text", "dim-text", "cell", "yes", "no", "abstain",
                "not-voting", "pending", "hidden", "adopted", "not-adopted"]
STALE_AFTER = 6.0        # §5: silence after which a client is stale
MAX_MESSAGE = 1 << 20    # §8


class Violation(Exception):
    pass


class Dropped(Exception):
    """The connection ended (by the server or on purpose)."""


def fail(msg):
    raise Violation(msg)


# ---- strict decoding (events.md "What a decoder refuses") ----

def no_dup_pairs(pairs):
    obj = {}
    for k, v in pairs:
        if k in obj:
            fail(f"member {k!r} appears twice in an object")
        obj[k] = v
    return obj


def decode(data):
    if len(data.encode("utf-8")) > MAX_MESSAGE:
        fail("message over 1 MiB")
    if "\0" in data:
        fail("message holds a NUL")
    try:
        obj = json.loads(data, object_pairs_hook=no_dup_pairs)
    except ValueError as e:
        fail(f"not JSON: {e}")
    if not isinstance(obj, dict):
        fail("message is not a JSON object")
    if obj.get("v") != 1 or type(obj.get("v")) is not int:
        fail(f"unknown v: {obj.get('v')!r}")
    return obj


def req(obj, key, kind, what):
    if key not in obj or obj[key] is None:
        fail(f"{what}: field {key!r} is missing")
    v = obj[key]
    if kind == "int":
        if type(v) is not int or v < 0:
            fail(f"{what}: field {key!r} is not an integer >= 0")
    elif kind == "bool":
        if type(v) is not bool:
            fail(f"{what}: field {key!r} is not a boolean")
    elif kind == "str":
        if not isinstance(v, str):
            fail(f"{what}: field {key!r} is not a string")
    elif kind == "nestr":
        if not isinstance(v, str) or v == "":
            fail(f"{what}: field {key!r} is not a non-empty string")
    elif kind == "time":
        if not isinstance(v, str) or not TIME_RE.match(v):
            fail(f"{what}: field {key!r} is not a time: {v!r}")
    elif kind == "obj":
        if not isinstance(v, dict):
            fail(f"{what}: field {key!r} is not an object")
    elif kind == "list":
        if not isinstance(v, list):
            fail(f"{what}: field {key!r} is not an array")
    elif isinstance(kind, set):
        if v not in kind:
            fail(f"{what}: field {key!r}: unknown value {v!r}")
    return v


def opt_text(obj, key, what):
    """Optional text: null, missing or "" all read as absent (events.md)."""
    v = obj.get(key)
    if v is None or v == "":
        return None
    if not isinstance(v, str):
        fail(f"{what}: field {key!r} is not a string or null")
    return v


def opt_time(obj, key, what):
    if key not in obj:
        fail(f"{what}: field {key!r} is missing")
    if obj[key] is None:
        return None
    return req(obj, key, "time", what)


def norm_session(s, what):
    req(s, "id", "nestr", what + " session")
    date = req(s, "date", "str", what + " session")
    try:
        time.strptime(date, "%Y-%m-%d")
    except ValueError:
        fail(f"{what}: session.date is not a date: {date!r}")
    syn = s.get("synthesized", False)
    if type(syn) is not bool:
        fail(f"{what}: session.synthesized is not a boolean")
    return {"id": s["id"], "meeting": opt_text(s, "meeting", what),
            "date": date, "title": opt_text(s, "title", what),
            "timezone": opt_text(s, "timezone", what), "synthesized": syn}


def norm_chamber(c, what):
    w = what + " chamber"
    rules = req(c, "rules", "obj", w)
    pal = req(c, "palette", "obj", w)
    out_pal = {}
    for k in PALETTE_KEYS:
        v = req(pal, k, "str", w + " palette")
        if not COLOUR_RE.match(v):
            fail(f"{w}: palette {k!r} is not #rrggbb: {v!r}")
        out_pal[k] = v.lower()
    return {"id": req(c, "id", "nestr", w), "name": opt_text(c, "name", w),
            "body": opt_text(c, "body", w),
            "rules": {"majority": req(rules, "majority", MAJORITIES, w + " rules"),
                      "council_affirmative": req(rules, "council_affirmative", "int",
                                                 w + " rules"),
                      "concurrent_votes": req(rules, "concurrent_votes", "bool",
                                              w + " rules")},
            "palette": out_pal}


def norm_roster(r, what):
    if not r:
        fail(f"{what}: roster is empty")
    out, seen = [], set()
    for i, m in enumerate(r):
        w = f"{what} roster[{i}]"
        if not isinstance(m, dict):
            fail(f"{w} is not an object")
        code = req(m, "code", "nestr", w)
        if code in seen:
            fail(f"{what}: duplicate roster code {code!r}")
        seen.add(code)
        out.append({"code": code, "name": req(m, "name", "nestr", w),
                    "label": req(m, "label", "nestr", w),
                    "sort_key": req(m, "sort_key", "str", w),
                    "veto": req(m, "veto", "bool", w)})
    return out


def norm_official(o, what):
    if o is None:
        return None
    if not isinstance(o, dict):
        fail(f"{what}: official is not an object or null")
    out = {k: req(o, k, "int", what + " official")
           for k in ("yes", "no", "abstain", "not_voting")}
    nr = o.get("no_right", 0)
    if nr is None:
        nr = 0
    if type(nr) is not int or nr < 0:
        fail(f"{what}: official.no_right is not an integer >= 0")
    out["no_right"] = nr
    return out


# ---- the session state (the snapshot's form) ----

class State:
    def __init__(self):
        self.stream = None
        self.seq = 0
        self.time = None
        self.session = self.chamber = self.roster = None
        self.votes = []           # in scheduling order
        self.on_air = None

    def vote(self, vid, what):
        for v in self.votes:
            if v["vote"] == vid:
                return v
        fail(f"{what}: unknown vote {vid!r}")

    def codes(self):
        return {m["code"] for m in self.roster or []}

    def as_dict(self):
        return {"stream": self.stream, "seq": self.seq, "time": self.time,
                "session": self.session, "chamber": self.chamber,
                "roster": self.roster, "votes": self.votes, "on_air": self.on_air}

    # A snapshot replaces the whole state (§3), after the checks of §3.
    @staticmethod
    def from_snapshot(s):
        w = "snapshot"
        st = State()
        st.stream = req(s, "stream", "nestr", w)
        if ":" in st.stream:
            fail("snapshot: stream holds ':'")
        st.seq = req(s, "seq", "int", w)
        for k in ("time", "session", "chamber", "roster", "votes", "on_air"):
            if k not in s:
                fail(f"snapshot: field {k!r} is missing")
        if s["time"] is None:
            if st.seq != 0:
                fail("snapshot: time is null but seq is not 0")
        else:
            st.time = req(s, "time", "time", w)
        trio = [s["session"], s["chamber"], s["roster"]]
        if all(x is None for x in trio):
            if s["votes"] != []:
                fail("snapshot: votes without a session")
        elif any(x is None for x in trio):
            fail("snapshot: session, chamber and roster not all three set or null")
        else:
            req(s, "session", "obj", w)
            req(s, "chamber", "obj", w)
            req(s, "roster", "list", w)
            st.session = norm_session(s["session"], w)
            st.chamber = norm_chamber(s["chamber"], w)
            st.roster = norm_roster(s["roster"], w)
        codes = st.codes()
        for i, v in enumerate(req(s, "votes", "list", w)):
            vw = f"snapshot votes[{i}]"
            if not isinstance(v, dict):
                fail(f"{vw} is not an object")
            nv = new_vote(v, vw)
            if any(x["vote"] == nv["vote"] for x in st.votes):
                fail(f"{vw}: duplicate vote id {nv['vote']!r}")
            nv["state"] = req(v, "state", STATES, vw)
            for k in ("opened", "locked", "announced"):
                nv[k] = opt_time(v, k, vw)
            ballots = req(v, "ballots", "obj", vw)
            for code, ch in ballots.items():
                if code not in codes:
                    fail(f"{vw}: ballot of {code!r}, not on the roster")
                if ch not in CHOICES or ch == "pending":
                    fail(f"{vw}: ballot of {code!r}: bad choice {ch!r}")
                if not nv["recorded"] and ch not in ("voted", "no-right", "not-voting"):
                    fail(f"{vw}: choice {ch!r} in a vote that is not recorded")
            nv["ballots"] = dict(ballots)
            nv["official"] = norm_official(v.get("official"), vw) \
                if "official" in v else fail(f"{vw}: field 'official' is missing")
            nv["corrected"] = req(v, "corrected", "bool", vw)
            if "note" not in v:
                fail(f"{vw}: field 'note' is missing")
            nv["note"] = opt_text(v, "note", vw)
            # what the state allows
            stv = nv["state"]
            if stv == "scheduled" and (nv["opened"] or nv["ballots"]):
                fail(f"{vw}: scheduled but opened or with ballots")
            if stv in ("open", "locked", "announced") and not nv["opened"]:
                fail(f"{vw}: {stv} without an opening time")
            if stv in ("locked", "announced") and not nv["locked"]:
                fail(f"{vw}: {stv} without a lock time")
            if stv == "announced" and not nv["announced"]:
                fail(f"{vw}: announced without a time")
            st.votes.append(nv)
        oa = s["on_air"]
        if oa is not None:
            if not isinstance(oa, dict):
                fail("snapshot: on_air is not an object or null")
            show = req(oa, "show", SHOWS, "snapshot on_air")
            if show == "vote":
                vid = req(oa, "vote", "nestr", "snapshot on_air")
                st.vote(vid, "snapshot on_air")
                st.on_air = {"show": "vote", "vote": vid}
            else:
                st.on_air = {"show": show}
        return st

    # The state machine, as events.md describes it.
    def apply(self, e):
        t = e["type"]
        w = f"{t} event (seq {e['seq']})"
        if self.time is not None and e["time"] < self.time:
            fail(f"{w}: time {e['time']} goes back before {self.time}")
        if t == "session":
            if e["seq"] != 1 or self.session is not None:
                fail(f"{w}: a session event that is not the first event")
            self.session = norm_session(req(e, "session", "obj", w), w)
            self.chamber = norm_chamber(req(e, "chamber", "obj", w), w)
            self.roster = norm_roster(req(e, "roster", "list", w), w)
        elif self.session is None:
            fail(f"{w}: before the session event")
        elif t == "vote-scheduled":
            nv = new_vote(e, w)
            if any(x["vote"] == nv["vote"] for x in self.votes):
                fail(f"{w}: vote {nv['vote']!r} scheduled twice")
            nv.update(state="scheduled", opened=None, locked=None, announced=None,
                      ballots={}, official=None, corrected=False, note=None)
            self.votes.append(nv)
        elif t == "vote-opened":
            v = self.vote(req(e, "vote", "nestr", w), w)
            if v["state"] != "scheduled":
                fail(f"{w}: vote {v['vote']!r} is {v['state']}, not scheduled")
            if not self.chamber["rules"]["concurrent_votes"] and \
                    any(x["state"] == "open" for x in self.votes):
                fail(f"{w}: a second open vote")
            v["state"], v["opened"] = "open", e["time"]
        elif t == "ballot":
            v = self.vote(req(e, "vote", "nestr", w), w)
            member = req(e, "member", "nestr", w)
            choice = req(e, "choice", CHOICES, w)
            if v["state"] != "open":
                fail(f"{w}: vote {v['vote']!r} is {v['state']}, not open")
            if member not in self.codes():
                fail(f"{w}: {member!r} is not on the roster")
            if not v["recorded"] and choice not in ("voted", "pending", "no-right"):
                fail(f"{w}: choice {choice!r} in a vote that is not recorded")
            if choice == "pending":
                v["ballots"].pop(member, None)
            else:
                v["ballots"][member] = choice
        elif t == "vote-locked":
            v = self.vote(req(e, "vote", "nestr", w), w)
            if v["state"] != "open":
                fail(f"{w}: vote {v['vote']!r} is {v['state']}, not open")
            if "ballots" not in e:
                fail(f"{w}: field 'ballots' is missing")
            for i, b in enumerate(e["ballots"] or []):
                bw = f"{w} ballots[{i}]"
                if not isinstance(b, dict):
                    fail(f"{bw} is not an object")
                member = req(b, "member", "nestr", bw)
                choice = req(b, "choice", CHOICES, bw)
                if member not in self.codes():
                    fail(f"{bw}: {member!r} is not on the roster")
                if choice == "pending":
                    v["ballots"].pop(member, None)
                else:
                    v["ballots"][member] = choice
            for code in self.codes():
                v["ballots"].setdefault(code, "not-voting")
            v["state"], v["locked"] = "locked", e["time"]
        elif t == "vote-announced":
            v = self.vote(req(e, "vote", "nestr", w), w)
            if v["state"] != "locked":
                fail(f"{w}: vote {v['vote']!r} is {v['state']}, not locked")
            if "official" not in e:
                fail(f"{w}: field 'official' is missing")
            v["official"] = norm_official(e["official"], w)
            if not v["recorded"] and v["official"] is None:
                fail(f"{w}: a vote that is not recorded announced without totals")
            v["state"], v["announced"] = "announced", e["time"]
        elif t == "vote-corrected":
            v = self.vote(req(e, "vote", "nestr", w), w)
            member = req(e, "member", "nestr", w)
            choice = req(e, "choice", {"yes", "no", "abstain", "not-voting"}, w)
            if v["state"] != "announced":
                fail(f"{w}: vote {v['vote']!r} is {v['state']}, not announced")
            if member not in self.codes():
                fail(f"{w}: {member!r} is not on the roster")
            v["ballots"][member] = choice
            v["corrected"], v["note"] = True, opt_text(e, "note", w)
        elif t == "vote-cancelled":
            v = self.vote(req(e, "vote", "nestr", w), w)
            if v["state"] in ("announced", "cancelled"):
                fail(f"{w}: vote {v['vote']!r} is already {v['state']}")
            v["state"], v["note"] = "cancelled", opt_text(e, "note", w)
        elif t == "on-air":
            show = req(e, "show", SHOWS, w)
            if show == "vote":
                vid = req(e, "vote", "nestr", w)
                self.vote(vid, w)
                self.on_air = {"show": "vote", "vote": vid}
            else:
                self.on_air = {"show": show}
        self.seq, self.time = e["seq"], e["time"]


def new_vote(v, w):
    return {"vote": req(v, "vote", "nestr", w), "symbol": opt_text(v, "symbol", w),
            "draft": opt_text(v, "draft", w), "title": opt_text(v, "title", w),
            "majority": req(v, "majority", MAJORITIES, w),
            "recorded": req(v, "recorded", "bool", w),
            "reveal": req(v, "reveal", REVEALS, w)}


def first_difference(a, b, path="state"):
    if type(a) is not type(b):
        return f"{path}: {a!r} != {b!r}"
    if isinstance(a, dict):
        for k in list(a) + [k for k in b if k not in a]:
            if k not in a or k not in b:
                return f"{path}.{k}: only in {'client' if k in a else 'server'}"
            d = first_difference(a[k], b[k], f"{path}.{k}")
            if d:
                return d
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} items != {len(b)}"
        for i, (x, y) in enumerate(zip(a, b)):
            d = first_difference(x, y, f"{path}[{i}]")
            if d:
                return d
        return None
    return None if a == b else f"{path}: {a!r} != {b!r}"


# ---- transport ----

class Client:
    def __init__(self, url, drop_after, drops, deadline, verbose):
        u = urllib.parse.urlsplit(url)
        if u.scheme != "http" or not u.hostname:
            fail(f"not an http:// URL: {url}")
        self.host, self.port = u.hostname, u.port or 80
        self.base = u.path.rstrip("/")
        self.drop_after, self.drops_left = drop_after, drops
        self.deadline, self.verbose = deadline, verbose
        self.state = None
        self.applied_on_conn = 0
        self.counts = {"events": 0, "heartbeats": 0, "snapshots": 0, "resumes": 0}

    def log(self, msg):
        if self.verbose:
            print(f"protocol-client: {msg}", file=sys.stderr)

    def remaining(self):
        r = self.deadline - time.monotonic()
        if r <= 0:
            fail("timed out before the end of the replay")
        return r

    def http_get(self, path, headers=None, timeout=10.0):
        # the socket's timeout also bounds each read: on the stream, the §5 silence
        conn = http.client.HTTPConnection(self.host, self.port,
                                          timeout=min(timeout, self.remaining()))
        conn.request("GET", self.base + path, headers=headers or {})
        return conn, conn.getresponse()

    def check_reading_headers(self, resp, path, ctype):
        if resp.status != 200:
            fail(f"GET {path}: status {resp.status}")
        if not (resp.getheader("Content-Type") or "").startswith(ctype):
            fail(f"GET {path}: Content-Type {resp.getheader('Content-Type')!r}")
        if resp.getheader("Access-Control-Allow-Origin") != "*":
            fail(f"GET {path}: no Access-Control-Allow-Origin: *")
        if resp.getheader("Cache-Control") != "no-store":
            fail(f"GET {path}: no Cache-Control: no-store")

    def get_json(self, path):
        conn, resp = self.http_get(path)
        try:
            self.check_reading_headers(resp, path, "application/json")
            return decode(resp.read().decode("utf-8", errors="strict"))
        finally:
            conn.close()

    def last_id(self):
        return f"{self.state.stream}:{self.state.seq}" if self.state else None

    # One SSE subscription; returns when asked to stop, raises Dropped when it ends.
    def subscribe(self, until):
        headers = {"Accept": "text/event-stream"}
        path = "/v1/events"
        resuming = self.last_id()
        if resuming:
            # §4: the header or the query parameter; alternate between the two
            self.counts["resumes"] += 1
            if self.counts["resumes"] % 2:
                headers["Last-Event-ID"] = resuming
            else:
                path += "?last_event_id=" + urllib.parse.quote(resuming, safe="")
        self.log(f"subscribing to {path}, last event id {resuming}")
        conn, resp = self.http_get(path, headers, STALE_AFTER)
        try:
            self.check_reading_headers(resp, "/v1/events", "text/event-stream")
            self.applied_on_conn = 0
            return self.read_stream(resp, resuming, until)
        finally:
            conn.close()

    def read_blocks(self, resp):
        fields = []
        while True:
            self.remaining()
            try:
                raw = resp.readline(MAX_MESSAGE + 64)
            except socket.timeout:
                fail(f"stale: nothing heard for {STALE_AFTER:.0f} s (§5)")
            except (http.client.IncompleteRead, ConnectionError) as e:
                raise Dropped(f"connection lost: {e}")
            if raw == b"":
                raise Dropped("the server ended the response")
            if not raw.endswith(b"\n"):
                fail("SSE line without its LF (or over 1 MiB)")
            if raw.endswith(b"\r\n"):
                fail("SSE line ends with CR LF, not LF")
            try:
                line = raw[:-1].decode("utf-8")
            except UnicodeDecodeError:
                fail("SSE line is not UTF-8")
            if line == "":
                if fields:
                    yield fields
                fields = []
                continue
            if line.startswith(":"):
                fields.append(("comment", line[1:].strip()))
                continue
            name, _, value = line.partition(":")
            if value.startswith(" "):
                value = value[1:]
            fields.append((name, value))

    def read_stream(self, resp, resuming, until):
        first = True
        expect_snapshot_id = None   # after a snapshot: its id, on a comment block
        for fields in self.read_blocks(resp):
            names = [n for n, _ in fields]
            if first:
                if fields != [("retry", "1000")]:
                    fail(f"first SSE block is not 'retry: 1000': {fields!r}")
                first = False
                continue
            if expect_snapshot_id is not None:
                if "comment" not in names or dict(fields).get("id") != expect_snapshot_id \
                        or "data" in names:
                    fail(f"snapshot not followed by ': snapshot' and id "
                         f"{expect_snapshot_id}: {fields!r}")
                expect_snapshot_id = None
                continue
            if names.count("data") != 1 or names.count("event") != 1:
                fail(f"SSE block without exactly one event: and one data: {fields!r}")
            f = dict(fields)
            msg = decode(f["data"])
            mtype = msg.get("type")
            if f["event"] != mtype:
                fail(f"SSE event: {f['event']!r} but the JSON's type is {mtype!r}")
            if mtype == "snapshot":
                if "id" in f:
                    fail("a snapshot block carries an id:")
                if resuming and msg.get("stream") == self.state.stream \
                        and msg.get("seq", 0) >= self.state.seq:
                    # a resumable id answered with a snapshot: allowed only when
                    # far behind (§4: Rollcall's, more than 2,048 events)
                    behind = msg["seq"] - self.state.seq
                    if behind <= 2048:
                        fail(f"resume from {resuming} answered with a snapshot "
                             f"although only {behind} events were missed")
                st = State.from_snapshot(msg)
                if self.state and st.stream == self.state.stream \
                        and st.seq < self.state.seq:
                    fail(f"snapshot at seq {st.seq} older than applied {self.state.seq}")
                self.state = st
                self.counts["snapshots"] += 1
                expect_snapshot_id = f"{st.stream}:{st.seq}"
                self.log(f"snapshot {expect_snapshot_id}")
            elif mtype == "heartbeat":
                if "id" in f:
                    fail("a heartbeat block carries an id:")
                self.heartbeat(msg)
                self.counts["heartbeats"] += 1
                if until("heartbeat"):
                    return
            elif mtype in EVENT_TYPES:
                if self.state is None:
                    fail(f"{mtype} event before any snapshot on a connection without id")
                self.event(msg, f.get("id"))
                self.counts["events"] += 1
                self.applied_on_conn += 1
                if self.drops_left and self.applied_on_conn >= self.drop_after:
                    self.drops_left -= 1
                    self.log(f"dropping on purpose after {self.last_id()}")
                    raise Dropped("on purpose")
                if until("event"):
                    return
            else:
                fail(f"unknown message type {mtype!r}")

    def heartbeat(self, h):
        w = "heartbeat"
        if h.get("seq") != 0 or type(h.get("seq")) is not int:
            fail(f"heartbeat with seq {h.get('seq')!r}, not 0")
        req(h, "time", "time", w)
        stream = req(h, "stream", "nestr", w)
        last = req(h, "last_seq", "int", w)
        if stream != self.state.stream:
            fail(f"heartbeat of stream {stream!r} on stream {self.state.stream!r}")
        if last < self.state.seq:
            fail(f"heartbeat last_seq {last} < applied seq {self.state.seq} (§6)")
        if last > self.state.seq:
            fail(f"heartbeat last_seq {last} > applied seq {self.state.seq}: "
                 f"an event was lost (§5)")

    def event(self, e, sse_id):
        t = e["type"]
        w = f"{t} event"
        seq = req(e, "seq", "int", w)
        req(e, "time", "time", w)
        stream = req(e, "stream", "nestr", w)
        if sse_id != f"{stream}:{seq}":
            fail(f"{w}: SSE id {sse_id!r} is not {stream}:{seq}")
        m = EVENT_ID_RE.match(sse_id)
        if not m:
            fail(f"{w}: SSE id {sse_id!r} is not STREAM:SEQ")
        if stream != self.state.stream:
            fail(f"{w}: stream {stream!r} it was not given a snapshot of "
                 f"(on {self.state.stream!r})")
        if seq == 0:
            fail(f"{w}: seq 0 on an event")
        if seq <= self.state.seq:
            fail(f"{w}: seq {seq} repeated (applied up to {self.state.seq})")
        if seq != self.state.seq + 1:
            fail(f"{w}: seq {seq} after {self.state.seq}: a gap")
        self.state.apply(e)

    def quiescent(self):
        s = self.state
        return s is not None and s.session is not None and s.votes and \
            all(v["state"] in ("announced", "cancelled") for v in s.votes)

    def run(self):
        ended = {"flag": False}

        def until_end(kind):
            # the replay has ended: every vote is over and a heartbeat (checked
            # above: last_seq == our seq) says nothing more was sent
            if kind == "heartbeat" and self.quiescent():
                ended["flag"] = True
                return True
            return False

        while not ended["flag"]:
            try:
                self.subscribe(until_end)
            except Dropped as d:
                self.log(f"dropped: {d}")
                if str(d) != "on purpose" and self.state is None:
                    fail(f"the server ended the subscription: {d}")
                time.sleep(0.05)   # §6 allows [0, 0.5 s] on the first attempt
        if self.drops_left:
            fail(f"the replay ended before {self.drops_left} more drop(s) after "
                 f"{self.drop_after} events; use a lower --speed or --drop-after")

        # Compare with a fresh snapshot; if it is ahead, read on to its seq.
        snap = State.from_snapshot(self.get_json("/v1/snapshot"))
        if snap.stream != self.state.stream:
            fail(f"GET /v1/snapshot is of stream {snap.stream!r}, "
                 f"the client's is {self.state.stream!r}")
        if snap.seq > self.state.seq:
            self.subscribe(lambda kind: self.state.seq >= snap.seq)
        if snap.seq != self.state.seq:
            fail(f"GET /v1/snapshot at seq {snap.seq}, the client at {self.state.seq}")
        d = first_difference(self.state.as_dict(), snap.as_dict())
        if d:
            fail(f"state differs from GET /v1/snapshot: {d}")
        health = self.get_json("/v1/health")
        if health.get("stream") != snap.stream or health.get("seq") != snap.seq:
            fail(f"GET /v1/health says {health!r}, the snapshot {snap.stream}:{snap.seq}")


def main():
    ap = argparse.ArgumentParser(description="an SSE client of the Rollcall feed "
                                 "protocol, written from docs/feed-protocol.md")
    ap.add_argument("url", help="the server, e.g. http://127.0.0.1:8080")
    ap.add_argument("--drop-after", type=int, default=40, metavar="N",
                    help="drop the connection after N events (default 40)")
    ap.add_argument("--drops", type=int, default=1, metavar="K",
                    help="how many times to drop and resume (default 1)")
    ap.add_argument("--timeout", type=float, default=60.0, metavar="S",
                    help="give up after S seconds (default 60)")
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()
    c = Client(a.url, max(1, a.drop_after), max(0, a.drops),
               time.monotonic() + a.timeout, a.verbose)
    try:
        c.run()
    except Violation as v:
        print(f"protocol-client: {v}", file=sys.stderr)
        return 1
    except (OSError, http.client.HTTPException) as e:
        print(f"protocol-client: {type(e).__name__}: {e}", file=sys.stderr)
        return 1
    n = c.counts
    print(f"protocol-client: OK: {c.state.stream}:{c.state.seq}, {n['events']} events, "
          f"{n['snapshots']} snapshots, {n['heartbeats']} heartbeats, "
          f"{n['resumes']} resumes; state equals GET /v1/snapshot")
    return 0


if __name__ == "__main__":
    sys.exit(main())
