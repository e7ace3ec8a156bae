"""How Qingdan scales: check, generation, MkDocs, PDFs and one-register edits at 10 … 1,000 registers.

    .venv/bin/python bench/run.py --sizes 10 100 1000

Each size is a synthetic corpus (generator/synthetic.py; 10 registers per county by
default) built as a scratch project under --work.  Prints one table and PASS/FAIL for the
targets at the largest size; asserts nothing (timings depend on the machine and its load,
so CPU seconds are shown beside wall seconds and the load average is printed; rendering,
short and noisy, runs twice and the best run counts, both shown).

Targets (largest size): `qingdan check` CPU time ≤ check-jsonschema's on the same files
with the same schemas; generation (render_all + write_docs) ≤ 5 % of the site build; one
edited register → only its pages rewritten, in ≤ 1 s; register page size independent of N.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator import build as build_stage
from generator import paths, search
from generator.incremental import Workspace
from generator.load import kind_of
from generator.model import Corpus, load_corpus
from generator.render import LANGS, write_docs
from generator.shard import derived_config, main_nav, make_view, run_mkdocs
from generator.synthetic import make_corpus
from generator.validate import SCHEMA_DIR, SCHEMA_FOR_KIND, check

BIN = Path(sys.executable).parent
SITE_URL = "https://bench.example.org/"
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
"""Children (check, MkDocs and its hooks) import this checkout's generator, even from a copy."""
ENV.pop("QINGDAN_REGENERATE", None)


@dataclass
class Run:
    """One child process: wall and CPU seconds, peak memory, exit code."""

    wall: float
    cpu: float
    peak_kib: int
    code: int
    stdout: bytes = b""


def run(command: list[str], cwd: Path, env: dict[str, str] = ENV) -> Run:
    """Run a child and read its own rusage (os.wait4), so other children do not blur it."""
    start = time.perf_counter()
    with open(os.devnull, "wb") as devnull:
        proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=devnull)
        out = proc.stdout.read() if proc.stdout else b""
        _, status, usage = os.wait4(proc.pid, 0)
    return Run(time.perf_counter() - start, usage.ru_utime + usage.ru_stime, usage.ru_maxrss,
               os.waitstatus_to_exitcode(status), out)


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


@dataclass
class Figures:
    """Everything measured for one corpus size."""

    registers: int
    files: int = 0
    check: Run | None = None
    reference: Run | None = None
    load: float = 0.0
    render: float = 0.0
    write: float = 0.0
    pages: int = 0
    mkdocs: Run | None = None
    publish: float = 0.0
    site_bytes: int = 0
    site_files: int = 0
    largest: tuple[int, str] = (0, "")
    search_bytes: int = 0
    search_files: int = 0
    search_seconds: float = 0.0
    register_page: int = 0
    register_md: int = 0
    notes: dict[str, Any] = field(default_factory=dict)

    @property
    def generation(self) -> float:
        return self.render + self.write

    @property
    def site_build(self) -> float:
        """The whole `qingdan build` without PDFs: check, load, generate, MkDocs, downloads."""
        parts = [self.check.wall if self.check else 0.0, self.load, self.generation,
                 self.mkdocs.wall if self.mkdocs else 0.0, self.publish]
        return sum(parts)


def make_project(work: Path, registers: int, departments: int) -> Path:
    """A scratch project: synthetic registers/, a mkdocs.yml derived from the real one and the guide."""
    project = work / f"n{registers}"
    counties = math.ceil(registers / departments)
    make_corpus(project / "registers", counties, min(registers, departments))
    config = derived_config(ROOT, project, SITE_URL, main_nav(ROOT), None, {}, lambda pair: False)
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    shutil.copyfile(ROOT / "CONTRIBUTING.md", project / "CONTRIBUTING.md")
    shutil.rmtree(project / "docs", ignore_errors=True)
    return project


def measure_check(project: Path, figures: Figures) -> None:
    """`qingdan check` against check-jsonschema (one run per schema) on the same files."""
    files = [p for p in sorted((project / "registers").rglob("*.yaml"))]
    figures.files = len(files)
    figures.check = run([sys.executable, "-m", "generator", "check", "--format", "json", "registers"], project)
    summary = json.loads(figures.check.stdout or b"{}").get("summary", {})
    figures.notes["check_errors"] = summary.get("errors")
    groups: dict[str, list[str]] = {}
    for path in files:
        groups.setdefault(SCHEMA_FOR_KIND[kind_of(path)], []).append(str(path))
    total = Run(0.0, 0.0, 0, 0)
    for schema, members in sorted(groups.items()):
        one = run([str(BIN / "check-jsonschema"), "--schemafile", str(SCHEMA_DIR / schema), *members], project)
        total = Run(total.wall + one.wall, total.cpu + one.cpu, max(total.peak_kib, one.peak_kib), total.code or one.code)
    figures.reference = total


