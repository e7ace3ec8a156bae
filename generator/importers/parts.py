"""Find the four parts of a list in the block stream, after removing a table of contents.

Counties name the parts differently (职责边界表, 与相关部门的职责边界登记表, 部门职责登记表,
公共服务事项登记表 …), so a part heading is recognised by its name, not its wording: a
short line that is only a known part name, optionally numbered and suffixed with 登记表/表/
清单.  Anything else that happens to be numbered 一、…四、 (Anhua nests its own 一、…六、
inside part 三) is content.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .document import CN_NUMERAL, Block, Loc, Paragraph, Table
from .notes import Note, note

PART_KEYS = ("duties", "boundaries", "supervision", "services")
SUFFIX = r"(?:登记表|清单|一览表|表)?"
PART_NAMES = {
    "duties": re.compile(rf"部门(?:主要)?职责{SUFFIX}"),
    "boundaries": re.compile(rf"(?:与相关部门的?)?职责边界{SUFFIX}"),
    "supervision": re.compile(rf"事中事后监管(?:制度)?{SUFFIX}"),
    "services": re.compile(rf"公共服务(?:事项)?{SUFFIX}"),
}
PART_NUMBER = re.compile(rf"^(?:(?:[{CN_NUMERAL}]+|\d+)\s*[、.．]|第[{CN_NUMERAL}]+部分)")
CONTENTS = re.compile(r"^\s*目\s*录\s*$")
PAGE_REF = re.compile(r"[\s.…·．\-—_]*\d+\s*$")


def part_key(line: str) -> str | None:
    """Which part a heading line opens, or None when the line is not a part heading."""
    name = re.sub(r"\s", "", line)
    name = PART_NUMBER.sub("", name).rstrip("：:")
    for key, pattern in PART_NAMES.items():
        if pattern.fullmatch(name):
            return key
    return None


@dataclass
class Part:
    key: str
    heading: str
    loc: Loc
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Outline:
    preface: list[Block]
    parts: dict[str, Part]
    kept: list[Block] = field(default_factory=list)
    """Every block after a table of contents was removed: what the coverage figure counts."""


def outline(blocks: list[Block], notes: list[Note]) -> Outline:
    """Split the stream at the first heading of each part; what precedes them is the preface."""
    preface: list[Block] = []
    parts: dict[str, Part] = {}
    current: Part | None = None
    kept = drop_contents(captions(blocks), notes)
    for block in kept:
        key = part_key(block.text) if isinstance(block, Paragraph) else None
        if key and key not in parts:
            current = parts[key] = Part(key, block.text.strip(), block.loc)
        elif current is None:
            preface.append(block)
        else:
            current.blocks.append(block)
    return Outline(preface, parts, kept)


def captions(blocks: list[Block]) -> list[Block]:
    """Single-cell rows on top of a table (a title or part heading typed into it) become paragraphs."""
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Table):
            rows = block.rows
            while len(rows) > 1 and len(rows[0]) == 1:
                out.append(Paragraph(rows[0][0].text, rows[0][0].loc))
                rows = rows[1:]
            block = Table(rows, rows[0][0].loc if rows and rows[0] else block.loc)
        out.append(block)
    return out


def _entry(text: str) -> str:
    return re.sub(r"\s", "", PAGE_REF.sub("", text))


def drop_contents(blocks: list[Block], notes: list[Note]) -> list[Block]:
    """Remove each 目录 block: the 目录 line and its entries, up to where the first entry recurs.

    Without the repeat, entries that all end in page numbers are taken as the contents;
    otherwise the 目录 line is left alone and will surface as unplaced text.
    """
    out: list[Block] = []
    i = 0
    while i < len(blocks):
        block = blocks[i]
        end = _contents_end(blocks, i) if isinstance(block, Paragraph) and CONTENTS.match(block.text) else None
        if end is None:
            out.append(block)
            i += 1
            continue
        skipped = [b.text for b in blocks[i:end] if isinstance(b, Paragraph)]
        notes.append(note("import-contents-skipped", block.loc, "\n".join(skipped), count=len(skipped)))
        i = end
    return out


def _contents_end(blocks: list[Block], start: int) -> int | None:
    entries: list[str] = []
    paged = True
    j = start + 1
    while j < len(blocks):
        block = blocks[j]
        if not isinstance(block, Paragraph):
            break
        text = block.text.strip()
        if not text:
            j += 1
            continue
        if entries and _entry(text) == entries[0]:
            return j
        if len(text) > 60 or text.endswith(("。", "；", ";")):
            break
        entries.append(_entry(text))
        paged = paged and bool(re.search(r"\d\s*$", text))
        j += 1
    return j if entries and paged else None
