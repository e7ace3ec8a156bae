"""Open-data stage: every register as JSON and CSV, the schemas they follow, a catalogue, one archive.

A transparency site publishes data, not only pages.  The JSON export is the register exactly
as the loader read it (every value a string) in an envelope that names its published schema;
the CSVs flatten each part into one row per table row for spreadsheets (UTF-8 with BOM and
CRLF so Excel on Chinese Windows opens them, one Chinese header row, English column names in
CSVW metadata beside each file); `data.json` is a Project Open Data (DCAT-US 1.1) catalogue.
Output is byte-identical across runs: no clock, fixed zip timestamps, source order.
"""
from __future__ import annotations

import csv
import io
import json
import posixpath
import re
import sys
import zipfile
from collections.abc import Callable, Container, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from . import paths, report
from . import messages
from .load import load_file
from .markup import esc, href, md, text_html, url
from .model import PARTS, Clause, Corpus, County, Register, Text, load_corpus
from .pdf import FALLBACK_DATE, document_date, has_english
from .validate import SCHEMA_DIR, check

SCHEMA_VERSION = "2"
"""The register schema version the exports follow (schemas/ say which in their title)."""
EXPORT_SCHEMA_NAME = "export.schema.json"
LANG_PREFIX = {"zh": "", "en": "en/"}
"""Where each language's pages live inside site/ (mkdocs-static-i18n, folder structure)."""
ARCHIVE_ROOT = posixpath.basename(paths.DATASET_ARCHIVE).removesuffix(".zip")
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
LIST_SEPARATOR = ";"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""Cell starts that spreadsheets evaluate as formulas; such cells get a leading apostrophe."""
POD = "https://project-open-data.cio.gov/v1.1/schema"
ID_PATTERN = "^[a-z0-9]+(?:-[a-z0-9]+)*$"

EXPORT_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "清单数据导出 Register export",
    "description": "一份清单的开放数据导出（JSON）：清单数据与原始文件逐字一致，另附所属县的数据和清单引用的法律法规、主题、部门类型。所有值都是文字（字符串）。 The open-data export of one register: its data exactly as in the register file, with its county's data and the laws, topics and department types it refers to. Every value is a string.",
    "type": "object",
    "additionalProperties": False,
    "required": ["$schema", "schema_version", "id", "url", "county", "register", "references"],
    "properties": {
        "$schema": {
            "title": "模式 Schema",
            "description": "本文件所依据的模式（即本模式）的网址。 The URL of the schema this file follows (this one).",
            "type": "string",
            "pattern": "^https?://\\S+/export\\.schema\\.json$",
        },
        "schema_version": {
            "title": "格式版本 Format version",
            "description": "导出格式和清单模式的版本，与模式的发布目录（schemas/v2/）一致。第 2 版：序号、工作事项、部分标题和服务事项的内容、承办机构、电话可以省略，各部分可以写 absent（原文为“无”或未公布）并有附加栏目（columns 和各行的 extra）。 The version of the export format and of the register schema, as in the schemas' folder (schemas/v2/). Version 2: numbers, work items, part headings and a service's content, agency and phone may be missing; any part may be absent (the source prints 无 or does not publish it) and have extra columns (columns, and extra on each row).",
            "type": "string",
            "const": SCHEMA_VERSION,
        },
        "id": {
            "title": "清单标识 Register id",
            "description": "县的拼音标识和清单简称，以斜杠分隔。 The county slug and the register slug, separated by a slash.",
            "type": "string",
            "pattern": "^[a-z0-9]+(?:-[a-z0-9]+)*/[a-z0-9]+(?:-[a-z0-9]+)*$",
            "examples": ["anhua/renkou-jisheng"],
        },
        "url": {
            "title": "网页 Page",
            "description": "本清单在网站上的网页。 The register's page on the site.",
            "type": "string",
            "pattern": "^https?://\\S+$",
        },
        "county": {
            "title": "所属县 County",
            "description": "清单所属的县：拼音标识和 county.yaml 的内容。 The register's county: its slug and the content of its county.yaml.",
            "type": "object",
            "additionalProperties": False,
            "required": ["slug", "data"],
            "properties": {
                "slug": {
                    "$ref": "common.schema.json#/$defs/id",
                    "title": "县标识 County slug",
                    "description": "县的拼音标识，即 registers/ 下的目录名。 The county's slug, its folder name under registers/.",
                    "examples": ["anhua"],
                },
                "data": {
                    "$ref": "county.schema.json",
                    "title": "县数据 County data",
                    "description": "county.yaml 的内容，与文件逐字一致。 The content of county.yaml, exactly as in the file.",
                },
            },
        },
        "register": {
            "title": "清单 Register",
            "description": "清单本身：简称和清单文件的内容。 The register itself: its slug and the content of its file.",
            "type": "object",
            "additionalProperties": False,
            "required": ["slug", "data"],
            "properties": {
                "slug": {
                    "$ref": "common.schema.json#/$defs/id",
                    "title": "清单简称 Register slug",
                    "description": "清单的简称，即清单文件名（不含 .yaml）。 The register's slug, its file name without .yaml.",
                    "examples": ["renkou-jisheng"],
                },
                "data": {
                    "$ref": "register.schema.json",
                    "title": "清单数据 Register data",
                    "description": "清单文件的内容，与文件逐字一致。 The content of the register file, exactly as in the file.",
                },
            },
        },
        "references": {
            "title": "引用 References",
            "description": "清单中用标识引用的条目，使本文件可以单独使用。 The entries the register refers to by id, so this file stands alone.",
            "type": "object",
            "additionalProperties": False,
            "required": ["laws", "topics", "department_types"],
            "properties": {
                "laws": {
                    "title": "法律法规 Laws",
                    "description": "边界表引用的和正文《》中提及的法律法规，按 laws.yaml 的顺序。 The laws the boundary table cites or the text names in 《》, in laws.yaml order.",
                    "type": "array",
                    "items": {"$ref": "laws.schema.json#/properties/laws/items"},
                },
                "topics": {
                    "title": "主题 Topics",
                    "description": "清单各行标注的主题，按 topics.yaml 的顺序。 The topics the register's rows are tagged with, in topics.yaml order.",
                    "type": "array",
                    "items": {"$ref": "topics.schema.json#/properties/topics/items"},
                },
                "department_types": {
                    "title": "部门类型 Department types",
                    "description": "本县各部门的部门类型，按 department-types.yaml 的顺序。 The types of the county's departments, in department-types.yaml order.",
                    "type": "array",
                    "items": {"$ref": "department-types.schema.json#/properties/types/items"},
                },
            },
        },
    },
}


# --- settings ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Licence:
    """Terms of reuse, from mkdocs.yml `extra.qingdan.license: {zh, en?, url?}`."""

    name: Text
    url: str | None = None


DEFAULT_LICENCE = Licence(Text("政府信息公开，可自由使用", "Public government information"))

_SITE_URL = re.compile(r"^https?://[^\s/]+(?:/\S*)?$")


def licence(extra: Mapping[str, Any] | None) -> Licence:
    """The licence configured in the MkDocs `extra` mapping (a plain string also works), else the default."""
    raw = ((extra or {}).get("qingdan") or {}).get("license")
    if raw is None:
        return DEFAULT_LICENCE
    if isinstance(raw, str) and raw:
        return Licence(Text(raw))
    zh, en, link = (raw.get(k) for k in ("zh", "en", "url")) if isinstance(raw, Mapping) else (None, None, None)
    if not (isinstance(zh, str) and zh and isinstance(en, (str, type(None)))):
        raise ValueError("extra.qingdan.license 需要 zh（及可选的 en、url） / "
                         "extra.qingdan.license needs zh (and optionally en, url)")
    if link and not (isinstance(link, str) and _SITE_URL.match(link)):
        raise ValueError(f"extra.qingdan.license.url 不是网址 / is not a URL: {link!r}")
    return Licence(Text(zh, en or None), link or None)


def site_base(site_url: str) -> str:
    """The site URL with exactly one trailing slash; absolute URLs only (the catalogue needs them)."""
    if not _SITE_URL.match(site_url or ""):
        raise ValueError(f"site_url 必须是以 http:// 或 https:// 开头的网址 / "
                         f"site_url must be an absolute http(s) URL: {site_url!r}")
    return site_url.rstrip("/") + "/"


# --- schemas -------------------------------------------------------------------------------


def schema_sources() -> dict[str, dict[str, Any]]:
    """Every published schema by file name: the files of schemas/ and the export envelope."""
    found = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in SCHEMA_DIR.glob("*.schema.json")}
    found[EXPORT_SCHEMA_NAME] = EXPORT_SCHEMA
    return dict(sorted(found.items()))


def schema_path(name: str) -> str:
    return f"{paths.SCHEMA_BASE}{name}"


def published_schema(name: str, schema: Mapping[str, Any], base: str) -> dict[str, Any]:
    """A schema with its `$id` stamped; relative `$ref`s then resolve against the site."""
    out: dict[str, Any] = {"$schema": schema["$schema"], "$id": base + schema_path(name)}
    out.update((k, v) for k, v in schema.items() if k not in out)
    return out


# --- JSON export ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Shared:
    """The raw shared files, loaded once, that exports copy entries from."""

    laws: list[dict[str, Any]]
    topics: list[dict[str, Any]]
    types: list[dict[str, Any]]
    counties: dict[str, dict[str, Any]]

    @classmethod
    def load(cls, corpus: Corpus) -> Shared:
        def data(path: Path) -> Any:
            doc = load_file(path)
            if doc.data is None:
                raise ValueError(f"{path}: 无法读取，请先运行 qingdan check / cannot load; run `qingdan check` first")
            return doc.data

        root = corpus.root
        return cls(data(root / "laws.yaml")["laws"], data(root / "topics.yaml")["topics"],
                   data(root / "department-types.yaml")["types"],
                   {slug: data(root / slug / "county.yaml") for slug in corpus.counties})


def _topic_ids(r: Register) -> set[str]:
    return {t.id for row in r.rows.values() for t in getattr(row, "topics", [])}


def export_document(corpus: Corpus, r: Register, shared: Shared, base: str) -> dict[str, Any]:
    """One register's JSON export: envelope, county, register data and what it refers to."""
    laws = {law.id for law in corpus.laws.values()
            if any(c.register is r for c in law.citations) or any(row.register is r for row in law.mentions)}
    topics = _topic_ids(r)
    types = {d.type.id for d in r.county.departments.values()}
    return {
        "$schema": base + schema_path(EXPORT_SCHEMA_NAME),
        "schema_version": SCHEMA_VERSION,
        "id": r.key,
        "url": base + url(paths.register(r)),
        "county": {"slug": r.county.slug, "data": shared.counties[r.county.slug]},
        "register": {"slug": r.slug, "data": r.data},
        "references": {
            "laws": [x for x in shared.laws if x["id"] in laws],
            "topics": [x for x in shared.topics if x["id"] in topics],
            "department_types": [x for x in shared.types if x["id"] in types],
        },
    }


