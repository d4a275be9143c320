#!/usr/bin/env python3
"""make-seeds.py — writes the seed corpus of tests/fuzz (corpus/NAME/) from real inputs.

    tests/fuzz/make-seeds.py BUILD_DIR

BUILD_DIR is a normal build (./run build: build/), for rollcall-import, rollcall-feed and
the demo archive. What it writes, by the prefix of each file's name:

  real-*     what Rollcall really reads: the demo archive's sessions exported as JSON Lines
             (rollcall-import --export), what rollcall-feed --replay really sends over
             Server-Sent Events (captured over loopback), the data files of data/ and
             small slices (the header and a few rows) of ../shared/data (SOURCES.md there
             says where each comes from);
  docs-*     the examples of docs/events.md and docs/feed-protocol.md;
  hostile-*  real inputs broken the ways the unit tests break them (tests/archive/
             test-codec.c, tests/feed/test-feed-codec.c, test-jsonl.c, test-csv.c, …),
             and the framings a server may use (CRLF, CR, a byte-order mark, comments).

It also writes the dictionaries (NAME.dict). Only seeds with those prefixes are
replaced; inputs kept from fuzzing (finding-*, and any other name) are left alone.
Everything is deterministic but the captured streams' ids and heartbeat times.
Standard library only.
"""
import gzip
import os
import re
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.normpath(os.path.join(HERE, '..', '..'))
SHARED = os.path.normpath(os.path.join(SOURCE, '..', 'shared', 'data'))
PREFIXES = ('real-', 'docs-', 'hostile-')
SEPARATOR = b'\n%%\n'


def read(path):
    with open(path, 'rb') as f:
        return f.read()


class Corpus:
    def __init__(self):
        self.seeds = {}

    def add(self, harness, name, data):
        if isinstance(data, str):
            data = data.encode()
        assert name.startswith(PREFIXES), name
        assert (harness, name) not in self.seeds, (harness, name)
        self.seeds[(harness, name)] = data

    def write(self):
        for harness in sorted({h for h, _ in self.seeds}):
            folder = os.path.join(HERE, 'corpus', harness)
            os.makedirs(folder, exist_ok=True)
            for old in os.listdir(folder):
                if old.startswith(PREFIXES):
                    os.unlink(os.path.join(folder, old))
        for (harness, name), data in sorted(self.seeds.items()):
            with open(os.path.join(HERE, 'corpus', harness, name), 'wb') as f:
                f.write(data)
        print('%d seeds' % len(self.seeds))


# ---------------------------------------------------------------- real inputs

def export(build, session):
    out = subprocess.run([os.path.join(build, 'src', 'bin', 'rollcall-import'), '--export',
                          os.path.join(build, 'data', 'demo', 'demo.rollcall'),
                          '--session', session, '-o', '-'],
                         check=True, capture_output=True, env=run_env(build)).stdout
    return out.splitlines()


def run_env(build):
    env = dict(os.environ)
    env['ROLLCALL_DATA_PATH'] = os.path.join(build, 'data') + ':' + os.path.join(SOURCE, 'data')
    return env


def capture(build, session, speed, delay, seconds, last_event_id=None):
    """The body of GET /v1/events from rollcall-feed --replay, as received."""
    server = subprocess.Popen([os.path.join(build, 'src', 'bin', 'rollcall-feed'), '--replay',
                               os.path.join(build, 'data', 'demo', 'demo.rollcall'),
                               '--session', session, '--speed', str(speed), '--port', '0'],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              env=run_env(build))
    try:
        host, port = re.search(r'http://([\d.]+):(\d+)', server.stdout.readline()).groups()
        time.sleep(delay)
        s = socket.create_connection((host, int(port)))
        request = 'GET /v1/events HTTP/1.0\r\nHost: %s\r\nAccept: text/event-stream\r\n' % host
        if last_event_id:
            request += 'Last-Event-ID: %s\r\n' % last_event_id
        s.sendall((request + '\r\n').encode())
        s.settimeout(0.2)
        data = b''
        end = time.time() + seconds
        while time.time() < end:
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                continue
            if not chunk:
                break
            data += chunk
        s.close()
    finally:
        server.terminate()
        server.wait()
    head, _, body = data.partition(b'\r\n\r\n')
    assert b' 200 ' in head.split(b'\r\n')[0] and b'chunked' not in head.lower(), head
    return body


def sse_blocks(body):
    """The stream's blocks (text up to a blank line), each with its end."""
    return [b + b'\n\n' for b in body.split(b'\n\n') if b.strip()]


