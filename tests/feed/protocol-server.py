#!/usr/bin/env python3
"""A replaying feed server of the Rollcall feed protocol, written from
docs/feed-protocol.md and docs/events.md alone (not from Rollcall's code).

  protocol-server.py --jsonl FILE [--speed X] [--port N]
                     [--heartbeat-interval S] [--max-clients N] [--history N]

It replays the session of FILE (JSON Lines, feed-protocol.md §10), folds every
event with the rules of events.md, and serves GET /v1/snapshot, /v1/health,
/v1/events (SSE) and /v1/feed (WebSocket, RFC 6455, subprotocol rollcall.v1).
Python 3 standard library only.
"""

import argparse
import base64
import collections
import datetime
import hashlib
import json
import re
import select
import signal
import socket
import struct
import sys
import threading
import time
import urllib.parse

PROG = "protocol-server"
MAX_MESSAGE = 1 << 20  # §8: one message
BACKLOG_MESSAGES = 4096  # §8: a client's backlog
BACKLOG_BYTES = 4 << 20
RESUME_MAX_EVENTS = 2048  # §4: a resume further behind gets a snapshot
RESUME_MAX_BYTES = 2 << 20
WS_MAX_FRAME = 4 * 1024  # §4: a frame announcing more is refused before it is read
FIRST_REQUEST_TIMEOUT = 10.0  # §8
PING_INTERVAL = 10.0  # §4
PONG_TIMEOUT = 50.0  # §4: two ping intervals and 30 s
SHUTDOWN_GRACE = 2.0  # §11
INT63 = (1 << 63) - 1
WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


class Refused(Exception):
    """A message or an event refused: a one-line reason."""


# ---------------------------------------------------------------- decoding

CHOICES = ("pending", "voted", "yes", "no", "abstain", "not-voting", "no-right")
MAJORITIES = ("simple", "two-thirds", "council", "procedural", "absolute", "unknown")
OUTCOMES = ("adopted", "not-adopted")
# a chamber decides by a rule it knows: "unknown" is a vote's, in a record that does not say
CHAMBER_MAJORITIES = tuple(m for m in MAJORITIES if m != "unknown")
REVEALS = ("live", "after-lock")
RESULTS_SHOWN = ("when-announced", "at-lock")
SHOWS = ("vote", "blank", "holding")
TYPES = ("session", "vote-scheduled", "vote-opened", "ballot", "vote-locked",
         "vote-announced", "vote-corrected", "vote-cancelled", "on-air",
         "heartbeat")
PALETTE = ("background", "text", "dim-text", "cell", "yes", "no", "abstain",
           "not-voting", "pending", "hidden", "adopted", "not-adopted")
TIME_RE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{3}|\d{6}))?Z$")
DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
COLOUR_RE = re.compile(r"^#[0-9A-Fa-f]{6}$")


def _no_duplicates(pairs):
    obj = {}
    for key, value in pairs:
        if key in obj:
            raise Refused(f'member "{key}" appears twice')
        obj[key] = value
    return obj


def _no_constant(name):
    raise Refused(f"not JSON: {name}")


def _check_strings(value, where):
    """No U+0000 and no lone surrogate (not encodable as UTF-8)."""
    if isinstance(value, str):
        if "\0" in value:
            raise Refused(f'field "{where}" holds U+0000')
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise Refused(f'field "{where}" is not valid Unicode') from None
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_strings(key, where)
            _check_strings(item, f"{where}.{key}" if where else key)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _check_strings(item, f"{where}[{i}]")


def parse_json_object(raw):
    """Bytes to a dict, as strictly as events.md "What a decoder refuses"."""
    if len(raw) > MAX_MESSAGE:
        raise Refused(f"longer than 1 MiB ({len(raw)} bytes)")
    if b"\0" in raw:
        raise Refused("holds a NUL byte")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused("not valid UTF-8") from None
    if not text.strip():
        raise Refused("empty")
    try:
        value = json.loads(text, object_pairs_hook=_no_duplicates,
                           parse_constant=_no_constant)
    except json.JSONDecodeError as e:
        raise Refused(f"not JSON: {e.msg}") from None
    if not isinstance(value, dict):
        raise Refused("not a JSON object")
    _check_strings(value, "")
    return value


class Fields:
    """Typed access to one object's members, with one-line reasons."""

    def __init__(self, obj, what, prefix=""):
        self.obj = obj
        self.what = what
        self.prefix = prefix

    def _name(self, key):
        return f"{self.prefix}{key}"

    def fail(self, key, why):
        raise Refused(f'{self.what}: field "{self._name(key)}" {why}')

    def required(self, key):
        if key not in self.obj or self.obj[key] is None:
            self.fail(key, "is missing")
        return self.obj[key]

    def string(self, key, nonempty=False):
        value = self.required(key)
        if not isinstance(value, str):
            self.fail(key, "is not a string")
        if nonempty and value == "":
            self.fail(key, "is empty")
        return value

    def text(self, key):
        """An optional text: null, missing or "" all read as absent."""
        value = self.obj.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            self.fail(key, "is not a string")
        return value or None

    def boolean(self, key):
        value = self.required(key)
        if not isinstance(value, bool):
            self.fail(key, "is not a boolean")
        return value

    def integer(self, key):
        value = self.required(key)
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(key, "is not an integer")
        if value < 0 or value > INT63:
            self.fail(key, f"is out of range ({value})")
        return value

    def enum(self, key, values):
        value = self.string(key)
        if value not in values:
            self.fail(key, f'has an unknown value "{value}"')
        return value

    def obj_member(self, key):
        value = self.required(key)
        if not isinstance(value, dict):
            self.fail(key, "is not an object")
        return Fields(value, self.what, self._name(key) + ".")

    def time(self, key):
        value = self.string(key)
        return parse_time(value, lambda why: self.fail(key, why))