# --- CSV -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One CSV column: its Chinese header, CSVW name, English title and what it holds."""

    zh: str
    name: str
    en: str
    about_zh: str
    about_en: str
    is_list: bool = False
    key: bool = False


TOPICS_ABOUT = ("主题标识（见 topics.yaml），多个时以 ; 分隔。", "Topic ids (see topics.yaml), separated by ; when several.")

COLUMNS: dict[str, tuple[Column, ...]] = {
    "duties": (
        Column("序号", "duty_number", "Duty no.", "主要职责在原文中的序号。", "The main duty's number as the source writes it."),
        Column("主要职责编号", "duty_id", "Duty id", "主要职责的标识，也是网页上的锚点。", "The main duty's id, also its anchor on the register page."),
        Column("主要职责", "duty", "Main duty", "主要职责原文。", "The main duty, as written."),
        Column("主要职责备注", "duty_remark", "Duty remark", "主要职责的备注（多数清单没有）。", "The main duty's remark (most registers have none)."),
        Column("工作事项编号", "item_id", "Work item id", "具体工作事项的标识（本文件的主键）。", "The work item's id (this file's key).", key=True),
        Column("具体工作事项", "item", "Work item", "具体工作事项原文。", "The work item, as written."),
        Column("备注", "remark", "Remark", "工作事项的备注栏，照原文（可能只有空白）。", "The work item's remark cell, as written (may be blank)."),
        Column("主题", "topics", "Topics", "工作事项及其主要职责的" + TOPICS_ABOUT[0],
               "Of the work item and its main duty: " + TOPICS_ABOUT[1], is_list=True),
    ),
    "boundaries": (
        Column("序号", "matter_number", "Matter no.", "管理事项在原文中的序号。", "The matter's number as the source writes it."),
        Column("事项编号", "matter_id", "Matter id", "管理事项的标识。", "The matter's id."),
        Column("管理事项", "matter", "Matter", "涉及多个部门的管理事项。", "The matter shared between departments."),
        Column("分工编号", "division_id", "Division id", "本行（一个部门的分工）的标识（本文件的主键）。", "This row's id: one department's share (this file's key).", key=True),
        Column("部门编号", "department_id", "Department id", "相关部门的标识（见 county.yaml）。", "The department's id (see county.yaml)."),
        Column("相关部门", "department", "Department", "相关部门的全称。", "The department's full name."),
        Column("部门原文写法", "as_written", "As written", "原文对该部门的称呼。", "The department's name as the source writes it."),
        Column("职责分工", "division", "Division of duties", "该部门在此事项中的职责。", "The department's duties in this matter."),
        Column("相关依据", "basis", "Legal basis", "事项的全部依据，每条前加原文序号，条与条之间换行；同一事项的每一行都重复。",
               "All citations of the matter, each after its source number, one per line; repeated on every row of the matter."),
        Column("依据法规编号", "basis_laws", "Cited law ids", "所引法律法规的标识（见 laws.yaml），以 ; 分隔。", "Ids of the cited laws (see laws.yaml), separated by ;.", is_list=True),
        Column("案例", "cases", "Cases", "事项的案例，条与条之间换行；同一事项的每一行都重复。", "The matter's cases, one per line; repeated on every row of the matter."),
        Column("主题", "topics", "Topics", "管理事项的" + TOPICS_ABOUT[0], "Of the matter: " + TOPICS_ABOUT[1], is_list=True),
    ),
    "supervision": (
        Column("制度序号", "system_number", "System no.", "监管制度在原文中的序号。", "The system's number as the source writes it."),
        Column("制度编号", "system_id", "System id", "监管制度的标识。", "The system's id."),
        Column("制度", "system", "Supervision system", "监管制度的名称。", "The system's title."),
        Column("部分序号", "section_number", "Section no.", "节在原文中的序号。", "The section's number as the source writes it."),
        Column("部分编号", "section_id", "Section id", "节的标识。", "The section's id."),
        Column("部分", "section", "Section", "节标题。", "The section heading."),
        Column("部分类别", "section_kind", "Section kind", "节的类别：objects、contents、methods、procedure、measures、handling、standards、assessment、other。",
               "The section's kind: objects, contents, methods, procedure, measures, handling, standards, assessment, other."),
        Column("条款编号", "clause_id", "Clause id", "条款的标识（本文件的主键）。", "The clause's id (this file's key).", key=True),
        Column("上级条款编号", "parent_clause_id", "Parent clause id", "上一层条款的标识；第一层为空。", "The enclosing clause's id; empty on the first level."),
        Column("层级", "depth", "Depth", "条款的层级，第一层为 1。", "The clause's nesting level, 1 for the first level."),
        Column("序号", "clause_number", "Clause no.", "条款在原文中的序号；不编号的段落为空。", "The clause's number as the source writes it; empty for an unnumbered paragraph."),
        Column("条款内容", "clause", "Clause", "条款原文。", "The clause, as written."),
        Column("主题", "topics", "Topics", "监管制度的" + TOPICS_ABOUT[0], "Of the system: " + TOPICS_ABOUT[1], is_list=True),
    ),
    "services": (
        Column("序号", "number", "No.", "服务事项在原文中的序号。", "The service's number as the source writes it."),
        Column("事项编号", "service_id", "Service id", "服务事项的标识（本文件的主键）。", "The service's id (this file's key).", key=True),
        Column("服务事项", "service", "Service", "服务事项的名称。", "The service's name."),
        Column("主要内容", "content", "Content", "服务的主要内容。", "What the service provides."),
        Column("承办机构", "agency", "Agency", "承办机构。", "The office providing the service."),
        Column("联系电话", "phone", "Telephone", "联系电话，照原文（以文字保存，保留开头的 0）。", "The telephone number as written (text: keeps its leading 0)."),
        Column("主题", "topics", "Topics", "服务事项的" + TOPICS_ABOUT[0], "Of the service: " + TOPICS_ABOUT[1], is_list=True),
    ),
}

