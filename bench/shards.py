"""Sharded builds at thousands of registers, and what 110,000 would take.

    .venv/bin/python bench/shards.py --registers 3000 --departments 40 --jobs 2

Writes a synthetic corpus spread over all 31 provinces, builds every province shard in a
process pool and then the national top site (generator/shard.py; each site with its own
Pagefind index), checks every cross-site link, and optionally measures a few queries' bytes
and time in Chromium on the largest shard (bench/search_relevance.py).  Then scales the
measured per-register cost to the real county counts.  Prints numbers only.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ["PYTHONPATH"] = str(ROOT)  # MkDocs children and their hooks import this checkout's generator
os.environ.pop("QINGDAN_REGENERATE", None)

from generator.shard import TOP, ShardReport, base_url, broken_links, build_all
from generator.synthetic import make_corpus

COUNTIES_2022 = {
    "beijing": 16, "tianjin": 16, "hebei": 167, "shanxi": 117, "neimenggu": 103, "liaoning": 100, "jilin": 60,
    "heilongjiang": 121, "shanghai": 16, "jiangsu": 95, "zhejiang": 90, "anhui": 104, "fujian": 84, "jiangxi": 100,
    "shandong": 136, "henan": 157, "hubei": 103, "hunan": 122, "guangdong": 122, "guangxi": 111, "hainan": 25,
    "chongqing": 38, "sichuan": 183, "guizhou": 88, "yunnan": 129, "xizang": 74, "shaanxi": 107, "gansu": 86,
    "qinghai": 44, "ningxia": 22, "xinjiang": 107,
}
"""County-level divisions per province (approximate, 2022 statistics): 2,843 in all."""
DEPARTMENTS_PER_COUNTY = 40


def folder_mib(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--registers", type=int, default=3000)
    parser.add_argument("--departments", type=int, default=DEPARTMENTS_PER_COUNTY, help="registers per county")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--work", type=Path, default=Path("/tmp/qingdan-shards"))
    parser.add_argument("--search", action="store_true", help="query bytes and time on the largest shard")
    args = parser.parse_args()
    registers, out = args.work / "registers", args.work / "shards"
    counties = math.ceil(args.registers / args.departments)
    print(f"CPUs: {os.cpu_count()}, jobs: {args.jobs}, load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    start = time.perf_counter()
    make_corpus(registers, counties, args.departments)
    print(f"synthetic corpus: {counties} counties × {args.departments} = {counties * args.departments} registers"
          f" in {time.perf_counter() - start:.0f} s")
    start = time.perf_counter()
    reports = build_all(ROOT, registers, out, jobs=args.jobs)
    wall = time.perf_counter() - start
    print(f"load average after the build: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    checked, broken = broken_links(out, base_url(ROOT))
    (args.work / "reports.json").write_text(json.dumps([asdict(r) for r in reports], indent=1), encoding="utf-8")
    print_reports(reports, out)
    total_registers = sum(r.registers for r in reports if r.slug != TOP)
    cpu = sum(r.cpu + r.mkdocs_cpu for r in reports)
    print(f"\nall shards + top: {wall:.0f} s wall with {args.jobs} processes; {cpu:.0f} CPU s in all"
          f" ({cpu / total_registers:.3f} CPU s per register); cross-site links: {checked} checked, {len(broken)} broken")
    extrapolate(reports, total_registers)
    if args.search:
        from search_relevance import SCALE_QUERIES, kib, measure, q

        largest = max((r for r in reports if r.slug != TOP), key=lambda r: r.pages)
        engine = measure(largest.slug, out / largest.slug / "site", [q(x, "scale") for x in SCALE_QUERIES], "pagefind")
        print(f"\nsearch on {largest.slug} ({largest.registers} registers, {largest.pages} pages):")
        for o in engine.outcomes:
            print(f"  {o.query.query:10} {kib(o.bytes):>10} {o.ms or math.nan:6.0f} ms  {len(o.links)} shown")


def print_reports(reports: list[ShardReport], out: Path) -> None:
    print(f"\n{'shard':<14}{'counties':>9}{'registers':>10}{'pages':>7}{'check s':>9}{'render s':>9}{'gen CPU':>9}"
          f"{'mkdocs s':>10}{'mkdocs CPU':>11}{'peak MiB':>9}{'site MiB':>10}{'index MiB':>10}")
    for r in reports:
        site = out / r.slug / "site"
        print(f"{r.slug:<14}{r.counties:>9}{r.registers:>10}{r.pages:>7}{r.seconds.get('check', 0):>9.0f}"
              f"{r.seconds.get('render', 0):>9.0f}{r.cpu:>9.0f}{r.seconds.get('mkdocs', 0):>10.0f}{r.mkdocs_cpu:>11.0f}"
              f"{r.peak_rss_kib / 1024:>9.0f}{folder_mib(site):>10.0f}{folder_mib(site / 'pagefind'):>10.1f}")


def fit(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Least squares y = a + b·x: a shard's fixed cost and its cost per register."""
    n = len(points)
    mx, my = sum(x for x, _ in points) / n, sum(y for _, y in points) / n
    var = sum((x - mx) ** 2 for x, _ in points)
    b = sum((x - mx) * (y - my) for x, y in points) / var if var else my / mx
    return my - b * mx, b


def extrapolate(reports: list[ShardReport], total_registers: int) -> None:
    """Scale the measured shard costs to every county's ~40 registers, province by province."""
    shards = [r for r in reports if r.slug != TOP]
    fixed, per_register = fit([(r.registers, r.cpu + r.mkdocs_cpu) for r in shards])
    base, per_register_mib = fit([(r.registers, r.peak_rss_kib / 1024) for r in shards])
    sizes_seen = [r.registers for r in shards]
    if max(sizes_seen) < 1.5 * min(sizes_seen):  # shards too alike in size for a line through them
        fixed, per_register = 0.0, sum(r.cpu + r.mkdocs_cpu for r in shards) / sum(sizes_seen)
        print(f"\nshards of {min(sizes_seen)}–{max(sizes_seen)} registers are too alike to fit a line:"
              " CPU scaled per register; the memory line below is rough")
    sizes = {slug: counties * DEPARTMENTS_PER_COUNTY for slug, counties in COUNTIES_2022.items()}
    total = sum(fixed + per_register * n for n in sizes.values())
    largest_slug = max(sizes, key=sizes.__getitem__)
    largest = sizes[largest_slug]
    print(f"\nfit over {len(shards)} shards: CPU s = {fixed:.0f} + {per_register:.3f} × registers;"
          f" MkDocs peak MiB = {base:.0f} + {per_register_mib:.2f} × registers")
    print(f"extrapolated to {sum(COUNTIES_2022.values())} counties × {DEPARTMENTS_PER_COUNTY} = {sum(sizes.values())}"
          " registers (no PDFs):")
    print(f"  whole country: {total / 3600:.1f} CPU hours ≈ {total / 60:.0f} CI minutes over 31 matrix jobs")
    print(f"  largest shard {largest_slug}: {largest} registers ≈ {(fixed + per_register * largest) / 60:.0f} min"
          f" on one core; MkDocs peak ≈ {(base + per_register_mib * largest) / 1024:.1f} GiB")
    print(f"  smallest shard: {min(sizes.values())} registers ≈ {(fixed + per_register * min(sizes.values())) / 60:.0f} min")
    print(f"  one machine with {os.cpu_count()} cores: ≈ {total / (os.cpu_count() or 1) / 3600:.1f} h")


if __name__ == "__main__":
    main()
