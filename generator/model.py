"""Model stage: validated register data becomes typed objects with look-ups and backlinks.

Rendering, PDFs, exports and comparisons all read this model, never the raw YAML, so a
change of file layout touches one place.  It assumes `validate.check` found no errors.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .checks import DIALABLE, suggest_type
from .load import Document, load_file, yaml_files


PARTS = ("duties", "boundaries", "supervision", "services")
"""The four parts of every register, in their official order (a row's `part`)."""
SERVICE_FIELDS = ("content", "agency", "phone")
"""A service's standard columns besides its name; a list may lack any of them (schema v2)."""


@dataclass(frozen=True)
class Text:
    """A human-language field: Chinese always, English when translated."""

    zh: str
    en: str | None = None

    @classmethod
    def of(cls, value: Any) -> Text:
        if isinstance(value, dict):
            return cls(value["zh"], value.get("en"))
        return cls(value)

    def __str__(self) -> str:
        return self.zh

    def get(self, lang: str) -> str | None:
        return self.en if lang == "en" else self.zh


def _opt(value: Any) -> Text | None:
    return None if value is None else Text.of(value)


@dataclass(eq=False)
class Topic:
    id: str
    name: Text
    kind: str = "subject"
    """`power` (a kind of power: 行政许可 … 公共服务) or `subject` (a field of work)."""
    rows: list[Row] = field(default_factory=list, repr=False)


@dataclass(eq=False)
class DepartmentType:
    id: str
    name: Text
    names: list[str] = field(default_factory=list)
    """Common names of such departments without the place name (教育局, 教体局): see `suggest_type`."""
    topics: list[Topic] = field(default_factory=list)
    """The subject topics such departments' lists are mostly about: the importer suggests them first."""
    departments: list[Department] = field(default_factory=list, repr=False)


@dataclass(eq=False)
class Law:
    id: str
    title: Text
    level: str
    aliases: list[str] = field(default_factory=list)
    issuer: Text | None = None
    document_number: str | None = None
    effective: str | None = None
    citations: list[Citation] = field(default_factory=list, repr=False)
    """Legal-basis entries that cite this law (boundary tables)."""
    mentions: list[Row] = field(default_factory=list, repr=False)
    """Rows whose text names this law in 《》 without a formal citation."""

    @property
    def names(self) -> list[str]:
        return [self.title.zh, *self.aliases]


@dataclass(eq=False)
class Department:
    id: str
    name: Text
    aliases: list[str]
    type: DepartmentType
    county: County = field(repr=False)
    divisions: list[Division] = field(default_factory=list, repr=False)
    nearby: list[Department] | None = field(default=None, repr=False)
    """The same kind in the nearest other counties, once render.nearby has worked it out
    (kept here, not in a cache beside the model, so it goes when the model goes)."""

    @property
    def key(self) -> str:
        return f"{self.county.slug}/{self.id}"


@dataclass(eq=False)
class Row:
    """Any addressable row of a register: it has an id, a register and a part."""

    id: str
    register: Register = field(repr=False)
    part: str

    @property
    def anchor(self) -> str:
        return self.id


@dataclass(eq=False)
class Item(Row):
    text: Text = Text("")
    remark: Text | None = None
    topics: list[Topic] = field(default_factory=list)
    extra: dict[str, Text] = field(default_factory=dict)
    duty: Duty | None = field(default=None, repr=False)


@dataclass(eq=False)
class Duty(Row):
    number: str = ""
    """As the source writes it; "" for an unnumbered row (likewise for matters, systems,
    sections and services: the schema never allows an empty number, so "" means none)."""
    text: Text = Text("")
    remark: Text | None = None
    topics: list[Topic] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    """Empty for a duty published without a breakdown; it then holds its own `extra`."""
    extra: dict[str, Text] = field(default_factory=dict)


@dataclass(eq=False)
class Division(Row):
    department: Department | None = None
    as_written: str = ""
    text: Text = Text("")
    matter: Matter | None = field(default=None, repr=False)


@dataclass(eq=False)
class Citation(Row):
    law: Law | None = None
    number: str | None = None
    articles: list[str] = field(default_factory=list)
    text: Text = Text("")
    matter: Matter | None = field(default=None, repr=False)


@dataclass(eq=False)
class Case(Row):
    text: Text = Text("")


@dataclass(eq=False)
class Matter(Row):
    number: str = ""
    matter: Text = Text("")
    topics: list[Topic] = field(default_factory=list)
    divisions: list[Division] = field(default_factory=list)
    basis: list[Citation] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    extra: dict[str, Text] = field(default_factory=dict)


@dataclass(eq=False)
class Clause(Row):
    number: str | None = None
    text: Text = Text("")
    clauses: list[Clause] = field(default_factory=list)


@dataclass(eq=False)
class Section(Row):
    number: str = ""
    heading: Text = Text("")
    kind: str = "other"
    clauses: list[Clause] = field(default_factory=list)


@dataclass(eq=False)
class System(Row):
    number: str = ""
    title: Text = Text("")
    topics: list[Topic] = field(default_factory=list)
    preamble: list[Text] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    extra: dict[str, Text] = field(default_factory=dict)


@dataclass(eq=False)
class Service(Row):
    number: str = ""
    name: Text = Text("")
    content: Text | None = None
    agency: Text | None = None
    phone: str | None = None
    """As the source prints it: a number, or words (then shown as text, without a link)."""
    topics: list[Topic] = field(default_factory=list)
    extra: dict[str, Text] = field(default_factory=dict)

    @property
    def tel(self) -> str:
        """A dialable tel: URI, adding the county's area code to local landline numbers;
        "" when the cell is not one number."""
        if not self.phone or not DIALABLE.match(self.phone.strip()):
            return ""
        digits = re.sub(r"\D", "", self.phone)
        area = self.register.county.area_code
        if len(digits) in (7, 8) and area:
            return f"tel:+86-{area[1:]}-{digits}"
        return f"tel:+86-{digits[1:] if digits.startswith('0') else digits}"


@dataclass(eq=False)
class Part:
    """One of the four parts: its heading as the source writes it (None: the source has
    none, pages use the standard label), its extra columns, its notes, and the reason it
    is `absent` (the source prints 无 or does not publish it)."""

    heading: Text | None = None
    columns: list[Text] = field(default_factory=list)
    notes: list[Text] = field(default_factory=list)
    absent: Text | None = None


@dataclass(eq=False)
class Revision:
    date: str
    summary: Text
    document_number: str | None = None


@dataclass(eq=False)
class Register:
    """One department's list as it stands on its `as_of` date (`adjust.state_on`): `data` is
    the file as loaded, the rows are that day's; `adjustments` are all its records,
    prospective ones included."""

    slug: str
    county: County = field(repr=False)
    department: Department
    title: Text
    path: Path
    data: dict[str, Any] = field(repr=False)
    source: dict[str, Any] = field(default_factory=dict)
    adopted: str | None = None
    document_number: str | None = None
    revisions: list[Revision] = field(default_factory=list)
    adjustments: list[Any] = field(default_factory=list)
    """`adjust.Adjustment` records, in effective order."""
    as_of: str = ""
    """The day this list reflects (the corpus's `as_of`)."""
    parts: dict[str, Part] = field(default_factory=dict)
    duties: list[Duty] = field(default_factory=list)
    matters: list[Matter] = field(default_factory=list)
    systems: list[System] = field(default_factory=list)
    services: list[Service] = field(default_factory=list)
    rows: dict[str, Row] = field(default_factory=dict, repr=False)

    @property
    def key(self) -> str:
        return f"{self.county.slug}/{self.slug}"

    def part_rows(self, part: str) -> list[Any]:
        """The top-level rows of a part: duties, matters, systems or services."""
        return {"duties": self.duties, "boundaries": self.matters, "supervision": self.systems,
                "services": self.services}[part]

    @property
    def service_fields(self) -> list[str]:
        """The standard service columns this list has (a list without a phone column gets none)."""
        return [f for f in SERVICE_FIELDS if any(getattr(s, f) is not None for s in self.services)]


@dataclass(eq=False)
class County:
    slug: str
    name: Text
    pinyin: str
    province: Text
    division_code: str
    level: str
    prefecture: Text | None = None
    area_code: str | None = None
    departments: dict[str, Department] = field(default_factory=dict)
    registers: list[Register] = field(default_factory=list)


@dataclass(eq=False)
class Corpus:
    root: Path
    counties: dict[str, County] = field(default_factory=dict)
    topics: dict[str, Topic] = field(default_factory=dict)
    laws: dict[str, Law] = field(default_factory=dict)
    types: dict[str, DepartmentType] = field(default_factory=dict)
    glossary: list[dict[str, Any]] = field(default_factory=list)
    as_of: str = ""
    """The day the pages reflect (`adjust.build_date`); empty: every adjustment in force."""

    @property
    def registers(self) -> list[Register]:
        return [r for c in self.counties.values() for r in c.registers]

    def suggest_type(self, *names: str) -> DepartmentType | None:
        """The department type whose common name ends one of `names` (a department's full name
        or aliases), the longest such ending winning: 定安县教育和体育局 → 教育部门.  A suggestion
        for the importer; the officer confirms it."""
        found = suggest_type({t.id: t.names for t in self.types.values()}, *names)
        return self.types[found] if found else None

    def law_by_name(self) -> dict[str, Law]:
        """Every title and alias → law, for linking 《…》 mentions in prose."""
        return {name: law for law in self.laws.values() for name in law.names}


def _read(path: Path, documents: Mapping[Path, Document] | None = None) -> Any:
    """A file's data: from `documents` (already loaded by `qingdan check`) or read now."""
    doc = (documents or {}).get(path.resolve()) or load_file(path)
    if doc.data is None:
        raise ValueError(f"{path}: cannot load; run `qingdan check` first")
    return doc.data


def load_corpus(root: Path, documents: Mapping[Path, Document] | None = None, as_of: str | None = None) -> Corpus:
    """Build the model from a `registers/` folder that `qingdan check` accepted, as it stands
    on `as_of` (default: the build date, `adjust.build_date`).

    Pass the check result's `documents` so the files are not read and parsed twice.
    """

    from . import adjust  # adjust uses the validate and diff stages, which import this module

    def _data(path: Path) -> Any:
        return _read(path, documents)

    corpus = Corpus(root=root, as_of=adjust.build_date(root) if as_of is None else as_of)
    for row in _data(root / "topics.yaml")["topics"]:
        corpus.topics[row["id"]] = Topic(row["id"], Text.of(row["name"]), row.get("kind", "subject"))
    for row in _data(root / "department-types.yaml")["types"]:
        corpus.types[row["id"]] = DepartmentType(row["id"], Text.of(row["name"]), list(row.get("names", [])),
                                                 [corpus.topics[t] for t in row.get("topics", [])])
    for row in _data(root / "laws.yaml")["laws"]:
        corpus.laws[row["id"]] = Law(
            row["id"], Text.of(row["title"]), row["level"], list(row.get("aliases", [])), _opt(row.get("issuer")),
            row.get("document_number"), row.get("effective"),
        )
    if (root / "glossary.yaml").exists():
        corpus.glossary = _data(root / "glossary.yaml")["terms"]
    for county_file in sorted(root.glob("*/county.yaml")):
        county = _county(corpus, county_file, _data(county_file))
        corpus.counties[county.slug] = county
        for path in yaml_files(county_file.parent):
            if path.name != "county.yaml":
                county.registers.append(_register(corpus, county, path, _data(path)))
    return corpus


def _county(corpus: Corpus, path: Path, data: dict[str, Any]) -> County:
    county = County(
        slug=path.parent.name, name=Text.of(data["name"]), pinyin=data["pinyin"], province=Text.of(data["province"]),
        division_code=data["division_code"], level=data["level"], prefecture=_opt(data.get("prefecture")),
        area_code=data.get("area_code"),
    )
    for row in data["departments"]:
        dept_type = corpus.types[row["type"]]
        dept = Department(row["id"], Text.of(row["name"]), list(row.get("aliases", [])), dept_type, county)
        dept_type.departments.append(dept)
        county.departments[dept.id] = dept
    return county


def _topics(corpus: Corpus, row: dict[str, Any], target: Row, backlinks: bool) -> list[Topic]:
    topics = [corpus.topics[t] for t in row.get("topics", [])]
    for topic in topics if backlinks else []:
        topic.rows.append(target)
    return topics


def historic_register(corpus: Corpus, county: County, path: Path, data: dict[str, Any],
                      as_of: str | None = None) -> Register:
    """An earlier version of a register (a commit's file, or the list on the date `as_of`),
    for point-in-time pages: built without backlinks, so it never shows up on law, topic or
    department pages.  Raises KeyError or TypeError when that version does not fit the
    current model."""
    return _register(corpus, county, path, data, backlinks=False, as_of=as_of)


def replace_register(corpus: Corpus, old: Register, data: dict[str, Any]) -> Register:
    """Swap one register for its edited version: its rows leave the topic, law and department
    lists and the new rows take the same places, so the model equals one loaded from scratch
    (the incremental build depends on it)."""
    county = old.county
    new = _register(corpus, county, old.path, data)
    county.registers[county.registers.index(old)] = new
    order = {id(r): n for n, r in enumerate(corpus.registers)}
    backlinks: list[list[Any]] = [tp.rows for tp in corpus.topics.values()]
    backlinks += [rows for law in corpus.laws.values() for rows in (law.citations, law.mentions)]
    backlinks += [d.divisions for d in county.departments.values()]
    for rows in backlinks:
        ours = [row for row in rows if row.register is new]  # appended last by _register
        kept = [row for row in rows if row.register is not old and row.register is not new]
        if len(kept) == len(rows):
            continue
        at = next((i for i, row in enumerate(kept) if order[id(row.register)] > order[id(new)]), len(kept))
        rows[:] = kept[:at] + ours + kept[at:]
    return new


def _register(corpus: Corpus, county: County, path: Path, data: dict[str, Any], backlinks: bool = True,
              as_of: str | None = None) -> Register:
    from . import adjust  # see load_corpus

    recorded = adjust.records(data) if data.get("adjustments") else []
    day = corpus.as_of if as_of is None else as_of
    full, data = data, adjust.state_on(data, day)
    reg = Register(
        slug=path.stem, county=county, department=county.departments[data["department"]], title=Text.of(data["title"]),
        path=path, data=full, source=data.get("source", {}), adopted=data.get("adopted"),
        document_number=data.get("document_number"),
        revisions=[Revision(r["date"], Text.of(r["summary"]), r.get("document_number")) for r in data.get("revisions", [])],
        adjustments=recorded, as_of=day,
    )

    def add(row: Row) -> Row:
        reg.rows[row.id] = row
        return row

    for name in PARTS:
        part = data[name]
        reg.parts[name] = Part(_opt(part.get("heading")), [Text.of(c) for c in part.get("columns", [])],
                               [Text.of(n) for n in part.get("notes", [])], _opt((part.get("absent") or {}).get("reason")))

    for d in data["duties"].get("rows", []):
        duty = Duty(d["id"], reg, "duties", d.get("number", ""), Text.of(d["text"]), _opt(d.get("remark")),
                    extra=_extra(d))
        duty.topics = _topics(corpus, d, duty, backlinks)
        for i in d.get("items", []):
            item = Item(i["id"], reg, "duties", Text.of(i["text"]), _opt(i.get("remark")), duty=duty,
                        extra=_extra(i))
            item.topics = _topics(corpus, i, item, backlinks)
            duty.items.append(add(item))  # type: ignore[arg-type]
        reg.duties.append(add(duty))  # type: ignore[arg-type]

    for m in data["boundaries"].get("rows", []):
        matter = Matter(m["id"], reg, "boundaries", m.get("number", ""), Text.of(m["matter"]), extra=_extra(m))
        matter.topics = _topics(corpus, m, matter, backlinks)
        for d in m["divisions"]:
            dept = county.departments[d["department"]]
            division = Division(d["id"], reg, "boundaries", dept, d["as_written"], Text.of(d["text"]), matter)
            if backlinks:
                dept.divisions.append(division)
            matter.divisions.append(add(division))  # type: ignore[arg-type]
        for b in m.get("basis", []):
            law = corpus.laws[b["law"]]
            cite = Citation(b["id"], reg, "boundaries", law, b.get("number"), list(b.get("articles", [])),
                            Text.of(b["text"]), matter)
            if backlinks:
                law.citations.append(cite)
            matter.basis.append(add(cite))  # type: ignore[arg-type]
        matter.cases = [add(Case(c["id"], reg, "boundaries", Text.of(c["text"]))) for c in m.get("cases", [])]  # type: ignore[misc]
        reg.matters.append(add(matter))  # type: ignore[arg-type]


    def clause(c: dict[str, Any]) -> Clause:
        node = Clause(c["id"], reg, "supervision", c.get("number"), Text.of(c["text"]))
        node.clauses = [clause(x) for x in c.get("clauses", [])]
        return add(node)  # type: ignore[return-value]

    for s in data["supervision"].get("systems", []):
        system = System(s["id"], reg, "supervision", s.get("number", ""), Text.of(s["title"]),
                        preamble=[Text.of(p) for p in s.get("preamble", [])], extra=_extra(s))
        system.topics = _topics(corpus, s, system, backlinks)
        for sec in s["sections"]:
            section = Section(sec["id"], reg, "supervision", sec.get("number", ""), Text.of(sec["heading"]), sec["kind"])
            section.clauses = [clause(c) for c in sec["clauses"]]
            system.sections.append(add(section))  # type: ignore[arg-type]
        reg.systems.append(add(system))  # type: ignore[arg-type]

    for s in data["services"].get("rows", []):
        service = Service(s["id"], reg, "services", s.get("number", ""), Text.of(s["name"]), _opt(s.get("content")),
                          _opt(s.get("agency")), s.get("phone"), extra=_extra(s))
        service.topics = _topics(corpus, s, service, backlinks)
        reg.services.append(add(service))  # type: ignore[arg-type]

    names = corpus.law_by_name() if backlinks else {}
    for row in reg.rows.values():
        if isinstance(row, Citation):
            continue
        for text in _texts(row):
            for name in re.findall(r"《([^》]+)》", text):
                law = names.get(name)
                if law and row not in law.mentions:
                    law.mentions.append(row)
    return reg


def _extra(row: dict[str, Any]) -> dict[str, Text]:
    """A row's extra column values by column name, in the order written."""
    return {k: Text.of(v) for k, v in row.get("extra", {}).items()}


def _texts(row: Row) -> list[str]:
    """The Chinese prose of one row (not of its children), for finding law mentions
    (extra columns such as 办理依据 name laws too)."""
    fields = ("text", "matter", "title", "heading", "content", "remark")
    out = [getattr(row, f).zh for f in fields if isinstance(getattr(row, f, None), Text)]
    out.extend(v.zh for v in getattr(row, "extra", {}).values())
    if isinstance(row, System):
        out.extend(p.zh for p in row.preamble)
    return out
