"""`qingdan import`: turn a published list into a register draft.

Inputs: a Word file (.docx), an Excel workbook (.xlsx), a saved web page (.html/.htm), a
text dump with one tab-led cell per line, or web-page text (one cell per line, blank lines
between cells).  The draft carries an import report as a comment block under its first
line: what was guessed, what is new in the shared lists, numbering anomalies.  Source text
that found no place is written into the draft's top-level `unplaced` (an error for `qingdan
check` until a person places it), so an import never looks cleaner than it is.  The last
lines printed measure the draft against the source: every source cell, normalised as
../shared/tools/seed_coverage.py does, looked up in the draft's data (never its comments).
Nothing is written until everything is computed, and an existing register is only replaced
with --force.
"""
from __future__ import annotations

import os
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from . import checks, fmt
from .importers import emit
from .importers.coverage import Coverage, measure
from .importers.document import Block, ImportFailure, Loc, Paragraph
from .importers.draft import Draft, Parsed, unplaced_entries
from .importers.excel import read_excel
from .importers.notes import Note, note, render, unplaced
from .importers.parts import PART_KEYS, Outline, Part, outline
from .importers.shared import Department, Shared, county_name_in, level_of, pinyin_name
from .importers.supervision import systems as parse_systems
from .importers.tables import boundaries, duties, says_none, services
from .importers.text import read_text
from .importers.webpage import read_html
from .importers.webtext import is_web_text, read_web_text
from .importers.word import read_word
from .load import load_file, load_text
from .model import Corpus, load_corpus
from .validate import check

SLUG_HINT = "只用小写字母、数字和连字符 lower-case letters, digits and hyphens only"
REGISTER_SCHEMA = "yaml-language-server: $schema=../../schemas/register.schema.json"
COUNTY_SCHEMA = "yaml-language-server: $schema=../../schemas/county.schema.json"
SHARED_FILES = ("topics.yaml", "laws.yaml", "department-types.yaml")
TITLE = re.compile(r"清单\s*$")
LIST_WORDS = re.compile(r"(?:责任|权责|权力)?清单\s*$")
PART_NAMES_ZH = {"duties": "部门职责", "boundaries": "职责边界", "supervision": "事中事后监管制度", "services": "公共服务事项"}
NOT_PUBLISHED = "原文未公布本部分"


def _pattern(pattern: str, what: str) -> Any:
    def check_value(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(pattern, value):
            raise click.BadParameter(f"“{value}” 格式不对：{what}")
        return value
    return check_value


@dataclass
class CountyFacts:
    """What a new county.yaml needs that no list says: given on the command line."""

    name: str | None
    province: str | None
    prefecture: str | None
    division_code: str | None
    area_code: str | None
    level: str | None


@click.command("import", help="把已公布的清单（.docx、.xlsx、.html 或文本）导入为清单草稿。 "
                              "Import a published list (.docx, .xlsx, .html or text) as a register draft.")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--county", "county_slug", required=True, callback=_pattern(checks.ID.pattern, SLUG_HINT),
              help="县的拼音简称（目录名），如 dingan。 The county's slug (folder name).")
@click.option("--department", "department_slug", required=True,
              callback=_pattern(checks.ID.pattern, SLUG_HINT),
              help="部门标识，也是清单文件名，如 renkou-jisheng。 The department id, also the register's file name.")
@click.option("--force", is_flag=True, help="覆盖已有的清单文件。 Overwrite an existing register.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("registers"), show_default=True,
              help="registers 目录。 The registers folder.")
@click.option("--department-name", help="部门全称（原文无标题且县里尚无此部门时必填）。 The department's full name.")
@click.option("--county-name", help="县名，如 定安县（新县可选，默认取自标题）。 The county's name.")
@click.option("--province", help="所属省份（新县必填）。 Province (required for a new county).")
@click.option("--prefecture", help="所属地级市（新县可选）。 Prefecture (optional, new county).")
@click.option("--division-code", callback=_pattern(r"[1-9][0-9]{5}", "六位行政区划代码 six-digit division code"),
              help="行政区划代码（新县必填）。 Division code (required for a new county).")
@click.option("--area-code", callback=_pattern(r"0[1-9][0-9]{1,2}", "以 0 开头的长途区号 area code starting with 0"),
              help="电话区号（新县可选）。 Telephone area code (optional, new county).")
@click.option("--level", type=click.Choice(["county", "county-level-city", "district", "banner"]),
              help="行政级别（新县可选，默认按名称推断）。 Level (default: from the name).")
