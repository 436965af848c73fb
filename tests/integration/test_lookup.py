"""Enterprise lookup on both databases: what a clerk types and what comes first."""
from __future__ import annotations

from tests.factories import add_enterprise
from core.services.records.lookup import LookupService


def names(hits):
    return [h.name for h in hits]


def test_ranking_uscc_exact_name_prefix_substring(db):
    target = add_enterprise(db, "苏州恒达")
    add_enterprise(db, "苏州恒达精密机械有限公司")
    add_enterprise(db, "昆山市苏州恒达贸易有限公司")
    add_enterprise(db, "张家港市永鑫纺织品有限公司")
    hits = LookupService(db).search("苏州恒达")
    assert names(hits) == ["苏州恒达", "苏州恒达精密机械有限公司", "昆山市苏州恒达贸易有限公司"]
    assert [h.match for h in hits] == ["name", "prefix", "contains"]
    by_code = LookupService(db).search(target.lower())
    assert (by_code[0].uscc, by_code[0].match) == (target, "uscc")


def test_uscc_typed_with_full_width_and_spaces(db):
    code = add_enterprise(db, "苏州新锐光电科技有限公司")
    typed = " ".join(code[i:i + 6] for i in range(0, 18, 6)).translate(
        {ord(c): ord(c) + 0xFEE0 for c in "0123456789"}
    )
    assert LookupService(db).search(typed)[0].uscc == code


def test_two_characters_of_the_name(db):
    add_enterprise(db, "苏州新锐光电科技有限公司")
    add_enterprise(db, "常熟市虞山镇绿源农机专业合作社")
    assert names(LookupService(db).search("光电")) == ["苏州新锐光电科技有限公司"]
    assert names(LookupService(db).search("绿源农机")) == ["常熟市虞山镇绿源农机专业合作社"]
    assert LookupService(db).search("不存在的企业") == []


def test_former_name_is_found_and_named(db):
    code = add_enterprise(db, "苏州新锐光电科技有限公司", former=("吴县光明电子厂",))
    (hit,) = LookupService(db).search("光明电子")
    assert (hit.uscc, hit.name, hit.matched_name) == (code, "苏州新锐光电科技有限公司", "吴县光明电子厂")


def test_pinyin_initials_prefix_and_inside(db):
    add_enterprise(db, "苏州恒达精密机械有限公司")  # szhdjmjxyxgs
    add_enterprise(db, "昆山华瑞电子科技有限公司")  # kshrdzkjyxgs
    assert names(LookupService(db).search("szhd")) == ["苏州恒达精密机械有限公司"]
    assert names(LookupService(db).search("HRDZ")) == ["昆山华瑞电子科技有限公司"]
    assert [h.match for h in LookupService(db).search("yxgs")] == ["initials", "initials"]


def test_limit_and_no_duplicates(db):
    for i in range(30):
        add_enterprise(db, f"苏州测试{i:02d}科技有限公司", former=(f"苏州测试{i:02d}旧名公司",))
    hits = LookupService(db).search("苏州测试", limit=10)
    assert len(hits) == 10 and len({h.uscc for h in hits}) == 10


def test_get_details(db):
    code = add_enterprise(db, "苏州恒达精密机械有限公司", legal_rep="王芳", address="苏州市吴中区木渎镇金枫路188号")
    info = LookupService(db).get(code)
    assert (info.name, info.legal_rep, info.address, info.division) == (
        "苏州恒达精密机械有限公司", "王芳", "苏州市吴中区木渎镇金枫路188号", "320506")
