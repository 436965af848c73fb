"""Backups of the embedded database, restoring one, and a database that is gone (issue 8, parts 4-5)."""
from __future__ import annotations

import threading
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from core.db import schema
from core.db.backup import backup, check_backup, daily_backup, restore
from core.db.engine import Database
from core.db.installation import holds_installation, list_backups, write_marker
from core.errors import DatabaseMissing, DatabaseUnavailable, InvalidRequest, OutputNotWritten, PermissionDenied
from core.services.people.roles import Role
from core.services.people.setup import needs_first_run
from core.services.reports.verify import VerificationService
from core.services.signing.keys import KeyService
from tests.desks import make_desk
from tests.factories import add_enterprise, add_penalty

NOW = datetime(2026, 11, 27, 9, 30)


@pytest.fixture
def sqlite_db(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'live' / 'creditdesk.sqlite3'}")
    schema.upgrade(db)
    yield db
    db.dispose()


@pytest.fixture
def keys(sqlite_db, tmp_path):
    service = KeyService(sqlite_db, tmp_path / "keys", tmp_path / "trust-list.json")
    service.create(user="admin", label="一号窗口", today=date(2026, 1, 1))
    return service


@pytest.fixture
def issuer(sqlite_db, profile, keys):
    return make_desk(sqlite_db, profile, keys)


def count_events(db: Database) -> int:
    with db.session() as s:
        return s.execute(text("SELECT count(*) FROM audit_events")).scalar()


def test_backup_while_another_connection_writes(sqlite_db, issuer, tmp_path):
    code = add_enterprise(sqlite_db, "苏州恒达精密机械有限公司")
    stop = threading.Event()
    written = []

    def writer():
        other = Database(sqlite_db.url)
        try:
            n = 0
            while not stop.is_set() and n < 400:
                add_penalty(other, code, date(2025, 1, 1 + n % 28), decision_no=f"苏恒罚〔2025〕{n}号")
                written.append(n)
                n += 1
        finally:
            other.dispose()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        copies = [backup(sqlite_db, tmp_path / f"copy-{i}.sqlite3") for i in range(5)]
    finally:
        stop.set()
        thread.join()
    assert written, "the writer wrote nothing while the backups ran"
    for info in copies:
        assert check_backup(info.path) is None
        assert info.path.stat().st_mode & 0o777 == 0o600
        copy = Database(f"sqlite:///{info.path}")
        try:
            with copy.session() as s:
                assert s.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        finally:
            copy.dispose()
    assert not list(tmp_path.glob(".copy-*.part"))  # no temporary file left behind


def test_backup_refuses_an_existing_file_without_force(sqlite_db, issuer, tmp_path):
    out = tmp_path / "exists.sqlite3"
    out.write_text("keep me", encoding="utf-8")
    with pytest.raises(OutputNotWritten, match="--force"):
        backup(sqlite_db, out)
    assert out.read_text(encoding="utf-8") == "keep me"
    assert backup(sqlite_db, out, force=True).size > 0 and check_backup(out) is None


def test_backup_is_for_administrators(issuer, tmp_path):
    with pytest.raises(PermissionDenied, match="管理员"):
        issuer.desk.backup(issuer.as_(Role.CLERK), tmp_path / "b.sqlite3")
    assert issuer.desk.backup(issuer.as_(Role.ADMIN), tmp_path / "b.sqlite3").path.is_file()


def test_restore_then_a_report_issued_before_the_backup_is_valid(sqlite_db, issuer, keys, tmp_path):
    code = add_enterprise(sqlite_db, "苏州恒达精密机械有限公司")
    add_penalty(sqlite_db, code, date(2025, 3, 1))
    before = issuer.issue(code, [4, 15], purpose="融资", now=NOW)
    saved = backup(sqlite_db, tmp_path / "before-loss.sqlite3").path
    events = count_events(sqlite_db)

    Path(sqlite_db.file).unlink()  # the database is lost
    for suffix in ("-wal", "-shm"):
        Path(f"{sqlite_db.file}{suffix}").unlink(missing_ok=True)
    with pytest.raises(DatabaseUnavailable, match="数据库文件不见了"):
        with sqlite_db.session() as s:
            s.execute(text("SELECT 1"))
    assert not sqlite_db.file.exists()  # opening it did not create an empty one

    check = restore(saved, sqlite_db)
    assert check.ok, check.problem
    assert count_events(sqlite_db) >= events
    verdict = VerificationService(sqlite_db, keys).verify(before.issue.qr_digits, user="核验员", counter="二号窗口",
                                                          today=date(2026, 11, 28))
    assert verdict.status == "valid", verdict.reason
    assert verdict.report_no == before.report_no


@pytest.mark.parametrize("content", [b"just some text\n", b"SQLite format 3\x00" + b"\x00" * 200])
def test_restore_refuses_what_is_not_a_backup(sqlite_db, issuer, tmp_path, content):
    bad = tmp_path / "not-a-backup.sqlite3"
    bad.write_bytes(content)
    events = count_events(sqlite_db)
    with pytest.raises(InvalidRequest, match="不是"):
        restore(bad, sqlite_db)
    assert count_events(sqlite_db) == events  # the database is untouched


def test_restore_refuses_a_sqlite_file_of_another_program(sqlite_db, issuer, tmp_path):
    import sqlite3

    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.close()
    with pytest.raises(InvalidRequest, match="不是 CreditDesk 备份文件.*alembic_version"):
        restore(other, sqlite_db)


def test_daily_backups_keep_the_last_fourteen(sqlite_db, issuer, tmp_path):
    folder = tmp_path / "home" / "backups"
    for day in range(1, 21):
        assert daily_backup(sqlite_db, folder, today=date(2026, 11, day)) is not None
    assert daily_backup(sqlite_db, folder, today=date(2026, 11, 20)) is None  # today's exists
    names = [p.name for p in list_backups(tmp_path / "home")]
    assert names == [f"creditdesk-202611{d:02d}.sqlite3" for d in range(20, 6, -1)]


def test_a_missing_database_is_never_created_silently(tmp_path):
    home = tmp_path / "home"
    db = Database(f"sqlite:///{home / 'creditdesk.sqlite3'}")
    try:
        # a new machine: the first run may create it
        assert not holds_installation(home)
        assert needs_first_run(db, home) is True
        assert db.file.is_file()
        write_marker(home, db.url)
        assert holds_installation(home)
        db.dispose()
        db.file.unlink()
        with pytest.raises(DatabaseMissing, match="数据库文件不见了.*最近的备份：无"):
            schema.ensure_ready(db)
        with pytest.raises(DatabaseMissing, match="数据库文件不见了"):
            needs_first_run(db, home)
        db.file.write_bytes(b"")  # an empty file is the same as none
        with pytest.raises(DatabaseMissing):
            schema.ensure_ready(db)
        assert db.file.stat().st_size == 0
    finally:
        db.dispose()


def test_a_database_deleted_while_open_is_unavailable_not_empty(sqlite_db, issuer):
    code = add_enterprise(sqlite_db, "苏州恒达精密机械有限公司")
    assert issuer.desk.search(issuer.as_(Role.CLERK), "恒达")
    assert sqlite_db.health() is None
    sqlite_db.file.unlink()
    assert "数据库文件不见了" in sqlite_db.health()
    with pytest.raises(DatabaseUnavailable, match="数据库不可用：数据库文件不见了"):
        issuer.desk.search(issuer.as_(Role.CLERK), code)
    assert not sqlite_db.file.exists()
