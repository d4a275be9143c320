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
import os
import sys
import tempfile

sys.dont_write_bytecode = True  # (no __pycache__ in the source tree)
from hall import (ABSTAIN, NO, YES, Feed, Screen, count_rgb, fail, log, wait_both)


def main():
    if len(sys.argv) != 6:
        print(__doc__, file=sys.stderr)
        return 2
    feed_exe, rollcall, xvfb, importer, tesseract = sys.argv[1:]
    with tempfile.TemporaryDirectory() as folder:
        feed = Feed(feed_exe, folder)
        screens = []
        try:
            feed.start_meeting("ga-kiosks", "Kiosks")
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
