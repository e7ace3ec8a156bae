"""Read a .docx list into blocks: paragraphs and tables in document order.

Cells are read from the table XML itself rather than python-docx's grid view, so Word's
merges are seen as Word stores them: a vertically merged cell is one `w:tc` with
`w:vMerge="restart"` followed, in the rows below, by `w:tc`s with `w:vMerge` (continue)
that hold no text; a horizontally merged cell is one `w:tc` with `w:gridSpan`.  A row that
is a single cell spanning the table (a note under the table) stays a one-cell row.
"""
from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph as DocxParagraph
from lxml import etree

from .archive import guard
from .document import Block, Cell, Loc, Paragraph, Table, ImportFailure


def read_word(path: Path) -> list[Block]:
    guard(path, "Word (.docx)")
    try:
        body = docx.Document(str(path)).element.body
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, etree.XMLSyntaxError) as exc:
        raise ImportFailure("无法作为 Word 文档（.docx）打开", "cannot be opened as a Word document (.docx)") from exc
    blocks: list[Block] = []
    paragraphs = tables = 0
    for element in _body_elements(body):
        if element.tag == qn("w:p"):
            paragraphs += 1
            text = DocxParagraph(element, None).text
            if text.strip():
                numbered = element.pPr is not None and element.pPr.numPr is not None
                blocks.append(Paragraph(text, Loc(f"第 {paragraphs} 段", f"paragraph {paragraphs}"), numbered))
        else:
            tables += 1
            blocks.append(_table(element, tables))
    return blocks


def _body_elements(parent: Any) -> Iterator[Any]:
    """Paragraphs and tables, looking inside content controls (w:sdt) as Word shows them."""
    for child in parent.iterchildren():
        if child.tag in (qn("w:p"), qn("w:tbl")):
            yield child
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _body_elements(content)


def _cell_text(tc: Any) -> str:
    """A cell's paragraphs separated by blank lines (the register's paragraph convention)."""
    texts: list[str] = []
    for child in tc.iterchildren():
        if child.tag == qn("w:p"):
            texts.append(DocxParagraph(child, None).text)
        elif child.tag == qn("w:tbl"):
            texts.extend(_cell_text(inner) for row in child.tr_lst for inner in row.tc_lst)
    return "\n\n".join(t for t in texts if t)


def _table(tbl: Any, index: int) -> Table:
    rows: list[list[Cell]] = []
    for number, tr in enumerate(tbl.tr_lst, 1):
        loc = Loc(f"第 {index} 个表格第 {number} 行", f"table {index}, row {number}")
        cells = [Cell("", loc) for _ in range(tr.grid_before)]
        for tc in tr.tc_lst:
            cells.append(Cell(_cell_text(tc), loc, merged=tc.vMerge == "continue"))
            cells.extend(Cell("", loc, merged=True) for _ in range(tc.grid_span - 1))
        if len(tr.tc_lst) == 1 and tr.grid_before == 0:
            cells = cells[:1]
        rows.append(cells)
    return Table(rows, rows[0][0].loc if rows and rows[0] else Loc(f"第 {index} 个表格", f"table {index}"))
