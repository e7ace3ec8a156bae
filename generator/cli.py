"""The `qingdan` command: a thin layer assembling the pipeline stages.

Exit codes follow click: 0 success, 1 the data has errors, 2 the command was used wrongly.
"""
from __future__ import annotations

import sys
from pathlib import Path

import click

from . import report
from .validate import check as run_check

PathArg = click.Path(exists=True, path_type=Path)


@click.group(help="Qingdan 清单：县级部门责任清单的校验、生成与发布。 Publishing county responsibility lists.")
def main() -> None:
    """Entry point."""


@main.command(help="校验清单（默认 registers/）。 Validate registers (default: registers/).")
@click.argument("paths", nargs=-1, type=PathArg)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text", show_default=True,
              help="输出格式 Output format.")
@click.option("--strict", is_flag=True, help="警告也视为失败 Treat warnings as errors.")
def check(paths: tuple[Path, ...], fmt: str, strict: bool) -> None:
    result = run_check(list(paths) or [Path("registers")])
    if fmt == "json":
        report.as_json(result, sys.stdout)
    elif fmt == "github":
        report.github(result, sys.stdout)
    else:
        report.text(result, sys.stdout, colour=report.wants_colour(sys.stdout))
    sys.exit(result.exit_code(strict))


# Commands from feature modules (each module defines a click command named `command`).