def parse_time(value, fail):
    m = TIME_RE.match(value)
    if not m:
        fail(f'is not a time of the form YYYY-MM-DDTHH:MM:SS.mmmZ: "{value}"')
    frac = m.group(7) or ""
    micro = int(frac.ljust(6, "0")) if frac else 0
    try:
        dt = datetime.datetime(*(int(m.group(i)) for i in range(1, 7)), micro,
                               tzinfo=datetime.timezone.utc)
    except ValueError:
        fail(f'is not a real time: "{value}"')
    return dt


def format_time(dt):
    """Milliseconds, or microseconds when the time has them (events.md)."""
    base = dt.strftime("%Y-%m-%dT%H:%M:%S")
    if dt.microsecond % 1000 == 0:
        return f"{base}.{dt.microsecond // 1000:03d}Z"
    return f"{base}.{dt.microsecond:06d}Z"


def decode_session(f):
    s = f.obj_member("session")
    sid = s.string("id", nonempty=True)
    date = s.string("date")
    m = DATE_RE.match(date)
    try:
        if not m:
            raise ValueError
        datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        s.fail("date", f'is not a date: "{date}"')
    session = {"id": sid, "meeting": s.text("meeting"), "date": date,
               "title": s.text("title"), "timezone": s.text("timezone"),
               "synthesized": s.boolean("synthesized")}
    c = f.obj_member("chamber")
    r = c.obj_member("rules")
    p = c.obj_member("palette")
    palette = {}
    for name in PALETTE:
        colour = p.string(name)
        if not COLOUR_RE.match(colour):
            p.fail(name, f'is not a colour #rrggbb: "{colour}"')
        palette[name] = colour
    chamber = {"id": c.string("id", nonempty=True), "name": c.text("name"),
               "body": c.text("body"),
               "rules": {"majority": r.enum("majority", CHAMBER_MAJORITIES),
                         "council_affirmative": r.integer("council_affirmative"),
                         "concurrent_votes": r.boolean("concurrent_votes")},
               "palette": palette}
    roster_value = f.required("roster")
    if not isinstance(roster_value, list):
        f.fail("roster", "is not an array")
    if not roster_value:
        f.fail("roster", "is empty")
    roster = []
    codes = set()
    for i, item in enumerate(roster_value):
        if not isinstance(item, dict):
            f.fail(f"roster[{i}]", "is not an object")
        m_ = Fields(item, f.what, f"roster[{i}].")
        code = m_.string("code", nonempty=True)
        if code in codes:
            m_.fail("code", f'repeats "{code}"')
        codes.add(code)
        roster.append({"code": code, "name": m_.string("name", nonempty=True),
                       "label": m_.string("label", nonempty=True),
                       "sort_key": m_.string("sort_key"),
                       "veto": m_.boolean("veto")})
    return {"session": session, "chamber": chamber, "roster": roster}


def decode_event(obj):
    """A decoded event: its members in the order Rollcall writes them."""
    head = Fields(obj, "event")
    if "v" not in obj:
        head.fail("v", "is missing")
    if obj["v"] != 1 or isinstance(obj["v"], bool):
        raise Refused(f"unknown version v={json.dumps(obj['v'])}")
    etype = head.enum("type", TYPES)
    f = Fields(obj, f"{etype} event")
    ev = {"v": 1, "seq": f.integer("seq"), "time": f.time("time"),
          "type": etype}
    if etype == "session":
        ev.update(decode_session(f))
    elif etype == "vote-scheduled":
        ev.update(vote=f.string("vote", nonempty=True), symbol=f.text("symbol"),
                  draft=f.text("draft"), title=f.text("title"),
                  majority=f.enum("majority", MAJORITIES),
                  recorded=f.boolean("recorded"),
                  reveal=f.enum("reveal", REVEALS),
                  # protocol 1.1; missing (1.0) is the default
                  result_shown=(f.enum("result_shown", RESULTS_SHOWN)
                                if "result_shown" in f.obj else "when-announced"))
    elif etype in ("vote-opened",):
        ev["vote"] = f.string("vote", nonempty=True)
    elif etype == "ballot":
        ev.update(vote=f.string("vote", nonempty=True),
                  member=f.string("member", nonempty=True),
                  choice=f.enum("choice", CHOICES))
    elif etype == "vote-locked":
        ev["vote"] = f.string("vote", nonempty=True)
        ballots = obj.get("ballots")
        if ballots is not None:
            if not isinstance(ballots, list):
                f.fail("ballots", "is not an array")
            out = []
            for i, item in enumerate(ballots):
                if not isinstance(item, dict):
                    f.fail(f"ballots[{i}]", "is not an object")
                b = Fields(item, f.what, f"ballots[{i}].")
                out.append({"member": b.string("member", nonempty=True),
                            "choice": b.enum("choice", CHOICES)})
            ballots = out
        ev["ballots"] = ballots
    elif etype == "vote-announced":
        ev["vote"] = f.string("vote", nonempty=True)
        official = obj.get("official")
        if official is not None:
            if not isinstance(official, dict):
                f.fail("official", "is not an object")
            o = Fields(official, f.what, "official.")
            no_right = 0
            if official.get("no_right") is not None:
                no_right = o.integer("no_right")
            official = {"yes": o.integer("yes"), "no": o.integer("no"),
                        "abstain": o.integer("abstain"),
                        "not_voting": o.integer("not_voting"),
                        "no_right": no_right}
        ev["official"] = official
        ev["outcome"] = f.enum("outcome", OUTCOMES) if obj.get("outcome") is not None else None
    elif etype == "vote-corrected":
        ev.update(vote=f.string("vote", nonempty=True),
                  member=f.string("member", nonempty=True),
                  choice=f.enum("choice", CHOICES), note=f.text("note"))
    elif etype == "vote-cancelled":
        ev.update(vote=f.string("vote", nonempty=True), note=f.text("note"))
    elif etype == "on-air":
        ev["show"] = f.enum("show", SHOWS)
        ev["vote"] = f.string("vote", nonempty=True) if ev["show"] == "vote" else None
        # the holding slide's line (protocol 1.1), optional
        if ev["show"] == "holding":
            ev["text"] = f.text("text")
    return ev


