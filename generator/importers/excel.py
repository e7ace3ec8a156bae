"""Read an Excel list (.xlsx) into blocks: each sheet's title lines and tables, in sheet order.

Counties publish lists as one sheet per part (sheet named 部门职责, 公共服务事项 …) or as
one sheet with part headings typed into merged rows.  Values are read as Excel shows them
(`data_only`: a formula's cached result; nothing is evaluated).  A merged range's value
sits in its top-left cell; every other cell of the range becomes a merged continuation,
exactly like Word's vMerge and gridSpan.  A row whose only text is one cell (or one merged
range) is a line of prose — a title, a part heading, 注：… — unless it is inside a table
and spans it, which keeps it a one-cell row as in Word.  An empty row ends a table.
"""
from __future__ import annotations

import datetime
import warnings
import zipfile
from pathlib import Path
from typing import Any

from .archive import guard
from .document import Block, Cell, ImportFailure, Loc, Paragraph, Table
from .parts import part_key


def read_excel(path: Path) -> list[Block]:
    guard(path, "Excel (.xlsx)")
    import openpyxl  # deferred: only Excel imports pay for it

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError) as exc:
        raise ImportFailure("无法作为 Excel 工作簿（.xlsx）打开", "cannot be opened as an Excel workbook (.xlsx)") from exc
    blocks: list[Block] = []
    for sheet in book.worksheets:
        blocks.extend(_sheet(sheet))
    return blocks


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    return str(value).replace("\r\n", "\n").replace("_x000D_", "")


def _sheet(sheet: Any) -> list[Block]:
    name = sheet.title
    covered: dict[tuple[int, int], tuple[int, int]] = {}
    for rng in sheet.merged_cells.ranges:
        for row in range(rng.min_row, rng.max_row + 1):
            for col in range(rng.min_col, rng.max_col + 1):
                covered[(row, col)] = (rng.min_row, rng.min_col)
    width = 0
    grid: list[list[tuple[str, bool]]] = []
    for r, row in enumerate(sheet.iter_rows(), 1):
        cells = []
        for c, cell in enumerate(row, 1):
            origin = covered.get((r, c))
            merged = origin is not None and origin != (r, c)
            cells.append(("" if merged else _text(cell.value), merged))
            if cells[-1][0].strip():
                width = max(width, c)
        grid.append(cells)
    blocks: list[Block] = []
    if part_key(name):
        blocks.append(Paragraph(name, Loc(f"工作表“{name}”", f"sheet “{name}”")))
    rows: list[list[Cell]] = []
    for r, raw in enumerate(grid, 1):
        loc = Loc(f"工作表“{name}”第 {r} 行", f"sheet “{name}”, row {r}")
        raw = (raw + [("", False)] * width)[:width]
        texts = [t for t, _ in raw if t.strip()]
        fresh = [i for i, (t, merged) in enumerate(raw) if t.strip() and not merged]
        if not texts:
            if not any(merged for _, merged in raw):
                _flush(blocks, rows, name)
                rows = []
                continue
        single = len(fresh) == 1 and all(not t.strip() for i, (t, _) in enumerate(raw) if i != fresh[0])
        if single and (not rows or part_key(texts[0]) or _spans(raw, fresh[0])):
            if rows and not part_key(texts[0]):
                rows.append([Cell(texts[0], loc)])
                continue
            _flush(blocks, rows, name)
            rows = []
            blocks.append(Paragraph(texts[0], loc))
            continue
        rows.append([Cell(t, loc, merged=merged) for t, merged in raw])
    _flush(blocks, rows, name)
    return blocks


def _spans(raw: list[tuple[str, bool]], first: int) -> bool:
    """The only text sits in the first cell and the rest of the row is its merged range."""
    return first == 0 and all(merged for _, merged in raw[1:]) and len(raw) > 1


def _flush(blocks: list[Block], rows: list[list[Cell]], name: str) -> None:
    if rows:
        blocks.append(Table(rows, rows[0][0].loc))
