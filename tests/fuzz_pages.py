"""A deterministic fuzzer for `guidecheck check`: mutate real pages and guide files, check each mutant.

    python tests/fuzz_pages.py --count 20000 --seed 1 --workers 2     # a campaign
    python tests/fuzz_pages.py --replay 1:4711                        # one mutant again, with its traceback

The standard it enforces: `check_file` on any mutant returns a GuideResult (audited, or an `error` that is
a clear one-line message), never raises, never hangs, never reports a raw Python repr or an internal error.
Mutant `i` of seed `s` is built from `random.Random(f"{s}:{i}")` alone, so a problem found in a parallel run
is replayed on its own. Stdlib only; tests/test_bad_input.py runs a few hundred mutants.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import re
import signal
import sys
import tempfile
import time
import tomllib
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from guidecheck.api import check_file  # noqa: E402
from guidecheck.engine import RuleSet, load_ruleset  # noqa: E402

FIXTURES = ROOT / "fixtures"
HANG_SECONDS = 4.0
"""A mutant taking longer than this is a finding (a normal page takes a few milliseconds)."""

LABELS = (
    "事项名称", "实施编码", "事项类型", "实施主体", "服务对象", "设定依据", "受理条件", "办理形式", "是否网办",
    "法定办结时限", "承诺办结时限", "办件类型", "到办事现场次数", "是否收费", "收费标准", "办理地点", "办理时间",
    "咨询方式", "监督投诉", "审批结果", "送达方式", "申请材料", "办理流程", "材料名称", "份数", "材料形式",
    "环节名称", "办理时限", "办理人员", "流程图", "常见问题", "基本信息",
)  # fmt: skip
HUGE = (
    "9999999999999个工作日", "一万亿个工作日", "1e309日", "99999999999999999999999次", "零点零零一个工作日",
    "-5个工作日", "１２３４５６７８９０１２３４５６７８９０天", "nan日", "inf个工作日", "〇〇〇〇〇〇〇〇〇〇〇日",
    "十万万万万万万万万万个工作日", "9" * 400 + "份", "第99999999999999999条",
)  # fmt: skip
ODD_BYTES = (
    b"\x00", b"\r", b"\r\r\n", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xed\xa0\x80", b"\xed\xbf\xbf",
    "申请材料：".encode("gbk"), "办理时限".encode("gb18030"), b"\x80\x81\xfe\xff", b"\xc3", b"\xe4\xb8",
    b"\x1b[31m", b"\x0b\x0c", "\u2028\u2029".encode(), "\ufffd".encode(), b"&#0;", b"&#xD800;", b"&#99999999;",
    b"<![CDATA[", b"<!--", b"]]>", b"<?xml version='1.0' encoding='bogus-enc'?>",
    b'<meta charset="utf-16">', b'<meta charset="gbk">', b'<meta charset="x-nonsense">',
)  # fmt: skip
TOML_VALUES = (
    "123", "-1", "1.5", "inf", "nan", "true", "1979-05-27T07:32:00Z", "1979-05-27", "07:32:00", "[]", "[1, 2]",
    '["a", 1]', "[[1], [2]]", "{}", '{ a = 1 }', '[{ name = 1 }]', '""', '"' + "长" * 5000 + '"',
    '"9999999999999个工作日"', '"1e309日"', '"一万亿个工作日"', '[{ }]', '[[], {}]',
    "99999999999999999", '"\\u0000"', '"\\r"',
)  # fmt: skip


@dataclass(frozen=True)
class Seed:
    name: str
    data: bytes
    suffix: str  # .html .htm .txt .md .json .guide.toml


@dataclass
class Mutant:
    seed: Seed
    data: bytes
    ops: list[str] = field(default_factory=list)


@dataclass
class Problem:
    """A finding of the fuzzer: what went wrong, where in guidecheck, and the mutant that shows it."""

    kind: str  # crash, hang, bad-message, internal-error
    site: str  # exception type + innermost guidecheck frame, or the message's shape
    mutant_id: str  # "seed:index", for --replay
    seed: str
    ops: list[str]
    detail: str

    def key(self) -> tuple[str, str]:
        return (self.kind, self.site)


def corpus(portal_sample: int = 40) -> list[Seed]:
    """The pages mutants start from: fixture and portal-family pages, a sample of the sample portal, the guide
    repository."""
    paths = sorted((FIXTURES / "pages").iterdir()) + sorted((FIXTURES / "real_defects").iterdir())
    paths += sorted((FIXTURES / "portals").iterdir())  # one page per portal family of portals.md
    portal_html = sorted((FIXTURES / "sample_portal" / "guide").rglob("*.html"))
    portal_json = sorted((FIXTURES / "sample_portal" / "api" / "guide").glob("*.json"))
    step = max(1, len(portal_html) // portal_sample)
    paths += portal_html[::step] + portal_json[:: max(1, step // 2)]
    paths += sorted((FIXTURES / "guide_repo").rglob("*.guide.toml"))
    seeds = []
    for path in paths:
        name = path.name.lower()
        suffix = ".guide.toml" if name.endswith(".guide.toml") else path.suffix.lower()
        if suffix in (".html", ".htm", ".txt", ".md", ".json", ".guide.toml"):
            seeds.append(Seed(str(path.relative_to(ROOT)), path.read_bytes(), suffix))
    return seeds


# --- byte-level mutations (every kind of input) ------------------------------------------------------


def _span(rng: random.Random, data: bytes) -> tuple[int, int]:
    start = rng.randrange(len(data) + 1)
    return start, min(len(data), start + rng.choice((1, 2, 3, 8, 64, 512, 4096)))


def truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(len(data) + 1)]


def delete_range(rng: random.Random, data: bytes) -> bytes:
    a, b = _span(rng, data)
    return data[:a] + data[b:]


def duplicate_range(rng: random.Random, data: bytes) -> bytes:
    a, b = _span(rng, data)
    return data[:b] + data[a:b] * rng.choice((1, 2, 50)) + data[b:]


def swap_ranges(rng: random.Random, data: bytes) -> bytes:
    a, b = sorted(_span(rng, data))
    c, d = sorted(_span(rng, data))
    if b > c:
        return data
    return data[:a] + data[c:d] + data[b:c] + data[a:b] + data[d:]


def insert_odd_bytes(rng: random.Random, data: bytes) -> bytes:
    out = data
    for _ in range(rng.choice((1, 3, 20))):
        at = rng.randrange(len(out) + 1)
        out = out[:at] + rng.choice(ODD_BYTES) + out[at:]
    return out


def prefix_odd_bytes(rng: random.Random, data: bytes) -> bytes:
    return rng.choice(ODD_BYTES) + data


def transcode(rng: random.Random, data: bytes) -> bytes:
    """A UTF-8 page saved as GBK (or the other way), keeping whatever charset it declares."""
    for source, target in (("utf-8", "gb18030"), ("gb18030", "utf-8")):
        try:
            text = data.decode(source)
        except UnicodeDecodeError:
            continue
        if rng.random() < 0.5:
            return text.encode(target, "replace")
        a, b = _span(rng, data)  # only part of it: a mixed page
        return data[:a] + data[a:b].decode(source, "replace").encode(target, "replace") + data[b:]
    return data


def flip_bits(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.choice((1, 5, 50))):
        if out:
            out[rng.randrange(len(out))] ^= 1 << rng.randrange(8)
    return bytes(out)


def _text_op(func: Callable[[random.Random, str], str]) -> Callable[[random.Random, bytes], bytes]:
    """Run a text mutation in the page's own encoding (UTF-8 or GB18030)."""

    def op(rng: random.Random, data: bytes) -> bytes:
        for encoding in ("utf-8", "gb18030"):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            out = func(rng, text)
            try:
                return out.encode(encoding, "surrogatepass")
            except UnicodeEncodeError:  # GB18030 has no surrogate escape: such a page carries a "?"
                return out.encode(encoding, "replace")
        return data

    op.__name__ = func.__name__
    return op


