"""`qingdan import`: seed dumps and Word files become drafts with the curated content.

The seeds must import to the same text, in the same order, as the hand-curated registers
(ids, topics and the curated title and source note aside; only Chinese is compared, since
English is added to registers/ by hand).  Word files are built here from the curated
registers the way the published documents are laid out, merged cells included, and must
import back to the same content.  The fixtures in tests/example-files/import/ each carry
one irregularity of real lists.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import pytest
from click.testing import CliRunner, Result

from generator.cli import main
from generator.importers.draft import split_basis
from generator.importers.emit import dump
from generator.importers.parts import part_key
from generator.importers.shared import articles, pinyin_name
from generator.importers.supervision import kind, numbering
from generator.load import load_file, load_text
from generator.model import Clause, Register, load_corpus
from generator.validate import check

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared"
SEEDS = SHARED / "seeds"
FIXTURES = ROOT / "tests" / "example-files" / "import"
CURATED = {"000_824ae8e54d8f565a.txt": ("dingan", "renkou-jisheng"),
           "001_783c4a520348c2a9.txt": ("anhua", "renkou-jisheng")}
MODELINE = "# yaml-language-server: $schema=../../schemas/register.schema.json\n"
NEW_COUNTY = ["--province", "测试省", "--division-code", "430999"]


@pytest.fixture
def registers(tmp_path: Path) -> Path:
    """A private copy of registers/ without the seed registers, so importing them is not refused."""
    target = tmp_path / "registers"
    shutil.copytree(ROOT / "registers", target)
    for county, register in CURATED.values():
        (target / county / f"{register}.yaml").unlink()
    return target


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, ["import", *map(str, args)])


def flat(value: Any, key: str = "", top: bool = True) -> Iterator[tuple[str, str]]:
    """Every text field in document order, Chinese only, without ids, topics, title or source."""
    if isinstance(value, dict) and "zh" in value and set(value) <= {"zh", "en"}:
        yield key, value["zh"]
    elif isinstance(value, dict):
        for k, v in value.items():
            if k in ("id", "topics") or (top and k in ("title", "source")):
                continue
            yield from flat(v, k, False)
    elif isinstance(value, list):
        for v in value:
            yield from flat(v, key, False)
    else:
        yield key, value


def content(path: Path) -> list[tuple[str, str]]:
    return list(flat(load_file(path).data))


def coverage(seed: Path, target: Path) -> str:
    tool = SHARED / "tools" / "seed_coverage.py"
    done = subprocess.run([sys.executable, str(tool), str(seed), str(target)], capture_output=True, text=True)
    return done.stdout.strip().splitlines()[-1]


def assert_checks(*paths: Path) -> None:
    result = check(list(paths))
    assert result.errors == 0, [f"{f.code} {f.pointer} {f.message_en}" for f in result.findings if f.severity == "error"]


# --- the seeds ------------------------------------------------------------------------


@pytest.mark.parametrize("seed", sorted(CURATED))
def test_seed_imports_to_the_curated_content(seed: str, registers: Path) -> None:
    county, register = CURATED[seed]
    result = run(SEEDS / seed, "--county", county, "--department", register, "--out", registers)
    assert result.exit_code == 0, result.output
    out = registers / county / f"{register}.yaml"
    assert content(out) == content(ROOT / "registers" / county / f"{register}.yaml")
    assert coverage(SEEDS / seed, out).startswith("coverage: 100.0%")
    assert CliRunner().invoke(main, ["check", str(out)]).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith(MODELINE)


def test_anhua_report_names_the_duplicate_number_and_the_joined_lines(registers: Path) -> None:
    result = run(SEEDS / "001_783c4a520348c2a9.txt", "--county", "anhua", "--department", "renkou-jisheng",
                 "--out", registers)
    assert "[import-numbering] matter-01：序号 “2” 与位置不符（应为 1）" in result.output
    assert result.output.count("[import-joined-line]") == 2
    head = (registers / "anhua" / "renkou-jisheng.yaml").read_text(encoding="utf-8").split("\ndepartment:")[0]
    assert "# - [import-numbering] matter-01" in head


def test_seed_into_a_new_county_writes_its_county_file_from_options_only(registers: Path) -> None:
    seed = SEEDS / "000_824ae8e54d8f565a.txt"
    refused = run(seed, "--county", "dingan-new", "--department", "renkou-jisheng", "--out", registers)
    assert refused.exit_code == 2
    assert "--province" in refused.output and "--division-code" in refused.output
    assert not (registers / "dingan-new").exists()
    done = run(seed, "--county", "dingan-new", "--department", "renkou-jisheng", "--department-name",
               "定安县人口和计划生育委员会", "--area-code", "0898", "--out", registers, *NEW_COUNTY)
    assert done.exit_code == 0, done.output
    out = registers / "dingan-new" / "renkou-jisheng.yaml"
    assert content(out) == content(ROOT / "registers" / "dingan" / "renkou-jisheng.yaml")
    county = load_file(registers / "dingan-new" / "county.yaml").data
    facts = (county["name"], county["pinyin"], county["division_code"], county["level"])
    assert facts == ("定安县", "Dìng'ān Xiàn", "430999", "county")
    assert county["departments"][0] == {"id": "renkou-jisheng", "type": "renkou-jisheng", "name": "定安县人口和计划生育委员会",
                                        "aliases": ["县计生委"]}
    assert {"id": "yaojian", "type": "yaojian", "name": "定安县药监局", "aliases": ["县药监局"]} in county["departments"]
    assert "[import-county-created]" in done.output
    assert_checks(out, registers / "dingan-new" / "county.yaml")


# --- Word documents ---------------------------------------------------------------------


def _fill(cell: Any, text: str) -> None:
    """Paragraphs of a cell, one per blank-line-separated block ("\\n" inside becomes a line break)."""
    paragraphs = text.split("\n\n")
    cell.text = paragraphs[0]
    for paragraph in paragraphs[1:]:
        cell.add_paragraph(paragraph)


def _table(document: Any, header: list[str], groups: list[list[list[str]]], merged: set[int]) -> Any:
    """A table whose row groups share the `merged` columns, merged vertically as Word does."""
    table = document.add_table(rows=1, cols=len(header))
    for cell, name in zip(table.rows[0].cells, header):
        _fill(cell, name)
    for group in groups:
        first = len(table.rows)
        for values in group:
            cells = table.add_row().cells
            for column, value in enumerate(values):
                if column not in merged:
                    _fill(cells[column], value)
        for column in merged:
            top = table.cell(first, column)
            if len(group) > 1:
                top = top.merge(table.cell(first + len(group) - 1, column))
            _fill(top, group[0][column])
    return table


def _clauses(document: Any, clauses: list[Clause]) -> None:
    for clause in clauses:
        document.add_paragraph(f"{clause.number or ''}{clause.text.zh}")
        _clauses(document, clause.clauses)


def build_docx(reg: Register, path: Path) -> None:
    """A Word file laid out like the published lists: title, four headed parts, tables and prose."""
    document = docx.Document()
    document.add_paragraph(reg.title.zh)
    part = reg.parts["duties"]
    document.add_paragraph(part.heading.zh)
    extra = [c.zh for c in part.columns]
    groups = [[[d.number, d.text.zh, i.text.zh, *(i.extra[c].zh if c in i.extra else "" for c in extra),
                i.remark.zh if i.remark else ""] for i in d.items] for d in reg.duties]
    table = _table(document, ["序号", "主要职责", "具体工作事项", *extra, "备注"], groups, {0, 1})
    for note_text in part.notes:
        row = table.add_row()
        _fill(row.cells[0].merge(row.cells[-1]), note_text.zh)
    document.add_paragraph(reg.parts["boundaries"].heading.zh)
    groups = []
    for m in reg.matters:
        basis = "\n\n".join(f"{c.number or ''}{c.text.zh}" for c in m.basis)
        cases = "\n\n".join(c.text.zh for c in m.cases)
        groups.append([[m.number, m.matter.zh, d.as_written, d.text.zh, basis, cases] for d in m.divisions])
    _table(document, ["序号", "管理事项", "相关部门", "职责分工", "相关依据", "案例"], groups, {0, 1, 4, 5})
    document.add_paragraph(reg.parts["supervision"].heading.zh)
    for system in reg.systems:
        document.add_paragraph(f"{system.number}{system.title.zh}")
        for paragraph in system.preamble:
            document.add_paragraph(paragraph.zh)
        for section in system.sections:
            document.add_paragraph(f"{section.number}{section.heading.zh}")
            _clauses(document, section.clauses)
    document.add_paragraph(reg.parts["services"].heading.zh)
    groups = [[[s.number, s.name.zh, s.content.zh, s.agency.zh, s.phone]] for s in reg.services]
    _table(document, ["序号", "服务事项", "主要内容", "承办机构", "联系电话"], groups, set())
    document.save(str(path))


@pytest.mark.parametrize("seed", sorted(CURATED))
def test_word_file_imports_back_to_the_same_content(seed: str, registers: Path, tmp_path: Path) -> None:
    county, slug = CURATED[seed]
    curated = ROOT / "registers" / county / f"{slug}.yaml"
    reg = next(r for r in load_corpus(ROOT / "registers").registers if r.path.resolve() == curated.resolve())
    source = tmp_path / f"{county}.docx"
    build_docx(reg, source)
    assert any(tc.vMerge == "continue" for tc in docx.Document(str(source)).element.body.iter(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tc"))
    result = run(source, "--county", county, "--department", slug, "--out", registers)
    assert result.exit_code == 0, result.output
    out = registers / county / f"{slug}.yaml"
    assert content(out) == content(curated)
    assert coverage(SEEDS / seed, out).startswith("coverage: 100.0%")


def test_word_file_keeps_an_extra_column(registers: Path, tmp_path: Path) -> None:
    assert run(FIXTURES / "extra-column.txt", "--county", "ceshi", "--department", "weisheng-jiankang", "--out", registers,
               *NEW_COUNTY).exit_code == 0
    text_import = registers / "ceshi" / "weisheng-jiankang.yaml"
    reg = next(r for r in load_corpus(registers).registers if r.path == text_import)
    build_docx(reg, tmp_path / "extra.docx")
    result = run(tmp_path / "extra.docx", "--county", "ceshi", "--department", "weisheng-jiankang", "--out", registers,
                 "--force")
    assert result.exit_code == 0, result.output
    assert load_file(text_import).data["duties"]["columns"] == ["责任科室"]


# --- fixtures: one irregularity each -----------------------------------------------------


def imported(fixture: str, registers: Path, *extra: str) -> tuple[Result, dict[str, Any], str]:
    result = run(FIXTURES / fixture, "--county", "ceshi", "--department", "weisheng-jiankang", "--out", registers,
                 *NEW_COUNTY, *extra)
    assert result.exit_code == 0, result.output
    out = registers / "ceshi" / "weisheng-jiankang.yaml"
    assert_checks(out, registers / "ceshi" / "county.yaml")
    return result, load_file(out).data, out.read_text(encoding="utf-8")


def test_base_fixture_registers_departments_laws_and_types(registers: Path) -> None:
    result, data, _ = imported("base.txt", registers)
    matter = data["boundaries"]["rows"][0]
    assert [(d["department"], d["as_written"]) for d in matter["divisions"]] == [
        ("weisheng-jiankang", "县卫生健康局"), ("jiaoyu", "县教育局")]
    assert matter["basis"][0]["articles"] == ["30"]
    laws = {law["title"] if isinstance(law["title"], str) else law["title"]["zh"]: law
            for law in load_file(registers / "laws.yaml").data["laws"]}
    assert laws["中华人民共和国传染病防治法"]["level"] == "law"
    assert "医疗机构管理条例" in laws  # named in prose
    assert "医疗机构执业许可证" not in laws  # a licence, not a law
    types = {d["id"]: d["type"] for d in load_file(registers / "ceshi" / "county.yaml").data["departments"]}
    assert types == {"weisheng-jiankang": "weijian", "jiaoyu": "jiaoyu", "shichang-jianguan": "shichang-jianguan"}
    assert "[import-type-added]" not in result.output and "[import-law-added]" in result.output


def test_duplicate_number_is_reported(registers: Path) -> None:
    result, data, text = imported("duplicate-number.txt", registers)
    assert [m["number"] for m in data["boundaries"]["rows"]] == ["1", "1"]
    assert "[import-numbering] matter-02" in result.output and "# - [import-numbering] matter-02" in text
    assert "numbering-anomaly" in {f.code for f in check([registers / "ceshi" / "weisheng-jiankang.yaml"]).findings}


def test_contents_blocks_are_not_mistaken_for_parts_or_sections(registers: Path) -> None:
    result, data, _ = imported("contents.txt", registers)
    assert result.output.count("[import-contents-skipped]") == 2
    assert len(data["duties"]["rows"]) == 2
    assert [s["title"] for s in data["supervision"]["systems"]] == ["医疗机构执业监管", "公共场所卫生监管"]
    assert [len(s["sections"]) for s in data["supervision"]["systems"]] == [2, 1]


@pytest.mark.parametrize(("fixture", "headings"), [
    ("naming-biao.txt", ["一、部门职责", "二、职责边界表", "四、公共服务事项"]),
    ("naming-dengjibiao.txt", ["一、部门职责登记表", "二、与相关部门的职责边界登记表", "四、公共服务事项登记表"]),
])
def test_part_names_of_different_counties(fixture: str, headings: list[str], registers: Path) -> None:
    _, data, _ = imported(fixture, registers)
    assert [data[p]["heading"] for p in ("duties", "boundaries", "services")] == headings
    assert len(data["boundaries"]["rows"]) == 2 and len(data["services"]["rows"]) == 1


def test_extra_column_is_kept(registers: Path) -> None:
    result, data, _ = imported("extra-column.txt", registers)
    duties = data["duties"]
    assert duties["columns"] == ["责任科室"]
    items = [i for d in duties["rows"] for i in d["items"]]
    assert [i["extra"] for i in items] == [{"责任科室": "政策法规股"}, {"责任科室": "规划财务股"}, {"责任科室": "爱卫办"}]
    assert items[2]["remark"] == "由县爱卫会办公室承担。"
    assert "[import-extra-column]" in result.output


def test_line_broken_mid_sentence_is_joined(registers: Path) -> None:
    result, data, _ = imported("broken-line.txt", registers)
    clauses = data["supervision"]["systems"][1]["sections"][0]["clauses"]
    assert [c["text"] for c in clauses] == ["经营单位的卫生许可证是否在有效期内，从业人员是否取得健康合格证明；",
                                            "公共用品用具是否按规定清洗消毒。"]
    assert "[import-joined-line]" in result.output


def test_unplaceable_lines_are_kept_in_unplaced_and_fail_the_check(registers: Path) -> None:
    """Text with no field goes into the draft's `unplaced` (data, not a comment): check fails until it is placed."""
    result = run(FIXTURES / "unplaceable.txt", "--county", "ceshi", "--department", "weisheng-jiankang",
                 "--out", registers, *NEW_COUNTY)
    assert result.exit_code == 1, result.output
    out = registers / "ceshi" / "weisheng-jiankang.yaml"
    data = load_file(out).data
    assert result.output.count("[import-unplaced]") == 2
    assert [(u["text"], u["reason"].split(" / ")[0]) for u in data["unplaced"]] == [
        ("（内部资料 注意保存）", "清单各部分之前的文字"), ("本部分各项制度自印发之日起施行。", "监管制度部分中不属于任何制度的文字")]
    assert data["unplaced"][0]["where"] == "第 2 行 line 2"
    assert data["supervision"]["systems"][0]["preamble"] == ["为加强医疗机构执业监管，制定本制度。"]
    assert result.output.rstrip().endswith("原文收录率 coverage: 100.0% (" + result.output.rsplit("(", 1)[1].rstrip())
    findings = check([out]).findings
    assert [(f.code, f.severity, f.pointer) for f in findings if f.code == "import-unplaced"] == [
        ("import-unplaced", "error", "/unplaced/0"), ("import-unplaced", "error", "/unplaced/1")]
    # the step the report names: move the text into the right field, delete the entries
    text = out.read_text(encoding="utf-8")
    text = text.split("\nunplaced:")[0] + "\n"
    text = text.replace("  note: 由 qingdan import", "  note: 原件标有“内部资料 注意保存”。由 qingdan import")
    out.write_text(text, encoding="utf-8")
    assert_checks(out, registers / "ceshi" / "county.yaml")


