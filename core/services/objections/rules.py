"""Which step an objection may take from which state, and who takes it (pure rules, no database).

已登记 → 待补正 | 不予受理 | 已受理 → 平台核查 → 协查中 → 已更正 | 维持 | 无法确认 → 已答复;
待补正 → 已受理 | 不予受理 once the documents are complete; the platform's own check may settle an
objection without the providing unit (已更正 or 维持); 已撤回 from any state before 已答复.
A step is checked against ALLOWED by core.services.objections.steps.check_transition.
"""
from __future__ import annotations

from dataclasses import dataclass

from core.errors import InvalidRequest
from core.states import ObjectionStatus as S

OUTCOMES = (S.CORRECTED, S.UPHELD, S.UNCONFIRMED)
CLOSED = frozenset({S.NOT_ACCEPTED, S.ANSWERED, S.WITHDRAWN})
# While one of these, an accepted objection is open: the record prints 异议处理中（受理日期）.
UNDER_REVIEW = frozenset({S.ACCEPTED, S.CHECKING, S.REFERRED})

ALLOWED: dict[S, tuple[S, ...]] = {
    S.REGISTERED: (S.INCOMPLETE, S.NOT_ACCEPTED, S.ACCEPTED, S.WITHDRAWN),
    S.INCOMPLETE: (S.ACCEPTED, S.NOT_ACCEPTED, S.WITHDRAWN),
    S.ACCEPTED: (S.CHECKING, S.WITHDRAWN),
    S.CHECKING: (S.REFERRED, S.CORRECTED, S.UPHELD, S.WITHDRAWN),
    S.REFERRED: (S.CORRECTED, S.UPHELD, S.UNCONFIRMED, S.WITHDRAWN),
    S.CORRECTED: (S.ANSWERED, S.WITHDRAWN),
    S.UPHELD: (S.ANSWERED, S.WITHDRAWN),
    S.UNCONFIRMED: (S.ANSWERED, S.WITHDRAWN),
    S.NOT_ACCEPTED: (),
    S.ANSWERED: (),
    S.WITHDRAWN: (),
}


@dataclass(frozen=True)
class Action:
    name: str  # the CLI verb
    label: str  # the button
    targets: tuple[S, ...]  # 'resolve' has three: the outcome chooses
    counter_may: bool = False  # counter staff may take it (the enterprise's own acts); else 主管


ACTIONS: dict[str, Action] = {a.name: a for a in (
    Action("supplement", "要求补正", (S.INCOMPLETE,)),
    Action("accept", "受理", (S.ACCEPTED,)),
    Action("reject", "不予受理", (S.NOT_ACCEPTED,)),
    Action("check", "开始平台核查", (S.CHECKING,)),
    Action("refer", "转提供单位协查", (S.REFERRED,)),
    Action("resolve", "核查结论", OUTCOMES),
    Action("answer", "答复企业", (S.ANSWERED,)),
    Action("withdraw", "企业撤回", (S.WITHDRAWN,), counter_may=True),
)}


def target(action: str, outcome: str | None) -> S:
    """The state an action leads to; 'resolve' needs its outcome."""
    step = ACTIONS.get(action)
    if step is None:
        raise InvalidRequest(f"未知的异议处理操作“{action}”，可用：{'、'.join(ACTIONS)}")
    if len(step.targets) == 1:
        if outcome:
            raise InvalidRequest("只有“核查结论”（resolve）需要 --outcome")
        return step.targets[0]
    if not outcome:
        raise InvalidRequest(f"请指明核查结论：{'、'.join(step.targets)}")
    try:
        chosen = S(outcome)
    except ValueError:
        chosen = None
    if chosen not in step.targets:
        raise InvalidRequest(f"核查结论“{outcome}”无效，应为：{'、'.join(step.targets)}")
    return chosen


def actions_from(current: S) -> list[Action]:
    """The actions that lead somewhere allowed from `current` (one button each)."""
    allowed = set(ALLOWED[current])
    return [a for a in ACTIONS.values() if allowed.intersection(a.targets)]
