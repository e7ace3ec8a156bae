"""Accessibility (WCAG 2.1 AA, GB/T 37668, 适老化) of the built site, in Debian's Chromium.

axe-core (npm, pinned in package-lock.json, installed by `make deps`) runs inside every page
type in both languages at a phone's 390 px and a desktop's 1280 px; the other tests do what
axe cannot: keyboard order, off-screen tab stops, announcements, anchors under the sticky
header, language marks, the phone cards and the reading mode.
"""
from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import ARTIFACTS, ROOT, _serve, project_copy
from generator.build import build

pytestmark = [pytest.mark.browser, pytest.mark.slow]

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
WIDTHS = (390, 1280)
PAGES = {
    "home": "",
    "county": "dingan/",
    "register": "anhua/renkou-jisheng/",
    "register-dingan": "dingan/renkou-jisheng/",
    "department": "dingan/departments/gongan/",
    "department-type": "departments/gongan/",
    "law": "laws/hainan-renkou-jisheng-tiaoli/",
    "topic": "topics/liudong-renkou/",
    "services": "services/",
    "county-services": "dingan/services/",
    "pinyin": "pinyin/",
    "county-pinyin": "anhua/pinyin/",
    "comparison": "compare/dingan-anhua-renkou-jisheng/",
    "compare-index": "compare/",
    "matrix": "compare/matrix/",
    "data": "data/",
    "guide": "guide/",
    "errors": "reference/errors/",
    "404": "404.html",
}
"""One page of every kind (Chinese path; the English one is under en/)."""

CJK_WITHOUT_LANG = """() => {
  const ideograph = /[\\u3400-\\u9fff]/, out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!ideograph.test(node.data) || el.closest("script, style, [aria-hidden=true]")) continue;
    // register text that quotes Chinese inside its English translation is data, not markup
    if (el.closest(".qd-quote, .qd-compare-text")) continue;
    if (!el.closest("[lang]").getAttribute("lang").startsWith("zh")) out.push(el.tagName + ": " + node.data.trim());
  }
  return out;
}"""


def url_of(kind: str, lang: str) -> str:
    return ("en/" if lang == "en" else "") + PAGES[kind]


def axe(tab: Any, rules: dict[str, Any] | None = None) -> list[str]:
    """axe-core's violations on the loaded page, one line per rule with its first nodes."""
    if not AXE.exists():
        pytest.fail("axe-core is not installed: run `make deps` (npm ci)")
    tab.add_script_tag(path=str(AXE))
    options: dict[str, Any] = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    if rules:
        options = {"runOnly": {"type": "rule", "values": list(rules)}, "resultTypes": ["violations"]}
    found = tab.evaluate("async (options) => (await axe.run(document, options)).violations.map(v => "
                         "`${v.id} [${v.impact}] ×${v.nodes.length}: ` + v.nodes.slice(0, 3).map(n => n.target.join(' '))"
                         ".join(' | '))", options)
    return list(found)


@pytest.fixture
def tabs(browser: Any) -> Iterator[Any]:
    """Opens pages at a given width; closes every context afterwards."""
    contexts: list[Any] = []

    def open_tab(width: int, **options: Any) -> Any:
        # axe-core is injected as a script, which the site's Content-Security-Policy refuses by
        # design; tests/test_publish.py loads every page type under that policy.
        context = browser.new_context(viewport={"width": width, "height": 844 if width < 600 else 900},
                                      bypass_csp=True, **options)
        contexts.append(context)
        tab = context.new_page()
        tab.errors = []
        tab.on("pageerror", lambda exc: tab.errors.append(str(exc)))
        return tab

    yield open_tab
    for context in contexts:
        context.close()


# Rows off screen are skipped at first (content-visibility: auto) and drawn by qingdan.js after
# load; axe measures boxes (contrast behind a text, target spacing), so it audits the page once
# nothing is left skipped, as a reader who scrolls there finds it.
ALL_DRAWN = """() => ![...document.querySelectorAll('body *')].some(
  el => getComputedStyle(el).contentVisibility === 'auto')"""


def load(tab: Any, url: str) -> None:
    tab.goto(url)
    tab.wait_for_load_state("networkidle")
    tab.wait_for_function(ALL_DRAWN, polling=100, timeout=20_000)


