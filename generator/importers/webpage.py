"""Read a saved web page (.html) into blocks: paragraphs and `<table>`s in document order.

The page is parsed with lxml and only read: scripts, styles and forms are dropped unread,
nothing is fetched or executed.  A table is laid out on its grid: a cell with `colspan`
is followed by merged continuations to its right, one with `rowspan` by merged
continuations in the rows below, exactly as Word's gridSpan and vMerge are read.  Text
outside tables becomes one paragraph per block element (and per `<br>` line).
"""
from __future__ import annotations

import re
from typing import Any

import lxml.html
from lxml import etree

from .document import Block, Cell, ImportFailure, Loc, Paragraph, Table
from .notes import Note
from .text import decode

SKIP = {"script", "style", "noscript", "template", "head", "title", "meta", "link", "iframe", "object", "embed",
        "form", "button", "select", "svg", "nav"}
BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section", "article", "header", "footer",
         "main", "blockquote", "pre", "center", "dl", "dt", "dd", "body", "html", "table", "caption", "figure", "aside"}
MAX_SPAN = 1000
"""A rowspan/colspan larger than this is read as 1: no list table is that large, and a hostile page could ask for millions."""


def read_html(raw: bytes, notes: list[Note]) -> list[Block]:
    text = decode(raw, notes)
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    try:
        root = lxml.html.document_fromstring(text) if text.strip() else None
    except (etree.ParserError, ValueError) as exc:
        raise ImportFailure("无法作为网页（HTML）读取", "cannot be read as a web page (HTML)") from exc
    if root is None:
        raise ImportFailure("网页是空的", "the web page is empty")
    reader = _Reader()
    body = root.find("body")
    reader.walk(body if body is not None else root)
    reader.flush()
    return reader.blocks


def _tag(element: Any) -> str:
    return element.tag.lower() if isinstance(element.tag, str) else ""


def _span(value: str | None) -> int:
    try:
        number = int((value or "1").strip())
    except ValueError:
        return 1
    return number if 1 <= number <= MAX_SPAN else 1


def _cell_text(element: Any) -> str:
    """A cell's text: its paragraphs and <br> lines separated by blank lines, spaces tidied."""
    lines: list[str] = []
    current: list[str] = []

    def add(text: str | None) -> None:
        if text:
            current.append(text)

    def end() -> None:
        line = re.sub(r"[ \t\r\n\u00a0]+", " ", "".join(current)).strip()
        if line:
            lines.append(line)
        current.clear()

    def content(node: Any) -> None:
        add(node.text)
        for child in node:
            walk(child)
            add(child.tail)

    def walk(node: Any) -> None:
        tag = _tag(node)
        if tag in SKIP or isinstance(node, (etree._Comment, etree._ProcessingInstruction)):
            return
        if tag == "br":
            end()
        elif tag in BLOCK:
            end()
            content(node)
            end()
        else:
            content(node)

    content(element)
    end()
    return "\n\n".join(lines)


class _Reader:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.line: list[str] = []
        self.paragraphs = 0
        self.tables = 0

    def text(self, value: str | None) -> None:
        if value:
            self.line.append(value)

    def flush(self) -> None:
        line = re.sub(r"[ \t\r\n\u00a0]+", " ", "".join(self.line)).strip()
        self.line = []
        if line:
            self.paragraphs += 1
            self.blocks.append(Paragraph(line, Loc(f"第 {self.paragraphs} 段", f"paragraph {self.paragraphs}")))

    def walk(self, element: Any) -> None:
        tag = _tag(element)
        if tag in SKIP or isinstance(element, (etree._Comment, etree._ProcessingInstruction)):
            return
        if tag == "table":
            self.flush()
            self.table(element)
            return
        if tag == "br":
            self.flush()
            return
        if tag in BLOCK:
            self.flush()
        self.text(element.text)
        for child in element:
            self.walk(child)
            self.text(child.tail)
        if tag in BLOCK:
            self.flush()

    def table(self, element: Any) -> None:
        self.tables += 1
        index = self.tables
        rows = [tr for tr in element.iter("tr") if _owner(tr) is element]
        pending: dict[int, int] = {}
        """Column → rows still covered by a rowspan from above."""
        out: list[list[Cell]] = []
        for number, tr in enumerate(rows, 1):
            loc = Loc(f"第 {index} 个表格第 {number} 行", f"table {index}, row {number}")
            cells: list[Cell] = []
            col = 0

            def covered() -> None:
                nonlocal col
                while pending.get(col, 0) > 0:
                    pending[col] -= 1
                    cells.append(Cell("", loc, merged=True))
                    col += 1

            for td in tr:
                if _tag(td) not in ("td", "th"):
                    continue
                covered()
                rowspan, colspan = _span(td.get("rowspan")), _span(td.get("colspan"))
                cells.append(Cell(_cell_text(td), loc))
                cells.extend(Cell("", loc, merged=True) for _ in range(colspan - 1))
                for c in range(col, col + colspan):
                    if rowspan > 1:
                        pending[c] = rowspan - 1
                col += colspan
            covered()
            if len(cells) > 1 and all(c.merged for c in cells[1:]) and not any(pending.values()):
                cells = cells[:1]
            if cells:
                out.append(cells)
        if out:
            self.blocks.append(Table(out, out[0][0].loc))


def _owner(tr: Any) -> Any:
    """The table a row belongs to (not a table nested inside one of its cells)."""
    node = tr.getparent()
    while node is not None and _tag(node) != "table":
        node = node.getparent()
    return node