def measure_generation(project: Path, figures: Figures) -> Corpus:
    """The model from the documents `qingdan check` loaded (as `qingdan build` does), then the pages."""
    documents = check([project / "registers"]).documents
    figures.load, corpus = timed(lambda: load_corpus(project / "registers", documents))
    config = build_stage.site_config(project)
    runs = [timed(lambda: build_stage.site_pages(project, corpus, config, parallel=True)) for _ in range(2)]
    figures.render, pages = min(runs, key=lambda run: run[0])  # best of two: the machine is shared
    figures.notes["render_runs"] = [seconds for seconds, _ in runs]
    figures.write, _ = timed(lambda: write_docs(pages, project / "docs"))
    figures.pages = len(pages)
    first = corpus.registers[0]
    figures.register_md = len(next(p.content for p in pages if p.path == paths.register(first)).encode("utf-8"))
    return corpus


def measure_site(project: Path, corpus: Corpus, figures: Figures) -> None:
    site = project / "site"
    shutil.rmtree(site, ignore_errors=True)
    env = {**ENV, "SOURCE_DATE_EPOCH": build_stage.source_date_epoch(build_stage.build_date(corpus))}
    wall, (peak, cpu) = timed(lambda: run_mkdocs(project, site, env))
    figures.mkdocs = Run(wall, cpu, peak, 0)
    figures.publish, _ = timed(lambda: build_stage.publish(corpus, build_stage.site_config(project), site, pdf=False,
                                                           report=build_stage.BuildReport()))
    sizes = [(p.stat().st_size, p) for p in site.rglob("*") if p.is_file()]
    figures.site_bytes, figures.site_files = sum(s for s, _ in sizes), len(sizes)
    size, largest = max((s, p) for s, p in sizes if p.suffix == ".html")
    figures.largest = (size, str(largest.relative_to(site)))
    start = time.perf_counter()
    search.index_site(site)
    figures.search_seconds = time.perf_counter() - start
    bundle = [p for p in (site / "pagefind").rglob("*") if p.is_file()]
    figures.search_bytes, figures.search_files = sum(p.stat().st_size for p in bundle), len(bundle)
    first = corpus.registers[0]
    figures.register_page = (site / paths.register(first).removesuffix(".md") / "index.html").stat().st_size


def edit_item(corpus: Corpus) -> tuple[Path, bytes]:
    """Change the Chinese text of one untagged work item in the first register; returns the original."""
    register = corpus.registers[0]
    item = next(i for d in register.duties for i in d.items if not i.topics)
    original = register.path.read_bytes()
    text = original.decode("utf-8")
    at = text.index(f"id: {item.id}\n")
    where = text.index(item.text.zh, at)
    edited = text[:where] + item.text.zh + "（已修订）" + text[where + len(item.text.zh):]
    register.path.write_text(edited, encoding="utf-8")
    return register.path, original


def edit_phone(corpus: Corpus) -> tuple[Path, bytes]:
    """Change one service's phone number in the first register: the site-wide services page shows it."""
    register = corpus.registers[0]
    original = register.path.read_bytes()
    phone = register.services[0].phone
    other = f"{phone[:-1]}{(int(phone[-1]) + 1) % 10}"
    text, found = re.subn(rf"phone: (['\"]?){re.escape(phone)}\1", lambda m: f"phone: {m[1]}{other}{m[1]}",
                          original.decode("utf-8"), count=1)
    if not found:
        raise RuntimeError(f"{register.path}: no phone {phone} to edit")
    register.path.write_text(text, encoding="utf-8")
    return register.path, original


EDITS = {"item": edit_item, "phone": edit_phone}
"""The measured edits: the target's (a work item, shown on its register page only) and one
that a site-wide page shows too (a service phone, on the services directory)."""