@_text_op
def replace_label(rng: random.Random, text: str) -> str:
    present = [label for label in LABELS if label in text]
    if not present:
        return text
    old = rng.choice(present)
    return text.replace(old, rng.choice(LABELS), rng.choice((1, -1)))


@_text_op
def huge_numbers(rng: random.Random, text: str) -> str:
    matches = list(re.finditer(r"\d+\s*(?:个)?(?:工作日|自然日|日|天|次|份|小时|月|年)|\d+", text))
    if not matches:
        return text
    for m in rng.sample(matches, min(len(matches), rng.choice((1, 5, 1000)))):
        text = text.replace(m.group(0), rng.choice(HUGE), 1)
    return text


@_text_op
def insert_huge(rng: random.Random, text: str) -> str:
    at = rng.randrange(len(text) + 1)
    return text[:at] + rng.choice(LABELS) + "：" + rng.choice(HUGE) + text[at:]


@_text_op
def insert_surrogate(rng: random.Random, text: str) -> str:
    at = rng.randrange(len(text) + 1)
    return text[:at] + rng.choice(("\ud800", "\udfff", "\ud83d")) + text[at:]


@_text_op
def drop_closing_tags(rng: random.Random, text: str) -> str:
    tag = rng.choice(("td", "tr", "table", "th", "div", "dd", "dl", "li", "ul", "p", "body", "html", "span", "a"))
    keep = rng.random()
    return re.sub(rf"</{tag}\s*>", lambda m: m.group(0) if rng.random() < keep else "", text)


