"""Assemble the register draft: stored ids, departments, citations and topics.

Ids follow the curated registers (duty-01, duty-01-01, matter-01, matter-01-gongan,
matter-01-basis-1, sup-01-02-03, svc-01) and are written once: after import they belong to
the rows, not to their positions.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .document import Loc
from .emit import Suggested
from .notes import Note, unplaced
from .shared import Department, Shared, articles
from .supervision import Clause, System, kind
from .tables import EMPTY_PART, Boundaries, Duties, Services

NUMBERED = re.compile(r"^\s*(\d+)([、.．])")
NOT_PROSE = {"id", "number", "phone", "department", "law", "as_written", "topics", "articles", "kind"}


@dataclass
class Parsed:
    """The four parts as read from the source, before ids and look-ups.

    `headings` holds a part's heading as the source writes it (None: the source has none);
    `absent` the reason a part has no content ("无", or the source does not publish it).
    """

    headings: dict[str, str | None]
    absent: dict[str, str]
    duties: Duties
    boundaries: Boundaries
    systems: list[System]
    services: Services


def split_basis(text: str) -> list[tuple[str | None, str]]:
    """A legal-basis cell as citations: one per "1、 2、 3、" entry when it is a numbered list."""
    lines = text.split("\n")
    first = NUMBERED.match(next((line for line in lines if line.strip()), ""))
    if not first or first.group(1) != "1":
        return [(None, text)]
    entries: list[tuple[str, list[str]]] = []
    for line in lines:
        match = NUMBERED.match(line)
        if match and int(match.group(1)) == len(entries) + 1:
            entries.append((line[: match.end()].strip(), [line[match.end():]]))
        else:
            entries[-1][1].append(line)
    return [(number, "\n".join(body).strip()) for number, body in entries]


class Draft:
    def __init__(self, shared: Shared, own: Department, notes: list[Note]) -> None:
        self.shared = shared
        self.own = own
        self.notes = notes

    def _topics(self, row: dict[str, Any], *texts: str) -> None:
        """Suggested topics, written with a comment that says so (see emit.Suggested)."""
        for text in texts:
            found = self.shared.topics_for(text, self.own.type)
            if found:
                row["topics"] = Suggested(found)
                return

    @staticmethod
    def _number(row: dict[str, Any], number: str) -> None:
        if number:
            row["number"] = number

    @staticmethod
    def _part(heading: str | None) -> dict[str, Any]:
        return {"heading": heading} if heading else {}

    def duties(self, part: Duties, heading: str | None) -> dict[str, Any]:
        out = self._part(heading)
        if part.columns:
            out["columns"] = part.columns
        out["rows"] = []
        for i, duty in enumerate(part.rows, 1):
            duty_id = f"duty-{i:02d}"
            row: dict[str, Any] = {"id": duty_id}
            self._number(row, duty.number)
            row["text"] = duty.text
            self._topics(row, duty.text, "".join(item.text for item in duty.items))
            if duty.remark is not None:
                row["remark"] = duty.remark
            if duty.extra:
                row["extra"] = duty.extra
            if duty.items:
                row["items"] = []
            for j, item in enumerate(duty.items, 1):
                entry: dict[str, Any] = {"id": f"{duty_id}-{j:02d}", "text": item.text}
                if item.remark is not None:
                    entry["remark"] = item.remark
                if item.extra:
                    entry["extra"] = item.extra
                row["items"].append(entry)
            out["rows"].append(row)
        if part.notes:
            out["notes"] = part.notes
        return out

    def boundaries(self, part: Boundaries, heading: str | None) -> dict[str, Any]:
        rows = []
        for i, matter in enumerate(part.rows, 1):
            matter_id = f"matter-{i:02d}"
            row: dict[str, Any] = {"id": matter_id}
            self._number(row, matter.number)
            row["matter"] = matter.matter
            self._topics(row, matter.matter, "".join(d.text for d in matter.divisions))
            row["divisions"] = []
            used: set[str] = set()
            for division in matter.divisions:
                dept = self.shared.department_for(division.as_written, self.own)
                division_id = f"{matter_id}-{dept.id}"
                n = 1
                while division_id in used:
                    n += 1
                    division_id = f"{matter_id}-{dept.id}-{n}"
                used.add(division_id)
                row["divisions"].append({"id": division_id, "department": dept.id, "as_written": division.as_written,
                                         "text": division.text})
            row["basis"] = self._citations(matter_id, matter.basis)
            cases = [c for c in matter.cases if c.strip() not in EMPTY_PART]
            if cases:
                row["cases"] = [{"id": f"{matter_id}-case-{k}", "text": c} for k, c in enumerate(cases, 1)]
            if matter.extra:
                row["extra"] = matter.extra
            rows.append(row)
        out = self._part(heading)
        if part.columns:
            out["columns"] = part.columns
        out["rows"] = rows
        return out

    def _citations(self, matter_id: str, cells: list[tuple[str, Loc]]) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for cell, loc in cells:
            if cell.strip() in EMPTY_PART:
                continue
            for number, text in split_basis(cell):
                name = re.search(r"《([^》]+)》", text)
                if not name:
                    self.notes.append(unplaced(loc, (number or "") + text, "no-law"))
                    continue
                entry: dict[str, Any] = {"id": f"{matter_id}-basis-{len(out) + 1}"}
                if number:
                    entry["number"] = number
                entry["law"] = self.shared.law_for(name.group(1), text)
                cited = articles(text)
                if cited:
                    entry["articles"] = cited
                entry["text"] = text
                out.append(entry)
        return out

    def supervision(self, systems: list[System], heading: str | None) -> dict[str, Any]:
        out = []
        for i, system in enumerate(systems, 1):
            system_id = f"sup-{i:02d}"
            row: dict[str, Any] = {"id": system_id}
            self._number(row, system.number)
            row["title"] = system.title
            self._topics(row, system.title, "".join(system.preamble))
            if system.preamble:
                row["preamble"] = system.preamble
            row["sections"] = []
            for j, s in enumerate(system.sections, 1):
                section: dict[str, Any] = {"id": f"{system_id}-{j:02d}"}
                self._number(section, s.number)
                section.update(heading=s.heading, kind=kind(s.heading), clauses=_clauses(s.clauses, section["id"]))
                row["sections"].append(section)
            out.append(row)
        part = self._part(heading)
        part["systems"] = out
        return part

    def services(self, part: Services, heading: str | None) -> dict[str, Any]:
        rows = []
        for i, service in enumerate(part.rows, 1):
            row: dict[str, Any] = {"id": f"svc-{i:02d}"}
            self._number(row, service.number)
            row["name"] = service.name
            for key in ("content", "agency", "phone"):
                if getattr(service, key):
                    row[key] = getattr(service, key)
            self._topics(row, service.name, service.content, *service.extra.values())
            if service.extra:
                row["extra"] = service.extra
            rows.append(row)
        out = self._part(heading)
        if part.columns:
            out["columns"] = part.columns
        out["rows"] = rows
        return out

    def register(self, parsed: Parsed, title: str, source: dict[str, str]) -> dict[str, Any]:
        data: dict[str, Any] = {"department": self.own.id, "title": title, "source": source, "revisions": []}
        makers = {"duties": lambda h: self.duties(parsed.duties, h),
                  "boundaries": lambda h: self.boundaries(parsed.boundaries, h),
                  "supervision": lambda h: self.supervision(parsed.systems, h),
                  "services": lambda h: self.services(parsed.services, h)}
        for key, make in makers.items():
            heading = parsed.headings.get(key)
            if key in parsed.absent:
                data[key] = {**self._part(heading), "absent": {"reason": parsed.absent[key]}}
            else:
                data[key] = make(heading)
        for text in prose(data):
            self.shared.mentioned_laws(text)
        return data


def unplaced_entries(notes: list[Note]) -> list[dict[str, str]]:
    """The draft's top-level `unplaced`: every text the import could not place, with where and why."""
    params = [(n, dict(n.params)) for n in notes if n.code == "import-unplaced" and n.quote]
    return [{"text": n.quote or "", "where": str(n.loc) if n.loc else "", "reason": f"{p['reason']} / {p['reason_en']}"}
            for n, p in params]


def _clauses(clauses: list[Clause], parent: str) -> list[dict[str, Any]]:
    out = []
    for k, clause in enumerate(clauses, 1):
        entry: dict[str, Any] = {"id": f"{parent}-{k:02d}"}
        if clause.number:
            entry["number"] = clause.number
        entry["text"] = clause.text
        if clause.clauses:
            entry["clauses"] = _clauses(clause.clauses, entry["id"])
        out.append(entry)
    return out


def prose(value: Any, key: str = "") -> list[str]:
    """Every text field of the register body, in document order."""
    if isinstance(value, str):
        return [] if key in NOT_PROSE else [value]
    if isinstance(value, dict):
        return [t for k, v in value.items() for t in prose(v, k)]
    if isinstance(value, list):
        return [t for v in value for t in prose(v, key)]
    return []
