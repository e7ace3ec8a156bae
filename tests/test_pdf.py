"""The printable PDFs: every seed word, embedded CJK fonts, attached YAML, metadata, same bytes twice.

The PDFs are built once per session (module fixture); the tests marked slow read them with
poppler's command-line tools and pikepdf: text, fill and rows of every page (issue 17: no
stranded row, every page names its duty or matter).
"""
from __future__ import annotations

import dataclasses
import io
import re
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner
from fontTools.ttLib import TTFont

from generator import fonts, paths
from generator.changelog import historic_versions
from generator.cli import main
from generator.validate import check
from generator.model import Corpus, Register, Revision, Text, load_corpus
from generator.pdf import (
    UNTRANSLATED,
    View,
    document_date,
    editions,
    has_english,
    plan,
    render_css,
    render_html,
    write_pdfs,
)
from generator.pdfpages import Layout

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared"
SEEDS = {"dingan": "000_824ae8e54d8f565a.txt", "anhua": "001_783c4a520348c2a9.txt"}
CJK = re.compile(r"[\u3400-\u9fff]")
SITE_URL = "https://qingdan.example.org/"


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus(ROOT / "registers")


@pytest.fixture(scope="module")
def built(corpus: Corpus, tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    """All PDFs, keyed by (county slug, language); fonts subset into a fresh cache."""
    site = tmp_path_factory.mktemp("site")
    written = write_pdfs(corpus, site, font_cache=tmp_path_factory.mktemp("fonts"), site_url=SITE_URL)
    return {(p.parent.parent.name, p.name.split(".")[-2]): p for p in written}


def zh_pdfs(built: dict[tuple[str, str], Path]) -> list[tuple[str, Path]]:
    return [(county, path) for (county, lang), path in sorted(built.items()) if lang == "zh"]


def register_of(corpus: Corpus, county: str) -> Register:
    return next(r for r in corpus.registers if r.county.slug == county)


def pdftotext(path: Path) -> str:
    """-raw keeps each table cell's text contiguous (the layout modes interleave columns)."""
    return subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"],
                          capture_output=True, text=True, check=True).stdout


