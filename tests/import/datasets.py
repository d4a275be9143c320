#!/usr/bin/env python3
"""datasets.py — rollcall-import on the real datasets, checked from outside (issue 10).

Runs the built `rollcall-import` on the files of ../shared/data/formats/ and on
copies of them broken on purpose, then reads the archive it wrote with Python's own
sqlite3 and json (the journal's payloads, as docs/events.md and docs/archive.md
describe them) and compares with counts made here from the raw files:

- unvotes, the whole history: every roll call a vote, every member's choice as the
  dataset's row says (absent: not-voting), every vote's totals; the day of
  18 December 2019 is one session of 17 votes; A/RES/74/168 65-23-83;
  A/RES/68/262 100-11-58 with 24 not voting; a vote of 1 December 1960 on the
  99 members of that day, under their names of the time; no rule is invented
  (majority "unknown"), and the outcome "adopted" is stated only for a whole
  resolution with a UN symbol; sessions say they are synthesized;
- undl, the ES-11/1 sample: 141-5-35-12, every member's choice and name equal to the
  reference record (../shared/data/votes/a-res-es-11-1.csv);
- the selections (--day, --since/--until, --symbol, --assembly-session);
- each refusal: one line naming the file (and the line), exit 1, and the archive left
  byte for byte as it was (or not created); and what is only worth a warning (a
  duplicate row, zero-padded totals, totals that differ from the rows, a name the list
  does not have) warned with a count, the import done.

usage: datasets.py ROLLCALL_IMPORT
(the datasets from $ROLLCALL_SHARED_DATA; the data path from $ROLLCALL_DATA_PATH)

Python 3, standard library.
"""
import csv
import gzip
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True

IMPORT = sys.argv[1]
SHARED = os.environ["ROLLCALL_SHARED_DATA"]
SOURCE = os.environ["ROLLCALL_SOURCE_ROOT"]
UNVOTES = os.path.join(SHARED, "formats", "unvotes")
UNDL = os.path.join(SHARED, "formats", "undl-layout-es-11-1.csv")
TMP = tempfile.mkdtemp(prefix="rollcall-datasets-")
RESULTS = []


def check(cond, what):
    what = " | ".join(what.splitlines())
    RESULTS.append((bool(cond), what))
    print(("ok" if cond else "not ok") + f" {len(RESULTS)} - {what}", flush=True)
    return cond


def run(*args):
    p = subprocess.run([IMPORT, *args], capture_output=True, text=True, stdin=subprocess.DEVNULL)
    return p.returncode, p.stdout, p.stderr


def journal(path):
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    rows = db.execute("SELECT session_id, seq, payload FROM journal ORDER BY session_id, seq").fetchall()
    db.close()
    sessions = {}
    for sid, seq, payload in rows:
        sessions.setdefault(sid, []).append(json.loads(payload))
    return sessions


def votes_of(sessions):
    """vote id -> dict(session, scheduled, ballots, official, outcome, roster)"""
    out = {}
    for sid, events in sessions.items():
        roster = {m["code"]: m for m in events[0]["roster"]}
        for e in events:
            if e["type"] == "vote-scheduled":
                out[e["vote"]] = {"session": sid, "info": e, "roster": roster, "date": events[0]["session"]["date"]}
            elif e["type"] == "vote-locked":
                out[e["vote"]]["ballots"] = {b["member"]: b["choice"] for b in e["ballots"] or []}
            elif e["type"] == "vote-announced":
                out[e["vote"]]["official"] = e["official"]
                out[e["vote"]]["outcome"] = e.get("outcome")
    return out


def totals(ballots):
    t = {"yes": 0, "no": 0, "abstain": 0, "not-voting": 0}
    for c in ballots.values():
        t[c] += 1
    return t


