"""Accessibility (WCAG 2.1 AA, GB/T 37668, 适老化) of the built site, in Debian's Chromium.

axe-core (npm, pinned in package-lock.json, installed by `make deps`) runs inside every page
type in both languages at a phone's 390 px and a desktop's 1280 px; the other tests do what
axe cannot: keyboard order, off-screen tab stops, announcements, anchors under the sticky
header, language marks, the phone cards and the reading mode.
"""
from __future__ import annotations

import re
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
    "counties": "counties/",
    "county": "dingan/",
    "register": "anhua/renkou-jisheng/",
    "register-dingan": "dingan/renkou-jisheng/",
    "department": "dingan/departments/gongan/",
    "department-types": "departments/",
    "department-type": "departments/gongan/",
    "laws": "laws/",
    "law": "laws/hainan-renkou-jisheng-tiaoli/",
    "county-laws": "dingan/laws/",
    "topics": "topics/",
    "topic": "topics/liudong-renkou/",
    "county-topics": "anhua/topics/",
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
    "schema": "reference/schema/",
    "scale": "reference/scale/",
    "404": "404.html",
}
"""One page of every kind the real registers make (Chinese path; the English one is under en/)."""

ADJUSTED_PAGES = {
    "register-adjusted": "ceshi/jisheng/",
    "date": "ceshi/jisheng/on/2022-06-01/",
    "date-prospective": "ceshi/jisheng/on/2025-09-01/",
    "date-compare": "ceshi/jisheng/compare/2020-01-01--2025-09-01/",
    "version": "ceshi/jisheng/versions/{sha}/",
}
"""The kinds only a register with adjustments and a git history has (tests/fixtures/adjust,
committed, built on 2025-06-30 so one adjustment is still to come): its change log with row
timelines and the prospective notice, a page per day the list changed, two days compared,
and a version page.  The Atom feeds (feeds/*.xml) are feeds, not pages."""

UNTRANSLATED_PAGES = ["ceshi/demo/", "ceshi/gongan/", "ceshi/services/", "ceshi/laws/", "ceshi/topics/",
                      "ceshi/pinyin/", "ceshi/departments/gongan/", "topics/yaoju/", "pinyin/"]
"""Pages of the escaping fixture (tests/fixtures/site), where many fields have no English yet."""

KINDS = [(re.compile(pattern), kind) for pattern, kind in [
    (r"", "home"), (r"404\.html", "404"), (r"counties/", "counties"), (r"departments/", "department-types"),
    (r"departments/[^/]+/", "department-type"), (r"laws/", "laws"), (r"laws/[^/]+/", "law"), (r"topics/", "topics"),
    (r"topics/[^/]+/", "topic"), (r"services/", "services"), (r"pinyin/", "pinyin"), (r"compare/", "compare-index"),
    (r"compare/matrix/", "matrix"), (r"compare/[^/]+/", "comparison"), (r"data/", "data"), (r"guide/", "guide"),
    (r"reference/errors/", "errors"), (r"reference/schema/", "schema"), (r"reference/scale/", "scale"),
    (r"[^/]+/", "county"), (r"[^/]+/services/", "county-services"), (r"[^/]+/topics/", "county-topics"),
    (r"[^/]+/laws/", "county-laws"), (r"[^/]+/pinyin/", "county-pinyin"), (r"[^/]+/departments/[^/]+/", "department"),
    (r"[^/]+/[^/]+/", "register"), (r"[^/]+/[^/]+/versions/[0-9a-f]+/", "version"),
    (r"[^/]+/[^/]+/on/[0-9-]+/", "date"), (r"[^/]+/[^/]+/compare/[0-9-]+--[0-9-]+/", "date-compare"),
]]
"""Every kind of page by address (the first full match wins): the test below fails on a page
of a kind no pattern knows, so a new kind of page cannot miss the axe and language tests."""


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