def pdfinfo(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", "-enc", "UTF-8", str(path)], capture_output=True, text=True, check=True).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


def embedded_fonts(path: Path) -> list[TTFont]:
    """The font programs embedded in the PDF (WeasyPrint embeds OpenType CFF or TrueType)."""
    found: dict[tuple[int, int], TTFont] = {}
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            for font in page.Resources.get("/Font", {}).values():
                for descendant in font.get("/DescendantFonts", []):
                    descriptor = descendant.FontDescriptor
                    stream = descriptor.get("/FontFile3") or descriptor.get("/FontFile2")
                    if stream is not None and stream.objgen not in found:
                        found[stream.objgen] = TTFont(io.BytesIO(stream.read_bytes()))
    return list(found.values())


# --- fast: templates, escaping, language choice -------------------------------------------


def test_register_text_is_escaped(corpus: Corpus) -> None:
    register = register_of(corpus, "dingan")
    duty = register.duties[0]
    original = duty.text
    duty.text = Text("<script>alert(1)</script> & <b>粗</b>", "<i>x</i> & y")
    try:
        zh, en = render_html(register, "zh"), render_html(register, "en")
    finally:
        duty.text = original
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;粗&lt;/b&gt;" in zh
    assert "<script>" not in zh and "<b>粗" not in zh
    assert "&lt;i&gt;x&lt;/i&gt; &amp; y" in en


def test_untranslated_fields_fall_back_to_chinese_marked(corpus: Corpus) -> None:
    view = View(register_of(corpus, "dingan"), "en")
    assert view.tr(Text("部门职责", "Duties")) == "Duties"
    fallback = str(view.tr(Text("部门职责")))
    assert "部门职责" in fallback and UNTRANSLATED in fallback
    assert UNTRANSLATED not in view.tr(Text("\u3000")), "a blank remark has nothing to translate"
    assert UNTRANSLATED not in View(view.register, "zh").tr(Text("部门职责"))


def test_english_only_for_registers_with_english(corpus: Corpus) -> None:
    register = register_of(corpus, "dingan")
    chinese_only = dataclasses.replace(register, title=Text(register.title.zh), revisions=[], parts={}, rows={})
    assert not has_english(chinese_only)
    assert has_english(dataclasses.replace(chinese_only, title=Text("清单", "List")))
    fake = Corpus(corpus.root)
    fake.counties = {"x": dataclasses.replace(register.county, registers=[chinese_only, register])}
    assert [(r.slug, lang) for r, lang in editions(fake, ("zh", "en"))] == [
        (chinese_only.slug, "zh"), (register.slug, "zh"), (register.slug, "en")]


def test_english_title_says_unofficial_translation(corpus: Corpus) -> None:
    view = View(register_of(corpus, "anhua"), "en")
    assert view.title.endswith("(unofficial translation)")
    assert "责任清单" not in view.title


def test_document_date_comes_from_the_register(corpus: Corpus) -> None:
    register = register_of(corpus, "dingan")
    bare = dataclasses.replace(register, adopted=None, revisions=[])
    assert document_date(bare) == "2000-01-01"
    adopted = dataclasses.replace(bare, adopted="2016-03-31")
    assert document_date(adopted) == "2016-03-31"
    revised = dataclasses.replace(adopted, revisions=[Revision(d, Text("修订")) for d in ("2018-01-02", "2017-05-06")])
    assert document_date(revised) == "2018-01-02"


def test_every_font_stack_ends_in_a_cjk_family() -> None:
    """WeasyPrint draws tofu when no font in the stack has the glyph: the last one must be CJK."""
    for lang in ("zh", "en"):
        css = render_css(lang)
        assert not re.search(r"(?<![-\w])font\s*:", css), "use font-family, so this test sees every stack"
        stacks = re.findall(r"font-family\s*:\s*([^;}]+)", css)
        assert stacks
        for stack in stacks:
            families = [f.strip().strip('"') for f in stack.split(",")]
            assert families[-1] in (fonts.SERIF, fonts.SANS), stack
    assert {face.system_family for face in fonts.FACES} <= {fonts.SERIF, fonts.SANS}


def test_merged_cells_fall_back_when_taller_than_a_page(corpus: Corpus) -> None:
    register = register_of(corpus, "dingan")
    view = View(register, "zh")
    assert all(view.merged_cells_fit(m) for m in register.matters)
    matter = register.matters[0]
    long_basis = dataclasses.replace(matter.basis[0], text=Text(matter.basis[0].text.zh * 3))
    assert not view.merged_cells_fit(dataclasses.replace(matter, basis=[long_basis]))
    widths = view.boundary_widths
    assert round(sum(widths.values())) == 100


def test_print_jobs_stay_small_when_pickled(tmp_path: Path) -> None:
    """A worker's job carries HTML, CSS and the attachment, never a Register: pickling one
    drags the corpus along (a county of ten registers overflowed the recursion limit); the
    layout passes after the first render the HTML in the parent (`Plan.again`)."""
    import pickle

    corpus = load_corpus(ROOT / "tests/fixtures/site/registers")
    todo = plan(corpus, tmp_path / "site", font_cache=tmp_path / "fonts")
    for job in todo.jobs:
        size = len(job.html.encode()) + len(job.css.encode()) + len(job.attachment)
        assert len(pickle.dumps(job)) < size + 4096, job.target.name
    again = todo.again(todo.jobs[0], Layout(breaks=frozenset({("duty-01", 1)})), 1)
    assert 'data-g="duty-01" data-i="1" data-n data-break' in again.html and not again.last  # a piece naming its duty


def test_cli_reports_invalid_registers_without_traceback(tmp_path: Path) -> None:
    (tmp_path / "topics.yaml").write_text("topics: [\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["pdf", "--registers", str(tmp_path), "--out", str(tmp_path / "site")])
    assert result.exit_code == 1
    assert "Traceback" not in result.output


def test_cli_usage_error() -> None:
    assert CliRunner().invoke(main, ["pdf", "--no-such-option"]).exit_code == 2


# --- slow: the built PDFs -----------------------------------------------------------------


@pytest.mark.slow
def test_one_pdf_per_register_and_language(corpus: Corpus, built: dict[tuple[str, str], Path]) -> None:
    expected = {(r.county.slug, lang) for r, lang in editions(corpus, ("zh", "en"))}
    assert set(built) == expected
    for r, lang in editions(corpus, ("zh", "en")):
        assert built[r.county.slug, lang].as_posix().endswith(paths.pdf(r, lang))


@pytest.mark.slow
@pytest.mark.parametrize("county", sorted(SEEDS))
def test_pdf_text_covers_the_seed(county: str, built: dict[tuple[str, str], Path], tmp_path: Path) -> None:
    text = tmp_path / f"{county}.txt"
    text.write_text(pdftotext(built[county, "zh"]), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(SHARED / "tools" / "seed_coverage.py"), str(SHARED / "seeds" / SEEDS[county]), str(text)],
        capture_output=True, text=True,
    )
    assert "coverage: 100.0%" in result.stdout, result.stdout


@pytest.mark.slow
def test_fonts_are_embedded_and_draw_cjk(built: dict[tuple[str, str], Path]) -> None:
    """pdftotext reads tofu as text too, so check the glyphs: every CJK character shown must be
    in the cmap of an embedded font program (WeasyPrint keeps cmap entries for real glyphs)."""
    for path in built.values():
        listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
        rows = listing.splitlines()[2:]
        assert rows, listing
        for row in rows:
            assert re.search(r"\s(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+$", row), row
            emb = row.split()[-5]
            assert emb == "yes", f"{path.name}: font not embedded: {row}"
        covered = {chr(c) for font in embedded_fonts(path) for c in font.getBestCmap()}
        assert any(CJK.match(c) for c in covered), f"{path.name}: no CJK font embedded"
        shown = set(CJK.findall(pdftotext(path)))
        assert shown and shown <= covered, f"{path.name}: drawn without a glyph: {sorted(shown - covered)[:20]}"


@pytest.mark.slow
def test_register_yaml_is_attached_byte_identical(corpus: Corpus, built: dict[tuple[str, str], Path]) -> None:
    for (county, _lang), path in built.items():
        register = register_of(corpus, county)
        with pikepdf.open(path) as pdf:
            attachments = dict(pdf.attachments)
            assert list(attachments) == [f"{county}-{register.slug}.yaml"]
            spec = attachments[f"{county}-{register.slug}.yaml"]
            assert spec.get_file().read_bytes() == register.path.read_bytes()
            assert spec.obj.get("/AFRelationship") == "/Source"


def structure(node: pikepdf.Object) -> Iterator[pikepdf.Object]:
    """Every structure element under `node`, in document (reading) order."""
    kids = node.get("/K")
    if kids is None:
        return
    for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            yield kid
            yield from structure(kid)


@pytest.mark.slow
def test_pdfs_are_tagged_with_language_headings_and_table_headers(built: dict[tuple[str, str], Path]) -> None:
    """What a screen reader needs (issue 17): Tagged: yes, the document language, headings in
    order, tables whose header cells are TH, and a reading order that starts at the cover."""
    for (county, lang), path in built.items():
        assert pdfinfo(path)["Tagged"] == "yes", path
        with pikepdf.open(path) as pdf:
            assert str(pdf.Root.Lang) == ("zh-CN" if lang == "zh" else "en")
            assert bool(pdf.Root.MarkInfo.Marked)
            elements = list(structure(pdf.Root.StructTreeRoot))
            tags = [str(e.S) for e in elements]
            counts = Counter(tags)
            assert counts["/H1"] == 1 and counts["/H2"] >= 5 and counts["/H3"] >= 1 and counts["/H4"] >= 3, counts
            assert counts["/Table"] >= 3 and counts["/TH"] >= 16 and counts["/TD"] > 100, counts
            headings = [t for t in tags if re.fullmatch(r"/H\d", t)]
            assert headings[0] == "/H1" and headings[1] == "/H2", "the cover title, then the contents and the parts"


@pytest.mark.slow
def test_cover_states_edition_date_version_and_where_the_current_version_is(
        corpus: Corpus, built: dict[tuple[str, str], Path]) -> None:
    for (county, lang), path in built.items():
        register = register_of(corpus, county)
        cover = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-enc", "UTF-8", str(path), "-"],
                               capture_output=True, text=True, check=True).stdout
        assert document_date(register) in cover
        sha, date, _ = historic_versions(ROOT, register.path)[0]
        assert sha[:12] in cover and date in cover, "the version comes from git"
        assert SITE_URL + ("en/" if lang == "en" else "") + f"{county}/renkou-jisheng/" in cover.replace("\n", "")


