"""Shared fixtures: real site builds in a scratch copy of the project, served by Debian's nginx
with the shipped configuration (deploy/nginx/qingdan.conf), and Debian's Chromium driven by
Playwright (never a downloaded browser)."""
from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.build import build, site_config, site_pages
from generator.model import load_corpus
from generator.nginx import serving

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = {"dingan": SHARED / "seeds" / "000_824ae8e54d8f565a.txt", "anhua": SHARED / "seeds" / "001_783c4a520348c2a9.txt"}
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
ARTIFACTS = ROOT / "test-artifacts"


REFRESH_GOLDEN = os.environ.get("QINGDAN_REFRESH_GOLDEN") == "1"


def assert_golden(path: Path, actual: str) -> None:
    """`actual` equals the golden file at `path`; QINGDAN_REFRESH_GOLDEN=1 rewrites it instead."""
    if REFRESH_GOLDEN:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"missing golden file {path}; run with QINGDAN_REFRESH_GOLDEN=1"
    assert actual == path.read_text(encoding="utf-8")


def project_copy(target: Path, registers: Path) -> Path:
    """The files a build reads, copied so tests never touch the working tree's docs/ or site/."""
    target.mkdir(parents=True, exist_ok=True)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    if registers != ROOT / "registers":  # the configured comparison names the real counties
        config = re.sub(r"(\n    compare:)\n(      - .*\n)+", r"\1 []\n", config)
    (target / "mkdocs.yml").write_text(config, encoding="utf-8")
    shutil.copytree(ROOT / "overrides", target / "overrides")
    shutil.copyfile(ROOT / "CONTRIBUTING.md", target / "CONTRIBUTING.md")
    shutil.copytree(registers, target / "registers")
    return target


def docs_tree(docs: Path) -> dict[str, bytes]:
    """Every generated page under docs/zh and docs/en, by path."""
    return {p.relative_to(docs).as_posix(): p.read_bytes() for lang in ("zh", "en")
            for p in sorted((docs / lang).rglob("*")) if p.is_file()}


def full_generation(root: Path) -> dict[str, bytes]:
    """What a full generation of `root` writes, rendered in memory: the incremental build's reference."""
    corpus = load_corpus(root / "registers")
    pages = site_pages(root, corpus, site_config(root))
    return {f"{p.lang}/{p.path}": p.content.encode("utf-8") for p in pages}


def build_copy(target: Path, registers: Path, *, pdf: bool) -> Path:
    root = project_copy(target, registers)
    build(root, pdf=pdf)
    return root


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole site (with PDFs) built from the real registers, once per test session."""
    return build_copy(tmp_path_factory.mktemp("real"), ROOT / "registers", pdf=True) / "site"


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small fixture county (escaping cases) built without PDFs."""
    return build_copy(tmp_path_factory.mktemp("fixture"), ROOT / "tests/fixtures/site/registers", pdf=False) / "site"


def _serve(site: Path) -> Iterator[str]:
    """A built site served by nginx on 127.0.0.1, exactly as the shipped configuration serves
    it (headers, CSP, precompressed files, 404 pages); every browser test goes through it."""
    with serving(site) as url:
        yield url


@pytest.fixture(scope="session")
def site_url(real_site: Path) -> Iterator[str]:
    yield from _serve(real_site)


@pytest.fixture(scope="session")
def fixture_site_url(fixture_site: Path) -> Iterator[str]:
    yield from _serve(fixture_site)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed: run `make deps`")
    with playwright.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()
