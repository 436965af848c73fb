"""A providing unit's next file does not undo what an upheld objection corrected (issue 10): rows
for a corrected or removed record are refused with the objection named; other rows go in. Both
databases."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from core.db.models import Arrear, Penalty
from core.services.objections.corrections import Correction
from core.services.objections.register import Filing
from core.services.people.roles import Role
from core.services.records.ingest.importer import ImportService
from core.services.signing.keys import KeyService
from tests.desks import make_desk
from tests.factories import add_arrear, add_enterprise

TODAY = date.today()
DECIDED = (TODAY - timedelta(days=120)).isoformat()
HEADER = ["行政相对人名称", "统一社会信用代码", "行政处罚决定书文号", "处罚类别", "处罚内容", "处罚决定日期",
          "处罚机关", "数据来源单位", "领域", "程序类型", "决定类型"]


@pytest.fixture
def t(db, profile, tmp_path):
    keys = KeyService(db, tmp_path / "keys", tmp_path / "trust-list.json")
    keys.create(user="admin", label="一号窗口", today=TODAY - timedelta(days=300))
    return make_desk(db, profile, keys)


def row(code, number, content):
    return ["恒达", code, number, "罚款", content, DECIDED, "苏州市生态环境局", "苏州市生态环境局", "4",
            "普通程序", "给予处罚"]


def upheld(t, code, ref, correction, kind="penalty") -> int:
    oid = t.desk.file_objection(t.as_(Role.CLERK), Filing(code, kind, ref, "信息错误", "张伟"), today=TODAY).id
    sup = t.as_(Role.SUPERVISOR)
    for action in ("accept", "check"):
        t.desk.objection_step(sup, oid, action, "按规定办理", today=TODAY)
    t.desk.objection_step(sup, oid, "resolve", "核查属实", outcome="已更正", correction=correction, today=TODAY)
    return oid


def test_the_next_file_does_not_undo_a_correction(db, profile, t, write_csv):
    code = add_enterprise(db)
    importer = ImportService(db, profile)
    first = [HEADER, row(code, "苏环行罚〔2026〕31号", "罚款人民币20000元"), row(code, "苏环行罚〔2026〕32号", "警告")]
    assert importer.import_file("penalties", write_csv("a.csv", first), user="admin").accepted == 2
    changed = upheld(t, code, "苏环行罚〔2026〕31号", Correction.from_assignments(["处罚内容=罚款人民币2000元"]))
    removed = upheld(t, code, "苏环行罚〔2026〕32号", Correction(remove=True))

    again = [HEADER, row(code, "苏环行罚〔2026〕31号", "罚款人民币20000元"), row(code, "苏环行罚〔2026〕32号", "警告"),
             row(code, "苏环行罚〔2026〕33号", "警告")]
    result = importer.import_file("penalties", write_csv("b.csv", again), user="admin")
    assert result.accepted == 1
    assert {(r.row, r.reason) for r in result.rejected} == {
        (2, f"该记录已按异议 {changed} 的核查结论更正，数据文件不能覆盖；如需变更，请联系主管"),
        (3, f"该记录已按异议 {removed} 的核查结论更正，数据文件不能覆盖；如需变更，请联系主管")}
    with db.session() as s:
        stored = {p.decision_no: (p.content, p.status) for p in s.scalars(select(Penalty))}
    assert stored["苏环行罚〔2026〕31号"] == ("罚款人民币2000元", "有效")
    assert stored["苏环行罚〔2026〕32号"][1] == "异议删除"
    assert stored["苏环行罚〔2026〕33号"][1] == "有效"


def test_a_removed_arrears_row_stays_removed(db, profile, t, write_csv):
    code = add_enterprise(db)
    add_arrear(db, code)
    with db.session() as s:
        a = s.scalar(select(Arrear))
        ref = f"{a.kind} {a.period}"
        values = [code, a.kind, a.period, str(a.amount), a.status, a.source_unit, TODAY.isoformat()]
    oid = upheld(t, code, ref, Correction(remove=True), kind="arrear")
    header = ["统一社会信用代码", "欠缴类别", "所属期", "欠缴金额（元）", "状态", "数据来源单位", "统计日期"]
    result = ImportService(db, profile).import_file("arrears", write_csv("c.csv", [header, values]), user="admin")
    assert result.accepted == 0
    assert [r.reason for r in result.rejected] == [
        f"该记录已按异议 {oid} 的核查结论更正，数据文件不能覆盖；如需变更，请联系主管"]
