"""The import corpus: lists shaped the way counties publish them, each imported to its expected draft.

tests/example-files/import/corpus/ holds text, web-page text and saved web pages; the Excel
and Word lists are built by tests/corpus_binaries.py.  Each list imports with the printed
coverage at 100 % to exactly its expected draft (corpus/expected/<name>.yaml; refresh with
QINGDAN_REFRESH_GOLDEN=1 and read the diff).  A list with text the importer could not place
fails `qingdan check` (import-unplaced) until the steps its report names are done; those
steps are written out below, as a person would do them, and then check reports 0 errors.
One test builds a site from a few of the drafts.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from corpus_binaries import BUILDERS
from corpus_binaries import build as build_binary
from generator.cli import main
from generator.importers.emit import dump
from generator.load import load_file
from generator.validate import check

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "example-files" / "import" / "corpus"
EXPECTED = CORPUS / "expected"
TOOL = ROOT.parent / "shared" / "tools" / "seed_coverage.py"
REFRESH = os.environ.get("QINGDAN_REFRESH_GOLDEN") == "1"
MODELINE = "yaml-language-server: $schema=../../schemas/register.schema.json"


def _note(*texts: str) -> Callable[[dict[str, Any]], None]:
    """The step for a remark about the list as a whole (publication date, a footnote with no field): source.note."""
    def step(data: dict[str, Any]) -> None:
        data["source"]["note"] = "".join(texts) + data["source"]["note"]
    return step


def _yingji_row(data: dict[str, Any]) -> None:
    """The misprinted boundary row, entered by hand as the officer reads the original."""
    data["boundaries"]["rows"].append({
        "id": "matter-02", "number": "2", "matter": "危险化学品安全监管",
        "divisions": [{"id": "matter-02-yingji", "department": "yingji", "as_written": "县应急管理局",
                       "text": "负责综合监督管理"}],
        "basis": []})


@dataclass
class Listing:
    """One corpus list: where it comes from and the county it is imported into."""

    department: str
    county: str
    county_name: str
    prefecture: str
    division_code: str
    area_code: str
    kind: str
    options: list[str] = field(default_factory=list)
    steps: list[Callable[[dict[str, Any]], None]] = field(default_factory=list)
    """What a person does for the report's unplaced entries (then the entries are deleted)."""


LISTS: dict[str, Listing] = {
    "jiaoyu-web.txt": Listing("jiaoyu", "taoyuan", "桃源县", "常德市", "430725", "0736", "web text"),
    "zhengfu-ban-lines.txt": Listing("zhengfu-ban", "huarong", "华容县", "岳阳市", "430623", "0730",
                                     "text, unnumbered lines"),
    "sifa-services.html": Listing("sifa", "shimen", "石门县", "常德市", "430726", "0736", "html, services only",
                                  steps=[_note("原网页发布时间：2019-06-12，来源：县司法局。",
                                               "注：联系电话如有变动，以县公共法律服务中心公布为准。")]),
    "shichang-jianguan.html": Listing("shichang-jianguan", "cili", "慈利县", "张家界市", "430821", "0744", "html"),
    "weijian-tab.txt": Listing("weijian", "mayang", "麻阳苗族自治县", "怀化市", "431226", "0745", "text (tab cells)"),
    "minzheng.xlsx": Listing("minzheng", "mayang", "麻阳苗族自治县", "怀化市", "431226", "0745", "xlsx, a sheet per part",
                             ["--department-name", "麻阳苗族自治县民政局"]),
    "renshe.xlsx": Listing("renshe", "chenxi", "辰溪县", "怀化市", "431223", "0745", "xlsx, one sheet",
                           steps=[_note("注：表中承办机构的联系电话见县政府门户网站政务服务栏目。")]),
    "ziran-ziyuan.docx": Listing("ziran-ziyuan", "yuanling", "沅陵县", "怀化市", "431222", "0745", "docx"),
    "yingji.docx": Listing("yingji", "luxi", "泸溪县", "湘西土家族苗族自治州", "433122", "0743", "docx, parts reordered",
                           steps=[_yingji_row]),
    "wenlv-web.txt": Listing("wenlv", "xinhuang", "新晃侗族自治县", "怀化市", "431227", "0745", "web text, empty cells"),
    "shenji-web.txt": Listing("shenji", "zhijiang", "芷江侗族自治县", "怀化市", "431228", "0745", "web text"),
    "tuiyi-junren-lines.txt": Listing("tuiyi-junren", "jingzhou", "靖州苗族侗族自治县", "怀化市", "431229", "0745",
                                      "text, numbered lines"),
    "chengguan.html": Listing("chengguan", "huitong", "会同县", "怀化市", "431225", "0745", "html (GB18030)",
                              steps=[_note("（2021年版）")]),
}


def source(name: str, folder: Path) -> Path:
    return build_binary(name, folder) if name in BUILDERS else CORPUS / name


def run_import(name: str, registers: Path, folder: Path) -> tuple[int, str, Path]:
    listing = LISTS[name]
    result = CliRunner().invoke(main, [
        "import", str(source(name, folder)), "--county", listing.county, "--department", listing.department,
        "--out", str(registers), "--province", "湖南省", "--prefecture", listing.prefecture,
        "--division-code", listing.division_code, "--area-code", listing.area_code, *listing.options])
    return result.exit_code, result.output, registers / listing.county / f"{listing.department}.yaml"


