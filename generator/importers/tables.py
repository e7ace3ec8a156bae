"""Parse the three tabular parts (duties, boundaries, services) into rows.

Columns are recognised by their header text, not their position, so a county's extra
column (责任科室, 办理依据, 事项类型 …) is kept — in `columns`, values in `extra` — instead
of shifting the others.  A header may span two rows (a group label over its columns).
A cell that is empty or is the continuation of a vertical merge continues the row above:
that is how a main duty spans its work items and a matter spans its departments.  Nothing
is invented: an empty number stays absent, a duty without items has none, a service keeps
only the columns its list has, and a phone cell keeps exactly what it says.  Text that fits
no field becomes an `unplaced` note with its reason.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from .document import Cell, Loc, Paragraph, Table, is_serial
from .notes import Note, note, unplaced
from .parts import Part

EMPTY_PART = {"无", "暂无", "无。", "/", "—", "-", "（无）"}
TEXT_PLACEHOLDER = "（原文此处为空）"
NUMBER = r"序号|编号|^序$"
NOT_NAME = r"^(?!.*(?:类型|类别|依据|时限|地点|编码|对象|条件|方式|收费))"

Rules = list[tuple[str, str]]
DUTY_COLUMNS: Rules = [("number", NUMBER), ("remark", r"备注"), ("item", r"事项|工作任务"), ("duty", r"职责")]
BOUNDARY_COLUMNS: Rules = [("number", NUMBER), ("case", r"案例"), ("basis", r"依据"), ("division", r"分工"),
                           ("department", r"部门|单位"), ("matter", r"事项")]
SERVICE_COLUMNS: Rules = [("number", NUMBER), ("phone", r"电话"), ("content", r"内容"),
                          ("agency", r"机构|单位|科室|股室|部门"), ("name", NOT_NAME + r".*(?:事项|名称|项目)")]
KNOWN_COLUMNS = re.compile(
    r"^(?:序号|序|号|编号|主要职责|职责|部门职责|具体工作事项|工作事项|具体事项|备注|管理事项|职责边界事项|相关部门|"
    r"职责分工|相关依据|依据|案例|服务事项|事项名称|服务项目|主要内容|服务内容|承办机构|承办单位|承办科室|责任科室|"
    r"责任股室|联系电话|咨询电话|办理依据|实施依据|设定依据|事项类型|事项类别|办理时限|承诺时限|法定时限|收费标准|"
    r"收费依据|是否收费|办理地点|服务对象|办理条件|办理方式)$")
"""Column names lists use; web-page text has no table borders, so its header is recognised by these."""


@dataclass
class ItemRow:
    text: str
    loc: Loc
    remark: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


@dataclass
class DutyRow:
    number: str
    text: str
    loc: Loc
    items: list[ItemRow] = field(default_factory=list)
    extra: dict[str, str] = field(default_factory=dict)
    remark: str | None = None
    """Only for a duties table without a work-item column (a remark otherwise belongs to an item)."""


@dataclass
class Division:
    as_written: str
    text: str
    loc: Loc


@dataclass
class MatterRow:
    number: str
    matter: str
    loc: Loc
    divisions: list[Division] = field(default_factory=list)
    basis: list[tuple[str, Loc]] = field(default_factory=list)
    cases: list[str] = field(default_factory=list)
    extra: dict[str, str] = field(default_factory=dict)


@dataclass
class ServiceRow:
    number: str
    name: str
    loc: Loc
    content: str = ""
    agency: str = ""
    phone: str = ""
    extra: dict[str, str] = field(default_factory=dict)


@dataclass
class Grid:
    """A part's tables joined into one: the header, column roles and the body rows."""

    header: list[str]
    roles: list[str | None]
    body: list[list[Cell]]
    trailing: list[Paragraph]

    def extras(self) -> list[tuple[int, str]]:
        """(index, name) of the columns no standard field takes, in source order."""
        return [(i, _norm(name) or f"第{i + 1}栏") for i, (name, role) in enumerate(zip(self.header, self.roles))
                if role is None]


def _norm(text: str) -> str:
    return re.sub(r"\s", "", text)


