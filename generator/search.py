"""Search stage: a Pagefind index of the built site whose results are register rows.

Material's search shipped one JSON index that every reader fetched whole (2.35 MB for two
registers, 461 MB at 1,000).  Pagefind (npm, pinned in package-lock.json; its extended
build segments Chinese) writes a chunked index into site/pagefind/: a query fetches only
the chunks of its words and the fragments of the records it shows.

A page is not the unit a reader looks for: a register row is.  So after MkDocs has built
the site, this stage reads every page and turns each element the templates mark with
`data-qd-row` into a row (`Record`, URL `page/#anchor`), holding
- the row's text, its extra-column values (`data-qd-also`) and the cells of its table row
  that are no row of their own (remarks, the department a division names, a service's phone);
- hidden words Pagefind cannot derive: toneless pinyin in full and as initials (liudong,
  ldrk → 流动人口) of jieba's words, at a lower weight (sub-words such as 处罚 inside 行政处罚
  need nothing: Pagefind's segmenter cuts that fine already).
Pagefind's index metadata (`pf_meta`, fetched whole by the first query) holds one entry per
record, so one record per row would make it grow with the rows (1.3 MiB at 1,000 registers).
Rows are therefore handed to Pagefind in groups (`Group`: up to GROUP_ROWS consecutive rows
of a page), each row behind an empty anchor element; Pagefind reports every anchor with its
word position, and `overrides/assets/js/search.js` splits a group's matches back into rows.
Every other page is one record: its title (and the text of the editors' reference pages).
The records are HTML built here with every register string escaped.
"""
from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jieba
import lxml.html

from . import pinyin

jieba.setLogLevel(60)

BUNDLE = "pagefind"
INDEXER = Path(__file__).parent / "pagefind_index.mjs"
HAN_RUN = re.compile(r"[\u3400-\u9fff]+")
SPACE = re.compile(r"\s+")
SKIP_FILES = {"404.html"}
VERSIONS = "versions"  # paths.register_version: a register's earlier versions, never search results
ROW = "data-qd-row"
NOT_TEXT = {"qd-permalink", "headerlink"}  # the "#" and "¶" link marks
# Pages other than registers list what the rows say (a county's, a law's, a topic's rows):
# a reader should land on the row, so such a page is found by its title only (weighing as
# a row's text, not as a heading: a row holding the words beats a page named with them).
# The editors' reference (guide, error codes, data fields, scale) is prose of its own and
# keeps its text, at a lower weight (it quotes ids such as liudong-renkou).
TITLE_WEIGHT = 1.0
# A topic page gathers the rows tagged with it: a row saying 生育 beats the topic 生育审批;
# typed exactly, the topic's name still puts its page first (search.js).
TOPIC_PAGES = ("topics/",)
TOPIC_TITLE_WEIGHT = 0.3
REFERENCE_PAGES = ("guide/", "reference/")
REFERENCE_TEXT_WEIGHT = 0.2
HIDDEN_WEIGHT = 0.5  # pinyin: it repeats what the row says
# A group of rows is one Pagefind record: the metadata grows by one entry per group, and a
# query fetches the fragment (the whole text) of each group it shows.  32 rows or 4,000
# characters keep a fragment at 4–8 KiB gzipped and the metadata near 80 bytes a register
# (bench/search_relevance.py, scale page).
GROUP_ROWS = 32
GROUP_TEXT = 4_000  # characters of row text in one group
HIDDEN_MARK = "qd-words"  # the anchor before a row's hidden words (search.js knows it)
ADMIN_SUFFIX = re.compile(r"(?<=..)(?:自治县|自治旗|县|市|区|旗)$")  # a division's name, keeping two characters
MAX_PAGE_TEXT = 20_000  # characters of a reference page worth indexing


class SearchIndexError(Exception):
    """Pagefind could not index the site; the message says why in Chinese and English."""


