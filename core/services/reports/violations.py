"""The one rule for "does this penalty count as a violation record": assembling and verifying share it."""
from __future__ import annotations

from collections.abc import Container

from core.policy import Profile
from core.states import PenaltyStatus


def counts(profile: Profile, domains: Container[int], *, domain: int, status: str, procedure: str,
           decision_kind: str) -> bool:
    """A penalty in the period counts when it is in a chosen domain, in force, and neither of a
    procedure nor of a decision kind the profile leaves out (Suzhou: 简易程序, 不予处罚)."""
    return (
        domain in domains
        and status == PenaltyStatus.IN_FORCE
        and procedure not in profile.excluded_procedures
        and decision_kind not in profile.excluded_decisions
    )
