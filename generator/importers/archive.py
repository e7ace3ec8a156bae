"""Refuse a .docx/.xlsx zip bomb before anything inflates it.

Both formats are zip archives, and python-docx and openpyxl inflate whole members into
memory.  The central directory states each member's size before and after compression;
those declared figures are checked here, before any member is read.  They cannot be
exceeded afterwards: Python's zipfile stops a member's output at its declared size and
fails on a CRC mismatch, so an archive that lies about its sizes is refused while reading.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

from ..errors import CATALOGUE
from .document import ImportFailure

MAX_TOTAL = 128 * 1024 * 1024
"""Declared decompressed size of all members together (a county's list is a few MB at most)."""
MAX_RATIO = 100
"""Decompressed / compressed size of one member; Office XML stays well under 30."""
RATIO_FROM = 1024 * 1024
"""Members smaller than this are never refused for their ratio (a tiny file compresses oddly)."""
MAX_MEMBERS = 10_000


def guard(path: Path, kind: str) -> None:
    """Raise `ImportFailure` (code `import-zip-bomb`) when the archive's declared sizes exceed the limits."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ImportFailure(f"无法作为 {kind} 文件打开（不是有效的 zip 压缩包）",
                            f"cannot be opened as a {kind} file (not a valid zip archive)") from exc
    if len(members) > MAX_MEMBERS:
        raise _bomb(f"压缩包含 {len(members)} 个成员（上限 {MAX_MEMBERS}）",
                    f"the archive has {len(members)} members (limit {MAX_MEMBERS})")
    total = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_FROM and ratio > MAX_RATIO:
            raise _bomb(f"成员 {member.filename} 声明解压后 {member.file_size} 字节，压缩比 {ratio:.0f}:1（上限 {MAX_RATIO}:1）",
                        f"member {member.filename} declares {member.file_size} bytes, a ratio of {ratio:.0f}:1 "
                        f"(limit {MAX_RATIO}:1)")
    if total > MAX_TOTAL:
        raise _bomb(f"声明解压后共 {total} 字节（上限 {MAX_TOTAL} 字节）",
                    f"declares {total} bytes decompressed in all (limit {MAX_TOTAL})")


def _bomb(zh: str, en: str) -> ImportFailure:
    spec = CATALOGUE["import-zip-bomb"]
    return ImportFailure(spec.zh.format(reason=zh), spec.en.format(reason_en=en), code="import-zip-bomb")
