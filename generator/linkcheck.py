"""Link check of a built site: every internal href and src, every #anchor, every download.

Run by the tests after `qingdan build` and `qingdan build --no-pdf`, and by the publishing
workflow before it uploads (`qingdan linkcheck site`): one broken link fails.  Links to the
site's own address (canonical links, sitemaps, Atom feeds, the data catalogue's download
URLs) are checked as the local files they name; other http(s) links, mailto: and tel: are
not followed.
"""
from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from posixpath import normpath
from urllib.parse import unquote, urljoin, urlsplit

import click

LINK_ATTRIBUTES = {"href", "src"}
LOCAL = "http://site.invalid"
"""Stands in for the site's origin when resolving links."""


@dataclass(frozen=True)
class Broken:
    page: str
    link: str
    reason: str

    def __str__(self) -> str:
        return f"{self.page}: {self.link} ({self.reason})"


class _Page(HTMLParser):
    """Collects a page's ids (and a-names) and its links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                self.ids.add(value)
            elif name in LINK_ATTRIBUTES:
                self.links.append(value)


class Site:
    """A built site folder served at `site_url` (its path is where absolute links start)."""

    def __init__(self, root: Path, site_url: str) -> None:
        self.root = root
        self.site_url = site_url.rstrip("/") + "/"
        self.base = urlsplit(self.site_url).path or "/"
        self._pages: dict[Path, _Page] = {}

    def page(self, file: Path) -> _Page:
        if file not in self._pages:
            parsed = _Page()
            parsed.feed(file.read_text(encoding="utf-8", errors="replace"))
            self._pages[file] = parsed
        return self._pages[file]

    def url_of(self, file: Path) -> str:
        rel = file.relative_to(self.root).as_posix()
        rel = rel[: -len("index.html")] if rel == "index.html" or rel.endswith("/index.html") else rel
        return LOCAL + self.base + rel

    def target(self, absolute: str) -> Path | None:
        """The file a resolved URL (on LOCAL) names, or None when it lies outside the site."""
        path = unquote(urlsplit(absolute).path)
        if not path.startswith(self.base):
            return None
        rel = normpath(path[len(self.base):]) if path[len(self.base):] else "."
        if rel.startswith(".."):
            return None
        file = self.root / rel
        return file / "index.html" if file.is_dir() or path.endswith("/") else file

    def check(self, source: str, base: str, link: str) -> Broken | None:
        """One link found in `source` (site path), resolved against the URL `base`."""
        if link.startswith(self.site_url):
            link = LOCAL + self.base + link[len(self.site_url):]
        parts = urlsplit(link)
        if parts.scheme in ("mailto", "tel", "data", "javascript") or (
                parts.scheme in ("http", "https") and not link.startswith(LOCAL)) or link.startswith("//"):
            return None
        resolved = urljoin(base, link)
        file = self.target(resolved)
        if file is None:
            return Broken(source, link, "outside the site")
        if not file.is_file():
            return Broken(source, link, "no such file")
        fragment = unquote(urlsplit(resolved).fragment)
        if fragment and file.suffix == ".html" and fragment not in self.page(file).ids:
            return Broken(source, link, f"no #{fragment} on the page")
        return None


def broken_links(root: Path, site_url: str) -> list[Broken]:
    """Every broken link of the built site in `root` (pages, sitemaps, data catalogue)."""
    site = Site(root, site_url)
    return list(_broken(site))


def _broken(site: Site) -> Iterator[Broken]:
    root = site.root
    for file in sorted(root.rglob("*.html")):
        source = file.relative_to(root).as_posix()
        for link in site.page(file).links:
            # 404 pages are served at any address: MkDocs writes their links from the site root.
            base = site.url_of(file) if file.name != "404.html" else LOCAL + site.base
            if (problem := site.check(source, base, link)) is not None:
                yield problem
    for xml in sorted(root.rglob("*.xml")):  # sitemaps and the Atom feeds
        text = xml.read_text(encoding="utf-8")
        for loc in _between(text, "<loc>", "</loc>") + _between(text, 'href="', '"'):
            if (problem := site.check(xml.relative_to(root).as_posix(), LOCAL + site.base, loc)) is not None:
                yield problem
    catalogue = root / "data.json"
    if catalogue.is_file():
        for dataset in json.loads(catalogue.read_text(encoding="utf-8")).get("dataset", []):
            urls = [dataset.get("landingPage", ""), *(d.get("downloadURL") or d.get("accessURL", "")
                                                      for d in dataset.get("distribution", []))]
            for url in filter(None, urls):
                if (problem := site.check("data.json", LOCAL + site.base, url)) is not None:
                    yield problem


def _between(text: str, start: str, end: str) -> list[str]:
    return [chunk.split(end, 1)[0] for chunk in text.split(start)[1:]]


@click.command("linkcheck", help="检查已构建网站的每个内部链接、锚点和下载。 Check every internal link, anchor and download of a built site.")
@click.argument("site", type=click.Path(exists=True, file_okay=False, path_type=Path), default=Path("site"))
@click.option("--site-url", required=True, metavar="URL", help="构建时使用的网站地址 The address the site was built for.")
def command(site: Path, site_url: str) -> None:
    problems = broken_links(site, site_url)
    for problem in problems:
        click.echo(str(problem))
    click.echo(f"断链 {len(problems)} 个。 {len(problems)} broken links.")
    sys.exit(1 if problems else 0)
