"""MkDocs hook: make Material's search find register rows, sub-words and pinyin.

Material indexes a page by its headings and segments Chinese with jieba's precise cut,
matching only word prefixes: 处罚 misses 行政处罚, 生育 misses 计划生育, and a table row
is never a result of its own.  Right after the search plugin has indexed a page, this
hook (hooks run after plugins)
- replaces a register page's heading sections by one entry per row (elements the
  templates mark with `data-qd-row`), so a result links to the row's anchor; a cell
  marked `data-qd-also="<anchor>"` (an extra column's value beside its row's cell) adds
  its label and text to that row's entry — Material keeps one entry per location, so a
  cell may not have an entry of its own at the row's anchor;
- adds to every entry the finer `jieba.cut_for_search` words plus toneless pinyin and
  initials (liudongrenkou, liudong, ldrk) in its `tags` field, which Material indexes and
  queries; our stylesheet hides tags in results, so the teaser stays the real text.
"""
from __future__ import annotations

import html
import re
from functools import lru_cache
from html.parser import HTMLParser
from typing import Any

import jieba

from generator import pinyin

HAN_RUN = re.compile(r"[\u3400-\u9fff]+")
TAG = re.compile(r"<[^>]+>")
VOID = {"br", "img", "hr", "input", "meta", "link", "wbr"}


class RowParser(HTMLParser):
    """Collects (anchor, title, text) for every element marked with data-qd-row, with the
    text of the cells marked data-qd-also added to their row."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[tuple[str, str, list[str]]] = []
        self.by_anchor: dict[str, list[str]] = {}
        self.open: list[tuple[int, list[str]]] = []  # (depth where the row started, its text parts)
        self.depth = 0
        self.skip_depth: int | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        self.depth += 1
        values = dict(attrs)
        if self.skip_depth is None and "qd-permalink" in (values.get("class") or ""):
            self.skip_depth = self.depth
        if "data-qd-row" in values:
            parts: list[str] = []
            anchor = values.get("data-qd-anchor") or values.get("id") or ""
            self.rows.append((anchor, values["data-qd-row"] or "", parts))
            self.by_anchor.setdefault(anchor, parts)
            self.open.append((self.depth, parts))
        elif values.get("data-qd-also") in self.by_anchor:
            parts = self.by_anchor[values["data-qd-also"] or ""]
            parts.append(f" {values.get('data-label') or ''}：")
            self.open.append((self.depth, parts))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if self.skip_depth == self.depth:
            self.skip_depth = None
        while self.open and self.open[-1][0] == self.depth:
            self.open.pop()
        self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.skip_depth is None and self.open:
            self.open[-1][1].append(data)


@lru_cache(maxsize=None)
def _run_tokens(run: str) -> frozenset[str]:
    """Tokens of one Han run; runs repeat across pages and counties, so each is cut once."""
    found: set[str] = set()
    for word in jieba.cut_for_search(run):
        if len(word) >= 2:
            found.update((word, pinyin.plain(word), pinyin.initials(word)))
    if 2 <= len(run) <= 6:
        found.update((pinyin.plain(run), pinyin.initials(run)))
    return frozenset(found)


def tokens(text: str) -> list[str]:
    """Sub-words of every Han run, and the pinyin of each word, sorted for determinism."""
    found: set[str] = set()
    for run in HAN_RUN.findall(TAG.sub("", text.replace("\u200b", ""))):
        found |= _run_tokens(run)
    return sorted(found)


def _own_entries(entries: list[dict[str, Any]], url: str) -> int:
    """Where this page's entries start: the search plugin has just appended them at the end,
    so only the tail is scanned (scanning every entry made the build quadratic in pages)."""
    start = len(entries)
    while start and (entries[start - 1]["location"] == url or entries[start - 1]["location"].startswith(url + "#")):
        start -= 1
    return start


def _search_plugin(config: Any) -> Any:
    return next((p for p in config.plugins.values() if hasattr(p, "search_index")), None)


def on_page_context(context: Any, page: Any, config: Any, **_: Any) -> Any:
    plugin = _search_plugin(config)
    if plugin is None or not getattr(plugin.search_index, "entries", None):
        return context
    entries: list[dict[str, Any]] = plugin.search_index.entries
    start = _own_entries(entries, page.url)
    mine = entries[start:]
    parser = RowParser()
    parser.feed(page.content or "")
    if parser.rows and mine:
        rows = [  # the parser decoded the page's character references: escape again, as Material does
            {"location": f"{page.url}#{anchor}", "title": html.escape(title, quote=False),
             "text": plugin.search_index._segment_chinese(html.escape(re.sub(r"\s+", " ", "".join(parts)).strip(),
                                                                      quote=False))}
            for anchor, title, parts in parser.rows if anchor
        ]
        entries[start:] = [mine[0], *rows]
        mine = entries[start:]
    for entry in mine:
        extra = tokens(entry.get("title", "") + " " + entry.get("text", ""))
        if extra:
            entry["tags"] = extra
    return context
