"""MkDocs hook: extra search tokens so sub-words and pinyin find Chinese rows.

Material segments Chinese with jieba's precise cut and matches only word prefixes, so
处罚 misses 行政处罚 and 生育 misses 计划生育.  After the search plugin has written its
index, this adds to every entry the finer `jieba.cut_for_search` words plus toneless
pinyin and initials (liudongrenkou, liudong, ldrk) in the entry's `tags` field: tags are
indexed and queried by Material but our stylesheet hides them in the results, so the
visible teaser stays the untouched text.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jieba

from generator import pinyin

HAN_RUN = re.compile(r"[\u3400-\u9fff]+")
TAG = re.compile(r"<[^>]+>")


def tokens(text: str) -> list[str]:
    """Sub-words of every Han run, and the pinyin of each word, sorted for determinism."""
    found: set[str] = set()
    for run in HAN_RUN.findall(TAG.sub("", text)):
        for word in jieba.cut_for_search(run):
            if len(word) >= 2:
                found.add(word)
                found.add(pinyin.plain(word))
                found.add(pinyin.initials(word))
        if len(run) >= 2:
            found.add(pinyin.plain(run))
            found.add(pinyin.initials(run))
    return sorted(found)


def on_post_build(config: Any, **_: Any) -> None:
    path = Path(config["site_dir"]) / "search" / "search_index.json"
    if not path.exists():
        return
    index = json.loads(path.read_text(encoding="utf-8"))
    for doc in index["docs"]:
        extra = tokens(doc.get("title", "").replace("\u200b", "") + " " + doc.get("text", "").replace("\u200b", ""))
        if extra:
            doc["tags"] = extra
    path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
