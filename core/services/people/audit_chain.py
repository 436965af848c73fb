"""The audit chain: an append-only event log whose rows are linked by SHA-256.

Every event stores the hash of the event before it, and its own hash covers its sequence number,
time, actor, counter, action, subject, details and that previous hash. Changing, deleting,
inserting or reordering a row therefore breaks the chain at that row; `verify_chain` finds the
first break and also checks the report archive against the `issue` and `revoke` events.

What the chain cannot show alone is that its newest events were cut off, or that the whole
chain was rebuilt with fresh hashes: a signed `checkpoint` kept off the machine does that.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from itertools import groupby
from pathlib import PurePath
from typing import TYPE_CHECKING

from cryptography.exceptions import InvalidSignature
from sqlalchemy import bindparam, func, select, text
from sqlalchemy.orm import Session

from core.db.engine import Database
from core.db.models_audit import AuditEventRow
from core.db.models_reports import IssuedReport, ReportFile
from core.errors import IntegrityBroken
from core.states import AuditAction, ReportStatus

if TYPE_CHECKING:  # only for annotations: keys.py appends to the chain, so no import cycle
    from core.services.signing.keys import Signer, TrustedKey

GENESIS = "0" * 64  # the "previous hash" of event #1, and the head of an empty chain
ANONYMOUS = "匿名"
CHECKPOINT_FORMAT = "creditdesk-audit-checkpoint/1"
# pg_advisory_xact_lock key serialising writers of the chain ("CDAUDIT" in ASCII).
PG_LOCK_KEY = 0x43444155444954
_BATCH = 1000  # events per fetch while streaming
_REPORT_BATCH = 50  # reports per fetch: each carries its PDF


# -- hashing -----------------------------------------------------------------------------------

# json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False), made once: the
# check of a long chain encodes every event twice.
_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical(value) -> str:
    """The one JSON text of a value: sorted keys, no spaces, UTF-8 characters kept."""
    return _ENCODER.encode(value)


def _plain(value):
    """Details as plain JSON values: dates and decimals as text, tuples as lists, keys as text."""
    if isinstance(value, Enum):
        value = value.value
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (Decimal, PurePath)):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_plain(v) for v in value]
        return sorted(items, key=canonical) if isinstance(value, (set, frozenset)) else items
    return str(value)


def event_hash(*, seq: int, at: datetime, actor: str, counter: str, action: str,
               subject: str | None, details: dict, prev: str) -> str:
    """SHA-256 (hex) of the canonical JSON of an event and the hash of the event before it."""
    document = {
        "seq": seq, "at": at.isoformat(timespec="seconds"), "actor": actor, "counter": counter,
        "action": action, "subject": subject, "details": details, "prev": prev,
    }
    return hashlib.sha256(canonical(document).encode("utf-8")).hexdigest()


# -- events ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class AuditEvent:
    seq: int
    at: datetime
    actor: str
    counter: str
    action: str
    subject: str | None
    details: dict
    prev_hash: str
    hash: str

    def to_json(self) -> dict:
        return {**asdict(self), "at": self.at.isoformat(timespec="seconds")}


def _event(row: AuditEventRow) -> AuditEvent:
    return AuditEvent(row.seq, row.at, row.actor, row.counter, row.action, row.subject,
                      json.loads(row.details), row.prev_hash, row.hash)


def append(s: Session, *, actor: str, counter: str, action: str, subject: str | None = None,
           details: dict | None = None, at: datetime | None = None) -> AuditEvent:
    """Add one event at the head of the chain, inside the caller's unit of work.

    It commits or rolls back with the caller's transaction. Writers are serialised: on
    PostgreSQL by a transaction-level advisory lock taken before the head is read; on SQLite by
    the write lock the caller's session holds from its first statement (open it with
    `db.session(write=True)`). The primary key on `seq` refuses a fork either way.
    """
    action = AuditAction(action).value  # an unknown action is a programming error: ValueError
    at = (at or datetime.now()).replace(microsecond=0, tzinfo=None)
    actor = (actor or ANONYMOUS)[:64]
    counter = (counter or "")[:64]
    subject = str(subject)[:200] if subject not in (None, "") else None
    plain = _plain(dict(details or {}))
    if s.get_bind().dialect.name == "postgresql":
        s.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_LOCK_KEY})
    head = s.execute(
        select(AuditEventRow.seq, AuditEventRow.hash).order_by(AuditEventRow.seq.desc()).limit(1)
    ).first()
    seq, prev = (head.seq + 1, head.hash) if head else (1, GENESIS)
    digest = event_hash(seq=seq, at=at, actor=actor, counter=counter, action=action,
                        subject=subject, details=plain, prev=prev)
    s.add(AuditEventRow(seq=seq, at=at, actor=actor, counter=counter, action=action,
                        subject=subject, details=canonical(plain), prev_hash=prev, hash=digest))
    s.flush()
    return AuditEvent(seq, at, actor, counter, action, subject, plain, prev, digest)


def recent(db: Database, limit: int = 100, actor: str | None = None,
           action: str | None = None) -> list[AuditEvent]:
    """The newest events first, optionally only one person's or one kind."""
    stmt = select(AuditEventRow).order_by(AuditEventRow.seq.desc()).limit(limit)
    if actor:
        stmt = stmt.where(AuditEventRow.actor == actor)
    if action:
        stmt = stmt.where(AuditEventRow.action == str(action))
    with db.session() as s:
        return [_event(r) for r in s.scalars(stmt)]


