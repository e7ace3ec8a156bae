"""Format stage: rewrite register files into one canonical layout (`qingdan fmt`).

Legal officers edit registers by hand; if every editor wrote YAML its own way, a pull
request would mix real changes with re-quoting and re-indenting.  Every file is therefore
written one way: keys in the order the schemas list them, quotes only where YAML could
misread a value (plus values starting with a digit, as the hand-made registers do), flow
style for id lists, `|-` blocks for multi-line text, no line folding, LF, no BOM.

Comments are attached to the entry or list item they stand above (or end the line of) and
move with it.  ruamel.yaml's round-trip mode stores a comment above a key as the tail of
the previous key, so reordering keys with it would hand comments to the wrong entry;
attaching them here keeps the rule simple and checkable.  The output is verified before
anything is written: it must load to the same data with the same comments, otherwise the
file is left untouched and reported.
"""
from __future__ import annotations

import bisect
import difflib
import io
import json
import os
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import click
import yaml
from yaml.emitter import Emitter, ScalarAnalysis
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

from . import report
from .errors import finding
from .load import Document, admit, boundary_of, kind_of, load_file, load_text, yaml_files
from .validate import SCHEMA_DIR, SCHEMA_FOR_KIND, Result

INDENT = 2
EOL_GAP = "  "
DIFF_LINES = 40
"""Most diff lines shown per file by `--check`; enough to see what kind of change it is."""

STR_TAG = "tag:yaml.org,2002:str"
NUMBER_LIKE = re.compile(r"[-+]?\.?[0-9]")
"""Quoted even when YAML 1.1 would not type them (`1、`, `-.5` in YAML 1.2), as the registers do."""
YAML11_EXTRA_BOOLEANS = frozenset({"y", "Y", "n", "N"})
"""YAML 1.1 booleans PyYAML leaves as strings but other tools read as true/false."""

ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r", "\0": "\\0"}
BLOCK_HEADER_COMMENT = re.compile(r"[|>][0-9+-]*[ \t]+(#.*)$")

# --- schemas: key order and list style ---------------------------------------------

SchemaAt = tuple[str, dict[str, Any]] | None
"""A schema together with the file its relative `$ref`s resolve against; None = unknown."""


@lru_cache(maxsize=1)
def _schema_files() -> dict[str, dict[str, Any]]:
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(SCHEMA_DIR.glob("*.schema.json"))}


def _resolve(at: SchemaAt) -> SchemaAt:
    """Follow `$ref`s ("file.json#/pointer" or "#/pointer") to the schema with content."""
    for _ in range(32):
        if at is None or "$ref" not in at[1]:
            return at
        target, _, fragment = at[1]["$ref"].partition("#")
        file = target or at[0]
        schema = _schema_files()[file]
        for token in filter(None, fragment.split("/")):
            schema = schema[token.replace("~1", "/").replace("~0", "~")]
        at = (file, schema)
    return None


def _object(at: SchemaAt) -> SchemaAt:
    """The mapping branch of a schema (a text field is a string or a {zh, en} mapping)."""
    at = _resolve(at)
    if at is None or "properties" in at[1]:
        return at
    for option in at[1].get("anyOf", []) + at[1].get("oneOf", []):
        branch = _resolve((at[0], option))
        if branch is not None and (branch[1].get("type") == "object" or "properties" in branch[1]):
            return branch
    return at


def root_schema(path: Path) -> SchemaAt:
    return (SCHEMA_FOR_KIND[kind_of(path)], _schema_files()[SCHEMA_FOR_KIND[kind_of(path)]])


def key_order(data: dict[str, Any], at: SchemaAt) -> list[str]:
    """Schema keys in schema order, then keys the schema does not know in their own order."""
    at = _object(at)
    known = list(at[1].get("properties", {})) if at else []
    return [k for k in known if k in data] + [k for k in data if k not in known]


def _child(at: SchemaAt, key: str) -> SchemaAt:
    at = _object(at)
    if at is None:
        return None
    sub = at[1].get("properties", {}).get(key, at[1].get("additionalProperties"))
    return (at[0], sub) if isinstance(sub, dict) else None


