"""Site pages for comparing counties: one page per configured pair, a topic × county matrix
and an index.

The renderer calls these and writes the Markdown they return to `paths.comparison(a, b)`,
`paths.MATRIX` and `paths.COMPARE`.  Register content is raw HTML (escaped with `esc`),
links are relative (`href`) because MkDocs does not rewrite links inside raw HTML, and no
HTML block contains a blank line.  Styles: the comparison part of overrides/assets/css/qingdan.css.
"""
from __future__ import annotations

from itertools import combinations
from typing import Any

from . import paths
from . import messages
from .align import (
    PART_NAMES, PARTS, Alignment, Pair, PartAlignment, Segment, Unit, align, field_name, overlap, percent, side,
    visible,
)
from .markup import UNTRANSLATED_MARK, esc, href, md, text_html
from .model import Corpus, Register, Text

BREAKDOWN = {"duties": Text("职责", "duties"), "boundaries": Text("边界", "boundaries"),
             "supervision": Text("监管", "supervision"), "services": Text("服务", "services")}


class CompareConfigError(ValueError):
    """`extra.qingdan.compare` in mkdocs.yml names something that is not a pair of registers."""


def _t(key: str, lang: str) -> str:
    return messages.t(f"compare.{key}", lang)


# --- configuration -----------------------------------------------------------------------------


def configured_pairs(corpus: Corpus, config: dict[str, Any]) -> list[tuple[Register, Register]]:
    """The pairs named in mkdocs.yml `extra.qingdan.compare` ([[keyA, keyB], …]); without that
    setting, every two registers whose departments are of the same type."""
    entries = ((config.get("extra") or {}).get("qingdan") or {}).get("compare")
    by_key = {r.key: r for r in corpus.registers}
    if entries is None:
        ordered = sorted(corpus.registers, key=lambda r: (r.department.type.id, r.key))
        return [(a, b) for a, b in combinations(ordered, 2) if a.department.type is b.department.type]
    if not isinstance(entries, list):
        raise CompareConfigError(f"extra.qingdan.compare 应为清单键对的列表：{entries!r} / must be a list of register key pairs")
    pairs = []
    for entry in entries:
        if not (isinstance(entry, (list, tuple)) and len(entry) == 2 and all(isinstance(k, str) for k in entry)):
            raise CompareConfigError(f"extra.qingdan.compare 的每一项应为两个清单键，如 [dingan/renkou-jisheng, "
                                     f"anhua/renkou-jisheng]：{entry!r} / each entry must be two register keys")
        missing = [k for k in entry if k not in by_key]
        if missing:
            raise CompareConfigError(f"extra.qingdan.compare 中的清单不存在：{', '.join(missing)} / "
                                     f"no such register: {', '.join(missing)}")
        pairs.append((by_key[entry[0]], by_key[entry[1]]))
    return pairs


# --- comparison page ---------------------------------------------------------------------------


def _segments_html(segs: list[Segment], which: str) -> str:
    out = []
    for op, text in side(segs, which):
        if op == "equal":
            out.append(esc(text))
        else:
            tag = "del" if op == "delete" else "ins"
            out.append(f'<{tag} class="qd-{tag}">{esc(visible(text))}</{tag}>')
    return "".join(out)


def _field_html(name: str, body: str, many: bool, lang: str) -> str:
    label = field_name(name)
    prefix = f'<span class="qd-field-name">{esc(label.get(lang) or label.zh)}</span> ' if many else ""
    return f'<div class="qd-compare-text">{prefix}{body}</div>'


def _untranslated(body: str) -> str:
    return f'<span class="qd-untranslated" lang="zh-Hans">{body}</span> {UNTRANSLATED_MARK}'


def _caption(text: Text, lang: str) -> str:
    """A county name repeated in every cell: the Chinese stands in for a missing translation
    without repeating the untranslated mark each time."""
    if lang == "en" and not text.en:
        return f'<span lang="zh-Hans">{esc(text.zh)}</span>'
    return esc(text.get(lang) or text.zh)