# The read of one subject's events, built once: plain columns (no ORM entities to load) and a
# statement whose compiled form SQLAlchemy keeps, so a read costs one execution and no building.
_EVENTS = AuditEventRow.__table__
_ABOUT = (select(_EVENTS.c.seq, _EVENTS.c.at, _EVENTS.c.actor, _EVENTS.c.counter, _EVENTS.c.action,
                 _EVENTS.c.subject, _EVENTS.c.details, _EVENTS.c.prev_hash, _EVENTS.c.hash)
          .where(_EVENTS.c.action.in_(bindparam("actions", expanding=True)),
                 _EVENTS.c.subject == bindparam("subject"))
          .order_by(_EVENTS.c.seq))


def core_connection(s):
    """The Core connection of a unit of work (a Session's, or the Connection itself). A Session
    is flushed first when it autoflushes, as its own queries would be."""
    if not isinstance(s, Session):
        return s
    if s.autoflush:
        s.flush()  # nothing to do, and cheap, unless objects are pending
    return s.connection()


def events_for(s: Session, *, action: str, subject: str) -> list[AuditEvent]:
    """The events of one kind about one subject (a report number ...), oldest first."""
    return events_about(s, subject, (action,))[str(action)]


def events_about(s: Session, subject: str, actions) -> dict[str, list[AuditEvent]]:
    """The events of several kinds about one subject, in one query: {action: events oldest
    first} with a (possibly empty) list for every action asked for."""
    found: dict[str, list[AuditEvent]] = {str(a): [] for a in actions}
    for row in core_connection(s).execute(_ABOUT, {"actions": list(found), "subject": subject}):
        found[row.action].append(_event(row))
    return found


# -- verification ------------------------------------------------------------------------------

@dataclass(frozen=True)
class ChainCheck:
    ok: bool
    count: int
    head_hash: str  # GENESIS for an empty chain
    problem: str | None = None  # one sentence naming the first broken event or report
    broken_seq: int | None = None
    report_no: str | None = None

    def to_json(self) -> dict:
        return {"ok": self.ok, "count": self.count, "head_hash": self.head_hash,
                "problem": self.problem, "broken_seq": self.broken_seq, "report_no": self.report_no}