@_text_op
def duplicate_closing_tags(rng: random.Random, text: str) -> str:
    tag = rng.choice(("td", "tr", "table", "th", "div", "dd", "dl", "li", "tbody", "body"))
    return re.sub(rf"</{tag}\s*>", lambda m: m.group(0) * rng.choice((1, 2, 5)), text)


@_text_op
def deep_nesting(rng: random.Random, text: str) -> str:
    tag = rng.choice(("<div>", "<table><tr><td>", "<span>", "<b>", "<ul><li>", "<dl><dd>", "<p>", "<font>"))
    depth = rng.choice((500, 3000, 10000, 50000))
    at = rng.randrange(len(text) + 1)
    closing = "".join(f"</{t}" for t in reversed(tag.split("<")[1:])) * depth if rng.random() < 0.5 else ""
    return text[:at] + tag * depth + "申请材料：身份证" + closing + text[at:]


@_text_op
def empty_cells(rng: random.Random, text: str) -> str:
    tag = rng.choice(("td", "th", "dd", "li"))
    return re.sub(rf"(<{tag}\b[^>]*>).*?(</{tag}\s*>)", r"\1\2", text, flags=re.S)


@_text_op
def strip_tags(rng: random.Random, text: str) -> str:
    return re.sub(r"<[^>]*>", rng.choice(("", " ", "\n")), text)


@_text_op
def broken_attributes(rng: random.Random, text: str) -> str:
    junk = rng.choice(('href="', "href=javascript:void(0)", 'src="\x00"', "colspan=999999", "rowspan=-1", "colspan=x"))
    return re.sub(r"<(td|a|img|th)\b", lambda m: m.group(0) + " " + junk, text, count=rng.choice((1, 10, 1000)))


@_text_op
def huge_spans(rng: random.Random, text: str) -> str:
    value = rng.choice(("999999999", "0", "-1", "1e9", "2147483648", "65535"))
    return re.sub(r"<(td|th)\b", lambda m: f'{m.group(0)} colspan="{value}" rowspan="{value}"', text, count=5)


@_text_op
def comment_suppression(rng: random.Random, text: str) -> str:
    """A `<!-- guidecheck-disable … -->` comment, well-formed or not, somewhere in the page."""
    comment = rng.choice(
        ("<!-- guidecheck-disable -->", "<!-- guidecheck-disable MAT04 -->", "<!-- guidecheck-disable MAT04 -- -->",
         "<!-- guidecheck-disable \ud800 -- 原因 -->", "<!-- guidecheck-disable ALL -- " + "长" * 5000 + " -->",
         "<!-- guidecheck-disable MAT04,,CON01 -- x", "guidecheck-disable", "<!-- guidecheck-disable -- -- -- -->")
    )  # fmt: skip
    at = rng.randrange(len(text) + 1)
    return text[:at] + comment + text[at:]


BYTE_OPS = (truncate, delete_range, duplicate_range, swap_ranges, insert_odd_bytes, prefix_odd_bytes, transcode)
TEXT_OPS = (replace_label, huge_numbers, insert_huge, insert_surrogate, flip_bits, comment_suppression)
HTML_OPS = (drop_closing_tags, duplicate_closing_tags, deep_nesting, empty_cells, strip_tags, broken_attributes,
            huge_spans)  # fmt: skip


# --- JSON --------------------------------------------------------------------------------------------


def _paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, (*path, i))


