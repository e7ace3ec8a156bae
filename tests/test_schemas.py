"""The JSON Schemas in schemas/: well formed, documented for editors, and true to the registers."""
from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "schemas"
REGISTERS = ROOT / "registers"
SCHEMA_FILES = sorted(SCHEMAS.glob("*.schema.json"))
DRAFT = "https://json-schema.org/draft/2020-12/schema"
CJK = re.compile(r"[\u3400-\u9fff]")
MODELINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)\n")

DATA_FILES: dict[str, str] = {
    "topics.yaml": "topics.schema.json",
    "laws.yaml": "laws.schema.json",
    "department-types.yaml": "department-types.schema.json",
    "dingan/county.yaml": "county.schema.json",
    "anhua/county.yaml": "county.schema.json",
    "dingan/renkou-jisheng.yaml": "register.schema.json",
    "anhua/renkou-jisheng.yaml": "register.schema.json",
}

Steps = tuple[str | int, ...]
"""A path into loaded data, e.g. ("duties", "rows", 0, "items")."""
DELETE = object()
"""Marker for `mutate`: remove the key instead of replacing its value."""


class StrLoader(yaml.SafeLoader):
    """Safe loader without implicit typing: every scalar stays a string, like generator/load.py."""


StrLoader.yaml_implicit_resolvers = {}


def load_yaml(path: Path) -> Any:
    """Load a register file the way the loader does (all scalars are strings)."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=StrLoader)


@cache
def registry() -> Registry:
    """Every schema file, keyed by its file:// URI so relative $refs resolve."""
    resources = [
        (path.as_uri(), Resource.from_contents(json.loads(path.read_text(encoding="utf-8"))))
        for path in SCHEMA_FILES
    ]
    return Registry().with_resources(resources)


@cache
def validator(schema_name: str) -> Draft202012Validator:
    """A validator whose root schema is looked up by URI in the registry."""
    return Draft202012Validator({"$ref": (SCHEMAS / schema_name).as_uri()}, registry=registry())


