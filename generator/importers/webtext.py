"""Read web-page text (a list copied from its web page) into blocks.

Copied from a browser, a table loses its borders and tabs: every cell is one line, cells
are separated by blank lines, and nothing marks where a row ends.  The table is rebuilt
from what the text still shows:

- the header is a run of lines that are known column names (序号, 主要职责, 办理依据 …, see
  `tables.KNOWN_COLUMNS`) or short name-like lines among them; its length is the width;
- with a 序号 column, a row starts at the serial number that continues the count (so a
  cell reading "5" in a 办理时限 column does not start a row); each row takes width cells;
- a cell spanning several rows (rowspan) is printed once, so a group of cells longer than
  one row is read as a first full row plus rows lacking the spanned columns: the leading
  key columns (序号 + 主要职责 / 管理事项) and, if needed, trailing ones (相关依据, 案例);
- an empty cell shows as a wider gap: three blank lines between two cells instead of one;
- a group that fits none of these shapes is not guessed at: it becomes a paragraph marked
  "wrong number of cells", which the parts reader turns into an `unplaced` entry.

Lines outside tables (title, part headings, 注：…, "无") are paragraphs.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..checks import from_chinese
from .document import Block, Cell, Loc, Paragraph, Table, is_serial
from .notes import Note
from .parts import part_key
from .tables import BOUNDARY_COLUMNS, DUTY_COLUMNS, KNOWN_COLUMNS, SERVICE_COLUMNS, Rules
from .tables import roles as column_roles
from .text import decode

RULES: dict[str, Rules] = {"duties": DUTY_COLUMNS, "boundaries": BOUNDARY_COLUMNS, "services": SERVICE_COLUMNS}
KEYS = {"duty", "matter", "name"}
"""Roles a rowspan typically covers together with 序号: the row group's own subject."""
REQUIRED = {"duty", "item", "matter", "department", "division", "name"}
"""Roles whose cell a row cannot simply lack at its end."""
OFTEN_EMPTY = {"remark", "case", None}
"""Trailing columns whose cells lists often leave empty (备注, 案例, a county's extra column): an empty
one vanishes from web text unless it is marked, so a reading without them is the alternative to rule out."""
ORGANISATION = re.compile(r"^[^，。；;,]{2,30}(?:局|委|办|中心|政府|院|所|队|站|会|部|处|室|厅|公司|街道|乡|镇|馆|社|团|股|科|组)$")
ENDS_TABLE = re.compile(r"^\s*(?:注|说明|备注)[：:]")
NAME_LIKE = re.compile(r"^[^，。；：、,.;:！？!?（）()《》“”]{1,10}$")


@dataclass
class _Token:
    text: str
    line: int
    gap: int
    """Blank lines before this line."""

    @property
    def loc(self) -> Loc:
        return Loc(f"第 {self.line} 行", f"line {self.line}")


def _tokens(text: str) -> list[_Token]:
    out: list[_Token] = []
    gap = 0
    for number, line in enumerate(re.sub(r"\r\n?|\f", "\n", text).split("\n"), 1):
        if line.strip():
            out.append(_Token(line.strip(), number, gap))
            gap = 0
        else:
            gap += 1
    return out


def _known(text: str) -> bool:
    return bool(KNOWN_COLUMNS.match(re.sub(r"\s", "", text)))


def is_web_text(raw: bytes) -> bool:
    """No tab-led cell lines, and somewhere two known column names on consecutive lines."""
    text = decode(raw, [])
    if any(line.startswith("\t") for line in text.split("\n")):
        return False
    tokens = _tokens(text)
    return any(_known(a.text) and _known(b.text) for a, b in zip(tokens, tokens[1:]))


def read_web_text(raw: bytes, notes: list[Note]) -> list[Block]:
    tokens = _tokens(decode(raw, notes))
    blocks: list[Block] = []
    part = None
    i = 0
    while i < len(tokens):
        token = tokens[i]
        key = part_key(token.text)
        width = _header_length(tokens, i)
        if key:
            part = key
        if not width:
            blocks.append(Paragraph(token.text, token.loc))
            i += 1
            continue
        header = tokens[i:i + width]
        end = i + width
        while end < len(tokens) and not _ends_body(tokens, end):
            end += 1
        blocks.extend(_table(header, tokens[i + width:end], RULES.get(part or "", DUTY_COLUMNS)))
        i = end
    return blocks


def _header_length(tokens: list[_Token], start: int) -> int:
    """How many lines from `start` form a table header (0: none starts here)."""
    if not _known(tokens[start].text):
        return 0
    end = start
    known = 0
    while end < len(tokens):
        text = tokens[end].text
        if is_serial(text) or part_key(text) or not (_known(text) or NAME_LIKE.match(text)):
            break
        known += _known(text)
        end += 1
    return end - start if known >= 2 and end - start >= 2 else 0


def _ends_body(tokens: list[_Token], i: int) -> bool:
    text = tokens[i].text
    return bool(part_key(text) or ENDS_TABLE.match(text) or _header_length(tokens, i))


def _value(text: str) -> int | None:
    digits = re.sub(r"[^0-9一二三四五六七八九十百零〇]", "", text)
    if not digits:
        return None
    try:
        return int(digits) if digits.isdigit() else from_chinese(digits)
    except (ValueError, KeyError):
        return None