def roles(header: list[str], rules: Rules) -> list[str | None]:
    taken: set[str] = set()
    roles: list[str | None] = []
    for name in header:
        role = next((r for r, pattern in rules if r not in taken and re.search(pattern, _norm(name))), None)
        if role:
            taken.add(role)
        roles.append(role)
    return roles


def _unplaced(notes: list[Note], loc: Loc, texts: list[str], reason: str) -> None:
    quote = "\n".join(t for t in texts if t.strip())
    if quote:
        notes.append(unplaced(loc, quote, reason))


def says_none(part: Part) -> bool:
    """The part holds nothing but "无" (a line, or a one-cell table as Word lists print it)."""
    texts = []
    for block in part.blocks:
        if isinstance(block, Paragraph):
            texts.append(block.text.strip())
        else:
            texts.extend(c.text.strip() for row in block.rows for c in row if c.text.strip())
    return bool(texts) and all(t in EMPTY_PART for t in texts)


def _header_like(row: list[Cell]) -> bool:
    fresh = [c.text for c in row if not c.merged and c.text.strip()]
    return bool(fresh) and not is_serial(row[0].text) and all(
        len(_norm(t)) <= 12 and not re.search(r"[，。；]", t) for t in fresh)


def _header(rows: list[list[Cell]]) -> tuple[list[str], int]:
    """The column names and how many rows they take: a second header row names a group's columns."""
    first = rows[0]
    names = [c.text for c in first]
    if len(rows) > 1 and len(rows[1]) == len(first) and _header_like(rows[1]) and _header_like(first) and (
            any(c.merged for c in first) or any(c.merged for c in rows[1])):
        below = rows[1]
        names = [b.text if not b.merged and b.text.strip() else a.text for a, b in zip(first, below)]
        for i, (a, b) in enumerate(zip(first, below)):
            if a.merged and not b.merged:
                names[i] = b.text
        for cell in below:
            cell.header = True
        for cell in first:
            cell.header = True
        return names, 2
    for cell in first:
        cell.header = True
    return names, 1


def grid(part: Part, rules: Rules, notes: list[Note]) -> Grid | None:
    """Join the part's tables (a table split by a page break repeats its header) and sort its paragraphs."""
    header: list[str] | None = None
    body: list[list[Cell]] = []
    trailing: list[Paragraph] = []
    for block in part.blocks:
        if isinstance(block, Table):
            rows = block.rows
            if not rows or all(c.text.strip() in EMPTY_PART | {""} for row in rows for c in row):
                continue
            if header is None:
                header, used = _header(rows)
                rows = rows[used:]
            elif [_norm(c.text) for c in rows[0]] == [_norm(h) for h in header]:
                for cell in rows[0]:
                    cell.header = True
                rows = rows[1:]
            for row in rows:
                if len(row) not in (1, len(header)) and any(c.text.strip() for c in row):
                    _unplaced(notes, row[0].loc, [c.text for c in row if not c.merged], "cell-count")
                else:
                    body.append(row)
            for paragraph in trailing:
                _unplaced(notes, paragraph.loc, [paragraph.text], paragraph.reason or "between-tables")
            trailing = []
        elif block.text.strip() in EMPTY_PART and header is None:
            continue
        elif header is None:
            _unplaced(notes, block.loc, [block.text], block.reason or "no-row")
        else:
            trailing.append(block)
    if header is None:
        for paragraph in trailing:
            _unplaced(notes, paragraph.loc, [paragraph.text], "no-row")
        return None
    return Grid(header, roles(header, rules), body, trailing)


def _fresh(cell: Cell | None) -> bool:
    return cell is not None and not cell.merged and bool(cell.text.strip())


def _text(cell: Cell | None) -> str:
    """A cell's own text; empty for a missing cell or the continuation of a merge."""
    return cell.text if cell is not None and _fresh(cell) else ""


def _getter(g: Grid, row: list[Cell]) -> Callable[[str], Cell | None]:
    cells = row + [Cell("", row[0].loc) for _ in range(len(g.roles) - len(row))]
    by_role = {role: cell for role, cell in zip(g.roles, cells) if role}
    return by_role.get


