"""Verifying for the public: the `creditdesk-web` page behind the report's QR code.

Nobody signs in on the web, so there is no `UserSession` and no role: the identity is the narrow
one below. It may do exactly two things, both by holding the signed code: check it (the same
judgement as the counter's `verify`) and read the archived PDF of a valid or revoked report it
names. Never a report by number alone, never a listing.

What differs from the counter, and why:
- The trust list comes from the database only. A counter may fall back on its cached trust list
  and say "signature only"; a public page must never show 有效 without the revocation check, so
  an unreachable database is `DatabaseUnavailable` (the web answers 503), and the server keeps no
  cache file and no pending-checks file.
- Each check is recorded with one INSERT into `verifications` (verified_by 网页核验, counter 网页)
  and not in the audit chain. An address whose digits are no report's code (请重新扫描) is not a
  check of any report and writes no row: anyone can type such addresses, and an anonymous page
  should not let them fill the shared database (the access log keeps one line for each). A
  well-formed code — forged ones included, which say someone presented a fake — is recorded.
  Appending to the chain needs its single-writer lock and the right to add any event to the
  tamper-evident log (an ISSUE event added for a report would turn it forged); a public,
  rate-limited but anonymous page should hold neither. The chain's hash is computed here in
  Python, so a SECURITY DEFINER function in SQL could not append it faithfully.
  On PostgreSQL the web's role is granted INSERT on `verifications` only (web/readonly_role.sql).
- One check is one read transaction (on PostgreSQL plain statements, no BEGIN/COMMIT) and one
  shared insert; the trust list is kept 30 s (core/usecases/public_checks.py says why each is safe).
- Opening the PDF re-checks the code without recording a second check (the counter does not
  record viewing either; it records printing and saving).
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import date

from core.errors import DatabaseUnavailable, NotFound
from core.services.reports import archive
from core.services.reports.verify import Verdict, VerificationService
from core.services.signing.keys import trust_list_in
from core.states import VerdictStatus
from core.usecases.base import DeskBase, marks
from core.usecases.public_checks import (CheckRecorder, KeptProfiles, KeptSignatures, KeptTrustList,
                                        OneTransaction)

WEB_ACTOR = "网页核验"
WEB_COUNTER = "网页"
PDF_STATUSES = (VerdictStatus.VALID, VerdictStatus.REVOKED)
VALIDITY_TTL = 30.0  # seconds
_PARTS_LOCK = threading.Lock()


@dataclass(frozen=True)
class PublicParts:
    """What one process keeps between checks (core/usecases/public_checks.py): never a verdict."""

    trust: KeptTrustList
    recorder: CheckRecorder
    signatures: KeptSignatures
    profiles: KeptProfiles


@dataclass(frozen=True)
class PublicCheck:
    """A verdict for the web page, with the names of the report's domains (the page reads no profile)."""

    verdict: Verdict
    domain_names: tuple[str, ...] = ()

    @property
    def pdf_available(self) -> bool:
        return self.verdict.status in PDF_STATUSES and self.verdict.archived is not None


