"""Aligning two registers row by row (county against county), and character-level text diffs.

Two counties write the same duty in different words, at different depths (a main duty in
one list is a work item in the other) and in a different order, so rows are paired by
what they say, not where they stand:

- every row of a part becomes a *unit* (its text, its topics, its level);
- two units may pair when their normalised texts are similar enough (character bigram
  Jaccard): at least `TEXT_THRESHOLD` for any two rows, at least `TOPIC_THRESHOLD` when
  they share a topic tag or sit in parents already paired; the headings of boundary
  matters and supervision systems are a few characters long, so for those a shared topic
  alone is enough (likewise for services, whose names and descriptions are short);
- rows that belong to a paired parent and name the same thing (the same kind of
  department, the same law, the same kind of section) pair by that key;
- pairs are taken greedily, best score first, one-to-one, ties broken by row id; a main
  duty paired with a work item costs `CROSS_LEVEL_PENALTY` so that same-level pairs win
  when the texts are about as close.

Measured on the seed lists against 15 hand-picked Ding'an↔Anhua duty pairs: with these
settings bigram Jaccard finds 11 of them (26 pairs in all, the others mostly same-topic
neighbours); difflib's ratio found at most 7 at any threshold tried, because boilerplate
such as "全县人口和计划生育" lifts unrelated duties to 0.6-0.7.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Iterator

from .markup import number_en
from .model import PARTS, Clause, Register, Row, Section, Text, Topic

TEXT_THRESHOLD = 0.5
TOPIC_THRESHOLD = 0.2
CROSS_LEVEL_PENALTY = 0.1
TITLE_LEVELS = frozenset({"matter", "system", "service"})
"""Rows that are named rather than described (boundary matters, supervision systems,
services): their few characters rarely share bigrams, so a shared topic pairs them."""

PART_NAMES = {
    "duties": Text("部门职责", "Duties"),
    "boundaries": Text("职责边界", "Boundaries with other departments"),
    "supervision": Text("事中事后监管制度", "Supervision rules"),
    "services": Text("公共服务事项", "Public services"),
}
STAGES = {
    "duties": [("duty", "item")],
    "boundaries": [("matter",), ("division", "citation", "case")],
    "supervision": [("system",), ("section",), ("clause",)],
    "services": [("service",)],
}
"""Levels aligned together, in order: a later stage may rely on its parents' pairs."""

LEVEL_NAMES = {
    "register": Text("清单信息", "Register details"),
    "duty": Text("职责", "Duty"),
    "item": Text("事项", "Item"),
    "matter": Text("边界事项", "Matter"),
    "division": Text("分工", "Division"),
    "citation": Text("依据", "Legal basis"),
    "case": Text("案例", "Case"),
    "system": Text("制度", "System"),
    "section": Text("节", "Section"),
    "clause": Text("条款", "Clause"),
    "service": Text("服务", "Service"),
}
FIELD_NAMES = {
    "text": Text("内容", "Text"),
    "number": Text("序号", "Number"),
    "remark": Text("备注", "Remark"),
    "topics": Text("主题", "Topics"),
    "matter": Text("管理事项", "Matter"),
    "department": Text("部门", "Department"),
    "as_written": Text("部门名称（原文）", "Department as written"),
    "law": Text("法律法规", "Law"),
    "articles": Text("条", "Articles"),
    "title": Text("标题", "Title"),
    "heading": Text("标题", "Heading"),
    "kind": Text("类别", "Kind"),
    "preamble": Text("引言", "Preamble"),
    "name": Text("名称", "Name"),
    "content": Text("内容", "Content"),
    "agency": Text("承办机构", "Agency"),
    "phone": Text("电话", "Phone"),
    "adopted": Text("通过日期", "Adopted"),
    "document_number": Text("文号", "Document number"),
    "revisions": Text("调整记录", "Revisions"),
    "notes": Text("注", "Notes"),
    "columns": Text("附加列", "Extra columns"),
    "absent": Text("本部分为“无”", "Part absent"),
    "reason": Text("原因", "Reason"),
    "source": Text("来源", "Source"),
    "file": Text("文件", "File"),
    "url": Text("网址", "URL"),
    "note": Text("说明", "Note"),
    "pinyin": Text("拼音", "Pinyin"),
    "province": Text("省份", "Province"),
    "prefecture": Text("地级市", "Prefecture"),
    "division_code": Text("行政区划代码", "Division code"),
    "area_code": Text("区号", "Area code"),
    "level": Text("级别", "Level"),
    "type": Text("类型", "Type"),
    "aliases": Text("简称", "Aliases"),
    "issuer": Text("制定机关", "Issuer"),
    "effective": Text("施行日期", "In force from"),
    "variants": Text("不当译法", "Variants"),
    "zh": Text("中文", "Chinese"),
    "en": Text("英文", "English"),
}


