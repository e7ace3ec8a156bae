"""Links between generated pages: the fast relative URL agrees with posixpath.relpath."""
from __future__ import annotations

import itertools
import posixpath

from generator.markup import href, url

PAGES = ["index.md", "counties.md", "c0001/index.md", "c0001/demo.md", "c0001/departments/gongan.md",
         "c0001/versions/demo/abc.md", "c0002/demo.md", "departments/gongan.md", "compare/c0001-c0002/demo.md"]


def test_every_link_matches_relpath() -> None:
    for source, target in itertools.product(PAGES, repeat=2):
        rel = posixpath.relpath(url(target) or ".", url(source) or ".")
        assert href(source, target) == ("./" if rel == "." else rel + "/"), (source, target)


def test_anchor_and_examples() -> None:
    assert href("c0001/demo.md", "c0001/demo.md", "duty-01") == "./#duty-01"
    assert href("c0001/departments/gongan.md", "index.md") == "../../../"
    assert href("index.md", "c0001/index.md") == "c0001/"
    assert href("c0001/demo.md", "c0002/demo.md") == "../../c0002/demo/"
