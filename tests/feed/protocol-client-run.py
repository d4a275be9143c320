#!/usr/bin/env python3
# Runs protocol-client.py against a real rollcall-feed replaying the demo's General
# Assembly session: starts the server on a free port (--port 0, learnt from its one
# line on standard output), runs the client, stops the server with SIGTERM.
#
#   protocol-client-run.py ROLLCALL-FEED DEMO-ARCHIVE PROTOCOL-CLIENT [sse|ws]
#
# The replay runs 16 times faster: its first 40 s (the session, then the vote
# scheduled) leave the client 2.5 s to subscribe before the ballots, which it drops
# and resumes three times.

import os
import re
import signal
import subprocess
import sys

SESSION = "ga-es11-2022-03-02"


def main():
    if len(sys.argv) not in (4, 5) or sys.argv[4:] not in ([], ["sse"], ["ws"]):
        print("usage: protocol-client-run.py ROLLCALL-FEED DEMO-ARCHIVE PROTOCOL-CLIENT "
              "[sse|ws]", file=sys.stderr)
        return 2
    feed, archive, client = sys.argv[1:4]
    transport = sys.argv[4] if len(sys.argv) == 5 else "sse"
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
