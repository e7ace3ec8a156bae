"""The import report: what the importer did on a guess and what it could not place.

Every note has a stable kebab-case code and a Chinese and English message.  The report is
printed and written as a comment block at the top of the draft, so it travels with the
file until a person has dealt with it; source text that found no place in the register is
quoted in full there, never dropped.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .document import Loc

MESSAGES: dict[str, tuple[str, str]] = {
    "import-unplaced": ("无法归入清单的内容，原文保留如下，请手工处理",
                        "could not place this content; it is quoted below, place it by hand"),
    "import-numbering": ("{where}：{zh}", "{where}: {en}"),
    "import-joined-line": ("断开的句子已接回上一行：“…{tail}”＋“{head}…”",
                           "a sentence broken over two lines was joined: “…{tail}” + “{head}…”"),
    "import-contents-skipped": ("跳过目录（{count} 行）", "skipped a table of contents ({count} lines)"),
    "import-title-supplied": ("原文无标题行，标题按部门名称补记为“{title}”",
                              "the source has no title line; the title was made from the department name: {title}"),
    "import-department-added": ("新增部门 {id}（{name}，类型 {type}），请核对全称和类型",
                                "added department {id} ({name}, type {type}); check its full name and type"),
    "import-alias-added": ("部门 {id} 增加简称“{alias}”", "department {id} gets the alias “{alias}”"),
    "import-type-added": ("新增部门类型 {id}（{name}），请核对名称和英文",
                          "added department type {id} ({name}); check the name and add English"),
    "import-law-added": ("新增法律法规 {id}（{title}），效力层级 {level} 是推测的，请核对",
                         "added law {id} ({title}); its level {level} is a guess, check it"),
    "import-law-unidentified": ("依据中没有用书名号《》标出的法律法规，无法登记，原文保留如下",
                                "no law named in 《》 in this legal basis; it is quoted below, enter it by hand"),
    "import-topics": ("主题是按关键词推荐的，请核对", "topics were suggested by keyword; review them"),
    "import-placeholder": ("原文缺少{what}，已写入占位内容“{value}”，请补全",
                           "the source has no {what_en}; a placeholder “{value}” was written, fill it in"),
    "import-extra-column": ("表格有标准栏目以外的“{column}”栏，已保存在 columns 和各事项的 extra 中",
                            "the table has an extra column “{column}”, kept in columns and each item's extra"),
    "import-auto-numbering": ("{count} 段使用 Word 自动编号（从此处起），编号不在文字中，请核对",
                              "{count} paragraphs (the first here) use Word's automatic numbering, "
                              "which is not in their text; check them"),
    "import-repeated-cell": ("合并单元格的内容在后续行中重复出现，已按合并处理",
                             "a merged cell's text is repeated on the following rows; read as one merged cell"),
    "import-part-missing": ("未找到“{name}”部分，已写入标准标题且内容为空",
                            "part “{name}” was not found; a standard heading with no rows was written"),
    "import-heading-split": ("节标题与正文写在同一行，已在冒号处分开",
                             "a section heading and its text share one line; split at the colon"),
    "import-county-created": ("新建 {file}：拼音、级别由程序生成，请核对；英文名称尚未填写",
                              "created {file}: pinyin and level were generated, check them; "
                              "English names are not filled in"),
    "import-encoding": ("源文件按 {encoding} 编码读取", "the source was read as {encoding}"),
    "import-reformatted": ("{file} 已按统一格式重写，文件中的注释（开头的注释除外）未保留",
                           "{file} was rewritten in the house style; comments other than the leading ones were not kept"),
}


@dataclass(frozen=True)
class Note:
    """One entry of the import report."""

    code: str
    params: tuple[tuple[str, str], ...] = ()
    loc: Loc | None = None
    quote: str | None = None

    @property
    def zh(self) -> str:
        return MESSAGES[self.code][0].format(**dict(self.params))

    @property
    def en(self) -> str:
        return MESSAGES[self.code][1].format(**dict(self.params))


def note(code: str, loc: Loc | None = None, quote: str | None = None, **params: Any) -> Note:
    """Build a note; the code must be in MESSAGES so every message has both languages."""
    if code not in MESSAGES:
        raise KeyError(code)
    return Note(code, tuple((k, str(v)) for k, v in params.items()), loc, quote)


def render(source: str, notes: list[Note], summary: str) -> list[str]:
    """The report as plain lines: a heading, the summary, then one entry per note."""
    lines = [f"导入报告 Import report: qingdan import {source}",
             "（核对并处理以下各项后删除本段 Delete this block once every entry is dealt with.）",
             summary]
    if not notes:
        lines.append("没有需要处理的事项。 Nothing to review.")
    for n in notes:
        where = f"{n.loc}: " if n.loc else ""
        lines.append(f"- [{n.code}] {where}{n.zh}")
        lines.append(f"    {n.en}")
        if n.quote is not None:
            lines.extend(f"    | {line}" for line in n.quote.split("\n"))
    return lines
