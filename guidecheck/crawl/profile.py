"""Portal profiles: a portal family's navigation, written as TOML by an inspector (docs/portal-profiles.md).

A profile says where the department list is and how to read it, how a department's item list pages
(an HTML "next" link, or JSON paging fields), how an item becomes a guide URL, and where attachment
links are. Extraction of the guide itself stays generic; profiles only add navigation.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from lxml import etree

from guidecheck import tomlfile
from guidecheck.errors import ConfigError

PROFILES_DIR = Path(__file__).resolve().parent / "profiles"

BUILTIN_PROFILES: tuple[str, ...] = ("sample",)
"""Profiles shipped with guidecheck (files in guidecheck/crawl/profiles/)."""


@dataclass(slots=True, frozen=True)
class DepartmentsSpec:
    url: str
    link_xpath: str = ""
    """HTML department list: one <a> per department."""
    code_attribute: str = ""
    items: str = ""
    """JSON department list: dotted path to the list of departments."""
    name_field: str = ""
    code_field: str = ""
    list_url: str = ""
    """JSON department list: first item-list page, a template over the department's fields."""


@dataclass(slots=True, frozen=True)
class HtmlListSpec:
    item_xpath: str
    next_xpath: str = ""


@dataclass(slots=True, frozen=True)
class JsonListSpec:
    items: str
    guide_url: str
    item_name: str = ""
    item_code: str = ""
    page_index: str = ""
    page_size: str = ""
    total: str = ""
    page_url: str = ""
    next_url: str = ""
    method: str = "GET"
    """POST for list APIs that take their query in the body (gdzwfw getCommonAuditItem)."""
    body: tuple[tuple[str, str], ...] = ()
    """POST fields; values may use {dept_code} and {page}."""
    body_format: str = "json"
    """json (a JSON object) or form (application/x-www-form-urlencoded)."""

    def request_body(self, dept_code: str, page: int) -> tuple[bytes, str] | None:
        """The POST body for one list page and its content type; None for GET lists."""
        if self.method != "POST":
            return None
        fields = {k: v.format(dept_code=dept_code, page=page) for k, v in self.body}
        if self.body_format == "form":
            return urlencode(fields).encode("ascii"), "application/x-www-form-urlencoded"
        return json.dumps(fields, ensure_ascii=False, sort_keys=True).encode("utf-8"), "application/json"


@dataclass(slots=True, frozen=True)
class AttachmentsSpec:
    html_xpath: str = ""
    json_keys: tuple[str, ...] = ()


@dataclass(slots=True, frozen=True)
class PortalProfile:
    name: str
    departments: DepartmentsSpec
    title: str = ""
    base_url: str = ""
    html_list: HtmlListSpec | None = None
    json_list: JsonListSpec | None = None
    attachments: AttachmentsSpec = field(default_factory=AttachmentsSpec)
    headers: tuple[tuple[str, str], ...] = ()
    """Extra request headers the portal expects (Referer, X-Requested-With …), sent with every request."""
    source: str = ""
    """The file the profile was read from."""


def _table(data: dict[str, Any], key: str, file: str, *, required: bool) -> dict[str, Any] | None:
    value = data.get(key)
    if value is None:
        if required:
            raise ConfigError(file, f"missing [{key}] table", fix=f"add a [{key}] table (docs/portal-profiles.md)")
        return None
    if not isinstance(value, dict):
        raise ConfigError(file, f"[{key}] must be a table")
    return value


def _str(table: dict[str, Any], key: str, file: str, section: str, *, required: bool = False) -> str:
    value = table.get(key, "")
    if not isinstance(value, str):
        raise ConfigError(file, f"[{section}] {key} must be a string")
    if required and not value.strip():
        raise ConfigError(file, f"[{section}] {key} is required", fix=f"set {key} in [{section}]")
    return value.strip()


def _xpath(table: dict[str, Any], key: str, file: str, section: str, *, required: bool = False) -> str:
    value = _str(table, key, file, section, required=required)
    if value:
        try:
            etree.XPath(value)
        except etree.XPathSyntaxError as err:
            raise ConfigError(file, f"[{section}] {key} is not a valid XPath: {err}") from None
    return value


_KNOWN = {
    "portal": {"name", "title", "base_url", "headers"},
    "departments": {"url", "link_xpath", "code_attribute", "items", "name_field", "code_field", "list_url"},
    "html_list": {"item_xpath", "next_xpath"},
    "json_list": {
        "items",
        "guide_url",
        "item_name",
        "item_code",
        "page_index",
        "page_size",
        "total",
        "page_url",
        "next_url",
        "method",
        "body",
        "body_format",
    },
    "attachments": {"html_xpath", "json_keys"},
}


