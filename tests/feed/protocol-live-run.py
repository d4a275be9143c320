#!/usr/bin/env python3
# Drives a whole vote on a live rollcall-feed through the control API, written from
# docs/feed-protocol.md and docs/events.md alone (not from Rollcall's code), while
# protocol-client.py follows it over each transport:
#
#   protocol-live-run.py ROLLCALL-FEED PROTOCOL-CLIENT
#
# In a temporary directory it starts `rollcall-feed --live --token-file F --journal
# ARCHIVE --port 0` (§11), one client per transport (--until-on-air v1), then: the
# session (short form, UNGA), a vote scheduled, the screens on "holding", the vote
# opened, a ballot for every member of the roster (one member changing its vote). In
# the middle of the ballots it kills the server (-9), restarts it on the same journal
# and port, checks that the stream and its sequence continue (§11 "Crashes") and goes
# on. Then the lock, refusals that must change nothing (§7 "Errors"), the official
# totals announced, and the vote put on air. Both clients must end equal to
# GET /v1/snapshot. Exit 0 when all holds; otherwise one line and exit 1.

import http.client
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time

TOKEN = "rc-live-test-7f3a9c0e5d0123456789abcdef"
SESSION = "ga-live-2026-11-26"
VOTE = "v1"
DEADLINE = 240.0          # the whole run; nothing is timed, this only bounds a hang


class Failure(Exception):
    pass


def fail(msg):
    raise Failure(msg)


class Server:
    def __init__(self, feed, tmp):
        self.feed, self.tmp = feed, tmp
        self.token_file = os.path.join(tmp, "token")
        self.journal = os.path.join(tmp, "journal.rollcall")
        self.stderr_path = os.path.join(tmp, "server.log")
        self.proc = None
        self.port = 0

    def start(self):
        log = open(self.stderr_path, "a")
        # §5: every interval divided by 20, so that the server pings each WebSocket
        # client every second while the test runs (the clients do not read it)
        env = dict(os.environ, ROLLCALL_FEED_TEST_TIMING="fast")
        self.proc = subprocess.Popen(
            [self.feed, "--live", "--token-file", self.token_file, "--journal",
             self.journal, "--port", str(self.port)],
            stdout=subprocess.PIPE, stderr=log, text=True, env=env)
        log.close()
        line = self.proc.stdout.readline()
        m = re.match(r"^rollcall-feed: listening on http://127\.0\.0\.1:(\d+)$",
                     line.strip())
        if not m:
            fail(f"the server said {line!r} on standard output (exit {self.proc.poll()})")
        self.port = int(m.group(1))

    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        if self.proc is None or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else 0
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            return "killed after 30 s"

    def log_text(self):
        with open(self.stderr_path, encoding="utf-8", errors="replace") as f:
            return f.read()


class Driver:
    def __init__(self, server):
        self.server = server
        self.writes = 0

    def request(self, method, path, body=None, token=TOKEN,
                ctype="application/json", raw=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30)
        headers = {}
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        data = raw if raw is not None else \
            (json.dumps(body).encode("utf-8") if body is not None else None)
        if data is not None:
            headers["Content-Type"] = ctype
        try:
            conn.request(method, path, body=data, headers=headers)
            resp = conn.getresponse()
            text = resp.read().decode("utf-8")
            hdrs = {k.lower(): v for k, v in resp.getheaders()}
            return resp.status, hdrs, text
        finally:
            conn.close()

    def get(self, path):
        status, hdrs, text = self.request("GET", path, token=None)
        if status != 200:
            fail(f"GET {path}: {status} {text}")
        return text

    def snapshot_text(self):
        return self.get("/v1/snapshot")

    def health(self):
        return json.loads(self.get("/v1/health"))

    def post(self, path, body, expect_type):
        """A write that must succeed: 201 and the event as published (§7)."""
        status, _, text = self.request("POST", path, body)
        if status != 201:
            fail(f"POST {path} {json.dumps(body)}: {status} {text}")
        ev = json.loads(text)
        if ev.get("type") != expect_type or ev.get("stream") != SESSION:
            fail(f"POST {path}: published {text[:200]}")
        if self.writes and ev.get("seq") != self.writes + 1:
            fail(f"POST {path}: seq {ev.get('seq')} after {self.writes}")
        self.writes = ev["seq"]
        return ev

    def refuse(self, what, method, path, status, code, body=None, **kw):
        """A refusal: the status and code of §7, one JSON object, and nothing changed
        (GET /v1/snapshot the same text, GET /v1/health the same seq)."""
        before = self.snapshot_text()
        seq = self.health()["seq"]
        got, hdrs, text = self.request(method, path, body, **kw)
        try:
            err = json.loads(text)
        except ValueError:
            fail(f"{what}: {got}, not JSON: {text[:200]!r}")
        e = err.get("error") if isinstance(err, dict) else None
        if got != status or err.get("v") != 1 or not isinstance(e, dict) \
                or e.get("code") != code or not isinstance(e.get("message"), str) \
                or "\n" in e["message"] or not e["message"]:
            fail(f"{what}: {got} {text[:300]}, not {status} {code}")
        if not hdrs.get("content-type", "").startswith("application/json"):
            fail(f"{what}: Content-Type {hdrs.get('content-type')!r}")
        if status == 401 and hdrs.get("www-authenticate") != 'Bearer realm="rollcall"':
            fail(f"{what}: WWW-Authenticate {hdrs.get('www-authenticate')!r}")
        if status == 405 and hdrs.get("allow") != "POST":
            fail(f"{what}: Allow {hdrs.get('allow')!r}")
        if self.snapshot_text() != before or self.health()["seq"] != seq:
            fail(f"{what}: refused with {status} but the state changed")
        return e["message"]


