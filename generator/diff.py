"""`qingdan diff`: county against county, or the registers of two git revisions.

`qingdan diff A.yaml B.yaml` aligns two registers (see `align.py`) and reports pairs with
their character-level changes, rows only in A, rows only in B and the overlap per part.

`qingdan diff --base REV [--head REV] [PATHS]` compares register files (and county.yaml
and the shared lists) between two revisions by stable row id: added, removed, moved (other
parent, or another place among the siblings that stayed), changed (field by field),
renumbered (only `number` changed) and translated (only English changed).  A file added or
removed lists every row, so a reviewer can check a new register against its source.  Old revisions may hold data the current model would reject, so this side reads
plain data loaded with `load_text` and walks it generically: any list of mappings with an
`id` is a list of rows.

Both print terminal text (ANSI colour on a tty), Markdown (fit for a pull-request comment:
rows as a reader sees them, not a YAML diff) or JSON.
"""
from __future__ import annotations

import functools
import json
import posixpath
import re
import subprocess
import sys
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

import click

from . import report
from .align import LEVEL_NAMES, PART_NAMES, Alignment, Segment, Unit, align, field_name, percent, segments, visible
from .errors import Finding, finding
from .load import find_root, kind_of, load_file, load_text, yaml_files
from .markup import md as _md
from .model import Corpus, Register, Text, load_corpus
from .validate import check

REGISTER_ROW = ""
"""Id under which a register's own fields (title, headings, notes …) are compared."""

LEVEL_BY_LIST = {
    "duties.rows": "duty",
    "items": "item",
    "boundaries.rows": "matter",
    "divisions": "division",
    "basis": "citation",
    "cases": "case",
    "supervision.systems": "system",
    "sections": "section",
    "clauses": "clause",
    "services.rows": "service",
    "departments": "department",
    "laws": "law",
    "topics": "topic",
    "types": "type",
    "terms": "term",
    "adjustments": "adjustment",
}
FILE_LEVELS = {
    "department": Text("部门", "Department"),
    "law": Text("法律法规", "Law"),
    "topic": Text("主题", "Topic"),
    "type": Text("部门类型", "Department type"),
    "term": Text("术语", "Term"),
    "adjustment": Text("调整", "Adjustment"),
}
"""Rows of county.yaml and the shared lists, named as the review summary shows them."""
FILE_PARTS = {
    "departments": Text("部门名单", "Departments"),
    "laws": Text("法律法规", "Laws"),
    "topics": Text("主题分类", "Topics"),
    "types": Text("部门类型", "Department types"),
    "terms": Text("术语表", "Glossary"),
    "adjustments": Text("调整记录", "Adjustments"),
}
FILE_TITLES = {
    "laws": Text("法律法规名录", "Laws"),
    "topics": Text("主题分类", "Topics"),
    "department-types": Text("部门类型", "Department types"),
    "glossary": Text("术语表", "Glossary"),
}
COUNTY_TITLE = Text("县信息与部门名单", "county and its departments")
KIND_NAMES = {
    "added": Text("新增", "added"),
    "removed": Text("删除", "removed"),
    "changed": Text("修改", "changed"),
    "moved": Text("移动", "moved"),
    "renumbered": Text("重新编号", "renumbered"),
    "translated": Text("仅翻译", "translation only"),
}
KINDS = tuple(KIND_NAMES)
POSITION = Text("位置", "Position")
MAIN_FIELDS = ("text", "matter", "title", "heading", "name", "zh")
WORKING_TREE = Text("工作区", "working tree")


class DiffError(Exception):
    """A problem reported to the user in Chinese and English, with the exit code it ends in."""

    def __init__(self, zh: str, en: str, exit_code: int) -> None:
        super().__init__(f"{zh} / {en}")
        self.exit_code = exit_code


# --- version diff: flattening ------------------------------------------------------------------


@dataclass(frozen=True)
class FlatRow:
    """One row of a loaded register, with its fields as display strings."""

    id: str
    level: str
    container: str
    parent: str | None
    position: int
    fields: dict[str, str]


def _is_text(value: Any) -> bool:
    return isinstance(value, dict) and "zh" in value and set(value) <= {"zh", "en"}


def _is_row_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) and "id" in v for v in value)


def _line(value: Any) -> str:
    """A list entry that is not a row (a topic id, a paragraph, a revision) as one line."""
    if _is_text(value):
        return str(value["zh"])
    if isinstance(value, dict):
        return " · ".join(_line(v) for v in value.values())
    if isinstance(value, list):
        return " · ".join(_line(v) for v in value)
    return str(value)


