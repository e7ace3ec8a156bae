"""Search relevance and cost, Material's lunr index against Pagefind, in Debian's Chromium.

    .venv/bin/python bench/search_relevance.py                 # both engines on the real registers
    .venv/bin/python bench/search_relevance.py --sizes 10 100  # plus bytes and time on synthetic corpora
    .venv/bin/python bench/search_relevance.py --sizes 1000    # the 1,000-register figure (a dedicated machine)
    .venv/bin/python bench/search_relevance.py --no-relevance --sizes 1000 --copies 10  # and an index of 10,000

Builds the site of the working tree (Pagefind, generator/search.py) and, for comparison, the
site of `--old-ref` (default: the last commit with Material's search plugin and its hooks)
from a temporary `git worktree`, each without PDFs in a scratch folder.  Then every query
runs in a fresh browser context (cold cache) against a local server, typed into the header
search box as a reader does: the script records the results shown, the bytes the search
fetched (Pagefind: everything under pagefind/, from opening the box to the results; Material:
search/search_index.json, which every page loads) and the time from the input to the first
result drawn (the box opened first, as a reader opens it and then types: Pagefind loads its
code and metadata on opening, Material its index with the page).  A query's expected rows are the register rows holding a given text (so typos,
pinyin and sub-words name the word they stand for) plus named pages.  Prints hit@1, hit@5 and
MRR per engine, per kind of query and per language; asserts nothing.
"""
from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.search import Record, site_records  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
BOX = {"pagefind": "input[data-qd-search-query]", "material": "input[data-md-component=search-query]"}
FETCHED = {"pagefind": "/pagefind/", "material": "/search/"}
MATERIAL_REF = "f10fcfbd80351101d546a923be2e0dbac63d46ed"  # the last commit searching with Material's lunr index
SCALE_QUERIES = ["流动人口", "计划生育", "两非", "社会抚养费", "ldrk", "处罚"]


@dataclass(frozen=True)
class Query:
    """A query and what counts as a right answer: rows whose text holds every string of
    `text` (in the query's language), and the pages in `pages` (paths under the site root)."""

    query: str
    kind: str
    text: tuple[str, ...] = ()
    pages: tuple[str, ...] = ()
    lang: str = "zh"


def q(query: str, kind: str, *text: str, pages: tuple[str, ...] = (), lang: str = "zh") -> Query:
    return Query(query, kind, tuple(text), pages, lang)


