"""What one search costs the reader: Material's whole-file index against Pagefind's fragments.

    .venv/bin/python bench/search.py SITE [--query 计划生育 --query 流动人口]

SITE is a built site (bench/run.py leaves /tmp/qingdan-bench/n1000/site; a shard leaves
build/shards/<slug>/site).  Pagefind (`pip install 'pagefind[extended]'`, whose extended
binary segments Chinese) indexes a copy of SITE; then Debian's Chromium, driven by
Playwright, runs each query in a fresh browser context against a local server and the
bytes of every response are counted: for Material, the page's search (it fetches
search/search_index.json whole); for Pagefind, its JS API (entry, WebAssembly, index
chunks for the query words, and the fragments of the first five results).  Prints
numbers only.
"""
from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
PAGEFIND_QUERY = """async (q) => {
  const pf = await import('/pagefind/pagefind.js');
  await pf.init();
  const search = await pf.search(q);
  const first = await Promise.all(search.results.slice(0, 5).map(r => r.data()));
  return {results: search.results.length, first: first.map(r => r.url)};
}"""


def folder_bytes(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


def run_pagefind(site: Path) -> dict[str, Any]:
    """Index `site` in place (output in site/pagefind/); wall and CPU seconds, bundle size."""
    shutil.rmtree(site / "pagefind", ignore_errors=True)
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "pagefind", "--site", str(site), "--quiet"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"pagefind failed: {proc.stderr.read().decode() if proc.stderr else ''}")
    size, files = folder_bytes(site / "pagefind")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "bytes": size, "files": files}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """No request log on the console."""


@contextmanager
def serve(site: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


class Counter:
    """Bytes of every response whose URL contains `part`, per query."""

    def __init__(self, part: str) -> None:
        self.part, self.bytes, self.requests = part, 0, 0

    def __call__(self, response: Any) -> None:
        if self.part not in response.url or not 200 <= response.status < 300:
            return  # redirects and failed requests carry no body
        length = response.headers.get("content-length")  # the body itself can be too big to hand over
        self.bytes += int(length) if length is not None else len(response.body())
        self.requests += 1


def query_bytes(site: Path, queries: list[str]) -> list[dict[str, Any]]:
    from playwright.sync_api import sync_playwright

    out = []
    with serve(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for query in queries:
            row: dict[str, Any] = {"query": query}
            context = browser.new_context()
            page = context.new_page()
            material = Counter("/search/")
            page.on("response", material)
            page.goto(base, wait_until="networkidle")
            page.wait_for_function("document.querySelector('.md-search__input') !== null")
            page.click("label.md-search__icon, .md-search__input", force=True)
            page.type("input.md-search__input", query)
            try:
                page.wait_for_selector(".md-search-result__item", timeout=120_000)
                row["material_results"] = page.locator(".md-search-result__item").count()
            except Exception:  # noqa: BLE001 - record that nothing showed up
                row["material_results"] = 0
            row["material_bytes"], row["material_requests"] = material.bytes, material.requests
            context.close()
            if (site / "pagefind").exists():
                context = browser.new_context()
                page = context.new_page()
                page.goto(base, wait_until="networkidle")
                pagefind = Counter("/pagefind/")
                page.on("response", pagefind)
                found = page.evaluate(PAGEFIND_QUERY, query)
                page.wait_for_load_state("networkidle")
                row.update(pagefind_bytes=pagefind.bytes, pagefind_requests=pagefind.requests,
                           pagefind_results=found["results"], pagefind_first=found["first"][:2])
                context.close()
            out.append(row)
        browser.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--query", action="append", help="query (repeatable); default 计划生育, 流动人口, 两非")
    parser.add_argument("--no-pagefind", action="store_true", help="only measure Material's search")
    args = parser.parse_args()
    queries = args.query or ["计划生育", "流动人口", "两非"]
    with tempfile.TemporaryDirectory(prefix="qingdan-search-") as tmp:
        site = Path(tmp) / "site"
        shutil.copytree(args.site, site)
        pages = len(list(site.rglob("*.html")))
        index = site / "search" / "search_index.json"
        raw = index.read_bytes()
        print(f"site: {args.site} ({pages} HTML pages)")
        print(f"Material index: {len(raw) / 2**20:.1f} MiB, gzip {len(gzip.compress(raw, 6)) / 2**20:.2f} MiB,"
              f" fetched whole by every reader who searches")
        if not args.no_pagefind:
            built = run_pagefind(site)
            print(f"Pagefind index: built in {built['wall']:.1f} s wall / {built['cpu']:.1f} s CPU;"
                  f" bundle {built['bytes'] / 2**20:.1f} MiB in {built['files']} files (fetched in pieces)")
        for row in query_bytes(site, queries):
            line = (f"query {row['query']}: Material {row['material_bytes'] / 1024:.0f} KiB in"
                    f" {row['material_requests']} requests ({row['material_results']} results shown)")
            if "pagefind_bytes" in row:
                line += (f"; Pagefind {row['pagefind_bytes'] / 1024:.0f} KiB in {row['pagefind_requests']} requests"
                         f" ({row['pagefind_results']} results, first {row['pagefind_first']})")
            print(line)


if __name__ == "__main__":
    main()
