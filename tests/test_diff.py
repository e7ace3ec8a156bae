"""Comparing registers: county against county (alignment, pages) and version against version.

The version diff of a scripted edit is checked against a golden Markdown file,
tests/golden/diff/version.md.  After an intended change of the output, refresh it with

    QINGDAN_REFRESH_GOLDEN=1 .venv/bin/python -m pytest tests/test_diff.py

and review the golden file's diff before committing it.

Nothing here depends on the English translation being present in the registers: English
page behaviour is tested on texts set in the test itself.
"""
from __future__ import annotations

import io
import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable

import pytest
from click.testing import CliRunner, Result

from generator import paths
from generator.align import align, normalise, segments, side
from generator.changelog import changelog_html, historic_versions
from generator.cli import main
from generator.compare_pages import (
    FOLD_RUN,
    CompareConfigError, compare_index_page, comparison_page, configured_pairs, matrix_page,
)
from generator.diff import (
    Terminal, compare_rows, county_markdown, county_text, flatten, version_diff, version_markdown,
)
from generator.markup import url
from generator.model import Corpus, Duty, Item, Register, Revision, Text, load_corpus
from conftest import assert_golden as golden

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden" / "diff"
GIT_ENV = {
    **os.environ,
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Qingdan Test",
    "GIT_AUTHOR_EMAIL": "test@example.org",
    "GIT_COMMITTER_NAME": "Qingdan Test",
    "GIT_COMMITTER_EMAIL": "test@example.org",
    "GIT_AUTHOR_DATE": "2020-01-02T03:04:05+08:00",
    "GIT_COMMITTER_DATE": "2020-01-02T03:04:05+08:00",
}


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    """The seed model, shared by the tests that only read it."""
    return load_corpus(ROOT / "registers")


@pytest.fixture
def fresh() -> Corpus:
    """A private model for tests that change texts in memory."""
    return load_corpus(ROOT / "registers")


def pair_of(corpus: Corpus) -> tuple[Register, Register]:
    return corpus.counties["dingan"].registers[0], corpus.counties["anhua"].registers[0]


def assert_golden(name: str, actual: str) -> None:
    golden(GOLDEN / name, actual)


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """`qingdan …` in this process (YAML loading is slow; a subprocess per call doubles it)."""
    def invoke(*args: str, cwd: Path = ROOT) -> Result:
        monkeypatch.chdir(cwd)
        for key in ("GIT_CONFIG_GLOBAL", "GIT_CONFIG_NOSYSTEM"):
            monkeypatch.setenv(key, GIT_ENV[key])
        return CliRunner().invoke(main, list(args))
    return invoke


# --- county against county ---------------------------------------------------------------------


def test_identical_work_items_match_across_duties(corpus: Corpus) -> None:
    dingan, anhua = pair_of(corpus)
    duties = align(dingan, anhua).parts["duties"]
    text = "指导全县人口和计划生育公共服务网络体系建设"
    pair = next(p for p in duties.pairs if normalise(p.a.fields[0][1].zh) == normalise(text))
    assert normalise(pair.b.fields[0][1].zh) == normalise(text)
    assert isinstance(pair.a.row, Item) and isinstance(pair.b.row, Item)
    assert pair.a.row.duty is not None and pair.a.row.duty.number == "7"
    assert pair.b.row.duty is not None and pair.b.row.duty.number == "8"
    assert pair.score == 1.0
    changes = pair.changes()[0][2]
    assert "".join(t for op, t in changes if op != "insert") == pair.a.fields[0][1].zh
    assert [op for op, _ in changes] == ["equal", "delete"]  # only Ding'an's full stop differs


def test_main_duty_matches_a_work_item(corpus: Corpus) -> None:
    dingan, anhua = pair_of(corpus)
    duties = align(dingan, anhua).parts["duties"]
    pair = next(p for p in duties.pairs if p.a.fields[0][1].zh == "研究和依法规范计划生育药具管理制度。")
    assert isinstance(pair.a.row, Duty) and pair.a.row.number == "8"
    assert isinstance(pair.b.row, Item) and pair.b.row.duty is not None and pair.b.row.duty.number == "5"
    assert pair.b.fields[0][1].zh == "研究和依法规范计划生育药具管理制度。"


def test_floating_population_rows_align_under_their_topic(corpus: Corpus) -> None:
    dingan, anhua = pair_of(corpus)
    al = align(dingan, anhua)
    for part, level in (("duties", "duty"), ("boundaries", "matter")):
        tagged = [u for u in al.parts[part].pairs if u.a.level == level and "liudong-renkou" in u.a.topics]
        assert tagged, part
        for pair in tagged:
            assert pair.b.level == level and "liudong-renkou" in pair.b.topics


