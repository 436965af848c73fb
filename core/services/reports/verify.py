"""Verification: from scanned text to one verdict, recorded every time.

Order of the checks: the text must be a well-formed CreditDesk code (else `malformed`: rescan);
its key must be on the trust list and cover the issue date, and the signature must hold (else
`forged`); the archive must not mark it revoked (`revoked`); today must not be past its validity
(`expired`); then it is `valid`. A code whose issue date lies in the future, or whose validity
is longer than the configured one, is `forged` however well signed. Online, the report number
must be in the archive and every signed claim must equal the archived report (else `forged`,
naming the claim). Without the database the trust list comes from the local cache and the
verdict rests on the signature alone, and says so (`online: false` with the cache's sync time);
its record is kept in a local file and written to the database with the next verification that
reaches it. When the database is reachable the cache is rewritten from it: a cached key the
database does not list is dropped and reported (`dropped_keys`).
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import and_, bindparam, or_, select

from core.config import DEFAULT_VALIDITY_DAYS
from core.db.engine import Database
from core.db.models import Penalty
from core.db.models_audit import AuditEventRow
from core.db.models_objections import RecordCorrection
from core.db.models_reports import IssuedReport, Verification
from core.errors import DatabaseUnavailable
from core.policy import load_profile
from core.services.people import audit_chain
from core.services.reports import archive
from core.services.reports.archive import ArchivedReport
from core.services.reports.violations import counts
from core.services.signing.keys import KeyService, TrustedKey
from core.services.signing.payload import MalformedPayload, QrClaims, SignedPayload, parse_payload
from core.states import AuditAction, VerdictStatus

V = VerdictStatus

# The verifier's reads, built once as plain-column statements (no ORM entities to load; SQLAlchemy
# keeps each one's compiled form): a check executes them and builds nothing.
_REPORTS, _PENALTIES, _CORRECTED = IssuedReport.__table__, Penalty.__table__, RecordCorrection.__table__
_EVENTS = AuditEventRow.__table__
# The archive row with its issue and revoke events (none: one row of NULL events), oldest first.
_REPORT_AND_EVENTS = (
    select(*_REPORTS.c, *(c.label(f"ev_{c.name}") for c in _EVENTS.c))
    .select_from(_REPORTS.outerjoin(_EVENTS, and_(
        or_(_EVENTS.c.action == AuditAction.ISSUE.value, _EVENTS.c.action == AuditAction.REVOKE.value),
        _EVENTS.c.subject == _REPORTS.c.report_no)))
    .where(_REPORTS.c.report_no == bindparam("no"))
    .order_by(_EVENTS.c.seq))
_PENALTIES_SINCE = (
    select(_PENALTIES.c.decision_no, _PENALTIES.c.domain, _PENALTIES.c.status, _PENALTIES.c.procedure,
           _PENALTIES.c.decision_kind)
    .where(_PENALTIES.c.uscc == bindparam("uscc"),
           _PENALTIES.c.decision_date.between(bindparam("start"), bindparam("today"))))
_CORRECTIONS = (
    select(_CORRECTED.c.objection_id, _CORRECTED.c.record_kind, _CORRECTED.c.record_ref,
           _CORRECTED.c.removed, _CORRECTED.c.corrected_on)
    .where(_CORRECTED.c.uscc == bindparam("uscc"))
    .order_by(_CORRECTED.c.corrected_on, _CORRECTED.c.id))


@dataclass(frozen=True)
class CorrectedRecord:
    """A record the report shows that an upheld objection corrected (or removed) after its issue."""

    record: str  # the decision number (or 险种 所属期 of an arrears row)
    corrected_on: date
    removed: bool = False

    @property
    def flag(self) -> str:
        """The sentence a verifier reads, e.g. 报告出具后该记录已更正（2026-11-30）：苏环行罚〔2025〕3号."""
        how = "已删除" if self.removed else "已更正"
        return f"报告出具后该记录{how}（{self.corrected_on.isoformat()}）：{self.record}"

    def to_json(self) -> dict:
        return {"record": self.record, "corrected_on": self.corrected_on.isoformat(),
                "removed": self.removed}


@dataclass(frozen=True)
class Verdict:
    status: VerdictStatus
    reason: str  # one Chinese sentence for the verifier
    claims: QrClaims | None = None
    offline: bool = False  # the database was unreachable: signature checked against the cache
    archived: ArchivedReport | None = None
    new_violations: tuple[str, ...] = ()  # decision numbers recorded in scope since issue
    corrections: tuple[CorrectedRecord, ...] = ()  # its records corrected after issue (objections)
    dropped_keys: tuple[str, ...] = ()  # cached keys the database does not list: removed from the cache
    trust_list_synced_at: datetime | None = None  # offline: when the cache was last synced
    checked_at: datetime = field(default_factory=lambda: datetime.now().replace(microsecond=0))

    @property
    def report_no(self) -> str | None:
        return self.claims.report_no if self.claims else None

    def to_json(self) -> dict:
        data: dict = {"status": self.status, "reason": self.reason, "offline": self.offline,
                      "online": not self.offline}
        if self.offline:
            synced = self.trust_list_synced_at
            data["trust_list_synced_at"] = synced.isoformat(timespec="seconds") if synced else None
        if self.dropped_keys:
            data["dropped_keys"] = list(self.dropped_keys)
        if self.claims:
            c = self.claims
            data.update({
                "report_no": c.report_no, "uscc": c.uscc, "key_id": c.key_id,
                "issued_on": c.issued_on.isoformat(), "valid_until": c.valid_until.isoformat(),
                "domains": list(c.domains),
                "period": {"from": c.period_from.isoformat(), "to": c.period_to.isoformat()},
                "violations": c.violations, "has_arrears": c.has_arrears,
            })
        if self.archived:
            a = self.archived
            data["enterprise_name"] = a.enterprise_name
            data["archived"] = True
            if a.revoked:
                data["revoked_at"] = a.revoked_at.isoformat(timespec="seconds")
                data["revoke_reason"] = a.revoke_reason
            data["new_violations"] = list(self.new_violations)
            data["corrections"] = [c.to_json() for c in self.corrections]
        return data


class VerificationService:
    def __init__(self, db: Database, keys: KeyService, validity_days: int = DEFAULT_VALIDITY_DAYS):
        self.db = db
        self.keys = keys
        self.validity_days = validity_days

    @property
    def pending_path(self) -> Path:
        """Verifications made while the database was away, kept until it is back."""
        return self.keys.trust_cache.with_name("pending-verifications.jsonl")

    def verify(self, text: str, *, user: str, counter: str, today: date | None = None) -> Verdict:
        verdict = self._judge(text, today or date.today())
        entry = {"report_no": verdict.report_no, "status": verdict.status, "offline": verdict.offline,
                 "reason": verdict.reason, "verified_by": user, "counter": counter,
                 "verified_at": verdict.checked_at.isoformat()}
        if verdict.offline:
            self._keep_for_later(entry)
        else:
            self._record(entry)
        return verdict

    def _judge(self, text: str, today: date) -> Verdict:
        try:
            signed = self._parse(text)
        except MalformedPayload as exc:
            return Verdict(V.MALFORMED, f"{exc.reason}", offline=not self._online())
        claims = signed.claims
        trust, offline, dropped, synced = self._trust_list()
        verdict = self._signature(signed, claims, trust, today)
        if verdict is None:
            if offline:
                if today > claims.valid_until:
                    verdict = Verdict(V.EXPIRED, f"报告已于 {claims.valid_until} 过期（无法连接数据库，仅验证签名）",
                                      claims)
                else:
                    verdict = Verdict(V.VALID, "签名有效（无法连接数据库，仅验证签名，未核对撤销状态）", claims)
            else:
                verdict = self._with_archive(claims, today)
        return replace(verdict, offline=offline, dropped_keys=dropped,
                       trust_list_synced_at=synced if offline else None)

    def _signature(self, signed, claims: QrClaims, trust: list[TrustedKey], today: date) -> Verdict | None:
        """A `forged` verdict when the signature, its key or the signed dates cannot be right."""
        key = next((k for k in trust if k.key_id == claims.key_id), None)
        if key is None:
            return Verdict(V.FORGED, f"签名密钥 {claims.key_id} 不在信任列表中：该报告不是本系统出具的", claims)
        if not self._signature_holds(signed, key):
            return Verdict(V.FORGED, "数字签名不符：核验码被篡改或伪造", claims)
        if not key.covers(claims.issued_on):
            return Verdict(V.FORGED, f"签名密钥 {key.key_id} 在签发日期 {claims.issued_on} 不可用", claims)
        if claims.issued_on > today:
            return Verdict(V.FORGED, f"核验码中的签发日期 {claims.issued_on} 晚于今天：不可能是真实报告", claims)
        days = (claims.valid_until - claims.issued_on).days
        if days > self.validity_days:
            return Verdict(V.FORGED, f"核验码中的有效期为 {days} 天，超过规定的 {self.validity_days} 天", claims)
        return None

    def _parse(self, text: str) -> SignedPayload:
        """What the code says (MalformedPayload when it is no CreditDesk code); not yet trusted."""
        return parse_payload(text)

    def _signature_holds(self, signed: SignedPayload, key: TrustedKey) -> bool:
        return signed.verify(key.public())

    def _with_archive(self, claims: QrClaims, today: date) -> Verdict:
        with self.db.session() as s:
            return self._archived_check(s, claims, today)

    def _archived_check(self, s, claims: QrClaims, today: date) -> Verdict:
        """The verdict of a well-signed code against the archive, read in the unit of work `s`:
        the archive row, the report's issue and revoke events (one query); the penalties recorded
        since only for a verdict that shows them (有效), the corrections only for a genuine
        report that shows records."""
        report, issued, revoked = self._archived(s, claims.report_no)
        if report is None:
            why = ("档案中的该报告已被删除" if issued else "签名有效，但档案中没有该报告：它未出具成功，不能作为有效报告")
            return Verdict(V.FORGED, why, claims)
        verdict = self._archived_verdict(claims, report, issued, revoked,
                                         lambda: self._new_violations(s, report, today), today)
        if verdict.status == V.FORGED:
            return verdict
        fixed = corrected_since(s, report, issued=issued)
        if fixed and verdict.status == V.VALID:
            verdict = replace(verdict, reason=f"{verdict.reason}；报告出具后其中 {len(fixed)} 条记录经异议已更正，"
                                              "企业可申请更正后的报告")
        return replace(verdict, corrections=fixed)

    def _archived(self, s, report_no: str) -> tuple[ArchivedReport | None, list, list]:
        """(the archived report — archive.find —, its issue events, its revoke events), oldest
        first, in one query; the events alone when the archive has no such report."""
        rows = audit_chain.core_connection(s).execute(
            _REPORT_AND_EVENTS, {"no": archive.normalize_report_no(report_no)}).all()
        if not rows:
            events = audit_chain.events_about(s, report_no, (AuditAction.ISSUE, AuditAction.REVOKE))
            return None, events[AuditAction.ISSUE], events[AuditAction.REVOKE]
        issued, revoked = [], []
        for r in rows:
            if r.ev_seq is not None:
                event = audit_chain.AuditEvent(r.ev_seq, r.ev_at, r.ev_actor, r.ev_counter, r.ev_action,
                                               r.ev_subject, json.loads(r.ev_details), r.ev_prev_hash, r.ev_hash)
                (issued if r.ev_action == AuditAction.ISSUE else revoked).append(event)
        return archive.archived(rows[0]), issued, revoked

    def _archived_verdict(self, claims, report, issued, revoked, since, today) -> Verdict:
        """`since()`: the penalties recorded since issue, read only when the verdict shows them."""
        differs = _differing_claim(claims, report)
        if differs:
            return Verdict(V.FORGED, f"核验码中的{differs}与档案不一致：核验码被篡改或伪造", claims,
                           archived=report)
        if len(issued) != 1 or issued[0].details.get("content_sha256") != report.content_sha256:
            return Verdict(V.FORGED, "档案中的报告记录与审计链不符（可能被改动），请联系出具机关", claims,
                           archived=report)
        if report.revoked or revoked:
            when = report.revoked_at or revoked[0].at
            reason = report.revoke_reason or revoked[0].details.get("reason", "")
            return Verdict(V.REVOKED, f"报告已于 {when:%Y-%m-%d} 撤销：{reason}", claims, archived=report)
        if today > claims.valid_until:
            return Verdict(V.EXPIRED, f"报告已于 {claims.valid_until} 过期", claims, archived=report)
        new = since()
        note = f"；出具后同范围新增 {len(new)} 条违法记录" if new else "；出具后同范围无新增违法记录"
        return Verdict(V.VALID, f"报告真实有效，内容未被篡改{note}", claims, archived=report, new_violations=new)

    def _profile(self, profile_id: str):
        """The policy profile a report was issued under (load_profile: re-read when its file changes)."""
        return load_profile(profile_id)

    def _new_violations(self, s, report: ArchivedReport, today: date) -> tuple[str, ...]:
        profile = self._profile(report.profile_id)
        listed = {v["decision_no"] for v in report.content.get("violations", [])}
        rows = audit_chain.core_connection(s).execute(
            _PENALTIES_SINCE, {"uscc": report.uscc, "start": report.period_from, "today": today})
        return tuple(sorted(
            r.decision_no for r in rows
            if r.decision_no not in listed
            and counts(profile, report.domains, domain=r.domain, status=r.status, procedure=r.procedure,
                       decision_kind=r.decision_kind)
        ))

    def _trust_list(self) -> tuple[list[TrustedKey], bool, tuple[str, ...], datetime | None]:
        """(keys, offline, cached keys dropped because the database does not list them, the
        cache's last sync when offline)."""
        try:
            keys = self.keys.trust_list()
        except DatabaseUnavailable:
            cached = self.keys.cached_trust_list()
            if cached is None:
                raise DatabaseUnavailable("无法连接数据库，且本机没有信任列表缓存，无法核验签名") from None
            return cached, True, (), self.keys.cache_synced_at()
        try:
            dropped = self.keys.refresh_cache(keys)
        except OSError:
            dropped = ()  # the cache cannot be written here: the verdict rests on the database anyway
        return keys, False, dropped, None

    def _online(self) -> bool:
        try:
            with self.db.engine.connect():
                return True
        except Exception:  # noqa: BLE001 - any failure to connect means offline
            return False

    def _record(self, entry: dict) -> None:
        """Write this verification, and any kept while offline, in one transaction."""
        entries = [*self._pending(), entry]
        try:
            with self.db.session(write=True) as s:
                for e in entries:
                    at = datetime.fromisoformat(e["verified_at"])
                    s.add(Verification(**{**e, "verified_at": at}))
                    audit_chain.append(
                        s, actor=e["verified_by"], counter=e["counter"], action=AuditAction.VERIFY,
                        subject=e["report_no"], at=at,
                        details={"status": str(e["status"]), "offline": e["offline"]})
        except DatabaseUnavailable:
            self._keep_for_later(entry)  # the verdict stands; its record waits for the database
            return
        self.pending_path.unlink(missing_ok=True)

    def _pending(self) -> list[dict]:
        try:
            lines = self.pending_path.read_text(encoding="utf-8").splitlines()
        except OSError:
            return []
        return [json.loads(line) for line in lines if line.strip()]

    def _keep_for_later(self, entry: dict) -> None:
        try:
            self.pending_path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.pending_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            with os.fdopen(fd, "a", encoding="utf-8") as fh:
                fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
        except OSError:
            pass  # nowhere to keep it: the verdict itself is still shown


def corrected_since(s, report: ArchivedReport, *, issued: list | None = None) -> tuple[CorrectedRecord, ...]:
    """The corrections made after the report was issued to records it shows (by decision
    number, or 险种 所属期 for arrears). "After" is the order of the audit chain (the correction's
    event follows the report's issue event), not the day the correction names: a step recorded
    later with an earlier date (--on) still postdates the printed report. `issued`: the report's
    issue events when the caller has read them already."""
    shown = {("penalty", v["decision_no"]) for v in report.content.get("violations", [])}
    shown |= {("arrear", f"{a['kind']} {a['period']}") for a in report.content.get("arrears", [])}
    if not shown:
        return ()
    if issued is None:
        issued = audit_chain.events_for(s, action=AuditAction.ISSUE, subject=report.report_no)
    if not issued:
        return ()
    conn = audit_chain.core_connection(s)
    fixes = [f for f in conn.execute(_CORRECTIONS, {"uscc": report.uscc})
             if (f.record_kind, f.record_ref) in shown]
    found: dict[tuple[str, str], CorrectedRecord] = {}
    for ref in dict.fromkeys(f.record_ref for f in fixes):
        later = {e.details.get("objection") for e in
                 audit_chain.events_for(s, action=AuditAction.CORRECTION, subject=ref)
                 if e.seq > issued[0].seq}
        for f in fixes:
            if f.record_ref == ref and f.objection_id in later:
                found[(f.record_kind, ref)] = CorrectedRecord(ref, f.corrected_on, f.removed)
    return tuple(found.values())


def _differing_claim(claims: QrClaims, report: ArchivedReport) -> str | None:
    """The first signed claim that differs from the archived report, in words; None when all agree."""
    checks = (
        ("统一社会信用代码", claims.uscc == report.uscc),
        ("签名密钥", claims.key_id == report.key_id),
        ("出具日期", claims.issued_on == report.issued_at.date()),
        ("有效期", claims.valid_until == report.valid_until),
        ("核查领域", tuple(claims.domains) == tuple(sorted(report.domains))),
        ("查询期间", (claims.period_from, claims.period_to) == (report.period_from, report.period_to)),
        ("违法记录数", claims.violations == report.violations),
        ("欠缴情况", claims.has_arrears == bool(report.has_arrears)),
        ("报告内容摘要", claims.content_digest.hex() == report.content_sha256[:32]),
    )
    return next((what for what, same in checks if not same), None)
