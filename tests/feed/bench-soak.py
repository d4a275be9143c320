#!/usr/bin/env python3
# The soak benchmark of issue 8: rollcall-feed under every hostile client at once,
# while a board follows a live vote. Python 3, standard library.
#
#   bench-soak.py ROLLCALL-FEED ROLLCALL OPENSSL [--tls]
#
# A live rollcall-feed (the protocol's real intervals) is driven through its control
# API, vote after vote, while at the same time:
#   - 20,000 health requests, each on a connection of its own (the server closes every
#     connection after one answer: docs/security.md);
#   - 5,000 WebSocket and SSE subscriptions that take their snapshot and leave;
#   - 100 requests and 50 subscriptions whose clients never read;
#   - with --tls, 300 stalled TLS handshakes (half silent, half after their hello),
#     renewed every 9.5 s, from another address (127.0.0.2);
#   - a prober asks /v1/health every 50 ms and times the answers;
#   - the real board (rollcall --feed URL, in a window: DISPLAY is needed) follows the
#     vote, and a checking subscriber (SSE) receives every event, in order.
# Then every client leaves: the server's descriptors, RSS and threads at the start and
# at the end, the prober's times, and what the checker received are printed as a
# Markdown table (appended to $ROLLCALL_BENCH_OUT when set), with the slowest probes
# split into connect, TLS handshake and answer, in UTC to match the server's log
# ($ROLLCALL_SOAK_SERVER_LOG: where to keep all of it; G_MESSAGES_DEBUG=all adds where
# each slow handshake's time went). It fails when the server
# did not hold: descriptors not back to their start, a health request that failed or
# took over 100 ms, an event lost. A screenshot of the board is left in the build
# folder (soak-board.png) to look at.

import json
import os
import re
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time

TOKEN = "5a1b7c9d3e2f40618293a4b5c6d7e8f9"
SESSION = "soak-2026-12-06"
HEALTH_LIMIT_MS = 100.0


WALL_MINUS_MONOTONIC = time.time() - time.monotonic()  # to tell when a probe was, in UTC
SERVER_LOG = []  # the server's last lines, shown when the benchmark fails
CHILDREN = []    # the processes started, ended with the benchmark


def fail(message):
    """Ends the benchmark, from any of its threads (sys.exit would end only the thread),
    and the processes it started."""
    for child in CHILDREN:
        if child.poll() is None:
            child.kill()
    for line in SERVER_LOG[-20:]:
        print(f"bench-soak: the server said: {line}", file=sys.stderr)
    print(f"bench-soak: {message}", file=sys.stderr, flush=True)
    os._exit(1)


# A thread that fails (a request refused, a connection cut) ends the benchmark, rather
# than leaving the others waiting for it.
threading.excepthook = lambda a: fail(f"{a.thread.name if a.thread else 'a thread'}: "
                                      f"{a.exc_type.__name__}: {a.exc_value}")


class Server:
    def __init__(self, exe, folder, tls):
        token = os.path.join(folder, "token")
        with open(token, "w") as f:
            f.write(TOKEN + "\n")
        os.chmod(token, 0o600)
        args = [exe, "--live", "--token-file", token, "--journal",
                os.path.join(folder, "soak.rollcall"), "--port", "0"]
        if tls:
            args += ["--tls-certificate", tls[0], "--tls-key", tls[1]]
        env = dict(os.environ)
        env.pop("ROLLCALL_FEED_TEST_TIMING", None)
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True, env=env)
        CHILDREN.append(self.proc)
        line = self.proc.stdout.readline().strip()
        m = re.match(r"^rollcall-feed: listening on (https?)://([0-9.]+):(\d+)$", line)
        if not m:
            fail(f"the server said {line!r}")
        self.url = f"{m.group(1)}://{m.group(2)}:{m.group(3)}"
        self.tls = m.group(1) == "https"
        self.host, self.port = m.group(2), int(m.group(3))
        self.log_lines = 0
        threading.Thread(target=self._drain_log, daemon=True).start()

    def _drain_log(self):
        # All of it to $ROLLCALL_SOAK_SERVER_LOG when set (with G_MESSAGES_DEBUG=all, the
        # server also says where each slow TLS handshake's time went).
        keep = open(os.environ["ROLLCALL_SOAK_SERVER_LOG"], "w") \
            if os.environ.get("ROLLCALL_SOAK_SERVER_LOG") else None
        for line in self.proc.stderr:
            self.log_lines += 1
            SERVER_LOG.append(line.rstrip("\n"))
            del SERVER_LOG[:-100]
            if keep:
                keep.write(line)
                keep.flush()

    def status(self, key):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
        return 0

    def fds(self):
        return len(os.listdir(f"/proc/{self.proc.pid}/fd"))

    def sample(self):
        return {"fds": self.fds(), "rss": self.status("VmRSS"), "threads": self.status("Threads")}

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            fail("the server did not stop on SIGTERM")