ROW_UNIT: dict[str, tuple[str, str]] = {
    "duties": ("每个具体工作事项一行。", "One row per work item."),
    "boundaries": ("每个部门分工一行。", "One row per department's share of a matter."),
    "supervision": ("每个条款一行，按原文顺序，上层条款在其下层条款之前。", "One row per clause in source order, each clause before its sub-clauses."),
    "services": ("每个服务事项一行。", "One row per service."),
}

Row = dict[str, str]


def columns(r: Register, part: str) -> list[Column]:
    """A part's columns, then the extra columns the register declares for it, in order."""
    extra = [
        Column(c.zh, f"extra_{i}", c.en or c.zh, "本清单表格增加的栏目，照原文。", "An extra column of this list's table, as written.")
        for i, c in enumerate(r.parts[part].columns, 1)
    ]
    return [*COLUMNS[part], *extra]


def primary_key(r: Register, part: str) -> str | list[str]:
    """A part's key column; a register with duties published without work items keys its
    duty rows by duty and item (such a row has no item id)."""
    key = next(c.name for c in COLUMNS[part] if c.key)
    return ["duty_id", key] if part == "duties" and any(not d.items for d in r.duties) else key


def _extra(r: Register, part: str, values: Mapping[str, Text]) -> Row:
    """A row's extra column cells by CSV column name."""
    return {f"extra_{i}": _zh(values.get(c.zh)) for i, c in enumerate(r.parts[part].columns, 1)}


