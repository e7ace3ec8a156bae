"""English edition data: complete translation of the seed registers, glossary consistency.

Codes exercised here: "glossary-inconsistent", "translation-missing".
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.load import load_file, load_text
from generator.model import load_corpus
from generator.translation import (
    coverage,
    coverage_report,
    glossary_findings,
    load_glossary,
    missing_findings,
    text_fields,
)

ROOT = Path(__file__).resolve().parents[1]
REGISTERS = ROOT / "registers"
SEEDS = ROOT.parent / "shared" / "seeds"
SEED_TOOL = ROOT.parent / "shared" / "tools" / "seed_coverage.py"
SEED_REGISTERS = {"000_824ae8e54d8f565a.txt": "dingan", "001_783c4a520348c2a9.txt": "anhua"}


@pytest.fixture
def registers(tmp_path: Path) -> Path:
    target = tmp_path / "registers"
    shutil.copytree(REGISTERS, target)
    return target


def synthetic(tmp_path: Path, pairs: list[tuple[str, str]]):
    """A register-like document whose rows are the given (zh, en) text fields."""
    body = "rows:\n" + "".join(
        f"  - text:\n      zh: {json.dumps(zh, ensure_ascii=False)}\n      en: {json.dumps(en, ensure_ascii=False)}\n"
        for zh, en in pairs
    )
    return load_text(body, tmp_path / "sample.yaml")


def test_seed_registers_are_fully_translated() -> None:
    report = {label: (done, needed) for label, done, needed in coverage_report(REGISTERS)}
    assert {"dingan/renkou-jisheng", "anhua/renkou-jisheng", "dingan/county", "laws", "topics"} <= set(report)
    assert "glossary" not in report
    for label, (done, needed) in report.items():
        assert needed > 0 and done == needed, label
    assert report["dingan/renkou-jisheng"][1] > 150 and report["anhua/renkou-jisheng"][1] > 200


def test_coverage_report_accepts_a_corpus() -> None:
    assert coverage_report(load_corpus(REGISTERS)) == coverage_report(REGISTERS)


@pytest.mark.parametrize("seed", sorted(SEED_REGISTERS))
def test_chinese_text_still_matches_the_seed(seed: str) -> None:
    assert SEED_TOOL.is_file() and (SEEDS / seed).is_file(), "shared/ must sit beside the checkout"
    run = subprocess.run([sys.executable, str(SEED_TOOL), str(SEEDS / seed), str(REGISTERS / SEED_REGISTERS[seed])],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout
    assert run.stdout.strip().splitlines()[-1].startswith("coverage: 100.0%")


def test_real_files_follow_the_glossary() -> None:
    glossary = load_glossary(REGISTERS)
    assert len(glossary) >= 40
    for path in sorted(REGISTERS.rglob("*.yaml")):
        assert glossary_findings(load_file(path), glossary) == [], path


def test_longer_terms_contain_the_rendering_of_shorter_ones(tmp_path: Path) -> None:
    glossary = load_glossary(REGISTERS)
    doc = synthetic(tmp_path, [(t["zh"], t["en"]) for t in glossary])
    assert [(f.params["term"], f.pointer) for f in glossary_findings(doc, glossary)] == []


def test_variant_is_reported_on_its_line(registers: Path) -> None:
    path = registers / "dingan" / "renkou-jisheng.yaml"
    lines = path.read_text(encoding="utf-8").split("\n")
    index = next(i for i, line in enumerate(lines) if line.lstrip().startswith("en:") and "floating population" in line)
    lines[index] = lines[index].replace("floating population", "migrant population")
    path.write_text("\n".join(lines), encoding="utf-8")
    found = glossary_findings(load_file(path), load_glossary(registers))
    assert [(f.code, f.line, f.params["term"], f.params["found"]) for f in found] == [
        ("glossary-inconsistent", index + 1, "流动人口", "migrant population")
    ]
    assert found[0].severity == "warning"
    assert "floating population" in found[0].message_en and "流动人口" in found[0].message_zh


def test_missing_rendering_is_reported(tmp_path: Path) -> None:
    glossary = [{"zh": "社会抚养费", "en": "social maintenance fee", "variants": ["social compensation fee"]}]
    doc = synthetic(tmp_path, [
        ("征收社会抚养费", "Levy the social maintenance fee"),
        ("征收社会抚养费", "Levy the social compensation fee"),
        ("征收社会抚养费", "Levy the fee"),
        ("社会抚养费案件", "Social-maintenance-fee cases"),
    ])
    found = glossary_findings(doc, glossary)
    assert [(f.pointer, f.params["found"]) for f in found] == [
        ("/rows/1/text/en", "social compensation fee"),
        ("/rows/2/text/en", ""),
    ]
    assert [f.line for f in found] == [doc.locate("/rows/1/text/en")[0], doc.locate("/rows/2/text/en")[0]]


def test_plurals_and_word_boundaries(tmp_path: Path) -> None:
    glossary = [{"zh": "职责边界", "en": "responsibility boundary"}, {"zh": "药具", "en": "contraceptives"},
                {"zh": "乡镇", "en": "township", "variants": ["town"]}]
    doc = synthetic(tmp_path, [
        ("职责边界", "Responsibility boundaries"),
        ("乡镇", "Townships"),
        ("乡镇", "Townsfolk of a township"),
        ("乡镇", "A town"),
        ("药具", "Contraceptive supplies"),
    ])
    assert [f.pointer for f in glossary_findings(doc, glossary)] == ["/rows/3/text/en", "/rows/4/text/en"]


def test_field_without_english_is_counted_as_missing(registers: Path) -> None:
    path = registers / "anhua" / "renkou-jisheng.yaml"
    done, needed = coverage(load_file(path).data)
    lines = path.read_text(encoding="utf-8").split("\n")
    index = next(i for i, line in enumerate(lines) if line.strip() == "text:" and lines[i + 2].lstrip().startswith("en:"))
    del lines[index + 2]
    path.write_text("\n".join(lines), encoding="utf-8")
    doc = load_file(path)
    assert coverage(doc.data) == (done - 1, needed)
    missing = missing_findings(doc)
    assert [(f.code, f.line) for f in missing] == [("translation-missing", index + 2)]
    assert missing[0].severity == "warning"
    assert missing_findings(load_file(REGISTERS / "anhua" / "renkou-jisheng.yaml")) == []


def test_which_fields_need_english() -> None:
    data = {
        "department": "renkou-jisheng",
        "title": "清单",
        "remark": "\u3000",
        "topics": ["qita"],
        "source": {"file": "a.txt", "note": {"zh": "说明", "en": "Note"}},
        "divisions": [{"id": "d-1", "department": "weisheng", "as_written": "县卫生局", "text": {"zh": "负责", "en": " "}}],
        "phone": "63822173",
    }
    assert [f.pointer for f in text_fields(data)] == ["/title", "/remark", "/source/note", "/divisions/0/text"]
    assert coverage(data) == (1, 3)


def test_an_absent_parts_reason_none_needs_no_english() -> None:
    """The English pages print “None” for reason 无; any other reason is prose to translate."""
    from generator.translation import coverage

    data = {"boundaries": {"absent": {"reason": "无"}}, "services": {"absent": {"reason": "原文未公布本部分"}}}
    assert coverage(data) == (0, 1)
