"""MkDocs hook for `qingdan serve`: regenerate docs/ from the registers before each rebuild.

Only active when QINGDAN_REGENERATE is set (by `qingdan serve`), so `mkdocs build` in the
pipeline never writes into docs/ itself.  The first rebuild generates everything; later
ones redo only the edited registers (generator/incremental.py).  Invalid registers keep
the previous pages and print the findings instead.  After each rebuild the served site is
indexed for search in the background (`qingdan build` does that itself, after MkDocs): the
dev server answers no request while a rebuild runs, and indexing takes seconds.
"""
from __future__ import annotations

import os
import sys
import threading
from pathlib import Path
from typing import Any

from generator import build, incremental, search


def on_pre_build(config: Any, **_: Any) -> None:
    if not os.environ.get("QINGDAN_REGENERATE"):
        return
    try:
        update = incremental.refresh(Path(config["config_file_path"]).parent)
        if update.written or update.removed:
            print(update.summary(), file=sys.stderr)
    except build.BuildError as exc:
        print(exc, file=sys.stderr)


_INDEXING = threading.Lock()  # one indexing of the preview at a time


def _index(site: Path) -> None:
    with _INDEXING:
        try:
            search.index_site(site)
        except search.SearchIndexError as exc:
            print(exc, file=sys.stderr)


def on_post_build(config: Any, **_: Any) -> None:
    if os.environ.get("QINGDAN_REGENERATE"):
        threading.Thread(target=_index, args=(Path(config["site_dir"]),), daemon=True).start()
