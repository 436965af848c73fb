"""The policy profile in use: listing the bundled ones, and changing the choice (administrators)."""
from __future__ import annotations

from datetime import date

from core.errors import PermissionDenied
from core.policy import Profile, available_profiles, load_profile
from core.services.people.roles import Role
from core.services.people.sessions import UserSession
from core.states import AuditAction
from core.services.profile_choice import (  # noqa: F401 - re-exported for the app and the CLI
    PROFILE_KEY,
    ProfileChoice,
    ProfileInfo,
    bundled_profiles,
    checked_choice,
    default_choice,
    describe,
    read_choice,
    record_choice,
    recorded_choice,
)
from core.usecases.base import DeskBase, marks, use_case

CHANGE_PROFILE = "更换政策配置"  # what the refusal names (an administrator's act)


class ProfileUseCases(DeskBase):
    def _current_profile(self) -> tuple[Profile, bool]:
        """The profile in use now, read from the database, and whether it was recorded."""
        return self._apply_choice(recorded_choice(self.db))

    def _apply_choice(self, choice: ProfileChoice | None) -> tuple[Profile, bool]:
        profile = choice.profile() if choice else self.configured_profile
        self.profile = profile
        return profile, choice is not None

    @marks(writes=False)
    def refresh_profile(self) -> Profile:
        """Re-read the deployment's choice (another counter or the command line may have changed it)."""
        return self._current_profile()[0]

    @use_case(None, writes=False)
    def profiles(self, session: UserSession, today: date | None = None) -> list[ProfileInfo]:
        """Every bundled profile with its period; the one in use carries its extension."""
        today = today or date.today()
        current, recorded = self._current_profile()
        result = []
        for pid in available_profiles():
            in_use = pid == current.id
            profile = current if in_use else load_profile(pid)
            result.append(describe(profile, in_use=in_use, recorded=recorded and in_use, today=today))
        return result

    @use_case(None, writes=False)
    def profile_in_force(self, session: UserSession, today: date | None = None) -> ProfileInfo:
        """The profile in use and whether a report may be issued under it on `today`."""
        current, recorded = self._current_profile()
        return describe(current, in_use=True, recorded=recorded, today=today or date.today())

    @use_case(None, writes=True, changes="profile")
    def use_profile(self, session: UserSession, profile_id: str, extended_by: str | None = None,
                    until: date | None = None) -> ProfileInfo:
        """Choose the deployment's profile; with `extended_by` and `until`, record its extension.
        Without them the profile applies as published (any earlier extension is dropped).
        An administrator's act (the role that manages the deployment's data, people and keys)."""
        if session.role is not Role.ADMIN:
            self.record(session.username, session.counter, AuditAction.REFUSED, "profile",
                        {"permission": CHANGE_PROFILE, "role": session.role.value})
            raise PermissionDenied(f"您的角色（{session.role.value}）无权{CHANGE_PROFILE}，需要管理员角色")
        choice = checked_choice(profile_id, extended_by, until)
        with self.db.session(write=True) as s:
            record_choice(s, choice, actor=session.username, counter=session.counter)
        self.profile = choice.profile()
        return describe(self.profile, in_use=True, recorded=True, today=date.today())