def test_social_maintenance_fee_duties_only_in_anhua(corpus: Corpus) -> None:
    dingan, anhua = pair_of(corpus)
    duties = align(dingan, anhua).parts["duties"]
    fee_rows = [u for u in duties.only_b if "社会抚养费" in u.fields[0][1].zh]
    assert {u.row.id for u in fee_rows} >= {"duty-09", "duty-08-01"}
    assert not any("社会抚养费" in p.b.fields[0][1].zh for p in duties.pairs)
    fee_duty = next(d for d in anhua.duties if d.id == "duty-09")
    assert {"shehui-fuyangfei"} <= {t.id for t in fee_duty.topics}
    only_b = {u.row.id for u in duties.only_b}
    assert {fee_duty.id, *(i.id for i in fee_duty.items)} <= only_b
    assert not any(t.id == "shehui-fuyangfei" for d in dingan.duties for t in d.topics)


def test_alignment_is_one_to_one_complete_and_deterministic(corpus: Corpus) -> None:
    dingan, anhua = pair_of(corpus)
    first, second = align(dingan, anhua), align(dingan, anhua)
    for part, pa in first.parts.items():
        a_ids = [p.a.row.id for p in pa.pairs] + [u.row.id for u in pa.only_a]
        b_ids = [p.b.row.id for p in pa.pairs] + [u.row.id for u in pa.only_b]
        assert len(a_ids) == len(set(a_ids)) and len(b_ids) == len(set(b_ids))
        again = second.parts[part]
        assert [(p.a.row.id, p.b.row.id) for p in pa.pairs] == [(p.a.row.id, p.b.row.id) for p in again.pairs]
        entries = pa.entries()
        assert len(entries) == len(pa.pairs) + len(pa.only_a) + len(pa.only_b)
        a_order = [a.position for a, _, _ in entries if a is not None]
        assert a_order == sorted(a_order)


def test_segments_fold_coincidences_and_compare_english_by_word() -> None:
    assert segments("负责流动人口计划生育服务管理工作。", "负责流动人口计划生育统计") == [
        ("equal", "负责流动人口计划生育"), ("delete", "服务管理工作。"), ("insert", "统计")]
    # the lone shared 的 between two changes is folded into the change
    assert segments("甲的乙", "丙的丁") == [("delete", "甲的乙"), ("insert", "丙的丁")]
    assert segments("Guide the work", "Guide all the work", "en") == [
        ("equal", "Guide"), ("insert", " all"), ("equal", " the work")]
    segs = segments("abc", "abd")
    assert side(segs, "a") == [("equal", "ab"), ("delete", "c")]
    assert side(segs, "b") == [("equal", "ab"), ("insert", "d")]


# --- county diff command -----------------------------------------------------------------------


def test_cli_county_diff_formats(corpus: Corpus, run: Callable[..., Result]) -> None:
    a, b = "registers/dingan/renkou-jisheng.yaml", "registers/anhua/renkou-jisheng.yaml"
    as_json = run("diff", a, b, "--format", "json")
    assert as_json.exit_code == 0, as_json.output
    payload = json.loads(as_json.stdout)
    assert payload["a"]["key"] == "dingan/renkou-jisheng" and payload["b"]["path"] == b
    duties = payload["parts"]["duties"]
    assert duties["summary"]["matched"] == len(duties["matched"])
    assert any(m["score"] == 1.0 and m["a"]["id"] == "duty-08" for m in duties["matched"])
    assert set(payload["parts"]) == {"duties", "boundaries", "supervision", "services"}
    al = align(*pair_of(corpus))
    markdown = county_markdown(al)
    assert "| 部分 Part |" in markdown and "<del>" in markdown and "<ins>" in markdown
    plain, coloured = io.StringIO(), io.StringIO()
    county_text(al, Terminal(plain, colour=False))
    county_text(al, Terminal(coloured, colour=True))
    assert "\033[" not in plain.getvalue() and "[-" in plain.getvalue() and "仅 B Only in B" in plain.getvalue()
    assert "\033[31;9m" in coloured.getvalue() and "[-" not in coloured.getvalue()


def test_county_diff_warns_across_department_types(tmp_path: Path, run: Callable[..., Result]) -> None:
    """Comparing a public-security list with a family-planning list warns in every format; exit 0."""
    registers = tmp_path / "registers"
    shutil.copytree(ROOT / "registers", registers)
    source = (registers / "anhua" / "renkou-jisheng.yaml").read_text(encoding="utf-8")
    assert "\ndepartment: renkou-jisheng\n" in source
    (registers / "anhua" / "gongan.yaml").write_text(
        source.replace("\ndepartment: renkou-jisheng\n", "\ndepartment: gongan\n"), encoding="utf-8")
    a, b = "registers/dingan/renkou-jisheng.yaml", "registers/anhua/gongan.yaml"
    line = source.splitlines().index("department: renkou-jisheng") + 1
    as_json = run("diff", a, b, "--format", "json", cwd=tmp_path)
    assert as_json.exit_code == 0, as_json.output
    [warning] = json.loads(as_json.stdout)["warnings"]
    assert warning["code"] == "diff-department-type" and warning["severity"] == "warning"
    assert warning["file"] == b and warning["line"] == line and warning["pointer"] == "/department"
    assert "人口和计划生育部门" in warning["message"]["zh"] and "公安机关" in warning["message"]["zh"]
    assert "Public security bureau" in warning["message"]["en"]
    as_text = run("diff", a, b, cwd=tmp_path)
    assert as_text.exit_code == 0 and f"{b}:{line}:{warning['column']}: 警告 warning[diff-department-type]" in as_text.stdout
    as_md = run("diff", a, b, "--format", "markdown", cwd=tmp_path)
    assert as_md.exit_code == 0 and "> **警告 warning** `diff-department-type`: 两份清单的部门类型不同" in as_md.stdout
    same = run("diff", a, "registers/anhua/renkou-jisheng.yaml", "--format", "json", cwd=tmp_path)
    assert json.loads(same.stdout)["warnings"] == []
    assert "diff-department-type" not in run("diff", a, "registers/anhua/renkou-jisheng.yaml", cwd=tmp_path).stdout


