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
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from types import SimpleNamespace

import pytest

from generator import adjust
from generator.load import load_file
from generator.model import Corpus, load_corpus
from generator.validate import check
from conftest import assert_golden as golden

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "adjust" / "registers"
REGISTER = FIXTURE / "ceshi" / "jisheng.yaml"
GOLDEN = ROOT / "tests" / "golden" / "adjust"
BUILD_DATE = "2025-06-30"


def assert_golden(name: str, actual: str) -> None:
    golden(GOLDEN / name, actual)


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


# --- Atom feeds ---------------------------------------------------------------------------------------

ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$")


def atom_problems(document: bytes) -> list[str]:
    """The RFC 4287 rules a feed of ours must keep (section 4.1): one id, title and updated
    per feed and entry, an author for every entry, absolute IRIs, RFC 3339 dates, at most
    one alternate link per type, an alternate link for entries without content."""
    problems = []
    root = ET.fromstring(document)
    if root.tag != f"{ATOM}feed":
        return [f"root is {root.tag}"]

    def once(node: ET.Element, tag: str, where: str) -> ET.Element | None:
        found = node.findall(f"{ATOM}{tag}")
        if len(found) != 1:
            problems.append(f"{where}: {len(found)} atom:{tag}")
            return None
        return found[0]

    def common(node: ET.Element, where: str) -> None:
        for tag in ("id", "title", "updated"):
            once(node, tag, where)
        ident = node.find(f"{ATOM}id")
        if ident is not None and not re.match(r"^(https?|tag|urn):", ident.text or ""):
            problems.append(f"{where}: id {ident.text!r} is not an absolute IRI")
        updated = node.find(f"{ATOM}updated")
        if updated is not None and not RFC3339.match(updated.text or ""):
            problems.append(f"{where}: updated {updated.text!r} is not RFC 3339")
        alternates = [(l.get("type"), l.get("hreflang")) for l in node.findall(f"{ATOM}link")
                      if l.get("rel", "alternate") == "alternate"]
        if len(alternates) != len(set(alternates)):
            problems.append(f"{where}: two alternate links of one type")
        for link in node.findall(f"{ATOM}link"):
            if not re.match(r"^https?://", link.get("href", "")):
                problems.append(f"{where}: link href {link.get('href')!r} is not absolute")

    common(root, "feed")
    feed_author = root.find(f"{ATOM}author/{ATOM}name") is not None
    ids = []
    for n, entry in enumerate(root.findall(f"{ATOM}entry")):
        where = f"entry {n}"
        common(entry, where)
        ids.append(entry.findtext(f"{ATOM}id"))
        if not feed_author and entry.find(f"{ATOM}author/{ATOM}name") is None:
            problems.append(f"{where}: no author")
        if entry.find(f"{ATOM}content") is None and not any(
                l.get("rel", "alternate") == "alternate" for l in entry.findall(f"{ATOM}link")):
            problems.append(f"{where}: no content and no alternate link")
    if len(ids) != len(set(ids)):
        problems.append("entry ids repeat")
    return problems