def test_existing_register_is_kept_without_force(registers: Path) -> None:
    imported("base.txt", registers)
    out = registers / "ceshi" / "weisheng-jiankang.yaml"
    before = out.read_bytes()
    again = run(FIXTURES / "extra-column.txt", "--county", "ceshi", "--department", "weisheng-jiankang", "--out", registers)
    assert again.exit_code == 1
    assert "已存在" in again.output and "--force" in again.output
    assert out.read_bytes() == before
    _, data, _ = imported("extra-column.txt", registers, "--force")
    assert data["duties"]["columns"] == ["责任科室"]


def test_same_input_same_bytes(tmp_path: Path) -> None:
    outputs = []
    for name in ("a", "b"):
        target = tmp_path / name / "registers"
        shutil.copytree(ROOT / "registers", target)
        assert run(FIXTURES / "base.txt", "--county", "ceshi", "--department", "weisheng-jiankang", "--out", target,
                   *NEW_COUNTY).exit_code == 0
        outputs.append({p.relative_to(target): p.read_bytes() for p in sorted(target.rglob("*.yaml"))})
    assert outputs[0] == outputs[1]


# --- bad input ------------------------------------------------------------------------------


def test_bad_input_exits_without_traceback(registers: Path, tmp_path: Path) -> None:
    fake = tmp_path / "list.docx"
    fake.write_text("not a zip", encoding="utf-8")
    prose = tmp_path / "prose.txt"
    prose.write_text("这不是一份责任清单。\n", encoding="utf-8")
    for source, code in ((fake, 1), (prose, 1)):
        done = subprocess.run([sys.executable, "-m", "generator", "import", str(source), "--county", "dingan",
                               "--department", "x", "--out", str(registers)], cwd=ROOT, capture_output=True, text=True)
        assert done.returncode == code, done.stderr
        assert "Traceback" not in done.stderr and "错误" in done.stderr
    assert run(prose, "--county", "Bad_Slug", "--department", "x", "--out", registers).exit_code == 2
    assert run(prose, "--county", "dingan", "--department", "x", "--out", tmp_path).exit_code == 2