def test_cli_usage_and_data_errors(tmp_path: Path, run: Callable[..., Result]) -> None:
    one = subprocess.run([sys.executable, "-m", "generator", "diff", "registers/dingan/renkou-jisheng.yaml"],
                         cwd=ROOT, capture_output=True, text=True)
    assert one.returncode == 2 and "两份清单" in one.stderr and "Traceback" not in one.stderr
    assert run("diff", "--head", "HEAD", "a", "b").exit_code == 2
    missing = run("diff", "registers/dingan/renkou-jisheng.yaml", "no/such.yaml")
    assert missing.exit_code == 2 and "找不到文件" in missing.stderr
    assert run("diff", "registers/dingan/county.yaml", "registers/anhua/renkou-jisheng.yaml").exit_code == 2
    registers = tmp_path / "registers"
    shutil.copytree(ROOT / "registers", registers)
    bad = registers / "dingan" / "semantics.yaml"
    shutil.copyfile(ROOT / "tests/example-files/invalid/semantics.yaml", bad)
    broken = run("diff", str(bad), str(registers / "anhua" / "renkou-jisheng.yaml"))
    assert broken.exit_code == 1 and "清单有错误" in broken.stderr
    for result in (missing, broken):
        assert result.exception is None or isinstance(result.exception, SystemExit)


# --- site pages ----------------------------------------------------------------------------------


def html_blocks(page: str) -> list[str]:
    return [chunk for chunk in page.split("\n\n") if chunk.lstrip().startswith("<")]


def assert_blocks_closed(page: str) -> None:
    """No raw HTML block is split by a blank line: every block closes what it opens."""
    for block in html_blocks(page):
        for tag in ("div", "table", "p", "tr"):
            assert block.count(f"<{tag}") - block.count(f"<{tag}s") == block.count(f"</{tag}>"), (tag, block[:200])


def resolve(page: str, link: str) -> tuple[str, str]:
    """The page path and anchor a relative link from `page` leads to."""
    target, _, anchor = link.partition("#")
    joined = posixpath.normpath(posixpath.join(url(page), target)) + "/"
    return joined.lstrip("./") if joined != "./" else "", anchor


def test_comparison_page_links_summary_and_highlighting(corpus: Corpus) -> None:
    dingan, anhua = pair_of(corpus)
    page = comparison_page(corpus, dingan, anhua, "zh")
    assert page.startswith("# 定安县 ↔ 安化县")
    assert_blocks_closed(page)
    assert '<del class="qd-del">' in page and '<ins class="qd-ins">' in page
    al = align(dingan, anhua)
    for part, pa in al.parts.items():
        assert f"<td>{len(pa.pairs)}</td><td>{len(pa.only_a)}</td><td>{len(pa.only_b)}</td>" in page, part
    here = paths.comparison(dingan, anhua)
    row_links = re.findall(r'class="qd-compare-ref" href="([^"]+)"', page)
    expected = sum(2 * len(p.pairs) + len(p.only_a) + len(p.only_b) for p in al.parts.values())
    assert len(row_links) == expected
    registers = {url(paths.register(r)): r for r in (dingan, anhua)}
    for link in row_links:
        target, anchor = resolve(here, link)
        assert anchor in registers[target].rows, link
    again = load_corpus(ROOT / "registers")
    assert comparison_page(again, *pair_of(again), "zh") == page


