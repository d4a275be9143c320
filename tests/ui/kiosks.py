#!/usr/bin/env python3
"""kiosks.py — the hall's screens, read from outside (issue 9).

A live rollcall-feed, driven through its control API as a clerk's system or the
operator's desk drives it, and two kiosks (`rollcall --kiosk --feed URL`), each on an
X server of its own as two screens of a hall are. The screens are read as pixels
(ImageMagick's `import`) and as text (tesseract):

- what is put on air reaches both screens; blank darkens both, to the palette's ground;
- a vote's lights reach both as the ballots come;
- the result reaches neither before it is announced (the default of result_shown):
  VOTING CLOSED at the lock, ADOPTED once announced;
- the holding slide on both, with the line the operator typed: the names, no light.

usage: kiosks.py ROLLCALL-FEED ROLLCALL XVFB IMPORT TESSERACT

Python 3, standard library. The environment is the test suite's (ROLLCALL_DATA_PATH,
GSETTINGS_SCHEMA_DIR, …); DISPLAY is set here for each kiosk.
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

TOKEN = "k" * 40
WIDTH, HEIGHT = 1920, 1080
# The chamber's palette (data/palettes/un-board.palette): exact, at a light's centre.
BACKGROUND = (0x0B, 0x0D, 0x12)
YES, NO, ABSTAIN = (0x2F, 0xD1, 0x5A), (0xFF, 0x3B, 0x30), (0xFF, 0xC4, 0x00)


def log(message):
    print(f"kiosks: {message}", file=sys.stderr, flush=True)


def fail(message):
    log(f"FAILED: {message}")
    sys.exit(1)


class Feed:
    def __init__(self, exe, folder):
        token = os.path.join(folder, "token")
        with open(token, "w") as f:
            f.write(TOKEN + "\n")
        os.chmod(token, 0o600)
        self.proc = subprocess.Popen(
            [exe, "--live", "--token-file", token, "--journal",
             os.path.join(folder, "journal.rollcall"), "--port", "0"],
            stdout=subprocess.PIPE, stderr=open(os.path.join(folder, "feed.log"), "w"),
            text=True)
        line = self.proc.stdout.readline().strip()
        m = re.match(r"^rollcall-feed: listening on (http://[0-9.]+:\d+)$", line)
        if not m:
            fail(f"the feed said {line!r}")
        self.url = m.group(1)

    def post(self, path, body):
        request = urllib.request.Request(
            self.url + path, data=json.dumps(body).encode(), method="POST",
            headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                return answer.status
        except urllib.error.HTTPError as e:
            fail(f"POST {path}: {e.code} {e.read().decode(errors='replace')}")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=15)


class Screen:
    """An X server of its own and a kiosk on it."""

    def __init__(self, xvfb, rollcall, importer, url, folder, name):
        self.importer, self.name = importer, name
        read, write = os.pipe()
        self.xvfb = subprocess.Popen(
            [xvfb, "-displayfd", str(write), "-screen", "0", f"{WIDTH}x{HEIGHT}x24",
             "-nolisten", "tcp"], pass_fds=(write,), stderr=subprocess.DEVNULL)
        os.close(write)
        with os.fdopen(read) as f:
            number = f.readline().strip()
        if not number.isdigit():
            fail(f"{name}: Xvfb gave no display")
        self.display = f":{number}"
        env = dict(os.environ, DISPLAY=self.display, GDK_BACKEND="x11")
        env.pop("WAYLAND_DISPLAY", None)
        self.kiosk = subprocess.Popen([rollcall, "--kiosk", "--feed", url], env=env,
                                      stdout=subprocess.DEVNULL,
                                      stderr=open(os.path.join(folder, f"{name}.log"), "w"))

    def pixels(self):
        """The whole screen: (width, height, bytes of RGB)."""
        if self.kiosk.poll() is not None:
            fail(f"{self.name}: the kiosk exited ({self.kiosk.returncode})")
        ppm = subprocess.run([self.importer, "-display", self.display, "-window", "root",
                              "-depth", "8", "ppm:-"], capture_output=True, check=True).stdout
        m = re.match(rb"P6\s+(\d+)\s+(\d+)\s+255\s", ppm)
        w, h = int(m.group(1)), int(m.group(2))
        return w, h, ppm[m.end():]

    def blank(self):
        """Every pixel the palette's ground (no cursor either)."""
        w, h, data = self.pixels()
        return data == bytes(BACKGROUND) * (w * h)

    def text(self, folder, tesseract):
        """What tesseract reads on the lower third of the screen (the verdict and the
        counts), in capitals with single spaces."""
        png = os.path.join(folder, f"{self.name}.png")
        subprocess.run([self.importer, "-display", self.display, "-window", "root",
                        "-crop", f"{WIDTH}x{HEIGHT // 3}+0+{HEIGHT - HEIGHT // 3}", png],
                       check=True)
        out = subprocess.run([tesseract, png, "stdout", "--psm", "11"], capture_output=True,
                             text=True).stdout
        return " " + " ".join(re.sub(r"[^A-Za-z0-9]+", " ", out).upper().split()) + " "

    def stop(self):
        for p in (self.kiosk, self.xvfb):
            p.terminate()
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()