def flatten(data: dict[str, Any]) -> dict[str, FlatRow]:
    """Every row of a register (or county file, or shared list) by id, in document order; the
    file's own fields under `REGISTER_ROW`.  Glossary terms have no id: their Chinese is one."""
    rows: dict[str, FlatRow] = {}
    terms = data.get("terms")
    if isinstance(terms, list) and all(isinstance(t, dict) and isinstance(t.get("zh"), str) for t in terms):
        data = {**data, "terms": [{"id": t["zh"], **t} for t in terms]}

    def visit(node: dict[str, Any], row_id: str, level: str, container: str, parent: str | None, position: int) -> None:
        fields: dict[str, str] = {}
        rows[row_id] = FlatRow(row_id, level, container, parent, position, fields)

        def walk(value: Any, key: str) -> None:
            if _is_text(value):
                fields[key] = value["zh"]
                if "en" in value:
                    fields[f"{key}.en"] = value["en"]
            elif _is_row_list(value) and key != "previous":  # an adjustment's old rows are its fields
                for n, child in enumerate(value):
                    visit(child, child["id"], LEVEL_BY_LIST.get(key, "row"), f"{row_id}/{key}", row_id or None, n)
            elif isinstance(value, dict):
                for k, v in value.items():
                    walk(v, f"{key}.{k}")
            elif isinstance(value, list):
                if value:
                    fields[key] = "\n".join(_line(v) for v in value)
            else:
                fields[key] = str(value)

        for key, value in node.items():
            if key != "id":
                walk(value, key)

    visit(data, REGISTER_ROW, "register", "", None, 0)
    return rows


def _part_of(row: FlatRow, rows: dict[str, FlatRow]) -> str:
    while row.parent is not None:
        row = rows[row.parent]
    return row.container.strip("/").split(".")[0]


def flat_label(row: FlatRow, rows: dict[str, FlatRow]) -> Text:
    """Where a row stands, as a reader finds it: 部门职责 › 职责 7 › 事项 3."""
    if row.id == REGISTER_ROW:
        return LEVEL_NAMES["register"]
    if row.level in FILE_LEVELS:
        name = FILE_LEVELS[row.level]
        return Text(f"{name.zh} {row.id}", f"{name.en} {row.id}")
    if row.level == "division":
        own = Text(row.fields.get("as_written", row.id), row.fields.get("as_written", row.id))
    elif row.level == "clause":
        number = row.fields.get("number")
        own = Text(number, number) if number else Text(f"第{row.position + 1}段", f"para. {row.position + 1}")
    elif row.level == "section":
        own = Text(f"{row.fields.get('number', '')}{row.fields.get('heading', '')}",
                   f"{row.fields.get('number', '')} {row.fields.get('heading.en') or row.fields.get('heading', '')}")
    else:
        name = LEVEL_NAMES.get(row.level, Text(row.level, row.level))
        number = row.fields.get("number") or str(row.position + 1)
        own = Text(f"{name.zh} {number}", f"{name.en} {number}")
    outer = _outer(row, rows)
    return Text(f"{outer.zh} › {own.zh}", f"{outer.en} › {own.en}")


def _outer(row: FlatRow, rows: dict[str, FlatRow]) -> Text:
    """The label of the list a row sits in: its parent row, or its part for a top-level row."""
    if row.parent is not None:
        return flat_label(rows[row.parent], rows)
    part = _part_of(row, rows)
    return PART_NAMES.get(part) or FILE_PARTS.get(part, Text(part, part))


def _place(row: FlatRow, rows: dict[str, FlatRow]) -> Text:
    """The list a row sits in and its place there: `部门职责 › 职责 3 · 第 2 项`."""
    outer = _outer(row, rows)
    n = row.position + 1
    return Text(f"{outer.zh} · 第 {n} 项", f"{outer.en} · #{n}")


# --- version diff: comparing ---------------------------------------------------------------------


@dataclass
class FieldChange:
    key: str
    before: str | None
    after: str | None

    @property
    def name(self) -> Text:
        return field_name(self.key)

    def segments(self) -> list[Segment]:
        """Chinese compared by character, English translations by word."""
        return segments(self.before or "", self.after or "", "en" if self.key.endswith(".en") else "zh")


@dataclass
class RowChange:
    """What happened to one row between two revisions."""

    id: str
    level: str
    label: Text
    kinds: list[str]
    before: FlatRow | None = None
    after: FlatRow | None = None
    fields: list[FieldChange] = field(default_factory=list)
    inside: list[FlatRow] = field(default_factory=list)
    """Rows under an added or removed row, shown with it rather than one by one."""
    places: tuple[Text, Text] | None = None
    """Where a moved row stood and stands."""


@dataclass
class RegisterChange:
    path: str
    status: str
    """`added`, `removed` or `modified`."""
    title: str
    rows: list[RowChange]
    kind: str = "register"
    """What the file is (`load.kind_of`): a register, `county`, or a shared list."""
    listing: dict[str, FlatRow] = field(default_factory=dict)
    """Every row of an added or removed file, so a reviewer can check it against the source."""

    def count(self, kind: str) -> int:
        return sum(kind in r.kinds for r in self.rows)


