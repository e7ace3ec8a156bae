"""Build stage: validate, generate docs/, build the site with MkDocs, add PDFs and data.

Like MkDocs' own build it gathers first and writes last: everything goes into a fresh
temporary folder next to site/, which replaces site/ only when every step succeeded, so
a failed build leaves the previous site intact.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import partial
from pathlib import Path
from typing import Any

import yaml

from . import atomic, changelog, compare_pages, compress, dated, feeds, opendata, paths, pdfkeep, schema_doc, search, siteurl
from .errors import Finding, finding
from .guide import guide_page, scale_page
from .pdf import write_pdfs
from .model import Corpus, Register, load_corpus
from .render import Page, render_all, write_docs
from .load import Document
from .validate import Result, check

FALLBACK_DATE = "2000-01-01"


class BuildError(Exception):
    """A build step failed; the message says which, in Chinese and English."""


@dataclass
class BuildReport:
    written: int = 0
    removed: int = 0
    pages: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


def located(found: Finding) -> BuildError:
    """A build failure printed like a `qingdan check` finding: file:line:col, code, zh and en."""
    return BuildError(f"{found.file}:{found.line}:{found.col}: 错误 error[{found.code}] {found.message_zh}"
                      f" {found.message_en}")


def site_config(root: Path) -> dict[str, Any]:
    """mkdocs.yml as plain data (its python tags are left unresolved: we only read extra/site_url;
    `!ENV` is applied as MkDocs applies it).

    A missing or unreadable file, a syntax error or a wrong shape is a located BuildError."""

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
    Loader.add_constructor("!ENV", siteurl.env_constructor())
    path = root / "mkdocs.yml"
    if not path.is_file() or not (root / "registers").is_dir():
        raise located(finding("project-missing", root, 1, 1))
    try:
        config = yaml.load(path.read_text(encoding="utf-8"), Loader=Loader)
    except (OSError, UnicodeDecodeError) as exc:
        raise located(finding("config-invalid", path, 1, 1, problem=str(exc))) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise located(finding("config-invalid", path, line, col, problem=getattr(exc, "problem", None) or exc)) from exc
    if not isinstance(config, dict) or not isinstance(config.get("extra", {}), dict):
        raise located(finding("config-invalid", path, 1, 1, problem="不是 key: value 映射 / not a mapping"))
    return config


def build_date(corpus: Corpus) -> str:
    """The newest date the registers record: the build's clock for sitemaps and PDFs."""
    dates = [r.adopted for r in corpus.registers if r.adopted]
    dates += [rev.date for r in corpus.registers for rev in r.revisions]
    return max(dates, default=FALLBACK_DATE)


def source_date_epoch(date: str) -> str:
    return str(int(datetime.fromisoformat(date).replace(tzinfo=timezone.utc).timestamp()))


@dataclass
class Generated:
    """One full generation: what the incremental stage keeps to redo a single register."""

    result: Result
    corpus: Corpus
    extras: dict[str, Any]
    report: BuildReport


def checked(root: Path, loaded: dict[Path, Document] | None = None, paths: list[Path] | None = None) -> Result:
    """`qingdan check` of the registers (or of `paths` among them); raises BuildError on errors."""
    result = check(paths or [root / "registers"], loaded=loaded)
    if result.errors:
        located = [f"{f.file}:{f.line}:{f.col}: 错误 error[{f.code}] {f.message_zh} {f.message_en}"
                   for f in result.findings if f.severity == "error"]
        raise BuildError("\n".join([f"清单有 {result.errors} 个错误，未生成网站；请先运行 qingdan check。"
                                    f" The registers have {result.errors} errors; run `qingdan check`.",
                                    *located[:20], *(["…"] if len(located) > 20 else [])]))
    return result