def field_name(key: str) -> Text:
    """Reader-facing name of a flattened field key: `text`, `text.en`, `duties.heading`, `extra.责任单位`."""
    names = key.split(".")
    english = len(names) > 1 and names[-1] == "en"
    names = names[:-1] if english else names
    if names[0] == "extra":
        names = names[1:]  # extra columns are named by the county itself
    texts = [PART_NAMES.get(n) or FIELD_NAMES.get(n) or Text(n, n) for n in names]
    zh = " · ".join(t.zh for t in texts) + ("（英文）" if english else "")
    en = " · ".join(t.en or t.zh for t in texts) + (" (English)" if english else "")
    return Text(zh, en)


# --- text similarity and character diffs ---------------------------------------------------


def normalise(text: str) -> str:
    """Text as compared: NFKC, without punctuation, symbols, spaces or control characters."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if unicodedata.category(ch)[0] not in "PZSC")


def bigrams(text: str) -> frozenset[str]:
    return frozenset(text[i : i + 2] for i in range(len(text) - 1)) or frozenset({text})


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Jaccard index of two bigram sets."""
    union = len(a | b)
    return len(a & b) / union if union else 1.0


Segment = tuple[str, str]
"""("equal" | "delete" | "insert", text)."""


def _tokens(text: str, lang: str) -> list[str]:
    """Chinese compares character by character; English word by word."""
    return re.findall(r"\w+|\s+|[^\w\s]", text) if lang == "en" else list(text)


def segments(before: str, after: str, lang: str = "zh") -> list[Segment]:
    """What changed from `before` to `after`: equal runs, deletions and insertions, in order.

    Single-character coincidences between two changes ("的", a space) are folded into the
    change, so unrelated sentences read as one replacement rather than confetti.
    """
    ta, tb = _tokens(before, lang), _tokens(after, lang)
    raw: list[Segment] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, ta, tb, autojunk=False).get_opcodes():
        if tag == "equal":
            raw.append(("equal", "".join(ta[i1:i2])))
            continue
        if i2 > i1:
            raw.append(("delete", "".join(ta[i1:i2])))
        if j2 > j1:
            raw.append(("insert", "".join(tb[j1:j2])))
    return _coalesce(_fold_coincidences(raw))


def _fold_coincidences(raw: list[Segment]) -> list[Segment]:
    out: list[Segment] = []
    for n, (op, text) in enumerate(raw):
        between = 0 < n < len(raw) - 1 and raw[n - 1][0] != "equal" and raw[n + 1][0] != "equal"
        if op == "equal" and between and (len(text) < 2 or not text.strip()):
            out += [("delete", text), ("insert", text)]
        else:
            out.append((op, text))
    return out


def _coalesce(raw: list[Segment]) -> list[Segment]:
    """Merge each run of changes into one deletion followed by one insertion."""
    out: list[Segment] = []
    run: dict[str, str] = {"delete": "", "insert": ""}

    def flush() -> None:
        out.extend((op, run[op]) for op in ("delete", "insert") if run[op])
        run.update(delete="", insert="")

    for op, text in raw:
        if op == "equal":
            flush()
            out.append((op, text))
        else:
            run[op] += text
    flush()
    return out


def percent(value: float | None) -> str:
    """A score or an overlap for readers: 46%, or — when there was nothing to compare."""
    return "—" if value is None else f"{round(value * 100)}%"


def visible(text: str) -> str:
    """A change made only of spaces would be invisible: show ␣ and ↵ instead."""
    return text.replace(" ", "␣").replace("\n", "↵") if not text.strip() else text


def side(segs: list[Segment], which: str) -> list[Segment]:
    """One side of a diff: `a` keeps equal and deleted text, `b` equal and inserted text."""
    drop = "insert" if which == "a" else "delete"
    return [s for s in segs if s[0] != drop]


# --- units -----------------------------------------------------------------------------------


@dataclass(eq=False)
class Unit:
    """One row as the aligner sees it."""

    row: Row
    level: str
    label: Text
    fields: tuple[tuple[str, Text], ...]
    topics: frozenset[str] = frozenset()
    key: str | None = None
    parent: Row | None = None
    position: int = 0
    grams: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        """Extra columns are shown and diffed but not compared: counties name them differently."""
        self.grams = bigrams(normalise("".join(t.zh for name, t in self.fields if not name.startswith("extra."))))


