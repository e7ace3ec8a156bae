"""Date-addressed pages: a register as it stood on a date, two dates compared, row timelines.

Built from the adjustment records alone (`adjust.state_on`), so a reader can open any day
on which the list took a new form — its adoption and each adjustment's effective date,
prospective ones marked — as eCFR lets a reader open any date.  A date page is the register
page itself, rendered for that day, so every row keeps its id as its anchor there too.
Two dates are compared row by row with the character diff of the county comparison; the
comparison pages cover every pair while a list has at most `ALL_PAIRS` dates, else each date
against the next one and against today.
"""
from __future__ import annotations

from itertools import combinations

from . import messages, paths
from .adjust import EFFECT_NAMES, Adjustment, Effect, rows_only, state_on
from .align import field_name, segments
from .compare_pages import _segments_html
from .diff import REGISTER_ROW, RowChange, compare_rows, flatten
from .markup import esc, has_chinese, href, md, text_html
from .model import Register, Text

ALL_PAIRS = 12
LABELS = {
    "on": Text("本页显示清单在 {date} 的内容", "This page shows the list as it stood on {date}"),
    "from_to": Text("自 {start} 起有效，至 {end} 前", "in force from {start} until {end}"),
    "from": Text("自 {start} 起有效", "in force from {start}"),
    "prospective": Text("尚未生效", "not yet in force"),
    "derived": Text("由动态调整记录推出。", "Derived from the adjustment records."),
    "dates": Text("其他日期", "Other dates"),
    "current": Text("现行清单", "the current list"),
    "compare": Text("比较", "Compare with"),
    "compare_title": Text("{title}：{a} 与 {b} 比较", "{title}: {a} compared with {b}"),
    "no_change": Text("两个日期之间没有变化。", "Nothing changed between the two dates."),
    "change": Text("变化", "Change"),
    "place": Text("位置", "Place"),
    "timelines": Text("逐行调整经过", "Row timelines"),
    "on_date": Text("按日期查看", "The list on a date"),
}
KIND = {"added": EFFECT_NAMES["appear"], "removed": EFFECT_NAMES["disappear"], "changed": EFFECT_NAMES["change"],
        "moved": Text("移动", "moved"), "renumbered": Text("重新编号", "renumbered"),
        "translated": Text("仅翻译", "translation only")}


def _l(key: str, lang: str, **values: str) -> str:
    text = LABELS[key]
    return (text.get(lang) or text.zh).format(**values)


def dates(r: Register) -> list[str]:
    """The days the list took a new form: its adoption and every effective date, oldest first."""
    days = {a.effective for a in r.adjustments}
    if r.adopted and (not days or r.adopted < min(days)):
        days.add(r.adopted)
    return sorted(days) if r.adjustments else []


def pairs(r: Register) -> list[tuple[str, str]]:
    """The compared pairs (earlier, later): every pair, or for a long history each date with
    the next and with the newest date in force."""
    days = dates(r)
    if len(days) <= ALL_PAIRS:
        return list(combinations(days, 2))
    today = max((d for d in days if not r.as_of or d <= r.as_of), default=days[-1])
    chosen = {(a, b) for a, b in zip(days, days[1:])}
    chosen |= {(min(d, today), max(d, today)) for d in days if d != today}
    return sorted(chosen)


def _date_link(r: Register, page: str, day: str) -> str:
    return f'<a href="{href(page, paths.register_on(r, day))}">{esc(day)}</a>'


def _compare_links(r: Register, page: str, day: str, lang: str) -> str:
    links = []
    for a, b in pairs(r):
        if day in (a, b):
            other = b if day == a else a
            links.append(f'<a href="{href(page, paths.register_compare(r, a, b))}">{esc(other)}</a>')
    return " · ".join(links)


def notice_html(current: Register, day: str, page: str, lang: str) -> str:
    """The head of a date page: which day, how long that text held, the other days."""
    days = dates(current)
    later = [d for d in days if d > day]
    span = _l("from_to", lang, start=day, end=later[0]) if later else _l("from", lang, start=day)
    if current.as_of and day > current.as_of:
        span += f"{messages.t('comma', lang)}{_l('prospective', lang)}"
    others = [_date_link(current, page, d) for d in days if d != day]
    others.append(f'<a href="{href(page, paths.register(current))}">{_l("current", lang)}</a>')
    colon = messages.t("colon", lang)
    lines = [f"<p><strong>{esc(_l('on', lang, date=day))}</strong>{messages.t('lparen', lang)}{esc(span)}"
             f"{messages.t('rparen', lang)} {_l('derived', lang)}</p>",
             f"<p>{_l('dates', lang)}{colon}{' · '.join(others)}</p>"]
    compare = _compare_links(current, page, day, lang)
    if compare:
        lines.append(f"<p>{_l('compare', lang)}{colon}{compare}</p>")
    return f'<div class="qd-notice qd-dated" id="dated">{"".join(lines)}</div>'


def _cell(change: RowChange, which: str) -> str:
    row = change.before if which == "a" else change.after
    if row is None:
        return "—"
    if change.fields and which in ("a", "b"):
        parts = []
        for f in change.fields:
            body = _segments_html(f.segments(), which)
            parts.append(f"{esc(field_name(f.key).zh)}{messages.t('colon', 'zh')}{body or '—'}")
        return "<br>".join(parts)
    main = next((row.fields[k] for k in ("text", "matter", "title", "heading", "name") if k in row.fields), row.id)
    return esc(main)


