"""Broken rule packs, configs, crawl manifests, baselines, history files and guide files, through the CLI.

    python tests/fuzz_inputs.py                       # every hand-made case, then 2000 mutants
    python tests/fuzz_inputs.py --count 20000 --seed 7
    python tests/fuzz_inputs.py --replay 7:4711       # one mutant again, with its output

The standard (README, "bad input"): exit code 2 (or the documented one), a message on stderr that names
the file (and the line, where the case says so) and the fix, no traceback, and nothing already written
lost: a file the command only reads keeps its bytes. `CASES` is a table of hand-made inputs, each with
what its message must say; `mutants` mutates the real files (byte and TOML/JSON-value mutations) and
holds every mutant to the same rules. Mutant `i` of seed `s` comes from `random.Random(f"{s}:{i}")`
alone. tests/test_bad_input_files.py runs the table and a few dozen mutants.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import io
import json
import random
import re
import sqlite3
import sys
import tempfile
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from guidecheck.cli import run_app  # noqa: E402

PAGE = ROOT / "fixtures" / "pages" / "numbered_celiang.txt"
GUIDE_FILE = next(iter(sorted((ROOT / "fixtures" / "guide_repo" / "guides").rglob("*.guide.toml"))))

Files = dict[str, bytes | str]
HISTORY_DEPARTMENT = "市规划和自然资源局"


@dataclass(frozen=True)
class Case:
    """One broken input: the files to write, the command to run on them, what stderr must say."""

    name: str
    files: Files
    argv: tuple[str, ...]
    """`{d}` stands for the case's folder."""
    says: tuple[str, ...] = ()
    """Substrings stderr must hold (besides the file's name)."""
    file: str = ""
    """The file the message must name (relative to the case folder); "" for none."""
    line: int | None = None
    code: int = 2
    keep: tuple[str, ...] = ()
    """Files the command must not change (default: every file of the case, as none is an output)."""


def _check_argv(*extra: str) -> tuple[str, ...]:
    return ("check", "{d}/page.txt", "--no-config", *extra)


def _rules(name: str, pack: str | bytes, *says: str, line: int | None = None, file: str = "rules/x.toml") -> Case:
    return Case(f"rules/{name}", {"page.txt": PAGE.read_bytes(), file: pack}, _check_argv("--rules", "{d}/rules"),
                says, file, line)  # fmt: skip


def _config(name: str, text: str | bytes, *says: str, line: int | None = None, fname: str = "guidecheck.toml") -> Case:
    return Case(f"config/{name}", {"page.txt": PAGE.read_bytes(), fname: text}, ("check", "{d}/page.txt"), says,
                fname, line)  # fmt: skip


_MANIFEST = {
    "format": "guidecheck-crawl", "format_version": 1, "guidecheck": "0.1.0", "portal": "https://p.example",
    "crawled": "2026-01-01T00:00:00Z",
    "guides": [{"file": "rsj/page.txt", "url": "https://p.example/1", "department": "人社局",
                "crawled": "2026-01-01T00:00:00Z", "links": {"/a.docx": "HTTP 404"}}],
    "failures": [],
}  # fmt: skip


def _manifest(name: str, doc: object, *says: str) -> Case:
    data = doc if isinstance(doc, bytes | str) else json.dumps(doc, ensure_ascii=False)
    files: Files = {"crawl/rsj/page.txt": PAGE.read_bytes(), "crawl/crawl.json": data}
    return Case(f"manifest/{name}", files, ("check", "{d}/crawl", "--no-config"), says, "crawl/crawl.json")


def _with(**changes: object) -> dict[str, object]:
    doc = json.loads(json.dumps(_MANIFEST))
    guide = doc["guides"][0]
    for key, value in changes.items():
        (guide if key in guide or key == "extra" else doc)[key] = value
    return doc


def _baseline(name: str, data: object, *says: str) -> Case:
    text = data if isinstance(data, bytes | str) else json.dumps(data, ensure_ascii=False)
    return Case(f"baseline/{name}", {"page.txt": PAGE.read_bytes(), "bl.json": text},
                _check_argv("--baseline", "{d}/bl.json"), says, "bl.json")  # fmt: skip


