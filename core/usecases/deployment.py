"""Settings an administrator changes from the app: the deployment's report validity and the host
of its verification web page (shared by every counter, in the database) and this counter's name
(this PC's, in its data directory).

The policy profile is chosen through `use_profile` (profiles.py); the settings dialog shows both.
"""
from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass

from core.config import VERIFY_HOST_ENV, data_dir
from core.errors import IntegrityBroken, InvalidRequest, OutputNotWritten
from core.policy import Profile
from core.services.deployment_settings import (
    MAX_VALIDITY_DAYS, MIN_VALIDITY_DAYS, Recorded, check_counter_name, record_validity, record_verify_host,
    recorded,
)
from core.services.profile_choice import PROFILE_KEY, parse_choice
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
    verify_host: str = ""  # printed in every QR code: HTTPS://<verify_host>/V/<digits>
    # where the host comes from: "deployment" (chosen in 设置, every counter), "environment"
    # (CREDITDESK_VERIFY_HOST on this PC) or "default" (CREDITDESK.EXAMPLE, which never resolves)
    verify_host_source: str = "default"
    verify_host_problem: str | None = None  # the recorded one is not what 设置 saved: issuing stops


class DeploymentUseCases(DeskBase):
    # Verification accepts codes up to the longest validity the deployment ever chose.
    validity_ceiling: int = 0
    verify_host_problem: str | None = None  # the recorded host does not match its audit event
    _configured_host: str | None = None  # CREDITDESK_VERIFY_HOST or the default, while a recorded host applies

    @marks(writes=False)
    def refresh_profile(self) -> Profile:
        """The profile (ProfileUseCases) and the deployment's validity and verification host, as
        recorded now: log-in, previewing, issuing and start-up read them, so a change at one
        counter reaches every other."""
        found = recorded(self.db, PROFILE_KEY)  # one unit of work for the three
        choice = parse_choice(found.profile_choice) if found.profile_choice else None
        profile, _ = self._apply_choice(choice)  # ProfileUseCases
        self._apply_recorded(found)
        return profile

    def _apply_recorded(self, found: Recorded | None = None) -> None:
        """The recorded validity and verification host (the web page calls this every 30 s)."""
        found = found if found is not None else recorded(self.db)
        host = self.settings.verify_host
        if found.verify_host is not None:  # the configured one is kept aside while a recorded one applies
            if self._configured_host is None:
                self._configured_host = host
            host = found.verify_host
        elif self._configured_host is not None:
            host, self._configured_host = self._configured_host, None
        if host != self.settings.verify_host:
            self.settings = dataclasses.replace(self.settings, verify_host=host)
        self.verify_host_problem = found.host_problem
        validity = found.validity
        if validity is None:
            return
        if validity.days != self.settings.validity_days:
            self.settings = dataclasses.replace(self.settings, validity_days=validity.days)
        self.validity_ceiling = validity.longest

    def _require_verify_host(self) -> None:
        """Before a report is previewed or issued: the host its QR code will print is the one an
        administrator saved (IntegrityBroken in Chinese otherwise)."""
        if self.verify_host_problem:
            raise IntegrityBroken(self.verify_host_problem)

    @use_case(Permission.SETTINGS, writes=False)
    def deployment_settings(self, session: UserSession) -> DeploymentSettings:
        self._apply_recorded()
        source = ("deployment" if self._configured_host is not None  # a recorded host applies
                  else "environment" if os.environ.get(VERIFY_HOST_ENV) else "default")
        return DeploymentSettings(self.settings.counter, bool(os.environ.get("CREDITDESK_COUNTER")),
                                  self.settings.validity_days, verify_host=self.settings.verify_host,
                                  verify_host_source=source, verify_host_problem=self.verify_host_problem)

    @use_case(Permission.SETTINGS, writes=True, changes="settings")
    def set_verify_host(self, session: UserSession, host: str) -> str:
        """The host every counter prints in its QR codes from now on (reports already issued keep
        theirs: the host is not signed, and their digits verify wherever they are read)."""
        self._apply_recorded()
        with self.db.session(write=True) as s:
            host = record_verify_host(s, host, configured=self.settings.verify_host,
                                      actor=session.username, counter=session.counter)
        if self._configured_host is None:
            self._configured_host = self.settings.verify_host
        self.settings = dataclasses.replace(self.settings, verify_host=host)
        self.verify_host_problem = None
        return host

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