def _zh(text: Text | None) -> str:
    return text.zh if text else ""


def _ids(items: Iterable[Any]) -> str:
    """Distinct ids in first-seen order, joined for a list column."""
    return LIST_SEPARATOR.join(dict.fromkeys(x.id for x in items if x is not None))


def _duty_rows(r: Register) -> Iterator[Row]:
    """One row per work item; a duty without items is one row with empty item cells."""
    for d in r.duties:
        duty = {"duty_number": d.number, "duty_id": d.id, "duty": d.text.zh, "duty_remark": _zh(d.remark)}
        if not d.items:
            yield {**duty, "item_id": "", "item": "", "remark": "", "topics": _ids(d.topics),
                   **_extra(r, "duties", d.extra)}
        for item in d.items:
            yield {**duty, "item_id": item.id, "item": item.text.zh, "remark": _zh(item.remark),
                   "topics": _ids([*d.topics, *item.topics]), **_extra(r, "duties", item.extra)}


def _boundary_rows(r: Register) -> Iterator[Row]:
    for m in r.matters:
        matter = {"matter_number": m.number, "matter_id": m.id, "matter": m.matter.zh,
                  "basis": "\n".join(f"{c.number or ''}{c.text.zh}" for c in m.basis),
                  "basis_laws": _ids(c.law for c in m.basis), "cases": "\n".join(c.text.zh for c in m.cases),
                  "topics": _ids(m.topics), **_extra(r, "boundaries", m.extra)}
        for d in m.divisions:
            dept = d.department
            yield {**matter, "division_id": d.id, "department_id": dept.id if dept else "",
                   "department": dept.name.zh if dept else "", "as_written": d.as_written, "division": d.text.zh}


def _clause_walk(clauses: list[Clause], parent: str = "", depth: int = 1) -> Iterator[tuple[Clause, str, int]]:
    for c in clauses:
        yield c, parent, depth
        yield from _clause_walk(c.clauses, c.id, depth + 1)


def _supervision_rows(r: Register) -> Iterator[Row]:
    for s in r.systems:
        for sec in s.sections:
            section = {"system_number": s.number, "system_id": s.id, "system": s.title.zh,
                       "section_number": sec.number, "section_id": sec.id, "section": sec.heading.zh,
                       "section_kind": sec.kind, "topics": _ids(s.topics), **_extra(r, "supervision", s.extra)}
            for c, parent, depth in _clause_walk(sec.clauses):
                yield {**section, "clause_id": c.id, "parent_clause_id": parent, "depth": str(depth),
                       "clause_number": c.number or "", "clause": c.text.zh}


def _service_rows(r: Register) -> Iterator[Row]:
    for s in r.services:
        yield {"number": s.number, "service_id": s.id, "service": s.name.zh, "content": _zh(s.content),
               "agency": _zh(s.agency), "phone": s.phone or "", "topics": _ids(s.topics), **_extra(r, "services", s.extra)}


ROWS: dict[str, Callable[[Register], Iterator[Row]]] = {
    "duties": _duty_rows, "boundaries": _boundary_rows, "supervision": _supervision_rows, "services": _service_rows,
}


def cell(value: str) -> str:
    """A CSV cell: the text as written, but never a formula (OWASP CSV-injection guard)."""
    return "'" + value if value.startswith(FORMULA_START) else value


