"""Write plain data (dicts, lists, strings) as YAML in the registers' house style.

The style is the curated registers': 2-space indentation with list items indented under
their key, plain scalars where YAML 1.1 cannot retype them and double quotes otherwise
(digits, dates, yes/no, leading or trailing spaces), flow lists for topics, articles and
aliases, `|-` blocks for multi-line text.  The same data always gives the same bytes.
"""
from __future__ import annotations

import json
import re
from typing import Any

FLOW_KEYS = {"topics", "articles", "aliases"}
SAFE_START = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`0-9.+~=<]")
RETYPED = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"}
NON_PRINTABLE = re.compile("[^\x09\x0a\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\u2028\u2029\ufeff]")
FLOW_UNSAFE = re.compile(r"[,\[\]{}]")


SUGGESTED = "建议主题（导入时按部门类型和关键词推荐），核对后删除本行注释 suggested topics: review them, then delete this comment"


class Suggested(list):  # type: ignore[type-arg]
    """Topics the importer suggested: written under a comment that says so, until a person reviews them."""


def _quoted(text: str) -> str:
    out = json.dumps(text, ensure_ascii=False)
    return NON_PRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", out)


def scalar(text: str, flow: bool = False) -> str:
    """A one-line scalar: plain when YAML reads it back as the same string, else double-quoted."""
    plain = (
        SAFE_START.match(text) is not None
        and text == text.strip()
        and ": " not in text and " #" not in text and not text.endswith(":")
        and "\n" not in text and "\t" not in text and "\r" not in text
        and not NON_PRINTABLE.search(text)
        and text.lower() not in RETYPED
        and not (flow and FLOW_UNSAFE.search(text))
    )
    return text if plain else _quoted(text)


def _block_ok(text: str) -> bool:
    """Whether a multi-line string survives as a `|-` literal block exactly."""
    lines = text.split("\n")
    return (
        "\n" in text and not text.startswith((" ", "\t", "\n")) and not text.endswith(("\n", " ", "\t"))
        and not NON_PRINTABLE.search(text) and "\r" not in text
        and all(line == line.rstrip() for line in lines)
    )


def _block(text: str, indent: int) -> list[str]:
    pad = " " * indent
    return [pad + line if line else "" for line in text.split("\n")]


def _value_lines(key: str, value: Any, indent: int, prefix: str) -> list[str]:
    head = f"{prefix}{scalar(key)}:"
    if isinstance(value, Suggested) and prefix.strip() == "":
        return [f"{prefix}# {SUGGESTED}", *_value_lines(key, list(value), indent, prefix)]
    if isinstance(value, str):
        if _block_ok(value):
            return [f"{head} |-", *_block(value, indent + 2)]
        return [f"{head} {scalar(value)}"]
    if isinstance(value, list) and not value:
        return [f"{head} []"]
    if isinstance(value, dict) and not value:
        return [f"{head} {{}}"]
    if key in FLOW_KEYS and isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [f"{head} [{', '.join(scalar(v, flow=True) for v in value)}]"]
    return [head, *lines(value, indent + 2)]


def lines(value: Any, indent: int = 0) -> list[str]:
    """The lines of a mapping or list at `indent` spaces."""
    pad = " " * indent
    out: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            out.extend(_value_lines(key, item, indent, pad))
        return out
    for item in value:
        if isinstance(item, dict) and item:
            inner = lines(item, indent + 2)
            out.append(f"{pad}- {inner[0][indent + 2:]}")
            out.extend(inner[1:])
        elif isinstance(item, str) and _block_ok(item):
            out.append(f"{pad}- |-")
            out.extend(_block(item, indent + 2))
        elif isinstance(item, str):
            out.append(f"{pad}- {scalar(item)}")
        else:
            out.append(f"{pad}-")
            out.extend(lines(item, indent + 2))
    return out


def dump(data: dict[str, Any], comments: list[str]) -> str:
    """A whole file: the comment lines (given without "# "; unprintable characters escaped), then the data."""
    safe = [NON_PRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", line) for c in comments for line in c.split("\n")]
    head = [f"# {c}" if c else "#" for c in safe]
    return "\n".join(head + lines(data)) + "\n"