def _guide(name: str, text: str | bytes, *says: str, line: int | None = None) -> Case:
    # a guide file that cannot be read is reported in the results (the run goes on): exit 2, on stdout
    return Case(f"guidefile/{name}", {"g.guide.toml": text}, ("check", "{d}/g.guide.toml", "--no-config"), says,
                "g.guide.toml", line)  # fmt: skip


UNREACHABLE = "http://127.0.0.1:9/"
"""A portal that refuses at once: a profile good enough to crawl with gets as far as connecting."""
_PROFILE_ARGV = ("audit", "公安局", "--portal", "{d}/p.toml", "--no-cache", "--tries", "1", "--no-config")


def profile_text() -> str:
    """The sample portal's profile, renamed and pointed at `UNREACHABLE`."""
    from guidecheck.crawl.profile import PROFILES_DIR

    text = (PROFILES_DIR / "sample.toml").read_text(encoding="utf-8")
    return text.replace('name = "sample"', f'name = "my-city"\nbase_url = "{UNREACHABLE}"')


def _profile(name: str, text: str | bytes, *says: str, line: int | None = None) -> Case:
    return Case(f"profile/{name}", {"p.toml": text}, _PROFILE_ARGV, says, "p.toml", line)


def _history_bytes(setup: Callable[[sqlite3.Connection], None]) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "h.sqlite"
        conn = sqlite3.connect(path)
        setup(conn)
        conn.commit()
        conn.close()
        return path.read_bytes()


def _guidecheck_history() -> bytes:
    from guidecheck import history

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "h.sqlite"
        with history.opened(path):
            pass
        return path.read_bytes()


def _nameless_department() -> bytes:
    from guidecheck import history

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "h.sqlite"
        with history.opened(path) as h, h.conn:
            h.conn.execute("INSERT INTO runs (id, started_at, guides, findings) VALUES (1, '2026-01-01', 1, 0)")
            h.conn.execute(
                "INSERT INTO department_scores (run_id, department, guides, audited, failed, findings)"
                " VALUES (1, '', 1, 1, 0, 0)"
            )
        return path.read_bytes()


def _history(name: str, data: bytes, *says: str, command: tuple[str, ...] = ("history", "人社局")) -> Case:
    return Case(f"history/{name}", {"h.sqlite": data}, (*command, "--history", "{d}/h.sqlite"), says, "h.sqlite")