@pytest.mark.slow
def test_english_is_hyphenated_and_long_matters_name_every_row(
        corpus: Corpus, built: dict[tuple[str, str], Path]) -> None:
    text = pdftotext(built["dingan", "en"])
    assert re.search(r"[a-z]-\n[a-z]", text), "English words broken at line ends carry a hyphen"
    html = render_html(register_of(corpus, "dingan"), "en")
    rows = re.findall(r'<tr class="cont" [^>]*><td class="num">([^<]*)</td>', html)
    assert rows and all(rows), "each carried-on citation or case row repeats its matter's number"
    assert "（一）" not in html and "一、" not in html, "English numbering in the English edition"


@pytest.mark.slow
def test_metadata(corpus: Corpus, built: dict[tuple[str, str], Path]) -> None:
    for (county, lang), path in built.items():
        register = register_of(corpus, county)
        info = pdfinfo(path)
        view = View(register, lang)
        assert info["Title"] == view.title
        assert info["Author"] == view.department
        assert view.label("responsibility_list") in info["Keywords"]
        assert info["Page size"].startswith("595.276 x 841.89"), "A4"
        assert 3 <= int(info["Pages"]) <= 40
        with pikepdf.open(path) as pdf:
            assert str(pdf.Root.Lang) == ("zh-CN" if lang == "zh" else "en")
            date = document_date(register).replace("-", "")
            assert str(pdf.docinfo.CreationDate).startswith(f"D:{date}")
            assert str(pdf.docinfo.ModDate).startswith(f"D:{date}")
            meta = pdf.open_metadata()
            assert meta.pdfa_status == "3A", "PDF/A-3 level A: archival and tagged"
            assert meta.get("dc:title") == view.title


