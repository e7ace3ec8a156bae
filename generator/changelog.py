"""The change log (动态调整记录) of a register page, and the git history behind it.

A register's `revisions` are the adjustments its department announced (date, document
number, summary); the repository's history holds every earlier text, so a reader can be
pointed at the list as it stood on a given day, as eCFR does.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .diff import DiffError, git
from .load import load_text
from .markup import esc, href, text_html
from .model import Corpus, Register, Text, historic_register
from .validate import schema_findings

HEAD = {
    "date": Text("日期", "Date"),
    "document_number": Text("文号", "Document number"),
    "summary": Text("调整内容", "Summary"),
}
EMPTY = Text("尚无调整记录。", "No revisions recorded.")


def _anchor(date: str, n: int) -> str:
    return f"revision-{date}-{n}"


def changelog_html(register: Register, page: str, lang: str) -> str:
    """The revisions, newest first (same-day entries keep their order), each date a
    permalink on `page`; a friendly line when there are none."""
    label = {k: t.get(lang) or t.zh for k, t in HEAD.items()}
    if not register.revisions:
        return f'<p class="qd-changelog-empty">{EMPTY.get(lang)}</p>'
    ordered = sorted(enumerate(register.revisions, 1), key=lambda e: e[1].date, reverse=True)
    rows = []
    for n, rev in ordered:
        anchor = _anchor(rev.date, n)
        rows.append(
            f'<tr id="{anchor}"><td><a href="{href(page, page, anchor)}">{esc(rev.date)}</a></td>'
            f'<td>{esc(rev.document_number or "—")}</td><td>{text_html(rev.summary, lang)}</td></tr>'
        )
    head = "".join(f'<th scope="col">{label[k]}</th>' for k in HEAD)
    return "\n".join(['<table class="qd-changelog">', f"<thead><tr>{head}</tr></thead>", "<tbody>", *rows,
                      "</tbody>", "</table>"])


def head(repo_root: Path) -> str:
    """The commit the version pages are made from; empty outside a git checkout."""
    try:
        return git(repo_root, "rev-parse", "--verify", "--quiet", "HEAD").decode("ascii").strip()
    except DiffError:
        return ""


def historic_versions(repo_root: Path, register_path: Path) -> list[tuple[str, str, str]]:
    """(commit sha, commit date YYYY-MM-DD, subject) of every commit that changed the file,
    newest first, following renames; empty outside a git checkout (e.g. a source archive)."""
    path = register_path.resolve() if register_path.is_absolute() else (repo_root / register_path).resolve()
    try:
        relative = path.relative_to(repo_root.resolve()).as_posix()
        log = git(repo_root, "log", "--follow", "--format=%H%x1f%cs%x1f%s", "--", relative)
    except (ValueError, DiffError):
        return []
    versions = []
    for line in log.decode("utf-8").splitlines():
        sha, date, subject = line.split("\x1f", 2)
        versions.append((sha, date, subject))
    return versions


@dataclass
class Version:
    """A register as an earlier commit left it: the point-in-time view of the list."""

    sha: str
    date: str
    subject: str
    register: Register
    current: bool


def versions(repo_root: Path, corpus: Corpus) -> dict[str, list[Version]]:
    """Every committed version of every register, newest first, by register key.

    A version whose file breaks the schema (it was never checked: an intermediate commit
    of a merged branch) or no longer fits the current model is left out (the diff command
    still shows it); outside a git checkout there are no versions at all.
    """
    return {register.key: register_versions(repo_root, corpus, register) for register in corpus.registers}


def register_versions(repo_root: Path, corpus: Corpus, register: Register) -> list[Version]:
    """The committed versions of one register, newest first."""
    current = register.path.read_bytes()
    found = []
    for sha, date, subject in historic_versions(repo_root, register.path):
        relative = register.path.resolve().relative_to(repo_root.resolve()).as_posix()
        try:
            blob = git(repo_root, "show", f"{sha}:{relative}")
        except DiffError:
            continue
        doc = load_text(blob.decode("utf-8", "replace"), register.path)
        if not doc.ok or any(f.severity == "error" for f in schema_findings(doc, "register")):
            continue  # a page prints ids, dates and article numbers as the schema allows them
        try:
            old = historic_register(corpus, register.county, register.path, doc.data)
        except (KeyError, TypeError, AttributeError):
            continue
        found.append(Version(sha, date, subject, old, blob == current))
    return found
