"""Incremental stage: keep one full generation in memory and redo only what an edit changes.

`qingdan serve` (through the regenerate hook) and the edit benchmark hold a `Workspace`.
When only register files changed, each is re-read and re-checked with its county and the
shared lists, swapped into the model, and only the pages that show something of it are
rendered again: its own pages, and a site-wide page only when what that page shows of
the register (`contributions`) differs before and after.  Anything else (a shared list,
a county file, mkdocs.yml, a file added or removed, an edit that makes a topic or department
type used or unused) takes a full generation.  A full generation is the reference:
tests/test_incremental.py proves both write the same docs/.
"""
from __future__ import annotations

import gc
import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import build, changelog, messages, paths
from .load import kind_of, yaml_files
from .model import Corpus, Register, replace_register
from .opendata import pdf_langs
from .render import LANGS, TEMPLATES, Page, Renderer, Usage, nearby, row_kind, row_text, write_docs

WATCHED = ("mkdocs.yml", "CONTRIBUTING.md")
"""Files outside registers/ that pages are made from, like the templates: a change
regenerates everything."""


@dataclass
class Update:
    """What one `Workspace.update` did."""

    full: bool = False
    changed: list[str] = field(default_factory=list)
    """Register files re-read (a full generation lists none)."""
    rendered: int = 0
    pages: list[str] = field(default_factory=list)
    """Docs paths rendered again, in each language (a full generation lists none)."""
    written: int = 0
    removed: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        """One line for the `qingdan serve` log, Chinese first."""
        how = ("全部重新生成", "A full generation") if self.full else (
            f"只重做 {'、'.join(self.changed)}", f"Redid {', '.join(self.changed)} only")
        return (f"{how[0]}：渲染 {self.rendered} 页，改写 {self.written} 个文件，删除 {self.removed} 个，"
                f"{self.seconds:.2f} 秒。 {how[1]}: {self.rendered} pages rendered, {self.written} files"
                f" written, {self.removed} removed in {self.seconds:.2f} s.")


Stamp = tuple[int, int, str, int]
"""A source file's modification time, size, content digest and when that digest was taken."""

RACY_NS = 2_000_000_000
"""A file changed this close to its hashing may change again within one timestamp tick."""


def _stamp(path: Path, known: Stamp | None) -> Stamp:
    """Hash a file only when its time or size moved (a save moves them), unless it was
    hashed so soon after a change that a second save could keep both (git's racy rule)."""
    stat = path.stat()
    if known and known[:2] == (stat.st_mtime_ns, stat.st_size) and known[3] - known[0] > RACY_NS:
        return known
    now = time.time_ns()
    return stat.st_mtime_ns, stat.st_size, hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest(), now


class Workspace:
    """A generated site's model, renderers and file digests, kept for the next edit."""

    def __init__(self, root: Path, *, parallel: bool = False) -> None:
        """Nothing is read until the first `update`, which generates everything."""
        self.root = root.resolve()
        self.parallel = parallel
        self.stamps: dict[Path, Stamp] = {}

    def _sources(self) -> list[Path]:
        return [*yaml_files((self.root / "registers").resolve()), *sorted(TEMPLATES.rglob("*.j2")),
                *(self.root / name for name in WATCHED if (self.root / name).exists())]

    def _full(self, report: Update) -> None:
        gc.unfreeze()  # a previous model may be collected now
        self.config = build.site_config(self.root)
        generated = build.generate(self.root, parallel=self.parallel, config=self.config)
        self.documents = generated.result.documents
        self.corpus, self.extras = generated.corpus, generated.extras
        self.renderers = {lang: Renderer(self.corpus, lang, self.extras) for lang in LANGS}
        messages.catalogue()  # read now (the full generation read it in forked workers), not on the first edit
        for renderer in self.renderers.values():
            for name in renderer.env.list_templates(extensions=["j2"]):
                renderer.env.get_template(name)
        for county in self.corpus.counties.values():  # what an edit's contributions ask, worked out now
            for department in county.departments.values():
                nearby(department)
        self.pages = set(self.renderers[LANGS[0]].makers())
        self.by_path = {r.path.resolve(): r for r in self.corpus.registers}
        self.head = changelog.head(self.root)
        gc.collect()
        gc.freeze()  # the model stays: later collections skip it, so an edit never waits for one over it all
        report.full = True
        report.rendered, report.written, report.removed = (generated.report.pages, generated.report.written,
                                                           generated.report.removed)

    def update(self) -> Update:
        """Bring docs/ up to date with the files; raises build.BuildError (and keeps the
        previous pages and model) when the edited registers have errors."""
        start = time.perf_counter()
        report = Update()
        stamps = {path: _stamp(path, self.stamps.get(path)) for path in self._sources()}
        changed = [p for p, s in stamps.items() if self.stamps.get(p, (0, 0, "", 0))[2] != s[2]]
        if (set(stamps) != set(self.stamps) or any(kind_of(p) != "register" for p in changed)
                or changelog.head(self.root) != self.head):  # a commit changes the version pages
            self._full(report)
        elif changed:
            try:
                self._registers(changed, report)
            except build.BuildError:
                raise  # found before anything changed: the model and pages are as they were
            except BaseException:
                self.stamps = {}  # half-done: the next update regenerates everything
                raise
        self.stamps = stamps
        report.seconds = time.perf_counter() - start
        return report

    def _registers(self, changed: list[Path], report: Update) -> None:
        result = build.checked(self.root, {p: d for p, d in self.documents.items() if p not in changed}, changed)
        self.documents.update(result.documents)
        wanted: set[str] = set()
        used = Usage.of(self.corpus)
        pairs_before = _pair_pages(build.comparison_pairs(self.corpus, self.config))
        for path in changed:
            old = self.by_path[path]
            before = contributions(self.corpus, old)
            new = self.by_path[path] = replace_register(self.corpus, old, result.documents[path].data)
            after = contributions(self.corpus, new)
            wanted |= {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}
            versions = self.extras["versions"]
            if old.key in versions:
                versions[new.key] = changelog.register_versions(self.root, self.corpus, new)
            wanted |= set(self.renderers[LANGS[0]].register_makers(new)) | {paths.register(new)}
            report.changed.append(path.relative_to(self.root).as_posix())
        if Usage.of(self.corpus) != used:
            # A topic or department type gained its first use or lost its last: pages, index
            # rows, index entries and links to it come or go site-wide.  Rare; a full generation.
            report.changed.clear()
            self._full(report)
            return
        pairs = build.comparison_pairs(self.corpus, self.config)
        self.extras.update(build.extras(pairs), more_pages=build.more_pages(self.root, self.corpus, self.config, pairs))
        edited = set(changed)
        for a, b in pairs:
            if {a.path.resolve(), b.path.resolve()} & edited:
                wanted |= {paths.COMPARE, paths.comparison(a, b)}
        moved = pairs_before ^ _pair_pages(pairs)  # an edited department can make or break pairs
        if moved:
            wanted |= {paths.COMPARE, *(county for _, *counties in moved for county in counties)}
        makers = {lang: self.renderers[lang].makers() for lang in LANGS}
        current = set(makers[LANGS[0]])
        report.pages = sorted(wanted & current)
        pages: list[Page] = [makers[lang][p]() for lang in LANGS for p in report.pages]
        stale = self.pages - current
        self.pages = current
        report.rendered = len(pages)
        report.written, report.removed = write_docs(pages, self.root / "docs", stale=stale)


