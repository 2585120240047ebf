"""`guidecheck audit [DEPT]` and `guidecheck crawl DEPT --out DIR`: crawl a portal, audit or save its guides.

Without --portal the bundled sample portal is served on 127.0.0.1 inside the process and crawled through
the real HTTP path, so the first command works offline on a fresh install.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from guidecheck import exitcodes
from guidecheck.cli._app import app, stderr
from guidecheck.cli._options import (
    AlsoOpt,
    BaselineOpt,
    CommonArgs,
    ConfigOpt,
    FailOnOpt,
    FormatOpt,
    IgnoreOpt,
    LangOpt,
    NoConfigOpt,
    OutputJsonOpt,
    OutputJunitOpt,
    OutputMarkdownOpt,
    OutputOpt,
    OutputSarifOpt,
    RulesOpt,
    SelectOpt,
    SeverityOpt,
    WriteBaselineOpt,
    finish,
    load_rules,
    settings_for,
)
from guidecheck.cli._portal_run import HistoryOpt, NoHistoryOpt, save_history
from guidecheck.crawl.cache import default_cache_path
from guidecheck.crawl.fetch import FetchLimits
from guidecheck.crawl.navigate import Portal
from guidecheck.crawl.pipeline import (
    LOCAL_POLITENESS,
    CrawlOptions,
    ProgressCallback,
    audit_portal,
    crawl_to_dir,
    effective_politeness,
    open_portal,
)
from guidecheck.crawl.politeness import Politeness
from guidecheck.errors import GuidecheckError
from guidecheck.labels import folder_labels

DeptArg = Annotated[
    list[str] | None,
    typer.Argument(help="Department name(s); partial and city-less names work (规划和自然资源局).", show_default=False),
]
AllOpt = Annotated[bool, typer.Option("--all", help="Every department of the portal.")]
PortalOpt = Annotated[
    str | None,
    typer.Option(
        "--portal",
        help="Portal URL, or a portal profile (name or TOML file with base_url). Default: the bundled sample portal.",
    ),
]
ProfileOpt = Annotated[
    str | None,
    typer.Option("--profile", help="Portal profile (name or TOML file) to navigate a --portal URL with."),
]
ConcurrencyOpt = Annotated[
    int | None,
    typer.Option("--concurrency", min=1, help="Requests in flight per host [default: 2; 8 for the bundled portal]."),
]
RateOpt = Annotated[
    float | None,
    typer.Option(
        "--rate", min=0.0, help="Requests per second per host; 0 = no limit [default: 2; 0 for the bundled portal]."
    ),
]

TimeoutOpt = Annotated[float, typer.Option("--timeout", min=0.1, help="Seconds allowed for one request.")]
TriesOpt = Annotated[int, typer.Option("--tries", min=1, help="Attempts per request on 429, 5xx and timeouts.")]
CacheOpt = Annotated[
    Path | None, typer.Option("--cache", help=f"Crawl cache (SQLite). Default: {default_cache_path()}.")
]
NoCacheOpt = Annotated[bool, typer.Option("--no-cache", help="Keep nothing: no conditional requests, no resume.")]
NoLinksOpt = Annotated[bool, typer.Option("--no-links", help="Do not check blank-form and sample links (MAT10).")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")]


def _options(
    concurrency: int | None,
    rate: float | None,
    timeout: float,
    tries: int,
    cache: Path | None,
    no_cache: bool,
    links: bool,
    *,
    local: bool,
) -> CrawlOptions:
    politeness = None  # the portal's default (pipeline.effective_politeness)
    if concurrency is not None or rate is not None:
        base = LOCAL_POLITENESS if local else Politeness()
        politeness = Politeness(
            concurrency=base.concurrency if concurrency is None else concurrency,
            rate=base.rate if rate is None else rate,
        )
    return CrawlOptions(
        politeness=politeness,
        limits=FetchLimits(timeout=timeout, tries=tries),
        cache=None if no_cache else (cache or default_cache_path()),
        check_links=links,
    )


def _selection(departments: list[str] | None, all_: bool) -> list[str] | None:
    if all_ and departments:
        raise typer.BadParameter("give department names or --all, not both")
    if not all_ and not departments:
        raise typer.BadParameter("name a department (e.g. 规划和自然资源局) or use --all", param_hint="DEPT")
    return None if all_ else departments


class _RateColumn(ProgressColumn):
    """Guides per second."""

    def __init__(self, unit: str) -> None:
        super().__init__()
        self.unit = unit

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text("" if speed is None else f"{speed:.1f} {self.unit}", style="dim")


@contextlib.contextmanager
def _progress(enabled: bool, verb: str, lang: str) -> Iterator[ProgressCallback | None]:
    if not enabled:
        yield None
        return
    words = _words(lang)
    with Progress(
        TextColumn(words[verb]),
        BarColumn(),
        MofNCompleteColumn(),
        _RateColumn(words["per_second"]),
        TimeElapsedColumn(),
        TextColumn(words["eta"]),
        TimeRemainingColumn(),
        console=stderr,
        transient=True,
    ) as bar:
        task = bar.add_task(verb, total=None)

        def update(done: int, total: int, _source: str) -> None:
            bar.update(task, completed=done, total=max(total, done) or None)

        yield update


_WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "auditing": "正在审核",
        "crawling": "正在抓取",
        "pace": "（每个主机同时 {concurrency} 个请求，{rate}）",
        "no_rate": "不限速",
        "rate": "每秒 {rate:g} 个请求",
        "summary": "共 {guides} 份指南：下载 {fetched} 份，来自缓存 {cached} 份，失败 {failed} 份",
        "audited": "，已审核 {audited} 份",
        "saved": "，已保存 {saved} 份",
        "requests": "请求 {requests} 次",
        "links": "检查链接 {links_checked} 个，失效 {links_broken} 个",
        "resumed": "接续了上次中断的抓取",
        "per_second": "份/秒",
        "eta": "预计剩余",
        "no_cache": "默认缓存文件无法打开，本次未使用缓存",
        "failed": "失败",
        "sep": "；",
        "open": "（",
        "close": "）",
    },
    "en": {
        "auditing": "auditing",
        "crawling": "crawling",
        "pace": "  ({concurrency} at a time per host, {rate})",
        "no_rate": "no rate limit",
        "rate": "{rate:g} requests/s",
        "summary": "{guides} guides: {fetched} fetched, {cached} from cache, {failed} failed",
        "audited": ", {audited} audited",
        "saved": ", {saved} saved",
        "requests": "{requests} requests",
        "links": "{links_checked} links checked, {links_broken} broken",
        "resumed": "resumed an interrupted crawl",
        "per_second": "guides/s",
        "eta": "ETA",
        "no_cache": "the default cache file could not be opened: this run kept nothing",
        "failed": "failed",
        "sep": "; ",
        "open": " (",
        "close": ")",
    },
}
"""Status lines on stderr, Chinese first (--lang en for English)."""


def _words(lang: str) -> dict[str, str]:
    return _WORDS.get(lang, _WORDS["zh"])


def _describe(verb: str, portal: Portal, options: CrawlOptions, lang: str) -> Text:
    words = _words(lang)
    pol = effective_politeness(options, portal)
    rate = words["no_rate"] if pol.rate <= 0 else words["rate"].format(rate=pol.rate)
    pace = words["pace"].format(concurrency=pol.concurrency, rate=rate)
    return Text.assemble((f"{words[verb]} ", "bold"), portal.label, (pace, "dim"))


def _show_progress(quiet: bool) -> bool:
    return not quiet and sys.stderr.isatty()


def _summary_line(stats: dict[str, int], lang: str, *, saved: bool = False) -> str:
    words = _words(lang)
    counts = {k: stats.get(k, 0) for k in ("guides", "fetched", "cached", "failed", "audited", "saved", "requests")}
    counts |= {k: stats.get(k, 0) for k in ("links_checked", "links_broken")}
    line = words["summary"].format(**counts) + words["saved" if saved else "audited"].format(**counts)
    extras = [words["requests"].format(**counts)]
    if stats.get("links_checked"):
        extras.append(words["links"].format(**counts))
    if stats.get("resumed"):
        extras.append(words["resumed"])
    if stats.get("cache_unavailable"):
        extras.append(words["no_cache"])
    return line + words["open"] + words["sep"].join(extras) + words["close"]


@app.command()
def audit(
    departments: DeptArg = None,
    all_: AllOpt = False,
    portal: PortalOpt = None,
    profile: ProfileOpt = None,
    concurrency: ConcurrencyOpt = None,
    rate: RateOpt = None,
    timeout: TimeoutOpt = 10.0,
    tries: TriesOpt = 3,
    cache: CacheOpt = None,
    no_cache: NoCacheOpt = False,
    no_links: NoLinksOpt = False,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    fail_on: FailOnOpt = None,
    lang: LangOpt = None,
    rules: RulesOpt = None,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
    severity: SeverityOpt = None,
    config: ConfigOpt = None,
    no_config: NoConfigOpt = False,
    baseline: BaselineOpt = None,
    write_baseline: WriteBaselineOpt = None,
    output_sarif: OutputSarifOpt = None,
    output_junit: OutputJunitOpt = None,
    output_json: OutputJsonOpt = None,
    output_markdown: OutputMarkdownOpt = None,
    also: AlsoOpt = None,
    quiet: QuietOpt = False,
    history_path: HistoryOpt = None,
    no_history: NoHistoryOpt = False,
) -> int:
    """Crawl a department's guides on a portal (default: the bundled sample portal) and audit them.

    Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage error / unknown department / portal
    unreachable, 3 some guides could not be fetched or read (the report says which and why).
    """
    # Formats, config (guidecheck.toml from the working directory), rules and baseline: shared with `check`.
    args = CommonArgs(
        fmt=fmt,
        output=output,
        fail_on=fail_on,
        lang=lang,
        rules=rules,
        select=select,
        ignore=ignore,
        severity=severity,
        config=config,
        no_config=no_config,
        baseline=baseline,
        write_baseline=write_baseline,
        output_sarif=output_sarif,
        output_junit=output_junit,
        output_json=output_json,
        output_markdown=output_markdown,
        also=also,
    )
    settings = settings_for(args, Path.cwd())
    settings.history = history_path
    portal = portal or settings.portal
    names = _selection(departments, all_)
    ruleset = load_rules(settings)
    options = _options(concurrency, rate, timeout, tries, cache, no_cache, not no_links, local=portal is None)
    with open_portal(portal, profile=profile) as site:
        if not quiet:
            stderr.print(_describe("auditing", site, options, settings.lang), soft_wrap=True)
        with _progress(_show_progress(quiet), "auditing", settings.lang) as progress:
            result = audit_portal(site, names, ruleset, lang=settings.lang, options=options, progress=progress)
    if not no_history:  # every audit goes into the history (scores, findings by fingerprint): `guidecheck history`
        save_history(result, history_path, quiet=quiet)
    if not result.guides:
        raise GuidecheckError(f"{'、'.join(result.departments)}: the portal lists no guides")
    code = finish(result, settings, unreadable=exitcodes.INCOMPLETE)
    stderr.print(Text(_summary_line(result.stats, settings.lang), style="bold"), soft_wrap=True)
    return code


@app.command()
def crawl(
    out: Annotated[Path, typer.Option("--out", help="Folder to save the guides in (one file per guide).")],
    departments: DeptArg = None,
    all_: AllOpt = False,
    portal: PortalOpt = None,
    profile: ProfileOpt = None,
    concurrency: ConcurrencyOpt = None,
    rate: RateOpt = None,
    timeout: TimeoutOpt = 10.0,
    tries: TriesOpt = 3,
    cache: CacheOpt = None,
    no_cache: NoCacheOpt = False,
    no_links: NoLinksOpt = False,
    rules: Annotated[
        list[Path] | None,
        typer.Option("--rules", help="Rule folder whose labels.toml reads the pages for material links; repeatable."),
    ] = None,
    lang: Annotated[str, typer.Option("--lang", help="Language of the status lines: zh or en.")] = "zh",
    quiet: QuietOpt = False,
) -> int:
    """Save a department's guides as UTF-8 files that `guidecheck check` reads.

    OUT/crawl.json records each file's URL, department and attachment link statuses (merged with the
    manifest already there), so that `check OUT` names departments and reports broken links (MAT10).

    Exit codes: 0 all saved, 2 usage error / unknown department / portal unreachable, 3 some guides could
    not be fetched.
    """
    if lang not in _WORDS:
        raise typer.BadParameter(f"{lang!r}: choose zh or en", param_hint="--lang")
    names = _selection(departments, all_)
    options = _options(concurrency, rate, timeout, tries, cache, no_cache, not no_links, local=portal is None)
    labels = folder_labels(rules or ())  # before the crawl: a broken labels.toml must not cost one
    with open_portal(portal, profile=profile) as site:
        if not quiet:
            stderr.print(_describe("crawling", site, options, lang), soft_wrap=True)
        with _progress(_show_progress(quiet), "crawling", lang) as progress:
            saved = crawl_to_dir(site, names, out, options=options, progress=progress, labels=labels)
    for failure in saved.failures:
        failed = _words(lang)["failed"]
        stderr.print(
            Text.assemble((f"{failed} ", "bold red"), failure.source, ": ", failure.error or ""), soft_wrap=True
        )
    stderr.print(Text(_summary_line(saved.stats, lang, saved=True) + f" → {out}", style="bold"), soft_wrap=True)
    if not saved.files and not saved.failures:
        raise GuidecheckError(f"{', '.join(saved.departments)}: the portal lists no guides")
    return exitcodes.INCOMPLETE if saved.failures else exitcodes.OK
