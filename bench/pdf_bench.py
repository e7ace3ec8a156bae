"""How long the printable PDFs take: font subsetting (cold cache), each PDF, and whole builds.

    .venv/bin/python bench/pdf_bench.py [registers/]

Prints numbers only; nothing is asserted (timings depend on the machine and its load).
Per-PDF times are measured in this one process, one after another: the first PDF also
pays for importing WeasyPrint and loading the fonts, so both "first" and "again" are shown.
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.model import load_corpus  # noqa: E402
from generator.pdf import plan, write_pdfs  # noqa: E402


def timed(action: object, *args: object) -> float:
    """Wall-clock seconds of one call."""
    start = time.perf_counter()
    action(*args)  # type: ignore[operator]
    return time.perf_counter() - start


def cpu(action: object, *args: object) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one call in this process (CPU time hardly depends on load)."""
    start, start_cpu = time.perf_counter(), time.process_time()
    action(*args)  # type: ignore[operator]
    return time.perf_counter() - start, time.process_time() - start_cpu


def main() -> None:
    corpus = load_corpus(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "registers")
    print(f"CPUs: {os.cpu_count()}, load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as tmp:
        cache, site = Path(tmp) / "fonts", Path(tmp) / "site"
        todo = plan(corpus, site, font_cache=cache)
        print(f"characters in all documents: {len(todo.chars)}")
        for subset in todo.subsets:
            wall, used = cpu(subset.make, todo.chars)
            print(f"subset {subset.face.family} {subset.face.weight} (cold cache): {wall:.2f} s, CPU {used:.2f} s,"
                  f" {subset.path.stat().st_size // 1024} KiB")
        for job in todo.jobs:
            (first, first_cpu), (again, again_cpu) = cpu(todo.write, job), cpu(todo.write, job)
            print(f"{job.target.name}: first {first:.2f} s (CPU {first_cpu:.2f} s),"
                  f" again {again:.2f} s (CPU {again_cpu:.2f} s), {job.target.stat().st_size // 1024} KiB")

        cold_cache = Path(tmp) / "cold"
        print(f"write_pdfs, cold font cache: {timed(write_pdfs, corpus, site, ('zh', 'en'), cold_cache):.2f} s total")
        warm = timed(write_pdfs, corpus, site, ("zh", "en"), cold_cache)
        print(f"write_pdfs, warm font cache: {warm:.2f} s total, {warm / len(todo.jobs):.2f} s per PDF"
              f" ({len(todo.jobs)} PDFs)")


if __name__ == "__main__":
    main()
