"""The use cases: everything a person does, each one method of the desk.

Every method takes a signed-in `UserSession` (from `login`), checks the role, runs in one unit
of work and returns frozen data. The app and `creditdesk-admin` call these and nothing below.
"""
from __future__ import annotations

from core.config import Settings, key_dir, trust_cache_path
from core.db.engine import Database
from core.policy import load_profile
from core.services.people.roles import Permission, Role
from core.services.people.sessions import UserSession
from core.services.objections.register import Filing
from core.services.reports.archive import ArchivedReport
from core.services.reports.request import CheckedRequest, ReportRequest, presets_for
from core.services.reports.verify import Verdict
from core.services.signing.keys import KeyService
from core.usecases.admin import AdminUseCases
from core.usecases.archive import ArchiveUseCases
from core.usecases.base import ANONYMOUS, DatabaseStatus
from core.usecases.calendar import CalendarUseCases
from core.usecases.imports import ImportUseCases
from core.usecases.counter import PREVIEW_NO, CounterUseCases
from core.usecases.objections import ObjectionUseCases, ObjectionView
from core.usecases.repair import RepairUseCases, RepairView
from core.usecases.profiles import (
    ProfileChoice, ProfileInfo, ProfileUseCases, bundled_profiles, default_choice,
)
from core.usecases.stats import Statistics, StatsUseCases
from core.usecases.verification import VerifyUseCases
from core.usecases.public import PublicUseCases
from core.usecases.deployment import DeploymentSettings, DeploymentUseCases
from core.usecases.people import AuditViewUseCases, PeopleUseCases, Person
from core.services.people.audit_search import AuditFound, AuditQuery


class CounterDesk(CounterUseCases, VerifyUseCases, ArchiveUseCases, AdminUseCases, DeploymentUseCases,
                  ProfileUseCases, ObjectionUseCases, CalendarUseCases, RepairUseCases, StatsUseCases,
                  PeopleUseCases, AuditViewUseCases, ImportUseCases, PublicUseCases):
    """The one object the app and the command line hold."""


_LATER = {  # heavy modules (the renderer, alembic) load when one of these names is first used
    "IssuedResult": "core.services.reports.issuing", "Account": "core.services.people.setup",
    "SetupReport": "core.services.people.setup", "first_run": "core.services.people.setup",
    "needs_first_run": "core.services.people.setup",
}


def __getattr__(name: str):
    if name in _LATER:
        import importlib

        return getattr(importlib.import_module(_LATER[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def open_desk(settings: Settings) -> CounterDesk:
    db = Database(settings.db_url)
    keys = KeyService(db, key_dir(), trust_cache_path())
    desk = CounterDesk(db, load_profile(settings.profile_id), settings, keys)
    desk.refresh_profile()  # the profile the deployment chose, when one was recorded
    return desk


__all__ = [
    "ANONYMOUS", "CounterDesk", "DatabaseStatus", "PREVIEW_NO", "open_desk",
    # what the use cases take and return, for the app to name
    "Account", "ArchivedReport", "CheckedRequest", "Filing", "IssuedResult", "ObjectionView", "Permission",
    "RepairView", "Statistics", "AuditFound", "AuditQuery", "DeploymentSettings", "Person",
    "ProfileChoice", "ProfileInfo",
    "ReportRequest", "Role",
    "SetupReport", "UserSession", "Verdict", "bundled_profiles", "default_choice", "first_run",
    "needs_first_run", "presets_for",
]