def _cell(page: str, unit: Unit | None, pair: Pair | None, which: str, other: Register, lang: str) -> str:
    """One side of a row: a link to the row on its register page, then its text."""
    if unit is None:
        return (f'<div class="qd-compare-cell qd-side-{which} qd-compare-missing">'
                f'<span class="qd-compare-county">{_caption(other.county.name, lang)}</span>{_t("none", lang)}</div>')
    reg = unit.row.register
    link = href(page, paths.register(reg), unit.row.anchor)
    label = esc(unit.label.get(lang) or unit.label.zh)
    many = len(unit.fields) > 1
    if pair is None:
        bodies = [_field_html(name, text_html(text, lang), many, lang) for name, text in unit.fields]
    else:
        bodies = []
        for name, used, segs in pair.changes(lang):
            body = _segments_html(segs, which)
            bodies.append(_field_html(name, _untranslated(body) if used != lang else body, many, lang))
    return (f'<div class="qd-compare-cell qd-side-{which}">'
            f'<span class="qd-compare-county">{_caption(reg.county.name, lang)}</span>'
            f'<a class="qd-compare-ref" href="{link}">{label}</a>{"".join(bodies)}</div>')


def _meta(page: str, pair: Pair, corpus: Corpus, lang: str) -> str:
    topics = [corpus.topics[t] for t in pair.shared_topics if t in corpus.topics]
    shared = ", ".join(f'<a href="{href(page, paths.topic(t))}">{text_html(t.name, lang)}</a>' for t in topics)
    tail = f' · {_t("shared", lang)}{shared}' if shared else ""
    return f'<div class="qd-compare-meta">{_t("similarity", lang)} {percent(pair.score)}{tail}</div>'


def _identical(pair: Pair, lang: str) -> bool:
    """The two rows say the same, word for word, in the language the page compares."""
    return all(op == "equal" for _, _, segs in pair.changes(lang) for op, _ in segs)


FOLD_RUN = 4
"""Rows only one list has, this many or more in a row, are folded (a section the other list
lacks: Anhua's 72 supervision rows made the part 20,000 px tall on a phone); shorter runs
stay in place, beside the pairs they fall between."""


def _fold_html(kind: str, rows: list[str], al: Alignment, lang: str) -> str:
    """A run of identical pairs, or a long run of one list's rows, folded behind a summary
    that says what and how many it holds."""
    if kind == "same":
        label = _t("same_one" if len(rows) == 1 else "same", lang).format(n=len(rows))
    else:
        county = al.a.county if kind == "only-a" else al.b.county
        label = _t("only_run", lang).format(n=len(rows), county=_caption(county.name, lang))
    folded = f'<span class="qd-compare-folded">{_t("folded", lang)}</span>'  # hidden once open (qingdan.css)
    return (f'<details class="qd-compare-fold qd-compare-fold-{kind}"><summary>{label}{folded}</summary>\n'
            + "\n".join(rows) + "\n</details>")


def _part_html(page: str, corpus: Corpus, al: Alignment, part: str, lang: str) -> str:
    """A part's rows side by side, folded into one <details> (closed: a phone opens on the
    summary, not on 300 rows); inside it, runs of identical pairs and long runs of one list's
    rows are folded again (`_fold_html`)."""
    pa = al.parts[part]
    entries = pa.entries()
    if not entries:
        return f'<p class="qd-compare-none">{_t("empty", lang)}</p>'
    runs: list[tuple[str, list[str]]] = []
    for unit_a, unit_b, pair in entries:
        kind = "pair" if pair else ("only-a" if unit_a else "only-b")
        meta = _meta(page, pair, corpus, lang) if pair else ""
        row = (f'<div class="qd-compare-row qd-compare-{kind}">{meta}'
               f'{_cell(page, unit_a, pair, "a", al.a, lang)}{_cell(page, unit_b, pair, "b", al.b, lang)}</div>')
        run = "same" if pair is not None and _identical(pair, lang) else kind
        if runs and runs[-1][0] == run:
            runs[-1][1].append(row)
        else:
            runs.append((run, [row]))
    blocks = []
    for run, rows in runs:
        if run == "same" or (run != "pair" and len(rows) >= FOLD_RUN):
            blocks.append(_fold_html(run, rows, al, lang))
        else:
            blocks += rows
    head = (f'<div class="qd-compare-head" aria-hidden="true"><div>{text_html(al.a.county.name, lang)}</div>'
            f'<div>{text_html(al.b.county.name, lang)}</div></div>')
    counts = " · ".join(f"{label} {n}" for label, n in (
        (_t("matched", lang), len(pa.pairs)), (_only(al.a, lang), len(pa.only_a)), (_only(al.b, lang), len(pa.only_b))))
    summary = (f'<summary><span class="qd-compare-part-label">{_t("rows", lang)}</span> '
               f'<span class="qd-compare-counts">{counts}</span></summary>')
    return (f'<details class="qd-compare-part">\n{summary}\n<div class="qd-compare">\n{head}\n'
            + "\n".join(blocks) + "\n</div>\n</details>")


