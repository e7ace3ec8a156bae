"""Adjustment records (动态调整): what changed in a register, when, and the list on any date.

A register file holds the list after every adjustment it records, prospective ones
included.  Each entry of its top-level `adjustments` names the rows it affects; a row that
disappears (取消, 下放, 合并) moves out of the rows into its adjustment as `previous[].row`
(with `at` and `after`: where it stood), and a row that changes (变更, 更正) leaves the
fields as they were in `previous[].fields`.  Undoing the adjustments newest first gives the
list as it stood on any earlier date, so nothing is typed twice: the register's rows are
the present, the adjustments hold only what is no longer there.

The site shows the list as it stands on the build date (`build_date`): adjustments that
take effect later are undone for the pages and announced in a prospective notice.
"""
from __future__ import annotations

import copy
import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import yaml

from .diff import flat_label, flatten
from .errors import Finding, finding
from .load import Document
from .model import Text
from .validate import validator_for

TYPES = {
    "add": Text("新增", "added"),
    "cancel": Text("取消", "cancelled"),
    "change": Text("变更", "changed"),
    "hand-down": Text("下放", "handed down"),
    "take-over": Text("承接", "taken over"),
    "merge": Text("合并", "merged"),
    "correction": Text("更正", "corrected"),
}
EFFECTS = {
    "appear": {"add", "take-over", "merge"},
    "disappear": {"cancel", "hand-down", "merge"},
    "change": {"change", "correction", "merge"},
}
"""What an adjustment of each type may do to a row it names."""
EFFECT_NAMES = {
    "appear": Text("新增", "added"),
    "disappear": Text("删除", "removed"),
    "change": Text("修改", "changed"),
}
PART_LISTS = {"duties": "rows", "boundaries": "rows", "supervision": "systems", "services": "rows"}
CHILD_LISTS = ("items", "divisions", "basis", "cases", "sections", "clauses")
"""The lists of rows inside a row; a row's place is `part` or `parent-id/list`."""


# --- reading the records ---------------------------------------------------------------------


@dataclass(frozen=True)
class Effect:
    """What one adjustment did to one row."""

    id: str
    effect: str
    """`appear`, `disappear` or `change`."""
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    """The row as it stood before and after (without the rows inside it)."""
    label: Text
    """Where the row stands (or stood), as a reader finds it: 部门职责 › 职责 1 › 事项 3."""


@dataclass
class Adjustment:
    id: str
    type: str
    effective: str
    adopted: str
    document_number: str | None = None
    issuer: Text | None = None
    title: Text | None = None
    summary: Text | None = None
    to: Text | None = None
    source: Text | None = None
    rows: list[str] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)

    @property
    def type_name(self) -> Text:
        return TYPES[self.type]


def _opt(value: Any) -> Text | None:
    return None if value is None else Text.of(value)


def _adjustment(raw: dict[str, Any]) -> Adjustment:
    doc = raw.get("document", {})
    return Adjustment(
        raw["id"], raw["type"], raw["effective"], doc["adopted"], doc.get("document_number"), _opt(doc.get("issuer")),
        _opt(doc.get("title")), _opt(raw.get("summary")), _opt(raw.get("to")), _opt(raw.get("from")),
        list(raw.get("rows", [])),
    )


def records(data: dict[str, Any]) -> list[Adjustment]:
    """The adjustments of a checked register, in effective order, each with its effects."""
    out = []
    for raw, before, after in steps(data):
        adj = _adjustment(raw)
        previous = {p["id"]: p for p in raw.get("previous", [])}
        index_before, index_after = _index(before), _index(after)
        flat_before, flat_after = flatten(rows_only(before)), flatten(rows_only(after))
        for rid in adj.rows:
            kind = _effect_of(previous.get(rid))
            old = index_before.get(rid)
            new = index_after.get(rid)
            flat = flat_after if rid in flat_after else flat_before
            label = flat_label(flat[rid], flat) if rid in flat else Text(rid, rid)
            adj.effects.append(Effect(rid, kind, _own(old[3]) if old else None, _own(new[3]) if new else None, label))
        out.append(adj)
    return out


def rows_only(data: dict[str, Any]) -> dict[str, Any]:
    """The register without its adjustments (whose `previous` rows share the rows' ids)."""
    return {k: v for k, v in data.items() if k != "adjustments"}


def _own(row: dict[str, Any]) -> dict[str, Any]:
    """A row's own fields, without the rows inside it."""
    return {k: v for k, v in row.items() if k not in CHILD_LISTS}


def _effect_of(previous: dict[str, Any] | None) -> str:
    if previous is None:
        return "appear"
    return "disappear" if "row" in previous else "change"


# --- rows in plain data --------------------------------------------------------------------------


def _rows(place: str, rows: list[Any]) -> Iterator[tuple[str, list[Any], int, dict[str, Any]]]:
    for i, row in enumerate(rows):
        if isinstance(row, dict):
            yield place, rows, i, row
            for key in CHILD_LISTS:
                if isinstance(row.get(key), list):
                    yield from _rows(f"{row.get('id')}/{key}", row[key])


