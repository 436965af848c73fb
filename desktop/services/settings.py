"""Typed settings of this counter PC, declared in one place with their defaults, limits and labels.

These are the PC's own (how long until the screen locks, whether verdicts sound, the last
user name, window geometry). What every counter of the deployment shares — the report's
validity, the policy profile — lives in the database (core/usecases/deployment.py, profiles.py),
and the counter's name in the data directory's installation marker.

Stored with QSettings as an INI file: `ui-settings.ini` in CREDITDESK_HOME when that is set
(beside the database and keys: one folder holds the whole installation), else in the platform's
config folder. `meta/version` records the shape; `_UPGRADES` carries an older file forward.
A value that is missing, of the wrong type or out of range reads as the default; a file that
is not INI at all is kept aside (`.broken-<time>`) and a fresh one started: never a crash.
"""
from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

VERSION = 2
FILE_NAME = "ui-settings.ini"


@dataclass(frozen=True)
class Option:
    key: str
    default: Any
    label: str  # what a person sees in a settings dialog
    minimum: int | None = None  # for whole numbers
    maximum: int | None = None

    def read(self, value: Any) -> Any:
        """The stored value as this option's type, or the default when it cannot be one."""
        if value is None:
            return self.default
        if isinstance(self.default, bool):
            text = str(value).strip().lower()
            return True if text in ("true", "1") else False if text in ("false", "0") else self.default
        if isinstance(self.default, int):
            try:
                number = int(str(value).strip())
            except ValueError:
                return self.default
            too_low = self.minimum is not None and number < self.minimum
            too_high = self.maximum is not None and number > self.maximum
            return self.default if too_low or too_high else number
        return value if isinstance(value, str) else self.default


IDLE_LOCK_MINUTES = Option("security/idle_lock_minutes", 10, "无操作自动锁屏（分钟）", 1, 120)
VERDICT_SOUND = Option("sounds/verdict", False, "核验结果提示音")
LAST_PURPOSE = Option("report/last_purpose", "其他", "上次选择的报告用途")
LAST_USERNAME = Option("login/last_username", "", "上次登录的用户名")
OPTIONS = (IDLE_LOCK_MINUTES, VERDICT_SOUND, LAST_PURPOSE, LAST_USERNAME)


def _v1_to_v2(q: QSettings) -> None:
    """Version 2 groups the sounds: `verify/sound` became `sounds/verdict`."""
    if q.contains("verify/sound"):
        if not q.contains(VERDICT_SOUND.key):
            q.setValue(VERDICT_SOUND.key, q.value("verify/sound"))
        q.remove("verify/sound")


# from version n to n + 1; version 0 is a file written before versions were recorded (shape 1)
_UPGRADES: dict[int, Callable[[QSettings], None]] = {0: lambda q: None, 1: _v1_to_v2}


def default_path() -> Path | None:
    """CREDITDESK_HOME/ui-settings.ini when CREDITDESK_HOME is set; None: the platform's place."""
    home = os.environ.get("CREDITDESK_HOME")
    return Path(home) / FILE_NAME if home else None


def stored_version(q: QSettings) -> int:
    try:
        return max(0, int(str(q.value("meta/version", 0)).strip()))
    except ValueError:  # garbled: treat as written before versions, every upgrade runs
        return 0


class UiSettings:
    def __init__(self, path: Path | None = None):
        path = path or default_path()
        self.path = Path(path) if path else None
        self.set_aside: Path | None = None  # where an unreadable file was kept, if one was
        self._q = self._open()
        self._q.allKeys()  # parse now: status() reports a malformed file only once it is read
        if self._q.status() == QSettings.Status.FormatError and self.path is not None:
            self.set_aside = self.path.with_name(f"{self.path.name}.broken-{datetime.now():%Y%m%d-%H%M%S}")
            os.replace(self.path, self.set_aside)
            self._q = self._open()
        self._upgrade()

    def _open(self) -> QSettings:
        if self.path is None:
            return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "CreditDesk", "CreditDesk")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        return QSettings(str(self.path), QSettings.Format.IniFormat)

    def _upgrade(self) -> None:
        version = stored_version(self._q)
        if version >= VERSION:  # current, or written by a newer release: read as it is, validated
            return
        while version < VERSION:
            _UPGRADES[version](self._q)
            version += 1
        self._q.setValue("meta/version", VERSION)
        self._q.sync()

    @property
    def file_name(self) -> str:
        return self._q.fileName()

    def get(self, option: Option) -> Any:
        return option.read(self._q.value(option.key))

    def set(self, option: Option, value: Any) -> None:
        if option.read(value) != value:
            raise ValueError(f"{option.key}: {value!r} is not a valid value")
        self._q.setValue(option.key, value)

    def geometry(self, name: str) -> QByteArray | None:
        value = self._q.value(f"layout/{name}")
        return value if isinstance(value, QByteArray) else None

    def set_geometry(self, name: str, value: QByteArray) -> None:
        self._q.setValue(f"layout/{name}", value)

    def sync(self) -> None:
        self._q.sync()
