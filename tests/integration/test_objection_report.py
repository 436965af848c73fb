"""What the report shows of objections (issue 10 part 3): 异议处理中 while an accepted objection is
open, nothing after 维持, a note after 无法确认; 已更正 changes or removes the record through a
recorded correction, flags the reports issued before it when they are verified, and gives the
enterprise a corrected report without a new request. Both databases, real PDFs."""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from core.db.models import Arrear, Penalty
from core.db.models_objections import RecordCorrection
from core.domain import UNCONFIRMED_NOTE
from core.errors import InvalidRequest
from core.services.objections.corrections import Correction
from core.services.objections.register import Filing
from core.services.people import audit_chain
from core.services.people.roles import Role
from core.services.reports import archive
from core.services.reports.request import ReportRequest
from core.services.reports.verify import VerificationService
from core.services.signing.keys import KeyService
from core.states import AuditAction, RemovedStatus
from tests.desks import make_desk
from tests.factories import add_arrear, add_enterprise, add_penalty
from tests.integration.test_pdf import flat, page_texts

TODAY = date.today()
DECIDED = TODAY - timedelta(days=120)


@pytest.fixture
def keys(db, tmp_path):
    service = KeyService(db, tmp_path / "keys", tmp_path / "trust-list.json")
    service.create(user="admin", label="一号窗口", today=TODAY - timedelta(days=300))
    return service


@pytest.fixture
def t(db, profile, keys):
    return make_desk(db, profile, keys)


@pytest.fixture
def penalty(db):
    code = add_enterprise(db, "苏州恒达精密机械有限公司")
    number = add_penalty(db, code, DECIDED, decision_no="苏环行罚〔2026〕17号", content="罚款人民币2000元")
    return code, number


def text_of(pdf: bytes) -> str:
    return flat("".join(page_texts(pdf)))


def issue(t, code):
    return t.issue(code, now=datetime.now())


def file_objection(t, code, ref, kind="penalty", *, accept=True) -> int:
    v = t.desk.file_objection(t.as_(Role.CLERK), Filing(uscc=code, record_kind=kind, record_ref=ref,
                                                        grounds="信息错误", filed_by="张伟"), today=TODAY)
    if accept:
        t.desk.objection_step(t.as_(Role.SUPERVISOR), v.id, "accept", "材料齐全", today=TODAY)
    return v.id


def step(t, oid, action, outcome=None, correction=None):
    return t.desk.objection_step(t.as_(Role.SUPERVISOR), oid, action, "核查完毕", outcome=outcome,
                                 today=TODAY, correction=correction)


def verify(db, keys, result):
    return VerificationService(db, keys).verify(result.issue.qr_digits, user="核验员", counter="二号窗口",
                                                today=TODAY)


def violation_json(t, code):
    (v,) = t.desk.content(t.as_(Role.CLERK), ReportRequest(code), TODAY).to_json()["violations"]
    return v


def test_an_accepted_open_objection_prints_beside_the_record_and_维持_removes_it(db, t, keys, penalty):
    code, number = penalty
    registered = file_objection(t, code, number, accept=False)
    assert "异议处理中" not in text_of(issue(t, code).pdf)  # registered, not yet accepted
    assert violation_json(t, code)["objection"] is None

    t.desk.objection_step(t.as_(Role.SUPERVISOR), registered, "accept", "材料齐全", today=TODAY)
    marked = issue(t, code)
    text = text_of(marked.pdf)
    assert f"异议处理中（{TODAY.isoformat()}受理）" in text
    assert "1条异议处理中" in text  # the summary says so too
    assert violation_json(t, code)["objection"] == {"id": registered, "status": "已受理",
                                                    "accepted_on": TODAY.isoformat()}
    # The mark is printed, so it is in the signed content; the report verifies.
    with db.session() as s:
        (archived,) = archive.get(s, marked.report_no).content["violations"]
    assert archived["objection"]["status"] == "已受理"
    assert verify(db, keys, marked).status == "valid"

    step(t, registered, "check")
    assert violation_json(t, code)["objection"]["status"] == "平台核查"
    step(t, registered, "resolve", "维持")
    assert violation_json(t, code)["objection"] is None
    text = text_of(issue(t, code).pdf)
    assert "异议处理中" not in text and UNCONFIRMED_NOTE not in text
    assert "苏环行罚〔2026〕17号" in text  # the record stands


