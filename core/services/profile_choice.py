"""Which policy profile the deployment issues under, and the extension an administrator recorded.

(The data and its storage; who may change it is in core/usecases/profiles.py.)

The choice lives in the shared database (every counter of the deployment follows it), in the
`deployment_settings` row "profile"; each change is an audit event in the same unit of work. Until
something is chosen the configured profile (`--profile`, CREDITDESK_PROFILE, suzhou-2024) applies.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.exc import ProgrammingError
from sqlalchemy.orm import Session

from core.db.engine import Database
from core.db.models import DeploymentSetting
from core.errors import DatabaseUnavailable, InvalidRequest
from core.policy import Profile, available_profiles, load_profile
from core.services.deployment_settings import store_setting
from core.states import AuditAction

PROFILE_KEY = "profile"


@dataclass(frozen=True)
class ProfileChoice:
    """What an administrator recorded: a profile id, and an extension (document and new end)."""

    profile_id: str
    extended_by: str | None = None
    until: date | None = None

    def to_json(self) -> dict:
        return {"profile": self.profile_id, "extended_by": self.extended_by,
                "until": self.until.isoformat() if self.until else None}

    @classmethod
    def from_json(cls, data: dict) -> "ProfileChoice":
        until = data.get("until")
        return cls(data["profile"], data.get("extended_by"), date.fromisoformat(until) if until else None)

    def profile(self) -> Profile:
        """The profile as published, extended when an extension is recorded."""
        profile = load_profile(self.profile_id)
        if self.extended_by and self.until:
            return profile.extended(self.extended_by, self.until)
        return profile


def read_choice(s: Session) -> ProfileChoice | None:
    row = s.get(DeploymentSetting, PROFILE_KEY)
    return parse_choice(row.value) if row is not None else None


def parse_choice(raw: str) -> ProfileChoice:
    """The choice from its stored row (canonical JSON)."""
    return ProfileChoice.from_json(json.loads(raw))


def recorded_choice(db: Database) -> ProfileChoice | None:
    """The recorded choice; None when nothing was chosen yet or the schema predates the choice.
    An embedded file that is missing or empty is not opened: opening it would write a header into
    it, and an empty file is a lost database to be reported, not a new one."""
    path = db.file
    if path is not None and (not path.is_file() or path.stat().st_size == 0):
        return None
    try:
        with db.session() as s:
            return read_choice(s)
    except (DatabaseUnavailable, ProgrammingError):
        return None


def record_choice(s: Session, choice: ProfileChoice, *, actor: str, counter: str,
                  now: datetime | None = None) -> None:
    """Store the choice and its audit event in the caller's unit of work."""
    store_setting(s, PROFILE_KEY, choice.to_json(), choice.to_json(), actor, counter, now,
                  action=AuditAction.PROFILE, subject=choice.profile_id)


def checked_choice(profile_id: str, extended_by: str | None = None,
                   until: date | None = None) -> ProfileChoice:
    """A choice the policy files accept (PolicyError / InvalidRequest in Chinese otherwise)."""
    profile_id = (profile_id or "").strip()
    profile = load_profile(profile_id)  # an unknown id: PolicyError naming the ones there are
    if (extended_by is None) != (until is None):
        raise InvalidRequest("登记延长时应同时给出延长文件（--extended-by）和新的截止日期（--until）")
    if extended_by is not None:
        extended = profile.extended(extended_by, until)
        return ProfileChoice(profile_id, extended.extension.document, until)
    return ProfileChoice(profile_id)


@dataclass(frozen=True)
class ProfileInfo:
    """One bundled profile as `profile list` and the app show it."""

    id: str
    name: str
    document: str
    valid_from: date
    valid_to: date | None  # as published
    in_use: bool
    recorded: bool  # in use because an administrator chose it (False: the configured default)
    extended_by: str | None
    extended_until: date | None
    in_force: bool  # on the day asked about, extension included
    reason: str | None  # why not in force, one sentence

    @property
    def period_text(self) -> str:
        return f"{self.valid_from} 至 {self.valid_to}" if self.valid_to else f"{self.valid_from} 起"

    def to_json(self) -> dict:
        return {
            "id": self.id, "name": self.name, "document": self.document,
            "valid_from": self.valid_from.isoformat(),
            "valid_to": self.valid_to.isoformat() if self.valid_to else None,
            "in_use": self.in_use, "recorded": self.recorded, "extended_by": self.extended_by,
            "extended_until": self.extended_until.isoformat() if self.extended_until else None,
            "in_force": self.in_force, "reason": self.reason,
        }


def describe(profile: Profile, *, in_use: bool, recorded: bool, today: date) -> ProfileInfo:
    ext = profile.extension
    return ProfileInfo(profile.id, profile.name, profile.document, profile.valid_from, profile.valid_to,
                       in_use, recorded, ext.document if ext else None, ext.until if ext else None,
                       profile.in_force(today), profile.not_in_force(today))


def bundled_profiles(today: date) -> list[ProfileInfo]:
    """Every bundled profile, none in use: what a first run offers (no database needed)."""
    return [describe(load_profile(pid), in_use=False, recorded=False, today=today)
            for pid in available_profiles()]


def default_choice(configured: Profile, today: date) -> ProfileChoice:
    """What a first run records when nobody chose: the configured profile if it is in force today,
    else the first bundled profile that is (never an extension nobody recorded)."""
    if configured.in_force(today):
        return ProfileChoice(configured.id)
    for pid in available_profiles():
        if load_profile(pid).in_force(today):
            return ProfileChoice(pid)
    return ProfileChoice(configured.id)
