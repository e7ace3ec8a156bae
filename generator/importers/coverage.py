"""How much of the source's text the draft holds: the import's own measure of what it kept.

Every cell and line the readers produced is split into segments and normalised exactly as
../shared/tools/seed_coverage.py does (whitespace, punctuation and leading enumerators
removed, NFKC-folded; lone serial numbers, one-character segments and standard column
headers not counted).  A segment counts when it occurs in the normalised text of the
draft's data — every string value and key of the register, `unplaced` included, never the
report comments — so text the importer parked in `unplaced` is kept (and `qingdan check`
fails until a person places it), while text it dropped shows as missing.  Column names the
importer read as a header and a skipped table of contents are not counted either.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from .document import Block, Paragraph

HEADERS = {
    "序号", "主要职责", "具体工作事项", "备注", "管理事项", "相关部门", "职责分工",
    "相关依据", "案例", "服务事项", "主要内容", "承办机构", "联系电话",
    "序", "号", "管理", "事项", "相关", "部门",
}
ENUM = re.compile(
    r"^(?:第?[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．)]|[一二三四五六七八九十]+是)"
)
DROP = re.compile(r"[\s\u3000\u00a0`'\"“”‘’「」『』《》〈〉【】\[\](){}（）,，.。、;；:：!！?？…·\-—_~/\\|*#>]+")


def normalise(text: str) -> str:
    return DROP.sub("", unicodedata.normalize("NFKC", text))


def segments(text: str) -> list[tuple[str, str]]:
    """(segment as written, normalised) for every counted segment of one cell or line."""
    out = []
    for raw in re.split(r"[\t\n]", text):
        cell = raw.strip().strip("\u3000")
        while True:
            stripped = ENUM.sub("", cell).strip()
            if stripped == cell:
                break
            cell = stripped
        norm = normalise(cell)
        if not norm or norm.isdigit() or cell in HEADERS or norm in HEADERS or len(norm) < 2:
            continue
        out.append((cell, norm))
    return out


def source_texts(blocks: list[Block]) -> list[str]:
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            out.append(block.text)
        else:
            out.extend(cell.text for row in block.rows for cell in row if not cell.merged and not cell.header)
    return out


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (k, *_strings(v))]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


@dataclass
class Coverage:
    present: int
    total: int
    missing: list[str]

    @property
    def percent(self) -> float:
        return 100.0 * self.present / self.total if self.total else 100.0

    def lines(self) -> list[str]:
        """The report's last lines: the missing text, then the figure."""
        out = [f"未收录 missing: {text[:120]}" for text in self.missing]
        out.append(f"原文收录率 coverage: {self.percent:.1f}% ({self.present}/{self.total} 段 segments)")
        return out


def measure(blocks: list[Block], register: dict[str, Any]) -> Coverage:
    """Which source segments the register's data holds."""
    hay = normalise("\n".join(_strings(register)))
    segs = [seg for text in source_texts(blocks) for seg in segments(text)]
    missing = [cell for cell, norm in segs if norm not in hay]
    return Coverage(len(segs) - len(missing), len(segs), missing)
