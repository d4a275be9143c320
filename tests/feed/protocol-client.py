#!/usr/bin/env python3
# An independent client of the Rollcall feed, over Server-Sent Events or WebSocket,
# written from docs/feed-protocol.md and docs/events.md alone (not from Rollcall's
# code), to show that those documents are enough. Standard library only: the client
# side of WebSocket (RFC 6455) is written here.
#
#   protocol-client.py URL [--transport sse|ws] [--edge] [--reference URL]
#                          [--drop-after N] [--drops K] [--until-on-air VOTE]
#                          [--progress] [--trace] [--state-out FILE] [--await-ping]
#                          [--timeout S]
#
# It speaks protocol 1.1. It subscribes to URL/v1/events (SSE) or URL/v1/feed
# (WebSocket, subprotocol rollcall.v1), folds the snapshots and the events into its own
# state of the session, checks the framing, the sequence and the heartbeats, drops the
# connection on purpose after every N events (K times) and resumes: over SSE with the
# id of the last message it took, as the server wrote it (ids are opaque, §2), over
# WebSocket with STREAM:SEQ of its position. Any other loss (the server killed, a
# stale connection) is retried with the back-off of §6. It applies an event only when
# it is the next of its stream, drops one it already holds, takes a snapshot wherever
# it comes (§3), and when a connection does not resume from where it is (a gap,
# another stream, nothing before a snapshot: §4 "When a connection does not resume")
# it takes GET /v1/snapshot beside the stream and goes on with that connection.
#
# Against an origin (the default) it also holds the server to what §4 promises of one:
# the SSE framing (retry first, STREAM:SEQ ids, a snapshot's id on a comment block),
# exact resumes, no event twice, never a snapshot to fetch; any of that is a failure.
# With --edge (a relay such as an nginx + nchan edge, §12) those are the 1.1 cases
# the client handles, and a refusal makes it reconnect. Once the replay has ended
# (every vote announced or cancelled; with --until-on-air, that vote announced and on
# air) and a heartbeat says nothing more was sent, it compares its state with GET
# /v1/snapshot (the --reference server's, e.g. the origin behind an edge). Over
# WebSocket it first checks the refusals §4 promises (no subprotocol: 400; no
# handshake: 426; from an origin, a data frame from the client: 1003; over 4 KiB:
# dropped). Exit 0 when equal; otherwise, or on any protocol violation, one line and
# exit 1.

import argparse
import base64
import calendar
import hashlib
import http.client
import json
import os
import random
import re
import socket
import struct
import sys
import time
import urllib.parse

TIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3}|\.\d{6})?Z$")


def instant(v):
    """A time as microseconds since the epoch. events.md allows milliseconds,
    microseconds or no fraction, so two times are compared as instants, never as
    strings: "…18.347Z" is before "…18.347997Z" although 'Z' sorts after '9'."""
    date, frac = v[:19], v[19:-1]
    secs = calendar.timegm(time.strptime(date, "%Y-%m-%dT%H:%M:%S"))
    return secs * 1000000 + (int(frac[1:].ljust(6, "0")) if frac else 0)


COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
EVENT_ID_RE = re.compile(r"^([^:]+):(\d+)$")
CHOICES = {"pending", "voted", "yes", "no", "abstain", "not-voting", "no-right"}
MAJORITIES = {"simple", "two-thirds", "council", "procedural", "absolute", "unknown"}
OUTCOMES = {"adopted", "not-adopted"}
REVEALS = {"live", "after-lock"}
RESULTS_SHOWN = {"when-announced", "at-lock"}
SHOWS = {"vote", "blank", "holding"}
STATES = {"scheduled", "open", "locked", "announced", "cancelled"}
EVENT_TYPES = {"session", "vote-scheduled", "vote-opened", "ballot", "vote-locked",
               "vote-announced", "vote-corrected", "vote-cancelled", "on-air",
               "heartbeat"}
PALETTE_KEYS = ["background", "text", "dim-text", "cell", "yes", "no", "abstain",
                "not-voting", "pending", "hidden", "adopted", "not-adopted"]
STALE_AFTER = 6.0        # §5: silence after which a client is stale
MAX_MESSAGE = 1 << 20    # §8
RESUME_FETCHES = 8       # §4 (1.1): snapshots fetched beside one connection, at most


class Violation(Exception):
    pass


class Dropped(Exception):
    """The connection ended (by the server or on purpose)."""