def generate(root: Path, *, parallel: bool = True, config: dict[str, Any] | None = None,
             pdfs: opendata.Built = None) -> Generated:
    """Validate the registers and write docs/; raises BuildError on invalid data.

    `parallel` renders in forked processes: off inside `mkdocs serve`; `pdfs` are the PDFs
    the site will hold when not every one is printed (pdfkeep).
    """
    with written_or_located(), atomic.locked(root):
        return _generate(root, parallel=parallel, config=config, pdfs=pdfs)


@contextmanager
def written_or_located() -> Iterator[None]:
    """A failed write (full disk, read-only checkout, busy project) becomes a located BuildError."""
    try:
        yield
    except atomic.BuildBusy as exc:
        raise located(finding("build-busy", Path(str(exc)) / ".cache" / "build.lock", 1, 1)) from exc
    except OSError as exc:
        where = exc.filename or Path.cwd()
        raise located(finding("write-failed", where, 1, 1, reason=exc.strerror or str(exc))) from exc


def _generate(root: Path, *, parallel: bool, config: dict[str, Any] | None, pdfs: opendata.Built) -> Generated:
    config = config or site_config(root)
    report = BuildReport()
    start = time.perf_counter()
    result = checked(root)
    report.seconds["check"] = time.perf_counter() - start
    start = time.perf_counter()
    corpus = load_corpus(root / "registers", result.documents)
    fragments = site_extras(root, corpus, config, pdfs)
    pages = render_all(corpus, fragments, parallel=parallel)
    report.written, report.removed = write_docs(pages, root / "docs")
    report.pages = len(pages)
    report.seconds["generate"] = time.perf_counter() - start
    return Generated(result, corpus, fragments, report)


Pairs = list[tuple[Register, Register]]


def site_pages(root: Path, corpus: Corpus, config: dict[str, Any], *, parallel: bool = False) -> list[Page]:
    """Every page of the site for `corpus`: `root` gives the git history (versions) and the
    guide, `config` the mkdocs.yml settings (a shard passes its own)."""
    return render_all(corpus, site_extras(root, corpus, config), parallel=parallel)


def site_extras(root: Path, corpus: Corpus, config: dict[str, Any], pdfs: opendata.Built = None) -> dict[str, Any]:
    """What the renderer needs beyond the model: other stages' fragments and pages."""
    pairs = comparison_pairs(corpus, config)
    return {**extras(pairs, pdfs), "versions": changelog.versions(root, corpus),
            "more_pages": more_pages(root, corpus, config, pairs)}


def comparison_pairs(corpus: Corpus, config: dict[str, Any]) -> Pairs:
    try:
        return compare_pages.configured_pairs(corpus, config)
    except compare_pages.CompareConfigError as exc:
        config_file = corpus.root.resolve().parent / "mkdocs.yml"
        lines = config_file.read_text(encoding="utf-8").splitlines() if config_file.is_file() else []
        line = next((i for i, text in enumerate(lines, 1) if text.strip().startswith("compare:")), 1)
        raise located(finding("config-invalid", config_file, line, 1, problem=str(exc))) from exc


def extras(pairs: Pairs, pdfs: opendata.Built = None) -> dict[str, Any]:
    """What other stages contribute to the pages the renderer writes."""
    return {"downloads": partial(opendata.register_downloads_html, built=pdfs),
            "county_downloads": partial(opendata.county_downloads_html, built=pdfs),
            "changelog": changelog.changelog_html, "currency": changelog.currency_html,
            "feed": opendata.download_href, "dated": dated, "pairs": pairs}


def more_pages(root: Path, corpus: Corpus, config: dict[str, Any], pairs: Pairs) -> dict[str, Any]:
    """Whole pages other stages render, by docs path."""
    extra = config.get("extra", {})
    pages: dict[str, Any] = {
        paths.DATA: lambda lang: opendata.data_page(corpus, lang, extra),
        paths.SCHEMA_REFERENCE: schema_doc.schema_reference_page,
        paths.GUIDE: lambda lang: guide_page(root / "CONTRIBUTING.md", lang),
        paths.SCALE: scale_page,
        paths.COMPARE: lambda lang: compare_pages.compare_index_page(corpus, pairs, lang),
        paths.MATRIX: lambda lang: compare_pages.matrix_page(corpus, lang),
    }
    for a, b in pairs:
        pages[paths.comparison(a, b)] = lambda lang, a=a, b=b: compare_pages.comparison_page(corpus, a, b, lang)
    return pages


