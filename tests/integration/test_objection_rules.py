"""Objections (issue 10 parts 1 and 2): working-day deadlines across the 2026 holidays and into an
unannounced 2027, every allowed and refused step, who may take it, paper dates and documents —
on both databases where the database is involved."""
from __future__ import annotations

import hashlib
import json
from datetime import date, timedelta

import pytest
from sqlalchemy import select, update

from core.db.models_audit import AuditEventRow
from core.db.models_objections import Objection, ObjectionAttachment
from core.errors import IntegrityBroken, InvalidRequest, NotFound, PermissionDenied
from core.services.objections import rules
from core.services.objections.register import Filing
from core.services.objections.workdays import WorkCalendar
from core.services.people.roles import Role
from core.services.signing.keys import KeyService
from core.states import ObjectionStatus as S
from tests.desks import make_desk
from tests.factories import add_enterprise, add_penalty

CAL = WorkCalendar()

# (filed on, working days, due, provisional): the day of filing is not counted. 2026: 春节 2-15..2-23
# off, 2-14 (Sat) and 2-28 (Sat) worked; 国庆 10-01..10-07 off, 9-20 (Sun) and 10-10 (Sat) worked.
DEADLINES = [
    (date(2026, 2, 12), 2, date(2026, 2, 14), False),  # Fri, then the make-up Saturday
    (date(2026, 2, 13), 2, date(2026, 2, 24), False),  # make-up Saturday, then the whole holiday
    (date(2026, 2, 13), 10, date(2026, 3, 5), False),  # 2-28 counts as a working day
    (date(2026, 2, 12), 20, date(2026, 3, 18), False),
    (date(2026, 9, 18), 2, date(2026, 9, 21), False),  # Fri → Sun 9-20 (worked), Mon 9-21
    (date(2026, 9, 29), 2, date(2026, 10, 8), False),  # 9-30, then 10-01..10-07 off, 10-08
    (date(2026, 9, 30), 2, date(2026, 10, 9), False),
    (date(2026, 10, 8), 2, date(2026, 10, 10), False),  # Fri 10-09, make-up Sat 10-10
    (date(2026, 11, 27), 2, date(2026, 12, 1), False),  # an ordinary weekend
    (date(2026, 12, 24), 10, date(2027, 1, 7), True),  # into 2027: not announced, weekends only
    (date(2026, 12, 30), 1, date(2026, 12, 31), False),  # still inside 2026
    (date(2026, 12, 31), 1, date(2027, 1, 1), True),
]


@pytest.mark.parametrize("filed, days, due, provisional", DEADLINES,
                         ids=[f"{f}+{n}" for f, n, _, _ in DEADLINES])
def test_working_day_deadlines(filed, days, due, provisional):
    deadline = CAL.add(filed, days)
    assert (deadline.due, deadline.provisional) == (due, provisional)


def test_an_imported_notice_moves_days_and_ends_the_provisional_mark():
    imported = WorkCalendar({date(2027, 1, 1): False, date(2027, 1, 2): False})  # a test notice
    assert imported.add(date(2026, 12, 31), 1).due == date(2027, 1, 4)
    assert imported.add(date(2026, 12, 31), 1).provisional is False
    assert not WorkCalendar().announced(2027) and imported.announced(2027)


@pytest.mark.parametrize("today, due, left", [
    (date(2026, 2, 13), date(2026, 2, 24), 2),  # 2-14 (worked) and 2-24
    (date(2026, 2, 24), date(2026, 2, 24), 0),  # due today
    (date(2026, 2, 26), date(2026, 2, 24), -2),  # 2-25 and 2-26: two working days late
    (date(2026, 10, 9), date(2026, 10, 12), 2),  # 10-10 (worked Sat) and Mon 10-12
])
def test_working_days_left(today, due, left):
    assert CAL.left(today, due) == left


# --- the register, on both databases ------------------------------------------------------------

TODAY = date(2026, 11, 27)
# How to reach each state by the workflow from 已登记 (the 已更正 outcome needs a correction: its own tests).
PATHS: dict[S, tuple[tuple[str, str | None], ...]] = {
    S.REGISTERED: (),
    S.INCOMPLETE: (("supplement", None),),
    S.NOT_ACCEPTED: (("reject", None),),
    S.ACCEPTED: (("accept", None),),
    S.CHECKING: (("accept", None), ("check", None)),
    S.REFERRED: (("accept", None), ("check", None), ("refer", None)),
    S.UPHELD: (("accept", None), ("check", None), ("resolve", "维持")),
    S.UNCONFIRMED: (("accept", None), ("check", None), ("refer", None), ("resolve", "无法确认")),
    S.ANSWERED: (("accept", None), ("check", None), ("resolve", "维持"), ("answer", None)),
    S.WITHDRAWN: (("withdraw", None),),
}
ATTEMPTS = [(a, None) for a in rules.ACTIONS if a != "resolve"] + [("resolve", "维持"), ("resolve", "无法确认")]