class Refused(Dropped):
    """A message, or a snapshot fetched beside the stream, refused (§4, §8): nothing
    applied; the client reconnects from its last good position, with back-off."""


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
            "rules": {"majority": req(rules, "majority", MAJORITIES - {"unknown"}, w + " rules"),
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


def norm_outcome(o, majority, what):
    """The outcome a record states: optional, and only under the unknown rule."""
    out = o.get("outcome")
    if out is None:
        return None
    if out not in OUTCOMES:
        fail(f"{what}: outcome {out!r} is not adopted or not-adopted")
    if majority != "unknown":
        fail(f"{what}: an outcome stated for a vote with the {majority} rule")
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
            nv["outcome"] = norm_outcome(v, nv["majority"], vw)
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
            elif show == "holding":
                st.on_air = {"show": "holding",
                             "text": opt_text(oa, "text", "snapshot on_air")}
            else:
                st.on_air = {"show": show}
        return st

    # The state machine, as events.md describes it.
    def apply(self, e):
        t = e["type"]
        w = f"{t} event (seq {e['seq']})"
        if self.time is not None and instant(e["time"]) < instant(self.time):
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
            nv.update(state="scheduled", opened=None, locked=None, announced=None,
                      ballots={}, official=None, outcome=None, corrected=False, note=None)
            old = [i for i, x in enumerate(self.votes) if x["vote"] == nv["vote"]]
            if old and self.votes[old[0]]["state"] != "scheduled":
                fail(f"{w}: vote {nv['vote']!r} described again once {self.votes[old[0]]['state']}")
            if old:
                self.votes[old[0]] = nv  # described again, in its place
            else:
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
            v["outcome"] = norm_outcome(e, v["majority"], w)
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
            elif show == "holding":
                self.on_air = {"show": "holding", "text": opt_text(e, "text", w)}
            else:
                self.on_air = {"show": show}
        self.seq, self.time = e["seq"], e["time"]


def new_vote(v, w):
    return {"vote": req(v, "vote", "nestr", w), "symbol": opt_text(v, "symbol", w),
            "draft": opt_text(v, "draft", w), "title": opt_text(v, "title", w),
            "majority": req(v, "majority", MAJORITIES, w),
            "recorded": req(v, "recorded", "bool", w),
            "reveal": req(v, "reveal", REVEALS, w),
            # protocol 1.1; missing (a 1.0 server) is the default
            "result_shown": (req(v, "result_shown", RESULTS_SHOWN, w)
                             if "result_shown" in v else "when-announced")}


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


# ---- WebSocket (RFC 6455), the client side ----

WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
WS_SERVER_CLOSE_CODES = {1001, 4001}     # §4: going away, too slow


class WebSocket:
    """One client connection: the opening handshake, masked frames out, frames in
    (fragmented or not, control frames between the fragments), ping/pong, close."""

    def __init__(self, host, port, path, timeout, protocol="rollcall.v1", extra=()):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.buf = b""
        self.close_sent = False
        self.close_received = None      # (code, reason) once the server's close came
        self.pongs = []
        self.pings_answered = 0
        key = base64.b64encode(os.urandom(16)).decode("ascii")
        lines = [f"GET {path} HTTP/1.1", f"Host: {host}:{port}",
                 "Upgrade: websocket", "Connection: Upgrade",
                 f"Sec-WebSocket-Key: {key}", "Sec-WebSocket-Version: 13"]
        if protocol:
            lines.append(f"Sec-WebSocket-Protocol: {protocol}")
        lines += [f"{k}: {v}" for k, v in extra]
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("ascii"))
        head = self.read_until(b"\r\n\r\n", 16384)
        status_line, *header_lines = head.decode("iso-8859-1").split("\r\n")
        parts = status_line.split(" ", 2)
        if len(parts) < 2 or not parts[0].startswith("HTTP/1.") or not parts[1].isdigit():
            fail(f"GET {path}: not an HTTP response: {status_line!r}")
        self.status = int(parts[1])
        self.headers = {}
        for h in header_lines:
            name, sep, value = h.partition(":")
            if not sep:
                fail(f"GET {path}: malformed header line {h!r}")
            self.headers.setdefault(name.strip().lower(), []).append(value.strip())
        self.body = b""
        if self.status != 101:
            n = int(self.header("content-length") or 0)
            self.body = self.read_exact(n) if n else b""
            return
        accept = base64.b64encode(hashlib.sha1((key + WS_GUID).encode("ascii"))
                                  .digest()).decode("ascii")
        if (self.header("upgrade") or "").lower() != "websocket":
            fail(f"GET {path}: 101 without Upgrade: websocket")
        if "upgrade" not in [t.strip().lower()
                             for t in (self.header("connection") or "").split(",")]:
            fail(f"GET {path}: 101 without Connection: Upgrade")
        if self.header("sec-websocket-accept") != accept:
            fail(f"GET {path}: Sec-WebSocket-Accept {self.header('sec-websocket-accept')!r}"
                 f" is not {accept!r}")
        if self.header("sec-websocket-protocol") != protocol:
            fail(f"GET {path}: the server chose the subprotocol "
                 f"{self.header('sec-websocket-protocol')!r}, not {protocol!r}")
        if self.header("sec-websocket-extensions"):
            fail(f"GET {path}: an extension none was asked for: "
                 f"{self.header('sec-websocket-extensions')!r}")

    def header(self, name):
        v = self.headers.get(name)
        if v and len(v) > 1:
            fail(f"header {name} given {len(v)} times")
        return v[0] if v else None

    def recv_some(self):
        try:
            chunk = self.sock.recv(65536)
        except socket.timeout:
            raise           # silence: the caller's stale check (§5)
        except OSError as e:
            raise Dropped(f"connection lost: {e}")
        if not chunk:
            raise Dropped("the server closed the TCP connection")
        self.buf += chunk

    def read_until(self, sep, limit):
        while sep not in self.buf:
            if len(self.buf) > limit:
                fail("HTTP response head too long")
            self.recv_some()
        head, _, self.buf = self.buf.partition(sep)
        return head

    def read_exact(self, n):
        while len(self.buf) < n:
            self.recv_some()
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def send_frame(self, opcode, payload=b"", fin=True, length=None):
        """A masked frame (a client's frames are always masked); `length` may claim
        more than `payload` holds, for the oversize probe."""
        n = len(payload) if length is None else length
        head = bytes([(0x80 if fin else 0) | opcode])
        if n < 126:
            head += bytes([0x80 | n])
        elif n < 65536:
            head += bytes([0x80 | 126]) + struct.pack("!H", n)
        else:
            head += bytes([0x80 | 127]) + struct.pack("!Q", n)
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i & 3] for i, b in enumerate(payload))
        try:
            self.sock.sendall(head + mask + masked)
        except OSError as e:
            raise Dropped(f"connection lost while sending: {e}")

    def send_close(self, code, reason=""):
        if not self.close_sent:
            self.close_sent = True
            self.send_frame(8, struct.pack("!H", code) + reason.encode("utf-8"))

    def read_frame(self):
        b0, b1 = self.read_exact(2)
        fin, rsv, opcode = bool(b0 & 0x80), b0 & 0x70, b0 & 0x0F
        if rsv:
            fail(f"WebSocket frame with RSV bits {rsv >> 4:#x}, no extension agreed")
        if b1 & 0x80:
            fail("WebSocket frame from the server is masked")
        n = b1 & 0x7F
        if n == 126:
            (n,) = struct.unpack("!H", self.read_exact(2))
            if n < 126:
                fail("WebSocket frame length not in its shortest form")
        elif n == 127:
            (n,) = struct.unpack("!Q", self.read_exact(8))
            if n >> 63:
                fail("WebSocket frame length with its top bit set")
            if n < 65536:
                fail("WebSocket frame length not in its shortest form")
        if n > MAX_MESSAGE:
            fail(f"WebSocket frame of {n} bytes, over 1 MiB (§8)")
        return fin, opcode, self.read_exact(n)

    def recv_message(self):
        """The next text message; control frames are handled on the way. Raises
        Dropped once the server's close has come (answered) or the TCP ends."""
        parts = None
        size = 0
        while True:
            fin, opcode, payload = self.read_frame()
            if opcode & 0x8:
                if not fin or len(payload) > 125:
                    fail("WebSocket control frame fragmented or over 125 bytes")
                if opcode == 0x9:
                    if not self.close_sent:
                        self.send_frame(0xA, payload)
                    self.pings_answered += 1
                elif opcode == 0xA:
                    self.pongs.append(payload)
                elif opcode == 0x8:
                    self.close_received = parse_close(payload)
                    self.send_close(self.close_received[0] or 1000)
                    raise Dropped("closed by the server: %s %r" % self.close_received)
                else:
                    fail(f"WebSocket control frame with reserved opcode {opcode:#x}")
                continue
            if opcode == 0x0:
                if parts is None:
                    fail("WebSocket continuation frame outside a message")
            elif opcode in (0x1, 0x2):
                if parts is not None:
                    fail("WebSocket data frame inside a fragmented message")
                if opcode == 0x2:
                    fail("WebSocket binary message (§4: text frames only)")
                parts = []
            else:
                fail(f"WebSocket data frame with reserved opcode {opcode:#x}")
            parts.append(payload)
            size += len(payload)
            if size > MAX_MESSAGE:
                fail("WebSocket message over 1 MiB (§8)")
            if fin:
                try:
                    return b"".join(parts).decode("utf-8", errors="strict")
                except UnicodeDecodeError:
                    fail("WebSocket text message is not UTF-8")

    def close_handshake(self, code, reason):
        """Our close, then frames until the server's close (or the TCP's end)."""
        try:
            self.send_close(code, reason)
            while self.close_received is None:
                self.recv_message()
        except Dropped:
            pass
        except socket.timeout:
            fail("no close frame answered ours")
        finally:
            self.sock.close()

    def close(self):
        self.sock.close()