class _Broken(Exception):
    def __init__(self, problem: str, *, seq: int | None = None, report_no: str | None = None):
        super().__init__(problem)
        self.problem, self.seq, self.report_no = problem, seq, report_no


def _stream(s: Session, stmt, batch: int = _BATCH):
    return s.execute(stmt.execution_options(yield_per=batch))


def _snapshot(s: Session) -> None:
    """All queries of one check see the same committed state (an issue and its event together)."""
    if s.get_bind().dialect.name == "postgresql":
        s.connection(execution_options={"isolation_level": "REPEATABLE READ"})


def _parse_details(raw: str) -> dict | None:
    """The stored details if they are canonical JSON of an object, else None (edited by hand)."""
    try:
        value = json.loads(raw)
    except (TypeError, ValueError):
        return None
    return value if isinstance(value, dict) and canonical(value) == raw else None


def _check_links(s: Session) -> tuple[int, str]:
    """Walk the chain in seq order; return (count, head hash) or raise _Broken at the first break."""
    columns = (AuditEventRow.seq, AuditEventRow.at, AuditEventRow.actor, AuditEventRow.counter,
               AuditEventRow.action, AuditEventRow.subject, AuditEventRow.details,
               AuditEventRow.prev_hash, AuditEventRow.hash)
    expected, prev = 1, GENESIS
    for row in _stream(s, select(*columns).order_by(AuditEventRow.seq)):
        if row.seq > expected:
            where = f"在第 {expected - 1} 条之后" if expected > 1 else "开头"
            raise _Broken(f"审计链{where}缺少事件（序号不连续）", seq=expected)
        if row.seq < expected:  # only a number below 1 can sort before the expected one
            raise _Broken(f"审计链中有序号无效的事件（第 {row.seq} 条，序号不连续）", seq=row.seq)
        details = _parse_details(row.details)
        recomputed = None if details is None or row.at.microsecond else event_hash(
            seq=row.seq, at=row.at, actor=row.actor, counter=row.counter, action=row.action,
            subject=row.subject, details=details, prev=row.prev_hash)
        if recomputed != row.hash:
            raise _Broken(f"审计链第 {row.seq} 条事件被改动（散列不符）", seq=row.seq)
        if row.prev_hash != prev:
            raise _Broken(f"审计链第 {row.seq} 条事件与前一条事件衔接不上（前序散列不符）", seq=row.seq)
        expected, prev = expected + 1, row.hash
    return expected - 1, prev


def _issue_groups(s: Session) -> Iterator[tuple[str, list]]:
    """Issue events grouped by report number, in code-point order of the number."""
    subject = AuditEventRow.subject
    if s.get_bind().dialect.name == "postgresql":
        subject = subject.collate("C")  # byte order = Python's str order for UTF-8
    stmt = (select(AuditEventRow.seq, AuditEventRow.subject, AuditEventRow.details)
            .where(AuditEventRow.action == AuditAction.ISSUE.value, AuditEventRow.subject.is_not(None))
            .order_by(subject, AuditEventRow.seq))
    for key, rows in groupby(_stream(s, stmt), key=lambda r: r.subject):
        yield key, list(rows)


def _revoked_subjects(s: Session) -> Iterator[str]:
    subject = AuditEventRow.subject
    if s.get_bind().dialect.name == "postgresql":
        subject = subject.collate("C")
    stmt = (select(AuditEventRow.subject)
            .where(AuditEventRow.action == AuditAction.REVOKE.value, AuditEventRow.subject.is_not(None))
            .group_by(AuditEventRow.subject).order_by(subject))
    for row in _stream(s, stmt):
        yield row.subject