def test_feeds_are_valid_atom_with_one_entry_per_adjustment_and_version(corpus: Corpus) -> None:
    from generator import feeds

    reg = corpus.counties["ceshi"].registers[0]
    versions = {reg.key: [SimpleNamespace(sha="a" * 40, date="2025-06-20", subject="<新> & 版本")]}
    files = feeds.feed_files(corpus, "https://example.org/qd/", {"qingdan": {"publisher": "测试县人民政府"}}, versions)
    assert sorted(files) == ["feeds/ceshi/index.xml", "feeds/ceshi/jisheng.xml", "feeds/index.xml"]
    for name, document in files.items():
        assert atom_problems(document) == [], name
    root = ET.fromstring(files["feeds/ceshi/jisheng.xml"])
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}id") for e in entries] == [
        f"https://example.org/qd/ceshi/jisheng/{a}" for a in (
            "versions/aaaaaaaaaaaa/", "#adj-2025-01", "#adj-2024-01", "#adj-2023-01", "#adj-2022-01", "#adj-2021-01")]
    assert root.findtext(f"{ATOM}updated") == "2025-06-20T00:00:00+08:00"
    cancel = entries[4]
    assert cancel.find(f"{ATOM}category").get("term") == "cancel"
    assert "审核再生育证明" in cancel.findtext(f"{ATOM}summary")
    raw = files["feeds/ceshi/jisheng.xml"].decode("utf-8")
    assert "&lt;b&gt;（国务院决定）&lt;/b&gt;" in raw and "<b>" not in raw  # register text stays text
    assert "&lt;新&gt; &amp; 版本" in raw
    change = entries[3].findtext(f"{ATOM}summary")
    assert "负责流动人口计划生育统计。 → 负责流动人口计划生育统计和信息交换。" in change
    assert feeds.feed_files(corpus, "https://example.org/qd/", {}, versions) == feeds.feed_files(
        corpus, "https://example.org/qd/", {}, versions)
    assert_golden("jisheng.xml", raw)


def test_pages_and_the_catalogue_link_the_feeds(corpus: Corpus) -> None:
    from generator.build import extras
    from generator.opendata import catalogue, licence
    from generator.render import Renderer

    zh = register_page(corpus, "zh")
    assert 'qd_feed: "../../feeds/ceshi/jisheng.xml"' in zh.split("---")[1]
    en = register_page(corpus, "en")
    assert 'qd_feed: "../../../feeds/ceshi/jisheng.xml"' in en.split("---")[1]
    county = Renderer(corpus, "zh", extras([])).county(corpus.counties["ceshi"]).content
    assert 'qd_feed: "../feeds/ceshi/index.xml"' in county.split("---")[1]
    data = catalogue(corpus, "https://example.org/qd/", licence({}))
    feeds = [d for ds in data["dataset"] for d in ds["distribution"] if d["mediaType"] == "application/atom+xml"]
    assert [d["accessURL"] for d in feeds] == ["https://example.org/qd/feeds/ceshi/jisheng.xml",
                                              "https://example.org/qd/feeds/index.xml"]
    main = (ROOT / "overrides" / "main.html").read_text(encoding="utf-8")
    assert 'type="application/atom+xml" href="{{ page.meta.qd_feed | e }}"' in main


