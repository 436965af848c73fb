"""Verifying a scanned code: by a signed-in person at a counter, or anonymously from a script."""
from __future__ import annotations

from datetime import date

from core.services.people.roles import Permission
from core.services.people.sessions import UserSession
from core.services.reports.verify import Verdict, VerificationService
from core.usecases.base import ANONYMOUS, DeskBase, marks, use_case


class VerifyUseCases(DeskBase):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._verified: set[tuple[str, str]] = set()  # (session nonce, report number)

    @use_case(Permission.VERIFY, writes=True, changes="verification")
    def verify(self, session: UserSession, text: str, today: date | None = None) -> Verdict:
        verdict = self._verifier().verify(
            text, user=session.username, counter=session.counter, today=today)
        if verdict.archived is not None:
            self._verified.add((session.nonce, verdict.archived.report_no))
        return verdict

    @marks(writes=True, changes="verification")
    def verify_anonymously(self, text: str, today: date | None = None) -> Verdict:
        """For `creditdesk-admin verify` without a person: recorded as an anonymous check."""
        return self._verifier().verify(
            text, user=ANONYMOUS, counter=self.settings.counter, today=today)

    def _verifier(self) -> VerificationService:
        # up to the longest validity the deployment ever chose (DeploymentUseCases.validity_ceiling)
        longest = max(self.settings.validity_days, getattr(self, "validity_ceiling", 0))
        return VerificationService(self.db, self.keys, longest)

    def verified_by(self, session: UserSession, report_no: str) -> bool:
        return (session.nonce, report_no) in self._verified