def test_comparison_page_folds_parts_identical_pairs_and_long_one_sided_runs(corpus: Corpus) -> None:
    """Each part is one closed <details> whose summary gives its counts; inside, every pair
    whose texts are identical and every run of FOLD_RUN or more rows of one list sit in a
    fold whose summary says how many rows it holds.  Nothing is dropped."""
    dingan, anhua = pair_of(corpus)
    page = comparison_page(corpus, dingan, anhua, "zh")
    al = align(dingan, anhua)
    parts = re.findall(r'<details class="qd-compare-part">\n<summary>(.*?)</summary>(.*?)\n</div>\n</details>\n', page,
                       re.S)
    assert len(parts) == len([p for p in al.parts.values() if p.entries()]) == 4
    assert " open" not in page.split("<details", 1)[1].split(">", 1)[0]
    for (summary, body), (part, pa) in zip(parts, al.parts.items()):
        assert f"对应 {len(pa.pairs)} · 仅见于定安县 {len(pa.only_a)} · 仅见于安化县 {len(pa.only_b)}" in summary, part
        folds = re.findall(r'<details class="qd-compare-fold qd-compare-fold-(\w[\w-]*)"><summary>(.*?)</summary>\n'
                           r'(.*?)\n</details>', body, re.S)
        same = [pair for pair in pa.pairs if all(op == "equal" for _, _, segs in pair.changes() for op, _ in segs)]
        assert sum(fold.count('class="qd-compare-row') for kind, _, fold in folds if kind == "same") == len(same), part
        for kind, label, fold in folds:
            n = fold.count('class="qd-compare-row')
            assert str(n) in label and (kind == "same" or n >= FOLD_RUN), (part, label)
        assert body.count('class="qd-compare-row') == len(pa.pairs) + len(pa.only_a) + len(pa.only_b), part
    assert sum(len(re.findall("qd-compare-fold-same", body)) for _, body in parts) >= 1
    assert 'data-qd-expand="全部展开" data-qd-collapse="全部折叠"' in page
    assert '<a href="#supervision">事中事后监管制度</a>' in page and "## 事中事后监管制度 {: #supervision }" in page


def test_comparison_page_escapes_register_text(fresh: Corpus) -> None:
    dingan, anhua = pair_of(fresh)
    dingan.duties[0].text = Text("<script>alert(1)</script> | *x* {{ y }}")
    page = comparison_page(fresh, dingan, anhua, "zh")
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; | *x* {{ y }}" in page


def test_english_comparison_page_translated_and_untranslated(fresh: Corpus) -> None:
    dingan, anhua = pair_of(fresh)
    a = next(i for d in dingan.duties for i in d.items if i.id == "duty-07-03")
    b = next(i for d in anhua.duties for i in d.items if i.id == "duty-08-04")
    a.text = Text(a.text.zh, "Guide the building of the public service network.")
    b.text = Text(b.text.zh, "Guide the building of the county public service network.")
    page = comparison_page(fresh, dingan, anhua, "en")
    assert '<ins class="qd-ins">county </ins>' in page
    a.text, b.text = Text(a.text.zh), Text(b.text.zh)
    other = comparison_page(fresh, dingan, anhua, "en")
    assert 'class="qd-untranslated" lang="zh-Hans"' in other and "qd-untranslated-mark" in other


def test_matrix_counts_links_and_scrolling(corpus: Corpus) -> None:
    page = matrix_page(corpus, "zh")
    assert_blocks_closed(page)
    assert 'class="qd-matrix-scroll"' in page
    for county in corpus.counties.values():
        assert f'href="{posixpath.relpath(url(paths.county(county)), url(paths.MATRIX))}/"' in page
    topic = corpus.topics["liudong-renkou"]
    per_county = [sum(1 for r in topic.rows if r.register.county is c) for c in corpus.counties.values()]
    row = next(line for line in page.splitlines() if f'/{topic.id}/">' in line and line.startswith("<tr>"))
    cells = re.findall(r"<td[^>]*>(?:<a [^>]*>)?(\d+)", row)
    assert [int(c) for c in cells] == [*per_county, sum(per_county)]
    css = (ROOT / "overrides/assets/css/qingdan.css").read_text(encoding="utf-8")
    matrix = css[css.index("/* Topic × county matrix"):]
    assert re.search(r"\.qd-matrix-scroll \{[^}]*overflow-x: auto", matrix)
    assert re.search(r"\.qd-matrix th:first-child \{[^}]*position: sticky", matrix)


def test_configured_pairs_and_index(corpus: Corpus) -> None:
    dingan, anhua = pair_of(corpus)
    default = configured_pairs(corpus, {})
    assert [(a.key, b.key) for a, b in default] == [("anhua/renkou-jisheng", "dingan/renkou-jisheng")]
    config = {"extra": {"qingdan": {"compare": [["dingan/renkou-jisheng", "anhua/renkou-jisheng"]]}}}
    assert configured_pairs(corpus, config) == [(dingan, anhua)]
    with pytest.raises(CompareConfigError, match="no/such"):
        configured_pairs(corpus, {"extra": {"qingdan": {"compare": [["dingan/renkou-jisheng", "no/such"]]}}})
    with pytest.raises(CompareConfigError):
        configured_pairs(corpus, {"extra": {"qingdan": {"compare": [["dingan/renkou-jisheng"]]}}})
    index = compare_index_page(corpus, configured_pairs(corpus, config), "zh")
    assert_blocks_closed(index)
    assert f'href="{posixpath.relpath(url(paths.comparison(dingan, anhua)), url(paths.COMPARE))}/"' in index
    assert 'href="matrix/"' in index
    assert "尚未配置" in compare_index_page(corpus, [], "zh")


