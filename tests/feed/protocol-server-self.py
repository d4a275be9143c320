#!/usr/bin/env python3
"""Checks tests/feed/protocol-server.py (a feed server written from
docs/feed-protocol.md alone) against rollcall-feed on the same session.

  protocol-server-self.py ROLLCALL-FEED ROLLCALL-IMPORT DEMO-ARCHIVE PROTOCOL-SERVER

Both servers replay ga-es11-2022-03-02 at speed 50; once each has published the
last event, their GET /v1/snapshot must be equal, the stream id aside. Then, on
each server alike: a WebSocket subscription without an id starts with that
snapshot, a WebSocket and an SSE resume get exactly the events after their
position, and SIGTERM ends both subscriptions as §6 says and exits 0.
Exit 0 when all holds; otherwise one line saying what differs, and exit 1.
No timing is asserted: every wait is a generous deadline.
"""

import base64
import http.client
import json
import os
import select
import socket
import struct
import subprocess
import sys
import tempfile
import time

SESSION = "ga-es11-2022-03-02"
DEADLINE = 60.0


class Failed(Exception):
    pass


def start(argv, name):
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    ready, _, _ = select.select([proc.stdout], [], [], DEADLINE)
    line = proc.stdout.readline().strip() if ready else ""
    prefix = f"{name}: listening on http://127.0.0.1:"
    if not line.startswith(prefix):
        proc.kill()
        raise Failed(f"{name} did not say where it listens: {line!r} "
                     f"{proc.stderr.read().strip()!r}")
    return proc, int(line[len(prefix):])


def get(port, path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=DEADLINE)
    conn.request("GET", path)
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    if resp.status != 200:
        raise Failed(f"GET {path} on port {port}: {resp.status}")
    return json.loads(body)


def wait_for_seq(port, seq, name):
    deadline = time.monotonic() + DEADLINE
    while time.monotonic() < deadline:
        if get(port, "/v1/health")["seq"] >= seq:
            return
        time.sleep(0.1)
    raise Failed(f"{name} did not reach seq {seq}")


def first_difference(a, b, where="snapshot"):
    if type(a) is not type(b):
        return f"{where}: {json.dumps(a)[:80]} vs {json.dumps(b)[:80]}"
    if isinstance(a, dict):
        if list(a) != list(b):
            return f"{where}: members {list(a)} vs {list(b)}"
        for key in a:
            diff = first_difference(a[key], b[key], f"{where}.{key}")
            if diff:
                return diff
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{where}: {len(a)} items vs {len(b)}"
        for i, (x, y) in enumerate(zip(a, b)):
            diff = first_difference(x, y, f"{where}[{i}]")
            if diff:
                return diff
        return None
    return None if a == b else f"{where}: {json.dumps(a)[:80]} vs {json.dumps(b)[:80]}"


class WebSocket:
    """Just enough of RFC 6455's client side for these checks."""

    def __init__(self, port, query=""):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=DEADLINE)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET /v1/feed{query} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                           "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                           f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
                           "Sec-WebSocket-Protocol: rollcall.v1\r\n\r\n").encode())
        self.buf = b""
        while b"\r\n\r\n" not in self.buf:
            self._fill()
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        status = head.split(b"\r\n")[0]
        if b" 101 " not in status:
            raise Failed(f"WebSocket handshake on port {port}: {status.decode()}")

    def _fill(self):
        data = self.sock.recv(65536)
        if not data:
            raise Failed("the WebSocket connection ended without a close frame")
        self.buf += data

    def _read(self, n):
        while len(self.buf) < n:
            self._fill()
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def send(self, opcode, payload=b""):
        mask = os.urandom(4)
        data = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(struct.pack("!BB", 0x80 | opcode, 0x80 | len(payload))
                          + mask + data)

    def message(self):
        """("text", object) or ("close", code); pings are answered."""
        while True:
            b0, b1 = self._read(2)
            n = b1 & 0x7F
            if n == 126:
                n = struct.unpack("!H", self._read(2))[0]
            elif n == 127:
                n = struct.unpack("!Q", self._read(8))[0]
            payload = self._read(n)
            opcode = b0 & 0x0F
            if opcode == 0x1:
                return "text", json.loads(payload)
            if opcode == 0x8:
                code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else None
                return "close", code
            if opcode == 0x9:
                self.send(0xA, payload)

    def close(self):
        self.sock.close()


