#!/usr/bin/env python3
"""check-catalogues.py — every catalogue complete, every message marked.

Run as a test (tests/data/meson.build) with the source root:
- the template made afresh from the sources (xgettext with the build's own arguments,
  glib's preset and po/xgettext-args) has no message a catalogue lacks: no untranslated
  string in any catalogue, no fuzzy one, none left over;
- msgfmt -c accepts each catalogue (formats, header, accelerators);
- each language's Plural-Forms is the one gettext documents for it;
- option names (--board-language) are not translated;
- no message is cut short by a format macro ("%" G_GINT64_FORMAT: xgettext stops at the
  macro, and the catalogue's entry never matches at run time);
- every error a user can meet (g_set_error, g_printerr, …) is marked for translation,
  but for formats with no words ("%s: %s");
- the desktop entry and the AppStream metadata the build merged speak every language.
One line per problem; exit 1 if any.
"""
import os
import re
import subprocess
import sys
import tempfile

PLURALS = {
    "ar": "nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5;",
    "es": "nplurals=2; plural=(n != 1);",
    "fr": "nplurals=2; plural=(n > 1);",
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "zh_CN": "nplurals=1; plural=0;",
}
# meson's glib preset (mesonbuild/modules/i18n.py), as the build passes it to xgettext
GLIB_PRESET = [
    "--from-code=UTF-8", "--add-comments",
    "--keyword=_", "--keyword=N_", "--keyword=C_:1c,2", "--keyword=NC_:1c,2",
    "--keyword=g_dcgettext:2", "--keyword=g_dngettext:2,3", "--keyword=g_dpgettext2:2c,3",
    "--flag=N_:1:pass-c-format", "--flag=C_:2:pass-c-format", "--flag=NC_:2:pass-c-format",
    "--flag=g_dngettext:2:pass-c-format", "--flag=g_strdup_printf:1:c-format",
    "--flag=g_string_printf:2:c-format", "--flag=g_string_append_printf:2:c-format",
    "--flag=g_error_new:3:c-format", "--flag=g_set_error:4:c-format",
    "--flag=g_markup_printf_escaped:1:c-format", "--flag=g_log:3:c-format",
    "--flag=g_print:1:c-format", "--flag=g_printerr:1:c-format",
    "--flag=g_printf:1:c-format", "--flag=g_fprintf:2:c-format",
    "--flag=g_sprintf:2:c-format", "--flag=g_snprintf:3:c-format",
]
ERROR_CALLS = r"\b(g_set_error|g_set_error_literal|g_prefix_error|g_printerr|refuse|die)\s*\("
STRING = r'"(?:[^"\\]|\\.)*"'

problems = []


def say(line):
    problems.append(line)


def entries(po_text):
    """(msgctxt, msgid, [msgstr...], fuzzy) of each live entry."""
    out = []
    for block in re.split(r"\n\s*\n", po_text):
        lines = [l for l in block.splitlines() if not l.startswith("#~")]
        if not lines:
            continue
        fuzzy = any(l.startswith("#,") and "fuzzy" in l for l in lines)
        fields, cur = {}, None
        for l in lines:
            if l.startswith("#"):
                continue
            m = re.match(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[\d\])?) (".*")$', l)
            if m:
                cur = m.group(1)
                fields[cur] = eval(m.group(2))
            elif l.startswith('"') and cur:
                fields[cur] += eval(l)
        if "msgid" not in fields:
            continue
        strs = [v for k, v in sorted(fields.items()) if k.startswith("msgstr")]
        out.append((fields.get("msgctxt"), fields["msgid"], strs, fuzzy))
    return out