# --- pieces -----------------------------------------------------------------------------------


def test_part_headings_by_name() -> None:
    assert [part_key(h) for h in ("一、部门职责登记表", " 二、职责边界表", "二、与相关部门的职责边界", "三、事中事后监管制度",
                                  "四、公共服务事项登记表")] == ["duties", "boundaries", "boundaries", "supervision", "services"]
    assert part_key("四、监督检查程序") is None and part_key("一、监督检查对象") is None


def test_numbering_styles_and_section_kinds() -> None:
    assert numbering("（一）再生育审批事项")[:2] == ("cnparen", "（一）")
    assert numbering("1.行政机关")[:2] == ("arabic-dot", "1.")
    assert numbering("1.5倍以下")[0] is None
    assert [kind(h) for h in ("监督检查方式及程序", "监督检查程序及措施", "立案标准", "考核办法", "其他")] == [
        "methods", "procedure", "standards", "assessment", "other"]


def test_legal_basis_split_and_articles() -> None:
    cell = "1、《甲条例》第四十七条第二款  正文。\n\n2、省里关于印发《乙方案》的通知\n3、《丙办法》"
    assert split_basis(cell) == [("1、", "《甲条例》第四十七条第二款  正文。"), ("2、", "省里关于印发《乙方案》的通知"),
                                 ("3、", "《丙办法》")]
    assert split_basis("《甲》\n\n第五条 …\n\n2、x") == [(None, "《甲》\n\n第五条 …\n\n2、x")]
    assert articles("《甲》（公告）第三十九条 禁止……违反本条例第十条的\n\n第五十五条 处罚") == ["39", "55"]


