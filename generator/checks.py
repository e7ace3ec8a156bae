"""Semantic checks that JSON Schema cannot express: ids, references, numbering, text form.

They run on schema-checked data but must not assume it is valid: every access is
defensive, because a register with schema errors still gets its other problems reported.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from . import paths
from .errors import Finding, finding
from .load import Document, kind_of

CN_DIGITS = "零一二三四五六七八九"
NUMBER = re.compile(r"^[（(]?\s*(?P<n>[一二三四五六七八九十百零〇]+|\d+)\s*[)）]?[、.．]?$")
CJK = r"\u3400-\u9fff\uf900-\ufaff"
CJK_PUNCT = r"\u3000-\u303f\uff00-\uffef"
INNER_SPACE = re.compile(rf"(?<=[{CJK}{CJK_PUNCT}])[ \u00a0\u3000]+(?=[{CJK}{CJK_PUNCT}])")
HALFWIDTH = re.compile(rf"(?<=[{CJK}])[,;:](?=[{CJK}])")
ARTICLE_REF = re.compile(r"第[一二三四五六七八九十百零〇\d]+[条款项]$")
DOUBLED = re.compile(r"([。，、；：！？,;])\1+")
STRAY = re.compile(r"[`\t\u200b\u200c\u200d\ufeff]")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")
"""Invisible characters no list needs (a YAML escape can write them): they break a page's
front matter and a PDF's text.  Tab is a stray-character warning; line feed is allowed in text."""
LINE_BREAK = re.compile(r"[\n\r]")
ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
"""Ids, county folders and register file names (the schemas' id pattern)."""
NOT_TEXT_KEYS = {"id", "department", "law", "type", "level", "kind", "division_code", "effective", "date",
                 "adopted", "topics", "articles", "file", "url", "phone", "area_code", "number"}
PREVIOUS = re.compile(r"^/adjustments/\d+/previous/")
LEGAL_QUOTE = re.compile(r"^/boundaries/rows/\d+/basis/\d+/text(/zh)?$")