# --- change log and history ---------------------------------------------------------------------


def test_changelog_newest_first_and_empty(fresh: Corpus) -> None:
    reg = fresh.counties["dingan"].registers[0]
    page = paths.register(reg)
    reg.revisions = []
    assert "尚无调整记录" in changelog_html(reg, page, "zh")
    assert "No revisions recorded" in changelog_html(reg, page, "en")
    reg.revisions = [Revision("2016-03-31", Text("初版 <b>")), Revision("2018-05-01", Text("调整"), "定府〔2018〕1号"),
                     Revision("2016-03-31", Text("同日第二项"))]
    html = changelog_html(reg, page, "zh")
    assert "\n\n" not in html
    assert [m for m in re.findall(r"<td><a [^>]*>([\d-]+)</a>", html)] == ["2018-05-01", "2016-03-31", "2016-03-31"]
    assert html.index("初版") < html.index("同日第二项")
    assert "初版 &lt;b&gt;" in html and "定府〔2018〕1号" in html


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True,
                          env=GIT_ENV).stdout


def test_historic_versions_follow_renames(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q", "-b", "main")
    target = tmp_path / "registers" / "dingan" / "old.yaml"
    target.parent.mkdir(parents=True)
    target.write_text("a: 1\n", encoding="utf-8")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "first")
    target.write_text("a: 2\n", encoding="utf-8")
    git(tmp_path, "commit", "-qam", "second")
    git(tmp_path, "mv", "registers/dingan/old.yaml", "registers/dingan/new.yaml")
    git(tmp_path, "commit", "-qm", "rename")
    versions = historic_versions(tmp_path, Path("registers/dingan/new.yaml"))
    assert [subject for _, _, subject in versions] == ["rename", "second", "first"]
    assert all(re.fullmatch(r"[0-9a-f]{40}", sha) and date == "2020-01-02" for sha, date, _ in versions)
    assert historic_versions(tmp_path / "elsewhere", Path("x.yaml")) == []


# --- version against version ------------------------------------------------------------------


def block(text: str, row_id: str) -> re.Match[str]:
    """The YAML lines of one row: its `- id:` line and everything indented below it."""
    found = re.search(rf"^( *)- id: {re.escape(row_id)}\n(?:\1  .*\n)*", text, flags=re.M)
    assert found, row_id
    return found


