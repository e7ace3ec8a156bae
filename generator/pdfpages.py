"""Pagination passes of the print stage: lay a register out, read where its table rows
landed, and lay it out again until every page keeps the print rules.

CSS cannot say either rule WeasyPrint needs here.  A merged (rowspan) number cell is
drawn once, on the page where its duty or matter starts, so the rows a page break carries
over would print without it; and a group kept whole (`break-inside: avoid`) that does not
fit below a carried-over row leaves that row alone on a nearly empty page.  So each pass
reads the laid-out pages (`read`: WeasyPrint's box tree, rows carry `data-g`/`data-i`, see
`pdf.View.row`) and asks for page breaks in a `Layout` (`adjust`), which the print
template applies in the next pass (`pdf.lay_out`, `pdf.Plan.again`):

1. A group whose rows start on several pages is cut where each page begins: the piece
   starts that page and names its duty or matter again — its number, and its text cut
   short and marked （续）/(continued) — (a matter cut so prints its citations and cases as
   rows of their own: merged cells cannot split).
2. A page left stranded — after its part's first page, under 40 % full, and holding one
   row or none (only the notes, say), or only rows carried over while its part goes on —
   is filled: the group the next page starts with may split onto it, else the last row
   (or the whole last duty, kept together) of the page before moves onto it.

Each part starts a page and is worked on front to back, so passes settle quickly (at most
`MAX_PASSES`; a register whose tables need nothing takes one, the seeds one or two), and
every pass is deterministic: the same registers give the same bytes.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from weasyprint.document import Document


@dataclass(frozen=True)
class Layout:
    """Where an earlier layout pass wants pages to break.

    `breaks` holds (group, row) pairs: the row starts a page, and a row inside a duty's or
    matter's merged cells starts a continuation piece that names its duty or matter again.
    A group is a duty, a matter or a service (its `id`); rows count from 0 in print order.
    `loose` groups may split across pages (the rest are kept whole while they fit a page);
    `long` matters print citations and cases as rows of their own instead of merged cells.
    """

    breaks: frozenset[tuple[str, int]] = frozenset()
    loose: frozenset[str] = frozenset()
    long: frozenset[str] = frozenset()


MAX_PASSES = 8
STRANDED_FILL = 0.4
"""A page this full or fuller is not stranded, whatever it holds."""


@dataclass(frozen=True)
class Row:
    """One table row as laid out: its group, place in the group, part, whether it shows its
    group's number (or name), whether the group is a matter, and whether it was printed
    with citations as rows."""

    group: str
    index: int
    part: str
    names: bool
    matter: bool
    long: bool


@dataclass
class Page:
    """What a laid-out page holds of the parts: rows that start on it, rows carried over
    from the page before (a row taller than the room left), notes, part headings, and how
    full it is (the lowest row or line, as a share of the page's content height)."""

    starts: list[Row] = field(default_factory=list)
    carried: list[Row] = field(default_factory=list)
    notes: set[str] = field(default_factory=set)
    headings: set[str] = field(default_factory=set)
    fill: float = 0.0

    @property
    def parts(self) -> set[str]:
        return {r.part for r in [*self.starts, *self.carried]} | self.notes | self.headings


def read(document: Document) -> list[Page]:
    """Rows, notes, headings and fill of every page, from WeasyPrint's box tree."""
    pages: list[Page] = []
    seen: set[tuple[str, int]] = set()
    for number, page in enumerate(document.pages):
        box = page._page_box
        found = Page()
        top, height = box.content_box_y(), box.height
        bottom = top
        for child, part, group in _walk(box.children[0], "", frozenset()):
            tag = getattr(child, "element_tag", None)
            element = getattr(child, "element", None)
            if tag == "tr" and element is not None and element.get("data-g") is not None:
                key = (element.get("data-g"), int(element.get("data-i")))
                row = Row(key[0], key[1], part, element.get("data-n") is not None, "matter" in group, "long" in group)
                (found.carried if key in seen else found.starts).append(row)
                seen.add(key)
                bottom = max(bottom, child.position_y + child.margin_height())
            elif tag == "div" and element is not None and "notes" in (element.get("class") or "").split():
                found.notes.add(part)
            elif tag == "h2" and part:
                found.headings.add(part)
            if type(child).__name__ == "LineBox" and part:
                bottom = max(bottom, child.position_y + child.margin_height())
        found.fill = (bottom - top) / height if height else 1.0
        pages.append(found)
    return pages


def _walk(box: Any, part: str, group: frozenset[str]) -> Iterator[tuple[Any, str, frozenset[str]]]:
    """Every box under `box` with its part (section id) and its row group's classes."""
    element = getattr(box, "element", None)
    if element is not None and getattr(box, "element_tag", None) == "section":
        ident = element.get("id") or ""
        part = ident if ident.startswith("part-") else part
    if element is not None and getattr(box, "element_tag", None) == "tbody":
        group = frozenset((element.get("class") or "").split())
    yield box, part, group
    if getattr(box, "element_tag", None) == "tr" or type(box).__name__ == "LineBox":
        return  # a row's or line's inside tells nothing more
    for child in getattr(box, "children", []):
        yield from _walk(child, part, group)


def stranded(pages: list[Page], number: int, part: str) -> bool:
    """Whether page `number` strands rows of `part` (the rule in the module docstring)."""
    page = pages[number]
    rows = [r for r in page.starts if r.part == part]
    if part in page.headings or page.fill >= STRANDED_FILL:
        return False
    if not rows and part not in page.notes:
        return False  # only the rest of a row taller than a page: nothing to move
    if len(rows) <= 1:
        return True
    carried_only = all(_begun_before(pages, r, number) for r in rows)
    return carried_only and _goes_on(pages, number, part)


def _begun_before(pages: list[Page], row: Row, number: int) -> bool:
    return any(r.group == row.group and r.index < row.index for p in pages[:number] for r in p.starts)


def _goes_on(pages: list[Page], number: int, part: str) -> bool:
    return any(part in p.parts for p in pages[number + 1:])


def adjust(layout: Layout, pages: list[Page]) -> Layout:
    """The layout the next pass should use: `layout` plus the breaks these pages ask for.

    Each part starts a page, so each part is worked on its own, front to back: filling the
    part's first stranded page changes its pages from the one before on, and so does a
    matter that starts printing its citations as rows; breaks found or forced beyond that
    point are dropped (the next pass finds them again where they then fall).
    """
    where = {(r.group, r.index): (n, r.part) for n, p in enumerate(pages) for r in p.starts}
    loose, long = set(layout.loose), set(layout.long)
    fixes: set[tuple[str, int]] = set()
    until: dict[str, int] = {}  # part → its last page whose layout stays
    for number in range(1, len(pages)):
        for part in sorted({r.part for r in pages[number].starts} | pages[number].notes):
            if part not in until and stranded(pages, number, part):
                fix = _fill(pages, number, part, layout, loose, long)
                if fix:
                    until[part] = number - 1
                if isinstance(fix, tuple):
                    fixes.add(fix)
    breaks: set[tuple[str, int]] = set()
    first_page: dict[str, int] = {}
    for number, page in enumerate(pages):
        for row in page.starts:
            first_page.setdefault(row.group, number)
            if number > first_page[row.group] and not row.names and row is _first_of(page, row.group):
                if row.matter and not row.long and row.group not in long:
                    long.add(row.group)  # citations as rows: the matter flows anew from its first page
                    until[row.part] = min(until.get(row.part, number), first_page[row.group])
                else:
                    breaks.add((row.group, row.index))  # rule 1: name the group on this page

    def stays(key: tuple[str, int]) -> bool:
        number, part = where.get(key, (0, ""))
        return number <= until.get(part, len(pages))

    kept = {b for b in breaks | layout.breaks if stays(b)} | {f for f in fixes if stays(f)}
    return replace(layout, breaks=frozenset(kept), loose=frozenset(loose), long=frozenset(long))


def _fill(pages: list[Page], number: int, part: str, layout: Layout, loose: set[str],
          long: set[str]) -> tuple[str, int] | str | None:
    """Rule 2 for stranded page `number`: let the group the next page starts with split onto
    it (the group returned, and added to `loose`), else bring over the last row of the page
    before, or its whole duty kept together (the break returned).  None when both were
    tried already."""
    following = [r for r in pages[number + 1].starts if r.part == part] if number + 1 < len(pages) else []
    if following and following[0].index == 0 and following[0].group not in loose:
        loose.add(following[0].group)
        if following[0].matter:
            long.add(following[0].group)
        return following[0].group
    before = [r for r in pages[number - 1].starts if r.part == part]
    if not before:
        return None
    last = before[-1]
    first = _first_of(pages[number - 1], last.group)
    kept = last.group not in loose and not (last.matter and (last.long or last.group in long))  # break-inside: avoid
    target = first if first.index == 0 and kept else last
    if (target.group, target.index) in layout.breaks:
        return None
    if last.matter and target.index > 0:
        long.add(last.group)
    return (target.group, target.index)


def _first_of(page: Page, group: str) -> Row:
    return next(r for r in page.starts if r.group == group)