def connect(server, timeout=10.0):
    s = socket.create_connection((server.host, server.port), timeout=timeout)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    if server.tls:
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        s = ctx.wrap_socket(s, server_hostname=server.host)
    return s


def request(server, method, path, body=None, timeout=10.0):
    data = json.dumps(body).encode() if body is not None else b""
    head = (f"{method} {path} HTTP/1.1\r\nHost: {server.host}:{server.port}\r\n"
            f"Authorization: Bearer {TOKEN}\r\n")
    if body is not None:
        head += f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n"
    s = connect(server, timeout)
    try:
        s.sendall(head.encode() + b"\r\n" + data)
        answer = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            answer += chunk
    finally:
        s.close()
    m = re.match(rb"^HTTP/1\.1 (\d{3}) ", answer)
    return (int(m.group(1)) if m else 0), answer.partition(b"\r\n\r\n")[2]


class Stop:
    def __init__(self):
        self.event = threading.Event()

    def __bool__(self):
        return self.event.is_set()


# ---------------------------------------------------------------- the load


PROBER = r"""
import socket, sys, time
host, port, tls, out = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1", sys.argv[4]
if tls:
    import ssl
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
with open(out, "w") as f:
    while True:
        t = time.monotonic()
        connected = shaken = t
        try:
            s = socket.create_connection((host, port), timeout=5.0)
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            connected = shaken = time.monotonic()
            if tls:
                s = ctx.wrap_socket(s, server_hostname=host)
                shaken = time.monotonic()
            s.sendall(f"GET /v1/health HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
            answer = b""
            while True:
                chunk = s.recv(4096)
                if not chunk:
                    break
                answer += chunk
            s.close()
            ok = answer.startswith(b"HTTP/1.1 200 ")
        except OSError as e:
            ok = False
        # when (CLOCK_MONOTONIC, as the load's), total, connect, TLS handshake (ms), ok
        now = time.monotonic()
        f.write(f"{t:.6f} {(now - t) * 1000.0:.3f} {(connected - t) * 1000.0:.3f} "
                f"{(shaken - connected) * 1000.0:.3f} {int(ok)}\n")
        f.flush()
        time.sleep(0.05)
"""


def start_prober(server, folder):
    """A process of its own, so that the load's threads do not delay its clock."""
    out = os.path.join(folder, "prober.txt")
    proc = subprocess.Popen([sys.executable, "-c", PROBER, server.host, str(server.port),
                             "1" if server.tls else "0", out])
    CHILDREN.append(proc)
    return proc, out


def read_prober(out):
    """The probes' times (ms), how many failed, and each probe's line as numbers."""
    times, failures, probes = [], 0, []
    with open(out) as f:
        for line in f:
            when, ms, connect_ms, tls_ms, ok = line.split()
            times.append(float(ms))
            failures += ok != "1"
            probes.append((float(when), float(ms), float(connect_ms), float(tls_ms), ok == "1"))
    return times, failures, probes


def slowest_probes(probes, bursts, began, n=3):
    """The n slowest probes, each with its parts and where it fell among the stallers'
    bursts: what a reader needs to tell the server's delay from the load's."""
    lines = []
    for when, ms, connect_ms, tls_ms, ok in sorted(probes, key=lambda p: -p[1])[:n]:
        before = [b for b in bursts if b[0] <= when]
        burst = (f", {(when - before[-1][0]) * 1000:.0f} ms after a burst of stallers "
                 f"began (it took {before[-1][1] * 1000:.0f} ms)") if before else ""
        wall = time.strftime("%H:%M:%S", time.gmtime(when + WALL_MINUS_MONOTONIC))
        lines.append(f"{ms:.1f} ms at {when - began:.1f} s ({wall} UTC): connect {connect_ms:.1f}, TLS "
                     f"{tls_ms:.1f}, answer {ms - connect_ms - tls_ms:.1f}"
                     f"{'' if ok else ', FAILED'}{burst}")
    return lines


