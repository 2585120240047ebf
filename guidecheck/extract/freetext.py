"""Free text → materials, steps and flowcharts: the parts of a guide written as prose or lists.

"1. 申请表原件1份（需签字）；2. 营业执照复印件各一份", "第一步 受理：…（1个工作日）", "申请→受理→审查→决定",
"见图1《…流程图》". Used by the assembler for every format, so a list in a text file, a `<td>` or a JSON
string is read the same way.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from guidecheck.labels import Labels
from guidecheck.model import FlowChannel, Flowchart, Loc, Material, Step
from guidecheck.normalize import find_time_limit, parse_copies, parse_forms, parse_time_limit

_CHANNEL_HINTS: tuple[tuple[FlowChannel, re.Pattern[str]], ...] = (
    ("online", re.compile(r"网上|网办|线上|在线|互联网|全程网")),
    ("window", re.compile(r"窗口|线下|现场|大厅")),
)


def channel_hint(text: str) -> FlowChannel:
    """Which channel a flow title or file name speaks of ("…网上办理流程图.png" → online)."""
    for channel, pattern in _CHANNEL_HINTS:
        if pattern.search(text):
            return channel
    return ""


# --- file names ---------------------------------------------------------------------------------

FILE_LINK_RE = re.compile(r"\.(?:png|jpe?g|gif|bmp|pdf|docx?|xlsx?|wps|zip|rar)(?:$|[?#])", re.IGNORECASE)


def file_name(src: str) -> str:
    """The file name of a link or path ("/upload/…/测量标志流程图.png?v=2" → "测量标志流程图.png")."""
    src = src.strip().split("?", 1)[0].split("#", 1)[0].rstrip("/")
    return src.replace("\\", "/").rsplit("/", 1)[-1]


# --- free-text material lists -------------------------------------------------------------------

_ITEM_MARK_RE = re.compile(
    r"^\s*(?:\d{1,3}\s*[.、．)）](?!\d)|[(（]\d{1,3}[)）]|[(（][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、|"
    r"[①-⑳]|[-*•·●▪]\s)\s*"
)
_INLINE_SPLIT_RE = re.compile(r"(?:(?<=[;；。])|\s)\s*(?=(?:\d{1,2}[.、．](?!\d)|[(（]\d{1,2}[)）]|[①-⑳]))")
_SEMI_RE = re.compile(r"[;；]")
_PAREN_ANY_RE = re.compile(r"[(（]")
_NAME_END_RE = re.compile(
    r"[,，、\s]*(?:原件|复印件|复制件|正本|副本|电子版|电子件|扫描件|纸质|一式|各\s*[一二两三四五六七八九十\d]+\s*[份张本套册]|"
    r"[一二两三四五六七八九十\d]+\s*[份张本套册]|[(（])"
)
_INTRO_RE = re.compile(r"[:：]$|^(?:申请人|需|应)?(?:提交|提供|携带)(?:以下|下列|如下)")
_NECESSITY_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("容缺后补", re.compile(r"容缺")),
    ("非必要", re.compile(r"非必要|非必须|选交|选填|可选|如有|若有")),
    ("必要", re.compile(r"必要|必须|必交|必需")),
)
_LINK_WORDS_RE = re.compile(r"(?:\s*(?:点击下载|下载|空表|空白表格|示例样表|样表|样本|示例|查看))+\s*$")
_BLANK_LINK_RE = re.compile(r"空表|空白|下载|表格")
_SAMPLE_LINK_RE = re.compile(r"样表|示例|样本|样例|范本|范例")
_TRAIL_PUNCT = " ;；。，,、:："


def necessity_of(text: str) -> str:
    for value, pattern in _NECESSITY_PATTERNS:
        if pattern.search(text):
            return value
    return ""


def classify_link(text: str, href: str) -> str:
    """ "sample", "blank_form" or "" for a link in a materials list."""
    probe = f"{text} {file_name(href)}"
    if _SAMPLE_LINK_RE.search(probe):
        return "sample"
    if _BLANK_LINK_RE.search(probe) or FILE_LINK_RE.search(href):
        return "blank_form"
    return ""


def material_from_text(text: str, loc: Loc) -> Material:
    """One free-text item: "机动车登记申请表原件1份（需签名）" → name, forms, copies, note."""
    text = _LINK_WORDS_RE.sub("", _ITEM_MARK_RE.sub("", text, count=1)).strip(_TRAIL_PUNCT)
    m = _NAME_END_RE.search(text)
    name = text[: m.start()].strip(_TRAIL_PUNCT) if m and m.start() > 0 else text
    rest = text[len(name) :] if name != text else ""
    notes = re.findall(r"[(（]([^()（）]*)[)）]", rest)
    return Material(
        name=name,
        loc=loc,
        forms=parse_forms(rest),
        copies=parse_copies(re.sub(r"[(（][^()（）]*[)）]", "", rest)) if rest else None,
        copies_raw=rest.strip(_TRAIL_PUNCT),
        necessity=necessity_of(text),
        note="；".join(notes),
    )


def parse_material_list(lines: list[tuple[str, Loc]], links: list[tuple[int, str, str]]) -> list[Material]:
    """Free-text materials: numbered items ("1.…; 2.…", one or many per line) or one item per line."""
    items: list[tuple[list[str], Loc, int]] = []  # (text parts, loc, first line index)
    numbered = any(_ITEM_MARK_RE.match(t) for t, _ in lines)
    for index, (text, loc) in enumerate(lines):
        if numbered:
            parts = [p for p in _INLINE_SPLIT_RE.split(text) if p.strip()]
        elif _SEMI_RE.search(text) and not _PAREN_ANY_RE.search(text):
            parts = [p for p in _SEMI_RE.split(text) if p.strip(_TRAIL_PUNCT)]  # "申请表；营业执照复印件；…"
        else:
            parts = [text]
        for part in parts:
            starts = bool(_ITEM_MARK_RE.match(part))
            if numbered and not starts and items:
                items[-1][0].append(part)  # a continuation line of the item before
            elif (numbered and not starts) or _INTRO_RE.search(part):
                continue
            else:
                items.append(([part], loc, index))
    materials = [material_from_text(" ".join(parts), loc) for parts, loc, _ in items]
    if links and materials:
        firsts = [i for _, _, i in items]
        for line_index, text, href in links:
            pos = max(bisect_right(firsts, line_index) - 1, 0)
            kind = classify_link(text, href)
            target = materials[pos]
            if kind == "sample" and target.sample is None:
                target.sample = href or text
            elif kind == "blank_form" and target.blank_form is None:
                target.blank_form = href or text
    return [m for m in materials if m.name]


# --- steps from text ------------------------------------------------------------------------------

_STEP_MARK_RE = re.compile(
    r"^\s*(?:第\s*[一二三四五六七八九十\d]+\s*步\s*[:：、.．]?|\d{1,2}\s*[.、．)）](?!\d)|\d{1,2}\s+(?=[^\d个天日月年小时\s])|[(（][一二三四五六七八九十\d]{1,3}[)）]|"
    r"[①-⑳]|步骤\s*[一二三四五六七八九十\d]+\s*[:：、.．]?|[一二三四五六七八九十]+\s*[、.．])\s*"
)
ARROW_RE = re.compile(r"\s*(?:→|->|—>|=>|⇒|➝|➔|--+|－－+|——+>?|—)\s*")
ARROW_CHAR_RE = re.compile(r"[→\-—=⇒➝➔－]")
"""Every arrow `ARROW_RE` matches contains one of these characters (a cheap test before the split)."""
_STEP_SUBLABEL_RE = re.compile(
    r"(办理人员|办理人|承办人|经办人|办理岗位|办理时限|环节时限|时限|审查标准|审核标准|办理内容|审查内容|办理结果|环节结果)\s*[:：]"
)
_NAME_SPLIT_RE = re.compile(r"[:：]")
_NAME_TIME_RE = re.compile(r"\s*(?:\d+|[一二两三四五六七八九十]+)\s*个?\s*(?:工作日|自然日|日|天|小时)$")
_BARE_STEP_RE = re.compile(r"^[^，,。；;:：、\s]{1,8}$")
_CLAUSE_RE = re.compile(r"[，,。；;（(]")


def _split_inline(lines: list[tuple[str, Loc]], mark: re.Pattern[str]) -> list[tuple[str, Loc]]:
    """ "1.受理（1个工作日）；2.审查（3个工作日）" on one line → one line per numbered item."""
    out: list[tuple[str, Loc]] = []
    for text, loc in lines:
        if mark.match(text):
            out += [(part.strip(), loc) for part in _INLINE_SPLIT_RE.split(text) if part.strip()]
        else:
            out.append((text, loc))
    return out


_LONE_NUMBER_RE = re.compile(r"^(?:\d{1,2}|[①-⑳])[.、．]?$")


def _join_lone_numbers(lines: list[tuple[str, Loc]]) -> list[tuple[str, Loc]]:
    """A step number on a line of its own, its name on the next (gdzwfw v2: <span>1</span><span>收件</span>
    <p>…</p>) → "1. 收件"."""
    out: list[tuple[str, Loc]] = []
    pending: tuple[str, Loc] | None = None
    for text, loc in lines:
        if pending is not None:
            out.append((f"{pending[0].rstrip('.、．')}. {text}", pending[1]))
            pending = None
        elif len(text) <= 3 and _LONE_NUMBER_RE.match(text):
            pending = (text, loc)
        else:
            out.append((text, loc))
    if pending is not None:
        out.append(pending)
    return out


def parse_steps(lines: list[tuple[str, Loc]], channel: FlowChannel, labels: Labels) -> list[Step]:
    """Numbered steps ("1. 受理：…（1个工作日）", "第一步", "（一）") or an arrow chain ("申请→受理→…")."""
    lines = _join_lone_numbers(lines)
    for text, loc in lines:
        if not ARROW_CHAR_RE.search(text):
            continue  # no arrow: one part, not a chain (the split below is slow: it tries every position)
        parts = [p.strip(_TRAIL_PUNCT) for p in ARROW_RE.split(text) if p.strip(_TRAIL_PUNCT)]
        if len(parts) >= 3 and all(len(p) <= 30 for p in parts):
            # "申请→受理(预审3日)→审查5日→领取结果": each part a step, with its own time if given
            return [_step_from_text(p, loc, channel) for p in parts]
    steps: list[Step] = []
    current: Step | None = None
    for text, loc in _split_inline(lines, _STEP_MARK_RE):
        m = _STEP_MARK_RE.match(text)
        if m:
            current = _step_from_text(text[m.end() :], loc, channel)
            steps.append(current)
        elif current is not None:
            _add_step_detail(current, text, labels)
    if not steps and len(lines) >= 2 and all(_BARE_STEP_RE.match(t) for t, _ in lines):
        # a list of bare step names (<li>受理</li><li>审查</li>…): each line is a step
        steps = [Step(name=t.strip(_TRAIL_PUNCT), loc=loc, channel=channel) for t, loc in lines]
    return steps


def _step_from_text(text: str, loc: Loc, channel: FlowChannel) -> Step:
    text = text.strip()
    head = _STEP_SUBLABEL_RE.split(text, maxsplit=1)[0]
    parts = _NAME_SPLIT_RE.split(head, maxsplit=1)
    first, _, rest = head.strip().partition(" ")
    if len(parts) == 2 and 0 < len(parts[0].strip()) <= 15:
        name, content = parts[0].strip(), parts[1].strip()
    elif rest and len(first) <= 15 and not _CLAUSE_RE.search(first):
        name, content = first, rest.strip()  # "收件 窗口人员核对材料"
    else:
        clause = _CLAUSE_RE.split(head, maxsplit=1)[0].strip()
        name = clause if len(clause) <= 15 else clause[:15]
        content = head.strip() if head.strip() != name else ""
    name = _NAME_TIME_RE.sub("", name) or name  # "审查5日" → 审查 (the time is kept below)
    step = Step(name=name.strip(_TRAIL_PUNCT), loc=loc, content=content.strip(_TRAIL_PUNCT), channel=channel)
    _apply_sublabels(step, text[len(head) :])
    if step.time_limit is None:
        step.time_limit = find_time_limit(text, loc)
    return step


def _add_step_detail(step: Step, text: str, labels: Labels) -> None:
    if _STEP_SUBLABEL_RE.search(text):
        _apply_sublabels(step, text)
    else:
        step.content = f"{step.content}\n{text}".strip()
        if step.time_limit is None:
            step.time_limit = find_time_limit(text, step.loc)


def _apply_sublabels(step: Step, text: str) -> None:
    pieces = _STEP_SUBLABEL_RE.split(text)
    # pieces: [before, label1, value1, label2, value2, …]
    for label, value in zip(pieces[1::2], pieces[2::2], strict=False):
        value = value.strip(_TRAIL_PUNCT + "\n")
        if label in ("办理人员", "办理人", "承办人", "经办人", "办理岗位"):
            step.actor = value
        elif label in ("办理时限", "环节时限", "时限"):
            step.time_limit = parse_time_limit(value, step.loc)
        elif label in ("办理结果", "环节结果"):
            step.result = value
        else:
            step.content = f"{step.content}\n{value}".strip() if step.content else value


_CHART_REF_RE = re.compile(
    r"《([^《》]{2,60}?流程图)》|([^\s《》/\\]{2,60}?流程图\.(?:png|jpe?g|gif|pdf))", re.IGNORECASE
)
_MD_IMAGE_RE = re.compile(r"!\[([^\]]*)\]\(([^)\s]*)[^)]*\)")


def flowchart_refs(lines: list[tuple[str, Loc]], channel: FlowChannel) -> list[Flowchart]:
    """Flowcharts named in flow text: "见图1《…流程图》", "…流程图.png", Markdown images."""
    charts: list[Flowchart] = []
    for text, loc in lines:
        for m in _MD_IMAGE_RE.finditer(text):
            alt, src = m.group(1), m.group(2)
            name = file_name(src)
            charts.append(
                Flowchart(loc, title=alt or name, text=alt, file_name=name, channel=channel or channel_hint(alt + name))
            )
        if "流程图" not in text:
            continue
        for m in _CHART_REF_RE.finditer(_MD_IMAGE_RE.sub("", text)):
            title = m.group(1) or ""
            name = m.group(2) or ""
            charts.append(
                Flowchart(
                    loc, title=title or name, text=text, file_name=name, channel=channel or channel_hint(title + name)
                )
            )
    return charts