@pytest.mark.slow
def test_running_head_footer_and_repeated_table_header(corpus: Corpus, built: dict[tuple[str, str], Path]) -> None:
    for county, path in zh_pdfs(built):
        register = register_of(corpus, county)
        pages = pdftotext(path).split("\f")[:-1]
        total = len(pages)
        for number, page in enumerate(pages[1:], start=2):
            assert register.county.name.zh in page and register.department.name.zh in page
            assert f"第 {number} 页 共 {total} 页" in page
        first_duty = next(i for i, p in enumerate(pages) if register.parts["duties"].heading.zh in p and i > 1)
        first_boundary = next(i for i, p in enumerate(pages) if register.parts["boundaries"].heading.zh in p and i > 1)
        assert first_boundary - first_duty >= 2, "the duties table spans pages"
        for page in pages[first_duty:first_boundary]:
            assert "具体工作事项" in page, "the table header repeats on every page"


@pytest.mark.slow
def test_contents_page_numbers(corpus: Corpus, built: dict[tuple[str, str], Path]) -> None:
    for county, path in zh_pdfs(built):
        register = register_of(corpus, county)
        pages = pdftotext(path).split("\f")
        contents = re.sub(r"[\s.]", "", pages[1])
        for part in register.parts.values():
            heading = part.heading.zh
            listed = int(re.search(re.escape(heading) + r"(\d+)", contents).group(1))  # type: ignore[union-attr]
            actual = next(i for i, page in enumerate(pages[2:], start=3) if heading in page)
            assert listed == actual, heading


