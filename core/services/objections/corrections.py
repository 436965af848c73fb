"""Corrections (已更正): how an upheld objection changes or removes the record — never a silent edit.

Resolving an objection as 已更正 must say how: a set of field changes for a penalty (the national
data items, named by their Chinese labels and checked as the importer checks them) or the
record's removal from reports. The change, a RecordCorrection row with each field's value before
and after, and an audit CORRECTION event are written in the caller's unit of work, with the step.

A removed record keeps its row (status 异议删除, RemovedStatus): no later report shows it, and the
reports issued before it are flagged when verified. Arrears rows may be removed; their content,
credit-repair records and basic data are corrected by the providing unit's next delivery (import).
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db.models import Arrear, Penalty
from core.db.models_objections import Objection, RecordCorrection
from core.errors import InvalidRequest
from core.services.people import audit_chain
from core.services.records.ingest.columns import PENALTY_KINDS
from core.services.records.ingest.values import is_blank, parse_choice, parse_date, parse_fine_wan
from core.states import (
    AuditAction, DecisionKind, ObjectionStatus as S, Procedure, RemovedStatus, Severity,
)

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_KIND_SPLIT = re.compile("[；;、,，/]")
HOW = ("核查结论为“已更正”时须说明如何更正：用“字段=值”修改记录内容（可多项），"
       "或从报告中删除该记录")
REIMPORT = ("{what}的内容更正由数据提供单位重新报送（导入）完成，此处不能直接修改")


@dataclass(frozen=True)
class Correction:
    """How a record is corrected: `changes` as typed, (field label, value) pairs; or `remove`."""

    changes: tuple[tuple[str, str], ...] = ()
    remove: bool = False

    @classmethod
    def from_assignments(cls, items: Iterable[str], remove: bool = False) -> Correction:
        """From "字段=值" texts (the CLI's --set); InvalidRequest for one without "="."""
        pairs = []
        for item in items:
            label, sep, value = item.replace("＝", "=").partition("=")
            if not sep or not label.strip():
                raise InvalidRequest(f"更正内容“{item}”应写作“字段=值”，如 处罚内容=警告")
            pairs.append((label.strip(), value.strip()))
        return cls(tuple(pairs), remove)

    @property
    def empty(self) -> bool:
        return not self.changes and not self.remove


def _text(limit: int | None, multiline: bool = False) -> Callable[[str], str | None]:
    def convert(value: str) -> str | None:
        text = value.strip()
        if not text:
            return None
        if not multiline:
            text = " ".join(text.split())
        if _CONTROL.search(text) or (not multiline and "\n" in text):
            raise ValueError("含有控制字符或不可见字符")
        if limit and len(text) > limit:
            raise ValueError(f"过长（{len(text)} 字，最多 {limit} 字）")
        return text

    return convert


def _required(convert: Callable[[str], object]) -> Callable[[str], object]:
    def checked(value: str) -> object:
        if is_blank(value):
            raise ValueError("不能为空")
        return convert(value)

    return checked


def _penalty_kind(value: str) -> str:
    parts = [p.strip() for p in _KIND_SPLIT.split(value) if p.strip()]
    for part in parts:
        if part not in PENALTY_KINDS:
            raise ValueError(f"“{part}”不是行政处罚法第九条规定的种类（应为 {'、'.join(PENALTY_KINDS)}）")
    return "；".join(dict.fromkeys(parts))


def _optional(convert: Callable[[str], object]) -> Callable[[str], object]:
    return lambda value: None if is_blank(value) else convert(value)


def _choice(enum) -> Callable[[str], str]:
    return lambda value: parse_choice(value, [e.value for e in enum])


@dataclass(frozen=True)
class FieldRule:
    column: str
    label: str
    convert: Callable[[str], object]


# The penalty columns a correction may change, by the label of the national data item.
PENALTY_FIELDS: tuple[FieldRule, ...] = (
    FieldRule("content", "处罚内容", _text(None, multiline=True)),
    FieldRule("violation_type", "违法行为类型", _text(255)),
    FieldRule("facts", "违法事实", _text(None, multiline=True)),
    FieldRule("basis", "处罚依据", _text(None, multiline=True)),
    FieldRule("penalty_kind", "处罚类别", _required(_penalty_kind)),
    FieldRule("fine_amount", "罚款金额（万元）", _optional(parse_fine_wan)),
    FieldRule("decision_date", "处罚决定日期", _required(parse_date)),
    FieldRule("procedure", "程序类型", _required(_choice(Procedure))),
    FieldRule("decision_kind", "决定类型", _required(_choice(DecisionKind))),
    FieldRule("severity", "失信程度", _required(_choice(Severity))),
    FieldRule("publish_until", "公示截止日期", _optional(parse_date)),
)
# Also by the short names people type: 罚款金额, 公示截止期 (the data item's own name).
_ALIASES = {"罚款金额": "fine_amount", "罚款金额(万元)": "fine_amount", "公示截止期": "publish_until"}
_BY_NAME = {**{f.label: f for f in PENALTY_FIELDS}, **{f.column: f for f in PENALTY_FIELDS},
            **{alias: next(f for f in PENALTY_FIELDS if f.column == col) for alias, col in _ALIASES.items()}}


def field_labels() -> tuple[str, ...]:
    """The Chinese labels a penalty correction may name, in order (for forms and help)."""
    return tuple(f.label for f in PENALTY_FIELDS)


def _plain(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def parse_changes(correction: Correction, today: date) -> dict[str, object]:
    """{column: new value} for a penalty, each value checked; InvalidRequest naming the field."""
    found: dict[str, object] = {}
    for label, raw in correction.changes:
        rule = _BY_NAME.get(label)
        if rule is None:
            raise InvalidRequest(f"不能更正字段“{label}”；可更正的字段：{'、'.join(field_labels())}")
        if rule.column in found:
            raise InvalidRequest(f"字段“{rule.label}”重复给出")
        try:
            value = rule.convert(raw)
        except ValueError as exc:
            raise InvalidRequest(f"{rule.label}：{exc}") from None
        if rule.column == "decision_date" and value > today:
            raise InvalidRequest(f"处罚决定日期 {value} 晚于今天")
        found[rule.column] = value
    return found


def check_outcome(reached: str, correction: Correction | None) -> None:
    """已更正 needs a correction; no other step may carry one."""
    given = correction is not None and not correction.empty
    if reached == S.CORRECTED and not given:
        raise InvalidRequest(HOW)
    if given and reached != S.CORRECTED:
        raise InvalidRequest(f"只有核查结论为“已更正”时才能更正记录（本次为“{reached}”）")
    if given and correction.remove and correction.changes:
        raise InvalidRequest("删除记录与修改记录内容不能同时进行：请只选其一")


def _locked(s: Session, model, row_id: int | None):
    if row_id is None:
        return None
    query = select(model).where(model.id == row_id)
    if s.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    return s.scalar(query)


def apply(s: Session, o: Objection, correction: Correction | None, *, actor: str, counter: str,
          today: date) -> RecordCorrection | None:
    """Carry out the correction of an objection that has just reached its outcome (o.status);
    None for any other outcome. Refused with a sentence saying why; the caller rolls back."""
    check_outcome(o.status, correction)
    if o.status != S.CORRECTED:
        return None
    kind = o.record_kind
    if kind in ("repair", "enterprise"):
        what = {"repair": "信用修复记录", "enterprise": "企业基本信息"}[kind]
        raise InvalidRequest(REIMPORT.format(what=what) + "；请将核查结论告知数据提供单位，"
                             "或在对方更正前选择其他核查结论")
    model = Penalty if kind == "penalty" else Arrear
    row = _locked(s, model, o.record_id)
    if row is None:
        raise InvalidRequest(f"异议 {o.id} 所针对的记录已不存在，无法更正")
    if row.status == RemovedStatus.BY_OBJECTION:
        raise InvalidRequest(f"记录“{o.record_ref}”已因异议从报告中删除，不能再次更正")
    if correction.remove:
        changes = {"status": [row.status, RemovedStatus.BY_OBJECTION.value]}
        row.status = RemovedStatus.BY_OBJECTION.value
    elif kind != "penalty":
        raise InvalidRequest(REIMPORT.format(what="欠缴信息") + "；如该条欠缴信息不应公示，可从报告中删除")
    else:
        values = parse_changes(correction, today)
        decided = values.get("decision_date", row.decision_date)
        until = values.get("publish_until", row.publish_until)
        if until is not None and until < decided:
            raise InvalidRequest(f"公示截止日期 {until} 早于处罚决定日期 {decided}")
        changes = {}
        for column, value in values.items():
            before = getattr(row, column)
            if _plain(before) != _plain(value):
                changes[column] = [_plain(before), _plain(value)]
                setattr(row, column, value)
        if not changes:
            raise InvalidRequest("更正后的内容与原记录相同，没有需要更正的字段")
    fix = RecordCorrection(objection_id=o.id, record_kind=kind, record_id=row.id, record_ref=o.record_ref,
                           uscc=o.uscc, changes=json.dumps(changes, ensure_ascii=False, sort_keys=True),
                           removed=correction.remove, corrected_on=o.outcome_on or today,
                           corrected_by=actor)
    s.add(fix)
    s.flush()
    audit_chain.append(s, actor=actor, counter=counter, action=AuditAction.CORRECTION,
                       subject=o.record_ref,
                       details={"objection": o.id, "record_kind": kind, "record_id": row.id,
                                "uscc": o.uscc, "changes": changes, "removed": correction.remove,
                                "on": fix.corrected_on.isoformat()})
    return fix


def described(s: Session, objection_id: int) -> dict | None:
    """The correction an objection led to, for display: {"removed", "corrected_on", "corrected_by",
    "changes": [[Chinese label, before, after], …]}; None when it led to none."""
    fix = s.scalar(select(RecordCorrection).where(RecordCorrection.objection_id == objection_id)
                   .order_by(RecordCorrection.id.desc()).limit(1))
    if fix is None:
        return None
    names = {f.column: f.label for f in PENALTY_FIELDS} | {"status": "状态"}
    return {"removed": fix.removed, "corrected_on": fix.corrected_on.isoformat(),
            "corrected_by": fix.corrected_by,
            "changes": [[names.get(col, col), before, after]
                        for col, (before, after) in json.loads(fix.changes).items()]}