def _pair_pages(pairs: list[tuple[Register, Register]]) -> set[tuple[str, str, str]]:
    """Each comparison page with the two county pages that list it."""
    return {(paths.comparison(a, b), paths.county(a.county), paths.county(b.county)) for a, b in pairs}


_OPEN: dict[Path, Workspace] = {}


def refresh(root: Path) -> Update:
    """Update the workspace this process keeps for `root`, opening it on first use: MkDocs
    reloads hook modules on every rebuild of `qingdan serve`, this module stays."""
    if root.resolve() not in _OPEN:
        _OPEN[root.resolve()] = Workspace(root)
    return _OPEN[root.resolve()].update()


def contributions(corpus: Corpus, r: Register) -> dict[str, list[Any]]:
    """What each site-wide page shows of register `r`, by docs path (its own pages aside).

    A page is rendered again after an edit only when its entry here changed, so every
    field a page template reads of a register must be in its entry.
    """
    out: dict[str, list[Any]] = {}

    def add(page: str, *shown: Any) -> None:
        out.setdefault(page, []).append(shown)

    def row(x: Any) -> tuple[Any, ...]:
        return row_kind(x), x.id, row_text(x), x.part

    c = r.county
    counts = (len(r.duties), sum(len(d.items) for d in r.duties), len(r.matters), len(r.systems), len(r.services))
    add(paths.county(c), r.title, r.department.id, counts, pdf_langs(r))
    add(paths.county_services(c), r.department.id, r.title, r.parts["services"].columns,
        [(s.id, s.number, s.name, s.content, s.agency, s.phone, s.extra) for s in r.services])
    add(paths.SERVICES, len(r.services))
    add(paths.county_index(c), r.department.id, [row(x) for x in [*r.duties, *r.matters, *r.services]])
    for tp in corpus.topics.values():
        for x in tp.rows:
            if x.register is r:
                add(paths.county_topics(c), tp.id, *row(x))
                for page in (paths.topic(tp), paths.TOPICS, paths.MATRIX):
                    add(page, tp.id, x.part)
    for law in corpus.laws.values():
        cited = [(b.id, b.matter.id, b.matter.matter, b.articles, b.text) for b in law.citations if b.register is r]
        mentioned = [row(x) for x in law.mentions if x.register is r]
        if cited or mentioned:
            add(paths.county_laws(c), law.id, r.department.id, cited, mentioned)
            for page in (paths.law(law), paths.LAWS):
                add(page, law.id, len(cited), len(mentioned))
    for d in c.departments.values():
        divisions = [(x.id, x.matter.id, x.matter.matter, x.text) for x in d.divisions if x.register is r]
        if r.department is d:
            add(paths.department(d), "owns", r.title)
        if divisions:
            add(paths.department(d), r.department.id, divisions)
            for page in (paths.department_type(d.type), paths.DEPARTMENTS):
                add(page, d.key, len(divisions))
            for other in d.type.departments:  # "same type elsewhere" shows the nearby ones' counts
                if d in nearby(other):
                    add(paths.department(other), d.key, len(divisions))
    return out
