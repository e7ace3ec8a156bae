"""Print stage: every register as an official A4 PDF, the way offices print and file it.

A dedicated print template (not the web pages) lays out a cover, a contents page with page
numbers and the four parts as ruled tables like the published document.  The PDFs are
PDF/A-3a (tagged: headings, tables with header cells, reading order, document language)
with the register's YAML attached, so the machine-readable record travels with the
printout, and byte-for-byte reproducible: every date comes from the register or git, never
from the clock.  The CJK fonts are cut down once per build (fonts.py); WeasyPrint then
writes the PDFs in parallel.
"""
from __future__ import annotations

import base64
import hashlib
import math
import os
import re
import shutil
import sys
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from functools import cache, cached_property
from importlib import metadata
from itertools import repeat
from pathlib import Path
from textwrap import shorten
from typing import TYPE_CHECKING, Any
from unicodedata import east_asian_width

import click
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from . import changelog, fonts, paths, report
from . import messages
from .changelog import historic_versions
from .markup import number_en, url as page_url
from .model import Corpus, Division, Matter, Register, Revision, System, Text, load_corpus
from .pdfpages import MAX_PASSES, Layout, adjust, read
from .validate import check

if TYPE_CHECKING:
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

TEMPLATES = Path(__file__).resolve().parent / "templates" / "pdf"
LANGS = ("zh", "en")
FALLBACK_DATE = "2000-01-01"
CHINA_TIME = timezone(timedelta(hours=8))
UNTRANSLATED = "（尚无译文）/ not yet translated"
CONTINUED_CHARS = 28
"""How much of a duty's or matter's text a continuation piece repeats (as the bookmarks;
twice as many letters in English, cut at a word)."""

# Page geometry, shared by the print CSS and the height estimate of merged table cells.
MARGINS_MM = {"top": 24, "right": 18, "bottom": 20, "left": 24}
TEXT_WIDTH_MM = 210 - MARGINS_MM["left"] - MARGINS_MM["right"]
TEXT_HEIGHT_MM = 297 - MARGINS_MM["top"] - MARGINS_MM["bottom"]
MM_PER_PT = 25.4 / 72
BOUNDARY_FONT_PT = 8.5
LINE_HEIGHT = 1.45
CELL_PADDING_MM = 3.0
PARAGRAPH_GAP_MM = 1.5
WRAP_WASTE = 1.15
"""Line ends left empty by wrapping (whole words in English, kinsoku in Chinese)."""
MERGED_CELL_MAX_MM = TEXT_HEIGHT_MM - 15
"""Room for a merged cell: a page less the repeated table header (its row starts a new
page when it does not fit below the rows before it)."""
BOUNDARY_FIXED = {
    "zh": {"num": 5.0, "matter": 10.0, "dept": 10.0},
    "en": {"num": 5.0, "matter": 12.0, "dept": 14.0},
}
"""Widths (%) of the boundary table's short columns; English names need more room."""
MIN_COLUMN = 10.0
SERVICE_WIDTHS = {"num": 6.0, "service": 20.0, "content": 40.0, "agency": 18.0, "phone": 16.0, "extra": 20.0}
"""Widths (%) of the services table's columns when all are there (the extra weight is per
column); a list without some of them shares their room among the others."""



def label(key: str, lang: str) -> str:
    return messages.t(f"pdf.{key}", lang)


def texts(register: Register) -> list[Text]:
    """Every human-language field of a register (to tell whether it has any English)."""
    found = [register.title, *(r.summary for r in register.revisions)]
    for part in register.parts.values():
        found += [t for t in (part.heading, part.absent) if t] + [*part.columns, *part.notes]
    for row in register.rows.values():
        found += [v for v in vars(row).values() if isinstance(v, Text)]
        found += [*getattr(row, "preamble", []), *getattr(row, "extra", {}).values()]
    return found


def has_english(register: Register) -> bool:
    return bool(register.title.en) or any(t.en for t in texts(register))


def document_date(register: Register) -> str:
    """The date a printout carries: latest revision, else adoption, else a fixed date."""
    return max((r.date for r in register.revisions), default=None) or register.adopted or FALLBACK_DATE