def parse_close(payload):
    if len(payload) == 0:
        return (None, "")
    if len(payload) == 1:
        fail("WebSocket close frame with a one-byte payload")
    (code,) = struct.unpack("!H", payload[:2])
    if code < 1000 or code in (1004, 1005, 1006, 1015) or 1016 <= code < 3000 \
            or code > 4999:
        fail(f"WebSocket close code {code} may not be sent")
    try:
        reason = payload[2:].decode("utf-8", errors="strict")
    except UnicodeDecodeError:
        fail("WebSocket close reason is not UTF-8")
    return (code, reason)


# ---- the client ----

class Conn:
    """What the client knows of one connection (§4, "When a connection does not
    resume")."""

    def __init__(self, resuming):
        self.resuming = resuming      # the id given, or None
        self.followed = False         # it gave a message that follows our position
        self.fetches = 0              # GET /v1/snapshot beside it (at most 8)
        self.fetched_ahead = False    # a fetched snapshot the stream has not reached
        self.events = 0               # events applied on it
        self.synced_at = None         # when it first gave a message that follows


class Client:
    def __init__(self, url, transport, drop_after, drops, deadline, verbose,
                 until_on_air=None, progress=False, edge=False, reference=None,
                 trace=False):
        self.host, self.port, self.base = split_url(url)
        self.reference = split_url(reference) if reference else None
        self.transport = transport
        self.drop_after, self.drops_left = drop_after, drops
        self.deadline, self.verbose = deadline, verbose
        self.until_on_air, self.progress = until_on_air, progress
        self.edge, self.trace_on = edge, trace
        self.await_ping = False
        self.state = None
        self.sse_id = None         # §2: the SSE id of the last message taken, as written
        self.attempt = 0           # §6: failures since the last resynchronisation
        self.last_failure = None
        self.counts = {"events": 0, "heartbeats": 0, "snapshots": 0, "resumes": 0,
                       "failures": 0, "stale": 0, "pings": 0, "fetches": 0,
                       "dropped": 0, "rewinds": 0, "refusals": 0}

    def log(self, msg):
        if self.verbose:
            print(f"protocol-client[{self.transport}]: {msg}", file=sys.stderr)

    def trace(self, what):
        if self.trace_on:
            print(f"trace {what}", flush=True)

    def remaining(self):
        r = self.deadline - time.monotonic()
        if r <= 0:
            fail("timed out before the end" +
                 (f" (last failure: {self.last_failure})" if self.last_failure else ""))
        return r

    def http_get(self, path, headers=None, timeout=10.0, server=None):
        # the socket's timeout also bounds each read: on the stream, the §5 silence
        host, port, base = server or (self.host, self.port, self.base)
        conn = http.client.HTTPConnection(host, port,
                                          timeout=min(timeout, self.remaining()))
        conn.request("GET", base + path, headers=headers or {})
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

    def get_json(self, path, server=None):
        conn, resp = self.http_get(path, server=server)
        try:
            self.check_reading_headers(resp, path, "application/json")
            return decode(resp.read(MAX_MESSAGE + 1).decode("utf-8", errors="strict"))
        finally:
            conn.close()

    def position(self):
        return f"{self.state.stream}:{self.state.seq}" if self.state else None

    def resume_id(self):
        """§2 (1.1): over SSE the id of the last message taken, as the server wrote
        it; over WebSocket, or without one, STREAM:SEQ of our position."""
        if self.transport == "sse" and self.sse_id is not None:
            return self.sse_id
        return self.position()

    def subscribe(self, until):
        conn = Conn(self.resume_id())
        if conn.resuming:
            self.counts["resumes"] += 1
        self.trace(f"connect {self.transport} {conn.resuming or '-'}")
        if self.transport == "ws":
            return self.subscribe_ws(conn, until)
        return self.subscribe_sse(conn, until)

    def applied(self):
        if self.progress:
            print(f"applied {self.position()}", flush=True)

    def followed(self, conn):
        """The connection gave a message that follows our position (§4): it is
        resynchronised; §6's back-off starts again once it outlives 6 s."""
        conn.followed = True
        conn.fetched_ahead = False
        self.last_failure = None
        if conn.synced_at is None:
            conn.synced_at = time.monotonic()

    def outlived(self, conn):
        if conn.synced_at is not None and \
                time.monotonic() - conn.synced_at >= STALE_AFTER:
            self.attempt = 0

    def refuse(self, reason):
        """A refusal (§4, §8): nothing applied, and another connection from the last
        good position. An origin following §4 gives a client no cause for one, so
        without --edge it is a failure of the test."""
        if not self.edge:
            fail(reason)
        raise Refused(reason)

    # ---- over Server-Sent Events ----

    def subscribe_sse(self, conn, until):
        headers = {"Accept": "text/event-stream"}
        path = "/v1/events"
        if conn.resuming:
            # §4: the header or the query parameter; alternate between the two
            if self.counts["resumes"] % 2:
                headers["Last-Event-ID"] = conn.resuming
            else:
                path += "?last_event_id=" + urllib.parse.quote(conn.resuming, safe="")
        self.log(f"subscribing to {path}, last event id {conn.resuming}")
        hconn, resp = self.http_get(path, headers, STALE_AFTER)
        try:
            if resp.status == 503:
                raise Dropped(f"503 busy, Retry-After {resp.getheader('Retry-After')}")
            self.check_reading_headers(resp, "/v1/events", "text/event-stream")
            return self.read_sse(resp, conn, until)
        finally:
            hconn.close()

    def read_blocks(self, resp):
        fields = []
        while True:
            self.remaining()
            try:
                raw = resp.readline(MAX_MESSAGE + 64)
            except socket.timeout:
                self.counts["stale"] += 1
                raise Dropped(f"stale: nothing heard for {STALE_AFTER:.0f} s (§5)")
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

    def read_sse(self, resp, conn, until):
        first = True
        expect_snapshot_id = None   # origin: after a snapshot, its id on a comment block
        for fields in self.read_blocks(resp):
            names = [n for n, _ in fields]
            f = dict(fields)
            if not self.edge:
                # what an origin writes (§4 "Over Server-Sent Events")
                if first:
                    if fields != [("retry", "1000")]:
                        fail(f"first SSE block is not 'retry: 1000': {fields!r}")
                    first = False
                    continue
                if expect_snapshot_id is not None:
                    if "comment" not in names or f.get("id") != expect_snapshot_id \
                            or "data" in names:
                        fail(f"snapshot not followed by ': snapshot' and id "
                             f"{expect_snapshot_id}: {fields!r}")
                    expect_snapshot_id = None
                    self.sse_id = f["id"]
                    continue
            if "data" not in names:
                # comments (nchan's ": hi"), retry:, an id alone: no message, but an
                # id is the last id seen from then on (as EventSource keeps it)
                if "event" in names:
                    fail(f"SSE block with event: but no data: {fields!r}")
                if "id" in f:
                    self.sse_id = f["id"]
                continue
            if names.count("data") != 1 or names.count("event") != 1 \
                    or names.count("id") > 1:
                fail(f"SSE block without exactly one event: and one data: {fields!r}")
            msg = decode(f["data"])
            mtype = msg.get("type")
            if f["event"] != mtype:
                fail(f"SSE event: {f['event']!r} but the JSON's type is {mtype!r}")
            if self.edge:
                if "id" not in f:
                    fail(f"a {mtype} message of an edge without an id: (§12)")
            else:
                if mtype in ("snapshot", "heartbeat") and "id" in f:
                    fail(f"a {mtype} block carries an id:")
                if mtype in EVENT_TYPES and mtype != "heartbeat":
                    seq, stream = msg.get("seq"), msg.get("stream")
                    if f.get("id") != f"{stream}:{seq}":
                        fail(f"{mtype} event: SSE id {f.get('id')!r} is not {stream}:{seq}")
                    if not EVENT_ID_RE.match(f["id"]):
                        fail(f"{mtype} event: SSE id {f['id']!r} is not STREAM:SEQ")
            what = self.handle(msg, conn, until)
            if "id" in f:
                self.sse_id = f["id"]       # taken: its id is the one to give back
            if what == "drop":
                self.log(f"dropping on purpose after {self.position()}")
                raise Dropped("on purpose")
            if what == "stop":
                return True
            if mtype == "snapshot" and not self.edge:
                expect_snapshot_id = f"{self.state.stream}:{self.state.seq}"

    # ---- over WebSocket ----

    def subscribe_ws(self, conn, until):
        path = self.base + "/v1/feed"
        extra = []
        if conn.resuming:
            # §4: the query parameter (as a browser must) or the header; alternate
            if self.counts["resumes"] % 2:
                path += "?last_event_id=" + urllib.parse.quote(conn.resuming, safe="")
            else:
                extra.append(("Last-Event-ID", conn.resuming))
        self.log(f"subscribing to {path} {extra}")
        ws = WebSocket(self.host, self.port, path, min(STALE_AFTER, self.remaining()),
                       extra=extra)
        try:
            if ws.status == 503:
                raise Dropped(f"503 busy, Retry-After {ws.header('retry-after')}")
            if ws.status != 101:
                fail(f"GET /v1/feed: status {ws.status}: {ws.body[:200]!r}")
            return self.read_ws(ws, conn, until)
        finally:
            self.counts["pings"] += ws.pings_answered
            ws.close()

    def read_ws(self, ws, conn, until):
        ping = None
        stopping = False
        while True:
            self.remaining()
            if stopping and ws.pings_answered:
                ws.close_handshake(1000, "done")
                return True
            try:
                text = ws.recv_message()
            except socket.timeout:
                self.counts["stale"] += 1
                ws.close_handshake(1000, "stale")
                raise Dropped(f"stale: nothing heard for {STALE_AFTER:.0f} s (§5)")
            except Dropped:
                code = ws.close_received[0] if ws.close_received else None
                # §4 names the origin's close codes; §12 none of an edge's
                if code is not None and code not in WS_SERVER_CLOSE_CODES \
                        and not self.edge:
                    fail(f"the server closed the WebSocket with {ws.close_received!r}, "
                         f"not a code of §4")
                raise
            if ping is None:
                # one ping of ours on each connection; its pong is checked below
                ping = os.urandom(8)
                ws.send_frame(0x9, ping)
            msg = decode(text)
            try:
                what = self.handle(msg, conn, until)
            except Refused:
                ws.close_handshake(1000, "refused")
                raise
            if what == "drop":
                self.log(f"dropping on purpose after {self.position()}")
                ws.close_handshake(1000, "dropping on purpose")
                if ws.close_received and ws.close_received[0] != 1000:
                    fail(f"our close 1000 answered with {ws.close_received!r}")
                if ping not in ws.pongs:
                    fail("our ping had no pong before the server's close")
                raise Dropped("on purpose")
            stop = what == "stop"
            if stop and self.await_ping and not self.counts["pings"]:
                stopping = True     # on until the server's ping is answered
            elif stop or stopping:
                ws.close_handshake(1000, "done")
                return True

    # ---- what both transports carry ----

    def handle(self, msg, conn, until):
        """Takes one message of the stream: "stop" when `until` says so, "drop" to
        drop the connection on purpose, else None. Raises Refused for a refusal."""
        self.outlived(conn)
        mtype = msg.get("type")
        if mtype == "snapshot":
            # §3 (1.1): a snapshot is taken wherever it comes in the stream
            self.take_snapshot(msg, conn, "stream")
            self.followed(conn)
            return "stop" if until("snapshot") else None
        if mtype == "heartbeat":
            if msg.get("seq") != 0 or type(msg.get("seq")) is not int:
                fail(f"heartbeat with seq {msg.get('seq')!r}, not 0")
            req(msg, "time", "time", "heartbeat")
            req(msg, "stream", "nestr", "heartbeat")
            req(msg, "last_seq", "int", "heartbeat")
            self.counts["heartbeats"] += 1
        elif mtype in EVENT_TYPES:
            w = f"{mtype} event"
            if req(msg, "seq", "int", w) == 0:
                fail(f"{w}: seq 0 on an event")
            req(msg, "time", "time", w)
            req(msg, "stream", "nestr", w)
        else:
            fail(f"unknown message type {mtype!r}")
        while True:
            why = self.follow(msg, conn)
            if why is None:
                break
            if conn.followed:
                # a gap once the connection was in step: as in 1.0 (§4)
                self.refuse(f"{why}; reconnecting from {self.resume_id()}")
            if not self.edge:
                fail(f"{why}, at the start of a connection resuming from "
                     f"{conn.resuming}: a server following §4 never makes a client "
                     f"fetch /v1/snapshot")
            if conn.fetches >= RESUME_FETCHES:
                self.refuse(f"{why}, still after {RESUME_FETCHES} snapshots fetched "
                            f"beside this connection (§4)")
            if conn.fetches:
                # §4 step 4: again after §6's back-off, from its first step
                wait = random.uniform(0, min(30.0, 0.5 * 2 ** (conn.fetches - 1)))
                time.sleep(min(wait, self.remaining()))
            self.fetch_snapshot(conn, why)
        if mtype == "heartbeat":
            return "stop" if conn.followed and until("heartbeat") else None
        if self.drops_left and conn.events >= self.drop_after:
            self.drops_left -= 1
            return "drop"
        return "stop" if until("event") else None

    def follow(self, msg, conn):
        """Applies, drops or waits on a heartbeat or an event; returns why it cannot
        (a gap, another stream, no snapshot yet), which §4 says how to handle."""
        st, t = self.state, msg["type"]
        if st is None:
            return f"a {t} before any snapshot"
        if t == "heartbeat":
            stream, last = msg["stream"], msg["last_seq"]
            if stream != st.stream:
                return f"a heartbeat of stream {stream!r}, ours is {st.stream!r}"
            if last > st.seq:
                return f"a heartbeat at last_seq {last}, ours {st.seq}: events missed (§5)"
            if last < st.seq:
                if conn.fetched_ahead:
                    return None     # §4: the stream catches up with a fetched snapshot
                self.refuse(f"heartbeat last_seq {last} < applied seq {st.seq} (§6)")
            self.followed(conn)
            return None
        stream, seq = msg["stream"], msg["seq"]
        if stream != st.stream:
            return f"a {t} event of stream {stream!r}, ours is {st.stream!r}"
        if seq <= st.seq:
            if not self.edge:
                fail(f"{t} event: seq {seq} repeated (applied up to {st.seq}): an "
                     f"origin sends no event twice (§4)")
            # §4 (1.1): said again (a relay may), or held by a snapshot: dropped
            self.counts["dropped"] += 1
            self.trace(f"drop {stream}:{seq}")
            return None
        if seq != st.seq + 1:
            return f"{t} event {seq} after {st.seq}: a gap"
        st.apply(msg)
        self.counts["events"] += 1
        conn.events += 1
        self.trace(f"event {stream}:{seq}")
        self.applied()
        self.followed(conn)
        return None

    def take_snapshot(self, msg, conn, how):
        if not self.edge and conn.resuming and self.state \
                and msg.get("stream") == self.state.stream \
                and isinstance(msg.get("seq"), int) and msg["seq"] >= self.state.seq:
            # a resumable id answered with a snapshot: allowed only when far
            # behind (§4: Rollcall's, more than 2,048 events)
            behind = msg["seq"] - self.state.seq
            if behind <= 2048:
                fail(f"resume from {conn.resuming} answered with a snapshot "
                     f"although only {behind} events were missed")
        st = State.from_snapshot(msg)
        if self.state and st.stream == self.state.stream and st.seq < self.state.seq:
            if not self.edge:
                fail(f"snapshot at seq {st.seq} older than applied {self.state.seq}")
            # §3, §4 (1.1): taken all the same, the board rewinds
            self.counts["rewinds"] += 1
        self.state = st
        self.counts["snapshots"] += 1
        self.trace(f"snapshot {st.stream}:{st.seq} {how}")
        self.log(f"snapshot {st.stream}:{st.seq} ({how})")
        self.applied()

    def fetch_snapshot(self, conn, why):
        """§4 step 2: GET /v1/snapshot from the same server, beside the stream,
        following no redirect, at most 1 MiB, within 10 s."""
        self.log(f"{why}: fetching /v1/snapshot beside the stream")
        self.trace(f"fetch {why}")
        conn.fetches += 1
        self.counts["fetches"] += 1
        started = time.monotonic()
        hconn = None
        try:
            hconn, resp = self.http_get("/v1/snapshot", timeout=10.0)
            if resp.status != 200:
                self.refuse(f"snapshot: HTTP {resp.status} {resp.reason}")
            body = resp.read(MAX_MESSAGE + 1)
            if time.monotonic() - started > 10.0:
                self.refuse("snapshot: no answer within 10 s")
        except (OSError, http.client.HTTPException) as e:
            self.refuse(f"snapshot: {type(e).__name__}: {e}")
        finally:
            if hconn is not None:
                hconn.close()
        if len(body) > MAX_MESSAGE:
            self.refuse("snapshot: over 1 MiB")
        self.check_reading_headers(resp, "/v1/snapshot", "application/json")
        try:
            msg = decode(body.decode("utf-8", errors="strict"))
        except UnicodeDecodeError:
            fail("GET /v1/snapshot: not UTF-8")
        if msg.get("type") != "snapshot":
            fail(f"GET /v1/snapshot: a {msg.get('type')!r}, not a snapshot")
        self.take_snapshot(msg, conn, "fetched")
        conn.fetched_ahead = True

    def quiescent(self):
        s = self.state
        if s is None or s.session is None or not s.votes:
            return False
        if self.until_on_air:
            return any(v["vote"] == self.until_on_air and v["state"] == "announced"
                       for v in s.votes) and \
                s.on_air == {"show": "vote", "vote": self.until_on_air}
        return all(v["state"] in ("announced", "cancelled") for v in s.votes)

    def backoff(self, reason):
        """§6: capped exponential back-off with full jitter."""
        self.counts["failures"] += 1
        self.last_failure = reason
        wait = random.uniform(0, min(30.0, 0.5 * 2 ** self.attempt))
        self.attempt += 1
        self.log(f"{reason}; reconnecting in {wait:.2f} s")
        time.sleep(min(wait, max(0.0, self.deadline - time.monotonic())))

    def follow_until(self, until):
        """Subscribes, and again after every loss (§6), until `until` says so."""
        while True:
            self.remaining()
            try:
                if self.subscribe(until):
                    return
            except Refused as r:
                self.counts["refusals"] += 1
                self.trace(f"refused {r}")
                self.backoff(f"refused: {r}")
            except Dropped as d:
                self.log(f"dropped: {d}")
                if str(d) == "on purpose":
                    time.sleep(0.05)   # §6 allows [0, 0.5 s] on the first attempt
                else:
                    self.backoff(str(d))
            except (OSError, http.client.HTTPException) as e:
                # refused while the server restarts, reset, a timeout connecting
                self.backoff(f"{type(e).__name__}: {e}")

    def run(self):
        def until_end(kind):
            # the end: every vote over (or the vote awaited announced and on air), and
            # a heartbeat that follows (last_seq == our seq) says nothing more was sent
            return kind == "heartbeat" and self.quiescent()

        if self.transport == "ws":
            self.probe_ws()
        self.follow_until(until_end)
        if self.drops_left:
            fail(f"the stream ended before {self.drops_left} more drop(s) after "
                 f"{self.drop_after} events; use a lower --speed or --drop-after")

        # Compare with a fresh snapshot (the reference server's, else the one
        # subscribed to); if it is ahead, read on to its seq.
        ref = self.reference
        snap = State.from_snapshot(self.get_json("/v1/snapshot", server=ref))
        if snap.stream != self.state.stream:
            fail(f"GET /v1/snapshot is of stream {snap.stream!r}, "
                 f"the client's is {self.state.stream!r}")
        if snap.seq > self.state.seq:
            self.follow_until(lambda kind: self.state.seq >= snap.seq)
        if snap.seq != self.state.seq:
            fail(f"GET /v1/snapshot at seq {snap.seq}, the client at {self.state.seq}")
        d = first_difference(self.state.as_dict(), snap.as_dict())
        if d:
            fail(f"state differs from GET /v1/snapshot: {d}")
        for server in ([ref] if ref else []) + [None]:
            # an edge's health is the origin's as posted with its heartbeats (§12):
            # it may take a heartbeat to catch up
            give_up = time.monotonic() + (4.0 if self.edge and server is None else 0)
            while True:
                health = self.get_json("/v1/health", server=server)
                if health.get("stream") == snap.stream and health.get("seq") == snap.seq:
                    break
                if time.monotonic() >= give_up:
                    fail(f"GET /v1/health says {health!r}, the snapshot "
                         f"{snap.stream}:{snap.seq}")
                time.sleep(0.25)

    # What §4 and §7 promise a WebSocket client that breaks the rules: checked once,
    # before subscribing for real (none of it changes the stream). An edge (§12)
    # promises the 400 and the 426 only.
    def probe_ws(self):
        path = self.base + "/v1/feed"
        ws = WebSocket(self.host, self.port, path, 10.0, protocol=None)
        ws.close()
        if ws.status != 400:
            fail(f"GET /v1/feed without the subprotocol: status {ws.status}, not 400")
        err = decode(ws.body.decode("utf-8", errors="strict"))
        e = err.get("error")
        if not isinstance(e, dict) or e.get("code") != "bad-message" \
                or not isinstance(e.get("message"), str) or "\n" in e["message"]:
            fail(f"GET /v1/feed without the subprotocol: body {ws.body!r}")
        hconn, resp = self.http_get("/v1/feed")
        try:
            body = resp.read(65536)
            if resp.status != 426 or resp.getheader("Upgrade", "").lower() != "websocket":
                fail(f"GET /v1/feed without a handshake: {resp.status} "
                     f"Upgrade {resp.getheader('Upgrade')!r}, not 426 websocket")
            e = decode(body.decode("utf-8", errors="strict")).get("error")
            if not isinstance(e, dict) or e.get("code") != "upgrade":
                fail(f"GET /v1/feed without a handshake: body {body!r}")
        finally:
            hconn.close()
        if self.edge:
            self.log("probes: 400 without the subprotocol, 426 without a handshake")
            return
        for kind, code in (("text", 1003), ("fragmented", 1003), ("oversize", 1009)):
            ws = WebSocket(self.host, self.port, path, 10.0)
            try:
                if ws.status != 101:
                    fail(f"GET /v1/feed: status {ws.status}")
                decode(ws.recv_message())     # the snapshot
                ping = os.urandom(4)
                if kind == "text":
                    ws.send_frame(0x1, b'{"hello":1}')
                elif kind == "fragmented":
                    ws.send_frame(0x1, b'{"hel', fin=False)
                    ws.send_frame(0x9, ping)
                    ws.send_frame(0x0, b'lo":1}')
                else:
                    # only the header: the frame is refused before it is read
                    ws.send_frame(0x1, b"", length=4 * 1024 + 1)
                try:
                    while True:
                        ws.recv_message()
                except Dropped:
                    pass
                except socket.timeout:
                    fail(f"a client's {kind} data frame was not refused")
                got = ws.close_received[0] if ws.close_received else None
                if kind == "oversize" and got is None:
                    # §4 says 1009; Rollcall's server (libsoup 3.2) shuts the TCP
                    # connection without a close frame: refused all the same
                    pass
                elif got != code:
                    fail(f"a client's {kind} data frame: close {ws.close_received!r}, "
                         f"not {code} (§4)")
                if kind == "fragmented" and ping not in ws.pongs:
                    fail("a ping between the fragments of a message had no pong")
            finally:
                ws.close()
        self.log("probes: 400 without the subprotocol, 426 without a handshake; "
                 "1003, 1003, 1009 for data frames")


