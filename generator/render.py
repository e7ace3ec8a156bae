"""Render stage: the model becomes Markdown pages (zh and en) for MkDocs.

Templates live in generator/templates/site/ and run under StrictUndefined, so a missing
field fails the build instead of rendering blank.  Register text reaches a page only
through `Linker` (escaped, with department and law names turned into links).
"""
from __future__ import annotations

import functools
import gc
import multiprocessing
import os
import re
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import html

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from . import atomic, messages, paths, pinyin
from .errors import CATALOGUE
from .markup import (
    UNTRANSLATED_MARK, esc, href, mark_chinese, md, number_en, whole_word, written, yaml_string, zh_span,
)
from .tables import Rows
from .model import (
    PARTS, Case, Clause, Corpus, County, Department, Division, Duty, Item, Matter, Register, Row, Section, Service, System, Text,
    historic_register,
)

LANGS = paths.LANGUAGES
TEMPLATES = Path(__file__).parent / "templates" / "site"


@dataclass(frozen=True)
class LinkTargets:
    """Names that become links (name as written → docs page) and one pattern matching them all."""

    targets: dict[str, str]
    pattern: re.Pattern[str] | None

    @classmethod
    def build(cls, corpus: Corpus, county: County | None) -> LinkTargets:
        """Laws and counties everywhere; departments of `county` (names are only unique within one)."""
        targets: dict[str, str] = {}
        for law in corpus.laws.values():
            for name in law.names:
                targets[f"《{name}》"] = paths.law(law)
        for other in corpus.counties.values():
            targets[other.name.zh] = paths.county(other)
        if county is not None:
            for dept in county.departments.values():
                for name in (dept.name.zh, *dept.aliases):
                    targets.setdefault(name, paths.department(dept))
        names = sorted(targets, key=len, reverse=True)
        return cls(targets, re.compile("|".join(map(re.escape, names))) if names else None)

    @functools.cached_property
    def by_length(self) -> list[str]:
        """The names, longest first: the ones to try again where a longer name was no whole word."""
        return sorted(self.targets, key=len, reverse=True)


