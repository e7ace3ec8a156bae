"""Split the supervision prose (part 三) into systems, sections and nested clauses.

The structure is carried by numbering styles: a system title is a （一）-style line at the
top of the part that is short, has no closing punctuation, continues the systems' count
and is followed by a preamble or a section heading; the first other numbering style
inside a system marks its sections (一、 in Anhua, 1、 in Ding'an); every further style
opens a deeper clause level, and a style already open closes the levels below it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..checks import from_chinese
from .document import Loc, Paragraph, Table
from .notes import Note, note, unplaced
from .parts import Part

CN = "一二三四五六七八九十百零〇"
STYLES = [
    ("article", re.compile(rf"^(第[{CN}]+条)\s*")),
    ("cn", re.compile(rf"^([{CN}]+、)\s*")),
    ("cnparen", re.compile(rf"^([（(][{CN}]+[)）])\s*")),
    ("arabic", re.compile(r"^(\d+、)\s*")),
    ("arabic-dot", re.compile(r"^(\d+[.．])(?!\d)\s*")),
    ("arabic-paren", re.compile(r"^([（(]\d+[)）])\s*")),
]
CLOSING = ("。", "；", ";", "：", ":", "！", "？", "!", "?", "，", ",", "、", "）", ")", "”", "」", "》")
INNER = re.compile(r"[，、；：,;]")
KINDS = [("对象", "objects"), ("内容", "contents"), ("方式", "methods"), ("程序", "procedure"), ("流程", "procedure"),
         ("措施", "measures"), ("处理", "handling"), ("标准", "standards"), ("考核", "assessment")]
EMPTY_SECTION = "（原文本节无内容）"
TITLE_MAX = 40
HEADING_MAX = 15


@dataclass
class Clause:
    number: str | None
    text: str
    loc: Loc
    clauses: list[Clause] = field(default_factory=list)


@dataclass
class Section:
    number: str
    heading: str
    loc: Loc
    clauses: list[Clause] = field(default_factory=list)


@dataclass
class System:
    number: str
    title: str
    loc: Loc
    preamble: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)


def numbering(line: str) -> tuple[str | None, str | None, str]:
    """The line's numbering style, its number as written and the text after it."""
    for style, pattern in STYLES:
        match = pattern.match(line)
        if match:
            return style, match.group(1), line[match.end():]
    return None, None, line


def kind(heading: str) -> str:
    """The section kind named first in the heading (监督检查方式及程序 → methods)."""
    found = [(heading.find(word), value) for word, value in KINDS if word in heading]
    return min(found)[1] if found else "other"


def _value(number: str) -> int:
    return from_chinese(re.sub(r"[^0-9" + CN + "]", "", number))


def _broken(text: str) -> bool:
    """Prose cut by a line break: it has inner punctuation but stops without closing punctuation."""
    return not text or (not text.endswith(CLOSING) and bool(INNER.search(text)))


