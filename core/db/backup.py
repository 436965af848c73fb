"""Backups of the embedded database, and restoring one.

`backup(db, out)` copies the live SQLite file with SQLite's online backup API: a consistent copy
while the app and other commands keep writing. It is written to a temporary file beside `out`,
checked to be a CreditDesk database, and renamed into place. `restore(file, db)` refuses anything
that is not a CreditDesk backup, copies it over the database (the backup API again, so a running
reader never sees half a file), upgrades an older schema and checks the audit chain.

A shared PostgreSQL database is backed up with `pg_dump --format=custom` and restored with
`pg_restore` when those programs are installed; otherwise the command line to run is given
(see docs/backup.md for point-in-time recovery).
"""
from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy.engine import make_url

from core.db.engine import Database, describe_url
from core.errors import InvalidRequest, OutputNotWritten

SQLITE_HEADER = b"SQLite format 3\x00"
REQUIRED_TABLES = ("alembic_version", "audit_events")
KEEP_DAILY = 14


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    size: int
    tables: int

    def to_json(self) -> dict:
        return {"path": str(self.path), "size": self.size, "tables": self.tables}


PG_HEADER = b"PGDMP"


def _libpq(url: str) -> tuple[str, str | None]:
    """The URL as libpq takes it, and the schema named by `options=-csearch_path=...` if any."""
    parsed = make_url(url).set(drivername="postgresql")
    options = parsed.query.get("options") or ""
    options = options if isinstance(options, str) else " ".join(options)
    found = re.search(r"-c\s*search_path\s*=\s*([A-Za-z0-9_]+)", options)
    return parsed.render_as_string(hide_password=False), found.group(1) if found else None


def pg_dump_command(url: str, out: str | Path) -> list[str]:
    """The pg_dump command line for a shared database (custom format, restorable by pg_restore);
    only the configured schema when the URL names one in its search_path."""
    dsn, schema_name = _libpq(url)
    return ["pg_dump", "--format=custom", "--no-owner", f"--file={out}",
            *([f"--schema={schema_name}"] if schema_name else []), f"--dbname={dsn}"]


def pg_restore_command(url: str, file: str | Path) -> list[str]:
    dsn, _ = _libpq(url)
    return ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
            f"--dbname={dsn}", str(file)]


def _shown(command: list[str]) -> str:
    """The command as a person may see it: the database address without its password."""
    return " ".join("--dbname=" + describe_url(part[len("--dbname="):]) if part.startswith("--dbname=")
                    else part for part in command)


def check_backup(path: Path) -> str | None:
    """None for a CreditDesk backup; otherwise one sentence saying what the file is not."""
    path = Path(path)
    if not path.is_file():
        return f"备份文件不存在：{path}"
    try:
        with open(path, "rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
    except OSError as exc:
        return f"无法读取备份文件 {path}：{exc.strerror or exc}"
    if header != SQLITE_HEADER:
        return f"{path} 不是 CreditDesk 备份文件（不是 SQLite 数据库文件）"
    try:
        conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
        try:
            names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if all(t in names for t in REQUIRED_TABLES):
                conn.execute("SELECT version_num FROM alembic_version").fetchall()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return f"{path} 不是可用的 CreditDesk 备份文件（{exc}）"
    lacking = [t for t in REQUIRED_TABLES if t not in names]
    if lacking:
        return f"{path} 不是 CreditDesk 备份文件（缺少 {'、'.join(lacking)} 表）"
    return None


def _copy(src_path: Path, dst_path: Path, *, source_readonly: bool = True) -> None:
    """SQLite online backup from one file into another (the destination is replaced page by page)."""
    mode = "ro" if source_readonly else "rw"
    src = sqlite3.connect(f"{src_path.absolute().as_uri()}?mode={mode}", uri=True)
    try:
        src.execute("PRAGMA busy_timeout=10000")
        dst = sqlite3.connect(str(dst_path))
        try:
            src.backup(dst, pages=1024)
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        finally:
            dst.close()
    finally:
        src.close()


def backup(db: Database, out: str | Path, *, force: bool = False) -> BackupInfo:
    """A consistent copy of the embedded database into `out` (refuses an existing file unless force)."""
    out = Path(out).expanduser()
    if not db.is_embedded:
        raise InvalidRequest("共享的 PostgreSQL 数据库请用 pg_dump 备份：" + _shown(pg_dump_command(db.url, out)))
    problem = db.file_problem()
    if problem:
        raise InvalidRequest(f"无法备份：{problem}")
    if out.exists() and not force:
        raise OutputNotWritten(f"文件已存在：{out}（如需覆盖请加 --force）")
    if out.is_dir():
        raise OutputNotWritten(f"{out} 是一个文件夹，请给出备份文件名")
    folder = out.absolute().parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=folder)
        os.close(fd)
    except OSError as exc:
        raise OutputNotWritten(f"无法写入 {out}：{exc.strerror or exc}") from None
    tmp = Path(tmp_name)
    try:
        _copy(db.file, tmp, source_readonly=False)
        bad = check_backup(tmp)
        if bad:
            raise OutputNotWritten(f"备份未通过检查，未写入 {out}：{bad}")
        os.chmod(tmp, 0o600)
        os.replace(tmp, out)
    except sqlite3.Error as exc:
        raise OutputNotWritten(f"备份失败：{exc}") from None
    except OSError as exc:
        raise OutputNotWritten(f"无法写入 {out}：{exc.strerror or exc}") from None
    finally:
        tmp.unlink(missing_ok=True)
    with sqlite3.connect(f"{out.absolute().as_uri()}?mode=ro", uri=True) as conn:
        tables = conn.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0]
    conn.close()
    return BackupInfo(out, out.stat().st_size, tables)