def test_built_site_links_and_writes_the_feeds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A real MkDocs build of the fixture: the feeds are written and valid, the home page's
    head links the site feed, a county's and a register's page their own (rel "alternate
    feed": Material fetches a sitemap.xml beside every rel="alternate" exactly), and the
    register page states its currency."""
    from conftest import build_copy

    monkeypatch.setenv("QINGDAN_BUILD_DATE", BUILD_DATE)
    site = build_copy(tmp_path / "adjust", FIXTURE, pdf=False) / "site"
    for name in ("feeds/index.xml", "feeds/ceshi/index.xml", "feeds/ceshi/jisheng.xml"):
        assert atom_problems((site / name).read_bytes()) == [], name
    head = lambda path: (site / path).read_text(encoding="utf-8").split("</head>")[0]  # noqa: E731
    link = '<link rel="alternate feed" type="application/atom+xml" href="{}"'
    assert link.format("feeds/index.xml") in head("index.html")
    assert link.format("../feeds/index.xml") in head("en/index.html")
    for path in ("ceshi/jisheng/index.html", "ceshi/index.html", "counties/index.html"):
        assert head(path).count('type="application/atom+xml"') == (0 if path.startswith("counties") else 1), path
        assert '<link rel="alternate" type="application/atom+xml"' not in head(path)
    assert '<link rel="alternate feed" type="application/atom+xml" href="../../feeds/ceshi/jisheng.xml"' in head(
        "ceshi/jisheng/index.html")
    assert '<link rel="alternate feed" type="application/atom+xml" href="../../../feeds/ceshi/jisheng.xml"' in head(
        "en/ceshi/jisheng/index.html")
    assert '<link rel="alternate feed" type="application/atom+xml" href="../feeds/ceshi/index.xml"' in head(
        "ceshi/index.html")
    page = (site / "ceshi" / "jisheng" / "index.html").read_text(encoding="utf-8")
    assert "本页反映截至 <time datetime=\"2025-06-30\">2025-06-30</time> 已生效的调整。" in page
    assert 'id="prospective"' in page and 'id="svc-02"' not in page
    data = (site / "data.json").read_text(encoding="utf-8")
    assert "https://qingdan.example.org/feeds/ceshi/jisheng.xml" in data


# --- date-addressed pages, two-date comparisons, row timelines ---------------------------------------


def makers(corpus: Corpus, lang: str = "zh") -> dict[str, object]:
    from generator.build import extras
    from generator.render import Renderer

    return Renderer(corpus, lang, extras([])).register_makers(corpus.counties["ceshi"].registers[0])


def test_date_pages_show_the_list_on_each_day_with_the_same_anchors(corpus: Corpus) -> None:
    pages = makers(corpus)
    days = ["2020-01-01", "2021-04-01", "2022-06-01", "2023-02-01", "2024-08-01", "2025-09-01"]
    assert [p for p in pages if "/on/" in p] == [f"ceshi/jisheng/on/{d}.md" for d in days]
    assert len([p for p in pages if "/compare/" in p]) == 15  # every pair of six days
    adopted = pages["ceshi/jisheng/on/2020-01-01.md"]().content  # type: ignore[operator]
    for row in ("duty-02-02", "duty-03", "duty-03-01", "duty-01-02"):
        assert f'id="{row}"' in adopted, row
    assert 'id="duty-01-03"' not in adopted and 'id="svc-02"' not in adopted
    assert "负责流动人口计划生育统计。" in adopted
    assert "本页显示清单在 2020-01-01 的内容</strong>（自 2020-01-01 起有效，至 2021-04-01 前）" in adopted
    assert "search:\n  exclude: true" in adopted  # one searchable copy of each row: today's
    future = pages["ceshi/jisheng/on/2025-09-01.md"]().content  # type: ignore[operator]
    assert "自 2025-09-01 起有效，尚未生效" in future and 'id="svc-02"' in future
    assert_golden("jisheng.on.2022-06-01.zh.md", pages["ceshi/jisheng/on/2022-06-01.md"]().content)  # type: ignore[operator]


def test_two_dates_compared_with_the_character_diff(corpus: Corpus) -> None:
    page = makers(corpus)["ceshi/jisheng/compare/2020-01-01--2025-09-01.md"]().content  # type: ignore[operator]
    rows = re.findall(r"<tr><td>(.*?)</td><td>.*?#([a-z0-9-]+)\">", page)
    assert rows == [("修改", "duty-01-02"), ("新增", "duty-01-03"), ("删除", "duty-02-02"), ("删除", "duty-03"),
                    ("新增", "svc-02")]
    assert "负责流动人口计划生育统计<ins class=\"qd-ins\">和信息交换</ins>。" in page
    assert 'href="../../on/2020-01-01/#duty-02-02"' in page  # a removed row links to where it last stood
    quiet = makers(corpus)["ceshi/jisheng/compare/2023-02-01--2024-08-01.md"]().content  # type: ignore[operator]
    assert "删除" in quiet and "duty-03" in quiet and "duty-01-02" not in quiet
    assert_golden("jisheng.compare.zh.md", page)


def test_row_timelines_link_each_event_to_its_adjustment(corpus: Corpus) -> None:
    zh = register_page(corpus, "zh")
    timeline = re.search(r'<li id="timeline-duty-01-02">.*?</li>', zh)
    assert timeline and '<a href="./#adj-2023-01">2023-02-01 修改</a>' in timeline.group()
    assert "<ins class=\"qd-ins\">和信息交换</ins>" in timeline.group()
    assert '<li id="timeline-duty-03">部门职责 › 职责 3 <code>duty-03</code>：<a href="./#adj-2024-01">2024-08-01 删除</a>' in zh
    assert '<p class="qd-dates" id="dates">按日期查看：<a href="on/2020-01-01/">2020-01-01</a>' in zh


def test_many_dates_compare_each_with_the_next_and_today(corpus: Corpus) -> None:
    from generator import dated
    from generator.adjust import Adjustment

    reg = corpus.counties["ceshi"].registers[0]
    many = [Adjustment(f"adj-{n}", "add", f"2021-{n:02d}-01", f"2021-{n:02d}-01") for n in range(1, 13)]
    original = reg.adjustments
    reg.adjustments = many
    try:
        chosen = dated.pairs(reg)
    finally:
        reg.adjustments = original
    days = dated.dates(SimpleNamespace(adjustments=many, adopted="2020-01-01"))  # type: ignore[arg-type]
    assert len(days) == 13 and len(chosen) < 13 * 12 // 2
    assert all((a, b) in chosen for a, b in zip(days, days[1:]))
    assert all((d, days[-1]) in chosen for d in days[:-1])


# --- the scripted sequence, as an editor makes it, one commit per step --------------------------------


def test_scripted_sequence_in_git_gives_the_fixture_and_its_feed(tmp_path: Path) -> None:
    """Adopt, then add, cancel, change, hand down and a prospective add, each done the way
    CONTRIBUTING.md tells an editor (cut a removed row into `previous`, keep a changed row's
    old fields there) and committed: every step checks clean, the last step is the fixture,
    the list each commit holds is the list the records derive for its day, and the register
    feed carries one entry per adjustment and per committed version."""
    import copy
    import shutil
    import subprocess

    import yaml

    from generator import feeds
    from generator.changelog import versions

    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org"}
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURE, repo / "registers")
    target = repo / "registers" / "ceshi" / "jisheng.yaml"
    final = load_file(REGISTER).data
    adjustments = {a["id"]: a for a in final["adjustments"]}

    def commit(data: dict[str, object], day: str, message: str) -> None:
        target.write_text("# yaml-language-server: $schema=../../../../../schemas/register.schema.json\n"
                          + yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        assert check([repo / "registers"]).errors == 0, message
        stamp = {"GIT_AUTHOR_DATE": f"{day}T10:00:00+08:00", "GIT_COMMITTER_DATE": f"{day}T10:00:00+08:00"}
        for args in (["add", "-A"], ["commit", "-qm", message]):
            subprocess.run(["git", "-C", str(repo), *args], check=True, env={**env, **stamp}, capture_output=True)

    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True, env=env)
    data = copy.deepcopy(adjust.state_on(final, "2020-01-01"))
    del data["adjustments"]
    commit(data, "2020-01-01", "adopt")
    data["adjustments"] = []
    items = lambda d, n: d["duties"]["rows"][n]["items"]  # noqa: E731
    # add: the new item goes into the list, the record names it
    items(data, 0).append({"id": "duty-01-03", "text": "核查流动人口计划生育信息。"})
    data["adjustments"].append(adjustments["adj-2021-01"])
    commit(data, "2021-03-01", "add")
    # cancel: the item is cut from the list into the record
    assert items(data, 1).pop(1)["id"] == "duty-02-02"
    data["adjustments"].append(adjustments["adj-2022-01"])
    commit(data, "2022-05-10", "cancel")
    # change: the new text in the list, the old one in the record
    items(data, 0)[1]["text"] = "负责流动人口计划生育统计和信息交换。"
    data["adjustments"].append(adjustments["adj-2023-01"])
    commit(data, "2023-02-01", "change")
    # hand down: the whole duty is cut into the record
    assert data["duties"]["rows"].pop(2)["id"] == "duty-03"
    data["adjustments"].append(adjustments["adj-2024-01"])
    commit(data, "2024-07-01", "hand down")
    # a prospective add
    data["services"]["rows"].append(final["services"]["rows"][1])
    data["adjustments"].append(adjustments["adj-2025-01"])
    commit(data, "2025-06-15", "add, in force later")
    assert load_file(target).data == final

    corpus = load_corpus(repo / "registers", as_of=BUILD_DATE)
    history = versions(repo, corpus)
    reg = corpus.counties["ceshi"].registers[0]
    committed = history[reg.key]
    assert [v.subject for v in committed] == ["add, in force later", "hand down", "change", "cancel", "add", "adopt"]
    for v, day in zip(committed, ["2025-09-01", "2024-08-01", "2023-02-01", "2022-06-01", "2021-04-01", "2020-01-01"]):
        held = {k: val for k, val in v.register.data.items() if k != "adjustments"}
        derived = {k: val for k, val in adjust.state_on(final, day).items() if k != "adjustments"}
        assert held == derived, v.subject  # git history and the records agree
    document = feeds.feed_files(corpus, "https://example.org/", {}, history)["feeds/ceshi/jisheng.xml"]
    assert atom_problems(document) == []
    terms = [c.get("term") for c in ET.fromstring(document).iter(f"{ATOM}category")]
    assert terms.count("version") == 6 and sorted(t for t in terms if t != "version") == sorted(
        ["add", "cancel", "change", "hand-down", "add"])


def test_merge_take_over_and_correction(tmp_path: Path) -> None:
    """The other types: two items merged into a new one, a service taken over, a typo
    corrected; checked clean, and the day before each the list is as it was."""
    import shutil

    import yaml

    shutil.copytree(FIXTURE, tmp_path / "registers")
    path = tmp_path / "registers" / "ceshi" / "jisheng.yaml"
    data = load_file(path).data
    items = data["duties"]["rows"][0]["items"]
    merged = items.pop(0), items.pop(0)  # duty-01-01 and duty-01-02 become duty-01-04
    items.insert(0, {"id": "duty-01-04", "text": "开展流动人口计划生育宣传和统计。"})
    data["services"]["rows"][0]["name"] = "避孕药具免费发放"
    data["services"]["rows"].append({"id": "svc-03", "number": "3", "name": "生育登记", "content": "办理生育登记。",
                                     "agency": "测试县计划生育服务站", "phone": "63822175"})
    doc = {"adopted": "2026-01-05"}
    data["adjustments"] += [
        {"id": "adj-2026-01", "type": "merge", "document": dict(doc), "effective": "2026-02-01",
         "rows": ["duty-01-01", "duty-01-02", "duty-01-04"],
         "previous": [{"id": "duty-01-01", "at": "duty-01/items", "row": {"text": merged[0]["text"]}},
                      {"id": "duty-01-02", "at": "duty-01/items", "after": "duty-01-01",
                       "row": {"text": merged[1]["text"]}}]},
        {"id": "adj-2026-02", "type": "take-over", "document": dict(doc), "effective": "2026-02-01",
         "from": "测试县卫生局", "rows": ["svc-03"]},
        {"id": "adj-2026-03", "type": "correction", "document": dict(doc), "effective": "2026-02-01",
         "rows": ["svc-01"], "previous": [{"id": "svc-01", "fields": {"name": "避孕药具发放"}}]},
    ]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = check([tmp_path / "registers"])
    assert result.errors == 0, [(f.code, f.message_en) for f in result.findings if f.severity == "error"]
    before = adjust.state_on(load_file(path).data, "2026-01-31")
    assert [i["id"] for i in before["duties"]["rows"][0]["items"]] == ["duty-01-01", "duty-01-02", "duty-01-03"]
    assert [s["id"] for s in before["services"]["rows"]] == ["svc-01", "svc-02"]
    assert before["services"]["rows"][0]["name"] == "避孕药具发放"
    records = adjust.records(load_file(path).data)
    assert [(e.id, e.effect) for e in records[-3].effects] == [
        ("duty-01-01", "disappear"), ("duty-01-02", "disappear"), ("duty-01-04", "appear")]
    # a merge that only removes is incomplete
    data["adjustments"][-3]["rows"] = ["duty-01-01", "duty-01-02"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert {f.code for f in check([path]).findings if f.severity == "error"} == {"adjustment-merge-incomplete"}
