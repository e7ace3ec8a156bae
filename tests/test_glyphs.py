"""Characters the embedded CJK fonts cannot draw: a `check` warning naming the character
and the row, a fallback font in the PDF instead of a box, and compatibility ideographs that
come out of the PDF's text as they went in (U+F90A, not its twin U+91D1)."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from generator import fonts
from generator.model import load_corpus
from generator.pdf import write_pdfs
from generator.validate import check

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "site" / "registers"
RARE = "金额与\uf90a字𠀀𠀁𪚥和😀"
"""U+91D1 and its compatibility twin U+F90A in one row, CJK Extension B, an emoji."""


@pytest.fixture(scope="module")
def registers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("glyphs") / "registers"
    shutil.copytree(FIXTURE, target)
    demo = target / "ceshi" / "demo.yaml"
    demo.write_text(demo.read_text(encoding="utf-8").replace("text: 研究和依法规范计划生育药具管理制度。", f"text: {RARE}"),
                    encoding="utf-8")
    return target


def test_check_names_each_character_the_fonts_lack_and_its_row(registers: Path) -> None:
    if fonts.covered() is None:
        pytest.skip("the print fonts are not installed")
    found = [f for f in check([registers]).findings if f.code == "glyph-missing"]
    assert {f.params["char"] for f in found} == {"𠀀", "𠀁", "𪚥", "😀"}  # 金 U+F90A is in the fonts
    assert {f.pointer for f in found} == {"/duties/rows/1/text"}
    assert all(f.severity == "warning" and f.line > 1 for f in found)
    assert all("U+2" in f.message_en or "U+1F600" in f.message_en for f in found)


@pytest.mark.slow
def test_pdf_draws_them_with_a_fallback_and_keeps_the_compatibility_ideograph(registers: Path, tmp_path: Path) -> None:
    written = write_pdfs(load_corpus(registers), tmp_path / "site", langs=("zh",), font_cache=tmp_path / "fonts")
    pdf = next(p for p in written if p.name.endswith(".zh.pdf"))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "\uf90a" in text and "\u91d1" in text, "U+F90A must not become U+91D1"
    for char in "𠀀𠀁𪚥😀":
        assert char in text
    families = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Qingdan-Serif-Compat" in families
    fallbacks = {line.split()[0].split("+")[-1] for line in families.splitlines()[2:]} - {
        "Qingdan-Serif", "Qingdan-Serif-Bold", "Qingdan-Sans", "Qingdan-Sans-Bold", "Qingdan-Serif-Compat"}
    # drawn by embedded fallback fonts (Extension B, emoji), not as .notdef boxes of the CJK subsets
    assert any(name.startswith("HanaMin") for name in fallbacks), families
    assert len(fallbacks) >= 2, families
