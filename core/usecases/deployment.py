"""Settings an administrator changes from the app: the deployment's report validity (shared by
every counter, in the database) and this counter's name (this PC's, in its data directory).

The policy profile is chosen through `use_profile` (profiles.py); the settings dialog shows both.
"""
from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass

from core.config import data_dir
from core.errors import InvalidRequest, OutputNotWritten
from core.policy import Profile
from core.services.deployment_settings import (
    MAX_VALIDITY_DAYS, MIN_VALIDITY_DAYS, check_counter_name, record_validity, recorded_validity,
)
from core.services.people.roles import Permission
from core.services.people.sessions import UserSession
from core.states import AuditAction
from core.usecases.base import DeskBase, marks, use_case


@dataclass(frozen=True)
class DeploymentSettings:
    counter: str  # this counter's name as configured now (sessions carry it from their log-in)
    counter_from_environment: bool  # CREDITDESK_COUNTER names it: the dialog cannot change it
    validity_days: int
    min_validity_days: int = MIN_VALIDITY_DAYS
    max_validity_days: int = MAX_VALIDITY_DAYS


class DeploymentUseCases(DeskBase):
    # Verification accepts codes up to the longest validity the deployment ever chose.
    validity_ceiling: int = 0

    @marks(writes=False)
    def refresh_profile(self) -> Profile:
        """The profile (ProfileUseCases) and the deployment's validity, as recorded now: log-in,
        issuing and start-up read both, so a change at one counter reaches every other."""
        profile = super().refresh_profile()
        self._apply_validity()
        return profile

    def _apply_validity(self) -> None:
        validity = recorded_validity(self.db)
        if validity is None:
            return
        if validity.days != self.settings.validity_days:
            self.settings = dataclasses.replace(self.settings, validity_days=validity.days)
        self.validity_ceiling = validity.longest

    @use_case(Permission.SETTINGS, writes=False)
    def deployment_settings(self, session: UserSession) -> DeploymentSettings:
        self._apply_validity()
        return DeploymentSettings(self.settings.counter, bool(os.environ.get("CREDITDESK_COUNTER")),
                                  self.settings.validity_days)

    @use_case(Permission.SETTINGS, writes=True, changes="settings")
    def set_validity_days(self, session: UserSession, days: int) -> int:
        with self.db.session(write=True) as s:
            validity = record_validity(s, days, configured=self.settings.validity_days,
                                       actor=session.username, counter=session.counter)
        self.settings = dataclasses.replace(self.settings, validity_days=validity.days)
        self.validity_ceiling = validity.longest
        return validity.days

    @use_case(Permission.SETTINGS, writes=True, changes="settings")
    def rename_counter(self, session: UserSession, name: str) -> str:
        """This PC's counter name (出具窗口): kept in the data directory's installation marker;
        sessions opened from now on carry it (the person's current one keeps its log-in's)."""
        from core.db.installation import set_counter_name

        if os.environ.get("CREDITDESK_COUNTER"):
            raise InvalidRequest("本机的窗口名称由环境变量 CREDITDESK_COUNTER 指定，请在那里更改")
        name = check_counter_name(name)
        before = self.settings.counter
        if name == before:
            return name
        try:
            data_dir().mkdir(parents=True, exist_ok=True)
            set_counter_name(data_dir(), name)
        except OSError as exc:
            raise OutputNotWritten(f"窗口名称未能保存到 {data_dir()}：{exc.strerror or exc}") from None
        self.settings = dataclasses.replace(self.settings, counter=name)
        self.record(session.username, session.counter, AuditAction.SETTINGS, "counter",
                    {"from": before, "to": name})
        return name
