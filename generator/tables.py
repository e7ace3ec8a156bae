"""Table rows of the register and department pages, drawn in Python.

A register page has hundreds of rows and a dozen escaped, cross-linked cells per row;
as Jinja expressions each cell cost a runtime call and rows were most of the rendering
time.  The page layout (headings, table heads, sections) stays in the templates; only
the repeated rows are here.  Every register string still goes through `Linker`.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from . import paths

if TYPE_CHECKING:
    from .model import Clause, Division, Register, Text, Topic
    from .render import Linker


class Rows:
    """The rows of one page in one language: `L` escapes and links register text, `T` holds
    the interface labels, `link` makes a relative URL from this page."""

    def __init__(self, L: Linker, T: Mapping[str, str], link: Callable[..., str]) -> None:  # noqa: N803
        self.L, self.T, self.link = L, T, link
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
                        for tp in topics)
        return f'<span class="qd-topics">{chips}</span>' if chips else ""

    def _row_start(self, row_id: str, first: bool, span: int, number: str, group: Any, text: Text, css: str,
                   label: str) -> str:
        """A row's opening tag; a group's first row also holds the group's number and text
        (a duty, a matter), spanning all its rows."""
        T, name = self.T, self.T[label]
        if not first:  # on phones each row is a card: a later one says whose it is
            cont = T["continued"].replace("{row}", f"{name} {number}")
            return f'<tr id="{row_id}" class="qd-row" data-qd-cont="{cont}">'
        return (f'<tr id="{row_id}" class="qd-row qd-group-start">'
                f'<td class="qd-col-num" rowspan="{span}" data-label="{T["col_number"]}">{number}</td>'
                f'<td class="{css}" id="{group.id}" rowspan="{span}" data-label="{name}" data-qd-row="{name} {number}">'
                f'{self.L.html(text)}{self.permalink(group.id, f"{name} {number}")}{self.topic_chips(group.topics)}</td>')

    def duties(self, r: Register) -> str:
        """Each work item a row; a duty's number and text span its items."""
        L, T, out = self.L, self.T, []
        columns = [(col.zh, L.attr(col)) for col in r.parts["duties"].columns]
        for d in r.duties:
            number, span = L.num(d.number), len(d.items)
            for index, it in enumerate(d.items, 1):
                out.append(self._row_start(it.id, index == 1, span, number, d, d.text, "qd-duty", "col_duty"))
                item = f'{T["col_item"]} {number}.{index}'
                out.append(f'<td data-label="{T["col_item"]}" data-qd-row="{item}"'
                           f' data-qd-anchor="{it.id}">{L.html(it.text)}{self.permalink(it.id, item)}'
                           f'{self.topic_chips(it.topics)}</td>')
                out.extend(f'<td data-label="{label}">{self._blank(it.extra.get(zh))}</td>' for zh, label in columns)
                out.append(f'<td class="qd-col-remark" data-label="{T["col_remark"]}">{self._blank(it.remark)}</td></tr>\n')
        return "".join(out)

    def boundaries(self, r: Register) -> str:
        """Each division a row; a matter's number, text, legal basis and cases span them."""
        L, T, link, out = self.L, self.T, self.link, []
        for m in r.matters:
            number, span = L.num(m.number), len(m.divisions)
            for index, dv in enumerate(m.divisions, 1):
                out.append(self._row_start(dv.id, index == 1, span, number, m, m.matter, "qd-matter", "col_matter"))
                written = L.plain_str(dv.as_written)
                division = f'{T["col_division"]} {number} · {L.attr(dv.department.name)}'
                out.append(
                    f'<td class="qd-dept" data-label="{T["col_department"]}">{self._department(dv)}</td>'
                    f'<td data-label="{T["col_division"]}" data-qd-row="{T["col_division"]} {number} · {written}"'
                    f' data-qd-anchor="{dv.id}">{L.html(dv.text)}{self.permalink(dv.id, division)}</td>')
                if index == 1:
                    out.append(f'<td class="qd-basis" rowspan="{span}" data-label="{T["col_basis"]}">')
                    out.extend(self._citation(b) for b in m.basis)
                    out.append(f'</td><td class="qd-cases" rowspan="{span}" data-label="{T["col_case"]}">')
                    out.extend(f'<div class="qd-case" id="{c.id}" data-qd-row="{T["col_case"]} {number}">'
                               f'{L.html(c.text)}</div>' for c in m.cases)
                    out.append("</td>")
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

    def services(self, r: Register) -> str:
        L, T, out = self.L, self.T, []
        for s in r.services:
            number = L.num(s.number)
            service = f'{T["col_service"]} {number}'
            out.append(
                f'<tr id="{s.id}" class="qd-row qd-group-start" data-qd-row="{T["col_service"]} {number}">'
                f'<td class="qd-col-num" data-label="{T["col_number"]}">{number}</td>'
                f'<td data-label="{T["col_service"]}">{L.html(s.name)}{self.permalink(s.id, service)}'
                f'{self.topic_chips(s.topics)}</td><td data-label="{T["col_content"]}">{L.html(s.content)}</td>'
                f'<td data-label="{T["col_agency"]}">{L.html(s.agency)}</td><td class="qd-phone"'
                f' data-label="{T["col_phone"]}"><a href="{s.tel}">{L.plain_str(s.phone)}</a></td></tr>\n')
        return "".join(out)

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