# ---------------------------------------------------------------- the state machine

class Session:
    """The state folded from events, with the rules of events.md."""

    def __init__(self):
        self.seq = 0
        self.time = None
        self.described = None  # {"session", "chamber", "roster"}
        self.codes = set()
        self.votes = collections.OrderedDict()
        self.on_air = None

    def _vote(self, ev):
        vote = self.votes.get(ev["vote"])
        if vote is None:
            raise Refused(f"{ev['type']}: unknown vote '{ev['vote']}'")
        return vote

    def _member(self, ev, code):
        if code not in self.codes:
            raise Refused(f"{ev['type']}: member '{code}' is not on the roster")

    def _state(self, ev, vote, *allowed):
        if vote["state"] not in allowed:
            raise Refused(f"{ev['type']}: vote '{vote['vote']}' is "
                          f"{vote['state']}, not {' or '.join(allowed)}")

    def apply(self, ev):
        """Check the event, then apply it; a refused event changes nothing."""
        t = ev["type"]
        if t == "heartbeat":
            raise Refused("heartbeat: never part of a session's events")
        if ev["seq"] != self.seq + 1:
            raise Refused(f"{t}: seq {ev['seq']} does not follow {self.seq}")
        if self.time is not None and ev["time"] < self.time:
            raise Refused(f"{t}: time {format_time(ev['time'])} is earlier than "
                          f"{format_time(self.time)}")
        if t != "session" and self.described is None:
            raise Refused(f"{t}: the session is not described yet")
        getattr(self, "_" + t.replace("-", "_"))(ev)
        self.seq = ev["seq"]
        self.time = ev["time"]

    def _session(self, ev):
        if self.described is not None:
            old = self.described
            if ev["session"]["id"] != old["session"]["id"]:
                raise Refused(f"session: another session '{ev['session']['id']}' "
                              f"than '{old['session']['id']}'")
            if self.votes and (ev["roster"] != old["roster"]
                               or ev["chamber"]["rules"] != old["chamber"]["rules"]
                               or ev["chamber"]["palette"] != old["chamber"]["palette"]):
                raise Refused("session: the roster or the chamber changed once votes exist")
        self.described = {k: ev[k] for k in ("session", "chamber", "roster")}
        self.codes = {m["code"] for m in ev["roster"]}

    def _vote_scheduled(self, ev):
        # a scheduled vote may be described again (docs/events.md); not once it opened
        if ev["vote"] in self.votes and self.votes[ev["vote"]]["state"] != "scheduled":
            raise Refused(f"vote-scheduled: vote '{ev['vote']}' exists already and is "
                          f"{self.votes[ev['vote']]['state']}")
        if ev["majority"] in ("council", "procedural"):
            # "a chamber with a council rule": read as one that sets a number of
            # yes votes (council_affirmative > 0), as rollcall-import does
            if self.described["chamber"]["rules"]["council_affirmative"] <= 0:
                raise Refused(f"vote-scheduled: a {ev['majority']} majority in a chamber "
                              "without a council rule")
        if ev["majority"] == "council":
            if not ev["recorded"]:
                raise Refused("vote-scheduled: a council vote must be recorded")
        vote = {k: ev[k] for k in ("vote", "symbol", "draft", "title",
                                   "majority", "recorded", "reveal", "result_shown")}
        vote.update(state="scheduled", opened=None, locked=None, announced=None,
                    ballots={}, official=None, outcome=None, corrected=False, note=None)
        self.votes[ev["vote"]] = vote

    def _vote_opened(self, ev):
        vote = self._vote(ev)
        self._state(ev, vote, "scheduled")
        if not self.described["chamber"]["rules"]["concurrent_votes"]:
            for other in self.votes.values():
                if other["state"] == "open":
                    raise Refused(f"vote-opened: vote '{other['vote']}' is open")
        vote["state"] = "open"
        vote["opened"] = ev["time"]

    def _ballot(self, ev):
        vote = self._vote(ev)
        self._state(ev, vote, "open")
        member, choice = ev["member"], ev["choice"]
        self._member(ev, member)
        if choice == "not-voting":
            raise Refused("ballot: not-voting is not a ballot's choice")
        if vote["ballots"].get(member) == "no-right" and choice != "no-right":
            raise Refused(f"ballot: member '{member}' has no right to vote")
        if not vote["recorded"] and choice not in ("pending", "voted", "no-right"):
            raise Refused(f"ballot: vote '{vote['vote']}' is not recorded: no choice may be sent")
        if choice == "pending":
            vote["ballots"].pop(member, None)
        else:
            vote["ballots"][member] = choice

    def _vote_locked(self, ev):
        vote = self._vote(ev)
        self._state(ev, vote, "open")
        ballots = dict(vote["ballots"])
        for entry in ev["ballots"] or []:
            member, choice = entry["member"], entry["choice"]
            self._member(ev, member)
            if choice in ("pending", "voted"):
                raise Refused(f"vote-locked: '{choice}' is not a final choice")
            if not vote["recorded"] and choice not in ("not-voting", "no-right"):
                raise Refused("vote-locked: a vote that is not recorded reveals no choice")
            if ballots.get(member) == "no-right" and choice != "no-right":
                raise Refused(f"vote-locked: member '{member}' has no right to vote")
            ballots[member] = choice
        for code in self.codes:
            ballots.setdefault(code, "not-voting")
        if vote["recorded"] and "voted" in ballots.values():
            raise Refused("vote-locked: the lock leaves a hidden choice")
        vote["ballots"] = ballots
        vote["state"] = "locked"
        vote["locked"] = ev["time"]

    def _vote_announced(self, ev):
        vote = self._vote(ev)
        self._state(ev, vote, "locked")
        official = ev["official"]
        if official is None and not vote["recorded"]:
            raise Refused("vote-announced: a vote that is not recorded needs official totals")
        if official is not None:
            total = (official["yes"] + official["no"] + official["abstain"]
                     + official["not_voting"])
            if total > len(self.codes):
                raise Refused(f"vote-announced: the official totals ({total}) "
                              f"exceed the roster ({len(self.codes)})")
        if ev["outcome"] is not None and vote["majority"] != "unknown":
            raise Refused(f"vote-announced: vote {vote['vote']!r} has the {vote['majority']} "
                          "rule: its verdict is computed, not stated")
        vote["official"] = official
        vote["outcome"] = ev["outcome"]
        vote["state"] = "announced"
        vote["announced"] = ev["time"]

    def _vote_corrected(self, ev):
        vote = self._vote(ev)
        self._state(ev, vote, "announced")
        if not vote["recorded"]:
            raise Refused("vote-corrected: the vote is not recorded")
        self._member(ev, ev["member"])
        if vote["ballots"].get(ev["member"]) == "no-right":
            raise Refused(f"vote-corrected: member '{ev['member']}' has no right to vote")
        if ev["choice"] not in ("yes", "no", "abstain", "not-voting"):
            raise Refused(f"vote-corrected: '{ev['choice']}' is not a correction's choice")
        vote["ballots"][ev["member"]] = ev["choice"]
        vote["corrected"] = True
        vote["note"] = ev["note"]

    def _vote_cancelled(self, ev):
        vote = self._vote(ev)
        self._state(ev, vote, "scheduled", "open", "locked")
        vote["state"] = "cancelled"
        vote["note"] = ev["note"]

    def _on_air(self, ev):
        if ev["show"] == "vote":
            self._vote(ev)
            self.on_air = {"show": "vote", "vote": ev["vote"]}
        elif ev["show"] == "holding":
            self.on_air = {"show": "holding", "text": ev["text"]}
        else:
            self.on_air = {"show": ev["show"]}

    def snapshot(self, stream):
        """The snapshot object of §3, members in the order shown there."""
        d = self.described
        votes = []
        for v in self.votes.values():
            vote = dict(v)
            for k in ("opened", "locked", "announced"):
                vote[k] = format_time(v[k]) if v[k] else None
            order = [m["code"] for m in d["roster"]]
            vote["ballots"] = {c: v["ballots"][c] for c in order if c in v["ballots"]}
            out = {k: vote[k] for k in (
                "vote", "symbol", "draft", "title", "majority", "recorded",
                "reveal", "result_shown", "state", "opened", "locked", "announced", "ballots",
                "official")}
            if vote.get("outcome") is not None:
                out["outcome"] = vote["outcome"]
            out.update(corrected=vote["corrected"], note=vote["note"])
            votes.append(out)
        return {"v": 1, "type": "snapshot", "stream": stream, "seq": self.seq,
                "time": format_time(self.time) if self.time else None,
                "session": d["session"] if d else None,
                "chamber": d["chamber"] if d else None,
                "roster": d["roster"] if d else None,
                "votes": votes, "on_air": self.on_air}


