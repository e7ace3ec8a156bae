"""Table rows of the register and department pages, drawn in Python.

A register page has hundreds of rows and a dozen escaped, cross-linked cells per row;
as Jinja expressions each cell cost a runtime call and rows were most of the rendering
time.  The page layout (headings, table heads, sections) stays in the templates; only
the repeated rows are here.  Every register string still goes through `Linker`.
"""
from __future__ import annotations

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
        label = T["copy_link"]
        self._permalink = f'" title="{label}" aria-label="{label}">#</a>'

    def permalink(self, anchor: str) -> str:
        """The "copy link" mark of a row."""
        return f'<a class="qd-permalink" href="#{anchor}{self._permalink}'

    def topic_chips(self, topics: list[Topic]) -> str:
        chips = "".join(f'<a class="qd-chip" href="{self.link(paths.topic(tp))}">{self.L.plain(tp.name)}</a>'
                        for tp in topics)
        return f'<span class="qd-topics">{chips}</span>' if chips else ""

    def _row_start(self, row_id: str, first: bool, span: int, number: str, group: Any, text: Text, css: str,
                   label: str) -> str:
        """A row's opening tag; a group's first row also holds the group's number and text
        (a duty, a matter), spanning all its rows."""
        start = f'<tr id="{row_id}" class="qd-row{" qd-group-start" if first else ""}">'
        if not first:
            return start
        T, name = self.T, self.T[label]
        return (f'{start}<td class="qd-col-num" rowspan="{span}" data-label="{T["col_number"]}">{number}</td>'
                f'<td class="{css}" id="{group.id}" rowspan="{span}" data-label="{name}" data-qd-row="{name} {number}">'
                f'{self.L.html(text)}{self.permalink(group.id)}{self.topic_chips(group.topics)}</td>')

    def duties(self, r: Register) -> str:
        """Each work item a row; a duty's number and text span its items."""
        L, T, out = self.L, self.T, []
        columns = [(col.zh, L.attr(col)) for col in r.parts["duties"].columns]
        for d in r.duties:
            number, span = L.plain_str(d.number), len(d.items)
            for index, it in enumerate(d.items, 1):
                out.append(self._row_start(it.id, index == 1, span, number, d, d.text, "qd-duty", "col_duty"))
                out.append(f'<td data-label="{T["col_item"]}" data-qd-row="{T["col_item"]} {number}.{index}"'
                           f' data-qd-anchor="{it.id}">{L.html(it.text)}{self.permalink(it.id)}'
                           f'{self.topic_chips(it.topics)}</td>')
                out.extend(f'<td data-label="{label}">{L.html(it.extra[zh]) if zh in it.extra else ""}</td>'
                           for zh, label in columns)
                out.append(f'<td class="qd-col-remark" data-label="{T["col_remark"]}">'
                           f'{L.html(it.remark) if it.remark else ""}</td></tr>\n')
        return "".join(out)

    def boundaries(self, r: Register) -> str:
        """Each division a row; a matter's number, text, legal basis and cases span them."""
        L, T, link, out = self.L, self.T, self.link, []
        for m in r.matters:
            number, span = L.plain_str(m.number), len(m.divisions)
            for index, dv in enumerate(m.divisions, 1):
                out.append(self._row_start(dv.id, index == 1, span, number, m, m.matter, "qd-matter", "col_matter"))
                written = L.plain_str(dv.as_written)
                out.append(
                    f'<td class="qd-dept" data-label="{T["col_department"]}"><a href="'
                    f'{link(paths.department(dv.department))}" title="{L.attr(dv.department.name)}">{written}</a></td>'
                    f'<td data-label="{T["col_division"]}" data-qd-row="{T["col_division"]} {number} · {written}"'
                    f' data-qd-anchor="{dv.id}">{L.html(dv.text)}{self.permalink(dv.id)}</td>')
                if index == 1:
                    out.append(f'<td class="qd-basis" rowspan="{span}" data-label="{T["col_basis"]}">')
                    out.extend(self._citation(b) for b in m.basis)
                    out.append(f'</td><td class="qd-cases" rowspan="{span}" data-label="{T["col_case"]}">')
                    out.extend(f'<div class="qd-case" id="{c.id}" data-qd-row="{T["col_case"]} {number}">'
                               f'{L.html(c.text)}</div>' for c in m.cases)
                    out.append("</td>")
                out.append("</tr>\n")
        return "".join(out)

    def _citation(self, b: Any) -> str:
        L, T = self.L, self.T
        articles = "".join(f'<span class="qd-article">{T["article_n"].replace("{n}", a)}</span>' for a in b.articles)
        return (f'<div class="qd-citation" id="{b.id}" data-qd-row="{T["col_basis"]} · 《{L.attr(b.law.title)}》">'
                f'<p class="qd-cite-head">{L.plain_str(b.number) if b.number else ""}'
                f'<a href="{self.link(paths.law(b.law))}">《{L.plain(b.law.title)}》</a>'
                f'{" " + articles if articles else ""}</p><div class="qd-quote">{L.html(b.text)}</div></div>')

    def clauses(self, clauses: list[Clause], where: str) -> str:
        """A section's numbered clauses, nested as written; `where` names the section."""
        L, out = self.L, []
        for c in clauses:
            number = f'<span class="qd-num">{L.plain_str(c.number)}</span>' if c.number else ""
            inner = f'<div class="qd-clauses">{self.clauses(c.clauses, where)}</div>' if c.clauses else ""
            out.append(f'<div class="qd-clause" id="{c.id}"><span class="qd-clause-body" data-qd-row="{where} '
                       f'{L.plain_str(c.number or "")}" data-qd-anchor="{c.id}">{number}<span class="qd-text">'
                       f'{L.html(c.text)}</span></span>{self.permalink(c.id)}{inner}</div>')
        return "".join(out)

    def services(self, r: Register) -> str:
        L, T, out = self.L, self.T, []
        for s in r.services:
            number = L.plain_str(s.number)
            out.append(
                f'<tr id="{s.id}" class="qd-row qd-group-start" data-qd-row="{T["col_service"]} {number}">'
                f'<td class="qd-col-num" data-label="{T["col_number"]}">{number}</td>'
                f'<td data-label="{T["col_service"]}">{L.html(s.name)}{self.permalink(s.id)}'
                f'{self.topic_chips(s.topics)}</td><td data-label="{T["col_content"]}">{L.html(s.content)}</td>'
                f'<td data-label="{T["col_agency"]}">{L.html(s.agency)}</td><td class="qd-phone"'
                f' data-label="{T["col_phone"]}"><a href="{s.tel}">{L.plain_str(s.phone)}</a></td></tr>\n')
        return "".join(out)

    def divisions(self, divisions: list[Division]) -> str:
        """A department's boundary duties, each linked to its register row."""
        L, T, link, out = self.L, self.T, self.link, []
        for dv in divisions:
            register = paths.register(dv.register)
            out.append(
                f'<tr><td data-label="{T["col_register"]}"><a href="{link(register)}">'
                f'{L.plain(dv.register.county.name)} · {L.plain(dv.register.department.name)}</a></td>'
                f'<td data-label="{T["col_matter"]}"><a href="{link(register, dv.matter.id)}">'
                f'{L.plain(dv.matter.matter)}</a></td><td data-label="{T["col_division"]}">{L.html(dv.text)}'
                f' <a class="qd-muted" href="{link(register, dv.id)}">→</a></td></tr>\n')
        return "".join(out)