def _only(reg: Register, lang: str) -> str:
    template = _t("only", lang)
    return template.format(text_html(reg.county.name, lang))


def _summary_html(al: Alignment, lang: str) -> str:
    head = (f'<tr><th scope="col">{_t("part", lang)}</th><th scope="col">{_t("matched", lang)}</th>'
            f'<th scope="col">{_only(al.a, lang)}</th><th scope="col">{_only(al.b, lang)}</th>'
            f'<th scope="col">{_t("overlap", lang)}</th></tr>')

    def row(name: str, pas: list[PartAlignment], anchor: str = "") -> str:
        counts = [sum(len(getattr(pa, k)) for pa in pas) for k in ("pairs", "only_a", "only_b")]
        cells = "".join(f"<td>{n}</td>" for n in counts)
        label = f'<a href="#{anchor}">{esc(name)}</a>' if anchor else esc(name)
        return f'<tr><th scope="row">{label}</th>{cells}<td>{percent(overlap(pas))}</td></tr>'

    rows = [row(PART_NAMES[p].get(lang) or PART_NAMES[p].zh, [al.parts[p]], p) for p in PARTS]
    total = row(_t("total", lang), list(al.parts.values()))
    return (f'<table class="qd-compare-summary">\n<thead>{head}</thead>\n<tbody>\n' + "\n".join(rows)
            + f"\n</tbody>\n<tfoot>{total}</tfoot>\n</table>")


def _legend(al: Alignment, lang: str) -> str:
    return (f'<p class="qd-compare-legend"><del class="qd-del">{_only(al.a, lang)}</del> '
            f'<ins class="qd-ins">{_only(al.b, lang)}</ins></p>')


def _pair_title(a: Register, b: Register, lang: str) -> str:
    """Page title in Markdown: 定安县 ↔ 安化县：人口和计划生育部门."""
    name = a.department.type.name
    sep = ": " if lang == "en" else "："
    return (f"{md(a.county.name.get(lang) or a.county.name.zh)} ↔ {md(b.county.name.get(lang) or b.county.name.zh)}"
            f"{sep}{md(name.get(lang) or name.zh)}")


def comparison_page(corpus: Corpus, a: Register, b: Register, lang: str) -> str:
    """Two registers side by side (stacked on phones), part by part, with a summary on top;
    each part's rows are folded (see `_part_html`) and the summary links each part."""
    page = paths.comparison(a, b)
    al = align(a, b)
    links = " ↔ ".join(f'<a href="{href(page, paths.register(r))}">{text_html(r.title, lang)}</a>' for r in (a, b))
    out = [
        f"# {_pair_title(a, b, lang)}",
        "",
        f'<p class="qd-compare-lists">{links}</p>',
        "",
        f'<p class="qd-compare-intro">{_t("intro", lang)}</p>',
        "",
        _legend(al, lang),
        "",
        _summary_html(al, lang),
        "",
        # shown by qingdan.js, which opens and closes every fold (and opens them to print)
        f'<p class="qd-compare-controls" hidden><button type="button" class="md-button" aria-expanded="false" '
        f'data-qd-expand="{_t("expand_all", lang)}" data-qd-collapse="{_t("collapse_all", lang)}">'
        f'{_t("expand_all", lang)}</button></p>',
    ]
    for part in PARTS:
        name = PART_NAMES[part].get(lang) or PART_NAMES[part].zh
        out += ["", f"## {md(name)} {{: #{part} }}", "", _part_html(page, corpus, al, part, lang)]
    return "\n".join(out) + "\n"


# --- matrix --------------------------------------------------------------------------------------


def _counts(corpus: Corpus) -> dict[tuple[str, str], dict[str, int]]:
    """(topic id, county slug) → rows tagged with the topic, per part."""
    counts: dict[tuple[str, str], dict[str, int]] = {}
    for topic in corpus.topics.values():
        for row in topic.rows:
            cell = counts.setdefault((topic.id, row.register.county.slug), dict.fromkeys(PARTS, 0))
            cell[row.part] += 1
    return counts


