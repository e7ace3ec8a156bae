"""Turning register text into safe page markup, and links between generated pages.

Register text is data: it is HTML-escaped (inside raw HTML) or Markdown-escaped (inside
Markdown) before anything else touches it, so `<script>`, `|`, `*`, `[x](javascript:…)`
and `{{ }}` show literally.  Links are computed here as relative URLs because MkDocs
does not rewrite links inside raw HTML blocks.
"""
from __future__ import annotations

import html
import json
import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .checks import from_chinese

if TYPE_CHECKING:
    from .model import Text

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>])")
"""What Python-Markdown (with tables) unescapes; a backslash before anything else stays visible."""
_GFM_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~:])")
"""GitHub's Markdown also strikes through ~~ and links anything like http://."""


def esc(text: str) -> str:
    """Escape for raw HTML; blank-line paragraph breaks become <br> so no HTML block is split."""
    return html.escape(text, quote=True).replace("\n", "<br>")


def md(text: str, *, github: bool = False) -> str:
    """Escape for inline Markdown (headings, list items, link texts) on the site, or in a
    GitHub comment (the change summary of a pull request)."""
    special = _GFM_SPECIAL if github else _MD_SPECIAL
    return special.sub(r"\\\1", html.escape(text, quote=False)).replace("\n", " ")


_YAML_RAW = re.compile(r"[\x7f-\x9f\u2028\u2029\ufffe\uffff]")


def yaml_string(value: str) -> str:
    """A double-quoted front-matter scalar.  JSON's quoting is YAML's, except for characters
    YAML refuses raw (MkDocs would then drop the front matter and render it as Markdown)."""
    return _YAML_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(value, ensure_ascii=False))


def url(page: str) -> str:
    """The directory URL MkDocs gives a docs path (use_directory_urls): a/b.md → a/b/."""
    if page.endswith("index.md"):
        return page[: -len("index.md")]
    return page[: -len(".md")] + "/"


def href(from_page: str, to_page: str, anchor: str = "") -> str:
    """Relative link from one generated page to another (and an optional row anchor)."""
    return _relative(url(from_page), url(to_page)) + (f"#{anchor}" if anchor else "")


@lru_cache(maxsize=1 << 16)
def _relative(from_url: str, to_url: str) -> str:
    """posixpath.relpath for the clean directory URLs pages have ("a/b/" or ""), without
    its normalising and cwd look-ups: every page draws hundreds of links."""
    source, target = from_url.split("/")[:-1], to_url.split("/")[:-1]
    common = 0
    for a, b in zip(source, target):
        if a != b:
            break
        common += 1
    rel = "/".join([".."] * (len(source) - common) + target[common:])
    return rel + "/" if rel else "./"


_NUMBER = re.compile(r"^\s*([（(])?\s*([0-9]+|[零一二三四五六七八九十百]+)\s*([）)])?\s*([、.．]?)\s*$")


def number_en(value: str) -> str:
    """A row number as the English edition prints it: （一） and （1） → (1), 一、 and 1、 → 1.;
    anything else stays as written."""
    match = _NUMBER.match(value)
    if not match or bool(match.group(1)) != bool(match.group(3)):
        return value
    n = from_chinese(match.group(2))
    if match.group(1):
        return f"({n})"
    return f"{n}." if match.group(4) else str(n)


WORD_CHAR = re.compile(r"[\u4E00-\u9FD5a-zA-Z0-9+#&._%\-]")
"""The characters jieba segments (its `re_han_default`); anything else ends a word."""
LEVEL_CHARS = frozenset("县市区旗")
"""A county's aliases start with its level (县公安局); place words end with it (会同县, 和县, 全县)."""


@lru_cache(maxsize=1)
def _jieba() -> Any:
    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()
    return jieba


@lru_cache(maxsize=1 << 16)
def _word_ends(fragment: str) -> frozenset[int]:
    """Offsets where jieba's dictionary segmentation of `fragment` puts a word boundary.
    Without the HMM: it guesses unknown two-character words from character statistics (受县,
    报县, 局在), gluing a name's edge to its neighbour with no evidence from the dictionary."""
    ends, at = {0}, 0
    for word in _jieba().cut(fragment, HMM=False):
        at += len(word)
        ends.add(at)
    return frozenset(ends)


def whole_word(text: str, start: int, end: int) -> bool:
    """Whether the name found at text[start:end] is a whole word there, not part of a longer one.

    An edge between two word characters must be a word boundary in jieba's segmentation:
    the end, in the clause segmented from the name's start (县政府办理 → 县政府|办理: the
    alias 县政府办 would take 办 from 办理); the start, in the clause segmented up to the name's
    end — except that a word ending in the name's first character, when that is the level
    character 县/市/区/旗, is a place or determiner sharing it (会同县|财政局, 和县|民政局, 全县):
    the 县 means this county either way.  Latin names follow the same rule (jieba keeps
    letter runs whole), so "AB" is not found in "ABC"."""
    if end < len(text) and WORD_CHAR.match(text[end]) and WORD_CHAR.match(text[end - 1]):
        stop = end
        while stop < len(text) and WORD_CHAR.match(text[stop]):
            stop += 1
        if end - start not in _word_ends(text[start:stop]):
            return False
    if start > 0 and WORD_CHAR.match(text[start - 1]) and WORD_CHAR.match(text[start]):
        first = start
        while first > 0 and WORD_CHAR.match(text[first - 1]):
            first -= 1
        ends = _word_ends(text[first:end])
        if start - first not in ends and not (text[start] in LEVEL_CHARS and start + 1 - first in ends):
            return False
    return True


_CHINESE_RUN = re.compile(r"[\u3000-\u303f\uff01-\uff5e]*[\u3400-\u9fff][\u3400-\u9fff\u3000-\u303f\uff01-\uff5e]*")


def has_chinese(text: str) -> bool:
    """Whether `text` holds a Chinese character (then an English page marks it)."""
    return _CHINESE_RUN.search(text) is not None


def mark_chinese(text: str) -> str:
    """Chinese words quoted inside English text (escaped, or Markdown without code spans)
    wrapped in lang="zh-Hans", so a screen reader reads them in a Chinese voice."""
    return _CHINESE_RUN.sub(lambda m: f'<span lang="zh-Hans">{m.group()}</span>', text)


UNTRANSLATED_MARK = '<em class="qd-untranslated-mark"><span lang="zh-Hans">尚无译文</span> / not yet translated</em>'


def zh_span(value: str, lang: str) -> str:
    """Text kept in Chinese whatever the page (a document number, a name as written),
    escaped; English pages mark it lang="zh-Hans" so a screen reader switches voice."""
    return f'<span lang="zh-Hans">{esc(value)}</span>' if lang == "en" and value else esc(value)


def written(value: str, lang: str) -> str:
    """Free text printed as written whatever the page (a phone note, a commit subject), in
    any language: escaped, and on English pages each run of Chinese in it marked."""
    return mark_chinese(esc(value)) if lang == "en" else esc(value)


def text_html(text: Text, lang: str) -> str:
    """A text field for a page in `lang`; English pages fall back to marked Chinese."""
    if lang == "en":
        if text.en:
            return esc(text.en)
        return f'<span class="qd-untranslated" lang="zh-Hans">{esc(text.zh)}</span> {UNTRANSLATED_MARK}'
    return esc(text.zh)
