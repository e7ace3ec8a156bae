"""`qingdan check` on data-driven invalid fixtures, on the seeds, and through the CLI.

Each file in tests/example-files/invalid/ states what it must produce in header lines
`# expect: code@line, …` (exactly that set) and optionally `# place: county/file.yaml`
(where it is put inside a copy of registers/; default `dingan/<fixture name>`).
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.errors import CATALOGUE
from generator.validate import check

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = sorted((ROOT / "tests" / "example-files" / "invalid").glob("*.yaml"))


def expectations(path: Path) -> tuple[set[tuple[str, int]], str]:
    text = path.read_text(encoding="utf-8", errors="replace")
    expected: set[tuple[str, int]] = set()
    for chunk in re.findall(r"^# expect: (.+)$", text, flags=re.M):
        for item in chunk.split(","):
            code, line = item.strip().split("@")
            expected.add((code, int(line)))
    place = re.search(r"^# place: (\S+)$", text, flags=re.M)
    return expected, place.group(1) if place else f"dingan/{path.name}"


@pytest.fixture
def registers(tmp_path: Path) -> Path:
    """A private copy of the real registers, so fixtures resolve real references."""
    target = tmp_path / "registers"
    shutil.copytree(ROOT / "registers", target)
    return target


@pytest.mark.parametrize("fixture", FIXTURES, ids=[f.stem for f in FIXTURES])
def test_invalid_fixture(fixture: Path, registers: Path) -> None:
    expected, place = expectations(fixture)
    assert expected, f"{fixture.name} states no expectations"
    target = registers / place
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(fixture, target)
    result = check([target])
    got = {(f.code, f.line) for f in result.findings}
    assert got == expected
    assert all(f.file == str(target.resolve()) for f in result.findings)
    if any(CATALOGUE[code].severity == "error" for code, _ in expected):
        assert result.exit_code() == 1


def test_every_check_code_has_a_fixture_or_a_test() -> None:
    """Every code `qingdan check` reports is exercised by a fixture, a hostile case or a test."""
    covered = {code for f in FIXTURES for code, _ in expectations(f)[0]}
    tests_text = "".join(p.read_text(encoding="utf-8") for p in [*(ROOT / "tests").glob("test_*.py"),
                                                                  *(ROOT / "tests" / "hostile").glob("*.yaml")])
    missing = [code for code in CATALOGUE
               if not code.startswith("import-") and code not in covered and code not in tests_text]
    assert not missing


def test_every_code_used_in_the_code_is_in_the_catalogue() -> None:
    source = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "generator").rglob("*.py"))
    used = set(re.findall(r'(?:finding|_at|note)\(\s*"([a-z]+(?:-[a-z]+)+)"', source))
    assert used and not used - set(CATALOGUE)


def test_every_code_is_documented_on_the_error_reference_page() -> None:
    from generator.markup import esc
    from generator.model import load_corpus
    from generator.render import Renderer

    for lang in ("zh", "en"):
        page = Renderer(load_corpus(ROOT / "registers"), lang).errors_page().content
        for spec in CATALOGUE.values():
            assert f"## `{spec.code}` {{: #{spec.code} }}" in page
            assert esc(spec.explain) in page
        assert "{{" not in page, "a message template is shown with str.format's escaped braces"


def test_seeds_are_valid_with_their_known_irregularities_as_warnings() -> None:
    result = check([ROOT / "registers"])
    assert result.errors == 0, [f.message_zh for f in result.findings if f.severity == "error"]
    seen = {(Path(f.file).parent.name, f.code) for f in result.findings}
    for county, code in [
        ("anhua", "numbering-anomaly"),  # two boundary matters numbered "2"
        ("dingan", "whitespace-only"),  # remarks holding only U+3000
        ("dingan", "punctuation-doubled"),  # "。。"
        ("anhua", "suspect-typo"),  # 并发证
        ("anhua", "phone-format"),  # " 13467875991"
        ("dingan", "stray-character"),  # "`对符合条件的…"
        ("dingan", "suspect-typo"),  # 县级关计划生育
        ("anhua", "department-name-variants"),  # 县人口和计划生育局 / 县人口计生局
    ]:
        assert (county, code) in seen, (county, code)
    anomaly = next(f for f in result.findings if f.code == "numbering-anomaly")
    assert anomaly.pointer == "/boundaries/rows/0/number"
    assert anomaly.line > 1 and anomaly.col > 1


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True)


def test_cli_exit_codes_and_formats(registers: Path) -> None:
    ok = run_cli("check", "registers")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "0 个错误" in ok.stdout and "Traceback" not in ok.stderr
    strict = run_cli("check", "--strict", "registers")
    assert strict.returncode == 1
    usage = run_cli("check", "no/such/path")
    assert usage.returncode == 2
    assert run_cli("check", "--format", "xml").returncode == 2
    bad = registers / "dingan" / "semantics.yaml"
    shutil.copyfile(ROOT / "tests/example-files/invalid/semantics.yaml", bad)
    as_json = run_cli("check", "--format", "json", str(bad))
    assert as_json.returncode == 1
    payload = json.loads(as_json.stdout)
    assert payload["summary"]["errors"] >= 1
    first = payload["findings"][0]
    assert set(first) == {"code", "severity", "file", "line", "column", "pointer", "message"}
    assert first["message"]["zh"] and first["message"]["en"]


def test_github_annotations_parse_with_file_and_line(registers: Path) -> None:
    bad = registers / "dingan" / "semantics.yaml"
    shutil.copyfile(ROOT / "tests/example-files/invalid/semantics.yaml", bad)
    out = run_cli("check", "--format", "github", str(bad)).stdout.splitlines()
    pattern = re.compile(r"^::(error|warning) file=([^,]+),line=(\d+),col=(\d+),title=([a-z-]+)::(.+)$")
    annotations = [pattern.match(line) for line in out if not line.startswith("::notice")]
    assert annotations and all(annotations)
    assert {(m.group(5), int(m.group(3))) for m in annotations if m} == expectations(
        ROOT / "tests/example-files/invalid/semantics.yaml")[0]
    assert all(Path(m.group(2)).name == "semantics.yaml" for m in annotations if m)
