"""The one catalogue of interface strings (generator/data/messages.yaml), zh and en.

Site templates, the print template, the open-data and comparison pages all take their
labels from here, so a wording is changed (or translated) in one place.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    return yaml.safe_load((Path(__file__).parent / "data" / "messages.yaml").read_text(encoding="utf-8"))


def pair(key: str) -> tuple[str, str]:
    entry = catalogue()[key]
    return entry["zh"], entry["en"]


def t(key: str, lang: str) -> str:
    """The label `key` in `lang` ("zh" or "en")."""
    zh, en = pair(key)
    return en if lang == "en" else zh
