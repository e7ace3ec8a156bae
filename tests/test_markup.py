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


def test_front_matter_titles_parse_back_whatever_the_text() -> None:
    """Every character a YAML escape can put in a title survives MkDocs' front-matter
    parser (PyYAML): otherwise MkDocs drops the front matter and renders it as Markdown."""
    import yaml

    from generator.markup import yaml_string

    for value in ["测试\x85标题", "a\x7fb\x9f", "行\u2028分", "x\ufffe\uffff", 'quote " and \\ and \n', "[x](javascript:1)"]:
        assert yaml.safe_load(f"title: {yaml_string(value)}\n") == {"title": value}


def test_names_are_linked_in_the_text_as_written_not_inside_escapes() -> None:
    import re

    from generator.model import Text
    from generator.render import LinkTargets, Linker

    links = LinkTargets({"quot": "laws/quot.md", "br": "laws/br.md", "A&B": "laws/ab.md"}, re.compile("A&B|quot|br"))
    linked = Linker(links, "c0001/demo.md", "zh").html(Text('说 "quot"\n与 A&B'))
    assert linked == ('说 &quot;<a class="qd-xref" href="../../laws/quot/">quot</a>&quot;<br>与 '
                      '<a class="qd-xref" href="../../laws/ab/">A&amp;B</a>')


def test_site_markdown_escapes_show_no_backslash() -> None:
    """md() escapes only what Python-Markdown (with tables) unescapes: a title with a colon
    or a tilde shows no stray backslash, and nothing in it becomes markup."""
    import markdown

    from generator.markup import md

    title = "Part 1: duties ~ *not bold* [x](y) | `z` #1 <b>"
    html = markdown.markdown(f"# {md(title)} {{: #t }}", extensions=["attr_list", "tables", "md_in_html"])
    assert html == '<h1 id="t">Part 1: duties ~ *not bold* [x](y) | `z` #1 &lt;b&gt;</h1>'
