"""Feeds stage: Atom feeds (RFC 4287) of what changed — for the whole site, each county and
each register.

One entry per adjustment (structured `adjustments`, and the free-text `revisions`) and per
published version of a register file (its git commits, as the version pages show them), so
a reader can follow a list the way legislation.gov.uk's feeds follow legislation.  Entry
ids are the permanent addresses of the change-log rows and version pages; entry dates are
the day a document was adopted (or a commit made), never the build clock, so the same
registers and history give byte-identical feeds.  The county and site feeds keep the newest
`COUNTY_ENTRIES` / `SITE_ENTRIES` entries: no feed grows with the number of registers.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import messages, paths
from .adjust import EFFECT_NAMES, Effect
from .markup import url
from .model import Corpus, County, Register, Text

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
MEDIA_TYPE = "application/atom+xml"
SITE_ENTRIES = 50
COUNTY_ENTRIES = 200
FALLBACK_DATE = "2000-01-01"
TIMEZONE = "+08:00"
"""Dates in the registers are China's calendar days."""
REVISION = Text("调整", "revision")
VERSION = Text("新版本", "new version")


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    updated: str
    link: str
    summary: str
    category: tuple[str, str] | None = None
    """(term, label) of the entry's kind: an adjustment type, `revision` or `version`."""


def timestamp(date: str) -> str:
    """A register date (YYYY-MM-DD) as an RFC 3339 date-time at midnight, China time."""
    return f"{date}T00:00:00{TIMEZONE}"


def _both(text: Text) -> str:
    return f"{text.zh} {text.en}" if text.en and text.en != text.zh else text.zh


def _title(r: Register) -> str:
    return f"{r.county.name.zh} · {r.title.zh}"


def register_entries(r: Register, base: str, versions: Iterable[Any] = ()) -> list[Entry]:
    """Every adjustment, revision and published version of one register."""
    page = base + url(paths.register(r))
    out = []
    for adj in r.adjustments:
        lines = [f"{messages.t('in_force_from', 'zh').format(date=adj.effective)} · "
                 f"{messages.t('in_force_from', 'en').format(date=adj.effective)}"]
        if adj.document_number or adj.issuer:
            lines.append(" ".join(x for x in (adj.issuer.zh if adj.issuer else "", adj.document_number or "") if x))
        lines += [_both(t) for t in (adj.title, adj.summary) if t]
        for e in adj.effects:
            lines.append(f"{_both(EFFECT_NAMES[e.effect])}: {e.label.zh} ({e.id})：{_effect_text(e)}")
        number = f" · {adj.document_number}" if adj.document_number else ""
        out.append(Entry(f"{page}#{adj.id}", f"{_both(adj.type_name)}: {_title(r)}{number}", timestamp(adj.adopted),
                         f"{page}#{adj.id}", "\n".join(lines), (adj.type, _both(adj.type_name))))
    for n, rev in enumerate(r.revisions, 1):
        anchor = f"{page}#revision-{rev.date}-{n}"
        number = f" · {rev.document_number}" if rev.document_number else ""
        out.append(Entry(anchor, f"{_both(REVISION)}: {_title(r)}{number}", timestamp(rev.date), anchor,
                         _both(rev.summary), ("revision", _both(REVISION))))
    for v in versions:
        address = base + url(paths.register_version(r, v.sha))
        out.append(Entry(address, f"{_both(VERSION)}: {_title(r)} · {v.date} · {v.sha[:12]}", timestamp(v.date),
                         address, v.subject, ("version", _both(VERSION))))
    return out


MAIN_FIELDS = ("text", "matter", "title", "heading", "name")


def _effect_text(e: Effect) -> str:
    """The row's text; for a change, each replaced field as old → new."""
    if e.effect == "change" and e.before is not None and e.after is not None:
        return "；".join(f"{Text.of(old).zh} → {Text.of(e.after.get(key, '')).zh}" for key, old in e.before.items()
                        if key != "id" and Text.of(old) != Text.of(e.after.get(key, "")))
    row = e.after or e.before or {}
    return next((Text.of(row[k]).zh for k in MAIN_FIELDS if k in row), "")


def _newest(entries: list[Entry], limit: int | None = None) -> list[Entry]:
    ordered = sorted(entries, key=lambda e: (e.updated, e.id), reverse=True)
    return ordered[:limit] if limit else ordered


def feed_xml(feed_id: str, title: str, page: str, author: str, entries: list[Entry], fallback: str) -> bytes:
    """One Atom document; every text goes through the XML serialiser, so register text is
    escaped, never markup."""
    ET.register_namespace("", ATOM)

    def add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        node = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        node.text = text
        return node

    feed = ET.Element(f"{{{ATOM}}}feed", {XML_LANG: "zh-Hans"})
    add(feed, "id", feed_id)
    add(feed, "title", title)
    add(feed, "updated", max((e.updated for e in entries), default=timestamp(fallback)))
    add(feed, "link", rel="self", type=MEDIA_TYPE, href=feed_id)
    add(feed, "link", rel="alternate", type="text/html", href=page)
    add(add(feed, "author"), "name", author)
    add(feed, "generator", "Qingdan")
    for e in entries:
        entry = add(feed, "entry")
        add(entry, "id", e.id)
        add(entry, "title", e.title)
        add(entry, "updated", e.updated)
        add(entry, "link", rel="alternate", type="text/html", href=e.link)
        if e.category:
            add(entry, "category", term=e.category[0], label=e.category[1])
        add(entry, "summary", e.summary, type="text")
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


def _publisher(extra: Mapping[str, Any] | None) -> str:
    value = ((extra or {}).get("qingdan") or {}).get("publisher")
    return _both(Text.of(value)) if value else _both(Text(messages.t("site_name", "zh"), messages.t("site_name", "en")))


def feed_files(corpus: Corpus, base: str, extra: Mapping[str, Any] | None = None,
               versions: Mapping[str, list[Any]] | None = None) -> dict[str, bytes]:
    """Every feed by path inside site/: the site's, each county's and each register's."""
    author = _publisher(extra)
    versions = versions or {}
    files: dict[str, bytes] = {}
    everything: list[Entry] = []
    for county in corpus.counties.values():
        in_county: list[Entry] = []
        for r in county.registers:
            entries = register_entries(r, base, versions.get(r.key, []))
            in_county += entries
            files[paths.feed_register(r)] = feed_xml(
                base + paths.feed_register(r), f"{_title(r)} · {messages.t('changelog', 'zh')} {messages.t('changelog', 'en')}",
                base + url(paths.register(r)), author, _newest(entries), r.adopted or FALLBACK_DATE)
        files[paths.feed_county(county)] = feed_xml(
            base + paths.feed_county(county), f"{_both(county.name)} · {messages.t('changelog', 'zh')}",
            base + url(paths.county(county)), author, _newest(in_county, COUNTY_ENTRIES), _first(county))
        everything += in_county
    files[paths.FEED_SITE] = feed_xml(
        base + paths.FEED_SITE, f"{messages.t('site_name', 'zh')} {messages.t('site_name', 'en')} · "
        f"{messages.t('changelog', 'zh')}", base, author, _newest(everything, SITE_ENTRIES), FALLBACK_DATE)
    return files


def _first(county: County) -> str:
    return min((r.adopted for r in county.registers if r.adopted), default=FALLBACK_DATE)


def write_feeds(corpus: Corpus, site_dir: Path, base: str, extra: Mapping[str, Any] | None = None,
                versions: Mapping[str, list[Any]] | None = None) -> list[Path]:
    written = []
    for name, content in feed_files(corpus, base, extra, versions).items():
        target = site_dir / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        written.append(target)
    return written
