"""What a citizen does on the built site, in Debian's Chromium driven by Playwright.

Search is driven as measured on this stack (shared/notes/testing-material-search.md):
one page load per query, focus the box, insert the text, press End, poll the result meta.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def page(browser: Any, site_url: str) -> Iterator[Any]:
    """A fresh page that records console errors and every request leaving 127.0.0.1."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.errors = []
    tab.outside = []
    tab.on("console", lambda msg: tab.errors.append(msg.text) if msg.type == "error" else None)
    tab.on("pageerror", lambda exc: tab.errors.append(str(exc)))
    tab.on("request", lambda req: tab.outside.append(req.url) if not req.url.startswith(site_url) else None)
    yield tab
    assert tab.errors == [], tab.errors
    assert tab.outside == [], tab.outside
    context.close()


def search(page: Any, site_url: str, query: str, start: str = "") -> list[str]:
    page.goto(site_url + start)
    page.wait_for_load_state("networkidle")
    page.focus("input[data-md-component=search-query]")
    page.keyboard.insert_text(query)
    page.keyboard.press("End")
    for _ in range(100):
        meta = page.inner_text(".md-search-result__meta")
        if "结果" in meta or "result" in meta or "document" in meta:
            break
        page.wait_for_timeout(100)
    links = [a.get_attribute("href") for a in page.query_selector_all(".md-search-result__list a")]
    return [link.split("?")[0] + ("#" + link.split("#")[1] if "#" in link else "") for link in links]


def test_home_to_county_to_register(page: Any, site_url: str) -> None:
    page.goto(site_url)
    page.click("a.qd-card:has-text('定安县')")
    page.wait_for_url("**/dingan/")
    page.click("a.qd-card:has-text('责任清单')")
    page.wait_for_url("**/dingan/renkou-jisheng/")
    for heading in ("一、部门职责登记表", "二、与相关部门的职责边界登记表", "三、事中事后监管制度", "四、公共服务事项登记表"):
        assert page.is_visible(f"h2:has-text('{heading}')")


def test_search_finds_floating_population_rows_in_both_counties(page: Any, site_url: str) -> None:
    links = search(page, site_url, "流动人口")
    assert any("dingan/renkou-jisheng/" in link and "#duty-11" in link for link in links), links
    assert any("anhua/renkou-jisheng/" in link and "#duty-03" in link for link in links), links
    missing = page.evaluate("() => [...document.querySelectorAll('.md-search-result__terms')]"
                            ".map(e => getComputedStyle(e).display)")
    assert missing and set(missing) == {"none"}, "no struck-through query fragments under Chinese results"


def test_search_finds_a_word_inside_a_longer_word(page: Any, site_url: str) -> None:
    links = search(page, site_url, "处罚")
    rows = [link for link in links if "renkou-jisheng/#" in link]
    assert rows, links
    texts = page.inner_text(".md-search-result__list").replace("\u200b", "").replace(" ", "")
    assert "行政处罚" in texts


@pytest.mark.parametrize("query", ["ldrk", "liudong"])
def test_pinyin_search(page: Any, site_url: str, query: str) -> None:
    links = search(page, site_url, query)
    assert any("renkou-jisheng/#" in link for link in links), links


def test_english_search_on_the_english_edition(page: Any, site_url: str) -> None:
    links = search(page, site_url, "floating", start="en/")
    assert any("en/" in link and "renkou-jisheng/#" in link for link in links), links


def test_pinyin_index_letter_jump(page: Any, site_url: str) -> None:
    page.goto(site_url + "anhua/pinyin/")
    page.click(".qd-letters a:has-text('L')")
    page.wait_for_url("**#letter-l")
    box = page.locator("#letter-l").bounding_box()
    assert box is not None and 0 <= box["y"] < 300
    assert page.is_visible("dt:has-text('流动人口管理')")


def test_row_anchor_scrolls_to_and_highlights_the_row(page: Any, site_url: str) -> None:
    page.goto(site_url + "anhua/renkou-jisheng/#svc-07")
    page.wait_for_load_state("networkidle")
    cell = page.locator("#svc-07 td").first
    box = cell.bounding_box()
    assert box is not None and 0 <= box["y"] < 900
    colour = cell.evaluate("el => getComputedStyle(el).backgroundColor")
    assert colour == "rgb(255, 243, 191)", colour
    page.click("#svc-07 a.qd-permalink")
    assert page.get_attribute("#svc-07 a.qd-permalink", "data-qd-copied")


def test_language_switch_stays_on_the_register_page(page: Any, site_url: str) -> None:
    page.goto(site_url + "dingan/renkou-jisheng/")
    page.hover(".md-header__option .md-select")
    page.click(".md-select__link[hreflang=en]")
    page.wait_for_url("**/en/dingan/renkou-jisheng/")
    assert page.get_attribute("html", "lang") == "en"
    assert page.is_visible("text=Responsibility List")
    page.hover(".md-header__option .md-select")
    page.click(".md-select__link[hreflang=zh]")
    page.wait_for_url("**/dingan/renkou-jisheng/")
    assert page.get_attribute("html", "lang") == "zh-Hans"