def test_county_pinyin() -> None:
    assert pinyin_name("定安县") == "Dìng'ān Xiàn"
    assert pinyin_name("安化县") == "Ānhuà Xiàn"


@pytest.mark.parametrize("value", ["1", "yes", "No", "~", "2016-03-31", " 13467875991", "　", "a: b", "a #b", "x:",
                                   "`对符合", "a\x85b\rc", "第一行\n\n第二行", "行尾空格 \n下一行", " 开头空格\n下一行", "a\u2028b", "-1",
                                   "[x]", "县计生委"])
def test_emitter_round_trips(value: str) -> None:
    data = {"text": value, "aliases": [value, "县计生委"], "rows": [{"id": "x", "items": [value]}]}
    doc = load_text(dump(data, ["comment", f"quoted source: {value}"]), Path("x.yaml"))
    assert doc.data == data and doc.findings == []


def test_word_headings_typed_into_tables_and_empty_cells(registers: Path, tmp_path: Path) -> None:
    """A part heading in a table's first (spanning) row, "无" as the basis, a phone with a remark."""
    document = docx.Document()
    document.add_paragraph("测试县卫生健康局责任清单")
    table = document.add_table(rows=4, cols=4)
    _fill(table.rows[0].cells[0].merge(table.rows[0].cells[-1]), "一、部门职责")
    for row, values in zip(table.rows[1:], (["序号", "主要职责", "具体工作事项", "备注"], ["1", "负责爱国卫生工作。", "组织爱国卫生运动。", ""],
                                            ["", "", "开展卫生创建。", ""])):
        for cell, value in zip(row.cells, values):
            _fill(cell, value)
    top = table.cell(2, 1).merge(table.cell(3, 1))
    _fill(top, "负责爱国卫生工作。")
    document.add_paragraph("二、职责边界表")
    _table(document, ["序号", "管理事项", "相关部门", "职责分工", "相关依据", "案例"],
           [[["1", "病媒生物防制", "县卫生健康局", "负责技术指导。", "无", "无"]]], set())
    document.add_paragraph("三、事中事后监管制度")
    for line in ("（一）爱国卫生监管", "1、监督检查对象", "辖区内单位。"):
        document.add_paragraph(line)
    document.add_paragraph("四、公共服务事项")
    _table(document, ["序号", "服务事项", "主要内容", "承办机构", "联系电话"],
           [[["1", "健康咨询", "提供咨询。", "健康教育所", "0737-1234567（办公室）"]]], set())
    source = tmp_path / "list.docx"
    document.save(str(source))
    result = run(source, "--county", "ceshi", "--department", "weisheng-jiankang", "--out", registers, *NEW_COUNTY)
    assert "Traceback" not in result.output and "coverage: 100.0%" in result.output, result.output
    data = load_file(registers / "ceshi" / "weisheng-jiankang.yaml").data
    assert data["duties"]["heading"] == "一、部门职责"
    assert [[i["text"] for i in d["items"]] for d in data["duties"]["rows"]] == [["组织爱国卫生运动。", "开展卫生创建。"]]
    matter = data["boundaries"]["rows"][0]
    assert matter["basis"] == [] and "cases" not in matter
    assert data["services"]["rows"][0]["phone"] == "0737-1234567（办公室）"  # kept as the source prints it


