"""The one rule for "does this penalty count as a violation record": assembling and verifying share it."""
from __future__ import annotations

from collections.abc import Container

from core.policy import Profile
from core.states import DecisionKind, PenaltyStatus, Procedure

# The columns a penalty may leave 未注明, as the department file and the report name them.
PROCEDURE_COLUMN = "程序类型"
DECISION_COLUMN = "决定类型"


def counts(profile: Profile, domains: Container[int], *, domain: int, status: str, procedure: str,
           decision_kind: str) -> bool:
    """A penalty in the period counts when it is in a chosen domain, in force, and neither of a
    procedure nor of a decision kind the profile leaves out (Suzhou: 简易程序, 不予处罚).

    A 未注明 procedure or decision kind is never guessed: the profile's ``unstated_procedure`` /
    ``unstated_decision`` ("count" or "exclude") decides it.
    """
    if domain not in domains or status != PenaltyStatus.IN_FORCE:
        return False
    if procedure == Procedure.UNSTATED:
        if profile.unstated_procedure != "count":
            return False
    elif procedure in profile.excluded_procedures:
        return False
    if decision_kind == DecisionKind.UNSTATED:
        return profile.unstated_decision == "count"
    return decision_kind not in profile.excluded_decisions


def unstated_columns(procedure: str, decision_kind: str) -> tuple[str, ...]:
    """The columns this penalty leaves 未注明, e.g. ("程序类型",); () when both are stated."""
    missing = []
    if procedure == Procedure.UNSTATED:
        missing.append(PROCEDURE_COLUMN)
    if decision_kind == DecisionKind.UNSTATED:
        missing.append(DECISION_COLUMN)
    return tuple(missing)


def unstated_mark(columns: tuple[str, ...]) -> str:
    """The short mark printed beside a counted record, e.g. "（程序类型未注明）"; "" when none."""
    return f"（{'、'.join(columns)}未注明）" if columns else ""