@dataclass
class View:
    """One register in one language, as the print template sees it; `site_url` is where the
    site is published (mkdocs.yml), for the imprint; `layout` the page breaks a layout pass
    asked for."""

    register: Register
    lang: str
    site_url: str = ""
    layout: Layout = Layout()

    def label(self, key: str) -> str:
        return label(key, self.lang)

    def tr(self, text: Text | None) -> Markup:
        """A field in this language, escaped, line breaks kept; Chinese fallback is marked.

        A blank field (Ding'an's remarks hold only an ideographic space) has nothing to
        translate, so it is not marked.
        """
        if text is None:
            return Markup("")
        if self.lang == "zh" or text.en or not text.zh.strip():
            return _lines(self.plain(text))
        return Markup('<span lang="zh-CN">{}</span><span class="untranslated">{}</span>').format(
            _lines(text.zh), UNTRANSLATED)

    def num(self, value: str) -> str:
        """A row number: as written in Chinese, in English numbering in English ((1), 1.)."""
        return number_en(value) if self.lang == "en" else value

    def plain(self, text: Text) -> str:
        """A field for metadata and running heads: no markup, Chinese when untranslated."""
        return text.zh if self.lang == "zh" else text.en or text.zh

    def heading_text(self, name: str) -> str:
        """A part's heading as the source writes it, else the standard label (plain text)."""
        heading = self.register.parts[name].heading
        return self.plain(heading) if heading else messages.t(f"part_{name}", self.lang)

    def heading(self, name: str) -> Markup:
        heading = self.register.parts[name].heading
        return self.tr(heading) if heading else Markup(escape(messages.t(f"part_{name}", self.lang)))

    def none(self, name: str) -> Markup:
        """What a part without rows prints under its heading: the stated reason, else 无."""
        reason = self.register.parts[name].absent
        if reason is None or (reason.zh == "无" and self.lang == "en" and not reason.en):
            return Markup(escape(messages.t("part_none", self.lang)))
        return self.tr(reason)

    def numbered(self, name: str) -> bool:
        """Whether a part's table has a number column (a list without numbers invents none)."""
        return any(row.number for row in self.register.part_rows(name))

    @cached_property
    def service_columns(self) -> list[tuple[str, float]]:
        """The services table's columns (num, service, the standard ones the list has, then
        extra-N for each extra column) with their widths in %."""
        r = self.register
        fixed = [("num", SERVICE_WIDTHS["num"])] if self.numbered("services") else []
        names = ["service", *r.service_fields] + [f"extra-{i}" for i in range(len(r.parts["services"].columns))]
        weights = [SERVICE_WIDTHS["extra" if n.startswith("extra") else n] for n in names]
        room, total = 100 - sum(w for _, w in fixed), sum(weights)
        return fixed + [(n, round(room * w / total, 1)) for n, w in zip(names, weights)]

    @property
    def title(self) -> str:
        if self.lang == "zh":
            return self.register.title.zh
        base = self.register.title.en or f"{self.plain(self.register.department.name)} {self.label('responsibility_list')}"
        return f"{base} ({self.label('unofficial')})"

    @property
    def county(self) -> str:
        """Province, prefecture and county, the way each language writes an address."""
        c = self.register.county
        names = [self.plain(t) for t in (c.province, c.prefecture, c.name) if t]
        return "".join(names) if self.lang == "zh" else ", ".join(reversed(names))

    @property
    def department(self) -> str:
        return self.plain(self.register.department.name)

    @property
    def keywords(self) -> list[str]:
        r = self.register
        return [self.label("responsibility_list"), self.plain(r.county.name), self.department,
                *(self.heading_text(name) for name in r.parts)]

    @property
    def date(self) -> str:
        return document_date(self.register)

    @cached_property
    def version(self) -> tuple[str, str] | None:
        """(commit, commit date) of the last commit that changed the register file: the
        printout's version, from git (never the clock); None outside a git checkout."""
        path = self.register.path
        found = historic_versions(path.resolve().parents[2], path)
        return (found[0][0], found[0][1]) if found else None

    @property
    def current_url(self) -> str:
        """Where the current version of this list is published (its page on the site)."""
        if not self.site_url:
            return ""
        prefix = "" if self.lang == "zh" else f"{self.lang}/"
        return self.site_url.rstrip("/") + "/" + prefix + page_url(paths.register(self.register))

    @property
    def currency(self) -> str:
        return changelog.print_currency(self.register, self.lang)

    @property
    def latest_revision(self) -> Revision | None:
        return max(self.register.revisions, key=lambda r: r.date, default=None)

    @cached_property
    def boundary_widths(self) -> dict[str, float]:
        """Column widths (%) of the boundary table.

        Basis and cases cells span the division rows beside them, so the three long columns
        share the width in proportion to their text: the merged cells then come out about
        as tall as the rows they span.
        """
        fixed = BOUNDARY_FIXED[self.lang]
        matters = self.register.matters
        lengths = {
            "division": self._length([d.text for m in matters for d in m.divisions]),
            "basis": self._length([b.text for m in matters for b in m.basis]),
            "cases": self._length([c.text for m in matters for c in m.cases]),
        }
        spare = 100 - sum(fixed.values()) - MIN_COLUMN * len(lengths)
        total = sum(lengths.values()) or 1
        return {**fixed, **{name: round(MIN_COLUMN + spare * n / total, 1) for name, n in lengths.items()}}

    def spans(self, group: str, count: int) -> list[tuple[int, int]]:
        """The pieces (start, stop) a duty's items or a matter's divisions print in: one,
        unless a layout pass cut the group where a page ends."""
        cuts = sorted(i for g, i in self.layout.breaks if g == group and 0 < i < count)
        bounds = [0, *cuts, count]
        return list(zip(bounds, bounds[1:]))

    def loose(self, group: str) -> bool:
        return group in self.layout.loose

    def row(self, group: str, index: int, names: bool) -> Markup:
        """A table row's layout attributes: its group and place for the layout pass, whether
        it shows its group's number or name (`data-n`), whether it starts a page."""
        found = Markup('data-g="{}" data-i="{}"').format(group, index)
        if names:
            found += Markup(" data-n")
        if (group, index) in self.layout.breaks:
            found += Markup(" data-break")
        return found

    def short(self, text: Text) -> str:
        """A field's first line cut short (a continuation piece, a page foot), as plain text."""
        line = self.plain(text).split("\n")[0]
        if self.lang == "zh" or not text.en:
            return line if len(line) <= CONTINUED_CHARS else line[:CONTINUED_CHARS - 1] + "…"
        return shorten(line, CONTINUED_CHARS * 2, placeholder="…")

    def continued(self, text: Text) -> Markup:
        """The duty or matter cell of a continuation piece: its text cut short, then （续）."""
        mark = self.label("continued") if self.lang == "zh" else " " + self.label("continued")
        if self.lang != "zh" and not text.en:
            return Markup('<span lang="zh-CN">{}</span>{}').format(self.short(text), mark)
        return Markup("{}{}").format(self.short(text), mark)

    def head(self, system: System) -> str:
        """A supervision rule as the foot of its pages names it: number and title, cut short."""
        if not system.number:
            return self.short(system.title)
        return self.num(system.number) + ("" if self.lang == "zh" else " ") + self.short(system.title)

    def merged(self, matter: Matter) -> bool:
        """Whether a matter prints its basis and cases as merged cells: they fit a page and
        no layout pass printed the matter across pages (merged cells cannot split)."""
        return self.merged_cells_fit(matter) and self.rows_fit(matter) and matter.id not in self.layout.long and len(
            self.spans(matter.id, len(matter.divisions))) == 1

    def rows_fit(self, matter: Matter) -> bool:
        """Whether a matter's division rows fit one page (a generous estimate).  A taller
        matter splits across pages, which merged cells cannot: printing it with citations
        as rows from the start spares a layout pass finding that out."""
        widths = self.boundary_widths
        height = sum(max(_cell_height_mm([self.plain(d.text)], widths["division"]),
                         _cell_height_mm([self._department_text(d)], widths["dept"])) + CELL_PADDING_MM
                     for d in matter.divisions)
        return height <= MERGED_CELL_MAX_MM

    def merged_cells_fit(self, matter: Matter) -> bool:
        """Whether a matter's basis and cases fit one page as merged cells.

        WeasyPrint cannot split a merged (rowspan) cell that is taller than a page: the rows
        it spans slide below it and its text runs out of the table.  Such a matter prints
        each citation and case in a row of its own under its divisions (its basis and cases
        cells point there), each row carrying the matter's number.
        """
        cells = {"basis": [b.text for b in matter.basis], "cases": [c.text for c in matter.cases]}
        return all(
            _cell_height_mm([self.plain(t) for t in texts], self.boundary_widths[name]) <= MERGED_CELL_MAX_MM
            for name, texts in cells.items()
        )

    def _length(self, texts: list[Text]) -> int:
        return sum(len(self.plain(t)) for t in texts)

    def _department_text(self, division: Division) -> str:
        name = division.department.name if division.department is not None else None
        return name.en if self.lang != "zh" and name is not None and name.en else division.as_written

    def department_of(self, division: Division) -> Markup:
        """The 相关部门 cell: as the document writes it; in English the department's name."""
        if self.lang == "zh" or division.department is None:
            return _lines(division.as_written)
        name = division.department.name
        return _lines(name.en) if name.en else self.tr(Text(division.as_written))