def test_无法确认_prints_a_note_beside_the_record(db, t, penalty):
    code, number = penalty
    oid = file_objection(t, code, number)
    for action in ("check", "refer"):
        step(t, oid, action)
    assert violation_json(t, code)["objection"]["status"] == "协查中"
    step(t, oid, "resolve", "无法确认")
    step(t, oid, "answer")  # answered: the note stays while the record is on reports
    assert violation_json(t, code)["objection"] == {"id": oid, "status": "无法确认",
                                                    "accepted_on": TODAY.isoformat()}
    text = text_of(issue(t, code).pdf)
    assert flat(UNCONFIRMED_NOTE) in text and "异议处理中" not in text


def test_已更正_needs_a_correction_and_only_已更正_takes_one(db, t, penalty):
    code, number = penalty
    oid = file_objection(t, code, number)
    step(t, oid, "check")
    with pytest.raises(InvalidRequest, match="须说明如何更正"):
        step(t, oid, "resolve", "已更正")
    with pytest.raises(InvalidRequest, match="只有核查结论为“已更正”时才能更正记录"):
        step(t, oid, "resolve", "维持", Correction.from_assignments(["处罚内容=警告"]))
    with pytest.raises(InvalidRequest, match="不能更正字段“处罚机关”"):
        step(t, oid, "resolve", "已更正", Correction.from_assignments(["处罚机关=苏州市公安局"]))
    with pytest.raises(InvalidRequest, match="处罚类别：“拘役”不是行政处罚法第九条规定的种类"):
        step(t, oid, "resolve", "已更正", Correction.from_assignments(["处罚类别=拘役"]))
    with pytest.raises(InvalidRequest, match="罚款金额（万元）"):
        step(t, oid, "resolve", "已更正", Correction.from_assignments(["罚款金额（万元）=两千"]))
    with pytest.raises(InvalidRequest, match="与原记录相同"):
        step(t, oid, "resolve", "已更正", Correction.from_assignments(["处罚内容=罚款人民币2000元"]))
    # Every refusal left the objection and the record as they were.
    assert t.desk.objection(t.as_(Role.SUPERVISOR), oid).status == "平台核查"
    with db.session() as s:
        assert s.scalar(select(Penalty.content).where(Penalty.decision_no == number)) == "罚款人民币2000元"
        assert s.scalars(select(RecordCorrection)).all() == []


def test_a_correction_changes_the_printed_record_flags_earlier_reports_and_reissues(db, t, keys, penalty):
    code, number = penalty
    before = issue(t, code)
    assert verify(db, keys, before).corrections == ()  # nothing corrected yet
    oid = file_objection(t, code, number, accept=True)
    step(t, oid, "check")
    assert verify(db, keys, before).corrections == ()  # an open objection is no correction
    view = step(t, oid, "resolve", "已更正",
                Correction.from_assignments(["处罚内容=罚款人民币1000元", "罚款金额（万元）=1000元"]))
    assert view.status == "已更正"
    assert view.correction["changes"] == [["处罚内容", "罚款人民币2000元", "罚款人民币1000元"],
                                          ["罚款金额（万元）", "0.2", "0.1"]]
    assert view.to_json()["correction"]["removed"] is False

    with db.session() as s:
        (fix,) = s.scalars(select(RecordCorrection)).all()
        assert (fix.objection_id, fix.record_ref, fix.removed, fix.corrected_on) == (oid, number, False, TODAY)
        assert json.loads(fix.changes) == {"content": ["罚款人民币2000元", "罚款人民币1000元"],
                                           "fine_amount": ["0.2", "0.1"]}
        (event,) = audit_chain.events_for(s, action=AuditAction.CORRECTION, subject=number)
        assert event.details["changes"]["content"][1] == "罚款人民币1000元"

    after = issue(t, code)
    text = text_of(after.pdf)
    assert "罚款人民币1000元" in text and "罚款人民币2000元" not in text
    assert violation_json(t, code)["objection"] is None  # corrected: no mark

    old = verify(db, keys, before)
    assert old.status == "valid"
    assert [c.flag for c in old.corrections] == [f"报告出具后该记录已更正（{TODAY.isoformat()}）：{number}"]
    assert old.to_json()["corrections"] == [{"record": number, "corrected_on": TODAY.isoformat(),
                                             "removed": False}]
    assert "已更正" in old.reason
    assert verify(db, keys, after).corrections == ()  # issued after the correction

    redone = t.desk.reissue_corrected(t.as_(Role.CLERK), before.report_no)
    assert redone.report_no not in (before.report_no, after.report_no)
    assert (redone.content.period_from, redone.content.period_to) == (before.content.period_from, TODAY)
    assert redone.content.domain_codes == before.content.domain_codes
    assert redone.issue.purpose == before.issue.purpose
    assert "罚款人民币1000元" in text_of(redone.pdf)
    with db.session() as s:
        (issued,) = audit_chain.events_for(s, action=AuditAction.ISSUE, subject=redone.report_no)
    assert issued.details["corrects"] == before.report_no
    with pytest.raises(InvalidRequest, match="没有经异议更正"):
        t.desk.reissue_corrected(t.as_(Role.CLERK), after.report_no)