@pytest.mark.slow
def test_bookmarks_for_parts_and_rows(corpus: Corpus, built: dict[tuple[str, str], Path]) -> None:
    for county, path in zh_pdfs(built):
        register = register_of(corpus, county)
        with pikepdf.open(path) as pdf, pdf.open_outline() as outline:
            titles = [item.title for item in outline.root]
            assert titles == [register.parts[p].heading.zh for p in ("duties", "boundaries", "supervision", "services")]
            duties = [item.title for item in outline.root[0].children]
            assert [t.split(" ")[0] for t in duties] == [d.number for d in register.duties]
            systems = outline.root[2].children
            assert len(systems) == len(register.systems)
            assert all(len(s.children) == len(sys_.sections) for s, sys_ in zip(systems, register.systems))


@pytest.mark.slow
def test_two_builds_give_identical_bytes(corpus: Corpus, built: dict[tuple[str, str], Path],
                                         tmp_path_factory: pytest.TempPathFactory) -> None:
    """A second build, fonts subset again into another cache, writes the very same files."""
    again = write_pdfs(corpus, tmp_path_factory.mktemp("again"), font_cache=tmp_path_factory.mktemp("fonts2"),
                       site_url=SITE_URL)
    assert len(again) == len(built)
    for path in again:
        first = built[path.parent.parent.name, path.name.split(".")[-2]]
        assert path.read_bytes() == first.read_bytes(), path.name


@pytest.mark.slow
def test_pdf_cache_reprints_only_what_changed(tmp_path: Path) -> None:
    """With a PDF cache, a second build prints nothing and an edited register is printed
    again alone; cached copies are the bytes a fresh print would give."""
    corpus = load_corpus(ROOT / "tests/fixtures/site/registers")
    fonts_dir, cache = tmp_path / "fonts", tmp_path / "pdf-cache"
    first = write_pdfs(corpus, tmp_path / "one", font_cache=fonts_dir, pdf_cache=cache)
    entries = {p.name: p.stat().st_mtime_ns for p in cache.iterdir()}
    assert len(entries) == len(first) == 3  # demo in zh and en, gongan in zh
    again = write_pdfs(corpus, tmp_path / "two", font_cache=fonts_dir, pdf_cache=cache)
    assert {p.name: p.stat().st_mtime_ns for p in cache.iterdir()} == entries  # nothing printed
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in first]
    register = corpus.registers[0]
    register.title = Text(register.title.zh, f"{register.title.en} (revised)")  # the English edition only
    edited = write_pdfs(corpus, tmp_path / "three", font_cache=fonts_dir, pdf_cache=cache)
    now = {p.name: p.stat().st_mtime_ns for p in cache.iterdir()}
    assert len(now) == 3 and len(set(now) & set(entries)) == 2  # zh prints reused; the old en print left the cache
    assert all(now[kept] == entries[kept] for kept in set(now) & set(entries))
    fresh = write_pdfs(corpus, tmp_path / "four", font_cache=fonts_dir)
    assert [p.read_bytes() for p in edited] == [p.read_bytes() for p in fresh]


def gongan_pdf(corpus: Corpus, site: Path, fonts_dir: Path) -> Path:
    return next(p for p in write_pdfs(corpus, site, font_cache=fonts_dir) if p.name == "ceshi-gongan.zh.pdf")