def _cell_height_mm(paragraphs: list[str], width_percent: float) -> float:
    """A generous estimate of a boundary-table cell's height (a wrong guess changes layout only).

    Checked against WeasyPrint on the seed registers: 0–20 % above the real height.
    """
    em = BOUNDARY_FONT_PT * MM_PER_PT
    ems_per_line = (TEXT_WIDTH_MM * width_percent / 100 - CELL_PADDING_MM) / em
    lines = sum(math.ceil(WRAP_WASTE * _ems(line) / ems_per_line) or 1 for p in paragraphs for line in p.split("\n"))
    return lines * em * LINE_HEIGHT + PARAGRAPH_GAP_MM * len(paragraphs)


def _ems(line: str) -> float:
    """Width of a line in em: full width for CJK, about half for Latin letters and digits."""
    return sum(1.0 if east_asian_width(c) in "WF" else 0.55 for c in line)


def _lines(value: str) -> Markup:
    return escape(value).replace("\n", Markup("<br>"))


@cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined,
        autoescape=select_autoescape(enabled_extensions=("html",), default=False),
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    )


def render_html(register: Register, lang: str, site_url: str = "", layout: Layout = Layout()) -> str:
    return _environment().get_template("register.html").render(v=View(register, lang, site_url, layout), r=register)