def _ids(topics: list[Topic]) -> frozenset[str]:
    return frozenset(t.id for t in topics)


def _label(level: str, name: str, parent: Text | None = None) -> Text:
    """"职责 7 › 事项 3": where a row stands, as a reader finds it in the printed list."""
    own = LEVEL_NAMES[level]
    zh, en = f"{own.zh} {name}", f"{own.en} {number_en(name)}"
    return Text(f"{parent.zh} › {zh}", f"{parent.en} › {en}") if parent else Text(zh, en)


def _extra(row: Row) -> tuple[tuple[str, Text], ...]:
    """A row's extra column values as unit fields `extra.<column>`."""
    return tuple((f"extra.{k}", v) for k, v in getattr(row, "extra", {}).items())


def _duty_units(reg: Register) -> Iterator[Unit]:
    for n, duty in enumerate(reg.duties, 1):
        label = _label("duty", duty.number or str(n))
        yield Unit(duty, "duty", label, (("text", duty.text), *_extra(duty)), _ids(duty.topics))
        for n, item in enumerate(duty.items, 1):
            yield Unit(item, "item", _label("item", str(n), label), (("text", item.text), *_extra(item)),
                       _ids(duty.topics) | _ids(item.topics))


def _boundary_units(reg: Register) -> Iterator[Unit]:
    for n, matter in enumerate(reg.matters, 1):
        label = _label("matter", matter.number or str(n))
        topics = _ids(matter.topics)
        yield Unit(matter, "matter", label, (("matter", matter.matter), *_extra(matter)), topics)
        for div in matter.divisions:
            dept_type = div.department.type.id if div.department else ""
            name = div.department.name.en if div.department and div.department.name.en else div.as_written
            yield Unit(div, "division", Text(f"{label.zh} › {div.as_written}", f"{label.en} › {name}"),
                       (("text", div.text),), topics, f"department:{dept_type}", matter)
        for n, cite in enumerate(matter.basis, 1):
            law = cite.law.id if cite.law else ""
            yield Unit(cite, "citation", _label("citation", cite.number or str(n), label), (("text", cite.text),),
                       topics, f"law:{law}", matter)
        for n, case in enumerate(matter.cases, 1):
            yield Unit(case, "case", _label("case", str(n), label), (("text", case.text),), topics, None, matter)


def _supervision_units(reg: Register) -> Iterator[Unit]:
    for n, system in enumerate(reg.systems, 1):
        label = _label("system", system.number or str(n))
        topics = _ids(system.topics)
        yield Unit(system, "system", label, (("title", system.title), *_extra(system)), topics)
        for section in system.sections:
            sec_label = Text(f"{label.zh} › {section.number}{section.heading.zh}",
                             f"{label.en} › {number_en(section.number)} {section.heading.en or section.heading.zh}")
            yield Unit(section, "section", sec_label, (("heading", section.heading),), topics,
                       f"kind:{section.kind}", system)
            yield from _clause_units(section.clauses, sec_label, section, topics)


def _clause_units(clauses: list[Clause], parent_label: Text, section: Section,
                  topics: frozenset[str]) -> Iterator[Unit]:
    for n, clause in enumerate(clauses, 1):
        own = Text(clause.number, number_en(clause.number)) if clause.number else Text(f"第{n}段", f"para. {n}")
        label = Text(f"{parent_label.zh} › {own.zh}", f"{parent_label.en} › {own.en}")
        yield Unit(clause, "clause", label, (("text", clause.text),), topics, None, section)
        yield from _clause_units(clause.clauses, label, section, topics)


def _service_units(reg: Register) -> Iterator[Unit]:
    for n, svc in enumerate(reg.services, 1):
        yield Unit(svc, "service", _label("service", svc.number or str(n)),
                   (("name", svc.name), ("content", svc.content or Text("")), *_extra(svc)), _ids(svc.topics))


UNIT_BUILDERS = {
    "duties": _duty_units,
    "boundaries": _boundary_units,
    "supervision": _supervision_units,
    "services": _service_units,
}


def units(reg: Register, part: str) -> list[Unit]:
    """The units of one part in document order."""
    out = list(UNIT_BUILDERS[part](reg))
    for n, unit in enumerate(out):
        unit.position = n
    return out


# --- alignment -------------------------------------------------------------------------------


