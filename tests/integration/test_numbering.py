"""Report numbers never repeat: not after a new installation on a lost database, not after an
older backup is restored (issue 8, part 4). The highest number issued is kept beside the keys."""
from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.db import schema
from core.db.backup import backup, backup_postgresql, restore
from core.db.engine import Database
from core.db.models_audit import AuditEventRow
from core.db.models_reports import IssuedReport, ReportCounter
from core.errors import IntegrityBroken
from core.services.reports.numbering import MARK_FILE, NumberMark
from core.services.signing.keys import KeyService
from tests.desks import make_desk
from tests.e2e.conftest import Cli, Launcher, set_up_people
from tests.factories import add_enterprise

NOW = datetime(2026, 11, 27, 9, 30)


def serial(report_no: str) -> int:
    return int(report_no.rsplit("-", 1)[1])


def new_keys(db: Database, home: Path) -> KeyService:
    keys = KeyService(db, home / "keys", home / "trust-list.json")
    keys.create(user="admin", label="一号窗口", today=date(2026, 1, 1))
    return keys


@pytest.fixture
def home(tmp_path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def keys(db, home):
    return new_keys(db, home)


@pytest.fixture
def issuer(db, profile, keys):
    return make_desk(db, profile, keys)


def counter_value(db: Database) -> int:
    with db.session() as s:
        return s.scalar(select(ReportCounter.value).where(ReportCounter.name == "report"))


def counts(db: Database) -> tuple[int, int]:
    with db.session() as s:
        return (s.scalar(select(func.count()).select_from(IssuedReport)),
                s.scalar(select(func.count()).select_from(AuditEventRow)))


def test_a_new_installation_on_a_lost_database_continues_after_the_highest_number(tmp_path, profile, home):
    db = Database(f"sqlite:///{home / 'creditdesk.sqlite3'}")
    schema.upgrade(db)
    desk = make_desk(db, profile, new_keys(db, home))
    code = add_enterprise(db, "苏州恒达精密机械有限公司")
    first = [desk.issue(code, purpose="融资", now=NOW).report_no for _ in range(3)]
    assert first[-1] == "SZ-2026-00000003"

    db.dispose()  # the database is lost; the data directory with its keys remains
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db.file}{suffix}").unlink(missing_ok=True)

    # A deliberate new installation, as `init --admin` and `keys init` make it.
    schema.upgrade(db)
    assert counter_value(db) == 0
    desk = make_desk(db, profile, new_keys(db, home))
    code = add_enterprise(db, "苏州恒达精密机械有限公司")
    again = desk.issue(code, purpose="融资", now=NOW)
    assert again.report_no == "SZ-2026-00000004"
    assert serial(again.report_no) > max(map(serial, first))
    db.dispose()


def test_the_command_line_new_installation_continues_after_the_highest_number(tmp_path):
    """`init --admin` on a data directory whose database is gone, as an administrator does it."""
    launcher = Launcher()
    try:
        tool = Cli(tmp_path / "home")

        def install_and_issue(count: int) -> list[str]:
            set_up_people(tool, launcher)
            tool.fast(launcher).admin.ok("keys", "init", "--label", "本窗口")
            db = Database(tool.db_url)
            code = add_enterprise(db, "苏州恒达精密机械有限公司")
            db.dispose()
            return [tool.fast(launcher).clerk.ok("report", "issue", "--uscc", code, "--out",
                                                  tmp_path / f"r-{i}.pdf", "--force", "--json").json()["report_no"]
                    for i in range(count)]

        first = install_and_issue(2)
        for part in tool.home.glob("creditdesk.sqlite3*"):  # the database is lost
            part.unlink()
        again = install_and_issue(1)
    finally:
        launcher.close()
    assert serial(again[0]) == serial(first[-1]) + 1, (first, again)


def take_backup(db: Database, out: Path) -> Path:
    return (backup(db, out) if db.is_embedded else backup_postgresql(db, out)).path