QUERIES = [
    # Chinese words and phrases
    q("性别比偏高", "phrase", "性别比偏高"), q("独生子女父母奖励", "phrase", "独生子女父母奖励"),
    q("网络传输", "phrase", "网络传输"), q("执业资格考试", "phrase", "执业资格考试"),
    q("人口基础信息库", "phrase", "人口基础信息库"), q("国营农场", "phrase", "国营农场"),
    q("胎儿性别鉴定", "phrase", "胎儿性别鉴定"), q("房屋租赁", "phrase", "房屋租赁"),
    q("义务教育", "phrase", "义务教育"), q("再生育审批", "phrase", "再生育审批"),
    q("行政复议", "phrase", "行政复议"), q("来信来访", "phrase", "来信来访"),
    q("留守老人", "phrase", "留守老人"), q("出生缺陷", "phrase", "出生缺陷"),
    q("避孕药具", "phrase", "避孕药具"), q("社会抚养费征收管理办法", "phrase", "社会抚养费征收管理办法", pages=("laws/shehui-fuyangfei-banfa/",)),
    q("一对一联系人", "phrase", "一对一联系人"), q("宣传品", "phrase", "宣传品"),
    q("婚前医学检查", "phrase", "婚前医学检查"), q("流动人口计划生育服务管理", "phrase", "流动人口计划生育服务管理"),
    q("两非", "phrase", "两非", pages=("topics/liangfei/",)),
    q("流动人口", "phrase", "流动人口", pages=("topics/liudong-renkou/",)),
    # every word, not side by side
    q("流动人口 义务教育", "words", "流动人口", "义务教育"), q("药具 培训", "words", "药具", "培训"),
    q("出生人口 性别比", "words", "出生人口", "性别比"), q("农村 奖励扶助", "words", "农村", "奖励扶助"),
    # sub-words of longer words
    q("处罚", "sub-word", "处罚"), q("生育", "sub-word", "生育"), q("扶助", "sub-word", "扶助"),
    q("抚养", "sub-word", "抚养"), q("性别", "sub-word", "性别"),
    # pinyin in full and as initials
    q("liudongrenkou", "pinyin", "流动人口", pages=("topics/liudong-renkou/",)), q("liudong", "pinyin", "流动"),
    q("shehuifuyangfei", "pinyin", "社会抚养费", pages=("topics/shehui-fuyangfei/",)),
    q("chushengquexian", "pinyin", "出生缺陷"), q("biyunyaoju", "pinyin", "避孕药具"),
    q("liangfei", "pinyin", "两非", pages=("topics/liangfei/",)),
    q("ldrk", "initials", "流动人口", pages=("topics/liudong-renkou/",)),
    q("shfyf", "initials", "社会抚养费", pages=("topics/shehui-fuyangfei/",)),
    q("csqx", "initials", "出生缺陷"), q("byyj", "initials", "避孕药具"),
    # English edition
    q("floating population", "english", "floating population", pages=("en/topics/liudong-renkou/",), lang="en"),
    q("contraceptives", "english", "contracept", lang="en"),
    q("social maintenance fee", "english", "social maintenance fee", pages=("en/topics/shehui-fuyangfei/",), lang="en"),
    q("birth defects", "english", "birth defects", lang="en"), q("reproductive health", "english", "reproductive health", lang="en"),
    q("sex ratio", "english", "sex ratio", pages=("en/topics/xingbiebi/",), lang="en"),
    q("only child", "english", "only child", lang="en"),
    # departments, laws, counties
    q("县公安局", "department", "县公安局", pages=("dingan/departments/gongan/", "anhua/departments/gongan/")),
    q("县妇联", "department", "县妇联", pages=("dingan/departments/fulian/", "anhua/departments/fulian/")),
    q("县财政局", "department", "县财政局", pages=("dingan/departments/caizheng/", "anhua/departments/caizheng/")),
    q("县教育局", "department", "县教育局", pages=("dingan/departments/jiaoyu/", "anhua/departments/jiaoyu/")),
    q("县民政局", "department", "县民政局", pages=("dingan/departments/minzheng/", "anhua/departments/minzheng/")),
    q("流动人口计划生育工作条例", "law", "流动人口计划生育工作条例", pages=("laws/liudong-renkou-jisheng-tiaoli/",)),
    q("行政处罚法", "law", "行政处罚法", pages=("laws/xingzheng-chufa-fa/",)),
    q("收养法", "law", "收养法", pages=("laws/shouyang-fa/",)),
    q("定安县", "county", pages=("dingan/",)), q("安化县", "county", pages=("anhua/",)),
    q("dingan", "county", pages=("dingan/",)),
    # phone numbers
    q("63822173", "phone", "63822173", pages=("dingan/services/",)),
    q("07377822593", "phone", "07377822593", pages=("anhua/services/",)),
    q("13467875990", "phone", "13467875990", pages=("anhua/services/",)),
    # one character wrong
    q("流动人囗", "typo", "流动人口", pages=("topics/liudong-renkou/",)), q("出声缺陷", "typo", "出生缺陷"),
    q("社会扶养费", "typo", "社会抚养费", pages=("topics/shehui-fuyangfei/",)), q("避孕药剂", "typo", "避孕药具"),
    q("liudongrenkuo", "typo", "流动人口", pages=("topics/liudong-renkou/",)),
    q("floatng population", "typo", "floating population", pages=("en/topics/liudong-renkou/",), lang="en"),
    q("contraceptivs", "typo", "contracept", lang="en"),
]


@dataclass
class Outcome:
    query: Query
    links: list[str]
    bytes: int
    load_bytes: int
    ms: float | None
    chunks: int = 0  # of `bytes`, Pagefind's index chunks of the query's words
    meta: int = 0  # of `bytes`, Pagefind's index metadata (one entry per record: grows with the corpus)
    rank: int | None = None  # 1-based rank of the first expected result among those shown


@dataclass
class Engine:
    name: str
    site: Path
    outcomes: list[Outcome] = field(default_factory=list)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """No request log on the console."""