def _cells(tokens: list[_Token]) -> list[tuple[str, Loc]]:
    """The body's cells, with an empty cell for each extra pair of blank lines before a line."""
    out: list[tuple[str, Loc]] = []
    for n, token in enumerate(tokens):
        if n:
            out.extend(("", token.loc) for _ in range(max(0, (token.gap - 1) // 2)))
        out.append((token.text, token.loc))
    return out


def _table(header: list[_Token], body: list[_Token], rules: Rules) -> list[Block]:
    names = [t.text for t in header]
    roles = column_roles(names, rules)
    width = len(names)
    head = [Cell(t.text, t.loc) for t in header]
    cells = _cells(body)
    if roles[0] != "number":
        return _plain(head, cells, width)
    groups: list[list[tuple[str, Loc]]] = []
    lead: list[tuple[str, Loc]] = []
    expected: int | None = None
    for cell in cells:
        value = _value(cell[0]) if is_serial(cell[0]) else None
        if value is not None and (expected is None or value == expected):
            groups.append([cell])
            expected = value + 1
        elif groups:
            groups[-1].append(cell)
        else:
            lead.append(cell)
    marked = any(token.gap >= 3 for token in body)
    blocks: list[Block] = []
    rows: list[list[Cell]] = [head]
    for group in ([lead] if lead else []) + groups:
        shaped, reason = _read(group, roles, marked) if group is not lead else (None, "cell-count")
        if shaped is not None:
            rows.extend(shaped)
            continue
        if rows:
            blocks.append(Table(rows, rows[0][0].loc))
            rows = []
        blocks.append(_misfit(group, reason))
    if rows:
        blocks.append(Table(rows, rows[0][0].loc))
    return blocks


def _read(group: list[tuple[str, Loc]], roles: list[str | None], marked: bool) -> tuple[list[list[Cell]] | None, str]:
    """The group's rows; when the text marks no empty cell, a group that reads as well without
    the trailing often-empty columns (备注, 案例 …) is ambiguous and is not guessed at."""
    shaped = _shape(group, roles)
    if shaped is None:
        return None, "cell-count"
    optional = 0
    while optional < len(roles) - 2 and roles[len(roles) - 1 - optional] in OFTEN_EMPTY:
        optional += 1
    if marked or not optional:
        return shaped, ""
    other = _shape(group, roles[:len(roles) - optional], natural=True)
    if other is not None and _texts(other) != _texts([row[:len(roles) - optional] for row in shaped]):
        return None, "ambiguous"
    return shaped, ""


def _texts(rows: list[list[Cell]]) -> list[list[str]]:
    return [[c.text for c in row] for row in rows]


def _shape(group: list[tuple[str, Loc]], roles: list[str | None], natural: bool = False) -> list[list[Cell]] | None:
    """The group as rows of the table's width, or None when no reading fits its number of cells.

    `natural`: only the reading where continuation rows start right after the key columns.
    """
    width = len(roles)
    rest = group[1:]
    need = width - 1
    number = Cell(group[0][0], group[0][1])
    if len(rest) <= need:
        missing = roles[1 + len(rest):]
        if any(role in REQUIRED for role in missing):
            return None
        loc = group[-1][1]
        return _complete([[number, *(Cell(t, loc_) for t, loc_ in rest), *(Cell("", loc) for _ in missing)]], roles)
    first = [number, *(Cell(t, loc) for t, loc in rest[:need])]
    more = rest[need:]
    keys = 1
    while keys < width and roles[keys] in KEYS:
        keys += 1
    options = [(lead, trail) for lead in range(keys, width) for trail in range(0, width - lead)]
    options.sort(key=lambda o: (o[0] != keys, o[1], o[0]))
    if natural:
        options = [o for o in options if o[0] == keys]
    for lead, trail in options:
        span = width - lead - trail
        pad = (-len(more)) % span
        if any(role in REQUIRED for role in roles[width - trail - pad:width - trail]):
            continue  # only the last row's trailing optional cells (备注 …) may be missing, not shown as a gap
        padded = more + [("", more[-1][1])] * pad
        rows = [first]
        for k in range(0, len(padded), span):
            chunk = padded[k:k + span]
            loc = chunk[0][1]
            rows.append([*(Cell("", loc, merged=True) for _ in range(lead)), *(Cell(t, l) for t, l in chunk),
                         *(Cell("", loc, merged=True) for _ in range(trail))])
        if _complete(rows, roles):
            return rows
    return None


def _complete(rows: list[list[Cell]], roles: list[str | None]) -> list[list[Cell]] | None:
    """The rows, unless a reading leaves a cell a row cannot lack (an item, a department …) empty,
    or puts into the 相关部门 column something that is not a department's name."""
    for row in rows:
        for cell, role in zip(row, roles):
            if role in REQUIRED and not cell.merged and not cell.text.strip() and role not in KEYS:
                return None
            if role == "department" and not cell.merged and cell.text.strip() and not ORGANISATION.match(cell.text.strip()):
                return None
    return rows


def _plain(head: list[Cell], cells: list[tuple[str, Loc]], width: int) -> list[Block]:
    """A table without a 序号 column: rows of exactly the header's width, a short rest unplaced."""
    whole = len(cells) - len(cells) % width
    rows = [head, *([Cell(t, loc) for t, loc in cells[k:k + width]] for k in range(0, whole, width))]
    blocks: list[Block] = [Table(rows, head[0].loc)]
    if cells[whole:]:
        blocks.append(_misfit(cells[whole:]))
    return blocks


def _misfit(cells: list[tuple[str, Loc]], reason: str = "cell-count") -> Paragraph:
    return Paragraph("\n".join(t for t, _ in cells if t), cells[0][1], reason=reason)