def compare_page(r: Register, a: str, b: str, lang: str) -> str:
    """Two dates of one list compared row by row, both derived from the file's records."""
    page = paths.register_compare(r, a, b)
    before = flatten(rows_only(state_on(r.data, a)))
    after = flatten(rows_only(state_on(r.data, b)))
    changes = compare_rows(before, after)
    title = text_html(r.title, lang)
    name = (f'<span lang="zh-Hans">{md(r.title.zh)}</span>' if lang == "en" and not r.title.en
            else md(r.title.get(lang) or r.title.zh))
    lead, _, tail = (LABELS["compare_title"].get(lang) or LABELS["compare_title"].zh).partition("{title}")
    heading = md(lead.format(a=a, b=b)) + name + md(tail.format(a=a, b=b))
    out = [f"# {heading}", "",
           f'<p class="qd-compare-lists">{_date_link(r, page, a)} ↔ {_date_link(r, page, b)} · '
           f'<a href="{href(page, paths.register(r))}">{title}</a></p>', ""]
    if not changes:
        out.append(f"<p>{_l('no_change', lang)}</p>")
        return "\n".join(out) + "\n"
    head = (f"<thead><tr><th>{_l('change', lang)}</th><th>{_l('place', lang)}</th>"
            f"<th>{esc(a)}</th><th>{esc(b)}</th></tr></thead>")
    rows = []
    chinese = ' lang="zh-Hans"' if lang == "en" else ""  # the rows as the file holds them: Chinese
    for change in changes:
        kind = "、".join(KIND[k].get(lang) or KIND[k].zh for k in change.kinds) if lang == "zh" else \
            ", ".join(KIND[k].get(lang) or KIND[k].zh for k in change.kinds)
        label = esc(change.label.get(lang) or change.label.zh)
        if change.id != REGISTER_ROW:
            side = b if change.after is not None else a
            label = f'<a href="{href(page, paths.register_on(r, side), change.id)}">{label}</a>'
        rows.append(f"<tr><td>{esc(kind)}</td><td>{label}</td><td{chinese}>{_cell(change, 'a')}</td>"
                    f"<td{chinese}>{_cell(change, 'b')}</td></tr>")
    out += ['<div class="qd-table-wrap">', '<table class="qd-table qd-date-compare">', head, "<tbody>", *rows,
            "</tbody>", "</table>", "</div>"]
    return "\n".join(out) + "\n"


def _display(value: object) -> str:
    """A field's old or new value as text: a text field's Chinese, a list joined."""
    if isinstance(value, list):
        return "、".join(_display(v) for v in value)
    if isinstance(value, dict):
        return str(value["zh"]) if "zh" in value else " · ".join(_display(v) for v in value.values())
    return str(value)


def field_diffs(effect: Effect, lang: str) -> list[str]:
    """Each field a change replaced, named, with its character diff (<del>/<ins>)."""
    if effect.before is None or effect.after is None:
        return []
    out = []
    for key, old in effect.before.items():
        before, after = _display(old), _display(effect.after.get(key, ""))
        if key == "id" or before == after:
            continue
        marked = "".join(esc(t) if op == "equal" else
                         f'<{TAGS[op]} class="qd-{TAGS[op]}">{esc(t)}</{TAGS[op]}>' for op, t in segments(before, after))
        name = field_name(key)
        if lang == "en" and has_chinese(before + after):
            marked = f'<span lang="zh-Hans">{marked}</span>'
        out.append(f"{esc(name.get(lang) or name.zh)}{messages.t('colon', lang)}{marked}")
    return out


TAGS = {"delete": "del", "insert": "ins"}


def _event(adj: Adjustment, effect: Effect, page: str, lang: str) -> str:
    name = EFFECT_NAMES[effect.effect]
    text = f'<a href="{href(page, page, adj.id)}">{esc(adj.effective)} {esc(name.get(lang) or name.zh)}</a>'
    diffs = field_diffs(effect, lang) if effect.effect == "change" else []
    return text + (f"{messages.t('colon', lang)}{'；'.join(diffs)}" if diffs else "")


def timelines_html(r: Register, page: str, lang: str) -> str:
    """Under the change log: the days the list can be opened on, and every row an adjustment
    touched with its events in order (added, changed with the diff, removed), each linked to
    its adjustment; the row links to its place on the page while it is there."""
    days = dates(r)
    if not days:
        return ""
    colon = messages.t("colon", lang)
    out = [f'<p class="qd-dates" id="dates">{_l("on_date", lang)}{colon}'
           f'{" · ".join(_date_link(r, page, d) for d in days)}</p>']
    events: dict[str, list[str]] = {}
    labels: dict[str, str] = {}
    for adj in r.adjustments:
        for effect in adj.effects:
            events.setdefault(effect.id, []).append(_event(adj, effect, page, lang))
            labels[effect.id] = esc(effect.label.get(lang) or effect.label.zh)
    items = []
    for row_id, happened in events.items():
        label = labels[row_id]
        if row_id in r.rows:
            label = f'<a href="{href(page, page, row_id)}">{label}</a>'
        items.append(f'<li id="timeline-{esc(row_id)}">{label} <code>{esc(row_id)}</code>{colon}'
                     f'{" → ".join(happened)}</li>')
    out += [f'<h3 id="timelines">{_l("timelines", lang)}</h3>', '<ul class="qd-list qd-timelines">', *items, "</ul>"]
    return "\n".join(out)