def _json_list(table: dict[str, Any], file: str) -> JsonListSpec:
    method = (_str(table, "method", file, "json_list") or "GET").upper()
    if method not in ("GET", "POST"):
        raise ConfigError(file, f"[json_list] method {method!r}: use GET or POST")
    body = table.get("body", {})
    if not isinstance(body, dict) or not all(isinstance(v, (str, int)) for v in body.values()):
        raise ConfigError(file, "[json_list] body must be a table of strings (or numbers)")
    if body and method != "POST":
        raise ConfigError(file, '[json_list] body is only sent with method = "POST"')
    body_format = _str(table, "body_format", file, "json_list") or "json"
    if body_format not in ("json", "form"):
        raise ConfigError(file, f"[json_list] body_format {body_format!r}: use json or form")
    return JsonListSpec(
        items=_str(table, "items", file, "json_list", required=True),
        guide_url=_str(table, "guide_url", file, "json_list", required=True),
        method=method,
        body=tuple((str(k), str(v)) for k, v in body.items()),
        body_format=body_format,
        **{
            k: _str(table, k, file, "json_list")
            for k in ("item_name", "item_code", "page_index", "page_size", "total", "page_url", "next_url")
        },
    )


def _departments(table: dict[str, Any], file: str) -> DepartmentsSpec:
    spec = DepartmentsSpec(
        url=_str(table, "url", file, "departments", required=True),
        link_xpath=_xpath(table, "link_xpath", file, "departments"),
        code_attribute=_str(table, "code_attribute", file, "departments"),
        **{k: _str(table, k, file, "departments") for k in ("items", "name_field", "code_field", "list_url")},
    )
    if not spec.link_xpath and not spec.items:
        raise ConfigError(
            file,
            "[departments] says neither link_xpath (an HTML list) nor items (a JSON list)",
            fix="set link_xpath, or items + name_field + list_url",
        )
    if spec.items and not (spec.name_field and spec.list_url):
        raise ConfigError(file, "[departments] items needs name_field and list_url too")
    return spec


def parse_profile(data: dict[str, Any], file: str) -> PortalProfile:
    for section, value in data.items():
        if section not in _KNOWN:
            raise ConfigError(file, f"unknown table [{section}]", fix=f"use one of {', '.join(sorted(_KNOWN))}")
        if isinstance(value, dict):
            unknown = set(value) - _KNOWN[section]
            if unknown:
                raise ConfigError(
                    file,
                    f"unknown key(s) {', '.join(sorted(unknown))} in [{section}]",
                    fix=f"known keys: {', '.join(sorted(_KNOWN[section]))}",
                )
    portal = _table(data, "portal", file, required=False) or {}
    depts = _table(data, "departments", file, required=True) or {}
    html = _table(data, "html_list", file, required=False)
    jsn = _table(data, "json_list", file, required=False)
    att = _table(data, "attachments", file, required=False) or {}
    if html is None and jsn is None:
        raise ConfigError(file, "no item list described", fix="add an [html_list] or a [json_list] table")
    headers = portal.get("headers", {})
    if not isinstance(headers, dict) or not all(isinstance(v, str) for v in headers.values()):
        raise ConfigError(
            file, "[portal] headers must be a table of strings", fix='headers = { Referer = "https://…" }'
        )
    keys = att.get("json_keys", [])
    if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
        raise ConfigError(file, "[attachments] json_keys must be a list of strings")
    return PortalProfile(
        name=_str(portal, "name", file, "portal") or Path(file).stem,
        title=_str(portal, "title", file, "portal"),
        base_url=_str(portal, "base_url", file, "portal"),
        departments=_departments(depts, file),
        html_list=None
        if html is None
        else HtmlListSpec(
            item_xpath=_xpath(html, "item_xpath", file, "html_list", required=True),
            next_xpath=_xpath(html, "next_xpath", file, "html_list"),
        ),
        json_list=None if jsn is None else _json_list(jsn, file),
        attachments=AttachmentsSpec(
            html_xpath=_xpath(att, "html_xpath", file, "attachments"),
            json_keys=tuple(keys),
        ),
        headers=tuple((str(k), v) for k, v in headers.items()),
        source=file,
    )


def load_profile(name_or_path: str | Path) -> PortalProfile:
    """A built-in profile by name ("sample") or a profile file by path."""
    path = Path(name_or_path)
    if str(name_or_path) in BUILTIN_PROFILES:
        path = PROFILES_DIR / f"{name_or_path}.toml"
    elif not path.exists():  # a folder goes on, to be named as one
        known = ", ".join(BUILTIN_PROFILES)
        raise ConfigError(str(name_or_path), f"no such portal profile (built-in profiles: {known})")
    try:
        _text, data = tomlfile.read(path, "portal profile")
    except tomlfile.TomlFileError as err:
        raise ConfigError(str(path), err.reason, line=err.line, fix=err.fix) from None
    return parse_profile(data, str(path))


def json_path(data: Any, path: str) -> Any:
    """Follow a dotted path ("CUSTOM.PAGEINFO.TOTALNUM", "data.items.0.url"); None when absent."""
    current = data
    for part in path.split(".") if path else []:
        if isinstance(current, dict):
            current = current.get(part)
        elif isinstance(current, list) and part.isdigit() and int(part) < len(current):
            current = current[int(part)]
        else:
            return None
    return current