def resolve(name: str, draft: Path) -> None:
    """Do what the report asks for each unplaced entry, delete the entries, drop the report comments."""
    data = load_file(draft).data
    for step in LISTS[name].steps:
        step(data)
    del data["unplaced"]
    draft.write_text(dump(data, [MODELINE]), encoding="utf-8")


@pytest.fixture
def registers(tmp_path: Path) -> Path:
    target = tmp_path / "registers"
    shutil.copytree(ROOT / "registers", target)
    return target


def test_the_corpus_covers_the_shapes_and_department_types() -> None:
    kinds = " ".join(listing.kind for listing in LISTS.values())
    for shape in ("web text", "html", "xlsx", "docx", "text", "services only", "unnumbered"):
        assert shape in kinds
    types = {load_file(EXPECTED / f"{Path(name).stem}.county.yaml").data["departments"][0]["type"]
             for name in LISTS if (EXPECTED / f"{Path(name).stem}.county.yaml").exists()}
    assert len(LISTS) >= 12 and len(types) >= 8, types


@pytest.mark.parametrize("name", sorted(LISTS))
def test_corpus_list_imports_to_its_expected_draft(name: str, registers: Path, tmp_path: Path) -> None:
    code, output, draft = run_import(name, registers, tmp_path)
    assert "Traceback" not in output
    assert output.rstrip().splitlines()[-1].startswith("原文收录率 coverage: 100.0% ("), output
    stem = Path(name).stem
    pairs = [(draft, EXPECTED / f"{stem}.yaml"), (draft.parent / "county.yaml", EXPECTED / f"{stem}.county.yaml")]
    for got, expected in pairs:
        if REFRESH:
            expected.parent.mkdir(exist_ok=True)
            expected.write_text(got.read_text(encoding="utf-8"), encoding="utf-8")
        assert got.read_text(encoding="utf-8") == expected.read_text(encoding="utf-8"), got
    if name.endswith(".txt"):  # the shared tool agrees with the importer's own measure
        tool = subprocess.run([sys.executable, str(TOOL), str(CORPUS / name), str(draft)], capture_output=True, text=True)
        assert tool.stdout.strip().splitlines()[-1].startswith("coverage: 100.0%"), tool.stdout
    data = load_file(draft).data
    files = [draft, draft.parent / "county.yaml"]
    if LISTS[name].steps:
        assert code == 1 and data["unplaced"], output
        errors = [f.code for f in check(files).findings if f.severity == "error"]
        assert errors and set(errors) == {"import-unplaced"}
        assert output.count("[import-unplaced]") == len(data["unplaced"]) == errors.count("import-unplaced")
        resolve(name, draft)
    else:
        assert code == 0 and "unplaced" not in data, output
    result = check(files)
    assert result.errors == 0, [(f.code, f.pointer) for f in result.findings if f.severity == "error"]


def test_a_saved_page_is_read_not_run() -> None:
    """The page's script writes a paragraph when run; the draft has no trace of it, nor of its title or style."""
    draft = (EXPECTED / "sifa-services.yaml").read_text(encoding="utf-8")
    assert "脚本内容不应导入" in (CORPUS / "sifa-services.html").read_text(encoding="utf-8")
    assert "脚本内容不应导入" not in draft and "_hmt" not in draft and "border" not in draft


def test_web_text_without_empty_cell_marks_is_not_guessed(registers: Path, tmp_path: Path) -> None:
    """A 备注 column with no sign of its empty cells: which line is an item and which a remark is
    uncertain, so the rows go to unplaced instead of a confident misreading."""
    text = (CORPUS / "wenlv-web.txt").read_text(encoding="utf-8")
    unmarked = re.sub(r"\n{4,}", "\n\n", text)
    path = tmp_path / "wenlv-web.txt"
    path.write_text(unmarked, encoding="utf-8")
    result = CliRunner().invoke(main, ["import", str(path), "--county", "xinhuang", "--department", "wenlv",
                                       "--out", str(registers), "--province", "湖南省", "--division-code", "431227"])
    assert result.exit_code == 1
    data = load_file(registers / "xinhuang" / "wenlv.yaml").data
    reasons = {entry["reason"].split(" / ")[0] for entry in data["unplaced"]}
    assert reasons == {"网页文本没有标出空单元格，无法确定各单元格属于哪一栏"}
    assert "coverage: 100.0%" in result.output.splitlines()[-1]


def test_a_site_builds_from_corpus_drafts(registers: Path, tmp_path: Path) -> None:
    from conftest import build_copy

    for name in ("jiaoyu-web.txt", "sifa-services.html", "renshe.xlsx", "zhengfu-ban-lines.txt", "ziran-ziyuan.docx"):
        code, output, draft = run_import(name, registers, tmp_path)
        if LISTS[name].steps:
            resolve(name, draft)
    assert check([registers]).errors == 0
    site = build_copy(tmp_path / "project", registers, pdf=False) / "site"
    sifa = (site / "shimen" / "sifa" / "index.html").read_text(encoding="utf-8")
    assert "详见县公共法律服务中心窗口公示" in sifa and "办理依据" in sifa and "原文未公布本部分" in sifa
    assert 'href="tel:详见' not in sifa
    office = (site / "huarong" / "zhengfu-ban" / "index.html").read_text(encoding="utf-8")
    assert "承办人大常委会、政协常委会应由县政府办理的有关工作。" in office
    assert "责任股室" in (site / "chenxi" / "renshe" / "index.html").read_text(encoding="utf-8")
    assert "不动产登记资料查询" in (site / "yuanling" / "ziran-ziyuan" / "index.html").read_text(encoding="utf-8")