def sse_data(body):
    return [line[len(b'data: '):] for line in body.split(b'\n') if line.startswith(b'data: ')]


def ws_frame(first, payload, mask=None):
    """A WebSocket frame (RFC 6455 §5.2) as a server sends it: first is FIN and the opcode."""
    n = len(payload)
    head = bytes([first])
    bit = 0x80 if mask else 0
    if n < 126:
        head += bytes([bit | n])
    elif n < 65536:
        head += bytes([bit | 126]) + n.to_bytes(2, 'big')
    else:
        head += bytes([bit | 127]) + n.to_bytes(8, 'big')
    if mask:
        payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        head += mask
    return head + payload


def message_type(message):
    return re.search(rb'"type":"([a-z-]+)"', message).group(1).decode()


def head_lines(data, n):
    return b''.join(data.splitlines(keepends=True)[:n])


# ---------------------------------------------------------------- documents

def doc_json_blocks(path):
    """The ```json blocks of a document, each as one text."""
    text = read(path).decode()
    return [m.group(1) for m in re.finditer(r'```json\n(.*?)```', text, re.S)]


def doc_json_lines(path):
    """Every line of a ```json block that is a whole object on its own."""
    lines = []
    for block in doc_json_blocks(path):
        for line in block.splitlines():
            if line.startswith('{') and line.endswith('}'):
                lines.append(line)
    return lines


# ---------------------------------------------------------------- unit tests' inputs

def c_literals(text):
    """Adjacent C string literals (and the names of macros between them) concatenated."""
    out = []
    for m in re.finditer(r'"((?:[^"\\]|\\.)*)"', text):
        out.append(bytes(m.group(1), 'utf-8').decode('unicode_escape').encode('latin-1'))
    return b''.join(out)


def codec_refusals():
    """The texts of tests/archive/test-codec.c's refusals[] table."""
    text = read(os.path.join(SOURCE, 'tests', 'archive', 'test-codec.c')).decode()
    head = c_literals(re.search(r'#define BALLOT_HEAD (".*")', text).group(1))
    table = text[text.index('static const Refusal refusals[] = {'):]
    table = table[:table.index('\n};')]
    found = {}
    for entry in re.finditer(r'\{\s*"([a-z0-9-]+)",\s*(BALLOT_HEAD\s*)?((?:"(?:[^"\\]|\\.)*"\s*)+),'
                             r'\s*"(?:[^"\\]|\\.)*"\s*\}', table, re.S):
        name, ballot, literals = entry.group(1), entry.group(2), entry.group(3)
        found[name] = (head if ballot else b'') + c_literals(literals)
    assert len(found) > 20, len(found)
    return found


# ---------------------------------------------------------------- the corpora