def footer_css(lang: str) -> str:
    """The page footer as a CSS content value: label text around the page counters."""
    template = label("footer", lang)
    for name in ("page", "pages"):
        template = template.replace("{" + name + "}", f'" counter({name}) "')
    return f'"{template}"'


def render_css(lang: str) -> str:
    return _environment().get_template("print.css").render(
        footer=footer_css(lang), margins=MARGINS_MM, boundary_font=BOUNDARY_FONT_PT, line_height=LINE_HEIGHT,
        cell_padding=CELL_PADDING_MM / 2,
    )


@dataclass(frozen=True)
class Job:
    """Everything a worker needs for one layout pass of one PDF (small and picklable): the
    HTML rendered with `layout`, and whether this pass must write whatever it lays out."""

    html: str
    css: str
    target: Path
    attachment: bytes
    attachment_name: str
    attachment_description: str
    date: str
    layout: Layout = Layout()
    last: bool = False


def editions(corpus: Corpus, langs: tuple[str, ...]) -> list[tuple[Register, str]]:
    """(register, language) pairs to print: Chinese always, English when there is some."""
    return [(r, lang) for r in corpus.registers for lang in langs if lang == "zh" or has_english(r)]


@dataclass(frozen=True)
class Plan:
    """One build's print work: the font subsets it needs (cut from `chars`), the PDFs' first
    passes, and what each PDF is rendered from (register, language, site address) for the
    passes after (kept here: a register drags its whole corpus along when pickled)."""

    chars: str
    subsets: list[fonts.Subset]
    jobs: list[Job]
    sources: dict[Path, tuple[Register, str, str]] = field(default_factory=dict)

    @property
    def missing_fonts(self) -> list[fonts.Subset]:
        return [s for s in self.subsets if not s.path.exists()]

    def again(self, job: Job, layout: Layout, passes: int) -> Job:
        """The next pass of `job`: its HTML rendered with the page breaks `layout` asks for."""
        register, lang, site_url = self.sources[job.target]
        return replace(job, html=render_html(register, lang, site_url, layout), layout=layout,
                       last=passes + 1 >= MAX_PASSES)

    def write(self, job: Job) -> Path:
        """Write one PDF in this process, pass after pass (what the workers of `write_pdfs`
        do between them)."""
        passes = 1
        while (wanted := lay_out(job)) is not None:
            job, passes = self.again(job, wanted, passes), passes + 1
        return job.target