def scripted_edit(registers: Path) -> None:
    """One work item's text changed, one work item added, one phone changed, two rows swapped.
    Works on the text whether or not the rows carry English yet."""
    dingan = registers / "dingan" / "renkou-jisheng.yaml"
    text = dingan.read_text(encoding="utf-8")
    assert text.count("对全县人口和计划生育数据信息进行统计。") == 1
    text = text.replace("对全县人口和计划生育数据信息进行统计。", "对全县人口和计划生育数据信息进行汇总统计。")
    last = block(text, "duty-06-03")
    indent = last.group(1)
    added = f"{indent}- id: duty-06-04\n{indent}  text: 编报县级计划生育药具需求计划。\n"
    text = text[: last.end()] + added + text[last.end():]
    first, second = block(text, "duty-13-01"), block(text, "duty-13-02")
    assert first.end() == second.start()
    text = text[: first.start()] + second.group(0) + first.group(0) + text[second.end():]
    dingan.write_text(text, encoding="utf-8")
    anhua = registers / "anhua" / "renkou-jisheng.yaml"
    text = anhua.read_text(encoding="utf-8")
    svc = block(text, "svc-09")
    assert svc.group(0).count('"07377822593"') == 1
    text = text[: svc.start()] + svc.group(0).replace('"07377822593"', '"07377822599"') + text[svc.end():]
    anhua.write_text(text, encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository holding a copy of registers/ and, one commit later, the scripted edit."""
    shutil.copytree(ROOT / "registers", tmp_path / "registers")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "registers as published")
    scripted_edit(tmp_path / "registers")
    git(tmp_path, "commit", "-qam", "scripted edit")
    return tmp_path


def test_version_diff_reports_exactly_the_scripted_edit(repo: Path) -> None:
    vd = version_diff(repo, "HEAD~1", "HEAD", [])
    got = {(r.path, c.id, tuple(c.kinds), tuple(f.key for f in c.fields)) for r in vd.registers for c in r.rows}
    assert got == {
        ("registers/dingan/renkou-jisheng.yaml", "duty-03-02", ("changed",), ("text",)),
        ("registers/dingan/renkou-jisheng.yaml", "duty-06-04", ("added",), ()),
        ("registers/dingan/renkou-jisheng.yaml", "duty-13-01", ("moved",), ()),
        ("registers/dingan/renkou-jisheng.yaml", "duty-13-02", ("moved",), ()),
        ("registers/anhua/renkou-jisheng.yaml", "svc-09", ("changed",), ("phone",)),
    }
    changed = next(c for r in vd.registers for c in r.rows if c.id == "duty-03-02")
    assert changed.fields[0].segments() == [("equal", "对全县人口和计划生育数据信息进行"), ("insert", "汇总"),
                                            ("equal", "统计。")]
    assert vd.compared == 2
    assert_golden("version.md", version_markdown(vd))
    assert version_diff(repo, "HEAD", None, []).registers == []  # clean working tree


def test_version_diff_cli_and_whole_registers(repo: Path, run: Callable[..., Result]) -> None:
    as_json = run("diff", "--base", "HEAD~1", "--head", "HEAD", "--format", "json", cwd=repo)
    assert as_json.exit_code == 0, as_json.output
    payload = json.loads(as_json.stdout)
    assert payload["summary"] == {"compared": 2, "with_changes": 2, "other_files": 0, "added": 1, "removed": 0, "changed": 2,
                                  "moved": 2, "renumbered": 0, "translated": 0}
    limited = run("diff", "--base", "HEAD~1", "--head", "HEAD", "--format", "json", "registers/anhua", cwd=repo)
    assert [r["path"] for r in json.loads(limited.stdout)["registers"]] == ["registers/anhua/renkou-jisheng.yaml"]
    text = run("diff", "--base", "HEAD~1", "--head", "HEAD", cwd=repo)
    assert "{+汇总+}" in text.stdout and "\033[" not in text.stdout
    # whole files: one added, one removed, compared against the working tree
    shutil.copyfile(repo / "registers/dingan/renkou-jisheng.yaml", repo / "registers/dingan/weisheng.yaml")
    (repo / "registers/anhua/renkou-jisheng.yaml").unlink()
    vd = version_diff(repo, "HEAD", None, [])
    assert {(r.path, r.status) for r in vd.registers} == {
        ("registers/dingan/weisheng.yaml", "added"), ("registers/anhua/renkou-jisheng.yaml", "removed")}
    assert "删除 removed" in version_markdown(vd)


def test_version_diff_errors(repo: Path, tmp_path_factory: pytest.TempPathFactory,
                             run: Callable[..., Result]) -> None:
    unknown = run("diff", "--base", "no-such-rev", cwd=repo)
    assert unknown.exit_code == 2 and "找不到版本" in unknown.stderr
    outside = run("diff", "--base", "HEAD", cwd=tmp_path_factory.mktemp("not-a-repo"))
    assert outside.exit_code == 2 and "git" in outside.stderr
    (repo / "registers/dingan/renkou-jisheng.yaml").write_text("duties: [unclosed\n", encoding="utf-8")
    broken = run("diff", "--base", "HEAD", cwd=repo)
    assert broken.exit_code == 1 and "无法读取" in broken.stderr
    for result in (unknown, outside, broken):
        assert isinstance(result.exception, SystemExit)


def register(duties: list[dict[str, object]], services: list[dict[str, str]] | None = None) -> dict[str, object]:
    return {"title": "清单", "duties": {"heading": "一、部门职责", "rows": duties},
            "services": {"heading": "四、公共服务事项", "rows": services or []}}


def kinds(base: dict[str, object], head: dict[str, object]) -> dict[str, list[str]]:
    return {c.id: c.kinds for c in compare_rows(flatten(base), flatten(head))}


def duty(row_id: str, number: str, text: str, items: list[dict[str, str]] | None = None) -> dict[str, object]:
    return {"id": row_id, "number": number, "text": text, "items": items or []}


def test_moves_renumbering_insertions_and_subtrees() -> None:
    a, b, c, d = (duty(f"d{n}", str(n), f"职责{n}") for n in range(1, 5))
    # a swap that also fixes the numbers: both moved and renumbered, not changed
    swapped = [duty("d2", "1", "职责2"), duty("d1", "2", "职责1"), c, d]
    assert kinds(register([a, b, c, d]), register(swapped)) == {"d1": ["moved", "renumbered"],
                                                                "d2": ["moved", "renumbered"]}
    # an insertion does not move the rows after it
    new = duty("d9", "9", "新职责")
    assert kinds(register([a, b, c, d]), register([a, new, b, c, d])) == {"d9": ["added"]}
    # one row taken from the end to the front: only that row moved
    assert kinds(register([a, b, c, d]), register([d, a, b, c])) == {"d4": ["moved"]}
    # an item moved to another duty: moved, with where it stood and stands
    item = {"id": "i1", "text": "事项"}
    before = register([duty("d1", "1", "甲", [item]), duty("d2", "2", "乙")])
    after = register([duty("d1", "1", "甲"), duty("d2", "2", "乙", [item])])
    change = compare_rows(flatten(before), flatten(after))[0]
    assert change.kinds == ["moved"] and change.places is not None
    assert change.places[0].zh.endswith("职责 1 · 第 1 项") and change.places[1].zh.endswith("职责 2 · 第 1 项")
    # an added duty with items is one change holding its items; a removal likewise
    grown = register([a, duty("d5", "5", "新", [{"id": "i5", "text": "新事项"}])])
    changes = compare_rows(flatten(register([a])), flatten(grown))
    assert [(c.id, c.kinds, [r.id for r in c.inside]) for c in changes] == [("d5", ["added"], ["i5"])]
    changes = compare_rows(flatten(grown), flatten(register([a])))
    assert [(c.id, c.kinds, [r.id for r in c.inside]) for c in changes] == [("d5", ["removed"], ["i5"])]
    # a text becoming {zh, en} with the same Chinese is a translation added, not a text change
    translated = register([duty("d1", "1", {"zh": "职责1", "en": "Duty 1"})])  # type: ignore[arg-type]
    fields = compare_rows(flatten(register([a])), flatten(translated))[0].fields
    assert [(f.key, f.before, f.after) for f in fields] == [("text.en", None, "Duty 1")]
    # register-level fields are compared too
    retitled = {**register([a]), "title": "新标题"}
    change = compare_rows(flatten(register([a])), flatten(retitled))[0]
    assert change.id == "" and change.label.zh == "清单信息" and change.fields[0].key == "title"


def test_pull_request_summary_escapes_ids_and_names() -> None:
    """The PR comment is written from the pull request's files, checked or not: an id with a
    backtick or a pipe cannot end its code span or split the table, ~~ does not strike."""
    from generator import diff

    assert diff._code("duty-01") == "`duty-01`"
    assert diff._code("x`|<b>") == r"<code>x\`\|&lt;b&gt;</code>"
    assert diff.md("~~删除~~ 与 http://x") == r"\~\~删除\~\~ 与 http\://x"


# --- review summary for every kind of change ------------------------------------------------------

NEW_REGISTER = """\
department: weisheng
title: 定安县卫生局责任清单
source:
  note: 测试用新清单。
revisions: []
duties:
  heading: 一、部门职责
  rows:
    - id: duty-01
      number: "1"
      text: 负责全县卫生工作 | 含 <b>标记</b>。
      items:
        - id: duty-01-01
          text: 制定卫生规划。
        - id: duty-01-02
          text: 组织实施 `卫生` 规划。
boundaries:
  heading: 二、职责边界
  rows: []
supervision:
  heading: 三、事中事后监管制度
  systems: []
services:
  heading: 四、公共服务事项
  rows:
    - id: svc-01
      number: "1"
      name: 健康咨询
      content: 提供健康咨询。
      agency: 卫生局
      phone: "63822173"
"""


def review_edit(registers: Path) -> None:
    """A register added, a register (and its county) removed, county.yaml and the four shared
    lists edited, and translation-only edits beside one text edit in a seed register."""
    (registers / "dingan" / "weisheng.yaml").write_text(NEW_REGISTER, encoding="utf-8")
    shutil.rmtree(registers / "ceshi")
    county = registers / "dingan" / "county.yaml"
    text = county.read_text(encoding="utf-8")
    assert text.count("aliases: [县计生委, 县人口计生委, 人口计生委]") == 1
    county.write_text(text.replace("aliases: [县计生委, 县人口计生委, 人口计生委]",
                                   "aliases: [县计生委, 县人口计生委, 人口计生委, 县卫计委]"), encoding="utf-8")
    laws = registers / "laws.yaml"
    text = laws.read_text(encoding="utf-8")
    old = "en: Population and Family Planning Law of the People's Republic of China"
    assert text.count(old) == 1
    laws.write_text(text.replace(old, "en: Population and Family Planning Law of the PRC"), encoding="utf-8")
    topics = registers / "topics.yaml"
    topics.write_text(topics.read_text(encoding="utf-8")
                      + "  - id: jiankang\n    name:\n      zh: 健康\n      en: Health\n", encoding="utf-8")
    types = registers / "department-types.yaml"
    text = types.read_text(encoding="utf-8")
    first = re.search(r"^      zh: (.+)$", text, flags=re.M)
    assert first
    types.write_text(text[: first.start(1)] + first.group(1) + "（改）" + text[first.end(1):], encoding="utf-8")
    dingan = registers / "dingan" / "renkou-jisheng.yaml"
    text = dingan.read_text(encoding="utf-8")
    for row_id in ("duty-01-01", "duty-01-02"):
        row = block(text, row_id)
        new = re.sub(r"(\n *en: )(.+)", r"\1\2 (revised)", row.group(0), count=1)
        text = text[: row.start()] + new + text[row.end():]
    text = text.replace("对全县人口和计划生育数据信息进行统计。", "对全县人口和计划生育数据信息进行汇总统计。")
    dingan.write_text(text, encoding="utf-8")


def test_review_summary_for_every_kind_of_change(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "registers", tmp_path / "registers")
    shutil.copytree(ROOT / "tests/fixtures/site/registers/ceshi", tmp_path / "registers" / "ceshi")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "base")
    review_edit(tmp_path / "registers")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "review")
    vd = version_diff(tmp_path, "HEAD~1", "HEAD", [])
    status = {r.path: (r.kind, r.status) for r in vd.registers}
    assert status == {
        "registers/laws.yaml": ("laws", "modified"),
        "registers/topics.yaml": ("topics", "modified"),
        "registers/department-types.yaml": ("department-types", "modified"),
        "registers/ceshi/county.yaml": ("county", "removed"),
        "registers/ceshi/demo.yaml": ("register", "removed"),
        "registers/ceshi/gongan.yaml": ("register", "removed"),
        "registers/dingan/county.yaml": ("county", "modified"),
        "registers/dingan/renkou-jisheng.yaml": ("register", "modified"),
        "registers/dingan/weisheng.yaml": ("register", "added"),
    }
    kinds = {(r.path, c.id): c.kinds for r in vd.registers for c in r.rows}
    assert kinds[("registers/laws.yaml", "renkou-jisheng-fa")] == ["translated"]
    assert kinds[("registers/topics.yaml", "jiankang")] == ["added"]
    assert kinds[("registers/dingan/county.yaml", "renkou-jisheng")] == ["changed"]
    assert kinds[("registers/dingan/renkou-jisheng.yaml", "duty-01-01")] == ["translated"]
    assert kinds[("registers/dingan/renkou-jisheng.yaml", "duty-03-02")] == ["changed"]
    added = next(r for r in vd.registers if r.status == "added")
    assert list(added.listing) == ["", "duty-01", "duty-01-01", "duty-01-02", "svc-01"]
    removed = next(r for r in vd.registers if r.path.endswith("demo.yaml"))
    assert "sup-01-01-01-01" in removed.listing
    markdown = version_markdown(vd)
    assert markdown.count("<details>") == markdown.count("</details>") == 2 + 4 + 3 + 1  # new, demo, gongan (no boundaries), county
    assert "<b>" not in markdown and "&lt;b&gt;" in markdown  # register text is data
    assert markdown.count("#### 仅翻译 translation only") == 2
    assert_golden("review.md", markdown)


def test_version_diff_of_v2_shapes() -> None:
    """Schema v2 in the version diff: unnumbered rows are placed by position, a part that
    becomes absent shows its reason and its removed rows, extra column values are diffed
    under the column's own name."""
    from generator.align import field_name

    plain = {"id": "s1", "name": "户口迁移", "extra": {"办理依据": "《户口登记条例》"}}
    base = register([{"id": "d1", "text": "职责甲"}, {"id": "d2", "text": "职责乙"}], [plain])
    head = {**register([{"id": "d1", "text": "职责甲"}, {"id": "d2", "text": "职责乙改"}],
                       [{**plain, "extra": {"办理依据": "《户口登记条例》第十条"}}]),
            "boundaries": {"absent": {"reason": "原文未公布本部分"}}}
    changes = {c.id: c for c in compare_rows(flatten(base), flatten(head))}
    assert changes["d2"].kinds == ["changed"] and changes["d2"].label.zh == "部门职责 › 职责 2"
    extra = changes["s1"].fields[0]
    assert (extra.key, extra.before, extra.after) == ("extra.办理依据", "《户口登记条例》", "《户口登记条例》第十条")
    assert field_name(extra.key).zh == "办理依据"
    absent = changes[""].fields[0]
    assert absent.key == "boundaries.absent.reason" and absent.after == "原文未公布本部分"
    assert field_name(absent.key).zh == "职责边界 · 本部分为“无” · 原因"
    emptied = {**base, "services": {"heading": "四、公共服务事项", "absent": {"reason": "无"}}}
    removed = {c.id: c.kinds for c in compare_rows(flatten(base), flatten(emptied))}
    assert removed == {"s1": ["removed"], "": ["changed"]}


def test_county_diff_of_v2_registers_shows_extra_columns() -> None:
    """County against county with the fixture's v2 register: unnumbered rows are labelled by
    position, services missing a column compare with an empty text, extra columns are shown."""
    corpus = load_corpus(ROOT / "tests/fixtures/site/registers")
    demo, gongan = (next(r for r in corpus.registers if r.slug == s) for s in ("demo", "gongan"))
    alignment = align(demo, gongan)
    units = [u for pa in alignment.parts.values() for u in pa.only_b] + [p.b for pa in alignment.parts.values()
                                                                         for p in pa.pairs]
    labels = {u.row.id: u.label.zh for u in units}
    assert labels["duty-02"] == "职责 2" and labels["sup-01"] == "制度 1"
    fields = {u.row.id: dict(u.fields) for u in units}
    assert fields["svc-01"]["extra.办理依据"].zh == "《测试条例》第五条"
    assert fields["svc-02"]["content"].zh == ""
    for pa in alignment.parts.values():
        for pair in pa.pairs:
            pair.changes()  # fields missing on one side compare with an empty text
    out = county_markdown(alignment)
    assert "`svc-01`: 户口迁移 / 办理户口迁入、迁出。 / 公共服务 / 《测试条例》第五条" in out
    assert "`svc-02`: 居民身份证办理 / 行政确认" in out