def _items(at: SchemaAt) -> SchemaAt:
    at = _resolve(at)
    sub = at[1].get("items") if at else None
    return (at[0], sub) if isinstance(sub, dict) else None


def _is_word_list(at: SchemaAt) -> bool:
    """Lists of plain strings (topic ids, aliases, article numbers) fit on one line."""
    items = _resolve(_items(at))
    return items is not None and items[1].get("type") == "string"


# --- scalars ----------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _emitter() -> Emitter:
    return Emitter(io.StringIO(), allow_unicode=True)


@lru_cache(maxsize=1)
def _resolver() -> Resolver:
    return Resolver()


@lru_cache(maxsize=4096)
def _analyse(value: str) -> ScalarAnalysis:
    return _emitter().analyze_scalar(value)


def _plain_ok(value: str, flow: bool) -> bool:
    """Plain style only where every YAML reader (1.1 or 1.2) sees the same string."""
    if "\n" in value or value[0].isspace() or value[-1].isspace() or NUMBER_LIKE.match(value):
        return False
    if value in YAML11_EXTRA_BOOLEANS or _resolver().resolve(ScalarNode, value, (True, False)) != STR_TAG:
        return False
    analysis = _analyse(value)
    return analysis.allow_flow_plain if flow else analysis.allow_block_plain


def _escape_char(ch: str) -> str:
    if ch in ESCAPES:
        return ESCAPES[ch]
    code = ord(ch)
    if code < 0x20 or 0x7F <= code <= 0x9F:
        return f"\\x{code:02x}"
    if ch in "\u2028\u2029\ufeff\ufffe\uffff":
        return f"\\u{code:04x}"
    return ch


def double_quoted(value: str) -> str:
    return '"' + "".join(_escape_char(ch) for ch in value) + '"'


def scalar(value: str, *, flow: bool = False) -> str:
    """One-line rendering of a string: plain where safe, else double-quoted."""
    return value if value and _plain_ok(value, flow) else double_quoted(value)


def literal(value: str) -> tuple[str, list[str]] | None:
    """`|` block header and content lines for multi-line text, or None if a block cannot hold it exactly."""
    if value[0] in " \n" or any(ch in value for ch in "\x85\u2028\u2029") or not _analyse(value).allow_block:
        return None
    body = value.rstrip("\n")
    trailing = len(value) - len(body)
    chomp = "-" if trailing == 0 else "" if trailing == 1 else "+"
    return "|" + chomp, body.split("\n") + [""] * max(trailing - 1, 0)


# --- comments ----------------------------------------------------------------------------


@dataclass
class Comments:
    """Comments keyed by the JSON pointer of the entry or item they belong to."""

    lead: dict[str, list[str]] = field(default_factory=dict)
    """Whole-line comments above an entry; "" holds the file header."""
    eol: dict[str, list[str]] = field(default_factory=dict)
    """The comment ending the entry's line."""
    trailer: list[str] = field(default_factory=list)
    """Comments after the last entry."""

    def within(self, pointer: str) -> bool:
        prefix = pointer + "/"
        return any(k.startswith(prefix) for k in (*self.lead, *self.eol))