class Linker:
    """Escapes register text for one page and language, linking law, county and department names."""

    def __init__(self, links: LinkTargets, page: str, lang: str) -> None:
        self.page, self.lang, self.links = page, lang, links
        self.targets, self.pattern = links.targets, links.pattern

    def _link(self, raw: str) -> str:
        """Names are found in the text as written and each piece escaped on its own, so a
        name never matches inside an escape (a department called "quot" in &quot;).  A name
        links only as a whole word (`markup.whole_word`): 县政府办 in 应由县政府办理 does not;
        a shorter name at the same place may (县政府 there)."""
        if self.pattern is None:
            return esc(raw)
        out, last, match = [], 0, self.pattern.search(raw)
        while match is not None:
            start, found = match.start(), self._whole(raw, match.start(), match.group())
            if found is None:
                match = self.pattern.search(raw, start + 1)
                continue
            name, target = esc(found), self.targets[found]
            out.append(esc(raw[last:start]))
            out.append(name if target == self.page else
                       f'<a class="qd-xref" href="{href(self.page, target)}">{name}</a>')
            last = start + len(found)
            match = self.pattern.search(raw, last)
        out.append(esc(raw[last:]))
        return "".join(out)

    def _whole(self, raw: str, start: int, longest: str) -> str | None:
        """The longest name at `start` that is a whole word there."""
        if whole_word(raw, start, start + len(longest)):
            return longest
        return next((n for n in self.links.by_length if len(n) < len(longest) and raw.startswith(n, start)
                     and whole_word(raw, start, start + len(n))), None)

    def html(self, text: Text) -> str:
        """Prose in a table cell or paragraph: escaped, cross-linked, marked when untranslated."""
        if self.lang == "en" and not text.en:
            return f'<span class="qd-untranslated" lang="zh-Hans">{self._link(text.zh)}</span> {UNTRANSLATED_MARK}'
        return self._link(text.get(self.lang) or text.zh)

    def plain(self, text: Text) -> str:
        """Short text inside a link or heading: escaped, no marker, falls back to Chinese."""
        if self.lang == "en" and not text.en:
            return f'<span lang="zh-Hans">{esc(text.zh)}</span>'
        return esc(text.get(self.lang) or text.zh)

    def plain_str(self, value: str) -> str:
        return esc(value)

    def written(self, value: str) -> str:
        """Free text as written in any language (a phone note, a commit subject): its
        Chinese marked on English pages."""
        return written(value, self.lang)

    def num(self, value: str | None) -> str:
        """A row number: as written on Chinese pages, in English numbering on English ones."""
        if not value:
            return ""
        return esc(number_en(value) if self.lang == "en" else value)

    def lead(self, value: str | None) -> str:
        """A number before a title: "（一）对…" in Chinese, "(1) Supervision …" in English."""
        return f"{self.num(value)} " if self.lang == "en" and value else self.num(value)

    def md_num(self, value: str | None) -> str:
        """A row number in a Markdown heading, followed by a space in English."""
        return md(f"{number_en(value)} ") if self.lang == "en" and value else md(value or "")

    def zh(self, value: str) -> str:
        """Text kept in Chinese whatever the page (aliases, document numbers, names as
        written): marked as Chinese on English pages, so a screen reader switches voice."""
        return zh_span(value, self.lang)

    def md(self, text: Text) -> str:
        """Text in a Markdown heading; the Chinese standing in for a missing translation is
        marked on English pages (the heading's own id is given with attr_list)."""
        if self.lang == "en" and not text.en:
            return f'<span lang="zh-Hans">{md(text.zh)}</span>'
        return md(text.get(self.lang) or text.zh)

    def md_str(self, value: str) -> str:
        return md(value)

    def attr(self, text: Text) -> str:
        return esc(text.get(self.lang) or text.zh)

    def yaml(self, text: Text) -> str:
        """Front-matter title: Material prints it unescaped into <title>, so escape it here."""
        return yaml_string(esc(text.get(self.lang) or text.zh))


@dataclass(frozen=True)
class Usage:
    """Ids of the topics and department types that have pages (`Corpus.used_topics`,
    `Corpus.used_types`): templates link a type or topic only when it is one of these."""

    topics: frozenset[str]
    types: frozenset[str]

    @classmethod
    def of(cls, corpus: Corpus) -> Usage:
        return cls(frozenset(t.id for t in corpus.used_topics()), frozenset(t.id for t in corpus.used_types()))


@dataclass
class Page:
    """One generated Markdown page in one language."""

    path: str
    lang: str
    content: str


def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True,
        auto_reload=False,  # a template change makes `qingdan serve` regenerate with new renderers anyway
    )
    env.globals.update(
        paths=paths, text=Text.of, items_of=lambda r: sum(len(d.items) for d in r.duties), kind=row_kind,
        json=yaml_string, esc=esc, esc_pre=html.escape, mark_chinese=mark_chinese,
    )
    return env


ROW_KINDS = (
    (Item, "item"), (Duty, "duty"), (Matter, "matter"), (Division, "division"), (Case, "case"), (System, "system"),
    (Section, "section"), (Clause, "clause"), (Service, "service"),
)


def row_kind(row: Row) -> str:
    return next(name for cls, name in ROW_KINDS if isinstance(row, cls))


def row_text(row: Row) -> Text:
    """The text that names a row in lists of links (a duty's text, a matter, a service name …)."""
    for attribute in ("matter", "title", "name", "heading", "text"):
        value = getattr(row, attribute, None)
        if isinstance(value, Text):
            return value
    raise TypeError(row)