def _set(root: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    parent = root
    for part in path[:-1]:
        parent = parent[part]
    parent[path[-1]] = value
    return root


def _odd_json_value(rng: random.Random, old: Any) -> Any:
    return rng.choice(
        (
            None, 0, -1, 10**30, 1.5, 1e308, True, False, "", [], {}, [None], [[[]]], {"": {}},
            [old, old], {"x": old}, "长" * rng.choice((1000, 100_000)), rng.choice(HUGE), rng.choice(LABELS),
            [1, "a", None, {}], "null", "<table><tr><td>申请材料</td></tr></table>", "\u0000\r\ud800",
        )
    )  # fmt: skip


def json_value(rng: random.Random, data: bytes) -> bytes:
    try:
        doc = json.loads(data)
    except (ValueError, RecursionError):
        return data
    paths = list(_paths(doc))
    for _ in range(rng.choice((1, 3, 30))):
        path = rng.choice(paths)
        try:
            old = _get(doc, path)
        except (KeyError, IndexError, TypeError):
            continue
        doc = _set(doc, path, _odd_json_value(rng, old))
        paths = list(_paths(doc))
    return json.dumps(doc, ensure_ascii=rng.random() < 0.3).encode("utf-8", "surrogatepass")


def _get(root: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        root = root[part]
    return root


def json_top_level(rng: random.Random, data: bytes) -> bytes:
    try:
        doc = json.loads(data)
    except (ValueError, RecursionError):
        doc = {}
    top = rng.choice(
        ([[doc]], [[1, 2], [3]], "办事指南", 42, None, True, [doc, doc], [], {}, {"data": doc}, {"data": [doc]},
         {"data": None}, {"AUDIT_ITEM": [doc]}, {"AUDIT_ITEM": "x", "AUDIT_MATERIAL": {"a": 1}}, [None, doc])
    )  # fmt: skip
    return json.dumps(top, ensure_ascii=False).encode("utf-8", "surrogatepass")


def json_duplicate_keys(rng: random.Random, data: bytes) -> bytes:
    text = data.decode("utf-8", "replace")
    lines = [m for m in re.finditer(r'^\s*"[^"\n]+"\s*:\s*[^\n]*?,?\s*$', text, re.M)]
    if not lines:
        return data
    m = rng.choice(lines)
    line = m.group(0).rstrip()
    dup = line if line.endswith(",") else line + ","
    return (text[: m.start()] + dup + "\n" + text[m.start() :]).encode("utf-8", "surrogatepass")


def json_deep(rng: random.Random, data: bytes) -> bytes:
    depth = rng.choice((1000, 100_000))
    opener = rng.choice(("[", '{"a":', '{"AUDIT_ITEM":'))
    return (opener * depth).encode() + data


def json_suppression(rng: random.Random, data: bytes) -> bytes:
    """A `guidecheck-disable` key of any shape, in front of the record."""
    value = rng.choice(
        (1, None, "MAT04", "", {}, [1, None], [{"rule": 1, "reason": []}],
         [{"rule": "MAT04\ud800", "reason": "x\udc00"}],
         {"rule": "CON01", "reason": ""}, [{"rule": "全部", "reason": "长" * 10_000}], [["MAT04"]])
    )  # fmt: skip
    key = json.dumps("guidecheck-disable") + ": " + json.dumps(value, ensure_ascii=rng.random() < 0.5) + ", "
    text = data.decode("utf-8", "surrogatepass")
    at = text.find("{")
    return (text[: at + 1] + key + text[at + 1 :] if at >= 0 else text).encode("utf-8", "surrogatepass")


JSON_OPS = (json_value, json_value, json_top_level, json_duplicate_keys, json_deep, json_suppression)


# --- TOML guide files ------------------------------------------------------------------------------


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_\-]+", key) else json.dumps(key, ensure_ascii=False)


def dump_toml(doc: dict[str, Any]) -> str:
    """Enough TOML for guide files: scalars, tables and arrays of tables; anything else inline."""

    def inline(value: Any) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (int, float)):
            return repr(value).replace("inf", "inf").replace("nan", "nan")
        if isinstance(value, str):
            return json.dumps(value, ensure_ascii=False)
        if isinstance(value, list):
            return "[" + ", ".join(inline(v) for v in value) + "]"
        if isinstance(value, dict):
            return "{ " + ", ".join(f"{_toml_key(k)} = {inline(v)}" for k, v in value.items()) + " }"
        return json.dumps(str(value))  # dates, times

    out: list[str] = []
    tail: list[str] = []
    for key, value in doc.items():
        if isinstance(value, dict) and value and all(not isinstance(v, dict) for v in value.values()):
            tail += [f"\n[{_toml_key(key)}]", *(f"{_toml_key(k)} = {inline(v)}" for k, v in value.items())]
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            for entry in value:
                tail += [f"\n[[{_toml_key(key)}]]", *(f"{_toml_key(k)} = {inline(v)}" for k, v in entry.items())]
        else:
            out.append(f"{_toml_key(key)} = {inline(value)}")
    return "\n".join(out + tail) + "\n"