@dataclass
class _Marks:
    """Where the nodes of a composed document start and end, by character offset."""

    anchors: list[tuple[int, int, str]] = field(default_factory=list)
    """(start, pre-order rank, pointer) of the root, every mapping entry and list item."""
    enders: list[tuple[int, int, str]] = field(default_factory=list)
    """(end, line, pointer) of every scalar and flow collection."""
    spans: list[tuple[int, int]] = field(default_factory=list)
    """Character ranges inside scalars, where a `#` is text, not a comment."""
    blocks: list[tuple[int, str]] = field(default_factory=list)
    """(start, pointer) of block scalars, whose header line may carry a comment."""

    def walk(self, node: Node, pointer: str, start: int | None) -> None:
        if start is not None:
            self.anchors.append((start, len(self.anchors), pointer))
        if isinstance(node, ScalarNode):
            self.spans.append((node.start_mark.index, node.end_mark.index))
            if node.style in ("|", ">"):
                self.blocks.append((node.start_mark.index, pointer))
        if isinstance(node, ScalarNode) or getattr(node, "flow_style", False):
            self.enders.append((node.end_mark.index, node.end_mark.line, pointer))
        if isinstance(node, SequenceNode):
            for i, item in enumerate(node.value):
                self.walk(item, f"{pointer}/{i}", item.start_mark.index)
        elif isinstance(node, MappingNode):
            for key, value in node.value:
                child = f"{pointer}/{_escape(key.value)}"
                self.walk(key, child, key.start_mark.index)
                self.walk(value, child, None)


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def extract_comments(text: str) -> Comments:
    """Attach every comment of `text` (a document the loader accepts) to an entry."""
    comments = Comments()
    node = yaml.compose(text, Loader=yaml.BaseLoader)
    marks = _Marks()
    marks.walk(node, "", node.start_mark.index)
    anchors = sorted(marks.anchors)
    starts = [a[0] for a in anchors]
    enders = sorted(marks.enders)
    ends = [e[0] for e in enders]
    spans = sorted(marks.spans)
    span_starts = [s[0] for s in spans]

    def in_scalar(pos: int) -> bool:
        i = bisect.bisect_right(span_starts, pos) - 1
        return i >= 0 and pos < spans[i][1]

    start = 0
    for number, line in enumerate(text.split("\n")):
        line_start, start = start, start + len(line) + 1
        pos = next((line_start + i for i, ch in enumerate(line) if ch == "#" and not in_scalar(line_start + i)), None)
        if pos is None:
            continue
        comment = line[pos - line_start:].rstrip()
        if line[: pos - line_start].strip():
            i = bisect.bisect_right(ends, pos) - 1
            if i >= 0 and enders[i][1] == number:
                comments.eol.setdefault(enders[i][2], []).append(comment)
                continue
        i = bisect.bisect_right(starts, pos)
        if i < len(anchors):
            comments.lead.setdefault(anchors[i][2], []).append(comment)
        else:
            comments.trailer.append(comment)
    for start, pointer in marks.blocks:
        end = text.find("\n", start)
        match = BLOCK_HEADER_COMMENT.match(text[start: end if end >= 0 else len(text)])
        if match:
            comments.eol.setdefault(pointer, []).append(match.group(1).rstrip())
    return comments


def _move(table: dict[str, list[str]], source: str, target: str) -> None:
    if source in table:
        table.setdefault(target, []).extend(table.pop(source))


def hoist(comments: Comments, data: Any, at: SchemaAt, pointer: str = "", own_line: bool = False) -> Comments:
    """Settle comments where a mapping and its first key share a line.

    The first key of the file and of a list item (`- id: …`) starts on the line of its
    mapping: a comment above that line belongs to the mapping, one ending it to the key.
    """
    if isinstance(data, dict) and data:
        order = key_order(data, at)
        if not own_line:
            first = f"{pointer}/{_escape(order[0])}"
            _move(comments.lead, first, pointer)
            _move(comments.eol, pointer, first)
        for key in order:
            hoist(comments, data[key], _child(at, key), f"{pointer}/{_escape(key)}", own_line=True)
    elif isinstance(data, list):
        for i, item in enumerate(data):
            hoist(comments, item, _items(at), f"{pointer}/{i}", own_line=False)
    return comments


# --- layout ---------------------------------------------------------------------------


