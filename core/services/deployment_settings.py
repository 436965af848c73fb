"""Deployment settings other than the policy profile: choices every counter on the database shares.

Stored as `deployment_settings` rows (canonical JSON), each change an audit event in the same unit
of work. Two today:
- the report's validity in days. It is the deployment's, not a counter PC's, because a verifier at
  any counter refuses a code whose validity exceeds what the deployment allows — so the longest
  validity ever chosen is kept too, and verification accepts up to it (shortening the validity
  must not turn reports already issued into "forgeries");
- the host of the verification web page printed in every QR code (HTTPS://<host>/V/<digits>):
  one `creditdesk-web` serves the deployment, so every counter must print the same host. A row
  that does not match the newest audit event of its change is not used (someone wrote it into
  the database by hand: a host sends phones to whatever site it names), and issuing stops.

The counter's own name (printed as 出具窗口) belongs to the PC: it stays in the installation
marker of the data directory (core/db/installation.py), set at first run.
"""
from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import ProgrammingError
from sqlalchemy.orm import Session

from core.db.engine import Database
from core.db.models import DeploymentSetting
from core.errors import DatabaseUnavailable, InvalidRequest
from core.services.people import audit_chain
from core.services.signing.verify_url import check_verify_host
from core.states import AuditAction

VALIDITY_KEY = "validity_days"
VERIFY_HOST_KEY = "verify_host"
HOST_NOT_AUDITED = ("数据库中的核验网址（{host}）不是在“设置”中保存的（与审计日志不符），为防二维码指向他处，"
                    "暂停出具报告：请管理员在“设置”中重新保存核验网址")
MIN_VALIDITY_DAYS, MAX_VALIDITY_DAYS = 1, 365
COUNTER_NAME_LENGTH = (2, 40)


@dataclass(frozen=True)
class Validity:
    days: int  # what a report issued now carries
    longest: int  # the longest ever chosen: what verification accepts


def check_validity_days(days) -> int:
    if isinstance(days, bool) or not isinstance(days, int) or not MIN_VALIDITY_DAYS <= days <= MAX_VALIDITY_DAYS:
        raise InvalidRequest(f"报告有效期应为 {MIN_VALIDITY_DAYS}–{MAX_VALIDITY_DAYS} 天的整数")
    return days


def check_counter_name(name: str) -> str:
    """The counter's name, spaces folded; InvalidRequest in Chinese when it cannot be printed."""
    name = " ".join((name or "").split())
    low, high = COUNTER_NAME_LENGTH
    if not name:
        raise InvalidRequest("请填写窗口名称：它印在每份报告的“出具窗口”一栏")
    if not low <= len(name) <= high or any(unicodedata.category(ch) in ("Cc", "Cf") for ch in name):
        raise InvalidRequest(f"窗口名称应为 {low}–{high} 个字，不含控制字符")
    return name


def _parse_validity(raw: str) -> Validity | None:
    """A stored row as written by `record_validity`; None for anything else (edited by hand)."""
    try:
        data = json.loads(raw)
        days, longest = check_validity_days(data["days"]), check_validity_days(data["longest"])
    except (TypeError, ValueError, KeyError, InvalidRequest):
        return None
    return Validity(days, max(days, longest))


@dataclass(frozen=True)
class Recorded:
    """The deployment settings as recorded (None: never chosen, or unreadable)."""

    validity: Validity | None = None
    verify_host: str | None = None
    host_problem: str | None = None  # the host row is not what the audit log says was saved
    profile_choice: str | None = None  # the policy profile's row as stored (core/services/profile_choice.py)


def read_validity(s: Session) -> Validity | None:
    row = s.get(DeploymentSetting, VALIDITY_KEY)
    return _parse_validity(row.value) if row is not None else None


def read_recorded(s: Session, profile_key: str | None = None) -> Recorded:
    """Both settings (and the profile choice's row, given its key) in one query; the host's audit
    event in a second, only when a host is set."""
    keys = (VALIDITY_KEY, VERIFY_HOST_KEY) + ((profile_key,) if profile_key else ())
    rows = {row.key: row.value for row in s.query(DeploymentSetting).filter(DeploymentSetting.key.in_(keys))}
    validity = _parse_validity(rows[VALIDITY_KEY]) if VALIDITY_KEY in rows else None
    choice = rows.get(profile_key) if profile_key else None
    if VERIFY_HOST_KEY not in rows:
        return Recorded(validity, profile_choice=choice)
    host = _parse_host(rows[VERIFY_HOST_KEY])
    saved = audit_chain.events_for(s, action=AuditAction.SETTINGS, subject=VERIFY_HOST_KEY)
    if host is None or not saved or saved[-1].details.get("to") != host:
        shown = host or "无法识别的内容"  # never the row's raw text: it goes on screen
        return Recorded(validity, None, HOST_NOT_AUDITED.format(host=shown), choice)
    return Recorded(validity, host, profile_choice=choice)


def _parse_host(raw: str) -> str | None:
    try:
        return check_verify_host(json.loads(raw)["host"])
    except (TypeError, ValueError, KeyError, InvalidRequest):
        return None


def recorded(db: Database, profile_key: str | None = None) -> Recorded:
    """The recorded settings, in one unit of work; nothing when none was chosen, the schema
    predates the table, or the embedded file is missing (opening it would create it)."""
    path = db.file
    if path is not None and (not path.is_file() or path.stat().st_size == 0):
        return Recorded()
    try:
        with db.session() as s:
            return read_recorded(s, profile_key)
    except (DatabaseUnavailable, ProgrammingError):
        return Recorded()


def record_verify_host(s: Session, host: str, *, configured: str, actor: str, counter: str,
                       now: datetime | None = None) -> str:
    """Store the deployment's verification host and its audit event in the caller's unit of work."""
    host = check_verify_host(host)
    row = s.get(DeploymentSetting, VERIFY_HOST_KEY)
    before = (_parse_host(row.value) if row is not None else None) or configured
    store_setting(s, VERIFY_HOST_KEY, {"host": host}, {"from": before, "to": host}, actor, counter, now)
    return host


def store_setting(s: Session, key: str, value: dict, details: dict, actor: str, counter: str,
                  now: datetime | None, *, action: str = AuditAction.SETTINGS, subject: str | None = None) -> None:
    """The row `key` set to `value` (canonical JSON) and its audit event (`subject`: the key), in `s`."""
    now = (now or datetime.now()).replace(microsecond=0)
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    row = s.get(DeploymentSetting, key)
    if row is None:
        s.add(DeploymentSetting(key=key, value=text, changed_at=now, changed_by=actor[:64]))
    else:
        row.value, row.changed_at, row.changed_by = text, now, actor[:64]
    s.flush()
    audit_chain.append(s, actor=actor, counter=counter, action=action, subject=subject or key,
                       details=details, at=now)


def record_validity(s: Session, days: int, *, configured: int, actor: str, counter: str,
                    now: datetime | None = None) -> Validity:
    """Store the new validity and its audit event in the caller's unit of work."""
    days = check_validity_days(days)
    before = read_validity(s) or Validity(configured, configured)
    after = Validity(days, max(days, before.longest))
    store_setting(s, VALIDITY_KEY, {"days": after.days, "longest": after.longest},
                  {"from": before.days, "to": after.days, "longest": after.longest}, actor, counter, now)
    return after
