"""Lighthouse accessibility score of the built site's pages, in Debian's Chromium.

Prints one score per page (100 is the target of issue 17) and the audits that lost points.
Lighthouse (npm, pinned in bench/lighthouse/package-lock.json) is a benchmark tool, not a
test dependency: the first run installs it with `npm ci --prefix bench/lighthouse`.

    .venv/bin/python bench/lighthouse.py [SITE_DIR] [--page anhua/renkou-jisheng/ ...]
"""
from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOOL = ROOT / "bench" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
PAGES = ["anhua/renkou-jisheng/", "en/anhua/renkou-jisheng/", "", "compare/dingan-anhua-renkou-jisheng/"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def score(url: str) -> tuple[int, list[str]]:
    """Lighthouse's accessibility score (0–100) of one URL and the audits below full marks."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        subprocess.run(
            [str(TOOL / "node_modules/.bin/lighthouse"), url, "--only-categories=accessibility", "--output=json",
             f"--output-path={report}", "--quiet", "--chrome-flags=--headless=new --no-sandbox --disable-gpu"],
            env={**os.environ, "CHROME_PATH": CHROMIUM}, check=True, timeout=300,
        )
        data = json.loads(report.read_text(encoding="utf-8"))
    failed = [f"{key} ({audit['score']})" for key, audit in data["audits"].items()
              if audit.get("score") is not None and audit["score"] < 1 and audit.get("scoreDisplayMode") == "binary"]
    return round(data["categories"]["accessibility"]["score"] * 100), failed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", type=Path, default=ROOT / "site")
    parser.add_argument("--page", action="append", help="page path under the site (repeatable)")
    args = parser.parse_args()
    if not (args.site / "index.html").exists():
        sys.exit(f"no built site in {args.site}: run `make site` first")
    if not (TOOL / "node_modules/.bin/lighthouse").exists():
        subprocess.run(["npm", "ci", "--prefix", str(TOOL), "--no-audit", "--no-fund", "--loglevel=error"], check=True)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(args.site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    version = json.loads((TOOL / "node_modules/lighthouse/package.json").read_text(encoding="utf-8"))["version"]
    print(f"Lighthouse {version}, accessibility, {CHROMIUM}")
    try:
        for page in args.page or PAGES:
            value, failed = score(base + page)
            print(f"{value:>4}  /{page}" + (f"   lost: {', '.join(failed)}" if failed else ""))
    finally:
        server.shutdown()


if __name__ == "__main__":
    main()
