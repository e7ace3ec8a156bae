"""Publishing for real (issue 19): the site served by nginx with the shipped configuration,
its headers, MIME types and precompressed files, every page type in Chromium under the
Content-Security-Policy, the site address as configuration, and no dangling link after
`qingdan build` or `qingdan build --no-pdf`."""
from __future__ import annotations

import gzip
import json
import shutil
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import brotli
import pytest
from click.testing import CliRunner

from conftest import ARTIFACTS, ROOT, build_copy, project_copy
from generator import siteurl
from generator.build import build
from generator.cli import main
from generator.linkcheck import broken_links
from generator.nginx import CONFIG, serving

pytestmark = pytest.mark.slow

EXAMPLE = siteurl.EXAMPLE
REAL_URL = "https://www.example.gov.cn/qingdan/"
SECURITY = {"x-content-type-options": "nosniff", "referrer-policy": "strict-origin-when-cross-origin",
            "x-frame-options": "DENY"}


def fetch(url: str, encoding: str | None = None) -> tuple[int, dict[str, str], bytes]:
    """Status, headers (lower-case names) and raw body of one GET, without decoding."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": encoding or "identity"})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


# --- headers, MIME types, compression -----------------------------------------------------


def first(site: Path, pattern: str) -> str:
    return next(p for p in sorted(site.glob(pattern)) if p.is_file()).relative_to(site).as_posix()


def test_responses_carry_type_cache_and_security_headers(real_site: Path, site_url: str) -> None:
    expected = {
        "": ("text/html; charset=utf-8", "no-cache"),
        "dingan/renkou-jisheng/": ("text/html; charset=utf-8", "no-cache"),
        first(real_site, "assets/javascripts/bundle.*.min.js"): ("text/javascript; charset=utf-8",
                                                                 "public, max-age=31536000, immutable"),
        first(real_site, "assets/stylesheets/main.*.min.css"): ("text/css; charset=utf-8",
                                                                "public, max-age=31536000, immutable"),
        "assets/css/qingdan.css": ("text/css; charset=utf-8", "no-cache"),
        "search/search_index.json": ("application/json; charset=utf-8", "no-cache"),
        "data.json": ("application/json; charset=utf-8", "no-cache"),
        first(real_site, "downloads/dingan/*/*-duties.csv"): ("text/csv; charset=utf-8", "no-cache"),
        first(real_site, "downloads/dingan/*/*.zh.pdf"): ("application/pdf", "no-cache"),
        "downloads/qingdan-registers.zip": ("application/zip", "no-cache"),
        "sitemap.xml": ("application/xml; charset=utf-8", "no-cache"),
        "feeds/index.xml": ("application/atom+xml; charset=utf-8", "no-cache"),
        first(real_site, "feeds/dingan/*.xml"): ("application/atom+xml; charset=utf-8", "no-cache"),
        "assets/images/favicon.svg": ("image/svg+xml; charset=utf-8", "no-cache"),
    }
    for path, (media, cache) in expected.items():
        status, headers, _ = fetch(site_url + path)
        assert status == 200, path
        assert headers["content-type"] == media, path
        assert headers["cache-control"] == cache, path
        for name, value in SECURITY.items():
            assert headers[name] == value, (path, name)
        policy = headers["content-security-policy"]
        assert "frame-ancestors 'none'" in policy and "script-src 'self';" in policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_types_the_site_does_not_ship_yet(tmp_path: Path) -> None:
    """Feeds and a web manifest get their registered types (probe files, same configuration)."""
    probes = {"feed.atom": "application/atom+xml; charset=utf-8",
              "site.webmanifest": "application/manifest+json; charset=utf-8",
              "notes.txt": "text/plain; charset=utf-8", "unknown.bin": "application/octet-stream"}
    for name in probes:
        (tmp_path / name).write_text("x", encoding="utf-8")
    with serving(tmp_path) as url:
        for name, media in probes.items():
            status, headers, _ = fetch(url + name)
            assert (status, headers["content-type"]) == (200, media), name


@pytest.mark.parametrize("path", ["index.html", "dingan/renkou-jisheng/index.html", "search/search_index.json",
                                  "data.json", "assets/css/qingdan.css", "sitemap.xml"])
def test_precompressed_files_are_served_as_written(real_site: Path, site_url: str, path: str) -> None:
    original = (real_site / path).read_bytes()
    url = site_url + path.removesuffix("index.html")
    for encoding, suffix, decode in (("br", ".br", brotli.decompress), ("gzip", ".gz", gzip.decompress)):
        packed = (real_site / (path + suffix)).read_bytes()
        assert decode(packed) == original and len(packed) < len(original), suffix
        status, headers, body = fetch(url, f"{encoding}, deflate")
        assert status == 200 and headers.get("content-encoding") == encoding, (path, encoding)
        assert body == packed, (path, encoding)  # the file the build wrote, not an on-the-fly encoding
        assert "Accept-Encoding" in headers.get("vary", ""), path
    status, headers, body = fetch(url)
    assert status == 200 and "content-encoding" not in headers and body == original


def test_each_language_has_its_own_404_page(real_site: Path, site_url: str) -> None:
    status, headers, body = fetch(site_url + "no/such/page/")
    assert status == 404 and headers["content-type"] == "text/html; charset=utf-8"
    assert body == (real_site / "404.html").read_bytes()
    assert headers["x-content-type-options"] == "nosniff"
    english = real_site / "en" / "404.html"
    status, _, body = fetch(site_url + "en/no/such/page/")
    assert status == 404
    if english.exists():  # written by the English edition's 404 template (helper a11y's work)
        assert body == english.read_bytes()


def test_the_test_server_is_the_shipped_configuration() -> None:
    """Only the listen and root lines differ from deploy/nginx/qingdan.conf."""
    from generator.nginx import server_block

    shipped = CONFIG.read_text(encoding="utf-8").splitlines()
    served = server_block(Path("/x"), 1234).splitlines()
    differ = [(a, b) for a, b in zip(shipped, served) if a != b]
    assert len(shipped) == len(served)
    assert differ == [("    listen 80;", "    listen 127.0.0.1:1234;"), ("    root /srv/qingdan/site;", "    root /x;")]


# --- every page type in Chromium through nginx ----------------------------------------------

CSP_LISTENER = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
  e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || '')));
"""


