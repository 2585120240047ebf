"""`guidecheck convert PAGE... --out DIR`: turn saved or crawled guide pages into guide files.

A department starts its guide repository from what it publishes: each page (HTML, JSON record, text,
Markdown; a folder is walked) is extracted as `check` would read it and written as `<name>.guide.toml`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from guidecheck import exitcodes
from guidecheck.api import GUIDE_SUFFIXES, collect_files
from guidecheck.cli._app import app, stderr
from guidecheck.cli._options import RulesOpt
from guidecheck.errors import GuidecheckError, InputError
from guidecheck.guidefile import SUFFIX, is_guide_file
from guidecheck.guidefile_writer import dumps

PAGE_SUFFIXES = tuple(s for s in GUIDE_SUFFIXES if s != SUFFIX)


def target_name(page: Path, taken: set[str]) -> str:
    """`<page stem>.guide.toml`, numbered when two pages share a stem."""
    stem = page.name
    for suffix in PAGE_SUFFIXES:
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    name, n = f"{stem}{SUFFIX}", 2
    while name in taken:
        name, n = f"{stem}-{n}{SUFFIX}", n + 1
    taken.add(name)
    return name


@app.command()
def convert(
    pages: Annotated[list[Path], typer.Argument(help="Saved guide pages or folders (.html .htm .txt .md .json).")],
    out: Annotated[Path, typer.Option("--out", help="Folder to write the .guide.toml files into.")] = Path("guides"),
    force: Annotated[bool, typer.Option("--force", help="Overwrite guide files that already exist.")] = False,
    rules: RulesOpt = None,
) -> int:
    """Convert guide pages into guide files (.guide.toml) for a guide repository.

    Exit codes: 0 all converted, 2 nothing to convert or a file exists (use --force), 3 some pages could
    not be read (the others are written).
    """
    from guidecheck.extract import extract_file
    from guidecheck.labels import folder_labels

    labels = folder_labels(rules or ())  # a rules folder's labels.toml: the portal's own wording
    files = [p for p in collect_files(pages, PAGE_SUFFIXES) if not is_guide_file(p)]
    taken: set[str] = set()
    planned = [(page, out / target_name(page, taken)) for page in files]
    existing = [str(target) for _page, target in planned if target.exists()]
    if existing and not force:
        raise GuidecheckError(f"{existing[0]}: already exists (use --force to overwrite)")
    failed = 0
    for page, target in planned:
        try:
            guide = extract_file(page, labels=labels)
        except InputError as err:
            failed += 1
            stderr.print(Text.assemble(("failed ", "bold red"), str(err)), soft_wrap=True)
            continue
        try:
            out.mkdir(parents=True, exist_ok=True)
            target.write_text(dumps(guide, url=str(page)), encoding="utf-8")
        except OSError as err:
            raise GuidecheckError(f"{target}: cannot write: {err.strerror or err}") from None
    written = len(planned) - failed
    stderr.print(Text(f"{written} guide files written to {out}" + (f", {failed} failed" if failed else "")))
    return exitcodes.INCOMPLETE if failed else exitcodes.OK
