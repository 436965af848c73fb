"""Where the database lives and which policy profile applies: configuration, not code."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_dir

from core.services.signing.verify_url import DEFAULT_VERIFY_HOST

APP_NAME = "CreditDesk"
DEFAULT_PROFILE = "suzhou-2024"


def data_dir() -> Path:
    """The per-user folder that holds the embedded database."""
    override = os.environ.get("CREDITDESK_HOME")
    return Path(override) if override else Path(user_data_dir(APP_NAME, appauthor=False))


def default_db_url() -> str:
    return f"sqlite:///{data_dir() / 'creditdesk.sqlite3'}"


DEFAULT_ISSUER = "苏州市公共信用信息中心"
VERIFY_HOST_ENV = "CREDITDESK_VERIFY_HOST"  # this PC's host of creditdesk-web until the deployment saves one (设置)
DEFAULT_VALIDITY_DAYS = 30


def key_dir() -> Path:
    """Private signing keys: readable by their owner only, never inside the repository."""
    return data_dir() / "keys"


def trust_cache_path() -> Path:
    return data_dir() / "trust-list.json"


UNNAMED_COUNTER = "未命名窗口"


def _counter_name() -> str:
    """This counter's name (出具窗口 on the report, the counter in the audit chain): the
    CREDITDESK_COUNTER setting, else the name given at first run — never the machine's host name."""
    from core.db.installation import read_counter_name

    return os.environ.get("CREDITDESK_COUNTER") or read_counter_name(data_dir()) or UNNAMED_COUNTER


@dataclass(frozen=True)
class Settings:
    db_url: str
    profile_id: str
    issuer: str = DEFAULT_ISSUER
    counter: str = "counter"
    validity_days: int = DEFAULT_VALIDITY_DAYS
    region: str = "SZ"
    verify_host: str = DEFAULT_VERIFY_HOST  # HTTPS://<verify_host>/V/<digits> in the QR code

    @classmethod
    def from_env(cls, db_url: str | None = None, profile_id: str | None = None) -> "Settings":
        days = os.environ.get("CREDITDESK_VALIDITY_DAYS", "")
        return cls(
            db_url=db_url or os.environ.get("CREDITDESK_DB") or default_db_url(),
            profile_id=profile_id or os.environ.get("CREDITDESK_PROFILE") or DEFAULT_PROFILE,
            issuer=os.environ.get("CREDITDESK_ISSUER") or DEFAULT_ISSUER,
            counter=_counter_name(),
            validity_days=int(days) if days.isdigit() and int(days) > 0 else DEFAULT_VALIDITY_DAYS,
            verify_host=verify_host_from_env(),
        )


def verify_host_from_env() -> str:
    """CREDITDESK_VERIFY_HOST checked and upper-cased (InvalidRequest in Chinese when it cannot be
    printed in the code), else the placeholder CREDITDESK.EXAMPLE that a deployment replaces."""
    from core.services.signing.verify_url import check_verify_host

    return check_verify_host(os.environ.get(VERIFY_HOST_ENV) or DEFAULT_VERIFY_HOST)
