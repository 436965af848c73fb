"""The objection register: filing, the steps, deadlines and the timeline (inside the caller's
unit of work; every change is also an event of the audit chain)."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db.models import Arrear, CreditRepair, Enterprise, Penalty
from core.db.models_objections import CalendarDay, Objection, ObjectionAttachment, ObjectionEvent
from core.db.models_reports import IssuedReport
from core.errors import InvalidRequest, NotFound
from core.services.objections import rules, steps
from core.services.objections.names import FILERS, RECORD_KINDS  # noqa: F401 - also imported from here
from core.services.objections.workdays import Deadline, WorkCalendar
from core.states import AuditAction, ObjectionGrounds, ObjectionStatus as S

MAX_ATTACHMENT = 20 * 1024 * 1024
MAX_REASON = 2000
# What a document may be: PDF or an image, told by its first bytes, not its name.
_MAGIC = ((b"%PDF-", "application/pdf"), (b"\x89PNG\r\n\x1a\n", "image/png"),
          (b"\xff\xd8\xff", "image/jpeg"))


@dataclass(frozen=True)
class Filing:
    uscc: str
    record_kind: str
    record_ref: str
    grounds: str
    filed_by: str
    filed_as: str = "法定代表人"
    grounds_text: str | None = None
    report_no: str | None = None
    attachments: tuple[Path, ...] = ()
    filed_on: date | None = None  # a paper filing made earlier; today when None


def calendar(s: Session) -> WorkCalendar:
    return WorkCalendar({d.day: d.workday for d in s.scalars(select(CalendarDay))})


def deadlines(o: Objection, days: tuple[int, int, int, int], cal: WorkCalendar) -> dict[str, Deadline]:
    """accept: from filing; check: from acceptance (planned: from the accept deadline); provider:
    from referral (planned: from the check deadline); close: from filing."""
    accept = cal.add(o.filed_on, days[0])
    check = cal.add(o.accepted_on or accept.due, days[1])
    provider = cal.add(o.referred_on or check.due, days[2])
    close = cal.add(o.filed_on, days[3])
    return {"accept": accept, "check": check, "provider": provider, "close": close}


def next_due(o: Objection, due: dict[str, Deadline]) -> Deadline | None:
    """The deadline the current state works to (the earlier of its stage's and the closing one);
    None once closed."""
    status = S(o.status)
    if status in rules.CLOSED:
        return None
    stage = {S.REGISTERED: "accept", S.INCOMPLETE: "accept", S.ACCEPTED: "check",
             S.CHECKING: "check", S.REFERRED: "provider"}.get(status, "close")
    return min((due[stage], due["close"]), key=lambda d: d.due)


def _text(value: str | None, what: str, limit: int = MAX_REASON, required: bool = True) -> str | None:
    value = (value or "").strip()
    if not value:
        if required:
            raise InvalidRequest(f"请填写{what}")
        return None
    if len(value) > limit:
        raise InvalidRequest(f"{what}过长（{len(value)} 字，最多 {limit} 字）")
    if any(ord(c) < 32 and c not in "\n\t" for c in value):
        raise InvalidRequest(f"{what}含有控制字符")
    return value


def _record(s: Session, f: Filing) -> tuple[int | None, str]:
    """The row objected to and the enterprise's name; NotFound with the reason otherwise."""
    ent = s.scalar(select(Enterprise).where(Enterprise.uscc == f.uscc))
    if ent is None:
        raise NotFound(f"未找到统一社会信用代码为 {f.uscc} 的企业")
    ref = f.record_ref
    if f.record_kind == "enterprise":
        return None, ent.name
    if f.record_kind == "penalty":
        rows = s.scalars(select(Penalty).where(Penalty.uscc == f.uscc, Penalty.decision_no == ref)).all()
        what = "行政处罚决定书文号"
    elif f.record_kind == "repair":
        rows = s.scalars(select(CreditRepair).where(
            CreditRepair.uscc == f.uscc,
            (CreditRepair.document_no == ref) | (CreditRepair.decision_no == ref))).all()
        what = "信用修复文号或处罚决定书文号"
    else:  # arrear: "险种 所属期", e.g. "社会保险 2026-03"
        kind, _, period = ref.partition(" ")
        rows = s.scalars(select(Arrear).where(Arrear.uscc == f.uscc, Arrear.kind == kind,
                                              Arrear.period == period.strip())).all()
        what = "欠缴险种和所属期（如“社会保险 2026-03”）"
    if not rows:
        raise NotFound(f"企业 {f.uscc} 没有{what}为“{ref}”的{RECORD_KINDS[f.record_kind]}")
    if len(rows) > 1:
        units = "、".join(sorted({getattr(r, "organ", None) or r.source_unit for r in rows}))
        raise InvalidRequest(f"企业 {f.uscc} 有 {len(rows)} 条“{ref}”的{RECORD_KINDS[f.record_kind]}"
                             f"（{units}），请联系主管按记录处理")
    return rows[0].id, ent.name


def _read_attachment(path: Path) -> tuple[str, bytes]:
    try:
        size = path.stat().st_size
        if size > MAX_ATTACHMENT:
            raise InvalidRequest(f"附件 {path.name} 过大（{size / 1048576:.1f} MB，最大 20 MB）")
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidRequest(f"无法读取附件 {path}：{exc.strerror or exc}") from None
    for magic, media in _MAGIC:
        if data.startswith(magic):
            return media, data
    raise InvalidRequest(f"附件 {path.name} 不是 PDF、PNG 或 JPEG 文件")


def check_filing(f: Filing) -> None:
    if f.record_kind not in RECORD_KINDS:
        raise InvalidRequest(f"异议对象类型“{f.record_kind}”无效，应为：{'、'.join(RECORD_KINDS)}")
    try:
        ObjectionGrounds(f.grounds)
    except ValueError:
        raise InvalidRequest(f"异议理由“{f.grounds}”无效，应为：{'、'.join(ObjectionGrounds)}") from None
    if f.grounds == ObjectionGrounds.OTHER:
        _text(f.grounds_text, "异议理由（其他）的具体内容")
    if f.filed_as not in FILERS:
        raise InvalidRequest(f"提出人身份应为：{'、'.join(FILERS)}")
    _text(f.filed_by, "提出人姓名", 64)
    if f.record_kind != "enterprise":
        _text(f.record_ref, "异议所针对的记录", 120)


def file(s: Session, f: Filing, *, actor: str, counter: str, today: date) -> Objection:
    """Register an objection (已登记) with its documents; returns the stored row."""
    check_filing(f)
    filed_on = steps.acted_on(f.filed_on, today, None, "提出")
    record_id, name = _record(s, f)
    if f.report_no:
        report = s.scalar(select(IssuedReport).where(IssuedReport.report_no == f.report_no))
        if report is None or report.uscc != f.uscc:
            raise NotFound(f"该企业没有编号为 {f.report_no} 的报告")
    documents = [(p, *_read_attachment(Path(p))) for p in f.attachments]
    now = datetime.now().replace(microsecond=0)
    o = Objection(uscc=f.uscc, enterprise_name=name, record_kind=f.record_kind,
                  record_ref=f.record_ref if f.record_kind != "enterprise" else "基本信息",
                  record_id=record_id, report_no=f.report_no or None, grounds=f.grounds,
                  grounds_text=_text(f.grounds_text, "异议说明", required=False),
                  filed_by=f.filed_by.strip(), filed_as=f.filed_as, filed_on=filed_on,
                  status=S.REGISTERED.value, registered_by=actor, counter=counter, registered_at=now)
    s.add(o)
    s.flush()
    for path, media, data in documents:
        s.add(ObjectionAttachment(objection_id=o.id, file_name=Path(path).name[:200], media_type=media,
                                  size=len(data), sha256=hashlib.sha256(data).hexdigest(),
                                  content=data, added_by=actor, added_at=now))
    reason = f"{f.grounds}" + (f"：{o.grounds_text}" if o.grounds_text else "")
    _event(s, o, None, S.REGISTERED, filed_on, actor, counter, reason, backdated=filed_on < today)
    return o


def step(s: Session, objection_id: int, action: str, *, reason: str, actor: str, counter: str,
         today: date, on: date | None = None, outcome: str | None = None) -> Objection:
    """Move an objection one step; refused with the allowed states when not allowed from here."""
    to = rules.target(action, outcome)
    reason = _text(reason, "处理理由")
    o = get(s, objection_id, lock=True)
    current = S(o.status)
    steps.check_transition("异议", o.id, current, to, rules.ALLOWED)
    last = s.scalar(select(ObjectionEvent.acted_on).where(ObjectionEvent.objection_id == o.id)
                    .order_by(ObjectionEvent.id.desc()).limit(1))
    day = steps.acted_on(on, today, last, "处理")
    o.status = to.value
    if to is S.ACCEPTED:
        o.accepted_on = day
    elif to is S.CHECKING:
        o.checked_on = day
    elif to is S.REFERRED:
        o.referred_on = day
    elif to in rules.OUTCOMES:
        o.outcome, o.outcome_on = to.value, day
    if to in rules.CLOSED:
        o.closed_on = day
    _event(s, o, current, to, day, actor, counter, reason, backdated=day < today)
    return o


def _event(s: Session, o: Objection, frm: S | None, to: S, day: date, actor: str, counter: str,
           reason: str, *, backdated: bool) -> None:
    s.add(ObjectionEvent(objection_id=o.id, from_status=frm.value if frm else None, to_status=to.value,
                         acted_on=day, recorded_at=datetime.now().replace(microsecond=0), actor=actor,
                         counter=counter, reason=reason, backdated=backdated))
    steps.audit_step(s, action=AuditAction.OBJECTION, subject=f"异议{o.id}", frm=frm, to=to, on=day,
                     actor=actor, counter=counter, reason=reason, uscc=o.uscc, record=o.record_ref,
                     backdated=backdated)


def get(s: Session, objection_id: int, *, lock: bool = False) -> Objection:
    query = select(Objection).where(Objection.id == objection_id)
    if lock and s.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    o = s.scalar(query)
    if o is None:
        raise NotFound(f"没有编号为 {objection_id} 的异议")
    return o


def timeline(s: Session, objection_id: int) -> list[ObjectionEvent]:
    return list(s.scalars(select(ObjectionEvent).where(ObjectionEvent.objection_id == objection_id)
                          .order_by(ObjectionEvent.id)))


def attachments(s: Session, objection_id: int) -> list[ObjectionAttachment]:
    return list(s.scalars(select(ObjectionAttachment).where(ObjectionAttachment.objection_id == objection_id)
                          .order_by(ObjectionAttachment.id)))


def listing(s: Session, *, open_only: bool = False) -> list[Objection]:
    return steps.listing(s, Objection, rules.CLOSED, open_only=open_only)


def under_review(s: Session, uscc: str) -> dict[tuple[str, str], Objection]:
    """The enterprise's accepted, still open objections by (record kind, record ref): the records
    that print 异议处理中（受理日期）."""
    rows = s.scalars(select(Objection).where(
        Objection.uscc == uscc, Objection.status.in_([st.value for st in rules.UNDER_REVIEW])))
    return {(o.record_kind, o.record_ref): o for o in rows}