def hammer(server, n, counts):
    for _ in range(n):
        status, _ = request(server, "GET", "/v1/health")
        counts["health"] += 1
        if status != 200:
            counts["health_failed"] += 1


def cycles(server, n, counts):
    for i in range(n):
        s = connect(server)
        try:
            if i % 2 == 0:
                s.sendall((f"GET /v1/feed HTTP/1.1\r\nHost: {server.host}\r\n"
                           "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                           "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                           "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: rollcall.v1"
                           "\r\n\r\n").encode())
            else:
                s.sendall(f"GET /v1/events HTTP/1.1\r\nHost: {server.host}\r\n\r\n".encode())
            got = b""
            while b"snapshot" not in got:
                chunk = s.recv(65536)
                if not chunk:
                    counts["cycle_failed"] += 1
                    break
                got += chunk
        finally:
            s.close()
        counts["cycles"] += 1


def never_readers(server, held):
    for i in range(150):
        s = socket.create_connection((server.host, server.port), timeout=10.0)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        if server.tls:
            ctx = ssl.create_default_context()
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            s = ctx.wrap_socket(s, server_hostname=server.host)
        path = "/v1/snapshot" if i < 100 else "/v1/events"
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: {server.host}\r\n\r\n".encode())
        held.append(s)


def client_hello():
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    obj = ctx.wrap_bio(incoming, outgoing, server_hostname="127.0.0.1")
    try:
        obj.do_handshake()
    except ssl.SSLWantReadError:
        pass
    return outgoing.read()


def stallers(server, stop, counts, bursts):
    """From an address of their own (127.0.0.2), as another machine of the hall. Each
    burst's start and length go to bursts."""
    hello = client_hello()
    while not stop:
        held = []
        began = time.monotonic()
        for i in range(300):
            s = socket.create_connection((server.host, server.port), timeout=10.0,
                                         source_address=("127.0.0.2", 0))
            if i % 2:
                s.sendall(hello)
            held.append(s)
        counts["stalled"] += 300
        bursts.append((began, time.monotonic() - began))
        stop.event.wait(9.5)
        for s in held:
            s.close()


class Checker(threading.Thread):
    """An SSE subscriber that keeps every event, in order, from its snapshot on."""

    def __init__(self, server):
        super().__init__(daemon=True)
        self.server = server
        self.seqs = []
        self.ballots = {}
        self.error = None
        self.snapshot_seq = None
        self.done = threading.Event()

    def run(self):
        try:
            s = connect(self.server, timeout=30.0)
            s.sendall(f"GET /v1/events HTTP/1.1\r\nHost: {self.server.host}\r\n\r\n".encode())
            buf = b""
            while not self.done.is_set():
                chunk = s.recv(65536)
                if not chunk:
                    self.error = "the server ended the checker's subscription"
                    return
                buf += chunk
                while b"\ndata: " in buf:
                    i = buf.index(b"\ndata: ")
                    j = buf.find(b"\n", i + 7)
                    if j < 0:
                        break
                    message = json.loads(buf[i + 7:j])
                    buf = buf[j:]
                    self.take(message)
        except Exception as e:  # noqa: BLE001 — any failure is the checker's verdict
            self.error = f"the checker: {e!r}"

    def take(self, m):
        if m.get("type") == "snapshot":
            self.snapshot_seq = m["seq"]
            self.seqs = [m["seq"]]
            return
        if m.get("type") == "heartbeat":
            return
        if self.seqs and m["seq"] != self.seqs[-1] + 1:
            self.error = f"event {m['seq']} after {self.seqs[-1]}: one was lost"
        self.seqs.append(m["seq"])
        if m["type"] == "ballot":
            self.ballots[(m["vote"], m["member"])] = m["choice"]


