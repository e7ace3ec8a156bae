"""The shared department types and topics: every standard county department has a type, the
kinds of power are marked, and the importer's type suggestion picks the right one."""
from __future__ import annotations

from pathlib import Path

import pytest

from generator.load import load_file
from generator.model import load_corpus

ROOT = Path(__file__).resolve().parents[1]
REGISTERS = ROOT / "registers"
SEED_TYPES = ["renkou-jisheng", "weisheng", "gongan", "yaojian", "fulian", "wenti", "anjian", "caizheng", "fangguan",
              "gongshang", "guotu", "jiaotong", "jiaoyu", "minzheng", "renshe", "zhujian", "jiwei"]
POWERS = {"行政许可", "行政处罚", "行政强制", "行政征收", "行政给付", "行政裁决", "行政确认", "行政奖励", "行政检查",
          "其他行政权力", "公共服务"}


@pytest.fixture(scope="module")
def corpus():  # noqa: ANN201
    return load_corpus(REGISTERS)


def test_seed_ids_are_kept_in_place() -> None:
    types = [t["id"] for t in load_file(REGISTERS / "department-types.yaml").data["types"]]
    assert types[: len(SEED_TYPES)] == SEED_TYPES
    topics = [t["id"] for t in load_file(REGISTERS / "topics.yaml").data["topics"]]
    assert topics[:21] == ["zhengce-guihua", "mubiao-kaohe", "tongji-xinxi", "xuanchuan-jiaoyu", "jishu-fuwu",
                           "shengzhi-jiankang", "yaoju", "jiangli-fuzhu", "teshu-jiating", "liudong-renkou", "liangfei",
                           "xingbiebi", "shehui-fuyangfei", "shengyu-shenpi", "xingzheng-xuke", "zhifa-jiandu",
                           "caiwu-zichan", "duiwu-wangluo", "jiceng-zhidao", "xinfang-fuyi", "qita"]


def test_every_power_kind_is_a_power_topic(corpus) -> None:  # noqa: ANN001
    powers = {t.name.zh for t in corpus.topics.values() if t.kind == "power"}
    assert POWERS <= powers
    assert corpus.topics["jiaoyu"].kind == "subject" and corpus.topics["liudong-renkou"].kind == "subject"


def test_a_common_name_belongs_to_one_type(corpus) -> None:  # noqa: ANN001
    seen: dict[str, str] = {}
    for dept_type in corpus.types.values():
        assert dept_type.name.en, dept_type.id
        for name in dept_type.names:
            assert seen.setdefault(name, dept_type.id) == dept_type.id, name


@pytest.mark.parametrize(("name", "expected"), [
    ("某某县人民政府办公室", "zhengfu-ban"), ("某某县发展和改革局", "fagai"), ("某某县教育局", "jiaoyu"),
    ("某某县教育和体育局", "jiaoyu"), ("某某县科学技术和工业信息化局", "keji"), ("某某县工业和信息化局", "gongxin"),
    ("某某县公安局", "gongan"), ("某某县民政局", "minzheng"), ("某某区司法局", "sifa"), ("某某县财政局", "caizheng"),
    ("某某县人力资源和社会保障局", "renshe"), ("某某县自然资源和规划局", "ziran-ziyuan"),
    ("某某市某某县生态环境分局", "shengtai-huanjing"), ("某某县住房和城乡建设局", "zhujian"),
    ("某某县交通运输局", "jiaotong"), ("某某县水务局", "shuili"), ("某某县农业农村局", "nongye-nongcun"),
    ("某某县商务局", "shangwu"), ("某某县文化广电旅游体育局", "wenlv"), ("某某县文化体育局", "wenti"),
    ("某某县卫生健康局", "weijian"), ("某某县卫生局", "weisheng"), ("某某县退役军人事务局", "tuiyi-junren"),
    ("某某县应急管理局", "yingji"), ("某某县审计局", "shenji"), ("某某县市场监督管理局", "shichang-jianguan"),
    ("某某县统计局", "tongji"), ("某某县医疗保障局", "yibao"), ("某某县林业局", "linye"),
    ("某某县城市管理和综合执法局", "chengguan"), ("某某县综合行政执法局", "chengguan"), ("某某县信访局", "xinfang"),
    ("某某县国有资产监督管理局", "guozi"), ("某某县乡村振兴局", "xiangcun-zhenxing"), ("某某县民族宗教事务局", "minzong"),
    ("某某县政务服务和数据管理局", "zhengwu-shuju"), ("某某县人民防空办公室", "renfang"),
    ("某某县粮食和物资储备局", "liangchu"), ("某某县档案馆", "dangan"), ("某某县机关事务管理局", "jiguan-shiwu"),
    ("国家税务总局某某县税务局", "shuiwu"), ("某某县气象局", "qixiang"), ("某某县消防救援大队", "xiaofang"),
    ("某某县人口和计划生育委员会", "renkou-jisheng"),
])
def test_suggest_type(corpus, name: str, expected: str) -> None:  # noqa: ANN001
    assert corpus.suggest_type(name).id == expected


def test_suggest_type_uses_aliases_and_may_find_nothing(corpus) -> None:  # noqa: ANN001
    assert corpus.suggest_type("某某县某某中心", "县教体局").id == "jiaoyu"
    assert corpus.suggest_type("某某县某某中心") is None


def test_usual_topics_of_a_type_are_subjects(corpus) -> None:  # noqa: ANN001
    """The importer prefers a type's usual topics; they are fields of work, never kinds of power."""
    assert [t.id for t in corpus.types["jiaoyu"].topics] == ["jiaoyu"]
    with_topics = [t for t in corpus.types.values() if t.topics]
    assert len(with_topics) >= 45
    assert all(tp.kind == "subject" for t in with_topics for tp in t.topics)