def csv_bytes(r: Register, part: str) -> bytes:
    """One part as CSV: BOM, Chinese header row, CRLF (the csv module's default), source order."""
    cols = columns(r, part)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([cell(c.zh) for c in cols])  # extra columns are named in the register
    writer.writerows([cell(row[c.name]) for c in cols] for row in ROWS[part](r))
    return buffer.getvalue().encode("utf-8-sig")


def _lang_values(zh: str, en: str) -> list[dict[str, str]]:
    return [{"@value": zh, "@language": "zh-Hans"}, {"@value": en, "@language": "en"}]


def csv_metadata(r: Register, part: str, lic: Licence) -> dict[str, Any]:
    """CSVW metadata for one CSV: English names and titles of its Chinese columns."""
    zh, en = messages.pair(f"data.part.{part}")
    cols, key = columns(r, part), primary_key(r, part)
    meta: dict[str, Any] = {
        "@context": ["http://www.w3.org/ns/csvw", {"@language": "zh-Hans"}],
        "url": posixpath.basename(paths.csv_export(r, part)),
        "dc:title": _lang_values(f"{r.title.zh}：{zh}", f"{r.title.en or r.title.zh}: {en}"),
        "dc:rights": _lang_values(lic.name.zh, lic.name.en or lic.name.zh),
        "dialect": {"encoding": "utf-8", "header": True, "headerRowCount": 1, "lineTerminators": ["\r\n"]},
        "tableSchema": {
            "columns": [_csvw_column(c, c.key and isinstance(key, str)) for c in cols],
            "primaryKey": key,
        },
    }
    absent = r.parts[part].absent
    if absent is not None:  # the file has a header only: say why
        meta["dc:description"] = _lang_values(absent.zh, absent.en or absent.zh)
    if lic.url:
        meta["dc:license"] = {"@id": lic.url}
    return meta


def _csvw_column(c: Column, required: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"name": c.name, "titles": {"zh-Hans": c.zh, "en": c.en},
                           "dc:description": _lang_values(c.about_zh, c.about_en), "datatype": "string"}
    if required:
        out["required"] = True
    if c.is_list:
        out["separator"] = LIST_SEPARATOR
    return out


# --- catalogue -----------------------------------------------------------------------------


def _both(text: Text) -> str:
    """'中文 / English' for catalogue fields that are single strings."""
    return f"{text.zh} / {text.en}" if text.en else text.zh


def _en(text: Text) -> str:
    return text.en or text.zh


Built = Container[str] | None
"""The PDFs (paths inside site/) a build's site holds; None: every edition (a build that prints)."""


def pdf_langs(r: Register, built: Built = None) -> tuple[str, ...]:
    """The PDF editions the print stage writes (Chinese always, English when there is some),
    of them only those in `built`: a page or the catalogue never names a PDF the site lacks."""
    langs = ("zh", "en") if has_english(r) else ("zh",)
    return langs if built is None else tuple(lang for lang in langs if paths.pdf(r, lang) in built)


def _keywords(texts: Iterable[Text]) -> list[str]:
    names = list(texts)
    return list(dict.fromkeys(["责任清单", "responsibility list", *(t.zh for t in names), *(t.en for t in names if t.en)]))


def _topics_of(corpus: Corpus, r: Register) -> list[Text]:
    """The topic names a register uses, in topics.yaml order."""
    used = _topic_ids(r)
    return [t.name for t in corpus.topics.values() if t.id in used]


def _spatial(c: County) -> str:
    """Place name and GB/T 2260 division code, both languages."""
    return (f"{c.province.zh}{_zh(c.prefecture)}{c.name.zh}（行政区划代码 {c.division_code}） / "
            f"{c.name.en or c.name.zh}, {c.province.en or c.province.zh} (division code {c.division_code})")


def _distribution(title: str, download: str, media: str, fmt: str, **more: str) -> dict[str, str]:
    return {"@type": "dcat:Distribution", "title": title, "downloadURL": download, "mediaType": media,
            "format": fmt, **more}


def _feed_distribution(address: str) -> dict[str, str]:
    """The Atom feed of adjustments and versions (feeds.py): a subscription, so an accessURL."""
    return {"@type": "dcat:Distribution", "title": " ".join(messages.pair("data.feed")), "accessURL": address,
            "mediaType": "application/atom+xml", "format": "Atom",
            "conformsTo": "https://www.rfc-editor.org/rfc/rfc4287"}


