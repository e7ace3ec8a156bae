"""Build the Excel and Word lists of the import corpus (tests/example-files/import/corpus/).

They are generated rather than committed so anyone can read (and change) what they hold.
Each is laid out the way counties publish such files: one sheet per part or part headings
typed into merged rows, merged cells for a duty over its items, a header over two rows,
a one-cell "无" table, parts in an unusual order, an extra column.
Run `python tests/corpus_binaries.py DIR` to write them into DIR.
"""
from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import openpyxl

Rows = list[list[str]]


def _sheet(ws: Any, rows: Rows, merges: list[str]) -> None:
    for row in rows:
        ws.append([value if value != "" else None for value in row])
    for merge in merges:
        ws.merge_cells(merge)


def minzheng_xlsx(path: Path) -> None:
    """县民政局: one sheet per part, named after the part; a duty merged over its items; 办理时限 column."""
    book = openpyxl.Workbook()
    duties = book.active
    duties.title = "部门职责"
    _sheet(duties, [
        ["序号", "主要职责", "具体工作事项", "备注"],
        ["1", "贯彻执行民政工作法律法规和方针政策，拟订全县民政事业发展规划并组织实施。", "拟订全县民政事业发展规划和年度计划。", ""],
        ["", "", "起草民政工作规范性文件。", ""],
        ["2", "负责全县社会救助工作。", "负责城乡居民最低生活保障、特困人员救助供养和临时救助工作。", ""],
        ["", "", "指导乡镇开展社会救助对象认定。", "与县乡村振兴局衔接。"],
        ["3", "负责全县养老服务体系建设。", "统筹推进、督促指导、监督管理养老服务工作。", ""],
        ["4", "负责全县殡葬管理工作。", "推进殡葬改革，监督管理殡葬服务机构。", ""],
    ], ["A2:A3", "B2:B3", "A4:A5", "B4:B5"])
    bounds = book.create_sheet("职责边界")
    _sheet(bounds, [
        ["序号", "管理事项", "相关部门", "职责分工", "相关依据"],
        ["1", "特困人员救助供养", "县民政局", "负责特困人员认定和供养工作的组织实施。",
         "《社会救助暂行办法》第十五条 县级以上地方人民政府民政部门统筹做好本行政区域特困人员供养工作。"],
        ["", "", "县卫生健康局", "负责特困供养机构的医疗卫生服务指导。", ""],
    ], ["A2:A3", "B2:B3", "E2:E3"])
    services = book.create_sheet("公共服务事项")
    _sheet(services, [
        ["序号", "服务事项", "主要内容", "承办机构", "办理时限", "联系电话"],
        ["1", "婚姻登记", "办理内地居民结婚登记、离婚登记和补领婚姻登记证。", "县婚姻登记处", "即时办结", "0745-6822347"],
        ["2", "最低生活保障申请受理", "受理城乡居民最低生活保障申请，告知办理流程。", "县社会救助局", "30个工作日", "0745-6825510"],
    ], [])
    book.save(str(path))