@pytest.fixture(scope="module")
def adjusted_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, Path]]:
    """The adjustments fixture committed to git and built on 2025-06-30: (site URL, short sha
    of its register's version page, the built site)."""
    project = project_copy(tmp_path_factory.mktemp("adjusted"), ROOT / "tests/fixtures/adjust/registers")
    git = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", "-c", "commit.gpgsign=false"]
    subprocess.run([*git, "init", "-q"], cwd=project, check=True)
    subprocess.run([*git, "add", "registers"], cwd=project, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "首次公布"], cwd=project, check=True)
    sha = subprocess.run([*git, "rev-parse", "HEAD"], cwd=project, check=True, capture_output=True, text=True).stdout
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("QINGDAN_BUILD_DATE", "2025-06-30")
        build(project, pdf=False)
    for url in _serve(project / "site"):
        yield url, sha.strip()[:12], project / "site"


def adjusted_url(kind: str, lang: str, sha: str) -> str:
    return ("en/" if lang == "en" else "") + ADJUSTED_PAGES[kind].format(sha=sha)


def page_kind(path: str) -> str | None:
    """The kind of the page at `path` (relative to the site, either language)."""
    path = path.removeprefix("en/")
    return next((kind for pattern, kind in KINDS if pattern.fullmatch(path)), None)


def test_every_kind_of_page_is_tested(real_site: Path, adjusted_site: tuple[str, str, Path]) -> None:
    """Walk the built sites: every page is of a known kind, and every kind has an axe test."""
    pages = [p.relative_to(site).as_posix().removesuffix("index.html") for site in (real_site, adjusted_site[2])
             for p in site.rglob("*.html") if p.name in ("index.html", "404.html") and "pagefind" not in p.parts]
    unknown = sorted(p for p in pages if page_kind(p) is None)
    assert unknown == [], "pages of a kind the accessibility tests do not know: add them to KINDS and PAGES"
    found = {page_kind(p) for p in pages}
    tested = {page_kind(path) for path in PAGES.values()} | {page_kind(adjusted_url(kind, "zh", "0" * 12))
                                                             for kind in ADJUSTED_PAGES}
    assert found - tested == set(), "kinds of page without an axe test"
    assert tested == {kind for _, kind in KINDS}
    assert all(page_kind(PAGES[kind]) == kind for kind in PAGES if kind != "register-dingan")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("kind", list(ADJUSTED_PAGES))
def test_axe_on_the_pages_of_an_adjusted_register(tabs: Any, adjusted_site: tuple[str, str, Path], kind: str,
                                                  lang: str, width: int) -> None:
    url, sha, _ = adjusted_site
    tab = tabs(width)
    load(tab, url + adjusted_url(kind, lang, sha))
    assert tab.locator("article h1").count() == 1
    assert axe(tab) == []
    assert tab.evaluate("document.scrollingElement.scrollWidth") <= width, "the page scrolls sideways"
    assert tab.errors == []


HEADINGS_OUTSIDE_CHINESE = """() => [...document.querySelectorAll('article :is(h1, h2, h3, h4)')].map(h => {
  const copy = h.cloneNode(true);
  copy.querySelectorAll('[lang^=zh]').forEach(e => e.remove());
  return copy.textContent;
})"""
"""Each heading's English text: a heading not yet translated keeps its Chinese numbering
(一、), inside its lang="zh-Hans" mark."""


def assert_chinese_marked(tab: Any) -> None:
    assert tab.evaluate(CJK_WITHOUT_LANG) == []
    headings = tab.evaluate(HEADINGS_OUTSIDE_CHINESE)
    assert not [h for h in headings if any(mark in h for mark in ("（", "、"))], headings


@pytest.mark.parametrize("kind", [k for k in PAGES if k != "404"])
def test_english_pages_mark_their_chinese(tabs: Any, site_url: str, kind: str) -> None:
    """Every Chinese word on an English page sits inside lang="zh-Hans" (screen readers switch
    voice), and no English heading keeps Chinese numbering."""
    tab = tabs(1280)
    load(tab, site_url + url_of(kind, "en"))
    assert_chinese_marked(tab)


@pytest.mark.parametrize("kind", list(ADJUSTED_PAGES))
def test_english_pages_of_an_adjusted_register_mark_their_chinese(tabs: Any, adjusted_site: tuple[str, str, Path],
                                                                  kind: str) -> None:
    """Document numbers, the commit subject, a two-date comparison's Chinese rows and the
    fields not yet translated: all marked."""
    url, sha, _ = adjusted_site
    tab = tabs(1280)
    load(tab, url + adjusted_url(kind, "en", sha))
    assert_chinese_marked(tab)


