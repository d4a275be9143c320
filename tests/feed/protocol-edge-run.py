#!/usr/bin/env python3
# protocol-client.py (protocol 1.1) through a real nginx + nchan edge, written from
# docs/feed-protocol.md (§12) and docs/deploy.md alone (not from Rollcall's code):
#
#   protocol-edge-run.py ROLLCALL-FEED DEMO-ARCHIVE PROTOCOL-CLIENT NGINX DEPLOY-DIR
#
# In a temporary prefix it starts nginx with the edge's configuration as shipped in
# DEPLOY-DIR (nginx-edge.conf and rollcall-edge.conf; only the listen lines, the
# WebSocket hop's address and nginx's temporary folders are changed, so that it runs
# on free loopback ports without root), in a process group of its own so that one
# SIGKILL takes its workers too. The origin is `rollcall-feed --replay DEMO --session
# ga-es11-2022-03-02 --speed 16 --port 0 --publish http://127.0.0.1:PORT/publish/`.
# One client subscribes through the edge over SSE and one over WebSocket (--edge,
# each dropping its connection once on purpose); in the middle of the vote the edge
# is killed with SIGKILL and started again on the same ports. Each client must end
# with the state of the origin's own GET /v1/snapshot (the same stream, seq and
# content), having applied every event once, in order, on the state it follows (a
# snapshot older than the client's position, which §3 and §4 say a client takes, is
# the one exception: the events after it are applied again on it). The edge's public
# side must answer 404 to POST /v1/session, /v1/votes and /publish/events.
#
# Exit 0 when all holds; otherwise one line and exit 1 (nginx's prefix, with its
# error.log, is then kept and named).

import http.client
import importlib.util
import json
import os
import re
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
DEADLINE = 120.0        # the whole run; nothing is timed, this only bounds a hang
CLIENT_TIMEOUT = 90.0
KILL_AT = 40            # the edge is killed once both clients have applied this seq
TEMP_DIRS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")


class Failure(Exception):
    pass


def fail(msg):
    raise Failure(msg)


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