@dataclass(frozen=True)
class Record:
    """One search result: a register row or a page."""

    url: str  # relative to the site root, e.g. "dingan/renkou-jisheng/#duty-11"
    lang: str
    label: str  # what the row is ("具体工作事项 11.2"), or "" for a page
    page: str  # the page's title
    text: str  # what the row or page says
    words: str  # sub-words and pinyin, indexed but never shown
    weight: float = 1.0  # of the text
    title_weight: float = TITLE_WEIGHT
    names: str = ""  # a page's name in pinyin, shown nowhere: search.js puts a page so named first

    def html(self) -> str:
        """A page's record as the HTML Pagefind indexes (rows go in a `Group`): text escaped,
        weights and the text to show as Pagefind's data attributes."""
        e = html.escape
        head = f'<h1 data-pagefind-weight="{self.title_weight}">{e(self.page)}</h1>'
        if self.names:
            head += f'<div data-pagefind-ignore><span data-pagefind-meta="names">{e(self.names)}</span></div>'
        weight = "" if self.weight == 1.0 else f' data-pagefind-weight="{self.weight}"'
        text = f'<p data-pagefind-meta="text"{weight}>{e(self.text)}</p>' if self.text else ""
        return (f'<!DOCTYPE html><html lang="{e(self.lang)}"><head><meta charset="utf-8"><title>{e(self.page)}</title>'
                f'</head><body data-pagefind-body>{head}'
                f'{text}'
                f'<p data-pagefind-weight="{HIDDEN_WEIGHT}">{e(self.words)}</p></body></html>')


@dataclass(frozen=True)
class Group:
    """Consecutive rows of one page as one Pagefind record.  Each row starts at an empty
    anchor named as on the page and its hidden words at a HIDDEN_MARK anchor: Pagefind keeps
    every anchor's word position in the fragment, which is how search.js tells the rows
    apart.  Their labels travel as metadata (shown, never searched)."""

    rows: tuple[Record, ...]

    @property
    def url(self) -> str:
        return self.rows[0].url  # a record's URL is its key: the first row's is unique

    def html(self) -> str:
        e = html.escape
        first = self.rows[0]
        labels = json.dumps([r.label for r in self.rows], ensure_ascii=False)
        # one paragraph a row, its parts inline: Pagefind ends a block without punctuation
        # with "." and that must not land inside the row's text
        body = "".join(
            f'<p><a id="{e(r.url.partition("#")[2])}"></a><span>{e(r.text)}</span> '
            f'<a id="{HIDDEN_MARK}"></a><span data-pagefind-weight="{HIDDEN_WEIGHT}">{e(r.words)}</span></p>'
            for r in self.rows)
        return (f'<!DOCTYPE html><html lang="{e(first.lang)}"><head><meta charset="utf-8"><title>{e(first.page)}</title>'
                f'</head><body data-pagefind-body><div data-pagefind-ignore>'
                f'<span data-pagefind-meta="title">{e(first.page)}</span>'
                f'<span data-pagefind-meta="rows">{e(labels)}</span></div>{body}</body></html>')


def grouped(records: Iterable[Record]) -> Iterator[Record | Group]:
    """Records as Pagefind gets them: runs of rows of one page in groups of at most
    GROUP_ROWS rows and GROUP_TEXT characters, every other record as it is."""
    run: list[Record] = []
    size = 0
    for record in records:
        page = record.url.partition("#")[0]
        if run and (not record.label or page != run[0].url.partition("#")[0] or len(run) == GROUP_ROWS
                    or size + len(record.text) > GROUP_TEXT):
            yield Group(tuple(run))
            run, size = [], 0
        if record.label:
            run.append(record)
            size += len(record.text)
        else:
            yield record
    if run:
        yield Group(tuple(run))