def drive(server, stop, counts, votes_done):
    status, body = request(server, "POST", "/v1/session",
                           {"session": {"id": SESSION, "date": "2026-12-06",
                                        "title": "Soak"}, "chamber": "UNGA"})
    if status != 201:
        fail(f"POST /v1/session: {status} {body!r}")
    roster = [m["code"] for m in json.loads(body)["roster"]]
    sent = {}
    v = 0
    while not stop:
        v += 1
        vote = f"v{v}"
        for path, body in ((f"/v1/votes", {"vote": vote, "symbol": None,
                                            "draft": f"A/81/L.{v}", "title": f"Soak {v}",
                                            "majority": "simple", "recorded": True,
                                            "reveal": "live"}),
                           ("/v1/on-air", {"show": "vote", "vote": vote}),
                           (f"/v1/votes/{vote}/open", {})):
            status, answer = request(server, "POST", path, body)
            if status != 201:
                fail(f"POST {path}: {status} {answer!r}")
        for i, code in enumerate(roster):
            choice = ("yes", "no", "abstain")[(i + v) % 3]
            status, answer = request(server, "POST", f"/v1/votes/{vote}/ballots",
                                     {"member": code, "choice": choice})
            if status != 201:
                fail(f"a ballot: {status} {answer!r}")
            sent[(vote, code)] = choice
            counts["ballots"] += 1
            time.sleep(0.02)
        for path, body in ((f"/v1/votes/{vote}/lock", {"ballots": None}),
                           (f"/v1/votes/{vote}/announce", {"official": None})):
            status, answer = request(server, "POST", path, body)
            if status != 201:
                fail(f"POST {path}: {status} {answer!r}")
        votes_done.append(vote)
    return sent


def make_cert(openssl, folder):
    cert, key = os.path.join(folder, "cert.pem"), os.path.join(folder, "key.pem")
    subprocess.run([openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", cert,
                    "-days", "2", "-subj", "/CN=127.0.0.1", "-addext",
                    "subjectAltName=IP:127.0.0.1"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.chmod(key, 0o600)
    return cert, key


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))] if values else 0.0


