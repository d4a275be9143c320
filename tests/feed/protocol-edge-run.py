#!/usr/bin/env python3
# protocol-client.py (protocol 1.1) through real nginx + nchan edges, written from
# docs/feed-protocol.md (§2-§7, §11, §12), docs/deploy.md and data/deploy/ alone
# (not from Rollcall's code):
#
#   protocol-edge-run.py ROLLCALL-FEED DEMO-ARCHIVE PROTOCOL-CLIENT NGINX DEPLOY-DIR
#                        REDIS-SERVER
#
# Two scenarios, one after the other, each in a temporary prefix. nginx runs with an
# edge's configuration as shipped in DEPLOY-DIR (rollcall-edge.conf with nginx-edge.conf
# or nginx-edge-redis.conf; only the listen lines, the WebSocket hop's address,
# nginx's temporary folders and, on Redis, the Redis URL are changed, so that it runs
# on free loopback ports without root), each nginx and each Redis in a process group
# of its own so that one SIGKILL takes its workers too. Every client is
# protocol-client.py --edge --trace (each dropping its connection once on purpose),
# and each must end with the state of the origin's own GET /v1/snapshot (the same
# stream, seq and content), having applied every event once, in order, on the state it
# follows (a snapshot older than the client's position, which §3 and §4 say a client
# takes, is the one exception: the events after it are applied again on it).
#
# 1. One edge, channels in its memory (nginx-edge.conf). The origin is `rollcall-feed
#    --replay DEMO --session ga-es11-2022-03-02 --speed 16 --port 0 --publish
#    http://127.0.0.1:PORT/publish/`; one client over SSE and one over WebSocket; in
#    the middle of the vote the edge is killed with SIGKILL and started again on the
#    same ports. The edge's public side must answer 404 to POST /v1/session,
#    /v1/votes and /publish/events.
# 2. Two edges A and B sharing one Redis (nginx-edge-redis.conf; REDIS-SERVER on a
#    free loopback port, without persistence), as issue 12 says a vote is followed.
#    The origin is live: `rollcall-feed --live --token-file F --journal J --port 0
#    --publish http://127.0.0.1:<A's publisher>/publish/` (§11; the session is taken
#    from the server's data files, so ROLLCALL_DATA_PATH must name them, as meson
#    sets it). The clerk drives it through the control API (§7): the session (UNGA,
#    2022-03-02, short form), a vote scheduled and put on air, opened, a ballot of
#    each of the 193 members of the roster of the 201 (one changing its vote), the
#    lock and the announcement. Four clients (--until-on-air v1): SSE and WebSocket on
#    each edge, started once both edges answer GET /v1/health with 200 for the
#    session's stream (deploy.md: a Redis edge's public comes once it has the
#    stream). In the middle of the ballots, each time once every client has
#    everything the clerk posted, in turn: edge A is killed (its whole process group)
#    and started again on the same ports; Redis is killed and started again on the
#    same port, then both edges are restarted (killed and started: deploy.md's
#    procedure once Redis is back); the origin is killed and started again with the
#    same --journal, --token-file, --publish and --port; edge B is killed and started
#    again. The clerk posts a few ballots while edge A, Redis and edge B are down, and
#    more between the kills. After each restart of an edge, once a message was
#    posted after it (as the edge's publisher says), three new SSE subscribers of the
#    edge must get a message: one that leaves any without (nchan 1.3.6 on Redis
#    leaves an edge so, for good, when subscribers come to it before its first
#    message; deploy.md has no procedure for it) is restarted again, at most four
#    times, and the run says so on a line of its own. A POST
#    /v1/votes/v1/cancel with the clerk's token to either edge's public port, while
#    the vote is open and again at the end, must be 404 and change nothing at the
#    origin (GET /v1/snapshot the same), as must the paths of scenario 1.
#
# Exit 0 when all holds; otherwise one line and exit 1 (the temporary prefix, with
# nginx's error.log, Redis's and the origin's logs, is then kept and named).

import http.client
import importlib.util
import json
import os
import re
import secrets
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

SESSION = "ga-es11-2022-03-02"
TOTAL = 170.0           # both scenarios: under meson's 180 s, a hang ends in one line
DEADLINE = 120.0        # the whole run; nothing is timed, this only bounds a hang
CLIENT_TIMEOUT = 90.0
KILL_AT = 40            # the edge is killed once both clients have applied this seq
TEMP_DIRS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")

# Scenario 2: a live session through two edges sharing Redis.
LIVE_SESSION = "ga-edge-2022-03-02"
LIVE_DATE = "2022-03-02"
VOTE = "v1"
ROSTER_SIZE = 193       # the General Assembly's members on LIVE_DATE
CHOICES = ("yes", "yes", "no", "abstain", "yes")
# The ballots (by index in the roster) posted before each kill, while the part killed
# is down (where the origin is up to take them), and after: edge A, Redis, the
# origin, edge B, then the rest.
SEGMENTS = ((0, 40), (43, 80), (83, 120), (120, 157), (160, ROSTER_SIZE))
WHILE_DOWN = {"edge A": (40, 43), "Redis": (80, 83), "edge B": (157, 160)}

# Process groups of our own (nginx, Redis): killed at once on a signal, before the
# cleanup of whatever was running unwinds.
GROUPS = set()


