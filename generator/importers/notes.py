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
