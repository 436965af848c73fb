"""Where the database lives and which policy profile applies: configuration, not code."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_dir

APP_NAME = "CreditDesk"
DEFAULT_PROFILE = "suzhou-2024"


def data_dir() -> Path:
    """The per-user folder that holds the embedded database."""
    override = os.environ.get("CREDITDESK_HOME")
    return Path(override) if override else Path(user_data_dir(APP_NAME, appauthor=False))


def default_db_url() -> str:
    return f"sqlite:///{data_dir() / 'creditdesk.sqlite3'}"


@dataclass(frozen=True)
class Settings:
    db_url: str
    profile_id: str

    @classmethod
    def from_env(cls, db_url: str | None = None, profile_id: str | None = None) -> "Settings":
        return cls(
            db_url=db_url or os.environ.get("CREDITDESK_DB") or default_db_url(),
            profile_id=profile_id or os.environ.get("CREDITDESK_PROFILE") or DEFAULT_PROFILE,
        )