def command(source: Path, county_slug: str, department_slug: str, force: bool, out: Path, department_name: str | None,
            county_name: str | None, province: str | None, prefecture: str | None, division_code: str | None,
            area_code: str | None, level: str | None) -> None:
    missing = [name for name in SHARED_FILES if not (out / name).is_file()]
    if missing:
        raise click.UsageError(f"{out} 不是 registers 目录（缺少 {'、'.join(missing)}）。 "
                               f"{out} is not a registers folder (missing {', '.join(missing)}).")
    target = out / county_slug / f"{department_slug}.yaml"
    if target.exists() and not force:
        _fail(f"{target} 已存在；确需覆盖请加 --force。", f"{target} exists; add --force to overwrite it.")
    facts = CountyFacts(county_name, province, prefecture, division_code, area_code, level)
    try:
        files, notes_text, kept = run_import(source, out, county_slug, department_slug, department_name, facts)
    except ImportFailure as problem:
        _fail(f"{source}：{problem.zh}", f"{source}: {problem.en}", problem.code)
    for path, text in files.items():
        _write(path, text)
    click.echo(notes_text)
    for path in files:
        click.echo(f"已写入 wrote: {path}")
    result = check([target, out / county_slug / "county.yaml"])
    click.echo(f"qingdan check：{result.errors} 个错误，{result.warnings} 个警告（qingdan check {target} 查看详情）。 "
               f"{result.errors} errors, {result.warnings} warnings.")
    click.echo("\n".join(kept.lines()))
    sys.exit(1 if result.errors else 0)


def _fail(zh: str, en: str, code: str = "import-failed") -> None:
    click.echo(f"错误 error [{code}]: {zh}\n    {en}", err=True)
    sys.exit(1)


def _write(path: Path, text: str) -> None:
    """Replace the file in one step, so an interrupted import never leaves half a file.

    The file gets the permissions a plain write would give it (umask), not the temporary file's 0600.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("wb", dir=path.parent, prefix=f".{path.name}.", delete=False) as tmp:
        tmp.write(text.encode("utf-8"))
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp.name, 0o666 & ~umask)
    os.replace(tmp.name, path)


def read_blocks(source: Path, notes: list[Note]) -> list[Block]:
    suffix = source.suffix.lower()
    if suffix in (".doc", ".wps", ".pdf", ".xls", ".et"):
        raise ImportFailure(f"不支持 {suffix} 文件，请另存为 .docx、.xlsx 或纯文本",
                            f"{suffix} files are not supported; save as .docx, .xlsx or plain text")
    if suffix == ".docx":
        return _auto_numbered(read_word(source), notes)
    if suffix == ".xlsx":
        return read_excel(source)
    try:
        raw = source.read_bytes()
    except OSError as exc:
        raise ImportFailure(f"无法读取文件（{exc.strerror}）", f"cannot read the file ({exc.strerror})") from exc
    if suffix in (".html", ".htm"):
        return read_html(raw, notes)
    if is_web_text(raw):
        return read_web_text(raw, notes)
    return read_text(raw, notes)


def _auto_numbered(blocks: list[Block], notes: list[Note]) -> list[Block]:
    numbered = [b for b in blocks if isinstance(b, Paragraph) and b.auto_numbered]
    if numbered:
        notes.append(note("import-auto-numbering", numbered[0].loc, count=len(numbered)))
    return blocks


def parse(found: Outline, notes: list[Note]) -> Parsed:
    """The parts in the source's own headings; a part the source lacks or marks "无" is `absent`."""
    if not found.parts:
        raise ImportFailure("没有找到清单的任何部分（部门职责、职责边界、事中事后监管制度、公共服务事项）",
                            "found none of the list's parts (duties, boundaries, supervision, services)")
    absent: dict[str, str] = {}
    for key in PART_KEYS:
        if key not in found.parts:
            absent[key] = NOT_PUBLISHED
            notes.append(note("import-part-missing", name=PART_NAMES_ZH[key]))
        elif says_none(found.parts[key]):
            absent[key] = "无"
    headings = {key: found.parts[key].heading if key in found.parts else None for key in PART_KEYS}
    readers: dict[str, Any] = {"duties": duties, "boundaries": boundaries, "supervision": parse_systems,
                               "services": services}
    read = {key: readers[key](found.parts[key], notes) for key in PART_KEYS if key not in absent}
    parsed = Parsed(headings, absent, read.get("duties") or duties(_empty("duties"), notes),
                    read.get("boundaries") or boundaries(_empty("boundaries"), notes),
                    read.get("supervision") or [], read.get("services") or services(_empty("services"), notes))
    rows = {"duties": parsed.duties.rows, "boundaries": parsed.boundaries.rows, "supervision": parsed.systems,
            "services": parsed.services.rows}
    if not any(rows[key] for key in PART_KEYS if key not in absent):
        raise ImportFailure("找到了清单的部分标题，但没有读到任何一行内容", "found the list's part headings but could not read a single row")
    return parsed