def to_chinese(n: int) -> str:
    """1 → 一, 39 → 三十九, 100 → 一百: the numerals used in 第…条 and （…）."""
    if n < 10:
        return CN_DIGITS[n]
    if n < 20:
        return "十" + (CN_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return CN_DIGITS[n // 10] + "十" + (CN_DIGITS[n % 10] if n % 10 else "")
    rest = n % 100
    tail = "" if rest == 0 else ("零" + CN_DIGITS[rest] if rest < 10 else to_chinese(rest) if rest >= 20 else "一" + to_chinese(rest))
    return CN_DIGITS[n // 100] + "百" + tail


def from_chinese(text: str) -> int:
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for ch in text:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = CN_DIGITS.index(ch) if ch in CN_DIGITS else 0
    return total + current


@lru_cache(maxsize=1)
def typos() -> list[tuple[str, str]]:
    data = yaml.safe_load((Path(__file__).parent / "data" / "typos.yaml").read_text(encoding="utf-8"))
    return [(t["found"], t["suggest"]) for t in data["typos"]]


@dataclass
class Context:
    """The shared lists and county department tables every register refers to."""

    topics: set[str] | None = None
    laws: set[str] | None = None
    types: set[str] | None = None
    type_names: dict[str, list[str]] = field(default_factory=dict)
    """Department type id → its common names (教育局, 教体局), for `department-type-mismatch`."""
    counties: dict[Path, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def build(cls, documents: dict[Path, Document]) -> Context:
        ctx = cls()
        for path, doc in documents.items():
            data = doc.data if isinstance(doc.data, dict) else {}
            kind = kind_of(path)
            if kind == "topics":
                ctx.topics = _ids(data.get("topics"))
            elif kind == "laws":
                ctx.laws = _ids(data.get("laws"))
            elif kind == "department-types":
                ctx.types = _ids(data.get("types"))
                ctx.type_names = {r["id"]: [n for n in r.get("names", []) if isinstance(n, str)]
                                  for r in _dicts(data.get("types"))
                                  if isinstance(r.get("id"), str) and isinstance(r.get("names", []), list)}
            elif kind == "county":
                ctx.counties[path.parent] = data
        return ctx


def _ids(rows: Any) -> set[str]:
    return {r["id"] for r in _dicts(rows) if isinstance(r.get("id"), str)}


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _zh(text: Any) -> str:
    if isinstance(text, dict):
        text = text.get("zh", "")
    return text if isinstance(text, str) else ""


def leaves(value: Any, pointer: str = "", key: str = "") -> Iterator[tuple[str, str, str]]:
    """Every string in `value` with its JSON pointer and the name of the field holding it."""
    if isinstance(value, str):
        yield pointer, key, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from leaves(v, f"{pointer}/{k}", key if k in ("zh", "en") else k)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from leaves(v, f"{pointer}/{i}", key)


def run(documents: dict[Path, Document], only: set[Path] | None = None) -> list[Finding]:
    """The semantic findings of every document, or of `only` those (a register's findings
    depend on the shared lists and its county alone, never on other registers)."""
    ctx = Context.build(documents)
    out: list[Finding] = []
    for path, doc in documents.items():
        if (only is not None and path not in only) or not isinstance(doc.data, dict):
            continue
        kind = kind_of(path)
        out.extend(unique_ids(doc))
        out.extend(control_characters(doc))
        out.extend(text_form(doc))
        if kind in ("county", "register"):
            out.extend(file_name(doc, kind))
        if kind == "county":
            out.extend(county_refs(doc, ctx))
            out.extend(department_duplicates(doc))
        elif kind == "department-types":
            out.extend(type_name_duplicates(doc))
            out.extend(topic_refs(doc, ctx))
        elif kind == "register":
            out.extend(register_refs(doc, ctx))
            out.extend(numbering(doc))
            out.extend(phones(doc, ctx.counties.get(path.parent, {})))
            out.extend(extra_columns(doc))
            out.extend(empty_parts(doc))
            out.extend(unplaced(doc))
    return out


def unplaced(doc: Document) -> list[Finding]:
    """Each entry `qingdan import` could not place is an error, located at the entry, until a person resolves it."""
    entries = doc.data.get("unplaced")
    if not isinstance(entries, list):
        return []
    out = []
    for i, entry in enumerate(entries):
        reason = entry.get("reason", "") if isinstance(entry, dict) else ""
        reason = reason if isinstance(reason, str) else ""
        out.append(_at(doc, "import-unplaced", f"/unplaced/{i}", reason=reason, reason_en=reason))
    return out


def _at(doc: Document, code: str, pointer: str, **params: Any) -> Finding:
    line, col = doc.locate(pointer)
    return finding(code, doc.path, line, col, pointer, **params)


def unique_ids(doc: Document) -> list[Finding]:
    seen: dict[str, str] = {}
    out = []
    for pointer, key, value in leaves(doc.data):
        if key != "id" or not pointer.endswith("/id") or PREVIOUS.match(pointer):
            continue  # a row an adjustment removed or changed keeps its id there
        if value in seen:
            out.append(_at(doc, "id-duplicate", pointer, id=value, first_line=doc.locate(seen[value])[0]))
        else:
            seen[value] = pointer
    return out


def control_characters(doc: Document) -> list[Finding]:
    """Control characters anywhere, and line breaks in fields that are not prose (a schema
    pattern's `$` lets one trailing line break through)."""
    out = []
    for pointer, key, value in leaves(doc.data):
        found = CONTROL.search(value) or (LINE_BREAK.search(value) if key in NOT_TEXT_KEYS else None)
        if found:
            out.append(_at(doc, "control-character", pointer, char=f"U+{ord(found.group()):04X}"))
    return out


def file_name(doc: Document, kind: str) -> list[Finding]:
    """A county's folder and a register's file name become web addresses and anchors."""
    name = doc.path.parent.name if kind == "county" else doc.path.stem
    return [] if ID.fullmatch(name) else [_at(doc, "file-name-invalid", "", name=name)]


def text_form(doc: Document) -> list[Finding]:
    """Whitespace, doubled punctuation, stray characters and known typos in text fields."""
    out = []
    for pointer, key, value in leaves(doc.data):
        if key in NOT_TEXT_KEYS or key == "aliases" or pointer.startswith("/unplaced/"):
            continue  # unplaced text is a verbatim quote awaiting a person (import-unplaced), not register text
        if value == "":
            out.append(_at(doc, "empty-cell", pointer))
            continue
        if not value.strip():
            chars = "、".join(sorted({f"U+{ord(c):04X}" for c in value}))
            out.append(_at(doc, "whitespace-only", pointer, chars=chars))
            continue
        if value != value.strip():
            lead, trail = value != value.lstrip(), value != value.rstrip()
            where = "开头和结尾" if lead and trail else "开头" if lead else "结尾"
            where_en = "at both ends of" if lead and trail else "at the start of" if lead else "at the end of"
            out.append(_at(doc, "whitespace-stray", pointer, where=where, where_en=where_en))
        if not LEGAL_QUOTE.match(pointer):
            for m in INNER_SPACE.finditer(value):
                if not ARTICLE_REF.search(value[: m.start()]):
                    out.append(_at(doc, "whitespace-inner", pointer, context=value[max(0, m.start() - 6): m.end() + 6]))
        for m in DOUBLED.finditer(value):
            out.append(_at(doc, "punctuation-doubled", pointer, context=value[max(0, m.start() - 8): m.end()]))
        for m in HALFWIDTH.finditer(value):
            out.append(_at(doc, "punctuation-halfwidth", pointer, char=m.group(), context=value[max(0, m.start() - 6): m.end() + 6]))
        for m in STRAY.finditer(value):
            char = {"\t": "\\t"}.get(m.group(), m.group() if m.group() == "`" else f"U+{ord(m.group()):04X}")
            out.append(_at(doc, "stray-character", pointer, char=char, context=value[max(0, m.start() - 4): m.end() + 8]))
        for found, suggest in typos():
            if found in value:
                out.append(_at(doc, "suspect-typo", pointer, found=found, suggest=suggest))
    return out


def county_refs(doc: Document, ctx: Context) -> list[Finding]:
    """Department types exist, and fit the department's name (教育和体育局 is an education bureau)."""
    out = []
    if ctx.types is None:
        return out
    for i, dept in enumerate(_dicts(doc.data.get("departments"))):
        if not isinstance(dept.get("type"), str):
            continue
        if dept["type"] not in ctx.types:
            out.append(_at(doc, "ref-department-type", f"/departments/{i}/type", ref=dept["type"]))
            continue
        aliases = dept.get("aliases") if isinstance(dept.get("aliases"), list) else []
        suggested = suggest_type(ctx.type_names, _zh(dept.get("name")), *[a for a in aliases if isinstance(a, str)])
        if suggested is not None and suggested != dept["type"]:
            out.append(_at(doc, "department-type-mismatch", f"/departments/{i}/type", name=_zh(dept.get("name")),
                           type=dept["type"], suggested=suggested))
    return out


def suggest_type(type_names: dict[str, list[str]], *names: str) -> str | None:
    """The type id whose common name ends one of `names`, the longest ending winning (see
    department-types.yaml); `model.Corpus.suggest_type` is the same rule on the model."""
    best: tuple[int, str] | None = None
    for type_id, commons in type_names.items():
        for common in commons:
            if any(name.endswith(common) for name in names) and (best is None or len(common) > best[0]):
                best = (len(common), type_id)
    return best[1] if best else None


LEVEL_PREFIX = {"county": "县", "county-level-city": "市", "district": "区", "banner": "旗"}
"""How a county's own lists write a department without the place name: 县教育局 for 测试县教育局."""


def department_duplicates(doc: Document) -> list[Finding]:
    """The same department entered twice in one county (e.g. imported again under another id):
    a name or alias of one entry equals a name or alias of an earlier one, compared without the
    county's name or its leading 县/市/区/旗, so 测试县教育局 and 县教育局 are one department.  A
    prefecture's 市公安局 in a county's list keeps its 市 and stays distinct from 县公安局."""
    county = _zh(doc.data.get("name"))
    prefix = LEVEL_PREFIX.get(doc.data.get("level"), "") if isinstance(doc.data.get("level"), str) else ""

    def core(name: str) -> str:
        if county and name.startswith(county) and len(name) > len(county):
            return name[len(county):]
        return name[len(prefix):] if prefix and name.startswith(prefix) and len(name) > len(prefix) else name

    first: dict[str, tuple[str, str, str]] = {}
    out = []
    for i, dept in enumerate(_dicts(doc.data.get("departments"))):
        aliases = dept.get("aliases")
        names = [(f"/departments/{i}/name" + ("/zh" if isinstance(dept.get("name"), dict) else ""), _zh(dept.get("name")))]
        names += [(f"/departments/{i}/aliases/{k}", a) for k, a in enumerate(aliases if isinstance(aliases, list) else [])]
        dept_id = dept.get("id") if isinstance(dept.get("id"), str) else str(i + 1)
        own: dict[str, tuple[str, str, str]] = {}
        for pointer, name in names:
            if not isinstance(name, str) or not name.strip():
                continue
            key = core(name.strip())
            earlier = first.get(key)
            if earlier is not None:
                other_id, other_name, other_pointer = earlier
                out.append(_at(doc, "department-duplicate", pointer, name=name, first=other_id, other=other_name,
                               first_line=doc.locate(other_pointer)[0]))
                break  # one finding per entry
            own.setdefault(key, (dept_id, name, pointer))
        first.update({k: v for k, v in own.items() if k not in first})
    return out


def topic_refs(doc: Document, ctx: Context) -> list[Finding]:
    """A department type's usual topics exist in topics.yaml."""
    if ctx.topics is None:
        return []
    return [_at(doc, "ref-topic", pointer, ref=value) for pointer, key, value in leaves(doc.data)
            if key == "topics" and value not in ctx.topics]


def type_name_duplicates(doc: Document) -> list[Finding]:
    """A common name in two department types would make the importer's suggestion arbitrary."""
    first: dict[str, tuple[str, str]] = {}
    out = []
    for i, dept_type in enumerate(_dicts(doc.data.get("types"))):
        names = dept_type.get("names")
        type_id = dept_type.get("id") if isinstance(dept_type.get("id"), str) else str(i + 1)
        for k, name in enumerate(names if isinstance(names, list) else []):
            if not isinstance(name, str):
                continue
            pointer = f"/types/{i}/names/{k}"
            if name in first and first[name][0] != type_id:
                out.append(_at(doc, "department-type-name-duplicate", pointer, name=name, first=first[name][0],
                               first_line=doc.locate(first[name][1])[0]))
            first.setdefault(name, (type_id, pointer))
    return out


def register_refs(doc: Document, ctx: Context) -> list[Finding]:
    data = doc.data
    out: list[Finding] = []
    if doc.path.stem in paths.COUNTY_PAGES:
        out.append(_at(doc, "register-name-reserved", "", name=doc.path.stem))
    county = ctx.counties.get(doc.path.parent)
    if county is None:
        if ctx.counties or ctx.topics is not None:
            out.append(_at(doc, "county-missing", "", folder=doc.path.parent.name))
        departments: dict[str, dict[str, Any]] | None = None
    else:
        departments = {d["id"]: d for d in _dicts(county.get("departments")) if isinstance(d.get("id"), str)}
    if departments is not None and isinstance(data.get("department"), str) and data["department"] not in departments:
        out.append(_at(doc, "ref-register-department", "/department", ref=data["department"]))
    for pointer, key, value in leaves(data):
        if key == "topics" and ctx.topics is not None and value not in ctx.topics:
            out.append(_at(doc, "ref-topic", pointer, ref=value))
    variants: dict[str, list[tuple[str, str]]] = {}
    rows = _dicts((data.get("boundaries") or {}).get("rows") if isinstance(data.get("boundaries"), dict) else None)
    for r, row in enumerate(rows):
        for d, div in enumerate(_dicts(row.get("divisions"))):
            base = f"/boundaries/rows/{r}/divisions/{d}"
            ref, written = div.get("department"), div.get("as_written")
            if departments is None or not isinstance(ref, str):
                continue
            if ref not in departments:
                out.append(_at(doc, "ref-department", f"{base}/department", ref=ref))
                continue
            names = {_zh(departments[ref].get("name")), *[a for a in departments[ref].get("aliases", []) if isinstance(a, str)]}
            if isinstance(written, str):
                if written not in names:
                    out.append(_at(doc, "alias-mismatch", f"{base}/as_written", written=written, ref=ref))
                variants.setdefault(ref, [])
                if written not in [w for w, _ in variants[ref]]:
                    variants[ref].append((written, f"{base}/as_written"))
        for b, cite in enumerate(_dicts(row.get("basis"))):
            base = f"/boundaries/rows/{r}/basis/{b}"
            law = cite.get("law")
            if ctx.laws is not None and isinstance(law, str) and law not in ctx.laws:
                out.append(_at(doc, "ref-law", f"{base}/law", ref=law))
            text = _zh(cite.get("text"))
            for a, article in enumerate(cite.get("articles") or []):
                if isinstance(article, str) and article.isdigit():
                    if f"第{to_chinese(int(article))}条" not in text and f"第{article}条" not in text:
                        out.append(_at(doc, "article-not-in-text", f"{base}/articles/{a}", article=article))
    for written in variants.values():
        if len(written) > 1:
            out.append(_at(doc, "department-name-variants", written[1][1], variants="、".join(w for w, _ in written)))
    return out


def _sequence(doc: Document, rows: list[Any], base: str, field_name: str = "number") -> list[Finding]:
    """Numbered siblings should count 1, 2, 3 … in order (numbers kept as the source wrote them)."""
    out = []
    position = 0
    for i, row in enumerate(rows):
        if not isinstance(row, dict) or not isinstance(row.get(field_name), str):
            continue
        position += 1
        match = NUMBER.match(row[field_name].strip())
        if not match:
            continue
        value = from_chinese(match.group("n"))
        if value != position:
            digits = match.group("n")
            expected = row[field_name].replace(digits, str(position) if digits.isdigit() else to_chinese(position), 1)
            out.append(_at(doc, "numbering-anomaly", f"{base}/{i}/{field_name}", number=row[field_name], expected=expected))
    return out


def _clauses(doc: Document, clauses: Any, base: str) -> list[Finding]:
    rows = clauses if isinstance(clauses, list) else []
    out = []
    by_style: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for i, clause in enumerate(rows):
        if isinstance(clause, dict):
            number = clause.get("number")
            if isinstance(number, str):
                style = re.sub(r"[一二三四五六七八九十百零〇]+", "C", re.sub(r"\d+", "D", number.strip()))
                by_style.setdefault(style, []).append((i, clause))
            out.extend(_clauses(doc, clause.get("clauses"), f"{base}/{i}/clauses"))
    for members in by_style.values():
        for position, (i, clause) in enumerate(members, 1):
            match = NUMBER.match(clause["number"].strip())
            if match and from_chinese(match.group("n")) != position:
                digits = match.group("n")
                expected = clause["number"].replace(digits, str(position) if digits.isdigit() else to_chinese(position), 1)
                out.append(_at(doc, "numbering-anomaly", f"{base}/{i}/number", number=clause["number"], expected=expected))
    return out


def numbering(doc: Document) -> list[Finding]:
    data = doc.data
    out = []
    for part in ("duties", "boundaries", "services"):
        section = data.get(part)
        if isinstance(section, dict) and isinstance(section.get("rows"), list):
            out.extend(_sequence(doc, section["rows"], f"/{part}/rows"))
    supervision = data.get("supervision")
    systems = supervision.get("systems") if isinstance(supervision, dict) else None
    if isinstance(systems, list):
        out.extend(_sequence(doc, systems, "/supervision/systems"))
        for s, system in enumerate(_dicts(systems)):
            sections = system.get("sections")
            if isinstance(sections, list):
                out.extend(_sequence(doc, sections, f"/supervision/systems/{s}/sections"))
                for c, section in enumerate(_dicts(sections)):
                    out.extend(_clauses(doc, section.get("clauses"), f"/supervision/systems/{s}/sections/{c}/clauses"))
    return out


PART_ROWS = {"duties": "rows", "boundaries": "rows", "supervision": "systems", "services": "rows"}
"""Each part's key of its table rows (the alternative to `absent`)."""


def _extra_rows(part: str, rows: list[Any]) -> Iterator[tuple[str, Any]]:
    """(pointer, extra mapping) of every row of a part that may hold extra column values."""
    key = PART_ROWS[part]
    for r, row in enumerate(_dicts(rows)):
        yield f"/{part}/{key}/{r}/extra", row.get("extra")
        if part == "duties":
            for i, item in enumerate(_dicts(row.get("items"))):
                yield f"/{part}/{key}/{r}/items/{i}/extra", item.get("extra")


def extra_columns(doc: Document) -> list[Finding]:
    """Every key of a row's `extra` names a column of its part: an undeclared one would be
    shown nowhere (pages, PDF and downloads draw the declared columns)."""
    out = []
    for part, key in PART_ROWS.items():
        section = doc.data.get(part)
        if not isinstance(section, dict):
            continue
        declared = [_zh(c) for c in section.get("columns") or [] if _zh(c)] if isinstance(section.get("columns"), list) else []
        for pointer, extra in _extra_rows(part, section.get(key) if isinstance(section.get(key), list) else []):
            if not isinstance(extra, dict):
                continue
            for column in extra:
                if column not in declared:
                    line, col = doc.locate(f"{pointer}/{column}", key=True)
                    out.append(finding("extra-column-unknown", doc.path, line, col, f"{pointer}/{column}", column=column,
                                       declared="、".join(declared) or "无", declared_en=", ".join(declared) or "none"))
    return out


def empty_parts(doc: Document) -> list[Finding]:
    """`rows: []` still means “nothing here”, but not whether the source said 无 or left the part out."""
    out = []
    for part, key in PART_ROWS.items():
        section = doc.data.get(part)
        if isinstance(section, dict) and section.get(key) == []:
            out.append(_at(doc, "part-empty", f"/{part}/{key}"))
    return out


DIALABLE = re.compile(r"^(?:\+?86[- ]?)?[0-9][0-9-]{4,}$")
"""A phone cell holding one number (digits and hyphens) gets a dial link; anything else is text."""
MOBILE = re.compile(r"^1\d{10}$")
LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")
LOCAL = re.compile(r"^\d{7,8}$")


def phones(doc: Document, county: dict[str, Any]) -> list[Finding]:
    out = []
    services = doc.data.get("services")
    rows = services.get("rows") if isinstance(services, dict) else None
    for i, row in enumerate(_dicts(rows)):
        phone = row.get("phone")
        if not isinstance(phone, str):
            continue
        pointer = f"/services/rows/{i}/phone"
        number = phone.strip()
        if number != phone:
            out.append(_at(doc, "phone-format", pointer, phone=phone, problem="前后有空格", problem_en="has surrounding spaces"))
        if not DIALABLE.match(number):
            out.append(_at(doc, "phone-not-dialable", pointer, phone=phone))
            continue
        if MOBILE.match(number) or LANDLINE.match(number):
            continue
        if LOCAL.match(number):
            if not county.get("area_code"):
                out.append(_at(doc, "phone-format", pointer, phone=phone, problem="缺少区号，且 county.yaml 未写 area_code",
                               problem_en="has no area code and county.yaml sets no area_code"))
            continue
        out.append(_at(doc, "phone-format", pointer, phone=phone, problem="不是有效的固定电话或手机号",
                       problem_en="is neither a landline with area code nor a mobile number"))
    return out