class Unsafe(Exception):
    """The canonical layout cannot hold this file exactly; it is left unchanged."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en


class _Writer:
    """Writes plain data in the canonical layout, putting each comment back by its entry."""

    def __init__(self, comments: Comments) -> None:
        self.comments = comments
        self.lines: list[str] = []

    def lead(self, pointer: str, indent: int) -> None:
        self.lines.extend(" " * indent + c for c in self.comments.lead.get(pointer, []))

    def eol(self, pointer: str) -> str:
        found = self.comments.eol.get(pointer, [])
        if len(found) > 1:
            raise Unsafe(f"{pointer} 处有多条行尾注释（{' / '.join(found)}），请把它们移到单独的行",
                         f"several end-of-line comments belong to {pointer}; put them on lines of their own")
        return EOL_GAP + found[0] if found else ""

    def document(self, data: Any, at: SchemaAt) -> str:
        if not isinstance(data, dict) or not data:
            raise Unsafe("文件内容不是“字段: 值”的映射", "the file is not a mapping of fields")
        self.lead("", 0)
        self.mapping(data, at, "", 0, dash=False)
        self.lines.extend(self.comments.trailer)
        return "\n".join(self.lines) + "\n"

    def mapping(self, data: dict[str, Any], at: SchemaAt, pointer: str, indent: int, dash: bool) -> None:
        for i, key in enumerate(key_order(data, at)):
            child = f"{pointer}/{_escape(key)}"
            if dash and i == 0:
                head = " " * (indent - INDENT) + "- "
            else:
                self.lead(child, indent)
                head = " " * indent
            self.value(head + scalar(key) + ":", data[key], _child(at, key), child, indent)

    def sequence(self, data: list[Any], at: SchemaAt, pointer: str, indent: int) -> None:
        for i, item in enumerate(data):
            child = f"{pointer}/{i}"
            self.lead(child, indent)
            if isinstance(item, dict) and item:
                self.mapping(item, _items(at), child, indent + INDENT, dash=True)
            else:
                self.value(" " * indent + "-", item, _items(at), child, indent)

    def value(self, head: str, data: Any, at: SchemaAt, pointer: str, indent: int) -> None:
        """`head` (`key:` or `-`) followed by the value, inline or as an indented block."""
        if isinstance(data, str):
            block = literal(data) if "\n" in data else None
            if block is None:
                self.lines.append(f"{head} {scalar(data)}{self.eol(pointer)}")
                return
            header, content = block
            self.lines.append(f"{head} {header}{self.eol(pointer)}")
            self.lines.extend(" " * (indent + INDENT) + line if line else "" for line in content)
        elif not data:
            self.lines.append(f"{head} {'{}' if isinstance(data, dict) else '[]'}{self.eol(pointer)}")
        elif isinstance(data, list) and self.one_line(data, at, pointer):
            self.lines.append(f"{head} [{', '.join(scalar(s, flow=True) for s in data)}]{self.eol(pointer)}")
        else:
            self.lines.append(head + self.eol(pointer))
            if isinstance(data, dict):
                self.mapping(data, at, pointer, indent + INDENT, dash=False)
            else:
                self.sequence(data, at, pointer, indent + INDENT)

    def one_line(self, data: list[Any], at: SchemaAt, pointer: str) -> bool:
        return (_is_word_list(at) and all(isinstance(s, str) and "\n" not in s for s in data)
                and not self.comments.within(pointer))


def canonical(doc: Document) -> str:
    """The canonical text of a loaded document; raises Unsafe if it would not round-trip."""
    at = root_schema(doc.path)
    comments = hoist(extract_comments(doc.text), doc.data, at)
    text = _Writer(comments).document(doc.data, at)
    again = load_text(text, doc.path)
    if not again.ok or again.data != doc.data:
        raise Unsafe("格式化后的数据与原文不一致", "the reformatted text would not load to the same data")
    if hoist(extract_comments(text), doc.data, at) != comments:
        raise Unsafe("有注释会丢失或移位", "a comment would move or be lost")
    return text


# --- command ----------------------------------------------------------------------------


@dataclass
class Outcome:
    """What formatting did (or would do) to one file."""

    path: Path
    before: str
    after: str | None
    changed: bool
    refused: Document | None = None
    unsafe: Unsafe | None = None


def format_file(path: Path) -> Outcome:
    """Load one file and work out its canonical form; nothing is written here."""
    doc = load_file(path)
    if not doc.ok:
        return Outcome(path, doc.text, None, False, refused=doc)
    try:
        after = canonical(doc)
    except Unsafe as exc:
        return Outcome(path, doc.text, None, False, unsafe=exc)
    return Outcome(path, doc.text, after, after.encode("utf-8") != path.read_bytes())


def admitted(path: Path, asked: Path) -> Outcome:
    """`format_file`, unless the file is a link leading out of the repository (or nowhere):
    formatting it would copy the target's text into the repository."""
    problem = admit(path, boundary_of(asked))
    if problem is not None:
        return Outcome(path, "", None, False, refused=Document(path, findings=[problem]))
    return format_file(path)


