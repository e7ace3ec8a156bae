"""Reference pages written by people rather than generated from registers.

The editing guide (CONTRIBUTING.md) is written for the repository, so its links point at
repository files; on the site those become the file's path as text, and the link to the
error reference becomes a link to the generated page.  The scale plan is a template whose
figures were measured with bench/.
"""
from __future__ import annotations

import html
import re
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from . import messages, paths
from .markup import has_chinese, mark_chinese

ENGLISH_SUMMARY = "\n## English summary"
"""Where CONTRIBUTING.md turns to English (the rest of the file)."""
LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")


def guide_page(source: Path, lang: str) -> str:
    """The guide's Markdown with site-safe links, in Chinese on both editions."""

    def relink(match: re.Match[str]) -> str:
        label, target = match.groups()
        if target.startswith(("http://", "https://", "mailto:", "#")):
            return match.group()
        path, _, anchor = target.partition("#")
        if path.endswith(paths.ERRORS):
            return f"[{label}]({paths.ERRORS}{'#' + anchor if anchor else ''})"
        return label if label.strip("`") == path else f"{label}（`{path}`）"

    body = LINK.sub(relink, source.read_text(encoding="utf-8"))
    title = messages.t("guide", lang)
    chinese, heading, english = body.partition(ENGLISH_SUMMARY)
    english = "`".join(part if n % 2 else mark_chinese(part) for n, part in enumerate(english.split("`")))
    if lang == "en":  # each language marked, so screen readers read each part in its own voice
        notice = f'<p class="qd-notice">{messages.t("guide_language", lang)}</p>'
        return (f'---\ntitle: "{title}"\n---\n\n{notice}\n\n<div lang="zh-Hans" markdown="1">\n\n{chinese}\n\n</div>\n'
                f'{heading}{english}')
    summary = f'<div lang="en" markdown="1">\n\n{heading.lstrip()}{english}\n\n</div>\n' if heading else ""
    return f'---\ntitle: "{title}"\n---\n\n{chinese}{summary}'


CODE = re.compile(r"(`[^`\n]+`)")
"""A Markdown code span."""


def _code_zh(span: str) -> str:
    """A code span holding Chinese (`<县>/services/`), as HTML marked lang="zh-Hans"."""
    return f'<code lang="zh-Hans">{html.escape(span[1:-1])}</code>' if has_chinese(span) else span


ITALIC = re.compile(r"(?<![*\w])\*(?=[^\s*]|\*\*)((?:[^*]|\*\*[^*]+\*\*)+?)(?<=[^\s])\*(?![*\w])")
"""A Markdown *italic* run (bold runs inside it allowed): the scale page's English sentences."""


def scale_page(lang: str) -> str:
    """The plan for every county (templates/site/scale.md.j2), figures measured with bench/.

    The page is written in both languages, each sentence beside its translation; each
    edition marks the other language's text (Chinese words and sentences on the English
    page, the English sentences in italics on the Chinese page) so screen readers switch voice."""
    env = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates" / "site"),
                      undefined=StrictUndefined, keep_trailing_newline=True)
    _, front, body = env.get_template("scale.md.j2").render(lang=lang).split("---\n", 2)
    if lang == "en":
        body = "".join(_code_zh(part) if n % 2 else mark_chinese(part) for n, part in enumerate(CODE.split(body)))
    else:
        body = ITALIC.sub(lambda m: m.group() if has_chinese(m.group(1)) else f'<em lang="en">{m.group(1)}</em>', body)
    return f"---\n{front}---\n{body}"