def measure_edit(project: Path, figures: Figures) -> None:
    """Registers edited under `qingdan serve`'s incremental workspace: the full generation
    it starts with, then each edit (pages rendered, files rewritten, seconds)."""
    workspace = Workspace(project, parallel=True)
    figures.notes["full_generation"] = workspace.update().seconds
    docs = project / "docs"
    for name, edit in EDITS.items():
        path, original = edit(workspace.corpus)
        try:
            before = {p: p.stat().st_mtime_ns for p in docs.rglob("*.md")}
            update = workspace.update()
            changed = sorted(str(p.relative_to(docs)) for p in docs.rglob("*.md")
                             if before.get(p) != p.stat().st_mtime_ns)
            figures.notes[name] = {"seconds": update.seconds, "incremental": not update.full,
                                   "written": update.written, "rendered": update.rendered, "changed": changed}
        finally:
            path.write_bytes(original)
            workspace.update()


def measure_pdf(project: Path, work: Path, sample: int) -> dict[str, Any]:
    """Seconds per register (zh + en PDFs) on `sample` registers of one county, warm font cache."""
    try:
        from generator.pdf import write_pdfs
    except Exception as exc:  # noqa: BLE001 - report why, whatever it is
        return {"error": f"generator.pdf not importable: {exc}"}
    view = make_view(project / "registers", ["c0001"], work / "pdf" / "registers")
    corpus = load_corpus(view)
    county = corpus.counties["c0001"]
    county.registers = county.registers[:sample]
    site, cache = work / "pdf" / "site", work / "pdf" / "fonts"
    try:
        cold, files = timed(lambda: write_pdfs(corpus, site, LANGS, cache))
        warm, files = timed(lambda: write_pdfs(corpus, site, LANGS, cache))
    except Exception as exc:  # noqa: BLE001
        return {"error": f"write_pdfs failed: {type(exc).__name__}: {exc}"}
    return {"registers": len(county.registers), "pdfs": len(files), "cold": cold, "warm": warm,
            "per_register": warm / len(county.registers), "bytes": sum(p.stat().st_size for p in files)}


def measure(size: int, work: Path, departments: int) -> Figures:
    figures = Figures(size)
    project = make_project(work, size, departments)
    print(f"[{size}] corpus ready; checking …", file=sys.stderr, flush=True)
    measure_check(project, figures)
    print(f"[{size}] generating …", file=sys.stderr, flush=True)
    corpus = measure_generation(project, figures)
    print(f"[{size}] mkdocs build ({figures.pages} pages) …", file=sys.stderr, flush=True)
    measure_site(project, corpus, figures)
    print(f"[{size}] one-register edit …", file=sys.stderr, flush=True)
    measure_edit(project, figures)
    return figures


def mib(n: float) -> str:
    return f"{n / 1024 / 1024:.1f} MiB"


def table(rows: list[tuple[str, list[str]]], sizes: list[int]) -> str:
    width = max(len(name) for name, _ in rows)
    lines = [f"{'registers':<{width}}  " + "  ".join(f"{s:>16}" for s in sizes)]
    lines += [f"{name:<{width}}  " + "  ".join(f"{v:>16}" for v in values) for name, values in rows]
    return "\n".join(lines)