def _dataset(r: Register, base: str, lic: Licence, topics: list[Text], built: Built = None) -> dict[str, Any]:
    schema = base + schema_path(EXPORT_SCHEMA_NAME)
    county, dept = r.county, r.department
    en_title = r.title.en or f"Responsibility list of {_en(dept.name)}, {_en(county.name)}"
    n_items = sum(len(d.items) for d in r.duties)
    page = base + url(paths.register(r))
    distributions = [
        _distribution("JSON", base + paths.json_export(r), "application/json", "JSON",
                      conformsTo=schema, describedBy=schema, describedByType="application/schema+json"),
        *(_distribution(f"{' '.join(messages.pair(f'data.part.{p}'))} (CSV)", base + paths.csv_export(r, p), "text/csv",
                        "CSV", conformsTo="https://www.rfc-editor.org/rfc/rfc4180",
                        describedBy=base + paths.csv_metadata(r, p), describedByType="application/csvm+json")
          for p in PARTS),
        *(_distribution("PDF 中文" if lang == "zh" else "PDF English", base + paths.pdf(r, lang),
                        "application/pdf", "PDF") for lang in pdf_langs(r, built)),
        _feed_distribution(base + paths.feed_register(r)),
    ]
    dataset: dict[str, Any] = {
        "@type": "dcat:Dataset",
        "identifier": page,
        "title": f"{r.title.zh} / {en_title}",
        "description": (
            f"{dept.name.zh}的责任清单：部门职责 {len(r.duties)} 条（{n_items} 项具体工作事项），"
            f"职责边界事项 {len(r.matters)} 个，事中事后监管制度 {len(r.systems)} 项，公共服务事项 {len(r.services)} 项。 "
            f"The responsibility list of {_en(dept.name)}: {len(r.duties)} main duties ({n_items} work items), "
            f"{len(r.matters)} boundary matters, {len(r.systems)} supervision systems, "
            f"{len(r.services)} public services."
        ),
        "keyword": _keywords([dept.type.name, *topics]),
        "modified": document_date(r),
        "publisher": {"@type": "org:Organization", "name": _both(dept.name),
                      "subOrganizationOf": {"@type": "org:Organization", "name": _both(county.name)}},
        "accessLevel": "public",
        "rights": _both(lic.name),
        "spatial": _spatial(county),
        "language": ["zh-Hans", "en"] if has_english(r) else ["zh-Hans"],
        "landingPage": page,
        "describedBy": schema,
        "describedByType": "application/schema+json",
        "distribution": distributions,
    }
    if r.adopted:
        dataset["issued"] = r.adopted
    if lic.url:
        dataset["license"] = lic.url
    return dataset


def _archive_dataset(corpus: Corpus, base: str, lic: Licence) -> dict[str, Any]:
    registers = corpus.registers
    names = [c.name for c in corpus.counties.values()]
    dataset: dict[str, Any] = {
        "@type": "dcat:Dataset",
        "identifier": base + url(paths.DATA),
        "title": "全部责任清单（开放数据） / All responsibility lists (open data)",
        "description": (
            f"本站全部 {len(registers)} 份责任清单的 JSON、CSV（附 CSVW 元数据）、JSON 模式和本数据目录，打包为一个 ZIP 文件。 "
            f"All {len(registers)} responsibility lists on this site as JSON and CSV (with CSVW metadata), "
            "with the JSON Schemas and this catalogue, in one ZIP file."
        ),
        "keyword": _keywords([t.name for t in corpus.topics.values()
                              if any(t.id in _topic_ids(r) for r in registers)]),
        "modified": max((document_date(r) for r in registers), default=FALLBACK_DATE),
        "publisher": {"@type": "org:Organization", "name": "、".join(n.zh for n in names) + " / "
                      + ", ".join(_en(n) for n in names)},
        "accessLevel": "public",
        "rights": _both(lic.name),
        "spatial": "；".join(_spatial(c) for c in corpus.counties.values()),
        "language": ["zh-Hans", "en"] if any(has_english(r) for r in registers) else ["zh-Hans"],
        "landingPage": base + url(paths.DATA),
        "describedBy": base + schema_path(EXPORT_SCHEMA_NAME),
        "describedByType": "application/schema+json",
        "distribution": [_distribution("ZIP", base + paths.DATASET_ARCHIVE, "application/zip", "ZIP"),
                         _feed_distribution(base + paths.FEED_SITE)],
    }
    if lic.url:
        dataset["license"] = lic.url
    return dataset


def catalogue(corpus: Corpus, base: str, lic: Licence, built: Built = None) -> dict[str, Any]:
    """The Project Open Data (DCAT-US 1.1) catalogue: one dataset per register, one for the archive."""
    return {
        "@context": f"{POD}/catalog.jsonld",
        "@id": base + paths.CATALOGUE,
        "@type": "dcat:Catalog",
        "conformsTo": POD,
        "describedBy": f"{POD}/catalog.json",
        "dataset": [*(_dataset(r, base, lic, _topics_of(corpus, r), built) for r in corpus.registers),
                    _archive_dataset(corpus, base, lic)],
    }


# --- writing -------------------------------------------------------------------------------


def _json_bytes(data: Any, *, sort_keys: bool = False) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=sort_keys) + "\n").encode("utf-8")


def download_files(corpus: Corpus, site_url: str, extra: Mapping[str, Any] | None = None,
                   built: Built = None) -> dict[str, bytes]:
    """Every download except the archive, by path inside site/, in a fixed order."""
    base, lic = site_base(site_url), licence(extra)
    shared = Shared.load(corpus)
    files = {schema_path(name): _json_bytes(published_schema(name, schema, base))
             for name, schema in schema_sources().items()}
    for r in corpus.registers:
        files[paths.json_export(r)] = _json_bytes(export_document(corpus, r, shared, base))
        for part in PARTS:
            files[paths.csv_export(r, part)] = csv_bytes(r, part)
            files[paths.csv_metadata(r, part)] = _json_bytes(csv_metadata(r, part, lic))
    files[paths.CATALOGUE] = _json_bytes(catalogue(corpus, base, lic, built), sort_keys=True)
    return files