def toml_wrong_type(rng: random.Random, data: bytes) -> bytes:
    try:
        doc = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return data
    for _ in range(rng.choice((1, 2, 6))):
        paths = [p for p in _paths(doc) if p]
        if not paths:
            break
        path = rng.choice(paths)
        doc = _set(doc, path, tomllib.loads("v = " + rng.choice(TOML_VALUES))["v"])
    if rng.random() < 0.2:  # a key no guide file has, or an element's key in another case
        key = rng.choice(("ITEM_NAME", "materials ", "事项名称", "extra", "guidecheck-disable"))
        doc[key] = rng.choice((1, [], {}))
    return dump_toml(doc).encode("utf-8", "surrogatepass")


def toml_text_value(rng: random.Random, data: bytes) -> bytes:
    """Replace one `key = value` line's value in the text (keeps comments and multi-line strings around)."""
    text = data.decode("utf-8", "replace")
    lines = text.split("\n")
    keyed = [i for i, line in enumerate(lines) if re.match(r"^\s*[A-Za-z_\-\"]+\s*=", line)]
    if not keyed:
        return data
    i = rng.choice(keyed)
    lines[i] = lines[i].split("=", 1)[0] + "= " + rng.choice(TOML_VALUES)
    return "\n".join(lines).encode("utf-8", "surrogatepass")


TOML_OPS = (toml_wrong_type, toml_wrong_type, toml_text_value)


# --- mutants and checking them ---------------------------------------------------------------------


def mutant(seeds: list[Seed], seed: int, index: int) -> Mutant:
    """Mutant `index` of campaign `seed`: depends on nothing else, so any one can be replayed."""
    rng = random.Random(f"{seed}:{index}")
    base = rng.choice(seeds)
    ops: list[Callable[[random.Random, bytes], bytes]] = [*BYTE_OPS, *TEXT_OPS]
    if base.suffix in (".html", ".htm"):
        ops += [*HTML_OPS, *HTML_OPS]  # weigh the HTML-specific ones up
    elif base.suffix == ".json":
        ops += [*JSON_OPS, *JSON_OPS, *JSON_OPS]
    elif base.suffix == ".guide.toml":
        ops += [*TOML_OPS, *TOML_OPS, *TOML_OPS]
    m = Mutant(base, base.data)
    for _ in range(rng.choice((1, 1, 1, 2, 3))):
        op = rng.choice(ops)
        try:
            m.data = op(rng, m.data)
        except Exception as exc:  # a mutation that does not apply to this input (a fuzzer bug, not guidecheck's)
            m.ops.append(f"{op.__name__}!{type(exc).__name__}")
            continue
        m.ops.append(op.__name__)
    return m


class Hang(BaseException):
    """Raised by the alarm: a BaseException, so no `except Exception` in guidecheck swallows it."""


def _alarm(signum: int, frame: object) -> None:
    raise Hang


_RAW_MESSAGE = re.compile(r"^(?:'[^']*'|\d+|None|\(.*\)|\[.*\]|\{.*\})$|object at 0x|Traceback|^\w+\(")