def backup_postgresql(db: Database, out: str | Path, *, force: bool = False) -> BackupInfo:
    """pg_dump of a shared database, when pg_dump is installed; otherwise the command to run."""
    out = Path(out).expanduser()
    if out.exists() and not force:
        raise OutputNotWritten(f"文件已存在：{out}（如需覆盖请加 --force）")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=out.absolute().parent)
    os.close(fd)
    try:
        _run(pg_dump_command(db.url, tmp_name), "pg_dump ")
        os.chmod(tmp_name, 0o600)
        os.replace(tmp_name, out)
    finally:
        Path(tmp_name).unlink(missing_ok=True)
    return BackupInfo(out, out.stat().st_size, 0)


def authenticate_in_backup(path: Path, username: str, password: str):
    """The backup's own account: a UserInfo when the password is right, else the refusal sentence.

    Checked on a temporary copy, so the backup file itself is never written and a failure is
    not counted anywhere."""
    from datetime import datetime

    from sqlalchemy.orm import Session

    from core.services.people.users import check_password

    with tempfile.TemporaryDirectory(prefix="creditdesk-restore-") as work:
        copy = Path(work) / "check.sqlite3"
        _copy(Path(path), copy)
        db = Database(f"sqlite:///{copy}")
        try:
            with db.engine.connect() as conn, Session(bind=conn) as s:
                outcome = check_password(s, username, password, datetime.now())
                s.rollback()
        finally:
            db.dispose()
    return outcome


def _run(command: list[str], what: str) -> subprocess.CompletedProcess:
    if shutil.which(command[0]) is None:
        raise InvalidRequest(f"本机未安装 {command[0]}，请在数据库服务器上运行：{_shown(command)}")
    try:
        run = subprocess.run(command, capture_output=True, text=True, timeout=3600)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise OutputNotWritten(f"{what}未能完成：{exc}") from None
    if run.returncode != 0:
        detail = (run.stderr.strip().splitlines() or ["未知错误"])[-1]
        raise OutputNotWritten(f"{what}未能完成：{describe_url(detail)}；命令：{_shown(command)}")
    return run


def check_pg_backup(path: Path) -> str | None:
    """None for a pg_dump archive of a CreditDesk database; otherwise what it is not."""
    path = Path(path)
    if not path.is_file():
        return f"备份文件不存在：{path}"
    with open(path, "rb") as fh:
        if fh.read(len(PG_HEADER)) != PG_HEADER:
            return f"{path} 不是 PostgreSQL 数据库的 CreditDesk 备份（应为 pg_dump --format=custom 的文件）"
    listing = _run(["pg_restore", "--list", str(path)], "读取备份").stdout
    lacking = [t for t in REQUIRED_TABLES if not re.search(rf"\bTABLE \S+ {t}\b", listing)]
    if lacking:
        return f"{path} 不是 CreditDesk 备份文件（缺少 {'、'.join(lacking)} 表）"
    return None


def restore_postgresql(path: str | Path, db: Database):
    """pg_restore of a pg_dump archive into the shared database, then the audit chain check."""
    from core.db import schema
    from core.services.people.audit_chain import verify_chain

    path = Path(path).expanduser()
    bad = check_pg_backup(path)
    if bad:
        raise InvalidRequest(bad)
    db.dispose()
    _run(pg_restore_command(db.url, path), "pg_restore ")
    db.dispose()
    schema.ensure_ready(db)
    return verify_chain(db)


def restore(path: str | Path, db: Database):
    """Replace the embedded database with a backup; returns the audit chain check afterwards."""
    from core.db import schema
    from core.services.people.audit_chain import verify_chain

    path = Path(path).expanduser()
    if not db.is_embedded:
        return restore_postgresql(path, db)
    bad = check_backup(path)
    if bad:
        raise InvalidRequest(bad)
    target = db.file
    db.dispose()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with db.creating():
            _copy(path, target)
        os.chmod(target, 0o600)
    except sqlite3.Error as exc:
        raise OutputNotWritten(f"恢复失败，未能写入 {target}：{exc}") from None
    except OSError as exc:
        raise OutputNotWritten(f"恢复失败，未能写入 {target}：{exc.strerror or exc}") from None
    db.dispose()
    schema.ensure_ready(db)  # a backup of an older version is upgraded
    return verify_chain(db)


# -- the app's daily backups ----------------------------------------------------------------------

def daily_backup(db: Database, folder: Path, today: date | None = None, keep: int = KEEP_DAILY) -> Path | None:
    """Today's backup in `folder` (creditdesk-YYYYMMDD.sqlite3) if it is missing; keeps the last `keep`.

    Returns the file written, or None when today's was there already (or the database is shared)."""
    if not db.is_embedded or db.file_problem():
        return None
    today = today or date.today()
    folder = Path(folder)
    out = folder / f"creditdesk-{today:%Y%m%d}.sqlite3"
    written = None
    if not out.exists():
        folder.mkdir(parents=True, exist_ok=True)
        try:
            os.chmod(folder, 0o700)
        except OSError:
            pass
        written = backup(db, out).path
    dailies = sorted(folder.glob("creditdesk-[0-9]*.sqlite3"), key=lambda p: p.name, reverse=True)
    for old in dailies[keep:]:
        old.unlink(missing_ok=True)
    return written