def encode(obj):
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def wire_event(ev, stream):
    """The event as the feed sends it: "stream" second, after v."""
    out = {"v": 1, "stream": stream}
    for k, value in ev.items():
        if k == "v":
            continue
        out[k] = format_time(value) if k == "time" else value
    return out


def load_jsonl(path):
    """Decode and check the whole file; a Refused names the line."""
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as e:
        raise Refused(f"{path}: {e.strerror}") from None
    events = []
    check = Session()
    for number, raw in enumerate(data.split(b"\n"), 1):
        if not raw.strip():
            continue  # blank lines are skipped, as rollcall-import does
        try:
            ev = decode_event(parse_json_object(raw))
            check.apply(ev)
        except Refused as e:
            raise Refused(f"{path}:{number}: {e}") from None
        events.append(ev)
    if not events:
        raise Refused(f"{path}: no events")
    return events


# ---------------------------------------------------------------- the hub

class Hub:
    """One stream: its state, the events kept for resuming, the subscribers."""

    def __init__(self, stream, history, max_clients):
        self.lock = threading.Lock()
        self.stream = stream
        self.state = Session()
        self.kept = collections.deque()  # (seq, encoded text)
        self.history = history
        self.max_clients = max_clients
        self.subscribers = set()
        self.closing = False

    def publish(self, ev):
        with self.lock:
            self.state.apply(ev)
            text = encode(wire_event(ev, self.stream))
            if self.history > 0:
                self.kept.append((ev["seq"], ev["type"], text))
                while len(self.kept) > self.history:
                    self.kept.popleft()
            for sub in list(self.subscribers):
                sub.push(("event", ev["seq"], ev["type"], text))

    def subscribe(self, sub, last_id):
        """Register sub and queue its start (§4); False when full."""
        with self.lock:
            if self.closing or len(self.subscribers) >= self.max_clients:
                return False
            backlog = self._backlog(last_id)
            if backlog is None:
                snap = self.state.snapshot(self.stream)
                sub.push(("snapshot", self.state.seq, "snapshot", encode(snap)))
            else:
                sub.last_seq = last_id[1]
                for seq, etype, text in backlog:
                    sub.push(("event", seq, etype, text))
            self.subscribers.add(sub)
            return True

    def _backlog(self, last_id):
        """The events after a resumable position, or None for a snapshot."""
        if last_id is None or last_id[0] != self.stream:
            return None
        seq = last_id[1]
        if seq > self.state.seq:
            return None
        if seq == self.state.seq:
            return []
        oldest = self.kept[0][0] if self.kept else self.state.seq + 1
        if seq + 1 < oldest:
            return None
        out = [k for k in self.kept if k[0] > seq]
        if len(out) > RESUME_MAX_EVENTS or sum(len(k[2]) for k in out) > RESUME_MAX_BYTES:
            return None
        return out

    def unsubscribe(self, sub):
        with self.lock:
            self.subscribers.discard(sub)

    def health(self):
        with self.lock:
            return {"v": 1, "stream": self.stream, "seq": self.state.seq,
                    "clients": len(self.subscribers)}

    def snapshot_text(self):
        with self.lock:
            return encode(self.state.snapshot(self.stream))

    def close(self):
        with self.lock:
            self.closing = True
            subs = list(self.subscribers)
        for sub in subs:
            sub.push(("close",))


