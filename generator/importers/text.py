"""Read a plain-text dump of a published list into blocks.

The dumps (see ../shared/seeds) write one table cell per line, each cell line starting
with a tab; a cell may run on over further lines (paragraphs separated by blank lines);
merged cells appear as empty cells.  A table's cells form a flat sequence: the header
cells come first (some split over lines, 序 / 号), and the first cell holding only a serial
number starts the body, which fixes the number of columns.  A cell at a row start that is
neither empty nor a serial number spans the whole row (Ding'an's 注：… under the table).
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

from .document import Block, Cell, Loc, Paragraph, Table, ImportFailure, is_serial
from .notes import Note, note
from .parts import part_key

ENDS_TABLE = re.compile(r"^\s*(?:注|说明)[：:]|^\s*目\s*录\s*$")


def decode(raw: bytes, notes: list[Note]) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 as Chinese Windows saves it."""
    if raw.startswith(codecs.BOM_UTF8):
        return raw[3:].decode("utf-8", errors="strict")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        notes.append(note("import-encoding", encoding="UTF-16"))
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise ImportFailure("文件既不是 UTF-8 也不是 GB18030 编码的文本", "the file is neither UTF-8 nor GB18030 text") from exc
    notes.append(note("import-encoding", encoding="GB18030"))
    return text


def _loc(line: int) -> Loc:
    return Loc(f"第 {line} 行", f"line {line}")


@dataclass
class _RawCell:
    line: int
    lines: list[str] = field(default_factory=list)

    def text(self) -> str:
        """Paragraphs separated by blank lines become "\\n\\n"; a lone blank-looking line is kept."""
        paragraphs: list[list[str]] = [[]]
        for line in self.lines:
            if line.strip():
                paragraphs[-1].append(line)
            elif paragraphs[-1]:
                paragraphs.append([])
        joined = "\n\n".join("\n".join(p) for p in paragraphs if p)
        return joined or (self.lines[0] if self.lines else "")


def read_text(raw: bytes, notes: list[Note]) -> list[Block]:
    text = decode(raw, notes)
    lines = re.sub(r"\r\n?|\f", "\n", text).split("\n")
    blocks: list[Block] = []
    cells: list[_RawCell] = []
    for number, line in enumerate(lines, 1):
        if line.startswith("\t"):
            cells.extend(_RawCell(number, [segment]) for segment in line[1:].split("\t"))
        elif cells and not (part_key(line) or ENDS_TABLE.match(line)):
            cells[-1].lines.append(line)
        else:
            if cells:
                blocks.extend(_table(cells))
                cells = []
            if line.strip():
                blocks.append(Paragraph(line, _loc(number)))
    if cells:
        blocks.extend(_table(cells))
    return blocks


def _table(raw: list[_RawCell]) -> list[Block]:
    """The cells as a table, after any part heading typed as the table's first cell."""
    cells = [Cell(c.text(), _loc(c.line)) for c in raw]
    lead: list[Block] = []
    while len(cells) > 1 and part_key(cells[0].text):
        lead.append(Paragraph(cells[0].text, cells[0].loc))
        cells = cells[1:]
    width = next((i for i, c in enumerate(cells) if is_serial(c.text)), len(cells)) or len(cells)
    rows = [cells[:width]]
    i = width
    while i < len(cells):
        if not cells[i].text.strip() or is_serial(cells[i].text):
            rows.append(cells[i:i + width])
            i += width
        else:
            rows.append([cells[i]])
            i += 1
    return [*lead, Table(rows, cells[0].loc)]