def _empty(key: str) -> Part:
    """A part with no blocks, read to the same empty result a missing part has."""
    return Part(key, "", Loc("", ""))


def _title(found: Outline, notes: list[Note]) -> str | None:
    """The preface line naming the list (…责任清单); other preface text is reported."""
    title = None
    for block in found.preface:
        if isinstance(block, Paragraph) and title is None and TITLE.search(block.text):
            title = block.text.strip()
        elif isinstance(block, Paragraph):
            notes.append(unplaced(block.loc, block.text, "preface"))
        else:
            quote = "\n".join(c.text for row in block.rows for c in row if c.text.strip() and not c.merged)
            if quote:
                notes.append(unplaced(block.loc, quote, "preface"))
    return title


def _corpus(out: Path) -> Corpus:
    try:
        return load_corpus(out)
    except (KeyError, ValueError, TypeError, AttributeError) as exc:
        raise ImportFailure(f"{out} 中的数据有错误，请先运行 qingdan check {out}",
                          f"the data in {out} has errors; run qingdan check {out} first") from exc


def _county_name(corpus: Corpus, slug: str, facts: CountyFacts, own_name: str | None) -> str:
    """The county's name; a new county needs the facts no list states, and gets no placeholders."""
    if slug in corpus.counties:
        return corpus.counties[slug].name.zh
    name = facts.name or county_name_in(own_name or "")
    lacking = [(zh, en) for zh, en, value in (
        ("--province", "--province", facts.province),
        ("--division-code", "--division-code", facts.division_code),
        ("--county-name（或 --department-name）", "--county-name (or --department-name)", name),
    ) if not value]
    if lacking:
        raise click.UsageError(
            f"registers 中还没有 {slug}，新建 county.yaml 需要 {'、'.join(zh for zh, _ in lacking)}（不写占位内容）。 "
            f"{slug} is new; its county.yaml needs {', '.join(en for _, en in lacking)} (no placeholders are written).")
    return name or ""


def _own(shared: Shared, slug: str, name: str | None) -> Department:
    """The list's department; a second entry for a department the county already has is refused."""
    try:
        own = shared.own(slug, name)
    except ValueError as same:
        raise click.UsageError(f"县里已有“{name}”，标识是 {same}；再次导入请用 --department {same}（加 --force 覆盖原清单）。 "
                               f"The county already has “{name}” as {same}; import with --department {same} "
                               f"(--force to replace its register).") from same
    if own is None:
        raise click.UsageError(f"无法确定部门 {slug} 的全称，请用 --department-name 给出。 "
                               f"Cannot tell department {slug}'s full name; give --department-name.")
    return own


def run_import(source: Path, out: Path, county_slug: str, department_slug: str, department_name: str | None,
               facts: CountyFacts) -> tuple[dict[Path, str], str, Coverage]:
    """Everything the import writes (path → text), the printed report and the coverage; writes nothing itself."""
    notes: list[Note] = []
    found = outline(read_blocks(source, notes), notes)
    title = _title(found, notes)
    parsed = parse(found, notes)
    corpus = _corpus(out)
    own_name = department_name or (LIST_WORDS.sub("", title) if title else None)
    shared = Shared(corpus, county_slug, _county_name(corpus, county_slug, facts, own_name), notes)
    own = _own(shared, department_slug, own_name)
    origin = {"file": source.name, "note": f"由 qingdan import 从 {source.name} 导入的草稿，请对照原件核对。"}
    if title is None:
        title = f"{own.name}责任清单"
        notes.append(note("import-title-supplied", title=title))
        origin["note"] += "原文无标题行，标题按部门名称补记。"
    register = Draft(shared, own, notes).register(parsed, title, origin)
    entries = unplaced_entries(notes)
    if entries:
        register["unplaced"] = entries
    notes.append(note("import-topics"))
    target = out / county_slug / f"{department_slug}.yaml"
    notes.extend(_numbering(register, target))
    files = _shared_files(out, county_slug, corpus, facts, shared, notes)
    report = render(source.name, notes, _summary(parsed))
    files[target] = _formatted(target, emit.dump(register, [REGISTER_SCHEMA, "", *report]))
    return files, "\n".join(report), measure(found.kept, register)


