"""The hostile corpus: every case in tests/hostile/ runs the real `qingdan` command (the
same click group a user runs, in this process to spare the interpreter start) on a scratch
project and states what must happen (tests/hostile/README.md describes the format).

Two rules hold for every case whatever it states: no traceback reaches the user, and no
published page or register text is lost or replaced (registers/ is byte-identical after
the command unless the case is a `fmt` that may rewrite; a failed build leaves the site
and docs/ that were there before).
"""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from conftest import ROOT, project_copy
from generator import atomic
from generator.cli import main

CASES = sorted((ROOT / "tests" / "hostile").glob("*.yaml"))
FIXTURE = ROOT / "tests" / "fixtures" / "site" / "registers"
SENTINEL = "<!-- the site that was published before this command -->"


def load_case(path: Path) -> dict[str, Any]:
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert {"about", "run", "expect"} <= set(case), f"{path.name}: about, run and expect are required"
    assert "exit" in case["expect"], f"{path.name}: the expected exit code is required"
    return case


def tree(path: Path) -> dict[str, bytes]:
    """Every file below `path` (symbolic links as their target's name), for before/after."""
    if not path.exists():
        return {}
    out = {}
    for p in sorted(path.rglob("*")):
        rel = p.relative_to(path).as_posix()
        if p.is_symlink():
            out[rel] = b"-> " + os.fsencode(os.readlink(p))
        elif p.is_file():
            out[rel] = hashlib.sha256(p.read_bytes()).digest()
    return out


def apply(root: Path, step: dict[str, Any], mounts: list[Path]) -> None:
    """One setup step (README.md lists them)."""
    (op, arg), = step.items()
    if op == "readonly":
        readonly(root / arg, mounts)
        return
    if op == "remove":
        target = root / arg
        shutil.rmtree(target) if target.is_dir() and not target.is_symlink() else target.unlink()
        return
    if op == "mkdir":
        (root / arg).mkdir(parents=True, exist_ok=True)
        return
    path = root / arg["path"]
    path.parent.mkdir(parents=True, exist_ok=True)
    if op == "copy":
        shutil.copyfile(root / arg["from"], path)
    elif op == "text":
        path.write_bytes(arg["text"].encode("utf-8", "surrogatepass"))
    elif op == "hex":
        path.write_bytes(bytes.fromhex(arg["hex"]))
    elif op == "repeat":
        body = arg.get("head", "") + arg["unit"] * arg["count"] + arg.get("tail", "")
        path.write_text(body, encoding="utf-8")
    elif op == "replace":
        text = path.read_text(encoding="utf-8")
        assert arg["old"] in text, f"setup: {arg['old']!r} not in {arg['path']}"
        path.write_text(text.replace(arg["old"], arg["new"], 1), encoding="utf-8")
    elif op == "symlink":
        os.symlink(arg["target"], path)
    else:  # pragma: no cover - a typo in a case
        raise AssertionError(f"unknown setup step {op}")


def readonly(path: Path, mounts: list[Path]) -> None:
    """A read-only checkout: a read-only bind mount where we may mount (root ignores file
    modes), file modes otherwise."""
    if os.geteuid() != 0:
        for p in [path, *path.rglob("*")]:
            p.chmod(p.stat().st_mode & ~0o222)
        return
    bind = subprocess.run(["mount", "--bind", str(path), str(path)], capture_output=True)
    if bind.returncode != 0:
        pytest.skip("cannot make a read-only checkout here (no mount permission as root)")
    mounts.append(path)
    remount = subprocess.run(["mount", "-o", "remount,bind,ro", str(path)], capture_output=True)
    assert remount.returncode == 0, remount.stderr


@pytest.fixture
def mounts() -> Iterator[list[Path]]:
    held: list[Path] = []
    yield held
    for path in reversed(held):
        subprocess.run(["umount", str(path)], check=True)


def published_site(root: Path) -> None:
    """What a previous build left: a site and docs/ the failed command must not touch."""
    (root / "site" / "ceshi").mkdir(parents=True)
    (root / "site" / "index.html").write_text(SENTINEL, encoding="utf-8")
    (root / "site" / "ceshi" / "index.html").write_text(SENTINEL, encoding="utf-8")
    (root / "docs" / "zh").mkdir(parents=True)
    (root / "docs" / "zh" / "index.md").write_text(SENTINEL, encoding="utf-8")


def located(output: str, expected: str) -> bool:
    """`code@path:line`: a line of the output names the code and the place."""
    code, place = expected.split("@")
    return any(f"[{code}]" in line and place + ":" in line for line in output.splitlines())


@pytest.mark.parametrize("case_file", CASES, ids=[c.stem for c in CASES])
def test_hostile_case(case_file: Path, tmp_path: Path, mounts: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    case = load_case(case_file)
    root = tmp_path / "project"
    if case.get("project", "fixture") == "fixture":
        project_copy(root, FIXTURE)
    else:
        root.mkdir()
    if case.get("site") == "published":
        published_site(root)
    for step in case.get("setup", []):
        apply(root, step, mounts)
    registers, site, docs = tree(root / "registers"), tree(root / "site"), tree(root / "docs")
    monkeypatch.chdir(root)
    monkeypatch.delenv("QINGDAN_DEBUG", raising=False)
    for key, value in case.get("env", {}).items():
        monkeypatch.setenv(key, value)
    atomic._passes.clear()
    result = CliRunner().invoke(main, case["run"], prog_name="qingdan")
    output = result.output
    expect = case["expect"]
    assert "Traceback" not in output, output[-3000:]
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == expect["exit"], output[-3000:]
    for item in expect.get("findings", []):
        assert located(output, item), f"{item} not in:\n{output[-3000:]}"
    for text in expect.get("output", []):
        assert text in output, f"{text!r} not in:\n{output[-3000:]}"
    for text in expect.get("absent", []):
        assert text not in output, f"{text!r} in:\n{output[-3000:]}"
    if expect.get("escaped", False):
        assert not re.search("[\u202a-\u202e\u2066-\u2069\u200b\x00-\x08\x0b-\x1f\x7f-\x9f]", output), output
    if case["run"][0] != "fmt" or expect["exit"] != 0:
        assert tree(root / "registers") == registers, "register text changed"
    if case.get("site") == "published":
        if expect["exit"] == 0:
            assert SENTINEL not in (root / "site" / "index.html").read_text(encoding="utf-8")
        else:
            assert tree(root / "site") == site, "the published site changed"
            if expect.get("docs") != "regenerated":  # a failure after generation has a whole new docs/
                assert tree(root / "docs") == docs, "docs/ changed"
    for pattern in expect.get("site_has", []):
        page, text = pattern.split(" :: ", 1)
        assert text in (root / "site" / page).read_text(encoding="utf-8"), pattern
    for pattern in expect.get("site_lacks", []):
        page, text = pattern.split(" :: ", 1)
        assert text not in (root / "site" / page).read_text(encoding="utf-8"), pattern
    for name in expect.get("gone", []):
        assert not list(root.glob(name)), f"{name} left behind"


def test_corpus_is_large_enough_and_covers_every_command() -> None:
    cases = [load_case(c) for c in CASES]
    assert len(cases) >= 61
    commands = {c["run"][0] for c in cases}
    assert {"check", "build", "fmt", "diff", "serve", "export", "import", "pdf"} <= commands