class Renderer:
    """Renders every page of the site for one language."""

    def __init__(self, corpus: Corpus, lang: str, extras: dict[str, Any] | None = None) -> None:
        self.corpus, self.lang = corpus, lang
        self.env = environment()
        self.extras = extras or {}
        self.labels = {key: messages.t(key, lang) for key in messages.catalogue()}
        """Interface strings as `T['key']` in templates: a look-up, not a call, on every row."""
        self._links: dict[str, LinkTargets] = {}
        self.used = Usage.of(corpus)
        """Worked out again by every `makers()`: an edit can make a topic or type used or unused."""

    def links(self, county: County | None) -> LinkTargets:
        """Link targets are the same for every page of a county: build them once."""
        key = county.slug if county else ""
        if key not in self._links:
            self._links[key] = LinkTargets.build(self.corpus, county)
        return self._links[key]

    def render(self, template: str, page: str, county: County | None = None, **context: Any) -> Page:
        linker = Linker(self.links(county), page, self.lang)

        def link(target: str, anchor: str = "") -> str:
            return href(page, target, anchor)

        content = self.env.get_template(template).render(
            corpus=self.corpus, lang=self.lang, page=page, L=linker, T=self.labels, link=link, used=self.used,
            rows=Rows(linker, self.labels, link, self.used.topics), **context,
        )
        return Page(page, self.lang, content)

    def feed(self, page: str, feed: str) -> str:
        """The Atom feed a page names in its front matter (`qd_feed`, linked from the head)."""
        return self.extras["feed"](page, feed, self.lang) if "feed" in self.extras else ""

    def register(self, r: Register) -> Page:
        """The register page as it stands now."""
        page = paths.register(r)
        downloads = self.extras["downloads"](r, page, self.lang) if "downloads" in self.extras else ""
        changelog = self.extras["changelog"](r, page, self.lang) if "changelog" in self.extras else ""
        currency = self.extras["currency"](r, page, self.lang) if "currency" in self.extras else ""
        feed = self.feed(page, paths.feed_register(r))
        history = self.extras.get("versions", {}).get(r.key, [])
        return self.render("register.md.j2", page, r.county, r=r, downloads=downloads, changelog=changelog,
                           currency=currency, feed=feed, history=history, version=None, dated=False, current=r)

    def register_on(self, r: Register, day: str) -> Page:
        """The register as it stood on `day`: the same page, its rows keeping their anchors."""
        page = paths.register_on(r, day)
        then = historic_register(self.corpus, r.county, r.path, r.data, as_of=day)
        notice = self.extras["dated"].notice_html(r, day, page, self.lang)
        return self.render("register.md.j2", page, r.county, r=then, downloads="", changelog="", currency=notice,
                           feed="", history=[], version=None, dated=True, current=r)

    def register_makers(self, r: Register) -> dict[str, Callable[[], Page]]:
        """The register page, and one point-in-time page per earlier version."""
        makers: dict[str, Callable[[], Page]] = {paths.register(r): lambda: self.register(r)}
        for v in self.extras.get("versions", {}).get(r.key, []):
            makers[paths.register_version(r, v.sha)] = lambda v=v: self.render(
                "register.md.j2", paths.register_version(r, v.sha), r.county, r=v.register, downloads="",
                changelog="", currency="", feed="", history=[], version=v, dated=False, current=r)
        dated = self.extras.get("dated")
        if dated is not None:
            for day in dated.dates(r):
                makers[paths.register_on(r, day)] = lambda day=day: self.register_on(r, day)
            for a, b in dated.pairs(r):
                makers[paths.register_compare(r, a, b)] = lambda a=a, b=b: Page(
                    paths.register_compare(r, a, b), self.lang, dated.compare_page(r, a, b, self.lang))
        return makers

    def makers(self) -> dict[str, Callable[[], Page]]:
        """Every page of the site by docs path, each rendered only when called: the parallel
        and the incremental renderings pick the pages they need."""
        corpus = self.corpus
        counties = list(corpus.counties.values())
        self.used = Usage.of(corpus)
        types, topics = corpus.used_types(), corpus.used_topics()
        shares = functools.cache(lambda: CountyShare.of_all(corpus))  # for the pages that ask, once
        makers: dict[str, Callable[[], Page]] = {
            paths.HOME: lambda: self.render("home.md.j2", paths.HOME, counties=counties,
                                            feed=self.feed(paths.HOME, paths.FEED_SITE)),
            paths.COUNTIES: lambda: self.counties_page(counties),
            paths.DEPARTMENTS: lambda: self.render("departments.md.j2", paths.DEPARTMENTS,
                                                   types=types, **by_province(counties)),
            paths.LAWS: self.laws_page,
            paths.TOPICS: self.topics_page,
            paths.SERVICES: lambda: self.services_page(counties),
            paths.PINYIN: lambda: self.index_page(None),
            paths.ERRORS: self.errors_page,
        }
        for c in counties:
            makers[paths.county(c)] = lambda c=c: self.county(c)
            makers[paths.county_services(c)] = lambda c=c: self.render(
                "county_services.md.j2", paths.county_services(c), c, c=c)
            makers[paths.county_topics(c)] = lambda c=c: self.county_topics(c, shares()[c.slug])
            makers[paths.county_laws(c)] = lambda c=c: self.county_laws(c, shares()[c.slug])
            makers[paths.county_index(c)] = lambda c=c: self.index_page(c)
            makers.update({paths.department(d): lambda d=d: self.department(d) for d in c.departments.values()})
        for r in corpus.registers:
            makers.update(self.register_makers(r))
        makers.update({paths.department_type(t): lambda t=t: self.render("department_type.md.j2",
                                                                         paths.department_type(t), dt=t)
                       for t in types})
        makers.update({paths.law(law): lambda law=law: self.law(law) for law in corpus.laws.values()})
        makers.update({paths.topic(tp): lambda tp=tp: self.topic(tp) for tp in topics})
        for path, make in self.extras.get("more_pages", {}).items():
            makers[path] = lambda path=path, make=make: Page(path, self.lang, make(self.lang))
        return makers

    def row_label(self, row: Row) -> str:
        """A short, escaped excerpt naming a row in a list of mentions."""
        text = row_text(row)
        value = (text.en if self.lang == "en" else None) or text.zh
        short = esc(value if len(value) <= 40 else value[:40] + "…")
        return f'<span lang="zh-Hans">{short}</span>' if self.lang == "en" and not text.en else short

    def counties_page(self, counties: list[County]) -> Page:
        return self.render("counties.md.j2", paths.COUNTIES, **by_province(counties))

    def services_page(self, counties: list[County]) -> Page:
        """One line per county; each county's own page holds its services."""
        count = {c.slug: sum(len(r.services) for r in c.registers) for c in counties}
        return self.render("services.md.j2", paths.SERVICES, count=count, **by_province(counties))

    def county(self, c: County) -> Page:
        """The county's lists and departments, and the comparisons it takes part in."""
        name = lambda county: esc(county.name.get(self.lang) or county.name.zh)  # noqa: E731
        others = [(f"{name(a.county)} ↔ {name(b.county)}", paths.comparison(a, b))
                  for a, b in self.extras.get("pairs", []) if c in (a.county, b.county)]
        page = paths.county(c)
        downloads = self.extras["county_downloads"](c, page, self.lang) if "county_downloads" in self.extras else ""
        feed = self.feed(page, paths.feed_county(c))
        return self.render("county.md.j2", page, c, c=c, others=others, downloads=downloads, feed=feed)

    def department(self, d: Department) -> Page:
        owned = [r for r in d.county.registers if r.department is d]
        others = sum(1 for o in d.type.departments if o.county is not d.county)
        return self.render("department.md.j2", paths.department(d), d.county, d=d, owned=owned,
                           elsewhere=nearby(d), others=others)

    def laws_page(self) -> Page:
        levels = ("law", "administrative-regulation", "local-regulation", "government-rule", "normative-document")
        laws = list(self.corpus.laws.values())
        by_level = [(lv, [x for x in laws if x.level == lv]) for lv in levels if any(x.level == lv for x in laws)]
        return self.render("laws.md.j2", paths.LAWS, by_level=by_level)

    def topics_page(self) -> Page:
        """One line per used topic, kinds of power apart from subjects; the topic × county
        matrix is a comparison page of its own."""
        topics = self.corpus.used_topics()
        counties_with = {tp.id: len({row.register.county.slug for row in tp.rows}) for tp in topics}
        by_kind = [(kind, [tp for tp in topics if tp.kind == kind]) for kind in TOPIC_KINDS]
        return self.render("topics.md.j2", paths.TOPICS, by_kind=[(k, tps) for k, tps in by_kind if tps],
                           counties_with=counties_with)

    def topic(self, tp: Any) -> Page:
        """Counts per county and part; the rows themselves are on each county's topic page."""
        cells: dict[str, Counter[str]] = {}
        for row in tp.rows:
            cells.setdefault(row.register.county.slug, Counter())[row.part] += 1
        by_county = [(c, {part: cells[c.slug][part] for part in PARTS})
                     for c in self.corpus.counties.values() if c.slug in cells]
        return self.render("topic.md.j2", paths.topic(tp), tp=tp, by_county=by_county, parts=PARTS)

    def county_topics(self, c: County, share: CountyShare) -> Page:
        by_topic = [(tp, share.topics[tp.id]) for tp in self.corpus.topics.values() if tp.id in share.topics]
        return self.render("county_topics.md.j2", paths.county_topics(c), c, c=c, by_topic=by_topic, row_text=row_text)

    def law(self, law: Any) -> Page:
        """Citation and mention counts per county; the citations are on each county's law page."""
        cited = Counter(b.register.county.slug for b in law.citations)
        mentioned = Counter(row.register.county.slug for row in law.mentions)
        by_county = [(c, cited[c.slug], mentioned[c.slug]) for c in self.corpus.counties.values()
                     if c.slug in cited or c.slug in mentioned]
        return self.render("law.md.j2", paths.law(law), law=law, by_county=by_county)

    def county_laws(self, c: County, share: CountyShare) -> Page:
        by_law = [(law, share.cited.get(law.id, []), share.mentioned.get(law.id, []))
                  for law in self.corpus.laws.values() if law.id in share.cited or law.id in share.mentioned]
        return self.render("county_laws.md.j2", paths.county_laws(c), c, c=c, by_law=by_law, label=self.row_label)

    def errors_page(self) -> Page:
        severity = {"error": '<span lang="zh-Hans">错误</span> <span lang="en">error</span>',
                    "warning": '<span lang="zh-Hans">警告</span> <span lang="en">warning</span>'}
        return self.render("errors.md.j2", paths.ERRORS, specs=list(CATALOGUE.values()), severity=severity)

    def index_page(self, county: County | None) -> Page:
        """The site-wide index (shared lists and counties) or one county's index."""
        entries = index_entries(self.corpus, self.lang, county)
        groups: dict[str, list[IndexEntry]] = {}
        for entry in entries:
            groups.setdefault(entry.letter, []).append(entry)
        alphabet = [chr(c) for c in range(ord("A"), ord("Z") + 1)]
        ordered = [(letter, groups[letter]) for letter in alphabet + ["#"] if letter in groups]
        page = paths.county_index(county) if county else paths.PINYIN
        return self.render("pinyin.md.j2", page, county, c=county, groups=ordered, groups_by_letter=groups,
                           alphabet=alphabet)