class Subscriber:
    """The queue between the hub and one connection's writer."""

    def __init__(self, peer):
        self.peer = peer
        self.cond = threading.Condition()
        self.queue = collections.deque()
        self.queued_bytes = 0
        self.too_slow = None
        self.last_seq = 0

    def push(self, item):
        with self.cond:
            if self.too_slow:
                return
            size = len(item[3]) if len(item) > 3 else 0
            if item[0] != "close" and (len(self.queue) >= BACKLOG_MESSAGES
                                       or self.queued_bytes + size > BACKLOG_BYTES):
                self.too_slow = (f"too slow ({len(self.queue)} messages, "
                                 f"{self.queued_bytes} bytes not yet taken)")
                self.queue.clear()
                self.cond.notify_all()
                return
            self.queue.append(item)
            self.queued_bytes += size
            self.cond.notify_all()

    def take(self, timeout):
        """The next item, ("too-slow",) or None after timeout."""
        with self.cond:
            if not self.queue and not self.too_slow:
                self.cond.wait(timeout)
            if self.too_slow:
                return ("too-slow",)
            if not self.queue:
                return None
            item = self.queue.popleft()
            if len(item) > 3:
                self.queued_bytes -= len(item[3])
            return item


def parse_last_event_id(value):
    """(stream, seq) for a well-formed STREAM:SEQ (§2), else None."""
    if value is None:
        return None
    stream, sep, seq = value.partition(":")
    if not sep or not stream or not seq or not seq.isascii() or not seq.isdigit():
        return None
    if int(seq) > INT63:
        return None
    return stream, int(seq)


def now_time():
    dt = datetime.datetime.now(datetime.timezone.utc)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond:06d}Z"


# ---------------------------------------------------------------- HTTP

STATUS = {101: "Switching Protocols", 200: "OK", 400: "Bad Request",
          404: "Not Found", 405: "Method Not Allowed", 408: "Request Timeout",
          413: "Payload Too Large", 426: "Upgrade Required",
          431: "Request Header Fields Too Large", 503: "Service Unavailable",
          505: "HTTP Version Not Supported"}
READING = {"/v1/snapshot": ("GET", "HEAD"), "/v1/health": ("GET", "HEAD"),
           "/v1/feed": ("GET",), "/v1/events": ("GET",)}
COMMON_HEADERS = [("Access-Control-Allow-Origin", "*"), ("Cache-Control", "no-store")]
MAX_HEAD = 64 * 1024


def log(message):
    print(f"{PROG}: {message}", file=sys.stderr, flush=True)


class Request:
    def __init__(self, method, target, version, headers):
        self.method = method
        self.version = version
        url = urllib.parse.urlsplit(target)
        self.path = url.path
        self.query = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        self.headers = headers  # lower-case name -> value (the first)

    def header(self, name):
        return self.headers.get(name.lower())


