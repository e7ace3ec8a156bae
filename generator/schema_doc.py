"""Schema reference page: the published JSON Schemas explained field by field, in zh or en.

The schema files are the one definition of the register format, so the reference is
generated from them and cannot drift.  Their titles and descriptions are written
"中文 English" in one string; `split_bilingual` finds where the English starts.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

from . import paths
from . import messages
from .markup import esc, has_chinese, mark_chinese, md, written
from .opendata import download_href, schema_path, schema_sources

ORDER = ("register", "duties", "boundaries", "supervision", "services", "county", "laws", "topics",
         "department-types", "glossary", "common", "export")
"""Reading order: the register and its parts first, shared lists next, building blocks last."""

_BREAK = re.compile(r"(?<=[^\x00-\x7f])\s+(?=[A-Za-z\"'`(\[<])")
_ZH_PUNCTUATION = re.compile(r"[。，；：、（）“”！？]")



def split_bilingual(value: str) -> tuple[str, str]:
    """'中文 English' → (中文, English); a string without an English part is used for both.

    The English part starts at the first space after a non-ASCII character from which on no
    Chinese punctuation follows, so ids and file names inside the Chinese part do not cut it.
    """
    for found in _BREAK.finditer(value):
        rest = value[found.end():]
        if not _ZH_PUNCTUATION.search(rest):
            return value[: found.start()], rest
    return value, value


def _pick(value: str | None, lang: str) -> str:
    if not value:
        return ""
    zh, en = split_bilingual(value)
    return en if lang == "en" else zh


def _label(key: str, lang: str) -> str:
    return messages.t(f"schema.{key}", lang)


def ordered_names(names: list[str]) -> list[str]:
    rank = {f"{stem}.schema.json": i for i, stem in enumerate(ORDER)}
    return sorted(names, key=lambda n: (rank.get(n, len(ORDER)), n))


def anchor(name: str, pointer: str = "") -> str:
    """The page anchor of a schema file or of a node inside it (by JSON pointer)."""
    return re.sub(r"[^a-z0-9]+", "-", (name.removesuffix(".schema.json") + pointer).lower()).strip("-")


def _resolve(ref: str, here: str) -> tuple[str, str]:
    """A `$ref` as (schema file, JSON pointer)."""
    file, _, pointer = ref.partition("#")
    return (file or here), pointer


def _node(schemas: Mapping[str, Any], name: str, pointer: str) -> Any:
    node = schemas.get(name)
    for step in [s for s in pointer.split("/") if s]:
        node = node.get(step) if isinstance(node, dict) else None
    return node


def sections(name: str, schema: Mapping[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(pointer, label, node) of every part the page explains: each definition and each object."""
    def visit(node: Any, pointer: str, label: str, is_def: bool = False) -> Iterator[tuple[str, str, dict[str, Any]]]:
        if not isinstance(node, dict):
            return
        if is_def or "properties" in node:
            yield pointer, label, node
        for key, child in node.get("properties", {}).items():
            yield from visit(child, f"{pointer}/properties/{key}", f"{label}.{key}" if label else key)
        if isinstance(node.get("items"), dict):
            yield from visit(node["items"], f"{pointer}/items", f"{label}[]")
        if isinstance(node.get("additionalProperties"), dict):
            yield from visit(node["additionalProperties"], f"{pointer}/additionalProperties", f"{label}.*")
        for i, option in enumerate(node.get("anyOf", [])):
            yield from visit(option, f"{pointer}/anyOf/{i}", label)

    yield from visit(dict(schema), "", "")
    for key, child in schema.get("$defs", {}).items():
        yield from visit(child, f"/$defs/{key}", key, is_def=True)