def make(build):
    c = Corpus()
    sc = export(build, 'sc-2022-02-25')
    ga = export(build, 'ga-es11-2022-03-02')
    sc_stream = capture(build, 'sc-2022-02-25', 8, 0, 12)  # the whole vote, from the start
    ga_mid = capture(build, 'ga-es11-2022-03-02', 16, 4, 3)  # joined while the vote is open
    ga_end = capture(build, 'ga-es11-2022-03-02', 64, 3, 2.5)  # joined after the result
    sc_end = capture(build, 'sc-2022-02-25', 64, 3, 2.5)

    # codec: one journal row of each type, the docs' examples, the tests' refusals
    seen = set()
    for line in sc + ga[:6]:
        t = message_type(line)
        if t not in seen or t == 'ballot' and len([s for s in seen if s.startswith('ballot')]) < 3:
            name = t if t not in seen else '%s-%d' % (t, len(seen))
            seen.add(name)
            c.add('codec', 'real-sc-%s.json' % name if line in sc else 'real-ga-%s.json' % name,
                  line)
    for i, line in enumerate(doc_json_lines(os.path.join(SOURCE, 'docs', 'events.md'))):
        c.add('codec', 'docs-events-%02d.json' % i, line)
    for name, text in codec_refusals().items():
        c.add('codec', 'hostile-%s.json' % name, text)
    c.add('codec', 'hostile-crlf-inside.json', sc[4].replace(b',', b',\r\n'))
    c.add('codec', 'hostile-deep.json', b'{"v":1,"x":' + b'[' * 2000 + b']' * 2000 + b'}')
    c.add('codec', 'hostile-big-int.json', sc[3].replace(b'"seq":4', b'"seq":99999999999999999999'))
    c.add('codec', 'hostile-escapes.json',
          sc[4].replace(b'"member":"GAB"', b'"member":"G\\u0041B\\ud83d\\ude00\\n\\t\\/"'))

    # codec-message: each kind as a board receives it
    messages = sse_data(sc_stream)
    seen = set()
    for m in messages:
        t = message_type(m)
        if t not in seen:
            seen.add(t)
            c.add('codec-message', 'real-sc-%s.json' % t, m)
    c.add('codec-message', 'real-sc-snapshot-announced.json', sse_data(sc_end)[0])
    c.add('codec-message', 'real-ga-snapshot-open.json', sse_data(ga_mid)[0])
    c.add('codec-message', 'real-ga-snapshot-announced.json', sse_data(ga_end)[0])
    for i, block in enumerate(doc_json_blocks(os.path.join(SOURCE, 'docs', 'feed-protocol.md'))):
        if '…' not in block:
            c.add('codec-message', 'docs-feed-protocol-%02d.json' % i, ' '.join(block.split('\n')))
    snapshot = sse_data(sc_end)[0]
    ballot = [m for m in messages if message_type(m) == 'ballot'][0]
    heartbeat = [m for m in messages if message_type(m) == 'heartbeat'][0]
    # after tests/feed/test-feed-codec.c's message_refusals
    for name, good, old, new in [
            ('event-no-stream', ballot, rb'"stream":"[^"]*",', b''),
            ('event-stream-colon', ballot, rb'"stream":"[^"]*"', b'"stream":"s:1"'),
            ('event-seq-0', ballot, rb'"seq":\d+', b'"seq":0'),
            ('unknown-type', ballot, rb'"ballot"', b'"snapshots"'),
            ('version-2', snapshot, rb'"v":1', b'"v":2'),
            ('heartbeat-seq', heartbeat, rb'"seq":0', b'"seq":5'),
            ('heartbeat-negative', heartbeat, rb'"last_seq":\d+', b'"last_seq":-1'),
            ('snapshot-state', snapshot, rb'"state":"announced"', b'"state":"finished"'),
            ('snapshot-pending', snapshot, rb'"ALB":"yes"', b'"ALB":"pending"'),
            ('snapshot-twice', snapshot, rb'"ALB":"yes"', b'"ALB":"yes","ALB":"no"'),
            ('snapshot-unknown-member', snapshot, rb'"ALB":"yes"', b'"XXX":"yes"'),
            ('snapshot-on-air', snapshot, rb'"on_air":\{[^}]*\}', b'"on_air":{"show":"vote"}'),
            ('snapshot-session-null', snapshot, rb'"session":\{', b'"session":null,"x":{'),
            ('snapshot-official', snapshot, rb'"official":\{"yes":\d+', b'"official":{"yes":-11'),
            ('snapshot-seq-0', snapshot, rb'"seq":\d+', b'"seq":0'),
            ('snapshot-locked-missing', snapshot, rb'"GAB":"yes",', b''),
            ('snapshot-roster-empty', snapshot, rb'"roster":\[.*?\],"votes"', b'"roster":[],"votes"')]:
        bad = re.sub(old, new, good, count=1)
        assert bad != good, name
        c.add('codec-message', 'hostile-%s.json' % name, bad)

    # event-id: what a board sends back to resume (the ids of the events it heard)
    stream = re.search(rb'"stream":"([^"]*)"', sc_stream).group(1)
    for name, text in [('real-sc', stream + b':21'), ('real-sc-start', stream + b':0'),
                       ('docs-feed-protocol', b'ga-es11-2022-03-02:57')]:
        c.add('event-id', name + '.id', text)
    for i, text in enumerate([b':1', b's:', b's:-1', b's:+1', b'a:b:1', b's:007',
                              b's:9223372036854775807', b's:9223372036854775808', b's:1 ',
                              b's\xff:1']):
        c.add('event-id', 'hostile-%02d.id' % i, text)

    # feed-stream: what a board hears
    c.add('feed-stream', 'real-sc-from-start.sse', sc_stream)
    blocks = sse_blocks(ga_mid)
    c.add('feed-stream', 'real-ga-joined-open.sse', b''.join(blocks[:24]))
    c.add('feed-stream', 'real-ga-joined-announced.sse', ga_end)
    c.add('feed-stream', 'hostile-crlf.sse', sc_stream.replace(b'\n', b'\r\n'))
    c.add('feed-stream', 'hostile-cr.sse', sc_stream.replace(b'\n', b'\r'))
    c.add('feed-stream', 'hostile-bom-comments.sse',
          b'\xef\xbb\xbf: hello\n' + sc_stream.replace(b'\nevent:', b'\n: keep-alive\nid: x\nevent:'))
    c.add('feed-stream', 'hostile-split-data.sse',
          b''.join(b'data: ' + m.replace(b',', b',\ndata:', 3) + b'\n\n' for m in messages))
    c.add('feed-stream', 'hostile-no-final-blank.sse', sc_stream.rstrip(b'\n'))
    c.add('feed-stream', 'hostile-out-of-order.sse',
          b''.join(sse_blocks(sc_stream)[i] for i in (0, 1, 3, 2, 5, 4, 6)))
    c.add('feed-stream', 'hostile-two-streams.sse', sse_blocks(sc_stream)[1] + ga_end)

    # ws-frames: what a board hears over a WebSocket, framed as a server frames it
    ws_messages = sse_data(sc_stream)
    c.add('ws-frames', 'real-sc-from-start.ws', b''.join(ws_frame(0x81, m) for m in ws_messages))
    c.add('ws-frames', 'real-ga-snapshot-announced.ws', ws_frame(0x81, sse_data(ga_end)[0]))
    snapshot = ws_messages[0]
    c.add('ws-frames', 'hostile-fragments.ws',
          ws_frame(0x01, snapshot[:10]) + ws_frame(0x89, b'ping') + ws_frame(0x00, snapshot[10:200])
          + ws_frame(0x8a, b'') + ws_frame(0x80, snapshot[200:]))
    c.add('ws-frames', 'hostile-masked.ws', ws_frame(0x81, ws_messages[1], mask=b'\x01\x02\x03\x04'))
    c.add('ws-frames', 'hostile-pings.ws', b''.join(ws_frame(0x89, b'%d' % i) for i in range(20))
          + ws_frame(0x81, ws_messages[1]))
    c.add('ws-frames', 'hostile-long-forms.ws',
          b'\x81\x7e\x00\x05hello' + b'\x81\x7f' + (5).to_bytes(8, 'big') + b'hello')
    c.add('ws-frames', 'hostile-announces-too-much.ws', b'\x81\x7f' + (1 << 40).to_bytes(8, 'big'))
    c.add('ws-frames', 'hostile-endless-continuation.ws',
          ws_frame(0x01, b'{') + b''.join(ws_frame(0x00, b'x' * 100) for _ in range(40)))
    c.add('ws-frames', 'hostile-close.ws', ws_frame(0x81, ws_messages[1]) + ws_frame(0x88, b'\x03\xe9bye'))

    # jsonl: exports, and the refusals of tests/import/test-jsonl.c
    c.add('jsonl', 'real-sc.jsonl', b'\n'.join(sc) + b'\n')
    c.add('jsonl', 'real-ga-start.jsonl', b'\n'.join(ga[:30]) + b'\n')
    c.add('jsonl', 'hostile-crlf-blank-lines.jsonl', b'\r\n\r\n'.join(sc))
    c.add('jsonl', 'hostile-gap.jsonl', b'\n'.join(sc[:4] + sc[5:]))
    c.add('jsonl', 'hostile-no-session.jsonl', b'\n'.join(sc[1:]))
    c.add('jsonl', 'hostile-heartbeat.jsonl', b'\n'.join(sc[:6] + [
        b'{"v":1,"seq":0,"time":"2022-02-25T20:01:01.200Z","type":"heartbeat"}'] + sc[6:]))
    c.add('jsonl', 'hostile-unknown-member.jsonl',
          b'\n'.join(sc[:5] + [sc[5].replace(b'"ALB"', b'"XYZ"')] + sc[6:]))
    c.add('jsonl', 'hostile-ballot-after-lock.jsonl', b'\n'.join(sc[:20] + [
        sc[18].replace(b'"seq":19', b'"seq":21').replace(b'20:01:04.063', b'20:01:10.900')]))
    c.add('jsonl', 'hostile-two-sessions.jsonl', b'\n'.join(sc[:3] + [ga[0]]))

    # archive: the demo's rows, as docs/archive.md says they are written
    def rows(lines, session, meeting, date, votes):
        out = [b's\t%s\t%s\t%s' % (session, meeting, date)]
        out += [b'v\t%s\t%s\t%d\t%s' % (session, v, i + 1, sym) for i, (v, sym) in enumerate(votes)]
        out += [b'j\t%s\t%d\t%s' % (session, i + 1, line) for i, line in enumerate(lines)]
        return b'\n'.join(out) + b'\n'
    sc_rows = rows(sc, b'sc-2022-02-25', b'S/PV.8979', b'2022-02-25', [(b's-2022-155', b'')])
    ga_rows = rows(ga[:30], b'ga-es11-2022-03-02', b'A/ES-11/PV.5', b'2022-03-02',
                   [(b'es-11-1', b'A/RES/ES-11/1')])
    c.add('archive', 'real-sc.rows', sc_rows)
    c.add('archive', 'real-sc-ga.rows', sc_rows + ga_rows)
    c.add('archive', 'hostile-gap.rows', re.sub(rb'j\tsc-2022-02-25\t5\t[^\n]*\n', b'', sc_rows))
    c.add('archive', 'hostile-seq-mismatch.rows', sc_rows.replace(b'\t7\t{"v":1,"seq":7', b'\t7\t{"v":1,"seq":8'))
    c.add('archive', 'hostile-other-session.rows', sc_rows.replace(b'j\tsc-2022-02-25\t1\t', b'j\tsc-2022-02-25\t99\t')
          + b'j\tsc-2022-02-25\t1\t' + ga[0] + b'\n')
    c.add('archive', 'hostile-same-day.rows',
          sc_rows + sc_rows.replace(b'sc-2022-02-25\t', b'sc-copy\t').replace(b'S/PV.8979', b'S/PV.8980'))
    c.add('archive', 'hostile-empty-journal.rows', b's\tempty\tX/PV.1\t2022-01-01\n')
    c.add('archive', 'hostile-refused-event.rows',
          sc_rows.replace(b'"member":"ALB"', b'"member":"XYZ"'))

    # session-source: the demo's sources, one with its ballots inline, the tests' refusals
    for name in ('ga-es11-2022-03-02', 'sc-2022-02-25'):
        c.add('session-source', 'real-%s.session' % name,
              read(os.path.join(SOURCE, 'data', 'demo', name + '.session')))
    sc_session = read(os.path.join(SOURCE, 'data', 'demo', 'sc-2022-02-25.session'))
    inline = sc_session.replace(b'ballots=s-2022-155.csv', b'ballots=fuzz-ballots.csv')
    c.add('session-source', 'real-sc-inline.session',
          inline + SEPARATOR + read(os.path.join(SOURCE, 'data', 'demo', 's-2022-155.csv')))
    for name, old, new in [
            ('no-session', b'[Session]', b'[Sesion]'),
            ('unknown-key', b'seed=', b'sead='),
            ('bad-start', b'start=2022-02-25T20:00:00Z', b'start=25/02/2022'),
            ('bad-seed', b'seed=20220225', b'seed=-1'),
            ('bad-duration', b'duration=5', b'duration=1e400'),
            ('no-chamber', b'../chambers/unsc.chamber', b'../chambers/none.chamber'),
            ('date-before-members', b'date=2022-02-25', b'date=1900-01-01'),
            ('official-differs', b'official=11,1,3,0', b'official=12,1,3,0'),
            ('not-recorded', b'recorded=true', b'recorded=false'),
            ('hidden', b'reveal=live', b'reveal=hidden'),
            ('unknown-group', b'[Vote s-2022-155]', b'[Vot s-2022-155]')]:
        assert old in inline, name
        c.add('session-source', 'hostile-%s.session' % name, inline.replace(old, new) + SEPARATOR
              + read(os.path.join(SOURCE, 'data', 'demo', 's-2022-155.csv')))
    ballots = read(os.path.join(SOURCE, 'data', 'demo', 's-2022-155.csv'))
    for name, csv in [('unknown-member', ballots.replace(b'ALB,', b'XXX,')),
                      ('bad-letter', re.sub(rb',Y(\r?\n)', rb',Q\1', ballots, count=1)),
                      ('twice', ballots + ballots.split(b'\n')[1] + b'\n'),
                      ('no-vote-column', ballots.replace(b',vote', b',vot'))]:
        assert csv != ballots, name
        c.add('session-source', 'hostile-ballots-%s.session' % name, inline + SEPARATOR + csv)

    # chamber: the shipped chambers, their members and palette inline
    for name in ('unsc', 'unga'):
        chamber = read(os.path.join(SOURCE, 'data', 'chambers', name + '.chamber'))
        chamber = chamber.replace(b'members=%s-members.csv' % name.encode(),
                                  b'members=fuzz-members.csv').replace(b'palette=un-board',
                                                                       b'palette=fuzz')
        c.add('chamber', 'real-%s.chamber' % name, chamber + SEPARATOR
              + read(os.path.join(SOURCE, 'data', 'chambers', name + '-members.csv'))
              + SEPARATOR + read(os.path.join(SOURCE, 'data', 'palettes', 'un-board.palette')))
    unsc = c.seeds[('chamber', 'real-unsc.chamber')]
    for name, old, new in [
            ('palette-group', b'palette=fuzz', b'palette=high-contrast\n[Palette]\nyes=#00ff00'),
            ('bad-colour', b'yes=#2fd15a', b'yes=#2fd15'),
            ('no-council-affirmative', b'council-affirmative=9', b'council-affirmative=0'),
            ('bad-majority', b'majority=council', b'majority=plurality'),
            ('until-before-from', b'ALB,Albania,,2022-01-01,2023-12-31', b'ALB,Albania,,2022-01-01,2021-12-31'),
            ('two-names', b'ALB,Albania,,2022-01-01,2023-12-31,no',
             b'ALB,Albania,,2022-01-01,2023-12-31,no\nALB,Albanie,,2022-01-01,,no'),
            ('bad-veto', b'CHN,China,,1945-10-24,,yes', b'CHN,China,,1945-10-24,,maybe'),
            ('no-code', b'ALB,Albania', b',Albania'),
            ('bad-date', b'1945-10-24', b'1945-02-30')]:
        assert old in unsc, name
        c.add('chamber', 'hostile-%s.chamber' % name, unsc.replace(old, new, 1))

    # control-body: the route byte (tests/fuzz/fuzz-control-body.c), then the body
    def route(index, vote=None):
        return bytes([index]) + (vote.encode() + b'\0' if vote else b'')
    session = re.search(rb'("session":\{[^}]*\})', sc[0]).group(1)
    chamber_roster = sc[0][sc[0].index(b'"chamber":'):-1]
    scheduled = sc[1][sc[1].index(b'"vote":'):-1]
    for name, prefix, body in [
            ('session-long', route(0), b'{' + session + b',' + chamber_roster + b'}'),
            ('session-short', route(0), b'{' + session + b',"chamber":"UNSC"}'),
            ('session-short-ga', route(0),
             b'{"session":{"id":"ga-2026","meeting":"A/81/PV.1","date":"2026-11-26",'
             b'"title":"t","timezone":"UTC"},"chamber":"unga"}'),
            ('scheduled', route(1), b'{' + scheduled + b'}'),
            ('on-air-vote', route(2), b'{"show":"vote","vote":"s-2022-155"}'),
            ('on-air-blank', route(2), b'{"show":"blank"}'),
            ('open', route(3, 's-2022-155'), b'{}'),
            ('ballot', route(4, 'es-11-1'), b'{"member":"AFG","choice":"yes"}'),
            ('lock', route(5, 'es-11-1'), b'{"ballots":[{"member":"AFG","choice":"no"}]}'),
            ('announce', route(6, 'es-11-1'),
             b'{"official":{"yes":141,"no":5,"abstain":35,"not_voting":12}}'),
            ('correct', route(7, 'es-11-1'),
             b'{"member":"AFG","choice":"abstain","note":"intended to abstain"}'),
            ('cancel', route(8, 'v-3'), b'{"note":"Draft withdrawn"}')]:
        c.add('control-body', 'docs-%s.json' % name, prefix + body)
    # issue 8: what json-glib let through, and what the tests refuse
    for name, prefix, body in [
            ('single-quotes', route(4, 'es-11-1'), b"{'member':'AFG','choice':'yes'}"),
            ('comment', route(4, 'es-11-1'), b'{"member":"AFG",/* x */"choice":"yes"}'),
            ('control-char', route(4, 'es-11-1'), b'{"member":"A\x01FG","choice":"yes"}'),
            ('hex-escape', route(4, 'es-11-1'), b'{"member":"\\x41FG","choice":"yes"}'),
            ('envelope', route(4, 'es-11-1'),
             b'{"v":2,"seq":9,"time":"x","type":"session","stream":"s","vote":"other",'
             b'"member":"AFG","choice":"yes"}'),
            ('chamber-path', route(0), b'{' + session + b',"chamber":"../../etc/passwd"}'),
            ('chamber-unknown', route(0), b'{' + session + b',"chamber":"UNHRC"}'),
            ('date-no-members', route(0),
             session.replace(b'2022-02-25', b'1900-01-01').join([b'{', b',"chamber":"UNSC"}'])),
            ('not-object', route(2), b'["show","blank"]'),
            ('nul', route(2), b'{"show":"blank"}\0'),
            ('duplicate', route(2), b'{"show":"blank","show":"vote"}')]:
        c.add('control-body', 'hostile-%s.json' % name, prefix + body)

    # csv: the data files, slices of the reference datasets, the tests' refusals
    for folder, names in [('chambers', ('unga-members.csv', 'unsc-members.csv')),
                          ('demo', ('a-res-es-11-1.csv', 's-2022-155.csv'))]:
        for name in names:
            c.add('csv', 'real-%s' % name, read(os.path.join(SOURCE, 'data', folder, name)))
    c.add('csv', 'real-shared-members.csv', read(os.path.join(SHARED, 'members.csv')))
    c.add('csv', 'real-undl-layout-head.csv',
          head_lines(read(os.path.join(SHARED, 'formats', 'undl-layout-es-11-1.csv')), 6))
    c.add('csv', 'real-unvotes-roll-calls-head.csv',
          head_lines(read(os.path.join(SHARED, 'formats', 'unvotes', 'un_roll_calls.csv')), 12))
    c.add('csv', 'real-unvotes-issues-head.csv',
          head_lines(read(os.path.join(SHARED, 'formats', 'unvotes', 'un_roll_call_issues.csv')), 12))
    with gzip.open(os.path.join(SHARED, 'formats', 'unvotes', 'un_votes.csv.gz')) as f:
        c.add('csv', 'real-unvotes-votes-head.csv', b''.join(f.readline() for _ in range(20)))
    for i, text in enumerate([
            b'\xef\xbb\xbfcode,name,label\r\nGBR,"United Kingdom",UK\r\n\nCIV,"C\xc3\xb4te",\r\n'
            b'XXX,"quoted ""word"", comma","two\nlines"\n',
            b'a,b\n1,2,3\n', b'a,b\n1,"2\n', b'a,b\n1,"2"x\n', b'a,b\n1,\xff\n', b'',
            b'a,b\r1,2\r\r', b'a,b\n1,2\0\n', b'"a\r\n",b\n"1"\r,2']):
        c.add('csv', 'hostile-%02d.csv' % i, text)
    return c