class Connection:
    def __init__(self, server, sock, peer):
        self.server = server
        self.sock = sock
        self.peer = f"{peer[0]}:{peer[1]}"
        self.buf = b""
        self.deadline = None
        self.streaming = False

    # -- reading

    def _fill(self):
        if self.deadline is not None:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise socket.timeout("deadline")
            self.sock.settimeout(left)
        data = self.sock.recv(65536)
        if not data:
            raise ConnectionError("closed")
        self.buf += data

    def read_exact(self, n):
        while len(self.buf) < n:
            self._fill()
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def read_request(self):
        while b"\r\n\r\n" not in self.buf:
            if len(self.buf) > MAX_HEAD:
                self.respond_error(431, "bad-message", "request head too large",
                                   close=True)
                return None
            self._fill()
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        parts = lines[0].split(" ")
        if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
            self.respond_error(400, "bad-message", "not an HTTP/1 request", close=True)
            return None
        headers = {}
        for line in lines[1:]:
            name, sep, value = line.partition(":")
            if not sep:
                self.respond_error(400, "bad-message", "a malformed header", close=True)
                return None
            headers.setdefault(name.strip().lower(), value.strip())
        req = Request(parts[0], parts[1], parts[2], headers)
        length = req.header("content-length")
        if req.header("transfer-encoding"):
            self.respond_error(400, "bad-message", "a body on a reading endpoint",
                               close=True)
            return None
        if length:
            if not length.isdigit() or int(length) > 65536:
                self.respond_error(413, "too-large", "the body is too large", close=True)
                return None
            self.read_exact(int(length))  # no reading endpoint takes a body
        return req

    # -- writing

    def send(self, data):
        self.sock.sendall(data)

    def keep_alive(self, req):
        conn = (req.header("connection") or "").lower()
        if req.version == "HTTP/1.0":
            return "keep-alive" in conn
        return "close" not in conn

    def respond(self, req, status, body, headers=(), close=False, head_only=False):
        lines = [f"HTTP/1.1 {status} {STATUS.get(status, 'Error')}"]
        lines += [f"{k}: {v}" for k, v in headers]
        lines.append("Content-Type: application/json")
        lines.append(f"Content-Length: {len(body)}")
        if close:
            lines.append("Connection: close")
        data = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        self.send(data if head_only else data + body)

    def respond_error(self, status, code, message, headers=(), close=False, req=None):
        body = encode({"v": 1, "error": {"code": code, "message": message}}).encode()
        what = f"{req.method} {req.path}" if req else "request"
        log(f"feed: {self.peer}: {what} refused ({status} {code}): {message}")
        self.respond(req, status, body, list(COMMON_HEADERS) + list(headers),
                     close=close, head_only=req is not None and req.method == "HEAD")

    # -- serving

    def serve(self):
        try:
            first = True
            while True:
                # the first request within 10 s of connecting (§8); a kept-alive
                # connection may then idle for a minute
                wait = FIRST_REQUEST_TIMEOUT if first else 60.0
                self.deadline = time.monotonic() + wait
                try:
                    req = self.read_request()
                except socket.timeout:
                    if not first:
                        return
                    log(f"feed: {self.peer}: no whole request within "
                        f"{FIRST_REQUEST_TIMEOUT:g} s, shut")
                    return
                if req is None:
                    return
                first = False
                self.deadline = None
                self.sock.settimeout(None)
                if not self.handle(req):
                    return
        except (OSError, ConnectionError):
            pass
        finally:
            try:
                self.sock.close()
            except OSError:
                pass

    def handle(self, req):
        """Answer one request; False when the connection is done."""
        close = not self.keep_alive(req)
        path = req.path
        if path not in READING:
            # the control API's paths too: without a token there is none (§11)
            self.respond_error(404, "not-found", f"no such path: {path}",
                               close=close, req=req)
            return not close
        allowed = READING[path]
        if req.method not in allowed:
            self.respond_error(405, "method", f"{req.method} is not a method of {path}",
                               headers=[("Allow", ", ".join(allowed))],
                               close=close, req=req)
            return not close
        hub = self.server.hub
        if path == "/v1/snapshot":
            body = hub.snapshot_text().encode()
            self.respond(req, 200, body, COMMON_HEADERS, close=close,
                         head_only=req.method == "HEAD")
            return not close
        if path == "/v1/health":
            body = encode(hub.health()).encode()
            self.respond(req, 200, body, COMMON_HEADERS, close=close,
                         head_only=req.method == "HEAD")
            return not close
        if path == "/v1/events":
            self.serve_sse(req)
            return False
        self.serve_ws(req)
        return False

    def last_id(self, req, query_first):
        """SSE: the header wins (§4). WebSocket: §4 names the query first and
        says no more; rollcall-feed lets the query win there, so this does."""
        header = req.header("last-event-id")
        values = req.query.get("last_event_id")
        query = values[0] if values else None
        first, second = (query, header) if query_first else (header, query)
        return parse_last_event_id(first if first is not None else second)

    def subscribe(self, req, query_first):
        sub = Subscriber(self.peer)
        self.streaming = True
        if not self.server.hub.subscribe(sub, self.last_id(req, query_first)):
            self.respond_error(503, "busy", "the server has as many subscribers "
                               "as it takes", headers=[("Retry-After", "5")],
                               close=True, req=req)
            return None
        return sub

    # -- Server-Sent Events

    def serve_sse(self, req):
        sub = self.subscribe(req, False)
        if sub is None:
            return
        chunked = req.version != "HTTP/1.0"
        hub = self.server.hub
        interval = self.server.heartbeat
        try:
            lines = ["HTTP/1.1 200 OK", "Content-Type: text/event-stream"]
            lines += [f"{k}: {v}" for k, v in COMMON_HEADERS]
            lines.append("Transfer-Encoding: chunked" if chunked else "Connection: close")
            self.send(("\r\n".join(lines) + "\r\n\r\n").encode())

            def out(text):
                data = text.encode()
                if chunked:
                    data = f"{len(data):x}\r\n".encode() + data + b"\r\n"
                self.send(data)

            out("retry: 1000\n\n")
            last_sent = time.monotonic()
            while True:
                item = sub.take(interval / 4)
                if item is None:
                    if self._peer_gone():
                        return
                    if time.monotonic() - last_sent >= interval * 0.75:
                        out(f"event: heartbeat\ndata: {self._heartbeat(hub, sub)}\n\n")
                        last_sent = time.monotonic()
                    continue
                kind = item[0]
                if kind == "too-slow":
                    log(f"feed: {self.peer} (SSE) dropped: {sub.too_slow}; it may resume")
                    self.sock.shutdown(socket.SHUT_RDWR)
                    return
                if kind == "close":
                    if chunked:
                        self.send(b"0\r\n\r\n")
                    self.sock.shutdown(socket.SHUT_WR)
                    return
                _, seq, etype, text = item
                if kind == "snapshot":
                    out(f"event: snapshot\ndata: {text}\n\n: snapshot\n"
                        f"id: {hub.stream}:{seq}\n\n")
                else:
                    out(f"id: {hub.stream}:{seq}\nevent: {etype}\ndata: {text}\n\n")
                sub.last_seq = seq
                last_sent = time.monotonic()
        finally:
            hub.unsubscribe(sub)
            self.server.done(self)

    def _peer_gone(self):
        """Whether an SSE client has closed its side (it sends nothing else)."""
        readable, _, _ = select.select([self.sock], [], [], 0)
        if not readable:
            return False
        try:
            return self.sock.recv(4096) == b""
        except OSError:
            return True

    def _heartbeat(self, hub, sub):
        return encode({"v": 1, "seq": 0, "time": now_time(), "type": "heartbeat",
                       "stream": hub.stream, "last_seq": sub.last_seq})

    # -- WebSocket (RFC 6455, server side)

    def serve_ws(self, req):
        protocols = [p.strip() for p in (req.header("sec-websocket-protocol") or "").split(",")]
        if "rollcall.v1" not in protocols:
            self.respond_error(400, "bad-message", "a WebSocket subscription must ask "
                               "for the subprotocol rollcall.v1", close=True, req=req)
            return
        key = req.header("sec-websocket-key") or ""
        upgrade = (req.header("upgrade") or "").lower()
        connection = [t.strip() for t in (req.header("connection") or "").lower().split(",")]
        try:
            key_ok = len(base64.b64decode(key, validate=True)) == 16
        except ValueError:
            key_ok = False
        if upgrade != "websocket" or "upgrade" not in connection or not key_ok:
            self.respond_error(400, "bad-message", "not a WebSocket handshake",
                               close=True, req=req)
            return
        if req.header("sec-websocket-version") != "13":
            self.respond_error(426, "bad-message", "WebSocket version 13 only",
                               headers=[("Sec-WebSocket-Version", "13")],
                               close=True, req=req)
            return
        sub = self.subscribe(req, True)
        if sub is None:
            return
        hub = self.server.hub
        accept = base64.b64encode(hashlib.sha1((key + WS_GUID).encode()).digest()).decode()
        lines = ["HTTP/1.1 101 Switching Protocols", "Upgrade: websocket",
                 "Connection: Upgrade", f"Sec-WebSocket-Accept: {accept}",
                 "Sec-WebSocket-Protocol: rollcall.v1"]
        lines += [f"{k}: {v}" for k, v in COMMON_HEADERS]
        self.send_lock = threading.RLock()
        self.ws_closing = None  # (code, reason) once we sent a close
        self.last_pong = time.monotonic()
        try:
            self.send(("\r\n".join(lines) + "\r\n\r\n").encode())
        except OSError:
            hub.unsubscribe(sub)
            self.server.done(self)
            return
        reader = threading.Thread(target=self._ws_reader, args=(sub,), daemon=True)
        reader.start()
        try:
            self._ws_writer(sub)
        except OSError:
            pass
        finally:
            hub.unsubscribe(sub)
            # let the reader see the client's close, but not for ever
            reader.join(SHUTDOWN_GRACE)
            self.server.done(self)

    def _ws_frame(self, opcode, payload):
        n = len(payload)
        if n < 126:
            head = struct.pack("!BB", 0x80 | opcode, n)
        elif n < 65536:
            head = struct.pack("!BBH", 0x80 | opcode, 126, n)
        else:
            head = struct.pack("!BBQ", 0x80 | opcode, 127, n)
        with self.send_lock:
            self.send(head + payload)

    def _ws_close(self, code, reason=""):
        with self.send_lock:
            if self.ws_closing:
                return
            self.ws_closing = (code, reason)
        self._ws_frame(0x8, struct.pack("!H", code) + reason.encode()[:120])

    def _ws_writer(self, sub):
        hub = self.server.hub
        interval = self.server.heartbeat
        last_sent = time.monotonic()
        last_ping = time.monotonic()
        while not self.ws_closing:
            item = sub.take(min(interval / 4, 1.0))
            now = time.monotonic()
            if self.ws_closing:
                break
            if now - self.last_pong > PONG_TIMEOUT:
                log(f"feed: {self.peer} (WebSocket) dropped: no pong; it may resume")
                self._ws_close(1001, "no pong")
                break
            if now - last_ping >= PING_INTERVAL:
                self._ws_frame(0x9, b"rollcall")
                last_ping = now
            if item is None:
                if now - last_sent >= interval * 0.75:
                    self._ws_frame(0x1, self._heartbeat(hub, sub).encode())
                    last_sent = now
                continue
            kind = item[0]
            if kind == "too-slow":
                log(f"feed: {self.peer} (WebSocket) dropped: {sub.too_slow}; it may resume")
                self._ws_close(4001, "too slow")
                break
            if kind == "close":
                self._ws_close(1001, "going away")
                break
            _, seq, _etype, text = item
            self._ws_frame(0x1, text.encode())
            sub.last_seq = seq
            last_sent = time.monotonic()
        # wait (briefly) for the client's close, then end the TCP connection
        deadline = time.monotonic() + SHUTDOWN_GRACE
        while not getattr(self, "ws_peer_closed", False) and time.monotonic() < deadline:
            time.sleep(0.02)
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _ws_reader(self, sub):
        """Pings, pongs and the close; any data frame is refused (§4)."""
        refused = False  # after our refusal, only the client's close matters
        try:
            while True:
                b0, b1 = self.read_exact(2)
                fin, rsv, opcode = b0 & 0x80, b0 & 0x70, b0 & 0x0F
                masked, n = b1 & 0x80, b1 & 0x7F
                if n == 126:
                    n = struct.unpack("!H", self.read_exact(2))[0]
                elif n == 127:
                    n = struct.unpack("!Q", self.read_exact(8))[0]
                bad = (rsv or not masked or opcode not in (0x0, 0x1, 0x2, 0x8, 0x9, 0xA)
                       or (opcode >= 0x8 and (n > 125 or not fin)))
                if bad and not refused:
                    log(f"feed: {self.peer} (WebSocket) dropped: a malformed frame")
                    self._ws_close(1002, "protocol error")
                    break
                if n > WS_MAX_FRAME:
                    if not refused:
                        log(f"feed: {self.peer} (WebSocket) dropped: a frame of {n} bytes")
                        self._ws_close(1009, "message too big")
                    break  # its payload is not read: the stream cannot go on
                mask = self.read_exact(4)
                payload = bytes(b ^ mask[i % 4] for i, b in enumerate(self.read_exact(n)))
                if opcode == 0x8:
                    code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else 1000
                    self._ws_close(1000 if code in (1005, 1006, 1015) else code)
                    break
                if refused:
                    continue
                if opcode in (0x0, 0x1, 0x2):
                    log(f"feed: {self.peer} (WebSocket) dropped: a data frame from the client")
                    self._ws_close(1003, "no data frames")
                    refused = True
                    sub.push(("close",))
                elif opcode == 0x9:
                    self._ws_frame(0xA, payload)
                elif opcode == 0xA:
                    self.last_pong = time.monotonic()
        except (OSError, ConnectionError, ValueError):
            pass
        self.ws_peer_closed = True
        sub.push(("close",))