def test_register_page_on_a_phone(browser: Any, site_url: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    tab.goto(site_url + "anhua/renkou-jisheng/#matter-02")
    tab.wait_for_load_state("networkidle")
    assert tab.evaluate("document.scrollingElement.scrollWidth") <= 390
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / "phone-register.png"))
    label = tab.locator("#matter-02-gongan td[data-label]").nth(1)
    assert label.evaluate("el => getComputedStyle(el, '::before').content") == '"职责分工"'
    assert errors == []
    context.close()


@pytest.mark.parametrize(("width", "side_by_side"), [(1280, True), (390, False)])
def test_county_comparison_reads_side_by_side_or_stacked(browser: Any, site_url: str, width: int,
                                                         side_by_side: bool) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    tab.goto(site_url + "compare/dingan-anhua-renkou-jisheng/")
    tab.wait_for_load_state("networkidle")
    pair = tab.locator(".qd-compare-pair").first
    a = pair.locator(".qd-side-a").bounding_box()
    b = pair.locator(".qd-side-b").bounding_box()
    assert a and b
    if side_by_side:
        assert b["x"] > a["x"] + a["width"] - 1 and abs(b["y"] - a["y"]) < 2
    else:
        assert b["y"] >= a["y"] + a["height"] - 1
        assert tab.evaluate("document.scrollingElement.scrollWidth") <= width
    assert tab.locator(".qd-compare-pair ins.qd-ins").count() > 0
    assert tab.locator(".qd-compare-pair del.qd-del").count() > 0
    shared = tab.locator(".qd-compare-pair:has-text('指导全县人口和计划生育公共服务网络体系建设')").first
    links = [shared.locator(f".qd-side-{side} a").first.get_attribute("href") for side in ("a", "b")]
    assert "dingan/renkou-jisheng/#duty-07" in links[0] and "anhua/renkou-jisheng/#duty-08" in links[1]
    ARTIFACTS.mkdir(exist_ok=True)
    shared.scroll_into_view_if_needed()
    tab.screenshot(path=str(ARTIFACTS / f"compare-{width}.png"))
    tab.click(".qd-compare-pair:has-text('指导全县人口和计划生育公共服务网络体系建设') .qd-side-b a >> nth=0")
    tab.wait_for_url("**/anhua/renkou-jisheng/#duty-08*")
    assert errors == []
    context.close()


def test_citizen_finds_a_service_phone_on_a_phone(browser: Any, site_url: str) -> None:
    """Services → the county → its directory: readable at 390 px, the number dialable with
    the county's area code."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
    tab = context.new_page()
    tab.goto(site_url + "services/")
    tab.click("article a:has-text('定安县')")
    tab.wait_for_url("**/dingan/services/")
    tab.wait_for_load_state("networkidle")
    assert tab.evaluate("document.scrollingElement.scrollWidth") <= 390
    phone = tab.locator("td.qd-phone a").first
    assert phone.get_attribute("href") == "tel:+86-898-63822173"
    assert phone.is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / "phone-services.png"))
    context.close()


def test_county_services_show_each_lists_columns_on_a_phone(browser: Any, fixture_site_url: str) -> None:
    """The fixture county's two lists have different service columns: each is its own table
    with its own columns, and on a phone every cell, extra columns too, says what it is."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
    tab = context.new_page()
    tab.goto(fixture_site_url + "ceshi/services/")
    tab.wait_for_load_state("networkidle")
    assert tab.evaluate("document.scrollingElement.scrollWidth") <= 390
    heads = tab.evaluate("() => [...document.querySelectorAll('article table.qd-services')]"
                         ".map(t => [...t.querySelectorAll('th')].map(th => th.textContent))")
    assert heads == [["序号", "服务事项", "主要内容", "承办机构", "联系电话"],
                     ["序号", "服务事项", "主要内容", "联系电话", "事项类型", "办理依据"]]
    basis = tab.locator("td[data-label='办理依据']").first
    label = tab.evaluate("e => getComputedStyle(e, '::before').content", basis.element_handle())
    assert label == '"办理依据"' and "第五条" in basis.inner_text()
    context.close()


def test_search_results_show_register_markup_as_text(browser: Any, fixture_site_url: str) -> None:
    """The fixture's rows hold <script> and <b>: a search result shows them as text, and
    nothing in the results runs (Material draws results as HTML from the index)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    dialogs: list[str] = []
    tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    search(tab, fixture_site_url, "粗体")
    results = tab.query_selector(".md-search-result__list")
    assert results is not None
    assert "<b>粗体</b>" in results.inner_text().replace("\u200b", "")
    assert results.query_selector("b") is None
    shown = tab.evaluate("() => [...document.querySelectorAll('.md-search-result .md-tags')]"
                         ".map(e => getComputedStyle(e).display)")
    assert shown and set(shown) == {"none"}, "the pinyin and sub-word tokens must stay hidden"
    search(tab, fixture_site_url, "竖线")
    assert "<script>alert('x')</script>" in tab.inner_text(".md-search-result__list").replace("\u200b", "")
    assert tab.query_selector(".md-search-result__list script") is None and dialogs == []
    context.close()
