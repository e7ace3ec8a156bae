"""The change log (动态调整记录) of a register page, its currency line, and the git history.

A register's `revisions` are the adjustments its department announced as free text, its
`adjustments` the structured records (`adjust.py`); both are listed in the change log.
Every register page says how current it is — "本页反映截至 <build date> 已生效的调整", with
the latest adjustment — and announces adjustments adopted but not yet in force, with what
they will change, as legislation.gov.uk does.  The repository's history holds every earlier
text, so a reader can be pointed at the list as it stood on a given day, as eCFR does.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import dated, messages
from .adjust import EFFECT_NAMES, Adjustment, Effect
from .diff import DiffError, git
from .load import load_text
from .markup import esc, href, text_html, zh_span
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


def _t(key: str, lang: str, **values: str) -> str:
    return messages.t(key, lang).format(**values)


def changelog_html(register: Register, page: str, lang: str) -> str:
    """The revisions and adjustments, newest first (same-day entries keep their order), each
    date a permalink on `page`; a friendly line when there are none."""
    label = {k: t.get(lang) or t.zh for k, t in HEAD.items()}
    if not register.revisions and not register.adjustments:
        return f'<p class="qd-changelog-empty">{EMPTY.get(lang)}</p>'
    entries: list[tuple[str, int, str]] = []
    for n, rev in enumerate(register.revisions, 1):
        anchor = _anchor(rev.date, n)
        entries.append((rev.date, len(entries), (
            f'<tr id="{anchor}"><td><a href="{href(page, page, anchor)}">{esc(rev.date)}</a></td>'
            f'<td>{zh_span(rev.document_number, lang) if rev.document_number else "—"}</td>'
            f'<td>{text_html(rev.summary, lang)}</td></tr>')))
    for adj in register.adjustments:
        pending = (f' <span class="qd-muted">{messages.t("lparen", lang)}{_t("not_yet_in_force", lang)}'
                   f'{messages.t("rparen", lang)}</span>') if _pending(adj, register) else ""
        summary = "".join(f"<p>{text_html(t, lang)}</p>" for t in (adj.title, adj.summary) if t)
        effects = "".join(f"<li>{_effect_html(e, register, page, lang)}</li>" for e in adj.effects)
        entries.append((adj.effective, len(entries), (
            f'<tr id="{esc(adj.id)}"><td><a href="{href(page, page, adj.id)}">{esc(adj.effective)}</a>{pending}</td>'
            f'<td>{zh_span(adj.document_number, lang) if adj.document_number else "—"}</td>'
            f'<td><p><strong>{esc(adj.type_name.get(lang) or adj.type_name.zh)}</strong>{_parties(adj, lang)}</p>'
            f'{summary}<ul class="qd-effects">{effects}</ul></td></tr>')))
    rows = [html for _, _, html in sorted(entries, key=lambda e: (e[0], -e[1]), reverse=True)]
    head = "".join(f'<th scope="col">{label[k]}</th>' for k in HEAD)
    timelines = dated.timelines_html(register, page, lang)
    return "\n".join(['<table class="qd-changelog">', f"<thead><tr>{head}</tr></thead>", "<tbody>", *rows,
                      "</tbody>", "</table>", *([timelines] if timelines else [])])


def _pending(adj: Adjustment, register: Register) -> bool:
    return bool(register.as_of) and adj.effective > register.as_of


def _parties(adj: Adjustment, lang: str) -> str:
    """Who a duty was handed down to, or taken over from."""
    out = ""
    if adj.to:
        out += f" · {_t('handed_down_to', lang)} {text_html(adj.to, lang)}"
    if adj.source:
        out += f" · {_t('taken_over_from', lang)} {text_html(adj.source, lang)}"
    return out


MAIN_FIELDS = ("text", "matter", "title", "heading", "name")


def _effect_html(effect: Effect, register: Register, page: str, lang: str) -> str:
    """One row an adjustment adds, removes or changes: its place (linked while the row is on
    the page), its text, and for a change the character diff of each field."""
    name = EFFECT_NAMES[effect.effect]
    place = esc(effect.label.get(lang) or effect.label.zh)
    if effect.id in register.rows:
        place = f'<a href="{href(page, page, effect.id)}">{place}</a>'
    head = f"{esc(name.get(lang) or name.zh)} {place}"
    changes = dated.field_diffs(effect, lang) if effect.effect == "change" else []
    if changes:
        return f"{head}{messages.t('colon', lang)}{'；'.join(changes)}"
    row = effect.after or effect.before or {}
    main = next((Text.of(row[k]) for k in MAIN_FIELDS if k in row), None)
    return f"{head}{messages.t('colon', lang)}{text_html(main, lang)}" if main else head


def _latest(register: Register) -> tuple[str, str, str] | None:
    """(date, anchor, description) of the newest adjustment or revision in force."""
    found: list[tuple[str, int, int, str, str]] = []  # same day: a structured record wins, then the later
    for n, rev in enumerate(register.revisions, 1):
        if not register.as_of or rev.date <= register.as_of:
            found.append((rev.date, 0, n, _anchor(rev.date, n), rev.document_number or ""))
    for n, adj in enumerate(register.adjustments):
        if not _pending(adj, register):
            found.append((adj.effective, 1, n, adj.id, adj.document_number or ""))
    if not found:
        return None
    date, _, _, anchor, number = max(found)
    return date, anchor, number


def print_currency(register: Register, lang: str) -> str:
    """The currency line of a printout, plain text.  It names the day the list last changed
    (the newest adjustment in force, else adoption) rather than the build date, so a PDF is
    reprinted when its list changes, not on every commit (see DESIGN.md, Adjustments)."""
    latest = _latest(register)
    date = latest[0] if latest else register.adopted or register.as_of
    line = _t("currency_print", lang, date=date) if date else ""
    if latest:
        line += f" {_t('currency_latest', lang)}{messages.t('colon', lang)}{_t('in_force_from', lang, date=latest[0])}"
        line += f" · {latest[2]}" if latest[2] else ""
    return line


def currency_html(register: Register, page: str, lang: str) -> str:
    """The currency line ("本页反映截至 … 已生效的调整", English beside on English pages)
    with the latest adjustment, then the adjustments adopted but not yet in force."""
    latest = _latest(register)
    date = register.as_of or (latest[0] if latest else register.adopted or "")
    when = f'<time datetime="{esc(date)}">{esc(date)}</time>'
    lines = [_t("currency", lang, date=when)]
    if lang == "en":
        lines.append(f'<span lang="zh-Hans">{_t("currency", "zh", date=when)}</span>')
    if latest:
        latest_date, anchor, number = latest
        what = _t("in_force_from", lang, date=esc(latest_date)) + (f" · {zh_span(number, lang)}" if number else "")
        lines.append(f"{_t('currency_latest', lang)}{messages.t('colon', lang)}"
                     f'<a href="{href(page, page, anchor)}">{what}</a>')
    else:
        lines.append(_t("currency_none", lang))
    out = [f'<div class="qd-currency" id="currency"><p>{" ".join(lines)}</p></div>']
    pending = [a for a in register.adjustments if _pending(a, register)]
    if pending:
        items = []
        for adj in pending:
            when = _t("in_force_from", lang, date=esc(adj.effective))
            doc = " · ".join(x for x in (zh_span(adj.document_number or "", lang),
                                         _t("adopted_on", lang, date=esc(adj.adopted))) if x)
            summary = f" · {text_html(adj.summary, lang)}" if adj.summary else ""
            effects = "".join(f"<li>{_effect_html(e, register, page, lang)}</li>" for e in adj.effects)
            items.append(f'<li><a href="{href(page, page, adj.id)}">{when}</a> · {doc} · '
                         f"<strong>{esc(adj.type_name.get(lang) or adj.type_name.zh)}</strong>{_parties(adj, lang)}"
                         f"{summary}<ul>{effects}</ul></li>")
        out.append(f'<div class="qd-notice qd-prospective" id="prospective"><p><strong>{_t("prospective", lang)}'
                   f'</strong></p><ul>{"".join(items)}</ul></div>')
    return "\n".join(out)


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
