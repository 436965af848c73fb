"""The policy as data: what a counter clerk or a data editor would check."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from core.policy import (
    PolicyError,
    available_profiles,
    load_profile,
    load_profile_file,
    policy_dir,
)

# The attachment of 苏府规字〔2024〕1号, in its order (序号 1-20).
ATTACHMENT_DOMAINS = [
    "司法行政", "人力资源社会保障", "自然资源规划", "生态环境", "住房城乡建设",
    "园林绿化", "城市管理", "交通运输", "水务", "农业农村",
    "商务", "文化执法", "卫生健康", "安全生产", "市场监管",
    "医疗保障", "金融监管", "住房公积金", "税务", "消防安全",
]


@pytest.fixture(scope="module")
def suzhou():
    return load_profile("suzhou-2024")


@pytest.fixture(scope="module")
def national():
    return load_profile("national-2025")


def test_bundled_profiles_are_found():
    assert policy_dir().is_dir()
    assert {"suzhou-2024", "national-2025"} <= set(available_profiles())
    assert load_profile().id == "suzhou-2024"


def test_suzhou_header(suzhou):
    assert suzhou.name == "苏州市专用信用报告代替企业无违法证明（试行）"
    assert suzhou.document == "苏府规字〔2024〕1号"
    assert (suzhou.valid_from, suzhou.valid_to) == (date(2024, 3, 1), date(2026, 2, 28))
    assert suzhou.data_start == date(2021, 1, 1)
    assert (suzhou.default_years, suzhou.max_years) == (3, 3)
    assert suzhou.excluded_procedures == {"简易程序"}
    assert suzhou.excluded_decisions == {"不予处罚"}
    assert suzhou.arrears_kinds == ("社会保险", "医疗保险", "住房公积金")


def test_suzhou_has_the_twenty_domains_of_the_attachment(suzhou):
    assert [d.name for d in suzhou.domains] == ATTACHMENT_DOMAINS
    assert suzhou.domain_codes == tuple(range(1, 21))
    assert all(d.scope == "行政处罚" for d in suzhou.domains)


@pytest.mark.parametrize("code, responsible", [
    (1, "市司法局，各县级市（区）"),
    (3, "市资源规划局，张家港市、常熟市、太仓市、昆山市、吴江区、苏州工业园区"),
    (4, "市生态环境局，苏州工业园区"),
    (15, "市市场监管局"),
    (16, "市医保局，张家港市、常熟市、太仓市、昆山市、吴江区、苏州工业园区"),
    (17, "国家金融监管总局苏州监管分局、人行苏州市分行、市地方金融监管局"),
    (18, "市公积金中心，苏州工业园区"),
    (19, "市税务局"),
    (20, "市消防救援支队，各县级市（区）"),
])
def test_responsible_units_match_the_attachment(suzhou, code, responsible):
    assert suzhou.domain(code).responsible == responsible


def test_suzhou_other_information(suzhou):
    rows = [(o.code, o.kind, o.name, o.responsible) for o in suzhou.other_info]
    assert rows == [
        (1, "social_insurance_arrears", "参保欠缴信息", "市人社局、市医保局、市税务局"),
        (2, "housing_fund_arrears", "住房公积金欠缴信息", "市公积金中心，苏州工业园区"),
        (3, "credit_repair", "行政处罚信用修复记录", "市发改委"),
    ]


def test_national_profile_differs_in_procedures_and_years(suzhou, national):
    assert national.document == "发改财金〔2025〕565号"
    assert national.valid_from == date(2025, 7, 1)
    assert national.valid_to is None
    assert national.max_years == 5 and national.default_years == 3
    assert national.excluded_procedures == frozenset()
    assert national.excluded_decisions == {"不予处罚"}
    assert national.domains == suzhou.domains


def test_in_force(suzhou, national):
    assert not suzhou.in_force(date(2024, 2, 29))
    assert suzhou.in_force(date(2024, 3, 1))
    assert suzhou.in_force(date(2026, 2, 28))
    assert not suzhou.in_force(date(2026, 3, 1))
    assert national.in_force(date(2030, 1, 1))
    assert not national.in_force(date(2025, 6, 30))


def test_unknown_domain_code_raises(suzhou):
    with pytest.raises(KeyError):
        suzhou.domain(21)


@pytest.mark.parametrize("text, code", [
    ("5", 5), ("05", 5), (" 5 ", 5), ("５", 5), ("２０", 20),
    ("住房城乡建设", 5), ("住房城乡 建设", 5), (" 人力资源社 会保障 ", 2), ("税务", 19),
])
def test_find_domain(suzhou, text, code):
    assert suzhou.find_domain(text).code == code


@pytest.mark.parametrize("text", ["", "  ", "0", "21", "住建", "税"])
def test_find_domain_unknown(suzhou, text):
    assert suzhou.find_domain(text) is None


@pytest.mark.parametrize("unit, codes", [
    ("苏州市司法局", (1,)),
    ("市司法局", (1,)),
    ("昆山市生态环境局", (4,)),
    ("苏州工业园区生态环境局", (4,)),
    ("国家税务总局苏州市税务局", (19,)),
    ("国家税务总局昆山市税务局", (19,)),
    ("苏州市吴中区市场监督管理局", (15,)),
    ("张家港市消防救援大队", (20,)),
    (" 苏州市 人力资源和社会保障局 ", (2,)),
    ("人行苏州市分行", (17,)),
    ("中国人民银行昆山市支行", (17,)),
    ("某某科技有限公司", ()),
    ("", ()),
])
def test_domains_for_unit(suzhou, unit, codes):
    assert suzhou.domains_for_unit(unit) == codes


def test_county_placeholder_is_not_a_single_domain(suzhou):
    assert len(suzhou.domains_for_unit("各县级市（区）")) != 1


def test_every_listed_unit_maps_to_its_own_domain_only(suzhou):
    for domain in suzhou.domains:
        for unit in (*domain.units, *domain.aliases):
            assert suzhou.domains_for_unit(unit) == (domain.code,), unit
            county = "昆山" + unit.removeprefix("苏州").removeprefix("苏州市")
            if unit.startswith(("市", "苏州市")):
                assert suzhou.domains_for_unit(county) == (domain.code,), county


# --- editing the data files ---------------------------------------------------

def _copy_suzhou(tmp_path: Path) -> Path:
    target = tmp_path / "suzhou-2024.toml"
    shutil.copy(policy_dir() / "suzhou-2024.toml", target)
    return target


def test_adding_a_domain_is_an_edit_of_the_data_file(tmp_path):
    path = _copy_suzhou(tmp_path)
    with path.open("a", encoding="utf-8") as out:
        out.write(
            '\n[[domains]]\ncode = 21\nname = "统计"\nresponsible = "市统计局"\n'
            'scope = "行政处罚"\nunits = ["市统计局"]\naliases = ["苏州市统计局"]\n'
            'keywords = ["统计局"]\n'
        )
    profile = load_profile("suzhou-2024", tmp_path)
    assert len(profile.domains) == 21
    assert profile.domain(21).name == "统计"
    assert profile.find_domain("21").name == "统计"
    assert profile.domains_for_unit("昆山市统计局") == (21,)


def _broken(tmp_path: Path, old: str, new: str, count: int = 1) -> Path:
    path = _copy_suzhou(tmp_path)
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return path


@pytest.mark.parametrize("old, new, words", [
    ('document = "苏府规字〔2024〕1号"\n', "", ["缺少", "document"]),
    ("max_years = 3", "max_year = 3", ["缺少", "max_years"]),
    ("code = 2\n", "code = 1\n", ["序号 1", "重复"]),
    ('name = "人力资源社会保障"', 'name = "司法行政"', ["司法行政", "重复"]),
    ('name = "水务"', 'name = "  "', ["不能为空"]),
    ("default_years = 3", "default_years = 4", ["default_years", "max_years"]),
    ("valid_to = 2026-02-28", "valid_to = 2024-02-01", ["valid_to", "早于"]),
    ("data_start = 2021-01-01", "data_start = 2024-06-01", ["data_start", "晚于"]),
    ('kind = "credit_repair"', 'kind = "lottery"', ["lottery", "未知"]),
    ("code = 3\n", "code = 0\n", ["正整数"]),
    ('id = "suzhou-2024"', 'id = "suzhou-2024', ["格式错误", "行"]),
])
def test_broken_file_gives_a_chinese_one_line_message(tmp_path, old, new, words):
    path = _broken(tmp_path, old, new)
    with pytest.raises(PolicyError) as caught:
        load_profile_file(path)
    message = str(caught.value)
    assert "suzhou-2024.toml" in message
    assert "\n" not in message
    for word in words:
        assert word in message


def test_unknown_profile_lists_the_available_ones(tmp_path):
    _copy_suzhou(tmp_path)
    with pytest.raises(PolicyError) as caught:
        load_profile("shanghai-2023", tmp_path)
    assert "shanghai-2023" in str(caught.value)
    assert "suzhou-2024" in str(caught.value)


def test_id_must_match_file_name(tmp_path):
    path = _copy_suzhou(tmp_path)
    path.rename(tmp_path / "other.toml")
    with pytest.raises(PolicyError, match="不一致"):
        load_profile("other", tmp_path)


def test_edited_file_is_reloaded(tmp_path):
    path = _copy_suzhou(tmp_path)
    assert load_profile("suzhou-2024", tmp_path).max_years == 3
    text = path.read_text(encoding="utf-8").replace("max_years = 3", "max_years = 5")
    path.write_text(text + "\n", encoding="utf-8")
    assert load_profile("suzhou-2024", tmp_path).max_years == 5


def test_a_profile_may_say_when_a_unit_is_late(tmp_path):
    path = _copy_suzhou(tmp_path)
    assert load_profile("suzhou-2024", tmp_path).unit_late_days == 35  # not in the file: the default
    path.write_text(path.read_text(encoding="utf-8").replace("max_years = 3", "max_years = 3\nunit_late_days = 20"),
                    encoding="utf-8")
    assert load_profile("suzhou-2024", tmp_path).unit_late_days == 20
    path.write_text(path.read_text(encoding="utf-8").replace("unit_late_days = 20", "unit_late_days = 0"),
                    encoding="utf-8")
    with pytest.raises(PolicyError, match="unit_late_days.*正整数"):
        load_profile("suzhou-2024", tmp_path)
