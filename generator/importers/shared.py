"""Match what a list names against registers/: departments, department types, laws, topics.

A list writes departments the way its county speaks (县计生委, 县药监局); the county file
records each department once with those spellings as aliases, and department types let
every county's 县公安局 be compared.  Names are matched by their core (county prefix and
bureau suffix removed) as an in-order subsequence: 药监 is found in 食品药品监督管理, 计生 in
人口和计划生育.  Whatever is new is added, and every addition becomes a report note.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from pypinyin import Style, lazy_pinyin

from ..checks import from_chinese
from ..model import Corpus
from .notes import Note, note

COUNTY_SUFFIX = re.compile(r"^(.{1,8}?(?:自治县|自治旗|县|市|区|旗))")
ORG_SUFFIX = re.compile(r"(?:委员会|办公室|局|委|办|部门|机关)$")
TYPE_SUFFIX = re.compile(r"(?:部门|机关)$")
LEVELS = [("自治县", "county"), ("自治旗", "banner"), ("县", "county"), ("市", "county-level-city"), ("区", "district"),
          ("旗", "banner")]
PROVINCIAL = re.compile(r"^(?:.{2,3}(?:省|自治区)|北京市|天津市|上海市|重庆市)")
LAW_LIKE = re.compile(r"(?:法|条例|规定|办法|细则|规则|决定|通知|意见|方案|纲要|规划|制度|准则)$")
ARTICLE = re.compile(r"(?:^|(?<=[》）)\n]))\s*第([一二三四五六七八九十百零〇\d]+)条")
FILLER_WORDS = {"中华人民共和国", "关于", "印发", "的", "和", "与", "及", "〈", "〉", "《", "》"}
TOPIC_WORDS = {
    "zhengce-guihua": ["政策", "规划", "方针", "规范性文件"],
    "mubiao-kaohe": ["目标管理", "考核评估", "目标责任"],
    "tongji-xinxi": ["统计", "信息化", "信息库", "数据"],
    "xuanchuan-jiaoyu": ["宣传", "教育"],
    "jishu-fuwu": ["技术服务", "手术"],
    "shengzhi-jiankang": ["生殖", "优生", "孕前", "出生缺陷"],
    "yaoju": ["药具", "避孕"],
    "jiangli-fuzhu": ["奖励", "扶助", "奖扶"],
    "teshu-jiating": ["特殊困难家庭"],
    "liudong-renkou": ["流动人口"],
    "liangfei": ["两非", "胎儿性别鉴定"],
    "xingbiebi": ["性别比", "性别平衡"],
    "shehui-fuyangfei": ["社会抚养费"],
    "shengyu-shenpi": ["生育审批", "再生育", "生育证", "生育服务", "生育政策"],
    "xingzheng-xuke": ["行政许可", "审批", "执业许可", "执业证书", "核发"],
    "zhifa-jiandu": ["执法", "行政处罚", "监督检查", "案件", "裁量"],
    "caiwu-zichan": ["经费", "资金", "资产", "财务", "支出", "预算"],
    "duiwu-wangluo": ["队伍", "服务网络", "网络体系", "培训", "协会"],
    "jiceng-zhidao": ["乡镇", "基层", "农场"],
    "xinfang-fuyi": ["信访", "来信来访", "复议", "投诉", "应诉"],
    "qita": ["交办"],
}
"""Keywords beyond the topic names themselves, for topic ids that exist in topics.yaml."""
TOPICS_PER_ROW = 3


@lru_cache(maxsize=1)
def _jieba() -> Any:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


def slug(text: str) -> str:
    """An id from Chinese text: pinyin per word, words joined by hyphens (人口计生 → renkou-jisheng)."""
    words = []
    for word in _jieba().lcut(text):
        if word in FILLER_WORDS:
            continue
        letters = "".join(lazy_pinyin(word, style=Style.NORMAL, errors="default")).lower()
        letters = re.sub(r"[^a-z0-9]", "", letters)
        if letters:
            words.append(letters)
    return "-".join(words) or "x"


def pinyin_name(name: str) -> str:
    """Tone-marked pinyin of a place name, the suffix apart: 定安县 → Dìng'ān Xiàn."""
    suffix = next((s for s, _ in LEVELS if name.endswith(s) and len(name) > len(s)), "")
    core = name[: len(name) - len(suffix)] if suffix else name

    def word(text: str) -> str:
        out = ""
        for syllable in lazy_pinyin(text, style=Style.TONE):
            if out and syllable[:1] in "aāáǎàoōóǒòeēéěè":
                out += "'"
            out += syllable
        return out[:1].upper() + out[1:]

    return " ".join(w for w in (word(core), word(suffix)) if w)


def level_of(name: str) -> str:
    return next((level for suffix, level in LEVELS if name.endswith(suffix)), "county")