def plan(corpus: Corpus, site_dir: Path, langs: tuple[str, ...] = LANGS, font_cache: Path | None = None,
         site_url: str = "") -> Plan:
    """Render every page to HTML first: the HTML and CSS hold every character the fonts need."""
    pairs = editions(corpus, langs)
    pages = {(r.key, lang): render_html(r, lang, site_url) for r, lang in pairs}
    sheets = {lang: render_css(lang) for lang in langs}
    later = "".join(label(key, lang) for key in ("continued",) for lang in langs) + "…"  # later passes
    chars = "".join(sorted(set("".join(pages.values()) + "".join(sheets.values()) + later)))
    subsets = fonts.plan(chars, font_cache or corpus.root.resolve().parent / ".cache" / "fonts")
    faces = fonts.font_face_css(subsets, chars)
    jobs = [_job(r, lang, pages[r.key, lang], faces + sheets[lang], site_dir) for r, lang in pairs]
    return Plan(chars, subsets, jobs, {job.target: (r, lang, site_url) for job, (r, lang) in zip(jobs, pairs)})


def write_pdfs(corpus: Corpus, site_dir: Path, langs: tuple[str, ...] = LANGS,
               font_cache: Path | None = None, pdf_cache: Path | None = None, site_url: str = "") -> list[Path]:
    """One PDF per register and language into site_dir; English only for registers with English.

    With `pdf_cache`, a PDF whose inputs (`job_key`) were printed before is copied from
    there instead of printed again, and the cache keeps only this build's PDFs.
    """
    todo = plan(corpus, site_dir, langs, font_cache, site_url)
    keys = {job.target: job_key(job) for job in todo.jobs} if pdf_cache else {}
    jobs = [job for job in todo.jobs if not (pdf_cache and (pdf_cache / f"{keys[job.target]}.pdf").exists())]
    for job in set(todo.jobs) - set(jobs):
        job.target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(pdf_cache / f"{keys[job.target]}.pdf", job.target)  # type: ignore[operator]
    if jobs:
        missing = todo.missing_fonts
        with ProcessPoolExecutor(max_workers=min(os.cpu_count() or 1, max(len(jobs), len(missing)))) as pool:
            list(pool.map(fonts.Subset.make, missing, repeat(todo.chars)))
            fonts.prune(todo.subsets)
            _print(pool, todo, jobs)
    if pdf_cache:
        pdf_cache.mkdir(parents=True, exist_ok=True)
        for job in jobs:
            partial = pdf_cache / f"{keys[job.target]}.{os.getpid()}.tmp"
            shutil.copyfile(job.target, partial)
            partial.replace(pdf_cache / f"{keys[job.target]}.pdf")
        kept = {f"{key}.pdf" for key in keys.values()}
        for stale in [*pdf_cache.glob("*.pdf"), *pdf_cache.glob("*.tmp")]:
            if stale.name not in kept:
                stale.unlink()
    return [job.target for job in todo.jobs]


@cache
def _engine() -> bytes:
    """What turns a job into bytes besides the job: WeasyPrint and the libraries it writes
    PDFs with (their versions), and this code."""
    names = ["weasyprint", *(re.split(r"[ ;<>=!~\[]", r, maxsplit=1)[0] for r in metadata.requires("weasyprint") or []
                             if "extra ==" not in r)]
    versions = []
    for name in names:
        try:
            versions.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name}=-")
    here = Path(__file__).resolve().parent
    return b"\0".join([" ".join(versions).encode(), *((here / name).read_bytes() for name in ("pdf.py", "pdfpages.py", "fonts.py"))])


def job_key(job: Job) -> str:
    """A digest of everything one PDF is made from: equal keys give byte-identical PDFs
    (the font subsets are named by their content, and the CSS names them)."""
    digest = hashlib.blake2b(_engine(), digest_size=20)
    for part in (job.html, job.css, job.attachment_name, job.attachment_description, job.date):
        digest.update(b"\0" + part.encode("utf-8"))
    digest.update(b"\0" + job.attachment)
    return digest.hexdigest()


