#!/usr/bin/env python3
"""bench-take.py — a take, from the operator's request to both kiosks' frames (issue 9).

A live rollcall-feed and two kiosks (`rollcall --kiosk --feed URL`, ROLLCALL_FRAME_LOG=1),
each on an X server of its own. TAKES times, what is on air is switched through
`POST /v1/on-air` (one vote, the other, blank, holding, in turn); each kiosk prints the
monotonic time of the first frame that shows the take's event (the clock of
g_get_monotonic_time(), CLOCK_MONOTONIC, which Python's time.monotonic_ns() reads
too). Prints a Markdown table (appended to $ROLLCALL_BENCH_OUT when set): the latency
from the request to each kiosk's frame, and the skew between the two kiosks' frames.

usage: bench-take.py ROLLCALL-FEED ROLLCALL XVFB IMPORT [TAKES]
"""
import os
import platform
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # (no __pycache__ in the source tree)
from hall import Feed, Screen, fail, log  # noqa: E402


def quantile(values, q):
    s = sorted(values)
    return s[min(len(s) - 1, int(q * len(s)))]


def main():
    if len(sys.argv) not in (5, 6):
        print(__doc__, file=sys.stderr)
        return 2
    feed_exe, rollcall, xvfb, importer = sys.argv[1:5]
    takes = int(sys.argv[5]) if len(sys.argv) == 6 else 100
    latencies = {"kiosk-1": [], "kiosk-2": []}
    first = []
    answers, skews = [], []
    by_show = {}  # what was taken → the later of the two kiosks' latencies
    later = []  # (the later kiosk's latency, take number, what)
    with tempfile.TemporaryDirectory() as folder:
        feed = Feed(feed_exe, folder)
        screens = []
        try:
            feed.post("/v1/session", {"session": {"id": "ga-take", "date": "2022-03-02",
                                                  "timezone": "America/New_York"},
                                      "chamber": "UNGA"})
            for vote in ("a", "b"):
                feed.post("/v1/votes", {"vote": vote, "title": f"Vote {vote}",
                                        "majority": "simple", "recorded": True,
                                        "reveal": "live"})
            feed.post("/v1/votes/a/open", {})
            feed.post("/v1/votes/a/ballots", {"member": "AFG", "choice": "yes"})
            # Holding first: every take then changes what the screens show (a take of
            # what is shown already paints nothing, and a frame would come only with
            # the clock's next second).
            feed.post("/v1/on-air", {"show": "holding"})
            screens = [Screen(xvfb, rollcall, importer, feed.url, folder, f"kiosk-{i + 1}",
                              frame_log=True) for i in range(2)]
            # Both up and showing the last event.
            deadline = time.monotonic() + 60
            while not all(s.frames and s.frames[-1][1] >= 6 for s in screens):
                if time.monotonic() > deadline:
                    fail("the kiosks never showed the feed")
                time.sleep(0.1)
            time.sleep(1.0)

            shows = [{"show": "vote", "vote": "a"}, {"show": "vote", "vote": "b"},
                     {"show": "blank"}, {"show": "holding"}]
            # The first take of each kind after start-up, apart: a kiosk's first frames
            # of a board fill its caches (fonts, glyphs, lights).
            for i in range(-len(shows), takes):
                t0 = time.monotonic_ns() // 1000
                event = feed.post("/v1/on-air", shows[i % len(shows)])
                if i >= 0:
                    answers.append((time.monotonic_ns() // 1000 - t0) / 1000)
                seq = event["seq"]
                deadline = time.monotonic() + 10
                frames = {}
                while len(frames) < 2:
                    for s in screens:
                        t = s.first_frame_with(seq)
                        if t is not None:
                            frames[s.name] = t
                    if time.monotonic() > deadline:
                        fail(f"take {i + 1} (seq {seq}): no frame on "
                             f"{[s.name for s in screens if s.name not in frames]}")
                    time.sleep(0.005)
                if i < 0:
                    what = " ".join(str(v) for v in shows[i % len(shows)].values())
                    first.append(((max(frames.values()) - t0) / 1000, what))
                    time.sleep(0.25)
                    continue
                for name, t in frames.items():
                    latencies[name].append((t - t0) / 1000)
                skews.append(abs(frames["kiosk-1"] - frames["kiosk-2"]) / 1000)
                what = " ".join(str(v) for v in shows[i % len(shows)].values())
                by_show.setdefault(what, []).append((max(frames.values()) - t0) / 1000)
                later.append(((max(frames.values()) - t0) / 1000, i + 1, what))
                time.sleep(0.25)
        finally:
            for s in screens:
                s.stop()
            feed.stop()

    rows = [("the first take of each kind after start-up (later kiosk)",
             ", ".join(f"{what} {ms:.1f} ms" for ms, what in first)),
            ("takes measured after those", f"{takes}"),
            ("request answered (the event journalled, fdatasync)",
             f"p50 {quantile(answers, 0.5):.1f} ms, p99 {quantile(answers, 0.99):.1f} ms, "
             f"max {max(answers):.1f} ms")]
    for name, values in latencies.items():
        rows.append((f"request → {name}'s frame",
                     f"p50 {quantile(values, 0.5):.1f} ms, p99 {quantile(values, 0.99):.1f} ms, "
                     f"max {max(values):.1f} ms"))
    for what, values in by_show.items():
        rows.append((f"request → the later kiosk's frame, taking {what}",
                     f"p50 {quantile(values, 0.5):.1f} ms, max {max(values):.1f} ms"))
    rows.append(("the slowest takes (later kiosk)",
                 ", ".join(f"{ms:.1f} ms (take {n}, {what})"
                           for ms, n, what in sorted(later, reverse=True)[:3])))
    rows.append(("skew between the two kiosks' frames",
                 f"p50 {quantile(skews, 0.5):.1f} ms, p99 {quantile(skews, 0.99):.1f} ms, "
                 f"max {max(skews):.1f} ms"))
    table = [f"#### Take → both kiosks ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
             f"{platform.machine()}, {os.cpu_count()} CPUs)", "", "| measure | value |",
             "|---|---|"] + [f"| {a} | {b} |" for a, b in rows]
    text = "\n".join(table) + "\n"
    print(text)
    if os.environ.get("ROLLCALL_BENCH_OUT"):
        with open(os.environ["ROLLCALL_BENCH_OUT"], "a") as f:
            f.write(text + "\n")
    log(f"{takes} takes reached both kiosks")
    return 0


if __name__ == "__main__":
    sys.exit(main())