@lru_cache(maxsize=None)
def _run_words(run: str) -> frozenset[str]:
    """Toneless pinyin, in full and as initials, of one Han run's words and of the run itself
    when short (a name), and the initials of each two neighbouring words; runs repeat across
    pages and counties, so each is done once.  The Chinese sub-words themselves are not
    added: Pagefind's segmenter (ICU, as the browser's Intl.Segmenter cuts the query) already
    indexes 行政处罚 as 行政 + 处罚, and adding jieba's words again doubled the index chunks
    of common words."""
    found: set[str] = set()
    for word in jieba.cut_for_search(run):
        if len(word) >= 2:
            found.update((pinyin.plain(word), pinyin.initials(word)))
    words = list(jieba.cut(run))
    for first, second in zip(words, words[1:]):  # a phrase's initials: csqx → 出生缺陷
        if len(first) >= 2 and len(second) >= 2:
            found.add(pinyin.initials(first + second))
    if 2 <= len(run) <= 6:
        found.update((pinyin.plain(run), pinyin.initials(run)))
    found.discard("")
    return frozenset(found)


def hidden_words(text: str) -> str:
    """The searchable words a reader may type that the text does not spell out, sorted."""
    found: set[str] = set()
    for run in HAN_RUN.findall(text):
        found |= _run_words(run)
    return " ".join(sorted(found))


def name_pinyin(title: str) -> str:
    """A page's name as a reader types it in pinyin: whole, and without the 县/市/区/旗 a
    county's name ends with (定安县 → dinganxian dingan)."""
    names = dict.fromkeys(pinyin.plain(t) for t in (title, ADMIN_SUFFIX.sub("", title)))
    names.pop("", None)
    return " ".join(names)


def _text(element: lxml.html.HtmlElement, *, nested_rows: bool = True) -> str:
    """Visible text of an element without its permalink marks, spaces collapsed; without the
    rows inside it unless `nested_rows` (a monitoring system's sections and clauses are rows
    of their own: each word is indexed once, in the row it belongs to)."""
    parts: list[str] = []

    def walk(el: lxml.html.HtmlElement) -> None:
        if (not isinstance(el.tag, str) or el.tag in ("script", "style") or NOT_TEXT & set((el.get("class") or "").split())
                or (not nested_rows and el is not element and el.get(ROW) is not None)):
            if el.tail:
                parts.append(el.tail)
            return
        if "qd-topics" in (el.get("class") or ""):
            parts.append(" ")  # topic chips are words of their own
        if el.text:
            parts.append(el.text)
        for child in el:
            walk(child)
        if el.tail and el is not element:
            parts.append(el.tail)
        if el.tag in ("td", "th", "p", "div", "li", "br", "h1", "h2", "h3", "h4", "dt", "dd", "section"):
            parts.append(" ")

    walk(element)
    return SPACE.sub(" ", "".join(parts).replace("\u200b", "")).strip()


def _spans(cell: lxml.html.HtmlElement) -> bool:
    return cell.get("rowspan") not in (None, "1")


def _row_text(element: lxml.html.HtmlElement, also: dict[str, list[str]], anchor: str) -> str:
    """A row's text, with the extra-column values the templates point at it
    (`data-qd-also="<anchor>"`, as "column：value") and the cells of its table row that
    belong to no row and span no other rows: the remark, the department of a division."""
    own = [_text(element, nested_rows=False), *also.get(anchor, [])]
    if element.tag == "td" and not _spans(element):
        own += [_text(td) for td in element.getparent() if isinstance(td.tag, str) and td is not element
                and td.tag == "td" and not _spans(td) and td.get(ROW) is None and td.get("data-qd-also") is None
                and not td.xpath(f".//*[@{ROW}]")]
    return " ".join(t for t in own if t)


def page_url(site: Path, file: Path) -> str:
    relative = file.relative_to(site).as_posix()
    return relative[: -len("index.html")] if relative.endswith("index.html") else relative