def county_name_in(text: str) -> str | None:
    match = COUNTY_SUFFIX.match(text)
    return match.group(1) if match else None


def _subsequence(short: str, long: str) -> bool:
    rest = iter(long)
    return all(ch in rest for ch in short)


def _family(name: str) -> str:
    """The kind of body a name ends in: 委 and 委员会 are one kind, 局 another."""
    for ending, family in (("委员会", "委"), ("委", "委"), ("办公室", "办"), ("办", "办")):
        if name.endswith(ending):
            return family
    return name[-1:]


@dataclass
class Department:
    id: str
    type: str
    name: str
    aliases: list[str] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return [self.name, *self.aliases]


@dataclass
class Law:
    id: str
    names: list[str]


class Shared:
    """The shared lists and the county's departments, with this import's additions."""

    def __init__(self, corpus: Corpus, county_slug: str, county_name: str, notes: list[Note]) -> None:
        self.notes = notes
        self.county_name = county_name
        county = corpus.counties.get(county_slug)
        self.departments = [Department(d.id, d.type.id, d.name.zh, list(d.aliases))
                            for d in (county.departments.values() if county else [])]
        self.types = {t.id: t.name.zh for t in corpus.types.values()}
        self.laws = [Law(law.id, law.names) for law in corpus.laws.values()]
        self.topics = {t.id: t.name.zh for t in corpus.topics.values()}
        self.power_topics = {t.id for t in corpus.topics.values() if t.kind == "power"}
        """The kinds of power every list uses (行政许可, 行政处罚 …, 公共服务): suggested for any department type."""
        self.corpus = corpus
        self.topic_types: dict[str, set[str]] = {
            t.id: {row.register.department.type.id for row in t.rows} for t in corpus.topics.values()}
        """Which department types use each topic — their registers do, or the taxonomy names it
        among the type's usual topics: suggestions follow the department type."""
        for dept_type in corpus.types.values():
            for topic in dept_type.topics:
                self.topic_types.setdefault(topic.id, set()).add(dept_type.id)
        self.new_departments: list[Department] = []
        self.new_aliases: list[tuple[str, str]] = []
        self.new_types: list[dict[str, str]] = []
        self.new_laws: list[dict[str, Any]] = []

    # --- departments -------------------------------------------------------------------

    def core(self, name: str) -> str:
        """A department name without party prefix and county: 中共安化县纪律检查委员会 → 纪律检查委员会."""
        text = re.sub(r"\s", "", name)
        text = re.sub(r"^中共", "", text)
        if self.county_name and text.startswith(self.county_name):
            return text[len(self.county_name):]
        return re.sub(r"^[县市区旗]", "", text)

    def _stem(self, name: str) -> str:
        core = self.core(name)
        return ORG_SUFFIX.sub("", core) or core

    def _type_for(self, name: str) -> str | None:
        suggested = self.corpus.suggest_type(re.sub(r"\s", "", name))
        if suggested is not None:
            return suggested.id
        stem = self._stem(name)
        stems = {tid: TYPE_SUFFIX.sub("", tname) for tid, tname in self.types.items()}
        found = [tid for tid, tstem in stems.items() if _subsequence(stem, tstem)]
        found = found or [tid for tid, tstem in stems.items() if len(tstem) >= 2 and _subsequence(tstem, stem)]
        exact = [tid for tid in found if stems[tid] == stem]
        if len(exact) == 1 or len(found) == 1:
            return (exact or found)[0]
        return None

    def by_id(self, department_id: str) -> Department | None:
        return next((d for d in self.departments if d.id == department_id), None)

    def own(self, department_id: str, name: str | None) -> Department | None:
        """The register's own department: the county's entry with that id, or a new one named `name`."""
        existing = self.by_id(department_id)
        if existing or name is None:
            return existing
        same = self.same_name(name)
        if same is not None:
            raise ValueError(same.id)
        type_id = self._type_for(name) or self._new_type(department_id, name)
        return self._add(Department(department_id, type_id, name))

    def same_name(self, name: str) -> Department | None:
        """A department of the county already registered under this name or alias (county prefix aside)."""
        core = self.core(name)
        return next((d for d in self.departments if any(self.core(n) == core for n in d.names)), None)

    def department_for(self, written: str, own: Department) -> Department:
        """The department a boundary table means by `written`, adding it or its alias when new."""
        for dept in self.departments:
            if written in dept.names:
                return dept
        stem, own_core = self._stem(written), self.core(own.name)
        if len(stem) >= 2 and _subsequence(stem, own_core) and _family(self.core(written)) == _family(own_core):
            return self._alias(own, written)
        type_id = self._type_for(written)
        same_type = [d for d in self.departments if d.type == type_id] if type_id else []
        if len(same_type) == 1:
            return self._alias(same_type[0], written)
        new_id = self._free_id(type_id or slug(self._stem(written)))
        if type_id is None:
            type_id = self._new_type(new_id, written)
        core = self.core(written)
        full = f"{self.county_name}{core}" if self.county_name else written
        return self._add(Department(new_id, type_id, full, [written] if written != full else []))

    def _free_id(self, base: str) -> str:
        candidate, n = base, 1
        while self.by_id(candidate):
            n += 1
            candidate = f"{base}-{n}"
        return candidate

    def _alias(self, dept: Department, written: str) -> Department:
        dept.aliases.append(written)
        self.new_aliases.append((dept.id, written))
        self.notes.append(note("import-alias-added", id=dept.id, alias=written))
        return dept

    def _add(self, dept: Department) -> Department:
        self.departments.append(dept)
        self.new_departments.append(dept)
        self.notes.append(note("import-department-added", id=dept.id, name=dept.name, type=dept.type))
        return dept

    def _new_type(self, wanted: str, name: str) -> str:
        type_id = wanted if wanted not in self.types else f"{wanted}-type"
        type_name = f"{self._stem(name)}部门"
        self.types[type_id] = type_name
        self.new_types.append({"id": type_id, "name": type_name})
        self.notes.append(note("import-type-added", id=type_id, name=type_name))
        return type_id

    # --- laws --------------------------------------------------------------------------

    def law_for(self, name: str, context: str) -> str:
        """The id of the law named `name` (as inside 《》), registering it when new."""
        wanted = name.replace("中华人民共和国", "")
        for law in self.laws:
            if any(n.replace("中华人民共和国", "") == wanted for n in law.names):
                return law.id
        base = slug(wanted)
        law_id, n = base, 1
        while any(law.id == law_id for law in self.laws):
            n += 1
            law_id = f"{base}-{n}"
        entry: dict[str, Any] = {"id": law_id, "title": name}
        details = re.search(re.escape(f"《{name}》") + r"(?:的通知)?\s*[（(]([^）)]*)[）)]", context)
        if details:
            number = re.split(r"[，,]", details.group(1))[0].strip()
            if number.endswith("号"):
                entry["document_number"] = number
            date = re.search(r"(\d{4})年(\d{1,2})月(\d{1,2})日", details.group(1))
            if date:
                entry["effective"] = f"{date.group(1)}-{int(date.group(2)):02d}-{int(date.group(3)):02d}"
        entry["level"] = _level(name, entry.get("document_number", ""))
        self.laws.append(Law(law_id, [name]))
        self.new_laws.append(entry)
        self.notes.append(note("import-law-added", id=law_id, title=name, level=entry["level"]))
        return law_id

    def mentioned_laws(self, text: str) -> None:
        """Register the laws a prose text names in 《》 (not certificates or forms)."""
        for name in re.findall(r"《([^》]+)》", text):
            if LAW_LIKE.search(name):
                self.law_for(name, text)

    # --- topics ------------------------------------------------------------------------

    def topics_for(self, text: str, type_id: str) -> list[str]:
        """Up to three topics whose names or keywords occur in `text`, best first, for a department of `type_id`.

        A topic that other department types use (in their registers or as their usual topics in
        department-types.yaml) and this type does not is not suggested (an education bureau's
        宣传 is not family-planning 宣传教育); the kinds of power are open to every type; among
        equal keyword hits, a topic of this type's own comes first.
        """
        scores = []
        for position, (topic_id, name) in enumerate(self.topics.items()):
            users = self.topic_types.get(topic_id, set())
            if users and type_id not in users and topic_id not in self.power_topics:
                continue
            words = {w for w in re.split(r"[与和及、的]", name) if len(w) >= 2} | set(TOPIC_WORDS.get(topic_id, []))
            hits = sum(1 for w in words if w in text)
            if hits:
                scores.append((-hits, type_id not in users, position, topic_id))
        return [topic_id for *_, topic_id in sorted(scores)[:TOPICS_PER_ROW]]


def _level(title: str, document_number: str) -> str:
    """A first guess at a law's rank from its title and number; always reported for review."""
    if title.endswith("法"):
        return "law"
    if "国务院令" in document_number or (title.endswith("条例") and not PROVINCIAL.match(title)):
        return "administrative-regulation"
    if title.endswith("条例"):
        return "local-regulation"
    if re.search(r"(?:规定|办法|细则|规则)$", title):
        return "government-rule"
    return "normative-document"


def articles(text: str) -> list[str]:
    """Article numbers cited at the head of a paragraph or right after the title: 第三十九条 → "39"."""
    out: list[str] = []
    for number in ARTICLE.findall(text):
        value = str(from_chinese(number))
        if value not in out and value != "0":
            out.append(value)
    return out
