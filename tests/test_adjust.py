"""Adjustment records (issue 18): the scripted sequence in tests/fixtures/adjust/.

The fixture register was adopted on 2020-01-01 and then adjusted: an item added (2021),
an item cancelled (2022), an item's text changed (2023), a duty handed down (2024) and a
service added with effect on 2025-09-01, after the build date the tests use (2025-06-30).
The file holds the rows after all of them; every earlier list is derived.

Golden pages and feeds live in tests/golden/adjust/; refresh after an intended change with

    QINGDAN_REFRESH_GOLDEN=1 .venv/bin/python -m pytest tests/test_adjust.py
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator import adjust
from generator.load import load_file
from generator.model import Corpus, load_corpus
from generator.validate import check

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "adjust" / "registers"
REGISTER = FIXTURE / "ceshi" / "jisheng.yaml"
GOLDEN = ROOT / "tests" / "golden" / "adjust"
REFRESH = os.environ.get("QINGDAN_REFRESH_GOLDEN") == "1"
BUILD_DATE = "2025-06-30"


def assert_golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if REFRESH:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"missing golden file {path}; run with QINGDAN_REFRESH_GOLDEN=1"
    assert actual == path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    assert check([FIXTURE]).errors == 0
    return load_corpus(FIXTURE, as_of=BUILD_DATE)


def ids(data: dict[str, object]) -> list[str]:
    return list(adjust._index(data))  # type: ignore[arg-type]


def test_the_list_on_every_date_of_the_sequence() -> None:
    data = load_file(REGISTER).data
    adopted = ["duty-01", "duty-01-01", "duty-01-02", "duty-02", "duty-02-01", "duty-02-02", "duty-03",
               "duty-03-01", "svc-01"]
    assert ids(adjust.state_on(data, "2020-01-01")) == adopted
    added = adopted[:3] + ["duty-01-03"] + adopted[3:]
    assert ids(adjust.state_on(data, "2021-03-31")) == adopted  # the day before it takes effect
    assert ids(adjust.state_on(data, "2021-04-01")) == added
    cancelled = [i for i in added if i != "duty-02-02"]
    assert ids(adjust.state_on(data, "2022-06-01")) == cancelled
    item = lambda d: d["duties"]["rows"][0]["items"][1]["text"]  # noqa: E731
    assert item(adjust.state_on(data, "2023-01-31")) == "负责流动人口计划生育统计。"
    assert item(adjust.state_on(data, "2023-02-01")) == "负责流动人口计划生育统计和信息交换。"
    handed_down = [i for i in cancelled if not i.startswith("duty-03")]
    assert ids(adjust.state_on(data, "2024-08-01")) == handed_down
    assert ids(adjust.state_on(data, BUILD_DATE)) == handed_down
    assert ids(adjust.state_on(data, "2025-09-01")) == handed_down + ["svc-02"]
    assert adjust.state_on(data, "2025-09-01") is data  # nothing to undo: the file itself
    # the cancelled item goes back where it stood, the handed-down duty after duty-02
    before = adjust.state_on(data, "2020-01-01")
    assert [i["id"] for i in before["duties"]["rows"][1]["items"]] == ["duty-02-01", "duty-02-02"]
    assert [d["id"] for d in before["duties"]["rows"]] == ["duty-01", "duty-02", "duty-03"]


def test_effects_are_derived_from_the_records() -> None:
    records = adjust.records(load_file(REGISTER).data)
    got = [(a.id, a.type, [(e.id, e.effect) for e in a.effects]) for a in records]
    assert got == [
        ("adj-2021-01", "add", [("duty-01-03", "appear")]),
        ("adj-2022-01", "cancel", [("duty-02-02", "disappear")]),
        ("adj-2023-01", "change", [("duty-01-02", "change")]),
        ("adj-2024-01", "hand-down", [("duty-03", "disappear")]),
        ("adj-2025-01", "add", [("svc-02", "appear")]),
    ]
    change = records[2].effects[0]
    assert change.before and change.after
    assert (change.before["text"], change.after["text"]) == ("负责流动人口计划生育统计。", "负责流动人口计划生育统计和信息交换。")
    assert records[3].to is not None and records[3].to.zh == "各乡镇人民政府"


def test_the_model_shows_the_list_in_force_on_the_build_date(corpus: Corpus) -> None:
    reg = corpus.counties["ceshi"].registers[0]
    assert corpus.as_of == BUILD_DATE
    assert "svc-02" not in reg.rows and [s.id for s in reg.services] == ["svc-01"]
    assert [a.id for a in reg.adjustments][-1] == "adj-2025-01"
    later = load_corpus(FIXTURE, as_of="2025-09-01").counties["ceshi"].registers[0]
    assert [s.id for s in later.services] == ["svc-01", "svc-02"]


def test_build_date_never_reads_the_clock(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("QINGDAN_BUILD_DATE", raising=False)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    (tmp_path / "registers").mkdir()
    assert adjust.build_date(tmp_path / "registers") == ""  # no configuration, no git: no date
    (tmp_path / "mkdocs.yml").write_text("extra:\n  qingdan:\n    build_date: '2024-05-06'\n", encoding="utf-8")
    assert adjust.build_date(tmp_path / "registers") == "2024-05-06"
    monkeypatch.setenv("QINGDAN_BUILD_DATE", "2023-01-02")
    assert adjust.build_date(tmp_path / "registers") == "2023-01-02"
    monkeypatch.delenv("QINGDAN_BUILD_DATE")
    (tmp_path / "mkdocs.yml").unlink()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert adjust.build_date(tmp_path / "registers") == "2023-11-14"


# --- currency and the prospective notice ------------------------------------------------------------


def register_page(corpus: Corpus, lang: str) -> str:
    from generator.build import extras
    from generator.render import Renderer

    return Renderer(corpus, lang, extras([])).register(corpus.counties["ceshi"].registers[0]).content


def test_register_pages_state_their_currency_and_what_is_coming(corpus: Corpus) -> None:
    zh, en = register_page(corpus, "zh"), register_page(corpus, "en")
    assert "本页反映截至 <time datetime=\"2025-06-30\">2025-06-30</time> 已生效的调整。" in zh
    assert '最近一次调整：<a href="./#adj-2024-01">2024-08-01 起生效 · 测政发〔2024〕9号</a>' in zh
    assert "This page reflects the adjustments in force on or before" in en and "本页反映截至" in en
    prospective = zh[zh.index('id="prospective"'):].split("</div>")[0]
    assert "2025-09-01 起生效" in prospective and "新增 公共服务事项 › 服务 2：优生咨询" in prospective
    assert 'id="svc-02"' not in zh  # not in force on the build date: announced, not listed
    changelog = zh[zh.index("{: #changelog }"):]
    assert [changelog.index(f'id="{a}"') for a in ("adj-2025-01", "adj-2024-01", "adj-2021-01")] == sorted(
        changelog.index(f'id="{a}"') for a in ("adj-2025-01", "adj-2024-01", "adj-2021-01"))
    assert "负责流动人口计划生育统计<ins class=\"qd-ins\">和信息交换</ins>。" in changelog
    assert "&lt;b&gt;（国务院决定）&lt;/b&gt;" in changelog and "<b>（" not in zh  # register text is data
    assert_golden("jisheng.zh.md", zh)
    assert_golden("jisheng.en.md", en)


def test_once_in_force_the_notice_goes_and_the_row_appears() -> None:
    later = load_corpus(FIXTURE, as_of="2025-09-01")
    zh = register_page(later, "zh")
    assert 'id="prospective"' not in zh and 'id="svc-02"' in zh
    assert '最近一次调整：<a href="./#adj-2025-01">2025-09-01 起生效 · 测政办〔2025〕4号</a>' in zh


def test_a_register_without_adjustments_says_so(tmp_path: Path) -> None:
    import shutil

    shutil.copytree(ROOT / "tests/fixtures/site/registers", tmp_path / "registers")
    corpus = load_corpus(tmp_path / "registers", as_of="2025-06-30")
    page = register_page(corpus, "zh")
    assert "本页反映截至 <time datetime=\"2025-06-30\">2025-06-30</time> 已生效的调整。" in page
    assert '最近一次调整：<a href="./#revision-2016-05-01-1">2016-05-01 起生效 · 测政发〔2016〕1号</a>' in page


def test_the_pdf_states_its_currency(corpus: Corpus) -> None:
    from generator.pdf import render_html

    reg = corpus.counties["ceshi"].registers[0]
    zh, en = render_html(reg, "zh"), render_html(reg, "en")
    assert ('<p class="cover-currency">本文本反映截至 2024-08-01 已生效的调整。 最近一次调整：2024-08-01 起生效 · '
            "测政发〔2024〕9号</p>") in zh
    assert '<p class="cover-currency">This text reflects the adjustments in force on or before 2024-08-01.' in en
