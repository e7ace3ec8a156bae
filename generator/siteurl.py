"""The site's public address: configuration, never an edit of mkdocs.yml.

mkdocs.yml reads `site_url` from the environment (`!ENV [QINGDAN_SITE_URL, <example>]`), so
MkDocs (canonical links, sitemap, the 404 page's base) and Qingdan (schema `$id`s, the
catalogue's URLs) take one value: `qingdan build --site-url URL`, else QINGDAN_SITE_URL,
else the example address.  A preview may use the example; a build for publication
(`--publish`) refuses it, because every published identifier would point at nobody.
"""
from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from .errors import Finding, finding

ENV = "QINGDAN_SITE_URL"
EXAMPLE = "https://qingdan.example.org/"
_URL = re.compile(r"^https?://[^\s/?#]+(?:/[^\s?#]*)?$")


class SiteUrlError(ValueError):
    """The address is malformed or cannot be published (a usage error: exit code 2)."""


def _located(found: Finding) -> SiteUrlError:
    where = f"{found.file}:{found.line}:{found.col}" if found.line else found.file
    return SiteUrlError(f"{where}: 错误 error[{found.code}] {found.message_zh} {found.message_en}")


def env_constructor(environ: Mapping[str, str] | None = None) -> Any:
    """A PyYAML constructor for MkDocs' `!ENV VAR` / `!ENV [VAR, …, default]` tag."""

    def construct(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
        env = os.environ if environ is None else environ
        if isinstance(node, yaml.ScalarNode):
            return env.get(loader.construct_scalar(node))
        *names, default = loader.construct_sequence(node)
        return next((env[name] for name in names if env.get(name)), default)

    return construct


def normalised(url: str) -> str:
    """`url` with exactly one trailing slash; SiteUrlError unless it is an absolute http(s) address."""
    if not _URL.match(url or ""):
        raise SiteUrlError(f"网站地址必须以 http:// 或 https:// 开头，如 https://www.example.gov.cn/qingdan/："
                         f"{url!r} / the site URL must be an absolute http(s) address")
    return url.rstrip("/") + "/"


def _line(root: Path) -> int:
    """mkdocs.yml's line that sets site_url (1 when it is missing)."""
    lines = (root / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    return next((n for n, line in enumerate(lines, 1) if line.startswith("site_url:")), 1)


def resolve(root: Path, config: Mapping[str, Any], given: str | None, *, publishing: bool) -> str:
    """The address this build uses: `given` (the option), else QINGDAN_SITE_URL, else mkdocs.yml.

    `config` is mkdocs.yml as read with the environment (its `!ENV` already applied).
    Raises SiteUrlError for a malformed address and, located, when publishing the example.
    """
    if given:
        source, line = "--site-url", 0
    elif os.environ.get(ENV):
        source, line = ENV, 0
    else:
        source, line = str(root / "mkdocs.yml"), _line(root)
    try:
        url = normalised(given or os.environ.get(ENV) or str(config.get("site_url") or ""))
    except SiteUrlError as exc:
        raise SiteUrlError(f"{source}{f':{line}' if line else ''}: {exc}") from None
    if publishing and url == EXAMPLE:
        raise _located(finding("site-url-example", source, line, 1 if line else 0, "/site_url",
                                   url=url))
    return url
