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
from .notes import Note, note
from .shared import Department, Shared, articles
from .supervision import Clause, System, kind
from .tables import EMPTY_PART, Duties, MatterRow, ServiceRow

NUMBERED = re.compile(r"^\s*(\d+)([、.．])")
NOT_PROSE = {"id", "number", "phone", "department", "law", "as_written", "topics", "articles", "kind"}


@dataclass
class Parsed:
    """The four parts as read from the source, before ids and look-ups."""

    headings: dict[str, str]
    duties: Duties
    matters: list[MatterRow]
    systems: list[System]
    services: list[ServiceRow]


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
        for text in texts:
            found = self.shared.topics_for(text)
            if found:
                row["topics"] = found
                return

    def duties(self, part: Duties, heading: str) -> dict[str, Any]:
        out: dict[str, Any] = {"heading": heading}
        if part.columns:
            out["columns"] = part.columns
        out["rows"] = []
        for i, duty in enumerate(part.rows, 1):
            duty_id = f"duty-{i:02d}"
            row: dict[str, Any] = {"id": duty_id, "number": duty.number, "text": duty.text}
            self._topics(row, duty.text, "".join(item.text for item in duty.items))
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

    def boundaries(self, matters: list[MatterRow], heading: str) -> dict[str, Any]:
        rows = []
        for i, matter in enumerate(matters, 1):
            matter_id = f"matter-{i:02d}"
            row: dict[str, Any] = {"id": matter_id, "number": matter.number, "matter": matter.matter}
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
            rows.append(row)
        return {"heading": heading, "rows": rows}

    def _citations(self, matter_id: str, cells: list[tuple[str, Loc]]) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for cell, loc in cells:
            if cell.strip() in EMPTY_PART:
                continue
            for number, text in split_basis(cell):
                name = re.search(r"《([^》]+)》", text)
                if not name:
                    self.notes.append(note("import-law-unidentified", loc, (number or "") + text))
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

    def supervision(self, systems: list[System], heading: str) -> dict[str, Any]:
        out = []
        for i, system in enumerate(systems, 1):
            system_id = f"sup-{i:02d}"
            row: dict[str, Any] = {"id": system_id, "number": system.number, "title": system.title}
            self._topics(row, system.title, "".join(system.preamble))
            if system.preamble:
                row["preamble"] = system.preamble
            row["sections"] = [
                {"id": f"{system_id}-{j:02d}", "number": s.number, "heading": s.heading, "kind": kind(s.heading),
                 "clauses": _clauses(s.clauses, f"{system_id}-{j:02d}")}
                for j, s in enumerate(system.sections, 1)
            ]
            out.append(row)
        return {"heading": heading, "systems": out}

    def services(self, services: list[ServiceRow], heading: str) -> dict[str, Any]:
        rows = []
        for i, service in enumerate(services, 1):
            row: dict[str, Any] = {"id": f"svc-{i:02d}", "number": service.number, "name": service.name,
                                   "content": service.content, "agency": service.agency, "phone": service.phone}
            self._topics(row, service.name, service.content)
            rows.append(row)
        return {"heading": heading, "rows": rows}

    def register(self, parsed: Parsed, title: str, source: dict[str, str]) -> dict[str, Any]:
        data = {
            "department": self.own.id,
            "title": title,
            "source": source,
            "revisions": [],
            "duties": self.duties(parsed.duties, parsed.headings["duties"]),
            "boundaries": self.boundaries(parsed.matters, parsed.headings["boundaries"]),
            "supervision": self.supervision(parsed.systems, parsed.headings["supervision"]),
            "services": self.services(parsed.services, parsed.headings["services"]),
        }
        for text in prose(data):
            self.shared.mentioned_laws(text)
        return data


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
