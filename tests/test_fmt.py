"""`qingdan fmt`: canonical layout, lossless and idempotent, comments kept, unsafe files refused."""
from __future__ import annotations

import random
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from generator.cli import main
from generator.fmt import canonical, extract_comments, literal, scalar
from generator.load import load_file, load_text

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted(p.relative_to(ROOT / "registers") for p in (ROOT / "registers").rglob("*.yaml"))


@pytest.fixture
def registers(tmp_path: Path) -> Path:
    """A private copy of the registers: fmt must never touch the real files in a test."""
    target = tmp_path / "registers"
    shutil.copytree(ROOT / "registers", target)
    return target


def fmt(*args: str | Path) -> Result:
    return CliRunner().invoke(main, ["fmt", *map(str, args)])


def test_the_seven_seed_files_are_there() -> None:
    names = {str(p) for p in SEEDS}
    assert {"topics.yaml", "laws.yaml", "department-types.yaml", "dingan/county.yaml", "anhua/county.yaml",
            "dingan/renkou-jisheng.yaml", "anhua/renkou-jisheng.yaml"} <= names


def test_current_registers_are_already_canonical(registers: Path) -> None:
    """The hand-made layout is the target: fmt on the registers should change nothing."""
    before = {p: p.read_bytes() for p in registers.rglob("*.yaml")}
    result = fmt("--check", registers)
    assert result.exit_code == 0, result.output
    assert "0 个文件需要运行 qingdan fmt" in result.output
    assert {p: p.read_bytes() for p in registers.rglob("*.yaml")} == before


@pytest.mark.parametrize("name", SEEDS, ids=str)
def test_lossless_and_idempotent(name: Path, registers: Path) -> None:
    path = registers / name
    doc = load_file(path)
    once = canonical(doc)
    again = load_text(once, path)
    assert again.ok and again.data == doc.data
    assert canonical(again) == once
    assert extract_comments(once) == extract_comments(doc.text)


def _shuffled(data: Any, rng: random.Random) -> Any:
    if isinstance(data, dict):
        items = list(data.items())
        rng.shuffle(items)
        return {k: _shuffled(v, rng) for k, v in items}
    if isinstance(data, list):
        return [_shuffled(v, rng) for v in data]
    return data


@pytest.mark.parametrize("name", SEEDS, ids=str)
def test_any_layout_of_the_same_data_comes_back_to_the_hand_made_file(name: Path, registers: Path) -> None:
    """Keys shuffled, 4-space indents, folded lines, other quotes: fmt restores the seed byte for byte."""
    path = registers / name
    original = path.read_text(encoding="utf-8")
    comments = extract_comments(original)
    if comments.eol or comments.trailer or set(comments.lead) - {""}:
        pytest.skip("only the header comment survives a PyYAML dump")
    header = "".join(line + "\n" for line in comments.lead.get("", []))
    data = _shuffled(load_file(path).data, random.Random(str(name)))
    path.write_text(header + yaml.dump(data, allow_unicode=True, sort_keys=False, indent=4, width=30),
                    encoding="utf-8")
    assert path.read_text(encoding="utf-8") != original
    result = fmt(path)
    assert result.exit_code == 0, result.output
    assert path.read_text(encoding="utf-8") == original


def test_comments_survive_and_move_with_their_entry(registers: Path) -> None:
    path = registers / "dingan" / "renkou-jisheng.yaml"
    lines = path.read_text(encoding="utf-8").split("\n")
    department = lines.pop(1)  # `department:` moved below `title:`: fmt must move it back
    assert department.startswith("department:")
    source = lines.index(next(line for line in lines if line.startswith("source:")))
    lines[source:source] = [department, "# 原件为 Word 表格 (above a key)"]
    item = lines.index("        - id: duty-02-01")
    lines[item] += "  # 原文如此 (end of line after a value)"
    lines.insert(item, "        # 第一项工作事项 (inside a list)")
    topics = lines.index("      topics: [jishu-fuwu, shengzhi-jiankang]")
    lines[topics] += "  # 两个主题 (after a flow list)"
    rows = lines.index("  rows:")
    lines[rows] += "  # 主要职责 (after a key with a block value)"
    lines.append("# 文件结尾 (end of file)")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = load_file(path)

    result = fmt(path)
    assert result.exit_code == 0, result.output
    text = path.read_text(encoding="utf-8")
    after = text.split("\n")
    assert load_text(text, path).data == before.data
    assert after[0].startswith("# yaml-language-server: $schema=")
    assert after[1].startswith("department:")
    above = after.index("# 原件为 Word 表格 (above a key)")
    assert after[above + 1].startswith("source:")
    inside = after.index("        # 第一项工作事项 (inside a list)")
    assert after[inside + 1] == "        - id: duty-02-01  # 原文如此 (end of line after a value)"
    assert "      topics: [jishu-fuwu, shengzhi-jiankang]  # 两个主题 (after a flow list)" in after
    assert "  rows:  # 主要职责 (after a key with a block value)" in after
    assert after[-2:] == ["# 文件结尾 (end of file)", ""]
    assert fmt("--check", path).exit_code == 0