def main(root):
    os.chdir(root)
    linguas = open("po/LINGUAS").read().split()
    if sorted(linguas) != sorted(PLURALS):
        say(f"po/LINGUAS: {' '.join(linguas)}; the board's languages are {' '.join(sorted(PLURALS))}")
    args = open("po/xgettext-args").read().split()
    with tempfile.TemporaryDirectory() as tmp:
        pot = os.path.join(tmp, "fresh.pot")
        files = [l.strip() for l in open("po/POTFILES") if l.strip() and not l.startswith("#")]
        subprocess.run(["xgettext", "--package-name=rollcall", "-o", pot] + GLIB_PRESET + args + files,
                       check=True)
        template = {(c, i) for c, i, _, _ in entries(open(pot).read()) if i}
    for lang in linguas:
        path = f"po/{lang}.po"
        if not os.path.exists(path):
            say(f"{path}: missing")
            continue
        r = subprocess.run(["msgfmt", "-c", "--check-accelerators=_", "-o", os.devnull, path],
                           capture_output=True, text=True)
        if r.returncode != 0:
            say(f"{path}: msgfmt -c: {r.stderr.strip().splitlines()[0]}")
        text = open(path).read()
        head = next((s[0] for c, i, s, _ in entries(text) if i == "" and s), "")
        header = re.search(r"Plural-Forms: ([^\n]*)", head)
        if header is None or header.group(1).strip() != PLURALS.get(lang):
            say(f"{path}: Plural-Forms is not {PLURALS.get(lang)}")
        have = {}
        for ctx, mid, strs, fuzzy in entries(text):
            if not mid:
                continue
            have[(ctx, mid)] = strs
            if fuzzy:
                say(f"{path}: fuzzy: {mid[:60]!r}")
            elif not strs or any(s == "" for s in strs):
                say(f"{path}: untranslated: {mid[:60]!r}")
            for option in set(re.findall(r"--[a-z][a-z-]+", mid)):
                if any(option not in s for s in strs if s):
                    say(f"{path}: {mid[:40]!r}: the option {option} is not kept")
        for key in sorted(template - set(have), key=lambda k: k[1]):
            say(f"{path}: lacks {key[1][:60]!r} (run ninja -C build rollcall-update-po)")
        for key in sorted(set(have) - template, key=lambda k: k[1]):
            say(f"{path}: {key[1][:60]!r} is no longer in the sources")

    for dirpath, _, names in os.walk("src"):
        for name in names:
            if not name.endswith(".c"):
                continue
            path = os.path.join(dirpath, name)
            src = open(path).read()
            for m in re.finditer(r"\b(?:N?_|C_|NC_|B_)\s*\(\s*(?:" + STRING + r"\s*,\s*)?" + STRING + r"\s*(G_G\w+_FORMAT)", src):
                line = src.count("\n", 0, m.start()) + 1
                say(f"{path}:{line}: {m.group(1)} inside a translatable string cuts its msgid short (use PRId64, PRIu64, %zu)")
            for m in re.finditer(ERROR_CALLS, src):
                rest = src[m.end():m.end() + 600]
                q = rest.find('"')
                if q < 0:
                    continue
                before = rest[:q]
                if re.search(r"(?:\b(?:N?_|C_|B_)\s*\(|g_dngettext\s*\([^\"]*|rc_board_printf(?:_lines)?\s*\([^\"]*)$", before.rstrip() + ("" if before.rstrip().endswith("(") else "")):
                    continue
                if re.search(r"\b(?:N?_|C_|B_)\s*\(\s*$", before) or "g_dngettext" in before:
                    continue
                lit = re.match(STRING, rest[q:]).group(0)
                if re.fullmatch(r'"[a-z-]+"', lit):
                    continue  # a machine's code ("not-found", a close reason), not words
                words = re.sub(r"%[-+ #0]*\d*(?:\.\d+)?(?:l|ll|z|h)?[a-zA-Z]", "", eval(lit))
                words = re.sub(r"\brollcall(?:-[a-z]+)?\b", "", words)  # a program's name
                if re.search(r"[A-Za-z]{2}", words) is None:
                    continue  # a format without words: "%s: %s"
                if ";" in before or ")" in before.split("(")[-1]:
                    continue  # the string belongs to a later statement
                line = src.count("\n", 0, m.start()) + 1
                say(f"{path}:{line}: {m.group(1)} of an unmarked string {lit[:50]}")
    # The desktop entry and the AppStream metadata the build merged: in every language.
    build = os.environ.get("ROLLCALL_BUILD_ROOT")
    if build:
        desktop = open(os.path.join(build, "data", "io.github.rollcall.Rollcall.desktop")).read()
        metainfo = open(os.path.join(build, "data", "io.github.rollcall.Rollcall.metainfo.xml")).read()
        for lang in linguas:
            for key in ("GenericName", "Comment"):
                if f"\n{key}[{lang}]=" not in desktop:
                    say(f"the built desktop entry has no {key}[{lang}]")
            if f'xml:lang="{lang}"' not in metainfo:
                say(f"the built metainfo has nothing in {lang}")
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "."))