def _filled(text: str, loc: Loc, notes: list[Note], what: str, what_en: str) -> str:
    if text.strip():
        return text
    notes.append(note("import-placeholder", loc, what=what, what_en=what_en, value=TEXT_PLACEHOLDER))
    return TEXT_PLACEHOLDER


def _spanning(g: Grid, row: list[Cell]) -> bool:
    return len(row) == 1 and len(g.header) > 1


class _Extras:
    """Values of the extra columns; a merged continuation repeats the value above it."""

    def __init__(self, g: Grid) -> None:
        self.columns = g.extras()
        self.last: dict[str, str] = {}

    def values(self, row: list[Cell]) -> dict[str, str]:
        values = {}
        for i, name in self.columns:
            cell = row[i] if i < len(row) else None
            if cell is not None and cell.merged and name in self.last:
                values[name] = self.last[name]
            elif cell is not None and cell.text:
                values[name] = self.last[name] = cell.text
        return values


def _announce(g: Grid, part: Part, notes: list[Note]) -> list[str]:
    names = [name for _, name in g.extras()]
    for name in names:
        notes.append(note("import-extra-column", part.loc, column=name))
    return names


@dataclass
class Duties:
    heading: str
    columns: list[str]
    rows: list[DutyRow]
    notes: list[str]


def duties(part: Part, notes: list[Note]) -> Duties:
    g = grid(part, DUTY_COLUMNS, notes) if _has_table(part) else None
    result = Duties(part.heading, [], [], [])
    if g is None:
        result.rows, result.notes = _duty_lines(part, notes)
        return result
    result.columns = _announce(g, part, notes)
    extras = _Extras(g)
    has_items = "item" in g.roles
    repeats = _RepeatNote(notes)
    for row in g.body:
        loc = row[0].loc
        if _spanning(g, row):
            if row[0].text.strip().startswith("注") or result.notes:
                result.notes.append(row[0].text.strip())
            else:
                _unplaced(notes, loc, [row[0].text], "no-column")
            continue
        get = _getter(g, row)
        number, duty, item = _text(get("number")), _text(get("duty")), _text(get("item"))
        current = result.rows[-1] if result.rows else None
        placed = {duty, number}
        if duty and current is not None and duty == current.text and number in ("", current.number):
            repeats.seen(loc)
        elif duty:
            current = DutyRow(number.strip(), duty, loc)
            result.rows.append(current)
        else:
            placed = set()
        if not has_items and current is not None and duty:
            current.extra = extras.values(row)
            current.remark = _text(get("remark")) or None
            continue
        remark = get("remark")
        if current is None or not item:
            _unplaced(notes, loc, [c.text for c in row if not c.merged and c.text not in placed],
                      "no-row" if current is None else "no-column")
            continue
        if number and not placed:
            _unplaced(notes, loc, [number], "no-row")
        kept_remark = remark.text if remark is not None and not remark.merged and remark.text != "" else None
        current.items.append(ItemRow(item, loc, kept_remark, extras.values(row)))
    result.notes.extend(_notes_after(g.trailing, notes, bool(result.notes)))
    return result


def _has_table(part: Part) -> bool:
    return any(isinstance(b, Table) and not says_none(Part(part.key, "", part.loc, [b])) for b in part.blocks)


def _duty_lines(part: Part, notes: list[Note]) -> tuple[list[DutyRow], list[str]]:
    """A duties part published as lines of prose: each line one duty, numbered only when the line is."""
    from .supervision import numbering  # one numbering grammar for every prose part

    rows: list[DutyRow] = []
    footnotes: list[str] = []
    for block in part.blocks:
        if not isinstance(block, Paragraph):
            continue
        text = block.text.strip()
        if not text or text in EMPTY_PART:
            continue
        if text.startswith("注") or footnotes:
            footnotes.append(text)
            continue
        style, number, rest = numbering(text)
        rows.append(DutyRow((number or "").strip() if style else "", rest.strip() if style else text, block.loc))
    return rows, footnotes