def renshe_xlsx(path: Path) -> None:
    """县人社局: one sheet; title and part headings in merged rows; supervision "无"; no boundaries part."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Sheet1"
    _sheet(ws, [
        ["辰溪县人力资源和社会保障局责任清单", "", "", ""],
        ["一、部门职责", "", "", ""],
        ["序号", "主要职责", "具体工作事项", "责任股室"],
        ["1", "负责全县就业创业工作。", "拟订全县就业创业政策措施并组织实施。", "就业促进股"],
        ["", "", "组织开展职业技能培训和创业培训。", "职业能力建设股"],
        ["2", "负责全县社会保险工作。", "组织实施城乡居民基本养老保险、工伤保险和失业保险政策。", "社会保险股"],
        ["3", "负责劳动保障监察工作。", "依法查处用人单位违反劳动保障法律法规的行为。", "劳动保障监察大队"],
        ["", "", "", ""],
        ["三、事中事后监管制度", "", "", ""],
        ["无", "", "", ""],
        ["", "", "", ""],
        ["四、公共服务事项", "", "", ""],
        ["序号", "服务事项", "主要内容", "承办机构"],
        ["1", "就业登记", "为劳动者办理就业登记和失业登记。", "县公共就业服务中心"],
        ["2", "社会保障卡申领", "受理社会保障卡申领、补换和挂失。", "县社会保险服务中心"],
        ["注：表中承办机构的联系电话见县政府门户网站政务服务栏目。", "", "", ""],
    ], ["A1:D1", "A2:D2", "A4:A5", "B4:B5", "A9:D9", "A12:D12", "A16:D16"])
    book.save(str(path))


def _cell(cell: Any, text: str) -> None:
    cell.text = ""
    lines = text.split("\n\n")
    cell.paragraphs[0].text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)


def ziran_ziyuan_docx(path: Path) -> None:
    """县自然资源局: a duties table with a merged duty, a one-cell 无 table for the boundaries,
    and services under a header over two rows (办理信息 over 承办机构 / 联系电话)."""
    document = docx.Document()
    document.add_paragraph("沅陵县自然资源局责任清单")
    document.add_paragraph("一、部门职责")
    table = document.add_table(rows=4, cols=3)
    values = [["序号", "主要职责", "具体工作事项"],
              ["1", "履行全民所有土地、矿产、森林等自然资源资产所有者职责。", "负责自然资源调查监测评价和确权登记工作。"],
              ["", "", "负责自然资源资产有偿使用工作。"],
              ["2", "负责国土空间规划和用途管制。", "组织编制并监督实施县国土空间总体规划。"]]
    for row, texts in zip(table.rows, values):
        for cell, text in zip(row.cells, texts):
            _cell(cell, text)
    for col in (0, 1):
        top = table.cell(1, col)
        text = top.text
        merged = top.merge(table.cell(2, col))
        _cell(merged, text)
    document.add_paragraph("二、与相关部门的职责边界")
    none = document.add_table(rows=1, cols=1)
    _cell(none.cell(0, 0), "无")
    document.add_paragraph("四、公共服务事项")
    services = document.add_table(rows=4, cols=5)
    head = [["序号", "服务事项", "主要内容", "办理信息", ""], ["", "", "", "承办机构", "联系电话"]]
    body = [["1", "不动产登记资料查询", "为权利人、利害关系人提供不动产登记资料查询服务。", "县不动产登记中心", "0745-4232118"],
            ["2", "地质灾害防治咨询", "提供地质灾害隐患点查询和防灾避险知识咨询。", "县地质灾害防治中心", "0745-4221034"]]
    for row, texts in zip(services.rows, head + body):
        for cell, text in zip(row.cells, texts):
            _cell(cell, text)
    group = services.cell(0, 3).merge(services.cell(0, 4))
    _cell(group, "办理信息")
    for col in (0, 1, 2):
        text = services.cell(0, col).text
        _cell(services.cell(0, col).merge(services.cell(1, col)), text)
    document.add_paragraph("三、事中事后监管制度")
    for line in ("（一）矿产资源开发利用监管", "1、监管对象", "全县范围内持有采矿许可证的矿山企业。", "2、监管方式",
                 "实行“双随机、一公开”抽查和年度信息公示核查。"):
        document.add_paragraph(line)
    document.save(str(path))


def yingji_docx(path: Path) -> None:
    """县应急管理局: unnumbered duties table with an extra column (责任股室), services before
    boundaries, a boundary row with one cell too few (the source's own misprint)."""
    document = docx.Document()
    document.add_paragraph("泸溪县应急管理局责任清单")
    document.add_paragraph("部门职责")
    table = document.add_table(rows=3, cols=3)
    for row, texts in zip(table.rows, [["主要职责", "具体工作事项", "责任股室"],
                                       ["负责全县应急管理工作，指导各乡镇、各部门应对安全生产类、自然灾害类等突发事件。",
                                        "编制全县总体应急预案和安全生产类、自然灾害类专项预案。", "应急指挥中心"],
                                       ["负责全县安全生产综合监督管理。", "依法对工矿商贸生产经营单位的安全生产实施监督检查。",
                                        "安全生产执法大队"]]):
        for cell, text in zip(row.cells, texts):
            _cell(cell, text)
    document.add_paragraph("公共服务事项")
    services = document.add_table(rows=2, cols=4)
    for row, texts in zip(services.rows, [["序号", "服务事项", "主要内容", "联系电话"],
                                          ["1", "安全生产举报受理", "受理安全生产非法违法行为举报。", "12350"]]):
        for cell, text in zip(row.cells, texts):
            _cell(cell, text)
    document.add_paragraph("职责边界")
    bounds = document.add_table(rows=3, cols=4)
    for row, texts in zip(bounds.rows, [["序号", "管理事项", "相关部门", "职责分工"],
                                        ["1", "森林火灾扑救", "县应急管理局", "负责组织协调森林火灾扑救和应急救援工作。"],
                                        ["", "", "县林业局", "负责森林火灾预防和火情早期处理。"]]):
        for cell, text in zip(row.cells, texts):
            _cell(cell, text)
    misprint = bounds.add_row()
    misprint._tr.remove(misprint._tr.tc_lst[-1])
    for cell, text in zip(misprint.cells, ["2", "危险化学品安全监管", "县应急管理局负责综合监督管理"]):
        _cell(cell, text)
    document.add_paragraph("事中事后监管制度")
    document.add_paragraph("无")
    document.save(str(path))


BUILDERS: dict[str, Callable[[Path], None]] = {
    "minzheng.xlsx": minzheng_xlsx,
    "renshe.xlsx": renshe_xlsx,
    "ziran-ziyuan.docx": ziran_ziyuan_docx,
    "yingji.docx": yingji_docx,
}


def build(name: str, folder: Path) -> Path:
    path = folder / name
    BUILDERS[name](path)
    return path


if __name__ == "__main__":
    for corpus_name in BUILDERS:
        print(build(corpus_name, Path(sys.argv[1])))
