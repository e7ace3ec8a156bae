"""Parse the three tabular parts (duties, boundaries, services) into rows.

Columns are recognised by their header text, not their position, so a county's extra
column (责任科室 …) is kept instead of shifting the others.  A cell that is empty or is
the continuation of a vertical merge continues the row above: that is how a main duty
spans its work items and a matter spans its departments.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from .document import Cell, Loc, Paragraph, Table
from .notes import Note, note
from .parts import Part

EMPTY_PART = {"无", "暂无", "无。", "/", "—", "-"}
PHONE = re.compile(r"^\s*(?:\+?86[- ]?)?[0-9][0-9-]{4,}\s*$")
PHONE_TOKEN = re.compile(r"(?:\+?86[- ]?)?[0-9][0-9-]{4,}")
PHONE_PLACEHOLDER = "00000"
TEXT_PLACEHOLDER = "（原文此处为空）"

Rules = list[tuple[str, str]]
DUTY_COLUMNS: Rules = [("number", r"序号|编号|^序$"), ("remark", r"备注"), ("item", r"事项"), ("duty", r"职责")]
BOUNDARY_COLUMNS: Rules = [("number", r"序号|编号|^序$"), ("case", r"案例"), ("basis", r"依据"), ("division", r"分工"),
                           ("department", r"部门|单位"), ("matter", r"事项")]
SERVICE_COLUMNS: Rules = [("number", r"序号|编号|^序$"), ("phone", r"电话"), ("content", r"内容"),
                          ("agency", r"机构|单位|科室|部门"), ("name", r"事项|名称|项目")]


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


@dataclass
class ServiceRow:
    number: str
    name: str
    content: str
    agency: str
    phone: str
    loc: Loc


@dataclass
class Grid:
    """A part's tables joined into one: the header, column roles and the body rows."""

    header: list[str]
    roles: list[str | None]
    body: list[list[Cell]]
    trailing: list[Paragraph]


def _norm(text: str) -> str:
    return re.sub(r"\s", "", text)


def _roles(header: list[str], rules: Rules) -> list[str | None]:
    taken: set[str] = set()
    roles: list[str | None] = []
    for name in header:
        role = next((r for r, pattern in rules if r not in taken and re.search(pattern, _norm(name))), None)
        if role:
            taken.add(role)
        roles.append(role)
    return roles


def _unplaced(notes: list[Note], loc: Loc, texts: list[str]) -> None:
    quote = "\n".join(t for t in texts if t.strip())
    if quote:
        notes.append(note("import-unplaced", loc, quote))


def grid(part: Part, rules: Rules, notes: list[Note]) -> Grid | None:
    """Join the part's tables (a table split by a page break repeats its header) and sort its paragraphs."""
    header: list[str] | None = None
    body: list[list[Cell]] = []
    trailing: list[Paragraph] = []
    for block in part.blocks:
        if isinstance(block, Table):
            rows = block.rows
            if header is None:
                header, rows = [c.text for c in rows[0]], rows[1:]
            elif [_norm(c.text) for c in rows[0]] == [_norm(h) for h in header]:
                rows = rows[1:]
            body.extend(rows)
            for paragraph in trailing:
                _unplaced(notes, paragraph.loc, [paragraph.text])
            trailing = []
        elif header is None and block.text.strip() in EMPTY_PART:
            continue
        elif header is None:
            _unplaced(notes, block.loc, [block.text])
        else:
            trailing.append(block)
    if header is None:
        return None
    return Grid(header, _roles(header, rules), body, trailing)


def _fresh(cell: Cell | None) -> bool:
    return cell is not None and not cell.merged and bool(cell.text.strip())


def _text(cell: Cell | None) -> str:
    """A cell's own text; empty for a missing cell or the continuation of a merge."""
    return cell.text if cell is not None and _fresh(cell) else ""


def _getter(g: Grid, row: list[Cell]) -> Callable[[str], Cell | None]:
    cells = row + [Cell("", row[0].loc) for _ in range(len(g.roles) - len(row))]
    by_role = {role: cell for role, cell in zip(g.roles, cells) if role}
    return by_role.get


def _number(text: str, position: int, loc: Loc, notes: list[Note]) -> str:
    if text.strip():
        return text.strip()
    notes.append(note("import-placeholder", loc, what="序号", what_en="number", value=str(position)))
    return str(position)


def _filled(text: str, loc: Loc, notes: list[Note], what: str, what_en: str) -> str:
    if text.strip():
        return text
    notes.append(note("import-placeholder", loc, what=what, what_en=what_en, value=TEXT_PLACEHOLDER))
    return TEXT_PLACEHOLDER


def _spanning(g: Grid, row: list[Cell]) -> bool:
    return len(row) == 1 and len(g.header) > 1


@dataclass
class Duties:
    heading: str
    columns: list[str]
    rows: list[DutyRow]
    notes: list[str]


