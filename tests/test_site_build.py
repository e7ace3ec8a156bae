"""The real MkDocs build: complete text, self-contained, escaped, linked, deterministic."""
from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import ROOT, SEEDS, build_copy
from generator.build import BuildError, build
from generator.model import load_corpus

pytestmark = pytest.mark.slow

ATTRIBUTE_URL = re.compile(r'\s(?:src|href|srcset|action|poster|data)="([^"]*)"')
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)|@import\s+['\"]([^'\"]+)")
SITE_URL = "https://qingdan.example.org/"


def pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "assets" not in p.parts)


def test_every_seed_word_is_on_the_built_pages(real_site: Path) -> None:
    for county, seed in SEEDS.items():
        result = subprocess.run(
            [sys.executable, str(ROOT.parent / "shared/tools/seed_coverage.py"), str(seed), str(real_site / county)],
            capture_output=True, text=True,
        )
        assert result.stdout.strip().splitlines()[-1].startswith("coverage: 100.0%"), result.stdout[-2000:]


def test_nothing_is_loaded_from_outside(real_site: Path) -> None:
    outside = []
    for page in pages(real_site):
        for url in ATTRIBUTE_URL.findall(page.read_text(encoding="utf-8")):
            if re.match(r"^(https?:)?//", url) and not url.startswith(SITE_URL):
                outside.append((page.relative_to(real_site), url))
    for sheet in real_site.rglob("*.css"):
        for match in CSS_URL.findall(sheet.read_text(encoding="utf-8", errors="replace")):
            url = match[0] or match[1]
            if re.match(r"^(https?:)?//", url):
                outside.append((sheet.relative_to(real_site), url))
    for script in (real_site / "assets").rglob("*.js"):
        text = script.read_text(encoding="utf-8", errors="replace")
        assert "fonts.googleapis.com" not in text or script.name.startswith("bundle."), script
    assert not outside