class Server:
    def __init__(self, args, events):
        run = base36(int(time.time() * 1000))
        sid = events[0]["session"]["id"].replace(":", "-")
        self.hub = Hub(f"{sid}~{run}-1", args.history, args.max_clients)
        self.events = events
        self.speed = args.speed
        self.heartbeat = args.heartbeat_interval
        self.stop = threading.Event()
        self.conn_lock = threading.Lock()
        self.streaming = set()  # every open connection
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", args.port))
        self.sock.listen(4096)

    def done(self, conn):
        with self.conn_lock:
            self.streaming.discard(conn)

    def accept_loop(self):
        while not self.stop.is_set():
            try:
                sock, peer = self.sock.accept()
            except OSError:
                break
            conn = Connection(self, sock, peer)
            with self.conn_lock:
                self.streaming.add(conn)
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn):
        try:
            conn.serve()
        finally:
            self.done(conn)

    def replay(self):
        start = time.monotonic()
        first = self.events[0]["time"]
        for ev in self.events:
            due = start + (ev["time"] - first).total_seconds() / self.speed
            delay = due - time.monotonic()
            if delay > 0 and self.stop.wait(delay):
                return
            self.hub.publish(ev)
        # after the last event: nothing on the wire marks the end (§11)

    def shutdown(self):
        self.stop.set()
        try:
            self.sock.close()
        except OSError:
            pass
        self.hub.close()
        with self.conn_lock:
            idle = [c for c in self.streaming if not c.streaming]
        for conn in idle:  # a kept-alive connection between requests
            try:
                conn.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        deadline = time.monotonic() + SHUTDOWN_GRACE
        while time.monotonic() < deadline:
            with self.conn_lock:
                if not any(c.streaming for c in self.streaming):
                    return
            time.sleep(0.02)
        with self.conn_lock:
            left = list(self.streaming)
        log(f"{len(left)} connection(s) cut at shutdown")
        for conn in left:
            try:
                conn.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def base36(n):
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while n:
        n, r = divmod(n, 36)
        out = digits[r] + out
    return out or "0"


