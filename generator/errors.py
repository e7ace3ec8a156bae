"""The one error catalogue: every finding Qingdan reports has a stable code defined here.

Each entry carries its severity, a message template in Chinese and English, an
explanation and an example fix; the error reference page and the guide are generated
from this table, and a test checks that every code used in the code base is here.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Spec:
    """What one code means."""

    code: str
    severity: Severity
    zh: str
    en: str
    explain: str
    bad: str = ""
    good: str = ""


@dataclass(frozen=True)
class Finding:
    """One located problem in one file."""

    code: str
    severity: Severity
    file: str
    line: int
    col: int
    pointer: str
    message_zh: str
    message_en: str
    params: dict[str, Any] = field(default_factory=dict, compare=False)

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "file": self.file,
            "line": self.line,
            "column": self.col,
            "pointer": self.pointer,
            "message": {"zh": self.message_zh, "en": self.message_en},
        }


_SPECS = [
    # --- files and YAML -------------------------------------------------------------
    Spec("file-unreadable", "error", "无法读取文件：{reason}", "cannot read the file: {reason}",
         "文件不存在、没有读取权限或是一个目录。检查路径是否写对。"),
    Spec("file-too-large", "error", "文件过大（{size} 字节，上限 {limit} 字节），未读取",
         "file too large ({size} bytes, limit {limit}); not read",
         "一份责任清单通常只有几十 KB。过大的文件多半是误把其他数据放进了 registers/，请拆分或移走。"),
    Spec("file-empty", "error", "文件是空的", "the file is empty",
         "空文件不是有效的清单。请写入内容，或删除该文件。"),
    Spec("encoding-invalid", "error", "文件不是有效的 UTF-8 编码（第一个无效字节 {byte}）",
         "the file is not valid UTF-8 (first invalid byte {byte})",
         "清单文件必须以 UTF-8 保存。常见原因是用 GBK/GB2312 另存了文件。请在编辑器中选择“以 UTF-8 编码保存”。"),
    Spec("encoding-bom", "warning", "文件开头有 BOM 字节顺序标记，已忽略", "the file starts with a byte-order mark; ignored",
         "部分 Windows 编辑器会在 UTF-8 文件开头写入 BOM。它不影响内容，但请保存为“UTF-8（无 BOM）”；`qingdan fmt` 会去掉它。"),
    Spec("line-endings-crlf", "warning", "文件使用 Windows 换行符（CRLF），已按 LF 读取",
         "the file uses Windows line endings (CRLF); read as LF",
         "统一使用 LF 换行可让审阅者只看到有意义的改动；`qingdan fmt` 会转换。"),
    Spec("yaml-syntax", "error", "YAML 语法错误：{problem}", "YAML syntax error: {problem}",
         "文件无法按 YAML 解析。常见原因：缩进不一致、用了制表符缩进、冒号后缺少空格、引号未闭合。",
         "text: 负责:\n  - 宣传", "text: 负责宣传"),
    Spec("yaml-multiple-documents", "error", "文件中有多个 YAML 文档（出现了 ---）",
         "the file holds more than one YAML document (a --- separator)",
         "每个清单文件只能有一个文档。删除多余的 `---` 分隔线，或把内容拆到不同文件。"),
    Spec("yaml-duplicate-key", "error", "字段 “{key}” 重复出现（第一次在第 {first_line} 行），后一个被忽略",
         "key “{key}” appears twice (first on line {first_line}); the later one is ignored",
         "同一层级里一个字段只能出现一次，否则其中一个值会被悄悄丢掉。请合并或删除重复的字段。",
         "text: 负责宣传\ntext: 负责统计", "text: 负责宣传和统计"),
    Spec("yaml-anchor-alias", "error", "不允许使用 YAML 锚点或别名（{name}）", "YAML anchors and aliases are not allowed ({name})",
         "锚点（&）与别名（*）会让同一段内容在多处出现，审阅时看不出来，还可能被用来制造超大文档。请把内容直接写出来。",
         "remark: &r 无\nother: *r", "remark: 无\nother: 无"),
    Spec("yaml-tag", "error", "不允许使用 YAML 标签（{tag}）", "YAML tags are not allowed ({tag})",
         "清单只包含文字、列表和字段。`!!python/object` 之类的标签可能执行代码，一律拒绝。删除标签即可。",
         "phone: !!int 63822173", 'phone: "63822173"'),
    Spec("yaml-complex-key", "error", "字段名必须是简单文字", "keys must be plain text",
         "字段名不能是列表或映射（`? [a, b]:` 这样的写法）。"),
    # --- schema ---------------------------------------------------------------------
    Spec("schema-unknown-field", "error", "未知字段 “{field}”（此处允许：{allowed}）",
         "unknown field “{field}” (allowed here: {allowed})",
         "字段名拼错或放错了层级。对照错误参考和模式（schemas/）检查拼写与缩进。",
         "items:\n  - id: duty-01-01\n    txt: 制定规划", "items:\n  - id: duty-01-01\n    text: 制定规划"),
    Spec("schema-required", "error", "缺少必填字段 “{field}”", "required field “{field}” is missing",
         "每一行都有必须填写的字段（例如 id、text）。补上该字段。清单的一部分在原文中为“无”或没有公布时，不要省略整个 rows，而是写 absent 并说明原因。",
         "- name: 生育政策咨询", "- id: svc-05\n  name: 生育政策咨询"),
    Spec("schema-type", "error", "类型不对：此处应为{expected}", "wrong type: expected {expected_en}",
         "例如该写一段文字的地方写成了列表，或该写列表的地方只写了一项。",
         "topics: liudong-renkou", "topics: [liudong-renkou]"),
    Spec("schema-pattern", "error", "“{value}” 的格式不对：{what}", "“{value}” is not in the expected form: {what_en}",
         "编号只能用小写字母、数字和连字符；日期写成 2016-03-31；电话只含数字和连字符。",
         "id: Duty_1", "id: duty-01"),
    Spec("schema-enum", "error", "“{value}” 不是可选值之一：{allowed}", "“{value}” is not one of: {allowed}",
         "该字段只能取固定的几个值之一。"),
    Spec("schema-empty", "error", "此处不能为空", "must not be empty",
         "必填的文字不能为空字符串，列表至少要有一项（例如每条主要职责至少有一个具体工作事项）。"),
    Spec("schema-exclusive", "error", "“{field}” 与 “{other}” 不能同时出现", "“{field}” and “{other}” exclude each other",
         "absent 表示原文本部分为“无”或没有公布，不能再写 rows/systems；有具体工作事项（items）的职责，附加栏目的内容写在各事项的 extra 中，不写在职责本身。删去其中一个。",
         "services:\n  absent: {reason: 无}\n  rows: []", "services:\n  absent: {reason: 无}"),
    Spec("schema-text", "error", "文字字段应为一段中文，或 {{zh: …, en: …}} 形式的中英文对照",
         "a text field is either a Chinese string or a {{zh: …, en: …}} mapping",
         "双语字段只能有 zh 和 en 两个键，zh 必填。",
         "text:\n  cn: 负责宣传", "text:\n  zh: 负责宣传\n  en: Responsible for publicity"),
    Spec("schema-invalid", "error", "不符合模式：{detail}", "does not match the schema: {detail}",
         "其他不符合 schemas/ 中定义的情况，详见英文说明。"),
    # --- semantics ------------------------------------------------------------------
    Spec("id-duplicate", "error", "编号 “{id}” 重复（第一次在第 {first_line} 行）", "id “{id}” is used twice (first on line {first_line})",
         "每行的 id 在同一清单内必须唯一，网页链接和版本比较都依赖它。给新行起一个新的 id，不要复制旧行的 id。",
         "- id: duty-01-02\n- id: duty-01-02", "- id: duty-01-02\n- id: duty-01-03"),
    Spec("ref-department", "error", "部门 “{ref}” 不在本县部门名单（county.yaml）中", "department “{ref}” is not in the county's department list",
         "边界表里的部门要引用 county.yaml 中 departments 的 id。先在 county.yaml 增加该部门，或改用已有的 id。"),
    Spec("ref-department-type", "error", "部门类型 “{ref}” 未在 department-types.yaml 中定义", "department type “{ref}” is not defined in department-types.yaml",
         "每个部门都要归入一个部门类型，以便跨县比较。"),
    Spec("ref-law", "error", "法律依据 “{ref}” 未在 laws.yaml 中登记", "law “{ref}” is not in laws.yaml",
         "引用的法律法规要先在 registers/laws.yaml 中登记（名称、制定机关、文号、施行日期、层级），再用其 id 引用。",
         "law: hainan-tiaoli", "law: hainan-renkou-jisheng-tiaoli"),
    Spec("ref-topic", "error", "主题 “{ref}” 未在 topics.yaml 中定义", "topic “{ref}” is not defined in topics.yaml",
         "主题标签要使用 registers/topics.yaml 中已有的 id；需要新主题时先在该文件中增加。",
         "topics: [liudongrenkou]", "topics: [liudong-renkou]"),
    Spec("ref-register-department", "error", "清单所属部门 “{ref}” 不在本县部门名单中", "the register's department “{ref}” is not in the county's department list",
         "清单文件的 department 字段要引用 county.yaml 中的部门 id。"),
    Spec("county-missing", "error", "目录 {folder} 缺少 county.yaml", "folder {folder} has no county.yaml",
         "每个县的目录都要有一个 county.yaml，写明县名、所属省份、行政区划代码和部门名单。"),
    Spec("control-character", "error", "不可见的控制字符 {char}", "invisible control character {char}",
         "文字中有看不见的控制字符（常来自 YAML 的 \\x 或 \\u 转义，或从其他软件粘贴），会破坏网页标题和 PDF；编号、日期、代码等字段也不能含换行。删除该字符。",
         'text: "计划生育\\x85服务"', "text: 计划生育服务"),
    Spec("file-name-invalid", "error", "文件夹或文件名 “{name}” 只能用小写字母、数字和连字符", "folder or file name “{name}” may use lower-case letters, digits and hyphens only",
         "县文件夹名和清单文件名就是网址的一部分（如 dingan/renkou-jisheng/），所以与 id 一样只能用小写字母、数字和连字符，例如部门的拼音。",
         "定安/人口计生.yaml", "dingan/renkou-jisheng.yaml"),
    Spec("register-name-reserved", "error", "清单文件名 {name}.yaml 与县网页同名", "register file name {name}.yaml is reserved for a county page",
         "每份清单的网页以文件名命名，而 index、services、topics、laws、pinyin、departments 是每个县自己的目录、服务、主题、法律、索引和部门页面的名字。请给清单文件换一个名字，例如用部门的拼音。"),
    Spec("department-duplicate", "error", "部门重复：“{name}” 与第 {first_line} 行的部门 {first}（“{other}”）是同一个部门",
         "the same department twice: “{name}” and department {first} on line {first_line} (“{other}”) are one department",
         "一个县的部门名单中每个部门只能出现一次。两个条目的全称相同，或一个条目的全称、简称与另一个条目的全称、简称相同（去掉本县县名或开头的“县/市/区/旗”后相同，如“测试县教育局”与“县教育局”），网页链接和边界表的 as_written 就分不清指的是哪一个。常见原因是用另一个标识再次导入了同一部门的清单。删除后一个条目，需要的简称并入前一个条目，并把引用后一个条目的 department 改为前一个的 id。",
         "- id: jiaoyu\n  type: jiaoyu\n  name: 测试县教育局\n- id: jiaoyu-2\n  type: jiaoyu\n  name: 测试县教育局",
         "- id: jiaoyu\n  type: jiaoyu\n  name: 测试县教育局\n  aliases: [县教育局]"),
    Spec("department-type-mismatch", "warning", "部门 “{name}” 的名称对应部门类型 {suggested}，但 type 写的是 {type}",
         "department “{name}” is named like type {suggested}, but its type is {type}",
         "部门类型按 department-types.yaml 中各类型的常见名称（names）核对：部门全称或简称以哪个常见名称结尾（取最长的），通常就是哪个类型。类型选错了，跨县比较会把它和别的部门放在一起。请核对 type；确属特殊情况（如名称沿用旧称）可保留。",
         "- id: jiaoyu\n  type: weijian\n  name: 测试县教育和体育局", "- id: jiaoyu\n  type: jiaoyu\n  name: 测试县教育和体育局"),
    Spec("department-type-name-duplicate", "error", "常见名称 “{name}” 已属于第 {first_line} 行的部门类型 {first}",
         "common name “{name}” already belongs to department type {first} on line {first_line}",
         "department-types.yaml 中每个常见名称（names）只能属于一个部门类型，否则导入时推荐的类型不确定。从不合适的那个类型中删除这个名称。",
         "- id: wenlv\n  names: [文化和旅游局, 体育局]\n- id: wenti\n  names: [文体局, 体育局]",
         "- id: wenlv\n  names: [文化和旅游局]\n- id: wenti\n  names: [文体局, 体育局]"),
    Spec("alias-mismatch", "error", "“{written}” 不是部门 “{ref}” 的名称或简称", "“{written}” is neither the name nor an alias of department “{ref}”",
         "as_written 记录原文中部门的写法，必须是该部门的全称或 county.yaml 中登记的简称。若原文用了新的简称，请把它加入 aliases。"),
    Spec("department-name-variants", "warning", "本清单对同一部门使用了多种写法：{variants}", "this register names one department in several ways: {variants}",
         "同一份清单里同一部门的写法不一致（如“县人口和计划生育局”与“县人口计生局”）。原文如此可保留，发布前宜统一。"),
    Spec("numbering-anomaly", "warning", "序号 “{number}” 与位置不符（应为 {expected}）", "number “{number}” does not match its position (expected {expected})",
         "原文的序号重复或跳号。清单保留原文序号，发布前请核对原件。"),
    Spec("extra-column-unknown", "error", "“{column}” 不是本部分 columns 中的栏目（已有：{declared}）",
         "“{column}” is not one of this part's columns (declared: {declared_en})",
         "extra 中的字段名必须是本部分 columns 中声明的栏目名（中文），否则这一格不会显示在网页、PDF 和数据下载中。在 columns 中补上该栏目，或改正拼写。",
         "services:\n  rows:\n    - id: svc-01\n      name: 婚姻登记\n      extra: {办理依据: 《婚姻登记条例》}",
         "services:\n  columns: [办理依据]\n  rows:\n    - id: svc-01\n      name: 婚姻登记\n      extra: {办理依据: 《婚姻登记条例》}"),
    Spec("part-empty", "warning", "本部分是空列表；原文为“无”或没有公布本部分时请写 absent 并说明原因",
         "this part is an empty list; when the source prints “无” or does not publish the part, write absent with the reason",
         "空列表（rows: [] 或 systems: []）仍然有效，网页和 PDF 显示“无”；但读者看不出原文是写了“无”还是没有公布这一部分。用 absent 写明原因。",
         "boundaries:\n  heading: 二、职责边界\n  rows: []", "boundaries:\n  heading: 二、职责边界\n  absent:\n    reason: 无"),
    Spec("phone-not-dialable", "warning", "电话 “{phone}” 不是一个可拨打的号码，按文字显示", "phone “{phone}” is not one number to dial; it is shown as text",
         "电话栏只含一个号码（数字和连字符）时网页才生成拨号链接。原文在电话栏写的是文字（如“详见县政务服务中心窗口公示”）或号码带说明时照录原文，按文字显示。请核对原件：若原件只有一个号码，只写号码。",
         "phone: 详见县政务服务中心窗口公示", 'phone: "0737-7221234"'),
    Spec("phone-format", "warning", "电话号码 “{phone}” {problem}", "phone number “{phone}” {problem_en}",
         "固定电话应带区号（如 0737-7821688 或 07377821688），手机号为 11 位、以 1 开头；号码前后不应有空格。",
         'phone: " 13467875991"', 'phone: "13467875991"'),
    Spec("whitespace-stray", "warning", "文字{where}有多余的空白", "stray whitespace {where_en} the text",
         "文字开头或结尾的空格、制表符通常是从 Word 复制时带来的，发布时会显得错位。",
         'text: "开展宣传教育 "', "text: 开展宣传教育"),
    Spec("whitespace-only", "warning", "单元格只有空白（{chars}）", "the cell holds only whitespace ({chars})",
         "例如备注栏只有一个全角空格（U+3000）。如无备注，请删除该字段。",
         'remark: "　"', "（删除 remark 字段 / remove the remark field）"),
    Spec("whitespace-inner", "warning", "中文之间有多余的空格：“{context}”", "a space between Chinese characters: “{context}”",
         "Word 排版常在中文之间留下空格（“有关文件 和资料”），发布前宜删除。"),
    Spec("empty-cell", "warning", "单元格为空", "the cell is empty",
         "可选字段写了但没有内容。若无内容，请删除该字段。"),
    Spec("punctuation-doubled", "warning", "标点重复：“{context}”", "doubled punctuation: “{context}”",
         "如“。。”“，，”。原文如此可保留，发布前宜更正。"),
    Spec("punctuation-halfwidth", "warning", "中文里用了半角标点 “{char}”：“{context}”", "half-width “{char}” inside Chinese text: “{context}”",
         "中文句子应使用全角标点（，；：）。原文如此可保留，发布前宜更正。", "工作,参与", "工作，参与"),
    Spec("stray-character", "warning", "可疑字符 “{char}”：“{context}”", "suspicious character “{char}”: “{context}”",
         "正文中出现了反引号、制表符等通常来自复制粘贴的字符。"),
    Spec("suspect-typo", "warning", "疑似错别字 “{found}”，是否应为 “{suggest}”？", "possible typo “{found}”; did you mean “{suggest}”?",
         "根据常见错误表（generator/data/typos.yaml）发现的疑似错别字。清单按原文保留，请核对原件后决定是否更正。",
         "手术并发证", "手术并发症"),
    Spec("article-not-in-text", "warning", "条款 {article} 未在引用原文中出现", "article {article} is listed but not found in the quoted text",
         "articles 列出的条号应能在引用原文（text）中找到“第…条”。"),
    Spec("fmt-unsafe", "error", "无法在不改变内容或注释的情况下格式化：{reason}", "cannot format without changing data or comments: {reason_en}",
         "qingdan fmt 只在格式化后数据和注释都保持不变时才改写文件，这个文件未改动。常见原因：一行末尾有多条注释（如多行的 {…} 内）。把注释移到单独的行再运行 qingdan fmt。"),
    # adjustments (issue 18) --------------------------------------------------------------
    Spec("adjustment-row-unknown", "error", "调整 {adj} 涉及的行 “{id}” 在调整后的清单中不存在",
         "adjustment {adj} names row “{id}”, which is not in the list after it",
         "新增、承接、变更、更正的行在调整之后必须在清单中（本文件的各行是全部调整之后的清单）。检查 id 是否写错；若该行后来又被取消，它应在后一次调整的 previous 中。",
         "rows: [duty-06-05]   # 清单中没有 duty-06-05", "rows: [duty-06-04]"),
    Spec("adjustment-row-present", "error", "调整 {adj} 取消（下放、合并掉）的行 “{id}” 仍在清单中",
         "adjustment {adj} removes row “{id}”, but it is still in the list",
         "取消、下放或合并掉的行要从清单的各部分中删除，整行移到该调整的 previous 中（row、at、after），这样它只出现一次。",
         "previous:\n  - id: duty-04-02\n    at: duty-04/items\n    row: {text: …}\n# 而 duty-04-02 仍在 duties 中", "（从 duties 中删除 duty-04-02 / delete duty-04-02 from duties）"),
    Spec("adjustment-previous-missing", "error", "调整 {adj}（{type}）须在 previous 中记下行 “{id}” 调整前的内容",
         "adjustment {adj} ({type_en}) needs the previous content of row “{id}” in previous",
         "取消、下放的行要把整行记在 previous 的 row 中（连同原位置 at、after）；变更、更正的行要把改动前的字段记在 fields 中。没有这些，就无法显示调整前的清单。",
         "type: change\nrows: [duty-03-02]", "type: change\nrows: [duty-03-02]\nprevious:\n  - id: duty-03-02\n    fields: {text: 对全县人口和计划生育数据信息进行统计。}"),
    Spec("adjustment-previous-unexpected", "error", "调整 {adj}（{type}）不应删除或修改行 “{id}”",
         "adjustment {adj} ({type_en}) may not remove or change row “{id}”",
         "新增、承接只能增加行（不写 previous）；取消、下放只能删除行（previous 写 row）；变更、更正只能修改行（previous 写 fields）；合并删除若干行并增加或修改一行。请改正调整类型或 previous。",
         "type: add\nprevious:\n  - id: duty-06-04\n    fields: {…}", "type: change"),
    Spec("adjustment-previous-unlisted", "error", "调整 {adj} 的 previous 记有行 “{id}”，但 rows 中没有它",
         "adjustment {adj} keeps previous content for row “{id}”, which its rows do not list",
         "previous 中的每一行都必须列在该调整的 rows 中。"),
    Spec("adjustment-merge-incomplete", "error", "合并调整 {adj} 须至少合并掉一行，并得到一行（新增或修改）",
         "merge {adj} must remove at least one row and keep or add one",
         "合并：被合并掉的行整行记在 previous 的 row 中，合并后的行在清单中（原有的行改动了就在 fields 中记下原值）。"),
    Spec("adjustment-place-unknown", "error", "调整 {adj} 记的位置 “{place}” 在调整前的清单中不存在",
         "adjustment {adj} gives a place “{place}” not found in the list before it",
         "at 写行原来所在的列表：部分名（duties、boundaries、supervision、services）或“上级行 id/列表名”（如 duty-06/items）；after 写原来排在它前面的行的 id。",
         "at: duty-6/items", "at: duty-06/items"),
    Spec("adjustment-effective-early", "error", "调整 {adj} 的生效日期 {effective} 早于文件印发日期 {adopted}",
         "adjustment {adj} takes effect on {effective}, before its document was adopted ({adopted})",
         "生效日期不能早于印发日期。核对文件落款和“自…起施行”。", "effective: \"2019-02-01\"\ndocument: {adopted: \"2019-03-01\"}",
         "effective: \"2019-04-01\"\ndocument: {adopted: \"2019-03-01\"}"),
    Spec("adjustment-order", "error", "调整 {adj}（{effective} 生效）排在 {previous} 生效的调整之后",
         "adjustment {adj} (effective {effective}) comes after one effective {previous}",
         "adjustments 按生效日期先后排列，新的调整加在最后。"),
    Spec("adjustment-before-register", "error", "调整 {adj} 的生效日期 {effective} 早于清单公布日期 {adopted}",
         "adjustment {adj} takes effect on {effective}, before the list was adopted ({adopted})",
         "调整针对已公布的清单，生效日期不能早于清单的 adopted。"),
    Spec("adjustment-earlier-invalid", "error", "撤回调整 {adj} 后的清单不符合模式（{where}：{detail}）",
         "the list before adjustment {adj} does not match the schema ({where}: {detail})",
         "调整前的清单由 previous 推出，所以 previous 中的 row 要写成完整的行（如职责要有 number、text、items）。按所示位置补全。",
         "previous:\n  - id: duty-04\n    at: duties\n    row: {text: 某职责}", "previous:\n  - id: duty-04\n    at: duties\n    after: duty-03\n    row: {number: \"4\", text: 某职责, items: [{id: duty-04-01, text: …}]}"),
    # comparison (qingdan diff) ---------------------------------------------------------
    Spec("diff-department-type", "warning", "两份清单的部门类型不同：A 是“{type_a}”（{id_a}），B 是“{type_b}”（{id_b}），对应关系可能只是巧合",
         "the two registers are of different department types: A is {type_a_en} ({id_a}), B is {type_b_en} ({id_b}); matches may be coincidences",
         "qingdan diff A B 用于比较不同县的同类部门（如两县的公安局）。部门类型不同的两份清单（如教育局与卫生健康局）也会被逐行对齐，但“对应”多半只是用词相近。请确认选对了文件；如果是部门类型登记错了，改正 county.yaml 中该部门的 type。比较照常输出，命令仍以 0 退出。",
         "qingdan diff registers/dingan/renkou-jisheng.yaml registers/anhua/jiaoyu.yaml",
         "qingdan diff registers/dingan/renkou-jisheng.yaml registers/anhua/renkou-jisheng.yaml"),
    # import report (qingdan import) ----------------------------------------------------
    Spec("import-unplaced", "error", "未归入清单的原文（{reason}）：请移到正确字段后删除此条", "source text not placed ({reason_en}): move it into the right field, then delete this entry",
         "qingdan import 把无法归入任何字段的原文（标题前的说明、单元格数与表头不符的行、没有《》的依据……）原样写入清单草稿顶层的 unplaced，"
         "每条写明原文（text）、位置（where）和原因（reason）。在人工把文字移到正确字段（或确认原文不属于清单，如“内部资料”字样，写入 source.note）并删除该条之前，"
         "qingdan check 一直报错，草稿不能发布。",
         "unplaced:\n  - text: （内部资料 注意保存）\n    where: 第 2 行 line 2\n    reason: 清单各部分之前的文字 / text before the list's parts",
         "source:\n  note: 原件标有“内部资料 注意保存”。\n# unplaced 已删除"),
    Spec("import-failed", "error", "无法导入：{reason}", "cannot import: {reason_en}",
         "qingdan import 无法从这个文件得到清单草稿（文件无法读取、格式不支持、找不到清单的任何部分等），什么也没有写入。按消息修正源文件后重试。"),
    Spec("import-zip-bomb", "error", "疑似压缩炸弹，未解压：{reason}", "looks like a zip bomb, not inflated: {reason_en}",
         "Word（.docx）和 Excel（.xlsx）文件是 zip 压缩包。导入前先读取压缩包目录中声明的解压后大小：总量超过 128 MB、"
         "或某个大于 1 MB 的成员压缩比超过 100:1、或成员超过 10000 个时拒绝导入，不解压任何内容（正常的清单只有几 MB，压缩比在 30:1 以下）。"
         "请从原始来源重新获取文件，或另存为新的 .docx/.xlsx。"),
    Spec("import-numbering", "warning", "{where}：{zh}", "{where}: {en}",
         "原文序号重复、跳号或与位置不符；清单保留原文序号，请核对原件。"),
    Spec("import-joined-line", "warning", "断开的句子已接回上一行：“…{tail}”＋“{head}…”", "a sentence broken over two lines was joined: “…{tail}” + “{head}…”",
         "原文一句话被断成两行，导入时已接回；请核对接回是否正确。"),
    Spec("import-contents-skipped", "warning", "跳过目录（{count} 行）", "skipped a table of contents ({count} lines)",
         "原文开头的目录不属于清单内容，导入时跳过。"),
    Spec("import-title-supplied", "warning", "原文无标题行，标题按部门名称补记为“{title}”", "the source has no title line; the title was made from the department name: {title}",
         "原文没有标题行，标题按部门名称补记。"),
    Spec("import-department-added", "warning", "新增部门 {id}（{name}，类型 {type}），请核对全称和类型", "added department {id} ({name}, type {type}); check its full name and type",
         "原文出现了县部门名单中没有的部门，已自动加入 county.yaml；全称与类型是推测的。"),
    Spec("import-alias-added", "warning", "部门 {id} 增加简称“{alias}”", "department {id} gets the alias “{alias}”",
         "原文使用了部门的新简称，已加入该部门的 aliases。"),
    Spec("import-type-added", "warning", "新增部门类型 {id}（{name}），请核对名称和英文", "added department type {id} ({name}); check the name and add English",
         "新部门不属于已有的部门类型，已新增类型；请补英文名称并核对。"),
    Spec("import-law-added", "warning", "新增法律法规 {id}（{title}），效力层级 {level} 是推测的，请核对", "added law {id} ({title}); its level {level} is a guess, check it",
         "原文引用了 laws.yaml 中没有的法律法规，已新增条目；效力层级是推测的。"),
    Spec("import-topics", "warning", "主题是按部门类型和关键词推荐的（每处都有“建议主题”注释），请核对", "topics were suggested by department type and keyword (each marked by a “suggested topics” comment); review them",
         "主题标签按关键词推荐：只推荐本部门类型已在用、或尚无其他类型在用的主题，以及行政许可、行政处罚等各部门通用的权力类型。每个推荐的 topics 上方有一行“建议主题”注释；核对（增删）后删除该注释。"),
    Spec("import-placeholder", "warning", "原文缺少{what}，已写入占位内容“{value}”，请补全", "the source has no {what_en}; a placeholder “{value}” was written, fill it in",
         "模式要求的内容在原文中缺失，已写入占位内容；发布前必须补全。"),
    Spec("import-extra-column", "warning", "表格有标准栏目以外的“{column}”栏，已保存在 columns 和各事项的 extra 中", "the table has an extra column “{column}”, kept in columns and each item's extra",
         "原文表格有标准栏目以外的栏目，内容已保留在 columns 和 extra 中。"),
    Spec("import-auto-numbering", "warning", "{count} 段使用 Word 自动编号（从此处起），编号不在文字中，请核对", "{count} paragraphs (the first here) use Word's automatic numbering, which is not in their text; check them",
         "Word 自动编号不在段落文字中，导入的编号可能与原件显示不同。"),
    Spec("import-repeated-cell", "warning", "合并单元格的内容在后续行中重复出现，已按合并处理", "a merged cell's text is repeated on the following rows; read as one merged cell",
         "合并单元格的内容在 Word 中逐行重复，导入时按合并单元格处理。"),
    Spec("import-part-missing", "warning", "未找到“{name}”部分，已写为 absent（原文未公布本部分）", "part “{name}” was not found; written as absent (not published in the source)",
         "原文缺少清单的某一部分，草稿中该部分写为 absent: {reason: 原文未公布本部分}，网站和 PDF 在标题下显示该原因。若原文其实有这一部分（标题写法特殊），请把内容补入并删除 absent。"),
    Spec("import-heading-split", "warning", "节标题与正文写在同一行，已在冒号处分开", "a section heading and its text share one line; split at the colon",
         "节标题与正文写在同一行，导入时在冒号处拆开。"),
    Spec("import-county-created", "warning", "新建 {file}：拼音、级别由程序生成，请核对；英文名称尚未填写", "created {file}: pinyin and level were generated, check them; English names are not filled in",
         "新建了县的 county.yaml；拼音、行政级别为程序生成，英文名称待补。"),
    Spec("import-encoding", "warning", "源文件按 {encoding} 编码读取", "the source was read as {encoding}",
         "源文件不是 UTF-8，导入时按所示编码读取。"),
    Spec("import-reformatted", "warning", "{file} 已按统一格式重写，文件中的注释（开头的注释除外）未保留", "{file} was rewritten in the house style; comments other than the leading ones were not kept",
         "共享名单文件已按统一格式重写。"),
    # translation (issue 5) ------------------------------------------------------------
    Spec("glossary-inconsistent", "warning", "“{term}” 的译法不一致：应为 “{expected}”",
         "“{term}” translated inconsistently: expected “{expected}”",
         "英文版的术语译法以 registers/glossary.yaml 为准：中文含有该术语时，英文应使用表中的译法，不要用 variants 中列出的不当译法。",
         "zh: 流动人口服务管理\nen: Services for the migrant population", "zh: 流动人口服务管理\nen: Services for the floating population"),
    Spec("translation-missing", "warning", "尚无英文译文：“{text}”", "no English translation yet: “{text}”",
         "英文版需要每个文字字段都有 en。把该字段写成 zh/en 对照的形式并补上英文（只有空白的单元格不需要翻译）。",
         "text: 负责宣传", "text:\n  zh: 负责宣传\n  en: Responsible for publicity"),
]

CATALOGUE: dict[str, Spec] = {spec.code: spec for spec in _SPECS}


class _Lenient(dict):
    """Format mapping that leaves unknown placeholders visible instead of failing."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def finding(code: str, path: Path | str, line: int, col: int, pointer: str = "", **params: Any) -> Finding:
    """Build a finding from the catalogue; the message templates are filled from params."""
    spec = CATALOGUE[code]
    values = _Lenient({k: v for k, v in params.items()})
    return Finding(
        code=code,
        severity=spec.severity,
        file=str(path),
        line=line,
        col=col,
        pointer=pointer,
        message_zh=spec.zh.format_map(values),
        message_en=spec.en.format_map(values),
        params=params,
    )
