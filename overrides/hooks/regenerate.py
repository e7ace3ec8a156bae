"""MkDocs hook for `qingdan serve`: regenerate docs/ from the registers before each rebuild.

Only active when QINGDAN_REGENERATE is set (by `qingdan serve`), so `mkdocs build` in the
pipeline never writes into docs/ itself.  Invalid registers keep the previous pages and
print the findings instead.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from generator import build


def on_pre_build(config: Any, **_: Any) -> None:
    if not os.environ.get("QINGDAN_REGENERATE"):
        return
    try:
        build.generate(Path(config["config_file_path"]).parent, parallel=False)
    except build.BuildError as exc:
        print(exc, file=sys.stderr)