class _RepeatNote:
    """One note per part for merged cells whose text the source repeats on every row."""

    def __init__(self, notes: list[Note]) -> None:
        self.notes = notes
        self.done = False

    def seen(self, loc: Loc) -> None:
        if not self.done:
            self.notes.append(note("import-repeated-cell", loc))
            self.done = True


def _notes_after(paragraphs: list[Paragraph], notes: list[Note], started: bool) -> list[str]:
    """Paragraphs under the duties table are its footnotes once one starts with 注."""
    out = []
    for paragraph in paragraphs:
        started = started or paragraph.text.strip().startswith("注")
        if started and paragraph.reason is None:
            out.append(paragraph.text.strip())
        else:
            _unplaced(notes, paragraph.loc, [paragraph.text], paragraph.reason or "between-tables")
    return out


def _leftover(g: Grid, notes: list[Note]) -> None:
    for paragraph in g.trailing:
        _unplaced(notes, paragraph.loc, [paragraph.text], paragraph.reason or "between-tables")


@dataclass
class Boundaries:
    columns: list[str]
    rows: list[MatterRow]


def boundaries(part: Part, notes: list[Note]) -> Boundaries:
    g = grid(part, BOUNDARY_COLUMNS, notes)
    result = Boundaries([], [])
    if g is None:
        return result
    result.columns = _announce(g, part, notes)
    extras = _Extras(g)
    rows = result.rows
    repeats = _RepeatNote(notes)
    for row in g.body:
        loc = row[0].loc
        if _spanning(g, row):
            _unplaced(notes, loc, [row[0].text], "no-column")
            continue
        get = _getter(g, row)
        number, matter, department, division, basis, case = (
            _text(get(role)) for role in ("number", "matter", "department", "division", "basis", "case"))
        current = rows[-1] if rows else None
        if matter and current is not None and matter.strip() == current.matter and number in ("", current.number):
            repeats.seen(loc)
        elif matter:
            current = MatterRow(number.strip(), matter.strip(), loc)
            rows.append(current)
        elif number:
            _unplaced(notes, loc, [number], "no-row")
        if current is None:
            _unplaced(notes, loc, [department, division, basis, case], "no-row")
            continue
        for name, value in extras.values(row).items():
            if name not in current.extra:
                current.extra[name] = value
            elif value not in current.extra[name]:
                current.extra[name] += "\n\n" + value
        if department:
            text = _filled(division, loc, notes, "职责分工", "division of duties")
            current.divisions.append(Division(department.strip(), text, loc))
        elif division:
            _unplaced(notes, loc, [division], "no-department")
        if basis and (not current.basis or current.basis[-1][0] != basis):
            current.basis.append((basis, loc))
        if case and case not in current.cases:
            current.cases.append(case)
    _leftover(g, notes)
    kept = []
    for matter_row in rows:
        if matter_row.divisions:
            kept.append(matter_row)
        else:
            texts = [matter_row.number, matter_row.matter, *(b for b, _ in matter_row.basis), *matter_row.cases,
                     *matter_row.extra.values()]
            _unplaced(notes, matter_row.loc, texts, "no-department")
    result.rows = kept
    return result


@dataclass
class Services:
    columns: list[str]
    rows: list[ServiceRow]


def services(part: Part, notes: list[Note]) -> Services:
    g = grid(part, SERVICE_COLUMNS, notes)
    result = Services([], [])
    if g is None:
        return result
    result.columns = _announce(g, part, notes)
    extras = _Extras(g)
    above = {"agency": "", "phone": ""}
    for row in g.body:
        get = _getter(g, row)
        if _spanning(g, row) or not _text(get("name")):
            _unplaced(notes, row[0].loc, [c.text for c in row if not c.merged],
                      "no-column" if _spanning(g, row) else "no-row")
            continue
        loc = row[0].loc
        for role in above:
            cell = get(role)
            if cell is None or not cell.merged:
                above[role] = cell.text if cell is not None else ""
        result.rows.append(ServiceRow(_text(get("number")).strip(), _text(get("name")), loc, _text(get("content")),
                                      above["agency"], above["phone"], extras.values(row)))
    _leftover(g, notes)
    return result
