"""Suzhou's own records (issue 9, part 4): whose penalties a Suzhou report collects.

The policy (苏府规字〔2024〕1号 三、适用范围) covers records of "本市行政机关、法律法规授权的具有管理公共
事务职能的组织、有关中央省垂直管理单位" in "本市行政区域内". Decision recorded in the profile: a name
counts by its start only; 江苏省 in front of a Suzhou unit is its full formal name (counted), an
organ of the province itself is not 本市 (not counted).
"""
from __future__ import annotations

from datetime import date

import pytest

from core.policy import (
    OrganScope, PolicyError, load_profile, load_profile_file, organ_in_scope, policy_dir,
)
from core.services.records.ingest.readers import Table
from core.services.records.ingest.rows import parse_table
from tests.unit.test_ingest_rows import CO_A, PENALTY_HEADERS, penalty

SUZHOU = load_profile("suzhou-2024")
NATIONAL = load_profile("national-2025")

INSIDE = [
    # the city and its development zones
    "苏州市市场监督管理局", "苏州市生态环境局", "苏州工业园区生态环境局", "苏州高新区（虎丘区）城市管理局",
    "苏州国家高新技术产业开发区管理委员会",
    # each county-level city and district
    "张家港市市场监督管理局", "常熟市生态环境局", "太仓市住房和城乡建设局", "昆山市应急管理局",
    "苏州市吴江区市场监督管理局", "吴江区交通运输局", "吴中区卫生健康委员会", "苏州市吴中区农业农村局",
    "相城区城市管理局", "姑苏区市场监督管理局", "虎丘区水务局",
    # state organs' Suzhou branches
    "国家税务总局苏州市税务局", "国家税务总局昆山市税务局", "国家税务总局苏州工业园区税务局",
    "国家税务总局苏州市吴中区税务局", "苏州海关", "中华人民共和国苏州海关", "张家港海关",
    "中国人民银行苏州市分行", "国家金融监督管理总局苏州监管分局",
    # 江苏省 in front of a Suzhou unit: its formal name, or a provincial vertical unit in Suzhou
    "江苏省苏州市市场监督管理局", "江苏省张家港地方海事局",
    # written loosely: full-width, spaces
    " 苏州市 市场监督管理局 ", "\u3000苏州市\u3000司法局",
]

OUTSIDE = [
    # the three of the issue
    "南京市市场监督管理局", "无锡市生态环境局", "国家税务总局上海市税务局",
    # other cities and their state-organ branches
    "上海市浦东新区市场监督管理局", "上海海关", "国家税务总局无锡市税务局", "中国人民银行南京分行",
    # organs of the province itself, and a parent name alone
    "江苏省生态环境厅", "江苏省市场监督管理局", "江苏省", "国家税务总局",
    # 苏州 only in the middle
    "南京海关驻苏州办事处", "无锡市新吴区苏州路街道办事处", "上海市苏州河管理处",
    # shorthand every city has
    "高新区市场监督管理局", "园区市场监管局", "市场监督管理局",
    # nothing
    "", "   ",
]


@pytest.mark.parametrize("organ", INSIDE)
def test_suzhou_organs_are_inside(organ):
    assert SUZHOU.organ_in_area(organ) is True
    assert organ_in_scope(SUZHOU.organs, organ) is True


@pytest.mark.parametrize("organ", OUTSIDE)
def test_other_organs_are_outside(organ):
    assert SUZHOU.organ_in_area(organ) is False


@pytest.mark.parametrize("organ", [*INSIDE, *OUTSIDE[:8]])
def test_the_national_profile_has_no_restriction(organ):
    assert NATIONAL.organs is None
    assert NATIONAL.organ_in_area(organ) is True


def test_explicit_names_count_whatever_they_look_like():
    scope = OrganScope(place="苏州市", prefixes=("苏州",), names=("长江航务管理局苏州分局",))
    assert organ_in_scope(scope, "长江航务管理局苏州分局")
    assert organ_in_scope(scope, "苏州市司法局")
    assert not organ_in_scope(scope, "长江航务管理局南京分局")
    assert organ_in_scope(None, "任何机关")


def _penalties(profile, *organs):
    rows = tuple((2 + i, penalty(**{"处罚机关": organ, "行政处罚决定书文号": f"苏罚〔2024〕{i}号"}))
                 for i, organ in enumerate(organs))
    return parse_table("penalties", Table("t.csv", PENALTY_HEADERS, rows), profile, today=date(2024, 6, 1))


def test_import_rejects_other_cities_organs_row_by_row_naming_the_organ():
    parsed, rejected = _penalties(SUZHOU, "苏州市市场监督管理局", "南京市市场监督管理局",
                                  "国家税务总局昆山市税务局", "无锡市生态环境局")
    assert [r.row for r in parsed] == [2, 4]
    assert [(r.row, r.column, r.reason) for r in rejected] == [
        (3, "处罚机关", "处罚机关“南京市市场监督管理局”不是苏州市的行政机关，本报告不采集"),
        (5, "处罚机关", "处罚机关“无锡市生态环境局”不是苏州市的行政机关，本报告不采集"),
    ]
    assert all(r.values["uscc"] == CO_A for r in parsed)


def test_national_import_takes_any_organ():
    parsed, rejected = _penalties(NATIONAL, "南京市市场监督管理局", "国家税务总局上海市税务局")
    assert rejected == [] and len(parsed) == 2


def _write(tmp_path, organs: str):
    """The bundled Suzhou profile with its [organs] table replaced by ``organs``."""
    source = (policy_dir() / "suzhou-2024.toml").read_text(encoding="utf-8")
    start = source.index("\n[organs]") + 1
    end = source.index("\n[[domains]]") + 1
    path = tmp_path / "suzhou-2024.toml"
    path.write_text(source[:start] + organs + "\n" + source[end:], encoding="utf-8")
    return path


def test_profile_file_checks_the_organs_table(tmp_path):
    with pytest.raises(PolicyError, match="organs.*缺少字段“place”"):
        load_profile_file(_write(tmp_path, '[organs]\nprefixes = ["苏州"]\n'))
    with pytest.raises(PolicyError, match="至少需要一个前缀"):
        load_profile_file(_write(tmp_path, '[organs]\nplace = "苏州市"\n'))
    with pytest.raises(PolicyError, match="未知字段“pattern”"):
        load_profile_file(_write(tmp_path, '[organs]\nplace = "苏州市"\nprefixes = ["苏州"]\npattern = "x"\n'))
    without = load_profile_file(_write(tmp_path, ""))
    assert without.organs is None and without.organ_in_area("南京市市场监督管理局")