def cases() -> list[Case]:
    """The hand-made table (built on call: the history cases write SQLite files)."""
    rule = '[[rule]]\nid = "MAT01"\n'
    table = [
        # -- rule packs ----------------------------------------------------------------------------
        _rules("bad severity", rule + 'severity = "fatal"\n', "use error, warning or info", line=3),
        _rules("severity not text", rule + "severity = 3\n", "use error, warning or info", line=3),
        _rules("typo'd key", rule + 'severty = "warning"\n', "did you mean 'severity'?", line=3),
        _rules("typo'd table", rule + '[rule.mesage]\nzh = "x"\n', "did you mean 'message'?", line=3),
        _rules("typo'd check kind", rule + 'check = "patern"\n', "did you mean 'pattern'?", line=3),
        _rules("params not a table", rule + "params = [1]\n", "write [rule.params]", line=3),
        _rules("param of the wrong type", rule + "[rule.params]\nterms = 5\n", "params.terms", "strings", line=4),
        _rules("bad regex", '[[rule]]\nid = "CMP05"\n[rule.params]\nlandline = "([0-"\n', "params.landline", line=4),
        _rules("unknown condition", rule + "[rule.when]\nfoo = 1\n", "unknown condition", line=4),
        _rules("condition of the wrong type", rule + '[rule.when]\nvisits = "x"\n', "when.visits", line=4),
        _rules("rule not an array", 'rule = "x"\n', "write [[rule]]"),
        _rules("rule entry not a table", 'rule = ["x"]\n', "not a table", "write each rule as [[rule]]"),
        _rules("id not text", "[[rule]]\nid = 5\n", "has no 'id'", line=2),
        _rules("message field attribute", rule + '[rule.message]\nzh = "x {a.b}"\n', "bad format string", line=4),
        _rules("message positional field", rule + '[rule.message]\nzh = "x {0}"\n', "bad format string", line=4),
        _rules("weight nan", rule + "weight = nan\n", "finite number", line=3),
        _rules("weight inf", rule + "weight = inf\n", "finite number", line=3),
        _rules("weight negative", rule + "weight = -1\n", "finite number", line=3),
        _rules("facet a list", rule + 'facet = ["x"]\n', "unknown facet", line=3),
        _rules("aliases text", rule + 'aliases = "M1"\n', "must be a list of strings", line=3),
        _rules("term list text", '[terms]\nx = "a"\n', "must be a list of strings"),
        _rules("unknown term list", rule + '[rule.params]\nterms = "@nope"\n', "unknown term list", line=3),
        _rules("term list breaks a built-in rule", '[terms]\nwindow_filing = ["(?:到"]\n', "bad regular expression"),
        _rules("extend unknown list", '[terms_extend]\nnope = ["a"]\n', "known lists"),
        _rules("TOML syntax", '[[rule]\nid = "MAT01"\n', "TOML syntax error", line=1),
        _rules("truncated", rule[:14], "TOML syntax error"),
        _rules("nested too deeply", "x = " + "[" * 3000 + "]" * 3000 + "\n", "nested too deeply"),
        _rules("GBK", (rule + 'severity = "警告"\n').encode("gbk"), "not UTF-8"),
        _rules("UTF-16", (rule + 'severity = "warning"\n').encode("utf-16"), "not UTF-8"),
        _rules("binary", bytes(range(256)), "not UTF-8"),
        _rules("NUL", '[[rule]]\nid = "MAT01\x00"\n', "TOML syntax error", line=2),
        _rules("new rule lacks keys", '[[rule]]\nid = "MTA01"\nseverity = "warning"\n', "closest: MAT01", line=1),
        _rules("alias taken", rule + 'aliases = ["MAT02"]\n', "already used by rule MAT02", line=3),
        _rules("duplicate id", rule + rule, "duplicate id", line=4),
        _rules("second rule broken", rule + '\n[[rule]]\nid = "MAT02"\nseverity = "x"\n', "rule MAT02", line=6),
        Case(
            "rules/pack is a folder",
            {"page.txt": PAGE.read_bytes(), "rules/x.toml/a": ""},
            _check_argv("--rules", "{d}/rules"),
            ("is a folder, not a rule pack",),
            "rules/x.toml",
        ),
        Case(
            "rules/no such folder",
            {"page.txt": PAGE.read_bytes()},
            _check_argv("--rules", "{d}/nope"),
            ("rules folder not found",),
            "nope",
        ),
        Case(
            "rules/a page given as the rules folder",
            {"page.txt": PAGE.read_bytes()},
            _check_argv("--rules", "{d}/page.txt"),
            ("not a rules folder or a .toml file",),
            "page.txt",
        ),
        # a UTF-8 BOM (Windows Notepad) is read, not a syntax error at line 1: exit 1 for the page's findings
        Case(
            "rules/UTF-8 BOM",
            {"page.txt": PAGE.read_bytes(), "rules/x.toml": b"\xef\xbb\xbf" + rule.encode()},
            _check_argv("--rules", "{d}/rules"),
            code=1,
        ),
        Case(
            "guidefile/UTF-8 BOM",
            {"g.guide.toml": b"\xef\xbb\xbf" + GUIDE_FILE.read_bytes()},
            ("check", "{d}/g.guide.toml", "--no-config"),
            code=1,
        ),
        Case(
            "baseline/UTF-8 BOM",
            {
                "page.txt": PAGE.read_bytes(),
                "bl.json": b'\xef\xbb\xbf{"format": "guidecheck-baseline/1", "findings": {}}',
            },
            _check_argv("--baseline", "{d}/bl.json"),
            code=1,
        ),
        # -- config --------------------------------------------------------------------------------
        _config("typo'd key", 'selct = ["MAT"]\n', "did you mean 'select'?", line=1),
        _config("bad severity", '[severity]\nMAT07 = "warn"\n', "use one of", line=2),
        _config("unknown rule", '[severity]\nMAT99 = "warning"\n', "unknown rule", line=2),
        _config("select a number", "select = 5\n", "wrong type", line=1),
        _config("unknown group", 'select = ["MTA"]\n', "MAT01", line=1),
        _config("fail-on", 'fail-on = "fatal"\n', "use one of", line=1),
        _config("lang a list", 'lang = ["zh"]\n', "wrong type", line=1),
        _config("rules folder missing", 'rules = ["nope"]\n', "no such folder", line=1),
        _config("terms is a folder", 'terms = ["."]\n', "no such file", line=1),
        _config("area code", 'area-code = "20"\n', "leading 0", line=1),
        _config("TOML syntax", "select = [MAT]\n", "TOML syntax error", line=1),
        _config("nested too deeply", "x = " + "[" * 3000 + "]" * 3000 + "\n", "nested too deeply"),
        _config("GBK", 'portal = "临江"\n'.encode("gbk"), "not UTF-8", "save the config file as UTF-8"),
        _config(
            "pyproject typo",
            '[tool.guidecheck]\nignroe = ["MAT07"]\n',
            "did you mean 'ignore'?",
            line=2,
            fname="pyproject.toml",
        ),
        _config(
            "pyproject tool not a table", "[tool]\nguidecheck = 1\n", "must be a table", line=2, fname="pyproject.toml"
        ),
        Case(
            "config/--config is a folder",
            {"page.txt": PAGE.read_bytes(), "conf/a": ""},
            ("check", "{d}/page.txt", "--config", "{d}/conf"),
            ("folder",),
            "conf",
        ),
        # -- crawl manifests -----------------------------------------------------------------------
        _manifest("newer format", _with(format_version=2), "format_version 2"),
        _manifest("format_version true", _with(format_version=True), "format_version true"),
        _manifest("guides an object", _with(guides={}), "guides: expected a list"),
        _manifest("links a list", _with(links=["a"]), "guides[0].links"),
        _manifest("url a number", _with(url=1), "guides[0].url"),
        _manifest("truncated", json.dumps(_MANIFEST)[:60], "not JSON"),
        _manifest("empty", "", "not JSON"),
        _manifest("null", "null", "not a guidecheck crawl manifest"),
        _manifest("GBK", json.dumps(_MANIFEST, ensure_ascii=False).encode("gbk"), "not UTF-8"),
        _manifest("nested too deeply", "[" * 100000 + "]" * 100000, "nested too deeply"),
        # -- baselines -----------------------------------------------------------------------------
        _baseline("nested too deeply", "[" * 100000 + "]" * 100000, "nested too deeply"),
        _baseline("findings a list", {"format": "guidecheck-baseline/1", "findings": []}, "rewrite it"),
        _baseline(
            "GBK",
            '{"format": "guidecheck-baseline/1", "findings": {"k": {"guide": "人"}}}'.encode("gbk"),
            "not UTF-8",
            "--write-baseline",
        ),
        _baseline("empty", "", "invalid JSON"),
        _baseline(
            "count not a whole number",
            {"format": "guidecheck-baseline/1", "findings": {"k": {"guide": "g", "count": "2"}}},
            "count '2'",
            "--write-baseline",
        ),
        _baseline("newer format", {"format": "guidecheck-baseline/2", "findings": {}}, "guidecheck-baseline/1"),
        Case(
            "baseline/is a folder",
            {"page.txt": PAGE.read_bytes(), "bl/a": ""},
            _check_argv("--baseline", "{d}/bl"),
            ("is a folder",),
            "bl",
        ),
        Case(
            "baseline/write over a guide page",
            {"page.txt": PAGE.read_bytes()},
            _check_argv("--write-baseline", "{d}/page.txt"),
            ("not a guidecheck baseline",),
            "page.txt",
        ),
        Case(
            "baseline/write into a file",
            {"page.txt": PAGE.read_bytes(), "f": "x"},
            _check_argv("--write-baseline", "{d}/f/bl.json"),
            ("not a folder",),
            "f/bl.json",
        ),
        # -- guide files ---------------------------------------------------------------------------
        _guide("nested too deeply", 'item_name = "x"\nextra = ' + "[" * 3000 + "]" * 3000, "nested too deeply"),
        _guide("typo'd key", 'item_nmae = "x"\n', "did you mean 'item_name'?", line=1),
        _guide("GBK", 'item_name = "临江"\n'.encode("gbk"), "not UTF-8"),
        _guide("copies negative", 'item_name = "x"\n[[materials]]\nname = "x"\ncopies = -1\n', "whole number", line=4),
        _guide("empty", "", "no guide elements"),
    ]
    good = _guidecheck_history()
    newer = _history_bytes(lambda c: (c.execute("PRAGMA user_version = 99"), c.execute("CREATE TABLE runs (x)")))
    foreign = _history_bytes(lambda c: c.execute("CREATE TABLE runs (x)"))
    for command in (("history", "人社局"), ("rank", "--from-history")):
        word = command[0]
        table += [
            _history(f"{word}: garbage", b"hello world" * 100, "not a guidecheck history", command=command),
            _history(f"{word}: truncated", good[:100], "not a guidecheck history", command=command),
            _history(f"{word}: half", good[: len(good) // 2], "not a guidecheck history", command=command),
            _history(f"{word}: newer schema", newer, "newer guidecheck", command=command),
            _history(f"{word}: another program's database", foreign, "not a guidecheck history", command=command),
            _history(f"{word}: empty", b"", "no audit", command=command),
        ]
    at = good.index(b"department_scores")  # in the schema: preparing any statement meets the byte
    damaged = good[:at] + b"\xa8" + good[at + 1 :]
    table += [
        _history("rank: a non-UTF-8 byte in the schema", damaged, "a damaged one", command=("rank", "--from-history")),
        _history("history: a department without a name", _nameless_department(), "no audit of a department"),
    ]
    profile = profile_text()
    table += [
        _profile("GBK", profile.encode("gbk"), "not UTF-8 text", "save the portal profile as UTF-8"),
        _profile("syntax error", profile.replace("[departments]", "[departments"), "TOML syntax error", line=11),
        _profile("nested too deeply", profile + "x = " + "[" * 5000 + "]" * 5000 + "\n", "nested too deeply"),
        _profile("unknown table", profile.replace("[html_list]", "[html_lists]"), "unknown table [html_lists]"),
        _profile("bad XPath", profile.replace("//ul[@id='item-list']", "//ul[@id="), "not a valid XPath"),
        Case("profile/a folder", {"p.toml/a": ""}, _PROFILE_ARGV, ("is a folder",), "p.toml"),
        # a BOM is fine: the run gets as far as the (unreachable) portal
        Case("profile/BOM", {"p.toml": b"\xef\xbb\xbf" + profile.encode()}, _PROFILE_ARGV, ("cannot connect",)),
    ]
    table.append(
        Case(
            "history/is a folder",
            {"h.sqlite/a": ""},
            ("history", "人社局", "--history", "{d}/h.sqlite"),
            ("is a folder",),
            "h.sqlite",
        )
    )
    return table


# --- running a case --------------------------------------------------------------------------------

_TRACEBACK = re.compile(r"Traceback \(most recent call last\)|^\s*File \".*\", line \d+", re.MULTILINE)


@dataclass
class Outcome:
    code: int | str
    out: str
    err: str
    changed: list[str] = field(default_factory=list)


def write_files(folder: Path, files: Files) -> None:
    for name, data in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data)


def run(argv: list[str], folder: Path, files: Files, keep: tuple[str, ...] = ()) -> Outcome:
    """Run the CLI in-process as `guidecheck` would; an exception escaping `run_app` is a traceback."""
    watched = keep or tuple(files)
    before = {n: (folder / n).read_bytes() for n in watched if (folder / n).is_file()}
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code: int | str = run_app(argv)
        except BaseException:
            code = "traceback"
            err.write(traceback.format_exc())
    changed = [n for n, data in before.items() if not (folder / n).is_file() or (folder / n).read_bytes() != data]
    return Outcome(code, out.getvalue(), err.getvalue(), changed)


def judge(case: Case, folder: Path) -> list[str]:
    """What is wrong with how the CLI treated `case` ([] when nothing)."""
    argv = [a.replace("{d}", str(folder)) for a in case.argv]
    result = run(argv, folder, case.files, case.keep)
    message = result.err + (result.out if case.name.startswith("guidefile/") else "")
    problems = []
    if result.code == "traceback" or _TRACEBACK.search(result.err + result.out):
        problems.append("traceback: " + result.err.strip().splitlines()[-1] if result.err.strip() else "traceback")
    elif result.code != case.code:
        problems.append(f"exit {result.code}, expected {case.code}: {message.strip()[:300]}")
    if case.file:
        where = str(folder / case.file) + (f":{case.line}" if case.line else "")
        if where not in message:
            problems.append(f"message does not name {where}: {message.strip()[:300]}")
    problems += [f"message lacks {s!r}: {message.strip()[:300]}" for s in case.says if s not in message]
    problems += [f"{name} was changed" for name in result.changed]
    return problems


# --- mutants ---------------------------------------------------------------------------------------

TOML_VALUES = ('"x"', "1", "-1", "1.5", "nan", "inf", "true", "[]", '["a", 1]', "[[1]]", "{}", "{ a = 1 }",
               "1979-05-27", '"{a.b}"', '"{0}"', '"([a-"', '"@nope"', '"' + "长" * 3000 + '"')  # fmt: skip
ODD_BYTES = (b"\x00", b"\xef\xbb\xbf", b"\xff\xfe", b"\xc3", b"\xe4\xb8", "申请".encode("gbk"), b"[", b"]", b'"',
             b"\n[[rule]]\n", b"=", b"\\u", b"'''", b"\r")  # fmt: skip


def seeds() -> list[tuple[str, str, bytes]]:
    """(kind, file name, bytes): the real files of each kind."""
    rules = ROOT / "rules"
    pack = (rules / "materials.toml").read_text(encoding="utf-8")
    first = pack.index("[[rule]]")
    second = pack.index("[[rule]]", first + 1)
    return [
        ("rules", "rules/x.toml", pack[first:second].encode()),
        ("rules", "rules/terms.toml", (rules / "terms.toml").read_bytes()),
        ("rules", "rules/labels.toml", (rules / "labels.toml").read_bytes()),  # label synonyms of a rules folder
        ("config", "guidecheck.toml", (ROOT / "fixtures" / "guide_repo" / "guidecheck.toml").read_bytes()),
        (
            "config",
            "guidecheck.toml",
            b'select = ["CMP", "MAT"]\nignore = ["FLW05"]\nfail-on = "warning"\n'
            b'lang = "en"\narea-code = "020"\n[severity]\nMAT07 = "warning"\n',
        ),
        ("manifest", "crawl/crawl.json", json.dumps(_MANIFEST, ensure_ascii=False, indent=1).encode()),
        ("baseline", "bl.json", (ROOT / "fixtures" / "guide_repo" / "guidecheck-baseline.json").read_bytes()),
        ("guidefile", "g.guide.toml", GUIDE_FILE.read_bytes()),
        ("history", "h.sqlite", audited_history()),
        ("history-rank", "h.sqlite", audited_history()),
        ("profile", "p.toml", profile_text().encode()),
    ]


@functools.cache
def audited_history() -> bytes:
    """A history holding one audit of a department of the sample portal (about a second to make)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "h.sqlite"
        argv = ["audit", HISTORY_DEPARTMENT, "--history", str(path), "--no-links", "--no-cache", "-q", "--no-config"]
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            run_app(argv)
        return path.read_bytes()


def _mutate_bytes(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    op = rng.choice(("truncate", "delete", "insert", "flip", "duplicate"))
    at = rng.randrange(len(data) + 1)
    if op == "truncate":
        return data[:at], f"truncate@{at}"
    if op == "delete":
        return data[:at] + data[at + rng.randint(1, 40) :], f"delete@{at}"
    if op == "insert":
        odd = rng.choice(ODD_BYTES)
        return data[:at] + odd + data[at:], f"insert {odd!r}@{at}"
    if op == "flip":
        if not data:
            return data, "flip(empty)"
        at = min(at, len(data) - 1)
        return data[:at] + bytes([data[at] ^ (1 << rng.randrange(8))]) + data[at + 1 :], f"flip@{at}"
    span = data[at : at + rng.randint(1, 200)]
    return data[:at] + span + data[at:], f"duplicate@{at}"


def _mutate_value(rng: random.Random, data: bytes, kind: str) -> tuple[bytes, str]:
    """Replace one value (after `=` in TOML, after `:` in JSON) with a value of another type."""
    try:
        text = data.decode("utf-8", "surrogatepass")
    except UnicodeDecodeError:  # an earlier byte mutation broke the UTF-8: mutate bytes instead
        return _mutate_bytes(rng, data)
    sep = ":" if kind in ("manifest", "baseline") else "="
    spots = [m.end() for m in re.finditer(rf"{sep}\s*", text)]
    if not spots:
        return data, "no value"
    at = rng.choice(spots)
    end = re.compile(r"[,}\n]" if sep == ":" else r"\n").search(text, at)
    stop = end.start() if end else len(text)
    value = rng.choice(
        TOML_VALUES if sep == "=" else ('"x"', "1", "-1", "null", "true", "[]", "{}", '"\\ud800"', "1e999")
    )
    return (text[:at] + value + text[stop:]).encode("utf-8", "surrogatepass"), f"value {value[:20]!r}@{at}"


def mutant(seed: int, index: int) -> tuple[str, Files, str, list[str]]:
    """(kind, files, target file, ops) of mutant `index` of `seed`."""
    rng = random.Random(f"{seed}:{index}")
    kind, name, data = rng.choice(seeds())
    ops = []
    for _ in range(rng.choice((1, 1, 2, 3))):
        binary = kind.startswith("history")
        data, op = _mutate_value(rng, data, kind) if rng.random() < 0.5 and not binary else _mutate_bytes(rng, data)
        ops.append(op)
    files: Files = {name: data}
    if kind == "manifest":
        files["crawl/rsj/page.txt"] = PAGE.read_bytes()
    elif kind not in ("guidefile", "history", "history-rank"):
        files["page.txt"] = PAGE.read_bytes()
    return kind, files, name, ops


_ARGV = {
    "rules": _check_argv("--rules", "{d}/rules"),
    "config": ("check", "{d}/page.txt"),
    "manifest": ("check", "{d}/crawl", "--no-config"),
    "baseline": _check_argv("--baseline", "{d}/bl.json"),
    "guidefile": ("check", "{d}/g.guide.toml", "--no-config"),
    "history": ("history", HISTORY_DEPARTMENT, "--history", "{d}/h.sqlite"),
    "history-rank": ("rank", "--from-history", "--history", "{d}/h.sqlite", "--no-config"),
    "profile": _PROFILE_ARGV,
}


def check_mutant(seed: int, index: int, folder: Path) -> list[str]:
    """A mutant may be fine (exit 0/1) or refused (exit 2 naming the file); never a traceback or a lost file."""
    kind, files, name, _ops = mutant(seed, index)
    write_files(folder, files)
    argv = [a.replace("{d}", str(folder)) for a in _ARGV[kind]]
    result = run(argv, folder, files)
    problems = []
    if result.code == "traceback" or _TRACEBACK.search(result.err + result.out):
        last = result.err.strip().splitlines()[-1] if result.err.strip() else ""
        problems.append(f"traceback: {last}")
    elif result.code not in (0, 1, 2):
        problems.append(f"exit {result.code}")
    elif result.code == 2 and kind == "profile" and "cannot connect" in result.err:
        pass  # a profile good enough to crawl with: the portal it names is unreachable, as planted
    elif result.code == 2 and kind != "guidefile" and str(folder / name) not in result.err:
        problems.append(f"exit 2 without naming {name}: {result.err.strip()[:200]}")
    elif "internal error" in result.err + result.out:
        problems.append("internal error: " + (result.err + result.out).strip()[:200])
    problems += [f"{n} was changed" for n in result.changed]
    return problems


def fuzz(count: int, seed: int = 1) -> list[tuple[str, str]]:
    """(mutant id, problem) for each problem among `count` mutants."""
    found = []
    for index in range(count):
        with tempfile.TemporaryDirectory() as tmp:
            for problem in check_mutant(seed, index, Path(tmp)):
                found.append((f"{seed}:{index}", problem))
    return found


def run_cases() -> list[tuple[str, str]]:
    found = []
    for case in cases():
        with tempfile.TemporaryDirectory() as tmp:
            write_files(Path(tmp), case.files)
            found += [(case.name, p) for p in judge(case, Path(tmp))]
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--replay", help="SEED:INDEX: run one mutant and show its ops and output")
    args = parser.parse_args(argv)
    if args.replay:
        seed, index = (int(x) for x in args.replay.split(":"))
        kind, files, name, ops = mutant(seed, index)
        print(f"{kind} {name}: {'; '.join(ops)}")
        with tempfile.TemporaryDirectory() as tmp:
            write_files(Path(tmp), files)
            result = run([a.replace("{d}", tmp) for a in _ARGV[kind]], Path(tmp), files)
        print(f"exit {result.code}\n{result.err}{result.out[-2000:]}")
        return 0
    problems = run_cases()
    print(f"{len(cases())} cases, {len(problems)} problems")
    problems += fuzz(args.count, args.seed)
    for where, problem in problems:
        print(f"{where}: {problem}")
    print(f"{args.count} mutants (seed {args.seed}) and the cases: {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
