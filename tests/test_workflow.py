"""The pull-request path: CI workflow, pre-commit hooks, editor settings and the guide name real,
working commands, and CI runs the commands the tests and the Makefile run."""
from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from generator import paths
from generator.cli import main
from generator.errors import CATALOGUE
from generator.load import kind_of, load_text
from generator.validate import SCHEMA_FOR_KIND

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / ".github" / "workflows" / "pr.yml"
HOOKS = ROOT / ".pre-commit-hooks.yaml"
PRE_COMMIT_SAMPLE = ROOT / ".pre-commit-config.example.yaml"
GUIDE = ROOT / "CONTRIBUTING.md"
SHELL_OPERATORS = {">", "2>", ">>", "|", "||", "&&", ";", "then"}


def workflow() -> dict[str, Any]:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    data["on"] = data.pop(True)  # YAML 1.1 reads the key `on` as the boolean true
    return data


def steps() -> Iterator[dict[str, Any]]:
    for job in workflow()["jobs"].values():
        yield from job["steps"]


def workflow_script() -> str:
    return "\n".join(step["run"] for step in steps() if "run" in step)


def qingdan_commands(script: str) -> list[list[str]]:
    """Arguments after each `qingdan` (or `.venv/bin/qingdan`) in shell lines, up to a redirection."""
    found = []
    for line in script.splitlines():
        words = shlex.split(line, comments=True)
        for i, word in enumerate(words):
            if PurePosixPath(word).name == "qingdan":
                args = []
                for arg in words[i + 1:]:
                    if arg in SHELL_OPERATORS:
                        break
                    args.append(arg.rstrip(";"))
                    if arg.endswith(";"):
                        break
                found.append(args)
    return found


def make_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([A-Za-z][\w-]*)\s*:(?!=)", text, flags=re.M))


def hooks() -> list[dict[str, Any]]:
    return yaml.safe_load(HOOKS.read_text(encoding="utf-8"))


def guide_prose() -> str:
    """The guide without its fenced code blocks (samples of output are not instructions)."""
    return re.sub(r"^```.*?^```", "", GUIDE.read_text(encoding="utf-8"), flags=re.M | re.S)


def guide_blocks(language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", GUIDE.read_text(encoding="utf-8"), flags=re.M | re.S)


# --- the workflow -------------------------------------------------------------------


def test_workflow_is_valid_and_runs_on_pull_requests() -> None:
    assert "pull_request" in workflow()["on"]
    schema = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
                             str(WORKFLOW)], capture_output=True, text=True)
    assert schema.returncode == 0, schema.stdout + schema.stderr


def test_every_job_uses_python_3_11_and_full_history() -> None:
    for name, job in workflow()["jobs"].items():
        assert str(job["container"]).startswith("python:3.11"), name
        checkouts = [s for s in job["steps"] if str(s.get("uses", "")).startswith("actions/checkout@")]
        assert checkouts and all(s["with"]["fetch-depth"] == 0 for s in checkouts), name


def test_workflow_runs_the_expected_commands() -> None:
    assert qingdan_commands(workflow_script()) == [
        ["check", "--format", "github", "registers"],
        ["fmt", "--check", "registers"],
        ["diff", "--base", "origin/$BASE_REF", "--format", "markdown", "registers"],
    ]
    makes = re.findall(r"\bmake (\w+)", workflow_script())
    assert makes == ["deps", "site", "test"]
    assert '"$GITHUB_STEP_SUMMARY"' in workflow_script()
    assert workflow()["jobs"]["review"]["env"]["BASE_REF"] == "${{ github.base_ref }}"


def test_change_summary_is_one_sticky_comment() -> None:
    comment = next(s for s in steps() if str(s.get("uses", "")).startswith("actions/github-script@"))
    script = comment["with"]["script"]
    assert "<!-- qingdan-change-summary -->" in script
    assert "updateComment" in script and "createComment" in script and "change-summary.md" in script
    assert workflow()["jobs"]["review"]["permissions"]["pull-requests"] == "write"


def test_site_preview_is_uploaded() -> None:
    upload = next(s for s in steps() if str(s.get("uses", "")).startswith("actions/upload-artifact@")
                  and s["with"]["path"] == "site/")
    assert upload["with"]["if-no-files-found"] == "error"


def test_every_named_make_target_exists() -> None:
    named = set(re.findall(r"\bmake (\w+)", workflow_script() + guide_prose()))
    assert named and named <= make_targets()


def test_ci_entry_point_and_workflow_run_the_same_test_target() -> None:
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in workflow_script()


# --- every named qingdan command exists and works as written ------------------------


def test_every_named_subcommand_exists() -> None:
    named = {args[0] for args in qingdan_commands(workflow_script())}
    named |= {args[0] for hook in hooks() for args in qingdan_commands(hook["entry"])}
    sample = yaml.safe_load(PRE_COMMIT_SAMPLE.read_text(encoding="utf-8"))
    named |= {args[0] for repo in sample["repos"] for hook in repo["hooks"] for args in qingdan_commands(hook["entry"])}
    named |= set(re.findall(r"qingdan ([a-z]+)", GUIDE.read_text(encoding="utf-8")))
    assert {"check", "fmt", "diff", "serve", "import"} <= named
    assert named <= set(main.commands)


@pytest.fixture
def checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory holding a copy of the registers, as CI's checkout does."""
    shutil.copytree(ROOT / "registers", tmp_path / "registers")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(main, args)
    return result.exit_code, result.output