def page_records(site: Path, file: Path) -> Iterator[Record]:
    """The records of one built page: its rows, or the page itself."""
    tree = lxml.html.fromstring(file.read_bytes())
    lang = tree.get("lang") or "zh"
    article = next(iter(tree.xpath('//article[contains(@class, "md-content__inner")]')), None)
    if article is None:
        return
    h1 = next(iter(article.xpath(".//h1")), None)
    title = _text(h1) if h1 is not None else (tree.findtext(".//title") or "").strip()
    url = page_url(site, file)
    rows = article.xpath(f".//*[@{ROW}]")
    also: dict[str, list[str]] = {}
    for cell in article.xpath(".//*[@data-qd-also]"):
        value = _text(cell)
        if value:
            also.setdefault(cell.get("data-qd-also") or "", []).append(f"{cell.get('data-label') or ''}：{value}")
    if rows:
        yield Record(url, lang, "", title, "", hidden_words(title))
        for row in rows:
            anchor = row.get("data-qd-anchor") or row.get("id")
            if anchor:
                text = _row_text(row, also, anchor)
                if "qd-system" in (row.get("class") or ""):  # its title is the heading above it
                    text = f"{SPACE.sub(' ', row.get(ROW) or '').strip()} {text}"
                yield Record(f"{url}#{anchor}", lang, SPACE.sub(" ", row.get(ROW) or "").strip(), title, text,
                             hidden_words(text))
        return
    path = url.removeprefix("en/")
    if not path.startswith(REFERENCE_PAGES):
        yield Record(url, lang, "", title, "", hidden_words(title),
                     title_weight=TOPIC_TITLE_WEIGHT if path.startswith(TOPIC_PAGES) else TITLE_WEIGHT,
                     names=name_pinyin(title))
        return
    text = _text(article)[:MAX_PAGE_TEXT]
    if text.startswith(title):
        text = text[len(title):].lstrip()
    yield Record(url, lang, "", title, text, hidden_words(title), REFERENCE_TEXT_WEIGHT)


def site_records(site: Path) -> Iterator[Record]:
    """Every record of a built site, pages in path order (the index is then reproducible).
    A register's earlier versions (`<county>/<register>/versions/`, paths.register_version)
    are left out, as their pages' `search: exclude` asked of Material's search."""
    for file in sorted(site.rglob("*.html")):
        relative = file.relative_to(site)
        if (relative.parts[0] in (BUNDLE, "assets", "search") or relative.name in SKIP_FILES
                or VERSIONS in relative.parts[:-1]):
            continue
        yield from page_records(site, file)


def node_indexer() -> list[str]:
    """The command that runs Pagefind's Node API from the project's node_modules (next to
    generator/, where Node resolves the script's imports)."""
    if not (INDEXER.parents[1] / "node_modules" / "pagefind").is_dir():
        raise SearchIndexError("未安装 Pagefind：请运行 make deps（npm ci）。"
                               " Pagefind is not installed: run `make deps` (npm ci).")
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        raise SearchIndexError("未找到 Node.js：请运行 make deps。 Node.js not found: run `make deps`.")
    return [node, str(INDEXER)]


def write_index(site: Path, records: Iterable[Record]) -> dict[str, int]:
    """Index `records` (rows grouped) with Pagefind into site/pagefind/; returns its counts.  Records are
    streamed to the indexer as they are read from the pages (a large site's do not fit in
    memory at once); its errors go to a file, so neither pipe can fill and stall it."""
    bundle = site / BUNDLE
    shutil.rmtree(bundle, ignore_errors=True)
    with tempfile.TemporaryFile() as errors, tempfile.TemporaryFile() as output:
        proc = subprocess.Popen([*node_indexer(), str(bundle)], stdin=subprocess.PIPE, stdout=output, stderr=errors)
        assert proc.stdin is not None
        try:
            for record in grouped(records):
                proc.stdin.write((json.dumps({"url": record.url, "content": record.html()}, ensure_ascii=False)
                                  + "\n").encode("utf-8"))
        except BrokenPipeError:
            pass  # the indexer stopped: its exit code and message say why
        finally:
            try:
                proc.stdin.close()
            except BrokenPipeError:
                pass
        code = proc.wait()
        errors.seek(0)
        output.seek(0)
        if code != 0:
            message = errors.read().decode("utf-8", "replace")[-4000:]
            raise SearchIndexError(f"Pagefind 建立索引失败 Pagefind failed to index the site:\n{message}")
        return json.loads(output.read().decode("utf-8").strip().splitlines()[-1])


def index_site(site: Path) -> dict[str, int]:
    """The search index of a built site (also what each shard runs on its own site)."""
    return write_index(site, site_records(site))