TOPIC_KINDS = ("power", "subject")
"""The topic index's groups: kinds of power (行政许可 …) first, then subject topics."""

NEARBY = 10
"""Same-type departments listed on a department page; the type page lists them all."""


def nearby(d: Department) -> list[Department]:
    """The same kind of department in the nearest other counties (by division code: same
    prefecture, then province), so a department page stays one size however many counties."""
    if d.nearby is None:
        code = d.county.division_code

        def distance(o: Department) -> tuple[int, str]:
            shared = next((n for n in (4, 2) if o.county.division_code[:n] == code[:n]), 0)
            return -shared, o.county.division_code

        d.nearby = sorted((o for o in d.type.departments if o.county is not d.county), key=distance)[:NEARBY]
    return d.nearby


@dataclass
class CountyShare:
    """One county's rows of each topic and citations and mentions of each law, in the
    shared lists' order: each county page takes its share without scanning the rest."""

    topics: dict[str, list[Row]]
    cited: dict[str, list[Any]]
    mentioned: dict[str, list[Row]]

    @classmethod
    def of_all(cls, corpus: Corpus) -> dict[str, CountyShare]:
        out = {slug: cls({}, {}, {}) for slug in corpus.counties}
        for tp in corpus.topics.values():
            for row in tp.rows:
                out[row.register.county.slug].topics.setdefault(tp.id, []).append(row)
        for law in corpus.laws.values():
            for b in law.citations:
                out[b.register.county.slug].cited.setdefault(law.id, []).append(b)
            for row in law.mentions:
                out[row.register.county.slug].mentioned.setdefault(law.id, []).append(row)
        return out