def test_a_comment_inside_a_word_list_keeps_it_a_block_list(registers: Path) -> None:
    path = registers / "topics-test.yaml"
    path.write_text("topics:\n  - id: a\n    name: 甲\n    aliases:\n      - 乙  # 原文简称\n      - 丙\n",
                    encoding="utf-8")
    assert fmt(path).exit_code == 0
    assert "      - 乙  # 原文简称\n" in path.read_text(encoding="utf-8")


def test_check_lists_files_with_a_diff_and_does_not_write(registers: Path) -> None:
    path = registers / "anhua" / "county.yaml"
    messy = path.read_text(encoding="utf-8").replace('division_code: "430923"', "division_code: '430923'")
    messy = messy.replace("level: county", "level: 'county'")
    path.write_text(messy, encoding="utf-8")
    result = fmt("--check", registers)
    assert result.exit_code == 1
    assert "需要格式化 would reformat:" in result.output and "county.yaml" in result.output
    assert "-division_code: '430923'" in result.output and '+division_code: "430923"' in result.output
    assert "1 个文件需要运行 qingdan fmt" in result.output
    assert path.read_text(encoding="utf-8") == messy
    assert fmt(registers).exit_code == 0
    assert "level: county\n" in path.read_text(encoding="utf-8")
    assert fmt("--check", registers).exit_code == 0


def test_bom_crlf_and_missing_final_newline_are_fixed(registers: Path) -> None:
    path = registers / "topics.yaml"
    original = path.read_bytes()
    path.write_bytes(b"\xef\xbb\xbf" + original.replace(b"\n", b"\r\n").rstrip(b"\r\n"))
    result = fmt("--check", path)
    assert result.exit_code == 1
    assert "only line endings, BOM or the final newline differ" in result.output
    assert fmt(path).exit_code == 0
    assert path.read_bytes() == original


def test_a_file_with_a_duplicate_key_is_refused_and_left_alone(registers: Path) -> None:
    path = registers / "dingan" / "duplicate-key.yaml"
    shutil.copyfile(ROOT / "tests/example-files/invalid/duplicate-key.yaml", path)
    before = path.read_bytes()
    for args in (("--check", path), (path,)):
        result = fmt(*args)
        assert result.exit_code == 1
        assert "duplicate-key.yaml:5:1: 错误 error[yaml-duplicate-key]" in result.output
        assert "1 个文件无法格式化" in result.output
    assert path.read_bytes() == before


@pytest.mark.parametrize("fixture", ["python-tag.yaml", "alias-bomb.yaml", "syntax-error.yaml"])
def test_other_loader_errors_are_refused(fixture: str, registers: Path) -> None:
    path = registers / "dingan" / fixture
    shutil.copyfile(ROOT / "tests/example-files/invalid" / fixture, path)
    before = path.read_bytes()
    result = fmt(path)
    assert result.exit_code == 1 and "以下文件有读取错误" in result.output
    assert path.read_bytes() == before


@pytest.mark.parametrize(("value", "written"), [
    ("63822173", '"63822173"'),
    ("2016-03-31", '"2016-03-31"'),
    ("1、", '"1、"'),
    ("1.", '"1."'),
    ("-.5", '"-.5"'),
    ("yes", '"yes"'), ("no", '"no"'), ("on", '"on"'), ("Off", '"Off"'), ("y", '"y"'),
    ("null", '"null"'), ("~", '"~"'), ("true", '"true"'), ("False", '"False"'),
    ("", '""'),
    ("　", '"　"'),
    (" 13467875991", '" 13467875991"'),
    ("开展宣传教育 ", '"开展宣传教育 "'),
    ("`对符合条件的", '"`对符合条件的"'),
    ("法律责任:", '"法律责任:"'),
    ("a: b", '"a: b"'),
    ("#1", '"#1"'),
    ("- 一项", '"- 一项"'),
    ('引号"在中间', '引号"在中间'),
    ("tab\there", '"tab\\there"'),
    ("（一）", "（一）"),
    ("县公安局", "县公安局"),
    ("Ding'an County", "Ding'an County"),
    ("duty-01", "duty-01"),
])
def test_quoting(value: str, written: str) -> None:
    assert scalar(value) == written
    assert yaml.safe_load(f"k: {written}") == {"k": value}


