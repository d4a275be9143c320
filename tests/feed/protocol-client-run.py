#!/usr/bin/env python3
# Runs protocol-client.py against a real rollcall-feed replaying the demo's General
# Assembly session: starts the server on a free port (--port 0, learnt from its one
# line on standard output), runs the client, stops the server with SIGTERM.
#
#   protocol-client-run.py ROLLCALL-FEED DEMO-ARCHIVE PROTOCOL-CLIENT [sse|ws]
#                          [--mixed-times ROLLCALL-IMPORT]
#
# The replay runs 16 times faster: its first 40 s (the session, then the vote
# scheduled) leave the client 2.5 s to subscribe before the ballots, which it drops
# and resumes three times.
#
# --mixed-times: the session is first exported (JSON Lines), its ballots re-timed in
# pairs, the first on a whole millisecond ("….347Z", as a server writes such a time)
# and the second 997 µs later ("….347997Z"), and imported into a new archive, which is
# replayed: both forms are valid (events.md), and a client must compare them as
# instants, not as strings (where 'Z' sorts after '9').

import json
import os
import re
import signal
import subprocess
import sys
import tempfile

SESSION = "ga-es11-2022-03-02"


def mixed_times_archive(importer, archive, folder):
    """The demo session with its ballots in ms/µs pairs; returns the new archive."""
    exported = subprocess.run([importer, "--export", archive, "--session", SESSION,
                               "-o", "-"], stdout=subprocess.PIPE, text=True,
                              check=True).stdout
    lines, pair_start = [], None
    for line in exported.splitlines():
        event = json.loads(line)
        if event["type"] == "ballot":
            if pair_start is None:
                pair_start = event["time"]
                event["time"] = pair_start[:23] + "Z"
            else:
                event["time"] = pair_start[:23] + "997Z"
                pair_start = None
        lines.append(json.dumps(event, separators=(",", ":"), ensure_ascii=False))
    source = os.path.join(folder, "mixed.jsonl")
    with open(source, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    mixed = os.path.join(folder, "mixed.rollcall")
    subprocess.run([importer, "--from", "jsonl", source, "-o", mixed], check=True)
    return mixed


def main():
    args = sys.argv[1:]
    importer = None
    if len(args) >= 2 and args[-2] == "--mixed-times":
        importer = args[-1]
        args = args[:-2]
    if len(args) not in (3, 4) or args[3:] not in ([], ["sse"], ["ws"]):
        print("usage: protocol-client-run.py ROLLCALL-FEED DEMO-ARCHIVE PROTOCOL-CLIENT "
              "[sse|ws] [--mixed-times ROLLCALL-IMPORT]", file=sys.stderr)
        return 2
    feed, archive, client = args[0:3]
    transport = args[3] if len(args) == 4 else "sse"
    with tempfile.TemporaryDirectory() as folder:
        if importer is not None:
            archive = mixed_times_archive(importer, archive, folder)
        return run(feed, archive, client, transport)


def run(feed, archive, client, transport):
    server = subprocess.Popen(
        [feed, "--replay", archive, "--session", SESSION, "--speed", "16", "--port", "0"],
        stdout=subprocess.PIPE, text=True)
    try:
        line = server.stdout.readline()
        m = re.match(r"^rollcall-feed: listening on (http://\S+)$", line.strip())
        if not m:
            print(f"protocol-client-run: the server said {line!r}", file=sys.stderr)
            return 1
        url = m.group(1)
        try:
            rc = subprocess.run([sys.executable, client, url, "--transport", transport,
                                 "--drop-after", "40",
                                 "--drops", "3", "--timeout", "60"],
                                timeout=90).returncode
        except subprocess.TimeoutExpired:
            print("protocol-client-run: the client did not end", file=sys.stderr)
            return 1
    finally:
        if server.poll() is None:
            server.send_signal(signal.SIGTERM)
        try:
            status = server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            status = server.wait()
    if status != 0:
        print(f"protocol-client-run: the server exited with {status} on SIGTERM",
              file=sys.stderr)
        return 1
    return rc


if __name__ == "__main__":
    sys.exit(main())