def by_province(counties: list[County]) -> dict[str, Any]:
    """Counties grouped by province, in order, with an anchor per province."""
    provinces: dict[str, list[County]] = {}
    for c in counties:
        provinces.setdefault(c.province.zh, []).append(c)
    return {"by_province": [(members[0].province, members) for members in provinces.values()],
            "province_ids": [f"province-{members[0].division_code[:2]}" for members in provinces.values()]}


@dataclass
class IndexEntry:
    """One term of the pinyin (zh) or A–Z (en) index with every place it occurs."""

    term: str
    kind: str
    links: list[tuple[str, str, str]]
    reading: str
    key: Any
    letter: str
    anchor: str = ""
    chinese: bool = False
    """The term is the Chinese standing in for a missing translation (English index)."""

    @property
    def term_html(self) -> str:
        return f'<span lang="zh-Hans">{esc(self.term)}</span>' if self.chinese else esc(self.term)


def _without_county(name: Text, county: County) -> Text:
    """安化县公安局 → 公安局, so every county's bureau of one kind shares one index entry."""

    def strip(value: str | None, prefix: str | None) -> str | None:
        if value and prefix and value.startswith(prefix) and len(value) > len(prefix):
            return value[len(prefix):].lstrip()
        return value

    return Text(strip(name.zh, county.name.zh) or name.zh, strip(name.en, county.name.en))