@pytest.mark.parametrize("path", UNTRANSLATED_PAGES)
def test_untranslated_fields_are_marked_on_english_pages(tabs: Any, fixture_site_url: str, path: str) -> None:
    tab = tabs(1280)
    load(tab, fixture_site_url + "en/" + path)
    assert_chinese_marked(tab)


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
    load(tab, site_url + "en/compare/dingan-anhua-renkou-jisheng/#supervision")
    assert covered(tab, "#supervision") == ""
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


PHONE = (390, 844)
COMPARISON = "compare/dingan-anhua-renkou-jisheng/"
VISIBLE = "els => els.filter(e => e.checkVisibility()).length"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_comparison_page_fits_a_phone_and_hides_nothing(tabs: Any, site_url: str, lang: str) -> None:
    """The comparison opens on its summary: each part, and inside it each run of identical
    pairs or of one list's rows, is folded (<details>). With every row shown the page was
    57,902 px tall at 390 px, seventy screens; folded, the summary and all four parts must fit
    in three screens of a 390 × 844 phone, whatever the number of rows.  Nothing is lost: every
    row is in the page, one tap or key away, and "expand all" shows them all."""
    tab = tabs(PHONE[0], device_scale_factor=2, is_mobile=True)
    load(tab, site_url + ("en/" if lang == "en" else "") + COMPARISON)
    folded = tab.evaluate("document.scrollingElement.scrollHeight")
    assert folded <= 3 * PHONE[1], f"{folded} px: more than three screens"
    totals = [int(n) for n in tab.locator("table.qd-compare-summary tfoot td").all_inner_texts()[:3]]
    rows = tab.locator(".qd-compare-row")
    assert rows.count() == sum(totals), "every pair and every one-sided row is in the page"
    assert rows.evaluate_all(VISIBLE) == 0
    assert tab.locator("details.qd-compare-part").count() == 4

    # a part opens from the keyboard; a fold inside says how many rows it holds, and opens too
    part = tab.locator("#supervision + details.qd-compare-part")
    part.locator("> summary").focus()
    tab.keyboard.press("Enter")
    assert part.evaluate("d => d.open")
    fold = part.locator("details.qd-compare-fold-only-b").first
    inside = fold.locator(".qd-compare-row")
    assert str(inside.count()) in fold.locator("> summary").inner_text()
    row = inside.first
    words = row.locator(".qd-compare-text").first.text_content()
    assert words and not row.is_visible()
    fold.locator("> summary").focus()
    tab.keyboard.press("Enter")
    assert row.is_visible() and words in row.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / f"a11y-compare-folded-{lang}-390.png"))

    # everything at once: one button, whose name says what it will do
    expand = tab.locator("button[data-qd-expand]")
    assert expand.is_visible() and expand.get_attribute("aria-expanded") == "false"
    expand.click()
    assert expand.get_attribute("aria-expanded") == "true"
    assert expand.inner_text() == expand.get_attribute("data-qd-collapse")
    assert rows.evaluate_all(VISIBLE) == sum(totals)
    assert tab.evaluate("document.scrollingElement.scrollHeight") > 20 * folded
    assert axe(tab) == []
    assert tab.evaluate("document.scrollingElement.scrollWidth") <= PHONE[0]
    expand.click()
    assert rows.evaluate_all(VISIBLE) == 0

    # printing opens every fold, and closes them again afterwards
    tab.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert rows.evaluate_all(VISIBLE) == sum(totals)
    tab.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert rows.evaluate_all(VISIBLE) == 0

    # a link to a part (the summary table links each one) opens it
    tab.locator("table.qd-compare-summary a[href='#services']").click()
    tab.wait_for_function("() => document.querySelector('#services + details').open")
    assert tab.errors == []


def test_comparison_folds_work_without_script(tabs: Any, site_url: str) -> None:
    """<details> folds and unfolds natively; the expand-all button, which needs the script,
    is not shown without it."""
    tab = tabs(PHONE[0], java_script_enabled=False)
    load(tab, site_url + COMPARISON)
    assert tab.locator(".qd-compare-controls").is_hidden()
    part = tab.locator("#duties + details.qd-compare-part")
    part.locator("> summary").click()
    assert part.locator(".qd-compare-row").first.is_visible()


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