class _Gzip(_Quiet):
    """Text files gzipped when the browser accepts it, as a web server with gzip on sends
    them (Pagefind's index chunks, fragments and WebAssembly are compressed already)."""

    TEXT = (".html", ".js", ".css", ".json", ".svg", ".xml")

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        if path.suffix not in self.TEXT or not path.is_file() or "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().send_head()  # also the redirect of a folder without its slash
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


GZIP = False  # set by --gzip


@contextmanager
def serve(site: Path) -> Iterator[str]:
    handler = _Gzip if GZIP else _Quiet
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def project_copy(source: Path, target: Path, registers: Path) -> Path:
    """The files a build reads (as tests/conftest.py copies them)."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("mkdocs.yml", "CONTRIBUTING.md"):
        shutil.copyfile(source / name, target / name)
    shutil.copytree(source / "overrides", target / "overrides")
    shutil.copytree(registers, target / "registers")
    return target


def build_new(work: Path) -> Path:
    from generator.build import build

    project = project_copy(ROOT, work / "new", ROOT / "registers")
    build(project, pdf=False)
    return project / "site"


def build_old(work: Path, ref: str) -> Path:
    """The site of `ref` built with its own code (python -m generator in its checkout)."""
    checkout = work / "old"
    subprocess.run(["git", "worktree", "add", "--detach", str(checkout), ref], cwd=ROOT, check=True,
                   capture_output=True)
    try:  # its own registers: the same two seed registers, in the schema its code reads
        built = subprocess.run([sys.executable, "-m", "generator", "build", "--no-pdf"], cwd=checkout,
                               capture_output=True, text=True)
        if built.returncode != 0:
            raise SystemExit(f"building {ref} failed:\n{built.stderr[-3000:]}")
        site = work / "old-site"
        shutil.move(str(checkout / "site"), site)
        return site
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(checkout)], cwd=ROOT, capture_output=True)


def expected(query: Query, rows: list[Record]) -> set[str]:
    found = {r.url for r in rows if query.text and r.lang.startswith(query.lang)
             and all(t.lower() in r.text.lower() for t in query.text)}
    return found | set(query.pages)


class Counter:
    """Bytes of the responses under `part`; for Pagefind also those of its index chunks."""

    def __init__(self, part: str) -> None:
        self.part, self.bytes, self.chunks, self.meta = part, 0, 0, 0

    def __call__(self, response: Any) -> None:
        if self.part in response.url and 200 <= response.status < 300:
            length = response.headers.get("content-length")
            size = int(length) if length is not None else len(response.body())
            self.bytes += size
            if "/pagefind/index/" in response.url:
                self.chunks += size
            elif response.url.endswith(".pf_meta"):
                self.meta += size


WATCH = """() => {
  window.__qdFirst = null;
  const list = document.querySelector('.md-search-result__list');
  new MutationObserver(() => {
    if (window.__qdFirst === null && list.querySelector('.md-search-result__link')) window.__qdFirst = performance.now();
  }).observe(list, {childList: true, subtree: true});
  window.__qdStart = performance.now();
}"""
SETTLED = """() => { const m = document.querySelector('.md-search-result__meta').textContent;
  return /结果|result|document/i.test(m); }"""


def run_query(browser: Any, base: str, engine: str, query: Query) -> Outcome:
    context = browser.new_context()
    page = context.new_page()
    counter = Counter(FETCHED[engine])
    page.on("response", counter)
    page.goto(base + ("en/" if query.lang == "en" else ""), wait_until="networkidle")
    load_bytes = counter.bytes
    if engine == "pagefind":  # Material's index is part of every page load, and of its queries
        counter.bytes = counter.chunks = counter.meta = 0
    page.focus(BOX[engine])  # a reader opens the box, then types: Pagefind loads its code meanwhile
    page.wait_for_load_state("networkidle")
    page.evaluate(WATCH)
    page.keyboard.insert_text(query.query)
    if engine == "material":
        page.keyboard.press("End")  # Material listens for key events, not input
    try:
        page.wait_for_function(SETTLED, timeout=15_000)
        page.wait_for_load_state("networkidle")
    except Exception:  # noqa: BLE001 - nothing shown counts as a miss
        pass
    first = page.evaluate("() => window.__qdFirst === null ? null : window.__qdFirst - window.__qdStart")
    links = page.eval_on_selector_all(".md-search-result__list a.md-search-result__link",
                                      "els => els.map(a => a.getAttribute('href'))")
    links = [normalise(base, link, page.url) for link in links]
    context.close()
    return Outcome(query, links, counter.bytes, load_bytes, first, counter.chunks, counter.meta)


def normalise(base: str, link: str, at: str) -> str:
    """A result link as a path under the site root with its anchor, without ?h= and the like."""
    from urllib.parse import urljoin, urlsplit

    parts = urlsplit(urljoin(at, link))
    path = parts.path[len(urlsplit(base).path):]
    return path + (f"#{parts.fragment}" if parts.fragment else "")


def score(outcomes: list[Outcome], rows: list[Record]) -> None:
    for o in outcomes:
        right = expected(o.query, rows)
        o.rank = next((i for i, link in enumerate(o.links, 1) if link in right), None)


def figures(outcomes: list[Outcome]) -> tuple[float, float, float]:
    n = len(outcomes) or 1
    hit1 = sum(1 for o in outcomes if o.rank == 1) / n
    hit5 = sum(1 for o in outcomes if o.rank is not None and o.rank <= 5) / n
    mrr = sum(1 / o.rank for o in outcomes if o.rank) / n
    return hit1, hit5, mrr


def kib(n: float) -> str:
    return f"{n / 1024:,.0f} KiB"


def median(values: list[float]) -> float:
    return statistics.median(values) if values else math.nan


def report(engines: list[Engine]) -> None:
    print(f"{len(QUERIES)} queries ({sum(1 for x in QUERIES if x.lang == 'en')} on the English edition)")
    header = f"{'':28}" + "".join(f"{e.name:>26}" for e in engines)
    print(header)

    def line(label: str, cell: Any) -> None:
        print(f"{label:28}" + "".join(f"{cell(e):>26}" for e in engines))

    line("hit@1 / hit@5 / MRR", lambda e: "{:.2f} / {:.2f} / {:.2f}".format(*figures(e.outcomes)))
    for lang in ("zh", "en"):
        line(f"  {lang}", lambda e, lang=lang: "{:.2f} / {:.2f} / {:.2f}".format(
            *figures([o for o in e.outcomes if o.query.lang == lang])))
    for kind in dict.fromkeys(x.kind for x in QUERIES):
        line(f"  {kind}", lambda e, kind=kind: "{:.2f} / {:.2f} / {:.2f}".format(
            *figures([o for o in e.outcomes if o.query.kind == kind])))
    line("search bytes on page load", lambda e: kib(median([o.load_bytes for o in e.outcomes])))
    line("bytes per query (median)", lambda e: kib(median([o.bytes for o in e.outcomes])))
    line("bytes per query (max)", lambda e: kib(max(o.bytes for o in e.outcomes)))
    line("ms to first result (median)", lambda e: f"{median([o.ms for o in e.outcomes if o.ms is not None]):.0f}")
    line("ms to first result (max)", lambda e: f"{max((o.ms for o in e.outcomes if o.ms is not None), default=math.nan):.0f}")
    print("\nper query: rank of the first expected result (- = not shown), first link")
    for i, x in enumerate(QUERIES):
        cells = []
        for e in engines:
            o = e.outcomes[i]
            cells.append(f"{o.rank or '-':>3} {(o.links[0] if o.links else '(none)')[:44]:44}")
        print(f"  {x.kind:10} {x.query:24} " + " | ".join(cells))


def measure(name: str, site: Path, queries: list[Query], engine: str) -> Engine:
    from playwright.sync_api import sync_playwright

    result = Engine(name, site)
    with serve(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        result.outcomes = [run_query(browser, base, engine, query) for query in queries]
        browser.close()
    return result


def scale(work: Path, sizes: list[int], departments: int, copies: int) -> None:
    """Bytes and time of a few queries on synthetic corpora of `sizes` registers (Pagefind);
    with `copies`, also on an index holding the largest corpus's rows that many times."""
    sys.path.insert(0, str(ROOT / "bench"))
    from run import make_project  # bench/run.py: synthetic registers and a derived mkdocs.yml

    from generator.build import build

    print("\nsynthetic corpora (generator/synthetic.py), Pagefind, one cold query each:")
    for size in sizes:
        project = make_project(work, size, departments)
        start = time.perf_counter()
        build(project, pdf=False)
        print_scale(f"{size:>5} registers: build {time.perf_counter() - start:.0f} s", project / "site")
        if copies and size == max(sizes):
            replicated = work / f"n{size}x{copies}"
            start = time.perf_counter()
            index_copies(project / "site", copies, replicated)
            print_scale(f"{size * copies:>5} registers ({size} indexed {copies} times): index {time.perf_counter() - start:.0f} s",
                        replicated)
            shutil.rmtree(replicated, ignore_errors=True)
        shutil.rmtree(project, ignore_errors=True)