# ---------------------------------------------------------------- dictionaries

JSON_SYNTAX = ['{', '}', '[', ']', ':', ',', '"', 'true', 'false', 'null', '-', '0', '1', '-1', '1.5',
               '1e9', '9223372036854775807', '9223372036854775808', '-9223372036854775808', '\\\\',
               '\\"', '\\u0000', '\\ud800', '\\udc00', '\\ud83d\\ude00', '\\n', '\\u00e9', ' ',
               '\\x41', '/*', "'"]
JSON_MEMBERS = ['v', 'seq', 'time', 'type', 'stream', 'session', 'chamber', 'roster', 'vote', 'votes',
                'symbol', 'draft', 'title', 'majority', 'recorded', 'reveal', 'member', 'choice',
                'ballots', 'official', 'note', 'show', 'on_air', 'last_seq', 'id', 'meeting', 'date',
                'timezone', 'synthesized', 'name', 'body', 'rules', 'council_affirmative',
                'concurrent_votes', 'palette', 'background', 'text', 'dim-text', 'cell', 'yes', 'no',
                'abstain', 'not-voting', 'pending', 'hidden', 'adopted', 'not-adopted', 'code',
                'label', 'sort_key', 'veto', 'state', 'opened', 'locked', 'announced', 'corrected',
                'not_voting', 'no_right', 'result_shown']
