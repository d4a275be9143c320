#!/usr/bin/env python3
"""desk.py — the operator's desk drives the hall's screens, read from outside (issue 9).

A live rollcall-feed; the desk (`rollcall --console --feed URL --token-file FILE`) on
an X server of its own, driven only by its documented keys (xdotool); two kiosks
(`rollcall --kiosk --feed URL`), each on an X server of its own. What the hall shows
is read from the kiosks' pixels and text (ImageMagick's `import`, tesseract) and from
the feed's own snapshot:

- Ctrl+B blanks both screens;
- selecting another item (Up, Down) changes neither screen, nor the feed's on-air;
- Ctrl+Return takes the selected vote: both screens switch;
- Ctrl+L, a typed line, Ctrl+H: the holding slide with that line on both;
- Ctrl+Z puts back what was on air before (in the line's entry it undoes the typing
  and the air stays; Escape gives the keyboard back);
- the clerk's Lock and Announce (Alt+L, Alt+A, each confirmed with Return): VOTING
  CLOSED and no result on either screen at the lock, ADOPTED once announced;
- a refusal by the feed (opening a second vote while one is open) is shown on the
  desk with the server's reason, and changes nothing.

usage: desk.py ROLLCALL-FEED ROLLCALL XVFB IMPORT TESSERACT OPENBOX XDOTOOL

Python 3, standard library. The environment is the test suite's (ROLLCALL_DATA_PATH,
GSETTINGS_SCHEMA_DIR, …); DISPLAY is set here for each program.
"""
import os
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # (no __pycache__ in the source tree)
from hall import (ABSTAIN, NO, YES, Desk, Feed, Screen, count_rgb, fail, log, wait_both,
                  write_token, TOKEN)


def wait_on_air(feed, expected, what, timeout=15.0):
    start = time.monotonic()
    while feed.on_air() != expected:
        if time.monotonic() - start > timeout:
            fail(f"{what}: the feed has {feed.on_air()!r} on air, not {expected!r}")
        time.sleep(0.05)


def lights(screen):
    w, h, d = screen.pixels()
    return count_rgb(d, YES) > 0 and count_rgb(d, NO) > 0 and count_rgb(d, ABSTAIN) > 0


