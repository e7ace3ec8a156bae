"""Load stage: a YAML file becomes plain data plus a position for every node.

PyYAML's defaults are wrong for hand-edited registers: YAML 1.1 implicit typing turns
`no:` into `False`, `01234567` into 342391 and `2016-03-31` into a date; duplicate keys
silently keep the last value; aliases allow exponential "billion laughs" documents and
tags can construct Python objects.  This loader only composes the node graph with a
resolver that has no implicit types (every scalar stays the string that was typed),
refuses anchors, aliases, tags and complex keys with located findings, and never
constructs anything.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.events import AliasEvent, MappingStartEvent, ScalarEvent, SequenceStartEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from .errors import Finding, finding

MAX_BYTES = 5 * 1024 * 1024
"""Largest register file accepted; real lists are ~50 KB, so 5 MB leaves room without
letting a runaway file stall the build."""

MAX_DEPTH = 64
"""Deepest nesting accepted: a real register nests about 12 levels (clauses in clauses); the
composer and every later stage recurse once per level, and Python stops at ~1,000 frames."""
MAX_ITEMS = 10_000
"""Longest list accepted: the largest real part has a few hundred rows."""
NOT_YAML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
"""Characters YAML forbids in a stream: libyaml's reader reports them without a position."""

Position = tuple[int, int]


@dataclass
class Document:
    """One loaded file: its data (dicts, lists, strings only) and where each node stands."""

    path: Path
    data: Any = None
    positions: dict[str, Position] = field(default_factory=dict)
    key_positions: dict[str, Position] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    text: str = ""

    @property
    def ok(self) -> bool:
        return self.data is not None and not any(f.severity == "error" for f in self.findings)

    def locate(self, pointer: str, *, key: bool = False) -> Position:
        """Line and column of `pointer`, falling back to the nearest located ancestor."""
        table = self.key_positions if key else self.positions
        probe = pointer
        while True:
            if probe in table:
                return table[probe]
            if probe in self.positions:
                return self.positions[probe]
            if not probe:
                return (1, 1)
            probe = probe.rsplit("/", 1)[0]


class _Rejected(Exception):
    """A construct we refuse; carries the finding so loading can stop cleanly."""

    def __init__(self, found: Finding) -> None:
        super().__init__(found.code)
        self.found = found


class _PurePythonParser(Reader, Scanner, Parser):
    """PyYAML's own reader, scanner and parser: the fallback when libyaml is missing."""

    def __init__(self, text: str) -> None:
        Reader.__init__(self, text)
        Scanner.__init__(self)
        Parser.__init__(self)


if yaml.__with_libyaml__:
    from yaml._yaml import CParser as _EventSource
else:  # pragma: no cover - every supported platform ships PyYAML wheels with libyaml
    _EventSource = _PurePythonParser  # type: ignore[assignment,misc]


class _Composer(Composer, _EventSource, BaseResolver):  # type: ignore[misc,valid-type]
    """PyYAML's composer with no implicit typing that refuses anchors, aliases and tags.

    Events come from libyaml's parser (same events and marks as PyYAML's pure-Python
    parser, five times faster); composition stays in Python so every node is still
    inspected before it is built.
    """

    def __init__(self, text: str, path: Path) -> None:
        _EventSource.__init__(self, text)
        Composer.__init__(self)
        BaseResolver.__init__(self)
        self.path = path
        self.depth = 0

    def _mark(self, mark: Any) -> tuple[int, int]:
        return (mark.line + 1, mark.column + 1)

    def compose_node(self, parent: Node | None, index: Any) -> Node:  # noqa: D401 - PyYAML hook
        event = self.peek_event()
        line, col = self._mark(event.start_mark)
        if isinstance(event, AliasEvent):
            raise _Rejected(finding("yaml-anchor-alias", self.path, line, col, name=event.anchor))
        if isinstance(event, (ScalarEvent, SequenceStartEvent, MappingStartEvent)):
            if event.anchor is not None:
                raise _Rejected(finding("yaml-anchor-alias", self.path, line, col, name=event.anchor))
            if event.tag not in (None, "!"):
                tag = event.tag.replace("tag:yaml.org,2002:", "!!")
                raise _Rejected(finding("yaml-tag", self.path, line, col, tag=tag))
        if isinstance(event, (SequenceStartEvent, MappingStartEvent)) and self.depth >= MAX_DEPTH:
            raise _Rejected(finding("nesting-too-deep", self.path, line, col, limit=MAX_DEPTH))
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _decode(raw: bytes, path: Path, findings: list[Finding]) -> str | None:
    if raw.startswith(b"\xef\xbb\xbf"):
        findings.append(finding("encoding-bom", path, 1, 1))
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        findings.append(finding("encoding-invalid", path, line, col, byte=f"0x{raw[exc.start]:02x}"))
        return None
    if "\r\n" in text:
        findings.append(finding("line-endings-crlf", path, text[: text.index("\r\n")].count("\n") + 1, 1))
        text = text.replace("\r\n", "\n")
    return text