JSON_VALUES = ['session', 'vote-scheduled', 'vote-opened', 'ballot', 'vote-locked', 'vote-announced',
               'vote-corrected', 'vote-cancelled', 'on-air', 'heartbeat', 'snapshot', 'pending',
               'voted', 'yes', 'no', 'abstain', 'not-voting', 'no-right', 'scheduled', 'open',
               'locked', 'announced', 'cancelled', 'simple', 'two-thirds', 'council', 'live',
               'after-lock', 'vote', 'blank', 'holding', '2022-03-02T17:01:02.345Z',
               '2022-03-02T17:01:02.345678Z', '1970-01-01T00:00:00Z', '9999-12-31T23:59:59.999999Z',
               '2022-02-29', '2022-03-02', '#1a7f37', 'UNGA', 'UNSC', 'AFG', 'RUS', 'CHN', 'es-11-1',
               's-2022-155', 'America/New_York', 'at-lock', 'when-announced']
JSON = JSON_SYNTAX + ['"%s":' % m for m in JSON_MEMBERS] + ['"%s"' % v for v in JSON_VALUES]
CSV = [',', '"', '""', '\n', '\r\n', '\r', b'\xef\xbb\xbf', 'code', 'name', 'label', 'from', 'until',
       'veto', 'iso3', 'vote', 'Y', 'N', 'A', 'X', 'V', 'yes', 'no', '2022-03-02', b'\xc3\xb4']