def report(all_figures: list[Figures], pdf: dict[str, Any] | None) -> bool:
    sizes = [f.registers for f in all_figures]

    def row(name: str, value: Callable[[Figures], str]) -> tuple[str, list[str]]:
        return name, [value(f) for f in all_figures]

    rows = [
        row("files checked", lambda f: str(f.files)),
        row("qingdan check wall s", lambda f: f"{f.check.wall:.1f}"),
        row("qingdan check CPU s", lambda f: f"{f.check.cpu:.1f}"),
        row("qingdan check files/s", lambda f: f"{f.files / f.check.wall:.1f}"),
        row("check errors", lambda f: str(f.notes.get("check_errors"))),
        row("check-jsonschema wall s", lambda f: f"{f.reference.wall:.1f}"),
        row("check-jsonschema CPU s", lambda f: f"{f.reference.cpu:.1f}"),
        row("check-jsonschema files/s", lambda f: f"{f.files / f.reference.wall:.1f}"),
        row("ratio ours/theirs (CPU)", lambda f: f"{f.check.cpu / f.reference.cpu:.2f}"),
        row("ratio ours/theirs (wall)", lambda f: f"{f.check.wall / f.reference.wall:.2f}"),
        row("model from checked files s", lambda f: f"{f.load:.1f}"),
        row("render_all s (best of 2)", lambda f: f"{f.render:.1f}"),
        row("render_all runs s", lambda f: " / ".join(f"{x:.1f}" for x in f.notes["render_runs"])),
        row("write_docs s", lambda f: f"{f.write:.1f}"),
        row("pages (zh+en)", lambda f: str(f.pages)),
        row("mkdocs build wall s", lambda f: f"{f.mkdocs.wall:.1f}"),
        row("mkdocs build CPU s", lambda f: f"{f.mkdocs.cpu:.1f}"),
        row("mkdocs peak RSS", lambda f: mib(f.mkdocs.peak_kib * 1024)),
        row("open data s", lambda f: f"{f.publish:.1f}"),
        row("site build s (no PDF)", lambda f: f"{f.site_build:.1f}"),
        row("generation share", lambda f: f"{100 * f.generation / f.site_build:.1f} %"),
        row("site size", lambda f: mib(f.site_bytes)),
        row("site files", lambda f: str(f.site_files)),
        row("largest page", lambda f: f"{f.largest[0] // 1024} KiB"),
        row("search index (Pagefind, fetched in pieces)", lambda f: f"{mib(f.search_bytes)} / {f.search_files} files"),
        row("search indexing s", lambda f: f"{f.search_seconds:.0f}"),
        row("register page (html)", lambda f: f"{f.register_page} B"),
        row("register page (md)", lambda f: f"{f.register_md} B"),
        row("full generation s", lambda f: f"{f.notes['full_generation']:.1f}"),
        *(row(f"edit {name}: {what}", lambda f, name=name, key=key, form=form: form.format(f.notes[name][key]))
          for name in EDITS for what, key, form in (("seconds", "seconds", "{:.2f}"), ("pages rendered", "rendered", "{}"),
                                                   ("files rewritten", "written", "{}"))),
    ]
    print(table(rows, sizes))
    for f in all_figures:
        print(f"largest page at {f.registers}: {f.largest[1]}; "
              + "; ".join(f"{name} edit rewrote: {', '.join(f.notes[name]['changed'])}" for name in EDITS))
    if pdf is not None:
        if "error" in pdf:
            print(f"PDF: {pdf['error']}")
        else:
            print(f"PDF: {pdf['registers']} registers, {pdf['pdfs']} PDFs: cold font cache {pdf['cold']:.1f}s, warm"
                  f" {pdf['warm']:.1f}s → {pdf['per_register']:.2f} s per register (zh+en, {os.cpu_count()} workers),"
                  f" {pdf['bytes'] // pdf['pdfs'] // 1024} KiB per PDF")
    big, small = all_figures[-1], all_figures[0]
    edit = big.notes["item"]
    only_its_pages = all(re.fullmatch(r"(zh|en)/c0001/[^/]+\.md", p) for p in edit["changed"]) and edit["changed"]
    targets = [
        (f"check CPU ratio ≤ 1.0 at {big.registers}", big.check.cpu / big.reference.cpu <= 1.0,
         f"{big.check.cpu / big.reference.cpu:.2f}"),
        (f"generation ≤ 5 % of site build at {big.registers}", big.generation / big.site_build <= 0.05,
         f"{100 * big.generation / big.site_build:.1f} %"),
        (f"edit: only its pages rewritten at {big.registers}", bool(only_its_pages), f"{edit['written']} files"),
        (f"edit: ≤ 1 s at {big.registers}", edit["incremental"] and edit["seconds"] <= 1.0,
         f"{edit['seconds']:.2f} s (a full generation: {big.notes['full_generation']:.1f} s)"),
        (f"register page size independent of N ({small.registers} vs {big.registers})",
         abs(big.register_page - small.register_page) <= 0.01 * small.register_page,
         f"{small.register_page} B vs {big.register_page} B"),
    ]
    print()
    for name, ok, detail in targets:
        print(f"{'PASS' if ok else 'FAIL'}  {name}: {detail}")
    return all(ok for _, ok, _ in targets)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000], help="registers per corpus")
    parser.add_argument("--departments", type=int, default=10, help="registers per county")
    parser.add_argument("--work", type=Path, default=Path("/tmp/qingdan-bench"), help="scratch folder")
    parser.add_argument("--pdf-sample", type=int, default=4, help="registers to print (0: skip PDFs)")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    print(f"CPUs: {os.cpu_count()}, load average at start: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    figures = [measure(size, args.work, args.departments) for size in sorted(args.sizes)]
    pdf = measure_pdf(args.work / f"n{max(args.sizes)}", args.work, args.pdf_sample) if args.pdf_sample else None
    print(f"load average at end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    report(figures, pdf)


if __name__ == "__main__":
    main()