def test_register_text_is_shown_literally(fixture_site: Path) -> None:
    html = (fixture_site / "ceshi" / "demo" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert not re.search(r'href="\s*javascript:', html, flags=re.I)
    assert "[点我](javascript:alert(1))" in html
    assert "{{ config.site_name }}" in html and "{% raw %}" in html
    assert "<b>粗体</b>" not in html and "&lt;b&gt;粗体&lt;/b&gt;" in html
    row = re.search(r'<tr id="duty-01-01".*?</tr>', html, flags=re.S)
    assert row and row.group().count("<td") == 5, "the | characters must not split the table row"  # with the extra column
    assert "*星号*" in html and "# 井号" in html


def test_search_records_keep_register_text_escaped(fixture_site: Path) -> None:
    """Pagefind indexes the HTML records generator/search.py writes: register text that looks
    like markup is text in them, and the row's extra-column values are part of the row."""
    from generator.search import Group, site_records

    records = {r.url: r for r in site_records(fixture_site)}
    row = records["ceshi/demo/#duty-01-01"]
    assert "<script>alert('x')</script>" in row.text and "综合股" in row.text and "备注一" in row.text
    html = Group((row, records["ceshi/demo/#duty-01-02"])).html()
    assert "<script>" not in html and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "<b>" not in html and "<i>计生股</i>" in row.text and "<i>" not in html
    assert '<a id="duty-01-01"></a>' in html and '<a id="duty-01-02"></a>' in html


def test_search_groups_rows_of_one_page(real_site: Path) -> None:
    """Pagefind's metadata holds an entry per record: rows go to it in groups of consecutive
    rows of one page, bounded in rows and text; every row is in exactly one group, in order."""
    from generator.search import GROUP_ROWS, GROUP_TEXT, Group, grouped, site_records

    records = list(site_records(real_site))
    indexed = list(grouped(records))
    groups = [g for g in indexed if isinstance(g, Group)]
    rows = [r for r in records if r.label]
    assert [r for g in groups for r in g.rows] == rows
    assert len(groups) * 20 < len(rows)  # far fewer records than rows
    for group in groups:
        assert len({r.url.partition("#")[0] for r in group.rows}) == 1
        assert len(group.rows) <= GROUP_ROWS
        assert len(group.rows) == 1 or sum(len(r.text) for r in group.rows) <= GROUP_TEXT
    assert [r for r in indexed if not isinstance(r, Group)] == [r for r in records if not r.label]


def test_search_bundle_replaces_material_index(fixture_site: Path) -> None:
    import json

    assert not (fixture_site / "search").exists()
    entry = json.loads((fixture_site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert set(entry["languages"]) == {"zh-hans", "en"}
    assert list((fixture_site / "pagefind" / "fragment").glob("*.pf_fragment"))
    page = (fixture_site / "ceshi" / "demo" / "index.html").read_text(encoding="utf-8")
    assert 'data-md-component="search"' not in page and "data-qd-search" in page and "search.js" in page


def test_v2_register_page_shows_absent_parts_and_every_extra_column(fixture_site: Path) -> None:
    """The schema-v2 fixture register on the built site: the stated reason (or 无) under each
    part without rows, never an empty table; the standard label for a part without heading;
    every extra column as a header and every value in its row; unnumbered rows keep their
    anchors; each extra value is in the search record of its row."""
    html = (fixture_site / "ceshi" / "gongan" / "index.html").read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", "", html)
    assert re.search(r'<h2 id="boundaries">职责边界表.*?</h2>\s*<p class="qd-part-none">原文未公布本部分</p>', html, flags=re.S)
    assert re.search(r'<h2 id="duties">部门职责', html)
    assert "qd-boundaries" not in html  # no empty table for the absent part
    for column in ("责任科室", "监管主体", "事项类型", "办理依据"):
        assert f"<th>{column}</th>" in html or f"<strong>{column}</strong>" in html, column
    for value in ("户政股", "治安股", "县公安局治安股", "公共服务", "行政确认", "第五条", "详见县政务服务中心窗口公示"):
        assert value in text, value
    for anchor in ("duty-01", "duty-02", "duty-03", "duty-03-01", "sup-01", "svc-01", "svc-02"):
        assert f'id="{anchor}"' in html, anchor
    assert 'href="tel:' in html and "tel:详见" not in html
    assert 'data-label="办理依据"' in html  # the phone card layout labels extra cells too

    from generator.search import site_records

    records = [r for r in site_records(fixture_site) if r.url.startswith("ceshi/gongan/#")]
    assert len({r.url for r in records}) == len(records)  # one search result per row
    texts = {r.url.split("#")[1]: r.text for r in records}
    for value, row in (("户政股", "duty-01"), ("治安股", "duty-03-01"), ("县公安局治安股", "sup-01"),
                       ("行政确认", "svc-02"), ("第五条", "svc-01")):
        assert value in texts[row], (value, row, texts.get(row))


def test_internal_links_resolve(real_site: Path) -> None:
    broken = []
    for page in pages(real_site):
        for url in ATTRIBUTE_URL.findall(page.read_text(encoding="utf-8")):
            parts = urlsplit(url)
            if parts.scheme or url.startswith(("#", "//", "mailto:", "tel:")) or not parts.path:
                continue
            base = real_site if parts.path.startswith("/") else page.parent
            target = (base / unquote(parts.path).lstrip("/")).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append((page.relative_to(real_site), url))
    assert not broken, broken[:20]


def test_type_and_topic_pages_have_rows_and_links_to_them_resolve(real_site: Path) -> None:
    """Only department types and topics that a register uses have pages (the taxonomy lists
    many more): no built type or topic page, and no row of their index pages, shows zero
    rows, and every link into a topics/ or departments/ folder (site-wide or a county's) from
    any page names a built page."""
    corpus = load_corpus(ROOT / "registers")
    used_types, used_topics = corpus.used_types(), corpus.used_topics()
    assert len(used_types) < len(corpus.types) and len(used_topics) < len(corpus.topics)
    for site in (real_site, real_site / "en"):
        assert sorted(p.parent.name for p in (site / "departments").glob("*/index.html")) == sorted(t.id for t in used_types)
        assert sorted(p.parent.name for p in (site / "topics").glob("*/index.html")) == sorted(t.id for t in used_topics)
    for t in used_types:
        html = (real_site / "departments" / t.id / "index.html").read_text(encoding="utf-8")
        assert re.search(r'<tr id="[^"]+"><td data-label="部门">', html), t.id
    for tp in used_topics:
        html = (real_site / "topics" / tp.id / "index.html").read_text(encoding="utf-8")
        totals = re.findall(r'<td data-label="条目合计">(\d+)</td></tr>', html)
        assert totals and all(int(n) > 0 for n in totals), tp.id
    index = (real_site / "topics" / "index.html").read_text(encoding="utf-8")
    totals = re.findall(r'<td data-label="条目合计">(\d+)</td></tr>', index)
    assert len(totals) == len(used_topics) and all(int(n) > 0 for n in totals)
    index = (real_site / "departments" / "index.html").read_text(encoding="utf-8")
    assert len(re.findall(r'<tr><td data-label="部门类型">', index)) == len(used_types)

    checked, broken = 0, []
    for page in pages(real_site):
        for url in ATTRIBUTE_URL.findall(page.read_text(encoding="utf-8")):
            parts = urlsplit(url)
            if parts.scheme or url.startswith(("#", "//", "mailto:", "tel:")) or not parts.path:
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            if real_site not in target.parents or not {"topics", "departments"} & set(target.relative_to(real_site).parts):
                continue
            checked += 1
            if not (target / "index.html" if target.is_dir() or url.endswith("/") else target).is_file():
                broken.append((page.relative_to(real_site), url))
    assert checked > 100 and not broken, (checked, broken[:20])


def test_every_chinese_page_has_an_english_twin_and_languages_are_set(real_site: Path) -> None:
    zh = [p for p in pages(real_site)
          if p.parts[len(real_site.parts)] not in ("en", "downloads", "schemas") and p.name != "404.html"]
    assert len(zh) > 50
    for page in zh:
        rel = page.relative_to(real_site)
        twin = real_site / "en" / rel
        assert twin.exists(), rel
        assert '<html lang="zh-Hans"' in page.read_text(encoding="utf-8")
        if twin.exists():
            assert '<html lang="en"' in twin.read_text(encoding="utf-8")


def test_every_register_page_links_its_downloads(real_site: Path) -> None:
    for county in ("dingan", "anhua"):
        page = real_site / county / "renkou-jisheng" / "index.html"
        html = page.read_text(encoding="utf-8")
        for suffix in (".json", "-duties.csv", "-boundaries.csv", "-supervision.csv", "-services.csv", ".zh.pdf"):
            name = f"{county}-renkou-jisheng{suffix}"
            assert name in html, name
            assert (real_site / "downloads" / county / "renkou-jisheng" / name).exists(), name


def test_search_records_are_rows_with_sub_words_and_pinyin(real_site: Path) -> None:
    from generator.search import site_records

    records = {r.url: r for r in site_records(real_site)}
    item = records["dingan/renkou-jisheng/#duty-11-02"]
    assert "流动人口" in item.text and item.label == "具体工作事项 11.2" and item.lang == "zh-Hans"
    assert {"liudongrenkou", "ldrk", "liudong"} <= set(item.words.split())
    assert "chufa" in records["anhua/renkou-jisheng/#sup-03-03-02"].words.split()  # 处罚
    division = records["dingan/renkou-jisheng/#matter-01-gongan"]
    assert "县公安局" in division.text  # the department the division names
    assert records["en/dingan/renkou-jisheng/#duty-11-02"].lang == "en"
    assert records["dingan/"].label == "" and records["dingan/"].page == "定安县"


def tree_digest(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def test_same_registers_give_identical_docs_and_site(fixture_site: Path, tmp_path: Path) -> None:
    again = build_copy(tmp_path / "again", ROOT / "tests/fixtures/site/registers", pdf=False)
    first_docs = fixture_site.parent / "docs"
    assert tree_digest(again / "docs") == tree_digest(first_docs)
    assert tree_digest(again / "site") == tree_digest(fixture_site)


def test_a_failed_build_keeps_the_previous_site(fixture_site: Path, tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(fixture_site.parent, root, ignore=shutil.ignore_patterns("docs"))
    before = tree_digest(root / "site")
    register = root / "registers" / "ceshi" / "demo.yaml"
    register.write_text(register.read_text(encoding="utf-8").replace("department: renkou-jisheng", "department: [x]"),
                        encoding="utf-8")
    with pytest.raises(BuildError):
        build(root, pdf=False)
    assert tree_digest(root / "site") == before
    assert not list(root.glob(".site-*"))


def test_no_link_inside_a_link(real_site: Path) -> None:
    nested = []
    for page in pages(real_site):
        depth = 0
        for tag in re.findall(r"<(/?)a\b", page.read_text(encoding="utf-8")):
            depth += -1 if tag else 1
            if depth > 1:
                nested.append(page.relative_to(real_site))
                break
    assert not nested, nested[:10]


def test_search_leaves_out_earlier_versions(fixture_site: Path, tmp_path: Path) -> None:
    """A register's earlier versions (versions/<sha>/) are never search results."""
    import shutil

    from generator.search import site_records

    shutil.copytree(fixture_site / "ceshi" / "demo", tmp_path / "ceshi" / "demo")
    shutil.copytree(fixture_site / "ceshi" / "demo", tmp_path / "ceshi" / "demo" / "versions" / "0123456789ab")
    assert {r.url.split("#")[0] for r in site_records(tmp_path)} == {"ceshi/demo/"}