# --- hostile input (issue 20) ----------------------------------------------------------------


def _bomb(path: Path, members: dict[str, int]) -> Path:
    """A zip whose members are runs of zeros: a few KB on disk, `size` bytes each when inflated."""
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, size in members.items():
            with archive.open(name, "w", force_zip64=True) as member:
                chunk = b"\0" * (1 << 20)
                for _ in range(size >> 20):
                    member.write(chunk)
    return path


@pytest.mark.parametrize(("name", "members", "needle"), [
    ("bomb.docx", {"[Content_Types].xml": 1 << 20, "word/document.xml": 64 << 20}, "word/document.xml"),
    ("bomb.xlsx", {"xl/worksheets/sheet1.xml": 48 << 20}, "xl/worksheets/sheet1.xml"),
])
def test_zip_bomb_is_refused_before_inflating(name: str, members: dict[str, int], needle: str, registers: Path,
                                              tmp_path: Path) -> None:
    bomb = _bomb(tmp_path / name, members)
    assert bomb.stat().st_size < 200_000
    done = subprocess.run([sys.executable, "-m", "generator", "import", str(bomb), "--county", "dingan",
                           "--department", "x", "--out", str(registers)], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert f"错误 error [import-zip-bomb]: {bomb}：疑似压缩炸弹，未解压" in done.stderr and needle in done.stderr
    assert not (registers / "dingan" / "x.yaml").exists()


def test_zip_bomb_guard_reads_only_the_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The guard refuses from the declared sizes: the members are never read."""
    from generator.importers import archive
    from generator.importers.document import ImportFailure

    bomb = _bomb(tmp_path / "b.docx", {"word/document.xml": 8 << 20})
    with pytest.raises(ImportFailure) as refused:
        archive.guard(bomb, "Word (.docx)")
    assert refused.value.code == "import-zip-bomb"
    assert "8388608" in refused.value.zh
    too_many = tmp_path / "many.xlsx"
    import zipfile
    with zipfile.ZipFile(too_many, "w") as many:
        for i in range(archive.MAX_MEMBERS + 1):
            many.writestr(f"x/{i}", b"")
    with pytest.raises(ImportFailure, match="members"):
        archive.guard(too_many, "Excel (.xlsx)")
    monkeypatch.setattr(archive, "MAX_TOTAL", 1 << 20)
    with pytest.raises(ImportFailure, match="in all"):
        archive.guard(_bomb(tmp_path / "two.docx", {"a.xml": 1 << 20, "b.xml": 1 << 20}), "Word (.docx)")


def test_phone_cell_holding_words_is_kept_as_written(registers: Path, tmp_path: Path) -> None:
    """Never the old "00000": a phone cell that gives directions instead of digits stays as the list prints it."""
    source = tmp_path / "list.txt"
    source.write_text("测试县卫生健康局责任清单\n四、公共服务事项\n\t序号\n\t服务事项\n\t主要内容\n\t承办机构\n\t联系电话\n"
                      "\t1\n\t健康咨询\n\t提供健康咨询。\n\t县疾控中心\n\t详见县政务服务中心窗口公示\n", encoding="utf-8")
    result = run(source, "--county", "ceshi", "--department", "weisheng-jiankang", "--out", registers, *NEW_COUNTY)
    assert result.exit_code == 0, result.output
    service = load_file(registers / "ceshi" / "weisheng-jiankang.yaml").data["services"]["rows"][0]
    assert service["phone"] == "详见县政务服务中心窗口公示"
    assert "00000" not in (registers / "ceshi" / "weisheng-jiankang.yaml").read_text(encoding="utf-8")
    assert "phone-not-dialable" in {f.code for f in check([registers / "ceshi" / "weisheng-jiankang.yaml"]).findings}


def test_a_department_already_in_the_county_is_not_added_twice(registers: Path) -> None:
    """Importing 定安县's family-planning list under another slug would register the commission twice."""
    before = (registers / "dingan" / "county.yaml").read_bytes()
    result = run(SEEDS / "000_824ae8e54d8f565a.txt", "--county", "dingan", "--department", "jisheng-wei", "--out", registers,
                 "--department-name", "定安县人口和计划生育委员会")
    assert result.exit_code == 2
    assert "--department renkou-jisheng" in result.output
    assert (registers / "dingan" / "county.yaml").read_bytes() == before
    assert not (registers / "dingan" / "jisheng-wei.yaml").exists()


def test_drafts_get_the_usual_file_permissions(registers: Path) -> None:
    """Written through a temporary file for atomicity, yet readable like any file the user writes (not 0600)."""
    import os
    import stat

    _, _, _ = imported("base.txt", registers)
    umask = os.umask(0)
    os.umask(umask)
    for path in (registers / "ceshi" / "weisheng-jiankang.yaml", registers / "ceshi" / "county.yaml"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask
