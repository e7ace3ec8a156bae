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


def test_search_index_keeps_register_text_escaped(fixture_site: Path) -> None:
    """Material shows a result's title and text as HTML: row entries, which our hook writes
    from the parsed page, must stay escaped as Material's own entries are."""
    import json

    docs = json.loads((fixture_site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    row = next(d for d in docs if d["location"] == "ceshi/demo/#duty-01-01")
    assert "&lt;script&gt;alert('x')&lt;/script&gt;" in row["text"].replace("\u200b", "")
    raw = [d["location"] for d in docs if re.search(r"<(script|b|i|u)>", d["title"] + d["text"])]
    assert not raw


def test_v2_register_page_shows_absent_parts_and_every_extra_column(fixture_site: Path) -> None:
    """The schema-v2 fixture register on the built site: the stated reason (or 无) under each
    part without rows, never an empty table; the standard label for a part without heading;
    every extra column as a header and every value in its row; unnumbered rows keep their
    anchors; each extra value is in a search entry that leads to its row."""
    import json

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

    docs = json.loads((fixture_site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    entries = [d for d in docs if d["location"].startswith("ceshi/gongan/#")]
    assert len({d["location"] for d in entries}) == len(entries)  # Material keeps one entry per location
    for value, row in (("户政股", "duty-01"), ("治安股", "duty-03-01"), ("县公安局治安股", "sup-01"),
                       ("行政确认", "svc-02"), ("第五条", "svc-01")):
        assert any(value in d["text"].replace("\u200b", "") and d["location"] == f"ceshi/gongan/#{row}"
                   for d in entries), (value, row)


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


def test_search_index_has_rows_and_pinyin(real_site: Path) -> None:
    import json

    index = json.loads((real_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"][0] == "zh"
    rows = {d["location"]: d for d in index["docs"]}
    item = rows["dingan/renkou-jisheng/#duty-11-02"]
    assert "流动人口" in item["text"]
    assert {"流动人口", "liudongrenkou", "ldrk", "liudong"} <= set(item["tags"])
    assert "处罚" in rows["anhua/renkou-jisheng/#sup-03-03-02"]["tags"]


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