def page_types(site: Path) -> list[str]:
    """One page of every kind the generator writes, in both languages, plus the 404 pages."""
    def one(pattern: str) -> str:
        found = sorted(p.parent for p in site.glob(pattern) if p.parent.name != "index.html")
        return found[0].relative_to(site).as_posix() + "/"

    zh = ["", "counties/", "dingan/", "dingan/renkou-jisheng/", "dingan/departments/renkou-jisheng/",
          "dingan/services/", "dingan/topics/", "dingan/laws/", "dingan/pinyin/", "departments/",
          one("departments/*/index.html"), "laws/", one("laws/*/index.html"), "topics/", one("topics/*/index.html"),
          "services/", "pinyin/", "compare/", one("compare/*-*/index.html"), "compare/matrix/", "data/", "guide/",
          "reference/errors/", "reference/schema/", "reference/scale/"]
    versions = sorted(site.glob("dingan/*/versions/*/index.html"))
    if versions:
        zh.append(versions[0].parent.relative_to(site).as_posix() + "/")
    return [*zh, *("en/" + p for p in zh)]


@pytest.mark.browser
def test_every_page_type_loads_under_the_csp_with_nothing_from_outside(browser: Any, real_site: Path,
                                                                       site_url: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(CSP_LISTENER)
    tab = context.new_page()
    problems: list[str] = []
    tab.on("console", lambda msg: problems.append(f"console {msg.type}: {msg.text}")
           if msg.type == "error" or "Content Security Policy" in msg.text else None)
    tab.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    tab.on("request", lambda req: problems.append(f"outside: {req.url}") if not req.url.startswith(site_url) else None)
    tab.on("requestfailed", lambda req: problems.append(f"failed: {req.url}"))
    tab.on("response", lambda res: problems.append(f"{res.status}: {res.url}")
           if res.status >= 400 and "/no/such/" not in res.url else None)
    visited = page_types(real_site)
    assert len(visited) >= 50
    for path in visited:
        response = tab.goto(site_url + path)
        assert response is not None and response.status == 200, path
        assert response.headers["content-security-policy"].startswith("default-src 'self'")
        tab.wait_for_load_state("networkidle")
        problems += [f"{path}: CSP {v}" for v in tab.evaluate("window.__csp")]
    for path in ("no/such/page/", "en/no/such/page/"):
        response = tab.goto(site_url + path)
        assert response is not None and response.status == 404
        tab.wait_for_load_state("networkidle")
        problems += [f"{path}: CSP {v}" for v in tab.evaluate("window.__csp")]
    # search runs a worker that fetches the index: under the same policy
    tab.goto(site_url + "dingan/")
    tab.wait_for_load_state("networkidle")
    tab.focus("input[data-md-component=search-query]")
    tab.keyboard.insert_text("流动人口")
    tab.keyboard.press("End")  # as measured on this stack (tests/test_browser.py's search helper)
    for _ in range(150):  # polled from here: a page-side predicate would be an eval the CSP forbids
        if "结果" in tab.inner_text(".md-search-result__meta"):
            break
        tab.wait_for_timeout(200)
    assert tab.query_selector_all(".md-search-result__list a")
    problems += [f"search: CSP {v}" for v in tab.evaluate("window.__csp")]
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / "nginx-search.png"))
    context.close()
    # Chromium reports the 404 documents themselves as failed resources; nothing else may fail
    problems = [p for p in problems if not ("404" in p and "Failed to load resource" in p)]
    assert problems == []