def _displaced(before: list[str], after: list[str]) -> set[str]:
    """Rows whose place among their siblings changed: outside the longest common order,
    except that a pure swap of two rows names both."""
    if before == after:
        return set()
    differ = [n for n, (x, y) in enumerate(zip(before, after)) if x != y]
    if len(differ) == 2:
        return {before[differ[0]], before[differ[1]]}
    kept = set()
    for block in SequenceMatcher(None, before, after, autojunk=False).get_matching_blocks():
        kept.update(before[block.a : block.a + block.size])
    return set(before) - kept


def _moved(base: dict[str, FlatRow], head: dict[str, FlatRow]) -> set[str]:
    common = [i for i in head if i in base]
    moved = {i for i in common if base[i].container != head[i].container}
    stayed = [i for i in common if i not in moved]
    for container in sorted({head[i].container for i in stayed}):
        after = [i for i in stayed if head[i].container == container]
        before = sorted(after, key=lambda i: base[i].position)
        moved |= _displaced(before, after)
    return moved


def _field_changes(before: FlatRow, after: FlatRow) -> list[FieldChange]:
    keys = list(before.fields) + [k for k in after.fields if k not in before.fields]
    return [
        FieldChange(k, before.fields.get(k), after.fields.get(k))
        for k in keys
        if before.fields.get(k) != after.fields.get(k)
    ]


def compare_rows(base: dict[str, FlatRow], head: dict[str, FlatRow]) -> list[RowChange]:
    """Row changes in reading order: the head's order, removed rows where they used to be."""
    moved = _moved(base, head)
    changes: list[tuple[tuple[int, int, int], RowChange]] = []
    head_index = {i: n for n, i in enumerate(head)}
    anchor = -1
    for n, row_id in enumerate(base):
        if row_id in head:
            anchor = head_index[row_id]
        elif base[row_id].parent is None or base[row_id].parent in head:
            row = base[row_id]
            inside = [r for r in base.values() if r.id not in head and _descends(r, row_id, base)]
            changes.append(((anchor, 1, n), RowChange(row_id, row.level, flat_label(row, base), ["removed"],
                                                      before=row, inside=inside)))
    for n, (row_id, row) in enumerate(head.items()):
        if row_id not in base:
            if row.parent is None or row.parent in base:
                inside = [r for r in head.values() if r.id not in base and _descends(r, row_id, head)]
                changes.append(((n, 0, 0), RowChange(row_id, row.level, flat_label(row, head), ["added"],
                                                     after=row, inside=inside)))
            continue
        old = base[row_id]
        fields = _field_changes(old, row)
        kinds = ["moved"] if row_id in moved else []
        if fields and all(f.key.endswith(".en") for f in fields):
            kinds.append("translated")
        elif any(f.key != "number" for f in fields):
            kinds.append("changed")
        elif fields:
            kinds.append("renumbered")
        if kinds:
            places = (_place(old, base), _place(row, head)) if row_id in moved else None
            changes.append(((n, 0, 0), RowChange(row_id, row.level, flat_label(row, head), kinds, old, row,
                                                 fields, places=places)))
    return [change for _, change in sorted(changes, key=lambda c: c[0])]


def _descends(row: FlatRow, ancestor: str, rows: dict[str, FlatRow]) -> bool:
    while row.parent is not None:
        if row.parent == ancestor:
            return True
        row = rows[row.parent]
    return False


# --- version diff: git ---------------------------------------------------------------------------


def git(repo: Path, *args: str) -> bytes:
    """Run git in `repo`; a failure becomes a usage error naming the command."""
    try:
        done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=False)
    except OSError as exc:
        raise DiffError(f"无法运行 git：{exc}", f"cannot run git: {exc}", 2) from exc
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        detail = message[-1] if message else f"git {' '.join(args)}"
        raise DiffError(f"git 出错：{detail}", f"git failed: {detail}", 2)
    return done.stdout


def repo_root(start: Path) -> Path:
    try:
        return Path(git(start, "rev-parse", "--show-toplevel").decode().strip())
    except DiffError as exc:
        raise DiffError(f"{start} 不在 git 仓库中", f"{start} is not inside a git repository", 2) from exc


