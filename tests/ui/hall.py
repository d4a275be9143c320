"""hall.py — what the tests of the hall's screens share (tests/ui/kiosks.py,
tests/ui/desk.py, tests/ui/bench-take.py): a live rollcall-feed driven through its
control API, kiosks (`rollcall --kiosk --feed URL`) and the operator's desk
(`rollcall --console --feed URL --token-file FILE`), each on an X server of its own,
read from outside as pixels (ImageMagick's `import`) and text (tesseract), the desk
driven by its keys (xdotool).

Python 3, standard library."""
import json
import os
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

TOKEN = "k" * 40
WIDTH, HEIGHT = 1920, 1080
# The chamber's palette (data/palettes/un-board.palette): exact, at a light's centre.
BACKGROUND = (0x0B, 0x0D, 0x12)
YES, NO, ABSTAIN = (0x2F, 0xD1, 0x5A), (0xFF, 0x3B, 0x30), (0xFF, 0xC4, 0x00)


NAME = os.path.splitext(os.path.basename(sys.argv[0]))[0]


def log(message):
    print(f"{NAME}: {message}", file=sys.stderr, flush=True)


def fail(message):
    log(f"FAILED: {message}")
    sys.exit(1)


def write_token(folder, token=TOKEN, name="token"):
    path = os.path.join(folder, name)
    with open(path, "w") as f:
        f.write(token + "\n")
    os.chmod(path, 0o600)
    return path


class Feed:
    def __init__(self, exe, folder):
        token = write_token(folder)
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
                return json.loads(answer.read() or b"null")
        except urllib.error.HTTPError as e:
            fail(f"POST {path}: {e.code} {e.read().decode(errors='replace')}")

    def start_meeting(self, session_id, title):
        """The General Assembly's meeting of 2 March 2022 as a live session, with
        A/RES/ES-11/1 scheduled (its lights live)."""
        self.post("/v1/session", {"session": {"id": session_id, "date": "2022-03-02",
                                              "meeting": "A/ES-11/PV.5", "title": title,
                                              "timezone": "America/New_York"},
                                  "chamber": "UNGA"})
        self.post("/v1/votes", {"vote": "es-11-1", "symbol": "A/RES/ES-11/1",
                                "draft": "A/ES-11/L.1", "title": "Aggression against Ukraine",
                                "majority": "two-thirds", "recorded": True, "reveal": "live"})

    def snapshot(self):
        with urllib.request.urlopen(self.url + "/v1/snapshot", timeout=10) as answer:
            return json.loads(answer.read())

    def on_air(self):
        """The feed's on-air, as a tuple: ("vote", id), ("blank",), ("holding", text)."""
        o = self.snapshot().get("on_air")
        if o is None:
            return None
        if o["show"] == "vote":
            return ("vote", o["vote"])
        if o["show"] == "holding":
            return ("holding", o.get("text"))
        return (o["show"],)

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=15)


