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

from . import fonts, paths
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
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
"""Bidirectional embeddings, overrides and isolates: they make text display in another order
than it is stored (Trojan Source); Chinese lists never need them."""
LINE_BREAK = re.compile(r"[\n\r]")
ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
"""Ids, county folders and register file names (the schemas' id pattern)."""
NOT_TEXT_KEYS = {"id", "department", "law", "type", "level", "kind", "division_code", "effective", "date",
                 "adopted", "topics", "articles", "file", "url", "phone", "area_code", "number"}
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
        out.extend(addresses(doc, kind))
        out.extend(control_characters(doc))
        out.extend(text_form(doc))
        out.extend(glyphs(doc))
        if kind in ("county", "register"):
            out.extend(file_name(doc, kind))
        if kind == "county":
            out.extend(county_refs(doc, ctx))
        elif kind == "register":
            out.extend(register_refs(doc, ctx))
            out.extend(numbering(doc))
            out.extend(phones(doc, ctx.counties.get(path.parent, {})))
    return out


def _at(doc: Document, code: str, pointer: str, **params: Any) -> Finding:
    line, col = doc.locate(pointer)
    return finding(code, doc.path, line, col, pointer, **params)


def unique_ids(doc: Document) -> list[Finding]:
    seen: dict[str, str] = {}
    out = []
    for pointer, key, value in leaves(doc.data):
        if key != "id" or not pointer.endswith("/id"):
            continue
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
        bidi = BIDI.search(value)
        if bidi:
            out.append(_at(doc, "bidi-control", pointer, char=f"U+{ord(bidi.group()):04X}"))
        found = CONTROL.search(value) or (LINE_BREAK.search(value) if key in NOT_TEXT_KEYS else None)
        if found:
            out.append(_at(doc, "control-character", pointer, char=f"U+{ord(found.group()):04X}"))
    return out


ADDRESSED = {
    "topics": ("topics", "主题 id", "topic id", "topics/"),
    "laws": ("laws", "法律 id", "law id", "laws/"),
    "department-types": ("types", "部门类型 id", "department type id", "departments/"),
    "county": ("departments", "部门 id", "department id", "<county>/departments/"),
}
"""Shared lists and county files whose ids name pages: key of the list, label, folder."""


def addresses(doc: Document, kind: str) -> list[Finding]:
    """The one gate from names to addresses: a name may not be one the site already uses
    (a section, a language folder, a folder's index page) and must stay short enough for
    every file name built from it (paths.NAME_LIMIT)."""
    out: list[Finding] = []
    named: list[tuple[str, str, str, str, frozenset[str], str]] = []  # pointer, name, zh, en, reserved, folder
    if kind == "county":
        named.append(("", doc.path.parent.name, "县文件夹名", "county folder", paths.top_level_names(), ""))
    elif kind == "register":
        named.append(("", doc.path.stem, "清单文件名", "register file name", frozenset(), ""))
    if kind in ADDRESSED:
        key, zh, en, folder = ADDRESSED[kind]
        for i, row in enumerate(_dicts(doc.data.get(key))):
            if isinstance(row.get("id"), str):
                named.append((f"/{key}/{i}/id", row["id"], zh, en, frozenset({paths.FOLDER_PAGE}), folder))
    for pointer, name, zh, en, reserved, folder in named:
        if name in reserved:
            used = f"{folder}{name}.md" if folder else f"{name}/"
            out.append(_at(doc, "name-reserved", pointer, what=zh, what_en=en, name=name, used=used))
        size = len(name.encode("utf-8"))
        if size > paths.NAME_LIMIT:
            out.append(_at(doc, "name-too-long", pointer, what=zh, what_en=en, name=name[:24] + "…", length=size,
                           limit=paths.NAME_LIMIT))
    return out


def file_name(doc: Document, kind: str) -> list[Finding]:
    """A county's folder and a register's file name become web addresses and anchors."""
    name = doc.path.parent.name if kind == "county" else doc.path.stem
    return [] if ID.fullmatch(name) else [_at(doc, "file-name-invalid", "", name=name)]


def text_form(doc: Document) -> list[Finding]:
    """Whitespace, doubled punctuation, stray characters and known typos in text fields."""
    out = []
    for pointer, key, value in leaves(doc.data):
        if key in NOT_TEXT_KEYS or key == "aliases":
            continue
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


def glyphs(doc: Document) -> list[Finding]:
    """Characters the official PDF's fonts cannot draw (CJK Extension B, emoji): named with
    their row, and with the installed font the PDF falls back to (or none: a box)."""
    out = []
    for pointer, key, value in leaves(doc.data):
        rare = sorted(set(fonts.SUSPECT.findall(value)))
        if not rare or key in NOT_TEXT_KEYS:
            continue
        drawable = fonts.covered()
        for char in rare:
            if drawable is not None and ord(char) not in drawable:
                out.append(_at(doc, "glyph-missing", pointer, char=char, codepoint=f"U+{ord(char):04X}",
                               fallback=fonts.fallback(char) or "无 none"))
    return out


def county_refs(doc: Document, ctx: Context) -> list[Finding]:
    out = []
    if ctx.types is None:
        return out
    for i, dept in enumerate(_dicts(doc.data.get("departments"))):
        if isinstance(dept.get("type"), str) and dept["type"] not in ctx.types:
            out.append(_at(doc, "ref-department-type", f"/departments/{i}/type", ref=dept["type"]))
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
