"""统计 (主管): the numbers over a period, for the statistics page and `creditdesk-admin stats`."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from core.errors import InvalidRequest
from core.services import stats
from core.services.people.roles import Permission
from core.services.people.sessions import UserSession
from core.usecases.base import DeskBase, use_case


@dataclass(frozen=True)
class Statistics:
    date_from: date
    date_to: date
    late_days: int
    numbers: stats.Numbers

    def to_json(self) -> dict:
        n = self.numbers
        return {
            "from": self.date_from.isoformat(), "to": self.date_to.isoformat(),
            "reports": {
                "total": n.reports_total,
                "by_day": [{"date": d.isoformat(), "count": c} for d, c in n.by_day],
                "by_counter": [{"counter": k, "count": c} for k, c in n.by_counter],
                "by_purpose": [{"purpose": k, "count": c} for k, c in n.by_purpose],
            },
            "domains": [{"domain": code, "name": name, "violations": v} for code, name, v in n.domains],
            "verifications": {"total": n.verifications_total, "by_status": dict(n.by_status)},
            "objections": {"by_state": dict(n.objections_by_state), "overdue": n.objections_overdue},
            "unit_late_days": self.late_days,
            "units": [{"unit": u.unit, "last_import": u.last_import.isoformat(timespec="seconds"),
                       "rows": u.rows, "rejected": u.rejected, "late": u.late} for u in n.units],
        }


class StatsUseCases(DeskBase):
    @use_case(Permission.STATS, writes=False)
    def statistics(self, session: UserSession, date_from: date, date_to: date,
                   today: date | None = None) -> Statistics:
        """Reports, verifications and objections in [date_from, date_to] (both included) and how
        current each providing unit's data is at date_to."""
        if date_from > date_to:
            raise InvalidRequest(f"起始日期 {date_from} 晚于截止日期 {date_to}")
        profile = self.profile
        with self.db.session() as s:
            numbers = stats.numbers(s, date_from, date_to, today=today or date.today(),
                                    late_days=profile.unit_late_days, objection_days=profile.objection_days)
        return Statistics(date_from, date_to, profile.unit_late_days, numbers)