def mkdocs_build(root: Path, site_dir: Path, env: dict[str, str]) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "--site-dir", str(site_dir)],
        cwd=root, env=env, capture_output=True, text=True,
    )
    if proc.returncode != 0:
        detail = "\n".join(line for line in proc.stderr.splitlines() if "WARNING" in line or "ERROR" in line)
        raise BuildError(f"MkDocs 构建失败 MkDocs build failed:\n{detail or proc.stderr[-4000:]}")


def build(root: Path, *, pdf: bool = True, site_url: str | None = None, publishing: bool = False) -> BuildReport:
    """The whole pipeline into site/, swapped in one step only when everything succeeded
    (generator/atomic.py).

    `site_url` overrides QINGDAN_SITE_URL and mkdocs.yml; `publishing` refuses the example
    address (siteurl.SiteUrlError) before any work is done.
    """
    config = site_config(root)
    config["site_url"] = siteurl.resolve(root, config, site_url, publishing=publishing)
    site = root / "site"
    kept = None if pdf else pdfkeep.existing(site)
    generated = generate(root, config=config, pdfs=kept)
    corpus, report = generated.corpus, generated.report
    env = {**os.environ, "SOURCE_DATE_EPOCH": source_date_epoch(build_date(corpus)), "NO_MKDOCS_2_WARNING": "1",
           siteurl.ENV: config["site_url"]}
    with written_or_located(), atomic.locked(root):
        atomic.recover(site)
        staging = atomic.staging_dir(site)
        try:
            start = time.perf_counter()
            mkdocs_build(root, staging, env)
            report.seconds["mkdocs"] = time.perf_counter() - start
            search_index(staging, report)
            publish(corpus, config, staging, pdf=pdf, report=report, versions=generated.extras.get("versions"),
                    kept=kept, old_site=site)
            start = time.perf_counter()
            compress.precompress(staging)
            report.seconds["compress"] = time.perf_counter() - start
            atomic.swap_in(staging, site)
        except BaseException:
            atomic.remove_tree(staging)
            raise
    return report


def search_index(site_dir: Path, report: BuildReport) -> None:
    """Pagefind's chunked index of the built pages (generator/search.py)."""
    start = time.perf_counter()
    try:
        search.index_site(site_dir)
    except search.SearchIndexError as exc:
        raise BuildError(str(exc)) from exc
    report.seconds["search"] = time.perf_counter() - start


def publish(corpus: Corpus, config: dict[str, Any], site_dir: Path, *, pdf: bool, report: BuildReport,
            versions: dict[str, list[Any]] | None = None, kept: frozenset[str] | None = None,
            old_site: Path | None = None) -> None:
    """Downloads written next to the pages: PDFs, open data and the Atom feeds (with an
    entry per published version when `versions` are given).

    Without printing, the PDFs `kept` are carried over from `old_site` (pdfkeep).
    """
    start = time.perf_counter()
    try:
        opendata.write_downloads(corpus, site_dir, config["site_url"], config.get("extra", {}), kept)
        feeds.write_feeds(corpus, site_dir, opendata.site_base(config["site_url"]), config.get("extra", {}), versions)
    except ValueError as exc:
        raise BuildError(str(exc)) from exc
    report.seconds["data"] = time.perf_counter() - start
    if pdf:
        start = time.perf_counter()
        write_pdfs(corpus, site_dir, pdf_cache=corpus.root.resolve().parent / ".cache" / "pdf",
                   site_url=config["site_url"])
        report.seconds["pdf"] = time.perf_counter() - start
    elif kept and old_site:
        pdfkeep.carry_over(corpus, old_site, site_dir, kept)