def duties(part: Part, notes: list[Note]) -> Duties:
    g = grid(part, DUTY_COLUMNS, notes)
    result = Duties(part.heading, [], [], [])
    if g is None:
        return result
    extras = [(i, _norm(name) or f"第{i + 1}栏") for i, (name, role) in enumerate(zip(g.header, g.roles)) if role is None]
    result.columns = [name for _, name in extras]
    for _, name in extras:
        notes.append(note("import-extra-column", part.loc, column=name))
    last_extra: dict[str, str] = {}
    repeats = _RepeatNote(notes)
    for row in g.body:
        loc = row[0].loc
        if _spanning(g, row):
            if row[0].text.strip().startswith("注") or result.notes:
                result.notes.append(row[0].text.strip())
            else:
                _unplaced(notes, loc, [row[0].text])
            continue
        get = _getter(g, row)
        number, duty, item = _text(get("number")), _text(get("duty")), _text(get("item"))
        current = result.rows[-1] if result.rows else None
        placed = {duty, number}
        if duty and current is not None and duty == current.text and number in ("", current.number):
            repeats.seen(loc)
        elif duty:
            current = DutyRow(_number(number, len(result.rows) + 1, loc, notes), duty, loc)
            result.rows.append(current)
        else:
            placed = set()
        remark = get("remark")
        if current is None or not item:
            _unplaced(notes, loc, [c.text for c in row if not c.merged and c.text not in placed])
            continue
        if number and not placed:
            _unplaced(notes, loc, [number])
        values = {}
        for i, name in extras:
            cell = row[i] if i < len(row) else None
            if cell is not None and cell.merged and name in last_extra:
                values[name] = last_extra[name]
            elif cell is not None and cell.text:
                values[name] = last_extra[name] = cell.text
        kept_remark = remark.text if remark is not None and not remark.merged and remark.text != "" else None
        current.items.append(ItemRow(item, loc, kept_remark, values))
    result.notes.extend(_notes_after(g.trailing, notes, bool(result.notes)))
    for duty_row in result.rows:
        if not duty_row.items:
            notes.append(note("import-placeholder", duty_row.loc, what="具体工作事项", what_en="work item", value=duty_row.text))
            duty_row.items.append(ItemRow(duty_row.text, duty_row.loc))
    return result


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
        if started:
            out.append(paragraph.text.strip())
        else:
            _unplaced(notes, paragraph.loc, [paragraph.text])
    return out


def _leftover(g: Grid, notes: list[Note]) -> None:
    for paragraph in g.trailing:
        _unplaced(notes, paragraph.loc, [paragraph.text])


def boundaries(part: Part, notes: list[Note]) -> list[MatterRow]:
    g = grid(part, BOUNDARY_COLUMNS, notes)
    rows: list[MatterRow] = []
    if g is None:
        return rows
    repeats = _RepeatNote(notes)
    for row in g.body:
        loc = row[0].loc
        if _spanning(g, row):
            _unplaced(notes, loc, [row[0].text])
            continue
        get = _getter(g, row)
        number, matter, department, division, basis, case = (
            _text(get(role)) for role in ("number", "matter", "department", "division", "basis", "case"))
        current = rows[-1] if rows else None
        if matter and current is not None and matter.strip() == current.matter and number in ("", current.number):
            repeats.seen(loc)
        elif matter:
            current = MatterRow(_number(number, len(rows) + 1, loc, notes), matter.strip(), loc)
            rows.append(current)
        elif number:
            _unplaced(notes, loc, [number])
        if current is None:
            _unplaced(notes, loc, [department, division, basis, case])
            continue
        if department:
            text = _filled(division, loc, notes, "职责分工", "division of duties")
            current.divisions.append(Division(department.strip(), text, loc))
        elif division:
            _unplaced(notes, loc, [division])
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
            texts = [matter_row.number, matter_row.matter, *(b for b, _ in matter_row.basis), *matter_row.cases]
            _unplaced(notes, matter_row.loc, texts)
    return kept


def services(part: Part, notes: list[Note]) -> list[ServiceRow]:
    g = grid(part, SERVICE_COLUMNS, notes)
    rows: list[ServiceRow] = []
    if g is None:
        return rows
    for row in g.body:
        get = _getter(g, row)
        if _spanning(g, row) or not _text(get("name")):
            _unplaced(notes, row[0].loc, [c.text for c in row if not c.merged])
            continue
        loc = row[0].loc
        rows.append(ServiceRow(
            _number(_text(get("number")), len(rows) + 1, loc, notes), _text(get("name")),
            _filled(_text(get("content")), loc, notes, "主要内容", "content"),
            _filled(_text(get("agency")), loc, notes, "承办机构", "agency"),
            _phone(get("phone"), loc, notes), loc,
        ))
    _leftover(g, notes)
    return rows


def _phone(cell: Cell | None, loc: Loc, notes: list[Note]) -> str:
    """The phone as written when it is one number; else its first number, quoting the whole cell."""
    text = cell.text if cell is not None and not cell.merged else ""
    if PHONE.match(text):
        return text
    token = PHONE_TOKEN.search(text)
    if token:
        notes.append(note("import-unplaced", loc, text))
        return token.group()
    notes.append(note("import-placeholder", loc, what="联系电话", what_en="phone number", value=PHONE_PLACEHOLDER))
    return PHONE_PLACEHOLDER
