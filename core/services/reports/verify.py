"""Verification: from scanned text to one verdict, recorded every time.

Order of the checks: the text must be a well-formed CreditDesk code (else `malformed`: rescan);
its key must be on the trust list and cover the issue date, and the signature must hold (else
`forged`); the archive must not mark it revoked (`revoked`); today must not be past its validity
(`expired`); then it is `valid`. Without the database the trust list comes from the local
cache and the verdict rests on the signature alone, and says so; its record is kept in a local
file and written to the database with the next verification that reaches it.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select

from core.db.engine import Database
from core.db.models import Penalty
from core.db.models_reports import Verification
from core.errors import DatabaseUnavailable
from core.policy import load_profile
from core.services.reports.archive import ArchivedReport, ReportArchive
from core.services.signing.keys import KeyService, TrustedKey
from core.services.signing.payload import MalformedPayload, QrClaims, parse_payload

STATUSES = ("valid", "malformed", "forged", "revoked", "expired")


@dataclass(frozen=True)
class Verdict:
    status: str
    reason: str  # one Chinese sentence for the verifier
    claims: QrClaims | None = None
    offline: bool = False  # the database was unreachable: signature checked against the cache
    archived: ArchivedReport | None = None
    new_violations: tuple[str, ...] = ()  # decision numbers recorded in scope since issue
    checked_at: datetime = field(default_factory=lambda: datetime.now().replace(microsecond=0))

    @property
    def report_no(self) -> str | None:
        return self.claims.report_no if self.claims else None

    def to_json(self) -> dict:
        data: dict = {"status": self.status, "reason": self.reason, "offline": self.offline}
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
        return data


class VerificationService:
    def __init__(self, db: Database, keys: KeyService):
        self.db = db
        self.keys = keys
        self.archive = ReportArchive(db)

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
            signed = parse_payload(text)
        except MalformedPayload as exc:
            return Verdict("malformed", f"{exc.reason}", offline=not self._online())
        claims = signed.claims
        trust, offline = self._trust_list()
        key = next((k for k in trust if k.key_id == claims.key_id), None)
        if key is None:
            return Verdict("forged", f"签名密钥 {claims.key_id} 不在信任列表中：该报告不是本系统出具的", claims, offline)
        if not signed.verify(key.public()):
            return Verdict("forged", "数字签名不符：核验码被篡改或伪造", claims, offline)
        if not key.covers(claims.issued_on):
            return Verdict("forged", f"签名密钥 {key.key_id} 在签发日期 {claims.issued_on} 不可用", claims, offline)
        if offline:
            if today > claims.valid_until:
                return Verdict("expired", f"报告已于 {claims.valid_until} 过期（无法连接数据库，仅验证签名）", claims, True)
            return Verdict("valid", "签名有效（无法连接数据库，仅验证签名，未核对撤销状态）", claims, True)
        return self._with_archive(claims, today)

    def _with_archive(self, claims: QrClaims, today: date) -> Verdict:
        report = self.archive.find(claims.report_no)
        if report is None:
            return Verdict("valid", "签名有效，但档案中未找到该报告（可能由其他数据库出具）", claims)
        if report.content_sha256[:32] != claims.content_digest.hex() or report.uscc != claims.uscc:
            return Verdict("forged", "核验码与档案中的报告内容不一致", claims, archived=report)
        if report.revoked:
            return Verdict("revoked", f"报告已于 {report.revoked_at:%Y-%m-%d} 撤销：{report.revoke_reason}",
                           claims, archived=report)
        if today > claims.valid_until:
            return Verdict("expired", f"报告已于 {claims.valid_until} 过期", claims, archived=report)
        since = self._new_violations(report, today)
        note = f"；出具后同范围新增 {len(since)} 条违法记录" if since else "；出具后同范围无新增违法记录"
        return Verdict("valid", f"报告真实有效，内容未被篡改{note}", claims, archived=report, new_violations=since)

    def _new_violations(self, report: ArchivedReport, today: date) -> tuple[str, ...]:
        profile = load_profile(report.profile_id)
        listed = {v["decision_no"] for v in report.content.get("violations", [])}
        with self.db.session() as s:
            rows = s.execute(
                select(Penalty.decision_no, Penalty.domain, Penalty.procedure, Penalty.decision_kind)
                .where(Penalty.uscc == report.uscc, Penalty.status == "有效",
                       Penalty.decision_date.between(report.period_from, today),
                       Penalty.domain.in_(report.domains))
            ).all()
        return tuple(sorted(
            r.decision_no for r in rows
            if r.decision_no not in listed
            and r.procedure not in profile.excluded_procedures
            and r.decision_kind not in profile.excluded_decisions
        ))

    def _trust_list(self) -> tuple[list[TrustedKey], bool]:
        try:
            keys = self.keys.trust_list()
        except DatabaseUnavailable:
            cached = self.keys.cached_trust_list()
            if cached is None:
                raise DatabaseUnavailable("无法连接数据库，且本机没有信任列表缓存，无法核验签名") from None
            return cached, True
        self.keys.refresh_cache(keys)
        return keys, False

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
            with self.db.session() as s:
                for e in entries:
                    s.add(Verification(**{**e, "verified_at": datetime.fromisoformat(e["verified_at"])}))
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
            with open(self.pending_path, "a", encoding="utf-8") as fh:
                fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
        except OSError:
            pass  # nowhere to keep it: the verdict itself is still shown