def count_rgb(data, colour):
    """Pixels of exactly colour (aligned to whole pixels)."""
    target = bytes(colour)
    n, start = 0, 0
    while True:
        i = data.find(target, start)
        if i < 0:
            return n
        if i % 3 == 0:
            n += 1
            start = i + 3
        else:
            start = i + 1


def wait_both(screens, what, test, timeout=20.0):
    """Waits until test(screen) holds on every screen; returns when each first did."""
    start = time.monotonic()
    seen = {}
    while len(seen) < len(screens):
        for s in screens:
            if s.name not in seen and test(s):
                seen[s.name] = time.monotonic() - start
        if time.monotonic() - start > timeout:
            missing = [s.name for s in screens if s.name not in seen]
            fail(f"{what}: not on {', '.join(missing)} after {timeout:.0f} s")
        time.sleep(0.1)
    log(f"{what}: " + ", ".join(f"{n} after {t * 1000:.0f} ms" for n, t in sorted(seen.items())))
    return seen


def main():
    if len(sys.argv) != 6:
        print(__doc__, file=sys.stderr)
        return 2
    feed_exe, rollcall, xvfb, importer, tesseract = sys.argv[1:]
    with tempfile.TemporaryDirectory() as folder:
        feed = Feed(feed_exe, folder)
        screens = []
        try:
            feed.post("/v1/session", {"session": {"id": "ga-kiosks", "date": "2022-03-02",
                                                  "meeting": "A/ES-11/PV.5",
                                                  "title": "Kiosks",
                                                  "timezone": "America/New_York"},
                                      "chamber": "UNGA"})
            feed.post("/v1/votes", {"vote": "es-11-1", "symbol": "A/RES/ES-11/1",
                                    "draft": "A/ES-11/L.1",
                                    "title": "Aggression against Ukraine",
                                    "majority": "two-thirds", "recorded": True,
                                    "reveal": "live"})
            screens = [Screen(xvfb, rollcall, importer, feed.url, folder, f"kiosk-{i + 1}")
                       for i in range(2)]

            # Blank on air: both screens the palette's ground, every pixel (no cursor).
            feed.post("/v1/on-air", {"show": "blank"})
            wait_both(screens, "blank", lambda s: s.blank())

            # The vote on air, open, four ballots: their lights on both screens.
            feed.post("/v1/votes/es-11-1/open", {})
            for member, choice in (("AFG", "yes"), ("ALB", "yes"), ("BLR", "no"),
                                   ("DZA", "abstain")):
                feed.post("/v1/votes/es-11-1/ballots", {"member": member, "choice": choice})
            feed.post("/v1/on-air", {"show": "vote", "vote": "es-11-1"})
            wait_both(screens, "the vote on air, its lights",
                      lambda s: (lambda w, h, d: count_rgb(d, YES) > 0
                                 and count_rgb(d, NO) > 0
                                 and count_rgb(d, ABSTAIN) > 0)(*s.pixels()))

            # Locked: the result is the President's to announce. Not on either screen.
            feed.post("/v1/votes/es-11-1/lock", {})
            wait_both(screens, "the lock, without the result",
                      lambda s: " VOTING CLOSED " in s.text(folder, tesseract))
            for s in screens:
                words = s.text(folder, tesseract)
                if " ADOPTED " in words or " YES " in words:
                    fail(f"{s.name}: the result is on the screen before it was announced: "
                         f"{words.strip()!r}")

            # Announced: on both.
            feed.post("/v1/votes/es-11-1/announce", {})
            wait_both(screens, "the announced result",
                      lambda s: " ADOPTED " in s.text(folder, tesseract))

            # The holding slide with the operator's line: the names, no light, the line.
            feed.post("/v1/on-air", {"show": "holding", "text": "Meeting resumes at 1500"})
            wait_both(screens, "the holding slide and its line",
                      lambda s: " MEETING RESUMES AT 1500 " in s.text(folder, tesseract)
                      and (lambda w, h, d: count_rgb(d, YES) == 0)(*s.pixels()))
            # Another line on the slide already on air: the new words on both.
            feed.post("/v1/on-air", {"show": "holding", "text": "Meeting closed"})
            wait_both(screens, "the holding slide's new line",
                      lambda s: " MEETING CLOSED " in s.text(folder, tesseract))
        finally:
            for s in screens:
                s.stop()
            feed.stop()
    log("both screens followed every change, and neither showed the result before it was "
        "announced")
    return 0


if __name__ == "__main__":
    sys.exit(main())