def test_workflow_check_and_fmt_commands_pass_on_the_registers(checkout: Path) -> None:
    check, fmt, _ = qingdan_commands(workflow_script())
    code, output = run(check)
    assert code == 0, output
    assert "::notice::" in output
    code, output = run(fmt)
    assert code == 0, output


def test_workflow_diff_command_writes_a_markdown_summary(monkeypatch: pytest.MonkeyPatch) -> None:
    if not (ROOT / ".git").exists():
        pytest.skip("needs the git history of a checkout")
    monkeypatch.chdir(ROOT)
    diff = qingdan_commands(workflow_script())[2]
    code, output = run([arg.replace("origin/$BASE_REF", "HEAD") for arg in diff])
    assert code == 0, output
    assert output.startswith("## ")


def test_hooks_run_like_pre_commit_runs_them(checkout: Path) -> None:
    by_id = {hook["id"]: hook for hook in hooks()}
    assert set(by_id) == {"qingdan-check", "qingdan-fmt"}
    assert by_id["qingdan-check"]["entry"] == "qingdan check"
    assert by_id["qingdan-fmt"]["entry"] == "qingdan fmt --check"
    files = sorted(str(p.relative_to(checkout)) for p in (checkout / "registers").rglob("*.yaml"))
    for hook in by_id.values():
        assert hook["language"] == "python"
        pattern = re.compile(hook["files"])
        assert all(pattern.search(f) for f in files)
        assert not pattern.search("docs/zh/index.md") and not pattern.search("mkdocs.yml")
        code, output = run(qingdan_commands(hook["entry"])[0] + files[:3])
        assert code == 0, output


def test_pre_commit_sample_matches_the_published_hooks() -> None:
    sample = yaml.safe_load(PRE_COMMIT_SAMPLE.read_text(encoding="utf-8"))
    local = {hook["id"]: hook for repo in sample["repos"] for hook in repo["hooks"]}
    published = {hook["id"]: hook for hook in hooks()}
    assert set(local) == set(published)
    for hook_id, hook in local.items():
        assert hook["entry"].removeprefix(".venv/bin/") == published[hook_id]["entry"]
        assert hook["files"] == published[hook_id]["files"]
    commented = re.findall(r"^#\s+- id: (\S+)$", PRE_COMMIT_SAMPLE.read_text(encoding="utf-8"), flags=re.M)
    assert set(commented) == set(published)


# --- editor settings ----------------------------------------------------------------


def _matches(path: str, patterns: list[str]) -> bool:
    posix = PurePosixPath(path)
    include = [p for p in patterns if not p.startswith("!")]
    exclude = [p[1:] for p in patterns if p.startswith("!")]
    return any(posix.match(p) for p in include) and not any(posix.match(p) for p in exclude)


def test_vscode_maps_every_register_file_to_its_schema() -> None:
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    schemas: dict[str, list[str]] = settings["yaml.schemas"]
    assert all((ROOT / schema).is_file() for schema in schemas)
    assert {PurePosixPath(s).name for s in schemas} == set(SCHEMA_FOR_KIND.values())
    for path in sorted((ROOT / "registers").rglob("*.yaml")):
        relative = str(path.relative_to(ROOT))
        chosen = [PurePosixPath(s).name for s, patterns in schemas.items() if _matches(relative, patterns)]
        assert chosen == [SCHEMA_FOR_KIND[kind_of(path)]], relative
    assert settings["yaml.format.enable"] is False
    assert settings["files.eol"] == "\n" and settings["files.encoding"] == "utf8"
    assert settings["[yaml]"]["editor.tabSize"] == 2


def test_vscode_recommends_the_yaml_extension() -> None:
    extensions = json.loads((ROOT / ".vscode" / "extensions.json").read_text(encoding="utf-8"))
    assert "redhat.vscode-yaml" in extensions["recommendations"]


# --- the guide ------------------------------------------------------------------------


def test_guide_yaml_examples_load_without_errors() -> None:
    blocks = guide_blocks("yaml")
    assert len(blocks) >= 10
    for block in blocks:
        doc = load_text(block, GUIDE)
        assert doc.ok, (block[:200], [f.message_en for f in doc.findings])


def test_guide_links_point_to_repository_files() -> None:
    links = re.findall(r"\]\(([^)#]+)\)", guide_prose())
    assert links
    generated = f"docs/zh/{paths.ERRORS}"
    for link in links:
        assert not re.match(r"[a-z]+://", link), link
        assert link == generated or (ROOT / link).exists(), link


def test_guide_headings_are_short() -> None:
    headings = re.findall(r"^#+ (.+)$", guide_prose(), flags=re.M)
    assert headings and all(len(h) <= 24 for h in headings), [h for h in headings if len(h) > 24]


def test_guide_explains_five_real_error_codes_and_shows_real_output() -> None:
    explained = re.findall(r"^### ([a-z]+(?:-[a-z]+)+)$", guide_prose(), flags=re.M)
    assert len(explained) == 5 and set(explained) <= set(CATALOGUE)
    sample = next(b for b in guide_blocks("text") if "Checked 1 files" in b)
    located = re.findall(r"^registers/\S+\.yaml:\d+:\d+: (?:错误 error|警告 warning)\[([a-z-]+)\] ", sample, flags=re.M)
    assert len(located) >= 5 and set(located) <= set(CATALOGUE)
