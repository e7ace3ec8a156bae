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
import subprocess
from dataclasses import dataclass
from pathlib import Path

import fontTools

FORMAT = "1"
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

    def make(self, chars: str) -> Path:
        """Write the subset (atomically, so parallel builds never read half a file)."""
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


def plan(chars: str, cache_dir: Path) -> list[Subset]:
    """The subsets for this character set: cached files keyed by characters and font file."""
    charset = "".join(sorted(set(chars)))
    subsets = []
    for face in FACES:
        source, index = locate(face)
        key = hashlib.sha256(
            "\0".join([FORMAT, fontTools.version, _digest(source), str(index), charset]).encode()
        ).hexdigest()[:20]
        name = f"{face.family.lower().replace(' ', '-')}-{face.weight}-{key}.otf"
        subsets.append(Subset(face, source, index, cache_dir.resolve() / name))
    return subsets


def font_face_css(subsets: list[Subset]) -> str:
    """@font-face rules that load the cached subsets."""
    return "".join(
        f'@font-face {{ font-family: "{s.face.family}"; font-weight: {s.face.weight};'
        f' src: url("{s.path.as_uri()}"); }}\n'
        for s in subsets
    )


def prune(subsets: list[Subset]) -> None:
    """Drop cached subsets of earlier character sets, so the cache does not grow forever."""
    keep = {s.path for s in subsets}
    for s in subsets:
        prefix = s.path.name.rsplit("-", 1)[0] + "-"
        for old in s.path.parent.glob(f"{prefix}*.otf"):
            if old not in keep:
                old.unlink(missing_ok=True)