class _Parser:
    def __init__(self, part: Part, notes: list[Note]) -> None:
        self.part = part
        self.notes = notes
        self.systems: list[System] = []
        self.section_style: str | None = None
        self.stack: list[tuple[str | None, Clause, list[Clause]]] = []
        self.tail: Clause | System | None = None

    def feed(self, text: str, loc: Loc, following: str | None) -> None:
        style, number, rest = numbering(text)
        if self._is_title(style, number, rest, following):
            self.systems.append(System(number or "", rest, loc))
            self.section_style, self.stack, self.tail = None, [], None
            return
        if self._join(text, loc):
            return
        if not self.systems:
            if style is None:
                self.notes.append(unplaced(loc, text, "no-system"))
                return
            self._implicit_system(loc)
        system = self.systems[-1]
        if self.section_style is None:
            if style is None:
                system.preamble.append(text)
                self.tail = system
                return
            self.section_style = style
        if style is None:
            self._paragraph(text, loc)
        elif style == self.section_style:
            self._section(number or "", rest, loc)
        else:
            self._clause(style, number or "", rest, loc)

    def _is_title(self, style: str | None, number: str | None, rest: str, following: str | None) -> bool:
        if style != "cnparen" or not rest or len(rest) > TITLE_MAX or rest.endswith(CLOSING) or following is None:
            return False
        return _value(number or "") == len(self.systems) + 1 and numbering(following)[0] != "cnparen"

    def _join(self, text: str, loc: Loc) -> bool:
        """Append an unnumbered line to the clause or preamble paragraph it continues."""
        if numbering(text)[0] is not None or self.tail is None:
            return False
        if isinstance(self.tail, Clause):
            before = self.tail.text
        else:
            before = self.tail.preamble[-1]
        if not _broken(before):
            return False
        if isinstance(self.tail, Clause):
            self.tail.text += text
        else:
            self.tail.preamble[-1] += text
        self.notes.append(note("import-joined-line", loc, tail=before[-8:], head=text[:8]))
        return True

    def _implicit_system(self, loc: Loc) -> None:
        title = re.sub(r"^[" + CN + r"\d]+[、.．]\s*", "", self.part.heading)
        self.notes.append(note("import-placeholder", loc, what="监管制度名称", what_en="supervision system title", value=title))
        self.systems.append(System("（一）", title, loc))

    def _section(self, number: str, rest: str, loc: Loc) -> None:
        heading, first = rest, ""
        head, colon, after = rest.partition("：")
        if colon and after.strip() and len(head) <= HEADING_MAX:
            heading, first = head + colon, after.strip()
            self.notes.append(note("import-heading-split", loc))
        section = Section(number, heading, loc)
        self.systems[-1].sections.append(section)
        self.stack, self.tail = [], None
        if first:
            self._paragraph(first, loc)

    def _paragraph(self, text: str, loc: Loc) -> None:
        """An unnumbered paragraph: a sibling of the deepest numbered clause open."""
        node = Clause(None, text, loc)
        if self.stack and self.stack[-1][0] is None:
            parent = self.stack[-1][2]
        elif len(self.stack) >= 2:
            parent = self.stack[-2][1].clauses
        else:
            parent = self.systems[-1].sections[-1].clauses
        parent.append(node)
        while self.stack and self.stack[-1][0] is None:
            self.stack.pop()
        self.stack.append((None, node, parent))
        self.tail = node

    def _clause(self, style: str, number: str, rest: str, loc: Loc) -> None:
        node = Clause(number, rest, loc)
        while self.stack and self.stack[-1][0] is None:
            self.stack.pop()
        styles = [s for s, _, _ in self.stack]
        if style in styles:
            del self.stack[styles.index(style):]
        parent = self.stack[-1][1].clauses if self.stack else self.systems[-1].sections[-1].clauses
        parent.append(node)
        self.stack.append((style, node, parent))
        self.tail = node

    def finish(self) -> list[System]:
        for system in self.systems:
            if not system.sections:
                section = Section("", system.title, system.loc)
                section.clauses = [Clause(None, p, system.loc) for p in system.preamble]
                system.preamble, system.sections = [], [section]
            for section in system.sections:
                if not section.clauses:
                    self.notes.append(note("import-placeholder", section.loc, what="本节内容", what_en="section text",
                                           value=EMPTY_SECTION))
                    section.clauses.append(Clause(None, EMPTY_SECTION, section.loc))
        return self.systems


def systems(part: Part, notes: list[Note]) -> list[System]:
    lines: list[tuple[str, Loc]] = []
    for block in part.blocks:
        if isinstance(block, Paragraph):
            lines.append((block.text.strip(), block.loc))
        elif isinstance(block, Table):
            quote = "\n".join(c.text for row in block.rows for c in row if c.text.strip())
            if quote:
                notes.append(unplaced(block.loc, quote, "table-in-prose"))
    parser = _Parser(part, notes)
    for i, (text, loc) in enumerate(lines):
        parser.feed(text, loc, lines[i + 1][0] if i + 1 < len(lines) else None)
    return parser.finish()