@pytest.mark.slow
def test_v2_register_prints_absent_parts_and_every_extra_column(tmp_path: Path) -> None:
    """The fixture's schema-v2 register (tests/fixtures/site/registers/ceshi/gongan.yaml):
    a part the source does not publish prints its reason under the source's heading, a part
    without rows prints 无, a part without a heading gets the standard label, and every
    extra column name and value of every part is in the PDF text."""
    registers = tmp_path / "registers"
    shutil.copytree(ROOT / "tests/fixtures/site/registers", registers)
    corpus = load_corpus(registers)
    flat = re.sub(r"\s+", "", pdftotext(gongan_pdf(corpus, tmp_path / "site", tmp_path / "fonts")))
    assert "部门职责" in flat and "职责边界表原文未公布本部分" in flat
    for value in ("责任科室", "户政股", "治安股", "监管主体", "县公安局治安股", "事项类型", "办理依据", "公共服务", "行政确认",
                  "《测试条例》第五条", "详见县政务服务中心窗口公示", "负责全县户籍管理工作。"):
        assert value in flat, value
    assert "序号" not in flat.split("职责边界表")[0].split("目录")[-1]  # unnumbered duties: no number column

    path = registers / "ceshi" / "gongan.yaml"
    source = path.read_text(encoding="utf-8")
    empty = re.sub(r"(\nservices:\n  heading: 四、公共服务事项\n)[\s\S]*\Z", r"\1  rows: []\n", source)
    path.write_text(empty.replace("  columns:\n    - 监管主体\n", "").replace(
        source[source.index("  systems:"):source.index("services:")], "  absent:\n    reason: 无\n"), encoding="utf-8")
    assert check([path]).errors == 0
    flat = re.sub(r"\s+", "", pdftotext(gongan_pdf(load_corpus(registers), tmp_path / "again", tmp_path / "fonts")))
    assert "三、事中事后监管制度无" in flat and "四、公共服务事项无" in flat
    assert "联系电话" not in flat and "事项类型" not in flat  # no bare table header


# --- page layout: no stranded rows, every page names its duty or matter (issue 17) -------

MM = 72 / 25.4
BODY = (24 * MM, (297 - 20) * MM)
"""The text area's top and bottom on an A4 page, in points (pdf.MARGINS_MM)."""


@dataclasses.dataclass
class PrintedPage:
    """One page as the PDF draws it: the words of its text area in drawing order (pdftotext
    -raw), the words of its foot, how full its text area is, and its table body rows (TR
    elements of TBody in the structure tree: WeasyPrint tags each page's piece of a table)."""

    body: str
    foot: str
    fill: float
    rows: int = 0


def flat(text: str) -> str:
    """Text for searching across line ends: no spaces, no hyphens (English is hyphenated)."""
    return re.sub(r"[\s\-\u00ad\u2010]+", "", text)


