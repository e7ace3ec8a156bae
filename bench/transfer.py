"""Bytes over the wire for a register page, served by nginx as a county serves it.

    .venv/bin/python bench/transfer.py --sizes 2 1000

At each size the site is built without PDFs (`qingdan build --no-pdf`; 2 = the real
registers, any other size a synthetic corpus as in bench/run.py), served by nginx with the
shipped configuration (deploy/nginx/qingdan.conf: precompressed brotli/gzip, cache
headers) and loaded in Debian's Chromium.  Chromium's own network log (CDP
`Network.loadingFinished`, encoded bytes including headers) gives:

- first load: an empty cache opens one register page (everything it loads);
- repeat visit: the same browser opens the page again (fingerprinted assets from the cache,
  the rest revalidated: 304s);
- first search: what typing one query adds (Material's worker fetches the whole search
  index already on the first page load, so this is about nothing).

"wire" is what crossed the network (compressed bodies and headers); "used" the decoded
bytes the page took, from the network or the cache.

Prints one table; asserts nothing.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from generator import paths
from generator.build import build
from generator.markup import url
from generator.model import load_corpus
from generator.nginx import serving

CHROMIUM = "/usr/bin/chromium"


@dataclass
class Transfer:
    requests: int = 0
    wire: int = 0
    body: int = 0
    cached: int = 0
    not_modified: int = 0

    def row(self) -> str:
        return (f"{self.wire / 1024:9.1f} KiB wire  {self.body / 1024:9.1f} KiB used  "
                f"{self.requests:3d} requests ({self.cached} from cache, {self.not_modified} × 304)")


def project(work: Path, registers: int, departments: int) -> Path:
    """The real registers at 2, else a synthetic corpus (bench/run.py's scratch project)."""
    if registers == 2:
        target = work / "real"
        target.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / "mkdocs.yml", target / "mkdocs.yml")
        shutil.copytree(ROOT / "overrides", target / "overrides", dirs_exist_ok=True)
        shutil.copyfile(ROOT / "CONTRIBUTING.md", target / "CONTRIBUTING.md")
        shutil.copytree(ROOT / "registers", target / "registers", dirs_exist_ok=True)
        return target
    from run import make_project  # bench/run.py

    return make_project(work, registers, departments)


class Recorder:
    """Chromium's network log for one tab: bytes per request until reset."""

    def __init__(self, cdp: Any) -> None:
        self.now = Transfer()
        self.decoded: dict[str, int] = {}
        cdp.send("Network.enable")
        cdp.on("Network.responseReceived", self.response)
        cdp.on("Network.dataReceived", lambda e: self.decoded.__setitem__(
            e["requestId"], self.decoded.get(e["requestId"], 0) + e["dataLength"]))
        cdp.on("Network.loadingFinished", self.finished)
        cdp.on("Network.requestServedFromCache", self.from_cache)

    def response(self, event: dict[str, Any]) -> None:
        response = event["response"]
        self.now.requests += 1
        self.now.not_modified += response["status"] == 304

    def from_cache(self, _: dict[str, Any]) -> None:
        self.now.cached += 1

    def finished(self, event: dict[str, Any]) -> None:
        self.now.wire += int(event["encodedDataLength"])
        self.now.body += self.decoded.pop(event["requestId"], 0)

    def take(self) -> Transfer:
        done, self.now = self.now, Transfer()
        return done


def measure(site: Path, page: str, query: str) -> dict[str, Transfer]:
    from playwright.sync_api import sync_playwright

    results: dict[str, Transfer] = {}
    with serving(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        context = browser.new_context()
        tab = context.new_page()
        recorder = Recorder(context.new_cdp_session(tab))
        tab.goto(base + page)
        tab.wait_for_load_state("networkidle")
        results["first load"] = recorder.take()
        tab.goto("about:blank")  # leave the page, then come back as a returning reader
        recorder.take()
        tab.goto(base + page)
        tab.wait_for_load_state("networkidle")
        results["repeat visit"] = recorder.take()
        tab.focus("input[data-md-component=search-query]")
        tab.keyboard.insert_text(query)
        tab.keyboard.press("End")
        for _ in range(600):
            if "结果" in tab.inner_text(".md-search-result__meta"):
                break
            tab.wait_for_timeout(200)
        tab.wait_for_load_state("networkidle")
        results["first search"] = recorder.take()
        browser.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[2, 1000])
    parser.add_argument("--departments", type=int, default=10, help="registers per synthetic county")
    parser.add_argument("--work", type=Path, default=None, help="scratch folder (default: a temporary one)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="qingdan-transfer-"))
    print(f"{'registers':>9}  {'what':<13} figures")
    for size in args.sizes:
        root = project(work, size, args.departments)
        build(root, pdf=False)
        corpus = load_corpus(root / "registers")
        page = url(paths.register(corpus.registers[0]))
        for name, figures in measure(root / "site", page, "流动人口").items():
            print(f"{size:>9}  {name:<13} {figures.row()}", flush=True)
        index = root / "site" / "search" / "search_index.json"
        print(f"{size:>9}  {'search index':<13} {index.stat().st_size / 1024:9.1f} KiB raw, "
              f"{(index.with_name(index.name + '.br')).stat().st_size / 1024:.1f} KiB brotli, "
              f"{(index.with_name(index.name + '.gz')).stat().st_size / 1024:.1f} KiB gzip on disk", flush=True)
        shutil.rmtree(root, ignore_errors=True)
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