def index_copies(site: Path, copies: int, target: Path) -> None:
    """`site` (hard-linked) with a search index of its records `copies` times, each copy under
    other URLs and page titles: the index a site of `copies` times its registers would have,
    without building those pages (hours on this machine).  The words repeat, so the index
    chunks grow as a corpus of copies would, the metadata as any corpus of that size."""
    from dataclasses import replace

    from generator.search import BUNDLE, write_index

    shutil.copytree(site, target, copy_function=os.link, ignore=shutil.ignore_patterns(BUNDLE))

    def records() -> Iterator[Record]:
        for k in range(copies):
            for r in site_records(site):
                yield r if k == 0 else replace(r, url=f"copy{k}/{r.url}", page=f"{r.page} {k}")

    write_index(target, records())


def print_scale(label: str, site: Path) -> None:
    bundle = site / "pagefind"
    size_bytes = sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file())
    engine = measure(label, site, [q(x, "scale") for x in SCALE_QUERIES], "pagefind")
    per = [o.bytes for o in engine.outcomes]
    ms = [o.ms for o in engine.outcomes if o.ms is not None]
    print(f"  {label}, index {size_bytes / 2**20:.1f} MiB;"
          f" first query {kib(median(per))} median, {kib(max(per))} max;"
          f" first result {median(ms):.0f} ms median, {max(ms, default=math.nan):.0f} ms max;"
          f" page load {kib(max(o.load_bytes for o in engine.outcomes))}")
    for o in engine.outcomes:
        print(f"      {o.query.query:10} {kib(o.bytes):>10} (metadata {kib(o.meta)}, index chunks {kib(o.chunks)})"
              f" {o.ms or math.nan:6.0f} ms"
              f"  {len(o.links)} shown,"
              f" first {o.links[0] if o.links else '(none)'}")