# --- the address is configuration ------------------------------------------------------------


def test_a_publishing_build_refuses_the_example_address(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = project_copy(tmp_path / "project", ROOT / "tests/fixtures/site/registers")
    monkeypatch.chdir(root)
    monkeypatch.delenv(siteurl.ENV, raising=False)
    refused = CliRunner().invoke(main, ["build", "--publish", "--no-pdf"])
    line = next(n for n, text in enumerate((root / "mkdocs.yml").read_text().splitlines(), 1)
                if text.startswith("site_url:"))
    assert refused.exit_code == 2, refused.output
    assert f"mkdocs.yml:{line}:1: 错误 error[site-url-example]" in refused.output
    assert "--site-url" in refused.output and siteurl.ENV in refused.output and "Traceback" not in refused.output
    assert not (root / "site").exists() and not (root / "docs").exists()
    refused = CliRunner().invoke(main, ["build", "--publish", "--site-url", EXAMPLE.rstrip("/")])
    assert refused.exit_code == 2 and "--site-url: 错误 error[site-url-example]" in refused.output
    monkeypatch.setenv(siteurl.ENV, "qingdan.gov.cn")
    refused = CliRunner().invoke(main, ["build"])
    assert refused.exit_code == 2 and f"{siteurl.ENV}: " in refused.output and "http" in refused.output


def test_the_address_comes_from_the_option_then_the_environment(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    root = project_copy(tmp_path / "project", ROOT / "tests/fixtures/site/registers")
    config = {"site_url": EXAMPLE}
    monkeypatch.delenv(siteurl.ENV, raising=False)
    assert siteurl.resolve(root, config, None, publishing=False) == EXAMPLE
    monkeypatch.setenv(siteurl.ENV, "https://a.gov.cn/x")
    assert siteurl.resolve(root, config, None, publishing=True) == "https://a.gov.cn/x/"
    assert siteurl.resolve(root, config, "https://b.gov.cn/", publishing=True) == "https://b.gov.cn/"
    from generator.build import site_config

    assert site_config(root)["site_url"] == "https://a.gov.cn/x"  # mkdocs.yml's !ENV, as MkDocs reads it


@pytest.fixture(scope="module")
def addressed_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The fixture county built for a real address under a path (as GitHub Pages serves a project)."""
    root = project_copy(tmp_path_factory.mktemp("addressed"), ROOT / "tests/fixtures/site/registers")
    build(root, pdf=False, site_url=REAL_URL, publishing=True)
    yield root / "site"


def test_the_address_reaches_every_place_it_is_used(addressed_site: Path) -> None:
    site = addressed_site
    everything = "".join(p.read_text(encoding="utf-8") for p in site.rglob("*")
                         if p.is_file() and p.suffix in (".html", ".xml", ".json"))
    assert EXAMPLE.rstrip("/") not in everything
    assert f'<link rel="canonical" href="{REAL_URL}ceshi/demo/">' in (site / "ceshi/demo/index.html").read_text()
    assert f"<loc>{REAL_URL}ceshi/demo/</loc>" in (site / "sitemap.xml").read_text()
    catalogue = json.loads((site / "data.json").read_text())
    assert catalogue["@id"] == REAL_URL + "data.json"
    assert all((d.get("downloadURL") or d["accessURL"]).startswith(REAL_URL)
               for ds in catalogue["dataset"] for d in ds["distribution"])
    schemas = list((site / "schemas").rglob("*.json"))
    assert schemas and all(json.loads(p.read_text())["$id"].startswith(REAL_URL + "schemas/") for p in schemas)
    assert 'href="/qingdan/assets/' in (site / "404.html").read_text()  # the 404 page's base is the site's path
    assert broken_links(site, REAL_URL) == []


# --- no dangling links ---------------------------------------------------------------------


def test_no_broken_link_after_a_full_build(real_site: Path) -> None:
    assert broken_links(real_site, EXAMPLE) == []
    assert list(real_site.glob("downloads/*/*/*.pdf"))


def test_no_pdf_keeps_the_previous_pdfs(real_site: Path, tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(real_site.parent, root, ignore=shutil.ignore_patterns("docs"))
    before = {p.relative_to(root / "site"): p.read_bytes() for p in (root / "site").glob("downloads/*/*/*.pdf")}
    build(root, pdf=False)
    after = {p.relative_to(root / "site"): p.read_bytes() for p in (root / "site").glob("downloads/*/*/*.pdf")}
    assert before and after == before
    page = (root / "site/dingan/renkou-jisheng/index.html").read_text(encoding="utf-8")
    assert "dingan-renkou-jisheng.zh.pdf" in page and "qd-pdf-missing" not in page
    assert broken_links(root / "site", EXAMPLE) == []
    # the check fails on one missing download
    next(iter(sorted((root / "site").glob("downloads/anhua/*/*.zh.pdf")))).unlink()
    broken = broken_links(root / "site", EXAMPLE)
    assert broken and all(b.link.endswith(".zh.pdf") and b.reason == "no such file" for b in broken)


def test_no_pdf_without_earlier_pdfs_says_so(fixture_site: Path) -> None:
    """A first build with --no-pdf: no page and no catalogue entry names a PDF."""
    assert not list(fixture_site.rglob("*.pdf"))
    page = (fixture_site / "ceshi/demo/index.html").read_text(encoding="utf-8")
    assert '<span class="qd-pdf-missing">本次构建未生成</span>' in page and ".pdf" not in page
    assert "not built yet" in (fixture_site / "en/ceshi/demo/index.html").read_text(encoding="utf-8")
    catalogue = json.loads((fixture_site / "data.json").read_text(encoding="utf-8"))
    assert not [d for ds in catalogue["dataset"] for d in ds["distribution"] if d["mediaType"] == "application/pdf"]
    assert broken_links(fixture_site, EXAMPLE) == []


# --- deploying --------------------------------------------------------------------------------


def test_the_publishing_workflow_builds_checks_and_deploys() -> None:
    import subprocess
    import sys

    import yaml

    path = ROOT / ".github" / "workflows" / "publish.yml"
    schema = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
                             str(path)], capture_output=True, text=True)
    assert schema.returncode == 0, schema.stdout + schema.stderr
    flow = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert flow[True]["push"]["branches"] == ["main"]  # YAML 1.1 reads the key `on` as true
    build_job = flow["jobs"]["build"]
    runs = [s.get("run", "") for s in build_job["steps"]]
    assert ".venv/bin/qingdan build --publish" in runs
    assert any(r.startswith(".venv/bin/qingdan linkcheck site --site-url") for r in runs)
    assert any("deploy/nginx/qingdan.conf" in r and "tar " in r for r in runs)
    address = {s["env"]["QINGDAN_SITE_URL"] for s in build_job["steps"] if "env" in s}
    assert address == {"${{ vars.QINGDAN_SITE_URL || steps.pages.outputs.base_url }}"}
    assert build_job["container"].startswith("python:3.11") and build_job["steps"][0]["with"]["fetch-depth"] == 0
    assert [s["uses"].split("@")[0] for s in flow["jobs"]["deploy"]["steps"]] == ["actions/deploy-pages"]
    assert "nginx" in (ROOT / "Makefile").read_text(encoding="utf-8").split("DEBS")[1].split("\n")[0]
