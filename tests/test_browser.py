"""What a citizen does on the built site, in Debian's Chromium driven by Playwright.

Search (Pagefind's index drawn by overrides/assets/js/search.js) is driven with one page
load per query: focus the box, insert the text (an `input` event and no key event, as a
paste or dictation gives), wait for the result count.
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


BOX = "input[data-qd-search-query]"


def results(page: Any, site_url: str) -> list[str]:
    """The links shown, as paths under the site root with their anchors, once the count shows."""
    page.wait_for_function("() => /结果|document/.test(document.querySelector('.md-search-result__meta').textContent)",
                           timeout=15_000)
    links = page.eval_on_selector_all(".md-search-result__list a.md-search-result__link", "els => els.map(a => a.href)")
    return [link.removeprefix(site_url) for link in links]


def search(page: Any, site_url: str, query: str, start: str = "") -> list[str]:
    page.goto(site_url + start)
    page.wait_for_load_state("networkidle")
    page.focus(BOX)
    page.keyboard.insert_text(query)
    return results(page, site_url)


def test_home_to_county_to_register(page: Any, site_url: str) -> None:
    page.goto(site_url)
    page.click("a.qd-card:has-text('定安县')")
    page.wait_for_url("**/dingan/")
    page.click("a.qd-card:has-text('责任清单')")
    page.wait_for_url("**/dingan/renkou-jisheng/")
    for heading in ("一、部门职责登记表", "二、与相关部门的职责边界登记表", "三、事中事后监管制度", "四、公共服务事项登记表"):
        assert page.is_visible(f"h2:has-text('{heading}')")


@pytest.mark.parametrize(("query", "first"), [
    ("网络传输", "anhua/renkou-jisheng/#duty-03-01"),               # a phrase in one row
    ("胎儿性别鉴定", "dingan/renkou-jisheng/#matter-02-weisheng"),    # a phrase in one division
    ("流动人口 义务教育", "anhua/renkou-jisheng/#matter-02-jiaoyu"),  # two words of one row, apart
    ("63822173", "dingan/renkou-jisheng/#svc-01"),                   # a phone number
    ("收养法", "laws/shouyang-fa/"),                                   # a law by its short name
    ("定安县", "dingan/"),                                             # a county by its name
    ("anhua", "anhua/"),                                               # ... in pinyin, without 县
])
def test_search_puts_the_expected_result_first(page: Any, site_url: str, query: str, first: str) -> None:
    links = search(page, site_url, query)
    assert links and links[0] == first, links[:5]


def test_search_loads_no_index_with_the_page_and_little_per_query(page: Any, site_url: str) -> None:
    fetched: list[tuple[str, int]] = []
    page.on("response", lambda r: fetched.append((r.url, int(r.headers.get("content-length") or 0))))
    page.goto(site_url + "dingan/renkou-jisheng/")
    page.wait_for_load_state("networkidle")
    assert not [url for url, _ in fetched if "/pagefind/" in url or "/search/" in url]
    page.focus(BOX)
    page.keyboard.insert_text("流动人口")
    results(page, site_url)
    page.wait_for_load_state("networkidle")
    search_bytes = sum(size for url, size in fetched if "/pagefind/" in url)
    assert 0 < search_bytes < 400_000, search_bytes
    assert not [url for url, _ in fetched if "search_index.json" in url]


def test_search_finds_rows_of_both_counties_and_marks_whole_words(page: Any, site_url: str) -> None:
    links = search(page, site_url, "流动人口")
    assert links[0] == "topics/liudong-renkou/", links[:5]  # the page named so, then the rows
    assert any(link.startswith("dingan/renkou-jisheng/#duty-11") for link in links), links
    assert any(link.startswith("anhua/renkou-jisheng/#duty-03") for link in links), links
    texts = page.eval_on_selector_all(".md-search-result__list .qd-search-text", """els => els.map(p =>
        [p.textContent, [...p.querySelectorAll('mark')].map(m => m.textContent)])""")
    whole = [marks for text, marks in texts if "流动人口" in text]
    assert whole and all(marks and set(marks) == {"流动人口"} for marks in whole), whole  # the phrase, not 流动 + 人口
    assert {m for _, marks in texts for m in marks} <= {"流动人口", "流动", "人口"}  # never 动人 or one character
    assert not [link for link in links if "?" in link], "no highlight parameters in result links"


@pytest.mark.parametrize("query", ["网络传输", "社会抚养费", "63822173"])
def test_each_result_is_a_row_holding_the_words(page: Any, site_url: str, query: str) -> None:
    """Rows reach Pagefind in groups of their page (generator/search.py): a result is a row
    of a group that holds some of the query, never a neighbour of it in the group that holds
    none; rows holding the whole query come before any that hold part of it."""
    links = search(page, site_url, query)
    items = page.eval_on_selector_all(".md-search-result__list li", "els => els.map(li => li.textContent)")
    assert links and len(links) == len(set(links)) == len(items)
    assert all(set(query) & set(text) for text in items), [t for t in items if not set(query) & set(t)]
    whole = [query in text for text in items]
    assert whole[0] and whole == sorted(whole, reverse=True), list(zip(whole, links))
    assert all("qd-words" not in link for link in links), links


def test_search_finds_a_word_inside_a_longer_word(page: Any, site_url: str) -> None:
    links = search(page, site_url, "处罚")
    assert any(link.startswith("anhua/renkou-jisheng/#sup-03") for link in links[:5]), links[:5]
    texts = page.inner_text(".md-search-result__list")
    assert "行政处罚" in texts


@pytest.mark.parametrize("query", ["ldrk", "liudong", "liudongrenkou"])
def test_pinyin_search(page: Any, site_url: str, query: str) -> None:
    links = search(page, site_url, query)
    assert links, query
    assert "流动人口" in page.inner_text(".md-search-result__list li:first-child"), links[:3]


def test_english_search_on_the_english_edition(page: Any, site_url: str) -> None:
    links = search(page, site_url, "floating population", start="en/")
    assert links and all(link.startswith("en/") for link in links), links[:5]
    assert any("renkou-jisheng/#" in link for link in links[:5]), links[:5]
    assert "matching documents" in page.inner_text(".md-search-result__meta")  # Material's English strings
    assert "floating population" in page.inner_text(".md-search-result__list li:first-child").lower()


def test_search_dialog_is_material_markup_with_a_name(page: Any, site_url: str) -> None:
    page.goto(site_url)
    dialog = page.locator(".md-search[role=dialog]")
    assert dialog.get_attribute("aria-label") == "查找"  # Material's own word for search
    assert page.locator("[data-md-component=search]").count() == 0, "Material's own search must not start"
    page.goto(site_url + "en/")
    assert page.locator(".md-search[role=dialog]").get_attribute("aria-label") == "Search"


def test_search_keyboard(page: Any, site_url: str) -> None:
    """/ opens the box, arrows move through the results, Enter follows one, Esc closes."""
    page.goto(site_url + "dingan/")
    page.wait_for_load_state("networkidle")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.matches('input[data-qd-search-query]')")
    assert page.is_checked("#__search")
    page.keyboard.insert_text("药具")
    links = results(page, site_url)
    assert len(links) >= 2
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.href").removeprefix(site_url) == links[0]
    page.keyboard.press("Enter")
    page.wait_for_url(site_url + links[0])
    assert not page.is_checked("#__search")
    page.keyboard.press("s")
    assert page.is_checked("#__search")
    page.keyboard.press("Escape")
    assert not page.is_checked("#__search")


def test_search_answers_paste_dictation_and_ime(page: Any, site_url: str) -> None:
    """No key events: the value set and an input event (paste, dictation), or an IME that
    commits with compositionend after composing input events."""
    page.goto(site_url)
    page.wait_for_load_state("networkidle")
    page.focus(BOX)
    page.evaluate("""(q) => { const box = document.querySelector('input[data-qd-search-query]');
        box.value = q; box.dispatchEvent(new InputEvent('input', {bubbles: true, inputType: 'insertFromPaste'})); }""",
                  "出生缺陷")
    assert results(page, site_url)[0].startswith("anhua/renkou-jisheng/#duty-05-0")
    page.evaluate("""(q) => { const box = document.querySelector('input[data-qd-search-query]');
        box.dispatchEvent(new CompositionEvent('compositionstart'));
        box.value = q;
        box.dispatchEvent(new InputEvent('input', {bubbles: true, isComposing: true}));
        box.dispatchEvent(new CompositionEvent('compositionend', {data: q})); }""", "留守老人")
    page.wait_for_function("() => document.querySelector('.md-search-result__list a')"
                           ".href.endsWith('#matter-02-fulian')", timeout=15_000)


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
    tab.click("button[data-qd-expand]")  # the rows are folded part by part (tests/test_a11y.py)
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
    nothing in the results runs."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    dialogs: list[str] = []
    tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    assert search(tab, fixture_site_url, "粗体")[0] == "ceshi/demo/#duty-01-02"
    shown = tab.inner_text(".md-search-result__list")
    assert "<b>粗体</b>" in shown and "{{ config.site_name }}" in shown
    assert tab.query_selector(".md-search-result__list b") is None
    assert search(tab, fixture_site_url, "竖线")[0] == "ceshi/demo/#duty-01-01"
    assert "<script>alert('x')</script>" in tab.inner_text(".md-search-result__list")
    assert tab.query_selector(".md-search-result__list script") is None and dialogs == []
    # 责任科室 is a column the county added: its values find their row
    assert search(tab, fixture_site_url, "综合股")[0] == "ceshi/demo/#duty-01-01"
    context.close()