def printed_pages(path: Path) -> list[PrintedPage]:
    import html as html_lib

    out = subprocess.run(["pdftotext", "-raw", "-bbox", "-enc", "UTF-8", str(path), "-"],
                         capture_output=True, text=True, check=True).stdout
    pages = []
    for block in re.findall(r"<page [^>]*>(.*?)</page>", out, re.S):
        words = [(float(y0), float(y1), html_lib.unescape(w)) for y0, y1, w in re.findall(
            r'<word xMin="[^"]*" yMin="([^"]*)" xMax="[^"]*" yMax="([^"]*)">([^<]*)</word>', block)]
        body = [(y1, w) for y0, y1, w in words if y0 >= BODY[0] - 1 and y1 <= BODY[1] + 1]
        lowest = max((y1 for y1, _ in body), default=BODY[0])
        pages.append(PrintedPage(" ".join(w for _, w in body), " ".join(w for y0, _, w in words if y0 > BODY[1]),
                                 (lowest - BODY[0]) / (BODY[1] - BODY[0])))
    with pikepdf.open(path) as pdf:
        number = {page.objgen: i for i, page in enumerate(pdf.pages)}

        def walk(node: pikepdf.Object, page: int | None, parent: str) -> None:
            page = number[node.Pg.objgen] if "/Pg" in node else page
            if str(node.get("/S")) == "/TR" and parent == "/TBody" and page is not None:
                pages[page].rows += 1
            kids = node.get("/K")
            for kid in (kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
                if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                    walk(kid, page, str(node.get("/S")))

        walk(pdf.Root.StructTreeRoot, None, "")
    return pages


def start_pages(pages: list[PrintedPage], texts: list[str]) -> list[int]:
    """The page each text starts on, searched in drawing order (texts given in print order)."""
    flats = [flat(p.body) for p in pages]
    found, page, at = [], 2, 0  # the parts start after the cover and the contents
    for text in texts:
        key = flat(text)[:14]
        while (hit := flats[page].find(key, at)) < 0:
            page, at = page + 1, 0
            assert page < len(pages), f"not printed: {text[:30]}"
        found.append(page)
        at = hit + len(key)
    return found


def part_pages(pages: list[PrintedPage], view: View) -> dict[str, range]:
    """The pages of each part: from its heading to the page before the next part's."""
    starts = start_pages(pages, [view.heading_text(name) for name in ("duties", "boundaries", "supervision", "services")])
    ends = [*starts[1:], len(pages)]
    return {name: range(s, e) for name, s, e in zip(("duties", "boundaries", "supervision", "services"), starts, ends)}


def group_starts(register: Register, view: View, part: str) -> list[str]:
    """What each duty, matter or service starts with: its number (in a numbered list) and
    its text or name — drawn in that order by its first row."""
    groups = {"duties": register.duties, "boundaries": register.matters, "services": register.services}[part]
    numbered = view.numbered(part)
    return [(view.num(g.number) if numbered and g.number else "")
            + view.plain(g.text if part == "duties" else g.matter if part == "boundaries" else g.name) for g in groups]


def stranded_pages(register: Register, lang: str, path: Path) -> list[str]:
    """Pages under 40 % full, after their part's first page, that hold fewer than two table
    rows (a lone carried-over row, or only the notes), or only rows carried over from the
    page before while their part goes on."""
    view = View(register, lang)
    pages = printed_pages(path)
    found = []
    for part, numbers in part_pages(pages, view).items():
        if part == "supervision" or not register.part_rows(part):
            continue
        begun = set(start_pages(pages, group_starts(register, view, part)))
        for number in numbers[1:]:
            page = pages[number]
            if page.fill >= 0.4:
                continue
            if page.rows < 2 or (number not in begun and number != numbers[-1]):
                found.append(f"page {number + 1}: {page.rows} rows, {page.fill:.0%} full")
    return found


@pytest.mark.slow
def test_no_page_strands_a_lone_or_carried_over_row(corpus: Corpus, built: dict[tuple[str, str], Path]) -> None:
    for (county, lang), path in sorted(built.items()):
        assert not stranded_pages(register_of(corpus, county), lang, path), (county, lang)


def numbered_on_every_page(register: Register, lang: str, path: Path) -> None:
    """Every page holding rows of a duty or matter names it: its number (when the list has
    numbers) and text, whole where it starts, cut short and marked （续） where it goes on."""
    view = View(register, lang)
    pages = printed_pages(path)
    for part, groups in (("duties", register.duties), ("boundaries", register.matters)):
        numbered = view.numbered(part)
        for group, start in zip(groups, group_starts(register, view, part)):
            rows = [view.plain(r.text) for r in (group.items if part == "duties" else group.divisions)]
            text = group.text if part == "duties" else group.matter
            first, *held = start_pages(pages, [start, *rows])  # the group's first row, then its rows
            number = view.num(group.number) if numbered and group.number else ""
            for page in sorted({first, *held}):
                body = flat(pages[page].body)
                if page == first:
                    assert flat(number + view.plain(text))[:14] in body, (group.id, page + 1)
                else:
                    assert flat(number + str(view.continued(text))) in body.replace("&#39;", "'"), (group.id, page + 1)


def tall_register(registers: Path) -> None:
    """Give the fixture registers a duty and a matter taller than a page (numbered, with an
    extra column: demo.yaml) and an unnumbered duty with an extra column (gongan.yaml)."""
    import yaml

    demo_path, gongan_path = registers / "ceshi" / "demo.yaml", registers / "ceshi" / "gongan.yaml"
    demo = yaml.safe_load(demo_path.read_text(encoding="utf-8"))
    long_text = "，".join(["依法开展检查并记录结果"] * 6)
    demo["duties"]["rows"].append({
        "id": "duty-03", "number": "3", "text": {"zh": "承办县政府交办的长篇测试职责。", "en": "Carry out the long test duty."},
        "items": [{"id": f"duty-03-{i:02}", "text": {"zh": f"第{i}项测试工作：{long_text}。",
                                                     "en": f"Test work item {i}: inspect by law and record the results. " * 3},
                   "extra": {"责任科室": f"第{i}股"}} for i in range(1, 41)],
    })
    demo["boundaries"]["rows"].append({
        "id": "matter-02", "number": "2", "matter": {"zh": "长篇测试管理事项", "en": "Long test matter"},
        "divisions": [{"id": f"matter-02-d{i:02}", "department": "gongan" if i % 2 else "renkou-jisheng",
                       "as_written": "县公安局" if i % 2 else "县人口计生局",
                       "text": {"zh": f"第{i}条测试分工：{long_text}。", "en": f"Test division {i}: inspect by law. " * 4}}
                      for i in range(1, 31)],
        "basis": [{"id": "matter-02-basis-1", "law": "ceshi-tiaoli", "articles": ["6"], "text": "《测试省人口与计划生育条例》第六条。"}],
    })
    demo_path.write_text(yaml.safe_dump(demo, allow_unicode=True, sort_keys=False), encoding="utf-8")
    gongan = yaml.safe_load(gongan_path.read_text(encoding="utf-8"))
    gongan["duties"]["rows"].append({
        "id": "duty-04", "text": "负责长篇测试工作，事项较多，跨页打印。",
        "items": [{"id": f"duty-04-{i:02}", "text": f"第{i}项无序号测试工作：{long_text}。", "extra": {"责任科室": f"第{i}股"}}
                  for i in range(1, 41)],
    })
    gongan_path.write_text(yaml.safe_dump(gongan, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert check([registers]).errors == 0


@pytest.mark.slow
def test_a_duty_or_matter_taller_than_a_page_names_itself_on_every_page(tmp_path: Path) -> None:
    registers = tmp_path / "registers"
    shutil.copytree(ROOT / "tests/fixtures/site/registers", registers)
    tall_register(registers)
    corpus = load_corpus(registers)
    written = write_pdfs(corpus, tmp_path / "site", font_cache=tmp_path / "fonts")
    assert len(written) == 3  # demo in zh and en, gongan in zh
    for path in written:
        register = next(r for r in corpus.registers if path.name.startswith(f"ceshi-{r.slug}."))
        lang = path.name.split(".")[-2]
        pages = printed_pages(path)
        assert len(pages) >= 6, "the tall duty and matter span pages"
        numbered_on_every_page(register, lang, path)
        assert not stranded_pages(register, lang, path), path.name


@pytest.mark.slow
def test_seed_pages_name_their_duty_matter_and_rule(corpus: Corpus, built: dict[tuple[str, str], Path]) -> None:
    """The seeds' matters run over pages: each page names them; each supervision page names,
    at its foot, the rule its top belongs to."""
    for (county, lang), path in sorted(built.items()):
        register = register_of(corpus, county)
        numbered_on_every_page(register, lang, path)
        view = View(register, lang)
        pages = printed_pages(path)
        numbers = part_pages(pages, view)["supervision"]
        begun = start_pages(pages, [view.plain(s.title) for s in register.systems])
        for page in numbers[1:]:
            current = [s for s, at in zip(register.systems, begun) if at < page]
            here = [s for s, at in zip(register.systems, begun) if at == page]
            expected = {flat(view.head(s)) for s in current[-1:] + here[:1]}
            assert any(e in flat(pages[page].foot) for e in expected), (county, lang, page + 1, pages[page].foot)