def start_xvfb(xvfb, name):
    """An X server of its own: (process, ":N"). -noreset: a program started just as the
    last client left would find the server resetting and could not open the display."""
    read, write = os.pipe()
    proc = subprocess.Popen(
        [xvfb, "-displayfd", str(write), "-screen", "0", f"{WIDTH}x{HEIGHT}x24",
         "-nolisten", "tcp", "-noreset"], pass_fds=(write,), stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as f:
        number = f.readline().strip()
    if not number.isdigit():
        fail(f"{name}: Xvfb gave no display")
    return proc, f":{number}"


def display_env(display):
    env = dict(os.environ, DISPLAY=display, GDK_BACKEND="x11")
    env.pop("WAYLAND_DISPLAY", None)
    return env


def stop_all(*procs):
    for p in procs:
        if p is None:
            continue
        p.terminate()
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()


def read_text(importer, tesseract, display, png, crop=None):
    """What tesseract reads on the screen (or a crop of it, "WxH+X+Y"), in capitals
    with single spaces, with a space at each end."""
    args = [importer, "-display", display, "-window", "root"]
    if crop:
        args += ["-crop", crop]
    subprocess.run(args + [png], check=True)
    out = subprocess.run([tesseract, png, "stdout", "--psm", "11"], capture_output=True,
                         text=True).stdout
    return " " + " ".join(re.sub(r"[^A-Za-z0-9]+", " ", out).upper().split()) + " "


class Desk:
    """The operator's desk on an X server of its own, with a window manager (openbox)
    so that its window has the keyboard, driven by xdotool as an operator's keys."""

    def __init__(self, xvfb, rollcall, openbox, xdotool, args, folder):
        """args: rollcall's (e.g. --console --feed URL --token-file FILE)."""
        self.xdotool, self.folder = xdotool, folder
        self.xvfb, self.display = start_xvfb(xvfb, "desk")
        env = display_env(self.display)
        self.wm = subprocess.Popen([openbox], env=env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        self.log_path = os.path.join(folder, "desk.log")
        self.proc = subprocess.Popen(
            [rollcall, *args], env=env,
            stdout=subprocess.DEVNULL, stderr=open(self.log_path, "w"))
        self.env = env
        # The window is up and has the keyboard (a minute: a loaded CI machine).
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            found = subprocess.run([xdotool, "search", "--onlyvisible", "--name", "."],
                                   env=env, capture_output=True, text=True).stdout.split()
            if found and self.proc.poll() is None:
                break
            if self.proc.poll() is not None:
                break
            time.sleep(0.2)
        if not found or self.proc.poll() is not None:
            # what the desk said, then nothing of it left running: a process of ours
            # holding the test's output open would keep meson waiting to its timeout
            code = self.proc.poll()
            self.stop()
            tail = self.log()[-2000:]
            fail(f"the desk's window did not appear ({'exited ' + str(code) if code is not None else 'still running after 60 s'}); its log: {tail!r}")
        time.sleep(1.0)

    def key(self, *keys):
        if self.proc.poll() is not None:
            fail(f"the desk exited ({self.proc.returncode})")
        subprocess.run([self.xdotool, "key", "--clearmodifiers", "--delay", "80", *keys],
                       env=self.env, check=True)

    def wait_window(self, name, shown=True, timeout=20.0):
        """Until a window named name is shown (or gone)."""
        deadline = time.monotonic() + timeout
        while True:
            found = subprocess.run([self.xdotool, "search", "--onlyvisible", "--name",
                                    f"^{name}$"], env=self.env, capture_output=True,
                                   text=True).stdout.split()
            if bool(found) == shown:
                return
            if time.monotonic() > deadline:
                fail(f"the desk's window {name!r} is {'not ' if shown else ''}shown after "
                     f"{timeout:.0f} s")
            time.sleep(0.1)

    def type(self, text):
        subprocess.run([self.xdotool, "type", "--delay", "40", text], env=self.env, check=True)

    def log(self):
        with open(self.log_path) as f:
            return f.read()

    def text(self, importer, tesseract):
        return read_text(importer, tesseract, self.display, os.path.join(self.folder, "desk.png"))

    def stop(self):
        stop_all(self.proc, self.wm, self.xvfb)


class Screen:
    """An X server of its own and a kiosk on it."""

    def __init__(self, xvfb, rollcall, importer, url, folder, name, frame_log=False):
        self.importer, self.name = importer, name
        self.frames = []  # with frame_log: (monotonic µs, seq) of each frame that moved on
        self.xvfb, self.display = start_xvfb(xvfb, name)
        env = display_env(self.display)
        if frame_log:
            env["ROLLCALL_FRAME_LOG"] = "1"
        self.kiosk = subprocess.Popen([rollcall, "--kiosk", "--feed", url], env=env,
                                      stdout=subprocess.PIPE if frame_log else subprocess.DEVNULL,
                                      stderr=open(os.path.join(folder, f"{name}.log"), "w"),
                                      text=True)
        if frame_log:
            threading.Thread(target=self._read_frames, daemon=True).start()

    def _read_frames(self):
        for line in self.kiosk.stdout:
            m = re.match(r"^frame-us: (\d+) seq: (-?\d+)$", line.strip())
            if m:
                self.frames.append((int(m.group(1)), int(m.group(2))))

    def first_frame_with(self, seq):
        """The monotonic time (µs) of the first frame that showed event seq, or None."""
        for t, s in list(self.frames):
            if s >= seq:
                return t
        return None

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
        return read_text(self.importer, tesseract, self.display,
                         os.path.join(folder, f"{self.name}.png"),
                         f"{WIDTH}x{HEIGHT // 3}+0+{HEIGHT - HEIGHT // 3}")

    def stop(self):
        stop_all(self.kiosk, self.xvfb)


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