class _Page:
    """One language's reference page; knows every anchor so type links only point at real ones."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.schemas = schema_sources()
        self.anchors = {(name, pointer) for name, schema in self.schemas.items()
                        for pointer, _, _ in sections(name, schema)} | {(name, "") for name in self.schemas}

    def label(self, key: str) -> str:
        return _label(key, self.lang)

    def text(self, value: str | None) -> str:
        """A title or description in this page's language, escaped; English ones quote
        Chinese terms (责任清单), marked so a screen reader reads them in Chinese."""
        return written(_pick(value, self.lang), self.lang)

    def heading(self, value: str | None) -> str:
        text = md(_pick(value, self.lang))
        return mark_chinese(text) if self.lang == "en" else text

    def code(self, value: str) -> str:
        """A literal (pattern, allowed value, example); one holding Chinese is marked as such."""
        lang = ' lang="zh-Hans"' if self.lang == "en" and has_chinese(value) else ""
        return f"<code{lang}>{esc(value)}</code>"

    def link(self, name: str, pointer: str) -> str:
        target = _node(self.schemas, name, pointer)
        title = self.text(target.get("title")) if isinstance(target, dict) else ""
        text = title or esc(f"{name}#{pointer}")
        return f'<a href="#{anchor(name, pointer)}">{text}</a>' if (name, pointer) in self.anchors else text

    def type_html(self, node: Any, name: str, pointer: str) -> str:
        """What a field holds, linking definitions and nested objects."""
        if not isinstance(node, dict):
            return ""
        if "$ref" in node:
            return self.link(*_resolve(node["$ref"], name))
        if "anyOf" in node:
            return " / ".join(self.type_html(option, name, f"{pointer}/anyOf/{i}")
                              for i, option in enumerate(node["anyOf"]))
        kind = node.get("type")
        if kind == "array":
            inner = self.type_html(node.get("items"), name, f"{pointer}/items") or self.label("string")
            return esc(self.label("list_of")).replace("{}", inner)
        if kind == "object" and "properties" in node:
            return f'<a href="#{anchor(name, pointer)}">{self.label("object")}</a>'
        if kind == "object" and isinstance(node.get("additionalProperties"), dict):
            inner = self.type_html(node["additionalProperties"], name, f"{pointer}/additionalProperties")
            return esc(self.label("map_of")).replace("{}", inner)
        return esc(self.label(kind)) if kind in ("string", "object", "array") else esc(str(kind or ""))

    def constraints(self, node: dict[str, Any]) -> str:
        parts = []
        if "pattern" in node:
            parts.append(f'{self.label("pattern")} {self.code(node["pattern"])}')
        if "enum" in node:
            parts.append(f'{self.label("enum")} ' + ", ".join(self.code(str(v)) for v in node["enum"]))
        if "const" in node:
            parts.append(f'{self.label("const")} {self.code(json.dumps(node["const"], ensure_ascii=False))}')
        if "minItems" in node:
            parts.append(esc(self.label("min_items").format(node["minItems"])))
        if "minLength" in node:
            parts.append(esc(self.label("min_length").format(node["minLength"])))
        if node.get("uniqueItems"):
            parts.append(self.label("unique"))
        if node.get("propertyNames"):
            parts.append(self.label("key_length"))
        return "<br>".join(parts)

    def examples(self, node: dict[str, Any]) -> str:
        return "<br>".join(self.code(json.dumps(x, ensure_ascii=False)) for x in node.get("examples", []))

    def required(self, node: dict[str, Any], key: str) -> str:
        """The 必填 cell: yes, or yes unless its alternative is given (`if` that field,
        `else` required: a part's rows or `absent`)."""
        if key in node.get("required", []):
            return self.label("yes")
        alternative = node.get("if", {}).get("required", [])
        if key in node.get("else", {}).get("required", []) and alternative:
            return esc(self.label("unless").replace("{}", alternative[0]))
        return ""

    def exclusions(self, node: dict[str, Any]) -> list[str]:
        """`dependentSchemas` {a: {not: {required: [b]}}}: fields that exclude each other."""
        out = []
        for key, rule in node.get("dependentSchemas", {}).items():
            for other in rule.get("not", {}).get("required", []):
                sentence = esc(self.label("excludes")).replace("{}", f"<code>{esc(key)}</code>", 1)
                out.append(f'<p class="qd-schema-closed">{sentence.replace("{}", f"<code>{esc(other)}</code>", 1)}</p>')
        return out

    def field_rows(self, name: str, pointer: str, node: dict[str, Any]) -> list[str]:
        return [
            f"<tr><td>{self.code(key)}</td><td>{self.text(prop.get('title'))}</td>"
            f"<td>{self.type_html(prop, name, f'{pointer}/properties/{key}')}</td>"
            f"<td>{self.required(node, key)}</td>"
            f"<td>{self.text(prop.get('description'))}</td>"
            f"<td>{self.constraints(prop)}</td><td>{self.examples(prop)}</td></tr>"
            for key, prop in node["properties"].items()
        ]

    def table(self, name: str, pointer: str, node: dict[str, Any]) -> str:
        if "properties" in node:
            keys = ("field", "name", "type", "required", "meaning", "format", "examples")
            rows = self.field_rows(name, pointer, node)
        else:
            keys = ("type", "format", "examples")
            rows = [f"<tr><td>{self.type_html(node, name, pointer)}</td><td>{self.constraints(node)}</td>"
                    f"<td>{self.examples(node)}</td></tr>"]
        head = "".join(f"<th>{self.label(k)}</th>" for k in keys)
        closed = ([f'<p class="qd-schema-closed">{self.label("closed")}</p>']
                  if "properties" in node and node.get("additionalProperties") is False else []) + self.exclusions(node)
        return "\n".join(['<div class="qd-table-wrap">', '<table class="qd-table qd-schema-table">',
                          f"<thead><tr>{head}</tr></thead>", "<tbody>", *rows, "</tbody>", "</table>", *closed,
                          "</div>"])

    def schema(self, name: str) -> list[str]:
        schema = self.schemas[name]
        href = download_href(paths.SCHEMA_REFERENCE, schema_path(name), self.lang)
        out = [f"## {self.heading(schema.get('title'))} `{name}` {{: #{anchor(name)} }}", "",
               f"<p>{self.text(schema.get('description'))}</p>",
               f'<p class="qd-schema-download"><a href="{esc(href)}" type="application/schema+json">'
               f'{self.label("download")} {esc(name)}</a></p>', ""]
        for pointer, label, node in sections(name, schema):
            if pointer:
                out += [f"### `{label}` {self.heading(node.get('title'))} {{: #{anchor(name, pointer)} }}", "",
                        f"<p>{self.text(node.get('description'))}</p>", ""]
            out += [self.table(name, pointer, node), ""]
        return out

    def render(self) -> str:
        out = [f"# {self.label('title')}", "", f"<p>{esc(self.label('intro'))}</p>", ""]
        for name in ordered_names(list(self.schemas)):
            out += self.schema(name)
        return "\n".join(out)


def schema_reference_page(lang: str) -> str:
    """The reference page (paths.SCHEMA_REFERENCE) in `lang`: one section per schema file."""
    return _Page(lang).render()