@dataclass(eq=False)
class Pair:
    a: Unit
    b: Unit
    score: float

    @property
    def shared_topics(self) -> list[str]:
        return sorted(self.a.topics & self.b.topics)

    def changes(self, lang: str = "zh") -> list[tuple[str, str, list[Segment]]]:
        """Per field: its name, the language compared (English only when both sides have
        it) and the diff from A's text to B's."""
        a_fields, b_fields = dict(self.a.fields), dict(self.b.fields)
        out = []
        for name in [*a_fields, *(k for k in b_fields if k not in a_fields)]:  # extra columns differ by county
            a_text, b_text = a_fields.get(name, Text("")), b_fields.get(name, Text(""))
            if lang == "en" and a_text.en and b_text.en:
                out.append((name, "en", segments(a_text.en, b_text.en, "en")))
            else:
                out.append((name, "zh", segments(a_text.zh, b_text.zh)))
        return out


@dataclass(eq=False)
class PartAlignment:
    part: str
    pairs: list[Pair]
    only_a: list[Unit]
    only_b: list[Unit]

    @property
    def overlap(self) -> float | None:
        return overlap([self])

    def entries(self) -> list[tuple[Unit | None, Unit | None, Pair | None]]:
        """Pairs and unpaired rows merged for reading side by side: A's order, with each row
        only in B placed after the pair that precedes it in B."""
        keyed: list[tuple[tuple[int, int, int], tuple[Unit | None, Unit | None, Pair | None]]] = []
        anchor_of: dict[int, int] = {}
        for pair in self.pairs:
            keyed.append(((pair.a.position, 0, 0), (pair.a, pair.b, pair)))
            anchor_of[pair.b.position] = pair.a.position
        keyed += [((u.position, 0, 0), (u, None, None)) for u in self.only_a]
        anchor = -1
        only_b = {u.position: u for u in self.only_b}
        for pos in range(max([*anchor_of, *only_b], default=-1) + 1):
            if pos in anchor_of:
                anchor = anchor_of[pos]
            elif pos in only_b:
                keyed.append(((anchor, 1, pos), (None, only_b[pos], None)))
        return [entry for _, entry in sorted(keyed, key=lambda k: k[0])]


@dataclass(eq=False)
class Alignment:
    a: Register
    b: Register
    parts: dict[str, PartAlignment]

    @property
    def overlap(self) -> float | None:
        return overlap(list(self.parts.values()))


def overlap(parts: list[PartAlignment]) -> float | None:
    """Share of rows that found a partner: 2 × pairs / (rows in A + rows in B); None when
    both sides are empty."""
    pairs = sum(len(p.pairs) for p in parts)
    total = sum(2 * len(p.pairs) + len(p.only_a) + len(p.only_b) for p in parts)
    return 2 * pairs / total if total else None


def _rank(a: Unit, b: Unit, matched: dict[Row, Row]) -> float | None:
    """The score a candidate pair is ranked by, or None when the two may not pair."""
    if a.key != b.key:
        return None
    score = similarity(a.grams, b.grams)
    if a.parent is not None or b.parent is not None:
        related = a.parent is not None and matched.get(a.parent) is b.parent
        if a.key is not None:
            return score if related else None
    else:
        related = bool(a.topics & b.topics)
    floor = 0.0 if a.level in TITLE_LEVELS else TOPIC_THRESHOLD
    if score >= TEXT_THRESHOLD or (related and score >= floor):
        return score - (CROSS_LEVEL_PENALTY if a.level != b.level else 0.0)
    return None


def align_part(a: Register, b: Register, part: str) -> PartAlignment:
    units_a, units_b = units(a, part), units(b, part)
    matched: dict[Row, Row] = {}
    pairs: list[Pair] = []
    for levels in STAGES[part]:
        stage_a = [u for u in units_a if u.level in levels]
        stage_b = [u for u in units_b if u.level in levels]
        candidates = []
        for ua in stage_a:
            for ub in stage_b:
                rank = _rank(ua, ub, matched)
                if rank is not None:
                    candidates.append((-rank, ua.row.id, ub.row.id, ua, ub))
        taken_b: set[Row] = set()
        for _, _, _, ua, ub in sorted(candidates, key=lambda c: c[:3]):
            if ua.row in matched or ub.row in taken_b:
                continue
            matched[ua.row] = ub.row
            taken_b.add(ub.row)
            pairs.append(Pair(ua, ub, similarity(ua.grams, ub.grams)))
    paired = {p.a for p in pairs} | {p.b for p in pairs}
    return PartAlignment(
        part,
        sorted(pairs, key=lambda p: p.a.position),
        [u for u in units_a if u not in paired],
        [u for u in units_b if u not in paired],
    )


def align(a: Register, b: Register) -> Alignment:
    """Pair the rows of two registers, part by part."""
    return Alignment(a, b, {part: align_part(a, b, part) for part in PARTS})
