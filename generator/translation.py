"""Translation checks for the English edition: coverage and glossary consistency.

A text field is bilingual when it is a `{zh, en}` mapping.  Coverage counts which
human-language fields carry English; the glossary check keeps one rendering per term,
so that 流动人口 is “floating population” on every page and never “migrant population”.
Both read loaded documents only, so they also work on registers with other problems.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .checks import NOT_TEXT_KEYS
from .errors import Finding, finding
from .load import Document, find_root, kind_of, load_file, yaml_files
from .model import Corpus

NOT_TRANSLATED = NOT_TEXT_KEYS | {"as_written", "aliases", "names", "pinyin", "document_number"}
"""Fields that are codes, references or names kept as the source wrote them, not prose."""

Glossary = Iterable[Mapping[str, Any]]


@dataclass(frozen=True)
class TextField:
    """One human-language field: where it is, its Chinese and its English (if any)."""

    pointer: str
    zh: str
    en: str | None

    @property
    def needs_english(self) -> bool:
        """Whitespace-only cells (Ding'an's “　” remarks) have nothing to translate, nor has
        an absent part's reason 无 (the English edition prints its own “None”)."""
        return bool(self.zh.strip()) and not (self.zh == "无" and self.pointer.endswith("/absent/reason"))

    @property
    def has_english(self) -> bool:
        return bool(self.en and self.en.strip())


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _is_bilingual(value: dict[str, Any]) -> bool:
    return isinstance(value.get("zh"), str) and set(value) <= {"zh", "en"}


def _is_code(value: Any) -> bool:
    """A value under a non-text key: a string or a list of strings (ids, topics, articles)."""
    return isinstance(value, str) or (isinstance(value, list) and all(isinstance(v, str) for v in value))


def text_fields(data: Any, pointer: str = "") -> Iterator[TextField]:
    """Every human-language field in loaded register data, in document order."""
    if isinstance(data, str):
        yield TextField(pointer, data, None)
    elif isinstance(data, dict):
        if _is_bilingual(data):
            en = data.get("en")
            yield TextField(pointer, data["zh"], en if isinstance(en, str) else None)
            return
        for key, value in data.items():
            if key in NOT_TRANSLATED and _is_code(value):
                continue
            yield from text_fields(value, f"{pointer}/{_escape(key)}")
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from text_fields(value, f"{pointer}/{i}")


def coverage(data: Any) -> tuple[int, int]:
    """(fields with English, fields needing English) for one file's data."""
    needed = [f for f in text_fields(data) if f.needs_english]
    return sum(f.has_english for f in needed), len(needed)


def _label(path: Path, root: Path) -> str:
    try:
        relative = path.resolve().relative_to(root.resolve())
    except ValueError:
        relative = Path(path.name)
    return relative.with_suffix("").as_posix()


def _sources(source: Corpus | Path | Iterable[Path]) -> list[tuple[Path, Path]]:
    """(file, registers root) pairs for a corpus, a folder or file, or several paths."""
    if isinstance(source, Corpus):
        paths: list[Path] = [source.root]
    elif isinstance(source, Path):
        paths = [source]
    else:
        paths = list(source)
    out: list[tuple[Path, Path]] = []
    for path in paths:
        root = find_root(path) or (path if path.is_dir() else path.parent)
        out.extend((file, root) for file in yaml_files(path))
    return out


def coverage_report(source: Corpus | Path | Iterable[Path]) -> list[tuple[str, int, int]]:
    """(file label, translated, needed) per translatable file, e.g. ("dingan/renkou-jisheng", 812, 812).

    Labels are paths below `registers/` without `.yaml`; the glossary is skipped (it is
    the reference, not translated data) and so are files that cannot be loaded.
    """
    return document_coverage((load_file(path), root) for path, root in _sources(source))


def document_coverage(documents: Iterable[tuple[Document, Path]]) -> list[tuple[str, int, int]]:
    """coverage_report of (document, registers root) pairs already loaded, as `qingdan check` has them."""
    return [(_label(doc.path, root), *coverage(doc.data)) for doc, root in documents
            if kind_of(doc.path) != "glossary" and doc.data is not None]


def missing_findings(doc: Document) -> list[Finding]:
    """`translation-missing` for every field that needs English and has none (strict mode)."""
    if doc.data is None or kind_of(doc.path) == "glossary":
        return []
    out = []
    for field in text_fields(doc.data):
        if field.needs_english and not field.has_english:
            line, col = doc.locate(field.pointer)
            out.append(finding("translation-missing", doc.path, line, col, field.pointer, text=field.zh.strip()[:20]))
    return out


@lru_cache(maxsize=None)
def _phrase(term: str) -> re.Pattern[str]:
    """Whole-word, case-insensitive match of `term`; space and hyphen alike; last word may be plural."""
    words = [re.escape(w) for w in re.split(r"[\s\-\u2010]+", term.strip().replace("\u2019", "'")) if w]
    last = words[-1]
    if re.search(r"[^aeiou]y$", last, flags=re.I):
        words[-1] = f"{last[:-1]}(?:y|ies)"
    else:
        words[-1] = f"{last}(?:s|es)?"
    return re.compile(r"(?<!\w)" + r"[\s\-\u2010]+".join(words) + r"(?!\w)", re.I)


def _mentions(text: str, term: str) -> bool:
    return bool(_phrase(term).search(text.replace("\u2019", "'")))


def glossary_findings(doc: Document, glossary: Glossary) -> list[Finding]:
    """`glossary-inconsistent` where a bilingual field's zh uses a term its en renders otherwise.

    Reported when the English contains one of the term's `variants`, or lacks the term's
    `en` rendering; located at the field's `en` line.
    """
    if doc.data is None or kind_of(doc.path) == "glossary":
        return []
    terms = [t for t in glossary if isinstance(t.get("zh"), str) and isinstance(t.get("en"), str)]
    out = []
    for field in text_fields(doc.data):
        if not field.has_english:
            continue
        en = field.en or ""
        for term in terms:
            if term["zh"] not in field.zh:
                continue
            variant = next((v for v in term.get("variants") or [] if isinstance(v, str) and _mentions(en, v)), None)
            if variant is None and _mentions(en, term["en"]):
                continue
            pointer = f"{field.pointer}/en"
            line, col = doc.locate(pointer)
            out.append(finding("glossary-inconsistent", doc.path, line, col, pointer,
                               term=term["zh"], expected=term["en"], found=variant or ""))
    return out


def load_glossary(root: Path) -> list[dict[str, Any]]:
    """The terms of `registers/glossary.yaml`, or none when the file is missing or unreadable."""
    path = root / "glossary.yaml"
    if not path.is_file():
        return []
    data = load_file(path).data
    terms = data.get("terms") if isinstance(data, dict) else None
    return [t for t in terms if isinstance(t, dict)] if isinstance(terms, list) else []