def _summary(parsed: Parsed) -> str:
    items = sum(len(d.items) for d in parsed.duties.rows)
    absent = "".join(f"；{PART_NAMES_ZH[key]}：{reason}" for key, reason in parsed.absent.items())
    return (f"导入 imported: {len(parsed.duties.rows)} 条主要职责 duties, {items} 项工作事项 items, "
            f"{len(parsed.boundaries.rows)} 个边界事项 matters, {len(parsed.systems)} 项监管制度 systems, "
            f"{len(parsed.services.rows)} 项公共服务 services{absent}")


def _shared_files(out: Path, county_slug: str, corpus: Corpus, facts: CountyFacts, shared: Shared,
                  notes: list[Note]) -> dict[Path, str]:
    """The county file and the shared lists, when the import adds to them."""
    files: dict[Path, str] = {}
    county_file = out / county_slug / "county.yaml"
    label = f"{county_slug}/county.yaml"
    if county_slug not in corpus.counties:
        data = _new_county(shared.county_name, facts, shared.departments)
        files[county_file] = _formatted(county_file, emit.dump(data, [COUNTY_SCHEMA]))
        notes.append(note("import-county-created", file=label))
    elif shared.new_departments or shared.new_aliases:
        files[county_file] = _updated(county_file, label, notes, lambda data: _add_departments(data, shared))
    if shared.new_laws:
        files[out / "laws.yaml"] = _updated(out / "laws.yaml", "laws.yaml", notes,
                                            lambda data: data["laws"].extend(shared.new_laws))
    if shared.new_types:
        files[out / "department-types.yaml"] = _updated(out / "department-types.yaml", "department-types.yaml", notes,
                                                        lambda data: data["types"].extend(shared.new_types))
    return files


def _numbering(register: dict[str, Any], path: Path) -> list[Note]:
    """Numbering anomalies, worded as `qingdan check` words them, with the row they concern."""
    doc = load_text(emit.dump(register, []), path)
    out = []
    for found in checks.numbering(doc):
        node: Any = register
        for step in found.pointer.strip("/").split("/")[:-1]:
            node = node[int(step)] if isinstance(node, list) else node[step]
        where = node.get("id", found.pointer)
        out.append(note("import-numbering", where=where, zh=found.message_zh, en=found.message_en))
    return out


def _new_county(name: str, facts: CountyFacts, departments: list[Department]) -> dict[str, Any]:
    data: dict[str, Any] = {"name": name, "pinyin": pinyin_name(name), "province": facts.province}
    if facts.prefecture:
        data["prefecture"] = facts.prefecture
    data["division_code"] = facts.division_code
    if facts.area_code:
        data["area_code"] = facts.area_code
    data["level"] = facts.level or level_of(name)
    data["departments"] = [_department(d) for d in departments]
    return data


def _department(dept: Department) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": dept.id, "type": dept.type, "name": dept.name}
    if dept.aliases:
        entry["aliases"] = list(dept.aliases)
    return entry


def _add_departments(data: dict[str, Any], shared: Shared) -> None:
    rows = data["departments"]
    for dept_id, alias in shared.new_aliases:
        row = next((r for r in rows if r.get("id") == dept_id), None)
        if row is not None:
            row.setdefault("aliases", []).append(alias)
    rows.extend(_department(d) for d in shared.new_departments)


def _updated(path: Path, label: str, notes: list[Note], change: Any) -> str:
    """A shared file with `change` applied to its data, written the way `qingdan fmt` writes it.

    `fmt.canonical` keeps every comment with the entry it stands above; should it refuse,
    the file is re-emitted under its leading comments and the report says so.
    """
    doc = load_file(path)
    change(doc.data)
    try:
        return fmt.canonical(doc)
    except fmt.Unsafe:
        notes.append(note("import-reformatted", file=label))
    head = []
    for line in doc.text.split("\n"):
        if not line.startswith("#"):
            break
        head.append(line[2:] if line.startswith("# ") else line[1:])
    return emit.dump(doc.data, head)


def _formatted(path: Path, text: str) -> str:
    """New text in the canonical layout of `qingdan fmt` (the emitter's own text if fmt refuses)."""
    try:
        return fmt.canonical(load_text(text, path))
    except fmt.Unsafe:
        return text
