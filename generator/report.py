"""Report stage: one check result, three renderings (human text, JSON, GitHub annotations)."""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TextIO

from .errors import Finding
from .validate import Result

COLOURS = {"error": "\033[31m", "warning": "\033[33m", "dim": "\033[2m", "reset": "\033[0m"}
LABEL_ZH = {"error": "错误", "warning": "警告"}


def _relative(file: str) -> str:
    """Paths as the user sees them: relative to the working directory when below it."""
    try:
        return str(Path(file).relative_to(Path.cwd()))
    except ValueError:
        return file


def finding_text(f: Finding, colour: bool = False) -> str:
    """One finding as two lines: where, code and Chinese message; then the English."""
    def paint(name: str, s: str) -> str:
        return f"{COLOURS[name]}{s}{COLOURS['reset']}" if colour else s

    where = f"{_relative(f.file)}:{f.line}:{f.col}"
    head = paint(f.severity, f"{LABEL_ZH[f.severity]} {f.severity}[{f.code}]")
    return f"{where}: {head} {f.message_zh}\n" + paint("dim", f"    {f.message_en}  ({f.pointer or '/'})") + "\n"


def text(result: Result, out: TextIO, colour: bool = False) -> None:
    for f in result.findings:
        out.write(finding_text(f, colour))
    for label, done, needed in result.coverage:
        share = 100.0 * done / needed if needed else 100.0
        out.write(f"翻译覆盖率 Translation coverage: {label} {share:.1f}% ({done}/{needed})\n")
    files = len(result.files)
    out.write(
        f"检查了 {files} 个文件：{result.errors} 个错误，{result.warnings} 个警告。"
        f" Checked {files} files: {result.errors} errors, {result.warnings} warnings.\n"
    )


def as_json(result: Result, out: TextIO) -> None:
    payload = {
        "summary": {"files": len(result.files), "errors": result.errors, "warnings": result.warnings},
        "translation_coverage": [
            {"file": label, "translated": done, "needed": needed} for label, done, needed in result.coverage
        ],
        "findings": [{**f.as_dict(), "file": _relative(f.file)} for f in result.findings],
    }
    json.dump(payload, out, ensure_ascii=False, indent=2)
    out.write("\n")


def _escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(s: str) -> str:
    return _escape_data(s).replace(":", "%3A").replace(",", "%2C")


def github(result: Result, out: TextIO) -> None:
    """GitHub Actions workflow commands: each finding becomes an annotation on its line."""
    for f in result.findings:
        props = ",".join(
            f"{k}={_escape_property(str(v))}"
            for k, v in (("file", _relative(f.file)), ("line", f.line), ("col", f.col), ("title", f.code))
        )
        message = f"{f.message_zh} · {f.message_en} ({f.pointer or '/'})"
        out.write(f"::{f.severity} {props}::{_escape_data(message)}\n")
    out.write(f"::notice::检查完成：{result.errors} 个错误，{result.warnings} 个警告 · {result.errors} errors, {result.warnings} warnings\n")


def wants_colour(out: TextIO) -> bool:
    return hasattr(out, "isatty") and out.isatty() and "NO_COLOR" not in os.environ