def index_entries(corpus: Corpus, lang: str, county: County | None = None) -> list[IndexEntry]:
    """Site-wide: department types and topics that have pages, laws and counties; for a county: its departments,
    main duties, matters and services.  Entries are merged by term."""
    raw: list[tuple[Text, str, str, str, str]] = []  # (term, kind, link label (HTML), target page, anchor)
    if county is None:
        raw += [(dt.name, "department_type", "→", paths.department_type(dt), "") for dt in corpus.used_types()]
        raw += [(law.title, "law", "→", paths.law(law), "") for law in corpus.laws.values()]
        raw += [(tp.name, "topic", "→", paths.topic(tp), "") for tp in corpus.used_topics()]
        raw += [(c.name, "county", "→", paths.county(c), "") for c in corpus.counties.values()]
    else:
        for d in county.departments.values():
            raw.append((_without_county(d.name, county), "department", "→", paths.department(d), ""))
        for r in county.registers:
            name = r.department.name
            label = esc(name.en) if lang == "en" and name.en else zh_span(name.zh, lang)
            raw += [(duty.text, "duty", label, paths.register(r), duty.id) for duty in r.duties]
            raw += [(m.matter, "matter", label, paths.register(r), m.id) for m in r.matters]
            raw += [(s.name, "service", label, paths.register(r), s.id) for s in r.services]
    merged: dict[tuple[str, str], IndexEntry] = {}
    for text, kind, label, target, anchor in raw:
        term = (text.en if lang == "en" else None) or text.zh
        entry = merged.get((term, kind))
        if entry is None:
            if lang == "zh":
                key, letter, reading = pinyin.sort_key(term), pinyin.letter(term), pinyin.display(term)
            else:
                stripped = re.sub(r"^[^A-Za-z0-9]+", "", term) if text.en else pinyin.plain(term)
                letter = stripped[:1].upper() if stripped[:1].isalpha() else "#"
                key, reading = (letter, stripped.casefold(), term), "" if text.en else pinyin.display(term)
            entry = merged[(term, kind)] = IndexEntry(term, kind, [], reading, key, letter,
                                                      chinese=lang == "en" and not text.en)
        if (label, target, anchor) not in entry.links:
            entry.links.append((label, target, anchor))
    ordered = sorted(merged.values(), key=lambda e: (e.key, e.kind))
    for number, entry in enumerate(ordered, 1):
        entry.anchor = f"entry-{number}"
    return ordered