def main():
    args = [a for a in sys.argv[1:] if a != "--tls"]
    use_tls = "--tls" in sys.argv[1:]
    if len(args) != 3:
        print("usage: bench-soak.py ROLLCALL-FEED ROLLCALL OPENSSL [--tls]", file=sys.stderr)
        return 2
    feed_exe, board_exe, openssl = args
    if not os.environ.get("DISPLAY"):
        fail("the board needs a display: run it under xvfb-run (./run bench does)")
    with tempfile.TemporaryDirectory() as folder:
        tls = make_cert(openssl, folder) if use_tls else None
        server = Server(feed_exe, folder, tls)
        stop = Stop()
        counts = {"health": 0, "health_failed": 0, "cycles": 0, "cycle_failed": 0,
                  "ballots": 0, "stalled": 0}
        held, votes_done, result, bursts = [], [], {}, []

        checker = Checker(server)
        checker.start()
        board_cmd = [board_exe, "--feed", server.url]
        if tls:
            board_cmd += ["--ca-file", tls[0]]
        board = subprocess.Popen(board_cmd, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
        CHILDREN.append(board)
        threads = [threading.Thread(target=lambda: result.update(
                       sent=drive(server, stop, counts, votes_done)), name="the vote")]
        threads[0].start()
        # Warmed up (the session and its chamber loaded, the board and the checker
        # subscribed, the first requests served): the start of the measure.
        while not votes_done and counts["ballots"] < 20:
            time.sleep(0.1)
        hammer(server, 200, counts)
        start = server.sample()
        prober_proc, prober_out = start_prober(server, folder)
        work = [threading.Thread(target=hammer, args=(server, 10000, counts), name="health 1"),
                threading.Thread(target=hammer, args=(server, 10000, counts), name="health 2"),
                threading.Thread(target=cycles, args=(server, 5000, counts),
                                 name="subscriptions"),
                threading.Thread(target=never_readers, args=(server, held),
                                 name="never-readers")]
        if tls:
            threads.append(threading.Thread(target=stallers, args=(server, stop, counts, bursts),
                                            name="stallers"))
        began = time.monotonic()
        for t in threads[1:] + work:
            t.start()
        for t in work:
            t.join()
        # The vote under way ends; then everyone leaves.
        voted = len(votes_done)
        while len(votes_done) == voted:
            time.sleep(0.2)
        stop.event.set()
        for t in threads:
            t.join()
        prober_proc.terminate()
        prober_proc.wait()
        times, failed_probes, probes = read_prober(prober_out)
        elapsed = time.monotonic() - began
        time.sleep(3)  # a heartbeat, for the checker and the board to be at the end
        shot = os.path.join(os.environ.get("ROLLCALL_BUILD_ROOT", os.getcwd()),
                            f"soak-board{'-tls' if tls else ''}.png")
        subprocess.run(["import", "-window", "root", shot], stderr=subprocess.DEVNULL)
        board_alive = board.poll() is None
        board.terminate()
        board.wait(timeout=10)
        checker.done.set()
        for s in held:
            s.close()
        status, body = request(server, "GET", "/v1/health")
        last_seq = json.loads(body)["seq"]
        deadline = time.monotonic() + 60
        while server.fds() > start["fds"] + 1 and time.monotonic() < deadline:
            time.sleep(0.2)
        end = server.sample()
        server.stop()

    sent = result.get("sent", {})
    lost = [k for k, v in sent.items() if checker.ballots.get(k) != v]
    rows = [
        ("server descriptors, start (warmed up) → end", f"{start['fds']} → {end['fds']}"),
        ("server RSS, start (warmed up) → end", f"{start['rss'] / 1024:.1f} → {end['rss'] / 1024:.1f} MB"),
        ("server threads, start → end", f"{start['threads']} → {end['threads']}"),
        ("health requests (one connection each)", f"{counts['health']} "
                                                  f"({counts['health_failed']} failed)"),
        ("WebSocket and SSE subscriptions that left", f"{counts['cycles']} "
                                                      f"({counts['cycle_failed']} failed)"),
        ("clients that never read", "100 requests, 50 subscriptions"),
        ("stalled TLS handshakes", str(counts["stalled"]) if tls else "— (plain HTTP)"),
        ("prober: health answered (every 50 ms)",
         f"{len(times)}; p50 {percentile(times, 0.5):.1f} ms, p99 {percentile(times, 0.99):.1f}"
         f" ms, max {max(times, default=0):.1f} ms; {failed_probes} failed"),
        ("prober: its slowest answers", "<br>".join(slowest_probes(probes, bursts, began))),
        ("ballots sent / received by the checker", f"{len(sent)} / "
                                                   f"{len(sent) - len(lost)}, in "
                                                   f"{len(votes_done)} votes"),
        ("the board (rollcall --feed)", "ran to the end" if board_alive else "DIED"),
        ("duration", f"{elapsed:.0f} s"),
    ]
    table = (f"\n#### Soak, {'https/wss' if tls else 'http/ws'} "
             f"({time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC)\n\n"
             "| measure | value |\n|---|---|\n"
             + "".join(f"| {k} | {v} |\n" for k, v in rows))
    print(table)
    if os.environ.get("ROLLCALL_BENCH_OUT"):
        with open(os.environ["ROLLCALL_BENCH_OUT"], "a") as f:
            f.write(table)

    problems = []
    if end["fds"] > start["fds"] + 1:
        problems.append(f"descriptors {start['fds']} at the start, {end['fds']} at the end")
    if failed_probes:
        problems.append(f"{failed_probes} health requests of the prober failed")
    if max(times, default=0) > HEALTH_LIMIT_MS:
        problems.append(f"a health request took {max(times):.0f} ms")
    if checker.error:
        problems.append(checker.error)
    if lost:
        problems.append(f"{len(lost)} ballots not received as sent")
    if checker.seqs and checker.seqs[-1] != last_seq:
        problems.append(f"the checker ended at seq {checker.seqs[-1]}, the server at {last_seq}")
    if counts["health_failed"] or counts["cycle_failed"]:
        problems.append("requests or subscriptions of the load failed")
    if not board_alive:
        problems.append("the board died")
    if problems:
        fail("; ".join(problems))
    return 0


if __name__ == "__main__":
    sys.exit(main())