def relevance(work: Path, old_ref: str, *, old: bool) -> None:
    """The query set on the real registers, for this tree and (with `old`) for `old_ref`."""
    new_site = build_new(work)
    rows = [r for r in site_records(new_site) if r.label]
    engines = [measure("Pagefind (this tree)", new_site, QUERIES, "pagefind")]
    if old:
        old_site = build_old(work, old_ref)
        index = old_site / "search" / "search_index.json"
        if index.exists():
            raw = index.read_bytes()
            print(f"Material index ({old_ref[:10]}): {kib(len(raw))}, gzip {kib(len(gzip.compress(raw, 6)))}")
            engines.append(measure(f"Material ({old_ref[:10]})", old_site, QUERIES, "material"))
    for engine in engines:
        score(engine.outcomes, rows)
    report(engines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--old-ref", default=MATERIAL_REF, help="git ref with Material's search")
    parser.add_argument("--no-old", action="store_true", help="only the Pagefind site")
    parser.add_argument("--no-relevance", action="store_true", help="only the synthetic sizes")
    parser.add_argument("--sizes", type=int, nargs="*", default=[], help="synthetic corpus sizes (registers)")
    parser.add_argument("--departments", type=int, default=10, help="registers per synthetic county")
    parser.add_argument("--copies", type=int, default=0,
                        help="also index the largest corpus's rows this many times (e.g. 10: 1,000 → 10,000)")
    parser.add_argument("--work", type=Path, help="scratch folder (default: a temporary one)")
    parser.add_argument("--gzip", action="store_true", help="serve text files gzipped, as a web server would")
    args = parser.parse_args()
    global GZIP
    GZIP = args.gzip
    work = args.work or Path(tempfile.mkdtemp(prefix="qingdan-search-bench-"))
    try:
        if not args.no_relevance:
            relevance(work, args.old_ref, old=not args.no_old)
        if args.sizes:
            scale(work, args.sizes, args.departments, args.copies)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)




if __name__ == "__main__":
    main()
