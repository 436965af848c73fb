"""Typed user-interface settings, declared in one place with their defaults and labels.

Stored with QSettings (an INI file in the platform's config dir, or a path given for tests).
`VERSION` lets a later release upgrade settings whose shape changed.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

VERSION = 1


@dataclass(frozen=True)
class Option:
    key: str
    default: Any
    label: str  # what a person sees in a settings dialog


IDLE_LOCK_MINUTES = Option("security/idle_lock_minutes", 10, "无操作自动锁屏（分钟）")
VERDICT_SOUND = Option("verify/sound", False, "核验结果提示音")
LAST_PURPOSE = Option("report/last_purpose", "其他", "上次选择的报告用途")
LAST_USERNAME = Option("login/last_username", "", "上次登录的用户名")
OPTIONS = (IDLE_LOCK_MINUTES, VERDICT_SOUND, LAST_PURPOSE, LAST_USERNAME)


class UiSettings:
    def __init__(self, path: Path | None = None):
        self._q = (QSettings(str(path), QSettings.Format.IniFormat) if path
                   else QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "CreditDesk", "CreditDesk"))
        if int(self._q.value("meta/version", 0) or 0) < VERSION:
            self._q.setValue("meta/version", VERSION)

    def get(self, option: Option) -> Any:
        value = self._q.value(option.key, option.default)
        if isinstance(option.default, bool):
            return value in (True, "true", "1", 1)
        if isinstance(option.default, int):
            try:
                return int(value)
            except (TypeError, ValueError):
                return option.default
        return value

    def set(self, option: Option, value: Any) -> None:
        self._q.setValue(option.key, value)

    def geometry(self, name: str) -> QByteArray | None:
        value = self._q.value(f"layout/{name}")
        return value if isinstance(value, QByteArray) else None

    def set_geometry(self, name: str, value: QByteArray) -> None:
        self._q.setValue(f"layout/{name}", value)

    def sync(self) -> None:
        self._q.sync()