def _reports(s: Session) -> Iterator:
    number = IssuedReport.report_no
    if s.get_bind().dialect.name == "postgresql":
        number = number.collate("C")
    stmt = (select(IssuedReport.report_no, IssuedReport.uscc, IssuedReport.status,
                   IssuedReport.content_json, IssuedReport.content_sha256, IssuedReport.pdf_sha256,
                   ReportFile.pdf)
            .outerjoin(ReportFile, ReportFile.report_id == IssuedReport.id)
            .order_by(number))
    return iter(_stream(s, stmt, _REPORT_BATCH))


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _check_report(report, events: list, revoked: bool) -> None:
    no = report.report_no
    if not events:
        raise _Broken(f"报告 {no} 在审计链中没有出具记录", report_no=no)
    if len(events) > 1:
        raise _Broken(f"报告 {no} 在审计链中有 {len(events)} 条出具记录", report_no=no,
                      seq=events[1].seq)
    event = events[0]
    details = json.loads(event.details)
    if details.get("content_sha256") != report.content_sha256:
        raise _Broken(f"报告 {no} 的存档内容散列与审计链出具记录不符", report_no=no, seq=event.seq)
    if _sha256((report.content_json or "").encode("utf-8")) != report.content_sha256:
        raise _Broken(f"报告 {no} 的存档内容与出具时的散列不符", report_no=no, seq=event.seq)
    if details.get("pdf_sha256") != report.pdf_sha256:
        raise _Broken(f"报告 {no} 的存档 PDF 散列与审计链出具记录不符", report_no=no, seq=event.seq)
    if details.get("uscc") != report.uscc:
        raise _Broken(f"报告 {no} 的统一社会信用代码与审计链出具记录不符", report_no=no, seq=event.seq)
    if report.pdf is None:
        raise _Broken(f"报告 {no} 缺少存档 PDF", report_no=no, seq=event.seq)
    if _sha256(bytes(report.pdf)) != details.get("pdf_sha256"):
        raise _Broken(f"报告 {no} 的存档 PDF 与出具时的散列不符", report_no=no, seq=event.seq)
    if report.status not in (ReportStatus.ISSUED, ReportStatus.REVOKED):
        raise _Broken(f"报告 {no} 在档案中的状态“{report.status}”无效", report_no=no)
    is_revoked = report.status == ReportStatus.REVOKED
    if is_revoked and not revoked:
        raise _Broken(f"报告 {no} 在档案中为已撤销，但审计链没有撤销记录", report_no=no)
    if revoked and not is_revoked:
        raise _Broken(f"报告 {no} 在档案中为有效，但审计链记录了撤销", report_no=no)


def _check_archive(s: Session) -> None:
    """Every archived report has exactly one matching issue event and vice versa (a merge join
    of three sorted streams, so memory stays flat however large the archive)."""
    unnamed = s.scalar(select(func.min(AuditEventRow.seq)).where(
        AuditEventRow.action == AuditAction.ISSUE.value, AuditEventRow.subject.is_(None)))
    if unnamed is not None:
        raise _Broken(f"审计链第 {unnamed} 条事件记录了出具，但没有报告编号", seq=unnamed)
    reports, issues, revokes = _reports(s), _issue_groups(s), _revoked_subjects(s)
    report, issue, revoke = next(reports, None), next(issues, None), next(revokes, None)
    while report is not None:
        no = report.report_no
        if issue is not None and issue[0] < no:  # an issue event without its report
            _missing_report(issue)
        events = []
        if issue is not None and issue[0] == no:
            events, issue = issue[1], next(issues, None)
        while revoke is not None and revoke < no:
            revoke = next(revokes, None)
        _check_report(report, events, revoke == no)
        report = next(reports, None)
    if issue is not None:
        _missing_report(issue)


def _missing_report(issue: tuple[str, list]) -> None:
    no, rows = issue
    raise _Broken(f"审计链第 {rows[0].seq} 条事件记录出具了报告 {no}，但档案中没有这份报告",
                  seq=rows[0].seq, report_no=no)


