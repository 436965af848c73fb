"""Does the data directory hold an installation? Then a missing database is a loss, not a first run.

An installation leaves traces beside its embedded database: private signing keys, the trust
cache, the report-number mark, backups, UI settings and the `installation.json` marker that `init` and the first run write.
When any of them is there but the database file is missing or empty, nothing may quietly create a
new database: the person is told, with the newest backup, and chooses (restore, or reinstall).
"""
from __future__ import annotations

import json
import os
import sqlite3
from datetime import datetime
from pathlib import Path


MARKER = "installation.json"
BACKUPS = "backups"
BACKUP_PATTERN = "creditdesk-*.sqlite3"


def _home(home: Path | None) -> Path:
    if home is None:
        from core.config import data_dir

        home = data_dir()
    return Path(home)


def backups_dir(home: Path | None = None) -> Path:
    return _home(home) / BACKUPS


def evidence(home: Path | None = None, extra: tuple[Path, ...] = ()) -> list[Path]:
    """The traces of an installation found in the data directory (empty: a new machine)."""
    home = _home(home)
    found: list[Path] = []
    keys = home / "keys"
    if keys.is_dir():
        found += sorted(keys.glob("*.pem"))
    for path in (home / "trust-list.json", home / MARKER, home / "report-numbers.json", *extra):
        if Path(path).is_file():
            found.append(Path(path))
    found += list_backups(home)
    return found


def holds_installation(home: Path | None = None, extra: tuple[Path, ...] = ()) -> bool:
    return bool(evidence(home, extra))


def list_backups(home: Path | None = None) -> list[Path]:
    """Backups in the data directory, newest first (by name: creditdesk-YYYYMMDD, then by time)."""
    folder = backups_dir(home)
    if not folder.is_dir():
        return []
    return sorted(folder.glob(BACKUP_PATTERN), key=lambda p: (p.name, p.stat().st_mtime), reverse=True)


def newest_backup(home: Path | None = None) -> Path | None:
    backups = list_backups(home)
    return backups[0] if backups else None


def write_marker(home: Path | None, db_url: str, counter: str | None = None) -> Path | None:
    """Record that this data directory holds an installation (first run, `init`), and the name of
    this counter when one is given (kept when the marker is there already)."""
    from core.config import UNNAMED_COUNTER
    from core.db.engine import describe_url

    counter = None if counter == UNNAMED_COUNTER else counter
    home = _home(home)
    path = home / MARKER
    if path.exists():
        if counter:
            set_counter_name(home, counter)
        return path
    try:
        home.mkdir(parents=True, exist_ok=True)
        data = {"created_at": datetime.now().isoformat(timespec="seconds"), "db_url": describe_url(db_url)}
        if counter:
            data["counter"] = counter
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        os.chmod(path, 0o600)
    except OSError:
        return None  # the marker is a help, not a requirement
    return path


def _marker(home: Path | None) -> dict:
    try:
        data = json.loads((_home(home) / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def read_counter_name(home: Path | None = None) -> str | None:
    """The name this counter was given at first run (printed as 出具窗口), or None."""
    name = _marker(home).get("counter")
    return name if isinstance(name, str) and name.strip() else None


def set_counter_name(home: Path | None, name: str) -> None:
    home = _home(home)
    data = _marker(home)
    data["counter"] = name
    path = home / MARKER
    tmp = path.with_name(MARKER + ".part")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def sqlite_path(url: str) -> Path | None:
    """The file of an embedded database URL; None for PostgreSQL or an in-memory database."""
    from sqlalchemy.engine import make_url  # here: reading the counter's name at start needs no SQLAlchemy
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except ArgumentError:
        return None
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    name = parsed.database
    if name.startswith("file:"):
        name = name[5:].split("?", 1)[0]
    return Path(name).expanduser().absolute()


def is_missing_or_empty(path: Path) -> bool:
    """True when the file is absent, has no bytes, or holds no tables at all."""
    try:
        if not path.is_file() or path.stat().st_size == 0:
            return True
    except OSError:
        return True
    try:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        try:
            return conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0
        finally:
            conn.close()
    except sqlite3.Error:
        return False  # unreadable or not SQLite: that is reported when it is opened, not "missing"


def missing_message(path: Path, home: Path | None = None) -> str:
    backup = newest_backup(home)
    return (f"数据库文件不见了：{path}。最近的备份：{backup or '无'}。"
            "可以用 creditdesk-admin restore 备份文件 恢复；或在确认后重新安装")