def sse_events(port, last_id, count):
    """The first `count` events of a resumed SSE subscription."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=DEADLINE)
    sock.sendall((f"GET /v1/events HTTP/1.0\r\nAccept: text/event-stream\r\n"
                  f"Last-Event-ID: {last_id}\r\n\r\n").encode())
    data = b""
    while data.count(b"\ndata: ") < count + 1 and b"event: heartbeat" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    sock.close()
    head, _, body = data.partition(b"\r\n\r\n")
    out = []
    for block in body.decode().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.split("\n")
                      if ": " in line and not line.startswith(":"))
        if "data" in fields:
            out.append((fields.get("event"), fields.get("id"), json.loads(fields["data"])))
    return out


def check_server(name, port, last, snapshot):
    """The same checks on either server; returns a live WebSocket and its stream."""
    stream = snapshot["stream"]
    ws = WebSocket(port)
    kind, msg = ws.message()
    if kind != "text" or msg.get("type") != "snapshot":
        raise Failed(f"{name}: a WebSocket subscription without an id began with {msg}")
    if msg != snapshot:
        raise Failed(f"{name}: WebSocket {first_difference(msg, snapshot)}")
    ws.close()

    ws = WebSocket(port, f"?last_event_id={stream}:{last - 3}")
    for seq in range(last - 2, last + 1):
        kind, msg = ws.message()
        if kind != "text" or msg.get("seq") != seq or msg.get("stream") != stream:
            raise Failed(f"{name}: WebSocket resume from {last - 3}: {msg} instead of seq {seq}")
    kind, msg = ws.message()
    if msg.get("type") != "heartbeat" or msg.get("last_seq") != last or msg.get("seq") != 0:
        raise Failed(f"{name}: after the resume {msg} instead of a heartbeat at {last}")

    events = sse_events(port, f"{stream}:0", last)
    seqs = [e[2]["seq"] for e in events if e[0] != "heartbeat"]
    if seqs[:last] != list(range(1, last + 1)) or events[0][0] != "session":
        raise Failed(f"{name}: SSE resume from {stream}:0 gave seqs {seqs[:5]}…")
    for etype, eid, obj in events[:last]:
        if eid != f"{stream}:{obj['seq']}" or etype != obj["type"]:
            raise Failed(f"{name}: SSE event id {eid} / type {etype} for {obj}")
    return ws


def sse_open(port, name):
    """An SSE subscription, once its snapshot has come: then it is surely one of the
    server's clients (a subscriber that just left may still be counted in /v1/health,
    and a request not yet read would be cut at SIGTERM, as it should)."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=DEADLINE)
    sock.sendall(b"GET /v1/events HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n")
    data = b""
    while b"event: snapshot" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise Failed(f"{name}: the SSE subscription ended before its snapshot ({data[:60]!r})")
        data += chunk
    return sock, data


def sse_ended(sse, name):
    """The chunked response must end with its last chunk (§6)."""
    sock, data = sse
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    sock.close()
    if not data.endswith(b"\r\n0\r\n\r\n"):
        raise Failed(f"{name}: the SSE response did not end with its last chunk at "
                     f"SIGTERM ({data[-40:]!r})")


def stop(proc, name, ws, sse):
    proc.send_signal(15)
    kind, code = ws.message()
    while kind == "text" and code.get("type") == "heartbeat":
        kind, code = ws.message()
    if (kind, code) != ("close", 1001):
        raise Failed(f"{name}: at SIGTERM the WebSocket got {kind} {code}, not close 1001")
    ws.send(0x8, struct.pack("!H", 1001))
    sse_ended(sse, name)
    try:
        status = proc.wait(DEADLINE)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise Failed(f"{name} did not exit after SIGTERM") from None
    if status != 0:
        raise Failed(f"{name} exited {status} after SIGTERM: {proc.stderr.read().strip()}")


def main():
    if len(sys.argv) != 5:
        print(__doc__.strip().split("\n\n")[1].strip(), file=sys.stderr)
        return 2
    feed, importer, archive, server = sys.argv[1:]
    procs = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            jsonl = os.path.join(tmp, "session.jsonl")
            run = subprocess.run([importer, "--export", archive, "--session", SESSION,
                                  "-o", jsonl], capture_output=True, text=True)
            if run.returncode != 0:
                raise Failed(f"rollcall-import --export failed: {run.stderr.strip()}")
            with open(jsonl, encoding="utf-8") as fh:
                last = sum(1 for line in fh if line.strip())

            ours, ours_port = start([sys.executable, server, "--jsonl", jsonl,
                                     "--speed", "50", "--port", "0"], "protocol-server")
            procs.append(ours)
            theirs, theirs_port = start([feed, "--replay", archive, "--session", SESSION,
                                         "--speed", "50", "--port", "0"], "rollcall-feed")
            procs.append(theirs)
            wait_for_seq(ours_port, last, "protocol-server")
            wait_for_seq(theirs_port, last, "rollcall-feed")
            a = get(ours_port, "/v1/snapshot")
            b = get(theirs_port, "/v1/snapshot")
            if not a["stream"].startswith(SESSION) or a["stream"] == b["stream"]:
                raise Failed(f"stream ids {a['stream']} and {b['stream']}")
            diff = first_difference(dict(a, stream=None), dict(b, stream=None))
            if diff:
                raise Failed(f"protocol-server vs rollcall-feed: {diff}")

            for name, proc, port, snap in (("protocol-server", ours, ours_port, a),
                                           ("rollcall-feed", theirs, theirs_port, b)):
                ws = check_server(name, port, last, snap)
                sse = sse_open(port, name)
                wait_clients = time.monotonic() + DEADLINE
                while get(port, "/v1/health")["clients"] < 2:
                    if time.monotonic() > wait_clients:
                        raise Failed(f"{name}: /v1/health never counted 2 clients")
                    time.sleep(0.05)
                stop(proc, name, ws, sse)
        print(f"protocol-server-self: OK: {last} events; the final snapshots are equal; "
              "resumes and shutdown alike on both servers")
        return 0
    except (Failed, OSError, ValueError) as e:
        print(f"protocol-server-self: {e}", file=sys.stderr)
        return 1
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()


if __name__ == "__main__":
    sys.exit(main())