def test_flow_list_items_are_quoted_for_flow_context() -> None:
    assert scalar("a, b", flow=True) == '"a, b"'
    assert scalar("县公安局", flow=True) == "县公安局"
    assert scalar("39", flow=True) == '"39"'


@pytest.mark.parametrize(("value", "header"), [
    ("第一段\n\n第二段", "|-"), ("一行\n", "|"), ("一行\n\n", "|+"),
    ("  缩进开头\n第二行", None), ("行尾空格 \n下一行", None),
])
def test_multi_line_text_uses_literal_blocks_where_exact(value: str, header: str | None, registers: Path) -> None:
    block = literal(value)
    assert (block[0] if block else None) == header
    path = registers / "glossary-test.yaml"
    path.write_text(yaml.safe_dump({"terms": [{"zh": "甲", "en": "a", "note": value}]}, allow_unicode=True),
                    encoding="utf-8")
    assert fmt(path).exit_code == 0
    text = path.read_text(encoding="utf-8")
    assert load_text(text, path).data["terms"][0]["note"] == value
    assert ("    note: " + header in text) if header else ('    note: "' in text)


def test_word_lists_are_one_line_and_text_lists_are_blocks(registers: Path) -> None:
    path = registers / "dingan" / "county.yaml"
    text = path.read_text(encoding="utf-8").replace("aliases: [县卫生局]", "aliases:\n      - 县卫生局\n      - 卫生局")
    path.write_text(text, encoding="utf-8")
    assert fmt(path).exit_code == 0
    assert "    aliases: [县卫生局, 卫生局]\n" in path.read_text(encoding="utf-8")
    register = registers / "dingan" / "lists-test.yaml"
    register.write_text("duties:\n  notes: [注一, 注二]\n  columns: [责任科室]\n  rows:\n    - topics:\n        - a\n",
                        encoding="utf-8")
    assert fmt(register).exit_code == 0
    assert register.read_text(encoding="utf-8") == (
        "duties:\n  columns:\n    - 责任科室\n  rows:\n    - topics: [a]\n  notes:\n    - 注一\n    - 注二\n")


def test_usage_errors_exit_2_without_a_traceback(tmp_path: Path) -> None:
    missing = subprocess.run([sys.executable, "-m", "generator", "fmt", "no/such/file.yaml"], cwd=ROOT,
                             capture_output=True, text=True)
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
    nowhere = subprocess.run([sys.executable, "-m", "generator", "fmt"], cwd=tmp_path, capture_output=True, text=True,
                             env={"PYTHONPATH": str(ROOT), "PATH": ""})
    assert nowhere.returncode == 2 and "registers/" in nowhere.stderr and "Traceback" not in nowhere.stderr


def test_a_file_that_cannot_round_trip_its_comments_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "registers" / "topics.yaml"
    target.parent.mkdir()
    text = "topics:\n  - {id: a,  # one\n     name: 甲}  # two\n"
    target.write_text(text, encoding="utf-8")
    result = fmt(target)
    assert result.exit_code == 1
    assert "error[fmt-unsafe]" in result.output
    assert target.read_text(encoding="utf-8") == text


V2_FIXTURE = ROOT / "tests" / "fixtures" / "site" / "registers" / "ceshi" / "gongan.yaml"
"""A register in the shapes only schema v2 allows: absent parts, unnumbered rows, duties
without items, extra columns in every part, a phone that is words."""


def test_v2_register_is_canonical_lossless_and_idempotent(tmp_path: Path) -> None:
    path = tmp_path / "gongan.yaml"
    shutil.copyfile(V2_FIXTURE, path)
    doc = load_file(path)
    once = canonical(doc)
    assert once == doc.text  # the fixture is written in the canonical layout
    again = load_text(once, path)
    assert again.ok and again.data == doc.data and canonical(again) == once


def test_v2_keys_come_back_in_schema_order(tmp_path: Path) -> None:
    """heading, columns, then absent or rows/systems, then notes; a row's extra beside its cells."""
    path = tmp_path / "ceshi" / "gongan.yaml"
    path.parent.mkdir()
    original = V2_FIXTURE.read_text(encoding="utf-8")
    header = "".join(line + "\n" for line in extract_comments(original).lead.get("", []))
    data = _shuffled(load_file(V2_FIXTURE).data, random.Random("v2"))
    path.write_text(header + yaml.dump(data, allow_unicode=True, sort_keys=False, indent=4, width=30), encoding="utf-8")
    assert path.read_text(encoding="utf-8") != original
    result = fmt(path)
    assert result.exit_code == 0, result.output
    assert path.read_text(encoding="utf-8") == original
