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


def _linked(text: str, *names: str) -> str:
    import re

    from generator.model import Text
    from generator.render import LinkTargets, Linker

    ordered = sorted(names, key=len, reverse=True)
    links = LinkTargets({n: f"c0001/departments/d{i}.md" for i, n in enumerate(names)},
                        re.compile("|".join(map(re.escape, ordered))))
    return Linker(links, "c0001/demo.md", "zh").html(Text(text))


def test_names_link_only_as_whole_words() -> None:
    """An alias inside a longer word is not a mention: 县政府办 in 应由县政府办理 would take 办
    from 办理.  jieba's dictionary segmentation decides (see markup.whole_word)."""
    assert _linked("应由县政府办理", "县政府办") == "应由县政府办理"
    assert _linked("县政府办负责", "县政府办") == '<a class="qd-xref" href="../departments/d0/">县政府办</a>负责'
    # a shorter name at the same place still links when it is the whole word
    assert _linked("应由县政府办理", "县政府办", "县政府") == '应由<a class="qd-xref" href="../departments/d1/">县政府</a>办理'
    for text, name in [("县政府办公室", "县政府办"), ("县人口计生委员会", "县人口计生委"), ("县公安局长", "县公安局"),
                       ("全国妇联", "妇联"), ("ABC", "AB")]:
        assert "<a" not in _linked(text, name), text
    # the level character shared with a place word before it: 和县, 会同县, and HMM guesses like 受县 are no obstacle
    both = _linked("县财政局和县民政局", "县财政局", "县民政局")
    assert both.count("<a ") == 2 and both.endswith(">县民政局</a>")
    for text, name in [("会同县财政局负责", "县财政局"), ("受县人口和计划生育局委托", "县人口和计划生育局"),
                       ("结果报县人口计生委。", "县人口计生委"), ("由县教育局局长签发", "县教育局"), ("说 AB 的", "AB"),
                       ("依据《行政许可法》办理", "《行政许可法》")]:
        assert f">{name}</a>" in _linked(text, name), text


def test_seed_links_are_kept() -> None:
    """Every name the seed registers mention is still linked (none sits inside a longer word)."""
    import re
    from pathlib import Path

    from generator.model import load_corpus
    from generator.render import LinkTargets, Linker

    corpus = load_corpus(Path(__file__).resolve().parents[1] / "registers")
    total = 0
    for register in corpus.registers:
        links = LinkTargets.build(corpus, register.county)
        linker = Linker(links, "elsewhere/page.md", "zh")
        texts = [t for row in register.rows.values() for t in vars(row).values() if hasattr(t, "zh")]
        assert texts
        for text in texts:
            found = [m.group() for m in links.pattern.finditer(text.zh)]
            assert re.findall(r'<a class="qd-xref" href="[^"]*">([^<]*)</a>', linker.html(text)) == found
            total += len(found)
    assert total >= 20
