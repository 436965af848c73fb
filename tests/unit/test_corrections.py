"""How a 主管 says what an upheld objection corrects: "字段=值" texts, checked like an import."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from core.errors import InvalidRequest
from core.services.objections.corrections import Correction, check_outcome, parse_changes

TODAY = date(2026, 11, 27)


def test_assignments_are_read_by_label_or_short_name_with_either_equals_sign():
    fix = Correction.from_assignments(["处罚内容＝警告", "罚款金额=2000元", "处罚决定日期=2026/3/5",
                                       "公示截止期=", "失信程度=一般"])
    assert parse_changes(fix, TODAY) == {"content": "警告", "fine_amount": Decimal("0.2"),
                                         "decision_date": date(2026, 3, 5), "publish_until": None,
                                         "severity": "一般"}


@pytest.mark.parametrize("item, message", [
    ("处罚内容", "应写作“字段=值”"),
    ("处罚机关=苏州市公安局", "不能更正字段“处罚机关”"),
    ("处罚类别=", "处罚类别：不能为空"),
    ("程序类型=口头程序", "程序类型：“口头程序”不是有效的值"),
    ("处罚决定日期=2099-01-01", "晚于今天"),
    ("违法行为类型=" + "长" * 256, "违法行为类型：过长"),
])
def test_a_bad_assignment_is_refused_naming_the_field(item, message):
    with pytest.raises(InvalidRequest, match=message):
        parse_changes(Correction.from_assignments([item]), TODAY)


def test_已更正_and_a_correction_go_together():
    with pytest.raises(InvalidRequest, match="须说明如何更正"):
        check_outcome("已更正", None)
    with pytest.raises(InvalidRequest, match="只有核查结论为“已更正”"):
        check_outcome("维持", Correction(remove=True))
    with pytest.raises(InvalidRequest, match="不能同时进行"):
        check_outcome("已更正", Correction.from_assignments(["处罚内容=警告"], remove=True))
    check_outcome("维持", None)
    check_outcome("已更正", Correction(remove=True))
