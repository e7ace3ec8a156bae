"""The incremental build (generator/incremental.py) writes exactly what a full generation writes.

One workspace over a copy of the real registers takes a series of edits, each touching a
different thing a site-wide page shows (topic tags, citations, law mentions, divisions,
services, titles, counts); after each, docs/ must equal a fresh full generation, and only
the edited register's pages and the pages showing the edit may have been rendered.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from generator import build, paths
from generator.incremental import Workspace
from tests.conftest import ROOT, docs_tree, full_generation, project_copy

pytestmark = pytest.mark.xdist_group("incremental")

DINGAN = "registers/dingan/renkou-jisheng.yaml"
ANHUA = "registers/anhua/renkou-jisheng.yaml"


def replace(old: str, new: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, 1)
    return edit


EDITS: list[tuple[str, str, Callable[[str], str], set[str]]] = [
    # (name, file, edit, pages that must be among those rendered besides the register's own)
    ("item text", DINGAN, replace("zh: 制定全县人口和计划生育工作目标管理责任制。", "zh: 制定全县人口和计划生育工作目标管理责任制（已修订）。"), set()),
    ("duty text", DINGAN, replace("zh: 负责全县人口和计划生育目标管理，组织实施目标的考核评估，稳定低生育水平。",
                                  "zh: 负责全县人口和计划生育目标管理与考核评估，稳定低生育水平。"), {"dingan/pinyin.md"}),
    ("topic added", DINGAN, replace("topics: [mubiao-kaohe]", "topics: [mubiao-kaohe, liangfei]"),
     {"topics/liangfei.md", "dingan/topics.md", paths.TOPICS, paths.MATRIX}),
    ("topic replaced", DINGAN, replace("topics: [zhengce-guihua]", "topics: [qita]"),
     {"topics/zhengce-guihua.md", "topics/qita.md", "dingan/topics.md"}),
    ("division text", DINGAN, replace("zh: 主要负责宣传报道工作。", "zh: 主要负责宣传报道和舆论引导工作。"),
     {"dingan/departments/wenti.md"}),
    ("article dropped", DINGAN, replace('articles: ["39", "55"]', 'articles: ["39"]'), {"dingan/laws.md"}),
    ("law mentioned", DINGAN, replace("zh: 制定全县人口和计划生育工作目标管理责任制（已修订）。",
                                      "zh: 依照《收养法》制定全县人口和计划生育工作目标管理责任制。"), {paths.LAWS, "dingan/laws.md"}),
    ("phone", DINGAN, replace('phone: "63822173"', 'phone: "63822174"'), {"dingan/services.md"}),
    ("title", ANHUA, replace("zh: 安化县", "zh: 湖南省安化县"), {"anhua/index.md"}),
    ("division removed", DINGAN, lambda text: text.replace(
        text[text.index("        - id: matter-01-yaojian\n"):text.index("        - id: matter-01-fulian\n")], "", 1),
     {"dingan/departments/yaojian.md", "anhua/departments/yaojian.md", "departments/yaojian.md", paths.DEPARTMENTS}),
    ("item removed", DINGAN, lambda text: text.replace(
        text[text.index("        - id: duty-01-03\n"):text.index("    - id: duty-02\n")], "", 1), {"dingan/index.md"}),
    # schema v2 shapes
    ("phone in words", DINGAN, replace('phone: "63822174"', "phone: 详见县政务服务中心窗口公示"), {"dingan/services.md"}),
    ("services absent", DINGAN, lambda text: text[:text.index("\nservices:\n")] + (
        "\nservices:\n  heading: 四、公共服务事项\n  absent:\n    reason: 无\n"),
     {"dingan/services.md", paths.SERVICES, "dingan/index.md"}),
]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    root = project_copy(tmp_path_factory.mktemp("incremental"), ROOT / "registers")
    ws = Workspace(root)
    assert ws.update().full
    return ws


def test_edits_match_a_full_generation(workspace: Workspace) -> None:
    root = workspace.root
    total = len(workspace.pages) * 2
    for name, file, edit, expected in EDITS:
        path = root / file
        path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
        update = workspace.update()
        assert not update.full, name
        assert update.changed == [file], name
        assert 2 <= update.rendered < total / 4, (name, update.rendered, total)
        assert docs_tree(root / "docs") == full_generation(root), name
        rendered = set(update.pages)
        for page in expected | {paths.register(next(r for r in workspace.corpus.registers if r.path == path))}:
            assert page in rendered, (name, page)


def test_item_edit_renders_only_its_pages(workspace: Workspace) -> None:
    """Editing one work item's text re-renders its register page and the comparisons
    that show that register, nothing site-wide."""
    path = workspace.root / ANHUA
    text = path.read_text(encoding="utf-8")
    item = next(line for line in text.splitlines() if line.startswith("            zh: ") and "。" in line)
    path.write_text(text.replace(item, item.replace("。", "（修订）。", 1), 1), encoding="utf-8")
    update = workspace.update()
    register = paths.register(next(r for r in workspace.corpus.registers if r.path == path))
    comparisons = {paths.comparison(a, b) for a, b in build.comparison_pairs(workspace.corpus, workspace.config)}
    assert comparisons and set(update.pages) <= {register, paths.COMPARE, *comparisons}
    assert update.written <= 6 and not update.removed
    assert docs_tree(workspace.root / "docs") == full_generation(workspace.root)


def test_invalid_edit_keeps_the_pages(workspace: Workspace) -> None:
    path = workspace.root / DINGAN
    good = path.read_text(encoding="utf-8")
    before = docs_tree(workspace.root / "docs")
    path.write_text(good.replace("topics: [liudong-renkou]", "topics: [no-such-topic]", 1), encoding="utf-8")
    with pytest.raises(build.BuildError):
        workspace.update()
    assert docs_tree(workspace.root / "docs") == before
    path.write_text(good.replace("topics: [liudong-renkou]", "topics: [liudong-renkou, qita]", 1), encoding="utf-8")
    assert not workspace.update().full
    assert docs_tree(workspace.root / "docs") == full_generation(workspace.root)


def test_shared_or_county_edit_regenerates_everything(workspace: Workspace) -> None:
    path = workspace.root / "registers/dingan/county.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("aliases: [县卫生局]", "aliases: [县卫生局, 卫生局]", 1),
                    encoding="utf-8")
    update = workspace.update()
    assert update.full and update.written >= 2
    assert docs_tree(workspace.root / "docs") == full_generation(workspace.root)
    assert workspace.update().rendered == 0


def test_department_change_makes_and_breaks_default_pairs(tmp_path: Path) -> None:
    """Without configured pairs every two registers of one department type are compared: moving
    a register to another department drops its comparison and the county pages that list it."""
    root = project_copy(tmp_path / "project", ROOT / "registers")
    config = root / "mkdocs.yml"
    config.write_text(re.sub(r"\n    compare:\n(      - .*\n)+", "\n", config.read_text(encoding="utf-8")), encoding="utf-8")
    ws = Workspace(root)
    ws.update()
    comparison = root / "docs/zh/compare/anhua-dingan-renkou-jisheng.md"  # default pairs go by key order
    assert comparison.exists()
    dingan, anhua = root / DINGAN, root / ANHUA
    dingan.write_text(dingan.read_text(encoding="utf-8").replace("department: renkou-jisheng\n", "department: weisheng\n", 1),
                      encoding="utf-8")
    anhua.write_text(replace("topics: [liudong-renkou]", "topics: [liudong-renkou, qita]")(anhua.read_text(encoding="utf-8")),
                     encoding="utf-8")
    update = ws.update()
    assert not update.full and update.changed == [ANHUA, DINGAN]
    assert {"compare/index.md", "dingan/index.md", "anhua/index.md"} <= set(update.pages)
    assert not comparison.exists()
    assert docs_tree(root / "docs") == full_generation(root)
