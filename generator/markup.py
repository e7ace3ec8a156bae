"""Turning register text into safe page markup, and links between generated pages.

Register text is data: it is HTML-escaped (inside raw HTML) or Markdown-escaped (inside
Markdown) before anything else touches it, so `<script>`, `|`, `*`, `[x](javascript:…)`
and `{{ }}` show literally.  Links are computed here as relative URLs because MkDocs
does not rewrite links inside raw HTML blocks.
"""
from __future__ import annotations

import html
import re
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Text

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~:>])")


def esc(text: str) -> str:
    """Escape for raw HTML; blank-line paragraph breaks become <br> so no HTML block is split."""
    return html.escape(text, quote=True).replace("\n", "<br>")


def md(text: str) -> str:
    """Escape for inline Markdown (headings, list items, link texts)."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False)).replace("\n", " ")


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


UNTRANSLATED_MARK = '<em class="qd-untranslated-mark">尚无译文 / not yet translated</em>'


def text_html(text: Text, lang: str) -> str:
    """A text field for a page in `lang`; English pages fall back to marked Chinese."""
    if lang == "en":
        if text.en:
            return esc(text.en)
        return f'<span class="qd-untranslated" lang="zh-Hans">{esc(text.zh)}</span> {UNTRANSLATED_MARK}'
    return esc(text.zh)