class Follower:
    """A protocol-client.py run with --progress: where it is, from its 'applied
    STREAM:SEQ' lines, read on a thread."""

    def __init__(self, client, url, transport, deadline):
        self.transport = transport
        self.proc = subprocess.Popen(
            [sys.executable, client, url, "--transport", transport,
             "--until-on-air", VOTE, "--drop-after", "40", "--drops", "3", "--progress",
             "--timeout", str(max(10.0, deadline - time.monotonic() - 20))] +
            (["--await-ping"] if transport == "ws" else []),
            stdout=subprocess.PIPE, text=True)
        self.position = None
        self.other = []
        self.cond = threading.Condition()
        self.thread = threading.Thread(target=self.read, daemon=True)
        self.thread.start()

    def read(self):
        for line in self.proc.stdout:
            with self.cond:
                if line.startswith("applied "):
                    stream, _, seq = line[8:].strip().rpartition(":")
                    self.position = (stream, int(seq))
                else:
                    self.other.append(line)
                self.cond.notify_all()
        with self.cond:
            self.position = ("ended", -1) if self.proc.wait() else self.position
            self.cond.notify_all()

    def wait_at(self, stream, seq, deadline):
        with self.cond:
            while self.position is None or self.position[0] != stream \
                    or self.position[1] < seq:
                if self.position == ("ended", -1):
                    fail(f"the {self.transport} client ended early")
                left = deadline - time.monotonic()
                if left <= 0:
                    fail(f"gave up waiting for the {self.transport} client to reach "
                         f"{stream}:{seq} (at {self.position})")
                self.cond.wait(left)

    def finish(self, deadline):
        try:
            self.proc.wait(timeout=max(1.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            fail(f"the {self.transport} client did not end")
        self.thread.join()
        sys.stderr.write("".join(self.other))
        if self.proc.returncode != 0:
            fail(f"the {self.transport} client failed (exit {self.proc.returncode})")

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def run(feed, client, tmp):
    deadline = time.monotonic() + DEADLINE
    server = Server(feed, tmp)
    with open(server.token_file, "w") as f:
        f.write(TOKEN + "\n")
    os.chmod(server.token_file, 0o600)
    server.start()
    d = Driver(server)
    clients = {}
    try:
        h = d.health()
        if h.get("stream") != "pending" or h.get("seq") != 0:
            fail(f"a new live server's health: {h!r}, not the stream 'pending' at 0 (§2)")
        for transport in ("sse", "ws"):
            clients[transport] = Follower(client, server.url(), transport, deadline)
        for c in clients.values():          # each has the snapshot of `pending`
            c.wait_at("pending", 0, deadline)

        # Before the session: only a `session` event is taken (§7, 409 lifecycle).
        d.refuse("a vote before the session", "POST", "/v1/votes", 409, "lifecycle",
                 {"vote": VOTE, "majority": "simple", "recorded": True,
                  "reveal": "live"})

        ev = d.post("/v1/session", {"session": {"id": SESSION, "date": "2026-11-26",
                                                "title": "General Assembly, live test"},
                                    "chamber": "UNGA"}, "session")
        if ev["seq"] != 1:
            fail(f"the session event has seq {ev['seq']}, not 1")
        roster = [m["code"] for m in ev["roster"]]
        if len(roster) < 20:
            fail(f"the UNGA roster of 2026-11-26 has {len(roster)} members")
        h = d.health()
        if h.get("stream") != SESSION or h.get("seq") != 1:
            fail(f"after POST /v1/session: health {h!r}")

        d.post("/v1/votes", {"vote": VOTE, "symbol": None, "draft": "A/81/L.12",
                             "title": "A live test", "majority": "simple",
                             "recorded": True, "reveal": "live"}, "vote-scheduled")
        d.post("/v1/on-air", {"show": "holding"}, "on-air")
        d.post(f"/v1/votes/{VOTE}/open", {}, "vote-opened")

        # A member that is not on the roster: 422 while the vote is open.
        d.refuse("a ballot of an unknown member", "POST", f"/v1/votes/{VOTE}/ballots",
                 422, "unknown-member", {"member": "ZZZ", "choice": "yes"})
        d.refuse("a ballot with an unknown choice", "POST", f"/v1/votes/{VOTE}/ballots",
                 400, "bad-message", {"member": roster[0], "choice": "maybe"})
        d.refuse("a ballot for an unknown vote", "POST", "/v1/votes/nope/ballots",
                 404, "not-found", {"member": roster[0], "choice": "yes"})

        choices = ["yes", "yes", "no", "abstain", "yes"]
        ballots = {}
        half = len(roster) // 2
        for i, code in enumerate(roster):
            if i == half:
                # both clients have everything, so the kill cuts live connections
                for c in clients.values():
                    c.wait_at(SESSION, d.writes, deadline)
                before_kill = d.snapshot_text()
                server.kill9()
                server.start()          # the same journal, the same port
                h = d.health()
                if h.get("stream") != SESSION or h.get("seq") != d.writes:
                    fail(f"restarted after kill -9: health {h!r}, not "
                         f"{SESSION}:{d.writes} (§11 Crashes)")
                if d.snapshot_text() != before_kill:
                    fail("restarted after kill -9: GET /v1/snapshot differs from before")
            choice = choices[i % len(choices)]
            d.post(f"/v1/votes/{VOTE}/ballots", {"member": code, "choice": choice},
                   "ballot")
            ballots[code] = choice
        # one member changes its vote while the machine is open (§9)
        d.post(f"/v1/votes/{VOTE}/ballots", {"member": roster[1], "choice": "no"},
               "ballot")
        ballots[roster[1]] = "no"

        d.post(f"/v1/votes/{VOTE}/lock", {}, "vote-locked")

        d.refuse("a ballot after the lock", "POST", f"/v1/votes/{VOTE}/ballots", 409,
                 "lifecycle", {"member": roster[0], "choice": "no"})
        d.refuse("a wrong token", "POST", f"/v1/votes/{VOTE}/announce", 401,
                 "unauthorized", {}, token="not-" + TOKEN)
        d.refuse("no token", "POST", f"/v1/votes/{VOTE}/announce", 401,
                 "unauthorized", {}, token=None)
        d.refuse("a body that is not JSON", "POST", f"/v1/votes/{VOTE}/announce", 400,
                 "bad-message", raw=b"{official")
        d.refuse("a body that is not application/json", "POST",
                 f"/v1/votes/{VOTE}/announce", 415, "media-type", raw=b"{}",
                 ctype="text/plain")
        d.refuse("GET on the control API", "GET", "/v1/votes", 405, "method")
        d.refuse("another session", "POST", "/v1/session", 409, "sequence",
                 {"session": {"id": SESSION + "-b", "date": "2026-11-26"},
                  "chamber": "UNGA"})

        totals = {k: sum(1 for c in ballots.values() if c == k)
                  for k in ("yes", "no", "abstain")}
        official = {"yes": totals["yes"], "no": totals["no"],
                    "abstain": totals["abstain"],
                    "not_voting": len(roster) - len(ballots)}
        ev = d.post(f"/v1/votes/{VOTE}/announce", {"official": official},
                    "vote-announced")
        if {k: ev["official"].get(k) for k in official} != official:
            fail(f"announced {ev['official']!r}, not {official!r}")
        d.post("/v1/on-air", {"show": "vote", "vote": VOTE}, "on-air")

        snap = json.loads(d.snapshot_text())
        v = snap["votes"][0]
        if snap["seq"] != d.writes or v["state"] != "announced" or \
                v["ballots"] != ballots or snap["on_air"] != {"show": "vote", "vote": VOTE}:
            fail(f"the final snapshot is not the vote driven: {json.dumps(snap)[:300]}")

        for c in clients.values():
            c.finish(deadline)

        # Every refusal is logged, one line each (§7).
        log = server.log_text()
        for line in (f"control: 127.0.0.1 POST /v1/votes/{VOTE}/ballots refused: "
                     f"409 lifecycle: ",
                     f"control: 127.0.0.1 POST /v1/votes/{VOTE}/announce refused: "
                     f"401 unauthorized",
                     f"control: 127.0.0.1 POST /v1/votes/{VOTE}/ballots refused: "
                     f"422 unknown-member"):
            if line not in log:
                fail(f"the server's log has no line {line!r}")
    finally:
        for c in clients.values():
            c.kill()
        status = server.stop()
    if status != 0:
        fail(f"the server exited with {status} on SIGTERM")
    print(f"protocol-live: OK: {SESSION}:{d.writes}, {len(roster)} ballots, "
          f"killed and restarted once, both clients equal GET /v1/snapshot")


def main():
    if len(sys.argv) != 3:
        print("usage: protocol-live-run.py ROLLCALL-FEED PROTOCOL-CLIENT",
              file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="rc-protocol-live-") as tmp:
        try:
            run(sys.argv[1], sys.argv[2], tmp)
        except Failure as e:
            print(f"protocol-live: {e}", file=sys.stderr)
            return 1
        except (OSError, ValueError, KeyError, http.client.HTTPException) as e:
            print(f"protocol-live: {type(e).__name__}: {e}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