def _count_cell(page: str, topic_page: str, cell: dict[str, int] | None, lang: str) -> str:
    if not cell:
        return '<td class="qd-matrix-zero">0</td>'
    title = " · ".join(f"{(BREAKDOWN[p].get(lang) or BREAKDOWN[p].zh)} {cell[p]}" for p in PARTS)
    return f'<td><a href="{href(page, topic_page)}" title="{esc(title)}">{sum(cell.values())}</a></td>'


def matrix_page(corpus: Corpus, lang: str) -> str:
    """Which county covers which topic, with counts; readable with many counties (the topic
    column stays put while the table scrolls sideways).  One row per used topic: a topic no
    row carries has no page and would be a row of zeros."""
    page = paths.MATRIX
    counties = list(corpus.counties.values())
    counts = _counts(corpus)

    def total(topics: list[str], slugs: list[str]) -> int:
        return sum(sum(counts.get((t, s), {}).values()) for t in topics for s in slugs)

    slugs = [c.slug for c in counties]
    head = "".join(f'<th scope="col"><a href="{href(page, paths.county(c))}">{text_html(c.name, lang)}</a></th>'
                   for c in counties)
    rows, used = [], corpus.used_topics()
    for topic in used:
        topic_page = paths.topic(topic)
        cells = "".join(_count_cell(page, topic_page, counts.get((topic.id, s)), lang) for s in slugs)
        rows.append(f'<tr><th scope="row"><a href="{href(page, topic_page)}">{text_html(topic.name, lang)}</a></th>'
                    f'{cells}<td class="qd-matrix-total">{total([topic.id], slugs)}</td></tr>')
    topics = [t.id for t in used]
    totals = "".join(f'<td class="qd-matrix-total">{total(topics, [s])}</td>' for s in slugs)
    table = "\n".join([
        f'<div class="qd-matrix-scroll" role="region" tabindex="0" aria-label="{esc(_t("matrix", lang))}">',
        '<table class="qd-matrix">',
        f'<thead><tr><th scope="col">{_t("topic", lang)}</th>{head}'
        f'<th scope="col">{_t("total", lang)}</th></tr></thead>',
        "<tbody>", *rows, "</tbody>",
        f'<tfoot><tr><th scope="row">{_t("total", lang)}</th>{totals}'
        f'<td class="qd-matrix-total">{total(topics, slugs)}</td></tr></tfoot>',
        "</table>",
        "</div>",
    ])
    return "\n".join([f"# {md(_t('matrix', lang))}", "", f"<p>{_t('matrix_intro', lang)}</p>", "", table]) + "\n"


# --- index ---------------------------------------------------------------------------------------


def compare_index_page(corpus: Corpus, pairs: list[tuple[Register, Register]], lang: str) -> str:
    """The configured pairs with their overlap, and the way to the matrix."""
    page = paths.COMPARE
    out = [f"# {md(_t('title', lang))}", "", f"<p>{_t('intro', lang)}</p>", "",
           f'<p><a href="{href(page, paths.MATRIX)}">{_t("matrix", lang)}</a></p>', ""]
    if not pairs:
        return "\n".join(out + [f"<p>{_t('no_pairs', lang)}</p>"]) + "\n"
    rows = []
    for a, b in pairs:
        al = align(a, b)
        link = href(page, paths.comparison(a, b))
        matched = sum(len(p.pairs) for p in al.parts.values())
        names = f"{text_html(a.county.name, lang)} ↔ {text_html(b.county.name, lang)}"
        rows.append(f'<tr><th scope="row"><a href="{link}">{names}</a></th>'
                    f'<td>{text_html(a.department.type.name, lang)}</td><td>{matched}</td>'
                    f'<td>{percent(al.overlap)}</td></tr>')
    out += [
        '<table class="qd-compare-index">',
        f'<thead><tr><th scope="col">{_t("pairs", lang)}</th><th scope="col">{_t("department_type", lang)}</th>'
        f'<th scope="col">{_t("matched", lang)}</th><th scope="col">{_t("overlap", lang)}</th></tr></thead>',
        "<tbody>", *rows, "</tbody>", "</table>",
    ]
    return "\n".join(out) + "\n"