KEY_FILE = ['[', ']', '=', '\n', '#', ';', '\\n', '\\s', '\\\\', ',', SEPARATOR, 'true', 'false']
SESSION = ['[Session]', '[Vote ', 'id=', 'meeting=', 'date=', 'title=', 'timezone=', 'chamber=',
           'start=', 'seed=', 'symbol=', 'draft=', 'majority=', 'recorded=', 'reveal=', 'ballots=',
           'no-right=', 'official=', 'opens=', 'duration=', 'changes=', '../chambers/unga.chamber',
           '../chambers/unsc.chamber', 'fuzz-ballots.csv', 'a-res-es-11-1.csv', 's-2022-155.csv',
           'simple', 'two-thirds', 'council', 'live', 'after-lock', '2022-03-02T16:35:00Z',
           '4294967295', '1e400', 'nan', '-0', 'result=', 'at-lock', 'when-announced']
CHAMBER = ['[Chamber]', '[Palette]', 'id=', 'name=', 'body=', 'members=', 'majority=',
           'council-affirmative=', 'concurrent-votes=', 'palette=', 'fuzz-members.csv', 'fuzz',
           'un-board', 'high-contrast', '#0b0d12', '#fff', 'background=', 'text=', 'dim-text=',
           'cell=', 'yes=', 'no=', 'abstain=', 'not-voting=', 'pending=', 'hidden=', 'adopted=',
           'not-adopted=', '1945-10-24', '2099-12-31']