def main():
    if len(sys.argv) != 8:
        print(__doc__, file=sys.stderr)
        return 2
    feed_exe, rollcall, xvfb, importer, tesseract, openbox, xdotool = sys.argv[1:]
    with tempfile.TemporaryDirectory() as folder:
        feed = Feed(feed_exe, folder)
        screens, desk = [], None
        try:
            feed.start_meeting("ga-desk", "Desk")
            feed.post("/v1/votes", {"vote": "l-2", "draft": "A/ES-11/L.2",
                                    "title": "A second draft", "majority": "two-thirds",
                                    "recorded": True, "reveal": "live"})
            feed.post("/v1/votes/es-11-1/open", {})
            for member, choice in (("AFG", "yes"), ("ALB", "yes"), ("BLR", "no"),
                                   ("DZA", "abstain")):
                feed.post("/v1/votes/es-11-1/ballots", {"member": member, "choice": choice})

            screens = [Screen(xvfb, rollcall, importer, feed.url, folder, f"kiosk-{i + 1}")
                       for i in range(2)]
            desk = Desk(xvfb, rollcall, openbox, xdotool,
                        ["--console", "--feed", feed.url, "--token-file",
                         write_token(folder, TOKEN, "desk-token")], folder)

            # Blank from the desk: both screens dark.
            desk.key("ctrl+b")
            wait_on_air(feed, ("blank",), "Ctrl+B")
            wait_both(screens, "Ctrl+B: blank", lambda s: s.blank())

            # The rundown reads Blank, Holding, es-11-1, l-2, the first vote selected.
            # Selecting changes nothing on air.
            desk.key("Down")
            time.sleep(1.5)
            if feed.on_air() != ("blank",):
                fail(f"a selection changed the air: {feed.on_air()!r}")
            for s in screens:
                if not s.blank():
                    fail(f"{s.name}: a selection on the desk changed the screen")
            log("Down: the selection moved, nothing on air changed")

            # Take: the selected vote (the second) on both screens.
            desk.key("ctrl+Return")
            wait_on_air(feed, ("vote", "l-2"), "Ctrl+Return on the second vote")
            wait_both(screens, "Ctrl+Return: the second vote", lambda s: not s.blank())

            # Up, take: the first vote, with its lights, on both.
            desk.key("Up", "ctrl+Return")
            wait_on_air(feed, ("vote", "es-11-1"), "Up, Ctrl+Return")
            wait_both(screens, "Up, Ctrl+Return: the first vote's lights", lights)

            # The holding slide with a typed line.
            desk.key("ctrl+l")
            desk.type("Meeting resumes at 1500")
            desk.key("ctrl+h")
            wait_on_air(feed, ("holding", "Meeting resumes at 1500"), "Ctrl+H")
            wait_both(screens, "Ctrl+H: the holding slide and its line",
                      lambda s: " MEETING RESUMES AT 1500 " in s.text(folder, tesseract))

            # In the line's entry, Ctrl+Z is the entry's (undo the typing): the air stays.
            desk.key("ctrl+z")
            time.sleep(1.5)
            if feed.on_air() != ("holding", "Meeting resumes at 1500"):
                fail(f"Ctrl+Z in the holding line's entry changed the air: {feed.on_air()!r}")
            # Escape gives the keyboard back to the rundown; Ctrl+Z: the vote again.
            desk.key("Escape", "ctrl+z")
            wait_on_air(feed, ("vote", "es-11-1"), "Ctrl+Z")
            wait_both(screens, "Ctrl+Z: the vote back", lights)

            # The clerk locks from the desk (the rundown's selection is es-11-1): the
            # lock, and no result, on both.
            desk.key("alt+l")
            time.sleep(1.0)
            desk.key("Return")
            wait_both(screens, "the desk's lock, without the result",
                      lambda s: " VOTING CLOSED " in s.text(folder, tesseract))
            for s in screens:
                words = s.text(folder, tesseract)
                if " ADOPTED " in words or " YES " in words:
                    fail(f"{s.name}: the result is on the screen before it was announced: "
                         f"{words.strip()!r}")
            desk.key("alt+a")
            time.sleep(1.0)
            desk.key("Return")
            wait_both(screens, "the desk's announcement",
                      lambda s: " ADOPTED " in s.text(folder, tesseract))

            # A refusal: open the second vote while another is open (opened behind the
            # desk's back, as a second clerk's system might).
            feed.post("/v1/votes", {"vote": "l-3", "draft": "A/ES-11/L.3", "title": "Third",
                                    "majority": "simple", "recorded": True, "reveal": "live"})
            feed.post("/v1/votes/l-3/open", {})
            desk.key("Down")  # l-2
            time.sleep(0.5)
            desk.key("alt+o")
            time.sleep(1.0)
            desk.key("Return")
            deadline = time.monotonic() + 15
            while "Refused (open)" not in desk.log():
                if time.monotonic() > deadline:
                    fail(f"no refusal reported by the desk: {desk.log()!r}")
                time.sleep(0.1)
            time.sleep(1.0)  # (the toast slides in)
            words = desk.text(importer, tesseract)
            if " REFUSED " not in words:
                fail(f"the refusal is not on the desk's screen: {words.strip()!r}; log: {desk.log()!r}")
            state = {v["vote"]: v["state"] for v in feed.snapshot()["votes"]}
            if state.get("l-2") != "scheduled":
                fail(f"a refused open changed the vote: {state!r}")
            log("a refusal: on the desk with its reason, nothing changed")
        finally:
            for s in screens:
                s.stop()
            if desk is not None:
                desk.stop()
            feed.stop()
    log("the desk's keys drove both screens; a selection changed nothing; the result "
        "waited for its announcement")
    return 0


if __name__ == "__main__":
    sys.exit(main())
