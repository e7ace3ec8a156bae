"""CJK fonts for the print PDFs, cut down once per build.

WeasyPrint embeds a subset of every font a PDF uses, cut from the font file on each PDF.
From the 19–27 MB Noto CJK collections that is slow: measured on the Ding'an register,
10–20 s of CPU per PDF where WeasyPrint falls back to fontTools (no HarfBuzz-subset
library), and with HarfBuzz still 1.0 s and a 720 KB file, because the glyphs used are
spread over 65 000 glyph ids.  So the build subsets each face once, to the characters all
documents use, caches the small result keyed by the character set and the font file, and
the print CSS loads it with @font-face: 0.75 s and 250 KB per PDF then, and 2.2 s
even on the fontTools path.  The system family stays behind it in every font stack, so a
character the subset lacks still finds a CJK glyph instead of a tofu box.
"""
from __future__ import annotations

import hashlib
import os
import re
import subprocess
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import fontTools

FORMAT = "2"
"""Bump when the subsetting options change, so old cache entries are not reused."""


@dataclass(frozen=True)
class Face:
    """One face the print CSS uses, and the system font it is cut from."""

    family: str
    """CSS family name in the print stylesheet."""
    weight: int
    system_family: str
    """Installed family it comes from; also the CSS fallback right behind `family`."""

    @property
    def pattern(self) -> str:
        return f"{self.system_family}:weight={'bold' if self.weight >= 600 else 'regular'}"


SERIF = "Noto Serif CJK SC"
SANS = "Noto Sans CJK SC"
FACES = (
    Face("Qingdan Serif", 400, SERIF),
    Face("Qingdan Serif", 700, SERIF),
    Face("Qingdan Sans", 400, SANS),
    Face("Qingdan Sans", 700, SANS),
)


class FontMissing(Exception):
    """A CJK face the print template needs is not installed."""


@dataclass(frozen=True)
class Subset:
    """A face cut down to one character set, stored in the cache folder."""

    face: Face
    source: Path
    index: int
    path: Path
    compat: bool = False
    """The compatibility ideographs alone (see `compatibility`), or every other character."""

    def make(self, chars: str) -> Path:
        """Write the subset (atomically, so parallel builds never read half a file)."""
        chars = "".join(c for c in chars if is_compatibility(c) == self.compat)
        from fontTools import subset as ft_subset
        from fontTools.ttLib import TTFont

        font = TTFont(self.source, fontNumber=self.index, lazy=True, recalcTimestamp=False)
        options = ft_subset.Options()
        options.notdef_outline = True
        options.name_IDs = ["*"]
        options.name_languages = ["*"]
        subsetter = ft_subset.Subsetter(options)
        subsetter.populate(unicodes=sorted(map(ord, chars)))
        subsetter.subset(font)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        font.save(partial)
        partial.replace(self.path)
        return self.path


def locate(face: Face) -> tuple[Path, int]:
    """File and collection index of an installed face, via fontconfig."""
    try:
        out = subprocess.run(
            ["fc-match", "--format=%{file}\n%{index}\n%{family}", face.pattern],
            capture_output=True, text=True, check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        raise FontMissing(f"无法运行 fc-match：{exc} / cannot run fc-match: {exc}") from exc
    file, index, families = (out.split("\n") + ["", "", ""])[:3]
    if face.system_family not in families.split(","):
        raise FontMissing(
            f"未安装字体 {face.system_family}（Debian：apt install fonts-noto-cjk）"
            f" / font {face.system_family} is not installed (Debian: apt install fonts-noto-cjk)"
        )
    return Path(file), int(index)


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def is_compatibility(char: str) -> bool:
    """A CJK compatibility ideograph (U+F90A 金): it has its own code point in the source
    text, but the same glyph as its unified twin (U+91D1 金)."""
    return unicodedata.name(char, "").startswith("CJK COMPATIBILITY IDEOGRAPH")


def plan(chars: str, cache_dir: Path) -> list[Subset]:
    """The subsets for this character set: cached files keyed by characters and font file.

    Compatibility ideographs get a subset of their own for each face: in one font they
    share a glyph with their unified twin, and a PDF maps each glyph of a font to one text,
    so copying 金 (U+F90A) out of the PDF gave 金 (U+91D1).  In a font of their own (family
    "Qingdan Serif Compat", first in the print CSS stacks) the glyph maps back to U+F90A."""
    charset = "".join(sorted(set(chars)))
    subsets = []
    for face in FACES:
        source, index = locate(face)
        key = hashlib.sha256(
            "\0".join([FORMAT, fontTools.version, _digest(source), str(index), charset]).encode()
        ).hexdigest()[:20]
        name = f"{face.family.lower().replace(' ', '-')}-{face.weight}-{key}.otf"
        subsets.append(Subset(face, source, index, cache_dir.resolve() / name))
        if any(map(is_compatibility, charset)):
            name = f"{face.family.lower().replace(' ', '-')}-{face.weight}-compat-{key}.otf"
            subsets.append(Subset(face, source, index, cache_dir.resolve() / name, compat=True))
    return subsets


def font_face_css(subsets: list[Subset], chars: str = "") -> str:
    """@font-face rules that load the cached subsets (the compatibility ones limited by
    `unicode-range` to the compatibility ideographs among `chars`)."""
    compat = sorted({f"U+{ord(c):04X}" for c in chars if is_compatibility(c)})
    return "".join(
        f'@font-face {{ font-family: "{s.face.family}{" Compat" if s.compat else ""}"; font-weight: {s.face.weight};'
        f' src: url("{s.path.as_uri()}");{" unicode-range: " + ", ".join(compat) + ";" if s.compat else ""} }}\n'
        for s in subsets if not s.compat or compat
    )


def prune(subsets: list[Subset]) -> None:
    """Drop cached subsets of earlier character sets, so the cache does not grow forever."""
    keep = {s.path for s in subsets}
    for s in subsets:
        prefix = s.path.name.rsplit("-", 1)[0] + "-"
        for old in s.path.parent.glob(f"{prefix}*.otf"):
            if old not in keep:
                old.unlink(missing_ok=True)


SUSPECT = re.compile("[\U00010000-\U0010ffff\u2600-\u27bf]")
"""Characters the embedded fonts may lack, found before any font is opened: everything beyond
the Basic Multilingual Plane (CJK Extension B–G, emoji) and the BMP's symbols and dingbats
(☎, ✔); the CJK fonts cover the rest of what a county list holds."""


@lru_cache(maxsize=1)
def covered() -> frozenset[int] | None:
    """Code points the print faces can draw (their union); None when they are not installed
    (then `qingdan pdf` says so itself)."""
    from fontTools.ttLib import TTFont

    codes: set[int] = set()
    try:
        for face in FACES:
            source, index = locate(face)
            codes.update(TTFont(source, fontNumber=index, lazy=True).getBestCmap() or {})
    except (FontMissing, OSError):
        return None
    return frozenset(codes)


@lru_cache(maxsize=256)
def fallback(char: str) -> str:
    """The installed family fontconfig falls back to for `char` behind the print faces (the
    first in its fallback order that has it), or "" when no installed font has it."""
    try:
        having = subprocess.run(["fc-list", f":charset={ord(char):x}", "family"], capture_output=True, text=True,
                                timeout=30).stdout
        order = subprocess.run(["fc-match", "-s", "--format=%{family}\n", SERIF], capture_output=True, text=True,
                               timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return ""
    families = {name.strip() for line in having.splitlines() for name in line.split(",")}
    return next((f for line in order.splitlines() for f in [line.split(",")[0].strip()] if f in families), "")