SSE = ['data:', 'data: ', 'event:', 'event: snapshot', 'id:', 'retry:', ':', '\n', '\r', '\r\n',
       '\n\n', b'\xef\xbb\xbf']
WS = [b'\x81', b'\x01', b'\x00', b'\x80', b'\x82', b'\x88', b'\x89', b'\x8a', b'\x7e', b'\x7f',
      b'\x7e\xff\xff', b'\x7f\x00\x00\x00\x00\x00\x10\x00\x00', b'\xfe', b'\xff']
DICTS = {
    'codec': ('the event codec', JSON),
    'codec-message': ("a feed's messages", JSON),
    'event-id': ('event ids, STREAM:SEQ', [':', '0', '9223372036854775807', 'ga-es11-2022-03-02']),
    'control-body': ("the control API's bodies (after the path's byte and vote)", JSON + ['\0']),
    'jsonl': ('JSON Lines', JSON + ['\n', '\r\n']),
    'feed-stream': ('a Server-Sent Events body of feed messages', SSE + JSON),
    'ws-frames': ("a WebSocket server's frames", WS),
    'archive': ("an archive's rows (s, j and v lines, tab-separated)",
                ['s\t', 'j\t', 'v\t', '\t', '\n', '\t1\t', '\t0\t', '\t-1\t'] + JSON),
    'csv': ('CSV (RFC 4180), the columns of docs/chambers.md and docs/archive.md', CSV),
    'session-source': ('session sources (docs/archive.md) and a ballots CSV after "%%"',
                       KEY_FILE + SESSION + CSV),
    'chamber': ('chamber files, members CSVs and palettes (docs/chambers.md), "%%" between',
                KEY_FILE + CHAMBER + CSV),
}


def dict_entry(token):
    """A token as libFuzzer reads it: printable ASCII, the rest as \\xNN."""
    data = token if isinstance(token, bytes) else token.encode()
    out = ''
    for b in data:
        if b in b'"\\' or b < 0x20 or b > 0x7e:
            out += '\\x%02X' % b
        else:
            out += chr(b)
    return '"%s"' % out


def write_dicts():
    for name, (what, tokens) in DICTS.items():
        seen = []
        for token in tokens:
            if token not in seen:
                seen.append(token)
        with open(os.path.join(HERE, name + '.dict'), 'w') as f:
            f.write('# libFuzzer dictionary (-dict=) of fuzz-%s: %s.\n' % (name, what))
            f.write('# Written by make-seeds.py.\n')
            for token in seen:
                f.write(dict_entry(token) + '\n')


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    write_dicts()
    make(os.path.abspath(sys.argv[1])).write()


if __name__ == '__main__':
    main()