@pytest.fixture
def desk(db, profile, tmp_path):
    keys = KeyService(db, tmp_path / "keys", tmp_path / "trust-list.json")
    keys.create(user="admin", label="一号窗口", today=date(2026, 1, 1))
    return make_desk(db, profile, keys)


@pytest.fixture
def penalty(db):
    code = add_enterprise(db, "苏州恒达精密机械有限公司")
    return code, add_penalty(db, code, date(2026, 3, 5))


def file(desk, penalty, role=Role.CLERK, **fields) -> int:
    code, decision_no = penalty
    filing = Filing(code, "penalty", decision_no, fields.pop("grounds", "信息错误"), "张伟", **fields)
    return desk.desk.file_objection(desk.as_(role), filing, today=TODAY).id


def walk(desk, objection_id: int, path) -> None:
    for action, outcome in path:
        desk.desk.objection_step(desk.as_(Role.SUPERVISOR), objection_id, action, "按规定办理",
                                 outcome=outcome, today=TODAY)


def test_every_step_from_every_state_is_allowed_or_refused_by_the_rules(db, desk, penalty):
    """All 10 reachable states × 9 attempts: allowed ones land where the rules say, refused ones
    name the states allowed from here and change nothing."""
    checked = 0
    for start, path in PATHS.items():
        for action, outcome in ATTEMPTS:
            oid = file(desk, penalty)
            walk(desk, oid, path)
            to = rules.target(action, outcome)
            sup = desk.as_(Role.SUPERVISOR)
            if to in rules.ALLOWED[start]:
                view = desk.desk.objection_step(sup, oid, action, "按规定办理", outcome=outcome, today=TODAY)
                assert view.status == to, (start, action)
            else:
                with pytest.raises(InvalidRequest) as refused:
                    desk.desk.objection_step(sup, oid, action, "按规定办理", outcome=outcome, today=TODAY)
                words = str(refused.value)
                assert f"改为“{to}”" in words, words
                if rules.ALLOWED[start]:
                    assert f"当前只能改为：{'、'.join(rules.ALLOWED[start])}" in words
                else:
                    assert "已办结" in words
                assert desk.desk.objection(sup, oid).status == start
            checked += 1
    assert checked == len(PATHS) * len(ATTEMPTS) == 90


def test_counter_staff_register_and_withdraw_supervisors_decide(db, desk, penalty):
    oid = file(desk, penalty, role=Role.CLERK)
    clerk = desk.as_(Role.CLERK)
    for action in ("accept", "reject", "supplement"):
        with pytest.raises(PermissionDenied, match="需要主管角色"):
            desk.desk.objection_step(clerk, oid, action, "理由", today=TODAY)
    for role in (Role.VERIFIER, Role.ADMIN):
        with pytest.raises(PermissionDenied):
            file(desk, penalty, role=role)
    assert desk.desk.objection_step(clerk, oid, "withdraw", "企业撤回", today=TODAY).status == S.WITHDRAWN
    with db.session() as s:
        refused = s.scalars(select(AuditEventRow).where(AuditEventRow.action == "refused")).all()
    assert len(refused) >= 5


def test_filing_gives_the_four_deadlines_and_steps_move_them(db, desk, penalty):
    code, decision_no = penalty
    filing = Filing(code, "penalty", decision_no, "信息错误", "张伟", filed_on=date(2026, 9, 29))
    view = desk.desk.file_objection(desk.as_(Role.CLERK), filing, today=TODAY)
    assert {k: d.due for k, d in view.due.items()} == {
        "accept": date(2026, 10, 8), "check": date(2026, 10, 10),
        "provider": date(2026, 10, 23), "close": date(2026, 11, 2)}
    assert view.overdue and view.days_left < 0  # filed on paper two months ago, never accepted
    sup = desk.as_(Role.SUPERVISOR)
    view = desk.desk.objection_step(sup, view.id, "accept", "材料齐全", on=date(2026, 10, 9), today=TODAY)
    assert view.due["check"].due == date(2026, 10, 12)  # from the day it was accepted
    listed = desk.desk.objections(sup, overdue=True, today=TODAY)
    assert [v.id for v in listed] == [view.id]

    late = Filing(code, "penalty", decision_no, "信息错误", "张伟", filed_on=date(2026, 12, 24))
    with pytest.raises(InvalidRequest, match="晚于今天"):
        desk.desk.file_objection(desk.as_(Role.CLERK), late, today=TODAY)
    december = desk.desk.file_objection(desk.as_(Role.CLERK), late, today=date(2026, 12, 24))
    assert december.due["close"].due == date(2027, 1, 21) and december.provisional
    assert december.to_json()["provisional"] is True