def archive_bytes(files: Mapping[str, bytes]) -> bytes:
    """A zip of `files` under one top folder; sorted entries, fixed dates and modes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(f"{ARCHIVE_ROOT}/{name}", date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name])
    return buffer.getvalue()


def write_downloads(corpus: Corpus, site_dir: Path, site_url: str,
                    extra: Mapping[str, Any] | None = None, built: Built = None) -> list[Path]:
    """Write JSON, CSV, CSVW metadata, schemas, catalogue and archive into the built site.

    `extra` is the MkDocs config's `extra` mapping (for `qingdan.license`).  Raises ValueError
    (message zh / en) for a bad site_url or licence setting.
    """
    files = download_files(corpus, site_url, extra, built)
    files[paths.DATASET_ARCHIVE] = archive_bytes(files)
    written = []
    for name, content in files.items():
        target = site_dir / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        written.append(target)
    return written


# --- links and pages -----------------------------------------------------------------------


def download_href(page: str, path: str, lang: str = "zh") -> str:
    """Relative URL from a generated page (docs path in `lang`) to a file written into site/."""
    here = LANG_PREFIX[lang] + url(page)
    return posixpath.relpath(path, here or ".")



INTRO = (
    "本站发布的每份责任清单都可以下载为机器可读的开放数据：JSON（与清单文件逐字一致，附 JSON 模式）和 CSV（每个部分一个文件，可用 Excel 打开）。数据每次构建时从清单文件重新生成。",
    "Every responsibility list on this site can be downloaded as machine-readable open data: JSON (exactly the"
    " register file's content, with a published JSON Schema) and CSV (one file per part, opens in Excel). The data is"
    " regenerated from the register files on every build.",
)

CSV_NOTES: tuple[tuple[str, str], ...] = (
    ("编码为带 BOM 的 UTF-8，换行为 CRLF，逗号分隔，需要时加双引号（RFC 4180），Excel 可以直接打开。",
     "UTF-8 with a byte-order mark, CRLF line ends, comma-separated, double-quoted where needed (RFC 4180); Excel opens it directly."),
    ("只有一行表头，列名为中文；英文名称见下表，也写在每个 CSV 旁的 CSVW 元数据文件（文件名加 -metadata.json）中。",
     "One header row with Chinese column names; their English titles are below and in the CSVW metadata file next to each CSV (its name plus -metadata.json)."),
    ("CSV 只含中文原文；已有的英文译文在 JSON 中（文字字段写作 {zh, en}）。",
     "The CSVs hold the Chinese original only; English translations, where they exist, are in the JSON (text fields are {zh, en})."),
    ("文字一字不改，包括空白和原文的错漏；所有值都是文字，电话号码保留开头的 0。",
     "Text is exactly as written, blanks and source mistakes included; every value is text, so phone numbers keep their leading 0."),
    ("为防止电子表格把内容当作公式执行，以 = + - @ 开头的单元格前加一个英文单引号 '。",
     "So that spreadsheets never run a cell as a formula, a cell starting with = + - @ gets a leading apostrophe '."),
    ("多个标识在同一单元格中以 ; 分隔。“编号”列是稳定的标识（也是网页上的锚点），“序号”列是原文的序号。",
     "Several ids in one cell are separated by ;. The id columns hold stable ids (also the anchors on the register pages); the no. columns hold the source's numbering."),
    ("监管制度的引言、表注和各部分的标题只在 JSON 中。",
     "Supervision preambles, table notes and part headings are in the JSON only."),
)


def _label(key: str, lang: str) -> str:
    return messages.t(f"data.{key}", lang)


def _part(part: str, lang: str) -> str:
    return messages.t(f"data.part.{part}", lang)


def _link(page: str, path: str, lang: str, label: str, media: str, hreflang: str = "") -> str:
    extra = f' hreflang="{hreflang}"' if hreflang else ""
    target = esc(download_href(page, path, lang))
    return f'<a class="qd-download" href="{target}" type="{media}"{extra}>{esc(label)}</a>'


def _json_link(r: Register, page: str, lang: str) -> str:
    return _link(page, paths.json_export(r), lang, "JSON", "application/json")


def _csv_links(r: Register, page: str, lang: str) -> str:
    return " ".join(_link(page, paths.csv_export(r, p), lang, _part(p, lang), "text/csv") for p in PARTS)


def _pdf_links(r: Register, page: str, lang: str, built: Built = None) -> str:
    links = [_link(page, paths.pdf(r, pdf_lang), lang, _label(f"pdf_{pdf_lang}", lang), "application/pdf",
                   "zh-Hans" if pdf_lang == "zh" else "en") for pdf_lang in pdf_langs(r, built)]
    return " ".join(links) or f'<span class="qd-pdf-missing">{_label("pdf_not_built", lang)}</span>'



def register_downloads_html(r: Register, page: str, lang: str, built: Built = None) -> str:
    """The download block of a register page: JSON, the four CSVs and the PDFs that exist."""
    return "\n".join([
        f'<div class="qd-downloads" role="group" aria-label="{_label("downloads", lang)}">',
        f'<span class="qd-downloads-label">{_label("downloads", lang)}</span>',
        f'<span class="qd-downloads-group">{_json_link(r, page, lang)}</span>',
        f'<span class="qd-downloads-group">CSV: {_csv_links(r, page, lang)}</span>',
        f'<span class="qd-downloads-group">PDF: {_pdf_links(r, page, lang, built)}</span>',
        f'<span class="qd-downloads-group">{_link(page, paths.feed_register(r), lang, "Atom", "application/atom+xml")}</span>',
        f'<a class="qd-downloads-help" href="{esc(href(page, paths.DATA))}">{_label("about_data", lang)}</a>',
        "</div>",
    ])


def county_downloads_html(county: County, page: str, lang: str, built: Built = None) -> str:
    """A county's downloads, one row per register, for its county page (the data page
    links there: a site-wide page keeps one line per county)."""
    rows = [
        f'<tr><td><a href="{esc(href(page, paths.register(r)))}">{text_html(r.title, lang)}</a></td>'
        f"<td>{_json_link(r, page, lang)}</td>"
        f"<td>{_csv_links(r, page, lang)}</td><td>{_pdf_links(r, page, lang, built)}</td></tr>"
        for r in county.registers
    ]
    feed = _link(page, paths.feed_county(county), lang, _label("feed", lang), "application/atom+xml")
    return "\n".join([
        f'<p class="qd-feed">{feed}</p>',
        '<div class="qd-table-wrap">',
        '<table class="qd-table qd-data-table">',
        f'<thead><tr><th>{_label("register", lang)}</th><th>JSON</th><th>CSV</th><th>PDF</th></tr></thead>',
        "<tbody>", *rows, "</tbody>", "</table>", "</div>",
    ])


def _column_table(part: str, lang: str) -> str:
    rows = [
        f'<tr><td lang="zh-Hans">{esc(c.zh)}</td><td lang="en">{esc(c.en)}</td><td><code>{esc(c.name)}</code></td>'
        f"<td>{esc(c.about_en if lang == 'en' else c.about_zh)}</td></tr>"
        for c in COLUMNS[part]
    ]
    head = "".join(f"<th>{_label(k, lang)}</th>" for k in ("header", "english", "name", "meaning"))
    return "\n".join(['<div class="qd-table-wrap">', '<table class="qd-table qd-columns-table">',
                      f"<thead><tr>{head}</tr></thead>", "<tbody>", *rows, "</tbody>", "</table>", "</div>"])


def _colon(lang: str) -> str:
    return ": " if lang == "en" else "："


def _whole_dataset(lang: str, lic: Licence) -> str:
    page, colon = paths.DATA, _colon(lang)
    archive = _link(page, paths.DATASET_ARCHIVE, lang, _label("archive", lang), "application/zip")
    listing = _link(page, paths.CATALOGUE, lang, f'{_label("catalogue", lang)} data.json', "application/json")
    schemas = " ".join(_link(page, schema_path(name), lang, name, "application/schema+json")
                       for name in schema_sources())
    reference = f'<a href="{esc(href(page, paths.SCHEMA_REFERENCE))}">{_label("schema_reference", lang)}</a>'
    name = text_html(lic.name, lang)
    licence_html = f'<a href="{esc(lic.url)}">{name}</a>' if lic.url else name
    return "\n".join([
        '<ul class="qd-data-links">',
        f'<li>{archive}{colon}{_label("archive_about", lang)}</li>',
        f'<li>{listing}{colon}{_label("catalogue_about", lang)}</li>',
        f'<li>{_label("schemas", lang)}{colon}{schemas} ({reference})</li>',
        f'<li>{_link(page, paths.FEED_SITE, lang, _label("feed", lang), "application/atom+xml")}{colon}'
        f'{_label("feed_about", lang)}</li>',
        f'<li>{_label("licence", lang)}{colon}{licence_html}</li>',
        "</ul>",
    ])


def data_page(corpus: Corpus, lang: str, extra: Mapping[str, Any] | None = None) -> str:
    """The open-data page (paths.DATA): downloads per county and register, and the CSV columns."""
    pick = 1 if lang == "en" else 0
    out = [f"# {_label('title', lang)}", "", f"<p>{esc(INTRO[pick])}</p>", "",
           f"## {_label('whole', lang)} {{: #dataset }}", "", _whole_dataset(lang, licence(extra)), "",
           f"## {_label('by_county', lang)} {{: #registers }}", ""]
    links = [f'<li><a href="{esc(href(paths.DATA, paths.county(c), "data"))}">{text_html(c.name, lang)}</a>'
             f" · {len(c.registers)} {esc(messages.t('count_registers', lang))}</li>"
             for c in corpus.counties.values() if c.registers]
    out += ['<ul class="qd-list">', *links, "</ul>", ""]
    out += [f"## {_label('csv_format', lang)} {{: #csv }}", "", '<ul class="qd-csv-notes">',
            *(f"<li>{esc(note[pick])}</li>" for note in CSV_NOTES), "</ul>", ""]
    for part in PARTS:
        out += [f"### {md(_part(part, lang))} (`-{part}.csv`) {{: #csv-{part} }}", "",
                f"<p>{esc(ROW_UNIT[part][pick])}</p>", "",
                _column_table(part, lang), ""]
        if part == "duties":
            out += [f'<p>{esc(_label("extra_columns", lang))}</p>', ""]
    return "\n".join(out)


# --- command -------------------------------------------------------------------------------


@click.command("export", help="导出开放数据：JSON、CSV、模式、数据目录和压缩包。 Write the open-data downloads.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("site"), show_default=True,
              help="输出目录 Output folder.")
@click.option("--registers", "root", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=Path("registers"), show_default=True, help="清单目录 Registers folder.")
@click.option("--site-url", required=True, help="网站地址，如 https://example.gov.cn/qingdan/ The site's public URL.")
def command(out: Path, root: Path, site_url: str) -> None:
    try:
        site_base(site_url)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--site-url") from None
    result = check([root])
    if result.errors:
        report.text(result, sys.stderr)
        raise SystemExit(1)
    written = write_downloads(load_corpus(root), out, site_url)
    for path in written:
        click.echo(str(path))
    click.echo(f"已写出 {len(written)} 个文件。 Wrote {len(written)} files.")
