"""`qingdan build --no-pdf` keeps the PDFs the previous site holds, and no page links a PDF
the new site lacks.

A build writes a fresh site and swaps it in, so without this step `--no-pdf` dropped every
PDF while the register pages still linked them.  The PDFs found in the previous `site/` are
the ones the new pages and the data catalogue name (`opendata.pdf_langs(r, built)`); a
register without one says “not built yet”.  A kept PDF is the one the last printing build
wrote: `--no-pdf` is for previews, the publishing workflow always prints.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

from . import paths
from .model import Corpus
from .pdf import LANGS, editions


def existing(site: Path) -> frozenset[str]:
    """Every PDF in a built site, as a path inside it (what `--no-pdf` can keep)."""
    downloads = site / "downloads"
    if not downloads.is_dir():
        return frozenset()
    return frozenset(p.relative_to(site).as_posix() for p in downloads.rglob("*.pdf"))


def carry_over(corpus: Corpus, old_site: Path, new_site: Path, kept: frozenset[str]) -> list[str]:
    """Copy into `new_site` the PDFs of `kept` that a register of `corpus` still prints."""
    carried = []
    for register, lang in editions(corpus, LANGS):
        name = paths.pdf(register, lang)
        if name in kept:
            target = new_site / name
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(old_site / name, target)  # the old site is deleted after the swap: no copy needed
            except OSError:
                shutil.copyfile(old_site / name, target)
            carried.append(name)
    return carried