def crash_site(exc: BaseException) -> str:
    """Exception type + the innermost frame inside the guidecheck package."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "/guidecheck/" in f.filename]
    where = f"{Path(frames[-1].filename).relative_to(ROOT)}:{frames[-1].lineno} {frames[-1].name}" if frames else "?"
    return f"{type(exc).__name__} at {where}"


def check_mutant(m: Mutant, mutant_id: str, ruleset: RuleSet, langs: tuple[str, ...], tmp: Path) -> list[Problem]:
    """Write the mutant to a file named like its seed and check it; the problems it shows."""
    path = tmp / ("mutant" + m.seed.suffix)
    path.write_bytes(m.data)
    problems: list[Problem] = []

    def problem(kind: str, site: str, detail: str) -> None:
        problems.append(Problem(kind, site, mutant_id, m.seed.name, m.ops, detail))

    for lang in langs:
        started = time.monotonic()
        signal.setitimer(signal.ITIMER_REAL, HANG_SECONDS * 3)
        try:
            result = check_file(path, ruleset, lang)
        except Hang as exc:
            problem("hang", crash_site(exc), f"over {HANG_SECONDS * 3:.0f} s")
            continue
        except Exception as exc:
            problem("crash", crash_site(exc), f"{type(exc).__name__}: {exc}"[:300])
            continue
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        took = time.monotonic() - started
        if took > HANG_SECONDS:
            problem("hang", f"slow ({m.seed.suffix})", f"{took:.1f} s")
        error = result.error
        if error is not None:
            if not error.strip() or "\n" in error.strip():
                problem("bad-message", "empty or multi-line error", repr(error[:200]))
            elif _RAW_MESSAGE.search(error.removeprefix(str(path) + ": ")):
                problem("bad-message", "raw repr", error[:200])
            elif "internal error" in error:
                problem("internal-error", internal_site(path, lang, ruleset), error[:300])
    return problems


def internal_site(path: Path, lang: str, ruleset: RuleSet) -> str:
    """Where a crash that check_file's last-resort guard caught happened: run the steps unguarded."""
    from guidecheck import api

    try:
        guide = api.read_guide(path)
        api.audit_guide(guide, ruleset, lang)
    except Exception as exc:
        return crash_site(exc)
    return "internal error (not reproduced unguarded)"


def fuzz(
    count: int,
    seed: int = 1,
    *,
    start: int = 0,
    every_lang: int = 5,
    ruleset: RuleSet | None = None,
    seeds: list[Seed] | None = None,
) -> list[Problem]:
    """Check mutants `start`…`start + count - 1` of campaign `seed` (every `every_lang`-th in English too)."""
    ruleset = ruleset or load_ruleset()
    seeds = seeds or corpus()
    problems: list[Problem] = []
    previous = signal.signal(signal.SIGALRM, _alarm)
    try:
        with tempfile.TemporaryDirectory(prefix="guidecheck-fuzz-") as tmp:
            for index in range(start, start + count):
                m = mutant(seeds, seed, index)
                langs = ("zh", "en") if every_lang and index % every_lang == 0 else ("zh",)
                problems += check_mutant(m, f"{seed}:{index}", ruleset, langs, Path(tmp))
    finally:
        signal.signal(signal.SIGALRM, previous)
    return problems


def _worker(args: tuple[int, int, int]) -> tuple[int, list[Problem]]:
    seed, start, count = args
    return count, fuzz(count, seed, start=start)


def campaign(seed: int, count: int, workers: int, seconds: float, batch: int = 200) -> tuple[int, list[Problem]]:
    """Run batches of mutants in `workers` processes until `count` are done or `seconds` have passed."""
    batches = [(seed, start, min(batch, count - start)) for start in range(0, count, batch)]
    done, problems = 0, []
    deadline = time.monotonic() + seconds
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        for n, found in pool.imap_unordered(_worker, batches):
            done += n
            problems += found
            if time.monotonic() > deadline:
                pool.terminate()
                break
    return done, problems


def report(done: int, problems: list[Problem]) -> str:
    by_site: dict[tuple[str, str], list[Problem]] = {}
    for p in problems:
        by_site.setdefault(p.key(), []).append(p)
    lines = [f"{done} mutants, {len(problems)} problems, {len(by_site)} distinct"]
    for (kind, site), found in sorted(by_site.items(), key=lambda kv: -len(kv[1])):
        first = min(found, key=lambda p: len(p.ops))
        lines.append(f"- {kind}: {site}  ×{len(found)}  e.g. {first.mutant_id} {first.seed} {first.ops}")
        lines.append(f"    {first.detail}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=600)
    parser.add_argument("--replay", help="SEED:INDEX: write that mutant to ./fuzz-mutant<suffix> and check it")
    args = parser.parse_args(argv)
    if args.replay:
        seed, index = (int(x) for x in args.replay.split(":"))
        m = mutant(corpus(), seed, index)
        out = Path("fuzz-mutant" + m.seed.suffix)
        out.write_bytes(m.data)
        print(f"{m.seed.name} {m.ops} -> {out} ({len(m.data)} bytes)")
        print(check_file(out, load_ruleset()).error)
        return 0
    if args.workers > 1:
        done, problems = campaign(args.seed, args.count, args.workers, args.seconds)
    else:
        done, problems = args.count, fuzz(args.count, args.seed)
    print(report(done, problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
