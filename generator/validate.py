"""Validate stage: JSON Schema first, then the semantic checks, across all files at once.

Everything is collected; nothing stops at the first problem.  Files outside the paths
asked for are still loaded (a register needs its county's department list and the
shared topic and law lists) but only the asked-for files are reported.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource

from . import checks, translation
from .errors import Finding, finding
from .load import Document, find_root, kind_of, load_file, yaml_files

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
"""generator/schemas links to the top-level schemas/, so an installed package carries them."""

SCHEMA_FOR_KIND = {
    "register": "register.schema.json",
    "county": "county.schema.json",
    "topics": "topics.schema.json",
    "laws": "laws.schema.json",
    "department-types": "department-types.schema.json",
    "glossary": "glossary.schema.json",
}

TYPE_ZH = {"string": "文字", "array": "列表", "object": "字段映射（key: value）"}
TYPE_EN = {"string": "text", "array": "a list", "object": "a mapping (key: value)"}
PATTERN_HINTS = {
    "^[a-z0-9]+(?:-[a-z0-9]+)*$": ("只能用小写字母、数字和连字符，如 duty-01", "lower-case letters, digits and hyphens only, e.g. duty-01"),
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}$": ("日期应写成 YYYY-MM-DD，如 2016-03-31", "a date written YYYY-MM-DD, e.g. 2016-03-31"),
    "^[1-9][0-9]*$": ("条号只写阿拉伯数字，如 39", "an article number in digits, e.g. 39"),
    "^0[1-9][0-9]{1,2}$": ("长途区号以 0 开头，如 0898", "a trunk area code starting with 0, e.g. 0898"),
    "^[1-9][0-9]{5}$": ("行政区划代码为 6 位数字，如 469021", "a six-digit administrative division code, e.g. 469021"),
    r"^https?://\S+$": ("网址应以 http:// 或 https:// 开头", "a URL starting with http:// or https://"),
}


@dataclass
class Result:
    """All findings of one check run, with the documents that produced them."""

    files: list[Path]
    findings: list[Finding] = field(default_factory=list)
    documents: dict[Path, Document] = field(default_factory=dict)
    coverage: list[tuple[str, int, int]] = field(default_factory=list)
    """Translation coverage per file: (label, fields with English, fields needing it)."""

    @property
    def errors(self) -> int:
        return sum(f.severity == "error" for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.severity == "warning" for f in self.findings)

    def exit_code(self, strict: bool = False) -> int:
        return 1 if self.errors or (strict and self.warnings) else 0


@lru_cache(maxsize=1)
def _registry() -> Registry:
    resources = []
    for path in sorted(SCHEMA_DIR.glob("*.schema.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources.append((path.as_uri(), Resource.from_contents(contents)))
    return Registry().with_resources(resources)


@lru_cache(maxsize=None)
def validator_for(kind: str) -> Draft202012Validator:
    """A validator whose relative `$ref`s resolve against the schema files themselves."""
    uri = (SCHEMA_DIR / SCHEMA_FOR_KIND[kind]).as_uri()
    return Draft202012Validator({"$ref": uri}, registry=_registry())


def _pointer(path: Any) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


def _is_text_schema(schema: dict[str, Any]) -> bool:
    options = schema.get("oneOf") or schema.get("anyOf") or []
    return any(isinstance(o, dict) and "zh" in o.get("properties", {}) for o in options)


def schema_findings(doc: Document, kind: str) -> list[Finding]:
    """Map jsonschema errors to catalogue codes with positions."""
    out: list[Finding] = []
    for error in sorted(validator_for(kind).iter_errors(doc.data), key=lambda e: list(map(str, e.absolute_path))):
        out.extend(_map_error(doc, error))
    return out


def _shown(value: Any) -> Any:
    """A value quoted in a message, its invisible characters written as escapes (a terminal
    or CI log would act on them)."""
    return value.encode("unicode_escape").decode("ascii") if isinstance(value, str) and not value.isprintable() else value


def _map_error(doc: Document, error: ValidationError) -> list[Finding]:
    pointer = _pointer(error.absolute_path)
    line, col = doc.locate(pointer)
    keyword = error.validator
    if keyword == "additionalProperties" and isinstance(error.instance, dict):
        allowed = list(error.schema.get("properties", {}))
        extras = [k for k in error.instance if k not in allowed]
        found = []
        for extra in extras:
            child = f"{pointer}/{extra}"
            kl, kc = doc.locate(child, key=True)
            found.append(finding("schema-unknown-field", doc.path, kl, kc, child, field=extra, allowed="、".join(allowed)))
        return found
    if keyword == "required":
        match = re.match(r"'(.+)' is a required property", error.message)
        name = match.group(1) if match else str(error.validator_value)
        return [finding("schema-required", doc.path, line, col, pointer, field=name)]
    if keyword == "not" and isinstance(error.instance, dict) and error.validator_value.get("required"):
        # dependentSchemas {field: {not: {required: [other]}}}: two fields that exclude each other
        field_name = str(list(error.relative_schema_path)[-2])
        other = error.validator_value["required"][0]
        kl, kc = doc.locate(f"{pointer}/{other}", key=True)
        return [finding("schema-exclusive", doc.path, kl, kc, f"{pointer}/{other}", field=field_name, other=other)]
    if _is_text_schema(error.schema):
        code = "schema-empty" if isinstance(error.instance, str) else "schema-text"
        return [finding(code, doc.path, line, col, pointer)]
    if keyword == "type":
        expected = error.validator_value if isinstance(error.validator_value, str) else error.validator_value[0]
        return [finding("schema-type", doc.path, line, col, pointer,
                        expected=TYPE_ZH.get(expected, expected), expected_en=TYPE_EN.get(expected, expected))]
    if keyword == "pattern":
        pattern = error.validator_value
        what, what_en = PATTERN_HINTS.get(pattern, (f"应匹配 {pattern}", f"must match {pattern}"))
        return [finding("schema-pattern", doc.path, line, col, pointer, value=_shown(error.instance), what=what,
                        what_en=what_en)]
    if keyword in ("enum", "const"):
        allowed = error.validator_value if keyword == "enum" else [error.validator_value]
        return [finding("schema-enum", doc.path, line, col, pointer, value=_shown(error.instance),
                        allowed=", ".join(allowed))]
    if keyword in ("minLength", "minItems", "minProperties"):
        return [finding("schema-empty", doc.path, line, col, pointer)]
    return [finding("schema-invalid", doc.path, line, col, pointer, detail=error.message)]


def check(paths: list[Path], *, strict_translation: bool = False,
          loaded: dict[Path, Document] | None = None) -> Result:
    """Load and validate `paths` (files or folders) with everything they refer to.

    `strict_translation` also reports every text field that has no English yet.  `loaded`
    holds documents already loaded and checked, by resolved path, for unchanged files
    that are only context here (the incremental build).
    """
    loaded = loaded or {}
    requested: list[Path] = []
    for path in paths:
        requested.extend(p.resolve() for p in yaml_files(path))
    context: set[Path] = set(requested)
    for root in {find_root(p) for p in requested} - {None}:
        assert root is not None
        context.update(yaml_files(root))  # root is resolved: so are its files, symbolic links aside
    result = Result(files=requested)
    wanted_paths = set(requested)
    for path in sorted(context):
        if path in loaded and path not in wanted_paths:
            result.documents[path] = loaded[path]
            continue
        doc = load_file(path)
        result.documents[path] = doc
        if doc.data is not None:
            doc.findings.extend(schema_findings(doc, kind_of(path)))
    result.findings.extend(checks.run(result.documents, wanted_paths))
    from . import adjust  # adjust reads the validators and the diff flattening: import late

    for path in requested:
        doc = result.documents[path]
        if kind_of(path) == "register" and doc.ok and not any(f.severity == "error" for f in doc.findings):
            result.findings.extend(adjust.check(doc))
    roots = {find_root(p) for p in requested} - {None}
    glossary = [term for root in roots if root for term in translation.load_glossary(root)]
    for path in requested:
        doc = result.documents[path]
        if doc.ok and kind_of(path) in ("register", "county", "laws", "topics", "department-types"):
            result.findings.extend(translation.glossary_findings(doc, glossary))
            if strict_translation:
                result.findings.extend(translation.missing_findings(doc))
    result.coverage = translation.document_coverage(
        (result.documents[p], find_root(p) or p.parent) for p in requested if result.documents[p].ok)
    wanted = set(map(str, requested))
    for path in requested:
        result.findings.extend(result.documents[path].findings)
    errors_at = {(f.file, f.pointer) for f in result.findings if f.severity == "error"}
    schema_at = {(f.file, f.pointer) for f in result.findings if f.code.startswith("schema-")}
    result.findings = sorted(
        {f for f in result.findings
         if f.file in wanted and (f.severity == "error" or (f.file, f.pointer) not in errors_at)
         and not (f.code == "control-character" and (f.file, f.pointer) in schema_at)},  # one error per field
        key=lambda f: (f.file, f.line, f.col, f.code, f.pointer),
    )
    return result