class PublicVerifier(VerificationService):
    """The counter's verification, online only, in one read transaction (public_checks.py),
    recorded in `verifications` only."""

    def __init__(self, db, keys, validity_days: int, parts: PublicParts):
        super().__init__(db, keys, validity_days)
        self._parts = parts
        self._trust = parts.trust
        self._recorder = parts.recorder
        self._text = None  # the code this verifier (one per check) decoded

    def judge_in(self, s, text: str, today: date) -> Verdict:
        """The verdict, every read of it in the caller's transaction `s`; not recorded."""
        database = self.db
        self.db = OneTransaction(database, s)
        try:
            verdict = super()._judge(text, today)
        finally:
            self.db = database
        if verdict.offline:
            self._keep_for_later({})
        return verdict

    def _judge(self, text: str, today: date) -> Verdict:
        # reads only; on PostgreSQL without BEGIN/COMMIT (Database.connection says why that is safe)
        with self.db.connection(autocommit=True) as conn:
            return self.judge_in(conn, text, today)

    def _parse(self, text):
        self._text = text
        return self._parts.signatures.parse(text)

    def _signature_holds(self, signed, key) -> bool:
        return self._parts.signatures.holds(self._text, signed, key)

    def _profile(self, profile_id: str):
        return self._parts.profiles.get(profile_id)

    def _read_trust(self) -> list:
        with self.db.session() as s:  # the check's own transaction (OneTransaction)
            return trust_list_in(s)

    def _trust_list(self):
        return self._trust.get(self._read_trust), False, (), None  # DatabaseUnavailable propagates

    def _online(self) -> bool:
        # a check runs inside its open transaction: the database has answered (a second
        # connection for a misread code would only hold one more from the pool)
        return isinstance(self.db, OneTransaction) or super()._online()

    def _signature(self, signed, claims, trust, today):
        if not any(k.key_id == claims.key_id for k in trust):
            trust = self._trust.get(self._read_trust, fresh=True)  # a key created since the list was read
        return super()._signature(signed, claims, trust, today)

    def _keep_for_later(self, entry: dict) -> None:
        raise DatabaseUnavailable("无法连接数据库，暂时不能核验")

    def _record(self, entry: dict) -> None:
        if entry["status"] == VerdictStatus.MALFORMED:
            return  # no report's code: nothing checked, only the access log line (see the module)
        self._recorder.record(entry)


class PublicUseCases(DeskBase):
    @marks(writes=True, changes="verification")
    def verify_public(self, text: str, today: date | None = None) -> PublicCheck:
        """Check a code from the web page and record the check (actor 网页核验)."""
        verifier = self._public_verifier()
        verdict = verifier.verify(text, user=WEB_ACTOR, counter=WEB_COUNTER, today=today)
        return PublicCheck(verdict, self._domain_names(verdict))

    @marks(writes=False)
    def public_report_pdf(self, text: str, today: date | None = None) -> tuple[str, bytes]:
        """(report number, archived PDF) of the report this code proves, when it is valid or
        revoked; NotFound otherwise. IntegrityBroken when the archived file was changed."""
        verifier = self._public_verifier()
        with self.db.session() as s:  # the check and the file read in one transaction
            verdict = verifier.judge_in(s, text, today or date.today())
            if verdict.status not in PDF_STATUSES or verdict.archived is None:
                raise NotFound("该核验码没有可查看的存档报告")
            return verdict.archived.report_no, archive.pdf(s, verdict.archived.report_no)

    @marks(writes=False)
    def public_health(self) -> bool:
        """Whether a check could be answered now (the web's /healthz): the database reachable,
        the embedded file where it was."""
        return self.db.health() is None

    def _public_verifier(self) -> PublicVerifier:
        # DeploymentUseCases: the deployment's validity as recorded, re-read at most every
        # VALIDITY_TTL seconds (a change is rare; a query per request is not free)
        apply = getattr(self, "_apply_recorded", None)
        now = time.monotonic()
        if apply is not None and now - getattr(self, "_validity_read_at", -VALIDITY_TTL) >= VALIDITY_TTL:
            apply()
            self._validity_read_at = now
        longest = max(self.settings.validity_days, getattr(self, "validity_ceiling", 0))
        return PublicVerifier(self.db, self.keys, longest, self._public_parts())

    def _public_parts(self) -> PublicParts:
        """The kept trust list, signatures and profiles and the recorder: one of each per desk
        (per process)."""
        parts = getattr(self, "_public_kept", None)
        if parts is None:
            with _PARTS_LOCK:
                parts = getattr(self, "_public_kept", None)
                if parts is None:
                    parts = self._public_kept = PublicParts(
                        KeptTrustList(), CheckRecorder(self.db), KeptSignatures(), KeptProfiles())
        return parts

    def _domain_names(self, verdict: Verdict) -> tuple[str, ...]:
        if verdict.claims is None or verdict.status in (VerdictStatus.FORGED, VerdictStatus.MALFORMED):
            return ()
        profile = self._public_parts().profiles.get(verdict.archived.profile_id) if verdict.archived else self.profile
        names = []
        for code in verdict.claims.domains:
            try:
                names.append(f"{code}. {profile.domain(code).name}")
            except KeyError:
                names.append(f"领域 {code}")
        return tuple(names)