def _verify(repo: Path, rev: str) -> None:
    try:
        git(repo, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    except DiffError as exc:
        raise DiffError(f"找不到版本 {rev}", f"unknown revision {rev}", 2) from exc


def _register_files(repo: Path, rev: str | None, prefixes: list[str]) -> dict[str, str]:
    """Repository-relative paths of the register, county and shared-list files under `prefixes`
    at `rev` (None: working tree), with their kind."""
    if rev is None:
        found = [p for prefix in prefixes if (repo / prefix).exists() for p in yaml_files(repo / prefix)]
        names = {p.relative_to(repo).as_posix() for p in found}
    else:
        listing = git(repo, "ls-tree", "-r", "--name-only", "-z", rev, "--", *prefixes).decode("utf-8")
        names = {n for n in listing.split("\0") if n.endswith((".yaml", ".yml"))}
    return {n: kind_of(Path(n)) for n in names}


def _load(repo: Path, rev: str | None, name: str) -> dict[str, Any]:
    """One register file's data at `rev` (None: working tree), loaded without implicit typing."""
    raw = (repo / name).read_bytes() if rev is None else git(repo, "show", f"{rev}:{name}")
    where = f"{name}@{rev or WORKING_TREE.en}"
    try:
        text = raw.decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError as exc:
        raise DiffError(f"{where} 不是 UTF-8 文本", f"{where} is not UTF-8 text", 1) from exc
    doc = load_text(text, Path(name))
    if not isinstance(doc.data, dict):
        problem = doc.findings[0] if doc.findings else None
        raise DiffError(f"无法读取 {where}：{problem.message_zh if problem else '不是清单'}",
                        f"cannot load {where}: {problem.message_en if problem else 'not a register'}", 1)
    return doc.data


def _title(data: dict[str, Any], kind: str) -> str:
    """How the summary names a file: a register's title, a county's name, a shared list's name."""
    if kind in FILE_TITLES:
        return bilingual(FILE_TITLES[kind])
    title = data.get("name" if kind == "county" else "title", "")
    title = str(title["zh"]) if _is_text(title) else str(title)
    return f"{title} {bilingual(COUNTY_TITLE)}" if kind == "county" else title


@dataclass
class VersionDiff:
    base: str
    head: str | None
    registers: list[RegisterChange]
    compared: int


def version_diff(repo: Path, base: str, head: str | None, paths: list[str]) -> VersionDiff:
    """Compare the register files under `paths` (repository-relative) between two revisions."""
    _verify(repo, base)
    if head is not None:
        _verify(repo, head)
    prefixes = paths or ["registers"]
    before, after = _register_files(repo, base, prefixes), _register_files(repo, head, prefixes)
    names = sorted(before.keys() | after.keys(), key=lambda n: (posixpath.dirname(n), (before | after)[n] == "register", n))
    out = []
    for name in names:
        kind = (before | after)[name]
        old = _load(repo, base, name) if name in before else None
        new = _load(repo, head, name) if name in after else None
        if old is None and new is not None:
            out.append(RegisterChange(name, "added", _title(new, kind), [], kind, flatten(new)))
        elif new is None and old is not None:
            out.append(RegisterChange(name, "removed", _title(old, kind), [], kind, flatten(old)))
        elif old is not None and new is not None:
            rows = compare_rows(flatten(old), flatten(new))
            if rows:
                out.append(RegisterChange(name, "modified", _title(new, kind), rows, kind))
    compared = sum(1 for name in before.keys() | after.keys() if (before | after)[name] == "register")
    return VersionDiff(base, head, out, compared)


# --- rendering helpers -----------------------------------------------------------------------------


def bilingual(text: Text) -> str:
    return f"{text.zh} {text.en}" if text.en and text.en != text.zh else text.zh


PALETTE = {"delete": "\033[31;9m", "insert": "\033[32;4m", "dim": "\033[2m", "bold": "\033[1m", "reset": "\033[0m"}
PLAIN_MARKS = {"delete": ("[-", "-]"), "insert": ("{+", "+}")}
TAGS = {"delete": "del", "insert": "ins"}


class Terminal:
    """Writes text lines, in colour on a terminal and with [-deleted-]{+inserted+} marks otherwise."""

    def __init__(self, out: Any, colour: bool) -> None:
        self.out = out
        self.colour = colour

    def paint(self, style: str, text: str) -> str:
        return f"{PALETTE[style]}{text}{PALETTE['reset']}" if self.colour else text

    def segs(self, segs: list[Segment], context: int = 30) -> str:
        parts = []
        for n, (op, text) in enumerate(segs):
            if op == "equal":
                if len(text) > 2 * context and len(segs) > 1:
                    head = text[:context] if n > 0 else ""
                    tail = text[-context:] if n < len(segs) - 1 else ""
                    text = f"{head}…{tail}"
                parts.append(text.replace("\n", " ↵ "))
            elif self.colour:
                parts.append(self.paint(op, visible(text)))
            else:
                start, end = PLAIN_MARKS[op]
                parts.append(f"{start}{visible(text)}{end}")
        return "".join(parts)

    def line(self, text: str = "") -> None:
        self.out.write(text + "\n")


def md_segments(segs: list[Segment], keep: str = "both") -> str:
    """Segments as inline Markdown with <del>/<ins>; `keep` a or b renders one side only."""
    out = []
    for op, text in segs:
        if (keep == "a" and op == "insert") or (keep == "b" and op == "delete"):
            continue
        cell = "<br>".join(md(line) for line in visible(text).split("\n"))
        out.append(cell if op == "equal" else f"<{TAGS[op]}>{cell}</{TAGS[op]}>")
    return "".join(out)


def _clip(text: str, limit: int = 60) -> str:
    """One terminal line's worth of a long text."""
    flat = text.replace("\n", " ↵ ")
    return flat if len(flat) <= limit else flat[:limit] + "…"


md = functools.partial(_md, github=True)
"""The Markdown written here is a pull-request comment: GitHub's flavour."""


def _code(text: str) -> str:
    """Inline code that nothing in the text can end: ids and paths come from the pull
    request, checked or not, so one holding a backtick or a table's | is escaped instead."""
    return f"`{text}`" if re.fullmatch(r"[^`|\n]+", text) else f"<code>{md(text)}</code>"


def md_cell(text: str) -> str:
    return "<br>".join(md(line) for line in text.split("\n")) if text else "—"


# --- county diff output ----------------------------------------------------------------------------


def _shown(reg: Register) -> str:
    """A register's path from its registers/ folder's parent, the same on every machine."""
    root = find_root(reg.path)
    return reg.path.resolve().relative_to(root.parent).as_posix() if root else reg.path.as_posix()


def _county(reg: Register) -> str:
    return reg.county.name.en or reg.county.name.zh


def _text_of(unit: Unit) -> str:
    return " / ".join(t.zh for _, t in unit.fields if t.zh)


def type_warnings(al: Alignment) -> list[Finding]:
    """A county diff is meant for like departments (two counties' 公安局): registers of different
    department types align by coincidence, so say so — located at B's `department`."""
    ta, tb = al.a.department.type, al.b.department.type
    if ta.id == tb.id:
        return []
    line, col = load_file(al.b.path).locate("/department")
    return [finding("diff-department-type", _shown(al.b), line, col, "/department", type_a=ta.name.zh, id_a=ta.id,
                    type_b=tb.name.zh, id_b=tb.id, type_a_en=ta.name.en or ta.name.zh, type_b_en=tb.name.en or tb.name.zh)]


def county_json(al: Alignment) -> dict[str, Any]:
    def unit(u: Unit) -> dict[str, Any]:
        return {"id": u.row.id, "level": u.level, "label": {"zh": u.label.zh, "en": u.label.en}}

    def side(reg: Register) -> dict[str, Any]:
        return {"key": reg.key, "path": _shown(reg), "title": reg.title.zh, "county": reg.county.name.zh}

    parts = {}
    for name, pa in al.parts.items():
        parts[name] = {
            "summary": {"matched": len(pa.pairs), "only_a": len(pa.only_a), "only_b": len(pa.only_b),
                        "overlap": None if pa.overlap is None else round(pa.overlap, 3)},
            "matched": [
                {"a": unit(p.a), "b": unit(p.b), "score": round(p.score, 3), "shared_topics": p.shared_topics,
                 "changes": [{"field": f, "segments": [list(s) for s in segs]} for f, _, segs in p.changes()]}
                for p in pa.pairs
            ],
            "only_a": [{**unit(u), "text": _text_of(u)} for u in pa.only_a],
            "only_b": [{**unit(u), "text": _text_of(u)} for u in pa.only_b],
        }
    overlap = al.overlap
    return {"a": side(al.a), "b": side(al.b), "warnings": [w.as_dict() for w in type_warnings(al)],
            "overlap": None if overlap is None else round(overlap, 3), "parts": parts}


def county_text(al: Alignment, term: Terminal) -> None:
    a, b = al.a, al.b
    term.line(term.paint("bold", f"比较 Comparing  A: {a.title.zh} ({a.county.name.zh} {_county(a)})"))
    term.line(term.paint("bold", f"               B: {b.title.zh} ({b.county.name.zh} {_county(b)})"))
    for warning in type_warnings(al):
        term.out.write(report.finding_text(warning, term.colour))
    term.line()
    term.line("汇总 Summary: 对应 matched · 仅 A only in A · 仅 B only in B · 重合 overlap")
    for name, pa in al.parts.items():
        term.line(f"  {bilingual(PART_NAMES[name])}: {len(pa.pairs)} · {len(pa.only_a)} · {len(pa.only_b)} · "
                  f"{percent(pa.overlap)}")
    for name, pa in al.parts.items():
        term.line()
        term.line(term.paint("bold", f"== {bilingual(PART_NAMES[name])} =="))
        term.line(f"对应 Matched ({len(pa.pairs)})")
        for p in pa.pairs:
            term.line(f"  A {p.a.label.zh} [{p.a.row.id}] ↔ B {p.b.label.zh} [{p.b.row.id}]  "
                      + term.paint("dim", percent(p.score)))
            for key, _, segs in p.changes():
                term.line(f"      {field_name(key).zh}: {term.segs(segs)}")
        only = ((f"仅 A Only in A: {a.county.name.zh}", pa.only_a), (f"仅 B Only in B: {b.county.name.zh}", pa.only_b))
        for title, rows in only:
            term.line(f"{title} ({len(rows)})")
            for u in rows:
                term.line(f"  {u.label.zh} [{u.row.id}]: {_clip(_text_of(u))}")


def county_markdown(al: Alignment) -> str:
    a, b = al.a, al.b
    ca, cb = md(a.county.name.zh), md(b.county.name.zh)
    lines = [
        f"## 比较 Comparison: {md(a.title.zh)} ↔ {md(b.title.zh)}",
        "",
        f"A = {_code(_shown(a))}, B = {_code(_shown(b))}",
        "",
        *[f"> **警告 warning** {_code(w.code)}: {md(w.message_zh)}<br>{md(w.message_en)}\n" for w in type_warnings(al)],
        f"| 部分 Part | 对应 Matched | 仅{ca} Only in A | 仅{cb} Only in B | 重合 Overlap |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name, pa in al.parts.items():
        lines.append(f"| {bilingual(PART_NAMES[name])} | {len(pa.pairs)} | {len(pa.only_a)} | {len(pa.only_b)} | "
                     f"{percent(pa.overlap)} |")
    for name, pa in al.parts.items():
        lines += ["", f"### {bilingual(PART_NAMES[name])}", ""]
        if pa.pairs:
            lines += [f"| {ca} | {cb} | 相似度 Similarity |", "| --- | --- | ---: |"]
            for p in pa.pairs:
                changes = p.changes()
                cell_a = "<br>".join(md_segments(s, "a") for _, _, s in changes)
                cell_b = "<br>".join(md_segments(s, "b") for _, _, s in changes)
                lines.append(f"| **{md(p.a.label.zh)}** {_code(p.a.row.id)}<br>{cell_a} | "
                             f"**{md(p.b.label.zh)}** {_code(p.b.row.id)}<br>{cell_b} | {percent(p.score)} |")
            lines.append("")
        for heading, rows in ((f"仅{ca} Only in A", pa.only_a), (f"仅{cb} Only in B", pa.only_b)):
            if rows:
                lines += [f"{heading}:", ""]
                lines += [f"- **{md(u.label.zh)}** {_code(u.row.id)}: {md(_text_of(u))}" for u in rows]
                lines.append("")
    return "\n".join(lines).rstrip() + "\n"


# --- version diff output ---------------------------------------------------------------------------


def _head_name(vd: VersionDiff) -> str:
    return vd.head or bilingual(WORKING_TREE)


def _kinds(change: RowChange) -> str:
    zh = "，".join(KIND_NAMES[k].zh for k in change.kinds)
    return f"{zh} " + ", ".join(KIND_NAMES[k].en or k for k in change.kinds)


def _listing_parts(reg: RegisterChange) -> list[tuple[Text, list[FlatRow]]]:
    """An added or removed file's rows grouped by part (the file's own fields first)."""
    groups: dict[str, list[FlatRow]] = {}
    for row in reg.listing.values():
        part = "" if row.id == REGISTER_ROW else _part_of(row, reg.listing)
        groups.setdefault(part, []).append(row)
    return [(LEVEL_NAMES["register"] if not part else PART_NAMES.get(part) or FILE_PARTS.get(part, Text(part, part)),
             rows) for part, rows in groups.items()]


def version_json(vd: VersionDiff) -> dict[str, Any]:
    def place(row: FlatRow | None) -> dict[str, Any] | None:
        return None if row is None else {"parent": row.parent, "position": row.position}

    def row(change: RowChange) -> dict[str, Any]:
        return {
            "id": change.id, "level": change.level, "label": {"zh": change.label.zh, "en": change.label.en},
            "kinds": change.kinds, "from": place(change.before), "to": place(change.after),
            "fields": [{"field": f.key, "before": f.before, "after": f.after,
                        "segments": [list(s) for s in f.segments()]} for f in change.fields],
            "inside": [r.id for r in change.inside],
        }

    def listed(row: FlatRow, rows: dict[str, FlatRow]) -> dict[str, Any]:
        label = flat_label(row, rows)
        return {"id": row.id, "level": row.level, "label": {"zh": label.zh, "en": label.en}, "fields": row.fields}

    registers = [r for r in vd.registers if r.kind == "register"]
    return {
        "base": vd.base,
        "head": vd.head,
        "summary": {"compared": vd.compared, "with_changes": len(registers),
                    "other_files": len(vd.registers) - len(registers),
                    **{k: sum(r.count(k) for r in vd.registers) for k in KINDS}},
        "registers": [{"path": r.path, "kind": r.kind, "status": r.status, "title": r.title,
                       "summary": {k: r.count(k) for k in KINDS}, "rows": [row(c) for c in r.rows],
                       "listing": [listed(x, r.listing) for x in r.listing.values()]}
                      for r in vd.registers],
    }


def _summary_line(vd: VersionDiff) -> str:
    counts = {k: sum(r.count(k) for r in vd.registers) for k in KINDS}
    zh = "，".join(f"{KIND_NAMES[k].zh} {counts[k]}" for k in KINDS)
    en = ", ".join(f"{counts[k]} {KIND_NAMES[k].en}" for k in KINDS)
    changed = sum(r.kind == "register" for r in vd.registers)
    others = len(vd.registers) - changed
    line = (f"比较了 {vd.compared} 份清单，{changed} 份有变化：{zh}。"
            f" Compared {vd.compared} registers, {changed} with changes: {en}.")
    if others:
        line += f" 另有 {others} 个县信息或共享名单文件有变化。 {others} county or shared-list files changed too."
    return line


def version_text(vd: VersionDiff, term: Terminal) -> None:
    term.line(term.paint("bold", f"{vd.base} → {_head_name(vd)}"))
    for reg in vd.registers:
        term.line()
        status = "" if reg.status == "modified" else f"  {bilingual(KIND_NAMES[reg.status])}"
        term.line(term.paint("bold", f"{reg.path}  {reg.title}{status}"))
        for part, rows in _listing_parts(reg):
            term.line(f"  {bilingual(part)} ({len(rows)})")
            for row in rows:
                term.line(f"    {flat_label(row, reg.listing).zh}  [{row.id or '-'}]")
                for key, value in row.fields.items():
                    term.line(f"      {field_name(key).zh} {field_name(key).en}: {_clip(value)}")
        translated = [c for c in reg.rows if c.kinds == ["translated"]]
        for change in (c for c in reg.rows if c.kinds != ["translated"]):
            term.line(f"  {_kinds(change)}  {change.label.zh}  [{change.id or '-'}]")
            for f in change.fields:
                term.line(f"      {f.name.zh} {f.name.en}: {term.segs(f.segments())}")
            if change.places:
                term.line(f"      {bilingual(POSITION)}: {change.places[0].zh} → {change.places[1].zh}")
            whole = change.after or change.before
            if change.kinds in (["added"], ["removed"]) and whole is not None:
                for key, value in whole.fields.items():
                    term.line(f"      {field_name(key).zh} {field_name(key).en}: {_clip(value)}")
            if change.inside:
                n = len(change.inside)
                term.line(term.paint("dim", f"      含 {n} 个下级行 · with {n} rows inside"))
        if translated:
            term.line(f"  {bilingual(KIND_NAMES['translated'])} ({len(translated)}): "
                      + ", ".join(c.id or "-" for c in translated))
    term.line()
    term.line(_summary_line(vd))


def _row_table(row: FlatRow, inside: list[FlatRow]) -> list[str]:
    """An added or removed row (and the rows inside it) as a reader would see it."""
    out = ["| 字段 Field | 内容 Content |", "| --- | --- |"]
    out += [f"| {md(bilingual(field_name(k)))} | {md_cell(v)} |" for k, v in row.fields.items()]
    out += [f"| {md(r.id)} · {md(bilingual(field_name(k)))} | {md_cell(v)} |" for r in inside for k, v in r.fields.items()]
    return out


def _change_table(change: RowChange) -> list[str]:
    """Before and after, field by field (and the place, for a moved row)."""
    out = ["| 字段 Field | 修改前 Before | 修改后 After |", "| --- | --- | --- |"]
    if change.places:
        before, after = change.places
        out.append(f"| {bilingual(POSITION)} | {md(before.zh)} | {md(after.zh)} |")
    for f in change.fields:
        segs = f.segments()
        out.append(f"| {md(bilingual(f.name))} | {md_segments(segs, 'a') or '—'} | {md_segments(segs, 'b') or '—'} |")
    if not change.fields and change.after is not None:
        out += ["", f"> {md_cell(_main_text(change.after))}"]
    return out


def _change_md(change: RowChange) -> list[str]:
    heading = f"#### {_kinds(change)}: {md(change.label.zh)}" + (f" ({_code(change.id)})" if change.id else "")
    whole = change.before if change.kinds == ["removed"] else change.after
    if change.kinds in (["added"], ["removed"]) and whole is not None:
        return [heading, "", *_row_table(whole, change.inside)]
    return [heading, "", *_change_table(change)]


def _translated_md(changes: list[RowChange]) -> list[str]:
    """Translation-only changes of one file, one table instead of one section per row."""
    out = [f"#### {bilingual(KIND_NAMES['translated'])} ({len(changes)})", "",
           "| 位置 Place | 字段 Field | 修改前 Before | 修改后 After |", "| --- | --- | --- | --- |"]
    for change in changes:
        place = md(change.label.zh) + (f" {_code(change.id)}" if change.id else "")
        for f in change.fields:
            segs = f.segments()
            out.append(f"| {place} | {md(bilingual(f.name))} | {md_segments(segs, 'a') or '—'} | "
                       f"{md_segments(segs, 'b') or '—'} |")
    return out


def _listing_md(reg: RegisterChange) -> list[str]:
    """Every row of an added or removed file, collapsed by part: what a reviewer checks
    against the source document (or what disappears from the site)."""
    out: list[str] = []
    for part, rows in _listing_parts(reg):
        if rows[0].id == REGISTER_ROW:
            out += ["", f"#### {bilingual(part)}", "", "| 字段 Field | 内容 Content |", "| --- | --- |"]
            out += [f"| {md(bilingual(field_name(k)))} | {md_cell(v)} |" for k, v in rows[0].fields.items()]
            continue
        out += ["", "<details>", f"<summary>{md(bilingual(part))} · {len(rows)} 行 rows</summary>", "",
                "| 位置 Place | 编号 Id | 内容 Content |", "| --- | --- | --- |"]
        for row in rows:
            content = "<br>".join(f"**{md(bilingual(field_name(k)))}** {md_cell(v)}" for k, v in row.fields.items())
            out.append(f"| {md(flat_label(row, reg.listing).zh)} | {_code(row.id)} | {content or '—'} |")
        out += ["", "</details>"]
    return out


def _status(reg: RegisterChange) -> str:
    return "" if reg.status == "modified" else f" — **{bilingual(KIND_NAMES[reg.status])}**"


def _main_text(row: FlatRow) -> str:
    """The field a reader recognises a row by, to show what moved."""
    return next((row.fields[k] for k in MAIN_FIELDS if k in row.fields), row.id)


def version_markdown(vd: VersionDiff) -> str:
    """The changes as a pull-request comment: a summary table, then each changed row as a
    reader sees it, before and after; a new or removed file lists all its rows, collapsed
    by part; translation-only edits are grouped in one table per file."""
    lines = [f"## 清单变化 Register changes: {_code(vd.base)} → {md(_head_name(vd))}"]
    if vd.registers:
        lines += ["", "| 文件 File | " + " | ".join(bilingual(KIND_NAMES[k]) for k in KINDS) + " |",
                  "| --- |" + " ---: |" * len(KINDS)]
    for reg in vd.registers:
        counts = [str(reg.count(k)) if reg.status == "modified" else "—" for k in KINDS]
        if reg.status != "modified":
            counts[0 if reg.status == "added" else 1] = f"{len(reg.listing) - 1} 行 rows"
        lines.append(f"| {md(reg.title)}<br>{_code(reg.path)}{_status(reg)} | " + " | ".join(counts) + " |")
    for reg in vd.registers:
        lines += ["", f"### {md(reg.title)}", "", f"{_code(reg.path)}{_status(reg)}"]
        lines += _listing_md(reg)
        translated = [c for c in reg.rows if c.kinds == ["translated"]]
        for change in (c for c in reg.rows if c.kinds != ["translated"]):
            lines += ["", *_change_md(change)]
        if translated:
            lines += ["", *_translated_md(translated)]
    lines += ["", _summary_line(vd)]
    return "\n".join(lines) + "\n"


# --- the command -------------------------------------------------------------------------------------


def _register_at(path: Path, cache: dict[Path, Corpus]) -> Register:
    root = find_root(path)
    if root is None:
        raise DiffError(f"{path} 不在 registers/ 文件夹中", f"{path} is not inside a registers/ folder", 2)
    if root not in cache:
        cache[root] = load_corpus(root)
    for reg in cache[root].registers:
        if reg.path.resolve() == path.resolve():
            return reg
    raise DiffError(f"{path} 不是部门清单文件", f"{path} is not a register file", 2)


def county_diff(path_a: Path, path_b: Path) -> Alignment:
    """Validate two register files, load their corpora and align them."""
    for path in (path_a, path_b):
        if not path.is_file():
            raise DiffError(f"找不到文件 {path}", f"no such file: {path}", 2)
    result = check([path_a, path_b])
    if result.errors:
        report.text(result, sys.stderr, colour=report.wants_colour(sys.stderr))
        raise DiffError("清单有错误，请先修正", "the registers have errors; fix them first", 1)
    cache: dict[Path, Corpus] = {}
    return align(_register_at(path_a, cache), _register_at(path_b, cache))


def _repo_paths(repo: Path, paths: tuple[Path, ...]) -> list[str]:
    out = []
    for path in paths:
        try:
            out.append(path.resolve().relative_to(repo.resolve()).as_posix())
        except ValueError as exc:
            raise DiffError(f"{path} 不在仓库 {repo} 中", f"{path} is outside the repository {repo}", 2) from exc
    return out


@click.command("diff", help="比较两份清单（A B），或两个版本之间的清单（--base）。 "
                            "Compare two registers (A B), or registers between two git revisions (--base).")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--base", help="比较的起点版本 Base git revision (e.g. main, HEAD~1).")
@click.option("--head", help="比较的终点版本，默认工作区 Head revision (default: the working tree).")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text", show_default=True,
              help="输出格式 Output format.")
def command(paths: tuple[Path, ...], base: str | None, head: str | None, fmt: str) -> None:
    try:
        if base is None:
            if head is not None:
                raise click.UsageError("--head 需要与 --base 一起使用 / --head needs --base")
            if len(paths) != 2:
                raise click.UsageError("请给出两份清单文件 A B，或使用 --base / give two register files A B, or use --base")
            result: Alignment | VersionDiff = county_diff(*paths)
        else:
            repo = repo_root(Path.cwd())
            result = version_diff(repo, base, head, _repo_paths(repo, paths))
    except DiffError as exc:
        click.echo(str(exc), err=True)
        sys.exit(exc.exit_code)
    county = isinstance(result, Alignment)
    if fmt == "json":
        payload = county_json(result) if county else version_json(result)
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    elif fmt == "markdown":
        sys.stdout.write(county_markdown(result) if county else version_markdown(result))
    else:
        term = Terminal(sys.stdout, report.wants_colour(sys.stdout))
        county_text(result, term) if county else version_text(result, term)