def test_restoring_an_older_backup_never_repeats_a_number(db, issuer, tmp_path):
    code = add_enterprise(db, "苏州恒达精密机械有限公司")
    issued = [issuer.issue(code, purpose="融资", now=NOW).report_no]
    saved = take_backup(db, tmp_path / "before.backup")
    issued += [issuer.issue(code, purpose="融资", now=NOW).report_no for _ in range(2)]

    check = restore(saved, db)
    assert check.ok, check.problem
    assert counter_value(db) == 1  # the database went back ...
    issued.append(issuer.issue(code, purpose="融资", now=NOW).report_no)
    assert len(set(issued)) == len(issued) == 4  # ... the numbers did not
    assert issued[-1] == "SZ-2026-00000004"


def test_another_counter_with_a_higher_mark_pushes_the_shared_counter_past_it(db, issuer, profile, tmp_path):
    code = add_enterprise(db, "苏州恒达精密机械有限公司")
    assert issuer.issue(code, now=NOW).report_no == "SZ-2026-00000001"
    other_home = tmp_path / "second-counter"
    other_home.mkdir()
    (other_home / MARK_FILE).write_text(json.dumps({"serial": 41, "report_no": "SZ-2026-00000041"}),
                                        encoding="utf-8")
    second = make_desk(db, profile, KeyService(db, other_home / "keys", other_home / "trust.json"),
                       counter="二号窗口")
    second.desk.keys.create(user="admin", label="二号窗口", today=date(2026, 1, 1))
    assert second.issue(code, now=NOW).report_no == "SZ-2026-00000042"
    assert issuer.issue(code, now=NOW).report_no == "SZ-2026-00000043"


@pytest.mark.parametrize("content", [b"not json at all", b'{"serial": "12"}', b"{}", b'{"serial": -1}',
                                     b'{"serial": 3.5}', b"\xff\xfe\x00", b""])
def test_a_damaged_mark_refuses_issuing_and_changes_nothing(db, issuer, home, content):
    code = add_enterprise(db, "苏州恒达精密机械有限公司")
    issuer.issue(code, now=NOW)
    mark = home / MARK_FILE
    mark.write_bytes(content)
    before, value = counts(db), counter_value(db)
    with pytest.raises(IntegrityBroken, match=f"报告编号记录文件 {mark} .*为避免报告编号重复，已拒绝出具报告"):
        issuer.issue(code, now=NOW)
    assert counts(db) == before  # nothing archived, no event
    assert counter_value(db) == value == 1
    assert mark.read_bytes() == content  # left for a person to repair


def test_an_unreadable_mark_refuses_issuing(db, issuer, home):
    code = add_enterprise(db, "苏州恒达精密机械有限公司")
    issuer.issue(code, now=NOW)
    mark = home / MARK_FILE
    mark.unlink()
    mark.mkdir()  # there, but not a file that can be read
    with pytest.raises(IntegrityBroken, match="报告编号记录文件"):
        issuer.issue(code, now=NOW)
    assert counter_value(db) == 1


def test_the_mark_is_owner_only_and_names_the_highest_report(db, issuer, home):
    code = add_enterprise(db, "苏州恒达精密机械有限公司")
    last = [issuer.issue(code, now=NOW) for _ in range(2)][-1]
    mark = home / MARK_FILE
    assert mark.stat().st_mode & 0o777 == 0o600
    assert json.loads(mark.read_text(encoding="utf-8")) == {"serial": 2, "report_no": last.report_no}
    assert sorted(p.name for p in home.iterdir() if p.name.startswith(".")) == []  # no temp file left


def test_the_mark_is_never_lowered(tmp_path):
    mark = NumberMark(tmp_path)
    assert mark.floor() == 0
    mark.record(10, "SZ-2026-00000010")
    mark.record(7, "SZ-2026-00000007")  # a slower process finishing after a faster one
    assert mark.floor() == 10
    assert json.loads((tmp_path / MARK_FILE).read_text(encoding="utf-8"))["report_no"] == "SZ-2026-00000010"