def main():
    ap = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n")[0])
    ap.add_argument("--jsonl", required=True)
    ap.add_argument("--speed", type=float, default=1.0)
    ap.add_argument("--port", type=int, default=8080)
    ap.add_argument("--heartbeat-interval", type=float, default=2.0)
    ap.add_argument("--max-clients", type=int, default=4096)
    ap.add_argument("--history", type=int, default=10000)
    args = ap.parse_args()
    if not 0.25 <= args.speed <= 64:
        log("--speed must be from 0.25 to 64")
        return 2
    if not 0 <= args.port <= 65535:
        log("--port must be from 0 to 65535")
        return 2
    if not 0 < args.heartbeat_interval <= 2:
        log("--heartbeat-interval must be over 0 and at most 2 seconds")
        return 2
    if args.max_clients < 1 or not 0 <= args.history <= 1_000_000:
        log("--max-clients must be at least 1, --history from 0 to 1000000")
        return 2
    try:
        events = load_jsonl(args.jsonl)
    except Refused as e:
        log(str(e))
        return 1
    try:
        server = Server(args, events)
    except OSError as e:
        log(f"cannot listen on 127.0.0.1:{args.port}: {e.strerror}")
        return 1
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    port = server.sock.getsockname()[1]
    threading.Thread(target=server.accept_loop, daemon=True).start()
    threading.Thread(target=server.replay, daemon=True).start()
    print(f"{PROG}: listening on http://127.0.0.1:{port}", flush=True)
    while not stop.wait(0.2):
        pass
    server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
