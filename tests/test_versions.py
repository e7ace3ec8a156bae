"""Point-in-time pages: every committed version of a register can be read as it stood."""
from __future__ import annotations

import subprocess
from pathlib import Path

from conftest import ROOT, docs_tree, full_generation, project_copy
from generator.build import generate
from generator.incremental import Workspace


def git(root: Path, *args: str) -> str:
    env_args = ["-c", "user.name=Test", "-c", "user.email=test@example.org", "-c", "commit.gpgsign=false"]
    return subprocess.run(["git", *env_args, *args], cwd=root, check=True, capture_output=True, text=True).stdout


def test_each_commit_of_a_register_gets_a_page(tmp_path: Path) -> None:
    root = project_copy(tmp_path / "project", ROOT / "tests/fixtures/site/registers")
    git(root, "init", "-q")
    git(root, "add", "registers")
    git(root, "commit", "-q", "-m", "首次公布")
    register = root / "registers" / "ceshi" / "demo.yaml"
    register.write_text(register.read_text(encoding="utf-8").replace("其他方式。", "其他监督方式。"), encoding="utf-8")
    git(root, "commit", "-q", "-am", "调整监督方式")
    first, second = git(root, "log", "--format=%H").split()[::-1]

    generate(root)

    old = (root / "docs/zh/ceshi/demo/versions" / f"{first[:12]}.md").read_text(encoding="utf-8")
    new = (root / "docs/zh/ceshi/demo/versions" / f"{second[:12]}.md").read_text(encoding="utf-8")
    assert "其他方式。" in old and "其他监督方式。" not in old
    assert "其他监督方式。" in new
    assert "历史版本" in old and "首次公布" in old and "search:\n  exclude: true" in old
    current = (root / "docs/zh/ceshi/demo.md").read_text(encoding="utf-8")
    assert f"versions/{first[:12]}/" in current and f"versions/{second[:12]}/" in current
    assert current.count("与现行版本相同") == 1
    english = (root / "docs/en/ceshi/demo/versions" / f"{first[:12]}.md").read_text(encoding="utf-8")
    assert "Earlier version" in english


def test_a_commit_that_breaks_the_schema_gets_no_page(tmp_path: Path) -> None:
    """History is unchecked input (an intermediate commit of a merged branch): a version
    whose file the schema rejects — here an id that would break out of its attribute — is
    left out rather than printed."""
    root = project_copy(tmp_path / "project", ROOT / "tests/fixtures/site/registers")
    git(root, "init", "-q")
    register = root / "registers" / "ceshi" / "demo.yaml"
    good = register.read_text(encoding="utf-8")
    register.write_text(good.replace("- id: duty-01-01", "- id: 'x\"><img src=x onerror=alert(1)>'"), encoding="utf-8")
    git(root, "add", "registers")
    git(root, "commit", "-q", "-m", "未经检查的中间提交")
    register.write_text(good, encoding="utf-8")
    git(root, "commit", "-q", "-am", "修正")
    bad, fixed = git(root, "log", "--format=%H").split()[::-1]

    generate(root)

    versions = root / "docs/zh/ceshi/demo/versions"
    assert sorted(p.name for p in versions.glob("*.md")) == [f"{fixed[:12]}.md"]
    assert not any("onerror" in p.read_text(encoding="utf-8") for p in (root / "docs").rglob("*.md"))
    assert bad[:12] not in (root / "docs/zh/ceshi/demo.md").read_text(encoding="utf-8")


def test_no_versions_outside_a_git_checkout(tmp_path: Path) -> None:
    root = project_copy(tmp_path / "project", ROOT / "tests/fixtures/site/registers")
    generate(root)
    assert not (root / "docs/zh/ceshi/demo/versions").exists()


def test_incremental_edits_and_commits_keep_the_version_pages_right(tmp_path: Path) -> None:
    """Under `qingdan serve`: an uncommitted edit updates the "same as current" marks, a commit
    adds a version page (a full generation); both equal what a fresh generation writes."""
    root = project_copy(tmp_path / "project", ROOT / "tests/fixtures/site/registers")
    git(root, "init", "-q")
    git(root, "add", "registers")
    git(root, "commit", "-q", "-m", "首次公布")
    workspace = Workspace(root)
    workspace.update()
    register = root / "registers" / "ceshi" / "demo.yaml"
    register.write_text(register.read_text(encoding="utf-8").replace("其他方式。", "其他监督方式。"), encoding="utf-8")
    update = workspace.update()
    assert not update.full and "ceshi/demo.md" in update.pages
    assert "与现行版本相同" not in (root / "docs/zh/ceshi/demo.md").read_text(encoding="utf-8")
    assert docs_tree(root / "docs") == full_generation(root)
    git(root, "commit", "-q", "-am", "调整监督方式")
    assert workspace.update().full
    assert len(list((root / "docs/zh/ceshi/demo/versions").glob("*.md"))) == 2
    assert docs_tree(root / "docs") == full_generation(root)
