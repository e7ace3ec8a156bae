"""Atomic publish (generator/atomic.py): killed at any point, the site is the old one or the
new one, whole; leftovers are removed by the next build; a full disk while docs/ is written
leaves the old docs/ and no half-written page.

The kills are real: the `QINGDAN_FAULT=publish-site:N` hook sends SIGKILL to the process at the
N-th fault point of the publish step (each step of the swap and every folder of the old
tree removed afterwards), chosen at random with a fixed seed.
"""
from __future__ import annotations

import errno
import os
import random
import shutil
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, build_copy, project_copy
from generator import atomic
from generator.build import BuildError, generate
from test_hostile import tree

FIXTURE = ROOT / "tests" / "fixtures" / "site" / "registers"
SEED = 20261206
KILLS = 20


def run_python(code: str, cwd: Path, fault: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QINGDAN_FAULT": fault}
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def old_site(new: Path, target: Path) -> Path:
    """An older edition of `new`: one page changed, one removed, one that the new site lacks."""
    shutil.copytree(new, target, symlinks=True)
    (target / "index.html").write_text("the old home page", encoding="utf-8")
    shutil.rmtree(target / "ceshi")
    (target / "only-in-the-old-site.html").write_text("old", encoding="utf-8")
    return target


def test_kill_at_random_points_of_the_publish_step_leaves_a_whole_site(fixture_site: Path, tmp_path: Path) -> None:
    old_reference = old_site(fixture_site, tmp_path / "old-reference")
    editions = {"old": tree(old_reference), "new": tree(fixture_site)}
    assert editions["old"] != editions["new"]
    folders = sum(1 for p in old_reference.rglob("*") if p.is_dir() and not p.is_symlink()) + 1
    points = 2 + folders  # before the exchange, after it, then one per folder of the old tree removed
    rng = random.Random(SEED)
    seen = set()
    for attempt in range(KILLS):
        project = tmp_path / f"project-{attempt}"
        project.mkdir()
        shutil.copytree(old_reference, project / "site", symlinks=True)
        staging = atomic.staging_dir(project / "site")
        shutil.copytree(fixture_site, staging, symlinks=True, dirs_exist_ok=True)
        # a third of the kills just before the exchange, the rest at any later point
        point = 1 if rng.random() < 1 / 3 else rng.randint(2, points)
        proc = run_python(f"from pathlib import Path; from generator import atomic; "
                          f"atomic.swap_in(Path({str(staging)!r}), Path('site'))", project, f"publish-site:{point}")
        assert proc.returncode == -signal.SIGKILL, (point, proc.stderr)
        now = tree(project / "site")
        edition = next((name for name, files in editions.items() if files == now), None)
        assert edition, f"killed at point {point}: site/ is neither the old nor the new site"
        seen.add(edition)
        atomic.recover(project / "site")  # what the next build does first
        assert tree(project / "site") == now
        assert not list(project.glob(".site-*")), "leftovers survived the next build"
    assert seen == {"old", "new"}, "the random points should hit both sides of the exchange"


def test_killed_build_keeps_the_old_site_and_the_next_build_cleans_up(tmp_path: Path) -> None:
    root = build_copy(tmp_path / "project", FIXTURE, pdf=False)
    before = tree(root / "site")
    register = root / "registers" / "ceshi" / "demo.yaml"
    register.write_text(register.read_text(encoding="utf-8").replace("首次公布。", "首次公布（修订）。"), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QINGDAN_FAULT": "publish-site:1"}
    killed = subprocess.run([sys.executable, "-m", "generator", "build", "--no-pdf"], cwd=root, env=env,
                            capture_output=True, text=True, timeout=600)
    assert killed.returncode == -signal.SIGKILL
    assert tree(root / "site") == before
    assert list(root.glob(".site-*")), "the killed build's staging folder should be left for the next build"
    env.pop("QINGDAN_FAULT")
    again = subprocess.run([sys.executable, "-m", "generator", "build", "--no-pdf"], cwd=root, env=env,
                           capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    assert not list(root.glob(".site-*")) and not list(root.glob(".docs-*"))
    assert "首次公布（修订）" in (root / "site" / "ceshi" / "demo" / "index.html").read_text(encoding="utf-8")
    mode = stat.S_IMODE((root / "site").stat().st_mode)
    assert mode & 0o055 == 0o055 & ~current_umask(), oct(mode)  # readable by a web server, not mkdtemp's 0700


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_exchange_swaps_two_folders_in_one_step(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "x").write_text("a", encoding="utf-8")
    (b / "x").write_text("b", encoding="utf-8")
    if not atomic._exchange(a, b):
        pytest.skip("renameat2(RENAME_EXCHANGE) is not available here; the two-rename fallback is used")
    assert (a / "x").read_text(encoding="utf-8") == "b" and (b / "x").read_text(encoding="utf-8") == "a"


def test_two_rename_fallback_is_restored_after_a_kill_between_the_renames(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the kernel cannot exchange, a kill between the two renames leaves no site/ for a
    moment; the next build puts the old site back before anything else."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("old", encoding="utf-8")
    staging = atomic.staging_dir(site)
    (staging / "index.html").write_text("new", encoding="utf-8")
    monkeypatch.setattr(atomic, "_exchange", lambda a, b: False)
    monkeypatch.setenv("QINGDAN_FAULT", "publish-site:2:crash")
    atomic._passes.clear()
    with pytest.raises(RuntimeError):
        atomic.swap_in(staging, site)
    assert not site.exists()
    atomic.recover(site)
    assert (site / "index.html").read_text(encoding="utf-8") == "old"
    assert not list(tmp_path.glob(".site-*"))


def test_disk_full_while_writing_docs_leaves_the_old_docs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The writer's own fault point raises ENOSPC at the third page (the same `except` path a
    real full disk takes; the tmpfs test below fills a real file system where it can)."""
    root = project_copy(tmp_path / "project", FIXTURE)
    generate(root, parallel=False)
    before = tree(root / "docs")
    county = root / "registers" / "ceshi" / "county.yaml"
    county.write_text(county.read_text(encoding="utf-8").replace("zh: 测试县\n", "zh: 测试新县\n"), encoding="utf-8")
    monkeypatch.setenv("QINGDAN_FAULT", "write:3:enospc")
    atomic._passes.clear()
    with pytest.raises(BuildError) as failure:
        generate(root, parallel=False)
    assert "write-failed" in str(failure.value)
    assert tree(root / "docs") == before
    assert not list(root.glob(".docs-*"))


@pytest.fixture
def small_disk(tmp_path: Path) -> Path:
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=32m", "tmpfs", str(mount)],
                                           capture_output=True).returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    yield mount
    subprocess.run(["umount", str(mount)], check=True)


def test_a_really_full_disk_while_writing_docs(small_disk: Path) -> None:
    root = project_copy(small_disk / "project", FIXTURE)
    generate(root, parallel=False)
    before = tree(root / "docs")
    county = root / "registers" / "ceshi" / "county.yaml"
    county.write_text(county.read_text(encoding="utf-8").replace("zh: 测试县\n", "zh: 测试新县\n"), encoding="utf-8")
    used = shutil.disk_usage(small_disk).used
    subprocess.run(["mount", "-o", f"remount,size={used + 64 * 1024}", str(small_disk)], check=True)
    with pytest.raises(BuildError) as failure:
        generate(root, parallel=False)
    assert "write-failed" in str(failure.value) and os.strerror(errno.ENOSPC) in str(failure.value)
    assert tree(root / "docs") == before
    assert not list(root.glob(".docs-*"))


def test_new_files_get_the_usual_permissions(tmp_path: Path) -> None:
    target = tmp_path / "draft.yaml"
    atomic.write_file(target, b"x: y\n")
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~current_umask()


def test_a_second_build_at_the_same_time_is_refused(tmp_path: Path) -> None:
    root = project_copy(tmp_path / "project", FIXTURE)
    with atomic.locked(root):
        other = subprocess.run([sys.executable, "-m", "generator", "build", "--no-pdf"], cwd=root,
                               env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=300)
    assert other.returncode == 1 and "[build-busy]" in other.stderr and "Traceback" not in other.stderr
