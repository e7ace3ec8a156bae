"""Table rows of the register and department pages, drawn in Python.

A register page has hundreds of rows and a dozen escaped, cross-linked cells per row;
as Jinja expressions each cell cost a runtime call and rows were most of the rendering
time.  The page layout (headings, table heads, sections) stays in the templates; only
the repeated rows are here.  Every register string still goes through `Linker`.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Mapping
from typing import TYPE_CHECKING, Any

from . import paths
from .markup import esc

if TYPE_CHECKING:
    from .model import Clause, Division, Part, Register, Text, Topic
    from .render import Linker


class Rows:
    """The rows of one page in one language: `L` escapes and links register text, `T` holds
    the interface labels, `link` makes a relative URL from this page."""

    def __init__(self, L: Linker, T: Mapping[str, str], link: Callable[..., str],  # noqa: N803
                 topics: Collection[str]) -> None:
        """`topics`: ids of the topics that have a page; a chip of any other (a row of an
        earlier version may carry a topic no current row uses) is shown without a link."""
        self.L, self.T, self.link, self.topics = L, T, link, topics
        self._names: Counter[str] = Counter()

    def permalink(self, anchor: str, row: str) -> str:
        """The "copy link" mark of a row, named after the row (`row`: escaped, e.g. "主要职责 3"),
        so a screen reader's list of links tells 140 of them apart; a number the list repeats
        (two matters numbered 2) gets a count."""
        self._names[row] += 1
        seen = self._names[row]
        label = self.T["copy_link_to"].replace("{row}", row if seen == 1 else f"{row} ({seen})")
        return f'<a class="qd-permalink" href="#{anchor}" title="{label}" aria-label="{label}">#</a>'

    def _blank(self, text: Text | None) -> str:
        """A cell's text; whitespace only (Ding'an's remarks hold an ideographic space) is no text."""
        return self.L.html(text) if text is not None and text.zh.strip() else ""

    def topic_chips(self, topics: list[Topic]) -> str:
        chips = "".join(f'<a class="qd-chip" href="{self.link(paths.topic(tp))}">{self.L.plain(tp.name)}</a>'
                        if tp.id in self.topics else f'<span class="qd-chip">{self.L.plain(tp.name)}</span>'
                        for tp in topics)
        return f'<span class="qd-topics">{chips}</span>' if chips else ""

    def none(self, part: Part) -> str:
        """What a part without rows shows under its heading: the stated reason, else 无."""
        reason = part.absent
        if reason is None or (reason.zh == "无" and self.L.lang == "en" and not reason.en):
            return f'<p class="qd-part-none">{self.T["part_none"]}</p>'
        return f'<p class="qd-part-none">{self.L.html(reason)}</p>'

    def extra_cells(self, columns: list[tuple[str, str]], extra: Mapping[str, Text], anchor: str, span: int = 1) -> str:
        """A row's extra column cells in the part's column order; the search stage adds each
        value to the record of the row at `anchor` (data-qd-also)."""
        rowspan = f' rowspan="{span}"' if span > 1 else ""
        return "".join(
            f'<td class="qd-extra"{rowspan} data-label="{label}" data-qd-also="{anchor}">{self.L.html(extra[zh])}</td>'
            if zh in extra and extra[zh].zh.strip() else f'<td class="qd-extra"{rowspan} data-label="{label}"></td>'
            for zh, label in columns)

    def short(self, text: Text) -> str:
        """The start of a row's text, escaped: names an unnumbered row in search results."""
        value = text.get(self.L.lang) or text.zh
        return esc(value if len(value) <= 20 else value[:20] + "…")

    def columns(self, part: Part) -> list[tuple[str, str]]:
        """A part's extra columns as (key in `extra`, label for this page's language)."""
        return [(col.zh, self.L.attr(col)) for col in part.columns]

    def _row_start(self, row_id: str | None, first: bool, span: int, number: str | None, group: Any, text: Text,
                   css: str, label: str) -> str:
        """A row's opening tag; a group's first row also holds the group's number and text
        (a duty, a matter), spanning all its rows.  `number` None: the part has no number
        column; `row_id` None: the row is the group itself (a duty without work items)."""
        T, name = self.T, self.T[label]
        id_attr = f' id="{row_id}"' if row_id else ""
        row = f"{name} {number}" if number else name
        if not first:  # on phones each row is a card: a later one says whose it is
            return f'<tr{id_attr} class="qd-row" data-qd-cont="{T["continued"].replace("{row}", row)}">'
        cell = "" if number is None else f'<td class="qd-col-num" rowspan="{span}" data-label="{T["col_number"]}">{number}</td>'
        own = row if number else f"{name} · {self.short(text)}"
        return (f'<tr{id_attr} class="qd-row qd-group-start">{cell}'
                f'<td class="{css}" id="{group.id}" rowspan="{span}" data-label="{name}" data-qd-row="{row}">'
                f'{self.L.html(text)}{self.permalink(group.id, own)}{self.topic_chips(group.topics)}</td>')

    def duties(self, r: Register) -> str:
        """Each work item a row; a duty's number and text span its items.  A duty without
        items is one row with its own extra values and remark."""
        L, T, out = self.L, self.T, []
        columns = self.columns(r.parts["duties"])
        numbered = any(d.number for d in r.duties)
        for d in r.duties:
            number = L.num(d.number) if numbered else None
            if not d.items:
                out.append(self._row_start(None, True, 1, number, d, d.text, "qd-duty", "col_duty"))
                out.append(f'<td data-label="{T["col_item"]}"></td>{self.extra_cells(columns, d.extra, d.id)}'
                           f'<td class="qd-col-remark" data-label="{T["col_remark"]}">{self._blank(d.remark)}</td></tr>\n')
                continue
            span = len(d.items)
            for index, it in enumerate(d.items, 1):
                out.append(self._row_start(it.id, index == 1, span, number, d, d.text, "qd-duty", "col_duty"))
                label = f'{T["col_item"]} {number}.{index}' if number else f'{T["col_item"]} · {self.short(d.text)}'
                own = label if number else f'{T["col_item"]} · {self.short(it.text)}'
                out.append(f'<td data-label="{T["col_item"]}" data-qd-row="{label}"'
                           f' data-qd-anchor="{it.id}">{L.html(it.text)}{self.permalink(it.id, own)}'
                           f'{self.topic_chips(it.topics)}</td>')
                out.append(self.extra_cells(columns, it.extra, it.id))
                remarks = [self._blank(x) for x in ((d.remark if index == 1 else None), it.remark) if x and x.zh.strip()]
                out.append(f'<td class="qd-col-remark" data-label="{T["col_remark"]}">{"<br>".join(remarks)}</td></tr>\n')
        return "".join(out)

    def boundaries(self, r: Register) -> str:
        """Each division a row; a matter's number, text, legal basis, cases and extra
        columns span them."""
        L, T, link, out = self.L, self.T, self.link, []
        columns = self.columns(r.parts["boundaries"])
        numbered = any(m.number for m in r.matters)
        for m in r.matters:
            number, span = (L.num(m.number) if numbered else None), len(m.divisions)
            for index, dv in enumerate(m.divisions, 1):
                out.append(self._row_start(dv.id, index == 1, span, number, m, m.matter, "qd-matter", "col_matter"))
                written = L.plain_str(dv.as_written)
                division = f'{T["col_division"]}{" " + number if number else ""} · {L.attr(dv.department.name)}'
                out.append(
                    f'<td class="qd-dept" data-label="{T["col_department"]}">{self._department(dv)}</td>'
                    f'<td data-label="{T["col_division"]}" data-qd-row="{T["col_division"]} {number or ""} · {written}"'
                    f' data-qd-anchor="{dv.id}">{L.html(dv.text)}{self.permalink(dv.id, division)}</td>')
                if index == 1:
                    out.append(f'<td class="qd-basis" rowspan="{span}" data-label="{T["col_basis"]}">')
                    out.extend(self._citation(b) for b in m.basis)
                    out.append(f'</td><td class="qd-cases" rowspan="{span}" data-label="{T["col_case"]}">')
                    out.extend(f'<div class="qd-case" id="{c.id}" data-qd-row="{T["col_case"]} {number or ""}">'
                               f'{L.html(c.text)}</div>' for c in m.cases)
                    out.append("</td>")
                    out.append(self.extra_cells(columns, m.extra, m.id, span))
                out.append("</tr>\n")
        return "".join(out)

    def _department(self, dv: Division) -> str:
        """The 相关部门 cell: the name as the document writes it; on English pages the
        department's English name, with the Chinese as written beside it."""
        written, target = self.L.plain_str(dv.as_written), self.link(paths.department(dv.department))
        if self.L.lang == "zh":
            return f'<a href="{target}">{written}</a>'
        if not dv.department.name.en:
            return f'<a href="{target}" lang="zh-Hans">{written}</a>'
        return f'<a href="{target}">{self.L.attr(dv.department.name)}</a> <span class="qd-as-written" lang="zh-Hans">{written}</span>'

    def _citation(self, b: Any) -> str:
        L, T = self.L, self.T
        articles = "".join(f'<span class="qd-article">{T["article_n"].replace("{n}", a)}</span>' for a in b.articles)
        return (f'<div class="qd-citation" id="{b.id}" data-qd-row="{T["col_basis"]} · 《{L.attr(b.law.title)}》">'
                f'<p class="qd-cite-head">{L.lead(b.number) if b.number else ""}'
                f'<a href="{self.link(paths.law(b.law))}">《{L.plain(b.law.title)}》</a>'
                f'{" " + articles if articles else ""}</p><div class="qd-quote">{L.html(b.text)}</div></div>')

    def clauses(self, clauses: list[Clause], where: str) -> str:
        """A section's numbered clauses, nested as written; `where` names the section."""
        L, out = self.L, []
        for c in clauses:
            number = f'<span class="qd-num">{L.num(c.number)}</span>' if c.number else ""
            name = f'{where} {L.num(c.number)}' if c.number else f'{where} · {L.plain_str((c.text.get(L.lang) or c.text.zh)[:12])}…'
            inner = f'<div class="qd-clauses">{self.clauses(c.clauses, name)}</div>' if c.clauses else ""
            out.append(f'<div class="qd-clause" id="{c.id}"><span class="qd-clause-body" data-qd-row="{where} '
                       f'{L.num(c.number or "")}" data-qd-anchor="{c.id}">{number}<span class="qd-text">'
                       f'{L.html(c.text)}</span></span>{self.permalink(c.id, name)}'
                       f'{inner}</div>')
        return "".join(out)

    def phone(self, phone: str | None, tel: str) -> str:
        """A phone cell's content: a dial link for one number, the words as written otherwise."""
        if not phone:
            return ""
        return f'<a href="{tel}">{self.L.plain_str(phone)}</a>' if tel else self.L.written(phone)

    def services(self, r: Register) -> str:
        """One row per service: the standard columns the list has, then its extra columns;
        the whole row is one search entry."""
        T, out = self.T, []
        for s, number, cells in self._service_cells(r):
            service = f'{T["col_service"]} {number}' if number else f'{T["col_service"]} · {self.short(s.name)}'
            cells[1] = (f'<td data-label="{T["col_service"]}">{self.L.html(s.name)}{self.permalink(s.id, service)}'
                        f'{self.topic_chips(s.topics)}</td>')
            row = f'{T["col_service"]} {number}' if number else T["col_service"]
            out.append(f'<tr id="{s.id}" class="qd-row qd-group-start" data-qd-row="{row}">{"".join(cells)}</tr>\n')
        return "".join(out)

    def service_links(self, r: Register) -> str:
        """A register's services on its county's services page: the same columns as on the
        register page, each name linking to its row there (the register page is the one
        search entry, so no row ids or search attributes here)."""
        T, page, out = self.T, paths.register(r), []
        for s, _, cells in self._service_cells(r):
            cells[1] = (f'<td data-label="{T["col_service"]}"><a href="{self.link(page, s.id)}">'
                        f'{self.L.plain(s.name)}</a></td>')
            out.append(f'<tr>{"".join(cells)}</tr>\n')
        return "".join(out)

    def _service_cells(self, r: Register) -> list[tuple[Any, str, list[str]]]:
        """Per service: the service, its escaped number and its cells (number, name, standard
        columns the list has, extra columns); the name cell (index 1) is left to the caller."""
        L, T, out = self.L, self.T, []
        fields, columns = r.service_fields, self.columns(r.parts["services"])
        numbered = any(s.number for s in r.services)
        for s in r.services:
            number = L.num(s.number)
            cells = [f'<td class="qd-col-num" data-label="{T["col_number"]}">{number}</td>' if numbered else "", ""]
            if "content" in fields:
                cells.append(f'<td data-label="{T["col_content"]}">{L.html(s.content) if s.content else ""}</td>')
            if "agency" in fields:
                cells.append(f'<td data-label="{T["col_agency"]}">{L.html(s.agency) if s.agency else ""}</td>')
            if "phone" in fields:
                cells.append(f'<td class="qd-phone" data-label="{T["col_phone"]}">{self.phone(s.phone, s.tel)}</td>')
            cells.extend(f'<td class="qd-extra" data-label="{label}">{self._blank(s.extra.get(zh))}</td>'
                         for zh, label in columns)
            out.append((s, number, cells))
        return out

    def divisions(self, divisions: list[Division]) -> str:
        """A department's boundary duties, each linked to its register row."""
        L, T, link, out = self.L, self.T, self.link, []
        for dv in divisions:
            register = paths.register(dv.register)
            go_to = T["go_to"].replace("{name}", f'{L.attr(dv.matter.matter)} · {T["col_division"]}')
            out.append(
                f'<tr><td data-label="{T["col_register"]}"><a href="{link(register)}">'
                f'{L.plain(dv.register.county.name)} · {L.plain(dv.register.department.name)}</a></td>'
                f'<td data-label="{T["col_matter"]}"><a href="{link(register, dv.matter.id)}">'
                f'{L.plain(dv.matter.matter)}</a></td><td data-label="{T["col_division"]}">{L.html(dv.text)}'
                f' <a class="qd-muted" href="{link(register, dv.id)}" aria-label="{go_to}">→</a></td></tr>\n')
        return "".join(out)