class Edge:
    """nginx + nchan from data/deploy/, on loopback, in a prefix of its own."""

    def __init__(self, nginx, deploy, prefix):
        self.nginx, self.prefix = nginx, prefix
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
        main = read(os.path.join(deploy, "nginx-edge.conf"))
        if main.count("http {\n") != 1:
            fail("nginx-edge.conf has no single 'http {' line")
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
        out = open(os.path.join(p, "nginx.out"), "ab")
        self.proc = subprocess.Popen(
            [self.nginx, "-p", p, "-c", f"{p}/nginx.conf", "-g",
             f"daemon off; pid {p}/nginx.pid; error_log {p}/error.log notice;"],
            stdin=subprocess.DEVNULL, stdout=out, stderr=out, preexec_fn=os.setpgrp)
        out.close()
        self.groups.append(self.proc.pid)
        until = min(deadline, time.monotonic() + 10)
        while not (accepts(self.public) and accepts(self.publisher)):
            if self.proc.poll() is not None:
                fail(f"nginx exited with {self.proc.returncode}: {self.last_error()}")
            if time.monotonic() > until:
                fail(f"nginx does not accept on 127.0.0.1:{self.public} and "
                     f":{self.publisher} after 10 s: {self.last_error()}")
            time.sleep(0.02)

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
        """SIGKILL to the whole group (master and workers), and wait for it to go."""
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        while group_alive(self.proc.pid):
            reap_group(self.proc.pid)
            if time.monotonic() > deadline:
                fail(f"nginx's group {self.proc.pid} outlived SIGKILL")
            time.sleep(0.01)
        reap_group(self.proc.pid)

    def cleanup(self):
        for pgid in self.groups:
            try:
                os.killpg(pgid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if self.proc is not None and self.proc.returncode is None:
            self.proc.wait()
        give_up = time.monotonic() + 5
        while any(group_alive(g) for g in self.groups) and time.monotonic() < give_up:
            for g in self.groups:
                reap_group(g)
            time.sleep(0.02)
        for g in self.groups:
            reap_group(g)


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


class Follower:
    """A protocol-client.py run with --trace: its lines, read on a thread."""

    def __init__(self, client, url, reference, transport, state_out):
        self.transport = transport
        self.state_out = state_out
        self.proc = subprocess.Popen(
            [sys.executable, client, url, "--transport", transport, "--edge",
             "--reference", reference, "--trace", "--drop-after", "20", "--drops", "1",
             "--state-out", state_out, "--timeout", str(CLIENT_TIMEOUT)],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, text=True)
        self.lines = []
        self.seq = 0                # the highest seq of an event applied
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
                self.cond.notify_all()
        with self.cond:
            self.proc.wait()
            self.cond.notify_all()

    def wait_at(self, seq, deadline):
        with self.cond:
            while self.seq < seq:
                if self.proc.poll() is not None:
                    fail(f"the {self.transport} client ended (exit "
                         f"{self.proc.returncode}) before applying seq {seq}")
                left = deadline - time.monotonic()
                if left <= 0:
                    fail(f"the {self.transport} client has not applied seq {seq} "
                         f"(at {self.seq})")
                self.cond.wait(min(left, 0.5))

    def mark(self):
        with self.cond:
            return len(self.lines)

    def finish(self, deadline):
        try:
            self.proc.wait(timeout=max(1.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            fail(f"the {self.transport} client did not end")
        self.thread.join(5)
        if self.proc.returncode != 0:
            fail(f"the {self.transport} client failed (exit {self.proc.returncode}), "
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
                fail(f"the {f.transport} client applied {s}:{n} on {stream}:{seq}")
            if (s, n) in applied:
                fail(f"the {f.transport} client applied {s}:{n} twice")
            applied.add((s, n))
            seq = n
        elif s != stream or n > seq:
            fail(f"the {f.transport} client dropped {s}:{n} at {stream}:{seq}, "
                 f"which it does not hold")
    return stream, seq, rewinds


def summary(lines, mark):
    """The client's trace on one line, runs of events and drops counted."""
    out, run = [], None
    for i, line in enumerate(lines + ["trace end"]):
        m = re.match(r"^trace (event|drop) .*:(\d+)$", line)
        if m and run and run[0] == m.group(1) and i != mark:
            run[2] = m.group(2)
            continue
        if run:
            out.append(f"{run[0]} {run[1]}" + (f"..{run[2]}" if run[2] != run[1] else ""))
            run = None
        if i == mark:
            out.append("| EDGE KILLED |")
        if m:
            run = [m.group(1), m.group(2), m.group(2)]
        elif line.startswith("trace ") and line != "trace end":
            out.append(line[6:].replace(" ga-es11-2022-03-02~", " ~"))
    return "; ".join(out)


def post_404(edge):
    for path in ("/v1/session", "/v1/votes", "/publish/events"):
        conn = http.client.HTTPConnection("127.0.0.1", edge.public, timeout=10)
        try:
            conn.request("POST", path, body=b"{}",
                         headers={"Content-Type": "application/json"})
            resp = conn.getresponse()
            body = resp.read()
        finally:
            conn.close()
        if resp.status != 404:
            fail(f"POST {path} on the edge's public port: {resp.status}, not 404")
        try:
            code = json.loads(body.decode("utf-8"))["error"]["code"]
        except (ValueError, KeyError, TypeError):
            code = None
        if code != "not-found":
            fail(f"POST {path} on the edge's public port: 404 with {body[:200]!r}, "
                 f"not a not-found error (§7)")


def run(feed, archive, client, nginx, deploy, prefix):
    deadline = time.monotonic() + DEADLINE
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
            print(f"protocol-edge: {f.transport}: {summary(f.lines, mark)}")
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


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def main():
    if len(sys.argv) != 6:
        print("usage: protocol-edge-run.py ROLLCALL-FEED DEMO-ARCHIVE PROTOCOL-CLIENT "
              "NGINX DEPLOY-DIR", file=sys.stderr)
        return 2
    feed, archive, client, nginx, deploy = sys.argv[1:]
    if not (os.path.isfile(nginx) and os.access(nginx, os.X_OK)):
        print(f"protocol-edge: no nginx at {nginx!r} (./run installs nginx-light and "
              f"libnginx-mod-nchan)", file=sys.stderr)
        return 1
    become_subreaper()
    prefix = tempfile.mkdtemp(prefix="rc-protocol-edge-")
    try:
        run(feed, archive, client, nginx, deploy, prefix)
    except Failure as e:
        print(f"protocol-edge: {e} (nginx's prefix: {prefix})", file=sys.stderr)
        return 1
    except (OSError, ValueError, KeyError, TypeError, http.client.HTTPException) as e:
        print(f"protocol-edge: {type(e).__name__}: {e} (nginx's prefix: {prefix})",
              file=sys.stderr)
        return 1
    shutil.rmtree(prefix, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