def raw_schema(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def subschemas(node: Any, where: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every schema object below `node` (values of examples/enum/const are data, not schemas)."""
    if isinstance(node, dict):
        yield where, node
        for key, value in node.items():
            if key in ("examples", "enum", "const", "default"):
                continue
            if key in ("properties", "$defs"):
                for name, child in value.items():
                    yield from subschemas(child, f"{where}/{key}/{name}")
            elif isinstance(value, (dict, list)):
                yield from subschemas(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, child in enumerate(node):
            yield from subschemas(child, f"{where}/{i}")


def mutate(data: Any, path: Steps, value: Any) -> Any:
    """A deep copy of `data` with the node at `path` replaced (or removed, for DELETE)."""
    out = copy.deepcopy(data)
    parent = out
    for step in path[:-1]:
        parent = parent[step]
    if value is DELETE:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return out


def error_paths(schema_name: str, data: Any) -> set[Steps]:
    return {tuple(error.absolute_path) for error in validator(schema_name).iter_errors(data)}


# --- the schemas themselves -----------------------------------------------------------------


def test_all_schemas_present() -> None:
    names = {path.name for path in SCHEMA_FILES}
    expected = {f"{part}.schema.json" for part in (
        "common", "duties", "boundaries", "supervision", "services", "register",
        "county", "topics", "laws", "department-types", "glossary",
    )}
    assert expected <= names


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_schema_is_valid_draft_2020_12(path: Path) -> None:
    schema = raw_schema(path)
    assert schema["$schema"] == DRAFT
    assert "$id" not in schema, "the site publisher stamps $id; the source files carry none"
    Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_every_property_has_chinese_title_and_description(path: Path) -> None:
    undocumented = [
        f"{where}/properties/{name}"
        for where, schema in subschemas(raw_schema(path))
        for name, prop in schema.get("properties", {}).items()
        if not (CJK.search(prop.get("title", "")) and CJK.search(prop.get("description", "")))
    ]
    assert not undocumented


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_every_object_is_closed(path: Path) -> None:
    """Objects say what else they allow: false, or (for maps such as `extra`) a value schema."""
    open_objects = [
        where for where, schema in subschemas(raw_schema(path))
        if schema.get("type") == "object" and "additionalProperties" not in schema
    ]
    assert not open_objects


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_leaves_are_strings(path: Path) -> None:
    """The loader yields only dicts, lists and strings, so no other type may be asked for."""
    wrong = [
        where for where, schema in subschemas(raw_schema(path))
        if schema.get("type") not in (None, "string", "object", "array")
    ]
    assert not wrong


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_references_resolve(path: Path) -> None:
    resolver = registry().resolver(base_uri=path.as_uri())
    refs = [schema["$ref"] for _, schema in subschemas(raw_schema(path)) if "$ref" in schema]
    for target in refs:
        resolver.lookup(target)


# --- the real registers ---------------------------------------------------------------------


@pytest.mark.parametrize(("data_file", "schema_name"), DATA_FILES.items())
def test_real_file_is_valid(data_file: str, schema_name: str) -> None:
    data = load_yaml(REGISTERS / data_file)
    errors = [
        f"/{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator(schema_name).iter_errors(data)
    ]
    assert not errors


@pytest.mark.parametrize(("data_file", "schema_name"), DATA_FILES.items())
def test_modeline_points_at_the_schema(data_file: str, schema_name: str) -> None:
    path = REGISTERS / data_file
    match = MODELINE.match(path.read_text(encoding="utf-8"))
    assert match, "first line must be the yaml-language-server modeline"
    assert (path.parent / match.group(1)).resolve() == SCHEMAS / schema_name


# --- what the register schema rejects and accepts -------------------------------------------

ROW0 = ("duties", "rows", 0)
ITEM0 = (*ROW0, "items", 0)
MATTER0 = ("boundaries", "rows", 0)
SECTION0 = ("supervision", "systems", 0, "sections", 0)
SERVICE0 = ("services", "rows", 0)

REJECTED = [
    pytest.param((*ITEM0, "txt"), "制定规划", ITEM0, id="unknown-key"),
    pytest.param(("comment",), "x", (), id="unknown-top-level-key"),
    pytest.param((*ROW0, "id"), "Duty_1", (*ROW0, "id"), id="bad-id"),
    pytest.param((*SERVICE0, "topics", 0), "jishu_fuwu", (*SERVICE0, "topics", 0), id="bad-topic-id"),
    pytest.param((*SERVICE0, "topics"), ["yaoju", "yaoju"], (*SERVICE0, "topics"), id="duplicate-topic"),
    pytest.param((*ROW0, "text"), ["贯彻执行", "加强研究"], (*ROW0, "text"), id="text-as-list"),
    pytest.param((*MATTER0, "matter"), {"zh": "打击两非", "en": "x", "fr": "y"}, (*MATTER0, "matter"), id="text-zh-en-fr"),
    pytest.param((*MATTER0, "matter"), {"en": "Two illegals"}, (*MATTER0, "matter"), id="text-without-zh"),
    pytest.param((*ITEM0, "text"), "", (*ITEM0, "text"), id="empty-required-text"),
    pytest.param((*ROW0, "items"), [], (*ROW0, "items"), id="empty-items"),
    pytest.param((*MATTER0, "divisions"), [], (*MATTER0, "divisions"), id="empty-divisions"),
    pytest.param((*MATTER0, "basis", 0, "articles"), ["三十九"], (*MATTER0, "basis", 0, "articles", 0), id="article-in-chinese"),
    pytest.param((*SECTION0, "kind"), "object", (*SECTION0, "kind"), id="unknown-kind"),
    pytest.param(
        (*SECTION0, "clauses", 0, "clauses"), [{"id": "sup-01-01-01-01", "txt": "x"}],
        (*SECTION0, "clauses", 0, "clauses", 0), id="nested-clause-unknown-key",
    ),
    pytest.param((*SERVICE0, "phone"), "", (*SERVICE0, "phone"), id="empty-phone"),
    pytest.param(("adopted",), "2016-3-31", ("adopted",), id="bad-date"),
    pytest.param((*ROW0, "number"), "", (*ROW0, "number"), id="empty-number"),
    pytest.param(("department",), DELETE, (), id="missing-department"),
    pytest.param(("duties", "rows"), DELETE, ("duties",), id="part-without-rows-or-absent"),
    pytest.param(("services", "absent"), {"reason": "无"}, ("services",), id="absent-beside-rows"),
    pytest.param(("supervision",), {"absent": {}}, ("supervision", "absent"), id="absent-without-reason"),
    pytest.param(("boundaries",), {"absent": {"reason": "无", "note": "x"}}, ("boundaries", "absent"), id="absent-unknown-key"),
    pytest.param((*ROW0, "extra"), {"责任科室": "办公室"}, ROW0, id="duty-extra-beside-items"),
    pytest.param(("services", "columns"), "事项类型", ("services", "columns"), id="columns-not-a-list"),
    pytest.param(("services", "columns"), ["事项类型", "事项类型"], ("services", "columns"), id="columns-repeated"),
    pytest.param((*SECTION0, "clauses"), [], (*SECTION0, "clauses"), id="empty-section"),
]


@pytest.mark.parametrize(("path", "value", "reported_at"), REJECTED)
def test_register_rejects(path: Steps, value: Any, reported_at: Steps) -> None:
    data = mutate(load_yaml(REGISTERS / "dingan/renkou-jisheng.yaml"), path, value)
    assert error_paths("register.schema.json", data) == {reported_at}


ACCEPTED = [
    pytest.param([((*ITEM0, "remark"), "　")], id="whitespace-only-remark"),
    pytest.param([((*ITEM0, "remark"), "")], id="empty-remark"),
    pytest.param([((*SERVICE0, "phone"), " 0737-7821688 ")], id="phone-with-spaces"),
    pytest.param([((*ROW0, "text"), {"zh": "贯彻执行", "en": "Implement"})], id="bilingual-text"),
    pytest.param(
        [(("duties", "columns"), ["责任科室"]), ((*ITEM0, "extra"), {"责任科室": "政策法规股"})],
        id="extra-columns",
    ),
    pytest.param(
        [((*SECTION0, "clauses", 0, "clauses"), [
            {"id": "a", "number": "1.", "text": "甲", "clauses": [{"id": "b", "text": "乙", "clauses": [{"id": "c", "text": "丙"}]}]},
        ])],
        id="clauses-nested-three-deep",
    ),
    pytest.param(
        [(("boundaries", "rows"), []), (("supervision", "systems"), []), (("services", "rows"), [])],
        id="parts-without-rows",
    ),
    pytest.param([(("duties", "rows"), [])], id="duties-empty"),
    pytest.param(
        [(("boundaries",), {"absent": {"reason": "原文未公布本部分"}}),
         (("supervision",), {"heading": "监管制度", "absent": {"reason": "无"}}),
         (("services",), {"heading": "四、公共服务事项", "columns": ["事项类型"], "absent": {"reason": {"zh": "无", "en": "None"}}})],
        id="parts-absent",
    ),
    pytest.param([((*ROW0, "items"), DELETE), ((*ROW0, "number"), DELETE), ((*ROW0, "extra"), {"责任科室": "办公室"})],
                 id="duty-without-number-or-items"),
    pytest.param([((*MATTER0, "number"), DELETE), (("supervision", "systems", 0, "number"), DELETE),
                  ((*SECTION0, "number"), DELETE), ((*SERVICE0, "number"), DELETE)], id="unnumbered-rows"),
    pytest.param([((*SERVICE0, "content"), DELETE), ((*SERVICE0, "agency"), DELETE), ((*SERVICE0, "phone"), DELETE)],
                 id="service-name-only"),
    pytest.param([((*SERVICE0, "phone"), "详见县政务服务中心窗口公示")], id="phone-as-text"),
    pytest.param([(("duties", "heading"), DELETE), (("services", "heading"), DELETE)], id="no-headings"),
    pytest.param(
        [(("services", "columns"), ["事项类型", "办理依据"]), ((*SERVICE0, "extra"), {"事项类型": "公共服务", "办理依据": "《条例》"}),
         (("boundaries", "columns"), ["牵头部门"]), ((*MATTER0, "extra"), {"牵头部门": "县公安局"}),
         (("supervision", "columns"), ["监管主体"]), (("supervision", "systems", 0, "extra"), {"监管主体": "县卫健委"})],
        id="extra-columns-in-every-part",
    ),
    pytest.param([(("source",), {})], id="source-unknown"),
    pytest.param(
        [(("revisions",), [{"date": "2017-01-05", "document_number": "定府办〔2017〕1号", "summary": "删除第10项职责。"}])],
        id="revision",
    ),
]


@pytest.mark.parametrize("changes", ACCEPTED)
def test_register_accepts(changes: list[tuple[Steps, Any]]) -> None:
    data = load_yaml(REGISTERS / "dingan/renkou-jisheng.yaml")
    for path, value in changes:
        data = mutate(data, path, value)
    assert error_paths("register.schema.json", data) == set()


# --- the other files ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data_file", "path", "value", "reported_at"),
    [
        pytest.param("dingan/county.yaml", ("level",), "city", ("level",), id="county-level"),
        pytest.param("dingan/county.yaml", ("division_code",), "46902", ("division_code",), id="county-division-code"),
        pytest.param("dingan/county.yaml", ("area_code",), "898", ("area_code",), id="county-area-code"),
        pytest.param("dingan/county.yaml", ("departments",), [], ("departments",), id="county-no-departments"),
        pytest.param("laws.yaml", ("laws", 0, "level"), "statute", ("laws", 0, "level"), id="law-level"),
        pytest.param("laws.yaml", ("laws", 0, "effective"), "2002年9月1日", ("laws", 0, "effective"), id="law-date"),
        pytest.param("topics.yaml", ("topics", 0, "name"), ["政策", "规划"], ("topics", 0, "name"), id="topic-name-list"),
    ],
)
def test_other_files_reject(data_file: str, path: Steps, value: Any, reported_at: Steps) -> None:
    data = mutate(load_yaml(REGISTERS / data_file), path, value)
    assert error_paths(DATA_FILES[data_file], data) == {reported_at}


GLOSSARY_SAMPLE = """\
# yaml-language-server: $schema=../schemas/glossary.schema.json
terms:
  - zh: 社会抚养费
    en: social maintenance fee
    note: 官方译法。
    variants: [social compensation fee, social upbringing fee]
  - zh: 流动人口
    en: floating population
"""


def test_glossary_sample() -> None:
    """glossary.yaml does not exist yet; a sample of its intended shape validates."""
    data = yaml.load(GLOSSARY_SAMPLE, Loader=StrLoader)
    assert error_paths("glossary.schema.json", data) == set()
    assert ("terms", 1) in error_paths("glossary.schema.json", mutate(data, ("terms", 1, "en"), DELETE))
    assert ("terms", 0, "variants") in error_paths("glossary.schema.json", mutate(data, ("terms", 0, "variants"), "x"))