def test_removal_takes_the_record_off_later_reports_but_keeps_it(db, t, keys, penalty):
    code, number = penalty
    before = issue(t, code)
    assert number in text_of(before.pdf)
    oid = file_objection(t, code, number)
    step(t, oid, "check")
    step(t, oid, "resolve", "已更正", Correction(remove=True))

    content = t.desk.content(t.as_(Role.CLERK), ReportRequest(code), TODAY)
    assert content.violations == ()
    assert number not in text_of(issue(t, code).pdf)
    with db.session() as s:
        assert s.scalar(select(Penalty.status).where(Penalty.decision_no == number)) == RemovedStatus.BY_OBJECTION
        (fix,) = s.scalars(select(RecordCorrection)).all()
        assert fix.removed and json.loads(fix.changes) == {"status": ["有效", "异议删除"]}
    (flag,) = verify(db, keys, before).corrections
    assert flag.removed and flag.flag == f"报告出具后该记录已删除（{TODAY.isoformat()}）：{number}"
    assert verify(db, keys, before).new_violations == ()
    # Nothing left to change on a removed record.
    again = file_objection(t, code, number)
    step(t, again, "check")
    with pytest.raises(InvalidRequest, match="已因异议从报告中删除"):
        step(t, again, "resolve", "已更正", Correction.from_assignments(["处罚内容=警告"]))


def test_arrears_may_be_removed_other_kinds_are_corrected_by_reimport(db, t):
    code = add_enterprise(db, "吴中区绿源环保科技有限公司")
    add_arrear(db, code, period="2026-08", as_of=TODAY - timedelta(days=5))
    oid = file_objection(t, code, "社会保险 2026-08", kind="arrear")
    step(t, oid, "check")
    with pytest.raises(InvalidRequest, match="欠缴信息的内容更正由数据提供单位重新报送"):
        step(t, oid, "resolve", "已更正", Correction.from_assignments(["处罚内容=无"]))
    step(t, oid, "resolve", "已更正", Correction(remove=True))
    assert t.desk.content(t.as_(Role.CLERK), ReportRequest(code), TODAY).arrears == ()
    with db.session() as s:
        assert s.scalar(select(Arrear.status)) == "异议删除"

    basic = file_objection(t, code, "基本信息", kind="enterprise")
    step(t, basic, "check")
    with pytest.raises(InvalidRequest, match="企业基本信息的内容更正由数据提供单位重新报送"):
        step(t, basic, "resolve", "已更正", Correction(remove=True))


def test_a_report_without_objections_keeps_its_canonical_form_and_verifies(db, t, keys, penalty):
    code, _ = penalty
    result = issue(t, code)
    with db.session() as s:
        stored = archive.get(s, result.report_no)
    assert all("objection" not in v for v in stored.content["violations"])  # as before objections
    verdict = verify(db, keys, result)
    assert verdict.status == "valid" and verdict.to_json()["corrections"] == []