def split_url(url):
    u = urllib.parse.urlsplit(url)
    if u.scheme != "http" or not u.hostname:
        fail(f"not an http:// URL: {url}")
    return u.hostname, u.port or 80, u.path.rstrip("/")


def main():
    ap = argparse.ArgumentParser(description="a client of the Rollcall feed "
                                 "protocol, written from docs/feed-protocol.md")
    ap.add_argument("url", help="the server, e.g. http://127.0.0.1:8080")
    ap.add_argument("--transport", choices=("sse", "ws"), default="sse",
                    help="Server-Sent Events (default) or WebSocket")
    ap.add_argument("--edge", action="store_true",
                    help="the server is an edge that relays the stream (§12): hold it "
                    "to what §12 says, not to what only an origin promises (§4's SSE "
                    "framing and ids, exact resumes, no event said twice, no snapshot "
                    "to fetch beside the stream)")
    ap.add_argument("--reference", metavar="URL",
                    help="compare the final state with this server's GET /v1/snapshot "
                    "(and check its /v1/health) as well as the subscribed one's health "
                    "(e.g. the origin behind an edge)")
    ap.add_argument("--drop-after", type=int, default=40, metavar="N",
                    help="drop the connection after N events (default 40)")
    ap.add_argument("--drops", type=int, default=1, metavar="K",
                    help="how many times to drop and resume (default 1)")
    ap.add_argument("--until-on-air", metavar="VOTE",
                    help="end once VOTE is announced and on air (a live session), "
                    "not once every vote is over (a replay)")
    ap.add_argument("--progress", action="store_true",
                    help="print 'applied STREAM:SEQ' on standard output after each "
                    "event or snapshot applied (for a driver)")
    ap.add_argument("--trace", action="store_true",
                    help="print 'trace connect|fetch|snapshot|event|drop|refused …' on "
                    "standard output as it goes (for a driver that checks the order)")
    ap.add_argument("--state-out", metavar="FILE",
                    help="write the final state (JSON, the snapshot's members) to FILE")
    ap.add_argument("--await-ping", action="store_true",
                    help="over WebSocket, before ending, wait for a ping from the "
                    "server if none came yet, and answer it")
    ap.add_argument("--timeout", type=float, default=60.0, metavar="S",
                    help="give up after S seconds (default 60)")
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()
    try:
        c = Client(a.url, a.transport, max(1, a.drop_after), max(0, a.drops),
                   time.monotonic() + a.timeout, a.verbose, a.until_on_air, a.progress,
                   a.edge, a.reference, a.trace)
        c.await_ping = a.await_ping
        c.run()
    except Violation as v:
        print(f"protocol-client[{a.transport}]: {v}", file=sys.stderr)
        return 1
    except (OSError, http.client.HTTPException) as e:
        print(f"protocol-client[{a.transport}]: {type(e).__name__}: {e}", file=sys.stderr)
        return 1
    if a.state_out:
        with open(a.state_out, "w", encoding="utf-8") as f:
            json.dump(c.state.as_dict(), f)
    n = c.counts
    print(f"protocol-client[{a.transport}]: OK: {c.state.stream}:{c.state.seq}, "
          f"{n['events']} events, {n['snapshots']} snapshots, {n['heartbeats']} "
          f"heartbeats, {n['resumes']} resumes, {n['failures']} failed attempts, "
          f"{n['stale']} stale" +
          (f", {n['pings']} pings answered" if a.transport == "ws" else "") +
          (f", {n['fetches']} snapshots fetched beside the stream, {n['dropped']} "
           f"events dropped, {n['rewinds']} rewinds, {n['refusals']} refusals"
           if a.edge else "") +
          "; state equals GET /v1/snapshot" + (" of the reference" if a.reference else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