def load_file(path: Path) -> Document:
    """Read and compose one YAML file; never raises on bad content."""
    doc = Document(path=path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            doc.findings.append(finding("file-too-large", path, 1, 1, size=size, limit=MAX_BYTES))
            return doc
        raw = path.read_bytes()
    except OSError as exc:
        doc.findings.append(finding("file-unreadable", path, 1, 1, reason=exc.strerror or str(exc)))
        return doc
    text = _decode(raw, path, doc.findings)
    if text is None:
        return doc
    doc.text = text
    return load_text(text, path, doc)


def load_text(text: str, path: Path, doc: Document | None = None) -> Document:
    """Compose `text` (already decoded) into `doc`."""
    doc = doc or Document(path=path, text=text)
    composer = _Composer(text, path)
    try:
        node = composer.get_single_node()
    except _Rejected as rejected:
        doc.findings.append(rejected.found)
        return doc
    except yaml.YAMLError as exc:
        line, col = _problem_mark(exc, text)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        code = "yaml-multiple-documents" if "single document" in str(exc) else "yaml-syntax"
        doc.findings.append(finding(code, path, line, col, problem=problem))
        return doc
    if node is None or (isinstance(node, ScalarNode) and node.value == "" and node.style is None):
        doc.findings.append(finding("file-empty", path, 1, 1))
        return doc
    doc.data = _build(node, "", doc)
    return doc


def _problem_mark(exc: Exception, text: str) -> Position:
    """Where the parser stopped (where an unclosed quote opened); libyaml's reader gives no
    mark for a forbidden character, so that one is found in the text."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if "quoted scalar" in str(getattr(exc, "context", "")) and getattr(exc, "context_mark", None):
        mark = exc.context_mark  # an unclosed quote: where it opens, not the end of the file
    if mark:
        return (mark.line + 1, mark.column + 1)
    bad = NOT_YAML.search(text)
    if bad is None:
        return (1, 1)
    return (text.count("\n", 0, bad.start()) + 1, bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1)


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _build(node: Node, pointer: str, doc: Document) -> Any:
    """Turn composed nodes into dict/list/str, recording positions and duplicate keys."""
    doc.positions[pointer] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, ScalarNode):
        return node.value
    if isinstance(node, SequenceNode):
        if len(node.value) > MAX_ITEMS:
            doc.findings.append(finding("list-too-long", doc.path, node.start_mark.line + 1, node.start_mark.column + 1,
                                        pointer or "/", count=len(node.value), limit=MAX_ITEMS))
            return []
        return [_build(child, f"{pointer}/{i}", doc) for i, child in enumerate(node.value)]
    assert isinstance(node, MappingNode)
    out: dict[str, Any] = {}
    for key_node, value_node in node.value:
        line, col = key_node.start_mark.line + 1, key_node.start_mark.column + 1
        if not isinstance(key_node, ScalarNode):
            doc.findings.append(finding("yaml-complex-key", doc.path, line, col, pointer=pointer or "/"))
            continue
        key = key_node.value
        child = f"{pointer}/{_escape(key)}"
        if key in out:
            first = doc.key_positions[child]
            doc.findings.append(
                finding("yaml-duplicate-key", doc.path, line, col, pointer=child, key=key, first_line=first[0])
            )
            continue
        doc.key_positions[child] = (line, col)
        out[key] = _build(value_node, child, doc)
    return out


SHARED_KINDS = {
    "topics.yaml": "topics",
    "laws.yaml": "laws",
    "department-types.yaml": "department-types",
    "glossary.yaml": "glossary",
}


def kind_of(path: Path) -> str:
    """Which schema a file follows, from its name and place: shared lists, county.yaml or a
    register (a register named topics.yaml in a county folder is a register, which check
    then refuses by name, not a second topic list)."""
    if path.name == "county.yaml":
        return "county"
    if path.name in SHARED_KINDS and not (path.parent / "county.yaml").exists():
        return SHARED_KINDS[path.name]
    return "register"


def find_root(path: Path) -> Path | None:
    """The `registers/` folder a path lies in (or is), if any."""
    path = path.resolve()
    for candidate in (path, *path.parents):
        if candidate.name == "registers" and candidate.is_dir():
            return candidate
    return None


YAML_SUFFIXES = (".yaml", ".yml")


def yaml_files(path: Path) -> list[Path]:
    """Every YAML file at or below `path`, in a stable order, symbolic links included as
    they are named (`admit` decides whether one may be read); `.YAML` included too, so that
    it is reported rather than skipped.  Linked folders are entered once: a link back to
    an ancestor is a loop, which `admit` reports."""
    if not path.is_dir():
        return [path] if os.path.lexists(path) else []
    found: list[Path] = []
    for folder, dirs, files in os.walk(path):
        base = Path(folder)
        for name in dirs:
            if (base / name).is_symlink():
                found.extend(_linked_folder(base / name))
        found.extend(base / name for name in files if Path(name).suffix.lower() in YAML_SUFFIXES)
    return sorted(found)


def _linked_folder(link: Path) -> list[Path]:
    try:
        target = Path(os.path.realpath(link, strict=True))
    except OSError:
        return [link]
    if target in link.resolve().parents or link.absolute().is_relative_to(target):
        return [link]
    return [p for p in yaml_files(link) if p.suffix.lower() in YAML_SUFFIXES]


def boundary_of(asked: Path) -> Path:
    """What links may lead into: the repository holding the registers folder `asked` lies
    in, or the folder asked for (a file's folder) outside any project."""
    root = find_root(asked)
    if root is not None:
        return root.parent
    return Path(os.path.realpath(asked if asked.is_dir() else asked.parent))


def admit(path: Path, boundary: Path) -> Finding | None:
    """Whether `path` may be read: a symbolic link (or a file in a linked folder) must lead
    to an existing file inside `boundary` (the repository); the target is never named in the
    finding, so a pull request cannot copy a file of the CI machine into a public log."""
    if path.suffix not in YAML_SUFFIXES and path.suffix.lower() in YAML_SUFFIXES:
        return finding("file-extension-case", path, 1, 1, suffix=path.suffix)
    try:
        target = Path(os.path.realpath(path, strict=True))
    except OSError:
        return finding("symlink-loop", path, 1, 1)
    if path.is_dir():
        return finding("symlink-loop", path, 1, 1)
    if not target.is_relative_to(boundary.resolve()):
        return finding("symlink-outside", path, 1, 1)
    return None