def _index(data: dict[str, Any]) -> dict[str, tuple[str, list[Any], int, dict[str, Any]]]:
    """Every row of the four parts by id: (place, the list holding it, index, row)."""
    out = {}
    for part, key in PART_LISTS.items():
        block = data.get(part)
        if isinstance(block, dict) and isinstance(block.get(key), list):
            for entry in _rows(part, block[key]):
                if isinstance(entry[3].get("id"), str):
                    out.setdefault(entry[3]["id"], entry)
    return out


def _container(data: dict[str, Any], place: str) -> list[Any] | None:
    """The list a row is put back into: a part's rows, or a list inside a row."""
    if place in PART_LISTS:
        block = data.get(place)
        if not isinstance(block, dict) or "absent" in block:
            return None
        return block.setdefault(PART_LISTS[place], [])
    parent, _, key = place.rpartition("/")
    found = _index(data).get(parent)
    if found is None or key not in CHILD_LISTS:
        return None
    return found[3].setdefault(key, [])


# --- undoing ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    code: str
    pointer: str
    params: dict[str, Any]


def _ordered(data: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    """(position in the file, adjustment) in effective order; the file's order breaks ties."""
    raw = data.get("adjustments")
    entries = [(n, a) for n, a in enumerate(raw) if isinstance(a, dict)] if isinstance(raw, list) else []
    return sorted(entries, key=lambda e: (str(e[1].get("effective", "")), e[0]))


def undo(state: dict[str, Any], adj: dict[str, Any], pointer: str) -> list[Problem]:
    """Turn `state` (the list just after `adj`) into the list just before it, in place.
    Returns the problems when the record does not fit: `state` is untouched unless a
    removed row's place is unknown (found only while putting rows back, in `rows` order, so
    a restored row can be the place of the next)."""
    problems: list[Problem] = []
    kind = adj.get("type")
    name = adj.get("id", "?")
    kind_name = TYPES.get(str(kind), Text(str(kind), str(kind)))
    rows = [r for r in adj.get("rows", []) if isinstance(r, str)] if isinstance(adj.get("rows"), list) else []
    raw_previous = adj.get("previous", [])
    previous: dict[str, tuple[int, dict[str, Any]]] = {}
    for n, p in enumerate(raw_previous if isinstance(raw_previous, list) else []):
        if isinstance(p, dict) and isinstance(p.get("id"), str):
            previous[p["id"]] = (n, p)
            if p["id"] not in rows:
                problems.append(Problem("adjustment-previous-unlisted", f"{pointer}/previous/{n}/id",
                                        {"adj": name, "id": p["id"]}))
    index = _index(state)
    effects = {}
    for n, rid in enumerate(rows):
        at = f"{pointer}/rows/{n}"
        entry = previous.get(rid)
        effect = _effect_of(entry[1] if entry else None)
        effects[rid] = effect
        if kind not in EFFECTS[effect]:
            code, where = (("adjustment-previous-missing", at) if entry is None else
                           ("adjustment-previous-unexpected", f"{pointer}/previous/{entry[0]}"))
            problems.append(Problem(code, where, {"adj": name, "id": rid, "type": kind_name.zh,
                                                  "type_en": kind_name.en}))
        if effect == "disappear" and rid in index:
            problems.append(Problem("adjustment-row-present", at, {"adj": name, "id": rid}))
        if effect != "disappear" and rid not in index:
            problems.append(Problem("adjustment-row-unknown", at, {"adj": name, "id": rid}))
    if kind == "merge" and rows and ("disappear" not in effects.values() or set(effects.values()) == {"disappear"}):
        problems.append(Problem("adjustment-merge-incomplete", f"{pointer}/rows", {"adj": name}))
    if problems:
        return problems
    for rid, effect in effects.items():
        if effect == "appear":
            _, rows_list, i, _ = _index(state)[rid]
            del rows_list[i]
    for rid, effect in effects.items():
        if effect == "change":
            fields = previous[rid][1].get("fields")
            if isinstance(fields, dict):
                _index(state)[rid][3].update(copy.deepcopy(fields))
    for rid, effect in effects.items():
        if effect != "disappear":
            continue
        n, entry = previous[rid]
        place, after = entry.get("at"), entry.get("after")
        target = _container(state, place) if isinstance(place, str) else None
        if target is None:
            return [Problem("adjustment-place-unknown", f"{pointer}/previous/{n}/at", {"adj": name, "place": place})]
        ids = [r.get("id") for r in target if isinstance(r, dict)]
        if after is not None and after not in ids:
            return [Problem("adjustment-place-unknown", f"{pointer}/previous/{n}/after", {"adj": name, "place": after})]
        row = entry.get("row") if isinstance(entry.get("row"), dict) else {}
        target.insert(0 if after is None else ids.index(after) + 1,
                      {"id": rid, **{k: copy.deepcopy(v) for k, v in row.items() if k != "id"}})
    return []


def steps(data: dict[str, Any]) -> list[tuple[dict[str, Any], dict[str, Any], dict[str, Any]]]:
    """(adjustment, list before it, list after it) for every adjustment, oldest first.
    Assumes a checked register (`check` reports what does not fit)."""
    state = copy.deepcopy(data)
    out = []
    for n, adj in reversed(_ordered(data)):
        after = copy.deepcopy(state)
        undo(state, adj, f"/adjustments/{n}")
        out.append((adj, copy.deepcopy(state), after))
    return list(reversed(out))


def state_on(data: dict[str, Any], date: str) -> dict[str, Any]:
    """The register as it stood on `date`: every adjustment effective later undone (no
    date: the file as it is, every adjustment in force)."""
    later = [(n, a) for n, a in _ordered(data) if str(a.get("effective", "")) > date]
    if not date or not later:
        return data
    state = copy.deepcopy(data)
    for n, adj in reversed(later):
        undo(state, adj, f"/adjustments/{n}")
    return state


# --- checking --------------------------------------------------------------------------------------


def check(doc: Document) -> list[Finding]:
    """Dates in order, every named row where its type requires it, and every earlier state
    of the list a valid register (so `previous` holds whole rows)."""
    data = doc.data
    if not isinstance(data, dict) or not isinstance(data.get("adjustments"), list):
        return []
    out: list[Finding] = []

    def at(code: str, pointer: str, **params: Any) -> None:
        line, col = doc.locate(pointer)
        out.append(finding(code, doc.path, line, col, pointer, **params))

    adopted = data.get("adopted") if isinstance(data.get("adopted"), str) else None
    latest = ""
    for n, adj in enumerate(data["adjustments"]):
        if not isinstance(adj, dict):
            continue
        effective = adj.get("effective") if isinstance(adj.get("effective"), str) else ""
        document = adj.get("document") if isinstance(adj.get("document"), dict) else {}
        issued = document.get("adopted") if isinstance(document.get("adopted"), str) else ""
        name = adj.get("id", "?")
        if effective and issued and effective < issued:
            at("adjustment-effective-early", f"/adjustments/{n}/effective", adj=name, effective=effective,
               adopted=issued)
        if effective and effective < latest:
            at("adjustment-order", f"/adjustments/{n}/effective", adj=name, effective=effective, previous=latest)
        elif effective and adopted and effective < adopted:
            at("adjustment-before-register", f"/adjustments/{n}/effective", adj=name, effective=effective,
               adopted=adopted)
        latest = max(latest, effective)
    state = copy.deepcopy(data)
    validator = validator_for("register")
    for n, adj in reversed(_ordered(data)):
        problems = undo(state, adj, f"/adjustments/{n}")
        for p in problems:
            at(p.code, p.pointer, **p.params)
        if problems:
            return out  # earlier states cannot be derived past a record that does not fit
        errors = sorted(validator.iter_errors(state), key=lambda e: list(map(str, e.absolute_path)))
        twice = _repeated_ids(state)
        if errors or twice:
            where = "/" + "/".join(map(str, errors[0].absolute_path)) if errors else twice[0]
            detail = errors[0].message[:200] if errors else f"id {twice[0]} twice"
            at("adjustment-earlier-invalid", f"/adjustments/{n}", adj=adj.get("id", "?"), where=where, detail=detail)
            return out
    return out


def _repeated_ids(data: dict[str, Any]) -> list[str]:
    """Row ids that occur twice in a derived list (a restored row's children clashing)."""
    seen: set[str] = set()
    twice = []
    for part, key in PART_LISTS.items():
        block = data.get(part)
        if isinstance(block, dict) and isinstance(block.get(key), list):
            for _, _, _, row in _rows(part, block[key]):
                rid = row.get("id")
                if isinstance(rid, str):
                    if rid in seen:
                        twice.append(rid)
                    seen.add(rid)
    return twice


# --- the build date -------------------------------------------------------------------------------


def build_date(root: Path, config: dict[str, Any] | None = None) -> str:
    """The day the site reflects, never the wall clock: QINGDAN_BUILD_DATE, then
    `extra.qingdan.build_date` in mkdocs.yml, then SOURCE_DATE_EPOCH, then the date of the
    last commit; outside a git checkout the newest date the registers record."""
    if os.environ.get("QINGDAN_BUILD_DATE"):
        return os.environ["QINGDAN_BUILD_DATE"]
    if config is None:
        config = _site_config(root.parent / "mkdocs.yml")
    configured = ((config or {}).get("extra") or {}).get("qingdan", {}) or {}
    if configured.get("build_date"):
        return str(configured["build_date"])
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc).date().isoformat()
    try:
        done = subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%cs"], capture_output=True, text=True,
                              check=False)
    except OSError:
        done = None
    if done is not None and done.returncode == 0 and done.stdout.strip():
        return done.stdout.strip()
    return ""


def _site_config(path: Path) -> dict[str, Any] | None:
    """mkdocs.yml's extra section (its python tags left unresolved)."""
    if not path.is_file():
        return None

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=Loader)
    except yaml.YAMLError:
        return None
    return data if isinstance(data, dict) else None