@pytest.fixture(scope="module")
def versioned_site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The fixture county committed to git, so its register has a point-in-time (version) page."""
    project = project_copy(tmp_path_factory.mktemp("versioned"), ROOT / "tests/fixtures/site/registers")
    git = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", "-c", "commit.gpgsign=false"]
    subprocess.run([*git, "init", "-q"], cwd=project, check=True)
    subprocess.run([*git, "add", "registers"], cwd=project, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "首次公布"], cwd=project, check=True)
    build(project, pdf=False)
    yield from _serve(project / "site")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("kind", list(PAGES))
def test_axe_finds_nothing_and_nothing_scrolls_sideways(tabs: Any, site_url: str, kind: str, lang: str,
                                                       width: int) -> None:
    tab = tabs(width)
    load(tab, site_url + url_of(kind, lang))
    assert tab.evaluate("document.documentElement.lang") == ("zh-Hans" if lang == "zh" else "en")
    assert axe(tab) == []
    assert tab.evaluate("document.scrollingElement.scrollWidth") <= width, "the page scrolls sideways"
    assert tab.errors == []


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_axe_on_a_version_page(tabs: Any, versioned_site_url: str, lang: str, width: int) -> None:
    tab = tabs(width)
    load(tab, versioned_site_url + ("en/" if lang == "en" else "") + "ceshi/demo/")
    link = tab.locator(".qd-versions a").first.get_attribute("href")
    load(tab, tab.url + link)
    assert "/versions/" in tab.url and tab.locator(".qd-version").count() == 1
    assert axe(tab) == []
    assert tab.evaluate("document.scrollingElement.scrollWidth") <= width


@pytest.mark.parametrize("kind", [k for k in PAGES if k != "404"])
def test_english_pages_mark_their_chinese(tabs: Any, site_url: str, kind: str) -> None:
    """Every Chinese word on an English page sits inside lang="zh-Hans" (screen readers switch
    voice), and no English heading keeps Chinese numbering."""
    tab = tabs(1280)
    load(tab, site_url + url_of(kind, "en"))
    assert tab.evaluate(CJK_WITHOUT_LANG) == []
    headings = tab.evaluate("() => [...document.querySelectorAll('article :is(h1, h2, h3, h4)')].map(h => h.textContent)")
    assert not [h for h in headings if any(mark in h for mark in ("（", "、"))], headings


def test_english_boundary_table_names_departments_in_english(tabs: Any, site_url: str) -> None:
    tab = tabs(1280)
    load(tab, site_url + "en/anhua/renkou-jisheng/")
    cell = tab.locator("#matter-02-gongan td.qd-dept")
    assert cell.locator("a").inner_text() == "Anhua County Public Security Bureau"
    assert cell.locator("[lang=zh-Hans]").inner_text() == "县公安局"


@pytest.mark.parametrize(("lang", "message"), [("zh", "链接已复制"), ("en", "Link copied")])
def test_copy_link_is_announced_and_each_button_has_its_own_name(tabs: Any, site_url: str, lang: str,
                                                                message: str) -> None:
    tab = tabs(1280)
    load(tab, site_url + ("en/" if lang == "en" else "") + "anhua/renkou-jisheng/")
    names = tab.eval_on_selector_all("a.qd-permalink", "els => els.map(e => e.getAttribute('aria-label'))")
    assert len(names) > 100 and len(set(names)) == len(names), "every copy-link button needs its own name"
    first = tab.locator("#duty-03 a.qd-permalink").first
    assert first.get_attribute("aria-label") == ("复制“主要职责 3”的链接" if lang == "zh" else "Copy the link to Main duty 3")
    box = first.bounding_box()
    assert box and box["width"] >= 24 and box["height"] >= 24
    status = tab.locator("[role=status][aria-live=polite]")
    assert status.count() == 1 and status.inner_text() == ""
    first.focus()
    tab.keyboard.press("Enter")
    tab.wait_for_function("() => document.querySelector('[role=status]').textContent !== ''")
    assert status.inner_text() == message


@pytest.mark.parametrize("width", WIDTHS)
def test_every_tab_stop_is_on_screen_and_visible(tabs: Any, site_url: str, width: int) -> None:
    """Tab through the top of a register page: each stop has a size and lies inside the
    window once focused (no stops in the closed menu or the closed search)."""
    tab = tabs(width)
    load(tab, site_url + "anhua/renkou-jisheng/")
    seen = []
    for _ in range(45):
        tab.keyboard.press("Tab")
        if tab.evaluate("document.activeElement.closest('.md-search') !== null"):
            tab.wait_for_timeout(400)  # focusing the box opens the search; measure after its widening transition
        stop = tab.evaluate("""() => { const e = document.activeElement, r = e.getBoundingClientRect();
            const s = getComputedStyle(e);
            return {name: e.tagName + '.' + e.className + ' ' + (e.getAttribute('aria-label') || e.textContent.trim()).slice(0, 30),
                    x: r.left, y: r.top, w: r.width, h: r.height, outline: s.outlineStyle, shadow: s.boxShadow}; }""")
        seen.append(stop["name"])
        assert stop["w"] >= 1 and stop["h"] >= 1, f"zero-size tab stop: {stop}"
        assert stop["x"] >= 0 and stop["x"] + stop["w"] <= width + 1, f"off-screen tab stop: {stop}"
        assert -1 <= stop["y"] < tab.viewport_size["height"], f"off-screen tab stop: {stop}"
    if width == 390:
        assert any("菜单" in name for name in seen), seen  # ☰ is reachable


def test_menu_button_opens_the_drawer_from_the_keyboard(tabs: Any, site_url: str) -> None:
    tab = tabs(390)
    load(tab, site_url + "dingan/")
    menu = tab.locator(".qd-menu-button")
    menu.focus()
    assert menu.get_attribute("aria-expanded") == "false"
    tab.keyboard.press("Enter")
    tab.wait_for_function("() => document.getElementById('__drawer').checked")
    assert menu.get_attribute("aria-expanded") == "true"
    tab.wait_for_function("() => document.activeElement.closest('.md-sidebar--primary') !== null")
    box = tab.evaluate("document.activeElement.getBoundingClientRect().toJSON()")
    assert 0 <= box["x"] < 390
    tab.keyboard.press("Escape")
    tab.wait_for_function("() => !document.getElementById('__drawer').checked")
    assert tab.evaluate("document.activeElement.classList.contains('qd-menu-button')")


def test_language_menu_shows_keyboard_focus(tabs: Any, site_url: str) -> None:
    tab = tabs(1280)
    load(tab, site_url + "dingan/")
    tab.locator(".md-select__link[hreflang=en]").focus()
    style = tab.evaluate("(() => { const s = getComputedStyle(document.activeElement);"
                         " return [s.outlineStyle, parseFloat(s.outlineWidth), s.backgroundColor]; })()")
    assert style[0] != "none" and style[1] >= 2, style


def covered(tab: Any, selector: str) -> str:
    """What covers the top of an element (empty if the element itself is on top)."""
    return tab.evaluate("""(selector) => { const t = document.querySelector(selector), r = t.getBoundingClientRect();
        const hit = document.elementFromPoint(r.left + Math.min(20, r.width / 2), r.top + 4);
        return hit && (t.contains(hit) || hit.contains(t)) ? '' : (hit ? hit.tagName + '.' + hit.className : 'nothing'); }""",
                        selector)


@pytest.mark.parametrize("width", WIDTHS)
def test_anchor_jumps_land_below_the_sticky_bars(tabs: Any, site_url: str, width: int) -> None:
    tab = tabs(width)
    load(tab, site_url + "anhua/pinyin/")
    tab.click(".qd-letters a:has-text('L')")
    tab.wait_for_url("**#letter-l")
    tab.wait_for_timeout(300)
    assert covered(tab, "#letter-l") == ""
    load(tab, site_url + "en/compare/dingan-anhua-renkou-jisheng/#supervision-rules")
    assert covered(tab, "#supervision-rules") == ""
    load(tab, site_url + "anhua/renkou-jisheng/#duty-05")
    assert covered(tab, "#duty-05") == ""


def test_pinyin_links_have_names(tabs: Any, site_url: str) -> None:
    tab = tabs(1280)
    load(tab, site_url + "pinyin/")
    names = tab.eval_on_selector_all("dl.qd-index a", "els => els.map(e => e.getAttribute('aria-label') || e.textContent)")
    assert names and "→" not in names
    assert "转到公安机关" in names


def test_register_cards_on_a_phone(tabs: Any, site_url: str) -> None:
    """At 390 px rows are cards: no empty labels, later cards name their duty, and the
    column headers stay in the accessibility tree."""
    tab = tabs(390, device_scale_factor=2, is_mobile=True)
    load(tab, site_url + "dingan/renkou-jisheng/")
    empty = tab.evaluate("() => [...document.querySelectorAll('table.qd-table td[data-label]')]"
                         ".filter(td => td.offsetHeight > 0 && td.textContent.trim() === '').length")
    assert empty == 0
    second = tab.locator("table.qd-duties tr.qd-row:not(.qd-group-start)").first
    label = second.evaluate("el => getComputedStyle(el, '::before').content")
    assert label.startswith('"主要职责 ') and label.endswith('（续）"'), label
    assert tab.get_by_role("columnheader").count() >= 5
    ARTIFACTS.mkdir(exist_ok=True)
    second.scroll_into_view_if_needed()
    tab.screenshot(path=str(ARTIFACTS / "a11y-phone-cards.png"))


@pytest.mark.parametrize("width", WIDTHS)
def test_reading_mode_doubles_the_text_keeps_everything_and_is_remembered(tabs: Any, site_url: str,
                                                                           width: int) -> None:
    tab = tabs(width)
    load(tab, site_url + "anhua/renkou-jisheng/")
    size = "() => { const e = document.querySelector('#duty-03'); return parseFloat(getComputedStyle(e).fontSize)" \
           " * (parseFloat(getComputedStyle(document.querySelector('.md-content')).zoom) || 1); }"
    before = tab.evaluate(size)
    button = tab.locator("[data-qd-reading]")
    assert button.is_visible() and button.get_attribute("aria-pressed") == "false"
    button.click()
    assert button.get_attribute("aria-pressed") == "true"
    assert tab.evaluate(size) >= 2 * before
    assert tab.evaluate("document.scrollingElement.scrollWidth") <= width
    assert tab.locator("#duty-03").is_visible() and tab.locator("#svc-07").is_visible()
    assert axe(tab) == []
    assert axe(tab, {"color-contrast-enhanced": True}) == [], "high contrast: 7:1 (AAA) for all text"
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / f"a11y-reading-{width}.png"))
    load(tab, site_url + "en/dingan/")  # another page, the other language: still on
    assert tab.evaluate("document.documentElement.classList.contains('qd-reading')")
    assert tab.locator("[data-qd-reading]").get_attribute("aria-pressed") == "true"
    assert tab.evaluate("document.scrollingElement.scrollWidth") <= width
    tab.locator("[data-qd-reading]").click()
    load(tab, site_url + "dingan/")
    assert not tab.evaluate("document.documentElement.classList.contains('qd-reading')")


@pytest.mark.parametrize(("path", "lang", "home"), [("404.html", "zh-Hans", "/"), ("en/404.html", "en", "/en/")])
def test_each_edition_has_its_404_page(tabs: Any, site_url: str, path: str, lang: str, home: str) -> None:
    tab = tabs(1280)
    load(tab, site_url + path)
    assert tab.evaluate("document.documentElement.lang") == lang
    links = tab.eval_on_selector_all(".md-select__link", "els => els.map(e => e.getAttribute('href'))")
    assert links == ["/", "/en/"]
    assert tab.locator("article a").first.get_attribute("href") == home


@pytest.mark.parametrize(("lang", "width"), [("zh", 390), ("zh", 1280), ("en", 390), ("en", 1280)])
def test_screenshots_for_review(tabs: Any, site_url: str, lang: str, width: int) -> None:
    """Pictures a person looks at (test-artifacts/): the register page in each language and width."""
    tab = tabs(width)
    load(tab, site_url + ("en/" if lang == "en" else "") + "anhua/renkou-jisheng/#matter-02")
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / f"a11y-register-{lang}-{width}.png"))
    assert Path(ARTIFACTS / f"a11y-register-{lang}-{width}.png").stat().st_size > 10_000
