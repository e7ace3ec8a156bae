"""The editing guide (CONTRIBUTING.md) published as a site page.

The guide is written for the repository, so its links point at repository files; on the
site those become the file's path as text, and the link to the error reference becomes
a link to the generated page.
"""
from __future__ import annotations

import re
from pathlib import Path

from . import messages, paths

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
    notice = f'<p class="qd-notice">{messages.t("guide_language", lang)}</p>\n\n' if lang == "en" else ""
    title = messages.t("guide", lang)
    return f'---\ntitle: "{title}"\n---\n\n{notice}{body}'
