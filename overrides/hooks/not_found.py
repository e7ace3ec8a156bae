"""MkDocs hook: one 404 page per edition.

mkdocs-static-i18n builds the Chinese site, then the English one into the same site
folder, and both write `404.html` at its root: the English copy won, with a Chinese page
language.  After the Chinese build this hook keeps its 404 page; after the English build
it moves the English one to `en/404.html` and puts the Chinese one back.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

_kept: dict[str, bytes] = {}


def on_post_build(config: Any) -> None:
    page = Path(config["site_dir"]) / "404.html"
    language = config["theme"]["language"]
    if not page.exists():
        return
    if language == "zh":
        _kept["zh"] = page.read_bytes()
    elif "zh" in _kept:
        target = page.parent / language / "404.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        page.replace(target)
        page.write_bytes(_kept.pop("zh"))