_FORKED: dict[str, Any] = {}
"""What the forked workers of render_all read (inherited, never pickled: extras hold closures)."""

CHUNKS_PER_WORKER = 16
"""Pages go out in this many runs per worker, taken as each worker frees up: page costs
differ a hundredfold (a county's index against a department), so equal shares do not
finish together."""


def _render_run(run: tuple[str, int, int]) -> list[Page]:
    """Pages start … stop-1 of one language's page list, in a forked worker (which makes
    that list once)."""
    lang, start, stop = run
    key = ("makers", lang)
    if key not in _FORKED:
        _FORKED[key] = list(Renderer(_FORKED["corpus"], lang, _FORKED["extras"]).makers().values())
    return [make() for make in _FORKED[key][start:stop]]


def render_all(corpus: Corpus, extras: dict[str, Any] | None = None, *, parallel: bool = False) -> list[Page]:
    """Every page in both languages; `extras["more_pages"]` maps a docs path to a function
    of the language that renders a page other stages own.

    With `parallel`, runs of pages are shared out over one forked process per core, where
    fork exists (the extras hold closures, so the workers inherit them instead of
    unpickling them); the pages come back in the same order either way.  Never fork from
    a threaded process such as `mkdocs serve`.
    """
    workers = os.cpu_count() or 1
    if not (parallel and workers > 1 and "fork" in multiprocessing.get_all_start_methods()):
        return [make() for lang in LANGS for make in Renderer(corpus, lang, extras).makers().values()]
    pinyin.display("拼音")  # dictionaries loaded before the fork, not once per worker
    count = len(Renderer(corpus, LANGS[0], extras).makers())
    size = max(1, count * len(LANGS) // (workers * CHUNKS_PER_WORKER))
    runs = [(lang, start, min(start + size, count)) for lang in LANGS for start in range(0, count, size)]
    _FORKED.update(corpus=corpus, extras=extras)
    frozen = gc.get_freeze_count()
    gc.freeze()  # the workers' collections skip the inherited model instead of copying its pages
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            return [page for pages in pool.map(_render_run, runs) for page in pages]
    finally:
        _FORKED.clear()
        if not frozen:
            gc.unfreeze()


def write_docs(pages: list[Page], docs_dir: Path, stale: set[str] | None = None) -> tuple[int, int]:
    """Write pages under docs/<lang>/, touching only changed files, and remove the rest:
    every other file (a full generation) or the `stale` docs paths (an incremental one).

    A full generation writes a new docs/ beside the old one and swaps it in one step
    (`atomic.replace_tree`): an error (a full disk) leaves the old docs/ whole.  An
    incremental one replaces each changed file in one step.
    Returns (files written, files removed).  docs/<lang>/ holds generated pages only.
    """
    wanted = {docs_dir / p.lang / p.path: p.content.encode("utf-8") for p in pages}
    if stale is None:
        return atomic.replace_tree(docs_dir, wanted, lambda rel: rel.parts[0] in LANGS)
    written = removed = 0
    for path, data in wanted.items():
        if path.exists() and path.read_bytes() == data:
            continue
        atomic.write_file(path, data)
        written += 1
    for path in (docs_dir / lang / page for lang in LANGS for page in sorted(stale)):
        if path.exists():
            path.unlink()
            removed += 1
    return written, removed