def _write(path: Path, text: str) -> None:
    """Replace the file in one step, so an interrupted run never leaves half a register."""
    with tempfile.NamedTemporaryFile("wb", dir=path.parent, prefix=f".{path.name}.", delete=False) as tmp:
        tmp.write(text.encode("utf-8"))
    shutil.copymode(path, tmp.name)
    os.replace(tmp.name, path)


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def short_diff(outcome: Outcome) -> list[str]:
    """A unified diff of the change, cut to DIFF_LINES lines."""
    name = _shown(outcome.path)
    lines = list(difflib.unified_diff(outcome.before.splitlines(), (outcome.after or "").splitlines(),
                                      f"{name}（当前 current）", f"{name}（格式化后 formatted）", n=1, lineterm=""))
    if not lines:
        return ["    仅换行符、BOM 或文件末尾换行不同 only line endings, BOM or the final newline differ"]
    if len(lines) > DIFF_LINES:
        hidden = len(lines) - DIFF_LINES
        lines = lines[:DIFF_LINES] + [f"… 另有 {hidden} 行 {hidden} more lines"]
    return ["    " + line for line in lines]


def _report_refused(outcomes: list[Outcome]) -> None:
    refused = [o.refused for o in outcomes if o.refused is not None]
    if refused:
        click.echo("以下文件未格式化（读取或写入错误） These files were not formatted (read or write errors):")
        findings = [f for doc in refused for f in doc.findings if f.severity == "error"]
        report.text(Result(files=[d.path for d in refused], findings=findings), sys.stdout,
                    colour=report.wants_colour(sys.stdout))
    unsafe = [finding("fmt-unsafe", o.path, 1, 1, reason=o.unsafe.zh, reason_en=o.unsafe.en)
              for o in outcomes if o.unsafe is not None]
    if unsafe:
        report.text(Result(files=[Path(f.file) for f in unsafe], findings=unsafe), sys.stdout,
                    colour=report.wants_colour(sys.stdout))


@click.command("fmt", help="把清单改写为统一格式（默认 registers/）。 Rewrite registers in the canonical layout.")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--check", "check_only", is_flag=True,
              help="只检查不改写：有文件需要格式化时列出差异并以 1 退出。"
                   " Do not write; list files that would change and exit 1.")
def command(paths: tuple[Path, ...], check_only: bool) -> None:
    if not paths and not Path("registers").is_dir():
        raise click.UsageError("当前目录下没有 registers/，请指定要格式化的文件或目录。"
                               " No registers/ folder here; name the files or folders to format.")
    outcomes = [admitted(f, p) for p in (paths or (Path("registers"),)) for f in yaml_files(p)]
    changed = [o for o in outcomes if o.changed]
    for o in changed:
        if check_only:
            click.echo(f"需要格式化 would reformat: {_shown(o.path)}")
            click.echo("\n".join(short_diff(o)))
        else:
            assert o.after is not None
            try:
                _write(o.path, o.after)
            except OSError as exc:  # a read-only checkout or a full disk: the file is left as it was
                o.refused = Document(o.path, findings=[finding("write-failed", o.path, 1, 1,
                                                                 reason=exc.strerror or str(exc))])
                o.changed = False
                continue
            click.echo(f"已格式化 reformatted: {_shown(o.path)}")
    _report_refused(outcomes)
    failed = sum(o.refused is not None or o.unsafe is not None for o in outcomes)
    same = len(outcomes) - len(changed) - failed
    if check_only:
        click.echo(f"{len(changed)} 个文件需要运行 qingdan fmt，{same} 个文件格式正确，{failed} 个文件无法格式化。"
                   f" {len(changed)} files would be reformatted, {same} already canonical, {failed} not formattable.")
    else:
        click.echo(f"格式化了 {len(changed)} 个文件，{same} 个文件无需改动，{failed} 个文件无法格式化。"
                   f" Reformatted {len(changed)} files, {same} unchanged, {failed} not formattable.")
    sys.exit(1 if failed or (check_only and changed) else 0)
