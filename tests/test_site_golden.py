"""Generated Markdown for a small fixture county matches the golden files.

The fixture (tests/fixtures/site/registers/, ASCII file names) holds every field the
templates show plus register text that looks like HTML, Markdown and Jinja.  After an
intended template change, refresh the golden files and review their diff:

    QINGDAN_REFRESH_GOLDEN=1 .venv/bin/python -m pytest tests/test_site_golden.py
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.model import load_corpus
from generator.render import Page, render_all, write_docs
from generator.validate import check

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "site" / "registers"
GOLDEN = ROOT / "tests" / "golden" / "site"


@pytest.fixture(scope="module")
def pages() -> list[Page]:
    assert check([FIXTURE]).errors == 0
    return render_all(load_corpus(FIXTURE))


def test_golden_pages(pages: list[Page]) -> None:
    if os.environ.get("QINGDAN_REFRESH_GOLDEN"):
        write_docs(pages, GOLDEN)
    expected = {p.relative_to(GOLDEN).as_posix(): p.read_text(encoding="utf-8")
                for p in GOLDEN.rglob("*.md")}
    got = {f"{p.lang}/{p.path}": p.content for p in pages}
    assert sorted(got) == sorted(expected), "pages added or removed: refresh the golden files"
    for name in sorted(got):
        assert got[name] == expected[name], f"{name} differs from tests/golden/site/{name}"


def test_rendering_is_deterministic(pages: list[Page]) -> None:
    again = render_all(load_corpus(FIXTURE))
    assert [(p.lang, p.path, p.content) for p in again] == [(p.lang, p.path, p.content) for p in pages]


def test_register_text_is_escaped(pages: list[Page]) -> None:
    register = next(p.content for p in pages if p.lang == "zh" and p.path == "ceshi/demo.md")
    assert "<script>" not in register
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in register
    assert 'href="javascript' not in register  # the link syntax stays text inside the HTML block
    assert "[点我](javascript:alert(1))" in register
    assert "{{ config.site_name }}" in register and "{% raw %}" in register
    assert "&lt;b&gt;粗体&lt;/b&gt; &amp;amp;" in register
    assert "&lt;i&gt;不是斜体&lt;/i&gt;" in register
    assert ('<td class="qd-extra" data-label="责任科室" data-qd-row="责任科室 · 具体工作事项 1.1" data-qd-anchor="duty-01-01">'
            '&lt;i&gt;计生股&lt;/i&gt; | 综合股</td>') in register  # an extra column, a search entry of the row


def test_names_and_aliases_are_escaped_on_every_page(pages: list[Page]) -> None:
    """The fixture's county pinyin and its department and law aliases carry a <u> tag:
    no page may print it as markup (each of them is shown somewhere)."""
    assert not [f"{p.lang}/{p.path}" for p in pages if "<u>" in p.content]
    shown = {f"{p.lang}/{p.path}" for p in pages if "&lt;u&gt;" in p.content}
    assert {"zh/ceshi/index.md", "zh/counties.md", "zh/ceshi/departments/gongan.md",
            "zh/departments/gongan.md", "zh/laws/ceshi-tiaoli.md"} <= shown


def test_cross_links_on_the_register_page(pages: list[Page]) -> None:
    register = next(p.content for p in pages if p.lang == "zh" and p.path == "ceshi/demo.md")
    assert '<a class="qd-xref" href="../departments/gongan/">县公安局</a>' in register
    assert '<a class="qd-xref" href="../../laws/ceshi-tiaoli/">《测试条例》</a>' in register
    assert 'href="../../topics/liudong-renkou/"' in register
    assert 'href="tel:+86-999-63822173"' in register


def test_english_page_marks_untranslated_fields(pages: list[Page]) -> None:
    register = next(p.content for p in pages if p.lang == "en" and p.path == "ceshi/demo.md")
    assert "Responsible for family planning services for the floating population." in register
    assert '<span class="qd-untranslated" lang="zh-Hans">研究和依法规范计划生育药具管理制度。</span>' in register
    assert "尚无译文 / not yet translated" in register
    assert '<td class="qd-extra" data-label="责任科室"' in register  # an untranslated column name: plain text in the attribute


def test_write_docs_touches_only_changed_files_and_removes_stale(tmp_path: Path, pages: list[Page]) -> None:
    docs = tmp_path / "docs"
    (docs / "zh").mkdir(parents=True)
    (docs / "zh" / "stale.md").write_text("old", encoding="utf-8")
    (docs / "README.md").write_text("kept", encoding="utf-8")
    assert write_docs(pages, docs) == (len(pages), 1)
    assert write_docs(pages, docs) == (0, 0)
    changed = [Page(p.path, p.lang, p.content + "\n") if p.path == "ceshi/demo.md" and p.lang == "zh" else p
               for p in pages]
    assert write_docs(changed, docs) == (1, 0)
    assert (docs / "README.md").read_text(encoding="utf-8") == "kept"
