"""The `qingdan` command: a thin layer assembling the pipeline stages.

Exit codes follow click: 0 success, 1 the data has errors, 2 the command was used wrongly;
3 an internal error (a bug of ours, never of the data): one located `internal-error` line,
never a traceback (QINGDAN_DEBUG=1 shows it).
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import traceback
from typing import Any

import click

from . import build as build_stage
from . import report, siteurl
from .errors import escaped, finding
from .render import TEMPLATES
from .validate import check as run_check

PACKAGE = Path(__file__).resolve().parent
PathArg = click.Path(exists=True, path_type=Path)
INTERNAL_ERROR = 3


class Guarded(click.Group):
    """The command group that turns any unexpected exception into one located line."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit, KeyboardInterrupt):
            raise
        except BaseException as exc:  # noqa: BLE001 - the one place that catches everything
            if os.environ.get("QINGDAN_DEBUG"):
                raise
            click.echo(internal_error(exc), err=True)
            sys.exit(INTERNAL_ERROR)


def internal_error(exc: BaseException) -> str:
    """`file:line:col: 错误 error[internal-error] …` at the innermost frame of our own code."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if Path(f.filename).resolve().is_relative_to(PACKAGE)] or frames
    where = ours[-1] if ours else None
    detail = escaped(str(exc).splitlines()[0] if str(exc) else "")[:300]
    found = finding("internal-error", where.filename if where else "qingdan", where.lineno or 1 if where else 1, 1,
                    kind=type(exc).__name__, detail=detail)
    return (f"{found.file}:{found.line}:{found.col}: 错误 error[{found.code}] {found.message_zh}\n    {found.message_en}\n"
            "    提示 hint: 设置 QINGDAN_DEBUG=1 重新运行可看到调用栈，请报告给维护者。"
            " Run again with QINGDAN_DEBUG=1 for the traceback and report it.")


@click.group(cls=Guarded, help="Qingdan 清单：县级部门责任清单的校验、生成与发布。 Publishing county responsibility lists.")
def main() -> None:
    """Entry point."""


@main.command(help="校验清单（默认 registers/）。 Validate registers (default: registers/).")
@click.argument("paths", nargs=-1, type=PathArg)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text", show_default=True,
              help="输出格式 Output format.")
@click.option("--strict", is_flag=True, help="警告也视为失败 Treat warnings as errors.")
@click.option("--strict-translation", is_flag=True, help="报告每个尚无英文的字段 Report every field without English.")
def check(paths: tuple[Path, ...], fmt: str, strict: bool, strict_translation: bool) -> None:
    if not paths and not Path("registers").is_dir():
        raise click.UsageError("当前目录下没有 registers/，请在项目根目录运行，或指定要检查的文件或目录。"
                               " No registers/ here: run in the project folder or name the files to check.")
    result = run_check(list(paths) or [Path("registers")], strict_translation=strict_translation)
    if fmt == "json":
        report.as_json(result, sys.stdout)
    elif fmt == "github":
        report.github(result, sys.stdout)
    else:
        report.text(result, sys.stdout, colour=report.wants_colour(sys.stdout))
    sys.exit(result.exit_code(strict))



@main.command(help="校验、生成 docs/ 并构建网站与 PDF。 Validate, generate docs/ and build the site and PDFs.")
@click.option("--no-pdf", is_flag=True, help="不重新生成 PDF（更快；保留上次构建的 PDF） Skip printing PDFs (faster; earlier ones are kept).")
@click.option("--site-url", metavar="URL",
              help=f"网站的公开地址（或环境变量 {siteurl.ENV}） The site's public address.")
@click.option("--publish", is_flag=True, envvar="QINGDAN_PUBLISH",
              help="发布用的构建：拒绝示例网址 A build for publication: refuses the example address.")
def build(no_pdf: bool, site_url: str | None, publish: bool) -> None:
    try:
        report = build_stage.build(Path.cwd(), pdf=not no_pdf, site_url=site_url, publishing=publish)
    except siteurl.SiteUrlError as exc:
        click.echo(str(exc), err=True)
        sys.exit(2)
    except build_stage.BuildError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    timings = "，".join(f"{k} {v:.1f}s" for k, v in report.seconds.items())
    click.echo(f"网站已生成到 site/：{report.pages} 个页面（改写 {report.written}，删除 {report.removed}）；{timings}。"
               f" Site built in site/: {report.pages} pages ({report.written} written, {report.removed} removed).")


@main.command(help="生成 docs/ 后启动本地预览，修改清单自动刷新。 Preview locally with live reload.")
@click.option("--port", default=8000, show_default=True, help="端口 Port.")
def serve(port: int) -> None:
    try:
        build_stage.generate(Path.cwd())
    except build_stage.BuildError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    env = {**os.environ, "QINGDAN_REGENERATE": "1"}
    command = [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}",
               "--watch", "registers", "--watch", str(TEMPLATES)]
    sys.exit(subprocess.call(command, env=env))

# Commands from feature modules (each module defines a click command named `command`).
from . import fmt  # noqa: E402
main.add_command(fmt.command)
from . import diff  # noqa: E402
main.add_command(diff.command)
from . import opendata  # noqa: E402
main.add_command(opendata.command)
from . import importer  # noqa: E402
main.add_command(importer.command)
from . import pdf  # noqa: E402
main.add_command(pdf.command)
from . import shard  # noqa: E402
main.add_command(shard.command)
from . import linkcheck  # noqa: E402
main.add_command(linkcheck.command)
