"""Lighthouse performance and accessibility of the built site's pages, served as production serves them.

The site is served by Debian's nginx with the shipped configuration (deploy/nginx/qingdan.conf:
precompressed brotli/gzip files, cache headers, CSP; generator/nginx.py, as the tests do) and
Lighthouse runs in Debian's Chromium with its default mobile preset: a Moto G Power-sized
screen and simulated throttling (slow 4G, 150 ms RTT, 1.6 Mbit/s; CPU slowed 4×).  Per page it
prints the performance score (issue 16's target: ≥ 95, LCP ≤ 2.5 s) with FCP, LCP, TBT, CLS,
Speed Index and total bytes, the median of `--runs` runs, the opportunities and diagnostics
that lost points, and the accessibility score (issue 17's target: 100) with the audits below
full marks.  Also the load average, and Lighthouse's own CPU benchmark index of the machine
(simulated throttling scales the measured CPU work, so a loaded machine reads slower).

Lighthouse (npm, pinned in bench/lighthouse/package-lock.json) is a benchmark tool, not a
test dependency: the first run installs it with `npm ci --prefix bench/lighthouse`.  Prints
figures; asserts nothing.

    .venv/bin/python bench/lighthouse.py [SITE_DIR] [--page anhua/renkou-jisheng/ ...] [--runs 3] [--save DIR]

`--save DIR` keeps every run's whole JSON report (long tasks, requests, the audits' details).
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.nginx import serving

TOOL = ROOT / "bench" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
# The largest register page in both languages, the home page and a comparison.
PAGES = ["anhua/renkou-jisheng/", "en/anhua/renkou-jisheng/", "", "compare/dingan-anhua-renkou-jisheng/"]
# Lighthouse audit id → (label, unit) of the metrics printed.
METRICS = {
    "first-contentful-paint": ("FCP", "s"),
    "largest-contentful-paint": ("LCP", "s"),
    "total-blocking-time": ("TBT", "ms"),
    "cumulative-layout-shift": ("CLS", ""),
    "speed-index": ("SI", "s"),
    "total-byte-weight": ("bytes", "KiB"),
}


@dataclass
class Run:
    """One Lighthouse run of one page: scores, metric values, the audits that lost points."""

    performance: int
    accessibility: int
    metrics: dict[str, float]
    lost: list[str] = field(default_factory=list)
    a11y_lost: list[str] = field(default_factory=list)
    benchmark_index: float = 0.0


def _children(pid: int) -> list[int]:
    """Processes whose parent is `pid` (Linux /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _stop(pid: int) -> None:
    """Stop Lighthouse (`pid`, its own session) and the Chromium it launched, which
    chrome-launcher starts detached in a process group of its own."""
    for group in [*_children(pid), pid]:
        try:
            os.killpg(group, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def lighthouse(url: str, timeout: float = 300) -> dict[str, Any] | None:
    """The JSON report of one Lighthouse run (mobile preset, simulated throttling), or None
    with the reason printed when the run fails or outlasts `timeout` (a starved machine):
    Lighthouse and the Chromium it started run in their own session and are stopped with it."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        process = subprocess.Popen(
            [str(TOOL / "node_modules/.bin/lighthouse"), url, "--only-categories=performance,accessibility",
             "--output=json", f"--output-path={report}", "--quiet",
             "--chrome-flags=--headless=new --no-sandbox --disable-gpu"],
            env={**os.environ, "CHROME_PATH": CHROMIUM}, start_new_session=True,
        )
        try:
            code: int | None = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            code = None
            _stop(process.pid)  # still running, so its id is still its own
            process.wait()
        if code != 0 or not report.exists():
            print(f"  run failed: {'no report after ' + str(int(timeout)) + ' s' if code is None else 'exit code ' + str(code)}",
                  flush=True)
            return None
        data: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    return data


def _value(key: str, audit: dict[str, Any]) -> float:
    number = float(audit.get("numericValue") or 0.0)
    return number / 1024 if key == "total-byte-weight" else number / 1000 if METRICS[key][1] == "s" else number


def read(data: dict[str, Any]) -> Run:
    """Scores, metrics and the audits below full marks, from one report."""
    audits = data["audits"]
    performance_ids = [ref["id"] for ref in data["categories"]["performance"]["auditRefs"]]
    lost = []
    for key in performance_ids:  # opportunities and diagnostics, not the metrics themselves
        audit = audits.get(key, {})
        if key in METRICS or audit.get("score") is None or audit["score"] >= 0.9:
            continue
        if audit.get("scoreDisplayMode") in ("notApplicable", "manual", "informative"):
            continue
        lost.append(f"{key}" + (f" ({audit['displayValue']})" if audit.get("displayValue") else ""))
    a11y_lost = [f"{key} ({audits[key]['score']})" for key in
                 (ref["id"] for ref in data["categories"]["accessibility"]["auditRefs"])
                 if audits[key].get("score") is not None and audits[key]["score"] < 1
                 and audits[key].get("scoreDisplayMode") == "binary"]
    return Run(
        performance=round(data["categories"]["performance"]["score"] * 100),
        accessibility=round(data["categories"]["accessibility"]["score"] * 100),
        metrics={key: _value(key, audits[key]) for key in METRICS},
        lost=lost, a11y_lost=a11y_lost,
        benchmark_index=float(data.get("environment", {}).get("benchmarkIndex") or 0.0),
    )


def report(page: str, runs: list[Run]) -> str:
    """One page's lines: the median of every figure over the runs, then what lost points."""
    def median(values: list[float]) -> float:
        return float(statistics.median(values))

    perf = [r.performance for r in runs]
    parts = []
    for key, (label, unit) in METRICS.items():
        value = median([r.metrics[key] for r in runs])
        shown = f"{value:.3f}" if key == "cumulative-layout-shift" else f"{value:,.0f}" if unit in ("ms", "KiB") else f"{value:.1f}"
        parts.append(f"{label} {shown}{(' ' + unit) if unit else ''}")
    lines = [f"/{page}",
             f"  performance {median(perf):.0f} (runs: {', '.join(map(str, perf))})   " + "   ".join(parts),
             f"  accessibility {median([r.accessibility for r in runs]):.0f}"
             + (f"   lost: {', '.join(runs[-1].a11y_lost)}" if runs[-1].a11y_lost else "")]
    lost = sorted({item.split(" (")[0] for r in runs for item in r.lost})
    if lost:
        last = {item.split(" (")[0]: item for item in runs[-1].lost}
        lines.append("  below 90: " + ", ".join(last.get(key, key) for key in lost))
    lines.append(f"  Lighthouse benchmark index {', '.join(f'{r.benchmark_index:.0f}' for r in runs)}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", type=Path, default=ROOT / "site")
    parser.add_argument("--page", action="append", help="page path under the site (repeatable)")
    parser.add_argument("--runs", type=int, default=1, help="runs per page; the median is printed (default 1)")
    parser.add_argument("--save", type=Path, help="folder for the JSON reports (one per run)")
    args = parser.parse_args()
    if not (args.site / "index.html").exists():
        sys.exit(f"no built site in {args.site}: run `make site` first")
    if not (TOOL / "node_modules/.bin/lighthouse").exists():
        subprocess.run(["npm", "ci", "--prefix", str(TOOL), "--no-audit", "--no-fund", "--loglevel=error"], check=True)
    version = json.loads((TOOL / "node_modules/lighthouse/package.json").read_text(encoding="utf-8"))["version"]
    print(f"Lighthouse {version}, mobile preset (simulated throttling), {CHROMIUM}, "
          f"site served by nginx with deploy/nginx/qingdan.conf")
    with serving(args.site) as base:
        for page in args.page or PAGES:
            runs = []
            for number in range(1, max(1, args.runs) + 1):  # one page at a time: Lighthouse is CPU heavy
                load = os.getloadavg()
                print(f"  (run {number}: load average before it {load[0]:.2f} {load[1]:.2f} {load[2]:.2f})", flush=True)
                data = lighthouse(base + page)
                if data is None:
                    continue
                runs.append(read(data))
                if args.save:
                    args.save.mkdir(parents=True, exist_ok=True)
                    name = (page.strip("/").replace("/", "_") or "home") + f"-{number}.json"
                    (args.save / name).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
            print(report(page, runs) if runs else f"/{page}\n  no run finished", flush=True)


if __name__ == "__main__":
    main()
