"""The import report: what the importer did on a guess and what it could not place.

Every note has a stable kebab-case code and a Chinese and English message.  The report is
printed and written as a comment block at the top of the draft, so it travels with the
file until a person has dealt with it; source text that found no place in the register is
quoted in full there, never dropped.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import CATALOGUE
from .document import Loc

MESSAGES: dict[str, tuple[str, str]] = {
    code: (spec.zh, spec.en) for code, spec in CATALOGUE.items() if code.startswith("import-")
}
"""The import codes live in the one error catalogue (generator/errors.py), like every other."""


@dataclass(frozen=True)
class Note:
    """One entry of the import report."""

    code: str
    params: tuple[tuple[str, str], ...] = ()
    loc: Loc | None = None
    quote: str | None = None

    @property
    def zh(self) -> str:
        return MESSAGES[self.code][0].format(**dict(self.params))

    @property
    def en(self) -> str:
        return MESSAGES[self.code][1].format(**dict(self.params))


def note(code: str, loc: Loc | None = None, quote: str | None = None, **params: Any) -> Note:
    """Build a note; the code must be in MESSAGES so every message has both languages."""
    if code not in MESSAGES:
        raise KeyError(code)
    return Note(code, tuple((k, str(v)) for k, v in params.items()), loc, quote)


UNPLACED_REASONS: dict[str, tuple[str, str]] = {
    "preface": ("清单各部分之前的文字", "text before the list's parts"),
    "no-column": ("不属于任何一栏", "fits no column"),
    "cell-count": ("行的单元格数与表头不符", "the row has the wrong number of cells"),
    "ambiguous": ("网页文本没有标出空单元格，无法确定各单元格属于哪一栏", "web text marks no empty cells, so the cells' columns are uncertain"),
    "no-row": ("找不到所属的行", "belongs to no row"),
    "between-tables": ("表格之间或表格之后的文字", "text between or after tables"),
    "no-department": ("边界事项没有相关部门", "a matter without any department"),
    "no-law": ("依据中没有用书名号《》标出的法律法规", "no law named in 《》"),
    "table-in-prose": ("监管制度部分中的表格", "a table inside the supervision part"),
    "no-system": ("监管制度部分中不属于任何制度的文字", "supervision text before any system"),
    "phone-extra": ("联系电话栏中电话号码以外的文字", "text beside the number in a phone cell"),
}
"""Why text was not placed; the key is stable, the words go into the draft's `unplaced` entry."""


def unplaced(loc: Loc, text: str, reason: str) -> Note:
    """Source text that found no field: reported, and written to the draft's top-level `unplaced`."""
    zh, en = UNPLACED_REASONS[reason]
    return note("import-unplaced", loc, text, reason=zh, reason_en=en)


def render(source: str, notes: list[Note], summary: str) -> list[str]:
    """The report as plain lines: a heading, the summary, then one entry per note."""
    lines = [f"导入报告 Import report: qingdan import {source}",
             "（核对并处理以下各项后删除本段 Delete this block once every entry is dealt with.）",
             summary]
    if not notes:
        lines.append("没有需要处理的事项。 Nothing to review.")
    for n in notes:
        where = f"{n.loc}: " if n.loc else ""
        lines.append(f"- [{n.code}] {where}{n.zh}")
        lines.append(f"    {n.en}")
        if n.quote is not None:
            lines.extend(f"    | {line}" for line in n.quote.split("\n"))
    return lines
