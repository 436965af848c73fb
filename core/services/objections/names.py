"""Names of the objection register that forms and the command line offer before any database is
opened. Free of SQLAlchemy, so that `creditdesk-admin --help` does not load it."""
from __future__ import annotations

RECORD_KINDS = {"penalty": "行政处罚", "arrear": "欠缴信息", "repair": "信用修复记录", "enterprise": "企业基本信息"}
FILERS = ("法定代表人", "委托代理人")
# The labels of the penalty items a correction may change, in order: corrections.PENALTY_FIELDS's
# labels (tests/unit/test_objection_names.py keeps the two equal).
CORRECTABLE_LABELS = ("处罚内容", "违法行为类型", "违法事实", "处罚依据", "处罚类别", "罚款金额（万元）",
                      "处罚决定日期", "程序类型", "决定类型", "失信程度", "公示截止日期")