def sha(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


# ------------------------------------------------------------------ unvotes, whole

def unvotes_whole():
    out = os.path.join(TMP, "history.rollcall")
    status, stdout, stderr = run("--from", "unvotes", UNVOTES, "-o", out)
    if not check(status == 0, f"unvotes: the whole history imports ({stderr.strip()[:300]})"):
        return
    check("864 sessions, 6203 votes" in stdout, f"unvotes: 864 days, 6,203 roll calls ({stdout.strip()[-200:]})")

    countries = {}
    with open(os.path.join(SOURCE, "data", "import", "unvotes-countries.csv"), newline="") as f:
        for r in csv.DictReader(f):
            countries.setdefault(r["country_code"] or r["country"], []).append(r)

    def code_of(row, date):
        for r in countries[row["country_code"] or row["country"]]:
            if (not r["from"] or date >= r["from"]) and (not r["until"] or date <= r["until"]):
                return r["code"]
        raise KeyError(row)

    calls = {}
    with open(os.path.join(UNVOTES, "un_roll_calls.csv"), newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            calls[r["rcid"]] = r
    expected = {rcid: {} for rcid in calls}
    with gzip.open(os.path.join(UNVOTES, "un_votes.csv.gz"), "rt", newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):  # (csv reads "NA" as the text it is: Namibia)
            expected[r["rcid"]][code_of(r, calls[r["rcid"]]["date"])] = r["vote"]

    sessions = journal(out)
    votes = votes_of(sessions)
    check(len(votes) == 6203, f"unvotes: {len(votes)} votes in the journal")
    wrong = []
    for rcid, choices in expected.items():
        v = votes.get(f"unvotes-{rcid}")
        if v is None:
            wrong.append((rcid, "missing"))
            continue
        want = {code: "not-voting" for code in v["roster"]}
        want.update(choices)
        if v["ballots"] != want:
            diff = [c for c in set(want) | set(v["ballots"]) if want.get(c) != v["ballots"].get(c)]
            wrong.append((rcid, diff[:5]))
        if v["date"] != calls[rcid]["date"]:
            wrong.append((rcid, "date"))
    check(not wrong, f"unvotes: every member's choice in every roll call as the rows say ({wrong[:3]})")

    day = [v for v in votes.values() if v["date"] == "2019-12-18"]
    check(len(day) == 17 and len({v["session"] for v in day}) == 1,
          f"unvotes: 18 December 2019 is one session of 17 votes ({len(day)})")
    by_symbol = {v["info"]["symbol"]: v for v in votes.values() if v["info"]["symbol"]}
    v = by_symbol.get("A/RES/74/168")
    check(v and totals(v["ballots"]) == {"yes": 65, "no": 23, "abstain": 83, "not-voting": 22},
          f"unvotes: A/RES/74/168 is 65-23-83 ({v and totals(v['ballots'])})")
    v = by_symbol.get("A/RES/68/262")
    check(v and totals(v["ballots"]) == {"yes": 100, "no": 11, "abstain": 58, "not-voting": 24},
          f"unvotes: A/RES/68/262 is 100-11-58, 24 not voting ({v and totals(v['ballots'])})")
    check(v and v["outcome"] == "adopted" and v["info"]["majority"] == "unknown",
          "unvotes: A/RES/68/262 adopted as recorded, no rule invented")

    y1960 = [v for v in votes.values() if v["date"] == "1960-12-01"]
    roster = y1960[0]["roster"] if y1960 else {}
    names = {c: m["name"] for c, m in roster.items()}
    check(len(roster) == 99, f"unvotes: a vote of 1 December 1960 has the 99 members of that day ({len(roster)})")
    check(names.get("RUS") == "Union of Soviet Socialist Republics" and names.get("EGY") == "United Arab Republic"
          and names.get("LKA") == "Ceylon" and "SYR" not in names and "DEU" not in names
          and names.get("YUG") == "Yugoslavia" and names.get("CSK") == "Czechoslovakia",
          "unvotes: 1960 under the names of 1960 (USSR, United Arab Republic, Ceylon; no Syria, no Germany)")

    rules = {v["info"]["majority"] for v in votes.values()}
    check(rules == {"unknown"}, f"unvotes: the rule is unknown everywhere ({rules})")
    bad_outcome = [k for k, v in votes.items() if v["outcome"] == "adopted"
                   and (not (v["info"]["symbol"] or "").startswith("A/RES/")
                        or v["info"]["title"].startswith(("Amendment:", "Separate vote:")))]
    check(not bad_outcome, f"unvotes: adopted only for a whole resolution with a UN symbol ({bad_outcome[:3]})")
    contradictions = [k for k, v in votes.items() if v["outcome"] == "adopted"
                      and totals(v["ballots"])["yes"] <= totals(v["ballots"])["no"]]
    check(not contradictions, f"unvotes: never adopted with no more yes than no ({contradictions[:3]})")
    synth = {events[0]["session"]["synthesized"] for events in sessions.values()}
    check(synth == {True}, "unvotes: every session says its timeline is synthesized")


# ------------------------------------------------------------------ undl

def read_undl():
    with open(UNDL, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def write_csv(rows, name, raw=None):
    path = os.path.join(TMP, name)
    if raw is not None:
        with open(path, "wb") as f:
            f.write(raw)
        return path
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    return path


def undl_sample():
    out = os.path.join(TMP, "undl.rollcall")
    status, stdout, stderr = run("--from", "undl", UNDL, "-o", out)
    check(status == 0 and stderr == "", f"undl: the ES-11/1 sample imports without a warning ({stderr.strip()})")
    votes = votes_of(journal(out))
    check(len(votes) == 1, "undl: one vote")
    v = next(iter(votes.values()))
    check(totals(v["ballots"]) == {"yes": 141, "no": 5, "abstain": 35, "not-voting": 12},
          f"undl: 141-5-35-12 ({totals(v['ballots'])})")
    check(v["official"] == {"yes": 141, "no": 5, "abstain": 35, "not_voting": 12, "no_right": 0},
          f"undl: the record's totals kept ({v['official']})")
    check(v["info"]["symbol"] == "A/RES/ES-11/1" and v["info"]["draft"] == "A/ES-11/L.1"
          and v["info"]["title"] == "Aggression against Ukraine",
          f"undl: symbol, draft and title ({v['info']['symbol']}, {v['info']['draft']}, {v['info']['title']})")
    check(v["outcome"] == "adopted" and v["info"]["majority"] == "unknown", "undl: adopted as recorded")
    letters = {"yes": "Y", "no": "N", "abstain": "A", "not-voting": "X"}
    with open(os.path.join(SHARED, "votes", "a-res-es-11-1.csv"), newline="", encoding="utf-8") as f:
        ref = {r["iso3"]: r for r in csv.DictReader(f)}
    wrong = [c for c in ref if letters[v["ballots"].get(c, "?")] != ref[c]["vote"]
             or v["roster"][c]["name"] != ref[c]["name"]]
    check(not wrong and len(v["roster"]) == 193,
          f"undl: every light and name as the reference record ({wrong[:5]})")


def undl_warnings():
    rows = read_undl()
    h = rows[0]
    col = {n: i for i, n in enumerate(h)}
    # the record's names of the day: NLD in October 2022, before the list switches
    r = [list(x) for x in rows]
    for x in r[1:]:
        x[col["date"]] = "2022-10-12"
        if x[col["ms_code"]] == "NLD":
            x[col["ms_name"]] = "NETHERLANDS (KINGDOM OF THE)"
        if x[col["ms_code"]] == "ALB":
            x[col["ms_name"]] = "REPUBLIC OF ARCADIA"
    # a duplicate row, zero-padded totals, totals that differ from the rows
    r.insert(5, list(r[4]))
    for x in r[1:]:
        x[col["total_yes"]] = "0140"
    out = os.path.join(TMP, "warn.rollcall")
    path = write_csv(r, "warn.csv")
    status, stdout, stderr = run("--from", "undl", path, "-o", out)
    check(status == 0, f"undl warnings: imported ({stderr.strip()[:200]})")
    check("1 duplicate rows" in stderr and "first at line 6" in stderr, "undl warnings: a duplicate row, with its line")
    check("194 rows with totals written with leading zeros" in stderr, "undl warnings: zero-padded totals, counted")
    check("differ from its rows" in stderr and "140" in stderr, "undl warnings: the record's totals differ from its rows, per vote")
    check("names as the record writes them on the day" in stderr and "NLD on 2022-10-12" in stderr,
          "undl warnings: the Netherlands named as the record names it")
    check("names the list does not have" in stderr and "REPUBLIC OF ARCADIA" in stderr,
          "undl warnings: a name the list does not have, shown as the record writes it")
    v = next(iter(votes_of(journal(out)).values()))
    check(v["roster"]["NLD"]["name"] == "Netherlands (Kingdom of the)" and v["roster"]["NLD"].get("label") == "Netherlands",
          f"undl: the record's name of the day, with the list's label ({v['roster']['NLD']})")
    check(v["roster"]["ALB"]["name"] == "Republic of Arcadia",
          f"undl: the record's own name when the list has none, in the board's case ({v['roster']['ALB']['name']})")
    check(v["official"]["yes"] == 140 and totals(v["ballots"])["yes"] == 141,
          "undl: both totals kept, never smoothed over")


def undl_aliases():
    """The Library may give a member a former ISO code (SUN for the Soviet Union's seat)."""
    rows = read_undl()
    col = {n: i for i, n in enumerate(rows[0])}
    r = [list(x) for x in rows]
    for x in r[1:]:
        if x[col["ms_code"]] == "RUS":
            x[col["ms_code"]] = "SUN"
    out = os.path.join(TMP, "alias.rollcall")
    status, stdout, stderr = run("--from", "undl", write_csv(r, "alias.csv"), "-o", out)
    v = next(iter(votes_of(journal(out)).values())) if status == 0 else None
    check(v is not None and v["ballots"].get("RUS") == "no" and "SUN" not in v["ballots"],
          f"undl: SUN is the Russian Federation's seat ({stderr.strip()[:200]})")


def undl_refusals():
    rows = read_undl()
    h = rows[0]
    col = {n: i for i, n in enumerate(h)}
    seed = os.path.join(TMP, "seed.rollcall")
    shutil.copy(os.path.join(os.environ["ROLLCALL_BUILD_ROOT"], "data", "demo", "demo.rollcall"), seed)
    os.chmod(seed, 0o644)
    before = sha(seed)
    text = open(UNDL, "rb").read()

    def changed(line, column, value):
        r = [list(x) for x in rows]
        r[line - 1][col[column]] = value
        return r

    cases = [
        ("truncated mid-row", None, text[: text.index(b"\n", 5000) + 30], "fields where the header has 20 (is the file truncated?)"),
        ("a quoted field never closed", None,
         text.replace(b"Aggression against Ukraine : resolution", b'"Aggression against Ukraine', 1)[:-10],
         "a quoted field is never closed"),
        ("a renamed column", [["vote" if c == "ms_vote" else c for c in rows[0]]] + rows[1:], None,
         "no column 'ms_vote'"),
        ("an unknown code", changed(7, "ms_code", "XYZ"), None, ":7: ms_code 'XYZ'"),
        ("a date before the UN", changed(3, "date", "1900-01-01"), None, ":3: date '1900-01-01'"),
        ("a date after today", changed(3, "date", "2999-01-01"), None, ":3: date '2999-01-01'"),
        ("a date that is no date", changed(3, "date", "02/03/2022"), None, ":3: date '02/03/2022'"),
        ("a vote letter", changed(9, "ms_vote", "Yes"), None, ":9: ms_vote 'Yes'"),
        ("a total that is no number", changed(9, "total_yes", "14l"), None, ":9: total_yes"),
        ("a member voting twice, differently",
         rows[:10] + [[*rows[9][:col["ms_vote"]], "N" if rows[9][col["ms_vote"]] != "N" else "Y",
                       *rows[9][col["ms_vote"] + 1:]]] + rows[10:], None, ":11:"),
        ("another encoding", None, text.replace("CÔTE".encode(), "CÔTE".encode("latin-1"), 1), "not UTF-8"),
        ("an empty file", None, b"", "the file is empty"),
        ("a header alone", None, text[: text.index(b"\n") + 1], "no rows after the header"),
        ("truncated gzip", None, gzip.compress(text)[:1500], "the gzip data stops short"),
        ("gzip without its last bytes", None, gzip.compress(text)[:-4], "the gzip data stops short"),
    ]
    for name, r, raw, reason in cases:
        path = write_csv(r, "bad.csv", raw)
        fresh = os.path.join(TMP, "fresh.rollcall")
        status, stdout, stderr = run("--from", "undl", path, "-o", fresh)
        one = stderr.count("\n") == 1 and stderr.startswith("rollcall-import: ")
        check(status == 1 and reason in stderr and path in stderr and one and not os.path.exists(fresh),
              f"undl refuses {name}: {stderr.strip()}")
        status, stdout, stderr = run("--from", "undl", path, "-o", seed)
        check(status == 1 and sha(seed) == before, f"undl refuses {name} into an archive, which stays as it was")
    # a quote never closed does not make the rest of a big file one record in memory
    big = text + b"".join([b"\n".join(text.split(b"\n")[1:])] * 60)
    big = big.replace(b",ALB,", b',"ALB,', 1)
    path = write_csv(None, "bigquote.csv", big)
    status, stdout, stderr = run("--from", "undl", path, "-o", os.path.join(TMP, "bq.rollcall"))
    check(status == 1 and "a record longer than 1 MB" in stderr, f"undl refuses a quote never closed in a big file: {stderr.strip()}")
    # an archive made before the index is not changed by a refused import
    old = os.path.join(TMP, "old.rollcall")
    shutil.copy(seed, old)
    db = sqlite3.connect(old)
    db.executescript("DROP TABLE vote_results; DROP TRIGGER IF EXISTS vote_results_journal_update;"
                     "DROP TRIGGER IF EXISTS vote_results_journal_delete; DROP TRIGGER IF EXISTS vote_results_journal_insert;")
    db.close()
    first = sha(old)
    status, stdout, stderr = run("--from", "undl", write_csv(changed(7, "ms_code", "XYZ"), "bad2.csv"), "-o", old)
    check(status == 1 and sha(old) == first, "an archive made before the index is left as it was by a refused import")
    status, stdout, stderr = run("--list", old)
    check(status == 0 and "NOT ADOPTED (veto)" in stdout, "… and is listed by folding")
    fifo = os.path.join(TMP, "fifo.csv")
    os.mkfifo(fifo)
    status, stdout, stderr = run("--from", "undl", fifo, "-o", os.path.join(TMP, "f.rollcall"))
    check(status == 1 and "not a regular file" in stderr, f"undl refuses a FIFO at once: {stderr.strip()}")


def selections():
    cases = [
        (["--day", "2019-12-18"], 17),
        (["--since", "2019-12-18", "--until", "2019-12-18"], 17),
        (["--symbol", "A/RES/68/262"], 1),
        (["--symbol", "A/RES/68/262", "--symbol", "a/res/74/168"], 2),
        (["--assembly-session", "74"], None),
    ]
    for args, n in cases:
        out = os.path.join(TMP, "sel.rollcall")
        status, stdout, stderr = run("--from", "unvotes", UNVOTES, *args, "-o", out, "--overwrite")
        votes = votes_of(journal(out)) if status == 0 else {}
        if n is None:
            ok = votes and all(v["info"] for v in votes.values()) and {v["date"][:4] for v in votes.values()} <= {"2019", "2020"}
        else:
            ok = len(votes) == n
        check(status == 0 and ok, f"unvotes {' '.join(args)}: {len(votes)} votes")
    status, stdout, stderr = run("--from", "unvotes", UNVOTES, "--day", "1950-01-01", "-o", os.path.join(TMP, "none.rollcall"))
    check(status == 1 and "no vote is selected" in stderr and not os.path.exists(os.path.join(TMP, "none.rollcall")),
          f"a selection of nothing writes nothing: {stderr.strip()}")
    for args, reason in [(["--day", "2019-13-01"], "not a date"), (["--since", "2020-01-01", "--until", "2019-01-01"], "is after")]:
        status, stdout, stderr = run("--from", "unvotes", UNVOTES, *args, "-o", os.path.join(TMP, "x.rollcall"))
        check(status == 2 and reason in stderr, f"refused: {' '.join(args)}: {stderr.strip()}")


def unvotes_refusals():
    votes_text = gzip.open(os.path.join(UNVOTES, "un_votes.csv.gz"), "rb").read()
    calls_text = open(os.path.join(UNVOTES, "un_roll_calls.csv"), "rb").read()
    head = votes_text[: votes_text.index(b"\n", 200000)]
    cases = [
        ("an unknown country code", head.replace(b'"CA","no"', b'"QQ","no"', 1), calls_text, "country_code 'QQ'"),
        ("a vote that is no choice", head.replace(b'"CA","no"', b'"CA","maybe"', 1), calls_text, "vote 'maybe'"),
        ("a roll call that does not exist", head + b'\n999999,"Canada","CA","yes"', calls_text, "rcid '999999'"),
        ("a member twice in a roll call", head + b'\n3,"Canada","CA","yes"', calls_text, "second row in roll call 3"),
        ("a roll call dated out of range", head, calls_text.replace(b'"1946-01-01"', b'"1940-01-01"', 1), "date '1940-01-01'"),
    ]
    for name, votes_bytes, calls_bytes, reason in cases:
        d = os.path.join(TMP, "uv")
        shutil.rmtree(d, ignore_errors=True)
        os.mkdir(d)
        with open(os.path.join(d, "un_votes.csv"), "wb") as f:
            f.write(votes_bytes)
        with open(os.path.join(d, "un_roll_calls.csv"), "wb") as f:
            f.write(calls_bytes)
        out = os.path.join(TMP, "uv.rollcall")
        status, stdout, stderr = run("--from", "unvotes", d, "-o", out)
        check(status == 1 and reason in stderr and stderr.count("\n") == 1 and not os.path.exists(out),
              f"unvotes refuses {name}: {stderr.strip()}")
    # gzip made by concatenation is read whole; anything else after the gzip data is refused
    d = os.path.join(TMP, "members")
    shutil.rmtree(d, ignore_errors=True)
    os.mkdir(d)
    shutil.copy(os.path.join(UNVOTES, "un_roll_calls.csv"), d)
    cut = votes_text.index(b"\n", len(votes_text) // 2) + 1
    with open(os.path.join(d, "un_votes.csv.gz"), "wb") as f:
        f.write(gzip.compress(votes_text[:cut]) + gzip.compress(votes_text[cut:]))
    out = os.path.join(TMP, "members.rollcall")
    status, stdout, stderr = run("--from", "unvotes", d, "-o", out)
    check(status == 0 and "6203 votes" in stdout, f"unvotes: a gzip of two members is read whole ({stdout.strip()[-80:]})")
    with open(os.path.join(d, "un_votes.csv.gz"), "wb") as f:
        f.write(gzip.compress(votes_text[:cut]) + b"not gzip at all\n")
    os.unlink(out)
    status, stdout, stderr = run("--from", "unvotes", d, "-o", out)
    check(status == 1 and "data after the end of the gzip stream" in stderr and not os.path.exists(out),
          f"unvotes refuses data after the gzip stream: {stderr.strip()}")
    # a roll call selected that has no row: nothing to write
    d = os.path.join(TMP, "norows")
    shutil.rmtree(d, ignore_errors=True)
    os.mkdir(d)
    with open(os.path.join(d, "un_roll_calls.csv"), "wb") as f:
        f.write(calls_text + b'99999,68,0,"2014-03-28","",0,0,"NOTHING","a roll call without rows"\n')
    with open(os.path.join(d, "un_votes.csv"), "wb") as f:
        f.write(head + b"\n")
    out = os.path.join(TMP, "norows.rollcall")
    status, stdout, stderr = run("--from", "unvotes", d, "--day", "2014-03-28", "-o", out)
    check(status == 1 and "no vote is selected" in stderr and not os.path.exists(out),
          f"a selection of a roll call without rows writes nothing: {stderr.strip()}")
    # "NA" is Namibia, not a missing value
    out = os.path.join(TMP, "na.rollcall")
    status, stdout, stderr = run("--from", "unvotes", UNVOTES, "--day", "2019-12-18", "-o", out)
    votes = votes_of(journal(out))
    check(any(v["ballots"].get("NAM") in ("yes", "no", "abstain") for v in votes.values()),
          "unvotes: NA is Namibia")


def damaged_journal():
    """One bad row: the tools say where it breaks; the part before it exports."""
    path = os.path.join(TMP, "damaged.rollcall")
    shutil.copy(os.path.join(os.environ["ROLLCALL_BUILD_ROOT"], "data", "demo", "demo.rollcall"), path)
    os.chmod(path, 0o644)
    db = sqlite3.connect(path)
    db.execute("UPDATE journal SET payload = '{\"v\":1}' WHERE session_id = 'ga-es11-2022-03-02' AND seq = 100")
    db.commit()
    db.close()
    out = os.path.join(TMP, "part.jsonl")
    status, stdout, stderr = run("--export", path, "--session", "ga-es11-2022-03-02", "-o", out)
    check(status == 1 and "event 100" in stderr and "the 99 events before it can be exported: add --partial" in stderr
          and not os.path.exists(out), f"a damaged journal: export says where it breaks: {stderr.strip()}")
    status, stdout, stderr = run("--export", path, "--session", "ga-es11-2022-03-02", "--partial", "-o", out)
    lines = open(out).read().splitlines() if os.path.exists(out) else []
    check(status == 0 and len(lines) == 99 and "event 100" in stderr,
          f"--partial exports the 99 events before it ({len(lines)}; {stderr.strip()})")
    again = os.path.join(TMP, "again.rollcall")
    status, stdout, stderr = run("--from", "jsonl", out, "-o", again)
    check(status == 0 and "still open at the end of the file" in stderr,
          f"… which imports again, saying the vote stops mid-ballot: {stderr.strip()[:200]}")
    status, stdout, stderr = run("--list", path)
    check(status == 0 and "result unknown" in stdout and "event 100" in stdout and "NOT ADOPTED (veto)" in stdout,
          "--list shows the other session's result and where this one breaks")


def listing():
    out = os.path.join(TMP, "history.rollcall")
    status, stdout, stderr = run("--list", out, "--search", "territorial integrity ukraine")
    check(status == 0 and "A/RES/68/262" in stdout and "100–11–58, 24 not voting" in stdout
          and "rule not stated" in stdout and "ADOPTED as recorded" in stdout and stdout.endswith("1 vote\n"),
          f"--list --search finds A/RES/68/262 by words of its title: {stdout.strip()}")
    status, stdout, stderr = run("--list", out, "--search", "2019-12-18")
    check(status == 0 and stdout.endswith("17 votes\n"), "--search by date: the 17 votes of 18 December 2019")
    status, stdout, stderr = run("--list", out)
    check(status == 0 and stdout.endswith("6203 votes\n"), "--list: every vote")


try:
    unvotes_whole()
    listing()
    damaged_journal()
    undl_sample()
    undl_warnings()
    undl_aliases()
    undl_refusals()
    selections()
    unvotes_refusals()
finally:
    shutil.rmtree(TMP, ignore_errors=True)
print(f"1..{len(RESULTS)}")
sys.exit(0 if all(ok for ok, _ in RESULTS) else 1)
