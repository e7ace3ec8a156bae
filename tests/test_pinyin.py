"""Pinyin readings for this domain and the dictionary order of the index."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator import pinyin
from generator.model import load_corpus
from generator.render import index_entries

ROOT = Path(__file__).resolve().parents[1]

READINGS = [
    ("行政", "xíngzhèng"),
    ("重大", "zhòngdà"),
    ("中长期", "zhōngchángqī"),
    ("会同", "huìtóng"),
    ("处罚", "chǔfá"),
    ("调查", "diàochá"),
    ("省", "shěng"),
    ("定安", "dìng'ān"),
    ("安化", "ānhuà"),
    ("行政处罚", "xíngzhèngchǔfá"),
    ("定安县", "dìng'ānxiàn"),
    ("安化县", "ānhuàxiàn"),
    ("抚养费", "fǔyǎngfèi"),
    ("工商行政管理局", "gōngshāngxíngzhèngguǎnlǐjú"),
    ("计生委", "jìshēngwěi"),
    ("两非", "liǎngfēi"),
    ("社会抚养费", "shèhuì fǔyǎngfèi"),
    ("结扎", "jiézā"),
    ("查处", "cháchǔ"),
    ("处置", "chǔzhì"),
    ("从重", "cóngzhòng"),
    ("重点", "zhòngdiǎn"),
    ("药具", "yàojù"),
    ("计划生育", "jìhuàshēngyù"),
]


@pytest.mark.parametrize(("word", "reading"), READINGS)
def test_domain_readings(word: str, reading: str) -> None:
    assert pinyin.display(word) == reading


def test_every_reviewed_override_is_asserted() -> None:
    table = yaml.safe_load((ROOT / "generator" / "data" / "pinyin.yaml").read_text(encoding="utf-8"))
    asserted = {word for word, _ in READINGS}
    missing = [w for w in [*table["phrases"], *table["characters"]] if w not in asserted and len(w) <= 4]
    assert not missing, f"add these reviewed readings to READINGS: {missing}"


def test_search_forms() -> None:
    assert pinyin.plain("流动人口") == "liudongrenkou"
    assert pinyin.initials("流动人口") == "ldrk"


def test_dictionary_order_letter_syllable_tone_then_text() -> None:
    words = ["妈妈", "麻", "马", "骂", "吗", "八", "把", "安化", "定安", "巴士", "ABC"]
    ordered = sorted(words, key=pinyin.sort_key)
    assert ordered == ["ABC", "安化", "八", "巴士", "把", "定安", "妈妈", "麻", "马", "骂", "吗"]


def test_same_reading_ties_break_on_the_text() -> None:
    assert sorted(["市", "是", "事"], key=pinyin.sort_key) == sorted(["市", "是", "事"])


def test_index_is_in_dictionary_order_with_every_occurrence() -> None:
    corpus = load_corpus(ROOT / "registers")
    for county in [None, *corpus.counties.values()]:
        entries = index_entries(corpus, "zh", county)
        keys = [e.key for e in entries]
        assert keys == sorted(keys)
        letters = [e.letter for e in entries]
        assert letters == sorted(letters, key=lambda x: (x == "#", x))
    national = index_entries(corpus, "zh")
    assert {e.term for e in national if e.kind == "county"} == {"定安县", "安化县"}
    assert {e.kind for e in national} == {"county", "department_type", "law", "topic"}
    bureau = next(e for e in index_entries(corpus, "zh", corpus.counties["anhua"])
                  if e.term == "公安局" and e.kind == "department")
    assert [target for _, target, _ in bureau.links] == ["anhua/departments/gongan.md"]
    matter = next(e for e in index_entries(corpus, "zh", corpus.counties["anhua"]) if e.term == "流动人口管理")
    assert matter.reading == "liúdòngrénkǒu guǎnlǐ" and matter.letter == "L"