def test_paper_dates_are_audited_and_cannot_run_backwards(db, desk, penalty):
    code, decision_no = penalty
    filing = Filing(code, "penalty", decision_no, "信息错误", "张伟", filed_on=date(2026, 11, 20))
    oid = desk.desk.file_objection(desk.as_(Role.CLERK), filing, today=TODAY).id
    sup = desk.as_(Role.SUPERVISOR)
    with pytest.raises(InvalidRequest, match="早于上一步"):
        desk.desk.objection_step(sup, oid, "accept", "材料齐全", on=date(2026, 11, 19), today=TODAY)
    desk.desk.objection_step(sup, oid, "accept", "材料齐全", on=date(2026, 11, 23), today=TODAY)
    with db.session() as s:
        events = [json.loads(e.details) for e in s.scalars(
            select(AuditEventRow).where(AuditEventRow.action == "objection").order_by(AuditEventRow.seq))]
    assert [(e["to"], e["on"], e.get("backdated")) for e in events] == [
        ("已登记", "2026-11-20", True), ("已受理", "2026-11-23", True)]
    timeline = desk.desk.objection(sup, oid).timeline
    assert [t.backdated for t in timeline] == [True, True]


def test_grounds_records_and_documents_are_checked(db, desk, penalty, tmp_path):
    code, decision_no = penalty
    clerk = desk.as_(Role.CLERK)
    with pytest.raises(InvalidRequest, match="具体内容"):
        desk.desk.file_objection(clerk, Filing(code, "penalty", decision_no, "其他", "张伟"), today=TODAY)
    with pytest.raises(InvalidRequest, match="异议理由“不服”无效"):
        desk.desk.file_objection(clerk, Filing(code, "penalty", decision_no, "不服", "张伟"), today=TODAY)
    with pytest.raises(NotFound, match="没有行政处罚决定书文号"):
        desk.desk.file_objection(clerk, Filing(code, "penalty", "苏环行罚〔2026〕999号", "信息错误", "张伟"), today=TODAY)
    fake = tmp_path / "委托书.pdf"
    fake.write_text("not a pdf")
    with pytest.raises(InvalidRequest, match="不是 PDF、PNG 或 JPEG"):
        desk.desk.file_objection(clerk, Filing(code, "penalty", decision_no, "信息错误", "李律师",
                                               filed_as="委托代理人", attachments=(fake,)), today=TODAY)
    with db.session() as s:
        assert s.scalar(select(Objection.id)) is None  # nothing half-stored

    letter = tmp_path / "授权委托书.pdf"
    letter.write_bytes(b"%PDF-1.4\n%test letter of authority\n")
    view = desk.desk.file_objection(clerk, Filing(code, "penalty", decision_no, "其他", "李律师",
                                                  filed_as="委托代理人", grounds_text="处罚对象应为分公司",
                                                  attachments=(letter,)), today=TODAY)
    (doc,) = view.attachments
    assert doc.sha256 == hashlib.sha256(letter.read_bytes()).hexdigest()
    name, media, data = desk.desk.objection_attachment(clerk, doc.id)
    assert (name, media, data) == ("授权委托书.pdf", "application/pdf", letter.read_bytes())
    with db.session() as s:  # a document changed in the database is noticed
        s.execute(update(ObjectionAttachment).values(content=b"%PDF-1.4 altered"))
    with pytest.raises(IntegrityBroken):
        desk.desk.objection_attachment(clerk, doc.id)


def test_an_imported_notice_is_used_for_deadlines(db, desk, penalty, tmp_path):
    notice = tmp_path / "2027.csv"  # a made-up notice for the test, not the real 2027 one
    notice.write_text("日期,类型,说明\n2027-01-01,休,元旦\n2027-01-04,休,测试\n", encoding="utf-8")
    admin = desk.as_(Role.ADMIN)
    result = desk.desk.import_calendar(admin, notice)
    assert (result.holidays, result.workdays, result.years) == (2, 0, (2027,))
    year = desk.desk.calendar_year(admin, 2027)
    assert year.announced and year.holidays == (date(2027, 1, 1), date(2027, 1, 4))
    code, decision_no = penalty
    view = desk.desk.file_objection(desk.as_(Role.CLERK), Filing(code, "penalty", decision_no, "信息错误", "张伟"),
                                    today=date(2026, 12, 31))
    assert view.due["accept"].due == date(2027, 1, 6) and not view.due["accept"].provisional
    with pytest.raises(PermissionDenied):
        desk.desk.import_calendar(desk.as_(Role.SUPERVISOR), notice)
    bad = tmp_path / "bad.csv"
    bad.write_text("日期,类型\n2027-02-01,加班\n", encoding="utf-8")
    with pytest.raises(InvalidRequest, match="第 2 行：类型“加班”"):
        desk.desk.import_calendar(admin, bad)
    assert desk.desk.calendar_year(admin, 2027).holidays == (date(2027, 1, 1), date(2027, 1, 4))
