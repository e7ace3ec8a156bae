"""Open data: JSON exports valid against the published schemas, faithful CSVs, catalogue, archive, pages."""
from __future__ import annotations

import csv
import io
import json
import posixpath
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from generator import opendata, paths
from generator.cli import main
from generator.markup import esc, href, url
from generator.model import Clause, Corpus, Register, Text, load_corpus
from generator.pdf import editions, has_english
from generator.schema_doc import schema_reference_page, split_bilingual

ROOT = Path(__file__).resolve().parent.parent
SITE_URL = "https://example.gov.cn/qingdan"
BASE = SITE_URL + "/"
LICENCE = {"qingdan": {"license": {"zh": "知识共享署名 4.0", "en": "CC BY 4.0",
                                   "url": "https://creativecommons.org/licenses/by/4.0/"}}}


@pytest.fixture(scope="module", params=["registers", "tests/fixtures/site/registers"], ids=["seeds", "fixture"])
def corpus(request: pytest.FixtureRequest) -> Corpus:
    """The seeds, and the fixture county whose second register uses schema v2 shapes."""
    return load_corpus(ROOT / request.param)


@pytest.fixture(scope="module")
def site(corpus: Corpus, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    opendata.write_downloads(corpus, out, SITE_URL, LICENCE)
    return out


def read_csv(site: Path, r: Register, part: str) -> list[dict[str, str]]:
    with open(site / paths.csv_export(r, part), encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def clauses(items: list[Clause]) -> list[Clause]:
    return [x for c in items for x in (c, *clauses(c.clauses))]


def properties(node: Any) -> set[str]:
    """Every key of every `properties` mapping anywhere in a schema."""
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("examples", "enum", "const"):
                continue
            if key == "properties":
                found |= set(value)
            found |= properties(value)
    elif isinstance(node, list):
        for value in node:
            found |= properties(value)
    return found


def html_blocks(page: str) -> list[str]:
    """The raw HTML blocks of a generated Markdown page (from an opening tag line to a blank line)."""
    return [b for b in page.split("\n\n") if b.lstrip().startswith("<")]


# --- JSON and schemas ----------------------------------------------------------------------


def test_published_schemas_carry_id_and_match_sources(site: Path) -> None:
    sources = opendata.schema_sources()
    published = sorted(p.name for p in (site / paths.SCHEMA_BASE).glob("*.schema.json"))
    assert published == sorted(sources)
    assert {"register.schema.json", "county.schema.json", "export.schema.json"} <= set(published)
    for name, source in sources.items():
        schema = json.loads((site / paths.SCHEMA_BASE / name).read_text(encoding="utf-8"))
        assert schema["$id"] == f"{BASE}schemas/v2/{name}"
        assert {k: v for k, v in schema.items() if k != "$id"} == source
        Draft202012Validator.check_schema(schema)


def test_every_export_validates_against_the_published_schema(corpus: Corpus, site: Path) -> None:
    schemas = [json.loads(p.read_text(encoding="utf-8")) for p in (site / paths.SCHEMA_BASE).glob("*.json")]
    registry = Registry().with_resources((s["$id"], Resource.from_contents(s)) for s in schemas)
    export_id = f"{BASE}schemas/v2/export.schema.json"
    validator = Draft202012Validator({"$ref": export_id}, registry=registry)
    for r in corpus.registers:
        doc = json.loads((site / paths.json_export(r)).read_text(encoding="utf-8"))
        assert not [e.message for e in validator.iter_errors(doc)], r.key
        assert doc["$schema"] == export_id
        assert doc["schema_version"] == opendata.SCHEMA_VERSION
        assert doc["id"] == r.key and doc["url"] == BASE + url(paths.register(r))
        assert doc["register"] == {"slug": r.slug, "data": r.data}
        assert doc["county"]["slug"] == r.county.slug


def test_export_is_the_loaded_data_and_its_references(corpus: Corpus, site: Path) -> None:
    for r in corpus.registers:
        doc = json.loads((site / paths.json_export(r)).read_text(encoding="utf-8"))
        cited = {c.law.id for m in r.matters for c in m.basis if c.law}
        assert cited <= {law["id"] for law in doc["references"]["laws"]}
        used = {t.id for row in r.rows.values() for t in getattr(row, "topics", [])}
        assert {t["id"] for t in doc["references"]["topics"]} == used
        assert {t["id"] for t in doc["references"]["department_types"]} == {
            d.type.id for d in r.county.departments.values()}

        def strings_only(node: Any) -> bool:
            if isinstance(node, dict):
                return all(isinstance(k, str) and strings_only(v) for k, v in node.items())
            if isinstance(node, list):
                return all(strings_only(v) for v in node)
            return isinstance(node, str)

        assert strings_only(doc)


# --- CSV -----------------------------------------------------------------------------------


def test_csv_files_start_with_bom_and_use_crlf(corpus: Corpus, site: Path) -> None:
    for r in corpus.registers:
        for part in opendata.PARTS:
            raw = (site / paths.csv_export(r, part)).read_bytes()
            assert raw.startswith(b"\xef\xbb\xbf")
            header = raw[3:].split(b"\r\n", 1)[0].decode("utf-8")
            assert header.split(",") == [c.zh for c in opendata.columns(r, part)]
            assert raw.endswith(b"\r\n")


def test_csv_row_counts_equal_register_rows(corpus: Corpus, site: Path) -> None:
    for r in corpus.registers:
        assert len(read_csv(site, r, "duties")) == sum(len(d.items) or 1 for d in r.duties)  # a duty without items: 1 row
        assert len(read_csv(site, r, "boundaries")) == sum(len(m.divisions) for m in r.matters)
        assert len(read_csv(site, r, "supervision")) == sum(len(clauses(sec.clauses)) for s in r.systems
                                                             for sec in s.sections)
        assert len(read_csv(site, r, "services")) == len(r.services)


def test_duties_csv_reads_back_to_the_register_text(corpus: Corpus, site: Path) -> None:
    c = opendata.cell
    for r in corpus.registers:
        rows = iter(read_csv(site, r, "duties"))
        for d in r.duties:
            for item in d.items or [None]:
                row = next(rows)
                assert (row["序号"], row["主要职责编号"], row["主要职责"]) == (c(d.number), d.id, c(d.text.zh))
                assert row["主要职责备注"] == c(d.remark.zh if d.remark else "")
                if item is None:  # a duty published without work items: its own extra values
                    assert (row["工作事项编号"], row["具体工作事项"], row["备注"]) == ("", "", "")
                    assert row["主题"] == ";".join(t.id for t in d.topics)
                    extra = d.extra
                else:
                    assert (row["工作事项编号"], row["具体工作事项"]) == (item.id, c(item.text.zh))
                    assert row["备注"] == c(item.remark.zh if item.remark else "")
                    topics = [t.id for t in d.topics] + [t.id for t in item.topics if t not in d.topics]
                    assert row["主题"] == ";".join(topics)
                    extra = item.extra
                for col in r.parts["duties"].columns:
                    value = extra.get(col.zh)
                    assert row[col.zh] == c(value.zh if value else "")


def test_boundaries_csv_reads_back_to_the_register_text(corpus: Corpus, site: Path) -> None:
    c = opendata.cell
    for r in corpus.registers:
        rows = iter(read_csv(site, r, "boundaries"))
        for m in r.matters:
            for d in m.divisions:
                row = next(rows)
                assert (row["序号"], row["事项编号"], row["管理事项"]) == (c(m.number), m.id, c(m.matter.zh))
                assert (row["分工编号"], row["部门原文写法"], row["职责分工"]) == (d.id, c(d.as_written), c(d.text.zh))
                assert d.department and (row["部门编号"], row["相关部门"]) == (d.department.id, d.department.name.zh)
                assert row["相关依据"] == c("\n".join(f"{b.number or ''}{b.text.zh}" for b in m.basis))
                assert row["案例"] == c("\n".join(x.text.zh for x in m.cases))
                assert row["依据法规编号"] == ";".join(dict.fromkeys(b.law.id for b in m.basis if b.law))


def test_supervision_csv_reads_back_to_the_register_text(corpus: Corpus, site: Path) -> None:
    c = opendata.cell
    for r in corpus.registers:
        rows = iter(read_csv(site, r, "supervision"))
        for s in r.systems:
            for sec in s.sections:
                parents = {x.id: p.id for p in clauses(sec.clauses) for x in p.clauses}
                for clause in clauses(sec.clauses):
                    row = next(rows)
                    assert (row["制度编号"], row["制度"], row["部分编号"], row["部分"]) == (
                        s.id, c(s.title.zh), sec.id, c(sec.heading.zh))
                    assert (row["条款编号"], row["序号"], row["条款内容"]) == (clause.id, c(clause.number or ""),
                                                                    c(clause.text.zh))
                    assert row["上级条款编号"] == parents.get(clause.id, "")
                    depth, node = 1, clause.id
                    while node in parents:
                        depth, node = depth + 1, parents[node]
                    assert row["层级"] == str(depth)


def test_services_csv_reads_back_to_the_register_text(corpus: Corpus, site: Path) -> None:
    c = opendata.cell
    for r in corpus.registers:
        rows = read_csv(site, r, "services")
        assert [(x["序号"], x["事项编号"], x["服务事项"], x["主要内容"], x["承办机构"], x["联系电话"]) for x in rows] == [
            (c(s.number), s.id, c(s.name.zh), c(s.content.zh if s.content else ""), c(s.agency.zh if s.agency else ""),
             c(s.phone or "")) for s in r.services]
        for x, s in zip(rows, r.services):
            assert [x[col.zh] for col in r.parts["services"].columns] == [
                c(s.extra[col.zh].zh) if col.zh in s.extra else "" for col in r.parts["services"].columns]


def test_extra_columns_of_every_part_are_in_the_csv_and_json() -> None:
    """The schema-v2 fixture register: every part's extra columns, in order, after the
    standard ones; the JSON export keeps `absent` and every extra value as written."""
    corpus = load_corpus(ROOT / "tests/fixtures/site/registers")
    r = next(r for r in corpus.registers if r.slug == "gongan")
    header = {part: next(csv.reader(io.StringIO(opendata.csv_bytes(r, part).decode("utf-8-sig")))) for part in opendata.PARTS}
    assert header["duties"][-1] == "责任科室" and header["supervision"][-1] == "监管主体"
    assert header["services"][-2:] == ["事项类型", "办理依据"]
    assert header["boundaries"] == [c.zh for c in opendata.COLUMNS["boundaries"]]
    services = opendata.csv_bytes(r, "services").decode("utf-8-sig")
    for value in ("公共服务", "行政确认", "《测试条例》第五条", "详见县政务服务中心窗口公示"):
        assert value in services
    assert "县公安局治安股" in opendata.csv_bytes(r, "supervision").decode("utf-8-sig")
    assert "户政股" in opendata.csv_bytes(r, "duties").decode("utf-8-sig")
    boundaries = opendata.csv_metadata(r, "boundaries", opendata.licence(None))
    assert boundaries["dc:description"][0]["@value"] == "原文未公布本部分"  # a header-only CSV says why
    assert opendata.csv_metadata(r, "duties", opendata.licence(None))["tableSchema"]["primaryKey"] == ["duty_id", "item_id"]


def test_csv_keeps_hostile_text_literal_and_never_a_formula() -> None:
    corpus = load_corpus(ROOT / "registers")
    r = corpus.registers[0]
    tricky = ['=HYPERLINK("http://x","点")', '含"引号",逗号\n第二行\r\n第三行', "+86 0898", "@SUM(A1)", "<script>", "　"]
    items = [i for d in r.duties for i in d.items][: len(tricky)]
    for item, text in zip(items, tricky, strict=True):
        item.text = Text(text)
    rows = list(csv.DictReader(io.StringIO(opendata.csv_bytes(r, "duties").decode("utf-8-sig"), newline="")))
    got = {row["工作事项编号"]: row["具体工作事项"] for row in rows}
    for item, text in zip(items, tricky, strict=True):
        assert got[item.id] == ("'" + text if text[0] in "=+-@" else text)
    assert opendata.cell("-1") == "'-1" and opendata.cell("a=b") == "a=b"


def test_csvw_metadata_describes_every_column(corpus: Corpus, site: Path) -> None:
    for r in corpus.registers:
        for part in opendata.PARTS:
            meta = json.loads((site / paths.csv_metadata(r, part)).read_text(encoding="utf-8"))
            assert meta["url"] == posixpath.basename(paths.csv_export(r, part))
            cols = meta["tableSchema"]["columns"]
            assert [col["titles"]["zh-Hans"] for col in cols] == [c.zh for c in opendata.columns(r, part)]
            assert all(col["titles"]["en"] and re.fullmatch(r"[a-z][a-z0-9_]*", col["name"]) for col in cols)
            assert len({col["name"] for col in cols}) == len(cols)
            key = meta["tableSchema"]["primaryKey"]
            assert set([key] if isinstance(key, str) else key) <= {col["name"] for col in cols}
            assert meta["dc:license"] == {"@id": LICENCE["qingdan"]["license"]["url"]}


# --- catalogue and archive -----------------------------------------------------------------


def test_catalogue_lists_every_register_with_existing_downloads(corpus: Corpus, site: Path) -> None:
    catalogue = json.loads((site / paths.CATALOGUE).read_text(encoding="utf-8"))
    assert catalogue["conformsTo"] == "https://project-open-data.cio.gov/v1.1/schema"
    planned_pdfs = {paths.pdf(r, lang) for r, lang in editions(corpus, ("zh", "en"))}
    datasets = {d["identifier"]: d for d in catalogue["dataset"]}
    assert len(datasets) == len(catalogue["dataset"]) == len(corpus.registers) + 1
    for r in corpus.registers:
        dataset = datasets[BASE + url(paths.register(r))]
        assert r.title.zh in dataset["title"] and dataset["title"].count(" / ") >= 1
        assert dataset["license"] == LICENCE["qingdan"]["license"]["url"]
        assert r.county.division_code in dataset["spatial"] and r.county.name.zh in dataset["spatial"]
        assert r.department.name.zh in dataset["publisher"]["name"]
        assert r.county.name.zh in dataset["publisher"]["subOrganizationOf"]["name"]
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", dataset["modified"])
        feeds = [x for x in dataset["distribution"] if "accessURL" in x]
        assert [(x["accessURL"], x["mediaType"]) for x in feeds] == [(BASE + paths.feed_register(r), "application/atom+xml")]
        dataset["distribution"] = [x for x in dataset["distribution"] if "accessURL" not in x]
        urls = [x["downloadURL"] for x in dataset["distribution"]]
        expected = [paths.json_export(r), *(paths.csv_export(r, p) for p in opendata.PARTS)]
        assert [BASE + e for e in expected] == urls[: len(expected)]
        pdfs = {paths.pdf(r, lang) for lang in ("zh", "en")} & planned_pdfs
        assert {u.removeprefix(BASE) for u in urls[len(expected):]} == pdfs
        for x in dataset["distribution"]:
            assert x["downloadURL"].startswith(BASE) and x["mediaType"] and x["format"]
            local = x["downloadURL"].removeprefix(BASE)
            assert (site / local).is_file() or local in planned_pdfs
            if "describedBy" in x:
                assert (site / x["describedBy"].removeprefix(BASE)).is_file()
    archive = datasets[BASE + url(paths.DATA)]
    assert [x.get("downloadURL") or x["accessURL"] for x in archive["distribution"]] == [
        BASE + paths.DATASET_ARCHIVE, BASE + paths.FEED_SITE]


def test_archive_holds_every_file_and_is_byte_identical(corpus: Corpus, site: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    written = opendata.write_downloads(load_corpus(corpus.root), again, SITE_URL, LICENCE)
    for path in written:
        assert path.read_bytes() == (site / path.relative_to(again)).read_bytes(), path
    names = sorted(p.relative_to(again).as_posix() for p in written)
    assert paths.DATASET_ARCHIVE in names
    with zipfile.ZipFile(site / paths.DATASET_ARCHIVE) as archive:
        listed = archive.namelist()
        assert listed == sorted(listed)
        assert listed == [f"qingdan-registers/{n}" for n in names if n != paths.DATASET_ARCHIVE]
        for info in archive.infolist():
            assert info.date_time == (1980, 1, 1, 0, 0, 0)
            assert archive.read(info) == (site / info.filename.removeprefix("qingdan-registers/")).read_bytes()
    for r in corpus.registers:
        assert paths.json_export(r) in names and paths.csv_export(r, "services") in names


def test_defaults_and_bad_settings() -> None:
    assert opendata.licence(None) == opendata.DEFAULT_LICENCE
    assert opendata.licence({"qingdan": {"license": "公开"}}) == opendata.Licence(Text("公开"))
    assert opendata.licence({"qingdan": {"license": {"zh": "公开", "en": "Public", "url": ""}}}) == opendata.Licence(
        Text("公开", "Public"))
    with pytest.raises(ValueError, match="license"):
        opendata.licence({"qingdan": {"license": {"url": "https://x.org/"}}})
    with pytest.raises(ValueError, match="URL"):
        opendata.licence({"qingdan": {"license": {"zh": "x", "url": "javascript:alert(1)"}}})
    assert opendata.site_base("https://a.org/x") == "https://a.org/x/"
    for bad in ("", "/relative/", "a.org", "javascript:alert(1)"):
        with pytest.raises(ValueError, match="site_url"):
            opendata.site_base(bad)


def test_export_command(tmp_path: Path) -> None:
    runner = CliRunner()
    bad = runner.invoke(main, ["export", "--out", str(tmp_path), "--site-url", "example.org"])
    assert bad.exit_code == 2 and "site_url" in bad.output and "Traceback" not in bad.output
    ok = runner.invoke(main, ["export", "--out", str(tmp_path), "--registers", str(ROOT / "registers"),
                              "--site-url", SITE_URL])
    assert ok.exit_code == 0, ok.output
    assert (tmp_path / paths.DATASET_ARCHIVE).is_file() and (tmp_path / paths.CATALOGUE).is_file()
    broken = runner.invoke(main, ["export", "--out", str(tmp_path / "x"), "--site-url", SITE_URL,
                                  "--registers", str(ROOT / "tests" / "example-files" / "invalid")])
    assert broken.exit_code == 1 and not (tmp_path / "x").exists()


# --- links and pages -----------------------------------------------------------------------


def resolve(page: str, lang: str, link: str) -> str:
    """The site path a relative link on `page` (in `lang`) points at."""
    here = opendata.LANG_PREFIX[lang] + url(page)
    return posixpath.normpath(posixpath.join(here, link))


def test_download_href() -> None:
    assert opendata.download_href("dingan/renkou-jisheng.md", "downloads/a.json") == "../../downloads/a.json"
    assert opendata.download_href("dingan/renkou-jisheng.md", "downloads/a.json", "en") == "../../../downloads/a.json"
    assert opendata.download_href("index.md", "data.json") == "data.json"
    assert opendata.download_href("index.md", "data.json", "en") == "../data.json"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_register_downloads_html_links_every_download(corpus: Corpus, lang: str) -> None:
    for r in corpus.registers:
        page = paths.register(r)
        block = opendata.register_downloads_html(r, page, lang)
        assert "\n\n" not in block
        targets = {resolve(page, lang, h) for h in re.findall(r'href="([^"]+)"', block)}
        expected = {paths.json_export(r), paths.pdf(r, "zh"), *(paths.csv_export(r, p) for p in opendata.PARTS)}
        assert expected <= targets
        assert (paths.pdf(r, "en") in targets) == has_english(r)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_data_page_links_every_download_and_maps_columns(corpus: Corpus, lang: str) -> None:
    page = opendata.data_page(corpus, lang, LICENCE)
    assert all("\n\n" not in b.strip() for b in html_blocks(page))
    targets = {resolve(paths.DATA, lang, h) for h in re.findall(r'href="([^"#:]+)"', page)}
    expected = {paths.DATASET_ARCHIVE, paths.CATALOGUE, *(opendata.schema_path(n) for n in opendata.schema_sources())}
    assert expected <= targets
    for county in corpus.counties.values():  # one line per county; its page lists the downloads
        assert f'href="{href(paths.DATA, paths.county(county), "data")}"' in page
        table = opendata.county_downloads_html(county, paths.county(county), lang)
        links = {resolve(paths.county(county), lang, h) for h in re.findall(r'href="([^"#:]+)"', table)}
        for r in county.registers:
            assert {paths.json_export(r), *(paths.csv_export(r, p) for p in opendata.PARTS)} <= links
            assert {paths.pdf(r, x) for x in opendata.pdf_langs(r)} <= links
    for part in opendata.PARTS:
        for column in opendata.COLUMNS[part]:
            assert f'<td lang="zh-Hans">{esc(column.zh)}</td><td lang="en">{esc(column.en)}</td>' in page
    assert LICENCE["qingdan"]["license"]["url"] in page


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_schema_reference_mentions_every_property(lang: str) -> None:
    page = schema_reference_page(lang)
    for name, schema in opendata.schema_sources().items():
        assert f"`{name}`" in page
        for key in properties(schema):
            assert f"<code>{esc(key)}</code>" in page, (name, key)
    assert all("\n\n" not in b.strip() for b in html_blocks(page))
    anchors = set(re.findall(r"\{: #([a-z0-9-]+) \}", page))
    assert set(re.findall(r'href="#([^"]+)"', page)) <= anchors
    cjk = re.compile(r"[\u4e00-\u9fff]")
    headings = [line for line in page.splitlines() if line.startswith("## ")]
    assert all(bool(cjk.search(h)) == (lang == "zh") for h in headings)


def test_split_bilingual() -> None:
    assert split_bilingual("标题 Heading") == ("标题", "Heading")
    assert split_bilingual("本事项的标识，惯例写作 matter-两位序号。 The matter's id, by convention matter-NN.") == (
        "本事项的标识，惯例写作 matter-两位序号。", "The matter's id, by convention matter-NN.")
    assert split_bilingual("正式全称，不加书名号。 The full official title, without 《》.") == (
        "正式全称，不加书名号。", "The full official title, without 《》.")
    assert split_bilingual("county 县；banner 旗（含自治旗）。 county or banner.") == (
        "county 县；banner 旗（含自治旗）。", "county or banner.")
    assert split_bilingual("只有中文。") == ("只有中文。", "只有中文。")