def verify_chain(db: Database) -> ChainCheck:
    """Recompute every hash in order, then check the report archive against the chain."""
    with db.session() as s:
        _snapshot(s)
        try:
            count, head = _check_links(s)
        except _Broken as broken:
            return ChainCheck(False, _count(s), _head(s), broken.problem, broken.seq, broken.report_no)
        try:
            _check_archive(s)
        except _Broken as broken:
            return ChainCheck(False, count, head, broken.problem, broken.seq, broken.report_no)
        return ChainCheck(True, count, head)


def _count(s: Session) -> int:
    return s.scalar(select(func.count()).select_from(AuditEventRow)) or 0


def _head(s: Session) -> str:
    return s.scalar(select(AuditEventRow.hash).order_by(AuditEventRow.seq.desc()).limit(1)) or GENESIS


# -- checkpoints -------------------------------------------------------------------------------

def _signed_part(data: dict) -> bytes:
    fields = ("format", "count", "head_hash", "at", "key_id")
    return canonical({k: data[k] for k in fields}).encode("utf-8")


def checkpoint(db: Database, signer: Signer, *, now: datetime | None = None) -> dict:
    """A signed statement of the chain's length and head hash, to keep off this machine.

    The chain is verified first: a checkpoint never vouches for a chain that is already broken.
    """
    check = verify_chain(db)
    if not check.ok:
        raise IntegrityBroken(f"审计链校验未通过，未生成检查点：{check.problem}")
    data = {
        "format": CHECKPOINT_FORMAT, "count": check.count, "head_hash": check.head_hash,
        "at": (now or datetime.now()).replace(microsecond=0).isoformat(timespec="seconds"),
        "key_id": signer.key_id,
    }
    data["signature"] = signer.private_key.sign(_signed_part(data)).hex()
    return data


def check_checkpoint(db: Database, data: dict, trust_list: list[TrustedKey]) -> ChainCheck:
    """The chain still begins with what the checkpoint recorded, and is intact as a whole."""
    with db.session() as s:
        count, head = _count(s), _head(s)
    refused = _checkpoint_problem(data, trust_list)
    if refused:
        return ChainCheck(False, count, head, refused)
    expected, recorded = int(data["count"]), data["head_hash"]
    if expected > 0:
        with db.session() as s:
            at_mark = s.scalar(select(AuditEventRow.hash).where(AuditEventRow.seq == expected))
        if at_mark is None and count < expected:
            return ChainCheck(False, count, head,
                              f"审计链只有 {count} 条事件，少于检查点记录的 {expected} 条",
                              broken_seq=count + 1)
        if at_mark is not None and at_mark != recorded:
            return ChainCheck(False, count, head,
                              f"审计链第 {expected} 条事件与检查点不符：审计链被重建", broken_seq=expected)
    return verify_chain(db)


def _checkpoint_problem(data: dict, trust_list: list[TrustedKey]) -> str | None:
    """Why the checkpoint itself cannot be trusted, or None."""
    try:
        if data.get("format") != CHECKPOINT_FORMAT:
            return "检查点文件格式无法识别"
        signed = _signed_part(data)
        signature = bytes.fromhex(data["signature"])
        at = datetime.fromisoformat(data["at"])
        if not isinstance(data["count"], int) or isinstance(data["count"], bool) or data["count"] < 0:
            return "检查点文件格式无法识别"
        if not isinstance(data["head_hash"], str) or len(data["head_hash"]) != 64:
            return "检查点文件格式无法识别"
    except (AttributeError, KeyError, TypeError, ValueError):
        return "检查点文件格式无法识别"
    key = next((k for k in trust_list if k.key_id == data.get("key_id")), None)
    if key is None:
        return f"检查点的签名密钥 {data.get('key_id')} 不在信任列表中"
    try:
        key.public().verify(signature, signed)
    except (InvalidSignature, ValueError):
        return "检查点签名无效"
    if not key.covers(at.date()):
        return f"检查点的签名密钥 {key.key_id} 在检查点时间不在有效期内"
    return None