def _job(register: Register, lang: str, html: str, css: str, site_dir: Path) -> Job:
    name = f"{register.county.slug}-{register.slug}.yaml"
    return Job(html, css, site_dir / paths.pdf(register, lang), register.path.read_bytes(), name,
               label("attachment", lang), document_date(register))


@cache
def _font_config() -> FontConfiguration:
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


@cache
def _stylesheet(css: str) -> CSS:
    """Parsed once per worker, so the @font-face files are loaded once per worker too."""
    from weasyprint import CSS

    return CSS(string=css, font_config=_font_config())


def _print(pool: ProcessPoolExecutor, todo: Plan, jobs: list[Job]) -> None:
    """Every job's layout passes on the pool: a pass that asks for other page breaks is
    rendered again here and sent back, until each PDF is written."""
    passes: dict[Path, int] = {job.target: 1 for job in jobs}
    running = {pool.submit(lay_out, job): job for job in jobs}
    while running:
        done, _ = wait(running, return_when=FIRST_COMPLETED)
        for future in sorted(done, key=lambda f: str(running[f].target)):
            job = running.pop(future)
            if (wanted := future.result()) is not None:
                again = todo.again(job, wanted, passes[job.target])
                passes[job.target] += 1
                running[pool.submit(lay_out, again)] = again


def lay_out(job: Job) -> Layout | None:
    """One layout pass of one PDF (in a worker): write the PDF and return None when its pages
    keep the print rules (generator/pdfpages.py) or this is the last pass allowed; else
    return the page breaks the next pass should use.  WeasyPrint is imported here: `qingdan
    check` never pays for it."""
    from weasyprint import HTML, Attachment

    moment = datetime.fromisoformat(job.date).replace(tzinfo=CHINA_TIME).astimezone(timezone.utc)
    data = base64.b64encode(job.attachment).decode("ascii")
    attachment = Attachment(
        url=f"data:application/yaml;base64,{data}", name=job.attachment_name,
        description=job.attachment_description, created=moment, modified=moment, relationship="Source",
    )
    options: dict[str, Any] = {"stylesheets": [_stylesheet(job.css)], "pdf_variant": "pdf/a-3a", "attachments": [attachment]}
    with _source_date_epoch(int(moment.timestamp())):
        document = HTML(string=job.html, base_url=str(TEMPLATES)).render(font_config=_font_config(), **options)
        wanted = adjust(job.layout, read(document))
        if wanted != job.layout and not job.last:
            return wanted
        job.target.parent.mkdir(parents=True, exist_ok=True)
        document.write_pdf(job.target, **options)
    return None


@contextmanager
def _source_date_epoch(epoch: int) -> Iterator[None]:
    """Without HarfBuzz-subset, WeasyPrint subsets with fontTools, which stamps each font's
    `head` table with the current time unless SOURCE_DATE_EPOCH is set: pin it to the
    document's date while writing, so such hosts also get the same bytes every time."""
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        if old is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old


def _site_url(project: Path) -> str:
    """mkdocs.yml's site_url (the imprint names it), empty without a config."""
    from .build import site_config  # build imports this module

    return str(site_config(project).get("site_url") or "") if (project / "mkdocs.yml").exists() else ""


@click.command("pdf", help="生成每份清单的 A4 打印版 PDF（PDF/A-3a，带标签）。 Write the printable A4 PDF of every register.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("site"), show_default=True,
              help="输出目录 Output folder.")
@click.option("--registers", "root", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=Path("registers"), show_default=True, help="清单目录 Registers folder.")
def command(out: Path, root: Path) -> None:
    result = check([root])
    if result.errors:
        report.text(result, sys.stderr)
        raise SystemExit(1)
    try:
        written = write_pdfs(load_corpus(root), out, pdf_cache=root.resolve().parent / ".cache" / "pdf",
                             site_url=_site_url(root.resolve().parent))
    except fonts.FontMissing as exc:
        click.echo(f"错误 error: {exc}", err=True)
        raise SystemExit(1) from None
    for path in written:
        click.echo(str(path))
    click.echo(f"已生成 {len(written)} 个 PDF。 Wrote {len(written)} PDFs.")