class Failure(Exception):
    pass


def fail(msg):
    raise Failure(msg)


def on_signal(signum, frame):
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, signal.SIG_IGN)
    for pgid in list(GROUPS):
        try:
            os.killpg(pgid, signal.SIGKILL)
        except OSError:
            pass
    raise Failure(f"ended by signal {signum}")


def free_ports(n):
    socks = []
    try:
        for _ in range(n):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind(("127.0.0.1", 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def accepts(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


def group_alive(pgid):
    """Whether a process of the group is still there (zombies aside)."""
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        if int(fields[2]) == pgid and fields[0] != "Z":
            return True
    return False


def become_subreaper():
    """nginx's workers, orphaned by the SIGKILL of their master, come to this process
    (PR_SET_CHILD_SUBREAPER), which reaps them: nothing of the edge is left behind,
    not even a zombie."""
    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def reap_group(pgid):
    while True:
        try:
            if os.waitid(os.P_PGID, pgid, os.WEXITED | os.WNOHANG) is None:
                return
        except ChildProcessError:
            return


def start_group(argv, out_path):
    """A process in a process group of its own, its output appended to out_path."""
    out = open(out_path, "ab")
    try:
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=out,
                                preexec_fn=os.setpgrp)
    finally:
        out.close()
    GROUPS.add(proc.pid)
    return proc


def kill_group(proc, deadline, what):
    """SIGKILL to the whole group (a master and its workers), and wait for it to go."""
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    while group_alive(proc.pid):
        reap_group(proc.pid)
        if time.monotonic() > deadline:
            fail(f"{what}'s group {proc.pid} outlived SIGKILL")
        time.sleep(0.01)
    reap_group(proc.pid)
    GROUPS.discard(proc.pid)        # gone: its number may be another's from now on


def cleanup_groups(groups, proc):
    for pgid in groups:
        if pgid not in GROUPS:
            continue                # killed and reaped already
        try:
            os.killpg(pgid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    if proc is not None and proc.returncode is None:
        proc.wait()
    give_up = time.monotonic() + 5
    while any(group_alive(g) for g in groups) and time.monotonic() < give_up:
        for g in groups:
            reap_group(g)
        time.sleep(0.02)
    for g in groups:
        reap_group(g)
        GROUPS.discard(g)


class Edge:
    """nginx + nchan from data/deploy/, on loopback, in a prefix of its own; with
    redis_port, nginx-edge-redis.conf pointed at that Redis."""

    def __init__(self, nginx, deploy, prefix, conf="nginx-edge.conf", redis_port=None,
                 name="the edge"):
        self.nginx, self.prefix, self.name = nginx, prefix, name
        self.public, self.publisher, self.hop = free_ports(3)
        self.proc = None
        self.groups = []            # every process group started, for the cleanup
        edge = read(os.path.join(deploy, "rollcall-edge.conf"))
        for old, new, count in (
                ("listen 8080 ", f"listen 127.0.0.1:{self.public} ", 1),
                ("listen 127.0.0.1:8090;", f"listen 127.0.0.1:{self.publisher};", 1),
                ("127.0.0.1:8091", f"127.0.0.1:{self.hop}", 2)):
            if edge.count(old) != count:
                fail(f"rollcall-edge.conf holds {edge.count(old)} times {old!r}, "
                     f"not {count}: the shipped configuration changed")
            edge = edge.replace(old, new)
        main = read(os.path.join(deploy, conf))
        if main.count("http {\n") != 1:
            fail(f"{conf} has no single 'http {{' line")
        if redis_port is not None:
            url = re.compile(r'^(\s*nchan_redis_url\s+)"redis://127\.0\.0\.1:6379";$',
                             re.M)
            if len(url.findall(main)) != 1:
                fail(f"{conf} has no single line 'nchan_redis_url "
                     f"\"redis://127.0.0.1:6379\";': the shipped configuration changed")
            main = url.sub(lambda m: f'{m.group(1)}"redis://127.0.0.1:{redis_port}";',
                           main)
        temps = "".join(f"    {d}_temp_path {prefix}/{d};\n" for d in TEMP_DIRS)
        main = main.replace("http {\n", "http {\n" + temps)
        for d in TEMP_DIRS:
            os.makedirs(os.path.join(prefix, d), exist_ok=True)
        write(os.path.join(prefix, "rollcall-edge.conf"), edge)
        write(os.path.join(prefix, "nginx.conf"), main)

    def url(self):
        return f"http://127.0.0.1:{self.public}"

    def start(self, deadline):
        p = self.prefix
        self.proc = start_group(
            [self.nginx, "-p", p, "-c", f"{p}/nginx.conf", "-g",
             f"daemon off; pid {p}/nginx.pid; error_log {p}/error.log notice;"],
            os.path.join(p, "nginx.out"))
        self.groups.append(self.proc.pid)
        wait_started(self.proc, lambda: accepts(self.public) and accepts(self.publisher),
                     f"nginx ({self.name})",
                     f"does not accept on 127.0.0.1:{self.public} and :{self.publisher}",
                     self.last_error, deadline)

    def last_error(self):
        lines = []
        for name in ("nginx.out", "error.log"):
            try:
                lines += read(os.path.join(self.prefix, name)).splitlines()
            except OSError:
                pass
        bad = [l for l in lines if re.search(r"\[(emerg|alert|crit)\]", l)]
        return (bad or lines or ["(nothing logged)"])[-1].strip()

    def kill(self, deadline):
        kill_group(self.proc, deadline, f"nginx ({self.name})")

    def cleanup(self):
        cleanup_groups(self.groups, self.proc)


def wait_started(proc, ready, name, waiting, last_words, deadline):
    """Waits (10 s at most, and not past deadline) until ready() holds for a program
    just started; fails with its last words if it exits or takes longer."""
    until = min(deadline, time.monotonic() + 10)
    while not ready():
        if proc.poll() is not None:
            fail(f"{name} exited with {proc.returncode}: {last_words()}")
        if time.monotonic() > until:
            fail(f"{name} {waiting} after 10 s: {last_words()}")
        time.sleep(0.02)


class Redis:
    """redis-server on a free loopback port, without persistence (an empty store each
    time it starts), in a process group of its own."""

    def __init__(self, server, prefix):
        self.server, self.prefix = server, prefix
        os.makedirs(prefix, exist_ok=True)
        self.port = free_ports(1)[0]
        self.proc = None
        self.groups = []

    def start(self, deadline):
        self.proc = start_group(
            [self.server, "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--daemonize", "no",
             "--dir", self.prefix, "--logfile", ""],
            os.path.join(self.prefix, "redis.log"))
        self.groups.append(self.proc.pid)
        wait_started(self.proc, self.pong, "redis-server",
                     f"does not answer PING on 127.0.0.1:{self.port}", self.last_line,
                     deadline)

    def pong(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                s.sendall(b"PING\r\n")
                return s.recv(64).startswith(b"+PONG")
        except OSError:
            return False

    def last_line(self):
        try:
            lines = read(os.path.join(self.prefix, "redis.log")).splitlines()
        except OSError:
            lines = []
        return (lines or ["(nothing logged)"])[-1].strip()

    def kill(self, deadline):
        kill_group(self.proc, deadline, "redis-server")

    def cleanup(self):
        cleanup_groups(self.groups, self.proc)


class Origin:
    def __init__(self, feed, archive, publish, log_path):
        log = open(log_path, "ab")
        self.proc = subprocess.Popen(
            [feed, "--replay", archive, "--session", SESSION, "--speed", "16",
             "--port", "0", "--publish", publish],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=log)
        log.close()
        ready, _, _ = select.select([self.proc.stdout], [], [], 10)
        line = self.proc.stdout.readline().decode("utf-8", "replace") if ready else ""
        m = re.match(r"^rollcall-feed: listening on (http://\S+)$", line.strip())
        if not m:
            fail(f"the origin said {line!r} on standard output "
                 f"(exit {self.proc.poll()})")
        self.url = m.group(1)
        u = self.url[len("http://"):]
        self.host, _, port = u.rpartition(":")
        self.port = int(port)

    def get(self, path):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=10)
        try:
            conn.request("GET", path)
            resp = conn.getresponse()
            body = resp.read()
            if resp.status != 200:
                fail(f"the origin's GET {path}: {resp.status}")
            return json.loads(body.decode("utf-8"))
        finally:
            conn.close()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                return self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                return "killed after 10 s"
        return self.proc.returncode


class LiveOrigin(Origin):
    """`rollcall-feed --live` (§11) on a journal and a token file of the prefix; the
    first start takes any free port (--port 0), every restart the same one."""

    def __init__(self, feed, prefix, publish):
        self.feed, self.publish = feed, publish
        self.token = secrets.token_hex(20)          # §11: >= 32 visible characters
        self.token_file = os.path.join(prefix, "token")
        fd = os.open(self.token_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(self.token + "\n")
        os.chmod(self.token_file, 0o600)
        self.journal = os.path.join(prefix, "journal.rollcall")
        self.log_path = os.path.join(prefix, "origin.log")
        self.host, self.port = "127.0.0.1", 0
        self.url = None
        self.proc = None
        self.writes = 0             # the seq of the last event the clerk was given

    def start(self):
        log = open(self.log_path, "ab")
        try:
            self.proc = subprocess.Popen(
                [self.feed, "--live", "--token-file", self.token_file,
                 "--journal", self.journal, "--port", str(self.port),
                 "--publish", self.publish],
                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=log)
        finally:
            log.close()
        ready, _, _ = select.select([self.proc.stdout], [], [], 10)
        line = self.proc.stdout.readline().decode("utf-8", "replace") if ready else ""
        m = re.match(r"^rollcall-feed: listening on http://127\.0\.0\.1:(\d+)$",
                     line.strip())
        if not m:
            fail(f"the live origin said {line!r} on standard output "
                 f"(exit {self.proc.poll()}): {self.last_line()}")
        if self.port and int(m.group(1)) != self.port:
            fail(f"the live origin, given --port {self.port}, listens on {m.group(1)}")
        self.port = int(m.group(1))
        self.url = f"http://127.0.0.1:{self.port}"

    def last_line(self):
        try:
            lines = read(self.log_path).splitlines()
        except OSError:
            lines = []
        return (lines or ["(nothing logged)"])[-1].strip()

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        if self.proc is None:
            return 0
        return Origin.stop(self)

    def request(self, method, path, body=None, port=None, token=True):
        conn = http.client.HTTPConnection("127.0.0.1", port or self.port, timeout=30)
        headers = {}
        if token:
            headers["Authorization"] = f"Bearer {self.token}"
        data = None
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            headers["Content-Type"] = "application/json"
        try:
            conn.request(method, path, body=data, headers=headers)
            resp = conn.getresponse()
            return resp.status, resp.read().decode("utf-8", "replace")
        finally:
            conn.close()

    def text(self, path):
        status, text = self.request("GET", path, token=False)
        if status != 200:
            fail(f"the origin's GET {path}: {status} {text[:200]}")
        return text

    def post(self, path, body, expect_type):
        """The clerk's write (§7): 201 and the event as published, the next seq."""
        status, text = self.request("POST", path, body)
        if status != 201:
            hint = ""
            if status in (400, 500) and path == "/v1/session":
                hint = (" (the server's data files: is ROLLCALL_DATA_PATH set, as "
                        "meson sets it?)")
            fail(f"the clerk's POST {path} {json.dumps(body)[:100]}: {status} "
                 f"{text[:200]}{hint}")
        ev = json.loads(text)
        if ev.get("type") != expect_type or ev.get("stream") != LIVE_SESSION or \
                ev.get("seq") != self.writes + 1:
            fail(f"the clerk's POST {path}: published {text[:200]}, not a "
                 f"{expect_type} at {LIVE_SESSION}:{self.writes + 1}")
        self.writes = ev["seq"]
        return ev


class Follower:
    """A protocol-client.py run with --trace: its lines, read on a thread."""

    def __init__(self, client, url, reference, transport, state_out, extra=(),
                 timeout=CLIENT_TIMEOUT, name=None):
        self.transport = transport
        self.name = name or transport
        self.state_out = state_out
        self.proc = subprocess.Popen(
            [sys.executable, client, url, "--transport", transport, "--edge",
             "--reference", reference, "--trace", "--drop-after", "20", "--drops", "1",
             "--state-out", state_out, "--timeout", str(timeout)] + list(extra),
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, text=True)
        self.lines = []
        self.seq = 0                # the highest seq of an event applied
        self.position = None        # (stream, seq) of the state, after each line
        self.cond = threading.Condition()
        self.thread = threading.Thread(target=self.read, daemon=True)
        self.thread.start()

    def read(self):
        for line in self.proc.stdout:
            with self.cond:
                self.lines.append(line.rstrip("\n"))
                m = re.match(r"^trace event .*:(\d+)$", line.strip())
                if m:
                    self.seq = max(self.seq, int(m.group(1)))
                m = re.match(r"^trace (?:event|snapshot) (.+):(\d+)(?: \w+)?$",
                             line.strip())
                if m:
                    self.position = (m.group(1), int(m.group(2)))
                self.cond.notify_all()
        with self.cond:
            self.proc.wait()
            self.cond.notify_all()

    def wait_at(self, seq, deadline):
        with self.cond:
            while self.seq < seq:
                if self.proc.poll() is not None:
                    fail(f"the {self.name} client ended (exit "
                         f"{self.proc.returncode}) before applying seq {seq}")
                left = deadline - time.monotonic()
                if left <= 0:
                    fail(f"the {self.name} client has not applied seq {seq} "
                         f"(at {self.seq})")
                self.cond.wait(min(left, 0.5))

    def wait_position(self, stream, seq, deadline, why):
        """Until the client's state is at stream:seq or after it."""
        with self.cond:
            while self.position is None or self.position[0] != stream or \
                    self.position[1] < seq:
                if self.proc.poll() is not None:
                    fail(f"the {self.name} client ended (exit "
                         f"{self.proc.returncode}) at {self.position}, {why}; "
                         f"{self.last_trace()}")
                left = deadline - time.monotonic()
                if left <= 0:
                    fail(f"the {self.name} client is at {self.position}, not "
                         f"{stream}:{seq}, {why}; {self.last_trace()}")
                self.cond.wait(min(left, 0.5))

    def last_trace(self):
        tail = [l for l in self.lines if l.startswith("trace ")][-4:]
        return "last: " + (" | ".join(l[6:] for l in tail) if tail else "nothing")

    def mark(self):
        with self.cond:
            return len(self.lines)

    def finish(self, deadline):
        try:
            self.proc.wait(timeout=max(1.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            fail(f"the {self.name} client did not end; {self.last_trace()}")
        self.thread.join(5)
        if self.proc.returncode != 0:
            fail(f"the {self.name} client failed (exit {self.proc.returncode}), "
                 f"see its line above")

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def check_order(f):
    """Every event applied is the next one of the state it is applied to: none out of
    order, none twice. A snapshot older than the position (a rewind, §3/§4) takes the
    state back: the events after it are then applied to it again."""
    stream, seq = None, None
    applied = set()
    rewinds = 0
    for line in f.lines:
        m = re.match(r"^trace (snapshot|event|drop) (.+):(\d+)(?: (stream|fetched))?$",
                     line)
        if not m:
            continue
        kind, s, n = m.group(1), m.group(2), int(m.group(3))
        if kind == "snapshot":
            if s == stream and n < seq:
                rewinds += 1
                applied = {(x, y) for x, y in applied if x != s or y <= n}
            stream, seq = s, n
        elif kind == "event":
            if s != stream or n != seq + 1:
                fail(f"the {f.name} client applied {s}:{n} on {stream}:{seq}")
            if (s, n) in applied:
                fail(f"the {f.name} client applied {s}:{n} twice")
            applied.add((s, n))
            seq = n
        elif s != stream or n > seq:
            fail(f"the {f.name} client dropped {s}:{n} at {stream}:{seq}, "
                 f"which it does not hold")
    return stream, seq, rewinds


def summary(lines, marks):
    """The client's trace on one line, runs of events and drops counted; marks maps a
    line's index to what happened there."""
    out, run = [], None
    for i, line in enumerate(lines + ["trace end"]):
        m = re.match(r"^trace (event|drop) .*:(\d+)$", line)
        if m and run and run[0] == m.group(1) and i not in marks:
            run[2] = m.group(2)
            continue
        if run:
            out.append(f"{run[0]} {run[1]}" + (f"..{run[2]}" if run[2] != run[1] else ""))
            run = None
        if i in marks:
            out.append(f"| {marks[i]} |")
        if m:
            run = [m.group(1), m.group(2), m.group(2)]
        elif line.startswith("trace ") and line != "trace end":
            out.append(line[6:].replace(" ga-es11-2022-03-02~", " ~")
                       .replace(f" {LIVE_SESSION}:", " :"))
    return "; ".join(out)


def post_404(edge, extra=(), token=None):
    """The edge's public side: every path given is 404 not-found (§12), also with the
    clerk's token."""
    for path in ("/v1/session", "/v1/votes", "/publish/events") + tuple(extra):
        conn = http.client.HTTPConnection("127.0.0.1", edge.public, timeout=10)
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        try:
            conn.request("POST", path, body=b"{}", headers=headers)
            resp = conn.getresponse()
            body = resp.read()
        finally:
            conn.close()
        if resp.status != 404:
            fail(f"POST {path} on {edge.name}'s public port: {resp.status}, not 404")
        try:
            code = json.loads(body.decode("utf-8"))["error"]["code"]
        except (ValueError, KeyError, TypeError):
            code = None
        if code != "not-found":
            fail(f"POST {path} on {edge.name}'s public port: 404 with {body[:200]!r}, "
                 f"not a not-found error (§7)")


def run(feed, archive, client, nginx, deploy, prefix, deadline):
    spec = importlib.util.spec_from_file_location("protocol_client", client)
    pc = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(pc)

    edge = Edge(nginx, deploy, prefix)
    origin = None
    followers = []
    try:
        edge.start(deadline)
        origin = Origin(feed, archive, f"http://127.0.0.1:{edge.publisher}/publish/",
                        os.path.join(prefix, "origin.log"))
        for transport in ("sse", "ws"):
            followers.append(Follower(client, edge.url(), origin.url, transport,
                                      os.path.join(prefix, f"state-{transport}.json")))

        # In the middle of the vote: both clients past KILL_AT, the vote still open.
        for f in followers:
            f.wait_at(KILL_AT, deadline)
        before = origin.get("/v1/snapshot")
        if not before["votes"] or before["votes"][0]["state"] != "open":
            fail(f"the vote is not open any more at {before['stream']}:{before['seq']} "
                 f"when the edge is to be killed")
        marks = [f.mark() for f in followers]
        edge.kill(deadline)
        edge.start(deadline)            # the same ports, an empty memory

        for f in followers:
            f.finish(deadline)
        final = origin.get("/v1/snapshot")
        try:
            ref = pc.State.from_snapshot(final)
        except pc.Violation as v:
            fail(f"the origin's GET /v1/snapshot: {v}")
        for f, mark in zip(followers, marks):
            stream, seq, rewinds = check_order(f)
            after = f.lines[mark:]
            if not any(l.startswith("trace connect ") for l in after):
                fail(f"the {f.transport} client did not reconnect after the edge's kill")
            if not any(l.startswith("trace snapshot ") for l in after):
                fail(f"the {f.transport} client took no snapshot after the edge's "
                     f"restart (deploy.md: its channel is gone, the origin posts one)")
            with open(f.state_out, encoding="utf-8") as sf:
                state = json.load(sf)
            if (state["stream"], state["seq"]) != (ref.stream, ref.seq) or \
                    (stream, seq) != (ref.stream, ref.seq):
                fail(f"the {f.transport} client ended at {state['stream']}:"
                     f"{state['seq']}, the origin's GET /v1/snapshot at "
                     f"{ref.stream}:{ref.seq}")
            d = pc.first_difference(state, ref.as_dict())
            if d:
                fail(f"the {f.transport} client's state differs from the origin's "
                     f"GET /v1/snapshot: {d}")
            ok = [l for l in f.lines if not l.startswith("trace ")]
            trace = summary(f.lines, {mark: "EDGE KILLED"})
            print(f"protocol-edge: {f.transport}: {trace}")
            print(f"protocol-edge: {f.transport}: {rewinds} rewinds; "
                  f"{ok[-1] if ok else ''}")
        post_404(edge)
    finally:
        for f in followers:
            f.kill()
        status = origin.stop() if origin else 0
        edge.cleanup()
    if status != 0:
        fail(f"the origin exited with {status} on SIGTERM")
    print(f"protocol-edge: OK: {ref.stream}:{ref.seq}; the edge killed (SIGKILL) and "
          f"restarted at seq {before['seq']}; SSE and WebSocket clients equal the "
          f"origin's GET /v1/snapshot")


def edge_health(edge, timeout):
    """GET /v1/health on an edge's public port: (status, the JSON or None). The edge
    waits up to 10 s for a first health message (§12)."""
    conn = http.client.HTTPConnection("127.0.0.1", edge.public, timeout=timeout)
    try:
        conn.request("GET", "/v1/health")
        resp = conn.getresponse()
        body = resp.read()
    except (OSError, http.client.HTTPException):
        return None, None
    finally:
        conn.close()
    try:
        return resp.status, json.loads(body.decode("utf-8"))
    except ValueError:
        return resp.status, None


def wait_health(edges, stream, deadline):
    """Until every edge answers GET /v1/health with 200, of the stream given."""
    for edge in edges:
        while True:
            left = deadline - time.monotonic()
            status, health = edge_health(edge, max(1.0, min(12.0, left)))
            if status == 200 and isinstance(health, dict) and \
                    health.get("stream") == stream:
                break
            if time.monotonic() > deadline:
                fail(f"{edge.name}'s GET /v1/health: {status} {health!r}, not 200 of "
                     f"the stream {stream!r}: {edge.last_error()}")
            time.sleep(0.1)


def edge_serves(edge, until, got):
    """A new SSE subscriber of the edge (§12): appends the edge to got once a message
    comes (the origin posts a heartbeat every 1.5 s), or gives up at `until`."""
    try:
        with socket.create_connection(("127.0.0.1", edge.public), timeout=1) as s:
            s.sendall(b"GET /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                      b"Accept: text/event-stream\r\n\r\n")
            buf = b""
            while time.monotonic() < until:
                s.settimeout(max(0.01, min(0.5, until - time.monotonic())))
                try:
                    chunk = s.recv(65536)
                except socket.timeout:
                    continue
                if not chunk:
                    return
                buf += chunk
                if b"\ndata: {" in buf:
                    got.append(edge)
                    return
    except OSError:
        return


def channel_id(edge):
    """The id of the newest message of the edge's stream channel, as its publisher
    says it (deploy.md: nchan's channel statistics, GET /publish/events with Accept:
    application/json); None while the channel has none or the edge cannot say."""
    conn = http.client.HTTPConnection("127.0.0.1", edge.publisher, timeout=2)
    try:
        conn.request("GET", "/publish/events", headers={"Accept": "application/json"})
        resp = conn.getresponse()
        body = resp.read()
    except (OSError, http.client.HTTPException):
        return None
    finally:
        conn.close()
    try:
        return json.loads(body.decode("utf-8"))["last_message_id"] \
            if resp.status == 200 else None
    except (ValueError, KeyError, TypeError):
        return None


def watch_restarted(restarted, deadline, notes, why):
    """Every edge just restarted must serve the stream again. nchan 1.3.6 on Redis
    leaves a (re)started edge serving nothing to any subscriber, for good, when
    subscribers come to it before the first message it gets after its start (while the
    other edges of the same Redis serve the origin's posts); the public reconnecting
    at once does just that, and deploy.md has no procedure for it. So: once a message
    was posted after the restart (the origin posts a heartbeat every 1.5 s and
    retries a failed post within 10 s, §12, deploy.md), three new SSE subscribers of
    each edge restarted must get a message; an edge that leaves any of them without
    one is restarted again, at most four times, and the run says so. Subscribing only
    then, the watch does not cause what it looks for. The clients are held to the end
    as ever: an origin that stops posting still fails the run."""
    for attempt in range(5):
        for e in restarted:
            until = min(deadline, time.monotonic() + 12.0)
            first = channel_id(e)
            while channel_id(e) in (None, first):
                if time.monotonic() > until:
                    fail(f"no message was posted to the stream's channel for 12 s "
                         f"after {why}, as {e.name}'s publisher says (the origin "
                         f"posts a heartbeat every 1.5 s)")
                time.sleep(0.05)
        got = []
        until = min(deadline, time.monotonic() + 4.0)   # heartbeats: every 1.5 s
        probes = [threading.Thread(target=edge_serves, args=(e, until, got),
                                   daemon=True) for e in restarted for _ in range(3)]
        for t in probes:
            t.start()
        for t in probes:
            t.join(max(0.0, until - time.monotonic()) + 2.0)
        dead = [e for e in restarted if got.count(e) < 3]
        if not dead:
            return
        what = ", ".join(f"{e.name} served {got.count(e)} of 3 new SSE subscribers"
                         for e in dead) + f" after {why}"
        if attempt == 4 or time.monotonic() > deadline:
            fail(f"{what}, after {attempt} more restarts (nchan 1.3.6 on Redis): "
                 f"{dead[0].last_error()}")
        notes.append(what + "; restarted again")
        print(f"protocol-edge: redis: note: {notes[-1]}", flush=True)
        for e in dead:
            e.kill(deadline)
            e.start(deadline)


def run_redis(feed, client, nginx, deploy, redis_server, prefix, deadline):
    """Scenario 2: a live vote through two edges sharing Redis, each part killed in
    turn (the header says how)."""
    spec = importlib.util.spec_from_file_location("protocol_client", client)
    pc = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(pc)

    redis = Redis(redis_server, os.path.join(prefix, "redis"))
    edges = {}
    origin = None
    followers = []
    status = 0
    kills = []                          # (what, the clerk's seq then) in order
    notes = []                          # edges restarted again (watch_restarted)
    try:
        redis.start(deadline)
        for name in ("A", "B"):
            d = os.path.join(prefix, f"edge-{name}")
            os.makedirs(d)
            edges[name] = Edge(nginx, deploy, d, conf="nginx-edge-redis.conf",
                               redis_port=redis.port, name=f"edge {name}")
            edges[name].start(deadline)
        a, b = edges["A"], edges["B"]
        origin = LiveOrigin(feed, prefix, f"http://127.0.0.1:{a.publisher}/publish/")
        origin.start()

        # The session first, then the public: once both edges have the stream (§12,
        # deploy.md: a Redis edge's subscriber should come after its first message).
        ev = origin.post("/v1/session",
                         {"session": {"id": LIVE_SESSION, "date": LIVE_DATE,
                                      "title": "General Assembly, through two edges"},
                          "chamber": "UNGA"}, "session")
        roster = [m["code"] for m in ev["roster"]]
        if len(roster) != ROSTER_SIZE:
            fail(f"the UNGA roster of {LIVE_DATE} has {len(roster)} members, "
                 f"not {ROSTER_SIZE}")
        wait_health([a, b], LIVE_SESSION, deadline)

        timeout = max(10.0, deadline - time.monotonic() - 5)
        for name in ("A", "B"):
            for transport in ("sse", "ws"):
                followers.append(Follower(
                    client, edges[name].url(), origin.url, transport,
                    os.path.join(prefix, f"state-{transport}-{name}.json"),
                    extra=["--until-on-air", VOTE], timeout=timeout,
                    name=f"{transport.upper()} (edge {name})"))
                followers[-1].edge = name

        def caught_up(why):
            for f in followers:
                f.wait_position(LIVE_SESSION, origin.writes, deadline, why)

        def ballots(lo, hi):
            for i in range(lo, hi):
                origin.post(f"/v1/votes/{VOTE}/ballots",
                            {"member": roster[i], "choice": CHOICES[i % len(CHOICES)]},
                            "ballot")

        def kill_mark(what):
            kills.append((what, origin.writes))
            return {f: f.mark() for f in followers}

        caught_up("before the vote")
        origin.post("/v1/votes", {"vote": VOTE, "symbol": None, "draft": "A/76/L.99",
                                  "title": "A vote through two edges",
                                  "majority": "simple", "recorded": True,
                                  "reveal": "live"}, "vote-scheduled")
        origin.post("/v1/on-air", {"show": "vote", "vote": VOTE}, "on-air")
        origin.post(f"/v1/votes/{VOTE}/open", {}, "vote-opened")

        marks = {}
        ballots(*SEGMENTS[0])
        caught_up("before edge A is killed")
        marks["edge A"] = kill_mark("edge A")
        a.kill(deadline)
        ballots(*WHILE_DOWN["edge A"])
        a.start(deadline)               # the same ports
        watch_restarted([a], deadline, notes, "edge A's restart")

        ballots(*SEGMENTS[1])
        caught_up("before Redis is killed")
        marks["Redis"] = kill_mark("Redis")
        redis.kill(deadline)
        ballots(*WHILE_DOWN["Redis"])
        redis.start(deadline)           # the same port, an empty store
        for e in (a, b):                # deploy.md: restart the edges once it is back
            e.kill(deadline)
            e.start(deadline)
        watch_restarted([a, b], deadline, notes, "Redis's restart")

        ballots(*SEGMENTS[2])
        caught_up("before the origin is killed")
        marks["origin"] = kill_mark("origin")
        before_text = origin.text("/v1/snapshot")
        origin.kill()
        origin.start()                  # the same journal, token, --publish and port
        health = json.loads(origin.text("/v1/health"))
        if health.get("stream") != LIVE_SESSION or health.get("seq") != origin.writes:
            fail(f"the origin restarted after SIGKILL: health {health!r}, not "
                 f"{LIVE_SESSION}:{origin.writes} (§11 Crashes)")
        if origin.text("/v1/snapshot") != before_text:
            fail("the origin restarted after SIGKILL: GET /v1/snapshot differs from "
                 "before (§11 Crashes)")

        ballots(*SEGMENTS[3])
        caught_up("before edge B is killed")
        marks["edge B"] = kill_mark("edge B")
        b.kill(deadline)
        ballots(*WHILE_DOWN["edge B"])
        b.start(deadline)
        watch_restarted([b], deadline, notes, "edge B's restart")

        ballots(*SEGMENTS[4])
        # one member changes its vote while the machine is open (§9)
        origin.post(f"/v1/votes/{VOTE}/ballots", {"member": roster[1], "choice": "no"},
                    "ballot")
        caught_up("before the lock")

        # The control API is not reachable through an edge: a cancel the origin
        # would take now (the vote is open), with the clerk's token, is 404 at both
        # edges and changes nothing.
        def control_unreachable(when):
            snap, seq = origin.text("/v1/snapshot"), origin.writes
            for e in (a, b):
                post_404(e, (f"/v1/votes/{VOTE}/cancel",), origin.token)
            if origin.text("/v1/snapshot") != snap or \
                    json.loads(origin.text("/v1/health")).get("seq") != seq:
                fail(f"a POST /v1/votes/{VOTE}/cancel to the edges {when} changed the "
                     f"origin's GET /v1/snapshot")
            v = json.loads(snap)["votes"][0]
            return v["state"]

        state_then = control_unreachable("while the vote was open")
        if state_then != "open":
            fail(f"the vote is {state_then} at the cancel through the edges, not open")

        origin.post(f"/v1/votes/{VOTE}/lock", {}, "vote-locked")
        origin.post(f"/v1/votes/{VOTE}/announce", {}, "vote-announced")

        for f in followers:
            f.finish(deadline)
        control_unreachable("at the end")
        final = json.loads(origin.text("/v1/snapshot"))
        try:
            ref = pc.State.from_snapshot(final)
        except pc.Violation as v:
            fail(f"the origin's GET /v1/snapshot: {v}")
        if (ref.stream, ref.seq) != (LIVE_SESSION, origin.writes) or \
                ref.votes[0]["state"] != "announced" or \
                len(ref.votes[0]["ballots"]) != ROSTER_SIZE:
            fail(f"the origin's final snapshot is not the vote driven: "
                 f"{json.dumps(final)[:300]}")
        for f in followers:
            stream, seq, rewinds = check_order(f)
            with open(f.state_out, encoding="utf-8") as sf:
                state = json.load(sf)
            if (state["stream"], state["seq"]) != (ref.stream, ref.seq) or \
                    (stream, seq) != (ref.stream, ref.seq):
                fail(f"the {f.name} client ended at {state['stream']}:{state['seq']}, "
                     f"the origin's GET /v1/snapshot at {ref.stream}:{ref.seq}")
            d = pc.first_difference(state, ref.as_dict())
            if d:
                fail(f"the {f.name} client's state differs from the origin's "
                     f"GET /v1/snapshot: {d}")
            # whoever's edge was restarted reconnected after it
            for what, must in (("edge A", f.edge == "A"), ("Redis", True),
                               ("edge B", f.edge == "B")):
                end = min([m[f] for k, m in marks.items()
                           if m[f] > marks[what][f]] or [len(f.lines)])
                if must and not any(l.startswith("trace connect ")
                                    for l in f.lines[marks[what][f]:end]):
                    fail(f"the {f.name} client did not reconnect after the kill of "
                         f"{what}")
            refused = sum(1 for l in f.lines if l.startswith("trace refused "))
            ok = [l for l in f.lines if not l.startswith("trace ")]
            at = {m[f]: f"{what.upper()} KILLED" for what, m in marks.items()}
            print(f"protocol-edge: redis: {f.name}: {summary(f.lines, at)}")
            print(f"protocol-edge: redis: {f.name}: {rewinds} rewinds, {refused} "
                  f"refused; {ok[-1] if ok else ''}")
    finally:
        for f in followers:
            f.kill()
        for e in edges.values():        # our own groups first: a signal may follow
            e.cleanup()
        redis.cleanup()
        if origin is not None:
            status = origin.stop()
    if status != 0:
        fail(f"the live origin exited with {status} on SIGTERM")
    print(f"protocol-edge: redis: OK: {ref.stream}:{ref.seq}, {ROSTER_SIZE} ballots; "
          f"killed (SIGKILL) and restarted in turn: " +
          ", ".join(f"{what} at seq {seq}" for what, seq in kills) +
          " (both edges restarted after Redis); SSE and WebSocket clients on both "
          "edges equal the origin's GET /v1/snapshot; a cancel with the token is 404 "
          "at both edges" +
          (f"; {len(notes)} time(s) an edge was restarted again, having served "
           f"nothing to new subscribers after a restart (nchan)" if notes else ""))


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def main():
    if len(sys.argv) != 7:
        print("usage: protocol-edge-run.py ROLLCALL-FEED DEMO-ARCHIVE PROTOCOL-CLIENT "
              "NGINX DEPLOY-DIR REDIS-SERVER", file=sys.stderr)
        return 2
    feed, archive, client, nginx, deploy, redis_server = sys.argv[1:]
    for path, what in ((nginx, "nginx"), (redis_server, "redis-server")):
        if not (os.path.isfile(path) and os.access(path, os.X_OK)):
            print(f"protocol-edge: no {what} at {path!r} (./run installs nginx-light, "
                  f"libnginx-mod-nchan and redis-server)", file=sys.stderr)
            return 1
    become_subreaper()
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, on_signal)
    total = time.monotonic() + TOTAL
    prefix = tempfile.mkdtemp(prefix="rc-protocol-edge-")
    try:
        run(feed, archive, client, nginx, deploy, prefix,
            min(total, time.monotonic() + DEADLINE))
        second = os.path.join(prefix, "redis-edges")
        os.makedirs(second)
        run_redis(feed, client, nginx, deploy, redis_server, second, total)
    except Failure as e:
        print(f"protocol-edge: {e} (the prefix: {prefix})", file=sys.stderr)
        return 1
    except (OSError, ValueError, KeyError, TypeError, http.client.HTTPException) as e:
        print(f"protocol-edge: {type(e).__name__}: {e} (the prefix: {prefix})",
              file=sys.stderr)
        return 1
    shutil.rmtree(prefix, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
