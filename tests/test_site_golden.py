"""Generated Markdown for a small fixture county matches the golden files.

The fixture (tests/fixtures/site/registers/, ASCII file names) holds every field the
templates show plus register text that looks like HTML, Markdown and Jinja.  After an
intended template change, refresh the golden files and review their diff:

    QINGDAN_REFRESH_GOLDEN=1 .venv/bin/python -m pytest tests/test_site_golden.py
"""
from __future__ import annotations

import os
import posixpath
import re
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
    assert ('<td class="qd-extra" data-label="责任科室" data-qd-also="duty-01-01">'
            '&lt;i&gt;计生股&lt;/i&gt; | 综合股</td>') in register  # an extra column, searchable with its row


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
    assert '<span lang="zh-Hans">尚无译文</span> / not yet translated' in register  # the mark's Chinese marked too
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


def test_v2_register_page(pages: list[Page]) -> None:
    """The schema-v2 fixture register (ceshi/gongan.yaml): the reason under an absent part,
    the standard label for a part without heading, no number column for unnumbered rows, a
    duty without items as one row, extra columns in every part, a phone in words unlinked."""
    zh = next(p.content for p in pages if p.lang == "zh" and p.path == "ceshi/gongan.md")
    en = next(p.content for p in pages if p.lang == "en" and p.path == "ceshi/gongan.md")
    assert "## 部门职责 {: #duties }" in zh and "## Duties {: #duties }" in en
    assert "## 职责边界表 {: #boundaries }\n\n<p class=\"qd-part-none\">原文未公布本部分</p>" in zh
    duties = zh[zh.index("qd-duties"):zh.index("## 职责边界表")]
    assert "序号" not in duties and "qd-col-num" not in duties
    assert '<td class="qd-duty" id="duty-02" rowspan="1"' in duties and 'id="duty-02-' not in duties
    assert '与<a class="qd-xref" href="../departments/renkou-jisheng/">县人口计生局</a>配合。' in duties  # the duty's remark
    assert '<p class="qd-extra"><strong>监管主体</strong>：<a class="qd-xref"' in zh
    assert "<th>事项类型</th><th>办理依据</th>" in zh and "<th>承办机构</th>" not in zh  # no agency column in the source
    assert '<td class="qd-phone" data-label="联系电话">详见县政务服务中心窗口公示</td>' in zh


def test_part_without_rows_says_none() -> None:
    """`rows: []` (no reason given) prints 无 / None, never an empty table."""
    corpus = load_corpus(FIXTURE)
    r = next(r for r in corpus.registers if r.slug == "gongan")
    r.services.clear()
    r.parts["boundaries"].absent = None
    from generator.render import Renderer

    for lang, none in (("zh", "无"), ("en", "None")):
        page = Renderer(corpus, lang).register(r).content
        services = page[page.index("{: #services }"):page.index("{: #changelog }")]
        assert f'<p class="qd-part-none">{none}</p>' in services and "<table" not in services
        assert f'{{: #boundaries }}\n\n<p class="qd-part-none">{none}</p>' in page


def test_only_used_types_and_topics_have_pages(pages: list[Page]) -> None:
    """The fixture's taxonomy lists a type whose one department has no list and no boundary
    share (weisheng), a type without departments (jiaoyu) and a kind of power no row carries
    (xingzheng-chufa): none has a page, an index row or an index entry, and the department's
    own page names its type without a link.  The topic index puts kinds of power first."""
    built = {p.path for p in pages}
    assert {"departments/gongan.md", "departments/renkou-jisheng.md", "topics/xingzheng-queren.md"} <= built
    assert not built & {"departments/weisheng.md", "departments/jiaoyu.md", "topics/xingzheng-chufa.md"}
    for page in pages:
        folder = page.path.removesuffix("index.md").removesuffix(".md") + "/"
        targets = {posixpath.normpath(posixpath.join(folder, h)) for h in re.findall(r'href="([^"#]+)', page.content)}
        assert not targets & {"departments/weisheng", "departments/jiaoyu", "topics/xingzheng-chufa"}, page.path
    by_path = {(p.lang, p.path): p.content for p in pages}
    assert "卫生健康部门" in by_path["zh", "ceshi/departments/weisheng.md"]
    assert "Health commission" in by_path["en", "ceshi/index.md"]
    index = by_path["zh", "topics/index.md"]
    assert index.index("## 行政权力类别") < index.index("xingzheng-queren/") < index.index("## 业务主题")
    assert "行政处罚" not in index and "行政处罚" not in by_path["zh", "pinyin.md"]
