"""The block stream both readers produce: paragraphs and tables in document order.

A text dump and a Word file differ only in how they are read; from here on the importer
sees paragraphs (one line of prose) and tables (rows of cells, a continuation of a
vertically merged cell marked as such), each with a location for the import report.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

CN_NUMERAL = "一二三四五六七八九十百零〇"
SERIAL = re.compile(rf"^\s*[（(]?\s*(?:\d+|[{CN_NUMERAL}]+)\s*[)）]?\s*[、.．]?\s*$")
"""A cell holding only a serial number ("1", "12", "（一）", "3、"): the start of a table row."""


@dataclass(frozen=True)
class Loc:
    """Where something stands in the source, in both languages."""

    zh: str
    en: str

    def __str__(self) -> str:
        return f"{self.zh} {self.en}"


@dataclass
class Paragraph:
    text: str
    loc: Loc
    auto_numbered: bool = False
    """Word numbered the paragraph itself: its label is not part of the text."""
    reason: str | None = None
    """Set by a reader that already knows the text fits nowhere (a row of the wrong width)."""


@dataclass
class Cell:
    text: str
    loc: Loc
    merged: bool = False
    """A continuation of a merged cell (Word's vMerge="continue", a gridSpan, HTML rowspan/colspan, Excel merge)."""
    header: bool = False
    """Read as a column name (set by `tables.grid`); coverage does not count column names."""


@dataclass
class Table:
    rows: list[list[Cell]]
    loc: Loc


Block = Paragraph | Table


def is_serial(text: str) -> bool:
    return bool(SERIAL.match(text))


class ImportFailure(Exception):
    """No valid draft can come of this input (unreadable file, no parts, broken registers/): exit 1.

    `code` is a catalogue code when the failure has one of its own (a zip bomb), so scripts can tell.
    """

    def __init__(self, zh: str, en: str, code: str = "import-failed") -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en
        self.code = code
